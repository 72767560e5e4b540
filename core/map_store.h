/* map_store: the trace map of a repository's tree, kept in the store by tree id.
 *
 * Mapping frames needs every path of the tree; reading a tree of thousands of
 * files cost more than the rest of a warm triage. The map is saved packed
 * (core/trace_map) with the id of its tree and read back while the tree is the
 * same. */
#ifndef MAHORAGA_MAP_STORE_H
#define MAHORAGA_MAP_STORE_H

#include <git2.h>
#include <stdint.h>

#include "store.h"
#include "trace_map.h"

/* The map of the tree of rev (NULL: HEAD) of repo: from the store when it was
 * saved for that tree, else read and saved. A store that cannot be read or
 * written only costs the reading. NULL and *err set (free it) on failure. */
trace_map *map_store_open(store *s, int64_t repo_id, git_repository *repo, const char *rev,
			  char **err);

#endif
