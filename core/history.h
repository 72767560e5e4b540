/* history: who changed which file when, from one walk of a repository's history.
 *
 * The index holds every non-merge commit reachable from the tip (its time, its
 * author after .mailmap) and every file change they made, with renames followed:
 * a file keeps one id across renames. Trees are compared by object id, descending
 * only into subtrees that differ, which is what makes one walk cheap; libgit2's
 * rename detection runs only on the commits that add and delete files without an
 * exact match.
 *
 * "As of revision R" needs the commits reachable from R. Each commit carries the
 * position on the tip's first-parent chain (the mainline) of the first mainline
 * commit that reaches it, so for R on the mainline "reachable" is a comparison;
 * for any other R a walk marks the reachable commits.
 *
 * The index knows nothing of storage: core/history_store loads it from the
 * store, brings it up to date and saves it back (store_history_* read and write
 * it through this interface). It is updated incrementally: after a pull only
 * the new commits are walked. Bots and inactive users are filtered by the
 * queries (core/expertise), not here, so that changing those settings needs no
 * rebuild. */
#ifndef MAHORAGA_HISTORY_H
#define MAHORAGA_HISTORY_H

#include <git2.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>


/* HIST_INHERIT: a change of the file a new file was copied from, made before
 * the copy. git log --follow goes on through a copy ("C" status) as through a
 * rename, so a file split off another keeps the commits of what it came from. */
/* HIST_MERGE: a file that a merge brought in and that no indexed (non-merge)
 * commit of the walk placed at its path: a subtree merge (git/git's gitk-git/),
 * or a file whose last change in walk order was a side branch's delete. It
 * places the file and counts for nobody. */
enum history_kind { HIST_ADD = 'A', HIST_MODIFY = 'M', HIST_DELETE = 'D', HIST_RENAME = 'R',
		    HIST_INHERIT = 'H', HIST_MERGE = 'G' };

typedef struct history_commit {
	git_oid oid;
	int64_t time;        /* committer time, Unix seconds */
	int64_t author_time; /* author time: what "age" of a change means */
	uint32_t author;     /* index into authors */
	uint32_t mp;         /* first mainline position that reaches this commit */
	bool merge;          /* merges are indexed for reachability, never counted */
} history_commit;

typedef struct history_author {
	char *email;         /* after .mailmap, lower case */
	char *name;
} history_author;

typedef struct history_touch {
	uint32_t file;       /* file id, stable across renames */
	uint32_t commit;     /* index into commits */
	uint32_t path;       /* index into paths: the file's path after this commit */
	git_oid blob;        /* the content after this commit (zero for a delete) */
	char kind;           /* enum history_kind */
} history_touch;

typedef struct history_file {
	uint32_t *touches;   /* indices into touches, oldest first */
	size_t n, alloc;
} history_file;

typedef struct history {
	git_oid tip;
	history_commit *commits;   /* oldest first (topological) */
	size_t ncommits, commits_alloc;
	uint32_t *mainline;        /* commit indices of the tip's first-parent chain, oldest first */
	size_t nmainline, mainline_alloc;
	history_author *authors;
	size_t nauthors, authors_alloc;
	char **paths;
	size_t npaths, paths_alloc;
	history_touch *touches;
	size_t ntouches, touches_alloc;
	history_file *files;
	size_t nfiles, files_alloc;
	struct history_maps *maps; /* lookups by oid, email, path */
	size_t walked;             /* commits walked by the last build or update */
} history;

void history_init(history *h);
void history_free(history *h);

/* Bring h up to date with rev (NULL: core/default_rev) of repo: a full walk when h is empty
 * or the old tip is no longer on the new tip's first-parent chain, otherwise only
 * the new commits. progress, if not NULL, is called now and then with the number
 * of commits walked. Returns 0, or -1 with *err set (free it). */
int history_update(history *h, git_repository *repo, const char *rev,
		   void (*progress)(size_t walked, void *arg), void *arg, char **err);

/* After commits, mainline, authors, paths and touches of a fresh h were filled
 * (history_unpack): rebuild the files and the lookups. */
void history_finish_load(history *h);

/* The set of commits reachable from a revision, for "as of" queries. */
typedef struct history_view {
	const history *h;
	uint32_t limit;      /* mainline position of R, when R is on the mainline */
	uint8_t *reach;      /* else one flag per commit */
	int64_t now;         /* R's commit time */
	uint32_t rev_commit; /* index of R */
	int64_t *author_last; /* per author: their last (non-merge) commit R reaches, 0: none */
} history_view;

/* The view as of rev (NULL: the tip). Returns 0, or -1 with *err set. */
int history_view_at(history_view *v, const history *h, git_repository *repo,
		    const char *rev, char **err);
void history_view_free(history_view *v);

/* True if commit c is reachable from the view's revision. */
bool history_view_has(const history_view *v, uint32_t c);

/* The file id of path as it is at the view's revision, or -1 if it does not
 * exist there (never added, or deleted). */
int64_t history_file_at(const history_view *v, const char *path);

/* True if t is a change a person made (their commit counts for the file):
 * neither a delete nor a merge placing the file. */
bool history_touch_counts(const history_touch *t);

/* The index of commit oid in h->commits, or -1 if the index does not hold it. */
int64_t history_commit_index(const history *h, const git_oid *oid);

/* The index of the author with this email (after .mailmap), or -1. */
int64_t history_author_by_email(const history *h, const char *email);

#endif
