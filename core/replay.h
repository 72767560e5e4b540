/* replay: a repository's own past bug fixes, as the bug reports users would
 * have filed.
 *
 * A fix is a non-merge commit whose message says fix, bug, crash or error (not
 * typo, docs, lint...) and that changes exactly one source file of the
 * repository's main language, outside tests, examples and vendored code, by 1
 * to 20 lines. Its report is a stack trace in that language pointing at the
 * first changed line as it was at the fix's parent (for an insertion, the first
 * code line after it), with the function around it, and with the path an
 * installed copy of the package would print. Triaging that report as of the
 * parent and comparing with the fix's author is how `mahoraga calibrate`
 * measures the ranking on the project's own history. */
#ifndef MAHORAGA_REPLAY_H
#define MAHORAGA_REPLAY_H

#include <git2.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "history.h"
#include "trace_map.h"

/* A fix's changes: at most this many lines (added plus removed). */
#define REPLAY_MAX_CHANGED 20

typedef struct replay_fix {
	git_oid commit, parent;
	uint32_t commit_index;  /* in the history */
	char *path;             /* the file, at the parent */
	int line;               /* 1-based, in the parent's version */
	char *code;             /* that line's text, trimmed */
	char *function;         /* the function around it at the parent, or NULL */
	char *scope;            /* its package, namespace or module, or NULL */
	const char *fixer;      /* the fix's author (the history's email) */
	char *subject;          /* the message's first line */
	int changed;            /* lines added plus removed */
} replay_fix;

typedef struct replay_set {
	replay_fix *v;
	size_t n, alloc;
	const char *lang;       /* the main language: "python", "javascript", "go",
	                         * "java", "kotlin", "ruby", "rust", "php", "csharp",
	                         * "c" (C and C++), or NULL if none of these */
	size_t scanned;         /* commits looked at */
	size_t said_fix;        /* of those, messages that say fix */
} replay_set;

void replay_set_init(replay_set *s);
void replay_set_free(replay_set *s);

/* True if a commit message reads as a bug fix (fix/bug/crash/error, and not
 * about typos, docs, lint, formatting, versions or reverts). */
bool replay_says_fix(const char *message);

/* The language of path by its extension (one of replay_set's names), or NULL. */
const char *replay_language_of(const char *path);

/* True if path is source a user's program runs: not tests, examples, docs,
 * benchmarks or vendored code. */
bool replay_is_product_source(const char *path);

/* The fixes among the commits the view sees, newest first, at most max (0: no
 * limit). Sets s->lang to the main language of the view's tree. Returns 0, or
 * -1 with *err set. */
int replay_mine(replay_set *s, git_repository *repo, const history_view *v, size_t max, char **err);

/* The bug report for fix f in language lang: a stack trace as the runtime
 * prints it, the file under the path map says an installed copy would have
 * (else a deployed checkout's path). To free. */
char *replay_report(const replay_fix *f, const char *lang, const trace_map *map);

#endif
