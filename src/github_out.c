/* The outbox's GitHub actions, sent (see github_out.h). */
#include "github_out.h"

#include <git2.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "comment.h"
#include "github.h"
#include "outbox.h"
#include "strbuf.h"
#include "xalloc.h"

/* How long an action may stay "sending" before it counts as a dead worker's. */
#define ACTION_LEASE_SECONDS 300
/* How long "GitHub knows no login for this e-mail" is believed. */
#define LOGIN_RECHECK_SECONDS (7L * 24 * 3600)
/* How far back a clone is searched for one commit of a person's. */
#define LOGIN_MAX_WALK 200000

struct out {
	store *db;
	const config *cfg;
	github_client g;
	FILE *log;
	time_t now;
};

static void say(const struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(const struct out *o, const char *fmt, ...)
{
	if (!o->log)
		return;
	va_list ap;
	va_start(ap, fmt);
	vfprintf(o->log, fmt, ap);
	va_end(ap);
	fputc('\n', o->log);
	fflush(o->log);
}

/* One commit of email's in the clone of slug, newest first: 1 (hex), 0 none. */
static int commit_of(const struct out *o, const char *slug, const char *email, char hex[GIT_OID_HEXSZ + 1])
{
	const char *path = NULL;
	for (size_t i = 0; i < o->cfg->n_repos && !path; i++)
		if (strcasecmp(o->cfg->repos[i].slug, slug) == 0 && !o->cfg->repos[i].problem)
			path = o->cfg->repos[i].path;
	git_repository *repo = NULL;
	git_revwalk *walk = NULL;
	int found = 0;
	if (!path || git_repository_open_ext(&repo, path, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0 ||
	    git_revwalk_new(&walk, repo) < 0 || git_revwalk_push_head(walk) < 0)
		goto out;
	git_revwalk_sorting(walk, GIT_SORT_TIME);
	git_oid id;
	for (int n = 0; !found && n < LOGIN_MAX_WALK && git_revwalk_next(&id, walk) == 0; n++) {
		git_commit *c;
		if (git_commit_lookup(&c, repo, &id) < 0)
			continue;
		const git_signature *a = git_commit_author(c);
		if (a && a->email && strcasecmp(a->email, email) == 0) {
			git_oid_tostr(hex, GIT_OID_HEXSZ + 1, &id);
			found = 1;
		}
		git_commit_free(c);
	}
out:
	git_revwalk_free(walk);
	git_repository_free(repo);
	return found;
}

/* email's GitHub login: known (store_login_of), or learnt from GitHub's
 * account for one of their commits and kept. 1 (*login), 0 none, -1 (*err:
 * try again later). */
static int login_for(const struct out *o, const char *slug, const char *email, char **login, char **err)
{
	int known = store_login_of(o->db, email, login);
	if (known != 0) {
		if (known < 0)
			*err = xstrdup(store_error(o->db));
		return known;
	}
	char *none = NULL;
	int64_t when = 0;
	int asked = store_login_learnt(o->db, email, &none, &when);
	free(none);
	if (asked < 0) {
		*err = xstrdup(store_error(o->db));
		return -1;
	}
	if (asked == 1 && o->now - when < LOGIN_RECHECK_SECONDS)
		return 0;
	char hex[GIT_OID_HEXSZ + 1];
	if (commit_of(o, slug, email, hex) == 1 && github_commit_login(&o->g, slug, hex, login, err) < 0)
		return -1;
	if (store_login_learn(o->db, email, *login, o->now) < 0) {
		*err = xstrdup(store_error(o->db));
		free(*login);
		*login = NULL;
		return -1;
	}
	return *login != NULL;
}

/* The assignee: email added, previous (the one mahoraga had set) taken off.
 * Returns 0 with *result, -1 (*err) to try again, -2 (*err) for good. */
static int send_assign(const struct out *o, const char *repo, int number, json_t *p, char **result, char **err)
{
	const char *email = json_string_value(json_object_get(p, "email"));
	const char *previous = json_string_value(json_object_get(p, "previous"));
	char *login = NULL, *old = NULL;
	strbuf said = STRBUF_INIT;
	int rc = 0, have = 0, had = 0;
	if (email && (have = login_for(o, repo, email, &login, err)) < 0)
		rc = -1;
	if (rc == 0 && have)
		rc = github_assignee(&o->g, repo, number, login, false, err);
	if (rc == 0 && email)
		strbuf_addf(&said, have ? "assigned to @%s" : "no GitHub login known for %s: named in the comment",
			    have ? login : email);
	if (rc == 0 && previous && (had = login_for(o, repo, previous, &old, err)) < 0)
		rc = -1;
	if (rc == 0 && had && !(have && strcasecmp(old, login) == 0)) {
		rc = github_assignee(&o->g, repo, number, old, true, err);
		if (rc == 0)
			strbuf_addf(&said, "%s@%s unassigned", said.len ? ", " : "", old);
	}
	if (rc == 0)
		*result = said.len ? strbuf_detach(&said) : xstrdup("nothing to change");
	strbuf_release(&said);
	free(login);
	free(old);
	return rc;
}

/* The decision's labels, with the prefix, added. */
static int send_labels(const struct out *o, const char *repo, int number, json_t *p, char **result, char **err)
{
	const char *prefix = config_str(o->cfg, CFG_GITHUB_LABEL_PREFIX);
	json_t *labels = json_object_get(p, "labels");
	size_t n = json_array_size(labels), k = 0;
	char **names = xcalloc(n + 1, sizeof(*names));
	strbuf said = STRBUF_INIT;
	for (size_t i = 0; i < n; i++) {
		const char *l = json_string_value(json_array_get(labels, i));
		if (!l || !*l)
			continue;
		names[k] = xasprintf("%s%s", prefix ? prefix : "", l);
		strbuf_addf(&said, "%s%s", k ? ", " : "labelled ", names[k]);
		k++;
	}
	int rc = github_add_labels(&o->g, repo, number, (const char *const *)names, k, err);
	if (rc == 0)
		*result = k ? strbuf_detach(&said) : xstrdup("no labels");
	strbuf_release(&said);
	for (size_t i = 0; i < k; i++)
		free(names[i]);
	free(names);
	return rc;
}

/* The triage comment, edited if its marker is found, posted if not. */
static int send_comment(const struct out *o, const char *repo, int number, int64_t issue_id, char **result,
			char **err)
{
	store_decision d;
	store_decision_init(&d);
	json_t *decision = NULL;
	int64_t id = 0;
	int rc = -1;
	if (store_decision_latest(o->db, issue_id, &d) != 1 || !d.full_json ||
	    !(decision = json_loads(d.full_json, 0, NULL))) {
		*err = xstrdup("its decision cannot be read");
		rc = -2;
	} else if (github_find_comment(&o->g, repo, number, &id, err) == 0) {
		char *body = comment_markdown(decision, o->db), *url = NULL;
		if (github_put_comment(&o->g, repo, number, id, body, &url, err) == 0) {
			say(o, "%s#%d: comment %s", repo, number, id ? "edited" : "posted");
			*result = url;
			rc = 0;
		}
		free(body);
	}
	json_decref(decision);
	store_decision_free(&d);
	return rc;
}

/* One action, begun (sending): done, or failed to be tried again. */
static void send_one(struct out *o, const store_action *a)
{
	json_t *p = json_loads(a->payload, 0, NULL);
	const char *repo = json_string_value(json_object_get(p, "repo"));
	o->g.slug = repo; /* whose credentials (an App's are per owner) */
	int number = (int)json_integer_value(json_object_get(p, "number"));
	char *err = NULL, *result = NULL;
	int rc = -2;
	if (!repo || !number)
		err = xasprintf("not an action this worker sends (%s)", a->kind);
	else if (strcmp(a->kind, OUTBOX_COMMENT) == 0)
		rc = send_comment(o, repo, number, a->issue_id, &result, &err);
	else if (strcmp(a->kind, OUTBOX_ASSIGN) == 0)
		rc = send_assign(o, repo, number, p, &result, &err);
	else if (strcmp(a->kind, OUTBOX_LABELS) == 0)
		rc = send_labels(o, repo, number, p, &result, &err);
	else
		err = xasprintf("not an action this worker sends (%s)", a->kind);
	if (rc == 0) {
		if (strcmp(a->kind, OUTBOX_COMMENT) != 0)
			say(o, "%s#%d: %s", repo, number, result);
		if (store_action_done(o->db, a->id, result, o->now) < 0)
			say(o, "outbox: %s", store_error(o->db));
	} else {
		/* again later, a minute more each time; what cannot be done at
		 * all, or has failed 10 times, is failed for good */
		bool again = rc == -1 && a->attempts < 10;
		say(o, "%s#%d: %s not done: %s", repo ? repo : "?", number, a->kind, err ? err : "?");
		if (store_action_failed(o->db, a->id, err, again ? o->now + 60L * (a->attempts + 1) : 0, o->now) < 0)
			say(o, "outbox: %s", store_error(o->db));
	}
	free(result);
	free(err);
	json_decref(p);
}

void github_out_send(store *db, const config *cfg, github_auth *auth, store_service *svc, const bool *stop,
		     FILE *log)
{
	if (!config_bool(cfg, CFG_GITHUB_WRITE) || !github_auth_available(auth))
		return;
	struct out o = { db, cfg, { config_str(cfg, CFG_GITHUB_API_URL), NULL, svc, auth, NULL }, log, time(NULL) };
	if (store_action_requeue_stale(db, o.now - ACTION_LEASE_SECONDS, o.now) < 0)
		say(&o, "outbox: %s", store_error(db));
	store_action a;
	store_action_init(&a);
	while (!(stop && __atomic_load_n(stop, __ATOMIC_ACQUIRE)) && store_action_next_due(db, o.now, &a) == 1) {
		if (store_action_begin(db, a.id, o.now) < 0) {
			bool taken = store_errcode(db) == STORE_ESTATE; /* another worker took it first */
			if (!taken)
				say(&o, "outbox: %s", store_error(db));
			store_action_free(&a);
			if (taken)
				continue;
			break;
		}
		send_one(&o, &a);
		store_action_free(&a);
	}
}
