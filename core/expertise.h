/* expertise: who truly knows a file, as of a revision.
 *
 * The seed's formula per developer and file: score = sum over their commits of
 * exp(-age_days/decay) + line_weight * lines_owned / total_lines, plus a bonus for
 * owning the exact line a trace blames. Ages count from the revision's commit
 * time. Bots (configurable patterns) and inactive users never appear; when
 * nobody active is left, the file says so and the bug goes to human triage. */
#ifndef MAHORAGA_EXPERTISE_H
#define MAHORAGA_EXPERTISE_H

#include <git2.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "history.h"
#include "store.h"

typedef struct expertise_opts {
	double decay_days;           /* triage.decay_days */
	double line_weight;          /* expertise.line_weight */
	double line_bonus;           /* expertise.line_bonus */
	int line;                    /* the blamed line (1-based), 0 for none */
	const char *const *bots;     /* expertise.bots patterns */
	size_t nbots;
	/* what the users table says of the developer with this email
	 * (USER_ACTIVE, USER_INACTIVE, USER_UNLISTED); may be NULL */
	int (*user_state)(const char *email, void *arg);
	void *arg;
	int64_t inactive_after;      /* expertise.inactive_after: seconds without a
	                              * commit after which an unlisted developer has
	                              * left (0: never) */
	store *cache;                /* blame cache, may be NULL */
	int64_t repo_id;
} expertise_opts;

typedef struct expertise_dev {
	const char *email;           /* the history's strings */
	const char *name;
	uint32_t author;             /* index into the history's authors */
	int commits;
	int64_t first_commit, last_commit;
	double decayed;              /* sum of exp(-age_days/decay) */
	size_t lines_owned;
	bool owns_line;              /* wrote the blamed line */
	size_t region_owned;         /* lines owned near the blamed line */
	bool region_latest;          /* wrote the newest of the lines near it */
	int file_order;              /* 1 for the file's last author, 2 for the one
	                              * before...; by each one's last change */
	int recent;                  /* their commits among the file's last
	                              * EXPERTISE_RECENT commits */
	double score;
} expertise_dev;

/* The lines either side of the blamed line that count as its region, and the
 * number of the file's latest commits that count as "recent". */
#define EXPERTISE_REGION 10
#define EXPERTISE_RECENT 10

typedef struct expertise_file {
	char *path;
	bool found;                  /* the path exists at the revision */
	size_t total_lines;
	size_t region_lines;         /* lines in the blamed line's region */
	double line_days;            /* age of the blamed line, in days (-1: unknown) */
	int recent_commits;          /* min(EXPERTISE_RECENT, commits to the file) */
	expertise_dev *devs;         /* ranked, best first */
	size_t ndevs;
	size_t excluded;             /* bots and inactive developers left out */
	const char *line_owner;      /* email of the blamed line's author, even if excluded */
} expertise_file;

void expertise_file_init(expertise_file *f);
void expertise_file_free(expertise_file *f);

/* Expertise for path as the view sees it. Returns 0 (a path missing at the
 * revision is not an error: found is false), or -1 with *err set. */
int expertise_for(expertise_file *out, const history_view *v, git_repository *repo,
		  const char *path, const expertise_opts *o, char **err);

enum { USER_UNLISTED = -1, USER_INACTIVE = 0, USER_ACTIVE = 1 };

/* True if the author has left, as of the view: the users table says inactive,
 * or it does not list them and their last commit is more than inactive_after
 * seconds before the view's time (0: never by time). */
bool expertise_is_inactive(const history_view *v, uint32_t author, int64_t inactive_after,
			   int (*user_state)(const char *email, void *arg), void *arg);

/* True if name or email matches one of the bot patterns (case-insensitive
 * substrings) or, with any pattern given, the name has "bot" as a word; and
 * always for mahoraga's own draft commits. */
bool expertise_is_bot(const char *name, const char *email, const char *const *bots, size_t n);

#endif
