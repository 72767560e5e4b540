/* libFuzzer target: GitHub webhook deliveries saved as files: the headers and
 * body, the signature check, and the issue an "issues" event carries. */
#include <stdint.h>
#include <stdlib.h>

#include "webhook.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	webhook_delivery d;
	char *err = NULL;
	if (webhook_parse((const char *)data, size, &d, &err) == 0) {
		webhook_signature_ok("secret", d.body, d.len, d.signature);
		char *repo = NULL, *action = NULL;
		inbox_list l;
		inbox_list_init(&l);
		free(err);
		err = NULL;
		webhook_issue(&d, "fuzz", &repo, &action, &l, &err);
		free(repo);
		free(action);
		inbox_list_free(&l);
		webhook_delivery_free(&d);
	}
	free(err);
	return 0;
}
