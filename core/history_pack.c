/* The history index as one byte string (history_pack.h). */
#include "history_pack.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "xalloc.h"

/* "MHI" and a format number: bump it when a record changes. */
static const unsigned char magic[4] = { 'M', 'H', 'I', 1 };

enum { COMMIT_SIZE = GIT_OID_RAWSZ + 8 + 8 + 4 + 4 + 1,
       TOUCH_SIZE = 4 + 4 + 4 + GIT_OID_RAWSZ + 1,
       HEADER_SIZE = 4 + GIT_OID_RAWSZ + 5 * 8 };

void history_pack(const history *h, strbuf *out)
{
	strbuf_add(out, (const char *)magic, sizeof(magic));
	strbuf_add(out, (const char *)h->tip.id, GIT_OID_RAWSZ);
	bytes_put_u64(out, h->ncommits);
	bytes_put_u64(out, h->nmainline);
	bytes_put_u64(out, h->nauthors);
	bytes_put_u64(out, h->npaths);
	bytes_put_u64(out, h->ntouches);
	for (size_t i = 0; i < h->ncommits; i++) {
		const history_commit *c = &h->commits[i];
		strbuf_add(out, (const char *)c->oid.id, GIT_OID_RAWSZ);
		bytes_put_u64(out, (uint64_t)c->time);
		bytes_put_u64(out, (uint64_t)c->author_time);
		bytes_put_u32(out, c->author);
		bytes_put_u32(out, c->mp);
		strbuf_addch(out, c->merge ? 1 : 0);
	}
	for (size_t i = 0; i < h->nmainline; i++)
		bytes_put_u32(out, h->mainline[i]);
	for (size_t i = 0; i < h->nauthors; i++) {
		bytes_put_str(out, h->authors[i].email);
		bytes_put_str(out, h->authors[i].name);
	}
	for (size_t i = 0; i < h->npaths; i++)
		bytes_put_str(out, h->paths[i]);
	for (size_t i = 0; i < h->ntouches; i++) {
		const history_touch *t = &h->touches[i];
		bytes_put_u32(out, t->file);
		bytes_put_u32(out, t->commit);
		bytes_put_u32(out, t->path);
		strbuf_add(out, (const char *)t->blob.id, GIT_OID_RAWSZ);
		strbuf_addch(out, t->kind);
	}
}

static void get_oid(bytes_reader *r, git_oid *o)
{
	const unsigned char *p = bytes_take(r, GIT_OID_RAWSZ);
	if (p)
		memcpy(o->id, p, GIT_OID_RAWSZ);
}

/* A copy of the string at the cursor, or NULL. */
static char *get_str(bytes_reader *r)
{
	const char *s = bytes_str(r);
	return s ? xstrdup(s) : NULL;
}

/* A count of elements, each at least a byte long, that the bytes left can hold. */
static size_t get_count(bytes_reader *r)
{
	uint64_t n = bytes_u64(r);
	if (n > bytes_left(r) || n > UINT32_MAX) {
		r->ok = false;
		return 0;
	}
	return (size_t)n;
}

/* True if every index in h points inside h. */
static bool consistent(const history *h)
{
	for (size_t i = 0; i < h->ncommits; i++)
		if (h->commits[i].author >= h->nauthors)
			return false;
	for (size_t i = 0; i < h->nmainline; i++)
		if (h->mainline[i] >= h->ncommits)
			return false;
	/* a file id is never above the number of touches (each file has one) */
	for (size_t i = 0; i < h->ntouches; i++)
		if (h->touches[i].commit >= h->ncommits || h->touches[i].path >= h->npaths ||
		    h->touches[i].file >= h->ntouches)
			return false;
	return true;
}

static int decode(history *h, bytes_reader *r)
{
	const unsigned char *m = bytes_take(r, sizeof(magic));
	if (!m || memcmp(m, magic, sizeof(magic)) != 0)
		return -1;
	get_oid(r, &h->tip);
	size_t nc = get_count(r), nm = get_count(r), na = get_count(r), np = get_count(r),
	       nt = get_count(r);
	/* every count is bounded by the bytes left before anything is allocated */
	size_t left = bytes_left(r);
	if (!r->ok || nc > left / COMMIT_SIZE || nm > left / 4 || na > left / 2 || np > left ||
	    nt > left / TOUCH_SIZE)
		return -1;
	h->commits = xcalloc(nc ? nc : 1, sizeof(*h->commits));
	h->commits_alloc = nc ? nc : 1;
	for (; h->ncommits < nc && r->ok; h->ncommits++) {
		history_commit *c = &h->commits[h->ncommits];
		get_oid(r, &c->oid);
		c->time = (int64_t)bytes_u64(r);
		c->author_time = (int64_t)bytes_u64(r);
		c->author = bytes_u32(r);
		c->mp = bytes_u32(r);
		const unsigned char *b = bytes_take(r, 1);
		c->merge = b && *b;
	}
	h->mainline = xcalloc(nm ? nm : 1, sizeof(*h->mainline));
	h->mainline_alloc = nm ? nm : 1;
	for (; h->nmainline < nm && r->ok; h->nmainline++)
		h->mainline[h->nmainline] = bytes_u32(r);
	h->authors = xcalloc(na ? na : 1, sizeof(*h->authors));
	h->authors_alloc = na ? na : 1;
	for (; h->nauthors < na && r->ok; h->nauthors++) {
		history_author *a = &h->authors[h->nauthors];
		a->email = get_str(r);
		a->name = get_str(r);
		if (!r->ok) { /* keep what history_free frees whole */
			free(a->email);
			free(a->name);
			break;
		}
	}
	h->paths = xcalloc(np ? np : 1, sizeof(*h->paths));
	h->paths_alloc = np ? np : 1;
	for (; h->npaths < np && r->ok; h->npaths++)
		if (!(h->paths[h->npaths] = get_str(r)))
			break;
	h->touches = xcalloc(nt ? nt : 1, sizeof(*h->touches));
	h->touches_alloc = nt ? nt : 1;
	for (; h->ntouches < nt && r->ok; h->ntouches++) {
		history_touch *t = &h->touches[h->ntouches];
		t->file = bytes_u32(r);
		t->commit = bytes_u32(r);
		t->path = bytes_u32(r);
		get_oid(r, &t->blob);
		const unsigned char *k = bytes_take(r, 1);
		t->kind = k ? (char)*k : HIST_MODIFY;
	}
	if (!r->ok || bytes_left(r) != 0 || !consistent(h))
		return -1;
	return 0;
}

int history_unpack(history *h, const void *data, size_t len)
{
	bytes_reader r;
	bytes_reader_init(&r, data, len);
	if (len < HEADER_SIZE || decode(h, &r) < 0) {
		history_free(h);
		history_init(h);
		return -1;
	}
	history_finish_load(h);
	return 0;
}
