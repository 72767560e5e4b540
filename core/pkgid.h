/* pkgid: which packages a repository publishes, and where their installed
 * copies live on a user's machine.
 *
 * A bug filed on a library's tracker shows the library as installed:
 * node_modules/koa/lib/application.js, site-packages/httpx/_client.py,
 * gems/rack-3.0.8/lib/rack/utils.rb, pkg/mod/github.com/labstack/echo/v4@v4.11.1/
 * context.go, vendor/guzzlehttp/guzzle/src/Client.php, .cargo/registry/src/
 * index.crates.io-.../serde_json-1.0.108/src/de.rs. The identity files of the
 * repository (package.json, pyproject.toml/setup.cfg/setup.py with package
 * folders, *.gemspec, go.mod, composer.json, Cargo.toml) name those packages,
 * so such a path can be turned back into the repository's own path. */
#ifndef MAHORAGA_PKGID_H
#define MAHORAGA_PKGID_H

#include <stdbool.h>
#include <stddef.h>

enum pkgid_kind { PKG_NPM, PKG_PYTHON, PKG_GEM, PKG_GO, PKG_COMPOSER, PKG_CRATE };

typedef struct pkgid {
	enum pkgid_kind kind;
	char *name; /* "koa", "@scope/x", "httpx", "rack", "github.com/o/r/v4", "vendor/pkg" */
	char *root; /* the package's folder in the repository: "", "packages/koa/", "src/httpx/" */
} pkgid;

typedef struct pkgids {
	pkgid *v;
	size_t n, alloc;
	bool python; /* a Python identity file was seen: package folders count */
} pkgids;

void pkgids_init(pkgids *ids);
void pkgids_free(pkgids *ids);

/* True when a repository path (a file, "packages/x/package.json") is an
 * identity file that pkgids_add_file reads. */
bool pkgids_is_identity_file(const char *path);

/* Read one identity file at path with its content; adds what it declares. A
 * file that does not parse adds nothing. */
void pkgids_add_file(pkgids *ids, const char *path, const char *content, size_t len);

/* A Python package folder ("src/httpx/" for "src/httpx/__init__.py") or a
 * top-level module ("six.py"): called for every such path of the tree. */
void pkgids_add_python_path(pkgids *ids, const char *path);

/* The repository path that an installed copy's path stands for, or NULL if it
 * is not under an install root of one of the packages. path uses '/'. The
 * result is to be freed and need not exist in the tree. */
char *pkgids_resolve(const pkgids *ids, const char *path);

/* The inverse: where an installed copy of the package holding the repository
 * path would be on a user's machine (".../site-packages/httpx/_client.py"), or
 * NULL if no package of the repository holds it. For replays of past bugs. */
char *pkgids_installed(const pkgids *ids, const char *path);

#endif
