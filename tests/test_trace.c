/* Parser edge cases, property tests, repository mapping, signals and the
 * duplicate rule. The realistic traces are in test_trace_cases.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dedup.h"
#include "signals.h"
#include "store.h"
#include "strbuf.h"
#include "testutil.h"
#include "trace.h"
#include "trace_map.h"
#include "xalloc.h"

static void parse(trace *t, const char *text)
{
	trace_init(t);
	trace_parse(t, text, strlen(text));
}

static void test_prose_has_no_trace(void **state)
{
	(void)state;
	trace t;
	parse(&t, "When I click Save nothing happens. I expected the dialog to close.\n"
		  "Version: 2.4.1, Firefox 121 on Windows 11. Error: none shown.\n");
	assert_int_equal(t.lang, TRACE_NONE);
	assert_int_equal(t.nexc, 0);
	assert_null(t.app_frame);
	assert_null(trace_final(&t));
	trace_free(&t);
	parse(&t, "");
	assert_int_equal(t.lang, TRACE_NONE);
	trace_free(&t);
}

static void test_log_that_looks_like_a_trace(void **state)
{
	(void)state;
	trace t;
	parse(&t, "2024-01-01 12:00:00 INFO at startup (config.py:12) loaded 3 plugins\n"
		  "2024-01-01 12:00:01 WARN retrying at 12:00:05 (attempt 2)\n"
		  "Error: could not connect to db:5432\n"
		  "    at the moment we run 3 replicas\n"
		  "see line 40 in settings.py, in the section [db]\n");
	assert_int_equal(t.lang, TRACE_NONE);
	assert_int_equal(t.nexc, 0);
	trace_free(&t);
}

static void test_truncated_traces(void **state)
{
	(void)state;
	trace t;
	/* cut off before the error line */
	parse(&t, "Traceback (most recent call last):\n"
		  "  File \"/srv/app/jobs.py\", line 12, in run\n"
		  "    do_work()\n"
		  "  File \"/srv/app/wo");
	assert_int_equal(t.lang, TRACE_PYTHON);
	assert_int_equal(trace_final(&t)->nframes, 1);
	assert_null(trace_final(&t)->type);
	assert_string_equal(t.app_frame->file, "/srv/app/jobs.py");
	trace_free(&t);
	/* cut off in the middle of a frame */
	parse(&t, "java.lang.IllegalStateException: boom\n\tat com.acme.A.b(A.java:1)\n\tat com.acme.C.d(C.ja");
	assert_int_equal(t.lang, TRACE_JAVA);
	assert_int_equal(trace_final(&t)->nframes, 1);
	trace_free(&t);
}

static void test_garbage(void **state)
{
	(void)state;
	size_t n = 1 << 20;
	char *buf = xmalloc(n);
	unsigned x = 12345;
	for (size_t i = 0; i < n; i++) {
		x = x * 1103515245 + 12345;
		buf[i] = (char)(x >> 16);
	}
	trace t;
	trace_init(&t);
	trace_parse(&t, buf, n);
	/* whatever was found, every string is clean UTF-8 without controls */
	for (size_t b = 0; b < t.nexc; b++)
		for (size_t i = 0; i < t.exc[b].nframes; i++) {
			const char *f = t.exc[b].frames[i].file;
			for (; f && *f; f++)
				assert_true((unsigned char)*f >= 0x20 && *f != 0x7f);
		}
	trace_free(&t);
	free(buf);
}

static void test_ten_thousand_frames(void **state)
{
	(void)state;
	strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "Exception in thread \"main\" java.lang.StackOverflowError\n");
	for (int i = 0; i < 10000; i++)
		strbuf_addf(&sb, "\tat com.acme.tree.Node.visit(Node.java:%d)\n", 100 + i % 7);
	trace t;
	parse(&t, sb.buf);
	assert_int_equal(t.lang, TRACE_JAVA);
	assert_int_equal(trace_final(&t)->nframes, 10000);
	assert_string_equal(trace_final(&t)->type, "java.lang.StackOverflowError");
	assert_int_equal(t.app_frame->line, 100);
	char *fp = dedup_fingerprint(&t);
	assert_non_null(fp);
	free(fp);
	trace_free(&t);
	strbuf_release(&sb);
}

static void test_control_characters_are_removed(void **state)
{
	(void)state;
	trace t;
	parse(&t, "Traceback (most recent call last):\n"
		  "  File \"/srv/\x1b[31mapp\x1b[0m/x.py\", line 3, in f\x07\n"
		  "ValueError: bad \x1b]0;pwned\x07value \xff\n");
	const trace_exception *e = trace_final(&t);
	assert_string_equal(e->frames[0].file, "/srv/app/x.py");
	assert_string_equal(e->frames[0].function, "f");
	assert_string_equal(e->message, "bad value \xef\xbf\xbd");
	trace_free(&t);
}

/* --- property tests: random frames rendered in each format parse back --- */

struct gframe {
	char dir[32], name[16], fn[16];
	int line, col;
};

static unsigned rnd(unsigned *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return (*seed >> 16) & 0x7fff;
}

static void random_frames(struct gframe *f, size_t n, unsigned *seed)
{
	static const char *const words[] = { "core", "api", "util", "store", "net", "ui", "jobs" };
	for (size_t i = 0; i < n; i++) {
		snprintf(f[i].dir, sizeof(f[i].dir), "%s/%s", words[rnd(seed) % 7], words[rnd(seed) % 7]);
		snprintf(f[i].name, sizeof(f[i].name), "m%u", rnd(seed) % 1000);
		snprintf(f[i].fn, sizeof(f[i].fn), "do_%u", rnd(seed) % 1000);
		f[i].line = 1 + (int)(rnd(seed) % 5000);
		f[i].col = 1 + (int)(rnd(seed) % 120);
	}
}

enum fmt { F_PY, F_V8, F_GECKO, F_JAVA, F_GO, F_RUST, F_RUBY, F_CS, F_PHP, F_ASAN, F_GDB, N_FMT };

/* Renders frames (innermost first) in a language's format. */
static char *render(enum fmt k, const struct gframe *f, size_t n)
{
	strbuf sb = STRBUF_INIT;
	switch (k) {
	case F_PY:
		strbuf_addstr(&sb, "Traceback (most recent call last):\n");
		for (size_t i = n; i-- > 0;)
			strbuf_addf(&sb, "  File \"/home/u/proj/%s/%s.py\", line %d, in %s\n    x = 1\n",
				    f[i].dir, f[i].name, f[i].line, f[i].fn);
		strbuf_addstr(&sb, "ValueError: nope\n");
		break;
	case F_V8:
		strbuf_addstr(&sb, "TypeError: nope\n");
		for (size_t i = 0; i < n; i++)
			strbuf_addf(&sb, "    at %s (/home/u/proj/%s/%s.js:%d:%d)\n", f[i].fn, f[i].dir,
				    f[i].name, f[i].line, f[i].col);
		break;
	case F_GECKO:
		for (size_t i = 0; i < n; i++)
			strbuf_addf(&sb, "%s@http://localhost/%s/%s.js:%d:%d\n", f[i].fn, f[i].dir,
				    f[i].name, f[i].line, f[i].col);
		break;
	case F_JAVA:
		strbuf_addstr(&sb, "java.lang.IllegalStateException: nope\n");
		for (size_t i = 0; i < n; i++) {
			char pkg[32];
			snprintf(pkg, sizeof(pkg), "%s", f[i].dir);
			for (char *c = pkg; *c; c++)
				*c = *c == '/' ? '.' : *c; /* a '/' would be a module prefix */
			strbuf_addf(&sb, "\tat com.acme.%s.%s.%s(%s.java:%d)\n", pkg, f[i].name,
				    f[i].fn, f[i].name, f[i].line);
		}
		break;
	case F_GO:
		strbuf_addstr(&sb, "panic: nope\n\ngoroutine 1 [running]:\n");
		for (size_t i = 0; i < n; i++)
			strbuf_addf(&sb, "example.com/proj/%s.%s(0x0)\n\t/home/u/proj/%s/%s.go:%d +0x1d\n",
				    f[i].dir, f[i].fn, f[i].dir, f[i].name, f[i].line);
		break;
	case F_RUST:
		strbuf_addstr(&sb, "thread 'main' panicked at src/lib.rs:1:1:\nnope\nstack backtrace:\n");
		for (size_t i = 0; i < n; i++)
			strbuf_addf(&sb, "  %zu: proj::%s::h0123456789abcdef\n             at ./src/%s/%s.rs:%d:%d\n",
				    i, f[i].fn, f[i].dir, f[i].name, f[i].line, f[i].col);
		break;
	case F_RUBY:
		for (size_t i = 0; i < n; i++)
			strbuf_addf(&sb, "%s/home/u/proj/%s/%s.rb:%d:in `%s'%s\n", i ? "\tfrom " : "",
				    f[i].dir, f[i].name, f[i].line, f[i].fn, i ? "" : ": nope (RuntimeError)");
		break;
	case F_CS:
		strbuf_addstr(&sb, "System.InvalidOperationException: nope\n");
		for (size_t i = 0; i < n; i++)
			strbuf_addf(&sb, "   at Acme.Proj.%s.%s(Int32 x) in /home/u/proj/%s/%s.cs:line %d\n",
				    f[i].name, f[i].fn, f[i].dir, f[i].name, f[i].line);
		break;
	case F_PHP:
		strbuf_addstr(&sb, "PHP Fatal error:  Uncaught Exception: nope in /home/u/proj/a.php:1\nStack trace:\n");
		for (size_t i = 0; i < n; i++)
			strbuf_addf(&sb, "#%zu /home/u/proj/%s/%s.php(%d): %s()\n", i, f[i].dir, f[i].name,
				    f[i].line, f[i].fn);
		strbuf_addf(&sb, "#%zu {main}\n", n);
		break;
	case F_ASAN:
		strbuf_addstr(&sb, "==1==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x1\n");
		for (size_t i = 0; i < n; i++)
			strbuf_addf(&sb, "    #%zu 0x4f5a2a in %s /home/u/proj/%s/%s.c:%d:%d\n", i, f[i].fn,
				    f[i].dir, f[i].name, f[i].line, f[i].col);
		break;
	case F_GDB:
		strbuf_addstr(&sb, "Program received signal SIGSEGV, Segmentation fault.\n");
		for (size_t i = 0; i < n; i++)
			strbuf_addf(&sb, "#%zu  0x0000555555555171 in %s (p=0x0) at %s/%s.c:%d\n", i,
				    f[i].fn, f[i].dir, f[i].name, f[i].line);
		break;
	default:
		break;
	}
	return strbuf_detach(&sb);
}

static void test_rendered_frames_parse_back(void **state)
{
	(void)state;
	unsigned seed = 42;
	static const char *const ext[N_FMT] = { "py", "js", "js", "java", "go", "rs", "rb", "cs",
						 "php", "c", "c" };
	for (int round = 0; round < 50; round++) {
		struct gframe f[12];
		size_t n = 1 + rnd(&seed) % 12;
		random_frames(f, n, &seed);
		for (int k = 0; k < N_FMT; k++) {
			char *text = render((enum fmt)k, f, n);
			trace t;
			parse(&t, text);
			const trace_exception *e = trace_final(&t);
			assert_non_null(e);
			size_t extra = k == F_PHP; /* {main} */
			assert_int_equal(e->nframes, n + extra);
			for (size_t i = 0; i < n; i++) {
				const trace_frame *p = &e->frames[e->innermost_first ? i : n - 1 - i];
				char want[96];
				snprintf(want, sizeof(want), "%s.%s", f[i].name, ext[k]);
				assert_non_null(p->file);
				size_t wl = strlen(want), pl = strlen(p->file);
				assert_true(pl >= wl && strcmp(p->file + pl - wl, want) == 0);
				assert_int_equal(p->line, f[i].line);
				assert_non_null(p->function);
				assert_non_null(strstr(p->function, f[i].fn));
			}
			trace_free(&t);
			free(text);
		}
	}
}

static char *fingerprint_of(const char *text)
{
	trace t;
	parse(&t, text);
	char *fp = dedup_fingerprint(&t);
	trace_free(&t);
	return fp;
}

static void test_fingerprint_survives_lines_and_prefixes(void **state)
{
	(void)state;
	unsigned seed = 7;
	for (int round = 0; round < 30; round++) {
		struct gframe f[8];
		size_t n = 2 + rnd(&seed) % 6;
		random_frames(f, n, &seed);
		for (int k = 0; k < N_FMT; k++) {
			char *a = render((enum fmt)k, f, n);
			char *fa = fingerprint_of(a);
			/* other line numbers */
			for (size_t i = 0; i < n; i++)
				f[i].line += 17;
			char *b = render((enum fmt)k, f, n);
			char *fb = fingerprint_of(b);
			assert_string_equal(fa, fb);
			/* another in-app function */
			char saved[16];
			memcpy(saved, f[0].fn, sizeof(saved));
			snprintf(f[0].fn, sizeof(f[0].fn), "other_%d", round);
			char *c = render((enum fmt)k, f, n);
			char *fc = fingerprint_of(c);
			if (k != F_RUST && strcmp(fa, fc) == 0)
				fail_msg("format %d: fingerprint unchanged:\n%s\n%s", k, a, c);
			memcpy(f[0].fn, saved, sizeof(saved));
			free(a); free(b); free(c); free(fa); free(fb); free(fc);
		}
	}
	/* another install prefix, version directory and bundle hash */
	char *p1 = fingerprint_of("TypeError: x\n    at load (/home/ana/app-1.2.0/dist/main.3f2a1b9c.js:10:5)\n");
	char *p2 = fingerprint_of("TypeError: x\n    at load (/srv/www/app-1.3.0/dist/main.77aa01ff.js:99:1)\n");
	assert_string_equal(p1, p2);
	/* generated names: lambdas, proxies and Go closures */
	char *j1 = fingerprint_of("java.lang.IllegalStateException: x\n\tat com.acme.A.lambda$run$0(A.java:10)\n\tat com.acme.A$$EnhancerBySpringCGLIB$$1a2b3c.run(<generated>)\n");
	char *j2 = fingerprint_of("java.lang.IllegalStateException: x\n\tat com.acme.A.lambda$run$3(A.java:12)\n\tat com.acme.A$$EnhancerBySpringCGLIB$$ffee01.run(<generated>)\n");
	assert_string_equal(j1, j2);
	free(p1); free(p2); free(j1); free(j2);
}

static void test_similarity(void **state)
{
	(void)state;
	dedup_sig a, b;
	dedup_sig_init(&a);
	dedup_sig_init(&b);
	dedup_sig_parse(&a, "KeyError\tload@config.py\tmain@app.py\t<module>@run.py");
	dedup_sig_parse(&b, "KeyError\tload@config.py\tmain@app.py\t<module>@run.py");
	assert_true(dedup_similarity(&a, &b) > 0.999);
	dedup_sig_parse(&b, "KeyError\tload@config.py\tmain@app.py\tcli@cli.py\t<module>@run.py");
	double near = dedup_similarity(&a, &b);
	assert_true(near > 0.6 && near < 1.0);
	dedup_sig_parse(&b, "KeyError\tsave@db.py\tmain@app.py\t<module>@run.py");
	double top_differs = dedup_similarity(&a, &b);
	assert_true(top_differs < near);
	dedup_sig_parse(&b, "TypeError\tload@config.py\tmain@app.py\t<module>@run.py");
	assert_true(dedup_similarity(&a, &b) <= 0.5);
	char *s = dedup_sig_serialize(&a);
	assert_string_equal(s, "KeyError\tload@config.py\tmain@app.py\t<module>@run.py");
	free(s);
	dedup_sig_free(&a);
	dedup_sig_free(&b);
}

static void test_duplicate_rule(void **state)
{
	(void)state;
	char *h1 = dedup_content_hash("Crash on save", "KeyError: 'x'\n", 14);
	char *h2 = dedup_content_hash("crash on  SAVE", "KeyError:   'x'", 15);
	assert_string_equal(h1, h2);
	dedup_report earlier[] = {
		{ .issue_id = 10, .reported_at = 1000, .fingerprint = "aaaa", .content_hash = h1,
		  .signature = "KeyError\tload@c.py\tmain@a.py" },
		{ .issue_id = 11, .reported_at = 1100, .fingerprint = "aaaa", .content_hash = "other",
		  .signature = "KeyError\tload@c.py\tmain@a.py" },
		{ .issue_id = 12, .reported_at = 900, .fingerprint = "bbbb", .content_hash = "x3",
		  .signature = "KeyError\tload@c.py\tmain@a.py\tcli@b.py" },
	};
	dedup_result r;
	/* identical text 5 minutes later: consolidated into the first */
	dedup_report now = { .issue_id = 20, .reported_at = 1300, .fingerprint = "aaaa",
			     .content_hash = h1, .signature = "KeyError\tload@c.py\tmain@a.py" };
	dedup_classify(&now, earlier, 3, 600, 0.8, &r);
	assert_int_equal(r.kind, DEDUP_CONSOLIDATE);
	assert_int_equal(r.of, 10);
	/* the same text after the window: a duplicate link, not consolidated */
	now.reported_at = 1000 + 601;
	dedup_classify(&now, earlier, 3, 600, 0.8, &r);
	assert_int_equal(r.kind, DEDUP_DUPLICATE);
	assert_int_equal(r.of, 10);
	/* other words, same failure: linked to the earliest with the fingerprint */
	now.content_hash = "different";
	now.reported_at = 5000;
	dedup_classify(&now, earlier, 3, 600, 0.8, &r);
	assert_int_equal(r.kind, DEDUP_DUPLICATE);
	assert_int_equal(r.of, 10);
	/* another fingerprint with nearly the same frames: similar */
	now.fingerprint = "cccc";
	now.signature = "KeyError\tload@c.py\tmain@a.py\tcli@b.py";
	dedup_classify(&now, earlier, 3, 600, 0.8, &r);
	assert_int_equal(r.kind, DEDUP_SIMILAR);
	assert_int_equal(r.of, 12);
	/* nothing alike */
	now.signature = "OSError\tread@io.py";
	dedup_classify(&now, earlier, 3, 600, 0.8, &r);
	assert_int_equal(r.kind, DEDUP_NEW);
	assert_int_equal(r.of, 0);
	free(h1);
	free(h2);
}

/* The rule end to end: reports recorded in a real database as they arrive. */
static void test_duplicates_in_the_store(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	char *path = tu_path(dir, "m.db");
	store *s = NULL;
	char *err = NULL;
	assert_int_equal(store_open(&s, path, &err), 0);
	int64_t repo;
	assert_int_equal(store_repo_ensure(s, "acme/shop", &repo), 0);
#define PY_REPORT "Checkout fails:\n```\nTraceback (most recent call last):\n" \
		  "  File \"/srv/shop/shop/cart.py\", line %d, in total\n" \
		  "  File \"/srv/shop/shop/%s.py\", line 9, in %s\n" \
		  "TypeError: unsupported operand\n```\n"
	struct { int number; int64_t at; int line; const char *file, *fn; enum dedup_kind kind; int of; } steps[] = {
		{ 1, 1000, 44, "money", "add", DEDUP_NEW, 0 },
		{ 2, 1300, 44, "money", "add", DEDUP_CONSOLIDATE, 1 }, /* same text, 5 min */
		{ 3, 9000, 51, "money", "add", DEDUP_DUPLICATE, 1 },   /* lines moved, later */
		{ 4, 9100, 44, "money", "add", DEDUP_DUPLICATE, 1 },   /* same text, late */
		{ 5, 9200, 44, "tax", "rate", DEDUP_NEW, 0 },          /* another failure */
	};
	int64_t ids[6] = { 0 };
	for (size_t i = 0; i < sizeof(steps) / sizeof(*steps); i++) {
		store_issue is;
		store_issue_init(&is);
		is.repo_id = repo;
		is.number = steps[i].number;
		is.title = xstrdup("Checkout fails");
		is.body = xasprintf(PY_REPORT, steps[i].line, steps[i].file, steps[i].fn);
		is.created_at = steps[i].at;
		assert_int_equal(store_issue_save(s, &is), 0);
		ids[steps[i].number] = is.id;
		trace t;
		parse(&t, is.body);
		dedup_result r;
		assert_int_equal(dedup_record(s, repo, is.id, steps[i].at, is.title, is.body,
					      strlen(is.body), &t, 600, &r), 0);
		assert_int_equal(r.kind, steps[i].kind);
		assert_int_equal(r.of, steps[i].of ? ids[steps[i].of] : 0);
		trace_free(&t);
		store_issue_free(&is);
	}
	/* what was recorded survives a reopen */
	store_close(s);
	assert_int_equal(store_open(&s, path, &err), 0);
	store_report rep;
	store_report_init(&rep);
	assert_int_equal(store_report_get(s, ids[2], &rep), 1);
	assert_string_equal(rep.relation, "consolidated");
	assert_int_equal(rep.duplicate_of, ids[1]);
	store_report_free(&rep);
	assert_int_equal(store_report_get(s, ids[5], &rep), 1);
	assert_string_equal(rep.relation, "new");
	store_report_free(&rep);
	store_close(s);
	tu_rmtree(dir);
	free(path);
	free(dir);
}

static bool has(const signals *s, const char *kw)
{
	for (size_t i = 0; i < s->nkeywords; i++)
		if (strcmp(s->keywords[i], kw) == 0)
			return true;
	for (size_t i = 0; i < s->nlabels; i++)
		if (strcmp(s->labels[i], kw) == 0)
			return true;
	return false;
}

static void test_signals(void **state)
{
	(void)state;
	signals s;
	signals_init(&s);
	const char *body = "Since upgrading to 3.1 the worker crashes in production and "
			   "we lost data for two tenants.";
	signals_extract(&s, "Worker segfault after update", body, strlen(body), NULL);
	assert_true(has(&s, "crash") && has(&s, "segfault") && has(&s, "data loss"));
	assert_true(has(&s, "after upgrade") && has(&s, "production"));
	assert_int_equal(s.severity, SEV_CRITICAL);
	assert_true(has(&s, "bug") && has(&s, "data-loss") && has(&s, "regression"));
	body = "The export is slow, and it does not crash. No data loss either.";
	signals_extract(&s, "Export takes 10 minutes", body, strlen(body), NULL);
	assert_true(has(&s, "slow"));
	assert_false(has(&s, "crash"));
	assert_false(has(&s, "data loss"));
	assert_int_equal(s.severity, SEV_MEDIUM);
	body = "Typo in the docs: 'recieve'.";
	signals_extract(&s, "Typo", body, strlen(body), NULL);
	assert_int_equal(s.severity, SEV_LOW);
	assert_true(has(&s, "cosmetic"));
	trace t;
	parse(&t, "==1==ERROR: AddressSanitizer: heap-use-after-free on address 0x1\n"
		  "    #0 0x1 in f /src/a.c:1:1\n");
	body = "see trace";
	signals_extract(&s, NULL, body, strlen(body), &t);
	assert_true(has(&s, "use-after-free") && has(&s, "security") && has(&s, "lang:c"));
	assert_int_equal(s.severity, SEV_CRITICAL);
	trace_free(&t);
	signals_free(&s);
}

/* --- mapping against a real repository --- */

static void run(const char *dir, const char *cmd)
{
	char *full = xasprintf("cd '%s' && %s >/dev/null 2>&1", dir, cmd);
	assert_int_equal(system(full), 0);
	free(full);
}

static void test_mapping_in_a_git_repository(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	static const char *const files[] = {
		"shop/views/profile.py", "shop/models/user.py", "tools/user.py",
		"src/main/java/com/acme/shop/orders/OrderService.java", "lib/util/strings.py",
		"lib/format/strings.py", "vendor/github.com/pkg/errors/errors.go",
		"internal/billing/service.go", "requests/api.py",
	};
	for (size_t i = 0; i < sizeof(files) / sizeof(*files); i++) {
		char *p = tu_path(dir, files[i]);
		char *mk = xasprintf("mkdir -p \"$(dirname '%s')\"", p);
		assert_int_equal(system(mk), 0);
		tu_write_file(p, "x\n");
		free(mk);
		free(p);
	}
	run(dir, "git init -q . && git add -A && git -c user.name=t -c user.email=t@e "
		 "commit -qm init && git tag v1 && git rm -q tools/user.py && "
		 "git -c user.name=t -c user.email=t@e commit -qm rm");
	char *err = NULL;
	trace_map *m = trace_map_load(dir, NULL, &err);
	assert_non_null(m);
	assert_int_equal(trace_map_size(m), 8);
	trace_map *old = trace_map_load(dir, "v1", &err);
	assert_non_null(old);
	assert_int_equal(trace_map_size(old), 9);
	struct { const char *file, *package, *want; bool in_app; size_t ties; } cases[] = {
		{ "/srv/www/shop/shop/views/profile.py", NULL, "shop/views/profile.py", true, 0 },
		{ "C:\\Users\\me\\shop\\shop\\models\\user.py", NULL, "shop/models/user.py", true, 0 },
		{ "OrderService.java", "com.acme.shop.orders",
		  "src/main/java/com/acme/shop/orders/OrderService.java", true, 0 },
		{ "/home/u/proj/strings.py", NULL, NULL, true, 2 },          /* a tie */
		{ "/home/u/proj/util/strings.py", NULL, "lib/util/strings.py", true, 0 },
		{ "/go/pkg/mod/github.com/acme/api@v1.8.0/internal/billing/service.go", NULL,
		  "internal/billing/service.go", true, 0 },
		/* the module's vendored copy */
		{ "/go/pkg/mod/github.com/pkg/errors@v0.9.1/errors.go", NULL,
		  "vendor/github.com/pkg/errors/errors.go", false, 0 },
		{ "/usr/lib/python3/site-packages/requests/api.py", NULL, "requests/api.py", true, 0 },
		{ "/venv/lib/python3.11/site-packages/django/models/user.py", NULL, NULL, false, 0 },
		{ "webpack:///./shop/views/profile.py", NULL, "shop/views/profile.py", true, 0 },
		{ "/home/u/other/missing.py", NULL, NULL, false, 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		trace_frame f = { 0 };
		f.file = xstrdup(cases[i].file);
		f.package = cases[i].package ? xstrdup(cases[i].package) : NULL;
		trace_map_frame(m, &f);
		if (cases[i].want)
			assert_string_equal(f.repo_path, cases[i].want);
		else
			assert_null(f.repo_path);
		assert_int_equal(f.in_app, cases[i].in_app);
		assert_int_equal(f.nties, cases[i].ties);
		trace_frame_free(&f);
	}
	/* vendored files map but are not the application's */
	trace_frame f = { .file = xstrdup("/build/vendor/github.com/pkg/errors/errors.go") };
	trace_map_frame(m, &f);
	assert_string_equal(f.repo_path, "vendor/github.com/pkg/errors/errors.go");
	assert_false(f.in_app);
	trace_frame_free(&f);
	/* as of v1, tools/user.py existed: a bare user.py is then a tie */
	f.file = xstrdup("/x/user.py");
	trace_map_frame(old, &f);
	assert_null(f.repo_path);
	assert_int_equal(f.nties, 2);
	trace_frame_free(&f);
	/* the whole trace: app_frame follows the repository */
	trace t;
	parse(&t, "Traceback (most recent call last):\n"
		  "  File \"/srv/www/shop/shop/views/profile.py\", line 31, in show\n"
		  "  File \"/srv/www/venv/lib/python3.10/site-packages/flask/sessions.py\", line 80, in get\n"
		  "KeyError: 'user_id'\n");
	trace_map_apply(m, &t);
	assert_string_equal(t.app_frame->repo_path, "shop/views/profile.py");
	trace_free(&t);
	assert_null(trace_map_load(dir, "no-such-rev", &err));
	assert_non_null(strstr(err, "no-such-rev"));
	free(err);
	err = NULL;
	assert_null(trace_map_load("/nonexistent/dir", NULL, &err));
	free(err);
	trace_map_free(m);
	trace_map_free(old);
	tu_rmtree(dir);
	free(dir);
}


/* A repository made of (path, content) pairs, committed. */
static char *make_repo(const char *const *files)
{
	char *dir = tu_mkdtemp();
	for (size_t i = 0; files[i]; i += 2) {
		char *p = tu_path(dir, files[i]);
		char *mk = xasprintf("mkdir -p \"$(dirname '%s')\"", p);
		assert_int_equal(system(mk), 0);
		tu_write_file(p, files[i + 1]);
		free(mk);
		free(p);
	}
	run(dir, "git init -q . && git add -A && git -c user.name=t -c user.email=t@e "
		 "commit -qm init");
	return dir;
}

/* Maps file in the repository made of files; want is the repository path or NULL. */
static void expect_map(const char *const *files, const char *file, const char *want, bool in_app)
{
	char *dir = make_repo(files);
	char *err = NULL;
	trace_map *m = trace_map_load(dir, NULL, &err);
	assert_non_null(m);
	trace_frame f = { .file = xstrdup(file) };
	trace_map_frame(m, &f);
	if (want) {
		if (!f.repo_path || strcmp(f.repo_path, want) != 0)
			print_error("%s: got %s, want %s\n", file, f.repo_path ? f.repo_path : "(none)", want);
		assert_non_null(f.repo_path);
		assert_string_equal(f.repo_path, want);
	} else {
		assert_null(f.repo_path);
	}
	assert_int_equal(f.in_app, in_app);
	/* the map saved by tree id (core/map_store) maps the same */
	strbuf packed = STRBUF_INIT;
	trace_map_pack(m, &packed);
	trace_map *back = trace_map_unpack(packed.buf, packed.len);
	assert_non_null(back);
	assert_int_equal(trace_map_size(back), trace_map_size(m));
	trace_frame g = { .file = xstrdup(file) };
	trace_map_frame(back, &g);
	assert_int_equal(!g.repo_path, !f.repo_path);
	if (want)
		assert_string_equal(g.repo_path, want);
	assert_int_equal(g.in_app, in_app);
	/* a cut one is refused, not half read */
	assert_null(trace_map_unpack(packed.buf, packed.len - 1));
	trace_frame_free(&g);
	trace_map_free(back);
	strbuf_release(&packed);
	trace_frame_free(&f);
	trace_map_free(m);
	tu_rmtree(dir);
	free(dir);
}

/* A bug filed on a library's tracker shows the library as installed. */
static void test_mapping_the_projects_own_package(void **state)
{
	(void)state;
	const char *npm[] = {
		"package.json", "{\"name\": \"koa\", \"version\": \"2.15.0\", \"author\": {\"name\": \"TJ\"}}\n",
		"lib/application.js", "x\n", "lib/context.js", "x\n", NULL,
	};
	expect_map(npm, "/app/node_modules/koa/lib/application.js", "lib/application.js", true);
	expect_map(npm, "./server/node_modules/koa/lib/context.js", "lib/context.js", true);
	expect_map(npm, "C:\\work\\api\\node_modules\\koa\\lib\\context.js", "lib/context.js", true);
	/* another package's file of the same name stays a library frame */
	expect_map(npm, "/app/node_modules/express/lib/application.js", NULL, false);
	const char *scoped[] = {
		"package.json", "{\"name\": \"acme-monorepo\", \"private\": true}\n",
		"packages/core/package.json", "{\"name\": \"@acme/core\"}\n",
		"packages/core/src/index.js", "x\n", NULL,
	};
	expect_map(scoped, "/srv/node_modules/@acme/core/src/index.js", "packages/core/src/index.js",
		   true);
	const char *py[] = {
		"pyproject.toml", "[project]\nname = \"httpx\"\n", "httpx/__init__.py", "x\n",
		"httpx/_client.py", "x\n", "tests/__init__.py", "x\n", NULL,
	};
	expect_map(py, "C:\\Users\\me\\AppData\\Local\\Programs\\Python\\Python39\\lib\\site-packages\\httpx\\_client.py",
		   "httpx/_client.py", true);
	const char *pysrc[] = {
		"setup.cfg", "[metadata]\nname = Flask\n", "src/flask/__init__.py", "x\n",
		"src/flask/app.py", "x\n", "src/flask/json/__init__.py", "x\n", NULL,
	};
	expect_map(pysrc, "/venv/lib/python3.12/site-packages/flask/app.py", "src/flask/app.py", true);
	/* the standard library's json is not the project's json package */
	expect_map(pysrc, "/usr/lib/python3.12/json/__init__.py", NULL, false);
	const char *gem[] = {
		"rack.gemspec", "Gem::Specification.new do |s|\n  s.name = \"rack\"\n  s.version = Rack::RELEASE\nend\n",
		"lib/rack/utils.rb", "x\n", NULL,
	};
	expect_map(gem, "/usr/local/bundle/gems/rack-3.0.8/lib/rack/utils.rb", "lib/rack/utils.rb", true);
	expect_map(gem, "rack (3.0.8) lib/rack/utils.rb", "lib/rack/utils.rb", true);
	expect_map(gem, "(gem) rack-1.4.5/lib/rack/utils.rb", "lib/rack/utils.rb", true);
	const char *go[] = {
		"go.mod", "module github.com/labstack/echo/v4\n\ngo 1.20\n", "context.go", "x\n",
		"server.go", "x\n", "middleware/cors.go", "x\n", NULL,
	};
	expect_map(go, "/root/go/pkg/mod/github.com/labstack/echo/v4@v4.11.1/context.go", "context.go", true);
	expect_map(go, "/home/may/.go/pkg/mod/github.com/labstack/echo/v4@v4.13.4/middleware/cors.go",
		   "middleware/cors.go", true);
	/* GOROOT's net/http/server.go is not the project's server.go */
	expect_map(go, "/usr/local/go/src/net/http/server.go", NULL, false);
	const char *php[] = {
		"composer.json", "{\"name\": \"guzzlehttp/guzzle\", \"type\": \"library\"}\n",
		"src/Client.php", "x\n", NULL,
	};
	expect_map(php, "/var/www/app/vendor/guzzlehttp/guzzle/src/Client.php", "src/Client.php", true);
	const char *rust[] = {
		"Cargo.toml", "[package]\nname = \"serde_json\"\nversion = \"1.0.108\"\n\n[dependencies]\nserde = \"1\"\n",
		"src/de.rs", "x\n", NULL,
	};
	expect_map(rust, "/home/u/.cargo/registry/src/index.crates.io-6f17d22bba15001f/serde_json-1.0.108/src/de.rs",
		   "src/de.rs", true);
	/* an application, not the package: node_modules/koa stays a library */
	const char *app[] = {
		"package.json", "{\"name\": \"my-shop\"}\n", "lib/application.js", "x\n", NULL,
	};
	expect_map(app, "/app/node_modules/koa/lib/application.js", NULL, false);
	/* a frame that names an exact path of the tree is not a tie */
	const char *exact[] = { "diff.c", "x\n", "builtin/diff.c", "x\n", NULL };
	expect_map(exact, "diff.c", "diff.c", true);

	/* the whole trace: the innermost frame of the project is the one to blame */
	char *dir = make_repo(npm);
	char *err = NULL;
	trace_map *m = trace_map_load(dir, NULL, &err);
	assert_non_null(m);
	trace t;
	parse(&t, "TypeError: Cannot read properties of undefined (reading 'emit')\n"
		  "    at Request.onerror (/srv/app/node_modules/koa/lib/context.js:117:13)\n"
		  "    at emitOne (events.js:101:20)\n"
		  "    at Object.<anonymous> (/srv/app/server.js:12:5)\n");
	trace_map_apply(m, &t);
	assert_non_null(t.app_frame);
	assert_string_equal(t.app_frame->repo_path, "lib/context.js");
	trace_free(&t);
	trace_map_free(m);
	tu_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prose_has_no_trace),
		cmocka_unit_test(test_log_that_looks_like_a_trace),
		cmocka_unit_test(test_truncated_traces),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_ten_thousand_frames),
		cmocka_unit_test(test_control_characters_are_removed),
		cmocka_unit_test(test_rendered_frames_parse_back),
		cmocka_unit_test(test_fingerprint_survives_lines_and_prefixes),
		cmocka_unit_test(test_similarity),
		cmocka_unit_test(test_duplicate_rule),
		cmocka_unit_test(test_duplicates_in_the_store),
		cmocka_unit_test(test_signals),
		cmocka_unit_test(test_mapping_in_a_git_repository),
		cmocka_unit_test(test_mapping_the_projects_own_package),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
