/* outbox: what the worker will do on GitHub about an issue, queued.
 *
 * Each action is a row of the store's outbox (store_action_*), enqueued in
 * the transaction that decided it, so that a decision and what says it are
 * kept together or not at all; the worker sends them (src/github_out) and a
 * dedup key makes each one happen once. Nothing here touches the network. */
#ifndef MAHORAGA_OUTBOX_H
#define MAHORAGA_OUTBOX_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store.h"

/* The kinds of actions, as the outbox names them. */
#define OUTBOX_COMMENT "github_comment"
#define OUTBOX_ASSIGN "github_assign"
#define OUTBOX_LABELS "github_labels"
#define OUTBOX_DRAFT "github_draft"
#define OUTBOX_DRAFT_CLOSE "github_draft_close"
#define OUTBOX_DRAFT_READY "github_draft_ready"
#define OUTBOX_SLACK "slack_message"

/* The triage comment of issue_id (number of repo, "owner/name"), saying its
 * latest decision; key makes it once per content of the issue. Returns 0 or -1. */
int outbox_comment(store *db, int64_t issue_id, const char *repo, int number, const char *key);

/* Assign the issue to email on GitHub (NULL: nobody new) and take it from
 * previous (NULL: nobody), once per key. Returns 0 or -1. */
int outbox_assign(store *db, int64_t issue_id, const char *repo, int number, const char *email,
		  const char *previous, const char *key);

/* Add labels (a JSON array of strings; nothing is queued when empty) to the
 * issue, once per key. Returns 0 or -1. */
int outbox_labels(store *db, int64_t issue_id, const char *repo, int number, const json_t *labels,
		  const char *key);

/* Open a draft pull request of the decision's draft fix (branch, a local
 * branch of the clone), once per key. Returns 0 or -1. */
int outbox_draft(store *db, int64_t issue_id, const char *repo, int number, const char *branch, const char *key);

/* A person's verdict on the draft of branch, said on GitHub once per key:
 * approved, its pull request is marked ready for review; rejected, it is
 * closed and the branch deleted. Returns 0 or -1. */
int outbox_draft_verdict(store *db, int64_t issue_id, const char *repo, int number, const char *branch,
			 bool approved, const char *key);

/* Tell people on Slack about the issue's latest decision: its assignee
 * (email), or the channel (email NULL: manual triage), once per key. */
int outbox_slack(store *db, int64_t issue_id, const char *email, const char *key);

/* 1 when the issue is one mahoraga speaks about on GitHub (a comment was
 * ever queued for it), 0 when not, -1 on a store error. */
int outbox_is_github(store *db, int64_t issue_id);

#endif
