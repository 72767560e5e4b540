/* Untrusted text to safe UTF-8 (see sanitize.h). */
#include "sanitize.h"

#include <stdint.h>

#include "strbuf.h"

/* Length of the escape sequence starting with ESC at s[0] (n bytes left). */
static size_t escape_len(const unsigned char *s, size_t n)
{
	if (n < 2)
		return n;
	size_t i = 2;
	switch (s[1]) {
	case '[': /* CSI: parameters and intermediates, then one final byte */
		while (i < n && s[i] >= 0x20 && s[i] <= 0x3f)
			i++;
		while (i < n && s[i] >= 0x20 && s[i] <= 0x2f)
			i++;
		return i < n ? i + 1 : n;
	case ']': case 'P': case 'X': case '^': case '_':
		/* string commands end at BEL or ST (ESC \) */
		for (; i < n; i++) {
			if (s[i] == 0x07)
				return i + 1;
			if (s[i] == 0x1b && i + 1 < n && s[i + 1] == '\\')
				return i + 2;
		}
		return n;
	default:
		return 2;
	}
}

/* Decode one UTF-8 sequence; returns its length, or 0 if invalid. */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	size_t len;
	uint32_t c, min;
	if ((s[0] & 0xe0) == 0xc0) {
		len = 2; c = s[0] & 0x1f; min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3; c = s[0] & 0x0f; min = 0x800;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4; c = s[0] & 0x07; min = 0x10000;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

char *sanitize_text(const char *text, size_t n, int flags)
{
	const unsigned char *s = (const unsigned char *)text;
	strbuf sb = STRBUF_INIT;
	strbuf_add(&sb, "", 0);
	size_t i = 0;
	while (i < n) {
		uint32_t cp;
		if (s[i] == 0x1b) {
			i += escape_len(s + i, n - i);
			continue;
		}
		size_t len = utf8_decode(s + i, n - i, &cp);
		if (len == 0) {
			strbuf_addstr(&sb, "\xef\xbf\xbd");
			i++;
			continue;
		}
		if ((cp == '\t' || cp == '\r') && (flags & SANITIZE_LAYOUT))
			strbuf_addch(&sb, (char)cp);
		else if (cp == '\t')
			strbuf_addch(&sb, ' ');
		else if (cp == '\n' && (flags & (SANITIZE_NEWLINES | SANITIZE_LAYOUT)))
			strbuf_addch(&sb, '\n');
		else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f))
			; /* C0 and C1 controls, including CSI as U+009B */
		else if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
			 cp == 0x200e || cp == 0x200f)
			; /* bidi controls can make a terminal show text out of order */
		else
			strbuf_add(&sb, text + i, len);
		i += len;
	}
	return strbuf_detach(&sb);
}

size_t sanitize_whole(const char *s, size_t n)
{
	/* back over at most three continuation bytes to the lead byte */
	size_t i = n, back = 0;
	while (i > 0 && back < 3 && ((unsigned char)s[i - 1] & 0xc0) == 0x80) {
		i--;
		back++;
	}
	if (i == 0)
		return n;
	unsigned char lead = (unsigned char)s[i - 1];
	size_t need = lead >= 0xf0 && lead < 0xf8 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
	/* a lead byte whose sequence is not complete yet waits */
	return need > back + 1 && lead >= 0xc0 ? i - 1 : n;
}
