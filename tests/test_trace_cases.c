/* The realistic traces of tests/data/traces/ (*.cases files), each checked for its
 * language, error type and message, every frame of the final block, the app frame
 * and the number of blocks, as pasted and also with CRLF line endings, quoted as
 * an email reply, and indented as a markdown code block.
 *
 * A .cases file holds cases as "=== name", the issue text, "--- expect", then
 * lines: "language L", "type T", "message M", "blocks N",
 * "frame FUNCTION|FILE|LINE|COLUMN" (one per frame, "-" for null) and
 * "app FUNCTION|FILE|LINE" or "app -". With --bless FILE the expectations the
 * parser produces are printed for review; with --check FILE the cases of a file
 * kept elsewhere (a hand-labelled sample of real issues) are scored as pasted,
 * one line per miss and a total. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "strbuf.h"
#include "testutil.h"
#include "trace.h"
#include "xalloc.h"

struct tcase {
	char *file;
	char *name;
	char *input;
	char *expect;
};

static struct tcase *cases;
static size_t ncases;

static void load_file(const char *path)
{
	char *text = tu_read_file(path);
	if (!text) {
		perror(path);
		exit(1);
	}
	char *p = text;
	while ((p = strstr(p, "=== "))) {
		if (p != text && p[-1] != '\n') {
			p += 4;
			continue;
		}
		char *name_end = strchr(p, '\n');
		if (!name_end)
			break;
		char *body = name_end + 1;
		char *next = strstr(body, "\n=== ");
		char *end = next ? next + 1 : body + strlen(body);
		char *exp = strstr(body, "--- expect\n");
		struct tcase c = { 0 };
		c.file = xstrdup(path);
		c.name = xstrndup(p + 4, (size_t)(name_end - p - 4));
		if (exp && exp < end) {
			c.input = xstrndup(body, (size_t)(exp - body));
			c.expect = xstrndup(exp + 11, (size_t)(end - exp - 11));
		} else {
			c.input = xstrndup(body, (size_t)(end - body));
		}
		cases = xrealloc(cases, (ncases + 1) * sizeof(*cases));
		cases[ncases++] = c;
		p = end;
	}
	free(text);
}

static void load_dir(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d) {
		perror(dir);
		exit(1);
	}
	struct dirent *e;
	char *names[64];
	size_t n = 0;
	while ((e = readdir(d)) && n < 64) {
		size_t l = strlen(e->d_name);
		if (l > 6 && strcmp(e->d_name + l - 6, ".cases") == 0)
			names[n++] = xasprintf("%s/%s", dir, e->d_name);
	}
	closedir(d);
	for (size_t i = 0; i < n; i++) {
		load_file(names[i]);
		free(names[i]);
	}
}

static const char *nz(const char *s)
{
	return s ? s : "-";
}

/* What the parser makes of the text, in the expectation syntax. */
static char *describe(const char *input, size_t len)
{
	trace t;
	trace_init(&t);
	trace_parse(&t, input, len);
	strbuf sb = STRBUF_INIT;
	const trace_exception *fin = trace_final(&t);
	strbuf_addf(&sb, "language %s\n", trace_lang_name(t.lang));
	strbuf_addf(&sb, "type %s\n", nz(fin ? fin->type : NULL));
	strbuf_addf(&sb, "message %s\n", nz(fin ? fin->message : NULL));
	strbuf_addf(&sb, "blocks %zu\n", t.nexc);
	for (size_t i = 0; fin && i < fin->nframes; i++) {
		const trace_frame *f = &fin->frames[i];
		strbuf_addf(&sb, "frame %s|%s|%d|%d\n", nz(f->function), nz(f->file), f->line,
			    f->column);
	}
	if (t.app_frame)
		strbuf_addf(&sb, "app %s|%s|%d\n", nz(t.app_frame->function),
			    nz(t.app_frame->file), t.app_frame->line);
	else
		strbuf_addstr(&sb, "app -\n");
	trace_free(&t);
	return strbuf_detach(&sb);
}

/* The same issue text, transformed the way people paste it. */
enum variant { AS_IS, CRLF, QUOTED, INDENTED, N_VARIANTS };

static char *transform(const char *in, enum variant v)
{
	strbuf sb = STRBUF_INIT;
	strbuf_add(&sb, "", 0);
	const char *p = in;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		if (v == QUOTED)
			strbuf_addstr(&sb, n ? "> " : ">");
		else if (v == INDENTED && n)
			strbuf_addstr(&sb, "    ");
		strbuf_add(&sb, p, n);
		if (nl)
			strbuf_addstr(&sb, v == CRLF ? "\r\n" : "\n");
		p += n + (nl ? 1 : 0);
	}
	return strbuf_detach(&sb);
}

static void test_case(void **state)
{
	const struct tcase *c = *state;
	assert_non_null(c->expect);
	for (int v = 0; v < N_VARIANTS; v++) {
		char *in = transform(c->input, (enum variant)v);
		char *got = describe(in, strlen(in));
		if (strcmp(got, c->expect) != 0) {
			static const char *const vname[] = { "as pasted", "CRLF", "quoted", "indented" };
			print_error("%s: %s (%s)\n--- expected\n%s--- got\n%s", c->file, c->name,
				    vname[v], c->expect, got);
		}
		assert_string_equal(got, c->expect);
		free(got);
		free(in);
	}
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--bless") == 0) {
		load_file(argv[2]);
		for (size_t i = 0; i < ncases; i++) {
			char *got = describe(cases[i].input, strlen(cases[i].input));
			printf("=== %s\n%s--- expect\n%s", cases[i].name, cases[i].input, got);
			free(got);
		}
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "--check") == 0) {
		load_file(argv[2]);
		size_t ok = 0;
		for (size_t i = 0; i < ncases; i++) {
			char *got = describe(cases[i].input, strlen(cases[i].input));
			if (cases[i].expect && strcmp(got, cases[i].expect) == 0)
				ok++;
			else
				printf("miss: %s\n", cases[i].name);
			free(got);
		}
		printf("%zu of %zu exactly right\n", ok, ncases);
		return 0;
	}
	const char *srcdir = getenv("srcdir");
	char *dir = xasprintf("%s/tests/data/traces", srcdir ? srcdir : ".");
	load_dir(dir);
	free(dir);
	struct CMUnitTest *tests = xcalloc(ncases, sizeof(*tests));
	for (size_t i = 0; i < ncases; i++) {
		tests[i].name = cases[i].name;
		tests[i].test_func = test_case;
		tests[i].initial_state = &cases[i];
	}
	return _cmocka_run_group_tests("trace cases", tests, ncases, NULL, NULL);
}
