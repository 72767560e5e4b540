/* Blame as git blame -w does it, through each commit's parents (see blame.h). */
#include "blame.h"

#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "xalloc.h"

void blame_init(blame *b)
{
	memset(b, 0, sizeof(*b));
}

void blame_free(blame *b)
{
	free(b->owner);
	blame_init(b);
}

size_t blame_lines_of(const blame *b, uint32_t a)
{
	size_t n = 0;
	for (size_t i = 0; i < b->nlines; i++)
		n += b->owner[i] == a;
	return n;
}

/* Lines as git counts them: a last line without a newline still counts. */
static size_t count_lines(const char *p, size_t n)
{
	size_t lines = 0;
	for (size_t i = 0; i < n; i++)
		lines += p[i] == '\n';
	return lines + (n && p[n - 1] != '\n');
}

/* Lines still looking for their author: the line in this version of the file
 * at commit, and the line of the blamed version it is. Git's "origin". */
struct suspect {
	uint32_t commit;       /* index into the history's commits */
	char *path;
	git_oid blob;
	uint32_t (*lines)[2];  /* {line here, line blamed}, sorted by line here */
	size_t n;
};

static void suspect_free(struct suspect *s)
{
	free(s->path);
	free(s->lines);
	memset(s, 0, sizeof(*s));
}

/* The suspects waiting, newest commit first when taken (git's queue order, so
 * lines reaching one commit by several routes are handled once). */
struct queue {
	struct suspect *v;
	size_t n, alloc;
};

static int cmp_pair(const void *a, const void *b)
{
	const uint32_t *x = a, *y = b;
	return x[0] < y[0] ? -1 : x[0] > y[0];
}

/* Add s (moved) to q, joining the suspect of the same commit and path. */
static void queue_add(struct queue *q, struct suspect *s)
{
	for (size_t i = 0; i < q->n; i++) {
		struct suspect *o = &q->v[i];
		if (o->commit == s->commit && strcmp(o->path, s->path) == 0 &&
		    git_oid_equal(&o->blob, &s->blob)) {
			o->lines = xrealloc(o->lines, (o->n + s->n) * sizeof(*o->lines));
			memcpy(o->lines + o->n, s->lines, s->n * sizeof(*s->lines));
			o->n += s->n;
			qsort(o->lines, o->n, sizeof(*o->lines), cmp_pair);
			suspect_free(s);
			return;
		}
	}
	if (q->n == q->alloc) {
		q->alloc = q->alloc ? q->alloc * 2 : 8;
		q->v = xrealloc(q->v, q->alloc * sizeof(*q->v));
	}
	q->v[q->n++] = *s;
	memset(s, 0, sizeof(*s));
}

/* Take the suspect of the newest commit (committer time, then index order). */
static bool queue_take(struct queue *q, const history *h, struct suspect *out)
{
	if (q->n == 0)
		return false;
	size_t best = 0;
	for (size_t i = 1; i < q->n; i++) {
		const history_commit *a = &h->commits[q->v[i].commit];
		const history_commit *b = &h->commits[q->v[best].commit];
		if (a->time > b->time || (a->time == b->time && q->v[i].commit > q->v[best].commit))
			best = i;
	}
	*out = q->v[best];
	q->v[best] = q->v[--q->n];
	return true;
}

struct hunks {
	struct { size_t ob, oe, nb, ne; } *v; /* 0-based [begin, end) in old and new */
	size_t n, alloc;
};

static int hunk_cb(const git_diff_delta *d, const git_diff_hunk *h, void *payload)
{
	(void)d;
	struct hunks *hs = payload;
	if (hs->n == hs->alloc) {
		hs->alloc = hs->alloc ? hs->alloc * 2 : 16;
		hs->v = xrealloc(hs->v, hs->alloc * sizeof(*hs->v));
	}
	/* a hunk that adds no lines starts after its new_start; one that removes
	 * none starts after its old_start */
	size_t ob = (size_t)(h->old_lines ? h->old_start - 1 : h->old_start);
	size_t nb = (size_t)(h->new_lines ? h->new_start - 1 : h->new_start);
	hs->v[hs->n].ob = ob;
	hs->v[hs->n].oe = ob + (size_t)h->old_lines;
	hs->v[hs->n].nb = nb;
	hs->v[hs->n].ne = nb + (size_t)h->new_lines;
	hs->n++;
	return 0;
}

/* The blob at path in commit c's tree: 1 found, 0 absent, -1 error. */
static int blob_at(git_commit *c, const char *path, git_oid *out)
{
	git_tree *tree;
	if (git_commit_tree(&tree, c) < 0)
		return -1;
	git_tree_entry *e = NULL;
	int rc = git_tree_entry_bypath(&e, tree, path);
	git_tree_free(tree);
	if (rc == GIT_ENOTFOUND)
		return 0;
	if (rc < 0)
		return -1;
	bool blob = git_tree_entry_type(e) == GIT_OBJECT_BLOB;
	if (blob)
		git_oid_cpy(out, git_tree_entry_id(e));
	git_tree_entry_free(e);
	return blob ? 1 : 0;
}

/* Where path of commit c came from in parent p when p has no such path: the
 * rename libgit2 finds between their trees (git blame's find_rename). Returns
 * the old path (free it) and its blob, or NULL. */
static char *renamed_from(git_repository *repo, git_commit *p, git_commit *c, const char *path,
			  git_oid *blob)
{
	git_tree *a = NULL, *b = NULL;
	git_diff *diff = NULL;
	char *found = NULL;
	git_diff_find_options fo;
	git_diff_find_options_init(&fo, GIT_DIFF_FIND_OPTIONS_VERSION);
	fo.flags = GIT_DIFF_FIND_RENAMES;
	if (git_commit_tree(&a, p) == 0 && git_commit_tree(&b, c) == 0 &&
	    git_diff_tree_to_tree(&diff, repo, a, b, NULL) == 0 &&
	    git_diff_find_similar(diff, &fo) == 0) {
		size_t n = git_diff_num_deltas(diff);
		for (size_t i = 0; i < n && !found; i++) {
			const git_diff_delta *d = git_diff_get_delta(diff, i);
			if (d->status == GIT_DELTA_RENAMED && strcmp(d->new_file.path, path) == 0) {
				found = xstrdup(d->old_file.path);
				git_oid_cpy(blob, &d->old_file.id);
			}
		}
	}
	git_diff_free(diff);
	git_tree_free(a);
	git_tree_free(b);
	return found;
}

/* Pass the lines of s that parent's version (path, blob) shares with s's
 * version to a new suspect in the queue; the rest stay in s. */
static int pass_to_parent(git_repository *repo, struct queue *q, struct suspect *s,
			  uint32_t parent, const char *path, const git_oid *blob)
{
	git_blob *ob = NULL, *nb = NULL;
	if (git_blob_lookup(&ob, repo, blob) < 0 || git_blob_lookup(&nb, repo, &s->blob) < 0) {
		git_blob_free(ob);
		return -1;
	}
	git_diff_options opts;
	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	/* git blame -w; git's diff uses the indent heuristic by default */
	opts.flags = GIT_DIFF_IGNORE_WHITESPACE | GIT_DIFF_FORCE_TEXT | GIT_DIFF_INDENT_HEURISTIC;
	opts.context_lines = 0;
	opts.interhunk_lines = 0;
	struct hunks hs = { 0 };
	int rc = git_diff_blobs(ob, NULL, nb, NULL, &opts, NULL, NULL, hunk_cb, NULL, &hs);
	size_t olines = count_lines(git_blob_rawcontent(ob), (size_t)git_blob_rawsize(ob));
	git_blob_free(ob);
	git_blob_free(nb);
	if (rc < 0) {
		free(hs.v);
		return -1;
	}
	struct suspect to = { .commit = parent, .path = xstrdup(path), .blob = *blob };
	to.lines = xmalloc((s->n ? s->n : 1) * sizeof(*to.lines));
	size_t keep = 0, k = 0, ne = 0, oe = 0;
	for (size_t i = 0; i < s->n; i++) {
		size_t l = s->lines[i][0];
		while (k < hs.n && hs.v[k].ne <= l && hs.v[k].nb <= l) {
			ne = hs.v[k].ne;
			oe = hs.v[k].oe;
			k++;
		}
		bool changed = k < hs.n && hs.v[k].nb <= l && l < hs.v[k].ne;
		size_t old = l - ne + oe;
		if (!changed && old < olines) {
			to.lines[to.n][0] = (uint32_t)old;
			to.lines[to.n][1] = s->lines[i][1];
			to.n++;
		} else {
			s->lines[keep][0] = s->lines[i][0];
			s->lines[keep][1] = s->lines[i][1];
			keep++;
		}
	}
	s->n = keep;
	free(hs.v);
	if (to.n)
		queue_add(q, &to);
	else
		suspect_free(&to);
	return 0;
}

/* One step of git's blame: the suspect s at its commit passes what it can to
 * the parents; what is left is the commit's own. */
static int blame_step(git_repository *repo, const history *h, struct queue *q,
		      struct suspect *s, uint32_t *owner)
{
	git_commit *c;
	if (git_commit_lookup(&c, repo, &h->commits[s->commit].oid) < 0)
		return -1;
	unsigned np = git_commit_parentcount(c);
	struct { int64_t idx; char *path; git_oid blob; } par[16];
	size_t npar = 0;
	int rc = 0;
	for (unsigned i = 0; i < np && npar < sizeof(par) / sizeof(*par) && rc == 0; i++) {
		git_commit *p;
		int64_t pi = history_commit_index(h, git_commit_parent_id(c, i));
		if (pi < 0 || git_commit_parent(&p, c, i) < 0)
			continue; /* a shallow boundary: the lines stay here */
		git_oid blob;
		int found = blob_at(p, s->path, &blob);
		char *path = NULL;
		if (found == 1)
			path = xstrdup(s->path);
		else if (found == 0)
			path = renamed_from(repo, p, c, s->path, &blob);
		else
			rc = -1;
		git_commit_free(p);
		if (!path)
			continue;
		par[npar].idx = pi;
		par[npar].path = path;
		par[npar].blob = blob;
		npar++;
	}
	git_commit_free(c);
	/* a parent with the very same content takes every line (first one wins) */
	for (size_t i = 0; i < npar && rc == 0; i++)
		if (git_oid_equal(&par[i].blob, &s->blob)) {
			struct suspect to = { .commit = (uint32_t)par[i].idx,
					      .path = par[i].path, .blob = s->blob,
					      .lines = s->lines, .n = s->n };
			par[i].path = NULL;
			s->lines = NULL;
			s->n = 0;
			queue_add(q, &to);
			break;
		}
	for (size_t i = 0; i < npar && rc == 0 && s->n; i++)
		rc = pass_to_parent(repo, q, s, (uint32_t)par[i].idx, par[i].path, &par[i].blob);
	for (size_t i = 0; i < npar; i++)
		free(par[i].path);
	if (rc == 0)
		for (size_t i = 0; i < s->n; i++)
			owner[s->lines[i][1]] = h->commits[s->commit].author;
	return rc;
}

/* Cache text: one "email count" run per line of owners. */
static char *encode(const blame *b, const history *h)
{
	strbuf sb = STRBUF_INIT;
	strbuf_add(&sb, "", 0);
	for (size_t i = 0; i < b->nlines;) {
		size_t j = i;
		while (j < b->nlines && b->owner[j] == b->owner[i])
			j++;
		strbuf_addf(&sb, "%s %zu\n", h->authors[b->owner[i]].email, j - i);
		i = j;
	}
	return strbuf_detach(&sb);
}

static int decode(blame *b, const history *h, const char *text)
{
	size_t alloc = 0;
	for (const char *p = text; *p;) {
		const char *sp = strchr(p, ' ');
		const char *nl = sp ? strchr(sp, '\n') : NULL;
		if (!sp || !nl)
			return -1;
		char *email = xstrndup(p, (size_t)(sp - p));
		int64_t a = history_author_by_email(h, email);
		free(email);
		size_t count = strtoul(sp + 1, NULL, 10);
		if (a < 0 || count == 0 || count > 10000000)
			return -1;
		if (b->nlines + count > alloc) {
			alloc = (b->nlines + count) * 2;
			b->owner = xrealloc(b->owner, alloc * sizeof(*b->owner));
		}
		for (size_t i = 0; i < count; i++)
			b->owner[b->nlines++] = (uint32_t)a;
		p = nl + 1;
	}
	return 0;
}

int blame_file(blame *b, const history_view *v, git_repository *repo, uint32_t file,
	       store *cache, int64_t repo_id, char **err)
{
	blame_free(b);
	const history *h = v->h;
	const history_file *f = &h->files[file];
	/* the versions the view can see, oldest first */
	size_t last = SIZE_MAX;
	for (size_t k = 0; k < f->n; k++)
		if (history_view_has(v, h->touches[f->touches[k]].commit))
			last = k;
	if (last == SIZE_MAX || h->touches[f->touches[last]].kind == HIST_DELETE)
		return 0;
	const history_touch *lt = &h->touches[f->touches[last]];
	/* the content at the revision itself: a merge that resolved a conflict
	 * changed the file without a touch of its own in the index */
	git_commit *rc_commit;
	if (git_commit_lookup(&rc_commit, repo, &h->commits[v->rev_commit].oid) < 0) {
		const git_error *e = git_error_last();
		*err = xasprintf("reading a commit: %s", e ? e->message : "?");
		return -1;
	}
	int found = blob_at(rc_commit, h->paths[lt->path], &b->blob);
	git_commit_free(rc_commit);
	if (found < 0) {
		const git_error *e = git_error_last();
		*err = xasprintf("reading %s: %s", h->paths[lt->path], e ? e->message : "?");
		return -1;
	}
	if (found == 0)
		b->blob = lt->blob;
	git_oid blob_id = b->blob;
	char *text = NULL;
	if (cache && store_blame_get(cache, repo_id, b->blob.id, &text) == 1) {
		int rc = decode(b, h, text);
		free(text);
		if (rc == 0) {
			b->cached = true;
			return 0;
		}
		blame_free(b); /* a stale entry: blame again */
		b->blob = blob_id;
	}
	git_blob *blob;
	if (git_blob_lookup(&blob, repo, &blob_id) < 0) {
		const git_error *e = git_error_last();
		*err = xasprintf("reading %s: %s", h->paths[lt->path], e ? e->message : "?");
		return -1;
	}
	if (git_blob_is_binary(blob)) {
		git_blob_free(blob);
		return 0;
	}
	b->nlines = count_lines(git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
	git_blob_free(blob);
	b->owner = xcalloc(b->nlines ? b->nlines : 1, sizeof(*b->owner));
	/* from the view's revision, where the file has its last version */
	struct queue q = { 0 };
	struct suspect s = { .commit = v->rev_commit, .path = xstrdup(h->paths[lt->path]),
			     .blob = blob_id };
	s.lines = xmalloc((b->nlines ? b->nlines : 1) * sizeof(*s.lines));
	for (size_t i = 0; i < b->nlines; i++) {
		s.lines[i][0] = (uint32_t)i;
		s.lines[i][1] = (uint32_t)i;
	}
	s.n = b->nlines;
	if (s.n)
		queue_add(&q, &s);
	else
		suspect_free(&s);
	int rc = 0;
	while (rc == 0 && queue_take(&q, h, &s)) {
		rc = blame_step(repo, h, &q, &s, b->owner);
		suspect_free(&s);
	}
	for (size_t i = 0; i < q.n; i++)
		suspect_free(&q.v[i]);
	free(q.v);
	if (rc < 0) {
		const git_error *e = git_error_last();
		*err = xasprintf("blaming %s: %s", h->paths[lt->path], e ? e->message : "?");
		blame_free(b);
		return -1;
	}
	if (cache) {
		char *enc = encode(b, h);
		/* a failed cache write costs speed next time, not correctness */
		(void)store_blame_put(cache, repo_id, b->blob.id, enc);
		free(enc);
	}
	return 0;
}
