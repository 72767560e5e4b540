/* config: settings, and where each value came from.
 *
 * Precedence, lowest first: built-in defaults < the config file (git-config syntax,
 * read with libgit2) < settings saved from the TUI in the database < environment <
 * command-line flags (-c key=value). Every value remembers its source and place
 * ("/home/u/.config/mahoraga/config:12", "MAHORAGA_TRIAGE_DRAFT_THRESHOLD"), and a
 * value saved in the database that a higher source hides is kept so that the
 * settings editor can say it is overridden.
 *
 * Secrets (tokens) come from the environment only, are never saved to the
 * database, never accepted as flags (process arguments are visible to every user),
 * and are masked whenever a value is shown. */
#ifndef MAHORAGA_CONFIG_H
#define MAHORAGA_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

enum cfg_key {
	CFG_GITHUB_API_URL,
	CFG_GITHUB_TOKEN,
	CFG_GITHUB_WEBHOOK_SECRET,
	CFG_GITHUB_WRITE,
	CFG_GITHUB_LABEL_PREFIX,
	CFG_GITHUB_APP_ID,
	CFG_GITHUB_APP_KEY_FILE,
	CFG_GITHUB_WRITE_PACE,
	CFG_TRIAGE_DRAFT_THRESHOLD,
	CFG_TRIAGE_ASSIGN_THRESHOLD,
	CFG_TRIAGE_DRAFT_FIXES,
	CFG_TRIAGE_DUPLICATE_WINDOW,
	CFG_TRIAGE_OVERLOAD_LIMIT,
	CFG_TRIAGE_DECAY_DAYS,
	CFG_WORKER_POLL_INTERVAL,
	CFG_EXPERTISE_BOTS,
	CFG_EXPERTISE_LINE_WEIGHT,
	CFG_EXPERTISE_LINE_BONUS,
	CFG_EXPERTISE_INACTIVE_AFTER,
	CFG_BUSFACTOR_CRITICAL,
	CFG_SLACK_CHANNEL,
	CFG_SLACK_WEBHOOK_URL,
	CFG_SLACK_TOKEN,
	CFG_SLACK_API_URL,
	CFG_SLACK_FALLBACK_AFTER,
	CFG_MAIL_SMTP_URL,
	CFG_MAIL_USER,
	CFG_MAIL_PASSWORD,
	CFG_MAIL_FROM,
	CFG_MAIL_TO,
	CFG_MAIL_ADMIN,
	CFG_LLM_URL,
	CFG_LLM_MODEL,
	CFG_LLM_API_KEY,
	CFG_LLM_TIMEOUT,
	CFG_N_KEYS
};

enum cfg_source { CFG_SRC_DEFAULT, CFG_SRC_FILE, CFG_SRC_DB, CFG_SRC_ENV, CFG_SRC_FLAG };

typedef struct cfg_origin {
	enum cfg_source source;
	char *where;   /* "file:line", the variable's name, "-c", "database"; NULL for defaults */
} cfg_origin;

/* One [repo "owner/name"] section. */
typedef struct config_repo {
	char *slug;        /* owner/name */
	char *path;        /* the local clone; required */
	char *inbox;       /* local issue files, or NULL */
	char *problem;     /* why the clone cannot be used now (missing, not a git
	                    * repository), or NULL: the repository is skipped and
	                    * the others work (a warning, never an error) */
	cfg_origin path_origin;
	cfg_origin inbox_origin;
} config_repo;

typedef struct config {
	char *value[CFG_N_KEYS];      /* canonical text of each value (NULL: unset) */
	cfg_origin origin[CFG_N_KEYS];
	char *saved[CFG_N_KEYS];      /* the database's value when a higher source hides it */
	config_repo *repos;
	size_t n_repos;
	char *file;                   /* the config file that was read, or NULL */
	char *warnings;               /* saved values that were left out, one a line, or NULL */
} config;

/* Where to read settings from. Everything may be NULL/0. */
typedef struct config_sources {
	const char *file;             /* config file path; NULL: none */
	int file_required;            /* a missing file is an error (an explicit --config) */
	store *db;                    /* saved settings */
	char *const *env;             /* "NAME=value" array */
	const char *const *flags;     /* "key=value" strings from -c */
	size_t n_flags;
} config_sources;

/* Fill c with the built-in defaults. */
void config_init(config *c);
void config_free(config *c);

/* Apply every source in precedence order on top of c (normally fresh from
 * config_init). On error returns -1 and *err holds every problem found, one per
 * line, each naming its file and line (or variable, or flag) and the key. */
int config_load(config *c, const config_sources *src, char **err);

/* Typed values. Durations are in seconds. */
int config_int(const config *c, enum cfg_key k);
int config_bool(const config *c, enum cfg_key k);
int64_t config_duration(const config *c, enum cfg_key k);
const char *config_str(const config *c, enum cfg_key k);
/* A list setting's items, trimmed, empty ones dropped: a NULL-terminated array
 * to free with config_list_free; *n gets the count. */
char **config_list(const config *c, enum cfg_key k, size_t *n);
void config_list_free(char **items);

/* The value as it may be shown: secrets masked, NULL as "(unset)". */
const char *config_display(const config *c, enum cfg_key k);

/* The dotted name of a key ("triage.draft_threshold"), its one-line help text,
 * and the key for a name (-1 if unknown). */
const char *config_key_name(enum cfg_key k);
const char *config_key_help(enum cfg_key k);
int config_key_lookup(const char *name);

/* Human name of a source: "default", "file", "database", "environment", "flag". */
const char *config_source_name(enum cfg_source s);

/* Validate a value as the settings editor would save it to the database: the key
 * must be known and not a secret, the value well-formed. On success *canonical (if
 * given) is the normalized text to save. On failure *err says why. */
int config_check_saved(const char *name, const char *value, char **canonical, char **err);

/* Save a validated value to the database (config_check_saved, then the store),
 * unless, with the settings current (may be NULL), the combination would be
 * inconsistent (an assign threshold above the draft threshold). */
int config_save(store *db, const config *current, const char *name, const char *value, char **err);

#endif
