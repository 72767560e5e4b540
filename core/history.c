/* The history index: one walk, incremental updates, "as of" views (history.h). */
#include "history.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "default_rev.h"
#include "rename_find.h"
#include "strbuf.h"
#include "tree_cache.h"
#include "xalloc.h"

/* --- small hash maps: string -> index, oid -> index --- */

struct smap {
	uint32_t *slot;  /* index + 1, 0 for empty */
	size_t cap;
};

struct history_maps {
	struct smap emails;     /* into authors */
	char **email_v;         /* the authors' emails, for emails */
	size_t email_alloc;
	struct smap paths;      /* into paths */
	uint32_t *oid_slot;     /* into commits, index + 1 */
	size_t oid_cap;
	int64_t *path_file;     /* path index -> file id now; -1 if none, GONE(f)
				 * if file f was deleted there */
	size_t path_file_alloc;
	uint32_t **path_files;  /* path index -> every file that had this path */
	size_t *path_nfiles;
	size_t path_files_n;    /* how many paths path_files covers (built lazily) */
};

/* path_file's mark of a file deleted at a path, and back: its own inverse */
#define GONE(f) (-(int64_t)(f) - 2)

static uint64_t str_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

static uint64_t oid_hash(const git_oid *o)
{
	uint64_t h;
	memcpy(&h, o->id, sizeof(h));
	return h;
}

/* Find s in m over the strings v; returns the slot. */
static uint32_t *smap_find(struct smap *m, char **v, const char *s)
{
	size_t i = str_hash(s) & (m->cap - 1);
	while (m->slot[i] && strcmp(v[m->slot[i] - 1], s) != 0)
		i = (i + 1) & (m->cap - 1);
	return &m->slot[i];
}

/* Make room for one more string; v holds the n strings already in m. */
static void smap_grow(struct smap *m, char **v, size_t n)
{
	if ((n + 1) * 2 < m->cap)
		return;
	size_t cap = m->cap ? m->cap * 2 : 64;
	while ((n + 1) * 2 >= cap)
		cap *= 2;
	free(m->slot);
	m->slot = xcalloc(cap, sizeof(*m->slot));
	m->cap = cap;
	for (size_t k = 0; k < n; k++)
		*smap_find(m, v, v[k]) = (uint32_t)k + 1;
}

static uint32_t *oid_find(const history *h, const git_oid *o)
{
	struct history_maps *m = h->maps;
	size_t i = oid_hash(o) & (m->oid_cap - 1);
	while (m->oid_slot[i] && !git_oid_equal(&h->commits[m->oid_slot[i] - 1].oid, o))
		i = (i + 1) & (m->oid_cap - 1);
	return &m->oid_slot[i];
}

static void oid_grow(history *h)
{
	struct history_maps *m = h->maps;
	if (h->ncommits * 2 < m->oid_cap)
		return;
	size_t cap = m->oid_cap ? m->oid_cap * 2 : 1024;
	while (h->ncommits * 2 >= cap)
		cap *= 2;
	free(m->oid_slot);
	m->oid_slot = xcalloc(cap, sizeof(*m->oid_slot));
	m->oid_cap = cap;
	for (size_t k = 0; k < h->ncommits; k++)
		*oid_find(h, &h->commits[k].oid) = (uint32_t)k + 1;
}

bool history_touch_counts(const history_touch *t)
{
	return t->kind != HIST_DELETE && t->kind != HIST_MERGE;
}

/* The commit index of oid, or -1. */
int64_t history_commit_index(const history *h, const git_oid *o)
{
	if (!h->maps->oid_cap)
		return -1;
	uint32_t s = *oid_find(h, o);
	return s ? (int64_t)s - 1 : -1;
}

void history_init(history *h)
{
	memset(h, 0, sizeof(*h));
	h->maps = xcalloc(1, sizeof(*h->maps));
}

static void free_path_files(struct history_maps *m)
{
	for (size_t i = 0; i < m->path_files_n; i++)
		free(m->path_files[i]);
	free(m->path_files);
	free(m->path_nfiles);
	m->path_files = NULL;
	m->path_nfiles = NULL;
	m->path_files_n = 0;
}

void history_free(history *h)
{
	for (size_t i = 0; i < h->nauthors; i++) {
		free(h->authors[i].email);
		free(h->authors[i].name);
	}
	for (size_t i = 0; i < h->npaths; i++)
		free(h->paths[i]);
	for (size_t i = 0; i < h->nfiles; i++)
		free(h->files[i].touches);
	free(h->authors);
	free(h->paths);
	free(h->files);
	free(h->touches);
	free(h->commits);
	free(h->mainline);
	if (h->maps) {
		free(h->maps->emails.slot);
		free(h->maps->email_v);
		free(h->maps->paths.slot);
		free(h->maps->oid_slot);
		free(h->maps->path_file);
		free_path_files(h->maps);
		free(h->maps);
	}
	memset(h, 0, sizeof(*h));
}

static uint32_t intern_path(history *h, const char *path)
{
	struct history_maps *m = h->maps;
	smap_grow(&m->paths, h->paths, h->npaths);
	uint32_t *slot = smap_find(&m->paths, h->paths, path);
	if (*slot)
		return *slot - 1;
	XGROW(h->paths, h->npaths, h->paths_alloc);
	h->paths[h->npaths] = xstrdup(path);
	*slot = (uint32_t)++h->npaths;
	if (m->path_file_alloc < h->npaths) {
		size_t old = m->path_file_alloc;
		m->path_file_alloc = h->npaths * 2;
		m->path_file = xrealloc(m->path_file, m->path_file_alloc * sizeof(*m->path_file));
		for (size_t i = old; i < m->path_file_alloc; i++)
			m->path_file[i] = -1;
	}
	return (uint32_t)h->npaths - 1;
}

/* email in lower case, as the authors' emails are kept */
static char *lower_dup(const char *email)
{
	char *low = xstrdup(email ? email : "");
	for (char *c = low; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	return low;
}

static uint32_t intern_author(history *h, const char *email, const char *name)
{
	struct history_maps *m = h->maps;
	char *low = lower_dup(email);
	if (m->email_alloc < h->nauthors + 1) {
		m->email_alloc = (h->nauthors + 1) * 2;
		m->email_v = xrealloc(m->email_v, m->email_alloc * sizeof(*m->email_v));
	}
	smap_grow(&m->emails, m->email_v, h->nauthors);
	uint32_t *slot = smap_find(&m->emails, m->email_v, low);
	if (*slot) {
		free(low);
		return *slot - 1;
	}
	XGROW(h->authors, h->nauthors, h->authors_alloc);
	h->authors[h->nauthors].email = low;
	h->authors[h->nauthors].name = xstrdup(name ? name : "");
	m->email_v[h->nauthors] = low;
	*slot = (uint32_t)++h->nauthors;
	return (uint32_t)h->nauthors - 1;
}

int64_t history_author_by_email(const history *h, const char *email)
{
	struct history_maps *m = h->maps;
	if (!m->emails.cap)
		return -1;
	char *low = lower_dup(email);
	uint32_t slot = *smap_find(&m->emails, m->email_v, low);
	free(low);
	return slot ? (int64_t)slot - 1 : -1;
}

static void add_touch(history *h, uint32_t file, uint32_t commit, uint32_t path,
		      const git_oid *blob, char kind)
{
	XGROW(h->touches, h->ntouches, h->touches_alloc);
	history_touch *t = &h->touches[h->ntouches];
	t->file = file;
	t->commit = commit;
	t->path = path;
	if (blob)
		git_oid_cpy(&t->blob, blob);
	else
		memset(&t->blob, 0, sizeof(t->blob));
	t->kind = kind;
	history_file *f = &h->files[file];
	XGROW(f->touches, f->n, f->alloc);
	f->touches[f->n++] = (uint32_t)h->ntouches++;
}

static uint32_t new_file(history *h)
{
	XGROW(h->files, h->nfiles, h->files_alloc);
	memset(&h->files[h->nfiles], 0, sizeof(h->files[h->nfiles]));
	return (uint32_t)h->nfiles++;
}

/* --- comparing two trees by object id --- */

struct change {
	char kind;        /* 'A', 'D', 'M' */
	char *path;
	git_oid old, new;
	bool paired;
};

struct changes {
	struct change *v;
	size_t n, alloc;
};

static void push_change(struct changes *c, char kind, const char *path, const git_oid *old,
			const git_oid *new)
{
	XGROW(c->v, c->n, c->alloc);
	struct change *ch = &c->v[c->n++];
	memset(ch, 0, sizeof(*ch));
	ch->kind = kind;
	ch->path = xstrdup(path);
	if (old)
		git_oid_cpy(&ch->old, old);
	if (new)
		git_oid_cpy(&ch->new, new);
}

static int diff_trees(tree_cache *tc, const raw_tree *a, const raw_tree *b, strbuf *prefix, struct changes *out);

/* Every blob under tree t (as added or deleted). */
static int all_of(tree_cache *tc, const raw_tree *t, strbuf *prefix, char kind, struct changes *out)
{
	return kind == 'A' ? diff_trees(tc, NULL, t, prefix, out) : diff_trees(tc, t, NULL, prefix, out);
}

static int entry_kind(const raw_entry *e)
{
	uint32_t type = e->mode & 0170000;
	return type == 0040000 ? 2 : type == 0160000 ? 0 : 1; /* 0: submodule */
}

static int subtree(tree_cache *tc, const raw_entry *e, const raw_tree **out)
{
	git_oid id;
	git_oid_fromraw(&id, e->id);
	return tree_cache_get(tc, &id, out);
}

/* A change of the blob at path: old and new entries (NULL for none). */
static void push_entry_change(struct changes *out, char kind, const char *path, const raw_entry *old,
			      const raw_entry *new)
{
	git_oid o, n;
	if (old)
		git_oid_fromraw(&o, old->id);
	if (new)
		git_oid_fromraw(&n, new->id);
	push_change(out, kind, path, old ? &o : NULL, new ? &n : NULL);
}

/* One side of an entry that exists on one side only, or changed type. */
static int one_side(tree_cache *tc, const raw_entry *e, strbuf *prefix, char kind, struct changes *out)
{
	int k = entry_kind(e);
	if (k == 1) {
		push_entry_change(out, kind, prefix->buf, kind == 'D' ? e : NULL, kind == 'A' ? e : NULL);
		return 0;
	}
	if (k == 2) {
		const raw_tree *t;
		if (subtree(tc, e, &t) < 0)
			return -1;
		strbuf_addch(prefix, '/');
		return all_of(tc, t, prefix, kind, out);
	}
	return 0;
}

/* One entry present on both sides under the same name. */
static int diff_entry(tree_cache *tc, const raw_entry *ea, const raw_entry *eb, strbuf *prefix,
		      struct changes *out)
{
	int ka = entry_kind(ea), kb = entry_kind(eb);
	if (ka == kb && memcmp(ea->id, eb->id, GIT_OID_RAWSZ) == 0)
		return 0;
	if (ka == 2 && kb == 2) {
		const raw_tree *ta, *tb;
		if (subtree(tc, ea, &ta) < 0 || subtree(tc, eb, &tb) < 0)
			return -1;
		strbuf_addch(prefix, '/');
		return diff_trees(tc, ta, tb, prefix, out);
	}
	if (ka == 1 && kb == 1) {
		push_entry_change(out, 'M', prefix->buf, ea, eb);
		return 0;
	}
	return 0; /* submodules */
}

/* Both trees' entries are sorted in git's order, so one merge pass pairs them;
 * equal object ids end the comparison at once, which is what makes a whole
 * history cheap: only the folders on the path to a change are read. */
static int diff_trees(tree_cache *tc, const raw_tree *a, const raw_tree *b, strbuf *prefix, struct changes *out)
{
	size_t base = prefix->len;
	size_t na = a ? a->n : 0, nb = b ? b->n : 0;
	size_t i = 0, j = 0;
	int rc = 0;
	while (rc == 0 && (i < na || j < nb)) {
		const raw_entry *ea = i < na ? &a->e[i] : NULL;
		const raw_entry *eb = j < nb ? &b->e[j] : NULL;
		/* git orders a folder "x" as "x/": a type change is a delete and an add */
		int cmp = !ea ? 1 : !eb ? -1 : raw_entry_cmp(ea, eb);
		const raw_entry *e = cmp <= 0 ? ea : eb;
		prefix->len = base;
		strbuf_add(prefix, e->name, e->namelen);
		if (cmp == 0) {
			rc = diff_entry(tc, ea, eb, prefix, out);
			i++;
			j++;
		} else if (cmp < 0) {
			rc = one_side(tc, ea, prefix, 'D', out);
			i++;
		} else {
			rc = one_side(tc, eb, prefix, 'A', out);
			j++;
		}
	}
	prefix->len = base;
	if (prefix->buf)
		prefix->buf[base] = '\0';
	return rc;
}

static void changes_free(struct changes *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i].path);
	free(c->v);
	memset(c, 0, sizeof(*c));
}

/* Renames and copies among the paths no exact match paired (rename_find):
 * a renamed pair goes to pairs, an added file copied from one the commit
 * modifies to copies. */
static void similar_renames(tree_cache *tc, struct changes *c, int (*pairs)[2], size_t *npairs, int *copies)
{
	rename_file *f = xmalloc((c->n + 1) * sizeof(*f));
	rename_pair *p = xmalloc((c->n + 1) * sizeof(*p));
	for (size_t i = 0; i < c->n; i++)
		f[i] = (rename_file){ c->v[i].paired ? 0 : c->v[i].kind, c->v[i].path,
				      c->v[i].kind == 'A' ? c->v[i].new : c->v[i].old };
	rename_find(tc, f, c->n, p);
	for (size_t i = 0; i < c->n; i++) {
		int from = p[i].from;
		if (from < 0)
			continue;
		if (c->v[from].kind == 'M') {
			copies[i] = from;
		} else if (!p[i].copy) {
			c->v[from].paired = c->v[i].paired = true;
			pairs[*npairs][0] = from;
			pairs[*npairs][1] = (int)i;
			(*npairs)++;
		}
	}
	free(f);
	free(p);
}

/* Apply one commit's changes to the index. */
static int index_changes(history *h, git_repository *repo, tree_cache *tc, uint32_t ci,
			 const raw_tree *a, const raw_tree *b, char **err)
{
	struct changes c = { 0 };
	strbuf prefix = STRBUF_INIT;
	strbuf_add(&prefix, "", 0);
	int rc = diff_trees(tc, a, b, &prefix, &c);
	strbuf_release(&prefix);
	if (rc < 0) {
		const git_error *e = git_error_last();
		*err = xasprintf("reading trees: %s", e ? e->message : "?");
		changes_free(&c);
		return -1;
	}
	/* renames: the same content deleted at one path and added at another */
	int (*pairs)[2] = xmalloc((c.n + 1) * sizeof(*pairs));
	size_t npairs = 0, nadd = 0, ndel = 0;
	for (size_t i = 0; i < c.n; i++) {
		if (c.v[i].kind != 'D')
			continue;
		for (size_t j = 0; j < c.n; j++)
			if (c.v[j].kind == 'A' && !c.v[j].paired &&
			    git_oid_equal(&c.v[i].old, &c.v[j].new)) {
				c.v[i].paired = c.v[j].paired = true;
				pairs[npairs][0] = (int)i;
				pairs[npairs][1] = (int)j;
				npairs++;
				break;
			}
	}
	for (size_t i = 0; i < c.n; i++) {
		nadd += c.v[i].kind == 'A' && !c.v[i].paired;
		ndel += c.v[i].kind == 'D' && !c.v[i].paired;
	}
	size_t nmod = 0;
	for (size_t i = 0; i < c.n; i++)
		nmod += c.v[i].kind == 'M';
	int *copies = xmalloc((c.n + 1) * sizeof(*copies));
	for (size_t i = 0; i < c.n; i++)
		copies[i] = -1;
	if (nadd && (ndel || nmod) && a)
		similar_renames(tc, &c, pairs, &npairs, copies);
	struct history_maps *m = h->maps;
	/* copies first, while the sources are where they were */
	int64_t *copy_from = xmalloc((c.n + 1) * sizeof(*copy_from));
	for (size_t i = 0; i < c.n; i++) {
		copy_from[i] = -1;
		if (copies[i] >= 0 && !c.v[i].paired)
			copy_from[i] = m->path_file[intern_path(h, c.v[copies[i]].path)];
	}
	for (size_t p = 0; p < npairs; p++) {
		struct change *del = &c.v[pairs[p][0]], *add = &c.v[pairs[p][1]];
		uint32_t from = intern_path(h, del->path), to = intern_path(h, add->path);
		int64_t file = m->path_file[from];
		if (file <= -2)
			file = GONE(file);
		else if (file < 0)
			file = new_file(h);
		m->path_file[from] = -1;
		m->path_file[to] = file;
		add_touch(h, (uint32_t)file, ci, to, &add->new, HIST_RENAME);
	}
	for (size_t i = 0; i < c.n; i++) {
		struct change *ch = &c.v[i];
		if (ch->paired)
			continue;
		uint32_t path = intern_path(h, ch->path);
		int64_t file = m->path_file[path];
		if (ch->kind == 'D') {
			if (file >= 0) {
				add_touch(h, (uint32_t)file, ci, path, NULL, HIST_DELETE);
				m->path_file[path] = GONE(file);
			}
			continue;
		}
		/* a file deleted at this path comes back as itself: git log --follow
		 * goes on through a delete and a new add of the path, and a side
		 * branch's delete walked before this branch's change is no end */
		if (file <= -2)
			file = GONE(file);
		char kind = ch->kind == 'A' || file < 0 ? HIST_ADD : HIST_MODIFY;
		if (file < 0)
			file = new_file(h);
		m->path_file[path] = file;
		int64_t src = copy_from[i];
		if (src >= 0 && src != file) {
			/* the source's changes before this commit become the copy's
			 * too (its change in this commit, applied already when it
			 * sorts first, is not: git counts the copy's commit once) */
			size_t n = h->files[src].n;
			for (size_t k = 0; k < n; k++) {
				history_touch t = h->touches[h->files[src].touches[k]];
				if (t.commit == ci)
					continue;
				add_touch(h, (uint32_t)file, t.commit, t.path, &t.blob, HIST_INHERIT);
			}
		}
		add_touch(h, (uint32_t)file, ci, path, &ch->new, kind);
	}
	free(copy_from);
	free(copies);
	free(pairs);
	changes_free(&c);
	return 0;
}

static void set_err(char **err, const char *what)
{
	const git_error *e = git_error_last();
	*err = xasprintf("%s: %s", what, e && e->message ? e->message : "unknown error");
}

struct tip_walk {
	history *h;
	uint8_t *seen;        /* per path index: at the tip */
	size_t nseen;
	uint32_t ci;          /* the tip's commit index */
	strbuf path;
};

static int tip_entry(const char *root, const git_tree_entry *e, void *arg)
{
	struct tip_walk *w = arg;
	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB)
		return 0;
	w->path.len = 0;
	strbuf_addstr(&w->path, root);
	strbuf_addstr(&w->path, git_tree_entry_name(e));
	history *h = w->h;
	uint32_t path = intern_path(h, w->path.buf);
	if (path >= w->nseen) {
		size_t n = (path + 1) * 2;
		w->seen = xrealloc(w->seen, n);
		memset(w->seen + w->nseen, 0, n - w->nseen);
		w->nseen = n;
	}
	w->seen[path] = 1;
	int64_t file = h->maps->path_file[path];
	if (file >= 0)
		return 0;
	/* a file only merges brought (a subtree merge), or one whose last change
	 * in walk order was a side branch's delete: placed here, counted for
	 * nobody, and a deleted one keeps its history */
	file = file <= -2 ? GONE(file) : (int64_t)new_file(h);
	h->maps->path_file[path] = file;
	add_touch(h, (uint32_t)file, w->ci, path, git_tree_entry_id(e), HIST_MERGE);
	return 0;
}

/* Make where the index places files agree with the tip's tree. Merges are not
 * diffed (that cost git/git's walk 45%), and the walk's order of branches is
 * not history: what merges added or removed, and deletes of side branches,
 * are settled here, once per update, at the tip. */
static int reconcile_tip(history *h, git_repository *repo, const git_oid *tip, char **err)
{
	int64_t ci = history_commit_index(h, tip);
	git_commit *c = NULL;
	git_tree *tree = NULL;
	if (ci < 0 || git_commit_lookup(&c, repo, tip) < 0 || git_commit_tree(&tree, c) < 0) {
		git_commit_free(c);
		set_err(err, "reading the tip's tree");
		return -1;
	}
	struct tip_walk w = { .h = h, .ci = (uint32_t)ci, .path = STRBUF_INIT };
	int rc = git_tree_walk(tree, GIT_TREEWALK_PRE, tip_entry, &w);
	if (rc < 0) {
		set_err(err, "reading the tip's tree");
	} else {
		/* placed by the walk, gone at the tip: a merge removed it */
		struct history_maps *m = h->maps;
		for (size_t p = 0; p < h->npaths; p++) {
			int64_t file = m->path_file[p];
			if (file < 0 || (p < w.nseen && w.seen[p]))
				continue;
			add_touch(h, (uint32_t)file, (uint32_t)ci, (uint32_t)p, NULL, HIST_DELETE);
			m->path_file[p] = GONE(file);
		}
	}
	free(w.seen);
	strbuf_release(&w.path);
	git_tree_free(tree);
	git_commit_free(c);
	return rc < 0 ? -1 : 0;
}


/* The tip's first-parent chain back to stop (exclusive; NULL for the root), newest
 * first. Returns the count, or -1 if stop is not on the chain. */
static long first_parents(const history *h, git_repository *repo, const git_oid *tip,
			  const git_oid *stop, git_oid **out, char **err)
{
	size_t n = 0, alloc = 0;
	git_oid *v = NULL;
	git_oid cur = *tip;
	for (;;) {
		if (stop && git_oid_equal(&cur, stop))
			break;
		/* a commit already indexed and not the stop: stop is not on the chain */
		if (stop && history_commit_index(h, &cur) >= 0) {
			free(v);
			return -1;
		}
		XGROW(v, n, alloc);
		v[n++] = cur;
		git_commit *c;
		if (git_commit_lookup(&c, repo, &cur) < 0) {
			set_err(err, "reading a commit");
			free(v);
			return -2;
		}
		unsigned np = git_commit_parentcount(c);
		if (np == 0) {
			git_commit_free(c);
			if (stop) {
				free(v);
				return -1;
			}
			break;
		}
		cur = *git_commit_parent_id(c, 0);
		git_commit_free(c);
	}
	*out = v;
	return (long)n;
}

/* libgit2's own limit on cached commits and trees (cache.c) */
#define LIBGIT2_CACHE_LIMIT ((size_t)4096)

/* The tree id of commit id. */
static int tree_id_of(git_repository *repo, const git_oid *id, git_oid *out)
{
	git_commit *c;
	int rc = git_commit_lookup(&c, repo, id);
	if (rc < 0)
		return rc;
	*out = *git_commit_tree_id(c);
	git_commit_free(c);
	return 0;
}

static void reset_index(history *h)
{
	history_free(h);
	history_init(h);
}

/* What the walk keeps of a commit it read: the commits of a whole history are
 * listed before any is indexed, and libgit2's commit objects would be most of
 * the memory (85 MB on git/git). */
struct new_commit {
	git_oid oid, tree;
	int64_t time, author_time;
	uint32_t author;          /* interned, after .mailmap */
	unsigned np;
	git_oid *parents;
};

/* The commits reachable from the tip that the index does not hold yet, each
 * read once, parents before children. libgit2's topological revwalk reads
 * every commit to sort them and the walk then read each again: a sixth of a
 * build. */
struct new_commits {
	struct new_commit *v;    /* in walk order */
	size_t n, alloc;
	git_oid *seen;           /* open addressing: the commits already met */
	size_t nseen, cap;
};

static bool seen_or_add(struct new_commits *nc, const git_oid *id)
{
	if ((nc->nseen + 1) * 2 > nc->cap) {
		git_oid *old = nc->seen;
		size_t oldcap = nc->cap;
		nc->cap = nc->cap ? nc->cap * 2 : 1024;
		nc->seen = xcalloc(nc->cap, sizeof(*nc->seen));
		for (size_t i = 0; i < oldcap; i++) {
			if (git_oid_is_zero(&old[i]))
				continue;
			size_t j = (size_t)oid_hash(&old[i]) & (nc->cap - 1);
			while (!git_oid_is_zero(&nc->seen[j]))
				j = (j + 1) & (nc->cap - 1);
			nc->seen[j] = old[i];
		}
		free(old);
	}
	size_t j = (size_t)oid_hash(id) & (nc->cap - 1);
	while (!git_oid_is_zero(&nc->seen[j])) {
		if (git_oid_equal(&nc->seen[j], id))
			return true;
		j = (j + 1) & (nc->cap - 1);
	}
	nc->seen[j] = *id;
	nc->nseen++;
	return false;
}

static void new_commits_free(struct new_commits *nc)
{
	for (size_t i = 0; i < nc->n; i++)
		free(nc->v[i].parents);
	free(nc->v);
	free(nc->seen);
	memset(nc, 0, sizeof(*nc));
}

/* True for a repository libgit2 takes for one with a work tree although it is
 * bare: a git folder without a config file (mirrors some tools make), which
 * libgit2 gives the folder above as a work tree, with no .git in it. */
static bool bare_without_config(git_repository *repo)
{
	const char *wd = git_repository_workdir(repo);
	if (!wd)
		return false;
	struct stat st;
	char *config = xasprintf("%sconfig", git_repository_path(repo));
	char *dotgit = xasprintf("%s.git", wd);
	bool bare = stat(config, &st) != 0 && stat(dotgit, &st) != 0;
	free(config);
	free(dotgit);
	return bare;
}

/* The identities git joins: the repository's .mailmap as libgit2 reads it, or,
 * for a bare repository libgit2 takes for a work tree, HEAD's .mailmap as git
 * reads a bare one's (without it git/git's mirror left every junkio@cox.net
 * apart from gitster@pobox.com). NULL without one. */
static git_mailmap *load_mailmap(git_repository *repo)
{
	git_mailmap *mm = NULL;
	if (bare_without_config(repo)) {
		git_object *o = NULL;
		if (git_revparse_single(&o, repo, "HEAD:.mailmap") == 0 && git_object_type(o) == GIT_OBJECT_BLOB &&
		    git_mailmap_from_buffer(&mm, git_blob_rawcontent((git_blob *)o),
					    (size_t)git_blob_rawsize((git_blob *)o)) < 0)
			mm = NULL;
		git_object_free(o);
		git_error_clear();
		return mm;
	}
	if (git_mailmap_from_repository(&mm, repo) < 0) {
		git_error_clear();
		mm = NULL; /* no .mailmap is fine */
	}
	return mm;
}

/* Read commit id into r (its author through mailmap, interned in h). */
static int read_commit(history *h, git_repository *repo, git_mailmap *mailmap, const git_oid *id,
		       struct new_commit *r)
{
	git_commit *c;
	if (git_commit_lookup(&c, repo, id) < 0)
		return -1;
	memset(r, 0, sizeof(*r));
	r->oid = *id;
	r->tree = *git_commit_tree_id(c);
	r->time = (int64_t)git_commit_time(c);
	const git_signature *sig = git_commit_author(c);
	r->author_time = sig ? (int64_t)sig->when.time : r->time;
	const char *name = sig ? sig->name : "", *email = sig ? sig->email : "";
	if (mailmap)
		git_mailmap_resolve(&name, &email, mailmap, name, email);
	r->author = intern_author(h, email, name);
	r->np = git_commit_parentcount(c);
	r->parents = xcalloc(r->np ? r->np : 1, sizeof(*r->parents));
	for (unsigned p = 0; p < r->np; p++)
		r->parents[p] = *git_commit_parent_id(c, p);
	git_commit_free(c);
	return 0;
}

/* Depth first from the tip: a commit is listed once all its parents are. */
static int new_commits(history *h, git_repository *repo, git_mailmap *mailmap, const git_oid *tip,
		       struct new_commits *nc)
{
	struct frame {
		struct new_commit r;
		unsigned next;      /* the next parent to visit */
	} *stack = NULL;
	size_t depth = 0, alloc = 0;
	if (history_commit_index(h, tip) >= 0)
		return 0;
	seen_or_add(nc, tip);
	XGROW(stack, depth, alloc);
	if (read_commit(h, repo, mailmap, tip, &stack[0].r) < 0) {
		free(stack);
		return -1;
	}
	stack[0].next = 0;
	depth = 1;
	int rc = 0;
	while (depth && rc == 0) {
		struct frame *f = &stack[depth - 1];
		if (f->next < f->r.np) {
			git_oid pid = f->r.parents[f->next++];
			/* a commit the index holds, and everything before it, is done */
			if (history_commit_index(h, &pid) >= 0 || seen_or_add(nc, &pid))
				continue;
			XGROW(stack, depth, alloc);
			if (read_commit(h, repo, mailmap, &pid, &stack[depth].r) < 0) {
				rc = -1;
				break;
			}
			stack[depth++].next = 0;
			continue;
		}
		XGROW(nc->v, nc->n, nc->alloc);
		nc->v[nc->n++] = f->r;
		depth--;
	}
	for (size_t i = 0; i < depth; i++)
		free(stack[i].r.parents);
	free(stack);
	return rc;
}

int history_update(history *h, git_repository *repo, const char *rev,
		   void (*progress)(size_t walked, void *arg), void *arg, char **err)
{
	git_object *obj = NULL;
	char *dflt = rev ? NULL : default_rev(repo);
	const char *spec = rev ? rev : dflt;
	if (git_revparse_single(&obj, repo, spec) < 0) {
		*err = xasprintf("no revision '%s' in this repository", spec);
		free(dflt);
		return -1;
	}
	git_commit *tipc = NULL;
	int peeled = git_object_peel((git_object **)&tipc, obj, GIT_OBJECT_COMMIT);
	git_object_free(obj);
	if (peeled < 0)
		*err = xasprintf("'%s' is not a commit", spec);
	free(dflt);
	if (peeled < 0)
		return -1;
	git_oid tip = *git_commit_id(tipc);
	git_commit_free(tipc);
	h->walked = 0;
	if (h->ncommits && git_oid_equal(&tip, &h->tip))
		return 0;

	/* incremental when the old tip is on the new tip's first-parent chain */
	git_oid *chain = NULL;
	long nchain = -1;
	if (h->ncommits) {
		nchain = first_parents(h, repo, &tip, &h->tip, &chain, err);
		if (nchain == -2)
			return -1;
	}
	bool incremental = nchain >= 0;
	if (!incremental) {
		/* the mainline comes from the parents recorded during the walk */
		reset_index(h);
		nchain = 0;
	}
	/* a walk reads each commit and tree about twice, a commit apart: tree_cache
	 * keeps what the next commit needs, where libgit2's cache keeps them all
	 * (most of a walk's memory); its limits go back to libgit2's after */
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, (size_t)0);
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_COMMIT, (size_t)0);

	git_mailmap *mailmap = load_mailmap(repo);
	int rc = -1;
	size_t first_new = h->ncommits;
	tree_cache *tc = tree_cache_new(repo);
	git_oid *tree_of = NULL; /* the new commits' tree ids */
	struct new_commits nc = { 0 };
	if (new_commits(h, repo, mailmap, &tip, &nc) < 0) {
		set_err(err, "walking the history");
		goto out;
	}
	/* parents of the new commits, for the mainline positions below */
	uint32_t (*parents)[2] = NULL;
	size_t parents_alloc = 0;
	uint32_t *chain_idx = NULL;
	size_t nchain_idx = 0, chain_alloc = 0;
	for (size_t k = 0; k < nc.n; k++) {
		const struct new_commit *r = &nc.v[k];
		XGROW(h->commits, h->ncommits, h->commits_alloc);
		uint32_t ci = (uint32_t)h->ncommits;
		history_commit *hc = &h->commits[ci];
		memset(hc, 0, sizeof(*hc));
		hc->oid = r->oid;
		hc->time = r->time;
		hc->author_time = r->author_time;
		hc->author = r->author;
		hc->merge = r->np > 1;
		hc->mp = UINT32_MAX;
		h->ncommits++;
		oid_grow(h);
		*oid_find(h, &r->oid) = ci + 1;
		if (ci - first_new >= parents_alloc) {
			parents_alloc = parents_alloc ? parents_alloc * 2 : 1024;
			parents = xrealloc(parents, parents_alloc * sizeof(*parents));
			tree_of = xrealloc(tree_of, parents_alloc * sizeof(*tree_of));
		}
		tree_of[ci - first_new] = r->tree;
		parents[ci - first_new][0] = parents[ci - first_new][1] = UINT32_MAX;
		for (unsigned p = 0; p < r->np && p < 2; p++) {
			int64_t pi = history_commit_index(h, &r->parents[p]);
			if (pi >= 0)
				parents[ci - first_new][p] = (uint32_t)pi;
		}
		if (r->np <= 1) {
			/* the parent's tree id without reading the parent again, unless
			 * it is older than this walk */
			uint32_t pi = parents[ci - first_new][0];
			git_oid ptree;
			const raw_tree *a = NULL, *b = NULL;
			int trc = 0;
			if (r->np == 1 && pi != UINT32_MAX && pi >= first_new)
				ptree = tree_of[pi - first_new];
			else if (r->np == 1)
				trc = tree_id_of(repo, &r->parents[0], &ptree);
			if (trc == 0)
				trc = tree_cache_get(tc, &r->tree, &b);
			if (trc == 0 && r->np == 1)
				trc = tree_cache_get(tc, &ptree, &a);
			if (trc < 0)
				set_err(err, "reading a commit's tree");
			else if (index_changes(h, repo, tc, ci, a, b, err) < 0)
				trc = -1;
			tree_cache_next(tc);
			if (trc < 0) {
				free(parents);
				goto out;
			}
		}
		h->walked++;
		if (progress && h->walked % 1000 == 0)
			progress(h->walked, arg);
	}
	/* the mainline: old positions stay, the new chain follows oldest first */
	if (!incremental) {
		int64_t k = history_commit_index(h, &tip);
		while (k >= 0 && (size_t)k >= first_new) {
			XGROW(chain_idx, nchain_idx, chain_alloc);
			chain_idx[nchain_idx++] = (uint32_t)k;
			uint32_t p = parents[k - first_new][0];
			k = p == UINT32_MAX ? -1 : (int64_t)p;
		}
	} else {
		for (long k = 0; k < nchain; k++) {
			int64_t ci = history_commit_index(h, &chain[k]);
			if (ci >= 0) {
				XGROW(chain_idx, nchain_idx, chain_alloc);
				chain_idx[nchain_idx++] = (uint32_t)ci;
			}
		}
	}
	for (size_t k = nchain_idx; k-- > 0;) {
		uint32_t ci = chain_idx[k];
		XGROW(h->mainline, h->nmainline, h->mainline_alloc);
		h->commits[ci].mp = (uint32_t)h->nmainline;
		h->mainline[h->nmainline++] = ci;
	}
	free(chain_idx);
	/* every other new commit: the first mainline commit that reaches it is the
	 * earliest one reaching any of its children */
	for (size_t k = h->ncommits; k-- > first_new;)
		for (int p = 0; p < 2; p++) {
			uint32_t pi = parents[k - first_new][p];
			if (pi != UINT32_MAX && pi >= first_new && h->commits[k].mp < h->commits[pi].mp)
				h->commits[pi].mp = h->commits[k].mp;
		}
	free(parents);
	h->tip = tip;
	free_path_files(h->maps);
	if (reconcile_tip(h, repo, &tip, err) < 0)
		goto out;
	rc = 0;
out:
	free(chain);
	free(tree_of);
	tree_cache_free(tc);
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, LIBGIT2_CACHE_LIMIT);
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_COMMIT, LIBGIT2_CACHE_LIMIT);
	new_commits_free(&nc);
	git_mailmap_free(mailmap);
	if (progress && rc == 0)
		progress(h->walked, arg);
	return rc;
}

/* --- views "as of" a revision --- */

/* Each author's last commit as the view sees it: who has gone quiet. */
static void author_last(history_view *v)
{
	const history *h = v->h;
	v->author_last = xcalloc(h->nauthors ? h->nauthors : 1, sizeof(*v->author_last));
	for (size_t c = 0; c < h->ncommits; c++) {
		const history_commit *hc = &h->commits[c];
		if (!hc->merge && hc->author_time > v->author_last[hc->author] && history_view_has(v, (uint32_t)c))
			v->author_last[hc->author] = hc->author_time;
	}
}

int history_view_at(history_view *v, const history *h, git_repository *repo,
		    const char *rev, char **err)
{
	memset(v, 0, sizeof(*v));
	v->h = h;
	git_oid oid = h->tip;
	if (rev) {
		git_object *obj = NULL, *c = NULL;
		if (git_revparse_single(&obj, repo, rev) < 0 ||
		    git_object_peel(&c, obj, GIT_OBJECT_COMMIT) < 0) {
			git_object_free(obj);
			*err = xasprintf("no revision '%s' in this repository", rev);
			return -1;
		}
		oid = *git_object_id(c);
		git_object_free(c);
		git_object_free(obj);
	}
	int64_t ci = history_commit_index(h, &oid);
	if (ci < 0) {
		*err = xasprintf("revision '%s' is not in the history of the indexed tip", rev ? rev : "HEAD");
		return -1;
	}
	v->rev_commit = (uint32_t)ci;
	v->now = h->commits[ci].time;
	const history_commit *c = &h->commits[ci];
	if (c->mp < h->nmainline && h->mainline[c->mp] == (uint32_t)ci) {
		v->limit = c->mp;
		author_last(v);
		return 0;
	}
	/* off the mainline: mark what R reaches */
	v->reach = xcalloc(h->ncommits ? h->ncommits : 1, 1);
	git_revwalk *walk = NULL;
	if (git_revwalk_new(&walk, repo) < 0 || git_revwalk_push(walk, &oid) < 0) {
		git_revwalk_free(walk);
		set_err(err, "walking the history");
		history_view_free(v);
		return -1;
	}
	git_oid o;
	while (git_revwalk_next(&o, walk) == 0) {
		int64_t k = history_commit_index(h, &o);
		if (k >= 0)
			v->reach[k] = 1;
	}
	git_revwalk_free(walk);
	author_last(v);
	return 0;
}

void history_view_free(history_view *v)
{
	free(v->reach);
	v->reach = NULL;
	free(v->author_last);
	v->author_last = NULL;
}

bool history_view_has(const history_view *v, uint32_t c)
{
	if (v->reach)
		return v->reach[c] != 0;
	return v->h->commits[c].mp <= v->limit;
}

/* path index -> the files that ever had that path, built on first use. */
static void build_path_files(const history *h)
{
	struct history_maps *m = h->maps;
	if (m->path_files_n == h->npaths && m->path_files)
		return;
	free_path_files(m);
	m->path_files = xcalloc(h->npaths ? h->npaths : 1, sizeof(*m->path_files));
	m->path_nfiles = xcalloc(h->npaths ? h->npaths : 1, sizeof(*m->path_nfiles));
	m->path_files_n = h->npaths;
	for (size_t f = 0; f < h->nfiles; f++) {
		uint32_t last = UINT32_MAX;
		for (size_t k = 0; k < h->files[f].n; k++) {
			uint32_t p = h->touches[h->files[f].touches[k]].path;
			if (p == last)
				continue;
			last = p;
			size_t n = m->path_nfiles[p];
			if (n && m->path_files[p][n - 1] == f)
				continue;
			m->path_files[p] = xrealloc(m->path_files[p], (n + 1) * sizeof(uint32_t));
			m->path_files[p][n] = (uint32_t)f;
			m->path_nfiles[p]++;
		}
	}
}

int64_t history_file_at(const history_view *v, const char *path)
{
	const history *h = v->h;
	struct history_maps *m = h->maps;
	if (!m->paths.cap)
		return -1;
	uint32_t slot = *smap_find(&m->paths, h->paths, path);
	if (!slot)
		return -1;
	uint32_t p = slot - 1;
	build_path_files(h);
	int64_t best = -1;
	uint32_t best_commit = 0;
	for (size_t i = 0; i < m->path_nfiles[p]; i++) {
		const history_file *f = &h->files[m->path_files[p][i]];
		/* the file's last change the view can see decides where it is */
		for (size_t k = f->n; k-- > 0;) {
			const history_touch *t = &h->touches[f->touches[k]];
			if (!history_view_has(v, t->commit))
				continue;
			if (t->path == p && t->kind != HIST_DELETE &&
			    (best < 0 || t->commit > best_commit)) {
				best = m->path_files[p][i];
				best_commit = t->commit;
			}
			break;
		}
	}
	return best;
}

void history_finish_load(history *h)
{
	struct history_maps *m = h->maps;
	size_t nfiles = 0;
	for (size_t i = 0; i < h->ntouches; i++)
		if (h->touches[i].file + 1 > nfiles)
			nfiles = h->touches[i].file + 1;
	for (size_t f = 0; f < nfiles; f++)
		new_file(h);
	for (size_t i = 0; i < h->npaths; i++) {
		smap_grow(&m->paths, h->paths, i);
		*smap_find(&m->paths, h->paths, h->paths[i]) = (uint32_t)i + 1;
	}
	m->path_file_alloc = h->npaths ? h->npaths : 1;
	m->path_file = xmalloc(m->path_file_alloc * sizeof(*m->path_file));
	for (size_t i = 0; i < m->path_file_alloc; i++)
		m->path_file[i] = -1;
	m->email_alloc = h->nauthors ? h->nauthors : 1;
	m->email_v = xmalloc(m->email_alloc * sizeof(*m->email_v));
	for (size_t i = 0; i < h->nauthors; i++) {
		m->email_v[i] = h->authors[i].email;
		smap_grow(&m->emails, m->email_v, i);
		*smap_find(&m->emails, m->email_v, m->email_v[i]) = (uint32_t)i + 1;
	}
	oid_grow(h);
	for (size_t i = 0; i < h->ncommits; i++)
		*oid_find(h, &h->commits[i].oid) = (uint32_t)i + 1;
	/* replay the changes for where each file is at the tip */
	for (size_t i = 0; i < h->ntouches; i++) {
		const history_touch *t = &h->touches[i];
		history_file *f = &h->files[t->file];
		if (t->kind == HIST_INHERIT) { /* says nothing of where the file is */
			XGROW(f->touches, f->n, f->alloc);
			f->touches[f->n++] = (uint32_t)i;
			continue;
		}
		if (t->kind == HIST_RENAME && f->n) {
			uint32_t prev = h->touches[f->touches[f->n - 1]].path;
			if (m->path_file[prev] == (int64_t)t->file)
				m->path_file[prev] = -1;
		}
		m->path_file[t->path] = t->kind == HIST_DELETE ? GONE(t->file) : (int64_t)t->file;
		XGROW(f->touches, f->n, f->alloc);
		f->touches[f->n++] = (uint32_t)i;
	}
}
