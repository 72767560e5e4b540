/* The trace map by tree id (map_store.h). */
#include "map_store.h"

#include <stdlib.h>

#include "default_rev.h"
#include "strbuf.h"
#include "xalloc.h"

trace_map *map_store_open(store *s, int64_t repo_id, git_repository *repo, const char *rev,
			  char **err)
{
	char *dflt = rev ? NULL : default_rev(repo);
	const char *spec = rev ? rev : dflt;
	git_object *obj = NULL;
	git_tree *tree = NULL;
	if (git_revparse_single(&obj, repo, spec) < 0 ||
	    git_object_peel((git_object **)&tree, obj, GIT_OBJECT_TREE) < 0) {
		git_object_free(obj);
		*err = xasprintf("no revision '%s' in this repository", spec);
		free(dflt);
		return NULL;
	}
	git_object_free(obj);
	free(dflt);
	const unsigned char *id = git_tree_id(tree)->id;
	void *data = NULL;
	size_t len = 0;
	trace_map *m = NULL;
	if (store_trace_map_get(s, repo_id, id, &data, &len) == 1)
		m = trace_map_unpack(data, len); /* a damaged one is read again */
	free(data);
	if (!m && (m = trace_map_from_tree(repo, tree, err))) {
		strbuf packed = STRBUF_INIT;
		trace_map_pack(m, &packed);
		(void)store_trace_map_put(s, repo_id, id, packed.buf, packed.len);
		strbuf_release(&packed);
	}
	git_tree_free(tree);
	return m;
}
