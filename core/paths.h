/* paths: where mahoraga keeps its files (XDG base directories).
 *
 * The environment is passed in rather than read with getenv() so that callers and
 * tests decide what it holds. */
#ifndef MAHORAGA_PATHS_H
#define MAHORAGA_PATHS_H

/* The value of name in env (a NULL-terminated "NAME=value" array), or NULL. An
 * empty value counts as unset, as the XDG specification asks. */
const char *paths_getenv(char *const *env, const char *name);

/* $MAHORAGA_CONFIG, else $XDG_CONFIG_HOME/mahoraga/config, else
 * $HOME/.config/mahoraga/config. NULL when neither XDG_CONFIG_HOME nor HOME is set. */
char *paths_config_file(char *const *env);

/* $MAHORAGA_DB, else $XDG_DATA_HOME/mahoraga/mahoraga.db, else
 * $HOME/.local/share/mahoraga/mahoraga.db. NULL as above. */
char *paths_db_file(char *const *env);

/* The user's spells: a "spells" folder next to the database file db. */
char *paths_user_spells_dir(const char *db);

/* The shipped spells: $MAHORAGA_DATA_DIR/spells if set, else datadir/spells if it
 * exists, else data/spells next to the running program (an uninstalled build in
 * its source tree). exe is the program's path (may be NULL). */
char *paths_shipped_spells_dir(char *const *env, const char *datadir, const char *exe);

/* Create the directory that holds file (and its parents) with mode 0700 where
 * missing. 0 on success, -1 with errno set. */
int paths_make_parent(const char *file);

#endif
