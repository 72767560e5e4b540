/* The history index as one byte string (history_pack.h). */
#include "history_pack.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* "MHI" and a format number: bump it when a record changes. */
static const unsigned char magic[4] = { 'M', 'H', 'I', 1 };

enum { COMMIT_SIZE = GIT_OID_RAWSZ + 8 + 8 + 4 + 4 + 1,
       TOUCH_SIZE = 4 + 4 + 4 + GIT_OID_RAWSZ + 1,
       HEADER_SIZE = 4 + GIT_OID_RAWSZ + 5 * 8 };

static void put_u32(strbuf *b, uint32_t v)
{
	unsigned char p[4];
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
	strbuf_add(b, (const char *)p, sizeof(p));
}

static void put_u64(strbuf *b, uint64_t v)
{
	unsigned char p[8];
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
	strbuf_add(b, (const char *)p, sizeof(p));
}

void history_pack(const history *h, strbuf *out)
{
	strbuf_add(out, (const char *)magic, sizeof(magic));
	strbuf_add(out, (const char *)h->tip.id, GIT_OID_RAWSZ);
	put_u64(out, h->ncommits);
	put_u64(out, h->nmainline);
	put_u64(out, h->nauthors);
	put_u64(out, h->npaths);
	put_u64(out, h->ntouches);
	for (size_t i = 0; i < h->ncommits; i++) {
		const history_commit *c = &h->commits[i];
		strbuf_add(out, (const char *)c->oid.id, GIT_OID_RAWSZ);
		put_u64(out, (uint64_t)c->time);
		put_u64(out, (uint64_t)c->author_time);
		put_u32(out, c->author);
		put_u32(out, c->mp);
		strbuf_addch(out, c->merge ? 1 : 0);
	}
	for (size_t i = 0; i < h->nmainline; i++)
		put_u32(out, h->mainline[i]);
	for (size_t i = 0; i < h->nauthors; i++) {
		strbuf_add(out, h->authors[i].email, strlen(h->authors[i].email) + 1);
		strbuf_add(out, h->authors[i].name, strlen(h->authors[i].name) + 1);
	}
	for (size_t i = 0; i < h->npaths; i++)
		strbuf_add(out, h->paths[i], strlen(h->paths[i]) + 1);
	for (size_t i = 0; i < h->ntouches; i++) {
		const history_touch *t = &h->touches[i];
		put_u32(out, t->file);
		put_u32(out, t->commit);
		put_u32(out, t->path);
		strbuf_add(out, (const char *)t->blob.id, GIT_OID_RAWSZ);
		strbuf_addch(out, t->kind);
	}
}

/* A cursor over the bytes being decoded; ok turns false at the first read past
 * the end and stays false. */
struct reader {
	const unsigned char *p, *end;
	bool ok;
};

static const unsigned char *take(struct reader *r, size_t n)
{
	if (!r->ok || (size_t)(r->end - r->p) < n) {
		r->ok = false;
		return NULL;
	}
	const unsigned char *at = r->p;
	r->p += n;
	return at;
}

static uint32_t get_u32(struct reader *r)
{
	const unsigned char *p = take(r, 4);
	uint32_t v = 0;
	for (int i = 0; p && i < 4; i++)
		v |= (uint32_t)p[i] << (8 * i);
	return v;
}

static uint64_t get_u64(struct reader *r)
{
	const unsigned char *p = take(r, 8);
	uint64_t v = 0;
	for (int i = 0; p && i < 8; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static void get_oid(struct reader *r, git_oid *o)
{
	const unsigned char *p = take(r, GIT_OID_RAWSZ);
	if (p)
		memcpy(o->id, p, GIT_OID_RAWSZ);
}

/* A copy of the NUL-terminated string at the cursor, or NULL. */
static char *get_str(struct reader *r)
{
	if (!r->ok)
		return NULL;
	const unsigned char *nul = memchr(r->p, '\0', (size_t)(r->end - r->p));
	if (!nul) {
		r->ok = false;
		return NULL;
	}
	char *s = xstrdup((const char *)r->p);
	r->p = nul + 1;
	return s;
}

/* A count of elements, each at least a byte long, that the bytes left can hold. */
static size_t get_count(struct reader *r)
{
	uint64_t n = get_u64(r);
	if (n > (uint64_t)(r->end - r->p) || n > UINT32_MAX) {
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

static int decode(history *h, struct reader *r)
{
	const unsigned char *m = take(r, sizeof(magic));
	if (!m || memcmp(m, magic, sizeof(magic)) != 0)
		return -1;
	get_oid(r, &h->tip);
	size_t nc = get_count(r), nm = get_count(r), na = get_count(r), np = get_count(r),
	       nt = get_count(r);
	/* every count is bounded by the bytes left before anything is allocated */
	size_t left = (size_t)(r->end - r->p);
	if (!r->ok || nc > left / COMMIT_SIZE || nm > left / 4 || na > left / 2 || np > left ||
	    nt > left / TOUCH_SIZE)
		return -1;
	h->commits = xcalloc(nc ? nc : 1, sizeof(*h->commits));
	h->commits_alloc = nc ? nc : 1;
	for (; h->ncommits < nc && r->ok; h->ncommits++) {
		history_commit *c = &h->commits[h->ncommits];
		get_oid(r, &c->oid);
		c->time = (int64_t)get_u64(r);
		c->author_time = (int64_t)get_u64(r);
		c->author = get_u32(r);
		c->mp = get_u32(r);
		const unsigned char *b = take(r, 1);
		c->merge = b && *b;
	}
	h->mainline = xcalloc(nm ? nm : 1, sizeof(*h->mainline));
	h->mainline_alloc = nm ? nm : 1;
	for (; h->nmainline < nm && r->ok; h->nmainline++)
		h->mainline[h->nmainline] = get_u32(r);
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
		t->file = get_u32(r);
		t->commit = get_u32(r);
		t->path = get_u32(r);
		get_oid(r, &t->blob);
		const unsigned char *k = take(r, 1);
		t->kind = k ? (char)*k : HIST_MODIFY;
	}
	if (!r->ok || r->p != r->end || !consistent(h))
		return -1;
	return 0;
}

int history_unpack(history *h, const void *data, size_t len)
{
	struct reader r = { data, (const unsigned char *)data + len, true };
	if (!data || len < HEADER_SIZE || decode(h, &r) < 0) {
		history_free(h);
		history_init(h);
		return -1;
	}
	history_finish_load(h);
	return 0;
}
