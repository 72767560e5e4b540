/* Applying manual triage actions (see manual.h). */
#include "manual.h"

#include <git2.h>
#include <stdlib.h>
#include <string.h>

#include "outbox.h"
#include "strbuf.h"
#include "xalloc.h"

static const struct {
	const char *kind, *label;
} kinds[] = {
	{ "accept", "accepted" },       { "reassign", "reassigned" },
	{ "human", "to human" },        { "approve_draft", "draft ok" },
	{ "reject_draft", "draft no" }, { "retriage", "retriage" },
};

bool manual_kind_valid(const char *kind)
{
	return manual_kind_label(kind) != NULL;
}

const char *manual_kind_label(const char *kind)
{
	for (size_t i = 0; kind && i < sizeof(kinds) / sizeof(*kinds); i++)
		if (strcmp(kinds[i].kind, kind) == 0)
			return kinds[i].label;
	return NULL;
}

static const config_repo *repo_of(store *db, const config *cfg, int64_t repo_id)
{
	char *slug = NULL;
	if (store_repo_slug(db, repo_id, &slug) != 1)
		return NULL;
	const config_repo *found = NULL;
	for (size_t i = 0; i < cfg->n_repos && !found; i++)
		if (strcmp(cfg->repos[i].slug, slug) == 0)
			found = &cfg->repos[i];
	free(slug);
	return found;
}

static char *assign_to(store *db, int64_t issue_id, int64_t decision_id, const char *email,
		       const char *reason, const char *why)
{
	store_assignment a;
	store_assignment_init(&a);
	a.issue_id = issue_id;
	a.decision_id = decision_id;
	a.assignee_email = xstrdup(email);
	a.reasoning = xstrdup(why);
	a.note = reason && *reason ? xstrdup(reason) : NULL;
	a.by_hand = 1;
	char *err = store_assign(db, &a) < 0 ? xstrdup(store_error(db)) : NULL;
	store_assignment_free(&a);
	return err;
}

/* The branch of a draft, in the clone; 1 found, 0 not. */
static int draft_branch(const config_repo *r, const char *branch, bool delete, char **err)
{
	git_repository *repo = NULL;
	git_reference *ref = NULL;
	int found = 0;
	git_libgit2_init();
	if (git_repository_open_ext(&repo, r->path, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0) {
		*err = xasprintf("cannot open %s", r->path);
		found = -1;
	} else if (git_branch_lookup(&ref, repo, branch, GIT_BRANCH_LOCAL) == 0) {
		found = 1;
		/* git_reference_delete, not git_branch_delete: drafts have no
		 * branch.<name> config to remove, and libgit2 1.5's config-section
		 * removal leaks PCRE2 match data (libgit2 PR #6382, fixed in 1.6) */
		if (delete && git_branch_is_head(ref) == 1) {
			*err = xasprintf("%s is checked out in %s: not deleting it", branch, r->path);
			found = -1;
		} else if (delete && git_reference_delete(ref) < 0) {
			const git_error *e = git_error_last();
			*err = xasprintf("cannot delete %s: %s", branch, e && e->message ? e->message : "?");
			found = -1;
		}
	}
	git_reference_free(ref);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return found;
}

/* Is m's issue one mahoraga speaks about on GitHub? 1 with its repository's
 * slug and the outbox key of m (both to free), 0 not, -1 on a store error. */
static int on_github(store *db, const store_manual *m, const store_issue *is, char **slug, char **key)
{
	*slug = *key = NULL;
	int gh = outbox_is_github(db, m->issue_id);
	if (gh <= 0)
		return gh;
	if (store_repo_slug(db, is->repo_id, slug) != 1)
		return -1;
	*key = xasprintf("manual:%lld", (long long)m->id);
	return 1;
}

/* A person's assignment said on GitHub too: email added (NULL: nobody),
 * previous taken off (NULL: nobody). Returns 0, or -1 on a store error. */
static int say_on_github(store *db, const store_manual *m, const store_issue *is, const char *email,
			 const char *previous)
{
	if (m->reason && strncmp(m->reason, MANUAL_FROM_GITHUB, strlen(MANUAL_FROM_GITHUB)) == 0)
		return 0; /* it came from there */
	char *slug, *key;
	int rc = on_github(db, m, is, &slug, &key);
	if (rc == 1)
		rc = outbox_assign(db, m->issue_id, slug, is->number, email, previous, key);
	free(key);
	free(slug);
	return rc < 0 ? -1 : 0;
}

/* A person's verdict on a draft said on GitHub too: approved, its pull
 * request ready for review; rejected, closed and its branch deleted. 0, or -1. */
static int say_draft_verdict(store *db, const store_manual *m, const store_issue *is, const char *branch,
			     bool approved)
{
	char *slug, *key;
	int rc = on_github(db, m, is, &slug, &key);
	if (rc == 1)
		rc = outbox_draft_verdict(db, m->issue_id, slug, is->number, branch, approved, key);
	free(key);
	free(slug);
	return rc < 0 ? -1 : 0;
}

/* An assignment (email; NULL: sent to human triage) and what says it on
 * GitHub, in one transaction: both are kept or neither. */
struct assign_job {
	const store_manual *m;
	const store_issue *is;
	int64_t decision_id;
	const char *email, *previous, *why;
	char *err;
};

static int assign_txn(store *db, void *arg)
{
	struct assign_job *j = arg;
	if (j->email)
		j->err = assign_to(db, j->m->issue_id, j->decision_id, j->email, j->m->reason, j->why);
	else if (store_unassign(db, j->m->issue_id, j->m->reason ? j->m->reason : "sent to human triage") < 0)
		j->err = xstrdup(store_error(db));
	if (!j->err && (j->email || j->previous) && say_on_github(db, j->m, j->is, j->email, j->previous) < 0)
		j->err = xstrdup(store_error(db));
	return j->err ? -1 : 0;
}

/* Run one: NULL, or what went wrong (to free). */
static char *assign_and_say(store *db, const store_manual *m, const store_issue *is, int64_t decision_id,
			    const char *email, const char *previous, const char *why)
{
	struct assign_job j = { m, is, decision_id, email, previous, why, NULL };
	if (store_transaction(db, assign_txn, &j) < 0 && !j.err)
		j.err = xstrdup(store_error(db));
	return j.err;
}

/* Do what m asks; *result says what happened. 1 done, 0 refused. */
static int apply(store *db, const config *cfg, const store_manual *m, bool *retriage, char **result)
{
	store_issue is;
	store_issue_init(&is);
	store_decision d;
	store_decision_init(&d);
	store_assignment open;
	store_assignment_init(&open);
	int ok = 0;
	if (store_issue_by_id(db, m->issue_id, &is) != 1) {
		*result = xstrdup("the issue is no longer in the database");
		goto out;
	}
	int have_decision = store_decision_latest(db, m->issue_id, &d) == 1;
	int has_open = store_assignment_open(db, m->issue_id, &open);
	if (has_open < 0) {
		*result = xstrdup(store_error(db));
		goto out;
	}
	char *err = NULL;
	if (strcmp(m->kind, "accept") == 0) {
		if (has_open) {
			*result = xasprintf("accepted: %s keeps #%d", open.assignee_email, is.number);
			ok = 1;
		} else if (have_decision && d.assignee_email) {
			err = assign_and_say(db, m, &is, d.id, d.assignee_email, NULL, d.reasoning);
			*result = err ? err : xasprintf("accepted: #%d assigned to %s", is.number, d.assignee_email);
			ok = !err;
		} else {
			*result = xasprintf("nobody was proposed for #%d: reassign it instead", is.number);
		}
	} else if (strcmp(m->kind, "reassign") == 0) {
		if (!m->assignee_email || !*m->assignee_email) {
			*result = xstrdup("reassign to whom? no assignee was given");
		} else if (has_open && strcmp(open.assignee_email, m->assignee_email) == 0) {
			*result = xasprintf("%s already has #%d", m->assignee_email, is.number);
		} else {
			char *why = xasprintf("reassigned by hand%s%s", m->reason ? ": " : "", m->reason ? m->reason : "");
			err = assign_and_say(db, m, &is, 0, m->assignee_email, has_open ? open.assignee_email : NULL, why);
			free(why);
			*result = err ? err : xasprintf("#%d reassigned to %s", is.number, m->assignee_email);
			ok = !err;
		}
	} else if (strcmp(m->kind, "human") == 0) {
		if ((err = assign_and_say(db, m, &is, 0, NULL, has_open ? open.assignee_email : NULL, NULL))) {
			*result = err;
		} else {
			*result = xasprintf("#%d sent to human triage%s%s", is.number, has_open ? ", taken from " : "",
					    has_open ? open.assignee_email : "");
			ok = 1;
		}
	} else if (strcmp(m->kind, "approve_draft") == 0 || strcmp(m->kind, "reject_draft") == 0) {
		bool reject = m->kind[0] == 'r';
		const config_repo *r = repo_of(db, cfg, is.repo_id);
		if (!have_decision || !d.draft_branch) {
			*result = xasprintf("#%d has no draft fix", is.number);
		} else if (!r) {
			*result = xasprintf("the repository of #%d is not configured", is.number);
		} else {
			int found = draft_branch(r, d.draft_branch, reject, &err);
			if (found < 0) {
				*result = err;
			} else if (!found && !reject) {
				*result = xasprintf("the draft branch %s is gone (rejected before?)", d.draft_branch);
			} else if (say_draft_verdict(db, m, &is, d.draft_branch, !reject) < 0) {
				*result = xstrdup(store_error(db));
			} else {
				*result = reject ? xasprintf("draft of #%d rejected: branch %s %s", is.number, d.draft_branch,
							     found ? "deleted" : "was already gone")
						 : xasprintf("draft of #%d approved: %s is ready for review", is.number,
							     d.draft_branch);
				ok = 1;
			}
		}
	} else if (strcmp(m->kind, "retriage") == 0) {
		/* forget the words' hash: the next cycle sees the issue as edited */
		free(is.etag);
		is.etag = xstrdup("retriage");
		if (store_issue_save(db, &is) < 0) {
			*result = xstrdup(store_error(db));
		} else {
			*result = xasprintf("#%d is triaged again on the next cycle", is.number);
			*retriage = true;
			ok = 1;
		}
	} else {
		*result = xasprintf("unknown action '%s'", m->kind);
	}
out:
	store_assignment_free(&open);
	store_decision_free(&d);
	store_issue_free(&is);
	return ok;
}

int manual_apply(store *db, const config *cfg, int64_t id, bool *retriage)
{
	store_manual m;
	store_manual_init(&m);
	int found = store_manual_get(db, id, &m);
	if (found <= 0 || strcmp(m.state, "pending") != 0) {
		store_manual_free(&m);
		return found < 0 ? -1 : 0;
	}
	char *result = NULL;
	int ok = apply(db, cfg, &m, retriage, &result);
	int rc = store_manual_finish(db, id, ok, result);
	free(result);
	store_manual_free(&m);
	return rc < 0 ? -1 : ok;
}

int manual_apply_pending(store *db, const config *cfg, size_t *applied, bool *retriage)
{
	*applied = 0;
	store_manuals list;
	if (store_manual_pending(db, &list) < 0)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < list.n && rc == 0; i++) {
		if (manual_apply(db, cfg, list.v[i].id, retriage) < 0)
			rc = -1;
		else
			(*applied)++;
	}
	store_manuals_free(&list);
	return rc;
}

int manual_holds(store *db, int64_t issue_id)
{
	store_manuals list;
	if (store_manual_list(db, issue_id, &list) < 0)
		return 0;
	int holds = 0;
	for (size_t i = list.n; i-- > 0;) {
		if (strcmp(list.v[i].state, "done") != 0)
			continue;
		const char *k = list.v[i].kind;
		if (strcmp(k, "retriage") == 0)
			break;
		if (!strcmp(k, "accept") || !strcmp(k, "reassign") || !strcmp(k, "human")) {
			holds = 1;
			break;
		}
	}
	store_manuals_free(&list);
	return holds;
}

char *manual_agreement(store *db)
{
	int kept[11], of[11], all_kept = 0, all = 0;
	if (store_agreement(db, kept, of) < 0)
		return NULL;
	for (int b = 0; b < 11; b++) {
		all_kept += kept[b];
		all += of[b];
	}
	if (!all)
		return NULL;
	strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "kept %d of %d proposed assignees", all_kept, all);
	const char *sep = ": ";
	for (int b = 10; b >= 0; b--) {
		if (!of[b])
			continue;
		if (b == 10)
			strbuf_addf(&sb, "%s100 %d of %d", sep, kept[b], of[b]);
		else
			strbuf_addf(&sb, "%s%d-%d %d of %d", sep, b * 10, b * 10 + 9, kept[b], of[b]);
		sep = ", ";
	}
	return strbuf_detach(&sb);
}
