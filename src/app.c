#include "app.h"

#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <jansson.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "paths.h"
#include "safe_out.h"
#include "xalloc.h"

void app_error(const char *fmt, ...)
{
	va_list ap;
	fputs("mahoraga: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int app_open_store(const struct app *app, store **out)
{
	char *path = app->db_path ? xstrdup(app->db_path) : paths_db_file(app->env);
	if (!path) {
		app_error("cannot tell where the database goes: set HOME, XDG_DATA_HOME or use --db");
		return EXIT_IO;
	}
	if (!app->db_path && paths_make_parent(path) < 0) {
		app_error("cannot create the directory for %s: %s", path, strerror(errno));
		free(path);
		return EXIT_IO;
	}
	char *err = NULL;
	int rc = store_open(out, path, &err);
	free(path);
	if (rc < 0) {
		app_error("%s", err);
		free(err);
		return EXIT_IO;
	}
	return EXIT_DONE;
}

/* The settings from every source into cfg (initialized here); 0, or -1 with
 * *err set and cfg holding what did load. */
static int load_config(const struct app *app, store *db, config *cfg, char **err)
{
	char *file = app->config_path ? xstrdup(app->config_path) : paths_config_file(app->env);
	config_sources src = {
		.file = file,
		.file_required = app->config_path != NULL,
		.db = db,
		.env = app->env,
		.flags = app->flags,
		.n_flags = app->n_flags,
	};
	config_init(cfg);
	int rc = config_load(cfg, &src, err);
	free(file);
	return rc;
}

void app_config_as_is(const struct app *app, store *db, config *cfg)
{
	char *err = NULL;
	load_config(app, db, cfg, &err);
	free(err);
}

/* Each line of text as "mahoraga: <prefix><line>" on out (NULL: nowhere). */
static void report_lines(FILE *out, const char *prefix, const char *text)
{
	if (!out || !text)
		return;
	char *copy = xstrdup(text), *line = copy, *next;
	for (; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		fprintf(out, "mahoraga: %s%s\n", prefix, line);
	}
	free(copy);
	fflush(out);
}

int app_load_config_to(const struct app *app, store *db, config *cfg, FILE *report)
{
	char *err = NULL;
	int rc = load_config(app, db, cfg, &err);
	/* saved values left out: said, and the rest goes on */
	if (rc == 0)
		report_lines(report, "warning: ", cfg->warnings);
	if (rc < 0) {
		/* One line per problem, each already naming file:line and key. */
		report_lines(report, "", err);
		free(err);
		config_free(cfg); /* the caller frees nothing after a failure */
		return EXIT_BAD_INPUT;
	}
	return EXIT_DONE;
}

int app_load_config(const struct app *app, store *db, config *cfg)
{
	return app_load_config_to(app, db, cfg, stderr);
}

const char *app_option_value(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);
	if (strncmp(argv[*i], name, n) != 0)
		return NULL;
	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (argv[*i][n] != '\0')
		return NULL;
	if (*i + 1 >= argc) {
		app_error("%s needs a value", name);
		exit(EXIT_USAGE);
	}
	return argv[++*i];
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void app_progress_start(struct app_progress *p, const char *what)
{
	p->what = what;
	p->start = now_s();
	p->shown = 0;
}

void app_progress_commits(size_t walked, void *arg)
{
	struct app_progress *p = arg;
	if (!isatty(STDERR_FILENO) || now_s() - p->start < 1.0)
		return;
	fprintf(stderr, "\r%s: %zu commits", p->what, walked);
	fflush(stderr);
	p->shown = 1;
}

void app_progress_done(struct app_progress *p)
{
	if (p->shown)
		fputc('\n', stderr);
	p->shown = 0;
}

int app_open_repo(store *db, const char *dir, git_repository **repo, int64_t *repo_id)
{
	git_libgit2_init();
	if (git_repository_open_ext(repo, dir, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0) {
		const git_error *e = git_error_last();
		app_error("%s: not a git repository (%s)", dir, e && e->message ? e->message : "?");
		return EXIT_IO;
	}
	char real[PATH_MAX];
	const char *wd = git_repository_workdir(*repo);
	if (!realpath(wd ? wd : git_repository_path(*repo), real))
		snprintf(real, sizeof(real), "%s", dir);
	char *slug = xasprintf("local:%s", real);
	int rc = store_repo_ensure(db, slug, repo_id);
	free(slug);
	if (rc < 0) {
		app_error("%s", store_error(db));
		git_repository_free(*repo);
		*repo = NULL;
		return EXIT_IO;
	}
	return EXIT_DONE;
}

/* Issues larger than this are not bug reports; GitHub caps bodies at 65,536 chars. */
#define ISSUE_MAX_BYTES (16u << 20)

static int read_all(FILE *f, const char *name, char **out, size_t *len)
{
	size_t cap = 65536, n = 0;
	char *buf = xmalloc(cap + 1);
	size_t got;
	while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n > ISSUE_MAX_BYTES) {
			free(buf);
			app_error("%s: larger than %u MiB; is this an issue?", name, ISSUE_MAX_BYTES >> 20);
			return EXIT_BAD_INPUT;
		}
		if (n == cap)
			buf = xrealloc(buf, (cap *= 2) + 1);
	}
	if (ferror(f)) {
		free(buf);
		app_error("%s: %s", name, strerror(errno));
		return EXIT_IO;
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return EXIT_DONE;
}

/* The issue as a JSON object {title, body} (gh's output) or as plain text. */
static void split_issue(char *raw, size_t len, struct app_issue *it)
{
	memset(it, 0, sizeof(*it));
	const char *p = raw;
	while (p < raw + len && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
		p++;
	if (p < raw + len && *p == '{') {
		json_t *root = json_loadb(raw, len, 0, NULL);
		const char *body = root ? json_string_value(json_object_get(root, "body")) : NULL;
		if (body) {
			const char *title = json_string_value(json_object_get(root, "title"));
			it->title = title ? xstrdup(title) : NULL;
			it->body = xstrdup(body);
			it->body_len = strlen(body);
			json_decref(root);
			free(raw);
			return;
		}
		json_decref(root);
	}
	it->body = raw;
	it->body_len = len;
}


int app_read_issue(const char *file, struct app_issue *it)
{
	memset(it, 0, sizeof(*it));
	FILE *in = stdin;
	const char *name = "standard input";
	if (file && strcmp(file, "-") != 0) {
		in = fopen(file, "rb");
		name = file;
		if (!in) {
			app_error("%s: %s", file, strerror(errno));
			return EXIT_IO;
		}
	}
	char *raw;
	size_t len;
	int rc = read_all(in, name, &raw, &len);
	if (in != stdin)
		fclose(in);
	if (rc != EXIT_DONE)
		return rc;
	split_issue(raw, len, it);
	return EXIT_DONE;
}

void app_issue_free(struct app_issue *it)
{
	free(it->title);
	free(it->body);
	memset(it, 0, sizeof(*it));
}

char *app_log_path(const struct app *app)
{
	char *db = app->db_path ? xstrdup(app->db_path) : paths_db_file(app->env);
	if (!db)
		return NULL;
	const char *slash = strrchr(db, '/');
	char *log = slash ? xasprintf("%.*s/mahoraga.log", (int)(slash - db), db) : xstrdup("mahoraga.log");
	free(db);
	return log;
}

FILE *app_log_open(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return NULL;
	/* a log an older version created 0644 becomes private too */
	struct stat st;
	if (fstat(fd, &st) == 0 && (st.st_mode & 077) && st.st_uid == geteuid())
		(void)fchmod(fd, 0600);
	FILE *f = fdopen(fd, "a");
	if (!f) {
		close(fd);
		return NULL;
	}
	/* the log quotes titles and names from outside: `tail -f` shows it raw */
	FILE *safe = safe_out_open(f);
	if (!safe)
		fclose(f);
	return safe;
}

int app_spell_dirs(const struct app *app, char **shipped_dir, char **user_dir)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	exe[n > 0 ? n : 0] = '\0';
	*shipped_dir = paths_shipped_spells_dir(app->env, MAHORAGA_DATADIR, n > 0 ? exe : NULL);
	*user_dir = NULL;
	char *db = app->db_path ? xstrdup(app->db_path) : paths_db_file(app->env);
	if (!db) {
		app_error("cannot tell where the user's spells are: set HOME, XDG_DATA_HOME or use --db");
		return EXIT_IO;
	}
	*user_dir = paths_user_spells_dir(db);
	free(db);
	return EXIT_DONE;
}

int app_load_spells(const struct app *app, spellbook *b, char **shipped_dir, char **user_dir)
{
	spellbook_init(b);
	int rc = app_spell_dirs(app, shipped_dir, user_dir);
	if (rc != EXIT_DONE)
		return rc;
	const char *dirs[2] = { *shipped_dir, *user_dir };
	for (int i = 0; i < 2; i++) {
		char *err = NULL;
		if (spellbook_load_dir(b, dirs[i], i == 1, &err) > 0)
			fprintf(stderr, "mahoraga: skipped spells that do not parse:\n%s", err);
		free(err);
	}
	return EXIT_DONE;
}

int app_is_help(const char *arg)
{
	return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0;
}

int app_parse(const char *cmd, const char *usage, int argc, char **argv, const struct app_opt *opts,
	      const char **pos, size_t maxpos, size_t *npos)
{
	size_t n = 0;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (app_is_help(a)) {
			fputs(usage, stdout);
			return EXIT_DONE;
		}
		bool taken = false;
		for (const struct app_opt *o = opts; o && o->name && !taken; o++) {
			size_t len = strlen(o->name);
			if (strncmp(a, o->name, len) != 0)
				continue;
			if (!o->value && a[len] == '\0') {
				*o->flag = true;
				taken = true;
			} else if (o->value && a[len] == '=') {
				*o->value = a + len + 1;
				taken = true;
			} else if (o->value && a[len] == '\0') {
				if (i + 1 >= argc) {
					app_error("%s: %s needs a value", cmd, o->name);
					fputs(usage, stderr);
					return EXIT_USAGE;
				}
				*o->value = argv[++i];
				taken = true;
			}
		}
		if (taken)
			continue;
		if (a[0] == '-' && a[1] != '\0') {
			app_error("%s: unknown option '%s'", cmd, a);
			fputs(usage, stderr);
			return EXIT_USAGE;
		}
		if (n >= maxpos) {
			app_error(maxpos ? "%s: unexpected argument '%s'" : "%s takes no arguments ('%s')", cmd, a);
			fputs(usage, stderr);
			return EXIT_USAGE;
		}
		pos[n++] = a;
	}
	if (npos)
		*npos = n;
	return -1;
}
