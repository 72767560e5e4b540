/* git's rename similarity (similarity.h), after diffcore-delta.c. */
#include "similarity.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

#define HASHBASE 107927 /* under 2^17: sort_by_hash */

struct span {
	unsigned hashval;
	size_t cnt;          /* bytes in spans with this hash */
};

struct spans {
	struct span *v;
	size_t n, alloc;
};

static void add(struct spans *s, unsigned hashval, size_t n)
{
	XGROW(s->v, s->n, s->alloc);
	s->v[s->n].hashval = hashval;
	s->v[s->n].cnt = n;
	s->n++;
}

/* Order spans by hash: hashes are under 2^17 (HASHBASE), so two counting
 * passes of 9 bits; qsort's calls to a comparison were a seventh of the index
 * build of a history that adds many files (labstack/echo). */
static void sort_by_hash(struct spans *s)
{
	struct span *tmp = xmalloc((s->n ? s->n : 1) * sizeof(*tmp));
	for (unsigned shift = 0; shift < 18; shift += 9) {
		size_t start[513] = { 0 };
		for (size_t i = 0; i < s->n; i++)
			start[((s->v[i].hashval >> shift) & 511) + 1]++;
		for (size_t b = 1; b < 513; b++)
			start[b] += start[b - 1];
		for (size_t i = 0; i < s->n; i++)
			tmp[start[(s->v[i].hashval >> shift) & 511]++] = s->v[i];
		struct span *t = s->v;
		s->v = tmp;
		tmp = t;
	}
	free(tmp);
}

/* git's binary test: a NUL in the first 8000 bytes */
static int is_binary(const char *p, size_t n)
{
	return memchr(p, '\0', n < 8000 ? n : 8000) != NULL;
}

/* Spans end at a newline or after 64 bytes; equal hashes are summed. */
static void hash_chars(const char *buf, size_t sz, struct spans *out)
{
	int text = !is_binary(buf, sz);
	unsigned accum1 = 0, accum2 = 0;
	size_t n = 0;
	const unsigned char *p = (const unsigned char *)buf;
	while (sz) {
		unsigned c = *p++;
		unsigned old_1 = accum1;
		sz--;
		/* a CR of a CRLF does not count in a text */
		if (text && c == '\r' && sz && *p == '\n')
			continue;
		accum1 = (accum1 << 7) ^ (accum2 >> 25);
		accum2 = (accum2 << 7) ^ (old_1 >> 25);
		accum1 += c;
		if (++n < 64 && c != '\n')
			continue;
		add(out, (accum1 + accum2 * 0x61) % HASHBASE, n);
		n = 0;
		accum1 = accum2 = 0;
	}
	if (n > 0)
		add(out, (accum1 + accum2 * 0x61) % HASHBASE, n);
	sort_by_hash(out);
	size_t k = 0;
	for (size_t i = 0; i < out->n; i++) {
		if (k && out->v[k - 1].hashval == out->v[i].hashval)
			out->v[k - 1].cnt += out->v[i].cnt;
		else
			out->v[k++] = out->v[i];
	}
	out->n = k;
}

struct similarity_sig {
	struct spans spans;
	size_t len;
};

bool similarity_sizes_may_match(size_t src_len, size_t dst_len)
{
	size_t max = src_len > dst_len ? src_len : dst_len;
	size_t base = src_len < dst_len ? src_len : dst_len;
	return dst_len &&
	       (double)max * (SIMILARITY_MAX - SIMILARITY_MAX / 2) >= (double)(max - base) * SIMILARITY_MAX;
}

similarity_sig *similarity_sig_new(const char *buf, size_t len)
{
	similarity_sig *s = xcalloc(1, sizeof(*s));
	s->len = len;
	hash_chars(buf, len, &s->spans);
	return s;
}

void similarity_sig_free(similarity_sig *s)
{
	if (!s)
		return;
	free(s->spans.v);
	free(s);
}

unsigned similarity_sig_score(const similarity_sig *src, const similarity_sig *dst)
{
	if (!similarity_sizes_may_match(src->len, dst->len))
		return 0;
	const struct spans *s = &src->spans, *d = &dst->spans;
	size_t copied = 0;
	for (size_t i = 0, j = 0; j < d->n; j++) {
		while (i < s->n && s->v[i].hashval < d->v[j].hashval)
			i++;
		size_t sc = i < s->n && s->v[i].hashval == d->v[j].hashval ? s->v[i].cnt : 0;
		copied += sc < d->v[j].cnt ? sc : d->v[j].cnt;
	}
	size_t max = src->len > dst->len ? src->len : dst->len;
	return (unsigned)((double)copied * SIMILARITY_MAX / (double)max);
}

unsigned similarity_score(const char *src, size_t src_len, const char *dst, size_t dst_len)
{
	if (!similarity_sizes_may_match(src_len, dst_len))
		return 0;
	similarity_sig *s = similarity_sig_new(src, src_len), *d = similarity_sig_new(dst, dst_len);
	unsigned score = similarity_sig_score(s, d);
	similarity_sig_free(s);
	similarity_sig_free(d);
	return score;
}
