/* Candidates, confidence, routing and the reasoning paragraph (see assign.h). */
#include "assign.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "strbuf.h"
#include "xalloc.h"

void assign_result_init(assign_result *r)
{
	memset(r, 0, sizeof(*r));
	r->assignee = -1;
	r->route = "human";
}

void assign_result_free(assign_result *r)
{
	free(r->candidates);
	free(r->reasoning);
	assign_result_init(r);
}

const char *assign_route(int confidence, int draft_threshold, int assign_threshold)
{
	if (confidence > draft_threshold)
		return "draft_fix";
	if (confidence >= assign_threshold)
		return "assign";
	return "human";
}

static bool listed(const char *email, const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] && strcasecmp(v[i], email) == 0)
			return true;
	return false;
}

static int by_score(const void *a, const void *b)
{
	const assign_candidate *x = a, *y = b;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return strcmp(x->email, y->email);
}

static assign_candidate *find(assign_candidate *v, size_t n, const char *email)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].email, email) == 0)
			return &v[i];
	return NULL;
}

static double days_between(int64_t now, int64_t then)
{
	return (double)(now - then) / 86400.0;
}

/* An ordinal for reasons: 2nd, 3rd, 11th. */
static const char *ordinal(int n)
{
	if (n % 100 >= 11 && n % 100 <= 13)
		return "th";
	return n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th";
}

/* One feature's evidence for c in words. */
static char *reason_text(const assign_candidate *c, enum rank_feature feature, int line)
{
	const rank_evidence *e = &c->ev;
	/* every feature has its words: a new one without them fails to compile */
	switch (feature) {
	case RANK_LAST_FILE:
		return xstrdup("changed the file last");
	case RANK_FILE_ORDER:
		return e->file_order == 1 ? xstrdup("the latest to change the file")
			: xasprintf("the %d%s latest to change the file", e->file_order, ordinal(e->file_order));
	case RANK_FILE_RECENCY:
		return e->file_days < 1 ? xstrdup("changed the file within a day")
					: xasprintf("changed the file %.0f days before", e->file_days);
	case RANK_LINE:
		return line ? xasprintf("wrote line %d", line) : xstrdup("wrote the blamed line");
	case RANK_REGION:
		return xasprintf("wrote %zu of the %zu lines around it", e->region_owned, e->region_lines);
	case RANK_SHARE:
		return xasprintf("owns %zu of %zu lines", e->lines_owned, e->total_lines);
	case RANK_DECAYED:
	case RANK_COMMITS:
		return xasprintf("%d commits (%d recent)", c->commits, c->recent_commits);
	case RANK_RECENT_FILE:
		return xasprintf("made %d of its last %d commits", e->recent, e->recent_window);
	case RANK_CODEOWNER:
		return xstrdup("code owner");
	case RANK_REPO_RECENT:
		return xasprintf("%u commits to the repository in 90 days", e->repo_recent);
	case RANK_REPO_RECENCY:
		return e->repo_days < 1 ? xstrdup("committed to the repository within a day")
					: xasprintf("last committed %.0f days before", e->repo_days);
	case RANK_REPO_SHARE:
		return xasprintf("made %u of the repository's %u commits in 90 days", e->repo_recent,
				 e->repo_recent_all);
	case RANK_DIR:
		return xstrdup("works in the file's folder");
	case RANK_BIAS:
		return xstrdup("knows the code");
	case RANK_REPO_WEEK:
		return xasprintf("%u commits to the repository this week", e->repo_week);
	case RANK_LATEST:
		return xstrdup("made the repository's latest commit");
	case RANK_REGION_LATEST:
		return xstrdup("made the newest change around the blamed line");
	case RANK_LINE_RECENCY:
		return e->line_days < 1 ? xstrdup("wrote the blamed line within a day")
					: xasprintf("wrote the blamed line %.0f days before", e->line_days);
	case RANK_NEWCOMERS:
		return xasprintf("%.0f%% of the latest commits came from newcomers", e->newcomers * 100);
	case RANK_SEED:
		return xasprintf("expertise score %.1f", e->seed);
	case RANK_OTHER:
		return xstrdup("knows the trace's other files");
	case RANK_DECAYED_REL:
		return xstrdup("is among the most recent committers to the file");
	case RANK_REPO_RECENT_REL:
		return xstrdup("is among the most active in the repository lately");
	case RANK_DIR_REL:
		return xstrdup("is among those who work most in the file's folder");
	case RANK_SEED_REL:
		return xstrdup("has one of the highest expertise scores for the file");
	case RANK_NFEATURES:
		break;
	}
	return xstrdup("?");
}

size_t assign_reasons(const assign_candidate *c, const rank_model *m, int line, char **out, size_t max)
{
	if (!m)
		m = &rank_default;
	double contrib[RANK_NFEATURES];
	for (int i = 0; i < RANK_NFEATURES; i++)
		contrib[i] = m->w[i] * c->x[i];
	/* the same for everyone: no reason to name one of them */
	contrib[RANK_BIAS] = contrib[RANK_NEWCOMERS] = 0;
	size_t n = 0;
	bool said_commits = false;
	while (n < max) {
		int best = -1;
		for (int i = 0; i < RANK_NFEATURES; i++)
			if (contrib[i] > 0.05 && (best < 0 || contrib[i] > contrib[best]))
				best = i;
		if (best < 0)
			break;
		contrib[best] = 0;
		/* two features read the same count: say it once */
		if (best == RANK_DECAYED || best == RANK_COMMITS) {
			if (said_commits)
				continue;
			said_commits = true;
		}
		out[n++] = reason_text(c, (enum rank_feature)best, line);
	}
	return n;
}

static void fill_evidence(assign_candidate *c, const assign_input *in, const expertise_file *ef,
			  const expertise_dev *dev)
{
	rank_evidence *e = &c->ev;
	e->file_order = dev->file_order;
	e->file_days = dev->commits ? days_between(in->now, dev->last_commit) : 0;
	e->owns_line = dev->owns_line;
	e->line_days = ef->line_days;
	e->region_latest = dev->region_latest;
	e->region_owned = dev->region_owned;
	e->region_lines = ef->region_lines;
	e->lines_owned = dev->lines_owned;
	e->total_lines = ef->total_lines;
	e->decayed = dev->decayed;
	e->commits = dev->commits;
	e->recent = dev->recent;
	e->recent_window = ef->recent_commits;
	e->seed = dev->score;
	c->commits = dev->commits;
	c->lines_owned = dev->lines_owned;
	c->total_lines = ef->total_lines;
	c->last_commit = dev->last_commit;
	c->owns_line = dev->owns_line;
	double window = (in->decay_days > 0 ? in->decay_days : 90) * 86400.0;
	/* "recent": within one decay period of now */
	c->recent_commits = dev->commits && (double)(in->now - dev->last_commit) < window
		? (int)lround(dev->decayed) : 0;
	if (in->activity && dev->author < in->activity->n) {
		e->repo_recent = in->activity->recent[dev->author];
		e->repo_recent_all = in->activity->recent_all;
		e->newcomers = in->activity->newcomers;
		e->repo_week = in->activity->week[dev->author];
		e->latest = in->activity->latest == (int64_t)dev->author;
		e->dir = in->activity->dir ? in->activity->dir[dev->author] : 0;
		e->repo_days = in->activity->last && in->activity->last[dev->author]
			? days_between(in->now, in->activity->last[dev->author]) : -1;
	} else {
		e->repo_days = -1;
	}
}

void assign_decide(assign_result *r, const assign_input *in)
{
	assign_result_free(r);
	const rank_model *m = in->model ? in->model : &rank_default;
	size_t cap = in->h ? in->nactive : 0;
	for (size_t f = 0; f < in->nfiles; f++)
		cap += in->files[f].ndevs;
	r->candidates = xcalloc(cap ? cap : 1, sizeof(*r->candidates));
	for (size_t f = 0; f < in->nfiles; f++) {
		const expertise_file *ef = &in->files[f];
		double w = in->weights ? in->weights[f] : 1.0;
		for (size_t d = 0; d < ef->ndevs; d++) {
			const expertise_dev *dev = &ef->devs[d];
			if (listed(dev->email, in->previous, in->nprevious)) {
				if (f == 0)
					r->skipped_previous++;
				continue;
			}
			assign_candidate *c = find(r->candidates, r->ncandidates, dev->email);
			if (!c) {
				c = &r->candidates[r->ncandidates++];
				c->email = dev->email;
				c->name = dev->name;
				c->ev.repo_days = -1;
			}
			if (f == 0)
				fill_evidence(c, in, ef, dev);
			else
				c->ev.other += w * dev->score;
		}
	}
	/* the repository's most active people, when the trace names a file of it */
	for (size_t i = 0; in->h && in->nfiles && in->files[0].found && i < in->nactive; i++) {
		const history_author *au = &in->h->authors[in->active[i]];
		if (listed(au->email, in->previous, in->nprevious) || find(r->candidates, r->ncandidates, au->email))
			continue;
		assign_candidate *c = &r->candidates[r->ncandidates++];
		c->email = au->email;
		c->name = au->name;
		c->ev.repo_days = -1;
		c->ev.total_lines = in->files[0].total_lines;
		c->total_lines = in->files[0].total_lines;
		c->ev.region_lines = in->files[0].region_lines;
		c->ev.recent_window = in->files[0].recent_commits;
		if (in->activity && in->active[i] < in->activity->n) {
			c->ev.repo_recent = in->activity->recent[in->active[i]];
			c->ev.repo_recent_all = in->activity->recent_all;
			c->ev.newcomers = in->activity->newcomers;
			c->ev.repo_week = in->activity->week[in->active[i]];
			c->ev.latest = in->activity->latest == (int64_t)in->active[i];
			c->ev.dir = in->activity->dir ? in->activity->dir[in->active[i]] : 0;
			if (in->activity->last && in->activity->last[in->active[i]])
				c->ev.repo_days = days_between(in->now, in->activity->last[in->active[i]]);
		}
	}
	for (size_t i = 0; i < r->ncandidates; i++) {
		assign_candidate *c = &r->candidates[i];
		c->codeowner = c->ev.codeowner = listed(c->email, in->owners, in->nowners);
		c->last_author = c->ev.last_file = in->last_author && strcasecmp(in->last_author, c->email) == 0;
		rank_features(&c->ev, c->x);
		c->workload = in->workload ? in->workload(c->email, in->arg) : 0;
		c->overloaded = in->overload_limit > 0 && c->workload > in->overload_limit;
	}
	double **xs = xcalloc(r->ncandidates ? r->ncandidates : 1, sizeof(*xs));
	for (size_t i = 0; i < r->ncandidates; i++)
		xs[i] = r->candidates[i].x;
	rank_features_relative(xs, r->ncandidates);
	free(xs);
	for (size_t i = 0; i < r->ncandidates; i++)
		r->candidates[i].score = rank_score(m, r->candidates[i].x);
	qsort(r->candidates, r->ncandidates, sizeof(*r->candidates), by_score);
	if (!r->ncandidates) {
		r->confidence = 0;
		r->route = "human";
		r->reasoning = xstrdup(in->nfiles && in->files[0].found
			? "Nobody active knows the blamed file (bots, inactive people and earlier "
			  "assignees left out): this needs a human."
			: "The trace does not point at a file of the repository: this needs a human.");
		return;
	}
	double *score = xcalloc(r->ncandidates, sizeof(*score)), *p = xcalloc(r->ncandidates, sizeof(*p));
	for (size_t i = 0; i < r->ncandidates; i++)
		score[i] = r->candidates[i].score;
	rank_softmax(score, p, r->ncandidates);
	for (size_t i = 0; i < r->ncandidates; i++)
		r->candidates[i].chance = p[i];
	free(score);
	free(p);
	/* property 12: among near-equals, the lighter workload; overloaded people
	 * only when nobody else is close */
	size_t pick = 0;
	double top = r->candidates[0].chance;
	for (size_t i = 1; i < r->ncandidates; i++) {
		const assign_candidate *c = &r->candidates[i], *q = &r->candidates[pick];
		if (top - c->chance > 0.1 * top)
			break;
		if ((q->overloaded && !c->overloaded) ||
		    (q->overloaded == c->overloaded && c->workload < q->workload))
			pick = i;
	}
	if (pick) {
		assign_candidate t = r->candidates[pick];
		memmove(r->candidates + 1, r->candidates, pick * sizeof(*r->candidates));
		r->candidates[0] = t;
	}
	const assign_candidate *a = &r->candidates[0];
	r->confidence = rank_confidence(m, a->chance);
	if (!in->mapped && r->confidence > 30)
		r->confidence = 30; /* without a mapped frame the history is a guess */
	r->route = assign_route(r->confidence, in->draft_threshold, in->assign_threshold);
	/* property 10: below the assign threshold nobody is assigned; the best
	 * candidate is still named for the human who triages */
	r->assignee = strcmp(r->route, "human") == 0 ? -1 : 0;

	/* the paragraph a human can check: what raised the confidence, what lowered it */
	strbuf sb = STRBUF_INIT;
	if (r->assignee < 0)
		strbuf_addf(&sb, "Not sure enough to assign (confidence %d, assigning from %d); the best "
			    "candidate: ", r->confidence, in->assign_threshold);
	const char *file = in->nfiles ? in->files[0].path : "the file";
	if (in->nfiles && in->files[0].found && !in->files[0].ndevs)
		strbuf_addf(&sb, "Nobody active has changed %s (bots, inactive people and earlier assignees "
			    "left out); among the repository's active people: ", file);
	strbuf_addf(&sb, "%s <%s>, %.0f%% likely to be the one who fixes it.", a->name && *a->name ? a->name : a->email,
		    a->email, a->chance * 100);
	char *why[4];
	size_t nwhy = assign_reasons(a, m, in->blamed_line, why, 4);
	for (size_t i = 0; i < nwhy; i++) {
		if (i == 0)
			strbuf_addf(&sb, " For them, on %s: ", file);
		strbuf_addf(&sb, "%s%s", i ? "; " : "", why[i]);
		free(why[i]);
	}
	if (nwhy)
		strbuf_addch(&sb, '.');
	if (pick)
		strbuf_addf(&sb, " Chosen over a close candidate for a lighter workload (%d open).", a->workload);
	if (a->overloaded)
		strbuf_addf(&sb, " Warning: %d open bugs, over the limit of %d.", a->workload, in->overload_limit);
	/* what lowered it: the chance others keep, and what the next one has more of */
	if (r->ncandidates > 1) {
		const assign_candidate *b = &r->candidates[1];
		double others = 0;
		for (size_t i = 1; i < r->ncandidates; i++)
			others += r->candidates[i].chance;
		strbuf_addf(&sb, " Lowering it: the other %zu candidate%s have %.0f%% between them, someone new "
			    "to the code %.0f%%; next is %s (%.0f%%)", r->ncandidates - 1, r->ncandidates > 2 ? "s" : "",
			    others * 100, fmax(0, 1 - a->chance - others) * 100, b->email, b->chance * 100);
		int best = -1;
		double most = 0.05;
		for (int k = 0; k < RANK_NFEATURES; k++) {
			double d = m->w[k] * (b->x[k] - a->x[k]);
			if (d > most) {
				most = d;
				best = k;
			}
		}
		if (best >= 0) {
			char *t = reason_text(b, best, in->blamed_line);
			strbuf_addf(&sb, ", who %s", t);
			free(t);
		}
		strbuf_addch(&sb, '.');
	}
	if (r->ncandidates == 1 && a->chance < 0.995)
		strbuf_addf(&sb, " Lowering it: someone new to the code %.0f%%.", (1 - a->chance) * 100);
	if (m->w[RANK_NEWCOMERS] * a->x[RANK_NEWCOMERS] < -0.25)
		strbuf_addf(&sb, " Lowering it: %.0f%% of the repository's latest commits were their author's "
			    "first, so the fix may well come from someone new.", a->ev.newcomers * 100);
	if (!in->mapped)
		strbuf_addstr(&sb, " Lowering it: the trace does not map into the repository.");
	if (r->skipped_previous)
		strbuf_addf(&sb, " %zu earlier assignee%s left out.", r->skipped_previous,
			    r->skipped_previous > 1 ? "s" : "");
	strbuf_addf(&sb, " Confidence %d.", r->confidence);
	r->reasoning = strbuf_detach(&sb);
}
