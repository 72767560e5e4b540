/* Packing numbers and strings (bytes.h). */
#include "bytes.h"

#include <string.h>

static void put_le(strbuf *out, uint64_t v, int n)
{
	char p[8];
	for (int i = 0; i < n; i++)
		p[i] = (char)(unsigned char)(v >> (8 * i));
	strbuf_add(out, p, (size_t)n);
}

void bytes_put_u32(strbuf *out, uint32_t v)
{
	put_le(out, v, 4);
}

void bytes_put_u64(strbuf *out, uint64_t v)
{
	put_le(out, v, 8);
}

void bytes_put_str(strbuf *out, const char *s)
{
	strbuf_add(out, s, strlen(s) + 1);
}

void bytes_reader_init(bytes_reader *r, const void *data, size_t len)
{
	r->p = data;
	r->end = r->p + (data ? len : 0);
	r->ok = data != NULL;
}

const unsigned char *bytes_take(bytes_reader *r, size_t n)
{
	if (!r->ok || (size_t)(r->end - r->p) < n) {
		r->ok = false;
		return NULL;
	}
	const unsigned char *at = r->p;
	r->p += n;
	return at;
}

static uint64_t get_le(bytes_reader *r, int n)
{
	const unsigned char *p = bytes_take(r, (size_t)n);
	uint64_t v = 0;
	for (int i = 0; p && i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

uint32_t bytes_u32(bytes_reader *r)
{
	return (uint32_t)get_le(r, 4);
}

uint64_t bytes_u64(bytes_reader *r)
{
	return get_le(r, 8);
}

const char *bytes_str(bytes_reader *r)
{
	if (!r->ok)
		return NULL;
	const unsigned char *nul = memchr(r->p, '\0', (size_t)(r->end - r->p));
	if (!nul) {
		r->ok = false;
		return NULL;
	}
	const char *s = (const char *)r->p;
	r->p = nul + 1;
	return s;
}

size_t bytes_left(const bytes_reader *r)
{
	return r->ok ? (size_t)(r->end - r->p) : 0;
}
