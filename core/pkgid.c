/* Package identities from a repository's files (see pkgid.h). */
#include "pkgid.h"

#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

void pkgids_init(pkgids *ids)
{
	memset(ids, 0, sizeof(*ids));
}

void pkgids_free(pkgids *ids)
{
	for (size_t i = 0; i < ids->n; i++) {
		free(ids->v[i].name);
		free(ids->v[i].root);
	}
	free(ids->v);
	pkgids_init(ids);
}

static void add(pkgids *ids, enum pkgid_kind kind, const char *name, size_t nlen,
		const char *root, size_t rlen)
{
	if (nlen == 0 || nlen > 200)
		return;
	/* a name is printable and has no blank (the file may be anything) */
	for (size_t i = 0; i < nlen; i++)
		if ((unsigned char)name[i] <= ' ' || name[i] == 0x7f)
			return;
	for (size_t i = 0; i < rlen; i++)
		if (root[i] == '\0')
			return;
	for (size_t i = 0; i < ids->n; i++)
		if (ids->v[i].kind == kind && strlen(ids->v[i].name) == nlen &&
		    memcmp(ids->v[i].name, name, nlen) == 0 && strlen(ids->v[i].root) == rlen &&
		    memcmp(ids->v[i].root, root, rlen) == 0)
			return;
	XGROW(ids->v, ids->n, ids->alloc);
	ids->v[ids->n].kind = kind;
	ids->v[ids->n].name = xstrndup(name, nlen);
	ids->v[ids->n].root = xstrndup(root, rlen);
	ids->n++;
}

static const char *base_of(const char *path)
{
	const char *b = strrchr(path, '/');
	return b ? b + 1 : path;
}

bool pkgids_is_identity_file(const char *path)
{
	static const char *const names[] = {
		"package.json", "pyproject.toml", "setup.cfg", "setup.py", "go.mod",
		"composer.json", "Cargo.toml",
	};
	const char *b = base_of(path);
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (strcmp(b, names[i]) == 0)
			return true;
	size_t n = strlen(b);
	return n > 8 && strcmp(b + n - 8, ".gemspec") == 0;
}

/* The "name" string of a JSON object (package.json, composer.json). */
static bool json_name(const char *content, size_t len, const char **out, json_t **root)
{
	*root = json_loadb(content, len, JSON_DISABLE_EOF_CHECK, NULL);
	if (!*root)
		return false;
	json_t *name = json_is_object(*root) ? json_object_get(*root, "name") : NULL;
	*out = json_is_string(name) ? json_string_value(name) : NULL;
	return *out != NULL;
}

/* `key = "value"` in the [section] of a TOML file (enough for Cargo.toml's
 * [package] name and pyproject's [project] name). */
static bool toml_value(const char *s, size_t len, const char *section, const char *key,
		       const char **v, size_t *vlen)
{
	const char *end = s + len;
	bool in = false;
	for (const char *line = s; line < end;) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		const char *e = nl ? nl : end;
		const char *p = line;
		while (p < e && (*p == ' ' || *p == '\t'))
			p++;
		if (p < e && *p == '[') {
			size_t sl = strlen(section);
			in = (size_t)(e - p) >= sl + 2 && memcmp(p + 1, section, sl) == 0 && p[sl + 1] == ']';
		} else if (in && (size_t)(e - p) > strlen(key) && memcmp(p, key, strlen(key)) == 0) {
			const char *q = p + strlen(key);
			while (q < e && (*q == ' ' || *q == '\t'))
				q++;
			if (q < e && *q == '=') {
				q++;
				while (q < e && (*q == ' ' || *q == '\t'))
					q++;
				if (q < e && (*q == '"' || *q == '\'')) {
					const char *close = memchr(q + 1, *q, (size_t)(e - q - 1));
					if (close) {
						*v = q + 1;
						*vlen = (size_t)(close - q - 1);
						return true;
					}
				}
			}
		}
		line = nl ? nl + 1 : end;
	}
	return false;
}

/* `spec.name = "rack"` or `s.name = 'rack'` in a gemspec. */
static bool gemspec_name(const char *s, size_t len, const char **v, size_t *vlen)
{
	const char *end = s + len;
	for (const char *p = s; p + 6 < end; p++) {
		if (memcmp(p, ".name", 5) != 0 || !(p[5] == ' ' || p[5] == '='))
			continue;
		const char *q = p + 5;
		while (q < end && *q == ' ')
			q++;
		if (q >= end || *q != '=' || (q + 1 < end && q[1] == '='))
			continue;
		q++;
		while (q < end && *q == ' ')
			q++;
		if (q < end && (*q == '"' || *q == '\'')) {
			const char *close = memchr(q + 1, *q, (size_t)(end - q - 1));
			if (close && memchr(q + 1, '\n', (size_t)(close - q - 1)) == NULL) {
				*v = q + 1;
				*vlen = (size_t)(close - q - 1);
				return true;
			}
		}
	}
	return false;
}

/* `module github.com/o/r/v4` in go.mod. */
static bool gomod_module(const char *s, size_t len, const char **v, size_t *vlen)
{
	const char *end = s + len;
	for (const char *line = s; line < end;) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		const char *e = nl ? nl : end;
		while (line < e && (*line == ' ' || *line == '\t'))
			line++;
		if (e - line > 7 && memcmp(line, "module ", 7) == 0) {
			const char *q = line + 7;
			while (q < e && (*q == ' ' || *q == '"'))
				q++;
			const char *r = q;
			while (r < e && !isspace((unsigned char)*r) && *r != '"')
				r++;
			*v = q;
			*vlen = (size_t)(r - q);
			return r > q;
		}
		line = nl ? nl + 1 : end;
	}
	return false;
}

void pkgids_add_file(pkgids *ids, const char *path, const char *content, size_t len)
{
	const char *b = base_of(path);
	size_t rlen = (size_t)(b - path);
	const char *v = NULL;
	size_t vlen = 0;
	if (strcmp(b, "package.json") == 0 || strcmp(b, "composer.json") == 0) {
		json_t *root = NULL;
		const char *name;
		if (json_name(content, len, &name, &root))
			add(ids, b[0] == 'p' ? PKG_NPM : PKG_COMPOSER, name, strlen(name), path, rlen);
		json_decref(root);
	} else if (strcmp(b, "Cargo.toml") == 0) {
		if (toml_value(content, len, "package", "name", &v, &vlen))
			add(ids, PKG_CRATE, v, vlen, path, rlen);
	} else if (strcmp(b, "go.mod") == 0) {
		if (gomod_module(content, len, &v, &vlen))
			add(ids, PKG_GO, v, vlen, path, rlen);
	} else if (strcmp(b, "pyproject.toml") == 0 || strcmp(b, "setup.cfg") == 0 ||
		   strcmp(b, "setup.py") == 0) {
		ids->python = true;
	} else if (gemspec_name(content, len, &v, &vlen)) {
		add(ids, PKG_GEM, v, vlen, path, rlen);
	}
}

void pkgids_add_python_path(pkgids *ids, const char *path)
{
	/* "httpx/__init__.py" or "src/httpx/__init__.py": the package folder */
	const char *b = base_of(path);
	if (strcmp(b, "__init__.py") == 0 && b > path) {
		const char *dir_end = b - 1;
		const char *dir = dir_end;
		while (dir > path && dir[-1] != '/')
			dir--;
		size_t depth = 0;
		for (const char *p = path; p < dir; p++)
			depth += *p == '/';
		bool top = depth == 0 || (depth == 1 && (strncmp(path, "src/", 4) == 0 ||
							 strncmp(path, "lib/", 4) == 0));
		if (top)
			add(ids, PKG_PYTHON, dir, (size_t)(dir_end - dir), path, (size_t)(b - path));
		return;
	}
	/* a single-module distribution: "six.py" at the top */
	size_t n = strlen(path);
	if (!strchr(path, '/') && n > 3 && strcmp(path + n - 3, ".py") == 0 &&
	    strcmp(path, "setup.py") != 0 && strcmp(path, "conftest.py") != 0)
		add(ids, PKG_PYTHON, path, n, "", 0);
}

/* The segment of path that starts at p, as a length. */
static size_t seg_len(const char *p)
{
	return strcspn(p, "/");
}

/* Finds "/<marker>/" (or the path starting with "<marker>/") and returns what
 * follows it; the last occurrence, for nested node_modules. */
static const char *after_marker(const char *path, const char *marker)
{
	const char *found = NULL;
	size_t ml = strlen(marker);
	for (const char *p = path; (p = strstr(p, marker)); p++)
		if ((p == path || p[-1] == '/') && p[ml] == '/')
			found = p + ml + 1;
	return found;
}

static char *join(const char *root, const char *rest)
{
	return xasprintf("%s%s", root, rest);
}

/* "name-1.2.3" for name: the version starts with a digit. */
static bool name_version(const char *seg, size_t sl, const char *name)
{
	size_t nl = strlen(name);
	return sl > nl + 1 && memcmp(seg, name, nl) == 0 && seg[nl] == '-' &&
	       isdigit((unsigned char)seg[nl + 1]);
}

/* The Go module cache writes capitals as "!x": "github.com/!burnt!sushi". */
static bool gomod_equal(const char *cache, size_t n, const char *module)
{
	size_t j = 0;
	for (size_t i = 0; i < n; i++, j++) {
		char c = cache[i];
		if (c == '!' && i + 1 < n)
			c = (char)toupper((unsigned char)cache[++i]);
		if (module[j] != c)
			return false;
	}
	return module[j] == '\0';
}

/* A module path without its major version suffix: "github.com/o/r/v4" -> ".../r". */
static size_t without_major(const char *module)
{
	size_t n = strlen(module);
	const char *slash = strrchr(module, '/');
	if (slash && slash[1] == 'v' && isdigit((unsigned char)slash[2]) &&
	    strspn(slash + 2, "0123456789") == strlen(slash + 2))
		return (size_t)(slash - module);
	return n;
}

/* "<marker>/<the package's name>/rest" (npm's node_modules/@scope/name,
 * composer's vendor/owner/name): the repository path of rest. */
static char *named_under(const pkgid *id, const char *path, const char *marker)
{
	const char *rest = after_marker(path, marker);
	size_t nl = strlen(id->name);
	if (rest && strncmp(rest, id->name, nl) == 0 && rest[nl] == '/')
		return join(id->root, rest + nl + 1);
	return NULL;
}

static char *resolve_one(const pkgid *id, const char *path)
{
	const char *rest;
	switch (id->kind) {
	case PKG_NPM:
		return named_under(id, path, "node_modules");
	case PKG_PYTHON: {
		const char *markers[] = { "site-packages", "dist-packages" };
		for (size_t m = 0; m < 2; m++) {
			rest = after_marker(path, markers[m]);
			if (!rest)
				continue;
			size_t sl = seg_len(rest), nl = strlen(id->name);
			if (sl != nl || memcmp(rest, id->name, nl) != 0)
				continue;
			if (!rest[sl]) /* a top-level module: "six.py" */
				return join(id->root, id->name);
			return join(id->root, rest + sl + 1);
		}
		return NULL;
	}
	case PKG_GEM: {
		/* "gems/rack-3.0.8/lib/rack/utils.rb" */
		for (const char *p = path; (p = strstr(p, "gems/")); p++) {
			if (p != path && p[-1] != '/')
				continue;
			const char *seg = p + 5;
			size_t sl = seg_len(seg);
			if (seg[sl] == '/' && name_version(seg, sl, id->name))
				return join(id->root, seg + sl + 1);
		}
		/* better_errors: "(gem) rack-1.4.5/lib/rack/etag.rb" */
		if (strncmp(path, "(gem) ", 6) == 0) {
			size_t sl = seg_len(path + 6);
			if (path[6 + sl] == '/' && name_version(path + 6, sl, id->name))
				return join(id->root, path + 6 + sl + 1);
		}
		/* Rails' backtrace cleaner: "rack (3.0.8) lib/rack/utils.rb" */
		size_t nl = strlen(id->name);
		if (strncmp(path, id->name, nl) == 0 && path[nl] == ' ' && path[nl + 1] == '(') {
			const char *close = strstr(path + nl, ") ");
			if (close)
				return join(id->root, close + 2);
		}
		return NULL;
	}
	case PKG_GO: {
		/* the module cache: ".../github.com/o/r/v4@v4.11.1/context.go" */
		for (const char *at = path; (at = strstr(at, "@v")); at++) {
			const char *start = at;
			while (start > path && start[-1] != '/')
				start--;
			/* the module path ends at "@", and starts some segments before */
			for (const char *s = start; s >= path; s--) {
				if (s != path && s[-1] != '/')
					continue;
				if (gomod_equal(s, (size_t)(at - s), id->name)) {
					const char *r = strchr(at, '/');
					return r ? join(id->root, r + 1) : NULL;
				}
				if (s == path)
					break;
			}
		}
		/* GOPATH: ".../src/github.com/o/r/context.go" */
		size_t ml = without_major(id->name);
		for (const char *p = path; *p; p++) {
			if ((p == path || p[-1] == '/') && strncmp(p, id->name, ml) == 0 &&
			    p[ml] == '/')
				return join(id->root, p + ml + 1);
		}
		return NULL;
	}
	case PKG_COMPOSER:
		return named_under(id, path, "vendor");
	case PKG_CRATE: {
		/* ".cargo/registry/src/index.crates.io-6f17d22bba15001f/serde_json-1.0.108/src/de.rs" */
		if (!strstr(path, "registry/src/") && !strstr(path, ".cargo/") && !strstr(path, "cargo/"))
			return NULL;
		for (const char *p = path; *p; p += seg_len(p) + (p[seg_len(p)] ? 1 : 0)) {
			size_t sl = seg_len(p);
			if (p[sl] == '/' && name_version(p, sl, id->name))
				return join(id->root, p + sl + 1);
			if (!p[sl])
				break;
		}
		return NULL;
	}
	}
	return NULL;
}

char *pkgids_resolve(const pkgids *ids, const char *path)
{
	for (size_t i = 0; i < ids->n; i++) {
		if (ids->v[i].kind == PKG_PYTHON && !ids->python)
			continue;
		char *r = resolve_one(&ids->v[i], path);
		if (r && *r)
			return r;
		free(r);
	}
	return NULL;
}

char *pkgids_installed(const pkgids *ids, const char *path)
{
	const pkgid *best = NULL;
	for (size_t i = 0; i < ids->n; i++) {
		const pkgid *id = &ids->v[i];
		if (id->kind == PKG_PYTHON && !ids->python)
			continue;
		size_t rl = strlen(id->root);
		if (strncmp(path, id->root, rl) != 0 || !path[rl])
			continue;
		if (!best || rl > strlen(best->root))
			best = id;
	}
	if (!best)
		return NULL;
	const char *rest = path + strlen(best->root);
	switch (best->kind) {
	case PKG_NPM:
		return xasprintf("/home/app/node_modules/%s/%s", best->name, rest);
	case PKG_PYTHON:
		return xasprintf("/usr/local/lib/python3.11/site-packages/%s/%s", best->name, rest);
	case PKG_GEM:
		return xasprintf("/usr/local/bundle/gems/%s-1.0.0/%s", best->name, rest);
	case PKG_GO: {
		/* a major version suffix ("/v4") is also the version's major */
		const char *v = strrchr(best->name, '/');
		bool major = v && v[1] == 'v' && v[2] >= '2' && v[2] <= '9';
		return xasprintf("/root/go/pkg/mod/%s@v%s.0.0/%s", best->name, major ? v + 2 : "1", rest);
	}
	case PKG_COMPOSER:
		return xasprintf("/var/www/html/vendor/%s/%s", best->name, rest);
	case PKG_CRATE:
		return xasprintf("/root/.cargo/registry/src/index.crates.io-6f17d22bba15001f/%s-1.0.0/%s",
				 best->name, rest);
	}
	return NULL;
}
