/* CODEOWNERS with GitHub's rules: the examples of GitHub's documentation, errors,
 * and reading the file from a repository's tree. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "codeowners.h"
#include "testutil.h"
#include "xalloc.h"

/* GitHub's example file (docs: "About code owners"), abridged. */
static const char example[] =
	"# This is a comment.\n"
	"*       @global-owner1 @global-owner2\n"
	"*.js    @js-owner #This is an inline comment.\n"
	"*.go docs@example.com\n"
	"*.txt @octo-org/octocats\n"
	"/build/logs/ @doctocat\n"
	"docs/*  docs@example.com\n"
	"apps/ @octocat\n"
	"/docs/ @doctocat\n"
	"/scripts/ @doctocat @octocat\n"
	"**/logs @octocat\n"
	"/apps/ @octocat\n"
	"/apps/github\n"
	"/apps/ @octocat\n"
	"/apps/github @doctocat\n";

static const char *owners(const codeowners *c, const char *path)
{
	static char buf[256];
	size_t n;
	char *const *o = codeowners_for(c, path, &n, NULL);
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (i)
			strcat(buf, " ");
		strncat(buf, o[i], sizeof(buf) - strlen(buf) - 2);
	}
	return buf;
}

static void test_github_examples(void **state)
{
	(void)state;
	codeowners c;
	codeowners_init(&c);
	codeowners_parse(&c, example, strlen(example), "CODEOWNERS");
	assert_int_equal(c.nerrors, 0);
	assert_string_equal(owners(&c, "README.md"), "@global-owner1 @global-owner2");
	assert_string_equal(owners(&c, "src/app.js"), "@js-owner");
	assert_string_equal(owners(&c, "cmd/main.go"), "docs@example.com");
	assert_string_equal(owners(&c, "notes.txt"), "@octo-org/octocats");
	/* the any-depth logs line comes after the /build/logs/ one and wins */
	assert_string_equal(owners(&c, "build/logs/today.log"), "@octocat");
	/* a '/' inside the pattern anchors it at the root, as in .gitignore */
	assert_string_equal(owners(&c, "a/docs/getting-started.md"), "@global-owner1 @global-owner2");
	/* /docs/ (anchored) owns everything below the root docs, deeper ones too */
	assert_string_equal(owners(&c, "docs/build-app/troubleshooting.md"), "@doctocat");
	/* apps/ anywhere */
	assert_string_equal(owners(&c, "web/apps/x.rb"), "@octocat");
	assert_string_equal(owners(&c, "scripts/deploy.sh"), "@doctocat @octocat");
	/* the last matching line wins, and a line without owners un-owns */
	assert_string_equal(owners(&c, "apps/github/x.c"), "@doctocat");
	assert_string_equal(owners(&c, "apps/other/x.c"), "@octocat");
	codeowners_free(&c);
	codeowners_init(&c);
	const char *unown = "* @all\n/vendor/\n";
	codeowners_parse(&c, unown, strlen(unown), "CODEOWNERS");
	size_t n = 99;
	const codeowners_rule *r;
	codeowners_for(&c, "vendor/lib/x.c", &n, &r);
	assert_int_equal(n, 0);
	assert_non_null(r); /* matched, but names nobody */
	assert_string_equal(owners(&c, "src/x.c"), "@all");
	codeowners_free(&c);
}

static void test_patterns_and_errors(void **state)
{
	(void)state;
	codeowners c;
	codeowners_init(&c);
	const char *docs = "docs/* @d\n";
	codeowners_parse(&c, docs, strlen(docs), "CODEOWNERS");
	/* "docs/" + "*" owns the files directly in docs, not deeper ones */
	assert_string_equal(owners(&c, "docs/getting-started.md"), "@d");
	assert_string_equal(owners(&c, "docs/build-app/troubleshooting.md"), "");
	codeowners_free(&c);
	codeowners_init(&c);
	const char *text =
		"src/**/test_*.py @qa\n"
		"\\#notes @hash\n"
		"/Makefile @build\n"
		"!generated/ @nobody\n"
		"lib/ @lib not-an-owner @ok/team/extra @good\n"
		"path\\ with\\ space/ @space\n";
	codeowners_parse(&c, text, strlen(text), "CODEOWNERS");
	assert_string_equal(owners(&c, "src/a/b/test_x.py"), "@qa");
	assert_string_equal(owners(&c, "src/test_x.py"), "@qa");
	assert_string_equal(owners(&c, "src/a/x.py"), "");
	assert_string_equal(owners(&c, "#notes"), "@hash");
	assert_string_equal(owners(&c, "Makefile"), "@build");
	assert_string_equal(owners(&c, "sub/Makefile"), "");
	assert_string_equal(owners(&c, "x/lib/y.c"), "@lib @good");
	assert_string_equal(owners(&c, "path with space/f"), "@space");
	assert_int_equal(c.nerrors, 3); /* the negation and two bad owners */
	assert_non_null(strstr(c.errors[0], "CODEOWNERS:4:"));
	assert_non_null(strstr(c.errors[1], "not-an-owner"));
	codeowners_free(&c);
}

static void test_read_from_the_tree(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	char *gh = tu_path(dir, ".github");
	char *mk = xasprintf("mkdir -p '%s'", gh);
	assert_int_equal(system(mk), 0);
	char *f1 = tu_path(dir, ".github/CODEOWNERS");
	char *f2 = tu_path(dir, "CODEOWNERS");
	tu_write_file(f1, "*.c @c-team\n");
	tu_write_file(f2, "* @root-file\n");
	char *cmd = xasprintf("cd '%s' && git init -q . && git add -A && git -c user.name=t "
			      "-c user.email=t@e commit -qm i", dir);
	assert_int_equal(system(cmd), 0);
	git_libgit2_init();
	git_repository *repo;
	assert_int_equal(git_repository_open(&repo, dir), 0);
	codeowners c;
	codeowners_init(&c);
	assert_int_equal(codeowners_load(&c, repo, NULL), 1);
	assert_string_equal(c.path, ".github/CODEOWNERS"); /* GitHub's order */
	assert_string_equal(owners(&c, "src/a.c"), "@c-team");
	codeowners_free(&c);
	git_repository_free(repo);
	git_libgit2_shutdown();
	tu_rmtree(dir);
	free(cmd);
	free(mk);
	free(f1);
	free(f2);
	free(gh);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_github_examples),
		cmocka_unit_test(test_patterns_and_errors),
		cmocka_unit_test(test_read_from_the_tree),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
