/* CODEOWNERS parsing and matching with GitHub's rules (see codeowners.h). */
#include "codeowners.h"

#include <fnmatch.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "default_rev.h"
#include "sanitize.h"
#include "strbuf.h"
#include "xalloc.h"

void codeowners_init(codeowners *c)
{
	memset(c, 0, sizeof(*c));
}

void codeowners_free(codeowners *c)
{
	for (size_t i = 0; i < c->n; i++) {
		codeowners_rule *r = &c->rules[i];
		free(r->pattern);
		xfree_strings(r->segs, r->nsegs);
		xfree_strings(r->owners, r->nowners);
	}
	free(c->rules);
	xfree_strings(c->errors, c->nerrors);
	free(c->path);
	codeowners_init(c);
}

static void add_error(codeowners *c, const char *origin, int line, const char *what)
{
	c->errors = xrealloc(c->errors, (c->nerrors + 1) * sizeof(*c->errors));
	c->errors[c->nerrors++] = xasprintf("%s:%d: %s", origin, line, what);
}

/* @user, @org/team, or an email address. */
static bool valid_owner(const char *o)
{
	if (o[0] == '@') {
		const char *p = o + 1;
		size_t slash = 0;
		if (!*p)
			return false;
		for (; *p; p++) {
			if (*p == '/')
				slash++;
			else if (!(*p == '-' || *p == '_' || *p == '.' || (*p >= 'a' && *p <= 'z') ||
				   (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
				return false;
		}
		return slash <= 1 && o[strlen(o) - 1] != '/';
	}
	const char *at = strchr(o, '@');
	return at && at != o && strchr(at, '.') && !strchr(at + 1, '@');
}

static void split_segments(codeowners_rule *r, const char *pat)
{
	const char *p = pat;
	while (*p) {
		size_t n = strcspn(p, "/");
		if (n) {
			r->segs = xrealloc(r->segs, (r->nsegs + 1) * sizeof(*r->segs));
			r->segs[r->nsegs++] = xstrndup(p, n);
		}
		p += n;
		if (*p == '/')
			p++;
	}
}

void codeowners_parse(codeowners *c, const char *text, size_t len, const char *origin)
{
	const char *p = text, *end = text + len;
	int line = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		line++;
		char *l = sanitize_text(p, (size_t)(e - p), 0);
		p = nl ? nl + 1 : end;
		/* a comment starts a line, or follows a blank ("docs/  @a # why") */
		char *s = l;
		while (*s == ' ')
			s++;
		for (char *h = s; (h = strchr(h, '#'));) {
			if (h == s || h[-1] == ' ') {
				*h = '\0';
				break;
			}
			h++;
		}
		if (!*s) {
			free(l);
			continue;
		}
		/* the pattern; "\ " escapes a space and "\#" a leading hash */
		strbuf pat = STRBUF_INIT;
		while (*s && *s != ' ') {
			if (*s == '\\' && (s[1] == ' ' || s[1] == '#'))
				s++;
			strbuf_addch(&pat, *s++);
		}
		char *pattern = strbuf_detach(&pat);
		if (pattern[0] == '!') {
			add_error(c, origin, line, "negation ('!') is not supported in CODEOWNERS");
			free(pattern);
			free(l);
			continue;
		}
		if (c->n == c->alloc)
			c->rules = xrealloc(c->rules, (c->alloc = c->alloc ? c->alloc * 2 : 16) * sizeof(*c->rules));
		codeowners_rule *r = &c->rules[c->n++];
		memset(r, 0, sizeof(*r));
		r->pattern = pattern;
		r->line = line;
		size_t pl = strlen(pattern);
		r->dir_only = pl > 1 && pattern[pl - 1] == '/';
		/* a '/' at the start or in the middle anchors the pattern at the root */
		const char *mid = strchr(pattern, '/');
		r->anchored = mid && (mid == pattern || (size_t)(mid - pattern) < pl - 1);
		split_segments(r, pattern);
		for (char *tok = strtok_r(s, " ", &s); tok; tok = strtok_r(NULL, " ", &s)) {
			if (!valid_owner(tok)) {
				char *what = xasprintf("'%s' is not an owner (@user, @org/team or an email)", tok);
				add_error(c, origin, line, what);
				free(what);
				continue;
			}
			r->owners = xrealloc(r->owners, (r->nowners + 1) * sizeof(*r->owners));
			r->owners[r->nowners++] = xstrdup(tok);
		}
		free(l);
	}
}

/* Pattern segments against path segments; "**" spans any number of them. A
 * table over (pattern, path) positions, so that "**" after "**" cannot make the
 * work exponential (the fuzzer found that). */
static bool match_segs(char **ps, size_t np, char **xs, size_t nx)
{
	/* ok[i * (nx + 1) + j]: ps[i..] matches xs[j..] */
	bool *ok = xcalloc((np + 1) * (nx + 1), sizeof(*ok));
	ok[np * (nx + 1) + nx] = true;
	for (size_t i = np; i-- > 0;)
		for (size_t j = nx + 1; j-- > 0;) {
			bool m;
			if (strcmp(ps[i], "**") == 0)
				m = ok[(i + 1) * (nx + 1) + j] || (j < nx && ok[i * (nx + 1) + j + 1]);
			else
				m = j < nx && fnmatch(ps[i], xs[j], FNM_PATHNAME) == 0 &&
				    ok[(i + 1) * (nx + 1) + j + 1];
			ok[i * (nx + 1) + j] = m;
		}
	bool r = ok[0];
	free(ok);
	return r;
}

/* Does the rule match the first n segments of the path (a folder when n is
 * less than all of them)? */
static bool match_prefix(const codeowners_rule *r, char **xs, size_t n, bool is_dir)
{
	if ((r->dir_only && !is_dir) || r->nsegs == 0)
		return false;
	/* GitHub: a trailing "*" matches the files of the folder, not its
	 * subfolders' (unlike .gitignore) */
	if (is_dir && strcmp(r->segs[r->nsegs - 1], "*") == 0)
		return false;
	if (r->anchored)
		return match_segs(r->segs, r->nsegs, xs, n);
	/* unanchored: matches the name at any depth */
	for (size_t start = 0; start < n; start++)
		if (match_segs(r->segs, r->nsegs, xs + start, n - start))
			return true;
	return false;
}

static bool rule_matches(const codeowners_rule *r, char **xs, size_t nx)
{
	/* the file itself, or any folder that holds it */
	for (size_t n = 1; n <= nx; n++)
		if (match_prefix(r, xs, n, n < nx))
			return true;
	return false;
}

char *const *codeowners_for(const codeowners *c, const char *path, size_t *n,
			    const codeowners_rule **rule)
{
	*n = 0;
	if (rule)
		*rule = NULL;
	codeowners_rule tmp = { 0 };
	split_segments(&tmp, path);
	const codeowners_rule *hit = NULL;
	for (size_t i = c->n; i-- > 0 && !hit;)
		if (rule_matches(&c->rules[i], tmp.segs, tmp.nsegs))
			hit = &c->rules[i];
	xfree_strings(tmp.segs, tmp.nsegs);
	if (!hit)
		return NULL;
	if (rule)
		*rule = hit;
	*n = hit->nowners;
	return hit->owners;
}

int codeowners_load(codeowners *c, git_repository *repo, const char *rev)
{
	static const char *const where[] = { ".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS" };
	git_object *obj = NULL;
	git_tree *tree = NULL;
	char *dflt = rev ? NULL : default_rev(repo);
	int rc = git_revparse_single(&obj, repo, rev ? rev : dflt) < 0 ||
		 git_object_peel((git_object **)&tree, obj, GIT_OBJECT_TREE) < 0 ? -1 : 0;
	git_object_free(obj);
	free(dflt);
	if (rc < 0)
		return -1;
	int found = 0;
	for (size_t i = 0; i < 3 && !found; i++) {
		git_tree_entry *e = NULL;
		if (git_tree_entry_bypath(&e, tree, where[i]) < 0)
			continue;
		git_blob *blob = NULL;
		if (git_tree_entry_type(e) == GIT_OBJECT_BLOB &&
		    git_blob_lookup(&blob, repo, git_tree_entry_id(e)) == 0) {
			codeowners_parse(c, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob), where[i]);
			free(c->path);
			c->path = xstrdup(where[i]);
			found = 1;
			git_blob_free(blob);
		}
		git_tree_entry_free(e);
	}
	git_tree_free(tree);
	return found;
}
