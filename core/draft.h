/* draft: a small fix, written as a commit on its own branch for a human to review.
 *
 * Only when a spell's fix recipe applies cleanly at the blamed line: one file,
 * fewer than 20 changed lines, a comment in the code saying what was changed and
 * why, and never a path outside the repository. The commit is made with libgit2
 * from the tree of the base revision, on a new branch mahoraga/draft-<label>: the
 * working tree, the index and the current branch are never touched. */
#ifndef MAHORAGA_DRAFT_H
#define MAHORAGA_DRAFT_H

#include <git2.h>
#include <stdbool.h>

#include "trace.h"

/* Fewer changed lines than this, or no draft (seed property 22). */
#define DRAFT_MAX_LINES 20
/* Every draft's title starts with this (seed property 23). */
#define DRAFT_TITLE_PREFIX "DRAFT - Review Required"

/* Who the draft commits are by: never anyone's expertise (core/expertise). */
#define DRAFT_AUTHOR_NAME "mahoraga"
#define DRAFT_AUTHOR_EMAIL "mahoraga@localhost"

typedef struct draft {
	char *branch;        /* "mahoraga/draft-<label>" */
	char *path;          /* repository path of the changed file */
	char *title;         /* "DRAFT - Review Required: ..." */
	char *diff;          /* unified diff */
	int lines_changed;   /* added + removed */
	git_oid commit;
} draft;

void draft_init(draft *d);
void draft_free(draft *d);

/* True if path is a plain relative path inside a repository: no "..", no
 * absolute or drive path, no ".git" folder. */
bool draft_path_is_safe(const char *path);

/* Apply recipe at line (1-based) of text (a file in language lang). On success
 * returns the new text (free it); NULL with *why set (static text) when the
 * recipe does not apply cleanly. */
char *draft_apply_recipe(const char *text, int line, const char *recipe, enum trace_lang lang,
			 const char **why);

/* Make the draft: recipe at path:line of base_rev (NULL: HEAD), committed on
 * mahoraga/draft-<label> with title and explanation in the message. Returns 0,
 * or -1 with *err set (free it) and nothing written. */
int draft_make(draft *d, git_repository *repo, const char *base_rev, const char *path, int line,
	       const char *recipe, enum trace_lang lang, const char *label, const char *title,
	       const char *explanation, char **err);

/* The same with a unified diff of path (a model's proposal, named by origin
 * in the commit message) instead of a recipe: kept only when it applies
 * cleanly at base_rev and passes the same rules. */
int draft_make_patch(draft *d, git_repository *repo, const char *base_rev, const char *path, int line,
		     const char *patch, const char *origin, const char *label, const char *title,
		     const char *explanation, char **err);

#endif
