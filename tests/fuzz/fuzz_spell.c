/* libFuzzer target: spell files (users write them) through the parser and, when
 * they parse, through matching against a small trace. */
#include <stdint.h>
#include <stdlib.h>

#include "spells.h"
#include "trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	spell s;
	spell_init(&s);
	char *err = NULL;
	if (spell_parse(&s, (const char *)data, size, "fuzz.spell", &err) == 0) {
		spellbook b = { &s, 1, 1 };
		static const char issue[] = "Traceback (most recent call last):\n"
			"  File \"/app/x.py\", line 3, in f\nKeyError: 'user_id'\n";
		trace t;
		trace_init(&t);
		trace_parse(&t, issue, sizeof(issue) - 1);
		spell_match m[1];
		spellbook_match(&b, &t, m, 1);
		trace_free(&t);
	}
	free(err);
	spell_free(&s);
	return 0;
}
