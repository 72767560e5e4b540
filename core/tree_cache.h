/* tree_cache: the trees of the last two commits a history walk compared.
 *
 * Walking oldest first, a commit's tree and the folders on the path to its
 * changes are read again as the "before" side of the next commit. libgit2's
 * object cache would keep them, but it keeps every tree of the history too
 * (up to 256 MiB), which is most of a walk's memory; this keeps only what the
 * next commit can use. */
#ifndef MAHORAGA_TREE_CACHE_H
#define MAHORAGA_TREE_CACHE_H

#include <git2.h>

typedef struct tree_cache tree_cache;

/* A cache reading trees from repo. */
tree_cache *tree_cache_new(git_repository *repo);

/* The tree with this id, read from the repository unless the cache holds it.
 * The tree belongs to the cache: valid until the second tree_cache_next after
 * this call. Returns 0, or a libgit2 error (< 0). */
int tree_cache_get(tree_cache *c, const git_oid *id, git_tree **out);

/* Start the next commit: trees asked for neither in this commit nor in the one
 * before are freed. */
void tree_cache_next(tree_cache *c);

void tree_cache_free(tree_cache *c);

#endif
