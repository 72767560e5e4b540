/* mahoraga config: show, check and save settings. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "xalloc.h"

static const char config_usage[] =
	"usage: mahoraga config list [--format text|json]\n"
	"       mahoraga config get KEY\n"
	"       mahoraga config set KEY VALUE\n"
	"       mahoraga config unset KEY\n"
	"       mahoraga config check\n";

static const char *origin_text(const cfg_origin *o)
{
	return o->where ? o->where : "default";
}

static json_t *origin_json(const cfg_origin *o)
{
	return json_pack("{s:s, s:s?}", "source", config_source_name(o->source), "where",
			 o->where);
}

static int list_json(const config *c)
{
	json_t *settings = json_array();
	for (int k = 0; k < CFG_N_KEYS; k++) {
		const char *shown = c->value[k] ? config_display(c, k) : NULL;
		json_t *o = json_pack("{s:s, s:s?, s:o, s:s}", "key", config_key_name(k), "value",
				      shown, "origin", origin_json(&c->origin[k]), "help",
				      config_key_help(k));
		if (c->saved[k])
			json_object_set_new(o, "overrides_saved", json_string(c->saved[k]));
		json_array_append_new(settings, o);
	}
	json_t *repos = json_array();
	for (size_t i = 0; i < c->n_repos; i++) {
		const config_repo *r = &c->repos[i];
		json_array_append_new(repos, json_pack("{s:s, s:s?, s:s?, s:o}", "slug", r->slug,
						       "path", r->path, "inbox", r->inbox, "origin",
						       origin_json(&r->path_origin)));
	}
	json_t *root = json_pack("{s:s?, s:o, s:o}", "file", c->file, "settings", settings,
				 "repos", repos);
	char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (!text)
		return EXIT_IO;
	puts(text);
	free(text);
	return EXIT_DONE;
}

struct row {
	char *key;
	const char *value;
	const char *origin;
	char *note;
};

static void add_row(struct row *rows, size_t *n, char *key, const char *value,
		    const char *origin, char *note)
{
	rows[*n] = (struct row){ key, value, origin, note };
	(*n)++;
}

static int list_text(const config *c)
{
	size_t max = CFG_N_KEYS + 2 * c->n_repos, n = 0;
	struct row *rows = xcalloc(max, sizeof(*rows));
	for (int k = 0; k < CFG_N_KEYS; k++)
		add_row(rows, &n, xstrdup(config_key_name(k)), config_display(c, k),
			origin_text(&c->origin[k]),
			c->saved[k] ? xasprintf("  (overrides saved value %s)", c->saved[k]) : NULL);
	for (size_t i = 0; i < c->n_repos; i++) {
		const config_repo *r = &c->repos[i];
		add_row(rows, &n, xasprintf("repo.%s.path", r->slug), r->path ? r->path : "(unset)",
			origin_text(&r->path_origin), NULL);
		if (r->inbox)
			add_row(rows, &n, xasprintf("repo.%s.inbox", r->slug), r->inbox,
				origin_text(&r->inbox_origin), NULL);
	}
	int wk = 3, wv = 5;
	for (size_t i = 0; i < n; i++) {
		if ((int)strlen(rows[i].key) > wk)
			wk = (int)strlen(rows[i].key);
		if ((int)strlen(rows[i].value) > wv)
			wv = (int)strlen(rows[i].value);
	}
	printf("%-*s  %-*s  %s\n", wk, "KEY", wv, "VALUE", "FROM");
	for (size_t i = 0; i < n; i++) {
		printf("%-*s  %-*s  %s%s\n", wk, rows[i].key, wv, rows[i].value, rows[i].origin,
		       rows[i].note ? rows[i].note : "");
		free(rows[i].key);
		free(rows[i].note);
	}
	free(rows);
	return EXIT_DONE;
}

static int do_list(const struct app *app, store *db, int argc, char **argv)
{
	int json = 0;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
			const char *f = argv[++i];
			if (strcmp(f, "json") == 0)
				json = 1;
			else if (strcmp(f, "text") != 0) {
				app_error("config list: unknown format '%s' (text or json)", f);
				return EXIT_USAGE;
			}
		} else {
			fputs(config_usage, stderr);
			return EXIT_USAGE;
		}
	}
	config c;
	int rc = app_load_config(app, db, &c);
	if (rc == EXIT_DONE)
		rc = json ? list_json(&c) : list_text(&c);
	config_free(&c);
	return rc;
}

static int do_get(const struct app *app, store *db, const char *key)
{
	int k = config_key_lookup(key);
	config c;
	int rc = app_load_config(app, db, &c);
	if (rc != EXIT_DONE) {
		config_free(&c);
		return rc;
	}
	if (k >= 0) {
		if (c.value[k])
			puts(config_display(&c, k));
		else
			rc = EXIT_BAD_INPUT; /* unset, as git config get says with status 1 */
	} else {
		rc = EXIT_BAD_INPUT;
		for (size_t i = 0; i < c.n_repos; i++) {
			char *p = xasprintf("repo.%s.path", c.repos[i].slug);
			char *in = xasprintf("repo.%s.inbox", c.repos[i].slug);
			const char *v = strcmp(key, p) == 0 ? c.repos[i].path
					: strcmp(key, in) == 0 ? c.repos[i].inbox : NULL;
			if (v) {
				puts(v);
				rc = EXIT_DONE;
			}
			free(p);
			free(in);
		}
		if (rc != EXIT_DONE && strncmp(key, "repo.", 5) != 0)
			app_error("config get: unknown key '%s'", key);
	}
	config_free(&c);
	return rc;
}

int cmd_config(const struct app *app, int argc, char **argv)
{
	if (argc < 1 || app_is_help(argv[0])) {
		fputs(config_usage, argc < 1 ? stderr : stdout);
		return argc < 1 ? EXIT_USAGE : EXIT_DONE;
	}
	const char *sub = argv[0];
	int nargs = argc - 1;
	int want = strcmp(sub, "set") == 0 ? 2
		 : strcmp(sub, "get") == 0 || strcmp(sub, "unset") == 0 ? 1
		 : strcmp(sub, "check") == 0 ? 0 : -1;
	if (strcmp(sub, "list") != 0 && (want < 0 || nargs != want)) {
		fputs(config_usage, stderr);
		return EXIT_USAGE;
	}

	store *db = NULL;
	int rc = app_open_store(app, &db);
	if (rc != EXIT_DONE)
		return rc;
	if (strcmp(sub, "list") == 0) {
		rc = do_list(app, db, nargs, argv + 1);
	} else if (strcmp(sub, "get") == 0) {
		rc = do_get(app, db, argv[1]);
	} else if (strcmp(sub, "set") == 0) {
		char *err = NULL;
		config now;
		app_config_as_is(app, db, &now);
		if (config_save(db, &now, argv[1], argv[2], &err) < 0) {
			app_error("%s", err);
			rc = EXIT_BAD_INPUT;
		}
		config_free(&now);
		free(err);
	} else if (strcmp(sub, "unset") == 0) {
		int r = store_setting_unset(db, argv[1]);
		if (r < 0) {
			app_error("config unset: %s", store_error(db));
			rc = EXIT_IO;
		} else if (r == 0) {
			app_error("config unset: %s has no saved value", argv[1]);
			rc = EXIT_BAD_INPUT;
		}
	} else {
		config c;
		rc = app_load_config(app, db, &c);
		/* saved values left out are problems to a check (app_load_config
		 * printed them), though they stop nothing else */
		if (rc == EXIT_DONE && c.warnings)
			rc = EXIT_BAD_INPUT;
		else if (rc == EXIT_DONE)
			printf("settings ok%s%s\n", c.file ? ": " : " (no config file)",
			       c.file ? c.file : "");
		if (rc == EXIT_DONE || c.warnings)
			config_free(&c);
	}
	store_close(db);
	return rc;
}
