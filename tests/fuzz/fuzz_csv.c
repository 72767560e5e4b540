/* libFuzzer target: CSV as `mahoraga users import` reads it. Whatever parses
 * must survive a round trip: written back with csv_field and parsed again, it
 * gives the same rows and fields. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	csv c, again;
	csv_init(&c);
	csv_init(&again);
	char *err = NULL;
	if (csv_parse(&c, (const char *)data, size, &err) < 0) {
		free(err);
		return 0;
	}
	strbuf out = STRBUF_INIT;
	for (size_t r = 0; r < c.n; r++)
		for (size_t f = 0; f < c.rows[r].n; f++)
			csv_field(&out, c.rows[r].fields[f], f + 1 == c.rows[r].n);
	if (csv_parse(&again, out.buf ? out.buf : "", out.len, &err) < 0)
		abort();
	/* fields holding a NUL byte end there, in both parses alike; rows of one
	 * empty field are empty lines and vanish from both */
	if (again.n != c.n)
		abort();
	for (size_t r = 0; r < c.n; r++) {
		if (again.rows[r].n != c.rows[r].n)
			abort();
		for (size_t f = 0; f < c.rows[r].n; f++)
			if (strcmp(again.rows[r].fields[f], c.rows[r].fields[f]) != 0)
				abort();
	}
	strbuf_release(&out);
	csv_free(&c);
	csv_free(&again);
	return 0;
}
