/* libFuzzer target: CODEOWNERS files (from any repository) parsed and matched
 * against a few paths. */
#include <stdint.h>
#include <stdlib.h>

#include "codeowners.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const paths[] = {
		"README.md", "src/app/main.c", "docs/a/b/c.md", "apps/github/x", "a/b/c/d/e/f/g.txt",
	};
	codeowners c;
	codeowners_init(&c);
	codeowners_parse(&c, (const char *)data, size, "CODEOWNERS");
	for (size_t i = 0; i < sizeof(paths) / sizeof(*paths); i++) {
		size_t n;
		codeowners_for(&c, paths[i], &n, NULL);
	}
	codeowners_free(&c);
	return 0;
}
