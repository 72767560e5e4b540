/* The engines' options from the settings (engine_opts.h). */
#include "engine_opts.h"

#include <math.h>
#include <string.h>

void engine_opts_init(engine_opts *o, const config *cfg, int (*user_state)(const char *email, void *arg),
		      void *arg)
{
	memset(o, 0, sizeof(*o));
	o->bots = config_list(cfg, CFG_EXPERTISE_BOTS, &o->nbots);
	o->critical = config_list(cfg, CFG_BUSFACTOR_CRITICAL, &o->ncritical);
	o->expertise = (expertise_opts){
		.decay_days = config_int(cfg, CFG_TRIAGE_DECAY_DAYS),
		.line_weight = config_int(cfg, CFG_EXPERTISE_LINE_WEIGHT),
		.line_bonus = config_int(cfg, CFG_EXPERTISE_LINE_BONUS),
		.bots = (const char *const *)o->bots, .nbots = o->nbots,
		.user_state = user_state, .arg = arg,
		.inactive_after = config_duration(cfg, CFG_EXPERTISE_INACTIVE_AFTER),
	};
	o->busfactor = (busfactor_opts){
		.bots = (const char *const *)o->bots, .nbots = o->nbots,
		.critical = (const char *const *)o->critical, .ncritical = o->ncritical,
		.user_state = user_state, .arg = arg,
		.inactive_after = config_duration(cfg, CFG_EXPERTISE_INACTIVE_AFTER),
	};
}

int engine_opts_user_state(const char *email, void *arg)
{
	store_user u;
	store_user_init(&u);
	int found = store_user_by_email(arg, email, &u);
	int state = found == 1 ? (u.active ? USER_ACTIVE : USER_INACTIVE) : USER_UNLISTED;
	store_user_free(&u);
	return state;
}

void engine_opts_free(engine_opts *o)
{
	config_list_free(o->bots);
	config_list_free(o->critical);
	memset(o, 0, sizeof(*o));
}

void engine_opts_triage(const engine_opts *o, const config *cfg, triage_env *env)
{
	env->expertise = o->expertise;
	env->draft_threshold = config_int(cfg, CFG_TRIAGE_DRAFT_THRESHOLD);
	env->assign_threshold = config_int(cfg, CFG_TRIAGE_ASSIGN_THRESHOLD);
	env->overload_limit = config_int(cfg, CFG_TRIAGE_OVERLOAD_LIMIT);
	env->draft_fixes = config_bool(cfg, CFG_TRIAGE_DRAFT_FIXES);
	env->duplicate_window = config_duration(cfg, CFG_TRIAGE_DUPLICATE_WINDOW);
}

int engine_opts_model(rank_model *out, store *db, int64_t repo_id)
{
	*out = rank_default;
	store_calibration c;
	int rc = db ? store_calibration_get(db, repo_id, &c) : 0;
	if (rc != 1)
		return rc;
	/* a mapping that would turn every chance into certainty is not one */
	if (!isfinite(c.platt_a) || !isfinite(c.platt_b) || c.platt_a <= 0)
		return 0;
	out->platt_a = c.platt_a;
	out->platt_b = c.platt_b;
	out->source = "this repository's own replays (mahoraga calibrate --save)";
	return 1;
}
