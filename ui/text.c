/* Drawing untrusted text: sanitized, measured in columns (see ui_internal.h). */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "sanitize.h"
#include "ui_internal.h"
#include "xalloc.h"

/* Bytes of the UTF-8 sequence led by c (sanitize_text leaves only valid ones). */
static size_t utf8_len(unsigned char c)
{
	return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/* The character at s[i] of len bytes: its length in bytes and its width in
 * columns; *shown false when the locale cannot show it (drawn as one '?'). */
static size_t one_char(const char *s, size_t len, size_t i, mbstate_t *st, int *cw, bool *shown)
{
	wchar_t wc;
	size_t n = mbrtowc(&wc, s + i, len - i, st);
	*cw = 1;
	*shown = true;
	if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
		memset(st, 0, sizeof(*st));
		n = utf8_len((unsigned char)s[i]);
		*shown = false;
	} else if ((*cw = wcwidth(wc)) < 0) {
		*cw = 1;
	}
	return n < len - i ? n : len - i;
}

/* Walk the characters of s (len bytes) that fit in width columns: the bytes
 * they take, their columns in *cols; with out (len + 1 bytes), a copy in which
 * what the locale cannot show (a terminal without UTF-8) is one '?' each,
 * instead of cutting the rest of the text. */
static size_t fit(const char *s, size_t len, int width, char *out, int *cols)
{
	mbstate_t st;
	memset(&st, 0, sizeof(st));
	size_t i = 0, o = 0;
	int cw;
	bool shown;
	*cols = 0;
	while (i < len) {
		size_t n = one_char(s, len, i, &st, &cw, &shown);
		if (*cols + cw > width)
			break;
		if (out && shown) {
			memcpy(out + o, s + i, n);
			o += n;
		} else if (out) {
			out[o++] = '?';
		}
		*cols += cw;
		i += n;
	}
	if (out)
		out[o] = '\0';
	return i;
}

size_t ui_fit(const char *s, size_t len, int width)
{
	int cols;
	return fit(s, len, width, NULL, &cols);
}

int ui_put(WINDOW *w, int y, int x, const char *text, int width)
{
	if (!text || width <= 0)
		return 0;
	char *s = sanitize_text(text, strlen(text), 0);
	size_t len = strlen(s);
	char *out = xmalloc(len + 1);
	int cols;
	fit(s, len, width, out, &cols);
	mvwaddstr(w, y, x, out);
	free(out);
	free(s);
	return cols;
}

void ui_age(time_t then, time_t now, char *buf, size_t n)
{
	long d = then ? (long)(now - then) : -1;
	if (d < 0)
		snprintf(buf, n, "-");
	else if (d < 120)
		snprintf(buf, n, "%lds", d);
	else if (d < 7200)
		snprintf(buf, n, "%ldm", d / 60);
	else if (d < 172800)
		snprintf(buf, n, "%ldh", d / 3600);
	else
		snprintf(buf, n, "%ldd", d / 86400);
}

int ui_put_tail(WINDOW *w, int y, int x, const char *text, int width)
{
	if (!text || width <= 0)
		return 0;
	char *s = sanitize_text(text, strlen(text), 0);
	/* the width of every suffix: drop characters from the front until the
	 * rest and the ".." in front of it fit */
	size_t len = strlen(s), i = 0;
	int total = 0, cw;
	bool shown;
	mbstate_t st;
	memset(&st, 0, sizeof(st));
	for (size_t k = 0; k < len;) {
		k += one_char(s, len, k, &st, &cw, &shown);
		total += cw;
	}
	int used = 0;
	if (total > width && width > 2) {
		memset(&st, 0, sizeof(st));
		while (i < len && total > width - 2) {
			i += one_char(s, len, i, &st, &cw, &shown);
			total -= cw;
		}
		mvwaddstr(w, y, x, "..");
		used = 2;
	}
	used += ui_put(w, y, x + used, s + i, width - used);
	free(s);
	return used;
}
