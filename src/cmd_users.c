/* mahoraga users: the people behind the git emails, as CSV. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app.h"
#include "csv.h"
#include "sanitize.h"
#include "users_csv.h"
#include "xalloc.h"

static const char users_usage[] =
	"usage: mahoraga users export [FILE.csv|-]\n"
	"       mahoraga users import FILE.csv|-\n"
	"\n"
	"One person per row: name,login,slack,active,emails,mail (emails separated by ';';\n"
	"mail, where notifications go by e-mail, may be empty).\n"
	"Import updates the person who has one of the row's emails (the row's emails\n"
	"replace theirs), or adds a new one; "
	"all rows are checked first and saved together, or nothing is saved.\n";

static int do_export(store *db, const char *file)
{
	store_users list;
	if (store_users_list(db, &list) < 0) {
		app_error("%s", store_error(db));
		return EXIT_IO;
	}
	strbuf out = STRBUF_INIT;
	strbuf_addf(&out, "%s\r\n", users_csv_header);
	for (size_t i = 0; i < list.n; i++)
		users_csv_write(&out, &list.v[i]);
	store_users_free(&list);
	/* a file is an output path like the terminal: names from outside are
	 * cleaned the same way (standard output already is, src/safe_out) */
	char *clean = sanitize_text(out.buf, out.len, SANITIZE_LAYOUT);
	size_t len = strlen(clean);
	FILE *f = !file || strcmp(file, "-") == 0 ? stdout : fopen(file, "w");
	int rc = EXIT_DONE;
	if (!f || fwrite(clean, 1, len, f) != len || (f != stdout && fclose(f) != 0)) {
		app_error("%s: %s", file ? file : "stdout", strerror(errno));
		rc = EXIT_IO;
	}
	free(clean);
	strbuf_release(&out);
	return rc;
}

struct import_job {
	csv *c;
	const char *file;
	size_t added, updated;
	struct seen { char *email; int line; } *seen;  /* open addressing by e-mail */
	size_t nseen, cap;
};

static size_t seen_slot(const struct import_job *j, const char *email)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (const char *p = email; *p; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
	size_t i = (size_t)h & (j->cap - 1);
	while (j->seen[i].email && strcmp(j->seen[i].email, email) != 0)
		i = (i + 1) & (j->cap - 1);
	return i;
}

/* The line an earlier row with this e-mail was on, or 0 (then it is noted).
 * Rows that share an e-mail would be merged into one person without a word:
 * the file is refused instead. */
static int seen_on(struct import_job *j, const char *email, int line)
{
	if ((j->nseen + 1) * 2 > j->cap) {
		struct seen *old = j->seen;
		size_t oldcap = j->cap;
		j->cap = j->cap ? j->cap * 2 : 256;
		j->seen = xcalloc(j->cap, sizeof(*j->seen));
		for (size_t i = 0; i < oldcap; i++)
			if (old[i].email)
				j->seen[seen_slot(j, old[i].email)] = old[i];
		free(old);
	}
	size_t i = seen_slot(j, email);
	if (j->seen[i].email)
		return j->seen[i].line;
	j->seen[i].email = xstrdup(email);
	j->seen[i].line = line;
	j->nseen++;
	return 0;
}

static void seen_free(struct import_job *j)
{
	for (size_t i = 0; i < j->cap; i++)
		free(j->seen[i].email);
	free(j->seen);
}

static int import_rows(store *db, void *arg)
{
	struct import_job *j = arg;
	for (size_t r = 1; r < j->c->n; r++) {
		csv_row *row = &j->c->rows[r];
		store_user u;
		store_user_init(&u);
		int found;
		char *err = NULL;
		if (users_csv_read(db, row->fields, row->n, &u, &found, &err) < 0) {
			app_error("%s:%d: %s", j->file, row->line, err);
			free(err);
			store_user_free(&u);
			return -1;
		}
		for (size_t e = 0; e < u.n_emails; e++) {
			int line = seen_on(j, u.emails[e], row->line);
			if (line && line != row->line) {
				app_error("%s:%d: %s is also on line %d: one person per e-mail", j->file,
					  row->line, u.emails[e], line);
				store_user_free(&u);
				return -1;
			}
		}
		if (store_user_save(db, &u) < 0) {
			app_error("%s:%d: %s", j->file, row->line, store_error(db));
			store_user_free(&u);
			return -1;
		}
		found ? j->updated++ : j->added++;
		store_user_free(&u);
	}
	return 0;
}

/* The largest users file imported: 64 MiB is some 700,000 people. */
#define USERS_FILE_MAX (64u << 20)

static int do_import(store *db, const char *file)
{
	FILE *f = strcmp(file, "-") == 0 ? stdin : fopen(file, "rb");
	if (!f) {
		app_error("%s: %s", file, strerror(errno));
		return EXIT_IO;
	}
	/* all or nothing: a file is read whole or refused, never cut */
	strbuf text = STRBUF_INIT;
	int got = strbuf_read(&text, f, USERS_FILE_MAX);
	bool too_big = got == -2, failed = got == -1;
	if (f != stdin)
		fclose(f);
	if (too_big || failed) {
		if (too_big)
			app_error("%s: more than %u MiB: split it, nothing was imported", file, USERS_FILE_MAX >> 20);
		else
			app_error("%s: %s", file, strerror(errno));
		strbuf_release(&text);
		return too_big ? EXIT_BAD_INPUT : EXIT_IO;
	}
	/* spreadsheets write a byte order mark before the header */
	size_t skip = text.len >= 3 && memcmp(text.buf, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
	csv c;
	csv_init(&c);
	char *err = NULL;
	int rc = EXIT_DONE;
	if (csv_parse(&c, text.buf ? text.buf + skip : "", text.len - skip, &err) < 0) {
		app_error("%s: %s", file, err);
		rc = EXIT_BAD_INPUT;
	} else if (!c.n || (c.rows[0].n != USERS_CSV_FIELDS && c.rows[0].n != USERS_CSV_FIELDS_OLD) || strcasecmp(c.rows[0].fields[0], "name") != 0) {
		app_error("%s: the first line must be the header %s", file, users_csv_header);
		rc = EXIT_BAD_INPUT;
	} else {
		struct import_job j = { .c = &c, .file = file };
		if (store_transaction(db, import_rows, &j) < 0) {
			rc = EXIT_BAD_INPUT; /* the row's problem is already printed; nothing saved */
		} else {
			printf("%zu added, %zu updated\n", j.added, j.updated);
		}
		seen_free(&j);
	}
	free(err);
	csv_free(&c);
	strbuf_release(&text);
	return rc;
}

int cmd_users(const struct app *app, int argc, char **argv)
{
	if (argc < 1 || argc > 2 || (strcmp(argv[0], "export") && strcmp(argv[0], "import")) ||
	    (strcmp(argv[0], "import") == 0 && argc != 2)) {
		fputs(users_usage, stderr);
		return EXIT_USAGE;
	}
	store *db = NULL;
	int rc = app_open_store(app, &db);
	if (rc != EXIT_DONE)
		return rc;
	rc = strcmp(argv[0], "export") == 0 ? do_export(db, argc == 2 ? argv[1] : NULL)
					    : do_import(db, argv[1]);
	store_close(db);
	return rc;
}
