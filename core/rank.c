/* The ranking model, its features and its calibration (see rank.h). */
#include "rank.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

const char *const rank_feature_name[RANK_NFEATURES] = {
#define RANK_FEATURE(id, name, text) [id] = name,
#include "rank_features.def"
#undef RANK_FEATURE
};

const rank_model rank_default = {
	.w = {
#define RANK_SOURCE(s)
#define RANK_PLATT(a, b)
#define RANK_WEIGHT(id, v) [id] = v,
#include "../data/rank_model.def"
#undef RANK_WEIGHT
#undef RANK_PLATT
#undef RANK_SOURCE
	},
#define RANK_WEIGHT(id, v)
#define RANK_SOURCE(s) .source = s,
#define RANK_PLATT(a, b) .platt_a = a, .platt_b = b,
#include "../data/rank_model.def"
#undef RANK_WEIGHT
#undef RANK_PLATT
#undef RANK_SOURCE
};

/* A span of days as a closeness in 0..1: 1 today, 0.5 after a month. */
static double closeness(double days)
{
	return 1.0 / (1.0 + (days > 0 ? days : 0) / 30.0);
}

void rank_features(const rank_evidence *e, double *x)
{
	memset(x, 0, RANK_NFEATURES * sizeof(*x));
	x[RANK_LAST_FILE] = e->last_file;
	x[RANK_FILE_ORDER] = e->file_order > 0 ? 1.0 / e->file_order : 0;
	x[RANK_FILE_RECENCY] = e->file_order > 0 ? closeness(e->file_days) : 0;
	x[RANK_LINE] = e->owns_line;
	x[RANK_REGION] = e->region_lines ? (double)e->region_owned / (double)e->region_lines : 0;
	x[RANK_SHARE] = e->total_lines ? (double)e->lines_owned / (double)e->total_lines : 0;
	/* counts grow without bound: logarithms keep one prolific author from
	 * drowning every other signal, as the replays showed raw counts do */
	x[RANK_DECAYED] = log1p(e->decayed > 0 ? e->decayed : 0) / 3.0;
	x[RANK_COMMITS] = log1p(e->commits > 0 ? e->commits : 0) / 5.0;
	x[RANK_RECENT_FILE] = e->recent_window > 0 ? (double)e->recent / (double)e->recent_window : 0;
	x[RANK_CODEOWNER] = e->codeowner;
	x[RANK_REPO_RECENT] = log1p((double)e->repo_recent) / 5.0;
	x[RANK_REPO_RECENCY] = e->repo_days >= 0 ? closeness(e->repo_days) : 0;
	x[RANK_SEED] = log1p(e->seed > 0 ? e->seed : 0) / 5.0;
	x[RANK_OTHER] = log1p(e->other > 0 ? e->other : 0) / 5.0;
	x[RANK_REPO_SHARE] = e->repo_recent_all ? (double)e->repo_recent / (double)e->repo_recent_all : 0;
	x[RANK_DIR] = log1p(e->dir > 0 ? e->dir : 0) / 3.0;
	x[RANK_NEWCOMERS] = e->newcomers;
	x[RANK_REPO_WEEK] = log1p((double)e->repo_week) / 3.0;
	x[RANK_LATEST] = e->latest;
	x[RANK_REGION_LATEST] = e->region_latest;
	x[RANK_LINE_RECENCY] = e->owns_line && e->line_days >= 0 ? closeness(e->line_days) : 0;
	/* against "none of them" (a newcomer fixes it), whose score is 0 */
	x[RANK_BIAS] = 1;
}

void rank_features_relative(double *const *x, size_t n)
{
	/* a count alone does not say whether it is a lot for this file: the
	 * replays ranked better when each candidate was also measured against
	 * the best of the others */
	static const struct { enum rank_feature rel, of; } pairs[] = {
		{ RANK_DECAYED_REL, RANK_DECAYED },
		{ RANK_REPO_RECENT_REL, RANK_REPO_RECENT },
		{ RANK_DIR_REL, RANK_DIR },
		{ RANK_SEED_REL, RANK_SEED },
	};
	for (size_t k = 0; k < sizeof(pairs) / sizeof(*pairs); k++) {
		double top = 0;
		for (size_t i = 0; i < n; i++)
			top = fmax(top, x[i][pairs[k].of]);
		for (size_t i = 0; i < n; i++)
			x[i][pairs[k].rel] = top > 0 ? x[i][pairs[k].of] / top : 0;
	}
}

double rank_score(const rank_model *m, const double *x)
{
	double s = 0;
	for (int i = 0; i < RANK_NFEATURES; i++)
		s += m->w[i] * x[i];
	return s;
}

void rank_softmax(const double *score, double *p, size_t n)
{
	/* the outside option, "none of them", scores 0 */
	double top = 0;
	for (size_t i = 0; i < n; i++)
		top = fmax(top, score[i]);
	double sum = exp(-top);
	for (size_t i = 0; i < n; i++)
		sum += p[i] = exp(score[i] - top);
	for (size_t i = 0; i < n; i++)
		p[i] /= sum;
}

static double logit(double p)
{
	p = fmin(fmax(p, 1e-6), 1 - 1e-6);
	return log(p / (1 - p));
}

int rank_confidence(const rank_model *m, double p)
{
	double z = m->platt_a * logit(p) + m->platt_b;
	double c = 100.0 / (1.0 + exp(-z));
	return (int)lround(fmin(100, fmax(0, c)));
}

/* Platt's negative log-likelihood of (A, B) against the smoothed targets. */
static double platt_loss(const double *p, const uint8_t *y, size_t n, double hi, double lo, double A, double B)
{
	double l = 0;
	for (size_t i = 0; i < n; i++) {
		double z = A * logit(p[i]) + B, t = y[i] ? hi : lo;
		/* log(1 + e^z) without overflow */
		l += (z > 0 ? z + log1p(exp(-z)) : log1p(exp(z))) - t * z;
	}
	return l;
}

int rank_fit_platt(const double *p, const uint8_t *y, size_t n, double *a, double *b)
{
	size_t pos = 0;
	for (size_t i = 0; i < n; i++)
		pos += y[i] != 0;
	if (n < 10 || pos == 0 || pos == n)
		return -1;
	/* Platt's smoothed targets keep the fit finite when the classes separate */
	double hi = ((double)pos + 1) / ((double)pos + 2), lo = 1.0 / ((double)(n - pos) + 2);
	double A = 1, B = 0, cur = platt_loss(p, y, n, hi, lo, A, B);
	for (int iter = 0; iter < 100; iter++) {
		double g0 = 0, g1 = 0, h00 = 1e-9, h01 = 0, h11 = 1e-9;
		for (size_t i = 0; i < n; i++) {
			double x = logit(p[i]), t = y[i] ? hi : lo;
			double z = fmax(-500, fmin(500, A * x + B));
			double q = 1.0 / (1.0 + exp(-z));
			double d = q - t, w = q * (1 - q);
			g0 += d * x;
			g1 += d;
			h00 += w * x * x;
			h01 += w * x;
			h11 += w;
		}
		double det = h00 * h11 - h01 * h01;
		if (fabs(det) < 1e-12)
			break;
		double dA = (h11 * g0 - h01 * g1) / det, dB = (h00 * g1 - h01 * g0) / det;
		/* Newton's step, halved until the loss falls: a plain step can
		 * overshoot when most chances sit near 0 or 1 */
		double k = 1, nA = A, nB = B, next = cur;
		for (; k > 1e-9; k /= 2) {
			nA = A - k * dA;
			nB = B - k * dB;
			next = platt_loss(p, y, n, hi, lo, nA, nB);
			if (next <= cur)
				break;
		}
		if (k <= 1e-9)
			break;
		A = nA;
		B = nB;
		cur = next;
		if (fabs(k * dA) < 1e-9 && fabs(k * dB) < 1e-9)
			break;
	}
	if (!isfinite(A) || !isfinite(B))
		return -1;
	*a = A;
	*b = B;
	return 0;
}

void rank_activity_init(rank_activity *a)
{
	memset(a, 0, sizeof(*a));
}

void rank_activity_free(rank_activity *a)
{
	free(a->recent);
	free(a->week);
	free(a->dir);
	rank_activity_init(a);
}

void rank_activity_compute(rank_activity *a, const history_view *v, double days)
{
	const history *h = v->h;
	rank_activity_free(a);
	a->n = h->nauthors;
	a->recent = xcalloc(a->n ? a->n : 1, sizeof(*a->recent));
	a->week = xcalloc(a->n ? a->n : 1, sizeof(*a->week));
	a->last = v->author_last; /* the view keeps it already */
	a->latest = -1;
	int64_t from = v->now - (int64_t)(days * 86400.0), week = v->now - 7 * 86400, newest = 0;
	for (size_t c = 0; c < h->ncommits; c++) {
		const history_commit *hc = &h->commits[c];
		if (hc->merge || hc->author_time > v->now || !history_view_has(v, (uint32_t)c))
			continue;
		if (a->latest < 0 || hc->author_time >= newest) {
			newest = hc->author_time;
			a->latest = hc->author;
		}
		if (hc->author_time >= week)
			a->week[hc->author]++;
		if (hc->author_time >= from) {
			a->recent[hc->author]++;
			a->recent_all++;
		}
	}
	/* newest first: how many of the latest commits were someone's first; a
	 * commit is its author's first when no older one of theirs is seen */
	int64_t *first = xcalloc(a->n ? a->n : 1, sizeof(*first));
	bool *seen = xcalloc(a->n ? a->n : 1, sizeof(*seen));
	for (size_t c = 0; c < h->ncommits; c++) {
		const history_commit *hc = &h->commits[c];
		if (hc->merge || hc->author_time > v->now || !history_view_has(v, (uint32_t)c))
			continue;
		if (!seen[hc->author] || hc->author_time < first[hc->author])
			first[hc->author] = hc->author_time;
		seen[hc->author] = true;
	}
	size_t window = 0, newc = 0;
	for (size_t c = h->ncommits; c-- > 0 && window < RANK_NEWCOMER_WINDOW;) {
		const history_commit *hc = &h->commits[c];
		if (hc->merge || hc->author_time > v->now || !history_view_has(v, (uint32_t)c))
			continue;
		window++;
		newc += hc->author_time == first[hc->author];
	}
	a->newcomers = window ? (double)newc / (double)window : 0;
	free(first);
	free(seen);
}

void rank_activity_dir(rank_activity *a, const history_view *v, const char *path, double decay_days)
{
	const history *h = v->h;
	free(a->dir);
	a->dir = xcalloc(a->n ? a->n : 1, sizeof(*a->dir));
	const char *slash = strrchr(path, '/');
	size_t dl = slash ? (size_t)(slash - path) + 1 : 0;
	double decay = decay_days > 0 ? decay_days : 90;
	for (size_t i = 0; i < h->ntouches; i++) {
		const history_touch *t = &h->touches[i];
		const char *p = h->paths[t->path];
		/* files directly in the folder: "src/app/x.py" for "src/app/y.py" */
		if (strncmp(p, path, dl) != 0 || strchr(p + dl, '/') || !history_touch_counts(t) ||
		    !history_view_has(v, t->commit))
			continue;
		const history_commit *c = &h->commits[t->commit];
		if (c->author >= a->n || c->author_time > v->now)
			continue;
		a->dir[c->author] += exp(-(double)(v->now - c->author_time) / 86400.0 / decay);
	}
}
