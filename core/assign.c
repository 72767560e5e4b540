/* Candidates, confidence, routing and the reasoning paragraph (see assign.h). */
#include "assign.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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

void assign_decide(assign_result *r, const assign_input *in)
{
	assign_result_free(r);
	size_t cap = 0;
	for (size_t f = 0; f < in->nfiles; f++)
		cap += in->files[f].ndevs;
	r->candidates = xcalloc(cap ? cap : 1, sizeof(*r->candidates));
	double window = (in->decay_days > 0 ? in->decay_days : 90) * 86400.0;
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
			}
			c->score += w * dev->score;
			if (f == 0) {
				c->commits = dev->commits;
				c->lines_owned = dev->lines_owned;
				c->total_lines = ef->total_lines;
				c->last_commit = dev->last_commit;
				c->owns_line = dev->owns_line;
				/* "recent": within one decay period of now */
				c->recent_commits = dev->commits && (double)(in->now - dev->last_commit) < window
					? (int)lround(dev->decayed) : 0;
			}
		}
	}
	for (size_t i = 0; i < r->ncandidates; i++) {
		assign_candidate *c = &r->candidates[i];
		c->codeowner = listed(c->email, in->owners, in->nowners);
		c->last_author = in->last_author && strcasecmp(in->last_author, c->email) == 0;
		if (c->last_author)
			c->score += in->last_author_bonus;
		c->workload = in->workload ? in->workload(c->email, in->arg) : 0;
		c->overloaded = in->overload_limit > 0 && c->workload > in->overload_limit;
	}
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
	/* property 12: among near-equals, the lighter workload; overloaded people
	 * only when nobody else is close */
	size_t pick = 0;
	double top = r->candidates[0].score;
	for (size_t i = 1; i < r->ncandidates; i++) {
		const assign_candidate *c = &r->candidates[i], *p = &r->candidates[pick];
		if (top - c->score > 0.1 * top)
			break;
		if ((p->overloaded && !c->overloaded) ||
		    (p->overloaded == c->overloaded && c->workload < p->workload))
			pick = i;
	}
	if (pick) {
		assign_candidate t = r->candidates[pick];
		memmove(r->candidates + 1, r->candidates, pick * sizeof(*r->candidates));
		r->candidates[0] = t;
	}
	const assign_candidate *a = &r->candidates[0];
	double second = r->ncandidates > 1 ? r->candidates[1].score : 0;
	double margin = a->score > 0 ? (a->score - second) / a->score : 0;
	if (margin < 0)
		margin = 0;
	double share = a->total_lines ? (double)a->lines_owned / (double)a->total_lines : 0;
	/* evidence, in points; the weights are documented in doc/triage.md */
	double conf = 0;
	if (in->mapped)
		conf += 20;
	conf += 25 * share;
	conf += 15 * fmin(1.0, a->recent_commits / 3.0);
	conf += 15 * margin;
	conf += a->owns_line ? 10 : 0;
	conf += a->last_author ? 10 : 0;
	conf += a->codeowner ? 5 : 0;
	/* several implicated files owned by different people: less certain */
	size_t owners = 0;
	for (size_t f = 0; f < in->nfiles; f++) {
		if (!in->files[f].ndevs)
			continue;
		bool seen = false;
		for (size_t g = 0; g < f && !seen; g++)
			seen = in->files[g].ndevs &&
			       strcmp(in->files[g].devs[0].email, in->files[f].devs[0].email) == 0;
		owners += !seen;
	}
	if (owners > 1)
		conf -= 5.0 * (double)(owners - 1);
	if (!in->mapped && conf > 30)
		conf = 30; /* without a mapped frame the history is a guess */
	/* calibration: in the replay (make bench) the evidence points overstated
	 * how often the top candidate fixed the bug by about a third; a confidence
	 * should be the chance of being right */
	conf *= ASSIGN_CALIBRATION;
	r->confidence = (int)lround(fmax(0, fmin(100, conf)));
	r->route = assign_route(r->confidence, in->draft_threshold, in->assign_threshold);
	/* property 10: below the assign threshold nobody is assigned; the best
	 * candidate is still named for the human who triages */
	r->assignee = strcmp(r->route, "human") == 0 ? -1 : 0;
	/* the paragraph a human can check */
	strbuf sb = STRBUF_INIT;
	if (r->assignee < 0)
		strbuf_addf(&sb, "Not sure enough to assign (confidence %d, assigning from %d); the best "
			    "candidate: ", r->confidence, in->assign_threshold);
	const char *file = in->nfiles ? in->files[0].path : "the file";
	strbuf_addf(&sb, "%s <%s> ", a->name && *a->name ? a->name : a->email, a->email);
	if (a->total_lines)
		strbuf_addf(&sb, "owns %zu of %zu lines of %s", a->lines_owned, a->total_lines, file);
	else
		strbuf_addf(&sb, "knows %s", file);
	strbuf_addf(&sb, ", made %d of its commits (%d recent)", a->commits, a->recent_commits);
	if (a->owns_line && in->blamed_line)
		strbuf_addf(&sb, " and wrote line %d", in->blamed_line);
	strbuf_addch(&sb, '.');
	if (a->last_author)
		strbuf_addstr(&sb, " They changed the file last.");
	if (a->codeowner)
		strbuf_addstr(&sb, " CODEOWNERS names them.");
	if (pick)
		strbuf_addf(&sb, " Chosen over a close candidate for a lighter workload (%d open).", a->workload);
	if (a->overloaded)
		strbuf_addf(&sb, " Warning: %d open bugs, over the limit of %d.", a->workload, in->overload_limit);
	if (r->ncandidates > 1)
		strbuf_addf(&sb, " Next: %s (score %.1f against %.1f).", r->candidates[1].email,
			    r->candidates[1].score, a->score);
	if (r->skipped_previous)
		strbuf_addf(&sb, " %zu earlier assignee%s left out.", r->skipped_previous,
			    r->skipped_previous > 1 ? "s" : "");
	strbuf_addf(&sb, " Confidence %d: %s", r->confidence,
		    in->mapped ? "the trace maps into the repository" : "the trace does not map into the repository");
	strbuf_addf(&sb, ", a %.0f%% lead over the next candidate.", margin * 100);
	r->reasoning = strbuf_detach(&sb);
}
