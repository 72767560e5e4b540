/* slack_out: the outbox's Slack messages sent, each once.
 *
 * A decision queues one message per recipient (core/outbox): its assignee,
 * or the channel for a bug left to people. Each is rendered when it is sent
 * (core/slack_msg), from the latest decision, the assignee's Slack id
 * in the users table and the draft pull request's page when GitHub has one.
 * A message taken back from a worker killed mid-send is looked for in the
 * channel first (by bot token: its metadata carries the outbox's key), so it
 * is not posted twice. When Slack has been down for slack.fallback_after
 * and e-mail is set up (src/mail), a message goes by e-mail instead: to the
 * assignee's address for notifications, the channel's to mail.to. Only
 * when Slack is configured (a webhook or a bot token). */
#ifndef MAHORAGA_SLACK_OUT_H
#define MAHORAGA_SLACK_OUT_H

#include <stdbool.h>
#include <stdio.h>

#include "config.h"
#include "store.h"

/* Is Slack configured (slack.webhook_url, or SLACK_BOT_TOKEN with slack.channel)? */
bool slack_configured(const config *cfg);

/* Send what is due as holder, through Slack's breaker and status svc (and
 * mail_svc's when by e-mail), until stop (may be NULL); said on log (may be
 * NULL). */
void slack_out_send(store *db, const config *cfg, store_service *svc, store_service *mail_svc, const char *holder,
		    const bool *stop, FILE *log);

#endif
