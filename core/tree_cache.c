/* The last two commits' trees (tree_cache.h). */
#include "tree_cache.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <git2/sys/repository.h>

#include "xalloc.h"

/* libgit2 (1.5) keeps the base of every delta chain it reads, up to 16 MiB
 * per pack, until the pack is closed, and has no setting for it. On a small
 * history that cache was a third of the build's peak memory (22.5 MiB against
 * git log's 18 at 3,000 commits). Letting the repository close its object
 * database after every 4 MiB of trees and blobs read empties it (and unmaps
 * the pack), for the first 32 MiB; past that the history's own tables outgrow
 * the cache, and each reopening costs a few milliseconds of reading chains
 * again. */
#define FLUSH_BYTES (4u << 20)
#define FLUSHES 8

struct slot {
	raw_tree *tree;   /* NULL: empty */
	uint64_t gen;     /* the last generation that asked for it */
};

struct tree_cache {
	git_repository *repo;
	git_odb *odb;     /* the repository's, once asked */
	struct slot *v;   /* open addressing by the id's first bytes */
	size_t cap, n;
	uint64_t gen;
	size_t read;      /* bytes read since the object database opened */
	unsigned flushes;
};

tree_cache *tree_cache_new(git_repository *repo)
{
	tree_cache *c = xcalloc(1, sizeof(*c));
	c->repo = repo;
	c->cap = 256;
	c->v = xcalloc(c->cap, sizeof(*c->v));
	return c;
}

static void raw_tree_free(raw_tree *t)
{
	if (!t)
		return;
	git_odb_object_free(t->obj);
	free(t->e);
	free(t);
}

int raw_entry_cmp(const raw_entry *a, const raw_entry *b)
{
	uint32_t n = a->namelen < b->namelen ? a->namelen : b->namelen;
	int c = memcmp(a->name, b->name, n);
	if (c)
		return c;
	unsigned char ca = n < a->namelen ? (unsigned char)a->name[n] : (a->mode & 0170000) == 0040000 ? '/' : 0;
	unsigned char cb = n < b->namelen ? (unsigned char)b->name[n] : (b->mode & 0170000) == 0040000 ? '/' : 0;
	return (int)ca - (int)cb;
}

/* Split len bytes of a tree object into its entries ("<octal mode> <name>\0
 * <id>" each); false when they are not a tree. */
static bool parse_tree(raw_tree *t)
{
	size_t alloc = 0;
	const unsigned char *p = git_odb_object_data(t->obj), *end = p + git_odb_object_size(t->obj);
	while (p < end) {
		uint32_t mode = 0;
		while (p < end && *p >= '0' && *p <= '7')
			mode = (mode << 3) | (uint32_t)(*p++ - '0');
		if (p >= end || *p++ != ' ')
			return false;
		const unsigned char *name = p;
		p = memchr(p, '\0', (size_t)(end - p));
		if (!p || p == name || (size_t)(end - p) < 1 + GIT_OID_RAWSZ)
			return false;
		XGROW(t->e, t->n, alloc);
		t->e[t->n++] = (raw_entry){ (const char *)name, (uint32_t)(p - name), mode, p + 1 };
		p += 1 + GIT_OID_RAWSZ;
	}
	return true;
}

/* The object database, opened when first asked (and again after a
 * reopening); 0 or a libgit2 error. */
static int open_odb(tree_cache *c)
{
	return c->odb ? 0 : git_repository_odb(&c->odb, c->repo);
}

git_odb *tree_cache_odb(tree_cache *c)
{
	if (open_odb(c) < 0) {
		git_error_clear();
		c->odb = NULL;
	}
	return c->odb;
}

int tree_cache_read(tree_cache *c, const git_oid *id, git_odb_object **out)
{
	int rc = open_odb(c);
	if (rc == 0 && (rc = git_odb_read(out, c->odb, id)) == 0)
		c->read += git_odb_object_size(*out);
	return rc;
}

/* Read tree id raw from the object database and split it. */
static int read_tree(tree_cache *c, const git_oid *id, raw_tree **out)
{
	git_odb_object *o = NULL;
	int rc = tree_cache_read(c, id, &o);
	if (rc < 0)
		return rc;
	raw_tree *t = xcalloc(1, sizeof(*t));
	t->id = *id;
	t->obj = o;
	bool tree = git_odb_object_type(o) == GIT_OBJECT_TREE;
	if (!tree || !parse_tree(t)) {
		char hex[GIT_OID_HEXSZ + 1];
		git_oid_tostr(hex, sizeof(hex), id);
		char *why = xasprintf("%s is not a tree that can be read", hex);
		git_error_set_str(GIT_ERROR_OBJECT, why);
		free(why);
		raw_tree_free(t);
		return GIT_ERROR;
	}
	*out = t;
	return 0;
}

static size_t home(const tree_cache *c, const git_oid *id)
{
	uint64_t h;
	memcpy(&h, id->id, sizeof(h));
	return (size_t)h & (c->cap - 1);
}

static struct slot *find(tree_cache *c, const git_oid *id)
{
	size_t i = home(c, id);
	while (c->v[i].tree && !git_oid_equal(&c->v[i].tree->id, id))
		i = (i + 1) & (c->cap - 1);
	return &c->v[i];
}

/* Put every kept slot back where find looks for it, in a table of cap slots. */
static void rehash(tree_cache *c, size_t cap)
{
	struct slot *old = c->v;
	size_t oldcap = c->cap;
	c->v = xcalloc(cap, sizeof(*c->v));
	c->cap = cap;
	for (size_t i = 0; i < oldcap; i++)
		if (old[i].tree)
			*find(c, &old[i].tree->id) = old[i];
	free(old);
}

int tree_cache_get(tree_cache *c, const git_oid *id, const raw_tree **out)
{
	struct slot *s = find(c, id);
	if (s->tree) {
		s->gen = c->gen;
		*out = s->tree;
		return 0;
	}
	raw_tree *t;
	int rc = read_tree(c, id, &t);
	if (rc < 0)
		return rc;
	if ((c->n + 1) * 2 > c->cap) {
		rehash(c, c->cap * 2);
		s = find(c, id);
	}
	s->tree = t;
	s->gen = c->gen;
	c->n++;
	*out = t;
	return 0;
}

/* Close the object database, and with it libgit2's pack caches; the
 * repository opens it again when next asked. The trees kept stay valid: each
 * holds its own reference to the object read. */
static void flush_odb(tree_cache *c)
{
	git_odb_free(c->odb);
	c->odb = NULL;
	git_repository__cleanup(c->repo);
	c->read = 0;
	c->flushes++;
}

void tree_cache_next(tree_cache *c)
{
	if (c->read >= FLUSH_BYTES && c->flushes < FLUSHES)
		flush_odb(c);
	c->gen++;
	size_t kept = 0;
	for (size_t i = 0; i < c->cap; i++) {
		if (!c->v[i].tree)
			continue;
		if (c->v[i].gen + 1 < c->gen) {
			raw_tree_free(c->v[i].tree);
			c->v[i].tree = NULL;
		} else {
			kept++;
		}
	}
	bool removed = kept < c->n;
	c->n = kept;
	/* removing breaks the probe chains: place the survivors again */
	if (removed)
		rehash(c, c->cap > 256 && kept * 8 < c->cap ? c->cap / 2 : c->cap);
}

void tree_cache_free(tree_cache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->cap; i++)
		raw_tree_free(c->v[i].tree);
	free(c->v);
	git_odb_free(c->odb);
	free(c);
}
