/* history_store: the history index kept in the store between runs.
 *
 * The loader between core/history (which knows nothing of SQLite) and the
 * store (which reads and writes the index through history.h): load the saved
 * index, walk only the commits that are new, save it back when anything was
 * walked. */
#ifndef MAHORAGA_HISTORY_STORE_H
#define MAHORAGA_HISTORY_STORE_H

#include <git2.h>
#include <stddef.h>
#include <stdint.h>

#include "busfactor.h"
#include "history.h"
#include "store.h"

/* The index for repo_id, current with the repository's HEAD: loaded from the
 * store, updated with the new commits (all of them the first time), and saved
 * back when anything was walked. h must be fresh from history_init. Returns 0,
 * or -1 with *err set (free it). */
int history_store_open(history *h, store *s, int64_t repo_id, git_repository *repo,
		       void (*progress)(size_t walked, void *arg), void *arg, char **err);

/* Keep the bus factor's risky files saved for repo_id current with h's tip and
 * the options o (bots, critical globs, who is inactive): computed again only
 * when one of them changed since the last save. The command center reads what
 * this saves instead of computing it. Returns 1 when it saved them anew, 0
 * when they were current, or -1 with *err set. */
int history_store_risk(store *s, int64_t repo_id, const history *h, const busfactor_opts *o,
		       char **err);

/* How many of a repository's risky files are saved (the command center's pane
 * shows no more). */
#define HISTORY_STORE_RISK_MAX 200

#endif
