/* C and C++: sanitizer reports (ASan, LSan, TSan, MSan, UBSan), with several
 * stacks per report, and gdb backtraces. Innermost first. The first stack of a
 * sanitizer report is the bad access; gdb's is the bt list. */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "trace_internal.h"
#include "xalloc.h"

/* "(/lib/x86_64-linux-gnu/libc.so.6+0x29d90)", "(libtsan.so.0+0x29b3d)",
 * "(in /srv/a.out)": a frame that names only its binary or shared object has
 * that module as its file and no line. n is the length of s. */
static bool native_module(const char *s, size_t n, trace_frame *f)
{
	if (n < 3 || s[0] != '(' || s[n - 1] != ')')
		return false;
	const char *m = s + 1, *end = s + n - 1;
	if (end - m > 3 && memcmp(m, "in ", 3) == 0)
		m += 3;
	const char *plus = m;
	while (plus < end && *plus != '+' && *plus != ' ')
		plus++;
	if (plus == m || (plus < end && *plus != '+'))
		return false;
	f->file = tstr(m, (size_t)(plus - m));
	return true;
}

/* A location written after the function: "/src/x.c:12:5", "x.c:12", or
 * "(/lib/libc.so.6+0x21b96)" for code without debug information. */
static void native_location(const char *s, size_t n, trace_frame *f)
{
	while (n && s[n - 1] == ' ')
		n--;
	if (n && s[0] == '(') {
		native_module(s, n, f);
		return;
	}
	size_t flen;
	int line, col;
	if (tsplit_loc(s, n, &flen, &line, &col)) {
		f->file = tstr(s, flen);
		f->line = line;
		f->column = col;
	} else if (n && memchr(s, '.', n) && (memchr(s, '/', n) || memchr(s, '\\', n))) {
		f->file = tstr(s, n);
	}
}

static void native_function(const char *s, size_t n, trace_frame *f)
{
	n = tstrip_args(s, n);
	/* "foo+0x1a" */
	for (size_t i = 0; i + 3 < n; i++)
		if (s[i] == '+' && s[i + 1] == '0' && s[i + 2] == 'x') {
			n = i;
			break;
		}
	/* "??" (gdb) and "<null>" (TSan) name nothing */
	if (n == 0 || (n == 2 && memcmp(s, "??", 2) == 0) || (n >= 6 && memcmp(s, "<null>", 6) == 0))
		return;
	f->function = tstr(s, n);
}

static bool balanced(const char *s)
{
	int depth = 0;
	for (; *s; s++) {
		depth += *s == '(';
		depth -= *s == ')';
	}
	return depth == 0;
}

/* "#0 0x4f5a2a in func /src/x.c:42:13", "#3 0x7f (/lib/libc.so.6+0x21b96)",
 * gdb: "#1  0x000055 in main (argc=1, argv=0x7ff) at src/main.c:14",
 * "#0  parse (buf=0x0) at p.c:27", "#4  0x00007f in ?? () from /lib/libc.so.6". */
static bool native_frame(const char *line, trace_frame *f)
{
	const char *s = tskip(line);
	if (*s != '#')
		return false;
	s++;
	if (tnum(&s) < 0 || (*s != ' ' && *s != '\t'))
		return false;
	s = tskip(s);
	if (!balanced(s))
		return false;
	bool addr = tprefix(s, "0x");
	if (addr) {
		s += 2;
		while (isxdigit((unsigned char)*s))
			s++;
		s = tskip(s);
		if (*s == '(' || *s == '\0') { /* no symbol */
			native_location(s, strlen(s), f);
			return true;
		}
		if (!tprefix(s, "in "))
			return false;
		s += 3;
	}
	size_t n = strlen(s);
	/* LLVM's symbolizer appends " (BuildId: 3f2a...)" */
	const char *bid = strstr(s, " (BuildId: ");
	if (bid)
		n = (size_t)(bid - s);
	/* gdb: "... at file:line" or "... from /lib/x.so" */
	const char *at = NULL, *from = NULL;
	for (const char *p = s; (p = strstr(p, " at ")) && p < s + n; p++)
		at = p;
	for (const char *p = s; (p = strstr(p, " from ")) && p < s + n; p++)
		from = p;
	if (at && balanced(at)) {
		native_location(at + 4, strlen(at + 4), f);
		if (!f->file)
			return false;
		native_function(s, (size_t)(at - s), f);
		return true;
	}
	if (from && balanced(from)) {
		f->file = tstrz(tskip(from + 6));
		native_function(s, (size_t)(from - s), f);
		return true;
	}
	/* sanitizer: the location is the last token */
	const char *sp = NULL;
	int depth = 0;
	for (size_t i = 0; i < n; i++) {
		depth += s[i] == '(' || s[i] == '<';
		depth -= s[i] == ')' || s[i] == '>';
		if (s[i] == ' ' && depth == 0)
			sp = s + i;
	}
	if (!sp) {
		if (!addr)
			return false;
		native_function(s, n, f);
		return true;
	}
	if (sp[1] == '(') {
		/* TSan: "#0 func /src/x.c:55:19 (prog+0x1a2b3)": the source
		 * location is the token before the module, if there is one */
		const char *sp2 = NULL;
		for (const char *q = s; q < sp; q++)
			if (*q == ' ')
				sp2 = q;
		if (sp2)
			native_location(sp2 + 1, (size_t)(sp - sp2 - 1), f);
		if (f->file && !f->line) {
			free(f->file);
			f->file = NULL;
		}
		if (f->file)
			sp = sp2;
		else
			native_module(sp + 1, n - (size_t)(sp + 1 - s), f);
	} else {
		native_location(sp + 1, n - (size_t)(sp + 1 - s), f);
	}
	if (!f->file && !addr)
		return false;
	/* "#73 ErrorException in /x.php:144" is PHP's Whoops, not a symbol */
	if (!addr && sp - s > 3 && memcmp(sp - 3, " in", 3) == 0) {
		trace_frame_free(f);
		return false;
	}
	native_function(s, (size_t)(sp - s), f);
	return true;
}

/* "==123==ERROR: AddressSanitizer: heap-use-after-free on address ...",
 * "WARNING: ThreadSanitizer: data race (pid=9)". */
static bool sanitizer_header(const char *p, trace_exception *e)
{
	const char *s = strstr(p, "Sanitizer: ");
	if (!s || !(strstr(p, "ERROR: ") || strstr(p, "WARNING: ")))
		return false;
	s += 11;
	size_t n = strlen(s);
	const char *end = s + n;
	const char *cut[] = { " on ", " (", " at ", " in " };
	for (size_t i = 0; i < sizeof(cut) / sizeof(*cut); i++) {
		const char *c = strstr(s, cut[i]);
		if (c && c < end)
			end = c;
	}
	e->type = tstr(s, (size_t)(end - s));
	if (*end)
		e->message = tstrz(end);
	return true;
}

/* UBSan: "src/x.c:12:5: runtime error: signed integer overflow: ..." */
static bool ubsan_line(const char *p, trace_exception *e)
{
	const char *r = strstr(p, ": runtime error: ");
	if (!r)
		return false;
	trace_frame *loc = xcalloc(1, sizeof(*loc));
	native_location(p, (size_t)(r - p), loc);
	if (!loc->file) {
		free(loc);
		return false;
	}
	e->type = xstrdup("runtime error");
	e->message = tstrz(r + 17);
	e->location = loc;
	return true;
}

/* gdb: "Program received signal SIGSEGV, Segmentation fault." */
static bool gdb_signal(const char *p, trace_exception *e)
{
	const char *s = strstr(p, "received signal ");
	size_t skip = 16;
	if (!s) {
		s = strstr(p, "terminated with signal ");
		skip = 23;
	}
	if (!s || !(tprefix(p, "Program ") || tprefix(p, "Thread ")))
		return false;
	s += skip;
	size_t n = strcspn(s, ", ");
	if (!tprefix(s, "SIG"))
		return false;
	e->type = tstr(s, n);
	const char *m = s + n;
	if (*m == ',')
		m = tskip(m + 1);
	size_t ml = strlen(m);
	while (ml && m[ml - 1] == '.')
		ml--;
	if (ml)
		e->message = tstr(m, ml);
	return true;
}

static bool cpp_frame(const trace_frame *f)
{
	/* the sanitizers' own runtime is C++ whatever the program is */
	if ((f->file && trace_path_is_library(f->file)) ||
	    (f->function && tprefix(f->function, "__")))
		return false;
	static const char *const exts[] = { ".cc", ".cpp", ".cxx", ".hpp", ".hh", ".hxx", ".C" };
	if (f->function && (strstr(f->function, "::") || strchr(f->function, '<')))
		return true;
	size_t n = f->file ? strlen(f->file) : 0;
	for (size_t i = 0; i < sizeof(exts) / sizeof(*exts); i++) {
		size_t k = strlen(exts[i]);
		if (n > k && strcmp(f->file + n - k, exts[i]) == 0)
			return true;
	}
	return false;
}

/* Valgrind prefixes every line with "==PID==": returns the rest, or NULL. */
static const char *valgrind_rest(const char *p)
{
	if (!tprefix(p, "=="))
		return NULL;
	const char *q = p + 2;
	if (tnum(&q) < 0 || !tprefix(q, "=="))
		return NULL;
	return q + 2;
}

/* "at 0x1091A9: list_sum (list.c:42)", "by 0x4E5B: f (in /lib/libc.so.6)" */
static bool valgrind_frame(const char *s, trace_frame *f)
{
	const char *rest = valgrind_rest(tskip(s));
	if (!rest)
		return false;
	s = tskip(rest);
	if (!tprefix(s, "at 0x") && !tprefix(s, "by 0x"))
		return false;
	const char *colon = strstr(s, ": ");
	if (!colon)
		return false;
	const char *fn = colon + 2;
	size_t n = strlen(fn);
	if (n && fn[n - 1] == ')') {
		size_t open = tstrip_args(fn, n);
		const char *loc = fn + open;
		while (*loc == ' ')
			loc++;
		if (*loc == '(' && !tprefix(loc, "(in "))
			native_location(loc + 1, (size_t)(fn + n - 1 - loc - 1), f);
		else if (*loc == '(')
			native_module(loc, (size_t)(fn + n - loc), f);
		n = open;
	}
	native_function(fn, n, f);
	return true;
}

/* The error a valgrind report opens with: "Invalid read of size 4" gives
 * "Invalid read"; a signal gives its name. */
static bool valgrind_header(const char *p, trace_exception *e)
{
	const char *rest = valgrind_rest(p);
	if (!rest || rest[0] != ' ' || rest[1] == ' ' || rest[1] == '\0')
		return false;
	rest++;
	static const char *const kinds[] = {
		"Invalid read", "Invalid write", "Invalid free", "Mismatched free",
		"Conditional jump or move depends on uninitialised value",
		"Use of uninitialised value", "Syscall param", "Source and destination overlap",
		"Process terminating with default action of signal",
		"Argument 'size' of function", "Invalid memory pool",
	};
	for (size_t i = 0; i < sizeof(kinds) / sizeof(*kinds); i++)
		if (tprefix(rest, kinds[i])) {
			const char *sig = strstr(rest, "(SIG");
			if (sig)
				e->type = tstr(sig + 1, strcspn(sig + 1, ")"));
			else
				e->type = xstrdup(kinds[i]);
			e->message = tstrz(rest);
			return true;
		}
	const char *lost = strstr(rest, " are definitely lost");
	if (lost) {
		e->type = xstrdup("definitely lost");
		e->message = tstrz(rest);
		return true;
	}
	return false;
}

static bool any_frame(const char *s, trace_frame *f)
{
	return native_frame(s, f) || valgrind_frame(s, f);
}

/* Where gdb stopped, printed once before any "bt": "0x00007f in raise () from
 * /lib/libc.so.6", "strlen () at ../sysdeps/x86_64/strlen.S:106",
 * "parse (buf=0x0) at src/p.c:27", "0x000055 in ?? ()". */
static bool gdb_stop_frame(const char *p, trace_frame *f)
{
	if (!tprefix(p, "0x") && !(isalpha((unsigned char)*p) || *p == '_'))
		return false;
	if (!tprefix(p, "0x") && !strstr(p, ") at "))
		return false;
	char *framed = xasprintf("#0 %s", p);
	bool ok = native_frame(framed, f);
	free(framed);
	return ok;
}

void trace_parse_native(trace *t, const struct tlines *L)
{
	trace_exception *cur = NULL;   /* the block receiving frames */
	trace_exception *waiting = NULL; /* a header whose stack is still to come */
	bool report_final = false;     /* the current report's first stack is final */
	char *section = NULL;          /* "freed by thread T0 here" */
	char *cpp_exception = NULL;    /* "std::out_of_range: vector::_M_range_check" */
	bool cpp = false;
	size_t gdb_block = SIZE_MAX;   /* the block of gdb's last signal */
	for (size_t i = 0; i < L->n; i++) {
		const char *p = tskip(L->v[i]);
		trace_exception probe = { 0 };
		bool signal = gdb_signal(p, &probe);
		if (signal || sanitizer_header(p, &probe) || ubsan_line(p, &probe) ||
		    valgrind_header(p, &probe)) {
			trace_exception *e = trace_add_block(t, true);
			*e = probe;
			e->innermost_first = true;
			t->final = t->nexc - 1;
			waiting = e;
			cur = NULL;
			report_final = true;
			gdb_block = signal ? t->nexc - 1 : SIZE_MAX;
			/* a header wrapped at the terminal's width goes on mid-word */
			size_t hl = strlen(p);
			if (!signal && e->message && hl >= 79 && i + 1 < L->n) {
				const char *next = tskip(L->v[i + 1]);
				if (*next && strlen(next) < 40 && !strchr(next, ':')) {
					char *m = xasprintf("%s%s", e->message, next);
					free(e->message);
					e->message = tstrz(m);
					free(m);
					i++;
				}
			}
			/* gdb prints where it stopped before any backtrace */
			for (size_t j = i + 1; signal && j < L->n && j <= i + 2; j++) {
				trace_frame f = { 0 };
				if (gdb_stop_frame(tskip(L->v[j]), &f)) {
					trace_block_add_frame(e, &f);
					i = j;
					break;
				}
				trace_frame_free(&f);
				if (*tskip(L->v[j]))
					break;
			}
			continue;
		}
		/* "(gdb) bt": the full backtrace replaces the frame printed at the stop */
		if (gdb_block != SIZE_MAX && tprefix(p, "(gdb) ") &&
		    (strcmp(p + 6, "bt") == 0 || tprefix(p + 6, "bt ") || strcmp(p + 6, "where") == 0 ||
		     strcmp(p + 6, "backtrace") == 0 || tprefix(p + 6, "backtrace ") ||
		     strcmp(p + 6, "bt full") == 0)) {
			trace_exception *e = &t->exc[gdb_block];
			for (size_t k = 0; k < e->nframes; k++)
				trace_frame_free(&e->frames[k]);
			e->nframes = 0;
			cur = e;
			waiting = NULL;
			gdb_block = SIZE_MAX;
			continue;
		}
		trace_frame f = { 0 };
		size_t used = trace_frame_at(L, i, any_frame, &f);
		if (used) {
			if (!cur) {
				if (waiting && !waiting->nframes) {
					cur = waiting;
					if (!cur->message && section)
						cur->message = section, section = NULL;
				} else {
					cur = trace_add_block(t, true);
					cur->message = section;
					section = NULL;
					if (!report_final) {
						t->final = t->nexc - 1;
						report_final = true;
					}
				}
				waiting = NULL;
			}
			cpp = cpp || cpp_frame(&f);
			trace_block_add_frame(cur, &f);
			i += used - 1;
			continue;
		}
		if (!*p)
			continue;
		/* text between stacks: a section header ends with ':' */
		cur = NULL;
		const char *vg = valgrind_rest(p);
		if (vg) {
			/* " Address 0x4a8f040 is 0 bytes inside a block ... free'd" */
			const char *q = tskip(vg);
			if (*q && vg[0] == ' ' && vg[1] == ' ' && vg[2] != ' ') {
				free(section);
				section = tstrz(q);
			}
			continue;
		}
		size_t n = strlen(p);
		if (p[n - 1] == ':' && n < 200) {
			free(section);
			section = tstr(p, n - 1);
		} else if (waiting && !waiting->message && (tprefix(p, "READ of size") ||
							    tprefix(p, "WRITE of size"))) {
			waiting->message = tstrz(p);
		} else if (tprefix(p, "terminate called after throwing an instance of '")) {
			/* libstdc++ names the C++ exception before the SIGABRT */
			const char *ty = p + 48;
			size_t tn = strcspn(ty, "'");
			const char *what = i + 1 < L->n ? tskip(L->v[i + 1]) : "";
			free(cpp_exception);
			cpp_exception = tprefix(what, "what():")
				? xasprintf("%.*s: %s", (int)tn, ty, tskip(what + 7))
				: xasprintf("%.*s", (int)tn, ty);
		}
	}
	free(section);
	/* the uncaught C++ exception says more than "Aborted" */
	for (size_t b = 0; cpp_exception && b < t->nexc; b++)
		if (t->exc[b].type && strcmp(t->exc[b].type, "SIGABRT") == 0) {
			free(t->exc[b].message);
			t->exc[b].message = tstrz(cpp_exception);
			cpp = true;
			break;
		}
	free(cpp_exception);
	t->lang = cpp ? TRACE_CPP : TRACE_C;
	/* a sanitizer report on a Rust program */
	size_t rs = 0, other = 0;
	for (size_t b = 0; b < t->nexc; b++)
		for (size_t i = 0; i < t->exc[b].nframes; i++) {
			const char *file = t->exc[b].frames[i].file;
			size_t n = file ? strlen(file) : 0;
			if (n > 3 && strcmp(file + n - 3, ".rs") == 0)
				rs++;
			else if (n && t->exc[b].frames[i].line)
				other++;
		}
	if (rs > other)
		t->lang = TRACE_RUST;
}
