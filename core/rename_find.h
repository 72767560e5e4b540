/* rename_find: which added files of one commit are renames or copies, as git
 * log --follow pairs them (diffcore-rename with -M50% -C).
 *
 * It used to be libgit2's git_diff_find_similar on a diff built for the
 * purpose: libgit2's trees, every candidate blob read through its diff and
 * scored by its hashsig, 40-50% of an index build on flask and express (git
 * log reads no blob that sizes alone rule out). Here blob sizes come from the
 * object headers, only blobs whose sizes can reach half are read, each once,
 * and scored by git's own estimate (core/similarity). */
#ifndef MAHORAGA_RENAME_FIND_H
#define MAHORAGA_RENAME_FIND_H

#include <git2.h>
#include <stdbool.h>
#include <stddef.h>

#include "tree_cache.h"

typedef struct rename_file {
	char kind;        /* 'A' added: a target; 'D' deleted: a rename source;
			   * 'M' modified: a copy source (its old blob); else ignored */
	const char *path; /* git prefers a source of the same file name on equal scores */
	git_oid blob;
} rename_file;

typedef struct rename_pair {
	int from;         /* index of the source in the files, -1: none */
	bool copy;        /* the source was already renamed, or is kept (a copy) */
} rename_pair;

/* For every target, its source, as git pairs them: the highest score first
 * (at least half of SIMILARITY_MAX); a deleted file is renamed once, and once
 * every rename is placed the remaining targets may copy any source; equal
 * scores go to a source of the same file name. Blobs that cannot be read (a
 * partial clone, a submodule) or are over 16 MiB take part in nothing; more
 * than 1,000 x 1,000 candidates are not compared (git's rename limit). out
 * has n entries; targets without a source and non-targets get from = -1.
 * Blobs are read through tc (their headers from its object database); when
 * that cannot be opened nothing is paired. */
void rename_find(tree_cache *tc, const rename_file *f, size_t n, rename_pair *out);

#endif
