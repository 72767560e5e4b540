/* Spells: the file format and its errors, the shipped library, ranked matching. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "spells.h"
#include "strbuf.h"
#include "testutil.h"
#include "trace.h"
#include "xalloc.h"

static const char good[] =
	"# a comment\n"
	"id: py-missing-key\n"
	"title: Missing key\n"
	"languages: python, ruby\n"
	"error: KeyError\n"
	"message: re:^'[a-z_]+'$\n"
	"fix: default-lookup\n"
	"---\n"
	"\n"
	"The dictionary had no such key.\n"
	"\n"
	"Second paragraph.\n\n";

static void test_parse_good(void **state)
{
	(void)state;
	spell s;
	spell_init(&s);
	char *err = NULL;
	assert_int_equal(spell_parse(&s, good, strlen(good), "good.spell", &err), 0);
	assert_string_equal(s.id, "py-missing-key");
	assert_string_equal(s.title, "Missing key");
	assert_int_equal(s.langs, (1u << TRACE_PYTHON) | (1u << TRACE_RUBY));
	assert_string_equal(s.error, "KeyError");
	assert_true(s.has_re);
	assert_string_equal(s.fix, "default-lookup");
	assert_string_equal(s.explanation, "The dictionary had no such key.\n\nSecond paragraph.");
	char *langs = spell_langs_text(s.langs);
	assert_string_equal(langs, "python,ruby");
	free(langs);
	spell_free(&s);
}

static void expect_error(const char *text, const char *want)
{
	spell s;
	spell_init(&s);
	char *err = NULL;
	assert_int_equal(spell_parse(&s, text, strlen(text), "x.spell", &err), -1);
	assert_non_null(err);
	if (!strstr(err, want))
		fail_msg("wanted '%s' in '%s'", want, err);
	free(err);
	spell_free(&s);
}

static void test_parse_errors(void **state)
{
	(void)state;
	expect_error("title: t\nerror: E\n---\nx\n", "x.spell: no 'id'");
	expect_error("id: Bad_Id\ntitle: t\nerror: E\n---\nx\n", "id must be");
	expect_error("id: a\ntitle: t\nerror: E\ncolour: red\n---\nx\n", "x.spell:4: unknown key");
	expect_error("id: a\ntitle: t\nlanguages: python, cobol\nerror: E\n---\nx\n", "x.spell:3: unknown language");
	expect_error("id: a\ntitle: t\nerror: E\nmessage: re:([a-z\n---\nx\n", "message regex");
	expect_error("id: a\ntitle: t\nerror: E\nfix: rewrite-everything\n---\nx\n", "unknown fix recipe");
	expect_error("id: a\ntitle: t\nerror: E\n---\n\n", "no explanation");
	expect_error("id: a\ntitle: t\n---\nx\n", "give 'error' or 'message'");
	expect_error("id: a\nid: b\ntitle: t\nerror: E\n---\nx\n", "x.spell:2: key given twice");
	expect_error("id: a\ntitle: t\nerror: E\nthis line has no colon\n---\nx\n", "x.spell:4: expected");
	expect_error("id: a\ntitle:\nerror: E\n---\nx\n", "x.spell:2: empty value");
	expect_error("", "no 'id'");
	expect_error("id: a\ntitle: t\nmessage: re:f+++++++++++++\n---\nx\n", "repetition of a repetition");
	expect_error("id: a\ntitle: t\nmessage: re:a{1,5000}\n---\nx\n", "above 100");
}

static void load_shipped(spellbook *b)
{
	const char *dir = getenv("TEST_DATA_DIR");
	char *spells = xasprintf("%s/spells", dir ? dir : "data");
	char *err = NULL;
	spellbook_init(b);
	int bad = spellbook_load_dir(b, spells, false, &err);
	if (bad)
		fail_msg("shipped spells that do not parse:\n%s", err);
	free(spells);
}

static void test_shipped_library(void **state)
{
	(void)state;
	spellbook b;
	load_shipped(&b);
	assert_true(b.n >= 40);
	/* ids are unique, every language of the parser has spells */
	unsigned langs = 0;
	size_t fixes = 0;
	for (size_t i = 0; i < b.n; i++) {
		for (size_t j = i + 1; j < b.n; j++)
			assert_string_not_equal(b.v[i].id, b.v[j].id);
		langs |= b.v[i].langs;
		fixes += b.v[i].fix != NULL;
	}
	for (int l = TRACE_PYTHON; l <= TRACE_CPP; l++)
		if (!(langs & (1u << l)))
			fail_msg("no spell for %s", trace_lang_name((enum trace_lang)l));
	assert_true(fixes >= 20);
	spellbook_free(&b);
}

static const char *top(const spellbook *b, const char *issue)
{
	trace t;
	trace_init(&t);
	trace_parse(&t, issue, strlen(issue));
	spell_match m[4];
	size_t n = spellbook_match(b, &t, m, 4);
	const char *id = n ? m[0].spell->id : "(none)";
	trace_free(&t);
	return id;
}

static void test_matching(void **state)
{
	(void)state;
	spellbook b;
	load_shipped(&b);
	assert_string_equal(top(&b, "Traceback (most recent call last):\n  File \"/app/x.py\", line 3, in f\n"
				  "AttributeError: 'NoneType' object has no attribute 'id'\n"),
			    "python-none-attribute");
	assert_string_equal(top(&b, "Exception in thread \"main\" java.lang.NullPointerException\n"
				  "\tat com.acme.A.b(A.java:3)\n"), "java-npe");
	assert_string_equal(top(&b, "Exception in thread \"main\" kotlin.KotlinNullPointerException\n"
				  "\tat com.acme.A.b(A.kt:3)\n"), "java-npe");
	assert_string_equal(top(&b, "panic: assignment to entry in nil map\n\ngoroutine 1 [running]:\n"
				  "main.main()\n\t/src/main.go:8 +0x2b\n"), "go-nil-map");
	assert_string_equal(top(&b, "TypeError: Cannot read properties of null (reading 'x')\n"
				  "    at f (/app/a.js:1:2)\n"), "js-undefined-property");
	/* an error the library does not know, and a language mismatch */
	assert_string_equal(top(&b, "Traceback (most recent call last):\n  File \"/app/x.py\", line 3, in f\n"
				  "acme.errors.QuotaExceeded: over quota\n"), "(none)");
	assert_string_equal(top(&b, "thread 'main' panicked at src/a.rs:1:1:\nTypeError: Cannot read properties of null\n"),
			    "(none)");
	/* a user spell overrides a shipped one and a frame context narrows */
	char *dir = tu_mkdtemp();
	char *p = tu_path(dir, "mine.spell");
	tu_write_file(p, "id: python-keyerror\ntitle: Our settings lookup\nlanguages: python\n"
			 "error: KeyError\nframe: */settings/*\n---\nUse settings.get().\n");
	char *err = NULL;
	assert_int_equal(spellbook_load_dir(&b, dir, true, &err), 0);
	const spell *s = spellbook_find(&b, "python-keyerror");
	assert_true(s->user);
	assert_string_equal(s->title, "Our settings lookup");
	assert_string_equal(top(&b, "Traceback (most recent call last):\n  File \"/srv/app/settings/load.py\", "
				  "line 3, in get\nKeyError: 'db'\n"), "python-keyerror");
	assert_string_equal(top(&b, "Traceback (most recent call last):\n  File \"/srv/app/views.py\", "
				  "line 3, in get\nKeyError: 'db'\n"), "(none)");
	/* a file that does not parse is reported, the others still load */
	tu_write_file(p, "id: broken\n");
	assert_int_equal(spellbook_load_dir(&b, dir, true, &err), 1);
	assert_non_null(strstr(err, "mine.spell"));
	free(err);
	/* a file too large is refused whole, never parsed cut */
	strbuf big = STRBUF_INIT;
	strbuf_addstr(&big, "id: huge\ntitle: x\n---\n");
	while (big.len <= (1 << 20))
		strbuf_addstr(&big, "a long explanation that never ends. ");
	tu_write_file(p, big.buf);
	strbuf_release(&big);
	err = NULL;
	assert_int_equal(spellbook_load_dir(&b, dir, true, &err), 1);
	assert_non_null(strstr(err, "mine.spell: larger than 1 MiB"));
	assert_null(spellbook_find(&b, "huge"));
	free(err);
	tu_rmtree(dir);
	free(p);
	free(dir);
	spellbook_free(&b);
}

/* A user spell cannot stall the worker: patterns that match in exponential
 * time are refused, and the globs a spell may use match in time proportional
 * to pattern and text, with fnmatch's answers. */
static void test_hostile_patterns(void **state)
{
	(void)state;
	static const char *const refused[][2] = {
		{ "re:(a*)*\\1\\1\\1\\1b", "is not allowed" }, /* 98 s on 100 a's */
		{ "re:(a|b)\\2", "backreferences" },
		{ "re:(a+)+b", "a repeated group with a repetition inside" },
		{ "re:((ab)*c)+", "a repeated group with a repetition inside" },
		{ "re:(x(a*)y){2,3}", "a repeated group with a repetition inside" },
	};
	for (size_t i = 0; i < sizeof(refused) / sizeof(*refused); i++) {
		char *text = xasprintf("id: u\ntitle: t\nmessage: %s\n---\nx\n", refused[i][0]);
		expect_error(text, refused[i][1]);
		free(text);
	}
	static const char *const accepted[] = { "re:(ab|cd)+x", "re:[*+?]+ failed", "re:^(GET|POST) /a+$",
						"re:\\(a*\\)*" };
	for (size_t i = 0; i < sizeof(accepted) / sizeof(*accepted); i++) {
		char *text = xasprintf("id: u\ntitle: t\nmessage: %s\n---\nx\n", accepted[i]);
		spell sp;
		spell_init(&sp);
		char *err = NULL;
		if (spell_parse(&sp, text, strlen(text), "u.spell", &err) != 0)
			fail_msg("%s refused: %s", accepted[i], err);
		spell_free(&sp);
		free(text);
	}
	/* a glob with many stars against a long message: answered (fnmatch
	 * backtracks at every star and takes minutes) */
	char *dir = tu_mkdtemp();
	char *p = tu_path(dir, "stars.spell");
	tu_write_file(p, "id: stars\ntitle: t\nlanguages: python\nmessage: *a*a*a*a*a*a*a*a*a*a*b\n---\nx\n");
	spellbook b;
	spellbook_init(&b);
	char *err = NULL;
	assert_int_equal(spellbook_load_dir(&b, dir, true, &err), 0);
	strbuf issue = STRBUF_INIT;
	strbuf_addstr(&issue, "Traceback (most recent call last):\n  File \"/app/x.py\", line 3, in f\nValueError: ");
	for (int i = 0; i < 3000; i++)
		strbuf_addch(&issue, 'a');
	strbuf_addch(&issue, '\n');
	assert_string_equal(top(&b, issue.buf), "(none)");
	strbuf_release(&issue);
	spellbook_free(&b);
	tu_rmtree(dir);
	free(p);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_good),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_shipped_library),
		cmocka_unit_test(test_matching),
		cmocka_unit_test(test_hostile_patterns),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
