/* One triage cycle over every repository's source, and webhook deliveries
 * (see worker.h; the sources are src/source_*.c, the thread src/worker.c). */
#include "worker.h"

#include <errno.h>
#include <git2.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "codeowners.h"
#include "history.h"
#include "engine_opts.h"
#include "github.h"
#include "github_out.h"
#include "log_line.h"
#include "slack_out.h"
#include "proposal.h"
#include "mail.h"
#include "outage.h"
#include "llm_analyzer.h"
#include "source.h"
#include "history_store.h"
#include "inbox.h"
#include "manual.h"
#include "outbox.h"
#include "map_store.h"
#include "strbuf.h"
#include "triage.h"
#include "webhook.h"
#include "xalloc.h"

struct cycle {
	const struct app *app;
	char *holder;           /* this cycle's name in the issue claims */
	const bool *stop;       /* true: stop before the next issue (or NULL) */
	bool have_cfg, have_git; /* what cycle_close frees */
	store *db;
	config cfg;
	spellbook spells;
	engine_opts opts;
	store_service github;   /* its breaker, rate limit, last error: loaded
	                         * at the start of a cycle, saved at its end */
	store_service slack;    /* the same for Slack */
	store_service mail;     /* and for e-mail, Slack's fallback */
	store_service llm;      /* and for the LLM */
	llm_client llm_c;       /* the model, when one is set up */
	triage_analyzer llm_an;
	bool llm_on;
	github_auth *auth;      /* GitHub's credentials: the caller's (kept
	                         * between cycles), else own_auth */
	github_auth own_auth;
	worker_report *rep;
	FILE *log;
};

/* A line of the cycle's log (none when it has no log). */
#define say(c, ...) log_line((c)->log, __VA_ARGS__)

/* One issue's share of a cycle: past it, triage reads no more files than the
 * blamed one (triage_env.budget_ms). */
#define WORKER_ISSUE_BUDGET_MS 20000.0

/* How long a claim on an issue holds: far more than one issue's triage, so a
 * live worker never loses it, and a crashed one's issue waits this long. */
#define WORKER_CLAIM_SECONDS 300

/* The decision as the store keeps it, and the issue marked triaged at etag,
 * in one transaction: both are kept, or neither and the issue is triaged
 * again (a worker killed between them lost decisions before). */
struct commit_job {
	const triage_decision *d;
	int64_t issue_id;
	const char *etag;
	const char *comment_repo; /* an issue of GitHub to comment on ("owner/name"), or NULL */
	int number;
	bool slack;               /* people are told on Slack */
};

static int commit_txn(store *db, void *arg)
{
	const struct commit_job *j = arg;
	const triage_decision *d = j->d;
	store_decision sd;
	store_decision_init(&sd);
	const trace_exception *e = trace_final(&d->t);
	sd.issue_id = j->issue_id;
	sd.language = xstrdup(trace_lang_name(d->t.lang));
	sd.error_type = e && e->type ? xstrdup(e->type) : NULL;
	sd.error_message = e && e->message ? xstrdup(e->message) : NULL;
	sd.fingerprint = d->fingerprint ? xstrdup(d->fingerprint) : NULL;
	sd.root_cause = d->analysis.root_cause ? xstrdup(d->analysis.root_cause) : NULL;
	sd.explanation = d->analysis.explanation ? xstrdup(d->analysis.explanation) : NULL;
	sd.reasoning = xstrdup(d->assign.reasoning ? d->assign.reasoning : "");
	sd.confidence = d->assign.confidence;
	sd.route = xstrdup(d->route);
	if (d->assign.assignee >= 0)
		sd.assignee_email = xstrdup(d->assign.candidates[d->assign.assignee].email);
	if (d->draft.branch) {
		sd.draft_branch = xstrdup(d->draft.branch);
		sd.draft_diff = xstrdup(d->draft.diff);
	}
	sd.processing_ms = (int64_t)d->ms.total;
	json_t *jj = triage_json(d);
	sd.timings = json_dumps(json_object_get(jj, "timings_ms"), JSON_COMPACT);
	json_t *aff = json_object_get(jj, "affected_files");
	sd.affected_files = json_dumps(aff, JSON_COMPACT);
	sd.full_json = json_dumps(jj, JSON_COMPACT);
	json_decref(jj);
	int rc = store_decision_record(db, &sd);
	/* a person's choice stands until someone asks for a re-triage; and one
	 * who had the issue and lost it is not given it back (checked here, in
	 * the write lock, so that a refusal does not undo the decision) */
	int had = 0;
	char *previous = NULL;
	bool assigned = false;
	if (rc == 0 && sd.assignee_email && !manual_holds(db, j->issue_id)) {
		store_assignment now;
		store_assignment_init(&now);
		int open = store_assignment_open(db, j->issue_id, &now);
		bool same = open == 1 && strcasecmp(now.assignee_email, sd.assignee_email) == 0;
		if (open < 0 || (!same && (had = store_was_assigned(db, j->issue_id, sd.assignee_email)) < 0))
			rc = -1;
		if (rc == 0 && !same && !had) {
			store_assignment a;
			store_assignment_init(&a);
			a.issue_id = j->issue_id;
			a.decision_id = sd.id;
			a.assignee_email = xstrdup(sd.assignee_email);
			a.confidence = sd.confidence;
			a.reasoning = xstrdup(sd.reasoning);
			rc = store_assign(db, &a);
			store_assignment_free(&a);
			assigned = rc == 0;
			if (open == 1) {
				previous = now.assignee_email;
				now.assignee_email = NULL;
			}
		}
		store_assignment_free(&now);
	}
	if (rc == 0)
		rc = store_issue_done(db, j->issue_id, j->etag);
	if (rc == 0 && j->comment_repo) {
		/* what says it on GitHub, with the decision or not at all: sent
		 * by github_out, once per content of the issue. The assignee goes
		 * first, so that the comment can name them by the login it learnt */
		json_t *jd = json_loads(sd.full_json, 0, NULL);
		if ((assigned && outbox_assign(db, j->issue_id, j->comment_repo, j->number, sd.assignee_email, previous,
					       j->etag) < 0) ||
		    outbox_labels(db, j->issue_id, j->comment_repo, j->number, json_object_get(jd, "labels"),
				  j->etag) < 0 ||
		    (sd.draft_branch && outbox_draft(db, j->issue_id, j->comment_repo, j->number, sd.draft_branch,
						     j->etag) < 0) ||
		    outbox_comment(db, j->issue_id, j->comment_repo, j->number, j->etag) < 0)
			rc = -1;
		json_decref(jd);
	}
	/* who is told on Slack: a new assignee, or the channel when people
	 * must triage it (an assignment that did not change tells nobody) */
	if (rc == 0 && j->slack && (assigned || strcmp(sd.route, "human") == 0)) {
		const char *to = assigned ? sd.assignee_email : NULL;
		char *key = xasprintf("%s:%s", j->etag, to ? to : "channel");
		rc = outbox_slack(db, j->issue_id, to, key);
		free(key);
	}
	/* a spell the model proposed waits for a person, with its decision */
	if (rc == 0 && d->analysis.proposed_spell &&
	    proposal_keep(db, j->issue_id, d->analysis.proposed_spell, (int64_t)time(NULL)) < 0)
		rc = -1;
	free(previous);
	store_decision_free(&sd);
	return rc;
}

static int record(struct cycle *c, int64_t issue_id, const triage_decision *d, const char *etag,
		  const char *comment_repo, int number)
{
	struct commit_job j = { d, issue_id, etag, comment_repo, number, slack_configured(&c->cfg) };
	return store_transaction(c->db, commit_txn, &j);
}

static bool stopping(const struct cycle *c)
{
	return c->stop && __atomic_load_n(c->stop, __ATOMIC_ACQUIRE);
}

/* Who knows the first risky files, as `mahoraga expertise` ranks them, saved
 * with them for the screen's drill-down (Enter on a risky file): the screen
 * runs no git. The first ones only: a blame each. */
#define KNOWERS_FILES 50
#define KNOWERS_PER_FILE 5

static void save_knowers(struct cycle *c, const config_repo *r, int64_t repo_id, const history *h,
			 git_repository *repo)
{
	store_risk risk;
	if (store_risk_load(c->db, &risk) < 0) {
		say(c, "%s: %s", r->slug, store_error(c->db));
		return;
	}
	history_view v;
	char *err = NULL;
	if (history_view_at(&v, h, repo, NULL, &err) < 0) {
		say(c, "%s: %s", r->slug, err);
		free(err);
		store_risk_free(&risk);
		return;
	}
	expertise_opts o = c->opts.expertise;
	o.cache = c->db;
	o.repo_id = repo_id;
	store_expertise_list all = { 0 };
	size_t files = 0;
	for (size_t i = 0; i < risk.n && files < KNOWERS_FILES; i++) {
		if (strcmp(risk.v[i].repo, r->slug) != 0)
			continue;
		files++;
		expertise_file f;
		expertise_file_init(&f);
		if (expertise_for(&f, &v, repo, risk.v[i].path, &o, &err) < 0) {
			/* one file that cannot be read leaves the others' */
			say(c, "%s: %s: %s", r->slug, risk.v[i].path, err);
			free(err);
			err = NULL;
		}
		for (size_t k = 0; k < f.ndevs && k < KNOWERS_PER_FILE; k++) {
			const expertise_dev *d = &f.devs[k];
			store_expertise *e = xrealloc(all.v, (all.n + 1) * sizeof(*all.v));
			all.v = e;
			all.v[all.n++] = (store_expertise){ .path = xstrdup(risk.v[i].path), .email = xstrdup(d->email),
				.name = d->name ? xstrdup(d->name) : NULL, .score = d->score, .decayed = d->decayed,
				.commits = d->commits, .lines_owned = (int)d->lines_owned,
				.first_commit = d->first_commit, .last_commit = d->last_commit };
		}
		expertise_file_free(&f);
	}
	if (store_risk_knowers_save(c->db, repo_id, &all) < 0)
		say(c, "%s: %s", r->slug, store_error(c->db));
	store_expertise_list_free(&all);
	history_view_free(&v);
	store_risk_free(&risk);
}

/* Keep the repository's saved bus factor current for the screens: they read
 * it, never compute it. */
static void save_risk(struct cycle *c, const config_repo *r, int64_t repo_id, const history *h,
		      git_repository *repo)
{
	char *err = NULL;
	int saved = history_store_risk(c->db, repo_id, h, &c->opts.busfactor, &err);
	if (saved < 0) {
		say(c, "%s: %s", r->slug, err);
		free(err);
	} else if (saved) {
		save_knowers(c, r, repo_id, h, repo);
	}
}

/* The same for a repository triage_repo did not open (no inbox, or nothing
 * new): a clone that cannot be opened is triage_repo's to report, when it has
 * work. */
static void keep_risk(struct cycle *c, const config_repo *r)
{
	int64_t repo_id;
	git_repository *repo = NULL;
	if (store_repo_ensure(c->db, r->slug, &repo_id) < 0 ||
	    git_repository_open_ext(&repo, r->path, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0)
		return;
	history h;
	history_init(&h);
	char *err = NULL;
	if (history_store_open(&h, c->db, repo_id, repo, NULL, NULL, &err) < 0) {
		say(c, "%s: %s", r->slug, err);
		free(err);
	} else {
		save_risk(c, r, repo_id, &h, repo);
	}
	history_free(&h);
	git_repository_free(repo);
}

static bool triage_list(struct cycle *c, const config_repo *r, inbox_list *issues, bool from_github);

/* A closed issue: its open assignment is done, nobody's load any more.
 * Returns 1 when one was open, 0 when none (or the issue is unknown), -1 on a
 * store error (said). */
static int close_issue(struct cycle *c, const config_repo *r, int64_t repo_id, int number)
{
	store_issue old;
	store_issue_init(&old);
	int found = store_issue_get(c->db, repo_id, number, &old);
	int done = found == 1 ? store_assignment_complete(c->db, old.id) : found;
	store_issue_free(&old);
	if (done < 0) {
		say(c, "%s#%d: %s", r->slug, number, store_error(c->db));
		return -1;
	}
	if (done == 1)
		say(c, "%s#%d closed: its assignment is done", r->slug, number);
	return done;
}

/* A person assigned the issue on GitHub to someone else than the one who has it
 * here: recorded as their reassignment (as the screen's R records one), so it
 * holds against later decisions, the feed says "reassigned" and the live
 * calibration counts it. A login the users table does not know is said. */
static void github_assignment(struct cycle *c, const config_repo *r, int64_t repo_id, const inbox_issue *is)
{
	store_issue si;
	store_issue_init(&si);
	char *email = NULL;
	if (store_issue_get(c->db, repo_id, is->number, &si) != 1)
		goto out; /* not triaged yet: its decision comes first */
	int known = store_email_of_login(c->db, is->assignee, &email);
	if (known <= 0) {
		if (known == 0)
			say(c, "%s#%d: assigned on GitHub to %s, whom the users table does not know", r->slug,
			    is->number, is->assignee);
		else
			say(c, "%s#%d: %s", r->slug, is->number, store_error(c->db));
		goto out;
	}
	store_assignment now;
	store_assignment_init(&now);
	int open = store_assignment_open(c->db, si.id, &now);
	bool same = open == 1 && strcasecmp(now.assignee_email, email) == 0;
	store_assignment_free(&now);
	if (open < 0 || same)
		goto out;
	store_manual m;
	store_manual_init(&m);
	m.issue_id = si.id;
	m.kind = xstrdup("reassign");
	m.assignee_email = xstrdup(email);
	m.reason = xasprintf(MANUAL_FROM_GITHUB " to @%s", is->assignee);
	bool retriage = false;
	if (store_manual_add(c->db, &m) < 0 || manual_apply(c->db, &c->cfg, m.id, &retriage) < 0)
		say(c, "%s#%d: %s", r->slug, is->number, store_error(c->db));
	else
		say(c, "%s#%d: assigned on GitHub to %s: recorded as a person's choice", r->slug, is->number, email);
	store_manual_free(&m);
out:
	free(email);
	store_issue_free(&si);
}

/* People's assignments on GitHub, after the triage (github_assignment). */
static void github_assignments(struct cycle *c, const config_repo *r, int64_t repo_id, const inbox_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].assignee && !l->v[i].closed)
			github_assignment(c, r, repo_id, &l->v[i]);
}

/* Triage the issues of l (freed here) that are new or edited since their last
 * triage, whatever source they came from. Returns true when it read the
 * history index and so kept the bus factor too. */
static bool triage_list(struct cycle *c, const config_repo *r, inbox_list *issues, bool from_github)
{
	/* a decision on a GitHub issue is said there, when writing is on */
	const char *comment_repo = from_github && config_bool(&c->cfg, CFG_GITHUB_WRITE) ? r->slug : NULL;
	inbox_list l = *issues;
	inbox_list_init(issues);
	char *err = NULL;
	int64_t repo_id;
	if (store_repo_ensure(c->db, r->slug, &repo_id) < 0) {
		say(c, "%s: %s", r->slug, store_error(c->db));
		c->rep->failed++;
		inbox_list_free(&l);
		return false;
	}
	/* a closed issue is not triaged: its assignment, if any, is done (a
	 * webhook's closed event says the same, see route_issue) */
	for (size_t i = 0; i < l.n; i++) {
		if (!l.v[i].closed)
			continue;
		close_issue(c, r, repo_id, l.v[i].number);
		free(l.v[i].hash);
		l.v[i].hash = NULL;
	}
	/* only new or edited issues are triaged: the words' hash is the etag */
	size_t todo = 0;
	for (size_t i = 0; i < l.n; i++) {
		if (!l.v[i].hash)
			continue;
		store_issue old;
		store_issue_init(&old);
		int found = store_issue_get(c->db, repo_id, l.v[i].number, &old);
		if (found == 1 && old.etag && strcmp(old.etag, l.v[i].hash) == 0) {
			free(l.v[i].hash); /* mark as done */
			l.v[i].hash = NULL;
		} else {
			todo++;
		}
		store_issue_free(&old);
	}
	if (!todo) {
		if (from_github)
			github_assignments(c, r, repo_id, &l);
		inbox_list_free(&l);
		return false;
	}
	git_repository *repo = NULL;
	bool kept = false;
	history h;
	history_init(&h);
	history_view v = { 0 };
	trace_map *map = NULL;
	codeowners co;
	codeowners_init(&co);
	if (git_repository_open_ext(&repo, r->path, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0 ||
	    history_store_open(&h, c->db, repo_id, repo, NULL, NULL, &err) < 0 ||
	    history_view_at(&v, &h, repo, NULL, &err) < 0 || !(map = map_store_open(c->db, repo_id, repo, NULL, &err))) {
		const git_error *ge = git_error_last();
		say(c, "%s: %s", r->slug, err ? err : ge && ge->message ? ge->message : "cannot read the repository");
		free(err);
		c->rep->failed += todo;
		goto out;
	}
	codeowners_load(&co, repo, NULL);
	kept = true;
	save_risk(c, r, repo_id, &h, repo);
	for (size_t i = 0; i < l.n && !stopping(c); i++) {
		inbox_issue *is = &l.v[i];
		if (!is->hash)
			continue;
		/* another worker on this database may be on it, or done with it */
		int claimed = store_issue_claim(c->db, repo_id, is->number, is->hash, c->holder, WORKER_CLAIM_SECONDS);
		if (claimed < 0) {
			say(c, "%s#%d: %s", r->slug, is->number, store_error(c->db));
			c->rep->failed++;
			continue;
		}
		if (!claimed)
			continue;
		store_issue si;
		store_issue_init(&si);
		si.repo_id = repo_id;
		si.number = is->number;
		si.title = xstrdup(is->title);
		si.body = xstrdup(is->body);
		si.url = is->url ? xstrdup(is->url) : NULL;
		si.author = is->author ? xstrdup(is->author) : NULL;
		/* the content's hash is kept only with the decision (record): an
		 * issue whose triage is cut short is triaged again */
		si.etag = NULL;
		si.created_at = is->created_at;
		char label[16];
		snprintf(label, sizeof(label), "%d", is->number);
		triage_env env = {
			.repo = repo, .h = &h, .view = &v, .map = map, .spells = &c->spells,
			.owners = &co, .db = c->db, .repo_id = repo_id,
			.draft_label = label,
			.reported_at = is->created_at,
			.budget_ms = WORKER_ISSUE_BUDGET_MS,
			.analyzer = c->llm_on ? &c->llm_an : NULL,
		};
		engine_opts_triage(&c->opts, &c->cfg, &env);
		rank_model model;
		if (engine_opts_model(&model, c->db, repo_id) > 0)
			env.model = &model;
		triage_decision d;
		triage_decision_init(&d);
		if (store_issue_save(c->db, &si) < 0) {
			say(c, "%s#%d: %s", r->slug, is->number, store_error(c->db));
			c->rep->failed++;
			store_issue_unclaim(c->db, repo_id, is->number, c->holder);
		} else {
			env.issue_id = si.id;
			if (triage_run(&d, &env, is->title, is->body, strlen(is->body), &err) < 0 ||
			    record(c, si.id, &d, is->hash, comment_repo, is->number) < 0) {
				say(c, "%s#%d: %s", r->slug, is->number, err ? err : store_error(c->db));
				free(err);
				err = NULL;
				c->rep->failed++;
				store_issue_unclaim(c->db, repo_id, is->number, c->holder);
			} else {
				const trace_exception *e = trace_final(&d.t);
				char dup[160] = "";
				if (d.duplicate_owner)
					snprintf(dup, sizeof(dup), ", duplicate of #%d with %s", d.duplicate_of,
						 d.duplicate_owner);
				else if (d.checked_duplicates && d.duplicate.kind != DEDUP_NEW)
					snprintf(dup, sizeof(dup), ", %s", dedup_kind_name(d.duplicate.kind));
				say(c, "%s#%d %s -> %s%s%s (confidence %d)%s", r->slug, is->number,
				    e && e->type ? e->type : "no error", d.route,
				    d.assign.assignee >= 0 ? " " : "",
				    d.assign.assignee >= 0 ? d.assign.candidates[d.assign.assignee].email : "",
				    d.assign.confidence, dup);
				c->rep->triaged++;
			}
		}
		triage_decision_free(&d);
		store_issue_free(&si);
	}
out:
	if (from_github)
		github_assignments(c, r, repo_id, &l);
	codeowners_free(&co);
	trace_map_free(map);
	history_view_free(&v);
	history_free(&h);
	git_repository_free(repo);
	inbox_list_free(&l);
	return kept;
}

/* A claim's holder ("host/pid/...") is dead when it is a process of this host
 * that no longer runs; another host's claims wait for their lease. */
static bool holder_dead(const char *holder, void *arg)
{
	const char *host = arg;
	size_t hl = strlen(host);
	if (strncmp(holder, host, hl) != 0 || holder[hl] != '/')
		return false;
	char *end;
	long pid = strtol(holder + hl + 1, &end, 10);
	if (end == holder + hl + 1 || *end != '/' || pid <= 0)
		return false;
	return kill((pid_t)pid, 0) < 0 && errno == ESRCH;
}

/* The new and edited issues of r from its source (its inbox, else GitHub),
 * triaged. Where the source stands is kept only when every issue read was
 * triaged, so that one that failed is read again. Returns true when it read
 * the history index (and so kept the bus factor too). */
static bool triage_source(struct cycle *c, const config_repo *r)
{
	const issue_source *src = r->inbox ? &source_inbox : &source_github;
	struct source_ctx x = { c->db, &c->cfg, c->auth, &c->github, c->log, c->rep };
	inbox_list l;
	inbox_list_init(&l);
	void *pos = NULL;
	bool kept = false;
	if (src->read(&x, r, &l, &pos) == 1) {
		size_t failed = c->rep->failed;
		kept = triage_list(c, r, &l, src->on_github);
		if (c->rep->failed == failed && src->keep)
			src->keep(&x, r, pos);
	}
	if (src->pos_free)
		src->pos_free(pos);
	inbox_list_free(&l);
	return kept;
}

int worker_cycle(const struct app *app, worker_report *rep, FILE *log)
{
	return worker_cycle_until(app, rep, log, NULL, NULL);
}

/* Open what a cycle needs: the store, this cycle's name in the claims (and
 * the dead workers' claims freed), the settings, the spells. Returns an exit
 * status; on failure cycle_close still frees what was opened. */
static int cycle_open(struct cycle *c)
{
	/* this cycle among all on the database: the process, the cycle's own
	 * frame (two threads' cycles differ), the time to the nanosecond */
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	int rc = app_open_store(c->app, &c->db);
	if (rc != EXIT_DONE)
		return rc;
	char host[256] = "";
	gethostname(host, sizeof(host) - 1);
	c->holder = xasprintf("%s/%ld/%p/%lld.%09ld", host, (long)getpid(), (void *)c, (long long)now.tv_sec,
			      now.tv_nsec);
	/* a worker killed mid-triage on this machine left its claims: free them */
	if (store_issue_claims_reap(c->db, holder_dead, host) < 0)
		say(c, "claims: %s", store_error(c->db));
	/* and its actions mid-send: sent again after looking at GitHub first */
	if (store_action_reap(c->db, holder_dead, host) < 0)
		say(c, "outbox: %s", store_error(c->db));
	/* settings are read every cycle: a change takes effect without a restart */
	/* problems go where the cycle reports: the log file inside the command
	 * center (never the screen), standard error for `poll` on a terminal */
	rc = app_load_config_to(c->app, c->db, &c->cfg, c->log == stdout ? stderr : c->log);
	if (rc != EXIT_DONE)
		return rc;
	c->have_cfg = true;
	if (!c->auth) {
		github_auth_init(&c->own_auth);
		c->auth = &c->own_auth;
	}
	c->auth->cfg = &c->cfg;
	char *shipped = NULL, *user = NULL;
	rc = app_load_spells(c->app, &c->spells, &shipped, &user);
	free(shipped);
	free(user);
	if (rc != EXIT_DONE)
		return rc;
	/* GitHub as the last cycle (of any process) left it: an open breaker
	 * holds across cycles and processes */
	if (store_service_get(c->db, &c->github) < 0)
		say(c, "GitHub's state: %s", store_error(c->db));
	c->github.write_pace_ms = (int64_t)config_duration(&c->cfg, CFG_GITHUB_WRITE_PACE) * 1000;
	if (store_service_get(c->db, &c->slack) < 0)
		say(c, "Slack's state: %s", store_error(c->db));
	c->slack.write_pace_ms = 1000; /* Slack allows about a message a second per channel */
	if (store_service_get(c->db, &c->mail) < 0)
		say(c, "Mail's state: %s", store_error(c->db));
	c->llm_on = llm_configured(&c->cfg);
	if (c->llm_on && store_service_get(c->db, &c->llm) < 0)
		say(c, "the LLM's state: %s", store_error(c->db));
	llm_client_init(&c->llm_c, &c->cfg, &c->llm);
	c->llm_an = llm_analyzer_of(&c->llm_c);
	git_libgit2_init();
	c->have_git = true;
	engine_opts_init(&c->opts, &c->cfg, engine_opts_user_state, c->db);
	return EXIT_DONE;
}

static void cycle_close(struct cycle *c)
{
	if (c->have_git) {
		engine_opts_free(&c->opts);
		git_libgit2_shutdown();
	}
	spellbook_free(&c->spells);
	if (c->have_cfg)
		config_free(&c->cfg);
	store_service_free(&c->github);
	store_service_free(&c->slack);
	store_service_free(&c->mail);
	store_service_free(&c->llm);
	if (c->auth == &c->own_auth)
		github_auth_free(&c->own_auth);
	else if (c->auth)
		c->auth->cfg = NULL; /* the settings are gone with the cycle */
	store_close(c->db);
	free(c->holder);
}

/* What the cycle decided, said: on GitHub, on Slack (or by e-mail), each
 * service's state saved, and administrators told of a long outage. */
static void send_outbox(struct cycle *c)
{
	github_out_send(c->db, &c->cfg, c->auth, &c->github, c->holder, c->stop, c->log);
	slack_out_send(c->db, &c->cfg, &c->slack, &c->mail, c->holder, c->stop, c->log);
	/* the services saved (an outage's start is the store's, for telling
	 * it once across processes), then the administrators told, then e-mail's
	 * own state, which telling them changed */
	struct { store_service *sv; bool on; const char *name; } watched[] = {
		{ &c->github, github_auth_available(c->auth), "GitHub" },
		{ &c->slack, slack_configured(&c->cfg), "Slack" },
		{ &c->llm, c->llm_on, "the LLM" },
	};
	store_service *down[3];
	size_t n = 0;
	for (size_t i = 0; i < 3; i++) {
		if (!watched[i].on)
			continue;
		if (store_service_put(c->db, watched[i].sv, (int64_t)time(NULL)) < 0)
			say(c, "%s's state: %s", watched[i].name, store_error(c->db));
		down[n++] = watched[i].sv;
	}
	outage_tell(c->db, &c->cfg, down, n, &c->mail, c->log);
	if (mail_configured(&c->cfg) && store_service_put(c->db, &c->mail, (int64_t)time(NULL)) < 0)
		say(c, "Mail's state: %s", store_error(c->db));
}

int worker_cycle_until(const struct app *app, worker_report *rep, FILE *log, const bool *stop, github_auth *auth)
{
	memset(rep, 0, sizeof(*rep));
	struct cycle c = { .app = app, .rep = rep, .log = log, .stop = stop, .auth = auth };
	store_service_init(&c.github, "github");
	store_service_init(&c.slack, "slack");
	store_service_init(&c.mail, "mail");
	store_service_init(&c.llm, "llm");
	int rc = cycle_open(&c);
	if (rc == EXIT_DONE) {
		/* what people decided while no worker ran (a crash, another process) */
		size_t applied = 0;
		bool retriage = false;
		if (manual_apply_pending(c.db, &c.cfg, &applied, &retriage) < 0)
			say(&c, "manual actions: %s", store_error(c.db));
		else if (applied)
			say(&c, "applied %zu manual action%s", applied, applied == 1 ? "" : "s");
		for (size_t i = 0; i < c.cfg.n_repos && !stopping(&c); i++) {
			const config_repo *r = &c.cfg.repos[i];
			if (r->problem) {
				/* said on its row and in the log; the others go on */
				say(&c, "%s: %s: skipped", r->slug, r->problem);
				rep->failed++;
				continue;
			}
			/* one index read per repository and cycle: its inbox, or
			 * GitHub for a repository without one */
			bool kept = r->path && triage_source(&c, r);
			if (r->path && !kept)
				keep_risk(&c, r);
		}
		send_outbox(&c);
		/* the heartbeat every screen (a wall in another process too) shows */
		if (store_cycle_record(c.db, (int64_t)time(NULL), rep->seen, rep->triaged, rep->bad_files,
				       rep->failed) < 0)
			say(&c, "%s", store_error(c.db));
	}
	cycle_close(&c);
	return rc;
}

/* A delivery's issue to the list of its repository (lists[i] for
 * cfg.repos[i]: triaged with the others after the files are read), or, closed,
 * its assignment ended. Returns 1, 0 for a repository not configured here
 * (said), -1 on a store error (said). */
static int route_issue(struct cycle *c, const char *file, const char *repo, const char *action,
		       inbox_list *one, inbox_list *lists)
{
	size_t k = 0;
	while (k < c->cfg.n_repos && strcasecmp(c->cfg.repos[k].slug, repo) != 0)
		k++;
	if (k == c->cfg.n_repos) {
		say(c, "%s: %s is not a configured repository: add [repo \"%s\"] with its clone", file, repo, repo);
		return 0;
	}
	const config_repo *r = &c->cfg.repos[k];
	inbox_issue *is = &one->v[0];
	if (strcmp(action, "closed") == 0) {
		int64_t repo_id;
		if (store_repo_ensure(c->db, r->slug, &repo_id) < 0) {
			say(c, "%s: %s", r->slug, store_error(c->db));
			return -1;
		}
		return close_issue(c, r, repo_id, is->number) < 0 ? -1 : 1;
	}
	if (strcmp(action, "opened") != 0 && strcmp(action, "edited") != 0 && strcmp(action, "reopened") != 0) {
		say(c, "%s: %s#%d %s: nothing to triage", file, r->slug, is->number, action);
		return 0;
	}
	inbox_list_add(&lists[k], is); /* triaged with the rest of its repository's */
	return 1;
}

/* One delivery file: read, checked, and routed (route_issue). Returns 1 when
 * its issue was routed, 0 when there was nothing to do, -1 when it failed
 * (said). */
static int one_delivery(struct cycle *c, const char *file, inbox_list *lists, webhook_delivery *d)
{
	FILE *f = fopen(file, "rb");
	if (!f) {
		say(c, "%s: %s", file, strerror(errno));
		return -1;
	}
	strbuf text = STRBUF_INIT;
	int got = strbuf_read(&text, f, WEBHOOK_MAX_BYTES);
	fclose(f);
	char *err = NULL;
	int rc = -1;
	const char *secret = config_str(&c->cfg, CFG_GITHUB_WEBHOOK_SECRET);
	if (got < 0) {
		say(c, "%s: %s", file, got == -2 ? "larger than a delivery can be (25 MB)" : strerror(errno));
	} else if (webhook_parse(text.buf, text.len, d, &err) < 0) {
		say(c, "%s: %s", file, err);
	} else if (!d->id) {
		say(c, "%s: no X-GitHub-Delivery header: save the delivery with its headers", file);
	} else if (!secret) {
		say(c, "%s: set MAHORAGA_GITHUB_WEBHOOK_SECRET (the webhook's secret) to verify deliveries", file);
	} else if (!webhook_signature_ok(secret, d->body, d->len, d->signature)) {
		/* nothing of a delivery that is not GitHub's is believed */
		say(c, "%s: X-Hub-Signature-256 does not match the body under the webhook's secret: refused", file);
	} else {
		/* a delivery read again changes nothing: its issue's words are
		 * the etag, and an issue is triaged once per content */
		char *repo = NULL, *action = NULL;
		inbox_list one;
		inbox_list_init(&one);
		int is = webhook_issue(d, file, &repo, &action, &one, &err);
		if (is < 0) {
			say(c, "%s: %s", file, err);
		} else if (is == 0) {
			say(c, "%s: %s event: nothing to triage", file, d->event ? d->event : "an unnamed");
			rc = 0;
		} else {
			rc = route_issue(c, file, repo, action, &one, lists);
		}
		free(repo);
		free(action);
		inbox_list_free(&one);
	}
	free(err);
	strbuf_release(&text);
	return rc;
}

int worker_ingest_webhooks(const struct app *app, const char *const *files, size_t n, worker_report *rep,
			   FILE *log)
{
	memset(rep, 0, sizeof(*rep));
	struct cycle c = { .app = app, .rep = rep, .log = log };
	store_service_init(&c.github, "github");
	store_service_init(&c.slack, "slack");
	store_service_init(&c.mail, "mail");
	store_service_init(&c.llm, "llm");
	int rc = cycle_open(&c);
	if (rc == EXIT_DONE) {
		inbox_list *lists = xcalloc(c.cfg.n_repos + 1, sizeof(*lists));
		for (size_t i = 0; i < n; i++) {
			webhook_delivery d;
			webhook_delivery_init(&d);
			int routed = one_delivery(&c, files[i], lists, &d);
			if (routed < 0)
				rep->failed++;
			if (routed > 0 && store_delivery_first(c.db, d.id, d.event) == 0)
				say(&c, "%s: delivery %s was read before (an unchanged issue is not triaged again)",
				    files[i], d.id);
			rep->seen += routed > 0;
			webhook_delivery_free(&d);
		}
		for (size_t k = 0; k < c.cfg.n_repos; k++) {
			const config_repo *r = &c.cfg.repos[k];
			if (!lists[k].n)
				continue;
			if (r->problem) {
				say(&c, "%s: %s: skipped", r->slug, r->problem);
				rep->failed += lists[k].n;
				inbox_list_free(&lists[k]);
				continue;
			}
			triage_list(&c, r, &lists[k], true);
		}
		free(lists);
		send_outbox(&c);
	}
	cycle_close(&c);
	return rc;
}

