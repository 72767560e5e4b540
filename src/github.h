/* github: a repository's issues from GitHub's REST API, the worker's third
 * source (a [repo] with a clone and no inbox, when a token is set).
 *
 * GET /repos/{owner}/{name}/issues?state=all&sort=updated&direction=asc
 * &since=...&per_page=100, following the Link header's next pages. The first
 * page carries If-None-Match with the ETag of the last answer, so an idle poll
 * is a 304, which costs no rate limit. Pull requests (the endpoint returns
 * them too) are left out; closed issues come marked closed. */
#ifndef MAHORAGA_GITHUB_H
#define MAHORAGA_GITHUB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "github_auth.h"
#include "inbox.h"
#include "store.h"

typedef struct github_client {
	const char *api_url;   /* github.api_url */
	const char *token;     /* GH_TOKEN or GITHUB_TOKEN: sent as a header, never logged */
	store_service *svc;    /* GitHub's breaker, rate limit and last error, kept
	                        * up to date by every request (NULL: none) */
	github_auth *auth;     /* when set, the token comes from it (token unused),
	                        * for requests about slug; a 401 makes it again */
	const char *slug;
} github_client;

typedef struct github_poll_state {
	char *etag;            /* of the last first page, or NULL */
	char *since;           /* the latest updated_at seen ("2026-11-20T09:00:00Z"), or NULL */
} github_poll_state;

/* Requests of a rate-limit window left alone: below this the worker waits for
 * the reset (writes, later, need them more than a poll does). */
#define GITHUB_RATE_RESERVE 50

typedef struct github_rate {
	long remaining;        /* requests left in the window, -1 unknown */
	int64_t reset;         /* when it is full again (Unix seconds), 0 unknown */
	int requests;          /* made by this poll */
	int64_t wait_until;    /* when a limit was hit: not before this (Unix seconds), else 0 */
} github_rate;

/* The issues of slug updated since st->since, appended to out; st is updated
 * (etag, since) when new ones came. Returns 1 when nothing changed (a 304),
 * 0 with issues (perhaps none), -1 with *err set (nothing appended). */
int github_poll_issues(const github_client *g, const char *slug, github_poll_state *st, inbox_list *out,
		       github_rate *rate, char **err);

/* The triage comment on issue number of slug, found by COMMENT_MARKER at the
 * start of its body: *id 0 when there is none. Returns 0, or -1 (*err). */
int github_find_comment(const github_client *g, const char *slug, int number, int64_t *id, char **err);

/* Post body as a comment on the issue, or (id non-zero) edit comment id to say
 * body; *url (to free) is the comment's page. Returns 0, or -1 (*err). */
int github_put_comment(const github_client *g, const char *slug, int number, int64_t id, const char *body,
		       char **url, char **err);

/* Add login to the issue's assignees (the others stay), or, remove, take
 * it off. GitHub leaves out silently who cannot be assigned: that is an
 * error here, and a lasting one. Returns 0, -1 (*err), or -2 (*err) when
 * GitHub did not assign them (asking again changes nothing). */
int github_assignee(const github_client *g, const char *slug, int number, const char *login, bool remove,
		    char **err);

/* Add the n labels to the issue, creating first those the repository lacks.
 * Returns 0, or -1 (*err). */
int github_add_labels(const github_client *g, const char *slug, int number, const char *const *labels, size_t n,
		      char **err);

/* The login of the account GitHub matched to commit sha's author (*login NULL
 * when its e-mail is no account's). Returns 0, or -1 (*err). */
int github_commit_login(const github_client *g, const char *slug, const char *sha, char **login, char **err);

/* Any request of the API: method on path ("/repos/o/r/git/blobs") with a
 * JSON payload (or NULL). Returns 0 when GitHub answered, with *status and
 * *answer (its JSON, NULL when the body is none; to decref), or -1 (*err). */
int github_api(const github_client *g, const char *method, const char *path, json_t *payload, long *status,
	       json_t **answer, char **err);

#endif
