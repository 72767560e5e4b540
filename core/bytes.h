/* bytes: fixed-width little-endian numbers and NUL-terminated strings, written
 * to a strbuf and read back from bytes that are not trusted (what the store
 * keeps packed: core/history_pack, core/trace_map). */
#ifndef MAHORAGA_BYTES_H
#define MAHORAGA_BYTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

void bytes_put_u32(strbuf *out, uint32_t v);
void bytes_put_u64(strbuf *out, uint64_t v);
/* s with its NUL */
void bytes_put_str(strbuf *out, const char *s);

/* A cursor over len bytes; ok turns false at the first read past the end and
 * stays false, so a decoder checks once at the end. */
typedef struct bytes_reader {
	const unsigned char *p, *end;
	bool ok;
} bytes_reader;

void bytes_reader_init(bytes_reader *r, const void *data, size_t len);
/* The next n bytes, or NULL (and !ok) if fewer are left. */
const unsigned char *bytes_take(bytes_reader *r, size_t n);
/* 0 when past the end. */
uint32_t bytes_u32(bytes_reader *r);
uint64_t bytes_u64(bytes_reader *r);
/* The NUL-terminated string at the cursor, inside the bytes, or NULL. */
const char *bytes_str(bytes_reader *r);
size_t bytes_left(const bytes_reader *r);

#endif
