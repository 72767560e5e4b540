/* libFuzzer target: the Link header of a paginated answer (GitHub's). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "link_header.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	free(link_next(s));
	free(s);
	return 0;
}
