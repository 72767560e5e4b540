/* store: the SQLite database, the single source of truth.
 *
 * This is the only module that speaks SQL. Its interface names what the program
 * needs (save a user, record a decision, enqueue an outbound action), never tables,
 * so that another backend can be added behind it later.
 *
 * Every thread opens its own connection. The database runs in WAL mode with a busy
 * timeout and foreign keys on; write transactions begin IMMEDIATE so that two writers
 * wait for each other instead of failing with SQLITE_BUSY.
 *
 * Return conventions: functions returning int give 0 on success and -1 on error
 * (store_error() then says why), except lookups, which give 1 found, 0 not found,
 * -1 error. Strings in the structs below are owned by the struct and released by its
 * _free function; times are Unix seconds (UTC). */
#ifndef MAHORAGA_STORE_H
#define MAHORAGA_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "breaker.h"

/* The schema version this binary creates and understands. */
#define STORE_SCHEMA_VERSION 21

typedef struct store store;

/* Open (creating 0600 if missing) the database at path and migrate it to the current
 * schema. On failure *out is NULL and *err (if err) holds a message to free(). A
 * database written by a newer mahoraga is refused. */
int store_open(store **out, const char *path, char **err);

/* Like store_open, but migrate no further than version (1..STORE_SCHEMA_VERSION).
 * For migration tests and for tools that must not upgrade a shared database. */
int store_open_version(store **out, const char *path, int version, char **err);

/* Close the connection and free everything it holds; NULL is fine. */
void store_close(store *s);

/* The schema version of the open database. */
int store_version(store *s);

/* The message of the last failed call on this connection. */
const char *store_error(store *s);

/* Run fn inside one IMMEDIATE transaction: committed if fn returns 0, rolled back
 * otherwise. Calls nest: only the outermost commits. */
int store_transaction(store *s, int (*fn)(store *s, void *arg), void *arg);

/* --- settings saved from the TUI (shared by everyone who uses the database) --- */

typedef struct store_setting {
	char *key;
	char *value;
	int64_t updated_at;
} store_setting;

typedef struct store_settings {
	store_setting *v;
	size_t n;
} store_settings;

/* Lookup of one saved setting; *value is a new string. */
int store_setting_get(store *s, const char *key, char **value);
/* Save (insert or replace) a setting. */
int store_setting_set(store *s, const char *key, const char *value);
/* Remove a saved setting; 1 removed, 0 there was none, -1 error. */
int store_setting_unset(store *s, const char *key);
/* Every saved setting, ordered by key. */
int store_settings_list(store *s, store_settings *out);
void store_settings_free(store_settings *list);

/* --- users: one person, one or more git emails --- */

typedef struct store_user {
	int64_t id;          /* 0 until saved */
	char *login;         /* GitHub login, or NULL */
	char *slack_id;      /* or NULL */
	char *notify_email;  /* where e-mail notifications go, or NULL */
	char *display_name;
	int active;
	char **emails;       /* lower-cased git emails */
	size_t n_emails;
	int64_t created_at;
} store_user;

typedef struct store_users {
	store_user *v;
	size_t n;
} store_users;

void store_user_init(store_user *u);
void store_user_free(store_user *u);
/* Add a git email (lower-cased); duplicates are ignored. */
void store_user_add_email(store_user *u, const char *email);
/* Insert (id 0, sets id) or update a user, replacing the email list. Fails when an
 * email, login or Slack id already belongs to someone else. */
int store_user_save(store *s, store_user *u);
/* Lookups into a store_user the caller has initialized. */
int store_user_get(store *s, int64_t id, store_user *out);
int store_user_by_email(store *s, const char *email, store_user *out);
/* Where u's notifications go by e-mail: their notify_email, else their
 * first git e-mail that is not GitHub's noreply; NULL when none. */
const char *store_user_mail_to(const store_user *u);
/* The GitHub login of a git e-mail: the users table's, else one learnt from
 * the API (store_login_learn), else the one a GitHub no-reply address carries
 * ("ID+login@users.noreply.github.com"). 1 found (*login to free), 0 none
 * known, -1 error. */
int store_login_of(store *s, const char *email, char **login);
/* What the API said of email's login: 1 asked before (*login NULL when GitHub
 * knew none; *checked_at when), 0 never asked, -1 error. */
int store_login_learnt(store *s, const char *email, char **login, int64_t *checked_at);
/* The git e-mail of a GitHub login: the users table's first, else one whose
 * login was learnt. 1 found (*email to free), 0 none, -1 error. */
int store_email_of_login(store *s, const char *login, char **email);
/* Keep what the API said of email's login (NULL: none) at now. */
int store_login_learn(store *s, const char *email, const char *login, int64_t now);
/* Every user ordered by display name. */
int store_users_list(store *s, store_users *out);
void store_users_free(store_users *list);

/* --- repositories and their issues --- */

/* The id of repository owner/name, creating the row if needed. */
int store_repo_ensure(store *s, const char *slug, int64_t *id);
/* The slug of a repository id: 1 found (*slug allocated), 0 not, -1 error. */
int store_repo_slug(store *s, int64_t id, char **slug);

typedef struct store_issue {
	int64_t id;          /* 0 until saved */
	int64_t repo_id;
	int number;
	char *title;
	char *body;
	char *state;         /* "open" | "closed" */
	char *url;
	char *author;
	char *etag;          /* last ETag seen for this issue, or NULL */
	int64_t created_at;
	int64_t updated_at;
} store_issue;

void store_issue_init(store_issue *i);
void store_issue_free(store_issue *i);
/* Insert or update by (repo, number); sets id. */
int store_issue_save(store *s, store_issue *i);
int store_issue_get(store *s, int64_t repo_id, int number, store_issue *out);
/* The same by the issue's id: 1 found, 0 not, -1 error. */
int store_issue_by_id(store *s, int64_t id, store_issue *out);

/* Claim issue number of repo_id, at the content etag, for holder (a worker)
 * for lease_s seconds, so that two workers on one database never triage the
 * same content twice: 1 claimed; 0 when the issue is already triaged at this
 * etag, or another holder's claim has not expired; -1 error. A crashed
 * worker's claim expires, and the issue is claimed again. */
int store_issue_claim(store *s, int64_t repo_id, int number, const char *etag, const char *holder,
		      int lease_s);
/* Where polling repo_id's issues on GitHub stands: the ETag of the last first
 * page and the latest update seen (each to free, NULL when none yet), and the
 * time before which GitHub asked not to be asked (its rate limits; 0: none).
 * Returns 0, or -1. */
int store_github_poll_get(store *s, int64_t repo_id, char **etag, char **since, int64_t *wait_until);
int store_github_poll_set(store *s, int64_t repo_id, const char *etag, const char *since);
/* Why the repository's last poll failed (NULL: it did not). Returns 0, or -1. */
int store_github_poll_error(store *s, int64_t repo_id, const char *error);
/* The same, read back by the repository's slug: 1 with *error (to free), 0
 * when none is kept, -1 on a store error. */
int store_github_poll_error_of(store *s, const char *slug, char **error);
int store_github_poll_wait(store *s, int64_t repo_id, int64_t until);

/* Remember a webhook delivery by its X-GitHub-Delivery id: 1 when it is new
 * (now remembered), 0 when it was seen before (ingest it once), -1 error. */
int store_delivery_first(store *s, const char *id, const char *event);

/* Drop the claims of holders that dead(holder, arg) says are gone (a worker
 * killed mid-triage, on this machine): their issues are free at once instead
 * of when the lease runs out. */
int store_issue_claims_reap(store *s, bool (*dead)(const char *holder, void *arg), void *arg);
/* Give a claim up (the triage failed): the issue is free for the next cycle. */
int store_issue_unclaim(store *s, int64_t repo_id, int number, const char *holder);
/* The triage of issue_id at etag is done: its etag is set and the claim
 * dropped. Call it inside the transaction that records the decision, so that
 * both commit together or neither does (a triage cut short is done again). */
int store_issue_done(store *s, int64_t issue_id, const char *etag);

/* --- duplicate grouping: one report per issue --- */

typedef struct store_report {
	int64_t issue_id;
	int64_t repo_id;
	int64_t reported_at;
	char *fingerprint;     /* or NULL when the issue shows no error */
	char *content_hash;
	char *signature;       /* normalized frames for similarity, or NULL */
	char *relation;        /* "new" | "consolidated" | "duplicate" | "similar" */
	int64_t duplicate_of;  /* the earlier issue, 0 for "new" */
	double similarity;
} store_report;

typedef struct store_reports {
	store_report *v;
	size_t n;
} store_reports;

void store_report_init(store_report *r);
void store_report_free(store_report *r);
/* Insert or replace the report of r->issue_id (an edited issue is re-grouped). */
int store_report_save(store *s, const store_report *r);
/* 1 and fills out if the issue has a report, 0 if not, -1 on error. */
int store_report_get(store *s, int64_t issue_id, store_report *out);
/* Other issues' reports in the repository that could match a new one: the same
 * fingerprint or content at any time, or any report since `since` (for the
 * similarity score). Oldest first, at most limit. */
int store_reports_candidates(store *s, int64_t repo_id, int64_t issue_id,
			     const char *fingerprint, const char *content_hash, int64_t since,
			     size_t limit, store_reports *out);
void store_reports_free(store_reports *list);

/* --- what the command center shows --- */

typedef struct store_feed_item {
	int64_t issue_id;
	char *repo;            /* slug */
	int number;
	char *title;
	char *route;
	char *assignee;        /* or NULL */
	double confidence;
	int64_t decided_at;
	char *duplicate_of;    /* "#12" when the report joined an earlier issue, or NULL */
	char *manual;          /* the last manual action applied ("reassign", ...), or NULL */
	char *url;             /* or NULL */
	int64_t folds_into;    /* the earlier issue this one repeats (consolidated or
				  duplicate, not merely similar), 0 if none */
} store_feed_item;

typedef struct store_feed {
	store_feed_item *v;
	size_t n;
} store_feed;

/* The latest decision of each issue, newest first, at most limit. The assignee
 * is whoever has the issue now (after any manual change), NULL if nobody. */
int store_feed_list(store *s, size_t limit, store_feed *out);
void store_feed_free(store_feed *f);

typedef struct store_load_item {
	char *email;
	int open;              /* assignments in status "assigned" */
	char *name;            /* who they are, when the screen knows (freed here) */
} store_load_item;

typedef struct store_load {
	store_load_item *v;
	size_t n;
} store_load;

/* Open assignments per developer, most first. */
int store_load_list(store *s, store_load *out);
void store_load_free(store_load *l);

/* --- the history index and the blame cache (core/history, core/blame) --- */

struct history;
/* Replace the index saved for the repository with h (in one transaction). */
int store_history_save(store *s, int64_t repo_id, const struct history *h);
/* Load the saved index into an empty h, in one transaction (a concurrent save is
 * seen whole or not at all): 1 if there was one, 0 if not or if its rows do not
 * fit together (then h is left empty, to be built again), -1 on error. */
int store_history_load(store *s, int64_t repo_id, struct history *h);

/* The cached blame of a blob at a path: its owners as text (core/blame's
 * encoding). 1 and *owners (free it) if cached, 0 if not, -1 on error. */
int store_blame_get(store *s, int64_t repo_id, const unsigned char oid[20], const char *path,
		    char **owners);
int store_blame_put(store *s, int64_t repo_id, const unsigned char oid[20], const char *path,
		    const char *owners);

/* The packed trace map (core/trace_map) saved for repo_id, if it is of this
 * tree: 1 and *data, *len (free data), 0 if not, -1 on error. */
int store_trace_map_get(store *s, int64_t repo_id, const unsigned char tree[20], void **data,
			size_t *len);
/* Save the packed trace map of a tree, replacing the repository's last one. */
int store_trace_map_put(store *s, int64_t repo_id, const unsigned char tree[20], const void *data,
			size_t len);

/* --- the bus factor's risky files, saved with the index (core/history_store) --- */

typedef struct store_risk_row {
	char *repo;          /* slug (filled by store_risk_load) */
	char *path;
	char *owner;         /* the only active author's email; NULL: nobody active left */
	char *partner;       /* suggested knowledge-transfer partner, or NULL */
	double share;        /* the owner's share of the changes, percent */
	bool critical;
} store_risk_row;

typedef struct store_risk {
	store_risk_row *v;
	size_t n;
	char **repos;        /* per repository saved (store_risk_load): its slug, */
	size_t *risky;       /* and how many of its files were risky in all */
	size_t nrepos;
} store_risk;

void store_risk_row_free(store_risk_row *row);
void store_risk_free(store_risk *r);
/* The key the saved rows of repo_id were computed for: 1 and *key (free it),
 * 0 if none are saved, -1 on error. */
int store_risk_key(store *s, int64_t repo_id, char **key);
/* Replace repo_id's saved rows (in this order) in one transaction. */
int store_risk_save(store *s, int64_t repo_id, const char *key, size_t truck_factor,
		    size_t risky, const store_risk *r);
/* Every repository's saved rows, by repository slug, then in saved order. */
int store_risk_load(store *s, store_risk *out);

/* --- a repository's own calibration (mahoraga calibrate --save) --- */

typedef struct store_calibration {
	int64_t repo_id;
	double platt_a, platt_b;  /* confidence = sigmoid(a * logit(p) + b) */
	int64_t fixes;            /* replays it was fitted on */
	double top1, ece;         /* their top-1 accuracy and calibration error, percent/points */
	int64_t computed_at;
} store_calibration;

/* Save (replace) repo_id's calibration. */
int store_calibration_save(store *s, int64_t repo_id, double a, double b, size_t fixes, double top1,
			   double ece);
/* repo_id's calibration: 1 and *out, 0 if none is saved, -1 on error. */
int store_calibration_get(store *s, int64_t repo_id, store_calibration *out);
/* Every saved calibration, by repository slug: *slugs (free each and the
 * array) and *out, *n of them. */
int store_calibration_list(store *s, char ***slugs, store_calibration **out, size_t *n);

/* --- triage decisions --- */

typedef struct store_decision {
	int64_t id;
	int64_t issue_id;
	int64_t created_at;
	char *language;
	char *error_type;
	char *error_message;
	char *stack_trace;
	char *fingerprint;
	char *affected_files;  /* JSON array of repository paths */
	char *root_cause;
	char *explanation;
	char *reasoning;       /* the paragraph a human reads */
	double confidence;     /* 0..100 */
	char *route;           /* "draft_fix" | "assign" | "human" */
	char *assignee_email;
	char *draft_branch;
	char *draft_url;
	char *draft_diff;
	int64_t processing_ms;
	char *timings;         /* JSON object: stage -> ms */
	char *full_json;       /* the whole decision as `triage --format json` prints it */
} store_decision;

void store_decision_init(store_decision *d);
void store_decision_free(store_decision *d);
/* Record a decision; sets id (and created_at when 0). */
int store_decision_record(store *s, store_decision *d);
int store_decision_get(store *s, int64_t id, store_decision *out);
/* The newest decision for an issue. */
int store_decision_latest(store *s, int64_t issue_id, store_decision *out);

/* --- assignments: who has which issue, with history --- */

typedef struct store_assignment {
	int64_t id;
	int64_t issue_id;
	int64_t decision_id;   /* 0 when assigned by hand */
	char *assignee_email;
	double confidence;
	char *reasoning;
	char *status;          /* "assigned" | "completed" | "reassigned" */
	char *note;            /* reason given for a manual change, or NULL */
	int64_t created_at;
	int64_t updated_at;
	int by_hand;           /* a person decided: someone who had the issue may have it again */
} store_assignment;

typedef struct store_assignments {
	store_assignment *v;
	size_t n;
} store_assignments;

void store_assignment_init(store_assignment *a);
void store_assignment_free(store_assignment *a);
/* Assign an issue: the current assignment (if any) becomes "reassigned" and a new
 * "assigned" row is added, atomically. Nothing changes when the assignee has
 * the issue now (a.id is then the open assignment's). Refused (-1, STORE_ELOOP
 * from store_errcode) when the assignee had this issue before and lost it. */
int store_assign(store *s, store_assignment *a);
/* Close the open assignment of an issue (it goes to human triage) with a note;
 * 1 done, 0 none open. */
int store_unassign(store *s, int64_t issue_id, const char *note);
/* The open assignment of an issue: 1 found (into out), 0 none, -1 error. */
int store_assignment_open(store *s, int64_t issue_id, store_assignment *out);
/* 1 if email was ever assigned this issue, else 0 (-1 error). */
int store_was_assigned(store *s, int64_t issue_id, const char *email);
/* Mark the current assignment of an issue completed; 1 done, 0 none open. */
int store_assignment_complete(store *s, int64_t issue_id);
/* Every assignment of an issue, oldest first. */
int store_assignment_history(store *s, int64_t issue_id, store_assignments *out);
void store_assignments_free(store_assignments *list);
/* Number of open ("assigned") issues of a developer: the workload. */
int store_workload(store *s, const char *email, int *count);

/* --- expertise cache, keyed by repository, revision and path --- */

typedef struct store_expertise {
	int64_t repo_id;
	char *rev;
	char *path;
	char *email;
	char *name;
	double score;
	double decayed;
	int commits;
	int lines_owned;
	int64_t first_commit;
	int64_t last_commit;
	int64_t calculated_at;
} store_expertise;

typedef struct store_expertise_list {
	store_expertise *v;
	size_t n;
} store_expertise_list;

void store_expertise_free(store_expertise *e);
/* Insert or replace one developer's expertise for a file at a revision. */
int store_expertise_put(store *s, const store_expertise *e);
/* The cached developers of path at rev, ranked by score. */
int store_expertise_get(store *s, int64_t repo_id, const char *rev, const char *path,
			store_expertise_list *out);
void store_expertise_list_free(store_expertise_list *list);

/* Who knows each of the bus factor's risky files (the expertise of its
 * developers, best first), saved beside the risk rows by the worker: all of a
 * repository's at once, replacing the last (their rev is ignored). */
int store_risk_knowers_save(store *s, int64_t repo_id, const store_expertise_list *all);
/* The saved knowers of path in repository slug, best first (none: n == 0). */
int store_risk_knowers(store *s, const char *slug, const char *path, store_expertise_list *out);

/* --- manual triage: what a person decided in the command center ---
 * The screen records an action as pending and hands its id to the worker, which
 * applies it (core/manual) and marks it done or failed; pending actions left by a
 * crash are applied by the next cycle. */

typedef struct store_manual {
	int64_t id;
	int64_t issue_id;
	char *kind;            /* "accept" | "reassign" | "human" | "approve_draft" |
				  "reject_draft" | "retriage" */
	char *assignee_email;  /* reassign: to whom */
	char *reason;          /* what the person said, or NULL */
	char *state;           /* "pending" | "done" | "failed" */
	char *result;          /* what was done, or why not */
	int64_t created_at;
	int64_t done_at;
} store_manual;

typedef struct store_manuals {
	store_manual *v;
	size_t n;
} store_manuals;

void store_manual_init(store_manual *m);
void store_manual_free(store_manual *m);
/* Record a pending action (kind, issue, assignee, reason); sets id and state. */
int store_manual_add(store *s, store_manual *m);

/* How often people kept the assignee a decision proposed, by its confidence:
 * per band of ten (0-9 ... 90-99, 100), kept[b] issues whose first manual
 * action was an accept and of[b] whose first was an accept, a reassignment or
 * human triage (the decision in force then proposed someone). The live
 * calibration on a team's own issues. Returns 0, or -1. */
int store_agreement(store *s, int kept[11], int of[11]);
/* 1 found, 0 not, -1 error. */
int store_manual_get(store *s, int64_t id, store_manual *out);
/* Pending actions, oldest first. */
int store_manual_pending(store *s, store_manuals *out);
/* Every action on an issue, oldest first. */
int store_manual_list(store *s, int64_t issue_id, store_manuals *out);
/* pending -> done or failed with what happened; 0 if it was not pending. */
int store_manual_finish(store *s, int64_t id, int ok, const char *result);
void store_manuals_free(store_manuals *list);

/* --- the worker's heartbeat: when it last finished a cycle --- */

/* Record a finished cycle (at most the last 100 are kept). */
int store_cycle_record(store *s, int64_t finished_at, size_t seen, size_t triaged,
		       size_t bad_files, size_t failed);
/* The end of the last cycle any worker finished (0 if none). */
int store_cycle_last(store *s, int64_t *finished_at);

/* --- outbound actions (GitHub comments, assignments, Slack messages) ---
 *
 * Recorded before they are attempted and after: pending -> sending -> done, or
 * failed with a retry time (back to pending when due) or for good. A row left in
 * "sending" by a crash is the caller's to reconcile with the remote side before
 * sending again; that is what keeps a kill -9 from posting a comment twice. */

typedef struct store_action {
	int64_t id;
	int64_t issue_id;      /* 0 when not about an issue */
	char *kind;            /* e.g. "github_comment", "github_assign", "slack_message" */
	char *dedup_key;       /* unique: the same action is never enqueued twice */
	char *payload;         /* JSON */
	char *state;           /* "pending" | "sending" | "done" | "failed" */
	char *result;          /* e.g. the URL of the posted comment */
	char *last_error;
	int attempts;
	int64_t next_attempt_at;
	int64_t created_at;
	int64_t updated_at;
} store_action;

void store_action_init(store_action *a);
void store_action_free(store_action *a);
/* Enqueue a pending action. If dedup_key is already known, *a is replaced by the
 * stored action and 0 is returned; a new action returns 1. */
int store_action_enqueue(store *s, store_action *a);
int store_action_get(store *s, int64_t id, store_action *out);
/* The oldest pending action due at now whose kind begins with kind_prefix
 * ("github_"; NULL: any): 1 found, 0 none. */
int store_action_next_due(store *s, int64_t now, const char *kind_prefix, store_action *out);
/* pending -> sending by holder (a worker, as issue claims name it; may be
 * NULL), counting the attempt; fails if the action is not pending. */
int store_action_begin(store *s, int64_t id, int64_t now, const char *holder);
/* Actions left "sending" by a holder that dead says is gone (a worker killed
 * mid-send on this machine) back to pending at once, for the caller to
 * reconcile with the remote side; others wait for their lease
 * (store_action_requeue_stale). Returns 0 or -1. */
int store_action_reap(store *s, bool (*dead)(const char *holder, void *arg), void *arg);
/* sending -> done with its result. */
int store_action_done(store *s, int64_t id, const char *result, int64_t now);
/* Actions left "sending" since before (a worker killed while sending) back
 * to pending: the caller reconciles with the remote side before sending again
 * (a GitHub comment is looked for by its marker first). Returns how many, or -1. */
int store_action_requeue_stale(store *s, int64_t before, int64_t now);
/* The result of the latest done action of kind about issue_id: 1 (*result,
 * to free; may be NULL), 0 none, -1 error. */
int store_action_last_result(store *s, int64_t issue_id, const char *kind, char **result);
/* How many actions of kind were ever enqueued about issue_id (any state). */
int store_action_count(store *s, int64_t issue_id, const char *kind, int *count);
/* sending -> pending again at retry_at, or failed for good when retry_at is 0. */
int store_action_failed(store *s, int64_t id, const char *error, int64_t retry_at,
			int64_t now);

/* --- outside services (GitHub, Slack): breaker, rate limit, last error --- */

typedef struct store_service {
	char *name;            /* "github" */
	breaker br;
	long rate_remaining;   /* requests left in the window, -1 unknown */
	int64_t rate_reset;    /* when it fills again (Unix seconds), 0 unknown */
	char *last_error;      /* in words, or NULL */
	int64_t backoff;       /* seconds the last secondary limit was waited out
	                        * without Retry-After (doubles), 0 none */
	int64_t error_at;
	int64_t updated_at;
	int queued;            /* its outbox actions waiting to be sent (read
	                        * by store_services_list, never saved) */
	/* this process's own, not saved: the pace of writes */
	int64_t write_pace_ms;  /* at least this long between two writes */
	int64_t last_write_ms;  /* when the last one went (CLOCK_MONOTONIC) */
} store_service;

void store_service_init(store_service *sv, const char *name);
void store_service_free(store_service *sv);
/* The service as last saved into sv (initialized with its name): 1 found, 0
 * never saved (sv left as initialized), -1 error. */
int store_service_get(store *s, store_service *sv);
/* Save sv as it is now (the last writer's view wins: it is a status). */
int store_service_put(store *s, const store_service *sv, int64_t now);
/* A spell a language model proposed, for a person to accept or reject. */
typedef struct store_proposal {
	int64_t id;
	char *spell_id;
	char *text;            /* the spell file, as proposed */
	int64_t issue_id;      /* the issue it was proposed for, 0 when gone */
	char *state;           /* "pending", "accepted", "rejected" */
	int64_t created_at, decided_at;
} store_proposal;

typedef struct store_proposals {
	store_proposal *v;
	size_t n;
} store_proposals;

void store_proposal_free(store_proposal *p);
void store_proposals_free(store_proposals *l);
/* Keep a proposal (pending); the same spell proposed again is kept once.
 * Returns 1 when new, 0 when known, -1 on error. */
int store_proposal_add(store *s, int64_t issue_id, const char *spell_id, const char *text, int64_t now);
/* The proposals in state (NULL: all), newest first. */
int store_proposals_list(store *s, const char *state, store_proposals *out);
/* One proposal: 1 found, 0 none, -1 error. */
int store_proposal_get(store *s, int64_t id, store_proposal *out);
/* A pending proposal decided ("accepted", "rejected"), or back to pending
 * from one of those (undoing an accept that could not be written). Fails
 * with STORE_ESTATE when it is not in the state from (so two people never
 * both decide it). */
int store_proposal_decide(store *s, int64_t id, const char *from, const char *to, int64_t now);

/* Take the telling of the outage of the service name that began at
 * down_since: 1 it is this caller's to tell (no one has), 0 told already,
 * -1 error. Two processes at once: one gets 1. */
int store_service_tell_down(store *s, const char *name, int64_t down_since);
/* Telling it failed: leave it to be told again. */
int store_service_untell_down(store *s, const char *name, int64_t down_since);
/* Every service saved, by name, with what waits in its outbox. */
int store_services_list(store *s, store_service **out, size_t *n);
void store_services_free(store_service *v, size_t n);

/* Error codes for store_errcode(). */
enum store_errcode {
	STORE_OK = 0,
	STORE_EDB,        /* SQLite said no */
	STORE_ENEWER,     /* the database was written by a newer mahoraga */
	STORE_ECONFLICT,  /* unique value (email, login, ...) belongs to another row */
	STORE_ELOOP,      /* the assignee already had this issue */
	STORE_ESTATE,     /* action not in the state the transition needs */
	STORE_EIO,        /* the file could not be created or opened */
};

/* The code of the last failed call on this connection. */
enum store_errcode store_errcode(store *s);

#endif
