/* tree_cache: the trees of the last two commits a history walk compared.
 *
 * Walking oldest first, a commit's tree and the folders on the path to its
 * changes are read again as the "before" side of the next commit. libgit2's
 * object cache would keep them, but it keeps every tree of the history too
 * (up to 256 MiB), which is most of a walk's memory; this keeps only what the
 * next commit can use. A tree is read raw from the object database and split
 * here into its entries (name, mode, id, in git's order): without libgit2's
 * tree objects a build of git/git took 5.0-5.4 s instead of 7.0-7.7 s. */
#ifndef MAHORAGA_TREE_CACHE_H
#define MAHORAGA_TREE_CACHE_H

#include <git2.h>
#include <stdint.h>

typedef struct tree_cache tree_cache;

typedef struct raw_entry {
	const char *name;        /* NUL-terminated, inside the tree's data */
	uint32_t namelen;
	uint32_t mode;           /* 040000 a folder, 0160000 a submodule, else a file */
	const unsigned char *id; /* GIT_OID_RAWSZ bytes */
} raw_entry;

typedef struct raw_tree {
	git_oid id;
	git_odb_object *obj;     /* the object read: the entries point into it */
	raw_entry *e;
	size_t n;
} raw_tree;

/* A cache reading trees from repo. */
tree_cache *tree_cache_new(git_repository *repo);

/* The tree with this id, read from the repository unless the cache holds it.
 * The tree belongs to the cache: valid until the second tree_cache_next after
 * this call. Returns 0, or a libgit2 error (< 0, git_error_last says it). */
int tree_cache_get(tree_cache *c, const git_oid *id, const raw_tree **out);

/* The repository's object database the cache reads through, for reading
 * other objects' headers in the same commit (NULL when it cannot be opened;
 * the error is cleared). Valid until the next tree_cache_next. */
git_odb *tree_cache_odb(tree_cache *c);

/* Read another object of the same commit (a blob) through that database,
 * counted with the trees towards its reopening: the blobs a rename search
 * reads fill libgit2's cache too. Returns 0, or a libgit2 error (< 0). */
int tree_cache_read(tree_cache *c, const git_oid *id, git_odb_object **out);

/* Git's order of two entries: by name, a folder as if its name ended in '/'. */
int raw_entry_cmp(const raw_entry *a, const raw_entry *b);

/* Start the next commit: trees asked for neither in this commit nor in the one
 * before are freed. After each 4 MiB of objects read (the first 8 times) the
 * repository's caches are dropped too (git_repository__cleanup), to empty
 * libgit2's delta-base cache: the repository must not be in use elsewhere. */
void tree_cache_next(tree_cache *c);

void tree_cache_free(tree_cache *c);

#endif
