/* Python: tracebacks (chained, SyntaxError, 3.11 markers, ExceptionGroup trees)
 * and pytest's failure reports. Printed outermost call first. */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "trace_internal.h"
#include "xalloc.h"

/* `File "path", line N, in func` (func absent for SyntaxError). */
static bool py_frame(const char *s, trace_frame *f)
{
	s = tskip(s);
	if (*s == '|') /* inside an ExceptionGroup's box */
		s = tskip(s + 1);
	if (!tprefix(s, "File \""))
		return false;
	s += 6;
	const char *q = strstr(s, "\", line ");
	if (!q || q == s)
		return false;
	const char *p = q + 8;
	int line = tnum(&p);
	if (line < 0)
		return false;
	if (*p == ',' || tprefix(p, " in ")) { /* faulthandler writes no comma */
		p = tskip(p + 1);
		if (!tprefix(p, "in "))
			return false;
		const char *fn = p + 3;
		size_t fl = strlen(fn);
		/* markdown made "__init__" bold: "**init**" */
		if (fl > 4 && tprefix(fn, "**") && memcmp(fn + fl - 2, "**", 2) == 0) {
			char *dunder = xasprintf("__%.*s__", (int)(fl - 4), fn + 2);
			f->function = tstrz(dunder);
			free(dunder);
		} else {
			f->function = tstrz(fn);
		}
	} else if (*p != '\0') {
		return false;
	}
	/* <stdin>, <string>, <frozen importlib._bootstrap>: no file to map */
	if (!(*s == '<' && q[-1] == '>'))
		f->file = tstr(s, (size_t)(q - s));
	f->line = line;
	return true;
}

/* pytest: `path:line: in func`, `path:line:` and `path:line: ErrorType`. The
 * error type, if any, is returned in *type. */
static bool pytest_frame_typed(const char *s, trace_frame *f, char **type)
{
	s = tskip(s);
	if (*s == '\0')
		return false;
	const char *colon = strstr(s, ": ");
	size_t n = colon ? (size_t)(colon - s) : strlen(s);
	if (!colon && n && s[n - 1] == ':')
		n--;
	size_t flen;
	int line, col;
	if (!tsplit_loc(s, n, &flen, &line, &col) || col != 0 || memchr(s, ' ', flen))
		return false;
	/* a source file, not "12:30:01" or a URL */
	/* a source file, not a URL nor a Safari frame "fn@http://x/a.js:48" */
	const char *dot = memchr(s, '.', flen);
	if (!dot || tprefix(s, "http") || memchr(s, '@', flen) || memmem(s, flen, "://", 3))
		return false;
	if (colon) {
		const char *rest = colon + 2;
		if (tprefix(rest, "in "))
			f->function = tstrz(rest + 3);
		else if (type && tident(rest, strlen(rest), "."))
			*type = tstrz(rest);
		else
			return false;
	}
	f->file = tstr(s, flen);
	f->line = line;
	return true;
}

/* IPython 8 and Jupyter: "File ~/venv/.../frame.py:3761, in DataFrame.__getitem__(self,
 * key)" and "Cell In[3], line 5". */
static bool ipython_frame(const char *s, trace_frame *f)
{
	s = tskip(s);
	if (tprefix(s, "Cell In[")) {
		const char *q = strstr(s, "], line ");
		if (!q)
			return false;
		q += 8;
		int line = tnum(&q);
		if (line < 0)
			return false;
		f->line = line; /* a notebook cell: no file to map */
		return true;
	}
	if (!tprefix(s, "File ") || s[5] == '"')
		return false;
	s += 5;
	const char *in = strstr(s, ", in ");
	size_t loclen = in ? (size_t)(in - s) : strlen(s);
	size_t flen;
	int line, col;
	if (!tsplit_loc(s, loclen, &flen, &line, &col) || col)
		return false;
	f->file = tstr(s, flen);
	f->line = line;
	if (in) {
		const char *fn = in + 5;
		size_t n = tstrip_args(fn, strlen(fn));
		if (n)
			f->function = tstr(fn, n);
	}
	return true;
}

/* IPython 7: "~/venv/lib/.../frame.py in __getitem__(self, key)" or
 * "<ipython-input-3-a1b2> in <module>"; the line number comes from the
 * "---> 2902" arrow below it. */
static bool ipython7_frame(const struct tlines *L, size_t i, trace_frame *f)
{
	const char *s = tskip(L->v[i]);
	const char *in = strstr(s, " in ");
	if (!in || in == s || memchr(s, ' ', (size_t)(in - s)))
		return false;
	bool cell = tprefix(s, "<ipython-input-");
	if (!cell && !(in - s > 3 && memcmp(in - 3, ".py", 3) == 0))
		return false;
	for (size_t j = i + 1; j < L->n && j <= i + 12 && *tskip(L->v[j]); j++) {
		const char *a = tskip(L->v[j]);
		size_t dashes = strspn(a, "-");
		if (dashes == 0 || a[dashes] != '>')
			continue;
		while (*a == '-' || *a == '>')
			a++;
		a = tskip(a);
		f->line = tnum(&a);
		if (f->line < 0)
			f->line = 0;
		break;
	}
	if (!cell)
		f->file = tstr(s, (size_t)(in - s));
	const char *fn = in + 4;
	size_t n = tstrip_args(fn, strlen(fn));
	if (n)
		f->function = tstr(fn, n);
	return true;
}

static bool pytest_frame(const char *s, trace_frame *f)
{
	return pytest_frame_typed(s, f, NULL);
}

static bool looks_like_exception(const char *name, size_t n, bool bare)
{
	static const char *const suffixes[] = {
		"Error", "Exception", "Warning", "Exit", "Interrupt", "Iteration",
		"Group", "Fault", "Failure", "Timeout", "Abort", "DoesNotExist",
	};
	if (!tident(name, n, "."))
		return false;
	if (memchr(name, '.', n))
		return isalpha((unsigned char)name[0]) || name[0] == '_';
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(*suffixes); i++) {
		size_t k = strlen(suffixes[i]);
		if (n >= k && memcmp(name + n - k, suffixes[i], k) == 0)
			return true;
	}
	if (bare)
		return false;
	int upper = 0;
	for (size_t i = 0; i < n; i++)
		upper += isupper((unsigned char)name[i]) != 0;
	return isupper((unsigned char)name[0]) && upper >= 2;
}

/* `Type: message` or a bare `Type`. */
static bool py_exception_line(const char *s, trace_exception *e)
{
	size_t n = strcspn(s, ": ");
	if (n == 0)
		return false;
	if (s[n] == '\0') {
		if (!looks_like_exception(s, n, true))
			return false;
		e->type = tstr(s, n);
		return true;
	}
	if (s[n] != ':' || (s[n + 1] != ' ' && s[n + 1] != '\0') ||
	    !looks_like_exception(s, n, false))
		return false;
	e->type = tstr(s, n);
	const char *m = tskip(s + n + 1);
	if (*m)
		e->message = tstrz(m);
	return true;
}

static int indent_of(const char *s)
{
	return (int)(tskip(s) - s);
}

/* ExceptionGroup trees draw boxes: "  | " prefixes and "+-+---- 1 ----" rules.
 * Returns the line without the box; *rule is set for a rule line. */
static const char *unbox(const char *s, bool *rule)
{
	const char *p = tskip(s);
	*rule = false;
	if (p[0] == '+' && (p[1] == '-' || p[1] == '\0')) {
		*rule = true;
		return "";
	}
	if (p[0] == '+' && p[1] == ' ' && tprefix(tskip(p + 1), "Exception Group Traceback"))
		return tskip(p + 1);
	if (p[0] == '|' && (p[1] == ' ' || p[1] == '\0'))
		return p[1] ? p + 2 : p + 1;
	return s;
}

/* Sentry and Rollbar print the error first, then the frames without a
 * "Traceback" line, after notes such as "(4 additional frame(s) were not
 * displayed)" and "...". The error line above frame i, if any, goes into e
 * (a probe: the block takes it when it ends untyped). */
static void header_first(const struct tlines *L, size_t i, trace_exception *e)
{
	for (size_t h = i, seen = 0; h-- > 0 && seen < 4;) {
		const char *p = tskip(L->v[h]);
		if (!*p || tprefix(p, "...") || (*p == '(' && strstr(p, "frame(s)")))
			continue;
		seen++;
		if (tprefix(p, "Traceback") || !py_exception_line(p, e))
			return;
		return;
	}
}

/* Error trackers render every language's frames in Python's shape: the files
 * say which language it really was. */
static enum trace_lang lang_of_files(const trace *t)
{
	static const struct {
		const char *ext;
		enum trace_lang lang;
	} exts[] = {
		{ ".js", TRACE_JAVASCRIPT }, { ".mjs", TRACE_JAVASCRIPT }, { ".cjs", TRACE_JAVASCRIPT },
		{ ".jsx", TRACE_JAVASCRIPT }, { ".ts", TRACE_JAVASCRIPT }, { ".tsx", TRACE_JAVASCRIPT },
		{ ".vue", TRACE_JAVASCRIPT }, { ".php", TRACE_PHP }, { ".rb", TRACE_RUBY },
		{ ".py", TRACE_PYTHON },
	};
	enum trace_lang found = TRACE_NONE;
	for (size_t b = 0; b < t->nexc; b++)
		for (size_t i = 0; i < t->exc[b].nframes; i++) {
			const char *file = t->exc[b].frames[i].file;
			if (!file)
				continue;
			/* a page's address: a browser's stack */
			if (tprefix(file, "http://") || tprefix(file, "https://")) {
				if (found != TRACE_NONE && found != TRACE_JAVASCRIPT)
					return TRACE_PYTHON;
				found = TRACE_JAVASCRIPT;
				continue;
			}
			size_t n = strcspn(file, "?#");
			enum trace_lang lang = TRACE_NONE;
			for (size_t k = 0; k < sizeof(exts) / sizeof(*exts); k++) {
				size_t el = strlen(exts[k].ext);
				if (n > el && memcmp(file + n - el, exts[k].ext, el) == 0)
					lang = exts[k].lang;
			}
			if (lang == TRACE_NONE || lang == TRACE_PYTHON)
				return TRACE_PYTHON;
			if (found != TRACE_NONE && found != lang)
				return TRACE_PYTHON;
			found = lang;
		}
	return found == TRACE_NONE ? TRACE_PYTHON : found;
}

/* Gives block b the header seen before its frames if it found none of its own. */
static void adopt_header(trace *t, trace_exception *hdr, size_t b)
{
	if (b < t->nexc && !t->exc[b].type && hdr->type) {
		t->exc[b].type = hdr->type;
		if (t->exc[b].message)
			free(hdr->message); /* pytest's "E" line said it already */
		else
			t->exc[b].message = hdr->message;
	} else {
		free(hdr->type);
		free(hdr->message);
	}
	hdr->type = hdr->message = NULL;
}

void trace_parse_python(trace *t, const struct tlines *L)
{
	trace_exception hdr = { 0 };  /* an error line printed before its frames */
	size_t hdr_block = SIZE_MAX;
	trace_exception *cur = NULL;
	int base = 0;            /* indentation of the block's error line */
	bool after_rule = false; /* a sub-exception may follow without a traceback */
	char *def = NULL;        /* the last `def name(` seen, for pytest's long format */
	size_t fatal = SIZE_MAX;       /* faulthandler's "Fatal Python error" block */
	char *pending = NULL;          /* IPython's error type, before its message */
	for (size_t i = 0; i < L->n; i++) {
		bool rule;
		const char *s = unbox(L->v[i], &rule);
		const char *p = tskip(s);
		if (rule) {
			cur = NULL;
			after_rule = true;
			continue;
		}
		if (*p == '\0')
			continue;
		const char *tb = strstr(p, "  Traceback (most recent call last)");
		if (tb && tident(p, (size_t)(strcspn(p, " ")), ".") && *tskip(tb) == 'T') {
			/* IPython names the error first; its message comes last */
			cur = trace_add_block(t, false);
			free(pending);
			pending = tstr(p, strcspn(p, " "));
			base = indent_of(s);
			after_rule = false;
			continue;
		}
		if (tprefix(p, "Traceback (most recent call last)") ||
		    tprefix(p, "Exception Group Traceback (most recent call last)")) {
			cur = trace_add_block(t, false);
			base = indent_of(s);
			after_rule = false;
			continue;
		}
		if (tprefix(p, "Fatal Python error: ")) {
			/* faulthandler: the error, then each thread innermost first */
			cur = trace_add_block(t, true);
			cur->type = xstrdup("Fatal Python error");
			cur->message = tstrz(p + 20);
			fatal = t->nexc - 1;
			continue;
		}
		if ((tprefix(p, "Current thread 0x") || tprefix(p, "Thread 0x")) &&
		    strstr(p, "(most recent call first)")) {
			if (fatal != SIZE_MAX && !t->exc[fatal].nframes && tprefix(p, "Current")) {
				cur = &t->exc[fatal];
			} else {
				cur = trace_add_block(t, true);
				cur->message = tstr(p, strcspn(p, "("));
			}
			base = indent_of(s);
			continue;
		}
		if (tprefix(p, "During handling of the above exception") ||
		    tprefix(p, "The above exception was the direct cause")) {
			cur = NULL;
			continue;
		}
		if (tprefix(p, "def ") || tprefix(p, "async def ")) {
			const char *name = p + (p[0] == 'd' ? 4 : 10);
			free(def);
			def = tstr(name, strcspn(name, "( :"));
		}
		if (tprefix(p, "_ _ ")) {
			free(def); /* pytest's rule between the entries of one failure */
			def = NULL;
			continue;
		}
		if (tprefix(p, "___") && strstr(p + 3, " ___")) {
			cur = NULL; /* pytest's "____ test_name ____": the next failure */
			free(def);
			def = NULL;
			continue;
		}
		trace_frame f = { 0 };
		if (pending && cur && !cur->type &&
		    (trace_frame_at(L, i, ipython_frame, &f) || ipython7_frame(L, i, &f))) {
			trace_block_add_frame(cur, &f);
			continue;
		}
		trace_frame_free(&f);
		size_t used = trace_frame_at(L, i, py_frame, &f);
		if (used) {
			/* a typed block is complete, except faulthandler's whose
			 * frames follow the error */
			if (!cur || (cur->type && !cur->innermost_first)) {
				cur = trace_add_block(t, false);
				base = indent_of(s) >= 2 ? indent_of(s) - 2 : 0;
				adopt_header(t, &hdr, hdr_block);
				hdr_block = t->nexc - 1;
				header_first(L, i, &hdr);
			}
			trace_block_add_frame(cur, &f);
			i += used - 1;
			continue;
		}
		char *type = NULL;
		if (pytest_frame_typed(s, &f, &type) || (used = trace_frame_at(L, i, pytest_frame, &f))) {
			if (!cur || (cur->type && !type))
				cur = trace_add_block(t, false);
			if (!f.function && def)
				f.function = xstrdup(def);
			trace_block_add_frame(cur, &f);
			if (type && !cur->type)
				cur->type = type;
			else
				free(type);
			i += used ? used - 1 : 0;
			continue;
		}
		if ((!cur || !cur->type) && p[0] == 'E' && (p[1] == ' ' || p[1] == '\0')) {
			/* pytest's "E   KeyError: 'x'" / "E   assert 1 == 2" */
			const char *m = tskip(p + 1);
			trace_exception probe = { 0 };
			if (!cur && !py_exception_line(m, &probe))
				continue;
			if (!cur)
				cur = trace_add_block(t, false);
			if (probe.type) {
				cur->type = probe.type;
				cur->message = probe.message;
			} else if (!cur->message && !py_exception_line(m, cur) && *m) {
				cur->message = tstrz(m);
			}
			continue;
		}
		if (((cur && cur->nframes) || after_rule) && (!cur || !cur->type) &&
		    indent_of(s) <= base) {
			trace_exception probe = { 0 };
			if (py_exception_line(p, &probe)) {
				if (!cur)
					cur = trace_add_block(t, false);
				cur->type = probe.type;
				free(cur->message); /* pytest's "E" line said less */
				cur->message = probe.message;
				after_rule = false;
				continue;
			}
		}
	}
	free(def);
	adopt_header(t, &hdr, hdr_block);
	/* an IPython block whose last line was cut off still names its error */
	if (pending && t->nexc && !t->exc[t->nexc - 1].type)
		t->exc[t->nexc - 1].type = pending;
	else
		free(pending);
	t->lang = lang_of_files(t);
	t->final = t->nexc ? t->nexc - 1 : 0;
	if (fatal != SIZE_MAX) /* the crashing thread, not the last one listed */
		t->final = fatal;
}
