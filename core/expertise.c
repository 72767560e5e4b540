/* Expertise scores from the history index and the blame (see expertise.h). */
#include "expertise.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "blame.h"
#include "draft.h"
#include "xalloc.h"

void expertise_file_init(expertise_file *f)
{
	memset(f, 0, sizeof(*f));
}

void expertise_file_free(expertise_file *f)
{
	free(f->path);
	free(f->devs);
	expertise_file_init(f);
}

bool expertise_is_bot(const char *name, const char *email, const char *const *bots, size_t n)
{
	/* mahoraga's own draft commits are nobody's expertise, whatever the settings */
	if (email && strcasecmp(email, DRAFT_AUTHOR_EMAIL) == 0)
		return true;
	/* "bot" as a word of the name: "Sourcery Bot", "release-bot"; an empty
	 * pattern list counts everyone */
	for (const char *p = n ? name : NULL; p && *p;) {
		while (*p && !isalnum((unsigned char)*p))
			p++;
		const char *w = p;
		while (*p && isalnum((unsigned char)*p))
			p++;
		if (p - w == 3 && strncasecmp(w, "bot", 3) == 0)
			return true;
	}
	for (size_t i = 0; i < n; i++) {
		if (!bots[i][0])
			continue;
		if ((name && strcasestr(name, bots[i])) || (email && strcasestr(email, bots[i])))
			return true;
	}
	return false;
}

bool expertise_is_inactive(const history_view *v, uint32_t author, int64_t inactive_after,
			   int (*user_state)(const char *email, void *arg), void *arg)
{
	const history *h = v->h;
	int state = user_state ? user_state(h->authors[author].email, arg) : USER_UNLISTED;
	if (state != USER_UNLISTED)
		return state == USER_INACTIVE;
	/* nobody says: someone quiet for longer than the span has moved on (a
	 * partner suggested for a file should not be ten years gone) */
	int64_t last = v->author_last && author < h->nauthors ? v->author_last[author] : 0;
	return inactive_after > 0 && last > 0 && v->now - last > inactive_after;
}

static int by_score(const void *a, const void *b)
{
	const expertise_dev *x = a, *y = b;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	if (x->commits != y->commits)
		return y->commits - x->commits;
	return strcmp(x->email, y->email);
}

int expertise_for(expertise_file *out, const history_view *v, git_repository *repo,
		  const char *path, const expertise_opts *o, char **err)
{
	expertise_file_free(out);
	out->path = xstrdup(path);
	const history *h = v->h;
	int64_t file = history_file_at(v, path);
	if (file < 0)
		return 0;
	out->found = true;
	out->line_days = -1;
	blame b;
	blame_init(&b);
	if (blame_file(&b, v, repo, (uint32_t)file, o->cache, o->repo_id, err) < 0)
		return -1;
	out->total_lines = b.nlines;
	expertise_dev *all = xcalloc(h->nauthors ? h->nauthors : 1, sizeof(*all));
	bool *seen = xcalloc(h->nauthors ? h->nauthors : 1, sizeof(*seen));
	const history_file *f = &h->files[file];
	double decay = o->decay_days > 0 ? o->decay_days : 90;
	for (size_t k = 0; k < f->n; k++) {
		const history_touch *t = &h->touches[f->touches[k]];
		if (!history_touch_counts(t) || !history_view_has(v, t->commit))
			continue;
		const history_commit *c = &h->commits[t->commit];
		expertise_dev *d = &all[c->author];
		double age = (double)(v->now - c->author_time) / 86400.0;
		d->decayed += exp(-(age > 0 ? age : 0) / decay);
		if (!d->commits || c->author_time < d->first_commit)
			d->first_commit = c->author_time;
		if (c->author_time > d->last_commit)
			d->last_commit = c->author_time;
		d->commits++;
		seen[c->author] = true;
	}
	/* the file's latest commits, newest first: who made them, and the order in
	 * which each author last changed it */
	int order = 0;
	for (size_t k = f->n; k-- > 0;) {
		const history_touch *t = &h->touches[f->touches[k]];
		if (!history_touch_counts(t) || !history_view_has(v, t->commit))
			continue;
		expertise_dev *d = &all[h->commits[t->commit].author];
		if (out->recent_commits < EXPERTISE_RECENT) {
			out->recent_commits++;
			d->recent++;
		}
		if (!d->file_order)
			d->file_order = ++order;
	}
	for (size_t i = 0; i < b.nlines; i++) {
		all[b.owner[i]].lines_owned++;
		seen[b.owner[i]] = true;
	}
	if (o->line > 0 && (size_t)o->line <= b.nlines) {
		uint32_t a = b.owner[o->line - 1];
		all[a].owns_line = true;
		out->line_owner = h->authors[a].email;
		size_t lo = (size_t)o->line > EXPERTISE_REGION ? (size_t)o->line - 1 - EXPERTISE_REGION : 0;
		size_t hi = (size_t)o->line + EXPERTISE_REGION < b.nlines ? (size_t)o->line + EXPERTISE_REGION : b.nlines;
		size_t newest = lo;
		for (size_t i = lo; i < hi; i++) {
			all[b.owner[i]].region_owned++;
			if (b.when[i] > b.when[newest])
				newest = i;
		}
		out->region_lines = hi - lo;
		all[b.owner[newest]].region_latest = true;
		out->line_days = (double)(v->now - b.when[o->line - 1]) / 86400.0;
	}
	out->devs = xcalloc(h->nauthors ? h->nauthors : 1, sizeof(*out->devs));
	for (size_t a = 0; a < h->nauthors; a++) {
		if (!seen[a])
			continue;
		const history_author *au = &h->authors[a];
		if (expertise_is_bot(au->name, au->email, o->bots, o->nbots) ||
		    expertise_is_inactive(v, (uint32_t)a, o->inactive_after, o->user_state, o->arg)) {
			out->excluded++;
			continue;
		}
		expertise_dev *d = &all[a];
		d->author = (uint32_t)a;
		d->email = au->email;
		d->name = au->name;
		d->score = d->decayed +
			   (b.nlines ? o->line_weight * (double)d->lines_owned / (double)b.nlines : 0) +
			   (d->owns_line ? o->line_bonus : 0);
		out->devs[out->ndevs++] = *d;
	}
	qsort(out->devs, out->ndevs, sizeof(*out->devs), by_score);
	free(all);
	free(seen);
	blame_free(&b);
	return 0;
}
