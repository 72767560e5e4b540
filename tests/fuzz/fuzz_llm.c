/* libFuzzer target: a language model's answer as core/llm_answer reads it
 * (the API's envelope, the object inside, a fix's diff, a proposed spell),
 * and the same bytes as a file for the prompt's excerpt. Whatever is kept
 * must hold the promises the reader makes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "llm_answer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool exists(const char *path, void *ctx)
{
	(void)ctx;
	return strcmp(path, "app/loader.py") == 0 || strcmp(path, "app/config.py") == 0;
}

static void no_control(const char *s, bool multiline)
{
	for (const unsigned char *p = (const unsigned char *)s; p && *p; p++)
		if ((*p < 0x20 && !(multiline && (*p == '\n' || *p == '\t'))) || *p == 0x7f)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	llm_answer a;
	llm_answer_init(&a);
	char *err = NULL;
	if (llm_answer_read((const char *)data, size, exists, NULL, &a, &err) == 0) {
		if (!a.explanation || strlen(a.explanation) > LLM_MAX_EXPLANATION || a.naffected > LLM_MAX_AFFECTED)
			abort();
		no_control(a.explanation, true);
		no_control(a.root_cause, true);
		for (size_t i = 0; i < a.naffected; i++)
			if (!exists(a.affected[i], NULL))
				abort();
		if (a.fix_diff && (!exists(a.fix_path, NULL) || a.fix_lines <= 0 || a.fix_lines >= 20))
			abort();
	} else if (!err) {
		abort();
	}
	free(err);
	llm_answer_free(&a);
	char *ex = llm_excerpt((const char *)data, size, 7);
	if (strlen(ex) > LLM_EXCERPT_BYTES)
		abort();
	free(ex);
	return 0;
}
