/* blame: who wrote each line of a file, as git blame -w would say.
 *
 * libgit2's git_blame_file searches the whole tree for renames at every commit
 * that touches the file, which makes it one to two orders of magnitude slower
 * than git on long histories. The history index already knows the file's
 * versions across renames, so the blame replays them: each version is diffed
 * against the one before (libgit2's blob diff, whitespace ignored), unchanged
 * lines keep their owner and new lines belong to the version's author. Results
 * are cached in the store by the blob id of the final version. */
#ifndef MAHORAGA_BLAME_H
#define MAHORAGA_BLAME_H

#include <git2.h>
#include <stddef.h>
#include <stdint.h>

#include "history.h"
#include "store.h"

typedef struct blame {
	uint32_t *owner;   /* per line (0-based): an author index of the history */
	size_t nlines;
	git_oid blob;      /* the version blamed */
	bool cached;       /* true if it came from the store's cache */
} blame;

void blame_init(blame *b);
void blame_free(blame *b);

/* Blame file (a history file id) as the view sees it. cache may be NULL; with a
 * store, results are read from and written to its cache for repo_id. Returns 0,
 * or -1 with *err set (free it). A deleted or binary file has no lines. */
int blame_file(blame *b, const history_view *v, git_repository *repo, uint32_t file,
	       store *cache, int64_t repo_id, char **err);

/* Lines owned by author a. */
size_t blame_lines_of(const blame *b, uint32_t a);

#endif
