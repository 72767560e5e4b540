/* libFuzzer target: Slack's Web API answers as core/slack_json reads them
 * (chat.postMessage, conversations.history), and the same bytes as a title
 * escaped for mrkdwn. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "slack_json.h"
#include "slack_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *body = (const char *)data;
	char *ts = NULL, *error = NULL;
	slack_json_posted(body, size, &ts, &error);
	free(ts);
	free(error);
	error = NULL;
	slack_json_has_key(body, size, "mahoraga_triage", "slack_message:1:abc:channel", &error);
	free(error);
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	char *e = slack_escape(s);
	/* nothing of the input may survive as a control sequence of mrkdwn */
	if (strchr(e, '<') || strchr(e, '>'))
		abort();
	free(e);
	free(s);
	return 0;
}
