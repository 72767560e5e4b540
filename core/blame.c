/* Blame by replaying a file's versions with blob diffs (see blame.h). */
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

struct hunks {
	struct { int old_start, old_lines, new_start, new_lines; } *v;
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
	hs->v[hs->n].old_start = h->old_start;
	hs->v[hs->n].old_lines = h->old_lines;
	hs->v[hs->n].new_start = h->new_start;
	hs->v[hs->n].new_lines = h->new_lines;
	hs->n++;
	return 0;
}

/* The owners after one more version: unchanged lines keep theirs. */
static int next_version(git_repository *repo, git_blob *old, git_blob *new, uint32_t author,
			uint32_t **owner, size_t *nlines)
{
	size_t nnew = count_lines(git_blob_rawcontent(new), (size_t)git_blob_rawsize(new));
	uint32_t *out = xmalloc((nnew ? nnew : 1) * sizeof(*out));
	if (!old) {
		for (size_t i = 0; i < nnew; i++)
			out[i] = author;
	} else {
		git_diff_options opts;
		git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
		opts.flags = GIT_DIFF_IGNORE_WHITESPACE | GIT_DIFF_FORCE_TEXT;
		opts.context_lines = 0;
		opts.interhunk_lines = 0;
		struct hunks hs = { 0 };
		if (git_diff_blobs(old, NULL, new, NULL, &opts, NULL, NULL, hunk_cb, NULL, &hs) < 0) {
			free(hs.v);
			free(out);
			return -1;
		}
		(void)repo;
		size_t oi = 0, ni = 0;
		for (size_t k = 0; k < hs.n; k++) {
			/* a hunk that adds no lines starts after its new_start; one that
			 * removes none starts after its old_start */
			size_t new_before = (size_t)(hs.v[k].new_lines ? hs.v[k].new_start - 1 : hs.v[k].new_start);
			while (ni < new_before && ni < nnew && oi < *nlines)
				out[ni++] = (*owner)[oi++];
			oi = (size_t)(hs.v[k].old_lines ? hs.v[k].old_start - 1 : hs.v[k].old_start) +
			     (size_t)hs.v[k].old_lines;
			for (int i = 0; i < hs.v[k].new_lines && ni < nnew; i++)
				out[ni++] = author;
		}
		while (ni < nnew && oi < *nlines)
			out[ni++] = (*owner)[oi++];
		while (ni < nnew) /* only if the diff and the line count disagree */
			out[ni++] = author;
		free(hs.v);
	}
	free(*owner);
	*owner = out;
	*nlines = nnew;
	return 0;
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
	b->blob = h->touches[f->touches[last]].blob;
	char *text = NULL;
	if (cache && store_blame_get(cache, repo_id, b->blob.id, &text) == 1) {
		int rc = decode(b, h, text);
		free(text);
		if (rc == 0) {
			b->cached = true;
			return 0;
		}
		blame_free(b); /* a stale entry: blame again */
		b->blob = h->touches[f->touches[last]].blob;
	}
	git_blob *prev = NULL;
	int rc = 0;
	for (size_t k = 0; k <= last && rc == 0; k++) {
		const history_touch *t = &h->touches[f->touches[k]];
		if (!history_view_has(v, t->commit))
			continue;
		if (t->kind == HIST_DELETE) {
			git_blob_free(prev);
			prev = NULL;
			b->nlines = 0;
			continue;
		}
		git_blob *cur;
		if (git_blob_lookup(&cur, repo, &t->blob) < 0) {
			const git_error *e = git_error_last();
			*err = xasprintf("reading %s: %s", h->paths[t->path], e ? e->message : "?");
			rc = -1;
			break;
		}
		if (git_blob_is_binary(cur)) {
			git_blob_free(cur);
			git_blob_free(prev);
			blame_free(b);
			return 0;
		}
		uint32_t author = h->commits[t->commit].author;
		if (next_version(repo, prev, cur, author, &b->owner, &b->nlines) < 0) {
			const git_error *e = git_error_last();
			*err = xasprintf("diffing %s: %s", h->paths[t->path], e ? e->message : "?");
			rc = -1;
		}
		git_blob_free(prev);
		prev = cur;
	}
	git_blob_free(prev);
	if (rc < 0) {
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
