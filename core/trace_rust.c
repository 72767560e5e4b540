/* Rust: "thread 'main' panicked at" in the old (message first) and the 1.73+
 * (location first, message on the next line) forms, and RUST_BACKTRACE frames,
 * short or full, with or without symbol hashes. Innermost first. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "trace_internal.h"
#include "xalloc.h"

/* "src/main.rs:10:5" into a new location frame, or NULL. */
static trace_frame *rust_location(const char *s, size_t n)
{
	size_t flen;
	int line, col;
	while (n && (s[n - 1] == ' ' || s[n - 1] == ':'))
		n--;
	if (!tsplit_loc(s, n, &flen, &line, &col))
		return NULL;
	trace_frame *f = xcalloc(1, sizeof(*f));
	f->file = tstr(s, flen);
	f->line = line;
	f->column = col;
	return f;
}

/* Drops the "::h0123456789abcdef" symbol hash. */
static size_t strip_hash(const char *s, size_t n)
{
	if (n > 19 && memcmp(s + n - 19, "::h", 3) == 0) {
		for (size_t i = n - 16; i < n; i++)
			if (!isxdigit((unsigned char)s[i]))
				return n;
		return n - 19;
	}
	return n;
}

/* "  12: myapp::parse::h1234" or "  12:     0x55d4c4a0b1c3 - myapp::parse". */
static bool rust_frame(const char *s, trace_frame *f)
{
	s = tskip(s);
	if (tnum(&s) < 0 || *s != ':')
		return false;
	s = tskip(s + 1);
	if (tprefix(s, "0x")) {
		const char *dash = strstr(s, " - ");
		if (!dash) /* an address without a symbol */
			return *tskip(s + 2 + strspn(s + 2, "0123456789abcdef")) == '\0';
		s = dash + 3;
	}
	size_t n = strlen(s);
	/* blanks only inside generics: "<impl FnOnce<A> for &mut F>::call_once" */
	int depth = 0;
	bool loose = false;
	for (size_t k = 0; k < n; k++) {
		depth += s[k] == '<';
		depth -= s[k] == '>' && depth > 0;
		loose = loose || (s[k] == ' ' && depth == 0);
	}
	if (n == 0 || loose)
		return false;
	if (strcmp(s, "<unknown>") == 0)
		return true;
	n = strip_hash(s, n);
	if (n == 0)
		return false;
	f->function = tstr(s, n);
	return true;
}

/* "             at ./src/parse.rs:12:9" */
static bool rust_at(const char *s, trace_frame *f)
{
	s = tskip(s);
	if (!tprefix(s, "at "))
		return false;
	trace_frame *loc = rust_location(s + 3, strlen(s + 3));
	if (!loc)
		return false;
	f->file = loc->file;
	f->line = loc->line;
	f->column = loc->column;
	free(loc);
	return true;
}

void trace_parse_rust(trace *t, const struct tlines *L)
{
	trace_exception *cur = NULL;
	bool in_backtrace = false;
	for (size_t i = 0; i < L->n; i++) {
		const char *p = tskip(L->v[i]);
		const char *pa = tprefix(p, "thread '") ? strstr(p, " panicked at ") : NULL;
		if (pa) {
			cur = trace_add_block(t, true);
			cur->type = xstrdup("panic");
			t->final = t->nexc - 1;
			in_backtrace = false;
			const char *rest = pa + 13;
			if (rest[0] == '\'') {
				/* before 1.73: panicked at 'msg', src/main.rs:10:5 */
				const char *end = NULL;
				for (const char *q = rest + 1; (q = strstr(q, "', ")); q++)
					end = q;
				if (end) {
					cur->message = tstr(rest + 1, (size_t)(end - rest - 1));
					cur->location = rust_location(end + 3, strlen(end + 3));
				}
				continue;
			}
			/* 1.73+: panicked at src/main.rs:10:5: then the message, on
			 * the next line or, pasted onto one line, after the colon */
			const char *same = strstr(rest, ": ");
			cur->location = rust_location(rest, same ? (size_t)(same - rest) : strlen(rest));
			if (same && *tskip(same + 1)) {
				cur->message = tstrz(tskip(same + 1));
				continue;
			}
			char *m = NULL;
			size_t j = i + 1;
			for (; j < L->n; j++) {
				const char *q = tskip(L->v[j]);
				if (!*q || tprefix(q, "note: ") || tprefix(q, "stack backtrace:"))
					break;
				char *joined = xasprintf("%s%s%s", m ? m : "", m ? " " : "", q);
				free(m);
				m = joined;
			}
			if (m) {
				cur->message = tstrz(m);
				free(m);
			}
			i = j - 1;
			continue;
		}
		if (tprefix(p, "stack backtrace:") || tprefix(p, "Stack backtrace:")) {
			in_backtrace = true;
			if (!cur)
				cur = trace_add_block(t, true);
			continue;
		}
		trace_frame f = { 0 };
		/* a backtrace pasted without its panic or its heading: frames with
		 * addresses, "  12:     0x55d4c4a0b1c3 - myapp::parse" */
		trace_frame probe = { 0 };
		if (!in_backtrace && rust_frame(p, &f) &&
		    ((strstr(p, " - ") && tprefix(tskip(strchr(p, ':') + 1), "0x")) ||
		     (i + 1 < L->n && rust_at(L->v[i + 1], &probe)))) {
			in_backtrace = true;
			if (!cur) {
				cur = trace_add_block(t, true);
				t->final = t->nexc - 1;
			}
		}
		trace_frame_free(&f);
		trace_frame_free(&probe);
		if (!in_backtrace)
			continue;
		if (rust_frame(p, &f)) {
			if (i + 1 < L->n && rust_at(L->v[i + 1], &f))
				i++;
			trace_block_add_frame(cur, &f);
			continue;
		}
		trace_frame_free(&f);
		if (*p && !tprefix(p, "note: ") && !tprefix(p, "at "))
			in_backtrace = false;
	}
	t->lang = TRACE_RUST;
}
