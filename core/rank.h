/* rank: the model that orders the candidates and says how sure it is.
 *
 * Each candidate is described by the evidence a triager would look at (who
 * changed the file last and how long ago, who wrote the blamed line and its
 * region, share of lines owned, commits with recency decay, recent commits to
 * the file and to the repository, code owner, the seed's expertise score). A
 * linear model over those features scores each candidate; the softmax of the
 * scores, against "none of them" (in replays of real projects a third of the
 * fixes come from people new to the code), is the chance that each is the one
 * who fixes the bug, and a Platt mapping fitted on replays of other repositories turns the top candidate's
 * chance into the confidence. The weights are data (data/rank_model.def),
 * fitted by tools/fit_rank.py on replays of public repositories' own bug fixes
 * (`mahoraga calibrate --features`); nothing here is chosen by hand. */
#ifndef MAHORAGA_RANK_H
#define MAHORAGA_RANK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "history.h"

enum rank_feature {
#define RANK_FEATURE(id, name, text) id,
#include "rank_features.def"
#undef RANK_FEATURE
	RANK_NFEATURES
};

/* The features' short names, as the fitting script and the JSON know them. */
extern const char *const rank_feature_name[RANK_NFEATURES];

typedef struct rank_model {
	double w[RANK_NFEATURES];
	double platt_a, platt_b;  /* confidence = sigmoid(a * logit(p) + b) */
	const char *source;       /* where the numbers come from */
} rank_model;

/* The model fitted on public repositories (data/rank_model.def). */
extern const rank_model rank_default;

/* The evidence about one candidate, as raw counts and times. */
typedef struct rank_evidence {
	bool last_file;            /* changed the blamed file last */
	int file_order;            /* 1: last to change it, 2: the one before... 0: never */
	double file_days;          /* days since their last change to it (if file_order) */
	bool owns_line;            /* wrote the blamed line */
	double line_days;          /* its age in days (-1: unknown) */
	bool region_latest;        /* wrote the newest line around it */
	size_t region_owned, region_lines;
	size_t lines_owned, total_lines;
	double decayed;            /* commits to it with recency decay */
	int commits;
	int recent, recent_window; /* their commits among its latest recent_window */
	bool codeowner;
	uint32_t repo_recent;      /* commits to the repository in the last 90 days */
	uint32_t repo_recent_all;  /* everyone's, in the same days */
	uint32_t repo_week;        /* their commits in the last 7 days */
	bool latest;               /* made the repository's latest commit */
	double dir;                /* commits to the file's folder, with recency decay */
	double newcomers;          /* share of the repository's latest commits that were
	                            * their author's first: the same for every candidate,
	                            * it says how likely "none of them" is */
	double repo_days;          /* days since their last commit to the repository (<0: none) */
	double seed;               /* the seed's expertise score on the blamed file */
	double other;              /* relevance-weighted expertise on the other implicated files */
} rank_evidence;

/* The features of e, x[RANK_NFEATURES], each scaled to about 0..1. */
void rank_features(const rank_evidence *e, double *x);

/* The features that compare candidates (RANK_*_REL): each the candidate's own
 * feature over the highest among the n candidates, 0 when all are 0. x[i] is
 * candidate i's array, its own features already filled by rank_features. */
void rank_features_relative(double *const *x, size_t n);

/* The model's score of features x (a log-odds). */
double rank_score(const rank_model *m, const double *x);

/* The chance of each of n candidates with these scores, against the outside
 * option "none of them" (someone new fixes it) scoring 0: p[i] = exp(s_i) /
 * (1 + sum exp(s_j)). n may be 0. */
void rank_softmax(const double *score, double *p, size_t n);

/* The confidence (0..100) for a top candidate whose softmax chance is p. */
int rank_confidence(const rank_model *m, double p);

/* The Platt mapping (a, b) that fits outcomes y (0/1) to chances p by maximum
 * likelihood (Newton's method). Returns 0, or -1 with fewer than 10 points or
 * only one outcome. */
int rank_fit_platt(const double *p, const uint8_t *y, size_t n, double *a, double *b);

/* Per author of the history: commits in the `days` before the view's time and
 * in the week before it, and the time of their last commit (0: none), as of the
 * view. */
#define RANK_NEWCOMER_WINDOW 300

typedef struct rank_activity {
	uint32_t *recent;
	uint32_t *week;        /* commits in the 7 days before the view's time */
	const int64_t *last;   /* their last commit: the view's author_last, borrowed
	                        * (valid while the view lives; NULL if it has none) */
	int64_t latest;        /* the author of the newest commit, or -1 */
	size_t n;
	uint32_t recent_all;   /* everyone's commits in those days */
	double newcomers;      /* share of the last RANK_NEWCOMER_WINDOW commits that were
	                        * their author's first */
	double *dir;           /* rank_activity_dir: per author, decayed commits to a folder */
} rank_activity;

void rank_activity_init(rank_activity *a);
void rank_activity_free(rank_activity *a);
void rank_activity_compute(rank_activity *a, const history_view *v, double days);

/* After rank_activity_compute: per author, commits touching files directly in
 * the folder of path (as of the view), each weighted exp(-age/decay_days). */
void rank_activity_dir(rank_activity *a, const history_view *v, const char *path, double decay_days);

#endif
