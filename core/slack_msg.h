/* slack_msg: a decision as the Slack message that tells people.
 *
 * An assigned bug (route assign or draft_fix) tells its assignee, mentioned
 * by their Slack id (<@U123>; their name when the users table has none),
 * with everything needed to start: the file and line, why them, the
 * confidence, the issue's link and the draft's. A bug routed to people goes
 * to the channel as a request for manual triage with the best candidates.
 * Block Kit with a plain-text fallback ("text"). Everything that came from
 * the issue (title, error, paths) is escaped for Slack's mrkdwn (&, <, >), so
 * a title cannot ping <!channel> or forge a <http://evil|link>. No network. */
#ifndef MAHORAGA_SLACK_MSG_H
#define MAHORAGA_SLACK_MSG_H

#include <jansson.h>

typedef struct slack_issue {
	const char *repo;      /* "owner/name" */
	int number;
	const char *title;     /* may be NULL */
	const char *url;       /* the issue's page, may be NULL */
} slack_issue;

/* Text escaped for mrkdwn: '&' '<' '>' as entities, control bytes gone. */
char *slack_escape(const char *s);

/* The message for decision (the JSON of `mahoraga triage --format json`)
 * about is: {"text", "blocks", "unfurl_links": false}. assignee_slack is the
 * assignee's Slack id or NULL; pr_url the draft pull request's page or NULL.
 * Returns a new object. */
json_t *slack_msg_decision(const json_t *decision, const slack_issue *is, const char *assignee_slack,
			   const char *pr_url);

/* The same message as plain text for e-mail (nothing escaped, only
 * cleaned; the assignee by name; links written out). Returns the body;
 * *subject is its first line. Both to free. */
char *slack_msg_plain(const json_t *decision, const slack_issue *is, const char *pr_url, char **subject);

#endif
