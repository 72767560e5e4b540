/* engine_opts: what the settings say to the engines, read in one place.
 *
 * The worker, every subcommand and the bench built expertise, bus-factor and
 * triage options from the settings by hand, and the copies drifted (the
 * screen's bus factor had no inactive rule). This is the one reading. */
#ifndef MAHORAGA_ENGINE_OPTS_H
#define MAHORAGA_ENGINE_OPTS_H

#include <stdbool.h>
#include <stddef.h>

#include "busfactor.h"
#include "config.h"
#include "expertise.h"
#include "rank.h"
#include "store.h"
#include "triage.h"

typedef struct engine_opts {
	char **bots;                 /* expertise.bots */
	size_t nbots;
	char **critical;             /* busfactor.critical */
	size_t ncritical;
	expertise_opts expertise;    /* decay, weights, bots, inactive (no cache, no line) */
	busfactor_opts busfactor;    /* bots, critical globs, inactive */
} engine_opts;

/* The options cfg gives, with user_state(email, arg) (may be NULL; usually
 * engine_opts_user_state) saying who the users table lists as active or
 * inactive. o borrows nothing from cfg. */
void engine_opts_init(engine_opts *o, const config *cfg, int (*user_state)(const char *email, void *arg),
		      void *arg);
void engine_opts_free(engine_opts *o);

/* What the users table of the store arg says of email: USER_ACTIVE,
 * USER_INACTIVE, or USER_UNLISTED (also when it cannot be read). */
int engine_opts_user_state(const char *email, void *arg);

/* Fill env's settings (expertise options, thresholds, drafting, duplicate
 * window, the last-author bonus) from o and cfg; env's repository, index and
 * store are the caller's. */
void engine_opts_triage(const engine_opts *o, const config *cfg, triage_env *env);

/* The ranking for repo_id: the shipped model, with the repository's own
 * calibration (mahoraga calibrate --save) when one is saved. Returns 1 if it
 * is the repository's own, 0 if the shipped one, -1 on a store error (out is
 * then the shipped one: a bad row never stops triage). */
int engine_opts_model(rank_model *out, store *db, int64_t repo_id);

#endif
