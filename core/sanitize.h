/* sanitize: make untrusted text safe to show and to store as JSON.
 *
 * Issue bodies, titles and CI logs come from strangers. Before any of it reaches
 * a terminal or a JSON string it goes through here: invalid UTF-8 becomes U+FFFD,
 * and control characters, escape sequences and bidirectional overrides are
 * removed, so the text can neither drive the terminal nor hide what it says. */
#ifndef MAHORAGA_SANITIZE_H
#define MAHORAGA_SANITIZE_H

#include <stddef.h>

/* What sanitize_text keeps of the layout characters (flags may be or'ed). */
enum {
	SANITIZE_NEWLINES = 1,  /* '\n' */
	SANITIZE_LAYOUT = 2,    /* '\t' and '\r' too, as written (program output) */
};

/* A newly allocated, NUL-terminated, sanitized copy of the n bytes at s. Tabs
 * become one space and newlines go, unless flags keep them. Escape sequences
 * (CSI, OSC, DCS...) are dropped whole, not just their ESC byte. */
char *sanitize_text(const char *s, size_t n, int flags);

/* How many of the n bytes at s end on a whole UTF-8 character: a stream
 * cleaned chunk by chunk keeps the rest for the next chunk, so that a
 * character cut by a buffer is not taken for invalid. */
size_t sanitize_whole(const char *s, size_t n);

#endif
