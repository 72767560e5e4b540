/* codeowners: who GitHub says owns a path, from the repository's CODEOWNERS.
 *
 * GitHub's semantics: gitignore-like patterns (no '!' negation), one rule per
 * line with owners after the pattern (@user, @org/team or an email), the last
 * matching line wins, and a matching line with no owners leaves the path without
 * an owner. The file is read from .github/CODEOWNERS, CODEOWNERS or
 * docs/CODEOWNERS, the first that exists, as GitHub does. */
#ifndef MAHORAGA_CODEOWNERS_H
#define MAHORAGA_CODEOWNERS_H

#include <git2.h>
#include <stddef.h>

typedef struct codeowners_rule {
	char *pattern;     /* as written */
	char **segs;       /* the pattern split at '/', without leading and trailing '/' */
	size_t nsegs;
	int anchored;      /* matches from the repository root */
	int dir_only;      /* written with a trailing '/' */
	char **owners;
	size_t nowners;
	int line;
} codeowners_rule;

typedef struct codeowners {
	codeowners_rule *rules;
	size_t n, alloc;
	char **errors;     /* "CODEOWNERS:3: ..." for lines GitHub would flag */
	size_t nerrors;
	char *path;        /* where it was read from, or NULL */
} codeowners;

void codeowners_init(codeowners *c);
void codeowners_free(codeowners *c);

/* Parse text (len bytes). Never fails: bad lines and owners are skipped and
 * listed in errors. origin names the file in the messages. */
void codeowners_parse(codeowners *c, const char *text, size_t len, const char *origin);

/* Read the CODEOWNERS file of the tree of rev (NULL: HEAD). 1 if one was found,
 * 0 if the repository has none, -1 on a git error. */
int codeowners_load(codeowners *c, git_repository *repo, const char *rev);

/* The owners of path (the last matching rule's; *n = 0 when no rule matches or
 * the rule names nobody). The rule is returned through *rule if not NULL. */
char *const *codeowners_for(const codeowners *c, const char *path, size_t *n,
			    const codeowners_rule **rule);

#endif
