/* A repository's issues from GitHub's REST API (github.h). */
#include "github.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "comment.h"
#include "github_json.h"
#include "http.h"
#include "link_header.h"
#include "service.h"
#include "xalloc.h"

/* The headers of every request: JSON, the API version, the token, one
 * more (If-None-Match) or NULL. */
static void headers_of(const char *token, const char *headers[5], char **auth, const char *extra)
{
	*auth = token ? xasprintf("Authorization: Bearer %s", token) : NULL;
	size_t n = 0;
	headers[n++] = "Accept: application/vnd.github+json";
	headers[n++] = "X-GitHub-Api-Version: 2022-11-28";
	if (*auth)
		headers[n++] = *auth;
	if (extra)
		headers[n++] = extra;
	headers[n] = NULL;
}

/* One request of the API (a JSON payload, or NULL), through the service's
 * breaker: not sent while it is open; each attempt without an answer, or
 * answered 5xx, counts as a failure, an answer closes it. The rate limit and
 * the last error are kept on the service for the status line. */
static int call(const github_client *g, const char *method, const char *url, const char *extra, json_t *payload,
		http_response *r, char **err)
{
	if (service_before(g->svc, "GitHub", method, err) < 0)
		return -1;
	char *body = payload ? json_dumps(payload, JSON_COMPACT) : NULL;
	int rc = -1;
	/* a refused installation token is made again, once */
	for (int round = 0; round < 2; round++) {
		const char *token = g->token;
		if (g->auth && github_auth_token(g->auth, g->slug, &token, err) < 0)
			break;
		const char *headers[5];
		char *auth;
		headers_of(token, headers, &auth, extra);
		http_response_free(r);
		free(*err);
		*err = NULL;
		rc = http_send(method, url, headers, body, r, err);
		free(auth);
		if (rc < 0 || r->status != 401 || !g->auth || !github_auth_refused(g->auth, g->slug))
			break;
	}
	free(body);
	/* the path names what was asked; a token is never in it */
	const char *path = strstr(url, "/repos/");
	service_after(g->svc, rc, r, method, path ? path : url, *err);
	return rc;
}

int github_poll_issues(const github_client *g, const char *slug, github_poll_state *st, inbox_list *out,
		       github_rate *rate, char **err)
{
	char *url = xasprintf("%s/repos/%s/issues?state=all&sort=updated&direction=asc&per_page=100%s%s", g->api_url,
			      slug, st->since ? "&since=" : "", st->since ? st->since : "");
	char *match = st->etag ? xasprintf("If-None-Match: %s", st->etag) : NULL;
	size_t before = out->n;
	char *latest = NULL, *first_etag = NULL;
	int rc = 0;
	for (int page = 0; url && rc == 0; page++) {
		http_response r;
		http_response_init(&r);
		if (call(g, "GET", url, page == 0 ? match : NULL, NULL, &r, err) < 0) {
			rc = -1;
		} else {
			rate->requests += r.attempts;
			if (r.rate_remaining >= 0) {
				rate->remaining = r.rate_remaining;
				rate->reset = r.rate_reset;
			}
			free(url);
			url = NULL;
			if ((r.status == 304 || r.status == 200) && g->svc)
				g->svc->backoff = 0; /* answered: the next limit starts at a minute */
			if (r.status == 304) {
				rc = 1; /* nothing new: it cost no rate limit */
			} else if (r.status == 200) {
				if (page == 0 && r.etag)
					first_etag = xstrdup(r.etag);
				rc = github_json_issues(slug, r.body, r.len, out, &latest, err);
				url = rc == 0 ? link_next(r.link) : NULL;
			} else if ((r.status == 403 || r.status == 429) &&
				   (r.rate_remaining == 0 || r.retry_after >= 0 || r.status == 429 ||
				    (r.body && strcasestr(r.body, "rate limit")))) {
				/* a limit: not asked again before it says (the reset of a
				 * spent limit, Retry-After), else at least a minute,
				 * doubling while the secondary limit goes on (up to an hour) */
				time_t now = time(NULL);
				int64_t backoff = 60;
				bool quiet = r.retry_after < 0 && !(r.rate_remaining == 0 && r.rate_reset > now);
				if (g->svc && quiet) {
					backoff = g->svc->backoff ? g->svc->backoff * 2 : 60;
					g->svc->backoff = backoff > 3600 ? 3600 : backoff;
					backoff = g->svc->backoff;
				}
				rate->wait_until = r.retry_after >= 0 ? now + r.retry_after
						   : r.rate_remaining == 0 && r.rate_reset > now ? r.rate_reset : now + backoff;
				*err = xasprintf("GitHub's rate limit: not asked again for %lld s",
						 (long long)(rate->wait_until - now));
				rc = -1;
			} else {
				/* 401, 404: the token cannot read it; said with the status only */
				*err = xasprintf("GitHub answered %ld%s", r.status,
						 r.status == 401 ? " (the token is not accepted)"
						 : r.status == 404 ? " (no such repository, or the token cannot see it)" : "");
				rc = -1;
			}
		}
		http_response_free(&r);
	}
	free(url);
	free(match);
	if (rc < 0) {
		while (out->n > before)
			inbox_issue_free(&out->v[--out->n]);
	} else if (rc == 0) {
		free(st->etag);
		st->etag = NULL;
		if (latest && (!st->since || strcmp(latest, st->since) != 0)) {
			/* a later since is another query: its first answer has an ETag
			 * of its own (and brings the last issue again: since is >=) */
			free(st->since);
			st->since = latest;
			latest = NULL;
		} else {
			/* the same query again next time: a 304 while nothing changes */
			st->etag = first_etag;
			first_etag = NULL;
		}
	}
	free(first_etag);
	free(latest);
	return rc;
}

int github_find_comment(const github_client *g, const char *slug, int number, int64_t *id, char **err)
{
	*id = 0;
	char *url = xasprintf("%s/repos/%s/issues/%d/comments?per_page=100", g->api_url, slug, number);
	int rc = 0;
	while (url && rc == 0 && !*id) {
		http_response r;
		http_response_init(&r);
		if (call(g, "GET", url, NULL, NULL, &r, err) < 0) {
			rc = -1;
		} else if (r.status != 200) {
			*err = xasprintf("%s#%d: reading its comments: GitHub answered %ld", slug, number, r.status);
			rc = -1;
		} else if (github_json_marked_comment(r.body, r.len, COMMENT_MARKER, id, err) < 0) {
			char *why = *err;
			*err = xasprintf("%s#%d: %s", slug, number, why);
			free(why);
			rc = -1;
		}
		free(url);
		url = rc == 0 && !*id ? link_next(r.link) : NULL;
		http_response_free(&r);
	}
	free(url);
	return rc;
}

int github_put_comment(const github_client *g, const char *slug, int number, int64_t id, const char *body,
		       char **url, char **err)
{
	*url = NULL;
	char *to = id ? xasprintf("%s/repos/%s/issues/comments/%lld", g->api_url, slug, (long long)id)
		      : xasprintf("%s/repos/%s/issues/%d/comments", g->api_url, slug, number);
	json_t *j = json_pack("{s:s}", "body", body);
	http_response r;
	http_response_init(&r);
	int rc = call(g, id ? "PATCH" : "POST", to, NULL, j, &r, err);
	json_decref(j);
	if (rc == 0 && r.status != (id ? 200 : 201)) {
		*err = xasprintf("%s#%d: %s the comment: GitHub answered %ld", slug, number, id ? "editing" : "posting",
				 r.status);
		rc = -1;
	} else if (rc == 0) {
		*url = github_json_html_url(r.body, r.len);
		if (!*url)
			*url = xstrdup(to);
	}
	http_response_free(&r);
	free(to);
	return rc;
}

int github_assignee(const github_client *g, const char *slug, int number, const char *login, bool remove,
		    char **err)
{
	char *url = xasprintf("%s/repos/%s/issues/%d/assignees", g->api_url, slug, number);
	json_t *p = json_pack("{s:[s]}", "assignees", login);
	http_response r;
	http_response_init(&r);
	int rc = call(g, remove ? "DELETE" : "POST", url, NULL, p, &r, err);
	if (rc == 0 && r.status != (remove ? 200 : 201)) {
		*err = xasprintf("%s#%d: %s @%s: GitHub answered %ld", slug, number, remove ? "unassigning" : "assigning",
				 login, r.status);
		rc = -1;
	} else if (rc == 0 && !remove && !github_json_assigned(r.body, r.len, login)) {
		/* GitHub leaves out, silently, who cannot be assigned there */
		*err = xasprintf("%s#%d: GitHub did not assign @%s (not someone who can be assigned in %s)", slug,
				 number, login, slug);
		rc = -2;
	}
	http_response_free(&r);
	json_decref(p);
	free(url);
	return rc;
}

/* The colour of the labels mahoraga creates: GitHub's own default grey. */
#define LABEL_COLOR "ededed"

int github_add_labels(const github_client *g, const char *slug, int number, const char *const *labels, size_t n,
		      char **err)
{
	int rc = 0;
	char *url = xasprintf("%s/repos/%s/labels", g->api_url, slug);
	for (size_t i = 0; i < n && rc == 0; i++) {
		/* created where missing: 422 "already_exists" is the usual answer */
		json_t *p = json_pack("{s:s, s:s, s:s}", "name", labels[i], "color", LABEL_COLOR, "description",
				      "added by mahoraga's triage");
		http_response r;
		http_response_init(&r);
		rc = call(g, "POST", url, NULL, p, &r, err);
		if (rc == 0 && r.status != 201 && r.status != 422) {
			*err = xasprintf("%s: creating the label %s: GitHub answered %ld", slug, labels[i], r.status);
			rc = -1;
		}
		http_response_free(&r);
		json_decref(p);
	}
	free(url);
	if (rc < 0 || n == 0)
		return rc;
	url = xasprintf("%s/repos/%s/issues/%d/labels", g->api_url, slug, number);
	json_t *names = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(names, json_string(labels[i]));
	json_t *p = json_pack("{s:o}", "labels", names);
	http_response r;
	http_response_init(&r);
	rc = call(g, "POST", url, NULL, p, &r, err);
	if (rc == 0 && r.status != 200) {
		*err = xasprintf("%s#%d: labelling it: GitHub answered %ld", slug, number, r.status);
		rc = -1;
	}
	http_response_free(&r);
	json_decref(p);
	free(url);
	return rc;
}

int github_commit_login(const github_client *g, const char *slug, const char *sha, char **login, char **err)
{
	*login = NULL;
	char *url = xasprintf("%s/repos/%s/commits/%s", g->api_url, slug, sha);
	http_response r;
	http_response_init(&r);
	int rc = call(g, "GET", url, NULL, NULL, &r, err);
	if (rc == 0 && r.status != 200) {
		*err = xasprintf("%s: reading commit %.12s: GitHub answered %ld", slug, sha, r.status);
		rc = -1;
	} else if (rc == 0 && github_json_commit_login(r.body, r.len, login, err) < 0) {
		char *why = *err;
		*err = xasprintf("%s: commit %.12s: %s", slug, sha, why);
		free(why);
		rc = -1;
	}
	http_response_free(&r);
	free(url);
	return rc;
}

int github_api(const github_client *g, const char *method, const char *path, json_t *payload, long *status,
	       json_t **answer, char **err)
{
	*answer = NULL;
	*status = 0;
	char *url = xasprintf("%s%s", g->api_url, path);
	http_response r;
	http_response_init(&r);
	int rc = call(g, method, url, NULL, payload, &r, err);
	if (rc == 0) {
		*status = r.status;
		*answer = json_loadb(r.body ? r.body : "", r.len, 0, NULL);
	}
	http_response_free(&r);
	free(url);
	return rc;
}
