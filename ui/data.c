/* Loading what the command center shows from the store (see ui_internal.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "manual.h"
#include "rank.h"
#include "ui_internal.h"
#include "xalloc.h"

/* The feed shows this many decisions at most. */
#define FEED_LIMIT 500

void ui_data_free(struct ui_data *d)
{
	store_feed_free(&d->feed);
	free(d->folded);
	store_load_free(&d->load);
	store_risk_free(&d->risk);
	for (size_t i = 0; i < d->nsettings; i++) {
		free(d->settings[i].key);
		free(d->settings[i].value);
		free(d->settings[i].origin);
	}
	free(d->settings);
	store_users_free(&d->users);
	store_proposals_free(&d->proposals);
	store_services_free(d->services, d->nservices);
	memset(d, 0, sizeof(*d));
}

/* How a service calls itself on screen. */
static const char *service_name(const char *name)
{
	return strcmp(name, "github") == 0 ? "GitHub" : strcmp(name, "slack") == 0 ? "Slack"
	       : strcmp(name, "mail") == 0 ? "Mail" : strcmp(name, "llm") == 0 ? "LLM" : name;
}

/* A recent error is shown this long after it happened. */
#define SERVICE_ERROR_SHOWN 600

void ui_services_text(const struct ui_data *d, char *buf, size_t n)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < d->nservices && used + 1 < n; i++) {
		const store_service *sv = &d->services[i];
		const char *state = breaker_state(&sv->br, d->now);
		const char *name = service_name(sv->name);
		char age[16];
		int w;
		if (strcmp(state, "open") == 0) {
			ui_age(d->now, sv->br.open_until, age, sizeof(age));
			w = snprintf(buf + used, n - used, "%s%s left alone %s: %s", used ? " | " : "", name, age,
				     sv->last_error ? sv->last_error : "failing");
		} else if (strcmp(state, "half-open") == 0) {
			w = snprintf(buf + used, n - used, "%s%s being tried again", used ? " | " : "", name);
		} else if (sv->last_error && d->now - sv->error_at < SERVICE_ERROR_SHOWN) {
			ui_age(sv->error_at, d->now, age, sizeof(age));
			w = snprintf(buf + used, n - used, "%s%s error %s ago: %s", used ? " | " : "", name, age,
				     sv->last_error);
		} else if (sv->rate_remaining >= 0 && sv->rate_reset > d->now) {
			ui_age(d->now, sv->rate_reset, age, sizeof(age));
			w = snprintf(buf + used, n - used, "%s%s %ld left, reset in %s", used ? " | " : "", name,
				     sv->rate_remaining, age);
		} else if (sv->rate_remaining >= 0) {
			w = snprintf(buf + used, n - used, "%s%s %ld left", used ? " | " : "", name, sv->rate_remaining);
		} else {
			w = snprintf(buf + used, n - used, "%s%s ok", used ? " | " : "", name);
		}
		if (w < 0)
			break;
		used += (size_t)w < n - used ? (size_t)w : n - used - 1;
		/* messages that wait for it (Slack down: not lost, queued) */
		if (sv->queued > 0 && used + 1 < n) {
			w = snprintf(buf + used, n - used, ", %d queued", sv->queued);
			if (w < 0)
				break;
			used += (size_t)w < n - used ? (size_t)w : n - used - 1;
		}
	}
}

/* The bus factor's risky files as the worker saved them with the index: the
 * screen computes nothing, so a large history never keeps it blank. */
static void load_risk(struct ui_data *d, store *db, const config *cfg)
{
	store_risk *r = &d->risk;
	if (store_risk_load(db, r) < 0)
		return;
	/* how many there are in all, for the repositories shown */
	d->risky = 0;
	for (size_t i = 0; i < r->nrepos; i++) {
		bool shown = !cfg->n_repos;
		for (size_t k = 0; k < cfg->n_repos && !shown; k++)
			shown = strcmp(cfg->repos[k].slug, r->repos[i]) == 0;
		if (shown)
			d->risky += r->risky[i];
	}
	/* with no repository configured (a wall given only the database, the
	 * worker running elsewhere) every saved repository is shown */
	if (!cfg->n_repos)
		return;
	size_t keep = 0;
	for (size_t i = 0; i < r->n; i++) {
		bool configured = false;
		for (size_t k = 0; k < cfg->n_repos && !configured; k++)
			configured = strcmp(cfg->repos[k].slug, r->v[i].repo) == 0;
		if (configured) {
			r->v[keep++] = r->v[i];
			continue;
		}
		store_risk_row_free(&r->v[i]);
	}
	r->n = keep;
}

/* People by name in the load pane, and the whole active team: someone with
 * nothing open is part of the picture too (htop lists every process). */
static void name_the_team(struct ui_data *d)
{
	for (size_t u = 0; u < d->users.n; u++) {
		const store_user *p = &d->users.v[u];
		const char *name = p->display_name && *p->display_name ? p->display_name : p->login;
		bool found = false;
		for (size_t i = 0; i < d->load.n; i++)
			for (size_t e = 0; e < p->n_emails; e++)
				if (strcasecmp(d->load.v[i].email, p->emails[e]) == 0) {
					found = true;
					if (name && !d->load.v[i].name)
						d->load.v[i].name = xstrdup(name);
				}
		if (!found && p->active && p->n_emails) {
			store_load_item *it = xrealloc(d->load.v, (d->load.n + 1) * sizeof(*it));
			d->load.v = it;
			it[d->load.n++] = (store_load_item){ xstrdup(p->emails[0]), 0, name ? xstrdup(name) : NULL };
		}
	}
}

void ui_data_load(struct ui_data *d, store *db, const config *cfg)
{
	bool unfold = d->unfold; /* a choice of the person, not data */
	ui_data_free(d);
	d->unfold = unfold;
	/* a database that cannot be read is said on screen, never shown as an
	 * empty feed */
	if (store_feed_list(db, FEED_LIMIT, &d->feed) < 0 || store_load_list(db, &d->load) < 0)
		snprintf(d->error, sizeof(d->error), "cannot read the database: %s", store_error(db));
	/* repeats fold into the issue they repeat, when it is in the feed */
	d->folded = xcalloc(d->feed.n + 1, sizeof(*d->folded));
	for (size_t i = 0; i < d->feed.n; i++)
		for (size_t k = 0; d->feed.v[i].folds_into && k < d->feed.n; k++)
			if (d->feed.v[k].issue_id == d->feed.v[i].folds_into) {
				d->folded[k]++;
				break;
			}
	load_risk(d, db, cfg);
	d->overload_limit = config_int(cfg, CFG_TRIAGE_OVERLOAD_LIMIT);
	/* the settings, then each repository's clone and inbox (saved as
	 * repo.<slug>.path and .inbox, like `config set` does) */
	d->settings = xcalloc(CFG_N_KEYS + 2 * cfg->n_repos, sizeof(*d->settings));
	for (int k = 0; k < CFG_N_KEYS; k++) {
		struct setting_row *s = &d->settings[d->nsettings++];
		s->key = xstrdup(config_key_name(k));
		s->value = xstrdup(config_display(cfg, k));
		s->origin = xstrdup(cfg->origin[k].where ? cfg->origin[k].where : "default");
	}
	for (size_t r = 0; r < cfg->n_repos; r++) {
		const config_repo *repo = &cfg->repos[r];
		struct setting_row *s = &d->settings[d->nsettings++];
		s->key = xasprintf("repo.%s.path", repo->slug);
		/* a clone that is not there is said on its row: it is skipped */
		s->value = repo->problem ? xasprintf("%s  (skipped: %s)", repo->path, repo->problem)
					 : xstrdup(repo->path ? repo->path : "(unset)");
		s->origin = xstrdup(repo->path_origin.where ? repo->path_origin.where : "default");
		s = &d->settings[d->nsettings++];
		s->key = xasprintf("repo.%s.inbox", repo->slug);
		/* without an inbox it is polled on GitHub: a failing poll (no
		 * access, no such repository) is said here, where it is configured */
		char *gh = NULL;
		if (!repo->inbox && store_github_poll_error_of(db, repo->slug, &gh) < 0 && !d->error[0])
			snprintf(d->error, sizeof(d->error), "cannot read the polls: %s", store_error(db));
		s->value = repo->inbox ? xstrdup(repo->inbox)
			   : gh ? xasprintf("(unset: polled on GitHub, failing: %s)", gh) : xstrdup("(unset)");
		free(gh);
		s->origin = xstrdup(repo->inbox_origin.where ? repo->inbox_origin.where : "default");
	}
	/* what the ranking is, and which repositories calibrated their own */
	char **slugs = NULL;
	store_calibration *cal = NULL;
	size_t ncal = 0;
	if (store_calibration_list(db, &slugs, &cal, &ncal) < 0 && !d->error[0])
		snprintf(d->error, sizeof(d->error), "cannot read the calibrations: %s", store_error(db));
	d->settings = xrealloc(d->settings, (d->nsettings + 2 + ncal) * sizeof(*d->settings));
	struct setting_row *rk = &d->settings[d->nsettings++];
	*rk = (struct setting_row){ xstrdup("ranking"), xstrdup(rank_default.source), xstrdup("shipped"), true };
	/* the live calibration: what people did with the proposed assignees */
	char *agree = manual_agreement(db);
	if (agree)
		d->settings[d->nsettings++] = (struct setting_row){ xstrdup("agreement"), agree,
								   xstrdup("the team's accepts and reassignments"), true };
	for (size_t i = 0; i < ncal; i++) {
		struct setting_row *s = &d->settings[d->nsettings++];
		s->key = xasprintf("repo.%s.calibration", slugs[i]);
		s->value = xasprintf("its own: %lld fixes, top-1 %.0f%%, calibration error %.1f",
				     (long long)cal[i].fixes, cal[i].top1, cal[i].ece);
		s->origin = xstrdup("mahoraga calibrate --save");
		s->measured = true;
		free(slugs[i]);
	}
	free(slugs);
	free(cal);
	if (store_users_list(db, &d->users) < 0) {
		memset(&d->users, 0, sizeof(d->users));
		if (!d->error[0])
			snprintf(d->error, sizeof(d->error), "cannot read the users: %s", store_error(db));
	}
	name_the_team(d);
	if (store_proposals_list(db, "pending", &d->proposals) < 0 && !d->error[0])
		snprintf(d->error, sizeof(d->error), "cannot read the spell proposals: %s", store_error(db));
	int64_t beat = 0;
	if (store_cycle_last(db, &beat) < 0 && !d->error[0])
		snprintf(d->error, sizeof(d->error), "cannot read the worker's heartbeat: %s", store_error(db));
	d->last_cycle = (time_t)beat;
	if (store_services_list(db, &d->services, &d->nservices) < 0 && !d->error[0])
		snprintf(d->error, sizeof(d->error), "cannot read the services' state: %s", store_error(db));
	/* two missed polls and a margin: the worker is late, or gone */
	d->stale_after = 2 * config_duration(cfg, CFG_WORKER_POLL_INTERVAL) + 30;
}

bool ui_feed_folded(const struct ui_data *d, size_t row)
{
	int64_t into = d->feed.v[row].folds_into;
	for (size_t k = 0; into && k < d->feed.n; k++)
		if (d->feed.v[k].issue_id == into)
			return true;
	return false;
}

time_t ui_worker_fresh(const struct ui_data *d, bool *stale)
{
	*stale = !d->last_cycle || d->now - d->last_cycle > d->stale_after;
	return d->last_cycle;
}

const char *ui_person(const struct ui_data *d, const char *email)
{
	for (size_t u = 0; email && u < d->users.n; u++) {
		const store_user *p = &d->users.v[u];
		const char *name = p->display_name && *p->display_name ? p->display_name : p->login;
		for (size_t e = 0; name && e < p->n_emails; e++)
			if (strcasecmp(email, p->emails[e]) == 0)
				return name;
	}
	return email;
}
