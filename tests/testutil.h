/* testutil: what the cmocka tests share: temporary directories and files. */
#ifndef MAHORAGA_TESTUTIL_H
#define MAHORAGA_TESTUTIL_H

#include <stddef.h>
#include <stdio.h>

/* A new empty directory under $TMPDIR (or /tmp); free() the result. */
char *tu_mkdtemp(void);

/* Remove a directory tree (like rm -rf); ignores what is already gone. */
void tu_rmtree(const char *path);

/* dir + "/" + name, newly allocated. */
char *tu_path(const char *dir, const char *name);

/* Write text to path (creating or truncating it); aborts the test on failure. */
void tu_write_file(const char *path, const char *text);

/* Everything left in f, NUL-terminated. */
char *tu_read_stream(FILE *f);

/* The whole file, NUL-terminated (binary-safe up to the first NUL); NULL if it
 * cannot be opened. */
char *tu_read_file(const char *path);

/* Run a shell command (printf-style) in dir, its output discarded; abort the
 * test when it fails. */
void tu_sh(const char *dir, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
