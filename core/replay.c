/* Mining a repository's bug fixes and writing their reports (see replay.h). */
#include "replay.h"

#include <ctype.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "strbuf.h"
#include "xalloc.h"

/* Per language: its extensions, the definition of a function (the regex's
 * group holding the name), and the package or namespace declaration. */
struct lang {
	const char *name;
	const char *ext[7];
	const char *fn;
	int fn_group;
	const char *scope;
};

static const struct lang langs[] = {
	{ "python", { ".py" }, "^([ \t]*)(async[ \t]+)?def[ \t]+([A-Za-z_][A-Za-z0-9_]*)", 3, NULL },
	{ "javascript", { ".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".mts" },
	  "(function[ \t]*\\*?[ \t]*([A-Za-z_$][A-Za-z0-9_$]*)[ \t]*\\()|"
	  "(([A-Za-z_$][A-Za-z0-9_$]*)[ \t]*[:=][ \t]*(async[ \t]+)?(function|\\([^)]*\\)[ \t]*=>))|"
	  "(^[ \t]+(async[ \t]+|static[ \t]+|get[ \t]+|set[ \t]+|public[ \t]+|private[ \t]+|protected[ \t]+)*"
	  "([A-Za-z_$][A-Za-z0-9_$]*)[ \t]*\\([^)]*\\)[ \t]*(:[^{]*)?\\{)", 0, NULL },
	{ "go", { ".go" }, "^func[ \t]*(\\([^)]*\\))?[ \t]*([A-Za-z_][A-Za-z0-9_]*)", 2,
	  "^package[ \t]+([A-Za-z0-9_]+)" },
	{ "java", { ".java" },
	  "^[ \t]*((public|private|protected|static|final|synchronized|abstract|native|default)[ \t]+)*"
	  "[A-Za-z_][A-Za-z0-9_<>?,. \\[\\]]*[ \t]+([A-Za-z_][A-Za-z0-9_]*)[ \t]*\\(", 3,
	  "^[ \t]*package[ \t]+([A-Za-z0-9_.]+)" },
	{ "kotlin", { ".kt" }, "fun[ \t]+(<[^>]*>[ \t]*)?([A-Za-z_][A-Za-z0-9_<>?]*\\.)?([A-Za-z_][A-Za-z0-9_]*)[ \t]*\\(", 3,
	  "^[ \t]*package[ \t]+([A-Za-z0-9_.]+)" },
	{ "ruby", { ".rb" }, "^[ \t]*def[ \t]+(self\\.)?([A-Za-z_][A-Za-z0-9_]*[?!=]?)", 2, NULL },
	{ "rust", { ".rs" }, "fn[ \t]+([A-Za-z_][A-Za-z0-9_]*)", 1, NULL },
	{ "php", { ".php" }, "function[ \t]+&?([A-Za-z_][A-Za-z0-9_]*)", 1,
	  "^[ \t]*namespace[ \t]+([A-Za-z0-9_\\\\]+)" },
	{ "c", { ".c", ".h", ".cc", ".cpp", ".cxx", ".hpp" },
	  "^[A-Za-z_][A-Za-z0-9_ \t*:<>,]*[ \t*&]([A-Za-z_][A-Za-z0-9_:~]*)[ \t]*\\([^;]*$", 1, NULL },
	{ "csharp", { ".cs" },
	  "^[ \t]*((public|private|protected|internal|static|virtual|override|async|sealed|unsafe|extern|new)[ \t]+)+"
	  "[A-Za-z_][A-Za-z0-9_<>?,. \\[\\]]*[ \t]+([A-Za-z_][A-Za-z0-9_]*)[ \t]*(<[^>]*>)?[ \t]*\\(", 3,
	  "^[ \t]*namespace[ \t]+([A-Za-z0-9_.]+)" },
};
#define NLANGS (sizeof(langs) / sizeof(langs[0]))

void replay_set_init(replay_set *s)
{
	memset(s, 0, sizeof(*s));
}

static void fix_free(replay_fix *f)
{
	free(f->path);
	free(f->code);
	free(f->function);
	free(f->scope);
	free(f->subject);
}

void replay_set_free(replay_set *s)
{
	for (size_t i = 0; i < s->n; i++)
		fix_free(&s->v[i]);
	free(s->v);
	replay_set_init(s);
}

/* True if word starts at p in s (not inside a longer word). */
static bool word_start(const char *s, const char *p)
{
	return p == s || !isalpha((unsigned char)p[-1]);
}

static bool has_word(const char *lower, const char *w)
{
	for (const char *p = lower; (p = strstr(p, w)); p++)
		if (word_start(lower, p))
			return true;
	return false;
}

bool replay_says_fix(const char *message)
{
	char *m = xstrdup(message ? message : "");
	/* the subject and body both count; the trailers (Signed-off-by) do not matter */
	for (char *p = m; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	static const char *const no[] = { "typo", "doc", "lint", "spelling", "whitespace", "revert",
					  "format", "style", "comment", "changelog", "readme", "bump",
					  "release", "version", "refactor", "rename" };
	bool fix = false;
	for (const char *p = m; (p = strstr(p, "fix")); p++) {
		/* "prefix", "suffix", "postfix" and "fixture" are not fixes */
		if ((p - m >= 3 && (strncmp(p - 3, "pre", 3) == 0 || strncmp(p - 3, "suf", 3) == 0)) ||
		    (p - m >= 4 && strncmp(p - 4, "post", 4) == 0) || strncmp(p, "fixture", 7) == 0)
			continue;
		fix = true;
		break;
	}
	fix = fix || has_word(m, "bug") || has_word(m, "crash") || has_word(m, "error");
	for (size_t i = 0; fix && i < sizeof(no) / sizeof(no[0]); i++)
		if (has_word(m, no[i]))
			fix = false;
	free(m);
	return fix;
}

static const struct lang *lang_of(const char *path)
{
	const char *dot = strrchr(path, '.');
	const char *slash = strrchr(path, '/');
	if (!dot || (slash && dot < slash))
		return NULL;
	if (strcmp(dot, ".ts") == 0 && dot - path >= 2 && strncmp(dot - 2, ".d", 2) == 0)
		return NULL; /* declarations, not code */
	for (size_t i = 0; i < NLANGS; i++)
		for (size_t k = 0; k < 7 && langs[i].ext[k]; k++)
			if (strcmp(dot, langs[i].ext[k]) == 0)
				return &langs[i];
	return NULL;
}

const char *replay_language_of(const char *path)
{
	const struct lang *l = lang_of(path);
	return l ? l->name : NULL;
}

bool replay_is_product_source(const char *path)
{
	char *p = xstrdup(path);
	for (char *c = p; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	static const char *const out[] = { "test", "spec", "example", "vendor/", "third_party",
					   "thirdparty", "node_modules", "docs/", "doc/", "bench",
					   "fixture", "sample", "demo", "script", "tools/", "internal/testing",
					   "mock", "fake", ".github/", "build/", "dist/" };
	bool ok = true;
	for (size_t i = 0; ok && i < sizeof(out) / sizeof(out[0]); i++)
		if (strstr(p, out[i]))
			ok = false;
	free(p);
	return ok;
}

/* --- reading the fix's diff --- */

struct diffcount {
	int changed;
	int old_start, old_lines, hunks;
};

static int hunk_cb(const git_diff_delta *d, const git_diff_hunk *h, void *arg)
{
	(void)d;
	struct diffcount *c = arg;
	if (c->hunks++ == 0) {
		c->old_start = h->old_start;
		c->old_lines = h->old_lines;
	}
	return 0;
}

static int line_cb(const git_diff_delta *d, const git_diff_hunk *h, const git_diff_line *l, void *arg)
{
	(void)d;
	(void)h;
	struct diffcount *c = arg;
	if (l->origin == GIT_DIFF_LINE_ADDITION || l->origin == GIT_DIFF_LINE_DELETION)
		c->changed++;
	return 0;
}

/* The lines of a blob, each NUL-terminated in one copy. */
struct lines {
	char *buf;
	char **v;
	size_t n;
};

static void lines_split(struct lines *ls, const char *data, size_t len)
{
	ls->buf = xmalloc(len + 1);
	memcpy(ls->buf, data, len);
	ls->buf[len] = 0;
	size_t cap = 16;
	ls->v = xmalloc(cap * sizeof(*ls->v));
	ls->n = 0;
	char *p = ls->buf;
	while (p < ls->buf + len) {
		if (ls->n == cap)
			ls->v = xrealloc(ls->v, (cap *= 2) * sizeof(*ls->v));
		ls->v[ls->n++] = p;
		char *nl = memchr(p, '\n', (size_t)(ls->buf + len - p));
		if (!nl)
			break;
		*nl = 0;
		if (nl > p && nl[-1] == '\r')
			nl[-1] = 0;
		p = nl + 1;
	}
}

static void lines_free(struct lines *ls)
{
	free(ls->buf);
	free(ls->v);
}

static bool is_code(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	if (!*s)
		return false;
	/* comments and lone braces are not where a program fails */
	if (s[0] == '#' || (s[0] == '/' && (s[1] == '/' || s[1] == '*')) || s[0] == '*')
		return false;
	if ((s[0] == '}' || s[0] == '{' || s[0] == ')' || s[0] == ']') && !s[1 + (s[1] == ';' || s[1] == ',')])
		return false;
	return strcmp(s, "end") != 0 && strcmp(s, "else") != 0 && strcmp(s, "} else {") != 0;
}

static size_t indent_of(const char *s)
{
	size_t n = 0;
	for (; *s == ' ' || *s == '\t'; s++)
		n += *s == '\t' ? 8 : 1;
	return n;
}

static bool keyword(const char *w, size_t n)
{
	static const char *const kw[] = { "if", "for", "while", "switch", "catch", "return", "new", "else",
					  "do", "try", "synchronized", "function", "using", "lock", "foreach",
					  "sizeof", "typeof", "await", "throw", "super", "this", "fixed" };
	for (size_t i = 0; i < sizeof(kw) / sizeof(kw[0]); i++)
		if (strlen(kw[i]) == n && strncmp(kw[i], w, n) == 0)
			return true;
	return false;
}

/* The name regex group m of line matched, for the language l (the JavaScript
 * pattern has three alternatives with their own groups). */
static char *fn_name(const struct lang *l, const char *line, const regmatch_t *m)
{
	int groups[3] = { l->fn_group, -1, -1 };
	if (l->fn_group == 0) {
		groups[0] = 2;
		groups[1] = 4;
		groups[2] = 9;
	}
	for (int g = 0; g < 3 && groups[g] >= 0; g++) {
		const regmatch_t *r = &m[groups[g]];
		if (r->rm_so < 0)
			continue;
		size_t n = (size_t)(r->rm_eo - r->rm_so);
		if (!n || keyword(line + r->rm_so, n))
			return NULL;
		char *name = xstrndup(line + r->rm_so, n);
		/* Go methods print their receiver: "(*Context).JSON" */
		if (strcmp(l->name, "go") == 0 && m[1].rm_so >= 0) {
			const char *rs = line + m[1].rm_so + 1, *re = line + m[1].rm_eo - 1;
			const char *t = re;
			while (t > rs && !isspace((unsigned char)t[-1]))
				t--;
			while (t < re && (*t == ' ' || *t == '\t'))
				t++;
			const char *br = memchr(t, '[', (size_t)(re - t)); /* generics */
			size_t tl = (size_t)((br ? br : re) - t);
			char *full = *t == '*' ? xasprintf("(%.*s).%s", (int)tl, t, name)
					       : xasprintf("%.*s.%s", (int)tl, t, name);
			free(name);
			name = full;
		}
		return name;
	}
	return NULL;
}

static void describe_line(replay_fix *f, const struct lang *l, const struct lines *ls, regex_t *fn,
			  regex_t *scope)
{
	const char *target = ls->v[f->line - 1];
	f->code = xstrdup(target + strspn(target, " \t"));
	size_t ind = indent_of(target);
	bool python = strcmp(l->name, "python") == 0;
	for (size_t i = (size_t)f->line; i-- > 0 && (size_t)f->line - i < 400;) {
		regmatch_t m[12];
		if (regexec(fn, ls->v[i], 12, m, 0) != 0)
			continue;
		if (python && indent_of(ls->v[i]) >= ind && i + 1 != (size_t)f->line)
			continue; /* a sibling or nested function, not the enclosing one */
		char *name = fn_name(l, ls->v[i], m);
		if (!name)
			continue;
		f->function = name;
		break;
	}
	if (!f->function && python)
		f->function = xstrdup("<module>");
	for (size_t i = 0; scope && i < ls->n && i < 200; i++) {
		regmatch_t m[2];
		if (regexec(scope, ls->v[i], 2, m, 0) == 0) {
			f->scope = xstrndup(ls->v[i] + m[1].rm_so, (size_t)(m[1].rm_eo - m[1].rm_so));
			break;
		}
	}
}

/* Fills the fix's line, code and function from the diff of path between the
 * parent and the commit; false if it is not a fix we can replay. */
static bool read_fix(replay_fix *f, git_repository *repo, git_commit *c, const struct lang *l,
		     regex_t *fn, regex_t *scope)
{
	git_commit *parent = NULL;
	git_tree *pt = NULL, *ct = NULL;
	git_tree_entry *pe = NULL, *ce = NULL;
	git_blob *pb = NULL, *cb = NULL;
	bool ok = false;
	if (git_commit_parent(&parent, c, 0) < 0 || git_commit_tree(&pt, parent) < 0 ||
	    git_commit_tree(&ct, c) < 0 || git_tree_entry_bypath(&pe, pt, f->path) < 0 ||
	    git_tree_entry_bypath(&ce, ct, f->path) < 0 ||
	    git_blob_lookup(&pb, repo, git_tree_entry_id(pe)) < 0 ||
	    git_blob_lookup(&cb, repo, git_tree_entry_id(ce)) < 0 ||
	    git_blob_is_binary(pb))
		goto out;
	git_oid_cpy(&f->parent, git_commit_id(parent));
	git_diff_options o;
	git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
	o.context_lines = 0;
	struct diffcount dc = { 0 };
	if (git_diff_blobs(pb, f->path, cb, f->path, &o, NULL, NULL, hunk_cb, line_cb, &dc) < 0 ||
	    dc.changed < 1 || dc.changed > REPLAY_MAX_CHANGED || !dc.hunks)
		goto out;
	struct lines ls;
	lines_split(&ls, git_blob_rawcontent(pb), (size_t)git_blob_rawsize(pb));
	/* a change's first line; an insertion points at the code right after it */
	size_t at = dc.old_lines > 0 ? (size_t)dc.old_start : (size_t)dc.old_start + 1;
	if (at < 1)
		at = 1;
	while (at <= ls.n && !is_code(ls.v[at - 1]))
		at++;
	if (at > ls.n) /* nothing after it: the code just before */
		for (at = ls.n; at > 0 && !is_code(ls.v[at - 1]); at--)
			;
	if (at > 0 && at <= ls.n) {
		f->line = (int)at;
		f->changed = dc.changed;
		describe_line(f, l, &ls, fn, scope);
		ok = true;
	}
	lines_free(&ls);
out:
	git_blob_free(pb);
	git_blob_free(cb);
	git_tree_entry_free(pe);
	git_tree_entry_free(ce);
	git_tree_free(pt);
	git_tree_free(ct);
	git_commit_free(parent);
	return ok;
}

/* The main language: the most files of the view's tree. */
static const struct lang *main_language(const history_view *v)
{
	const history *h = v->h;
	size_t count[NLANGS] = { 0 };
	for (size_t f = 0; f < h->nfiles; f++) {
		const history_touch *last = NULL;
		for (size_t k = h->files[f].n; k-- > 0 && !last;)
			if (history_view_has(v, h->touches[h->files[f].touches[k]].commit))
				last = &h->touches[h->files[f].touches[k]];
		if (!last || last->kind == HIST_DELETE)
			continue;
		const struct lang *l = lang_of(h->paths[last->path]);
		if (l && replay_is_product_source(h->paths[last->path]))
			count[l - langs]++;
	}
	size_t best = 0;
	for (size_t i = 1; i < NLANGS; i++)
		if (count[i] > count[best])
			best = i;
	return count[best] ? &langs[best] : NULL;
}

int replay_mine(replay_set *s, git_repository *repo, const history_view *v, size_t max, char **err)
{
	const history *h = v->h;
	const struct lang *l = main_language(v);
	s->lang = l ? l->name : NULL;
	if (!l)
		return 0;
	regex_t fn, scope;
	if (regcomp(&fn, l->fn, REG_EXTENDED) != 0) {
		*err = xasprintf("internal: the %s function pattern does not compile", l->name);
		return -1;
	}
	bool have_scope = l->scope && regcomp(&scope, l->scope, REG_EXTENDED) == 0;
	/* the touches of each commit */
	size_t *first = xcalloc(h->ncommits + 1, sizeof(*first));
	for (size_t i = 0; i < h->ntouches; i++)
		first[h->touches[i].commit + 1]++;
	for (size_t c = 0; c < h->ncommits; c++)
		first[c + 1] += first[c];
	uint32_t *by = xmalloc((h->ntouches ? h->ntouches : 1) * sizeof(*by));
	size_t *fill = xcalloc(h->ncommits ? h->ncommits : 1, sizeof(*fill));
	for (size_t i = 0; i < h->ntouches; i++) {
		uint32_t c = h->touches[i].commit;
		by[first[c] + fill[c]++] = (uint32_t)i;
	}
	free(fill);
	for (size_t c = h->ncommits; c-- > 0 && (!max || s->n < max);) {
		const history_commit *hc = &h->commits[c];
		if (hc->merge || !history_view_has(v, (uint32_t)c))
			continue;
		s->scanned++;
		const history_touch *src = NULL;
		size_t nsrc = 0;
		for (size_t k = first[c]; k < first[c + 1]; k++) {
			const history_touch *t = &h->touches[by[k]];
			const char *p = h->paths[t->path];
			if (t->kind == HIST_MERGE || lang_of(p) != l || !replay_is_product_source(p))
				continue;
			src = t;
			nsrc++;
		}
		if (nsrc != 1 || src->kind != HIST_MODIFY)
			continue;
		git_commit *commit;
		if (git_commit_lookup(&commit, repo, &hc->oid) < 0)
			continue;
		if (git_commit_parentcount(commit) != 1 || !replay_says_fix(git_commit_message(commit))) {
			git_commit_free(commit);
			continue;
		}
		s->said_fix++;
		replay_fix f = { .commit = hc->oid, .commit_index = (uint32_t)c,
				 .path = xstrdup(h->paths[src->path]),
				 .fixer = h->authors[hc->author].email };
		if (read_fix(&f, repo, commit, l, &fn, have_scope ? &scope : NULL)) {
			const char *msg = git_commit_summary(commit);
			f.subject = xstrdup(msg ? msg : "");
			if (s->n == s->alloc)
				s->v = xrealloc(s->v, (s->alloc = s->alloc ? 2 * s->alloc : 64) * sizeof(*s->v));
			s->v[s->n++] = f;
		} else {
			fix_free(&f);
		}
		git_commit_free(commit);
	}
	free(first);
	free(by);
	regfree(&fn);
	if (have_scope)
		regfree(&scope);
	return 0;
}

/* --- the report --- */

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* "Client" for "src/Client.php" */
static char *class_of(const char *path)
{
	const char *b = base_name(path);
	const char *dot = strrchr(b, '.');
	return dot ? xstrndup(b, (size_t)(dot - b)) : xstrdup(b);
}

char *replay_report(const replay_fix *f, const char *lang, const trace_map *map)
{
	char *installed = map ? trace_map_installed(map, f->path) : NULL;
	strbuf sb = STRBUF_INIT;
	const char *fn = f->function ? f->function : "run";
	char *cls = class_of(f->path);
	const char *code = f->code ? f->code : "";
	if (!lang)
		lang = "";
	if (strcmp(lang, "python") == 0) {
		strbuf_addf(&sb, "Traceback (most recent call last):\n"
			    "  File \"/srv/app/main.py\", line 14, in <module>\n    main()\n"
			    "  File \"%s%s\", line %d, in %s\n    %s\nTypeError: 'NoneType' object is not subscriptable\n",
			    installed ? "" : "/srv/app/", installed ? installed : f->path, f->line, fn, code);
	} else if (strcmp(lang, "javascript") == 0) {
		strbuf_addf(&sb, "TypeError: Cannot read properties of undefined (reading 'length')\n"
			    "    at %s (%s%s:%d:12)\n"
			    "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)\n",
			    fn, installed ? "" : "/srv/app/", installed ? installed : f->path, f->line);
	} else if (strcmp(lang, "go") == 0) {
		strbuf_addf(&sb, "panic: runtime error: invalid memory address or nil pointer dereference\n"
			    "[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x6b2f4e]\n\n"
			    "goroutine 1 [running]:\n%s.%s(...)\n\t%s%s:%d +0x2e\nmain.main()\n"
			    "\t/home/user/app/main.go:21 +0x1d\nexit status 2\n",
			    f->scope ? f->scope : "main", fn,
			    /* before modules, a GOPATH: the import path starts with a host */
			    installed ? "" : "/home/user/go/src/github.com/example/app/",
			    installed ? installed : f->path, f->line);
	} else if (strcmp(lang, "java") == 0 || strcmp(lang, "kotlin") == 0) {
		strbuf_addf(&sb, "Exception in thread \"main\" java.lang.NullPointerException\n"
			    "\tat %s%s%s.%s(%s:%d)\n\tat com.example.app.Main.main(Main.java:12)\n",
			    f->scope ? f->scope : "", f->scope ? "." : "", cls, fn, base_name(f->path), f->line);
	} else if (strcmp(lang, "ruby") == 0) {
		strbuf_addf(&sb, "%s%s:%d:in `%s': undefined method `[]' for nil:NilClass (NoMethodError)\n"
			    "\tfrom /srv/app/bin/server:12:in `<main>'\n",
			    installed ? "" : "/srv/app/", installed ? installed : f->path, f->line, fn);
	} else if (strcmp(lang, "rust") == 0) {
		strbuf_addf(&sb, "thread 'main' panicked at %s:%d:17:\ncalled `Option::unwrap()` on a `None` value\n"
			    "stack backtrace:\n   0: rust_begin_unwind\n   1: core::panicking::panic_fmt\n"
			    "   2: %s\n             at %s%s:%d:17\n"
			    "note: Some details are omitted, run with `RUST_BACKTRACE=full` for a verbose backtrace.\n",
			    installed ? installed : f->path, f->line, fn, installed ? "" : "./",
			    installed ? installed : f->path, f->line);
	} else if (strcmp(lang, "php") == 0) {
		const char *p = installed ? installed : f->path;
		const char *pre = installed ? "" : "/var/www/html/";
		strbuf_addf(&sb, "PHP Fatal error:  Uncaught Error: Call to a member function get() on null in %s%s:%d\n"
			    "Stack trace:\n#0 /var/www/html/public/index.php(24): %s%s%s->%s()\n#1 {main}\n"
			    "  thrown in %s%s on line %d\n",
			    pre, p, f->line, f->scope ? f->scope : "", f->scope ? "\\" : "", cls, fn, pre, p, f->line);
	} else if (strcmp(lang, "csharp") == 0) {
		strbuf_addf(&sb, "Unhandled exception. System.NullReferenceException: Object reference not set to an "
			    "instance of an object.\n   at %s%s%s.%s() in /_/%s:line %d\n"
			    "   at Program.Main(String[] args) in /app/Program.cs:line 10\n",
			    f->scope ? f->scope : "", f->scope ? "." : "", cls, fn, f->path, f->line);
	} else if (strcmp(lang, "c") == 0) {
		/* AddressSanitizer, as a C or C++ program built from a checkout prints it */
		strbuf_addf(&sb, "=================================================================\n"
			    "==48213==ERROR: AddressSanitizer: heap-use-after-free on address 0x602000000010 at pc "
			    "0x55d0c81e2f3a bp 0x7ffd2b1c8e70 sp 0x7ffd2b1c8e68\n"
			    "READ of size 8 at 0x602000000010 thread T0\n"
			    "    #0 0x55d0c81e2f39 in %s /home/user/src/app/%s:%d:9\n"
			    "    #1 0x7f3c2a229d8f in __libc_start_call_main ../sysdeps/nptl/libc_start_call_main.h:58\n",
			    fn, f->path, f->line);
	} else {
		strbuf_addf(&sb, "%s:%d: error\n", f->path, f->line);
	}
	free(cls);
	free(installed);
	return strbuf_detach(&sb);
}
