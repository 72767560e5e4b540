/* The outbox's GitHub actions, sent (see github_out.h). */
#include "github_out.h"

#include <git2.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "comment.h"
#include "github.h"
#include "log_line.h"
#include "outbox_run.h"
#include "outbox.h"
#include "strbuf.h"
#include "xalloc.h"

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

/* A line of the log. */
#define say(o, ...) log_line((o)->log, __VA_ARGS__)

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

/* method on path: the answer, when GitHub gave one of the statuses wanted
 * (*status says which); else NULL with *err. payload is taken. */
static json_t *api(const struct out *o, const char *method, const char *path, json_t *payload, long want,
		   long also, long *status, char **err)
{
	json_t *answer = NULL;
	int rc = github_api(&o->g, method, path, payload, status, &answer, err);
	json_decref(payload);
	if (rc < 0)
		return NULL;
	if (*status != want && *status != also) {
		const char *msg = json_string_value(json_object_get(answer, "message"));
		*err = xasprintf("%s %s: GitHub answered %ld%s%s", method, path, *status, msg ? ": " : "",
				 msg ? msg : "");
		json_decref(answer);
		return NULL;
	}
	if (!answer)
		answer = json_object();
	return answer;
}

/* What the draft commit of a clone holds: its parent, the parent's tree, the
 * changed file's path, mode and content, and its message. */
struct draft_src {
	char parent[GIT_OID_HEXSZ + 1], base_tree[GIT_OID_HEXSZ + 1];
	char mode[8];
	char *content, *message;
	size_t len;
};

static int read_draft(const struct out *o, const char *slug, const char *hex, const char *path,
		      struct draft_src *src, char **err)
{
	const char *clone = NULL;
	for (size_t i = 0; i < o->cfg->n_repos && !clone; i++)
		if (strcasecmp(o->cfg->repos[i].slug, slug) == 0 && !o->cfg->repos[i].problem)
			clone = o->cfg->repos[i].path;
	git_repository *repo = NULL;
	git_commit *c = NULL, *parent = NULL;
	git_tree *tree = NULL;
	git_tree_entry *e = NULL;
	git_blob *blob = NULL;
	git_oid id;
	int rc = -1;
	if (!clone) {
		*err = xasprintf("%s has no usable clone here", slug);
	} else if (git_repository_open_ext(&repo, clone, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0 ||
		   git_oid_fromstr(&id, hex) < 0 || git_commit_lookup(&c, repo, &id) < 0 ||
		   git_commit_parent(&parent, c, 0) < 0 || git_commit_tree(&tree, c) < 0 ||
		   git_tree_entry_bypath(&e, tree, path) < 0 || git_blob_lookup(&blob, repo, git_tree_entry_id(e)) < 0) {
		*err = xasprintf("the draft commit %.12s (%s) is no longer in %s", hex, path, clone);
	} else {
		git_oid_tostr(src->parent, sizeof(src->parent), git_commit_id(parent));
		git_oid_tostr(src->base_tree, sizeof(src->base_tree), git_commit_tree_id(parent));
		snprintf(src->mode, sizeof(src->mode), "%06o", (unsigned)git_tree_entry_filemode(e));
		src->len = (size_t)git_blob_rawsize(blob);
		src->content = xmalloc(src->len + 1);
		memcpy(src->content, git_blob_rawcontent(blob), src->len);
		src->content[src->len] = '\0';
		src->message = xstrdup(git_commit_message(c) ? git_commit_message(c) : "A drafted fix");
		rc = 0;
	}
	git_blob_free(blob);
	git_tree_entry_free(e);
	git_tree_free(tree);
	git_commit_free(parent);
	git_commit_free(c);
	git_repository_free(repo);
	return rc;
}

/* The decision's draft fix as a draft pull request, through the git data
 * API: a blob of the changed file, a tree on the parent's, a commit, the
 * branch pointed at it, the pull request. Each step may be done again after
 * a crash: a second commit object is harmless, an existing branch is moved,
 * an existing pull request is found rather than opened twice. */
static int send_draft(const struct out *o, const char *repo, int number, int64_t issue_id, json_t *p,
		      char **result, char **err)
{
	const char *branch = json_string_value(json_object_get(p, "branch"));
	store_decision d;
	store_decision_init(&d);
	json_t *decision = NULL, *j = NULL;
	struct draft_src src = { .content = NULL };
	char *path = NULL, *tmp = NULL;
	long st = 0;
	int rc = -1;
	if (store_decision_latest(o->db, issue_id, &d) != 1 || !d.full_json ||
	    !(decision = json_loads(d.full_json, 0, NULL))) {
		*err = xstrdup("its decision cannot be read");
		rc = -2;
		goto out;
	}
	const json_t *draft = json_object_get(decision, "draft_fix");
	const char *hex = json_string_value(json_object_get(draft, "commit"));
	const char *file = json_string_value(json_object_get(draft, "path"));
	if (!branch || !hex || !file || strcmp(branch, json_string_value(json_object_get(draft, "branch")) ?: "") != 0) {
		*result = xstrdup("the decision no longer has this draft");
		rc = 0;
		goto out;
	}
	if (read_draft(o, repo, hex, file, &src, err) < 0) {
		rc = -2;
		goto out;
	}
	/* the branch the pull request goes into */
	path = xasprintf("/repos/%s", repo);
	if (!(j = api(o, "GET", path, NULL, 200, 200, &st, err))) {
		free(path);
		goto out;
	}
	char *base = xstrdup(json_string_value(json_object_get(j, "default_branch")) ?: "main");
	json_decref(j);
	free(path);
	/* blob, tree, commit */
	size_t b64len = 4 * ((src.len + 2) / 3) + 1;
	unsigned char *b64 = xmalloc(b64len);
	EVP_EncodeBlock(b64, (const unsigned char *)src.content, (int)src.len);
	path = xasprintf("/repos/%s/git/blobs", repo);
	j = api(o, "POST", path, json_pack("{s:s, s:s}", "content", (char *)b64, "encoding", "base64"), 201, 201, &st,
		err);
	free(b64);
	char *blob = j ? xstrdup(json_string_value(json_object_get(j, "sha")) ?: "") : NULL;
	json_decref(j);
	free(path);
	char *tree = NULL, *commit = NULL;
	if (blob) {
		path = xasprintf("/repos/%s/git/trees", repo);
		j = api(o, "POST", path,
			json_pack("{s:s, s:[{s:s, s:s, s:s, s:s}]}", "base_tree", src.base_tree, "tree", "path", file,
				  "mode", src.mode, "type", "blob", "sha", blob),
			201, 201, &st, err);
		tree = j ? xstrdup(json_string_value(json_object_get(j, "sha")) ?: "") : NULL;
		json_decref(j);
		free(path);
		if (!tree && st == 422) {
			free(*err);
			*err = xasprintf("the draft's parent %.12s is not on GitHub: push or fetch the clone", src.parent);
			rc = -2;
		}
	}
	if (tree) {
		path = xasprintf("/repos/%s/git/commits", repo);
		j = api(o, "POST", path,
			json_pack("{s:s, s:s, s:[s]}", "message", src.message, "tree", tree, "parents", src.parent), 201,
			201, &st, err);
		commit = j ? xstrdup(json_string_value(json_object_get(j, "sha")) ?: "") : NULL;
		json_decref(j);
		free(path);
	}
	/* the branch: made, or moved when an earlier attempt made it */
	bool ref = false;
	if (commit) {
		path = xasprintf("/repos/%s/git/refs", repo);
		tmp = xasprintf("refs/heads/%s", branch);
		j = api(o, "POST", path, json_pack("{s:s, s:s}", "ref", tmp, "sha", commit), 201, 422, &st, err);
		free(path);
		free(tmp);
		tmp = NULL;
		ref = j != NULL;
		json_decref(j);
		if (ref && st == 422) {
			path = xasprintf("/repos/%s/git/refs/heads/%s", repo, branch);
			j = api(o, "PATCH", path, json_pack("{s:s, s:b}", "sha", commit, "force", 1), 200, 200, &st, err);
			ref = j != NULL;
			json_decref(j);
			free(path);
		}
	}
	/* the pull request: opened, or found when an earlier attempt opened it */
	if (ref) {
		char *title = comment_draft_title(decision), *body = comment_draft_body(decision, number);
		path = xasprintf("/repos/%s/pulls", repo);
		j = api(o, "POST", path,
			json_pack("{s:s, s:s, s:s, s:s, s:b}", "title", title, "head", branch, "base", base, "body", body,
				  "draft", 1),
			201, 422, &st, err);
		free(path);
		free(title);
		free(body);
		if (j && st == 201) {
			const char *u = json_string_value(json_object_get(j, "html_url"));
			*result = xasprintf("draft pull request %s", u ? u : "opened");
			rc = 0;
		} else if (j) {
			char *owner = xstrndup(repo, strcspn(repo, "/"));
			path = xasprintf("/repos/%s/pulls?state=all&head=%s:%s", repo, owner, branch);
			json_decref(j);
			j = api(o, "GET", path, NULL, 200, 200, &st, err);
			const char *u = json_string_value(json_object_get(json_array_get(j, 0), "html_url"));
			if (u) {
				*result = xasprintf("draft pull request %s (opened before)", u);
				rc = 0;
			} else if (j) {
				*err = xasprintf("%s: GitHub refused the pull request of %s and has none for it", repo,
						 branch);
			}
			free(owner);
			free(path);
		}
		json_decref(j);
	}
	free(blob);
	free(tree);
	free(commit);
	free(base);
out:
	free(src.content);
	free(src.message);
	json_decref(decision);
	store_decision_free(&d);
	return rc;
}

/* The open pull request of branch (payload's "branch"): 0 with *pr (a new
 * reference; NULL when there is none), -1 (*err) to try again, -2 (*err)
 * when no branch is named. */
static int open_pull(const struct out *o, const char *repo, const char *branch, json_t **pr, char **err)
{
	*pr = NULL;
	if (!branch) {
		*err = xstrdup("no branch named");
		return -2;
	}
	long st = 0;
	char *owner = xstrndup(repo, strcspn(repo, "/"));
	char *path = xasprintf("/repos/%s/pulls?state=open&head=%s:%s", repo, owner, branch);
	json_t *pulls = api(o, "GET", path, NULL, 200, 200, &st, err);
	free(path);
	free(owner);
	if (!pulls)
		return -1;
	*pr = json_incref(json_array_get(pulls, 0));
	json_decref(pulls);
	return 0;
}

/* A rejected draft: its open pull request closed, its branch deleted. */
static int send_draft_close(const struct out *o, const char *repo, json_t *p, char **result, char **err)
{
	const char *branch = json_string_value(json_object_get(p, "branch"));
	json_t *pr = NULL;
	int got = open_pull(o, repo, branch, &pr, err);
	if (got < 0)
		return got;
	json_int_t n = json_integer_value(json_object_get(pr, "number"));
	json_decref(pr);
	long st = 0;
	char *path;
	strbuf said = STRBUF_INIT;
	int rc = 0;
	if (n > 0) {
		path = xasprintf("/repos/%s/pulls/%lld", repo, (long long)n);
		json_t *j = api(o, "PATCH", path, json_pack("{s:s}", "state", "closed"), 200, 200, &st, err);
		free(path);
		rc = j ? 0 : -1;
		json_decref(j);
		if (rc == 0)
			strbuf_addf(&said, "draft pull request #%lld closed", (long long)n);
	}
	if (rc == 0) {
		/* 422: the branch is gone already */
		path = xasprintf("/repos/%s/git/refs/heads/%s", repo, branch);
		json_t *j = api(o, "DELETE", path, NULL, 204, 422, &st, err);
		free(path);
		rc = j ? 0 : -1;
		json_decref(j);
		if (rc == 0)
			strbuf_addf(&said, "%sbranch %s %s on GitHub", said.len ? ", " : "", branch,
				    st == 204 ? "deleted" : "already gone");
	}
	if (rc == 0)
		*result = strbuf_detach(&said);
	strbuf_release(&said);
	return rc;
}

/* GitHub's GraphQL endpoint beside the REST API's: api.github.com/graphql,
 * and HOST/api/graphql for an Enterprise HOST/api/v3. */
static char *graphql_url(const char *api)
{
	size_t n = strlen(api);
	if (n >= 7 && strcmp(api + n - 7, "/api/v3") == 0)
		return xasprintf("%.*s/api/graphql", (int)(n - 7), api);
	return xasprintf("%s/graphql", api);
}

/* An approved draft: its pull request marked ready for review (GraphQL's
 * markPullRequestReadyForReview: REST cannot). */
static int send_draft_ready(const struct out *o, const char *repo, json_t *p, char **result, char **err)
{
	const char *branch = json_string_value(json_object_get(p, "branch"));
	json_t *pr = NULL;
	int rc = open_pull(o, repo, branch, &pr, err);
	if (rc < 0)
		return rc;
	long st = 0;
	const char *node = json_string_value(json_object_get(pr, "node_id"));
	json_int_t n = json_integer_value(json_object_get(pr, "number"));
	if (!node) {
		*result = xstrdup("no open pull request of the draft");
	} else if (!json_is_true(json_object_get(pr, "draft"))) {
		*result = xasprintf("pull request #%lld is ready for review already", (long long)n);
	} else {
		github_client g = o->g;
		char *gql = graphql_url(g.api_url);
		g.api_url = gql;
		json_t *q = json_pack("{s:s, s:{s:s}}", "query",
				      "mutation($id: ID!) { markPullRequestReadyForReview(input: {pullRequestId: $id}) "
				      "{ pullRequest { isDraft } } }",
				      "variables", "id", node);
		json_t *answer = NULL;
		rc = github_api(&g, "POST", "", q, &st, &answer, err);
		json_decref(q);
		free(gql);
		json_t *errors = json_object_get(answer, "errors");
		if (rc == 0 && (st != 200 || json_array_size(errors))) {
			const char *msg = json_string_value(json_object_get(json_array_get(errors, 0), "message"));
			*err = xasprintf("marking pull request #%lld ready: GitHub answered %ld%s%s", (long long)n, st,
					 msg ? ": " : "", msg ? msg : "");
			rc = -1;
		} else if (rc == 0) {
			*result = xasprintf("draft pull request #%lld marked ready for review", (long long)n);
		}
		json_decref(answer);
	}
	json_decref(pr);
	return rc;
}

/* One action (outbox_run's sender). */
static int send_one(void *ctx, const store_action *a, char **result, char **err, int64_t *retry_at)
{
	struct out *o = ctx;
	(void)retry_at;
	json_t *p = json_loads(a->payload, 0, NULL);
	const char *repo = json_string_value(json_object_get(p, "repo"));
	int number = (int)json_integer_value(json_object_get(p, "number"));
	o->g.slug = repo; /* whose credentials (an App's are per owner) */
	int rc = -2;
	if (!repo || !number)
		*err = xasprintf("not an action this worker sends (%s)", a->kind);
	else if (strcmp(a->kind, OUTBOX_COMMENT) == 0)
		rc = send_comment(o, repo, number, a->issue_id, result, err);
	else if (strcmp(a->kind, OUTBOX_ASSIGN) == 0)
		rc = send_assign(o, repo, number, p, result, err);
	else if (strcmp(a->kind, OUTBOX_LABELS) == 0)
		rc = send_labels(o, repo, number, p, result, err);
	else if (strcmp(a->kind, OUTBOX_DRAFT) == 0)
		rc = send_draft(o, repo, number, a->issue_id, p, result, err);
	else if (strcmp(a->kind, OUTBOX_DRAFT_CLOSE) == 0)
		rc = send_draft_close(o, repo, p, result, err);
	else if (strcmp(a->kind, OUTBOX_DRAFT_READY) == 0)
		rc = send_draft_ready(o, repo, p, result, err);
	else
		*err = xasprintf("not an action this worker sends (%s)", a->kind);
	if (rc == 0 && strcmp(a->kind, OUTBOX_COMMENT) != 0)
		say(o, "%s#%d: %s", repo, number, *result);
	else if (rc != 0)
		say(o, "%s#%d: %s not done: %s", repo ? repo : "?", number, a->kind, *err ? *err : "?");
	json_decref(p);
	return rc;
}

void github_out_send(store *db, const config *cfg, github_auth *auth, store_service *svc, const char *holder,
		     const bool *stop, FILE *log)
{
	if (!config_bool(cfg, CFG_GITHUB_WRITE) || !github_auth_available(auth))
		return;
	struct out o = { db, cfg, { config_str(cfg, CFG_GITHUB_API_URL), NULL, svc, auth, NULL }, log, time(NULL) };
	outbox_run(db, "github_", holder, stop, o.now, log, send_one, &o);
}
