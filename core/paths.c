#include "paths.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "xalloc.h"

const char *paths_getenv(char *const *env, const char *name)
{
	if (!env)
		return NULL;
	size_t n = strlen(name);
	for (; *env; env++) {
		if (strncmp(*env, name, n) == 0 && (*env)[n] == '=')
			return (*env)[n + 1] ? *env + n + 1 : NULL;
	}
	return NULL;
}

static char *xdg_file(char *const *env, const char *override, const char *xdg_var,
		      const char *home_rel, const char *name)
{
	const char *v = paths_getenv(env, override);
	if (v)
		return xstrdup(v);
	v = paths_getenv(env, xdg_var);
	/* The specification says relative values are invalid and must be ignored. */
	if (v && v[0] == '/')
		return xasprintf("%s/mahoraga/%s", v, name);
	v = paths_getenv(env, "HOME");
	if (!v)
		return NULL;
	return xasprintf("%s/%s/mahoraga/%s", v, home_rel, name);
}

char *paths_config_file(char *const *env)
{
	return xdg_file(env, "MAHORAGA_CONFIG", "XDG_CONFIG_HOME", ".config", "config");
}

char *paths_db_file(char *const *env)
{
	return xdg_file(env, "MAHORAGA_DB", "XDG_DATA_HOME", ".local/share", "mahoraga.db");
}

int paths_make_parent(const char *file)
{
	char *dir = xstrdup(file);
	char *slash = strrchr(dir, '/');
	if (!slash || slash == dir) {
		free(dir);
		return 0;
	}
	*slash = '\0';
	for (char *p = dir + 1; ; p++) {
		if (*p == '/' || *p == '\0') {
			char c = *p;
			*p = '\0';
			if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
				int e = errno;
				free(dir);
				errno = e;
				return -1;
			}
			*p = c;
			if (c == '\0')
				break;
		}
	}
	free(dir);
	return 0;
}

char *paths_user_spells_dir(const char *db)
{
	const char *slash = strrchr(db, '/');
	if (!slash)
		return xstrdup("spells");
	return xasprintf("%.*s/spells", (int)(slash - db), db);
}

static bool is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

char *paths_shipped_spells_dir(char *const *env, const char *datadir, const char *exe)
{
	const char *d = paths_getenv(env, "MAHORAGA_DATA_DIR");
	if (d)
		return xasprintf("%s/spells", d);
	char *p = xasprintf("%s/spells", datadir);
	if (is_dir(p))
		return p;
	free(p);
	if (exe && strrchr(exe, '/')) {
		const char *slash = strrchr(exe, '/');
		p = xasprintf("%.*s/data/spells", (int)(slash - exe), exe);
		if (is_dir(p))
			return p;
		free(p);
	}
	return xasprintf("%s/spells", datadir);
}
