/* The history index, blame and expertise against repositories the test builds with
 * the git CLI: controlled authors and dates, renames and moves (exact and with
 * changes), whitespace-only edits, a merge, a bot and a .mailmap. Counts are
 * cross-checked against git itself (git log --follow --no-merges, git blame -w). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "blame.h"
#include "busfactor.h"
#include "default_rev.h"
#include "draft.h"
#include "expertise.h"
#include "history.h"
#include "history_store.h"
#include "map_store.h"
#include "similarity.h"
#include "store.h"
#include "strbuf.h"
#include "testutil.h"
#include "xalloc.h"

/* Output of a shell command run in dir. */
static char *capture(const char *dir, const char *cmd)
{
	char *full = xasprintf("cd '%s' && %s", dir, cmd);
	FILE *p = popen(full, "r");
	free(full);
	assert_non_null(p);
	char *out = tu_read_stream(p);
	pclose(p);
	return out;
}

/* Commit everything staged as an author at a date (both author and committer). */
static void commit(const char *dir, const char *name, const char *email, const char *date,
		   const char *msg)
{
	tu_sh(dir, "git add -A && GIT_AUTHOR_NAME='%s' GIT_AUTHOR_EMAIL='%s' GIT_AUTHOR_DATE='%s' "
		"GIT_COMMITTER_NAME='%s' GIT_COMMITTER_EMAIL='%s' GIT_COMMITTER_DATE='%s' "
		"git commit -q --allow-empty -m '%s'", name, email, date, name, email, date, msg);
}

static void write_lines(const char *dir, const char *path, const char *text)
{
	char *p = tu_path(dir, path);
	char *mk = xasprintf("mkdir -p \"$(dirname '%s')\"", p);
	assert_int_equal(system(mk), 0);
	tu_write_file(p, text);
	free(mk);
	free(p);
}

/* Open the repository at dir and index its whole history into h. */
static void index_repo(const char *dir, git_repository **repo, history *h)
{
	assert_int_equal(git_repository_open(repo, dir), 0);
	history_init(h);
	char *err = NULL;
	if (history_update(h, *repo, NULL, NULL, NULL, &err) < 0)
		fail_msg("indexing %s: %s", dir, err);
}

static const char core_v1[] =
	"int a;\nint b;\nint c;\nint d;\nint e;\nint f;\nint g;\nint h;\nint i;\nint j;\n";

/* The designed history; returns the repository directory. */
static char *make_repo(void)
{
	char *dir = tu_mkdtemp();
	tu_sh(dir, "git init -q -b main . && git config user.name t && git config user.email t@e");
	write_lines(dir, ".mailmap", "Bob <bob@example.com> <bob@old.example>\n");
	write_lines(dir, "src/core.c", core_v1);
	write_lines(dir, "src/util.c", "u1\nu2\nu3\nu4\nu5\n");
	write_lines(dir, "README.md", "# demo\n");
	commit(dir, "Alice", "alice@example.com", "2024-01-01T10:00:00Z", "start");
	write_lines(dir, "src/core.c", "int a;\nint b;\nint C;\nint D;\nint E;\nint f;\nint g;\nint h;\nint i;\nint j;\n");
	commit(dir, "Bob", "bob@example.com", "2024-03-01T10:00:00Z", "bob edits core");
	write_lines(dir, "src/core.c", "int a;\nint b;\nint C;\nint D;\nint E;\nint f;\nint G;\nint h;\nint i;\nint j;\n");
	commit(dir, "Bob Old", "bob@old.example", "2024-04-01T10:00:00Z", "bob from his old address");
	tu_sh(dir, "mkdir -p lib && git mv src/util.c lib/util.c");
	commit(dir, "Alice", "alice@example.com", "2024-06-01T10:00:00Z", "move util");
	write_lines(dir, "src/core.c", "  int a;\n  int b;\nint C;\nint D;\nint E;\nint f;\nint G;\nint h;\nint i;\nint j;\n");
	commit(dir, "Carol", "carol@example.com", "2024-07-01T10:00:00Z", "reindent");
	write_lines(dir, "lib/util.c", "U1\nu2\nu3\nu4\nu5\n");
	commit(dir, "dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com",
	       "2024-08-01T10:00:00Z", "bump");
	tu_sh(dir, "mkdir -p pkg && git mv lib/util.c pkg/util2.c");
	write_lines(dir, "pkg/util2.c", "U1\nu2\nu3\nu4\nU5\n");
	commit(dir, "Bob", "bob@example.com", "2024-09-01T10:00:00Z", "move and edit util");
	tu_sh(dir, "git checkout -q -b feature");
	write_lines(dir, "src/core.c", "  int a;\n  int b;\nint C;\nint D;\nint E;\nint f;\nint G;\nint h;\nint I;\nint j;\n");
	commit(dir, "Dave", "dave@example.com", "2024-10-01T10:00:00Z", "feature work");
	tu_sh(dir, "git checkout -q main");
	write_lines(dir, "README.md", "# demo\n\nmore\n");
	commit(dir, "Alice", "alice@example.com", "2024-10-02T10:00:00Z", "readme");
	tu_sh(dir, "GIT_AUTHOR_DATE=2024-10-03T10:00:00Z GIT_COMMITTER_DATE=2024-10-03T10:00:00Z "
		"git -c user.name=Alice -c user.email=alice@example.com merge -q --no-ff feature -m merge");
	return dir;
}

struct fx {
	char *dir;
	git_repository *repo;
	history h;
};

static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof(*f));
	git_libgit2_init();
	f->dir = make_repo();
	if (git_repository_open(&f->repo, f->dir) < 0)
		return -1;
	history_init(&f->h);
	char *err = NULL;
	if (history_update(&f->h, f->repo, NULL, NULL, NULL, &err) < 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	history_free(&f->h);
	git_repository_free(f->repo);
	tu_rmtree(f->dir);
	free(f->dir);
	free(f);
	git_libgit2_shutdown();
	return 0;
}

static const expertise_opts plain = { .decay_days = 90, .line_weight = 100 };

/* "email commits lines\n" per developer, sorted by email, for comparisons. */
static char *summary(const history *h, git_repository *repo, const char *rev, const char *path)
{
	history_view v;
	char *err = NULL;
	assert_int_equal(history_view_at(&v, h, repo, rev, &err), 0);
	expertise_file e;
	expertise_file_init(&e);
	assert_int_equal(expertise_for(&e, &v, repo, path, &plain, &err), 0);
	strbuf sb = STRBUF_INIT;
	strbuf_add(&sb, "", 0);
	/* sorted by email: the ranking is tested elsewhere */
	for (int pass = 0; pass < 1; pass++) {
		char **lines = xcalloc(e.ndevs + 1, sizeof(*lines));
		for (size_t i = 0; i < e.ndevs; i++)
			lines[i] = xasprintf("%s %d %zu %.6f\n", e.devs[i].email, e.devs[i].commits,
					     e.devs[i].lines_owned, e.devs[i].decayed);
		for (size_t i = 0; i < e.ndevs; i++)
			for (size_t j = i + 1; j < e.ndevs; j++)
				if (strcmp(lines[i], lines[j]) > 0) {
					char *t = lines[i];
					lines[i] = lines[j];
					lines[j] = t;
				}
		for (size_t i = 0; i < e.ndevs; i++) {
			strbuf_addstr(&sb, lines[i]);
			free(lines[i]);
		}
		free(lines);
	}
	expertise_file_free(&e);
	history_view_free(&v);
	return strbuf_detach(&sb);
}

/* git's own numbers: "email commits lines" per author, from git log --follow
 * --no-merges and git blame -w (both apply .mailmap). */
static char *git_summary(const char *dir, const char *path)
{
	char *cmd = xasprintf(
		"{ git log --follow --no-merges --format='C %%aE' -- '%s'; "
		"git blame -w --line-porcelain '%s' | sed -n 's/^author-mail <\\(.*\\)>$/L \\1/p'; } "
		"| awk '{ if ($1 == \"C\") c[$2]++; else l[$2]++; a[$2] = 1 } "
		"END { for (k in a) printf \"%%s %%d %%d\\n\", tolower(k), c[k], l[k] }' | sort", path, path);
	char *out = capture(dir, cmd);
	free(cmd);
	return out;
}

/* Our numbers without the decayed column, in the same form. */
static char *ours_for_git(const history *h, git_repository *repo, const char *path)
{
	char *s = summary(h, repo, NULL, path);
	strbuf sb = STRBUF_INIT;
	strbuf_add(&sb, "", 0);
	for (char *line = s; *line;) {
		char *nl = strchr(line, '\n');
		char email[128];
		int commits;
		size_t lines;
		if (sscanf(line, "%127s %d %zu", email, &commits, &lines) == 3)
			strbuf_addf(&sb, "%s %d %zu\n", email, commits, lines);
		line = nl ? nl + 1 : line + strlen(line);
	}
	free(s);
	return strbuf_detach(&sb);
}

/* Our commits and lines per author for each path equal git's. */
static void assert_counts_equal_git(const char *dir, const history *h, git_repository *repo,
				    const char *const *paths, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char *ours = ours_for_git(h, repo, paths[i]);
		char *git = git_summary(dir, paths[i]);
		assert_non_null(strchr(git, '@')); /* git said something */
		if (strcmp(ours, git) != 0)
			fail_msg("%s:\n--- ours\n%s--- git\n%s", paths[i], ours, git);
		free(ours);
		free(git);
	}
}

static void test_counts_match_git(void **state)
{
	struct fx *f = *state;
	static const char *const paths[] = { "src/core.c", "pkg/util2.c", "README.md" };
	assert_counts_equal_git(f->dir, &f->h, f->repo, paths, 3);
}

/* A folder of 3,000 long names is a 350 KB tree read again at every commit:
 * past 4 MiB the walk lets libgit2 close and reopen the object database (to
 * empty its delta-base cache) while it still holds trees read before, and a
 * rename found after that reads trees through the reopened one. The counts
 * still equal git's. */
static void test_walk_past_a_reopened_object_database(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	tu_sh(dir, "git init -q -b main . && mkdir big && for i in $(seq 3000); do "
		"echo \"int v$i;\" > big/a_rather_long_file_name_as_generated_code_has_"
		"for_its_many_modules_and_more_$i.c; done");
	commit(dir, "Alice", "alice@example.com", "2024-01-01T10:00:00Z", "import");
	static const char *const who[] = { "Bob", "Carol", "Dave" };
	for (int c = 1; c <= 16; c++) {
		tu_sh(dir, "echo 'int w%d;' >> big/a_rather_long_file_name_as_generated_code_has_"
			"for_its_many_modules_and_more_%d.c", c, 1 + c % 3);
		char *email = xasprintf("%s@example.com", who[c % 3]);
		char *date = xasprintf("2024-02-%02dT10:00:00Z", c);
		commit(dir, who[c % 3], email, date, "edit");
		free(email);
		free(date);
	}
	/* a rename with an edit: found by the similarity search, after the
	 * reopening */
	tu_sh(dir, "mkdir -p moved && git mv big/a_rather_long_file_name_as_generated_code_has_"
		"for_its_many_modules_and_more_2.c moved/two.c && echo 'int z;' >> moved/two.c");
	commit(dir, "Erin", "erin@example.com", "2024-03-01T10:00:00Z", "move");
	git_repository *repo;
	history h;
	index_repo(dir, &repo, &h);
	static const char *const paths[] = {
		"moved/two.c", "big/a_rather_long_file_name_as_generated_code_has_for_its_many_modules_and_more_3.c"
	};
	assert_counts_equal_git(dir, &h, repo, paths, 2);
	history_free(&h);
	git_repository_free(repo);
	tu_rmtree(dir);
	free(dir);
}

static void test_renames_mailmap_whitespace_merges(void **state)
{
	struct fx *f = *state;
	char *s = summary(&f->h, f->repo, NULL, "pkg/util2.c");
	/* created by alice, moved twice, edited by the bot and bob */
	assert_non_null(strstr(s, "alice@example.com 2 3 "));
	assert_non_null(strstr(s, "bob@example.com 1 1 "));
	assert_non_null(strstr(s, "dependabot[bot]@users.noreply.github.com 1 1 "));
	free(s);
	s = summary(&f->h, f->repo, NULL, "src/core.c");
	/* bob's old address is bob; carol's reindent owns nothing (-w) but counts;
	 * the merge commit is nobody's */
	assert_non_null(strstr(s, "bob@example.com 2 4 "));
	assert_non_null(strstr(s, "carol@example.com 1 0 "));
	assert_non_null(strstr(s, "dave@example.com 1 1 "));
	assert_non_null(strstr(s, "alice@example.com 1 5 "));
	assert_null(strstr(s, "old.example"));
	free(s);
	assert_int_equal(f->h.ncommits, 10);
	size_t merges = 0;
	for (size_t i = 0; i < f->h.ncommits; i++)
		merges += f->h.commits[i].merge;
	assert_int_equal(merges, 1);
}

/* A bare copy without a config file (as some tools mirror): libgit2 takes the
 * folder above for its work tree, where there is no .mailmap; git reads
 * HEAD's, as for any bare repository, and so must the index. */
static void test_mailmap_of_a_bare_copy_without_config(void **state)
{
	struct fx *f = *state;
	char *dir = tu_mkdtemp();
	tu_sh(dir, "git clone -q --bare '%s' mirror && rm mirror/config", f->dir);
	char *mirror = tu_path(dir, "mirror");
	git_repository *repo;
	history h;
	index_repo(mirror, &repo, &h);
	char *s = summary(&h, repo, NULL, "src/core.c");
	assert_non_null(strstr(s, "bob@example.com 2 "));
	assert_null(strstr(s, "old.example"));
	free(s);
	/* git agrees */
	char *git = capture(mirror, "git log --no-merges --format=%aE -- src/core.c | sort | uniq -c");
	assert_non_null(strstr(git, "2 bob@example.com"));
	assert_null(strstr(git, "old.example"));
	free(git);
	history_free(&h);
	git_repository_free(repo);
	free(mirror);
	tu_rmtree(dir);
	free(dir);
}

static void test_recency_bots_inactive(void **state)
{
	struct fx *f = *state;
	history_view v;
	char *err = NULL;
	assert_int_equal(history_view_at(&v, &f->h, f->repo, NULL, &err), 0);
	const char *const bots[] = { "[bot]", "renovate" };
	expertise_opts o = plain;
	o.bots = bots;
	o.nbots = 2;
	expertise_file e;
	expertise_file_init(&e);
	assert_int_equal(expertise_for(&e, &v, f->repo, "pkg/util2.c", &o, &err), 0);
	/* property 6: bots never appear */
	for (size_t i = 0; i < e.ndevs; i++)
		assert_null(strstr(e.devs[i].email, "[bot]"));
	assert_int_equal(e.excluded, 1);
	/* property 5: a more recent commit weighs more than an older one */
	const expertise_dev *alice = NULL, *bob = NULL;
	for (size_t i = 0; i < e.ndevs; i++) {
		if (strcmp(e.devs[i].email, "alice@example.com") == 0)
			alice = &e.devs[i];
		if (strcmp(e.devs[i].email, "bob@example.com") == 0)
			bob = &e.devs[i];
	}
	assert_non_null(alice);
	assert_non_null(bob);
	assert_true(bob->decayed > alice->decayed / 2); /* one recent > each of two old */
	assert_true(e.devs[0].score >= e.devs[e.ndevs - 1].score);
	expertise_file_free(&e);
	history_view_free(&v);
}

static int alice_inactive(const char *email, void *arg)
{
	(void)arg;
	return strcmp(email, "alice@example.com") == 0 ? USER_INACTIVE : USER_UNLISTED;
}

static int all_inactive(const char *email, void *arg)
{
	(void)email;
	(void)arg;
	return USER_INACTIVE;
}

static void test_inactive_and_nobody_left(void **state)
{
	struct fx *f = *state;
	history_view v;
	char *err = NULL;
	assert_int_equal(history_view_at(&v, &f->h, f->repo, NULL, &err), 0);
	expertise_opts o = plain;
	expertise_file e;
	expertise_file_init(&e);
	assert_int_equal(expertise_for(&e, &v, f->repo, "README.md", &o, &err), 0);
	assert_string_equal(e.devs[0].email, "alice@example.com");
	/* property 7: the next contributor takes an inactive one's place */
	o.user_state = alice_inactive;
	assert_int_equal(expertise_for(&e, &v, f->repo, "src/core.c", &o, &err), 0);
	for (size_t i = 0; i < e.ndevs; i++)
		assert_string_not_equal(e.devs[i].email, "alice@example.com");
	assert_true(e.ndevs > 0);
	/* property 8: nobody active left */
	assert_int_equal(expertise_for(&e, &v, f->repo, "README.md", &o, &err), 0);
	assert_true(e.found);
	assert_int_equal(e.ndevs, 0);
	o.user_state = all_inactive;
	assert_int_equal(expertise_for(&e, &v, f->repo, "src/core.c", &o, &err), 0);
	assert_int_equal(e.ndevs, 0);
	/* the blamed line: alice wrote line 1 of README.md */
	o.user_state = NULL;
	o.line = 1;
	o.line_bonus = 10;
	assert_int_equal(expertise_for(&e, &v, f->repo, "README.md", &o, &err), 0);
	assert_string_equal(e.line_owner, "alice@example.com");
	assert_true(e.devs[0].owns_line);
	/* a path that does not exist */
	assert_int_equal(expertise_for(&e, &v, f->repo, "nope.c", &o, &err), 0);
	assert_false(e.found);
	/* the old path of a moved file does not exist any more */
	assert_int_equal(expertise_for(&e, &v, f->repo, "lib/util.c", &o, &err), 0);
	assert_false(e.found);
	expertise_file_free(&e);
	history_view_free(&v);
}

static void test_as_of_revision_equals_fresh_build(void **state)
{
	struct fx *f = *state;
	/* on the mainline, off it (the feature branch), and an old one */
	static const char *const revs[] = { "HEAD~1", "feature", "HEAD~5", "HEAD~7" };
	static const char *const paths[] = { "src/core.c", "lib/util.c", "pkg/util2.c", "README.md" };
	for (size_t r = 0; r < 4; r++) {
		history fresh;
		history_init(&fresh);
		char *err = NULL;
		assert_int_equal(history_update(&fresh, f->repo, revs[r], NULL, NULL, &err), 0);
		for (size_t p = 0; p < 4; p++) {
			char *a = summary(&f->h, f->repo, revs[r], paths[p]);
			char *b = summary(&fresh, f->repo, revs[r], paths[p]);
			if (strcmp(a, b) != 0)
				fail_msg("%s at %s:\n--- view\n%s--- fresh\n%s", paths[p], revs[r], a, b);
			free(a);
			free(b);
		}
		history_free(&fresh);
	}
	/* and a fresh clone checked out at R, read at what is checked out (asked
	 * for: by default the default branch is read), says the same */
	char *clone = tu_mkdtemp();
	tu_sh(clone, "git clone -q '%s' r && cd r && git checkout -q -b at-r HEAD~2", f->dir);
	char *cdir = tu_path(clone, "r");
	git_repository *crepo;
	assert_int_equal(git_repository_open(&crepo, cdir), 0);
	history ch;
	history_init(&ch);
	char *err = NULL;
	assert_int_equal(history_update(&ch, crepo, "HEAD", NULL, NULL, &err), 0);
	for (size_t p = 0; p < 4; p++) {
		char *a = summary(&f->h, f->repo, "HEAD~2", paths[p]);
		char *b = summary(&ch, crepo, NULL, paths[p]);
		assert_string_equal(a, b);
		free(a);
		free(b);
	}
	history_free(&ch);
	git_repository_free(crepo);
	tu_rmtree(clone);
	free(cdir);
	free(clone);
	/* lib/util.c existed as of HEAD~5 (before the second move) */
	char *s = summary(&f->h, f->repo, "HEAD~5", "lib/util.c");
	assert_non_null(strstr(s, "alice@example.com 2 5 "));
	free(s);
}

static void test_incremental_equals_full(void **state)
{
	struct fx *f = *state;
	history inc;
	history_init(&inc);
	char *err = NULL;
	assert_int_equal(history_update(&inc, f->repo, "HEAD~4", NULL, NULL, &err), 0);
	size_t first = inc.walked;
	assert_int_equal(history_update(&inc, f->repo, NULL, NULL, NULL, &err), 0);
	assert_int_equal(first + inc.walked, f->h.ncommits);
	assert_true(inc.walked < f->h.ncommits); /* only the new commits */
	static const char *const paths[] = { "src/core.c", "pkg/util2.c", "README.md" };
	for (size_t p = 0; p < 3; p++)
		for (int r = 0; r < 2; r++) {
			const char *rev = r ? "HEAD~2" : NULL;
			char *a = summary(&inc, f->repo, rev, paths[p]);
			char *b = summary(&f->h, f->repo, rev, paths[p]);
			assert_string_equal(a, b);
			free(a);
			free(b);
		}
	/* nothing new: nothing walked */
	assert_int_equal(history_update(&inc, f->repo, NULL, NULL, NULL, &err), 0);
	assert_int_equal(inc.walked, 0);
	history_free(&inc);
}

/* A database at path with one repository in it. */
static store *store_with_repo(const char *path, const char *slug, int64_t *repo_id)
{
	store *s = NULL;
	char *err = NULL;
	if (store_open(&s, path, &err) < 0)
		fail_msg("%s: %s", path, err);
	assert_int_equal(store_repo_ensure(s, slug, repo_id), 0);
	return s;
}

static void test_saved_index_and_blame_cache(void **state)
{
	struct fx *f = *state;
	char *path = tu_path(f->dir, "m.db");
	int64_t repo_id;
	store *s = store_with_repo(path, "local:test", &repo_id);
	char *err = NULL;
	history a;
	history_init(&a);
	assert_int_equal(history_store_open(&a, s, repo_id, f->repo, NULL, NULL, &err), 0);
	assert_int_equal(a.walked, f->h.ncommits);
	history b;
	history_init(&b);
	assert_int_equal(history_store_open(&b, s, repo_id, f->repo, NULL, NULL, &err), 0);
	assert_int_equal(b.walked, 0); /* loaded, not walked */
	assert_int_equal(b.ncommits, a.ncommits);
	static const char *const paths[] = { "src/core.c", "pkg/util2.c", "README.md" };
	for (size_t p = 0; p < 3; p++) {
		char *x = summary(&a, f->repo, NULL, paths[p]);
		char *y = summary(&b, f->repo, "HEAD~3", paths[p]);
		char *z = summary(&a, f->repo, "HEAD~3", paths[p]);
		free(x);
		assert_string_equal(y, z);
		free(y);
		free(z);
	}
	/* the blame is cached by blob and read back the same */
	history_view v;
	assert_int_equal(history_view_at(&v, &b, f->repo, NULL, &err), 0);
	int64_t file = history_file_at(&v, "src/core.c");
	assert_true(file >= 0);
	blame b1, b2;
	blame_init(&b1);
	blame_init(&b2);
	assert_int_equal(blame_file(&b1, &v, f->repo, (uint32_t)file, s, repo_id, &err), 0);
	assert_false(b1.cached);
	assert_int_equal(blame_file(&b2, &v, f->repo, (uint32_t)file, s, repo_id, &err), 0);
	assert_true(b2.cached);
	assert_int_equal(b1.nlines, b2.nlines);
	assert_memory_equal(b1.owner, b2.owner, b1.nlines * sizeof(*b1.owner));
	blame_free(&b1);
	blame_free(&b2);
	history_view_free(&v);
	/* a new commit: only it is walked, and the saved index follows */
	write_lines(f->dir, "README.md", "# demo\n\nmore\nand more\n");
	commit(f->dir, "Erin", "erin@example.com", "2024-11-01T10:00:00Z", "readme again");
	history c;
	history_init(&c);
	assert_int_equal(history_store_open(&c, s, repo_id, f->repo, NULL, NULL, &err), 0);
	assert_int_equal(c.walked, 1);
	char *r = summary(&c, f->repo, NULL, "README.md");
	assert_non_null(strstr(r, "erin@example.com 1 1 "));
	free(r);
	tu_sh(f->dir, "git reset -q --hard HEAD~1");
	history_free(&a);
	history_free(&b);
	history_free(&c);
	store_close(s);
	free(path);
}

static const busfactor_file *bf_file(const busfactor *b, const char *path)
{
	for (size_t i = 0; i < b->nfiles; i++)
		if (strcmp(b->files[i].path, path) == 0)
			return &b->files[i];
	fail_msg("no %s", path);
	return NULL;
}

/* The tree's paths are saved by tree id: read once per tree, not per run. */
static void test_trace_map_saved_by_tree(void **state)
{
	struct fx *f = *state;
	char *path = tu_path(f->dir, "map.db");
	int64_t repo_id;
	store *s = store_with_repo(path, "acme/designed", &repo_id);
	char *err = NULL;
	git_object *obj;
	assert_int_equal(git_revparse_single(&obj, f->repo, "HEAD^{tree}"), 0);
	const unsigned char *head_tree = git_object_id(obj)->id;
	void *data = NULL;
	size_t len = 0;
	assert_int_equal(store_trace_map_get(s, repo_id, head_tree, &data, &len), 0);
	trace_map *m = map_store_open(s, repo_id, f->repo, NULL, &err);
	assert_non_null(m);
	assert_int_equal(store_trace_map_get(s, repo_id, head_tree, &data, &len), 1);
	/* what was saved is what a fresh read gives */
	trace_map *again = map_store_open(s, repo_id, f->repo, NULL, &err);
	assert_non_null(again);
	assert_int_equal(trace_map_size(again), trace_map_size(m));
	trace_frame fr = { .file = xstrdup("/srv/app/pkg/util2.c") };
	trace_map_frame(again, &fr);
	assert_string_equal(fr.repo_path, "pkg/util2.c");
	trace_frame_free(&fr);
	trace_map_free(again);
	/* damaged bytes are read again from the tree, never trusted */
	assert_int_equal(store_trace_map_put(s, repo_id, head_tree, "MTM1garbage", 11), 0);
	again = map_store_open(s, repo_id, f->repo, NULL, &err);
	assert_non_null(again);
	assert_int_equal(trace_map_size(again), trace_map_size(m));
	trace_map_free(again);
	/* another tree replaces it */
	trace_map *old = map_store_open(s, repo_id, f->repo, "HEAD~4", &err);
	assert_non_null(old);
	free(data);
	data = NULL;
	assert_int_equal(store_trace_map_get(s, repo_id, head_tree, &data, &len), 0);
	assert_null(map_store_open(s, repo_id, f->repo, "no-such-rev", &err));
	assert_non_null(err);
	free(err);
	trace_map_free(old);
	trace_map_free(m);
	free(data);
	git_object_free(obj);
	store_close(s);
	free(path);
}

static int alice_left(const char *email, void *arg)
{
	(void)arg;
	return strcmp(email, "alice@example.com") == 0 ? USER_INACTIVE : USER_UNLISTED;
}

/* The bus factor is saved with the index for the screens, and computed again
 * only when the tip or the settings it depends on change. */
static void test_risk_saved_with_the_index(void **state)
{
	struct fx *f = *state;
	char *path = tu_path(f->dir, "risk.db");
	int64_t repo_id;
	store *s = store_with_repo(path, "acme/designed", &repo_id);
	const char *const bots[] = { "[bot]" };
	const char *const critical[] = { "*util*" };
	busfactor_opts o = { .bots = bots, .nbots = 1, .critical = critical, .ncritical = 1 };
	char *err = NULL, *key1 = NULL, *key2 = NULL;
	assert_int_equal(history_store_risk(s, repo_id, &f->h, &o, &err), 1);
	store_risk r;
	assert_int_equal(store_risk_load(s, &r), 0);
	/* every file at the tip is alice's alone; the critical one comes first */
	assert_int_equal(r.n, 4);
	assert_string_equal(r.v[0].repo, "acme/designed");
	assert_string_equal(r.v[0].path, "pkg/util2.c");
	assert_true(r.v[0].critical);
	for (size_t i = 0; i < r.n; i++)
		assert_string_equal(r.v[i].owner, "alice@example.com");
	store_risk_free(&r);
	assert_int_equal(store_risk_key(s, repo_id, &key1), 1);
	/* nothing changed: nothing computed, the key stays */
	assert_int_equal(history_store_risk(s, repo_id, &f->h, &o, &err), 0);
	assert_int_equal(store_risk_key(s, repo_id, &key2), 1);
	assert_string_equal(key1, key2);
	free(key2);
	/* alice leaves: nobody active is left anywhere */
	o.user_state = alice_left;
	assert_int_equal(history_store_risk(s, repo_id, &f->h, &o, &err), 1);
	assert_int_equal(store_risk_key(s, repo_id, &key2), 1);
	assert_string_not_equal(key1, key2);
	assert_int_equal(store_risk_load(s, &r), 0);
	assert_true(r.n >= 1);
	for (size_t i = 0; i < r.n; i++)
		if (r.v[i].owner && strcmp(r.v[i].owner, "alice@example.com") == 0)
			fail_msg("%s still owned by alice", r.v[i].path);
	store_risk_free(&r);
	free(key1);
	free(key2);
	store_close(s);
	free(path);
}

static void test_busfactor_on_the_designed_history(void **state)
{
	struct fx *f = *state;
	/* the formula, by hand */
	assert_true(fabs(busfactor_doa(true, 1, 4) - (3.293 + 1.098 + 0.164 - 0.321 * log(5))) < 1e-9);
	history_view v;
	char *err = NULL;
	assert_int_equal(history_view_at(&v, &f->h, f->repo, NULL, &err), 0);
	const char *const bots[] = { "[bot]" };
	const char *const critical[] = { "*util*" };
	busfactor_opts o = { .bots = bots, .nbots = 1, .critical = critical, .ncritical = 1 };
	busfactor b;
	busfactor_init(&b);
	busfactor_compute(&b, &v, &o);
	assert_int_equal(b.nfiles, 4); /* .mailmap, README.md, pkg/util2.c, src/core.c */
	/* alice created everything and keeps authorship: bob's 2 changes to
	 * core.c give him DOA 3.18, under the 3.293 an author needs */
	const busfactor_file *core = bf_file(&b, "src/core.c");
	assert_int_equal(core->nauthors, 1);
	assert_string_equal(f->h.authors[core->authors[0]].email, "alice@example.com");
	assert_int_equal(core->contributors, 4);
	/* property 26: README.md has a single contributor */
	assert_int_equal(bf_file(&b, "README.md")->contributors, 1);
	/* the bot's change does not make it a contributor */
	assert_int_equal(bf_file(&b, "pkg/util2.c")->contributors, 2);
	/* truck factor 1: losing alice orphans every file */
	assert_int_equal(b.truck_factor, 1);
	assert_string_equal(f->h.authors[b.removed[0]].email, "alice@example.com");
	/* property 28: alice solely owns 4 of 4 files */
	assert_int_equal(b.ndevs, 1);
	assert_int_equal(b.devs[0].files_owned, 4);
	assert_true(fabs(b.devs[0].ownership_pct - 100.0) < 1e-9);
	/* property 27: single-owner critical files first */
	assert_int_equal(b.nrisky, 4);
	assert_string_equal(b.files[b.risky[0]].path, "pkg/util2.c");
	assert_true(b.files[b.risky[0]].critical);
	/* property 29: partners who know the code and own least; never a bot */
	assert_true(core->npartners >= 1);
	assert_string_equal(f->h.authors[core->partners[0]].email, "bob@example.com");
	for (size_t i = 0; i < b.nfiles; i++)
		for (size_t k = 0; k < b.files[i].npartners; k++)
			assert_null(strstr(f->h.authors[b.files[i].partners[k]].email, "[bot]"));
	/* alice inactive: nobody active authors anything */
	o.user_state = alice_inactive;
	busfactor_compute(&b, &v, &o);
	assert_int_equal(bf_file(&b, "README.md")->nauthors, 0);
	assert_int_equal(b.truck_factor, 0);
	busfactor_free(&b);
	history_view_free(&v);
}

static void test_truck_factor_greedy(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	tu_sh(dir, "git init -q -b main .");
	write_lines(dir, "a1.c", "1\n");
	write_lines(dir, "a2.c", "2\n");
	commit(dir, "X", "x@example.com", "2024-01-01T00:00:00Z", "x");
	write_lines(dir, "b.c", "3\n");
	commit(dir, "Y", "y@example.com", "2024-01-02T00:00:00Z", "y");
	write_lines(dir, "c.c", "4\n");
	commit(dir, "Z", "z@example.com", "2024-01-03T00:00:00Z", "z");
	git_repository *repo;
	history h;
	index_repo(dir, &repo, &h);
	char *err = NULL;
	history_view v;
	assert_int_equal(history_view_at(&v, &h, repo, NULL, &err), 0);
	busfactor_opts o = { 0 };
	busfactor b;
	busfactor_init(&b);
	busfactor_compute(&b, &v, &o);
	/* losing x orphans 2 of 4 files (not more than half); one more does */
	assert_int_equal(b.truck_factor, 2);
	assert_string_equal(h.authors[b.removed[0]].email, "x@example.com");
	assert_true(fabs(b.devs[0].ownership_pct - 50.0) < 1e-9);
	busfactor_free(&b);
	history_view_free(&v);
	history_free(&h);
	git_repository_free(repo);
	tu_rmtree(dir);
	free(dir);
}

/* Each line's author as git blame -w -M says, one email per line. */
static char *git_line_authors(const char *dir, const char *path)
{
	char *cmd = xasprintf("git blame -w -M --line-porcelain '%s' | "
			      "sed -n 's/^author-mail <\\(.*\\)>$/\\1/p' | tr 'A-Z' 'a-z'", path);
	char *out = capture(dir, cmd);
	free(cmd);
	return out;
}

static char *our_line_authors(const history *h, git_repository *repo, const char *path,
			      store *cache, int64_t repo_id)
{
	history_view v;
	char *err = NULL;
	assert_int_equal(history_view_at(&v, h, repo, NULL, &err), 0);
	int64_t file = history_file_at(&v, path);
	if (file < 0)
		fail_msg("%s: not in the index", path);
	blame b;
	blame_init(&b);
	if (blame_file(&b, &v, repo, (uint32_t)file, cache, repo_id, &err) < 0)
		fail_msg("%s: %s", path, err);
	strbuf sb = STRBUF_INIT;
	strbuf_add(&sb, "", 0);
	for (size_t i = 0; i < b.nlines; i++)
		strbuf_addf(&sb, "%s\n", h->authors[b.owner[i]].email);
	blame_free(&b);
	history_view_free(&v);
	return strbuf_detach(&sb);
}

static int64_t file_at_tip(const history *h, git_repository *repo, const char *path)
{
	history_view v;
	char *err = NULL;
	assert_int_equal(history_view_at(&v, h, repo, NULL, &err), 0);
	int64_t file = history_file_at(&v, path);
	history_view_free(&v);
	return file;
}

static void merge_as(const char *dir, const char *who, const char *date, const char *args)
{
	tu_sh(dir, "GIT_AUTHOR_DATE=%s GIT_COMMITTER_DATE=%s git -c user.name=%s "
		"-c user.email=%s@example.com merge -q %s", date, date, who, who, args);
}

/* app.c of the merge test: twelve declarations, four of which vary. */
static void write_app(const char *dir, const char *two, const char *three, const char *ten,
		      const char *twelve)
{
	char *text = xasprintf("int one;\nint %s;\nint %s;\nint four;\nint five;\nint six;\n"
			       "int seven;\nint eight;\nint nine;\nint %s;\nint eleven;\nint %s;\n",
			       two, three, ten, twelve);
	write_lines(dir, "app.c", text);
	free(text);
}

static const char app_v1[] =
	"int one;\nint two;\nint three;\nint four;\nint five;\nint six;\nint seven;\n"
	"int eight;\nint nine;\nint ten;\nint eleven;\nint twelve;\n";

/* The shapes of history where replaying versions in order is not blame: every
 * line's author must be the one git blame -w -M names. */
static void test_blame_through_merges_equals_git(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	tu_sh(dir, "git init -q -b main . && git config user.name t && git config user.email t@e "
		"&& git config merge.conflictstyle merge");
	write_lines(dir, "app.c", app_v1);
	write_lines(dir, "util.c", "u1\nu2\nu3\nu4\n");
	write_lines(dir, "Makefile", "all:\n\tcc app.c\nclean:\n\trm -f a.out\n");
	commit(dir, "Alice", "alice@example.com", "2024-01-01T10:00:00Z", "start");
	/* a branch changes a line that main also changes; a second line only there */
	tu_sh(dir, "git checkout -q -b topic");
	write_app(dir, "two", "THREE_topic", "TEN", "twelve");
	commit(dir, "Bob", "bob@example.com", "2024-02-01T10:00:00Z", "topic work");
	/* and renames a file with an edit */
	tu_sh(dir, "mkdir -p lib && git mv util.c lib/util.c");
	write_lines(dir, "lib/util.c", "u1\nU2\nu3\nu4\n");
	commit(dir, "Erin", "erin@example.com", "2024-02-02T10:00:00Z", "move util");
	tu_sh(dir, "git checkout -q main");
	write_app(dir, "two", "THREE_main", "ten", "TWELVE");
	commit(dir, "Carol", "carol@example.com", "2024-02-03T10:00:00Z", "main work");
	/* the conflict resolved by hand: line 3 is the merger's own */
	tu_sh(dir, "GIT_AUTHOR_DATE=2024-02-04T10:00:00Z GIT_COMMITTER_DATE=2024-02-04T10:00:00Z "
		"git -c user.name=Dave -c user.email=dave@example.com merge -q topic || true");
	write_app(dir, "two", "three_resolved", "TEN", "TWELVE");
	commit(dir, "Dave", "dave@example.com", "2024-02-04T10:00:00Z", "merge topic");
	/* an unrelated history with its own Makefile, merged in keeping ours */
	tu_sh(dir, "git checkout -q --orphan other && git rm -q -rf .");
	write_lines(dir, "Makefile", "all:\n\tgo build\ntest:\n\tgo test\nclean:\n\trm -rf bin\n");
	write_lines(dir, "tool.c", "t1\nt2\n");
	commit(dir, "Frank", "frank@example.com", "2024-03-01T10:00:00Z", "other root");
	tu_sh(dir, "git checkout -q main");
	tu_sh(dir, "GIT_AUTHOR_DATE=2024-03-02T10:00:00Z GIT_COMMITTER_DATE=2024-03-02T10:00:00Z "
		"git -c user.name=Dave -c user.email=dave@example.com merge -q "
		"--allow-unrelated-histories other || true");
	tu_sh(dir, "git checkout -q --ours Makefile");
	commit(dir, "Dave", "dave@example.com", "2024-03-02T10:00:00Z", "merge other");
	/* a subtree merge, then an update merged through it */
	tu_sh(dir, "git checkout -q --orphan vendor && git rm -q -rf .");
	write_lines(dir, "lib.c", "v1\nv2\nv3\n");
	commit(dir, "Grace", "grace@example.com", "2024-04-01T10:00:00Z", "vendor root");
	tu_sh(dir, "git checkout -q main && git merge -q -s ours --no-commit "
		"--allow-unrelated-histories vendor && git read-tree --prefix=vendor/ -u vendor");
	commit(dir, "Dave", "dave@example.com", "2024-04-02T10:00:00Z", "subtree vendor");
	tu_sh(dir, "git checkout -q vendor");
	write_lines(dir, "lib.c", "v1\nV2\nv3\nv4\n");
	commit(dir, "Grace", "grace@example.com", "2024-04-03T10:00:00Z", "vendor update");
	tu_sh(dir, "git checkout -q main");
	merge_as(dir, "dave", "2024-04-04T10:00:00Z", "-X subtree=vendor/ vendor -m 'update vendor'");
	/* main goes on after all of it */
	write_app(dir, "TWO", "three_resolved", "TEN", "TWELVE");
	commit(dir, "Alice", "alice@example.com", "2024-05-01T10:00:00Z", "polish");

	git_repository *repo;
	history h;
	index_repo(dir, &repo, &h);
	/* vendor/lib.c only ever appeared through merges: the merge placed it, and
	 * its commits are nobody's (git log --no-merges shows none at that path) */
	int64_t vendored = file_at_tip(&h, repo, "vendor/lib.c");
	assert_true(vendored >= 0);
	for (size_t k = 0; k < h.files[vendored].n; k++)
		assert_false(history_touch_counts(&h.touches[h.files[vendored].touches[k]]));
	static const char *const paths[] = { "app.c", "lib/util.c", "Makefile", "tool.c",
					     "vendor/lib.c" };
	for (size_t i = 0; i < sizeof(paths) / sizeof(*paths); i++) {
		char *ours = our_line_authors(&h, repo, paths[i], NULL, 0);
		char *git = git_line_authors(dir, paths[i]);
		assert_non_null(strchr(git, '@'));
		if (strcmp(ours, git) != 0)
			fail_msg("%s:\n--- ours\n%s--- git blame -w -M\n%s", paths[i], ours, git);
		free(ours);
		free(git);
	}
	/* the shapes are there: the merger owns the line he resolved */
	char *app = our_line_authors(&h, repo, "app.c", NULL, 0);
	assert_non_null(strstr(app, "alice@example.com\nalice@example.com\ndave@example.com\n"));
	free(app);
	history_free(&h);
	git_repository_free(repo);
	tu_rmtree(dir);
	free(dir);
}

/* A file moved away and then split back (flask's app.py in 2023): git log
 * --follow goes through the copy and the rename, so the split-off file keeps
 * its commits; our counts must say the same. */
/* Which revision is read when none is given: the default branch, never what
 * is checked out. */
static void test_default_revision(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	tu_sh(dir, "git init -q -b main . && git config user.name t && git config user.email t@e");
	write_lines(dir, "app.py", "x = 1\n");
	commit(dir, "Alice", "alice@example.com", "2024-01-01T10:00:00Z", "start");
	tu_sh(dir, "git checkout -q -b mahoraga/draft-1");
	write_lines(dir, "app.py", "x = 2\n");
	commit(dir, DRAFT_AUTHOR_NAME, DRAFT_AUTHOR_EMAIL, "2024-01-02T10:00:00Z", "draft");
	git_repository *repo;
	assert_int_equal(git_repository_open(&repo, dir), 0);
	char *rev = default_rev(repo);
	assert_string_equal(rev, "refs/heads/main");
	free(rev);
	history h;
	history_init(&h);
	char *err = NULL;
	assert_int_equal(history_update(&h, repo, NULL, NULL, NULL, &err), 0);
	assert_int_equal(h.ncommits, 1); /* the draft is not read */
	history_free(&h);
	assert_true(expertise_is_bot("mahoraga", DRAFT_AUTHOR_EMAIL, NULL, 0));
	/* origin's default branch wins, as the local branch of that name if any */
	tu_sh(dir, "git update-ref refs/remotes/origin/dev HEAD && "
		"git symbolic-ref refs/remotes/origin/HEAD refs/remotes/origin/dev");
	rev = default_rev(repo);
	assert_string_equal(rev, "refs/remotes/origin/dev");
	free(rev);
	tu_sh(dir, "git branch -q dev main");
	rev = default_rev(repo);
	assert_string_equal(rev, "refs/heads/dev");
	free(rev);
	git_repository_free(repo);
	tu_rmtree(dir);
	free(dir);
}

/* Our rename score is git's: the similarity git prints for a rename (R052)
 * is ours, on texts kept more or less, with CRLF lines too. */
static void test_similarity_is_gits(void **state)
{
	(void)state;
	static const int keep[] = { 90, 70, 55, 51, 50 };
	for (size_t k = 0; k < sizeof(keep) / sizeof(*keep); k++)
		for (int crlf = 0; crlf < 2; crlf++) {
			char *dir = tu_mkdtemp();
			tu_sh(dir, "git init -q -b main . && git config user.name t && git config user.email t@e");
			strbuf a = STRBUF_INIT, b = STRBUF_INIT;
			for (int i = 0; i < 100; i++) {
				strbuf_addf(&a, "line %d of the old text, with some words%s\n", i, crlf ? "\r" : "");
				if (i < keep[k])
					strbuf_addf(&b, "line %d of the old text, with some words%s\n", i,
						    crlf ? "\r" : "");
				else
					strbuf_addf(&b, "something else %d%s\n", i * 7, crlf ? "\r" : "");
			}
			char *pa = tu_path(dir, "old.txt"), *pb = tu_path(dir, "new.txt");
			tu_write_file(pa, a.buf);
			commit(dir, "A", "a@example.com", "2024-01-01T10:00:00Z", "old");
			tu_sh(dir, "git rm -q old.txt");
			tu_write_file(pb, b.buf);
			commit(dir, "A", "a@example.com", "2024-01-02T10:00:00Z", "new");
			char *out = capture(dir, "git diff -M --name-status HEAD~1 HEAD");
			unsigned ours = similarity_score(a.buf, a.len, b.buf, b.len);
			int gits = out[0] == 'R' ? atoi(out + 1) : -1;
			/* below 50% git says D and A */
			int want = ours >= SIMILARITY_MAX / 2 ? (int)(ours * 100 / SIMILARITY_MAX) : -1;
			if (gits != want)
				fail_msg("keep %d%s: git %d, ours %u (%d%%)", keep[k], crlf ? " crlf" : "", gits,
					 ours, want);
			free(out);
			free(pa);
			free(pb);
			strbuf_release(&a);
			strbuf_release(&b);
			tu_rmtree(dir);
			free(dir);
		}
}

/* A side branch deletes a file that main goes on changing, and the merge keeps
 * it: whichever branch the walk takes last, the file is at the tip with its
 * history. So is a file that only a merge brought. */
static void test_files_merges_settle(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	tu_sh(dir, "git init -q -b main . && git config user.name t && git config user.email t@e");
	write_lines(dir, "x.c", "int a;\nint b;\nint c;\n");
	commit(dir, "Alice", "alice@example.com", "2024-01-01T10:00:00Z", "add x");
	tu_sh(dir, "git checkout -q -b side && git rm -q x.c");
	commit(dir, "Bob", "bob@example.com", "2024-01-03T10:00:00Z", "drop x");
	tu_sh(dir, "git checkout -q main");
	write_lines(dir, "x.c", "int a;\nint B;\nint c;\n");
	commit(dir, "Carol", "carol@example.com", "2024-01-02T10:00:00Z", "change x");
	/* the modify/delete conflict is resolved by keeping the file, and the
	 * merge adds one of its own */
	tu_sh(dir, "git merge -q side >/dev/null 2>&1; git add x.c && printf 'int m;\\n' > m.c");
	commit(dir, "Dave", "dave@example.com", "2024-01-04T10:00:00Z", "merge side");
	git_repository *repo;
	history h;
	index_repo(dir, &repo, &h);
	assert_true(file_at_tip(&h, repo, "x.c") >= 0);
	assert_true(file_at_tip(&h, repo, "m.c") >= 0);
	char *s = summary(&h, repo, NULL, "x.c");
	assert_non_null(strstr(s, "alice@example.com 1 2 "));
	assert_non_null(strstr(s, "carol@example.com 1 1 "));
	free(s);
	static const char *const paths[] = { "x.c", "m.c" };
	for (size_t i = 0; i < 2; i++) {
		char *ours = our_line_authors(&h, repo, paths[i], NULL, 0);
		char *git = git_line_authors(dir, paths[i]);
		if (strcmp(ours, git) != 0)
			fail_msg("%s:\n--- ours\n%s--- git blame -w -M\n%s", paths[i], ours, git);
		free(ours);
		free(git);
	}
	/* the merge's own file is nobody's commit */
	s = summary(&h, repo, NULL, "m.c");
	assert_non_null(strstr(s, "dave@example.com 0 1 "));
	free(s);
	history_free(&h);
	git_repository_free(repo);
	tu_rmtree(dir);
	free(dir);
}

/* Two files with the same text and different histories (two footers): the
 * cached blame of one is not the other's. */
static void test_same_text_different_blame(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	tu_sh(dir, "git init -q -b main . && git config user.name t && git config user.email t@e");
	write_lines(dir, "a/footer.html", "</body>\n</html>\n");
	commit(dir, "Alice", "alice@example.com", "2024-01-01T10:00:00Z", "a");
	write_lines(dir, "b/footer.html", "</body>\n</html>\n");
	commit(dir, "Bob", "bob@example.com", "2024-02-01T10:00:00Z", "b");
	git_repository *repo;
	history h;
	index_repo(dir, &repo, &h);
	char *dbp = tu_path(dir, "m.db");
	int64_t repo_id;
	store *s = store_with_repo(dbp, "local:footers", &repo_id);
	for (int pass = 0; pass < 2; pass++) { /* computed, then from the cache */
		char *a = our_line_authors(&h, repo, "a/footer.html", s, repo_id);
		char *b = our_line_authors(&h, repo, "b/footer.html", s, repo_id);
		assert_string_equal(a, "alice@example.com\nalice@example.com\n");
		assert_string_equal(b, "bob@example.com\nbob@example.com\n");
		free(a);
		free(b);
	}
	store_close(s);
	free(dbp);
	history_free(&h);
	git_repository_free(repo);
	tu_rmtree(dir);
	free(dir);
}

/* n numbered lines "tag i" from i = from. */
static char *numbered(const char *tag, int from, int n)
{
	strbuf sb = STRBUF_INIT;
	strbuf_add(&sb, "", 0);
	for (int i = from; i < from + n; i++)
		strbuf_addf(&sb, "value_%s_%d = compute_%s(%d)\n", tag, i, tag, i * 7);
	return strbuf_detach(&sb);
}

/* Renames and copies scored as git scores them (core/rename_find): a rename
 * that keeps 60%, a file that keeps 42% of a deleted one (no rename for git),
 * a copy of a file the same commit modifies, and an added file too small to
 * be anything's copy. Counts per author equal git log --follow's. */
static void test_renames_scored_as_git_scores_them(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	tu_sh(dir, "git init -q -b main .");
	char *a = numbered("a", 0, 40), *b = numbered("b", 0, 40), *c = numbered("c", 0, 40);
	write_lines(dir, "lib/a.py", a);
	write_lines(dir, "lib/b.py", b);
	write_lines(dir, "src/c.py", c);
	commit(dir, "Alice", "alice@example.com", "2024-01-01T10:00:00Z", "start");
	tu_sh(dir, "echo 'a_extra = 1' >> lib/a.py && echo 'b_extra = 1' >> lib/b.py");
	commit(dir, "Bob", "bob@example.com", "2024-02-01T10:00:00Z", "edit");
	/* the moves: 24 of a's 41 lines with 16 new ones; 22 of b's with 30 new */
	char *a24 = numbered("a", 0, 24), *more = numbered("n", 0, 16);
	char *b22 = numbered("b", 0, 22), *other = numbered("o", 0, 30);
	char *c30 = numbered("c", 0, 30), *tail = numbered("t", 0, 2);
	char *pa = xasprintf("%s%s", a24, more), *po = xasprintf("%s%s", b22, other);
	tu_sh(dir, "git rm -q lib/a.py lib/b.py && echo 'c_changed = 2' >> src/c.py");
	write_lines(dir, "pkg/a.py", pa);
	write_lines(dir, "pkg/other.py", po);
	write_lines(dir, "src/c_copy.py", c30);
	write_lines(dir, "src/tiny.py", tail);
	commit(dir, "Carol", "carol@example.com", "2024-03-01T10:00:00Z", "reorganise");
	tu_sh(dir, "echo 'more = 1' >> pkg/a.py && echo 'more = 1' >> pkg/other.py && "
		"echo 'more = 1' >> src/c_copy.py && echo 'more = 1' >> src/tiny.py");
	commit(dir, "Dave", "dave@example.com", "2024-04-01T10:00:00Z", "after");
	git_repository *repo;
	history h;
	index_repo(dir, &repo, &h);
	static const char *const paths[] = { "pkg/a.py", "pkg/other.py", "src/c_copy.py", "src/tiny.py" };
	assert_counts_equal_git(dir, &h, repo, paths, 4);
	/* git's view of the moves: a rename, a copy, and b's half is no rename */
	char *st = capture(dir, "git show --format= -M -C --name-status HEAD~1 | sort");
	assert_non_null(strstr(st, "R0"));
	assert_non_null(strstr(st, "\tlib/a.py\tpkg/a.py"));
	assert_non_null(strstr(st, "\tsrc/c.py\tsrc/c_copy.py"));
	assert_non_null(strstr(st, "A\tpkg/other.py"));
	free(st);
	free(a);
	free(b);
	free(c);
	free(a24);
	free(more);
	free(b22);
	free(other);
	free(c30);
	free(tail);
	free(pa);
	free(po);
	history_free(&h);
	git_repository_free(repo);
	tu_rmtree(dir);
	free(dir);
}

static void test_split_file_keeps_its_commits(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	tu_sh(dir, "git init -q -b main . && git config user.name t && git config user.email t@e");
	strbuf body = STRBUF_INIT;
	for (int i = 0; i < 40; i++)
		strbuf_addf(&body, "def handler_%d(request):\n    return respond(request, %d)\n", i, i);
	write_lines(dir, "pkg/app.py", body.buf);
	write_lines(dir, "pkg/util.py", "def util():\n    pass\n");
	commit(dir, "Alice", "alice@example.com", "2024-01-01T10:00:00Z", "start");
	strbuf_addstr(&body, "def extra(request):\n    return respond(request, 99)\n");
	write_lines(dir, "pkg/app.py", body.buf);
	commit(dir, "Bob", "bob@example.com", "2024-02-01T10:00:00Z", "extra handler");
	tu_sh(dir, "mkdir -p pkg/sansio && git mv pkg/app.py pkg/sansio/app.py");
	commit(dir, "Carol", "carol@example.com", "2024-03-01T10:00:00Z", "move to sansio");
	/* the split: most of it copied back to pkg/app.py, sansio keeps the rest */
	char *copy = xasprintf("head -n 60 pkg/sansio/app.py > pkg/app.py && "
			       "printf 'def io_only():\\n    pass\\n' >> pkg/app.py && "
			       "sed -i '1,20d' pkg/sansio/app.py");
	tu_sh(dir, "%s", copy);
	free(copy);
	commit(dir, "Carol", "carol@example.com", "2024-04-01T10:00:00Z", "split");
	write_lines(dir, "pkg/util.py", "def util():\n    return 1\n");
	commit(dir, "Dave", "dave@example.com", "2024-05-01T10:00:00Z", "util");
	git_repository *repo;
	history h;
	index_repo(dir, &repo, &h);
	char *err = NULL;
	/* git agrees it is a copy */
	char *log = capture(dir, "git log --follow --no-merges --name-status --format=%s -- pkg/app.py");
	assert_non_null(strstr(log, "\nC"));
	free(log);
	static const char *const paths[] = { "pkg/app.py", "pkg/sansio/app.py", "pkg/util.py" };
	assert_counts_equal_git(dir, &h, repo, paths, 3);
	/* saved and loaded, the inherited history stays and places nothing */
	char *dbp = tu_path(dir, "m.db");
	int64_t repo_id;
	store *s = store_with_repo(dbp, "local:split", &repo_id);
	history a, b;
	history_init(&a);
	history_init(&b);
	assert_int_equal(history_store_open(&a, s, repo_id, repo, NULL, NULL, &err), 0);
	assert_int_equal(history_store_open(&b, s, repo_id, repo, NULL, NULL, &err), 0);
	assert_int_equal(b.walked, 0);
	for (size_t i = 0; i < 3; i++) {
		char *x = summary(&h, repo, NULL, paths[i]);
		char *y = summary(&b, repo, NULL, paths[i]);
		assert_string_equal(x, y);
		free(x);
		free(y);
	}
	history_free(&a);
	history_free(&b);
	store_close(s);
	free(dbp);
	history_free(&h);
	git_repository_free(repo);
	strbuf_release(&body);
	tu_rmtree(dir);
	free(dir);
}

/* Two processes share the database: one saves the index again and again
 * (alternating two revisions, as after pulls) while the other loads it. Every
 * load must be one whole save, never rows of two. A damaged saved index is
 * built again, not trusted. */
static void test_index_shared_by_two_processes(void **state)
{
	struct fx *f = *state;
	char *path = tu_path(f->dir, "shared.db");
	int64_t repo_id;
	store *s = store_with_repo(path, "local:shared", &repo_id);
	char *err = NULL;
	history old;
	history_init(&old);
	assert_int_equal(history_update(&old, f->repo, "HEAD~4", NULL, NULL, &err), 0);
	assert_int_equal(store_history_save(s, repo_id, &f->h), 0);
	char *want_new = summary(&f->h, f->repo, NULL, "src/core.c");
	char *want_old = summary(&old, f->repo, NULL, "src/core.c");
	assert_string_not_equal(want_new, want_old);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		store *w = NULL;
		char *e = NULL;
		if (store_open(&w, path, &e) < 0)
			_exit(2);
		for (int i = 0; i < 60; i++)
			if (store_history_save(w, repo_id, i % 2 ? &f->h : &old) < 0)
				_exit(1);
		store_close(w);
		_exit(0);
	}
	for (int i = 0; i < 60; i++) {
		history h;
		history_init(&h);
		assert_int_equal(store_history_load(s, repo_id, &h), 1);
		char *got = summary(&h, f->repo, NULL, "src/core.c");
		if (strcmp(got, want_new) != 0 && strcmp(got, want_old) != 0)
			fail_msg("load %d is neither save:\n%s", i, got);
		free(got);
		history_free(&h);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	/* a damaged saved index is walked again and saved whole */
	assert_int_equal(store_history_save(s, repo_id, &f->h), 0);
	store_close(s);
	/* the first touch's commit index (after the header, the commits, the
	 * mainline, the authors and the paths) points past the commits */
	char *cmd = xasprintf("python3 -c \"import sqlite3,sys,struct; c=sqlite3.connect(sys.argv[1]); "
			      "d=bytearray(c.execute('SELECT data FROM history_index').fetchone()[0]); "
			      "nc,nm,na,np,nt=struct.unpack_from('<5Q',d,24); o=64+45*nc+4*nm; "
			      "\nfor _ in range(2*na+np): o=d.index(0,o)+1\n"
			      "struct.pack_into('<I',d,o+4,99999); "
			      "c.execute('UPDATE history_index SET data=?',(bytes(d),)); "
			      "c.commit()\" '%s'", path);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	assert_int_equal(store_open(&s, path, &err), 0);
	history h;
	history_init(&h);
	assert_int_equal(history_store_open(&h, s, repo_id, f->repo, NULL, NULL, &err), 0);
	assert_int_equal(h.walked, f->h.ncommits);
	char *got = summary(&h, f->repo, NULL, "src/core.c");
	assert_string_equal(got, want_new);
	free(got);
	history_free(&h);
	history_init(&h);
	assert_int_equal(store_history_load(s, repo_id, &h), 1);
	history_free(&h);
	store_close(s);
	history_free(&old);
	free(want_new);
	free(want_old);
	free(path);
}

static int carol_listed_active(const char *email, void *arg)
{
	(void)arg;
	return strcmp(email, "carol@x") == 0 ? USER_ACTIVE : USER_UNLISTED;
}

/* Someone without a commit for longer than expertise.inactive_after has left,
 * unless the users table says they are active; bots include "bot" as a word of
 * the name and the CI and image-optimizer identities of the default list. */
static void test_quiet_people_have_left(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	tu_sh(dir, "git init -q -b main . && printf 'a\\nb\\n' > f.py && git add -A && "
		   "GIT_AUTHOR_DATE=2019-03-01T00:00:00Z GIT_COMMITTER_DATE=2019-03-01T00:00:00Z "
		   "git -c user.name=Carol -c user.email=carol@x commit -qm a && "
		   "printf 'a\\nB\\n' > f.py && GIT_AUTHOR_DATE=2025-06-01T00:00:00Z "
		   "GIT_COMMITTER_DATE=2025-06-01T00:00:00Z git -c user.name=Dave -c user.email=dave@x commit -qam b");
	git_libgit2_init();
	git_repository *repo;
	assert_int_equal(git_repository_open(&repo, dir), 0);
	history h;
	history_init(&h);
	char *err = NULL;
	assert_int_equal(history_update(&h, repo, NULL, NULL, NULL, &err), 0);
	history_view v;
	assert_int_equal(history_view_at(&v, &h, repo, NULL, &err), 0);
	expertise_opts o = plain;
	o.inactive_after = 365 * 86400;
	expertise_file e;
	expertise_file_init(&e);
	assert_int_equal(expertise_for(&e, &v, repo, "f.py", &o, &err), 0);
	assert_int_equal(e.ndevs, 1);
	assert_string_equal(e.devs[0].email, "dave@x");
	assert_int_equal(e.excluded, 1);
	/* the users table says Carol is still here: she counts */
	o.user_state = carol_listed_active;
	assert_int_equal(expertise_for(&e, &v, repo, "f.py", &o, &err), 0);
	assert_int_equal(e.ndevs, 2);
	/* 0: nobody leaves by time */
	o.user_state = NULL;
	o.inactive_after = 0;
	assert_int_equal(expertise_for(&e, &v, repo, "f.py", &o, &err), 0);
	assert_int_equal(e.ndevs, 2);
	expertise_file_free(&e);
	history_view_free(&v);
	history_free(&h);
	git_repository_free(repo);
	git_libgit2_shutdown();
	tu_rmtree(dir);
	free(dir);
	/* bots */
	const char *const pats[] = { "[bot]", "imgbot", "travis" };
	assert_true(expertise_is_bot("Sourcery Bot", "sourcery@x", pats, 3));
	assert_true(expertise_is_bot("release-bot", "rel@x", pats, 3));
	assert_true(expertise_is_bot("ImgBotApp", "ImgBotHelp@gmail.com", pats, 3));
	assert_true(expertise_is_bot("Travis CI", "travis@travis-ci.org", pats, 3));
	assert_false(expertise_is_bot("Abbot Talbot", "abbot@x", pats, 3));
	assert_false(expertise_is_bot("Sourcery Bot", "sourcery@x", NULL, 0)); /* an empty list counts all */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quiet_people_have_left),
		cmocka_unit_test(test_counts_match_git),
		cmocka_unit_test(test_walk_past_a_reopened_object_database),
		cmocka_unit_test(test_renames_mailmap_whitespace_merges),
		cmocka_unit_test(test_mailmap_of_a_bare_copy_without_config),
		cmocka_unit_test(test_recency_bots_inactive),
		cmocka_unit_test(test_inactive_and_nobody_left),
		cmocka_unit_test(test_as_of_revision_equals_fresh_build),
		cmocka_unit_test(test_incremental_equals_full),
		cmocka_unit_test(test_saved_index_and_blame_cache),
		cmocka_unit_test(test_index_shared_by_two_processes),
		cmocka_unit_test(test_busfactor_on_the_designed_history),
		cmocka_unit_test(test_risk_saved_with_the_index),
		cmocka_unit_test(test_trace_map_saved_by_tree),
		cmocka_unit_test(test_truck_factor_greedy),
		cmocka_unit_test(test_blame_through_merges_equals_git),
		cmocka_unit_test(test_split_file_keeps_its_commits),
		cmocka_unit_test(test_renames_scored_as_git_scores_them),
		cmocka_unit_test(test_same_text_different_blame),
		cmocka_unit_test(test_files_merges_settle),
		cmocka_unit_test(test_similarity_is_gits),
		cmocka_unit_test(test_default_revision),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
