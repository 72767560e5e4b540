/* trace_map: which file of the repository is each frame?
 *
 * Frames carry paths from the reporter's machine: installed packages
 * (site-packages/pkg/..., node_modules/pkg/...), Go module cache paths
 * (host/owner/repo@v1.2.3/...), Java package + file name, absolute and Windows
 * paths, file:// and webpack:// URLs. Each is matched to the repository tree by
 * its longest path suffix. Several equally long matches are reported as ties,
 * never guessed. */
#ifndef MAHORAGA_TRACE_MAP_H
#define MAHORAGA_TRACE_MAP_H

#include <git2.h>
#include <stddef.h>

#include "strbuf.h"
#include "trace.h"

typedef struct trace_map trace_map;

/* An index over n repository paths ("src/app/main.py"); the paths are copied. */
trace_map *trace_map_new(const char *const *paths, size_t n);

/* An index over the files of the tree of rev (NULL for HEAD) in the repository
 * at repo_dir. On failure returns NULL and sets *err to a message to free. */
trace_map *trace_map_load(const char *repo_dir, const char *rev, char **err);

/* The same over tree, read through repo. NULL and *err set on failure. */
trace_map *trace_map_from_tree(git_repository *repo, git_tree *tree, char **err);

void trace_map_free(trace_map *m);

/* Append m, whole (paths and identity files), to out: reading a large tree
 * costs more than the rest of a warm triage, so it is saved by tree id. */
void trace_map_pack(const trace_map *m, strbuf *out);

/* The map packed in len bytes by trace_map_pack, or NULL if they are not one. */
trace_map *trace_map_unpack(const void *data, size_t len);

/* Read a package identity file (package.json, go.mod, *.gemspec...) of the
 * repository at path, so that frames inside installed copies of the package
 * map back to it. trace_map_load does this for the files of its tree. */
void trace_map_add_identity(trace_map *m, const char *path, const char *content, size_t len);

/* How many paths the index holds. */
size_t trace_map_size(const trace_map *m);

/* Match one frame: sets repo_path (or ties) and in_app (true when the frame is
 * a repository file outside vendored folders). */
void trace_map_frame(const trace_map *m, trace_frame *f);

/* Match every frame and location of t, then re-rank and choose app_frame. */
void trace_map_apply(const trace_map *m, trace *t);

/* Where an installed copy of the repository's package would hold path (see
 * pkgids_installed), or NULL. */
char *trace_map_installed(const trace_map *m, const char *path);
#endif
