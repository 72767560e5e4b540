/* mahoraga: global options and subcommand dispatch. */
#include <errno.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "autoconf.h"

#include "app.h"
#include "config.h"
#include "gitlib.h"
#include "safe_out.h"
#include "xalloc.h"

struct subcommand {
	const char *name;
	int (*run)(const struct app *app, int argc, char **argv);
	const char *help;
};

/* Only what works is listed: the help text is generated from this table. */
static const struct subcommand subcommands[] = {
	{ "demo", cmd_demo, "a generated repository and bug reports, triaged, in the command center" },
	{ "config", cmd_config, "show, check and save settings (list, get, set, unset, check)" },
	{ "triage", cmd_triage, "decide about an issue: trace, blame, assignee, confidence, route" },
	{ "expertise", cmd_expertise, "who knows these files, from the git history" },
	{ "busfactor", cmd_busfactor, "files only one person understands; the truck factor" },
	{ "spells", cmd_spells, "known errors and their fixes (list, show, add, rm, test)" },
	{ "poll", cmd_poll, "triage new issues of the repositories' inboxes (--once)" },
	{ "calibrate", cmd_calibrate, "replay the repository's own bug fixes: accuracy and calibration" },
	{ "info", cmd_info, "where the config, database, log and spells are; where secrets come from" },
	{ "users", cmd_users, "the people behind the git emails, as CSV (import, export)" },
	{ "wall", cmd_wall, "the command center for a wall screen: read-only, refreshing itself" },
};

static void usage(FILE *out)
{
	fputs("usage: mahoraga [--config FILE] [--db PATH] [-c KEY=VALUE]... [COMMAND [ARGS]]\n"
	      "\n"
	      "A bug-triage command center for on-call engineers.\n"
	      "\n"
	      "Without a command, on a terminal: the command center (team load, triage feed,\n"
	      "bus-factor risk, settings), with the worker triaging in the background.\n"
	      "\n"
	      "Commands:\n",
	      out);
	for (size_t i = 0; i < sizeof(subcommands) / sizeof(*subcommands); i++)
		fprintf(out, "  %-10s %s\n", subcommands[i].name, subcommands[i].help);
	fputs("\n"
	      "Options:\n"
	      "  --config FILE   settings file (default $XDG_CONFIG_HOME/mahoraga/config)\n"
	      "  --db PATH       database (default $XDG_DATA_HOME/mahoraga/mahoraga.db)\n"
	      "  -c KEY=VALUE    override a setting for this run (not for secrets)\n"
	      "  --no-color      the command center without colors (NO_COLOR works too)\n"
	      "  --readonly      the command center changes nothing\n"
	      "  -h, --help      this help\n"
	      "  --version       print the version\n"
	      "\n"
	      "See mahoraga(1) and doc/configuration.md.\n",
	      out);
}

/* The sanitizing streams standing in for stdout and stderr, until closed: a
 * command that exits early (a usage error) closes them at exit. */
static FILE *safe_stdout, *safe_stderr;

static void close_safe_streams(void)
{
	if (safe_stdout)
		fclose(safe_stdout);
	if (safe_stderr)
		fclose(safe_stderr);
	safe_stdout = safe_stderr = NULL;
}

/* What a command printed must have reached its file: a full disk or /dev/full
 * turns into exit status 3, never a silent 0 with a cut backup. As git does, a
 * stdout that was closed before we ran is not ours to judge. */
static int finish_output(int rc)
{
	struct stat st;
	if (fstat(STDOUT_FILENO, &st) != 0)
		return rc;
	int failed = fflush(stdout) != 0 || ferror(stdout);
	int saved = errno;
	if (fclose(stdout) != 0 && !failed) {
		failed = 1;
		saved = errno;
	}
	if (stdout == safe_stdout)
		safe_stdout = NULL;
	if (failed)
		fprintf(stderr, "mahoraga: writing the output: %s\n", saved ? strerror(saved) : "write error");
	close_safe_streams();
	if (!failed)
		return rc;
	return rc == EXIT_DONE ? EXIT_IO : rc;
}

int main(int argc, char **argv, char **envp)
{
	struct app app = { .env = envp };
	const char **flags = xcalloc((size_t)argc, sizeof(*flags));
	app.flags = flags;
	int i;
	const char *v;
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (app_is_help(argv[i])) {
			usage(stdout);
			free(flags);
			return finish_output(EXIT_DONE);
		} else if (strcmp(argv[i], "--version") == 0) {
			printf("mahoraga %s\n", PACKAGE_VERSION);
			free(flags);
			return finish_output(EXIT_DONE);
		} else if ((v = app_option_value(argc, argv, &i, "--config"))) {
			app.config_path = v;
		} else if ((v = app_option_value(argc, argv, &i, "--db"))) {
			app.db_path = v;
		} else if ((v = app_option_value(argc, argv, &i, "-c"))) {
			flags[app.n_flags++] = v;
		} else if (strcmp(argv[i], "--no-color") == 0) {
			app.no_color = 1;
		} else if (strcmp(argv[i], "--readonly") == 0) {
			app.readonly = 1;
		} else {
			fprintf(stderr, "mahoraga: unknown option '%s'\n", argv[i]);
			usage(stderr);
			free(flags);
			return EXIT_USAGE;
		}
	}
	/* one libgit2 for the whole run: the worker thread and the screen each
	 * open and close it around every use, and a count falling to zero on one
	 * thread tore its state down under the other (a leak report, or worse) */
	gitlib_start();
	if (i >= argc) {
		/* no command: the command center, when there is a terminal to draw on */
		int rc = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO) ? cmd_ui(&app, 0, NULL) : -1;
		if (rc < 0) {
			usage(stderr);
			rc = EXIT_USAGE;
		}
		free(flags);
		git_libgit2_shutdown();
		return rc;
	}
	for (size_t s = 0; s < sizeof(subcommands) / sizeof(*subcommands); s++) {
		if (strcmp(argv[i], subcommands[s].name) == 0) {
			/* what a command prints passes core/sanitize; the screens
			 * (ncurses writes escape sequences on purpose) sanitize what
			 * they draw */
			if (strcmp(argv[i], "demo") != 0 && strcmp(argv[i], "wall") != 0) {
				if ((safe_stdout = safe_out_open(stdout)))
					stdout = safe_stdout;
				/* messages quote file names and values from outside too */
				if ((safe_stderr = safe_out_open(stderr))) {
					setvbuf(safe_stderr, NULL, _IONBF, 0);
					stderr = safe_stderr;
				}
				atexit(close_safe_streams);
			}
			int rc = subcommands[s].run(&app, argc - i - 1, argv + i + 1);
			free(flags);
			git_libgit2_shutdown();
			return finish_output(rc);
		}
	}
	fprintf(stderr, "mahoraga: '%s' is not a mahoraga command; see 'mahoraga --help'\n",
		argv[i]);
	free(flags);
	git_libgit2_shutdown();
	return EXIT_USAGE;
}
