/* default_rev: the revision of a repository mahoraga reads when none is given.
 *
 * The repository's default branch, not whatever is checked out: with one of
 * mahoraga's draft branches checked out in the clone, triage read the draft
 * and assigned the next bug to mahoraga itself. */
#ifndef MAHORAGA_DEFAULT_REV_H
#define MAHORAGA_DEFAULT_REV_H

#include <git2.h>

/* The local branch that origin/HEAD names (else origin's own), else
 * init.defaultBranch, main, master or trunk, else HEAD. Returns a reference
 * name to free. */
char *default_rev(git_repository *repo);

#endif
