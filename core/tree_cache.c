/* The last two commits' trees (tree_cache.h). */
#include "tree_cache.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

struct slot {
	git_tree *tree;   /* NULL: empty */
	uint64_t gen;     /* the last generation that asked for it */
};

struct tree_cache {
	git_repository *repo;
	struct slot *v;   /* open addressing by the id's first bytes */
	size_t cap, n;
	uint64_t gen;
};

tree_cache *tree_cache_new(git_repository *repo)
{
	tree_cache *c = xcalloc(1, sizeof(*c));
	c->repo = repo;
	c->cap = 256;
	c->v = xcalloc(c->cap, sizeof(*c->v));
	return c;
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
	while (c->v[i].tree && !git_oid_equal(git_tree_id(c->v[i].tree), id))
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
			*find(c, git_tree_id(old[i].tree)) = old[i];
	free(old);
}

int tree_cache_get(tree_cache *c, const git_oid *id, git_tree **out)
{
	struct slot *s = find(c, id);
	if (s->tree) {
		s->gen = c->gen;
		*out = s->tree;
		return 0;
	}
	git_tree *t;
	int rc = git_tree_lookup(&t, c->repo, id);
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

void tree_cache_next(tree_cache *c)
{
	c->gen++;
	size_t kept = 0;
	for (size_t i = 0; i < c->cap; i++) {
		if (!c->v[i].tree)
			continue;
		if (c->v[i].gen + 1 < c->gen) {
			git_tree_free(c->v[i].tree);
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
		git_tree_free(c->v[i].tree);
	free(c->v);
	free(c);
}
