/* triage: one decision per bug (DESIGN.md section 3).
 *
 * issue text -> parse -> map -> signals -> expertise for the implicated files
 * (weighted by frame relevance) -> analysis -> assignment, with the time of each
 * stage. The analyzer is an interface: the rule-based one (spells and error-type
 * knowledge) ships here; the LLM-backed one (src/llm_analyzer) plugs into the
 * same place and falls back to it. */
#ifndef MAHORAGA_TRIAGE_H
#define MAHORAGA_TRIAGE_H

#include <git2.h>
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "assign.h"
#include "codeowners.h"
#include "dedup.h"
#include "draft.h"
#include "expertise.h"
#include "rank.h"
#include "history.h"
#include "signals.h"
#include "spells.h"
#include "store.h"
#include "trace.h"
#include "trace_map.h"

typedef struct triage_analysis {
	char *explanation;       /* plain words about the error */
	char *root_cause;        /* a hypothesis a human can check */
	char **affected;         /* repository files beyond the blamed one */
	size_t naffected;
	const spell *spell;      /* the best matching spell, or NULL */
	int spell_score;
	const char *by;          /* the analyzer that answered: "rules", "llm" */
	char *by_why;            /* why the rules answered when another analyzer
	                          * was asked (its answer refused, its service
	                          * down), or NULL */
	char *fix_path;          /* a fix the analyzer proposed as a unified diff */
	char *fix_diff;          /* of one file (drafted when no recipe applies), */
	char *fix_title;         /* or all NULL */
	char *proposed_spell;    /* a new spell's file text, for a human to
	                          * accept (no spell matched), or NULL */
} triage_analysis;

struct triage_decision;
struct triage_env;

/* An analyzer fills the analysis from the decision so far (trace, signals,
 * expertise). Returns 0, or -1 with *err set; the pipeline then falls back to
 * the rule-based analyzer. */
typedef struct triage_analyzer {
	const char *name;
	int (*analyze)(const struct triage_analyzer *self, const struct triage_env *env,
		       const struct triage_decision *d, triage_analysis *out, char **err);
	void *state;
} triage_analyzer;

/* The analyzer made of spells and error-type knowledge. */
extern const triage_analyzer triage_rule_analyzer;

/* Empty an analysis (another analyzer's answer replaces the rules'). */
void triage_analysis_free(triage_analysis *a);

typedef struct triage_env {
	git_repository *repo;        /* NULL: no repository, no expertise */
	const history *h;
	const history_view *view;
	const trace_map *map;
	const spellbook *spells;     /* may be NULL */
	const codeowners *owners;    /* may be NULL */
	store *db;                   /* blame cache, workload, users, history of
	                              * assignments; may be NULL */
	int64_t repo_id;
	int64_t issue_id;            /* 0 when the issue is not in the store */
	expertise_opts expertise;    /* decay, weights, bots, inactive */
	int draft_threshold, assign_threshold, overload_limit;
	const rank_model *model;     /* the ranking (NULL: rank_default); a
	                              * repository's own calibration changes its
	                              * Platt mapping */
	bool draft_fixes;            /* triage.draft_fixes */
	const char *rev;             /* the revision drafts start from (NULL: HEAD) */
	const char *draft_label;     /* names the draft branch (the issue number);
	                              * NULL: the fingerprint */
	int64_t reported_at;         /* when the issue was reported (duplicates) */
	int64_t duplicate_window;    /* triage.duplicate_window, seconds */
	const triage_analyzer *analyzer; /* NULL: the rule-based one */
	double budget_ms;            /* a bound on one issue: past it, no file after
	                              * the blamed one is read (0: none). The worker's,
	                              * so that one issue cannot hold up the rest */
} triage_env;

typedef struct triage_timings {
	double parse, map, signals, expertise, analysis, assign, total;
} triage_timings;

typedef struct triage_decision {
	trace t;
	signals sig;
	char *fingerprint;
	dedup_result duplicate;      /* against earlier reports, when the issue is stored */
	bool checked_duplicates;
	int duplicate_of;            /* the open, assigned issue this one duplicates: */
	char *duplicate_owner;       /* its number and assignee (NULL: none) */
	expertise_file *files;       /* files[0] is the blamed one */
	double *weights;
	size_t nfiles;
	triage_analysis analysis;
	assign_result assign;
	draft draft;                 /* when route is "draft_fix" */
	char *no_draft;              /* why a draft_fix decision got no draft, or NULL */
	bool cut_short;              /* the budget ran out: fewer files were read */
	const char *route;           /* the final route */
	const rank_model *model;     /* the ranking that decided */
	triage_timings ms;
	const char *title;           /* the issue's title, during triage_run only */
} triage_decision;

void triage_decision_init(triage_decision *d);
void triage_decision_free(triage_decision *d);

/* Decide about one issue. Returns 0, or -1 with *err set (a git or store
 * failure; bad issue text is never an error). */
int triage_run(triage_decision *d, const triage_env *env, const char *title, const char *body,
	       size_t len, char **err);

/* The decision as `mahoraga triage --format json` prints it (DESIGN.md 5). */
json_t *triage_json(const triage_decision *d);

#endif
