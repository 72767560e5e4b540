/* libFuzzer target: issue files of the inbox, as markdown and as gh's JSON. */
#include <stdint.h>
#include <stdlib.h>

#include "inbox.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	inbox_issue *is = malloc(sizeof(*is));
	char *err = NULL;
	if (is && inbox_parse_markdown("12-x.md", (const char *)data, size, 0, is, &err) == 0) {
		inbox_list one = { is, 1, 1, NULL, 0 };
		inbox_list_free(&one);
	} else {
		free(is);
	}
	free(err);
	err = NULL;
	inbox_list l;
	inbox_list_init(&l);
	inbox_parse_gh_json("x.json", (const char *)data, size, &l, &err);
	free(err);
	inbox_list_free(&l);
	return 0;
}
