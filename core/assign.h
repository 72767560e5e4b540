/* assign: who gets the bug, how sure we are, and where it goes.
 *
 * Candidates are the developers of the files the trace implicates. Each is
 * described by the evidence a triager would look at (core/rank: last change of
 * the file, the blamed line and its region, lines owned, commits with recency
 * decay, recent activity, code owner, the seed's expertise score) and ranked by
 * the model fitted on replays of real bug fixes; the confidence is the
 * calibrated chance that the top candidate fixes the bug. The route follows the
 * thresholds (DESIGN.md 3.6). Candidates whose chance is within a tenth of the
 * best go to the one with the lighter workload (seed property 12); people who
 * already had the issue never get it again (property 11); inactive people
 * never appear (property 13, done by core/expertise). */
#ifndef MAHORAGA_ASSIGN_H
#define MAHORAGA_ASSIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "expertise.h"
#include "rank.h"

typedef struct assign_input {
	const expertise_file *files;    /* files[0] is the blamed file */
	const double *weights;          /* relevance of each file's frame, 0..1 */
	size_t nfiles;
	bool mapped;                    /* the app frame is a file of the repository */
	int blamed_line;                /* 0 if unknown */
	const char *last_author;        /* email of the blamed file's last change, or NULL */
	const rank_model *model;        /* NULL: rank_default */
	const rank_activity *activity;  /* per author of the history; may be NULL */
	const history *h;               /* for the authors below */
	const uint32_t *active;         /* authors most active in the repository lately:
	                                 * candidates even if they never touched the
	                                 * files (a maintainer who fixes what breaks) */
	size_t nactive;
	const char *const *owners;      /* CODEOWNERS of the blamed file, as emails */
	size_t nowners;
	const char *const *previous;    /* who had this issue before */
	size_t nprevious;
	int (*workload)(const char *email, void *arg); /* open bugs; may be NULL */
	void *arg;
	int overload_limit;             /* triage.overload_limit */
	int draft_threshold;            /* triage.draft_threshold */
	int assign_threshold;           /* triage.assign_threshold */
	int64_t now;                    /* for "recent" */
	double decay_days;
} assign_input;

typedef struct assign_candidate {
	const char *email, *name;       /* expertise's strings */
	double score;                   /* the model's score (log-odds) */
	double chance;                  /* softmax of the scores: the chance they fix it */
	double x[RANK_NFEATURES];       /* the features the model weighed */
	rank_evidence ev;               /* what the features were made from */
	int commits, recent_commits;
	size_t lines_owned, total_lines;  /* on the blamed file */
	int64_t last_commit;
	bool owns_line, codeowner, last_author;
	int workload;
	bool overloaded;
} assign_candidate;

typedef struct assign_result {
	assign_candidate *candidates;   /* ranked, best first */
	size_t ncandidates;
	long assignee;                  /* index into candidates, or -1 */
	int confidence;                 /* 0..100 */
	const char *route;              /* "draft_fix" | "assign" | "human" */
	char *reasoning;                /* one paragraph */
	size_t skipped_previous;        /* candidates left out because they had it */
} assign_result;

void assign_result_init(assign_result *r);
void assign_result_free(assign_result *r);

/* Decide. Never fails. */
void assign_decide(assign_result *r, const assign_input *in);

/* The evidence that raised candidate c's score, strongest first, as short
 * phrases ("changed the file last", "wrote line 12"): at most max of them into
 * out (each to free). line is the blamed line (0: unknown). */
size_t assign_reasons(const assign_candidate *c, const rank_model *m, int line, char **out, size_t max);

/* The route for a confidence under the thresholds: above draft -> "draft_fix",
 * from assign -> "assign", else "human". */
const char *assign_route(int confidence, int draft_threshold, int assign_threshold);

#endif
