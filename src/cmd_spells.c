/* mahoraga spells: the library of known errors and fixes (list, show, add, rm,
 * test), and the spells a language model proposed (proposals, accept, reject). */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "paths.h"
#include "proposal.h"
#include "sanitize.h"
#include "spells.h"
#include "trace.h"
#include "xalloc.h"

static const char spells_usage[] =
	"usage: mahoraga spells list [--format json|text]\n"
	"       mahoraga spells show ID\n"
	"       mahoraga spells add [--force] FILE\n"
	"       mahoraga spells rm ID\n"
	"       mahoraga spells test [--spell FILE] [--format json|text] [ISSUE|-]\n"
	"       mahoraga spells proposals [--format json|text]\n"
	"       mahoraga spells accept|reject ID\n"
	"\n"
	"Spells name a known error and what to do about it (doc/spells.md). The shipped\n"
	"ones live in the data directory; yours in a spells folder next to the database.\n"
	"`test` shows which spells match the error in an issue. A language model\n"
	"(llm.*) may propose a spell when none matches; `proposals` lists them, and one\n"
	"is used only once you `accept` it (it is added to your spells).\n";

struct book {
	spellbook b;
	char *user_dir;
	char *shipped_dir;
};

/* Shipped spells, then the user's (which may override them). Bad files are
 * reported but do not stop the others. */
static int load(const struct app *app, struct book *bk)
{
	return app_load_spells(app, &bk->b, &bk->shipped_dir, &bk->user_dir);
}

static void unload(struct book *bk)
{
	spellbook_free(&bk->b);
	free(bk->user_dir);
	free(bk->shipped_dir);
}

static json_t *spell_json(const spell *s, bool full)
{
	char *langs = spell_langs_text(s->langs);
	json_t *o = json_pack("{s:s, s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:s}", "id", s->id, "title",
			      s->title, "languages", langs, "error", s->error, "message", s->message,
			      "frame", s->frame, "fix", s->fix, "source", s->user ? "user" : "shipped");
	if (full)
		json_object_set_new(o, "explanation", json_string(s->explanation));
	free(langs);
	return o;
}

static void dump(json_t *root)
{
	char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	puts(text ? text : "null");
	free(text);
	json_decref(root);
}

static int do_list(struct book *bk, bool json)
{
	if (json) {
		json_t *a = json_array();
		for (size_t i = 0; i < bk->b.n; i++)
			json_array_append_new(a, spell_json(&bk->b.v[i], false));
		dump(a);
		return EXIT_DONE;
	}
	for (size_t i = 0; i < bk->b.n; i++) {
		const spell *s = &bk->b.v[i];
		char *langs = spell_langs_text(s->langs);
		printf("%-34s %-18s %-7s %s\n", s->id, langs, s->user ? "user" : "shipped", s->title);
		free(langs);
	}
	printf("\n%zu spells (shipped: %s, yours: %s)\n", bk->b.n, bk->shipped_dir, bk->user_dir);
	return EXIT_DONE;
}

static int do_show(struct book *bk, const char *id)
{
	const spell *s = spellbook_find(&bk->b, id);
	if (!s) {
		app_error("spells: no spell '%s'", id);
		return EXIT_BAD_INPUT;
	}
	char *langs = spell_langs_text(s->langs);
	printf("%s: %s\n", s->id, s->title);
	printf("languages: %s\n", langs);
	if (s->error)
		printf("error:     %s\n", s->error);
	if (s->message)
		printf("message:   %s\n", s->message);
	if (s->frame)
		printf("frame:     %s\n", s->frame);
	if (s->fix)
		printf("fix:       %s\n", s->fix);
	printf("source:    %s (%s)\n\n%s\n", s->user ? "user" : "shipped", s->path, s->explanation);
	free(langs);
	return EXIT_DONE;
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0, got;
	char *buf = xmalloc(cap);
	while ((got = fread(buf + n, 1, cap - n, f)) > 0 && n < (1 << 20)) {
		n += got;
		if (n == cap)
			buf = xrealloc(buf, cap *= 2);
	}
	if (f != stdin)
		fclose(f);
	*len = n;
	return buf;
}

/* Parse a spell file for add and test; prints the problem. */
static int parse_file(const char *path, spell *s)
{
	size_t len;
	char *text = read_file(path, &len);
	if (!text) {
		app_error("%s: %s", path, strerror(errno));
		return EXIT_IO;
	}
	char *err = NULL;
	int rc = spell_parse(s, text, len, path, &err);
	free(text);
	if (rc < 0) {
		app_error("%s", err);
		free(err);
		return EXIT_BAD_INPUT;
	}
	return EXIT_DONE;
}

static int do_add(struct book *bk, const char *file, bool force)
{
	spell s;
	spell_init(&s);
	int rc = parse_file(file, &s);
	if (rc != EXIT_DONE)
		return rc;
	const spell *old = spellbook_find(&bk->b, s.id);
	if (old && old->user && !force) {
		app_error("spells: you already have a spell '%s' (%s); --force replaces it", s.id, old->path);
		spell_free(&s);
		return EXIT_BAD_INPUT;
	}
	size_t len;
	char *text = read_file(file, &len), *dest = NULL, *err = NULL;
	if (!text) {
		app_error("%s: %s", file, strerror(errno));
		rc = EXIT_IO;
	} else if (spell_install(bk->user_dir, text, len, &dest, &err) < 0) {
		app_error("%s", err);
		free(err);
		rc = EXIT_IO;
	} else {
		printf("added %s to %s%s\n", s.id, dest,
		       old && !old->user ? " (it overrides the shipped spell of that id)" : "");
	}
	free(text);
	free(dest);
	spell_free(&s);
	return rc;
}

static int do_rm(struct book *bk, const char *id)
{
	const spell *s = spellbook_find(&bk->b, id);
	if (!s) {
		app_error("spells: no spell '%s'", id);
		return EXIT_BAD_INPUT;
	}
	if (!s->user) {
		app_error("spells: '%s' is shipped with mahoraga and cannot be removed; add a spell "
			  "with the same id to override it", id);
		return EXIT_BAD_INPUT;
	}
	if (unlink(s->path) < 0) {
		app_error("%s: %s", s->path, strerror(errno));
		return EXIT_IO;
	}
	printf("removed %s (%s)\n", id, s->path);
	return EXIT_DONE;
}

static int do_test(struct book *bk, const char *spell_file, const char *issue, bool json)
{
	if (spell_file) {
		spell s;
		spell_init(&s);
		int rc = parse_file(spell_file, &s);
		if (rc != EXIT_DONE)
			return rc;
		s.user = true;
		spell *old = (spell *)spellbook_find(&bk->b, s.id);
		if (old) {
			spell_free(old);
			*old = s;
		} else {
			bk->b.v = xrealloc(bk->b.v, (bk->b.n + 1) * sizeof(*bk->b.v));
			bk->b.v[bk->b.n++] = s;
		}
	}
	struct app_issue it;
	int rc = app_read_issue(issue, &it);
	if (rc != EXIT_DONE)
		return rc;
	trace t;
	trace_init(&t);
	trace_parse(&t, it.body, it.body_len);
	spell_match m[16];
	size_t n = spellbook_match(&bk->b, &t, m, 16);
	if (n > 16)
		n = 16;
	const trace_exception *e = trace_final(&t);
	if (json) {
		json_t *a = json_array();
		for (size_t i = 0; i < n; i++) {
			json_t *o = spell_json(m[i].spell, true);
			json_object_set_new(o, "score", json_integer(m[i].score));
			json_array_append_new(a, o);
		}
		dump(json_pack("{s:s, s:s?, s:s?, s:o}", "language", trace_lang_name(t.lang),
			       "error_type", e ? e->type : NULL, "error_message", e ? e->message : NULL,
			       "matches", a));
	} else {
		printf("error: %s%s%s (%s)\n", e && e->type ? e->type : "(none)",
		       e && e->message ? ": " : "", e && e->message ? e->message : "",
		       trace_lang_name(t.lang));
		if (!n)
			printf("no spell matches\n");
		for (size_t i = 0; i < n; i++)
			printf("%3d  %-34s %s%s%s%s\n", m[i].score, m[i].spell->id, m[i].spell->title,
			       m[i].spell->fix ? "  [fix: " : "", m[i].spell->fix ? m[i].spell->fix : "",
			       m[i].spell->fix ? "]" : "");
		if (n)
			printf("\n%s\n", m[0].spell->explanation);
	}
	trace_free(&t);
	app_issue_free(&it);
	return EXIT_DONE;
}

/* The proposals, newest first: pending ones to decide, decided ones kept. */
static int do_proposals(store *db, bool json)
{
	store_proposals l = { 0 };
	if (store_proposals_list(db, NULL, &l) < 0) {
		app_error("%s", store_error(db));
		return EXIT_IO;
	}
	json_t *arr = json ? json_array() : NULL;
	for (size_t i = 0; i < l.n; i++) {
		const store_proposal *p = &l.v[i];
		if (json) {
			json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:I, s:s}", "id", (json_int_t)p->id, "spell",
							     p->spell_id, "state", p->state, "created_at",
							     (json_int_t)p->created_at, "text", p->text));
			continue;
		}
		/* the model wrote it: shown cleaned, like every outside text */
		char *text = sanitize_text(p->text, strlen(p->text), SANITIZE_NEWLINES);
		printf("%s#%lld %s (%s)\n%s\n", i ? "\n" : "", (long long)p->id, p->spell_id, p->state, text);
		free(text);
	}
	if (json)
		dump(arr);
	else if (!l.n)
		printf("no spell proposed: a language model (llm.*) proposes one when no spell matches an error\n");
	store_proposals_free(&l);
	return EXIT_DONE;
}

static int do_decide(const struct app *app, store *db, const char *sub, const char *arg)
{
	char *end = NULL;
	long long id = strtoll(arg, &end, 10);
	if (!*arg || *end || id <= 0) {
		app_error("spells: '%s' is not a proposal's number (see `mahoraga spells proposals`)", arg);
		return EXIT_USAGE;
	}
	char *err = NULL, *path = NULL;
	int64_t now = (int64_t)time(NULL);
	int rc = EXIT_DONE;
	if (strcmp(sub, "accept") == 0) {
		char *shipped = NULL, *user = NULL;
		rc = app_spell_dirs(app, &shipped, &user);
		if (rc == EXIT_DONE && proposal_accept(db, id, user, now, &path, &err) == 0)
			printf("accepted: %s; it matches from the next triage on\n", path);
		free(shipped);
		free(user);
	} else if (proposal_reject(db, id, now, &err) == 0) {
		printf("rejected spell proposal %lld\n", id);
	}
	if (err) {
		app_error("spells: %s", err);
		rc = EXIT_BAD_INPUT;
	}
	free(err);
	free(path);
	return rc;
}

int cmd_spells(const struct app *app, int argc, char **argv)
{
	if (argc < 1 || app_is_help(argv[0])) {
		fputs(spells_usage, argc < 1 ? stderr : stdout);
		return argc < 1 ? EXIT_USAGE : EXIT_DONE;
	}
	const char *sub = argv[0], *format = "text", *spell_file = NULL, *arg = NULL;
	bool force = false;
	const struct app_opt opts[] = {
		{ "--format", &format, NULL }, { "--spell", &spell_file, NULL }, { "--force", NULL, &force },
		{ NULL, NULL, NULL },
	};
	int rc0 = app_parse("spells", spells_usage, argc - 1, argv + 1, opts, &arg, 1, NULL);
	if (rc0 >= 0)
		return rc0;
	bool json = strcmp(format, "json") == 0;
	if (!json && strcmp(format, "text") != 0) {
		app_error("spells: --format must be json or text");
		return EXIT_USAGE;
	}
	bool decide = strcmp(sub, "accept") == 0 || strcmp(sub, "reject") == 0;
	bool needs_arg = strcmp(sub, "show") == 0 || strcmp(sub, "add") == 0 || strcmp(sub, "rm") == 0 || decide;
	bool listing = strcmp(sub, "list") == 0 || strcmp(sub, "proposals") == 0;
	bool known = needs_arg || listing || strcmp(sub, "test") == 0;
	if (!known || (needs_arg && !arg) || (listing && arg)) {
		fputs(spells_usage, stderr);
		return EXIT_USAGE;
	}
	if (decide || strcmp(sub, "proposals") == 0) {
		store *db = NULL;
		int rc = app_open_store(app, &db);
		if (rc == EXIT_DONE)
			rc = decide ? do_decide(app, db, sub, arg) : do_proposals(db, json);
		store_close(db);
		return rc;
	}
	struct book bk;
	int rc = load(app, &bk);
	if (rc == EXIT_DONE) {
		if (strcmp(sub, "list") == 0)
			rc = do_list(&bk, json);
		else if (strcmp(sub, "show") == 0)
			rc = do_show(&bk, arg);
		else if (strcmp(sub, "add") == 0)
			rc = do_add(&bk, arg, force);
		else if (strcmp(sub, "rm") == 0)
			rc = do_rm(&bk, arg);
		else
			rc = do_test(&bk, spell_file, arg, json);
	}
	unload(&bk);
	return rc;
}
