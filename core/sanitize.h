/* sanitize: make untrusted text safe to show and to store as JSON.
 *
 * Issue bodies, titles and CI logs come from strangers. Before any of it reaches
 * a terminal or a JSON string it goes through here: invalid UTF-8 becomes U+FFFD,
 * and control characters, escape sequences and bidirectional overrides are
 * removed, so the text can neither drive the terminal nor hide what it says. */
#ifndef MAHORAGA_SANITIZE_H
#define MAHORAGA_SANITIZE_H

#include <stddef.h>

/* A newly allocated, NUL-terminated, sanitized copy of the n bytes at s. Tabs
 * become one space; newlines are kept only when keep_newlines is set. Escape
 * sequences (CSI, OSC, DCS...) are dropped whole, not just their ESC byte. */
char *sanitize_text(const char *s, size_t n, int keep_newlines);

#endif
