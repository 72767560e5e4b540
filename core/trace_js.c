/* JavaScript and TypeScript: V8 (Node, Chrome, Edge) and Firefox/Safari stacks.
 * Printed innermost call first. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "trace_internal.h"
#include "xalloc.h"

static bool pseudo_location(const char *s, size_t n)
{
	static const char *const pseudo[] = {
		"native", "<anonymous>", "[native code]", "unknown location", "<unknown>",
		"eval code",
	};
	for (size_t i = 0; i < sizeof(pseudo) / sizeof(*pseudo); i++)
		if (strlen(pseudo[i]) == n && memcmp(s, pseudo[i], n) == 0)
			return true;
	return n > 6 && memcmp(s, "index ", 6) == 0; /* at async Promise.all (index 0) */
}

/* A location "url:line:col" (or a pseudo one) into f; false if it is neither. */
static bool js_location(const char *s, size_t n, trace_frame *f, bool need_col)
{
	while (n && s[n - 1] == ' ')
		n--;
	if (pseudo_location(s, n))
		return true;
	size_t flen;
	int line, col;
	if (n > 1 && s[0] == ':') { /* a script without a name: "(:1:101)" */
		const char *p = s + 1;
		line = tnum(&p);
		col = 0;
		if (line < 0 || (*p == ':' && (p++, (col = tnum(&p)) < 0)) || p != s + n)
			return false;
		f->line = line;
		f->column = col;
		return true;
	}
	if (!tsplit_loc(s, n, &flen, &line, &col))
		return false;
	/* a frame without a column needs a path: "at https://x/a.js:192" */
	if (need_col && col == 0 && !(memchr(s, '/', flen) && memchr(s, '.', flen)))
		return false;
	if (!pseudo_location(s, flen)) /* Edge: "(eval code:1:18)" */
		f->file = tstr(s, flen);
	f->line = line;
	f->column = col;
	return true;
}

/* The name as printed: "new CustomError", "async Promise.all" and "Layer.handle
 * [as handle_request]" keep their words (the fingerprint drops them). */
static void js_function(const char *s, size_t n, trace_frame *f)
{
	/* "Layer.handle [as handle_request]" keeps its alias: the name as printed */
	if (n == 0 || (n == 11 && memcmp(s, "<anonymous>", 11) == 0))
		return;
	f->function = tstr(s, n);
}

/* V8: `at fn (loc)`, `at loc`, `at fn (eval at g (url:l:c), <anonymous>:l:c)`. */
static bool v8_frame(const char *s, trace_frame *f)
{
	s = tskip(s);
	if (!tprefix(s, "at "))
		return false;
	s = tskip(s + 3);
	size_t n = strlen(s);
	if (n > 2 && memcmp(s + n - 2, " {", 2) == 0)
		n -= 2; /* Node prints the error's properties after the last frame */
	if (n && s[n - 1] == ')') {
		int depth = 0;
		size_t open = 0;
		bool found = false;
		for (size_t i = n; i-- > 0;) {
			if (s[i] == ')')
				depth++;
			else if (s[i] == '(' && --depth == 0) {
				open = i;
				found = true;
				break;
			}
		}
		if (found && open > 0 && s[open - 1] == ' ') {
			const char *loc = s + open + 1;
			size_t loclen = n - open - 2;
			if (loclen > n)
				return false;
			if (tprefix(loc, "eval at ")) {
				/* blame the code that called eval: the innermost "(url:l:c)" */
				const char *close = memchr(loc, ')', loclen);
				const char *o = close;
				while (o && o > loc && *o != '(')
					o--;
				if (!close || !o || *o != '(' ||
				    !js_location(o + 1, (size_t)(close - o - 1), f, false))
					return false;
			} else if (!js_location(loc, loclen, f, false)) {
				return false;
			}
			js_function(s, open - 1, f);
			return true;
		}
	}
	if (tprefix(s, "async "))
		s += 6;
	if (strchr(s, ' ') && !pseudo_location(s, strlen(s)))
		return false;
	/* Rust's backtrace says "at src/main.rs:4:5" too */
	size_t flen;
	int l, c;
	if (tsplit_loc(s, strlen(s), &flen, &l, &c) && flen > 3 && memcmp(s + flen - 3, ".rs", 3) == 0)
		return false;
	return js_location(s, strlen(s), f, true);
}

/* Firefox and Safari: `fn@url:line:col`, `@url:line:col`, `fn@[native code]`. */
static bool gecko_frame(const char *s, trace_frame *f)
{
	s = tskip(s);
	/* the name may hold an '@' too ('obj["@fn"]@Scratchpad/1:10:29'): the
	 * location is after the first '@' that no quote or bracket follows */
	const char *at = strchr(s, '@');
	while (at && strcmp(at + 1, "[native code]") != 0 && strpbrk(at + 1, "\"'[]"))
		at = strchr(at + 1, '@');
	if (!at) {
		/* Safari 7 prints an anonymous frame as the bare URL: "http://x/a.js:48:22" */
		const char *scheme = strstr(s, "://");
		size_t fl;
		int l, c;
		if (!scheme || scheme - s > 20 || strchr(s, ' ') ||
		    !tsplit_loc(s, strlen(s), &fl, &l, &c) || !c)
			return false;
		f->file = tstr(s, fl);
		f->line = l;
		f->column = c;
		return true;
	}
	const char *loc = at + 1;
	size_t n = strlen(loc);
	/* Firefox's eval: "http://x/file.js line 26 > eval line 2 > eval:1:30" is
	 * the code that called eval, at line 26 */
	const char *ev = strstr(loc, " line ");
	if (ev && strstr(ev, " > eval")) {
		const char *q = ev + 6;
		int line = tnum(&q);
		if (line > 0 && tprefix(q, " > ")) {
			f->file = tstr(loc, (size_t)(ev - loc));
			f->line = line;
			goto named;
		}
	}
	if (strcmp(loc, "[native code]") != 0 &&
	    (!strchr(loc, '/') && !strchr(loc, '\\') && !tprefix(loc, "<anonymous>")))
		return false;
	if (!js_location(loc, n, f, false))
		return false;
	if (f->file && f->line == 0) {
		trace_frame_free(f);
		return false;
	}
named:;
	/* "render/</<" and "promise callback*load" stay as printed */
	const char *fn = s;
	size_t fl = (size_t)(at - s);
	/* Firefox names how an async frame was reached: "promise callback*load" */
	const char *star = memchr(fn, '*', fl);
	const char *named = star ? star + 1 : fn;
	if (memchr(named, ' ', (size_t)(fn + fl - named)) &&
	    !(fl == 11 && memcmp(fn, "global code", 11) == 0)) {
		trace_frame_free(f);
		return false;
	}
	if (fl)
		f->function = tstr(fn, fl);
	return true;
}

static bool js_frame(const char *s, trace_frame *f)
{
	return v8_frame(s, f) || gecko_frame(s, f);
}

/* "TypeError: msg", "Uncaught (in promise) Error: msg", "Error [ERR_X]: msg",
 * "[cause]: Error: msg". Sets *type_len and *msg (NULL if no message). */
static bool js_header_at(const char *s, const char **type, size_t *type_len, const char **msg);

/* The header, at the start of the line or after a console's prefix: "main.js:28
 * Uncaught (in promise) TypeError: x", "... throw err; ^ Error: x", "[Error: x]". */
static bool js_header(const char *s, const char **type, size_t *type_len, const char **msg)
{
	if (js_header_at(s, type, type_len, msg))
		return true;
	for (const char *p = s; *p; p++) {
		if (p == s || !strchr(" \"'^([", p[-1]) || !(isalpha((unsigned char)*p) || *p == '['))
			continue;
		if ((tprefix(p, "Uncaught ") || (p[-1] != '(' && p[-1] != '[')) &&
		    js_header_at(p, type, type_len, msg))
			return true;
	}
	return false;
}

static bool js_header_at(const char *s, const char **type, size_t *type_len, const char **msg)
{
	s = tskip(s);
	if (*s == '[') /* Node prints some errors bracketed: "[UnhandledPromiseRejection: msg] {" */
		s++;
	if (tprefix(s, "[cause]: "))
		s += 9;
	if (tprefix(s, "Uncaught "))
		s = tskip(s + 9);
	if (tprefix(s, "(in promise) "))
		s += 13;
	size_t n = 0;
	while (s[n] && s[n] != ':' && s[n] != ' ')
		n++;
	if (!tident(s, n, "."))
		return false;
	bool named = (n >= 5 && memcmp(s + n - 5, "Error", 5) == 0) ||
		     (n >= 9 && memcmp(s + n - 9, "Exception", 9) == 0) ||
		     (n >= 9 && memcmp(s + n - 9, "Rejection", 9) == 0);
	if (!named)
		return false;
	const char *p = s + n;
	if (tprefix(p, " [")) { /* Node's error code */
		const char *close = strchr(p, ']');
		if (!close)
			return false;
		p = close + 1;
	}
	*type = s;
	*type_len = n;
	if (*p == '\0') {
		*msg = NULL;
		return true;
	}
	if (*p != ':')
		return false;
	*msg = tskip(p + 1);
	return true;
}

/* A message as printed, less the "]" of a bracketed error and the " {" that
 * opens Node's list of the error's properties. */
static char *js_message(const char *msg)
{
	size_t n = strlen(msg);
	if (n >= 2 && memcmp(msg + n - 2, " {", 2) == 0)
		n -= 2;
	if (n && msg[n - 1] == ']')
		n--;
	return xstrndup(msg, n);
}

/* Node's errors without a stack: "[UnhandledPromiseRejection: msg] {" then
 * "  code: 'ERR_UNHANDLED_REJECTION'". Adds a block for line i if it is one. */
static bool js_bracketed(const struct tlines *L, size_t i, trace *t)
{
	const char *s = tskip(L->v[i]);
	size_t n = strlen(s);
	const char *type, *msg;
	size_t tl;
	if (*s != '[' || n < 4 || memcmp(s + n - 3, "] {", 3) != 0 || i + 1 >= L->n ||
	    !tprefix(tskip(L->v[i + 1]), "code: ") || !js_header_at(s, &type, &tl, &msg))
		return false;
	trace_exception *e = trace_add_block(t, true);
	e->type = tstr(type, tl);
	if (msg && *msg) {
		char *m = js_message(msg);
		e->message = tstrz(m);
		free(m);
	}
	return true;
}

void trace_parse_javascript(trace *t, const struct tlines *L)
{
	trace_exception *cur = NULL;
	size_t last_end = 0; /* first line after the previous block */
	for (size_t i = 0; i < L->n; i++) {
		const char *s = L->v[i];
		trace_frame f = { 0 };
		size_t used = trace_frame_at(L, i, js_frame, &f);
		if (!used && !cur && js_bracketed(L, i, t)) {
			last_end = i + 1;
			continue;
		}
		if (!used) {
			if (*tskip(s) != '\0' && cur) {
				cur = NULL;
				last_end = i;
			}
			continue;
		}
		if (!cur) {
			cur = trace_add_block(t, true);
			/* the error line is above the first frame; lines between are
			 * the rest of a multi-line message */
			size_t lo = i > 20 && i - 20 > last_end ? i - 20 : last_end;
			for (size_t h = i; h-- > lo;) {
				const char *type, *msg;
				size_t tl;
				if (!js_header(L->v[h], &type, &tl, &msg))
					continue;
				cur->type = tstr(type, tl);
				char *m = msg && *msg ? js_message(msg) : NULL;
				for (size_t k = h + 1; k < i; k++) {
					/* after a blank line comes a source excerpt (Jest) */
					if (*tskip(L->v[k]) == '\0')
						break;
					/* Node lists the modules that required a missing one */
					if (tprefix(tskip(L->v[k]), "Require stack:"))
						break;
					char *joined = xasprintf("%s%s%s", m ? m : "", m ? " " : "",
								 tskip(L->v[k]));
					free(m);
					m = joined;
				}
				if (m) {
					cur->message = tstrz(m);
					free(m);
				}
				break;
			}
		}
		trace_block_add_frame(cur, &f);
		i += used - 1;
	}
	t->lang = TRACE_JAVASCRIPT;
	t->final = t->nexc ? t->nexc - 1 : 0;
}
