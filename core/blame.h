/* blame: who wrote each line of a file, as git blame -w -M would say.
 *
 * The algorithm is git's: the lines start as suspects of the revision's commit;
 * a commit passes all of them to the first parent with the same content,
 * otherwise it diffs its version against each parent in order (first parent
 * first; whitespace ignored, git's tail trimming and indent heuristic) and
 * passes the unchanged lines on; what is left is looked for as moved blocks in
 * each parent's version (-M); the rest is the commit's own. A path a parent
 * lacks is followed through the rename libgit2 finds between the two trees.
 * Suspects are taken newest commit first and joined when several routes reach
 * one commit. A non-merge commit that the history index says leaves the path
 * alone passes the lines on without reading anything. Copies from other files
 * (-C) are not followed. Results are cached in the store by the blob id and the
 * path of the blamed version (two files with the same text have different
 * histories). */
#ifndef MAHORAGA_BLAME_H
#define MAHORAGA_BLAME_H

#include <git2.h>
#include <stddef.h>
#include <stdint.h>

#include "history.h"
#include "store.h"

typedef struct blame {
	uint32_t *owner;   /* per line (0-based): an author index of the history */
	int64_t *when;     /* per line: the author time of the commit that wrote it */
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
