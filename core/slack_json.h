/* slack_json: reading Slack's Web API answers (no network: src/slack asks,
 * this reads, and the fuzz target feeds it anything). */
#ifndef MAHORAGA_SLACK_JSON_H
#define MAHORAGA_SLACK_JSON_H

#include <stddef.h>

/* chat.postMessage's answer: 1 ok (*ts, to free), 0 refused (*error, to
 * free: Slack's error word, or NULL when it gave none), -1 not Slack's JSON. */
int slack_json_posted(const char *body, size_t len, char **ts, char **error);

/* conversations.history's answer: 1 when a message's metadata is of
 * event_type and carries key in its event_payload, 0 when none does, -1 when
 * the answer is not ok (*error as above). */
int slack_json_has_key(const char *body, size_t len, const char *event_type, const char *key, char **error);

#endif
