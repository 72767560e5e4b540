/* The revision read when none is given (default_rev.h). */
#include "default_rev.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* True if refname names a reference of repo. */
static bool has_ref(git_repository *repo, const char *refname)
{
	git_reference *r = NULL;
	bool found = git_reference_lookup(&r, repo, refname) == 0;
	git_reference_free(r);
	return found;
}

char *default_rev(git_repository *repo)
{
	git_reference *origin = NULL;
	if (git_reference_lookup(&origin, repo, "refs/remotes/origin/HEAD") == 0 &&
	    git_reference_type(origin) == GIT_REFERENCE_SYMBOLIC) {
		const char *target = git_reference_symbolic_target(origin);
		const char *prefix = "refs/remotes/origin/";
		if (target && strncmp(target, prefix, strlen(prefix)) == 0) {
			char *found = xasprintf("refs/heads/%s", target + strlen(prefix));
			if (!has_ref(repo, found)) {
				free(found);
				found = has_ref(repo, target) ? xstrdup(target) : NULL;
			}
			git_reference_free(origin);
			if (found)
				return found;
			origin = NULL;
		}
	}
	git_reference_free(origin);
	git_config *cfg = NULL;
	git_buf name = { 0 };
	if (git_repository_config_snapshot(&cfg, repo) == 0 &&
	    git_config_get_string_buf(&name, cfg, "init.defaultBranch") == 0) {
		char *ref = xasprintf("refs/heads/%s", name.ptr);
		git_buf_dispose(&name);
		git_config_free(cfg);
		if (has_ref(repo, ref))
			return ref;
		free(ref);
	} else {
		git_config_free(cfg);
	}
	static const char *const usual[] = { "refs/heads/main", "refs/heads/master", "refs/heads/trunk" };
	for (size_t i = 0; i < sizeof(usual) / sizeof(*usual); i++)
		if (has_ref(repo, usual[i]))
			return xstrdup(usual[i]);
	return xstrdup("HEAD");
}
