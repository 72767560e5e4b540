/* mahoraga info: where everything is, and where the secrets come from. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app.h"
#include "github_auth.h"
#include "llm.h"
#include "mail.h"
#include "manual.h"
#include "paths.h"
#include "rank.h"
#include "xalloc.h"

static const char *state_of(const char *path)
{
	struct stat st;
	if (!path)
		return "";
	return stat(path, &st) == 0 ? "" : "  (not there yet)";
}

static const char info_usage[] =
	"usage: mahoraga info\n\n"
	"Prints where the config file, the database, the worker's log and the spells are,\n"
	"the configured repositories, the ranking and the repositories' own calibrations,\n"
	"and for each secret whether it is set and where from (never its value).\n";

int cmd_info(const struct app *app, int argc, char **argv)
{
	int rc = app_parse("info", info_usage, argc, argv, NULL, NULL, 0, NULL);
	if (rc >= 0)
		return rc;
	char *conf = app->config_path ? xstrdup(app->config_path) : paths_config_file(app->env);
	char *db = app->db_path ? xstrdup(app->db_path) : paths_db_file(app->env);
	/* the settings with the database when there is one (repositories and
	 * settings saved from the command center live there); without it before
	 * the first run: info must work then too */
	store *st = NULL;
	if (db && !*state_of(db) && app_open_store(app, &st) != EXIT_DONE)
		st = NULL;
	config cfg;
	rc = app_load_config(app, st, &cfg);
	if (rc != EXIT_DONE) {
		store_close(st);
		free(conf);
		free(db);
		return rc;
	}
	char *log = app_log_path(app);
	char *spells_shipped = NULL, *spells_user = NULL;
	app_spell_dirs(app, &spells_shipped, &spells_user);
	printf("config file       %s%s\n", conf ? conf : "(none: no HOME)", state_of(conf));
	printf("database          %s%s\n", db ? db : "(none: no HOME)", state_of(db));
	printf("log               %s%s\n", log ? log : "(none)", state_of(log));
	printf("spells            %s (shipped), %s (yours)\n", spells_shipped ? spells_shipped : "?",
	       spells_user ? spells_user : "?");
	printf("repositories      %zu configured\n", cfg.n_repos);
	for (size_t i = 0; i < cfg.n_repos; i++) {
		/* without an inbox it is polled on GitHub: a failing poll is said */
		char *gh = NULL;
		if (st && !cfg.repos[i].inbox && store_github_poll_error_of(st, cfg.repos[i].slug, &gh) < 0)
			gh = xstrdup(store_error(st));
		printf("  %s  %s%s%s%s%s%s%s\n", cfg.repos[i].slug, cfg.repos[i].path, cfg.repos[i].inbox ? "  inbox " : "",
		       cfg.repos[i].inbox ? cfg.repos[i].inbox : "", cfg.repos[i].problem ? "  PROBLEM: " : "",
		       cfg.repos[i].problem ? cfg.repos[i].problem : "", gh ? "  GITHUB: " : "", gh ? gh : "");
		free(gh);
	}
	/* the ranking, and the repositories that calibrated their own */
	printf("ranking           %s\n", rank_default.source);
	char *agree = st ? manual_agreement(st) : NULL;
	/* the live calibration on this team's issues: what people did with them */
	printf("agreement         %s\n", agree ? agree : "nobody has accepted or changed a proposed assignee yet");
	free(agree);
	if (st) {
		char **slugs = NULL;
		store_calibration *cal = NULL;
		size_t n = 0;
		if (store_calibration_list(st, &slugs, &cal, &n) == 0)
			for (size_t i = 0; i < n; i++)
				printf("  %s  calibrated on %lld of its own fixes (top-1 %.0f%%, calibration error %.1f)\n",
				       slugs[i], (long long)cal[i].fixes, cal[i].top1, cal[i].ece);
		for (size_t i = 0; i < n; i++)
			free(slugs[i]);
		free(slugs);
		free(cal);
	}
	/* secrets: where they come from, never what they are */
	static const enum cfg_key secrets[] = { CFG_GITHUB_TOKEN, CFG_GITHUB_WEBHOOK_SECRET, CFG_SLACK_TOKEN,
						CFG_SLACK_WEBHOOK_URL, CFG_LLM_API_KEY, CFG_MAIL_PASSWORD };
	for (size_t i = 0; i < sizeof(secrets) / sizeof(*secrets); i++) {
		enum cfg_key k = secrets[i];
		const char *where = cfg.origin[k].where;
		printf("%-17s %s%s%s\n", config_key_name(k),
		       config_str(&cfg, k) ? "(set, hidden)" : "(unset)", where ? " from " : "", where ? where : "");
	}
	/* what GitHub's requests carry, in order: a token, an App, gh */
	github_auth auth;
	github_auth_init(&auth);
	auth.cfg = &cfg;
	char *source = github_auth_source(&auth);
	printf("%-17s %s%s\n", "GitHub", source ? "authenticated by " : "no credentials: set GH_TOKEN, an App, or `gh auth login`",
	       source ? source : "");
	free(source);
	github_auth_free(&auth);
	/* who is told, and who analyzes: set up or not, never with a secret */
	if (config_str(&cfg, CFG_SLACK_TOKEN) && config_str(&cfg, CFG_SLACK_CHANNEL))
		printf("%-17s by bot token to %s\n", "Slack", config_str(&cfg, CFG_SLACK_CHANNEL));
	else
		printf("%-17s %s\n", "Slack", config_str(&cfg, CFG_SLACK_WEBHOOK_URL) ? "by incoming webhook"
				   : "not set up: SLACK_BOT_TOKEN and slack.channel, or SLACK_WEBHOOK_URL");
	if (mail_configured(&cfg))
		printf("%-17s %s from %s, on-call %s\n", "E-mail", config_str(&cfg, CFG_MAIL_SMTP_URL),
		       config_str(&cfg, CFG_MAIL_FROM), config_str(&cfg, CFG_MAIL_TO) ? config_str(&cfg, CFG_MAIL_TO) : "(none)");
	else
		printf("%-17s not set up: mail.smtp_url and mail.from (Slack's fallback)\n", "E-mail");
	if (llm_configured(&cfg))
		printf("%-17s %s at %s\n", "LLM", config_str(&cfg, CFG_LLM_MODEL), config_str(&cfg, CFG_LLM_URL));
	else
		printf("%-17s not set up: llm.url and llm.model (rule-based analysis only)\n", "LLM");
	free(spells_shipped);
	free(spells_user);
	free(log);
	free(db);
	free(conf);
	config_free(&cfg);
	store_close(st);
	return EXIT_DONE;
}
