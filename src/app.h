/* app: what every subcommand shares: the global options, and opening the database
 * and the settings the way the user asked for. */
#ifndef MAHORAGA_APP_H
#define MAHORAGA_APP_H

#include <stddef.h>
#include <stdbool.h>
#include <stdio.h>

#include "config.h"
#include "spells.h"
#include "store.h"

/* Exit statuses (DESIGN.md section 5). */
enum {
	EXIT_DONE = 0,
	EXIT_BAD_INPUT = 1,
	EXIT_USAGE = 2,
	EXIT_IO = 3,
};

struct app {
	const char *config_path;     /* --config, or NULL for the default */
	const char *db_path;         /* --db, or NULL for the default */
	const char **flags;          /* -c key=value, in order */
	size_t n_flags;
	char **env;                  /* the process environment */
	int no_color;                /* --no-color */
	int readonly;                /* --readonly */
	int wall;                    /* mahoraga wall */
};

/* Open (creating and migrating) the database; prints the error and returns an exit
 * status on failure, EXIT_DONE on success. */
int app_open_store(const struct app *app, store **out);

/* Load the settings from every source over the defaults; on failure prints each
 * problem and returns EXIT_BAD_INPUT. db may be NULL. */
int app_load_config(const struct app *app, store *db, config *cfg);

/* The same, its problems and warnings written to report (NULL: nowhere): the
 * worker inside the command center must not write on the screen. */
int app_load_config_to(const struct app *app, store *db, config *cfg, FILE *report);

/* The settings as they are, problems and all (cfg initialized here, to free):
 * what a new value is checked against before it is saved. */
void app_config_as_is(const struct app *app, store *db, config *cfg);

/* The value of option argv[*i] ("--db PATH" or "--db=PATH"), advancing *i past
 * it; NULL if argv[*i] is another option. A missing value is a usage error: the
 * message is printed and the process exits with EXIT_USAGE. */
const char *app_option_value(int argc, char **argv, int *i, const char *name);

/* True for -h and --help. */
int app_is_help(const char *arg);

/* One option of a subcommand: "--name VALUE" (or --name=VALUE) into *value,
 * or, with value NULL, a flag "--name" that sets *flag. */
struct app_opt {
	const char *name;
	const char **value;
	bool *flag;
};

/* The one option parser of the subcommands: argv (after the subcommand's
 * name) against opts (ended by a { NULL } entry; NULL for none). Other
 * arguments ("-" included) go into pos, at most maxpos; *npos (if not NULL)
 * gets how many. Returns -1 to go on; EXIT_DONE after printing usage on
 * stdout for -h or --help; EXIT_USAGE, with a message and usage on stderr,
 * for an unknown option, an option without its value or too many arguments. */
int app_parse(const char *cmd, const char *usage, int argc, char **argv, const struct app_opt *opts,
	      const char **pos, size_t maxpos, size_t *npos);

/* Print "mahoraga: <what>" on stderr, for every subcommand's errors. */
void app_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A progress line on stderr for long work: shown only when stderr is a terminal
 * and the work has taken more than a second. */
struct app_progress {
	const char *what;      /* "indexing history" */
	double start;
	int shown;
};
void app_progress_start(struct app_progress *p, const char *what);
/* A history_update progress callback (arg: the struct app_progress). */
void app_progress_commits(size_t walked, void *arg);
/* Ends the line if one was shown. */
void app_progress_done(struct app_progress *p);

/* The repository at dir, its id in the store ("local:<absolute path>"), for the
 * commands that read git history. Prints the error and returns an exit status. */
struct git_repository;
int app_open_repo(store *db, const char *dir, struct git_repository **repo, int64_t *repo_id);

/* An issue read from a file or standard input: plain text or markdown, or the
 * JSON object of `gh issue view --json title,body`. */
struct app_issue {
	char *title;     /* NULL for plain text */
	char *body;
	size_t body_len;
};
/* Read FILE ("-" or NULL: standard input). Prints errors; returns an exit status
 * (EXIT_BAD_INPUT for more than 16 MiB, EXIT_IO when it cannot be read). */
int app_read_issue(const char *file, struct app_issue *it);
void app_issue_free(struct app_issue *it);

/* The spellbook: the shipped spells, then the user's (next to the database),
 * which may override them. Bad files are reported on stderr and skipped. Sets
 * both directories (free them). Returns an exit status. */
int app_load_spells(const struct app *app, spellbook *b, char **shipped_dir, char **user_dir);

/* Where the shipped spells and the user's are (free both). Returns an exit
 * status (the user's need a database path). */
int app_spell_dirs(const struct app *app, char **shipped_dir, char **user_dir);

/* The worker's log file, next to the database; NULL without a database path. */
char *app_log_path(const struct app *app);

/* The log at path opened for appending, private to its owner (0600, like the
 * database: it names people and quotes issues), never through a link; NULL if
 * it cannot be. */
FILE *app_log_open(const char *path);

/* Subcommands: each gets argv after its own name. */
int cmd_config(const struct app *app, int argc, char **argv);
int cmd_triage(const struct app *app, int argc, char **argv);
int cmd_expertise(const struct app *app, int argc, char **argv);
int cmd_busfactor(const struct app *app, int argc, char **argv);
int cmd_spells(const struct app *app, int argc, char **argv);
int cmd_poll(const struct app *app, int argc, char **argv);
/* The command center; -1 if there is no terminal (the caller prints usage). */
int cmd_ui(const struct app *app, int argc, char **argv);
int cmd_wall(const struct app *app, int argc, char **argv);
int cmd_demo(const struct app *app, int argc, char **argv);
int cmd_users(const struct app *app, int argc, char **argv);
int cmd_info(const struct app *app, int argc, char **argv);
int cmd_calibrate(const struct app *app, int argc, char **argv);

#endif
