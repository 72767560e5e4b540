/* Blame as git blame -w -M does it, through each commit's parents (see blame.h). */
#include "blame.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "similarity.h"
#include "strbuf.h"
#include "xalloc.h"

void blame_init(blame *b)
{
	memset(b, 0, sizeof(*b));
}

void blame_free(blame *b)
{
	free(b->owner);
	free(b->when);
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

/* Where a parent has the suspect's file: its commit, path and content. */
struct origin {
	uint32_t commit;
	char *path;
	git_oid blob;
};

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

static int cmp_final(const void *a, const void *b)
{
	const uint32_t *x = a, *y = b;
	return x[1] < y[1] ? -1 : x[1] > y[1];
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
	XGROW(q->v, q->n, q->alloc);
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
	XGROW(hs->v, hs->n, hs->alloc);
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

/* The hunks between two texts as git blame diffs them (-w; git's diff uses the
 * indent heuristic by default). ablob and bblob are the blobs the texts are
 * whole of, or NULL. */
static int diff_texts(const git_blob *ablob, const char *a, size_t alen, const git_blob *bblob, const char *b,
		      size_t blen, struct hunks *hs)
{
	git_diff_options opts;
	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	opts.flags = GIT_DIFF_IGNORE_WHITESPACE | GIT_DIFF_FORCE_TEXT | GIT_DIFF_INDENT_HEURISTIC;
	opts.context_lines = 0;
	opts.interhunk_lines = 0;
	hs->n = 0;
	/* git's xdi_diff first drops the identical 1 KiB blocks at the end (back to
	 * a line start); with repeated lines that decides which copy matches, so
	 * blame does the same to agree with git */
	const size_t blk = 1024;
	size_t trimmed = 0, recovered = 0, smaller = alen < blen ? alen : blen;
	while (blk + trimmed <= smaller &&
	       memcmp(a + alen - trimmed - blk, b + blen - trimmed - blk, blk) == 0)
		trimmed += blk;
	while (recovered < trimmed)
		if (a[alen - trimmed + recovered++] == '\n')
			break;
	/* libgit2 hashes every buffer it is given, not a blob: whole texts go as
	 * blobs (hashing the parent's text for every moved block looked for was
	 * a fifth of a cold blame) */
	if (trimmed == recovered && ablob && bblob)
		return git_diff_blobs(ablob, NULL, bblob, NULL, &opts, NULL, NULL, hunk_cb, NULL, hs);
	if (trimmed == recovered && ablob)
		return git_diff_blob_to_buffer(ablob, NULL, b, blen, NULL, &opts, NULL, NULL, hunk_cb, NULL, hs);
	alen -= trimmed - recovered;
	blen -= trimmed - recovered;
	return git_diff_buffers(a, alen, NULL, b, blen, NULL, &opts, NULL, NULL, hunk_cb, NULL, hs);
}

/* A blob's text with its line starts: start[i] is where line i begins,
 * start[nlines] the end. */
struct text {
	git_blob *blob;
	const char *p;
	size_t *start;
	size_t nlines;
};

static int text_load(struct text *x, git_repository *repo, const git_oid *id)
{
	memset(x, 0, sizeof(*x));
	if (git_blob_lookup(&x->blob, repo, id) < 0)
		return -1;
	x->p = git_blob_rawcontent(x->blob);
	size_t n = (size_t)git_blob_rawsize(x->blob);
	x->nlines = count_lines(x->p, n);
	x->start = xmalloc((x->nlines + 1) * sizeof(*x->start));
	size_t l = 0;
	x->start[0] = 0;
	for (size_t i = 0; i < n; i++)
		if (x->p[i] == '\n' && l + 1 <= x->nlines)
			x->start[++l] = i + 1;
	x->start[x->nlines] = n;
	return 0;
}

static void text_free(struct text *x)
{
	git_blob_free(x->blob);
	free(x->start);
	memset(x, 0, sizeof(*x));
}

/* git's score of lines [from, to): one plus their letters and digits. */
static unsigned text_score(const struct text *x, size_t from, size_t to)
{
	unsigned score = 1;
	for (size_t i = x->start[from]; i < x->start[to]; i++)
		score += isalnum((unsigned char)x->p[i]) != 0;
	return score;
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

/* Where path of commit c (content target) came from in parent p when p has no
 * such path, as git blame's find_rename looks for it: among the paths c
 * deleted, the same content, else the most similar by git's own estimate
 * (core/similarity) if at least half; only renames to this path count
 * (git's single_follow), so a file split in two is followed from both
 * halves. Returns the old path (free it) and its blob, or NULL. */
static char *renamed_from(git_repository *repo, git_commit *p, git_commit *c, const char *path,
			  const git_oid *target, git_oid *blob)
{
	git_tree *a = NULL, *b = NULL;
	git_diff *diff = NULL;
	git_blob *tb = NULL;
	char *found = NULL;
	unsigned best = SIMILARITY_MAX / 2;
	if (git_commit_tree(&a, p) < 0 || git_commit_tree(&b, c) < 0 ||
	    git_diff_tree_to_tree(&diff, repo, a, b, NULL) < 0)
		goto out;
	size_t n = git_diff_num_deltas(diff);
	for (size_t i = 0; i < n && !found; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		if (d->status == GIT_DELTA_DELETED && git_oid_equal(&d->old_file.id, target)) {
			found = xstrdup(d->old_file.path);
			git_oid_cpy(blob, &d->old_file.id);
		}
	}
	if (found || git_blob_lookup(&tb, repo, target) < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		git_blob *sb;
		if (d->status != GIT_DELTA_DELETED || git_blob_lookup(&sb, repo, &d->old_file.id) < 0)
			continue;
		unsigned score = similarity_score(git_blob_rawcontent(sb), (size_t)git_blob_rawsize(sb),
						  git_blob_rawcontent(tb), (size_t)git_blob_rawsize(tb));
		git_blob_free(sb);
		if (score >= best && (!found || score > best)) {
			best = score;
			free(found);
			found = xstrdup(d->old_file.path);
			git_oid_cpy(blob, &d->old_file.id);
		}
	}
out:
	git_blob_free(tb);
	git_diff_free(diff);
	git_tree_free(a);
	git_tree_free(b);
	return found;
}

/* Pass the lines of s that the parent's version (o, text par) shares with s's
 * version (own) to a new suspect in the queue; the rest stay in s. */
static int pass_to_parent(struct queue *q, struct suspect *s, const struct text *own,
			  const struct origin *o, const struct text *par)
{
	struct hunks hs = { 0 };
	if (diff_texts(par->blob, par->p, par->start[par->nlines], own->blob, own->p, own->start[own->nlines], &hs) <
	    0) {
		free(hs.v);
		return -1;
	}
	struct suspect to = { .commit = o->commit, .path = xstrdup(o->path), .blob = o->blob };
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
		if (!changed && old < par->nlines) {
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

/* A run of lines still unblamed: consecutive here and in the blamed version. */
struct piece {
	uint32_t here, final, n;
};

struct pieces {
	struct piece *v;
	size_t n, alloc;
};

static void pieces_add(struct pieces *ps, uint32_t here, uint32_t final, uint32_t n)
{
	XGROW(ps->v, ps->n, ps->alloc);
	ps->v[ps->n++] = (struct piece){ here, final, n };
}

/* git's default -M threshold: a moved block needs more letters and digits */
#define MOVE_SCORE 20

/* Pieces too small to be looked for go to stay; the others to out. */
static void filter_small(const struct text *own, struct pieces *in, struct pieces *out,
			 struct pieces *stay)
{
	for (size_t i = 0; i < in->n; i++) {
		const struct piece *e = &in->v[i];
		struct pieces *to = text_score(own, e->here, e->here + e->n) <= MOVE_SCORE ? stay : out;
		pieces_add(to, e->here, e->final, e->n);
	}
	in->n = 0;
}

/* git blame -M for one parent: each unblamed piece is looked for in the
 * parent's whole version; the best-scoring common block found moves to the
 * parent, the piece's rest is looked for again. Pieces never found go to
 * leftover. */
static int find_moves(struct queue *q, const struct text *own, const struct origin *o,
		      const struct text *par, struct pieces *unblamed, struct pieces *leftover,
		      struct pieces *stay)
{
	struct suspect to = { .commit = o->commit, .path = xstrdup(o->path), .blob = o->blob };
	size_t to_alloc = 0;
	struct hunks hs = { 0 };
	struct pieces next = { 0 };
	int rc = 0;
	while (unblamed->n && rc == 0) {
		for (size_t i = 0; i < unblamed->n && rc == 0; i++) {
			struct piece e = unblamed->v[i];
			const char *chunk = own->p + own->start[e.here];
			size_t clen = own->start[e.here + e.n] - own->start[e.here];
			if (diff_texts(par->blob, par->p, par->start[par->nlines], NULL, chunk, clen, &hs) < 0) {
				rc = -1;
				break;
			}
			/* the common blocks lie between the hunks; later ones win ties */
			size_t tl = 0, pl = 0, bt = 0, bs = 0, bp = 0;
			unsigned best = 0;
			for (size_t k = 0; k <= hs.n; k++) {
				size_t same = k < hs.n ? hs.v[k].nb : e.n;
				if (same > e.n)
					same = e.n;
				if (tl < same) {
					unsigned sc = text_score(own, e.here + tl, e.here + same);
					if (sc >= best) {
						best = sc;
						bt = tl;
						bs = same;
						bp = pl;
					}
				}
				if (k < hs.n) {
					tl = hs.v[k].ne;
					pl = hs.v[k].oe;
				}
			}
			if (best <= MOVE_SCORE) {
				pieces_add(leftover, e.here, e.final, e.n);
				continue;
			}
			for (size_t l = bt; l < bs; l++) {
				XGROW(to.lines, to.n, to_alloc);
				to.lines[to.n][0] = (uint32_t)(bp + (l - bt));
				to.lines[to.n][1] = e.final + (uint32_t)l;
				to.n++;
			}
			if (bt > 0)
				pieces_add(&next, e.here, e.final, (uint32_t)bt);
			if (bs < e.n)
				pieces_add(&next, e.here + (uint32_t)bs, e.final + (uint32_t)bs,
					   e.n - (uint32_t)bs);
		}
		unblamed->n = 0;
		filter_small(own, &next, unblamed, stay);
	}
	free(hs.v);
	free(next.v);
	if (rc == 0 && to.n) {
		qsort(to.lines, to.n, sizeof(*to.lines), cmp_pair);
		queue_add(q, &to);
	} else {
		suspect_free(&to);
	}
	return rc;
}

/* What diffs left of s, looked for as moves in each parent in turn (git's
 * -M); s keeps what no parent had. */
static int pass_moves(struct queue *q, struct suspect *s, const struct text *own,
		      const struct origin *par, const struct text *ptext, size_t npar)
{
	struct pieces all = { 0 }, unblamed = { 0 }, leftover = { 0 }, stay = { 0 };
	/* runs are found in the order of the blamed version: a line here copied
	 * to several places (an earlier -M) is several pairs with the same line
	 * here, which in that order would break every run into single lines too
	 * small to look for */
	qsort(s->lines, s->n, sizeof(*s->lines), cmp_final);
	for (size_t i = 0; i < s->n;) {
		size_t j = i + 1;
		while (j < s->n && s->lines[j][0] == s->lines[j - 1][0] + 1 &&
		       s->lines[j][1] == s->lines[j - 1][1] + 1)
			j++;
		pieces_add(&all, s->lines[i][0], s->lines[i][1], (uint32_t)(j - i));
		i = j;
	}
	filter_small(own, &all, &unblamed, &stay);
	int rc = 0;
	for (size_t p = 0; p < npar && unblamed.n && rc == 0; p++) {
		leftover.n = 0;
		rc = find_moves(q, own, &par[p], &ptext[p], &unblamed, &leftover, &stay);
		struct pieces t = unblamed;
		unblamed = leftover;
		leftover = t;
	}
	/* s keeps the pieces that stayed */
	s->n = 0;
	for (int pass = 0; pass < 2; pass++) {
		const struct pieces *ps = pass ? &unblamed : &stay;
		for (size_t i = 0; i < ps->n; i++)
			for (uint32_t l = 0; l < ps->v[i].n; l++) {
				s->lines[s->n][0] = ps->v[i].here + l;
				s->lines[s->n][1] = ps->v[i].final + l;
				s->n++;
			}
	}
	free(all.v);
	free(unblamed.v);
	free(leftover.v);
	free(stay.v);
	return rc;
}

/* For one path: which commits of the index change what is at it (a touch at
 * the path, or a file moving or deleted away from it). A non-merge commit that
 * does not is TREESAME for the path, and its parent has the same content. */
struct path_marks {
	char *path;
	uint8_t *changed; /* one flag per commit */
};

struct marks {
	struct path_marks *v;
	size_t n, alloc;
};

static const uint8_t *marks_for(struct marks *m, const history *h, const char *path)
{
	for (size_t i = 0; i < m->n; i++)
		if (strcmp(m->v[i].path, path) == 0)
			return m->v[i].changed;
	XGROW(m->v, m->n, m->alloc);
	struct path_marks *pm = &m->v[m->n++];
	pm->path = xstrdup(path);
	pm->changed = xcalloc(h->ncommits ? h->ncommits : 1, 1);
	for (size_t f = 0; f < h->nfiles; f++) {
		const history_file *hf = &h->files[f];
		bool was_here = false;
		for (size_t k = 0; k < hf->n; k++) {
			const history_touch *t = &h->touches[hf->touches[k]];
			if (t->kind == HIST_INHERIT)
				continue;
			bool here = strcmp(h->paths[t->path], path) == 0;
			if (here || was_here)
				pm->changed[t->commit] = 1;
			was_here = here && t->kind != HIST_DELETE;
		}
	}
	return pm->changed;
}

static void marks_free(struct marks *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->v[i].path);
		free(m->v[i].changed);
	}
	free(m->v);
}

/* One step of git's blame: the suspect s at its commit passes what it can to
 * the parents; what is left is the commit's own. */
static int blame_step(git_repository *repo, const history *h, struct queue *q,
		      struct suspect *s, uint32_t *owner, int64_t *when, struct marks *marks)
{
	git_commit *c;
	if (git_commit_lookup(&c, repo, &h->commits[s->commit].oid) < 0)
		return -1;
	unsigned np = git_commit_parentcount(c);
	/* most commits leave the path alone: the lines go to the parent unread */
	if (np == 1 && !marks_for(marks, h, s->path)[s->commit]) {
		int64_t pi = history_commit_index(h, git_commit_parent_id(c, 0));
		if (pi >= 0) {
			git_commit_free(c);
			struct suspect to = *s;
			to.commit = (uint32_t)pi;
			memset(s, 0, sizeof(*s));
			queue_add(q, &to);
			return 0;
		}
	}
	struct origin par[16]; /* an octopus merge's further parents are not followed */
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
			path = renamed_from(repo, p, c, s->path, &s->blob, &blob);
		else
			rc = -1;
		git_commit_free(p);
		if (!path)
			continue;
		par[npar].commit = (uint32_t)pi;
		par[npar].path = path;
		par[npar].blob = blob;
		npar++;
		/* a parent with the very same content takes every line; as in
		 * git, the later parents are not even looked at (finding where a
		 * path came from in a parent that lacks it diffs whole trees) */
		if (git_oid_equal(&blob, &s->blob)) {
			struct suspect to = { .commit = (uint32_t)pi, .path = path,
					      .blob = s->blob, .lines = s->lines, .n = s->n };
			par[--npar].path = NULL;
			s->lines = NULL;
			s->n = 0;
			queue_add(q, &to);
			break;
		}
	}
	git_commit_free(c);
	struct text own = { 0 }, ptext[16];
	size_t nloaded = 0;
	if (rc == 0 && s->n && npar) {
		rc = text_load(&own, repo, &s->blob);
		for (; rc == 0 && nloaded < npar; nloaded++)
			if (text_load(&ptext[nloaded], repo, &par[nloaded].blob) < 0)
				rc = -1;
	}
	for (size_t i = 0; i < npar && rc == 0 && s->n; i++)
		rc = pass_to_parent(q, s, &own, &par[i], &ptext[i]);
	if (rc == 0 && s->n && npar)
		rc = pass_moves(q, s, &own, par, ptext, npar);
	text_free(&own);
	for (size_t i = 0; i < nloaded; i++)
		text_free(&ptext[i]);
	for (size_t i = 0; i < npar; i++)
		free(par[i].path);
	if (rc == 0)
		for (size_t i = 0; i < s->n; i++) {
			owner[s->lines[i][1]] = h->commits[s->commit].author;
			when[s->lines[i][1]] = h->commits[s->commit].author_time;
		}
	return rc;
}

/* Cache text: one "email count time" run per run of lines with the same
 * author and commit time. (Entries without the time, from before lines had
 * one, do not decode: they are blamed again.) */
static char *encode(const blame *b, const history *h)
{
	strbuf sb = STRBUF_INIT;
	strbuf_add(&sb, "", 0);
	for (size_t i = 0; i < b->nlines;) {
		size_t j = i;
		while (j < b->nlines && b->owner[j] == b->owner[i] && b->when[j] == b->when[i])
			j++;
		strbuf_addf(&sb, "%s %zu %lld\n", h->authors[b->owner[i]].email, j - i, (long long)b->when[i]);
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
		char *end;
		size_t count = strtoul(sp + 1, &end, 10);
		if (a < 0 || count == 0 || count > 10000000 || *end != ' ')
			return -1;
		long long t = strtoll(end + 1, &end, 10);
		if (end != nl)
			return -1;
		if (b->nlines + count > alloc) {
			alloc = (b->nlines + count) * 2;
			b->owner = xrealloc(b->owner, alloc * sizeof(*b->owner));
			b->when = xrealloc(b->when, alloc * sizeof(*b->when));
		}
		for (size_t i = 0; i < count; i++) {
			b->when[b->nlines] = (int64_t)t;
			b->owner[b->nlines++] = (uint32_t)a;
		}
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
	if (cache && store_blame_get(cache, repo_id, b->blob.id, h->paths[lt->path], &text) == 1) {
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
	b->when = xcalloc(b->nlines ? b->nlines : 1, sizeof(*b->when));
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
	struct marks marks = { 0 };
	while (rc == 0 && queue_take(&q, h, &s)) {
		rc = blame_step(repo, h, &q, &s, b->owner, b->when, &marks);
		suspect_free(&s);
	}
	marks_free(&marks);
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
		(void)store_blame_put(cache, repo_id, b->blob.id, h->paths[lt->path], enc);
		free(enc);
	}
	return 0;
}
