/* Frames to repository paths by longest path suffix (see trace_map.h). */
#include "trace_map.h"

#include <git2.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "xalloc.h"

struct bucket {
	uint32_t *idx;   /* paths with this base name */
	size_t n;
	const char *base; /* points into paths[idx[0]] */
};

struct trace_map {
	char **paths;
	size_t n;
	struct bucket *table; /* open addressing on the base name */
	size_t cap;
};

static uint64_t hash(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static const char *base_name(const char *p)
{
	const char *b = strrchr(p, '/');
	return b ? b + 1 : p;
}

static struct bucket *find(const trace_map *m, const char *base, size_t n)
{
	size_t i = hash(base, n) & (m->cap - 1);
	for (;;) {
		struct bucket *b = &m->table[i];
		if (!b->base || (strlen(b->base) == n && memcmp(b->base, base, n) == 0))
			return b;
		i = (i + 1) & (m->cap - 1);
	}
}

trace_map *trace_map_new(const char *const *paths, size_t n)
{
	trace_map *m = xcalloc(1, sizeof(*m));
	m->paths = xcalloc(n ? n : 1, sizeof(*m->paths));
	m->n = n;
	m->cap = 16;
	while (m->cap < n * 2)
		m->cap *= 2;
	m->table = xcalloc(m->cap, sizeof(*m->table));
	for (size_t i = 0; i < n; i++) {
		m->paths[i] = xstrdup(paths[i]);
		const char *base = base_name(m->paths[i]);
		struct bucket *b = find(m, base, strlen(base));
		if (!b->base)
			b->base = base;
		b->idx = xrealloc(b->idx, (b->n + 1) * sizeof(*b->idx));
		b->idx[b->n++] = (uint32_t)i;
	}
	return m;
}

void trace_map_free(trace_map *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n; i++)
		free(m->paths[i]);
	for (size_t i = 0; i < m->cap; i++)
		free(m->table[i].idx);
	free(m->paths);
	free(m->table);
	free(m);
}

size_t trace_map_size(const trace_map *m)
{
	return m->n;
}

struct walk {
	char **v;
	size_t n, alloc;
};

static int walk_cb(const char *root, const git_tree_entry *e, void *payload)
{
	struct walk *w = payload;
	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB)
		return 0;
	if (w->n == w->alloc)
		w->v = xrealloc(w->v, (w->alloc = w->alloc ? w->alloc * 2 : 256) * sizeof(*w->v));
	w->v[w->n++] = xasprintf("%s%s", root, git_tree_entry_name(e));
	return 0;
}

trace_map *trace_map_load(const char *repo_dir, const char *rev, char **err)
{
	git_libgit2_init();
	git_repository *repo = NULL;
	git_object *obj = NULL;
	git_tree *tree = NULL;
	struct walk w = { 0 };
	trace_map *m = NULL;
	const char *spec = rev ? rev : "HEAD";
	if (git_repository_open_ext(&repo, repo_dir, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0) {
		const git_error *e = git_error_last();
		*err = xasprintf("%s: not a git repository (%s)", repo_dir, e ? e->message : "?");
		goto out;
	}
	if (git_revparse_single(&obj, repo, spec) < 0 ||
	    git_object_peel((git_object **)&tree, obj, GIT_OBJECT_TREE) < 0) {
		*err = xasprintf("%s: no revision '%s' in this repository", repo_dir, spec);
		goto out;
	}
	if (git_tree_walk(tree, GIT_TREEWALK_PRE, walk_cb, &w) < 0) {
		const git_error *e = git_error_last();
		*err = xasprintf("%s: reading the tree of %s: %s", repo_dir, spec, e ? e->message : "?");
		goto out;
	}
	m = trace_map_new((const char *const *)w.v, w.n);
out:
	for (size_t i = 0; i < w.n; i++)
		free(w.v[i]);
	free(w.v);
	git_tree_free(tree);
	git_object_free(obj);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return m;
}

/* The frame's path as segments, and how many trailing segments must match. */
struct fpath {
	char *buf;
	const char *seg[256];
	size_t n;
	size_t min_match;
};

static bool seg_is(const char *s, const char *name)
{
	return strcmp(s, name) == 0;
}

static void fpath_build(struct fpath *p, const trace_frame *f)
{
	memset(p, 0, sizeof(*p));
	strbuf sb = STRBUF_INIT;
	strbuf_add(&sb, "", 0); /* never NULL, even for "?query" alone */
	const char *s = f->file;
	/* URLs: file:///C:/x, webpack:///./src/x, webpack://app/./src/x,
	 * webpack-internal:///./src/x, http://host:8080/static/x */
	const char *scheme = strstr(s, "://");
	if (scheme && scheme - s < 24 && !strchr(s, '\\')) {
		s = scheme + 3;
		if (*s != '/')
			s += strcspn(s, "/"); /* the host or the webpack project name */
	}
	strbuf_add(&sb, s, strcspn(s, "?#"));
	if (f->package && !strchr(sb.buf, '/') && !strchr(sb.buf, '\\')) {
		/* Java: com.acme.util + Strings.java -> com/acme/util/Strings.java */
		char *pkg = xstrdup(f->package);
		for (char *c = pkg; *c; c++)
			if (*c == '.')
				*c = '/';
		char *joined = xasprintf("%s/%s", pkg, sb.buf);
		strbuf_release(&sb);
		strbuf_addstr(&sb, joined);
		free(joined);
		free(pkg);
	}
	p->buf = strbuf_detach(&sb);
	for (char *c = p->buf; *c; c++)
		if (*c == '\\')
			*c = '/';
	bool lib = false;
	char *save = NULL; /* the worker and the UI may map at the same time */
	for (char *tok = strtok_r(p->buf, "/", &save); tok && p->n < 256;
	     tok = strtok_r(NULL, "/", &save)) {
		size_t tl = strlen(tok);
		if (tl == 0 || seg_is(tok, ".") || (tl == 2 && tok[1] == ':'))
			continue;
		if (seg_is(tok, "..")) {
			if (p->n)
				p->n--;
			continue;
		}
		char *at = strchr(tok, '@');
		if (at && at != tok && at[1] == 'v') {
			/* Go module cache: host/owner/repo@v1.2.3: the module root */
			*at = '\0';
			p->n = 0;
			lib = true;
			continue;
		}
		if (seg_is(tok, "site-packages") || seg_is(tok, "dist-packages") ||
		    seg_is(tok, "node_modules") || seg_is(tok, "gems")) {
			p->n = 0;
			lib = true;
			continue;
		}
		p->seg[p->n++] = tok;
	}
	/* an installed package must match from its top folder down; a gem's
	 * top folder is "name-1.2.3" and stays out of the match */
	if (lib && p->n > 1 && strchr(p->seg[0], '-') && strchr(p->seg[0], '.') &&
	    strstr(f->file, "gems"))
		memmove(p->seg, p->seg + 1, --p->n * sizeof(*p->seg));
	p->min_match = lib ? p->n : 1;
	if (!lib && trace_path_is_library(f->file))
		p->min_match = p->n < 2 ? p->n : 2;
}

/* Trailing segments of path that equal the frame's. */
static size_t suffix_match(const char *path, const struct fpath *p)
{
	size_t k = 0;
	const char *end = path + strlen(path);
	while (k < p->n) {
		const char *seg = p->seg[p->n - 1 - k];
		size_t sl = strlen(seg);
		const char *start = end;
		while (start > path && start[-1] != '/')
			start--;
		if ((size_t)(end - start) != sl || memcmp(start, seg, sl) != 0)
			break;
		k++;
		if (start == path)
			break;
		end = start - 1;
	}
	return k;
}

static bool vendored(const char *path)
{
	static const char *const dirs[] = {
		"vendor/", "third_party/", "third-party/", "node_modules/", "external/",
	};
	for (size_t i = 0; i < sizeof(dirs) / sizeof(*dirs); i++) {
		const char *h = strstr(path, dirs[i]);
		if (h && (h == path || h[-1] == '/'))
			return true;
	}
	return false;
}

void trace_map_frame(const trace_map *m, trace_frame *f)
{
	free(f->repo_path);
	f->repo_path = NULL;
	for (size_t i = 0; i < f->nties; i++)
		free(f->ties[i]);
	free(f->ties);
	f->ties = NULL;
	f->nties = 0;
	f->in_app = false;
	if (!f->file || !*f->file)
		return;
	struct fpath p;
	fpath_build(&p, f);
	if (p.n == 0 || p.min_match == 0) {
		free(p.buf);
		return;
	}
	const char *base = p.seg[p.n - 1];
	const struct bucket *b = find(m, base, strlen(base));
	size_t best = 0, nbest = 0;
	for (size_t i = 0; b->base && i < b->n; i++) {
		size_t k = suffix_match(m->paths[b->idx[i]], &p);
		if (k < p.min_match || k < best)
			continue;
		if (k > best) {
			best = k;
			nbest = 0;
		}
		nbest++;
	}
	if (nbest == 1) {
		for (size_t i = 0; i < b->n; i++)
			if (suffix_match(m->paths[b->idx[i]], &p) == best) {
				f->repo_path = xstrdup(m->paths[b->idx[i]]);
				break;
			}
		f->in_app = !vendored(f->repo_path);
	} else if (nbest > 1) {
		f->ties = xcalloc(nbest, sizeof(*f->ties));
		for (size_t i = 0; i < b->n; i++)
			if (suffix_match(m->paths[b->idx[i]], &p) == best)
				f->ties[f->nties++] = xstrdup(m->paths[b->idx[i]]);
		bool all_vendored = true;
		for (size_t i = 0; i < f->nties; i++)
			all_vendored = all_vendored && vendored(f->ties[i]);
		f->in_app = !all_vendored;
	}
	free(p.buf);
}

void trace_map_apply(const trace_map *m, trace *t)
{
	for (size_t b = 0; b < t->nexc; b++) {
		trace_exception *e = &t->exc[b];
		for (size_t i = 0; i < e->nframes; i++)
			trace_map_frame(m, &e->frames[i]);
		if (e->location)
			trace_map_frame(m, e->location);
	}
	trace_rank(t);
}
