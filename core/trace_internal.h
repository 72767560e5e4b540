/* What the language parsers of core/trace share; not part of the public interface. */
#ifndef MAHORAGA_TRACE_INTERNAL_H
#define MAHORAGA_TRACE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "trace.h"

/* The issue text as lines, cleaned: CR and trailing blanks removed, "> " quote
 * markers removed, fence lines (```) emptied. Each line is NUL-terminated. */
struct tlines {
	char **v;
	size_t n;
	/* trace_frame_at's memo (owned, written through a const L): line
	 * miss_at is known not to be a frame for miss_fn. Each parser asks about
	 * the line after the current one and then about that line itself. */
	struct tframe_memo *memo;
};

void tlines_split(struct tlines *L, const char *text, size_t len);
void tlines_free(struct tlines *L);

/* One language's parser: fills an empty trace with the blocks it recognizes in L
 * and sets t->final. It may leave t empty. */
typedef void trace_lang_parser(trace *t, const struct tlines *L);

trace_lang_parser trace_parse_python, trace_parse_javascript, trace_parse_jvm,
	trace_parse_go, trace_parse_rust, trace_parse_ruby, trace_parse_dotnet,
	trace_parse_php, trace_parse_native;

/* A line parser: true if s is a frame, filling f (f starts zeroed). */
typedef bool trace_frame_parser(const char *s, trace_frame *f);

/* Parse line i with fn, or, when that fails and the next line is not a frame by
 * itself, line i joined with line i+1 (reporters and terminals wrap long lines).
 * Returns how many lines were used (0, 1 or 2). */
size_t trace_frame_at(const struct tlines *L, size_t i, trace_frame_parser *fn,
		      trace_frame *f);

/* A new block at the end of t, zeroed. */
trace_exception *trace_add_block(trace *t, bool innermost_first);
/* Append a copy of f to e (f's strings are moved, f is zeroed). */
void trace_block_add_frame(trace_exception *e, trace_frame *f);

/* A sanitized copy of n bytes at s with surrounding blanks removed. */
char *tstr(const char *s, size_t n);
/* Same for a NUL-terminated string. */
char *tstrz(const char *s);

/* s without leading blanks. */
const char *tskip(const char *s);
/* True if s begins with prefix. Inline: the parsers call it for every line with
 * every marker they know, and most calls fail at the first byte. */
static inline bool tprefix(const char *s, const char *prefix)
{
	while (*prefix)
		if (*s++ != *prefix++)
			return false;
	return true;
}
/* Reads a decimal number at *p (advancing it); -1 if there is none. Saturates. */
int tnum(const char **p);

/* Splits "path:line[:col]" at its end: sets *file_len to the path's length and
 * the numbers (0 when absent). False if s[0..n) does not end in ":line". */
bool tsplit_loc(const char *s, size_t n, size_t *file_len, int *line, int *col);

/* Strips a trailing balanced "(...)" argument list (and " const") from a
 * function name of n bytes; returns the new length. */
size_t tstrip_args(const char *s, size_t n);

/* True if s (n bytes) is an identifier path such as "a.b.C$d" (letters, digits,
 * '_', '$', and the given separators). */
bool tident(const char *s, size_t n, const char *separators);

#endif
