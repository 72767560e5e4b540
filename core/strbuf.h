/* strbuf: a growable string, in the manner of git's strbuf. */
#ifndef MAHORAGA_STRBUF_H
#define MAHORAGA_STRBUF_H

#include <stddef.h>
#include <stdio.h>

typedef struct strbuf {
	char *buf;    /* always NUL-terminated once anything was added; NULL before */
	size_t len;
	size_t alloc;
} strbuf;

#define STRBUF_INIT { NULL, 0, 0 }

void strbuf_init(strbuf *sb);
/* Free the buffer and make sb empty again. */
void strbuf_release(strbuf *sb);
void strbuf_add(strbuf *sb, const char *data, size_t len);
void strbuf_addstr(strbuf *sb, const char *s);
void strbuf_addch(strbuf *sb, char c);
void strbuf_addf(strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append what is left to read of f, up to max bytes: 0 at its end, -1 on a read
 * error (errno), -2 when f holds more than max (sb then has max and more:
 * the caller refuses it rather than use a cut). */
int strbuf_read(strbuf *sb, FILE *f, size_t max);
/* The string (an empty one if nothing was added), now the caller's; sb is reset. */
char *strbuf_detach(strbuf *sb);

#endif
