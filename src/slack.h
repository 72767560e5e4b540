/* slack: posting a message to Slack, by an incoming webhook or a bot token.
 *
 * slack.webhook_url (SLACK_WEBHOOK_URL): POST the message to it; Slack
 * answers "ok", or a 4xx naming the error. SLACK_BOT_TOKEN: chat.postMessage
 * to slack.channel under slack.api_url; Slack answers {"ok": true, "ts"} or
 * {"ok": false, "error"} (200 either way). Either may answer 429 with
 * Retry-After. A bot's message carries metadata with the outbox's key, so
 * that after a crash conversations.history can tell whether it went out.
 * Neither secret is ever put in an error, the log or the database: Slack's
 * requests go through src/service (its breaker, its status). */
#ifndef MAHORAGA_SLACK_H
#define MAHORAGA_SLACK_H

#include <jansson.h>
#include <stdint.h>

#include "store.h"

typedef struct slack_client {
	const char *webhook_url;  /* or NULL; a secret */
	const char *token;        /* or NULL; a secret (the bot token wins) */
	const char *api_url;      /* slack.api_url: https://slack.com/api */
	const char *channel;      /* slack.channel, for the bot */
	store_service *svc;       /* Slack's breaker and status (may be NULL) */
} slack_client;

/* Post msg (not taken), marked with key for the bot API. Returns 0 (*ts: the
 * message's timestamp, NULL by webhook), -1 to try again (*err; *retry_after
 * seconds when Slack said, else -1), -2 for good (*err: a refused token, an
 * unknown channel, a payload Slack rejects). */
int slack_post(const slack_client *s, const json_t *msg, const char *key, char **ts, long *retry_after,
	       char **err);

/* Did a message marked key reach the channel since (Unix seconds)? 1 yes,
 * 0 no, -1 cannot tell (*err; by webhook nothing can be read back). */
int slack_posted(const slack_client *s, const char *key, int64_t since, char **err);

#endif
