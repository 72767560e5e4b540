/* Draft fixes: the recipes at a line, path safety, and the commit on its own
 * branch with the working tree, the index and HEAD left alone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "draft.h"
#include "testutil.h"
#include "xalloc.h"

static void test_path_safety(void **state)
{
	(void)state;
	assert_true(draft_path_is_safe("src/app/main.py"));
	assert_true(draft_path_is_safe("a.c"));
	assert_true(draft_path_is_safe(".github/workflows/x.yml"));
	assert_false(draft_path_is_safe("../../etc/passwd"));
	assert_false(draft_path_is_safe("src/../../etc/passwd"));
	assert_false(draft_path_is_safe("/etc/passwd"));
	assert_false(draft_path_is_safe("C:/Windows/x"));
	assert_false(draft_path_is_safe("src\\..\\x"));
	assert_false(draft_path_is_safe(".git/config"));
	assert_false(draft_path_is_safe("sub/.GIT/hooks/pre-commit"));
	assert_false(draft_path_is_safe("a//b"));
	assert_false(draft_path_is_safe("./a"));
	assert_false(draft_path_is_safe(""));
	assert_false(draft_path_is_safe(NULL));
}

static void expect(const char *text, int line, const char *recipe, enum trace_lang lang,
		   const char *want_line, const char *comment)
{
	const char *why = NULL;
	char *out = draft_apply_recipe(text, line, recipe, lang, &why);
	if (!out)
		fail_msg("%s: %s", recipe, why);
	if (!strstr(out, want_line))
		fail_msg("wanted '%s' in:\n%s", want_line, out);
	if (!strstr(out, comment))
		fail_msg("wanted the comment '%s' in:\n%s", comment, out);
	free(out);
}

static void test_recipes(void **state)
{
	(void)state;
	expect("def load(d):\n    return d[\"user_id\"]\n", 2, "default-lookup", TRACE_PYTHON,
	       "    return d.get(\"user_id\")\n", "    # mahoraga draft (default-lookup):");
	expect("def first_id(rows):\n    return rows[0][\"id\"]\n", 2, "default-lookup", TRACE_PYTHON,
	       "    return rows[0].get(\"id\")\n", "# mahoraga draft");
	expect("def name(user):\n    return user.name.upper()\n", 2, "guard-null", TRACE_PYTHON,
	       "    if user is None:\n        return None\n    return user.name.upper()", "# mahoraga draft");
	expect("  def show\n    @post.title\n  end\n", 2, "safe-navigation", TRACE_RUBY,
	       "    @post&.title", "# mahoraga draft");
	expect("function f(res) {\n  return res.body.items.length;\n}\n", 2, "optional-chaining",
	       TRACE_JAVASCRIPT, "  return res?.body.items.length;", "// mahoraga draft");
	expect("function f(u) {\r\n  const n = u.name;\r\n}\r\n", 2, "guard-null", TRACE_JAVASCRIPT,
	       "  if (u == null) return undefined;\r\n  const n = u.name;\r\n", "// mahoraga draft");
	expect("class A {\n    int f(Order order) {\n        return order.total();\n    }\n}\n", 3, "guard-null",
	       TRACE_JAVA, "        if (order == null) {", "// mahoraga draft");
	expect("    var n = customer.Name;\n", 1, "guard-null", TRACE_CSHARP,
	       "    if (customer == null) throw new InvalidOperationException", "// mahoraga draft");
	expect("<?php\n$total = $cart->total();\n", 2, "guard-null", TRACE_PHP,
	       "if ($cart === null) {", "// mahoraga draft");
	expect("def avg(xs):\n    return sum(xs) / len(xs)\n", 2, "zero-guard", TRACE_PYTHON,
	       "(sum(xs) / len(xs) if len(xs) else 0)", "# mahoraga draft");
	expect("def first(items):\n    return items[0]\n", 2, "bounds-check", TRACE_PYTHON,
	       "(items[0] if len(items) > 0 else None)", "# mahoraga draft");
	expect("$v = $row['email'];\n", 1, "default-lookup", TRACE_PHP, "($row['email'] ?? null)",
	       "// mahoraga draft");
	/* not applicable: nothing to rewrite, a language without the recipe, no line */
	const char *why = NULL;
	assert_null(draft_apply_recipe("x = 1\n", 1, "default-lookup", TRACE_PYTHON, &why));
	assert_non_null(why);
	assert_null(draft_apply_recipe("x := m[k]\n", 1, "default-lookup", TRACE_GO, &why));
	assert_null(draft_apply_recipe("a\nb\n", 7, "guard-null", TRACE_PYTHON, &why));
	assert_non_null(strstr(why, "past the end"));
	assert_null(draft_apply_recipe("v = p->x;\n", 1, "guard-null", TRACE_C, &why));
}

static char *run(const char *dir, const char *cmd)
{
	char *full = xasprintf("cd '%s' && %s", dir, cmd);
	FILE *p = popen(full, "r");
	free(full);
	char *out = tu_read_stream(p);
	pclose(p);
	return out;
}

static void test_draft_commit(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	char *src = tu_path(dir, "app");
	char *mk = xasprintf("mkdir -p '%s'", src);
	assert_int_equal(system(mk), 0);
	char *file = tu_path(dir, "app/loader.py");
	tu_write_file(file, "import json\n\n\ndef load(d):\n    return d[\"user_id\"]\n");
	char *other = tu_path(dir, "notes.txt");
	tu_write_file(other, "x\n");
	free(run(dir, "git init -q -b main . && git add -A && git -c user.name=t -c user.email=t@e "
		      "commit -qm init"));
	/* work in progress the draft must not touch */
	tu_write_file(other, "uncommitted\n");
	char *head_before = run(dir, "git rev-parse HEAD");
	char *status_before = run(dir, "git status --porcelain");
	git_libgit2_init();
	git_repository *repo;
	assert_int_equal(git_repository_open(&repo, dir), 0);
	draft d;
	draft_init(&d);
	char *err = NULL;
	assert_int_equal(draft_make(&d, repo, NULL, "app/loader.py", 5, "default-lookup", TRACE_PYTHON,
				    "42", "Missing dictionary key in load()", "KeyError: 'user_id'", &err), 0);
	assert_string_equal(d.branch, "mahoraga/draft-42");
	assert_true(d.lines_changed > 0 && d.lines_changed < DRAFT_MAX_LINES); /* property 22 */
	assert_true(strncmp(d.title, "DRAFT - Review Required", 23) == 0);     /* property 23 */
	assert_non_null(strstr(d.diff, "+    # mahoraga draft"));             /* property 24 */
	assert_non_null(strstr(d.diff, "--- a/app/loader.py\n+++ b/app/loader.py"));
	assert_non_null(strstr(d.diff, "+    return d.get(\"user_id\")"));
	/* the branch holds exactly the diff; HEAD, index and working tree unchanged */
	char *git_diff = run(dir, "git diff HEAD mahoraga/draft-42 -- app/loader.py | grep '^[-+][^-+]'");
	char *ours = run(dir, "true");
	free(ours);
	assert_non_null(strstr(git_diff, "+    return d.get(\"user_id\")"));
	assert_non_null(strstr(git_diff, "-    return d[\"user_id\"]"));
	char *head_after = run(dir, "git rev-parse HEAD");
	char *status_after = run(dir, "git status --porcelain");
	char *branch = run(dir, "git symbolic-ref --short HEAD");
	assert_string_equal(head_before, head_after);
	assert_string_equal(status_before, status_after);
	assert_string_equal(branch, "main\n");
	char *msg = run(dir, "git log -1 --format=%s mahoraga/draft-42");
	assert_string_equal(msg, "DRAFT - Review Required: Missing dictionary key in load()\n");
	char *files = run(dir, "git diff --name-only HEAD mahoraga/draft-42");
	assert_string_equal(files, "app/loader.py\n"); /* one file */
	/* never outside the repository, never without a clean recipe */
	assert_int_equal(draft_make(&d, repo, NULL, "../../etc/passwd", 1, "guard-null", TRACE_PYTHON,
				    "43", "x", "x", &err), -1);
	assert_non_null(strstr(err, "outside the repository"));
	free(err);
	assert_int_equal(draft_make(&d, repo, NULL, ".git/config", 1, "guard-null", TRACE_PYTHON,
				    "43", "x", "x", &err), -1);
	free(err);
	assert_int_equal(draft_make(&d, repo, NULL, "app/loader.py", 1, "guard-null", TRACE_PYTHON,
				    "44", "x", "x", &err), -1);
	free(err);
	assert_int_equal(draft_make(&d, repo, NULL, "app/loader.py", 5, "default-lookup", TRACE_PYTHON,
				    "bad/label", "x", "x", &err), -1);
	free(err);
	/* a title and an explanation from the reporter's trace reach `git log`
	 * cleaned: no OSC 52, no bidi override */
	draft_free(&d);
	draft_init(&d);
	assert_int_equal(draft_make(&d, repo, NULL, "app/loader.py", 5, "default-lookup", TRACE_PYTHON,
				    "45", "Missing key in load\033]52;c;cm0K\007()\xe2\x80\xae",
				    "KeyError\033[2J: 'x'", &err), 0);
	char *hostile = run(dir, "git log -1 --format=%B mahoraga/draft-45 | od -c | grep -c '033\\|342 200 256' || true");
	assert_string_equal(hostile, "0\n");
	free(hostile);
	char *refs = run(dir, "git branch --list 'mahoraga/*'");
	assert_string_equal(refs, "  mahoraga/draft-42\n  mahoraga/draft-45\n");
	free(refs);
	free(files);
	free(msg);
	free(branch);
	free(status_after);
	free(head_after);
	free(git_diff);
	draft_free(&d);
	git_repository_free(repo);
	git_libgit2_shutdown();
	free(head_before);
	free(status_before);
	tu_rmtree(dir);
	free(other);
	free(file);
	free(mk);
	free(src);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_safety),
		cmocka_unit_test(test_recipes),
		cmocka_unit_test(test_draft_commit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
