/* xalloc: allocation that never returns NULL.
 *
 * Like git's wrappers: running out of memory is not an error a triage tool can
 * recover from, so every allocation either succeeds or ends the process with a
 * message. Callers then never carry an out-of-memory branch. */
#ifndef MAHORAGA_XALLOC_H
#define MAHORAGA_XALLOC_H

#include <stddef.h>

/* malloc, calloc and realloc that abort with a message instead of returning NULL. */
void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *ptr, size_t size);

/* strdup of s; NULL stays NULL. */
char *xstrdup(const char *s);

/* strndup of the first n bytes of s. */
char *xstrndup(const char *s, size_t n);

/* A newly allocated formatted string. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Make room in the array v (n used, alloc allocated) for one more element,
 * doubling it when full. */
#define XGROW(v, n, alloc) \
	do { \
		if ((n) == (alloc)) { \
			(alloc) = (alloc) ? (alloc) * 2 : 16; \
			(v) = xrealloc((v), (alloc) * sizeof(*(v))); \
		} \
	} while (0)

/* Free the n strings of v, then v. */
void xfree_strings(char **v, size_t n);

#endif
