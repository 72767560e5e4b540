/* Frames to repository paths by longest path suffix (see trace_map.h). */
#include "trace_map.h"

#include <ctype.h>
#include <git2.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "default_rev.h"
#include "pkgid.h"
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
	pkgids ids;           /* the packages the repository publishes */
	struct identity *idf; /* the identity files read, kept for trace_map_pack */
	size_t nidf;
};

struct identity {
	char *path;
	char *content;
	size_t len;
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
	pkgids_init(&m->ids);
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
	pkgids_free(&m->ids);
	for (size_t i = 0; i < m->nidf; i++) {
		free(m->idf[i].path);
		free(m->idf[i].content);
	}
	free(m->idf);
	free(m);
}

void trace_map_add_identity(trace_map *m, const char *path, const char *content, size_t len)
{
	pkgids_add_file(&m->ids, path, content, len);
	m->idf = xrealloc(m->idf, (m->nidf + 1) * sizeof(*m->idf));
	struct identity *id = &m->idf[m->nidf++];
	id->path = xstrdup(path);
	id->content = xmalloc(len + 1);
	memcpy(id->content, content, len);
	id->content[len] = '\0';
	id->len = len;
}

/* Python's package folders near the top: what the paths alone say. */
static void add_python_paths(trace_map *m)
{
	for (size_t i = 0; i < m->n; i++) {
		size_t depth = 0;
		for (const char *p = m->paths[i]; *p; p++)
			depth += *p == '/';
		if (depth <= 2)
			pkgids_add_python_path(&m->ids, m->paths[i]);
	}
}

/* The package identity files near the top of the tree (the root, and one or
 * two folders down for monorepos: "packages/koa/package.json"), and Python's
 * package folders. */
static void load_identities(trace_map *m, git_repository *repo, git_tree *tree)
{
	add_python_paths(m);
	size_t read = 0;
	for (size_t i = 0; i < m->n && read < 256; i++) {
		const char *path = m->paths[i];
		size_t depth = 0;
		for (const char *p = path; *p; p++)
			depth += *p == '/';
		if (depth > 2 || !pkgids_is_identity_file(path))
			continue;
		git_tree_entry *e = NULL;
		git_blob *blob = NULL;
		if (git_tree_entry_bypath(&e, tree, path) == 0 &&
		    git_blob_lookup(&blob, repo, git_tree_entry_id(e)) == 0 &&
		    git_blob_rawsize(blob) < 1024 * 1024) {
			trace_map_add_identity(m, path, git_blob_rawcontent(blob),
					       (size_t)git_blob_rawsize(blob));
			read++;
		}
		git_blob_free(blob);
		git_tree_entry_free(e);
	}
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

trace_map *trace_map_from_tree(git_repository *repo, git_tree *tree, char **err)
{
	struct walk w = { 0 };
	trace_map *m = NULL;
	if (git_tree_walk(tree, GIT_TREEWALK_PRE, walk_cb, &w) < 0) {
		const git_error *e = git_error_last();
		*err = xasprintf("reading the tree: %s", e ? e->message : "?");
	} else {
		m = trace_map_new((const char *const *)w.v, w.n);
		load_identities(m, repo, tree);
	}
	for (size_t i = 0; i < w.n; i++)
		free(w.v[i]);
	free(w.v);
	return m;
}

trace_map *trace_map_load(const char *repo_dir, const char *rev, char **err)
{
	git_libgit2_init();
	git_repository *repo = NULL;
	git_object *obj = NULL;
	git_tree *tree = NULL;
	trace_map *m = NULL;
	char *dflt = NULL;
	const char *spec = rev;
	if (git_repository_open_ext(&repo, repo_dir, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0) {
		const git_error *e = git_error_last();
		*err = xasprintf("%s: not a git repository (%s)", repo_dir, e ? e->message : "?");
		goto out;
	}
	if (!spec)
		spec = dflt = default_rev(repo);
	if (git_revparse_single(&obj, repo, spec) < 0 ||
	    git_object_peel((git_object **)&tree, obj, GIT_OBJECT_TREE) < 0) {
		*err = xasprintf("%s: no revision '%s' in this repository", repo_dir, spec);
		goto out;
	}
	char *e = NULL;
	if (!(m = trace_map_from_tree(repo, tree, &e))) {
		*err = xasprintf("%s: %s of %s", repo_dir, e, spec);
		free(e);
	}
out:
	free(dflt);
	git_tree_free(tree);
	git_object_free(obj);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return m;
}

/* Packed: "MTM1", the path count and the identity-file count (8 bytes each,
 * little-endian), the paths NUL-terminated, then per identity file its path
 * NUL-terminated, its length (8 bytes) and its bytes. */
void trace_map_pack(const trace_map *m, strbuf *out)
{
	strbuf_add(out, "MTM1", 4);
	bytes_put_u64(out, m->n);
	bytes_put_u64(out, m->nidf);
	for (size_t i = 0; i < m->n; i++)
		bytes_put_str(out, m->paths[i]);
	for (size_t i = 0; i < m->nidf; i++) {
		bytes_put_str(out, m->idf[i].path);
		bytes_put_u64(out, m->idf[i].len);
		strbuf_add(out, m->idf[i].content, m->idf[i].len);
	}
}

trace_map *trace_map_unpack(const void *data, size_t len)
{
	bytes_reader r;
	bytes_reader_init(&r, data, len);
	const unsigned char *magic = bytes_take(&r, 4);
	if (!magic || memcmp(magic, "MTM1", 4) != 0)
		return NULL;
	uint64_t n = bytes_u64(&r), nidf = bytes_u64(&r);
	/* every count is bounded by the bytes left, before anything is allocated */
	if (!r.ok || n > bytes_left(&r) || nidf > bytes_left(&r) / 9)
		return NULL;
	const char **paths = xcalloc(n ? (size_t)n : 1, sizeof(*paths));
	for (size_t i = 0; i < n; i++)
		if (!(paths[i] = bytes_str(&r))) {
			free(paths);
			return NULL;
		}
	trace_map *m = trace_map_new(paths, (size_t)n);
	free(paths);
	add_python_paths(m);
	for (size_t i = 0; i < nidf; i++) {
		const char *path = bytes_str(&r);
		uint64_t flen = bytes_u64(&r);
		const unsigned char *content = r.ok && flen <= bytes_left(&r) ? bytes_take(&r, flen) : NULL;
		if (!path || !content) {
			trace_map_free(m);
			return NULL;
		}
		trace_map_add_identity(m, path, (const char *)content, (size_t)flen);
	}
	if (bytes_left(&r) != 0) {
		trace_map_free(m);
		return NULL;
	}
	return m;
}

/* Install roots of runtimes and toolchains: the standard library, GOROOT, the
 * JDK, the Rust toolchain, system headers and libraries. Matched on the
 * lower-cased path with '/' separators. */
static bool runtime_path(const char *file)
{
	static const char *const roots[] = {
		"/lib/python", "<frozen", "/python3", "/python2", "/rustc/", "/.rustup/",
		"/go/src/", "/usr/local/go/", "/usr/lib/go", "/hostedtoolcache/go/", "/goroot/",
		"/share/go/src/", "/jdk/", "/jre/", "/usr/include/", "/usr/lib/",
		"/lib/x86_64-linux-gnu/", "/lib64/", "/usr/src/debug/", "/lib/ruby/",
		"/microsoft.net/", "/dotnet/shared/", "../sysdeps/", "../csu/", "node:",
		"internal/modules/", "internal/process/", "internal/bootstrap/",
	};
	char *p = xstrdup(file);
	for (char *c = p; *c; c++)
		*c = *c == '\\' ? '/' : (char)tolower((unsigned char)*c);
	bool hit = false;
	for (size_t i = 0; !hit && i < sizeof(roots) / sizeof(*roots); i++) {
		const char *h = strstr(p, roots[i]);
		/* "/go/src/github.com/me/app" is a GOPATH, not GOROOT */
		hit = h && !(strcmp(roots[i], "/go/src/") == 0 && strchr(h + 8, '.') &&
			     memchr(h + 8, '.', strcspn(h + 8, "/")));
		if (hit && (strcmp(roots[i], "internal/modules/") == 0 ||
			    strcmp(roots[i], "internal/process/") == 0 ||
			    strcmp(roots[i], "internal/bootstrap/") == 0))
			hit = h == p || h[-1] == ':';
	}
	free(p);
	return hit;
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
	/* a runtime's own file is never a project file of the same name:
	 * /usr/lib/python3.12/json/__init__.py is not src/app/json/__init__.py */
	if (!lib && runtime_path(f->file))
		p->min_match = p->n + 1;
	else if (!lib && trace_path_is_library(f->file))
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

/* 1 when all of the frame's k matched segments are the whole of path: a
 * relative frame path that names a file of the tree exactly. */
static size_t exact_match(const char *path, const struct fpath *p, size_t k)
{
	if (k != p->n)
		return 0;
	size_t segs = 1;
	for (const char *c = path; *c; c++)
		segs += *c == '/';
	return segs == k;
}

/* Whether the tree holds exactly this path. */
static bool has_path(const trace_map *m, const char *path)
{
	const char *base = base_name(path);
	const struct bucket *b = find(m, base, strlen(base));
	for (size_t i = 0; b->base && i < b->n; i++)
		if (strcmp(m->paths[b->idx[i]], path) == 0)
			return true;
	return false;
}

/* The frame's file normalized ('/' separators, no URL scheme, query, ".",
 * "..", drive letter), mapped through the repository's package identities to
 * a path of the tree; NULL if it is not an installed copy of them. */
static char *own_package_path(const trace_map *m, const char *file)
{
	if (m->ids.n == 0)
		return NULL;
	const char *s = file;
	const char *scheme = strstr(s, "://");
	if (scheme && scheme - s < 24 && !strchr(s, '\\'))
		s = scheme + 3;
	char *buf = xstrndup(s, strcspn(s, "?#"));
	for (char *c = buf; *c; c++)
		if (*c == '\\')
			*c = '/';
	strbuf sb = STRBUF_INIT;
	strbuf_add(&sb, "", 0);
	char *save = NULL;
	for (char *tok = strtok_r(buf, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
		if (strcmp(tok, ".") == 0 || (strlen(tok) == 2 && tok[1] == ':'))
			continue;
		if (strcmp(tok, "..") == 0) {
			char *last = strrchr(sb.buf, '/');
			sb.len = last ? (size_t)(last - sb.buf) : 0;
			sb.buf[sb.len] = '\0';
			continue;
		}
		if (sb.len)
			strbuf_addch(&sb, '/');
		strbuf_addstr(&sb, tok);
	}
	free(buf);
	char *r = pkgids_resolve(&m->ids, sb.buf);
	strbuf_release(&sb);
	if (r && !has_path(m, r)) {
		free(r);
		r = NULL;
	}
	return r;
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
	/* an installed copy of the repository's own package */
	char *own = own_package_path(m, f->file);
	if (own) {
		f->repo_path = own;
		f->in_app = !vendored(own);
		return;
	}
	struct fpath p;
	fpath_build(&p, f);
	if (p.n == 0 || p.min_match == 0 || p.min_match > p.n) {
		free(p.buf);
		return;
	}
	const char *base = p.seg[p.n - 1];
	const struct bucket *b = find(m, base, strlen(base));
	/* score: matched segments, and a whole-path match ("diff.c" is diff.c,
	 * not builtin/diff.c) above any suffix of the same length */
	size_t best = 0, nbest = 0;
	for (size_t i = 0; b->base && i < b->n; i++) {
		size_t k = suffix_match(m->paths[b->idx[i]], &p);
		if (k < p.min_match)
			continue;
		k = k * 2 + exact_match(m->paths[b->idx[i]], &p, k);
		if (k < best)
			continue;
		if (k > best) {
			best = k;
			nbest = 0;
		}
		nbest++;
	}
	if (nbest == 1) {
		for (size_t i = 0; i < b->n; i++) {
			size_t k = suffix_match(m->paths[b->idx[i]], &p);
			if (k * 2 + exact_match(m->paths[b->idx[i]], &p, k) == best) {
				f->repo_path = xstrdup(m->paths[b->idx[i]]);
				break;
			}
		}
		f->in_app = !vendored(f->repo_path);
	} else if (nbest > 1) {
		f->ties = xcalloc(nbest, sizeof(*f->ties));
		for (size_t i = 0; i < b->n; i++) {
			size_t k = suffix_match(m->paths[b->idx[i]], &p);
			if (k * 2 + exact_match(m->paths[b->idx[i]], &p, k) == best)
				f->ties[f->nties++] = xstrdup(m->paths[b->idx[i]]);
		}
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

char *trace_map_installed(const trace_map *m, const char *path)
{
	return pkgids_installed(&m->ids, path);
}
