/* Load, update and save the history index (history_store.h). */
#include "history_store.h"

#include "xalloc.h"

int history_store_open(history *h, store *s, int64_t repo_id, git_repository *repo,
		       void (*progress)(size_t walked, void *arg), void *arg, char **err)
{
	if (store_history_load(s, repo_id, h) < 0) {
		*err = xasprintf("reading the history index: %s", store_error(s));
		return -1;
	}
	if (history_update(h, repo, NULL, progress, arg, err) < 0)
		return -1;
	if (h->walked && store_history_save(s, repo_id, h) < 0) {
		*err = xasprintf("saving the history index: %s", store_error(s));
		return -1;
	}
	return 0;
}
