/* Java, Kotlin and Scala: `Exception in thread`, `at pkg.Class.method(File:N)`,
 * `Caused by:`, `Suppressed:`, `... N more`, Android logcat. Innermost first. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "trace_internal.h"
#include "xalloc.h"

/* Android logcat puts "E AndroidRuntime: " or "E/AndroidRuntime( 123): " before
 * every line of the trace. */
static const char *strip_logcat(const char *s)
{
	const char *a = strstr(s, "AndroidRuntime");
	if (!a)
		return s;
	const char *c = strstr(a, ": ");
	return c ? c + 2 : s;
}

static bool pseudo_source(const char *s, size_t n)
{
	return (n == 13 && memcmp(s, "Native Method", 13) == 0) ||
	       (n >= 14 && memcmp(s, "Unknown Source", 14) == 0) ||
	       (n >= 10 && memcmp(s, "SourceFile", 10) == 0);
}

static bool jvm_frame(const char *line, trace_frame *f)
{
	const char *s = tskip(line);
	if (!tprefix(s, "at ")) {
		s = tskip(strip_logcat(line));
		if (!tprefix(s, "at "))
			return false;
	}
	s = tskip(s + 3);
	if (tprefix(s, "at ")) /* logback's status printer: "at  at x.y.Z.m(Z.java:3)" */
		s = tskip(s + 3);
	const char *open = strchr(s, '(');
	if (!open || open == s)
		return false;
	const char *close = strchr(open, ')');
	if (!close)
		return false;
	const char *after = tskip(close + 1);
	if (*after && *after != '[' && !tprefix(after, "~["))
		return false;
	/* "java.base/java.lang.Thread.run", "app//com.foo.Main.main": the module
	 * stays in the name as printed, the package comes after it */
	const char *name = s;
	for (const char *p = s; p < open; p++)
		if (*p == '/')
			name = p + 1;
	size_t nlen = (size_t)(open - name);
	if (!tident(name, nlen, ".<>-") || !memchr(name, '.', nlen))
		return false;
	const char *loc = open + 1;
	size_t llen = (size_t)(close - loc);
	/* without a source file name the line still counts: "(Unknown Source:10)",
	 * R8's "(SourceFile:2)", Crashlytics' "(:23)" and "(group:artifact@@1.2:8)" */
	const char *lc = llen ? memrchr(loc, ':', llen) : NULL;
	if (lc && (pseudo_source(loc, llen) || lc == loc || memmem(loc, llen, "@@", 2))) {
		const char *p = lc + 1;
		int num = tnum(&p);
		if (num < 0 || p != close)
			return false;
		f->line = num;
	} else if (!pseudo_source(loc, llen)) {
		const char *colon = memchr(loc, ':', llen);
		size_t flen = colon ? (size_t)(colon - loc) : llen;
		const char *dot = memchr(loc, '.', flen);
		if (!dot || !tident(loc, flen, ".") || dot == loc)
			return false;
		if (colon) {
			const char *p = colon + 1;
			int num = tnum(&p);
			if (num < 0 || p != close)
				return false;
			f->line = num;
		}
		f->file = tstr(loc, flen);
	}
	f->function = tstr(s, (size_t)(open - s));
	/* the package is everything before Class.method */
	const char *last = NULL, *prev = NULL;
	for (const char *p = name; p < open; p++)
		if (*p == '.') {
			prev = last;
			last = p;
		}
	if (prev)
		f->package = tstr(name, (size_t)(prev - name));
	return true;
}

/* A fully qualified exception class: "java.lang.IllegalStateException". */
static bool jvm_class(const char *s, size_t n)
{
	if (!tident(s, n, ".$") || !memchr(s, '.', n) || !isalpha((unsigned char)s[0]))
		return false;
	const char *last = s;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '.')
			last = s + i + 1;
	size_t ln = n - (size_t)(last - s);
	return isupper((unsigned char)*last) &&
	       ((ln >= 5 && memcmp(last + ln - 5, "Error", 5) == 0) ||
		(ln >= 9 && memcmp(last + ln - 9, "Exception", 9) == 0) ||
		(ln >= 9 && memcmp(last + ln - 9, "Throwable", 9) == 0) ||
		strstr(last, "Exception") || strstr(last, "Error"));
}

enum header_kind { H_NONE, H_TOP, H_CAUSED, H_SUPPRESSED };

/* Recognizes a header line, returning the class and message positions. */
static enum header_kind jvm_header(const char *line, const char **type, size_t *tlen,
				   const char **msg, int *indent)
{
	const char *s0 = strip_logcat(line);
	const char *s = tskip(s0);
	*indent = (int)(s - s0);
	enum header_kind kind = H_TOP;
	if (tprefix(s, "at ")) /* a frame-like line, never a header */
		return H_NONE;
	/* every class jvm_class takes names one of these */
	if (!strstr(s, "Exception") && !strstr(s, "Error") && !strstr(s, "Throwable"))
		return H_NONE;
	if (tprefix(s, "Caused by ") && isalpha((unsigned char)s[10])) {
		/* Crashlytics drops the colon: "Caused by java.lang.X: msg" */
		kind = H_CAUSED;
		s += 10;
	} else if (tprefix(s, "Caused by: ")) {
		kind = H_CAUSED;
		s += 11;
	} else if (tprefix(s, "Suppressed: ")) {
		kind = H_SUPPRESSED;
		s += 12;
	} else if (tprefix(s, "Exception in thread \"")) {
		const char *q = strstr(s + 21, "\" ");
		if (!q)
			return H_NONE;
		s = q + 2;
	}
	size_t n = strcspn(s, ": ");
	if (!jvm_class(s, n) && kind == H_TOP) {
		/* a log line or a JSON field before the class: "...\"stack_trace\":\"java.lang.X: msg" */
		const char *found = NULL;
		for (const char *q = s; *q && !found; q++) {
			if (q == s || !isalpha((unsigned char)*q) || !strchr(" \"'(=", q[-1]))
				continue;
			size_t k = strcspn(q, ": \"");
			if (jvm_class(q, k) && (q[k] == ':' || q[k] == '\0'))
				found = q;
		}
		if (!found)
			return H_NONE;
		s = found;
		n = strcspn(s, ": ");
	} else if (!jvm_class(s, n)) {
		return H_NONE;
	}
	if (s[n] != '\0' && s[n] != ':')
		return H_NONE;
	*type = s;
	*tlen = n;
	*msg = s[n] == ':' ? tskip(s + n + 1) : NULL;
	return kind;
}

void trace_parse_jvm(trace *t, const struct tlines *L)
{
	trace_exception *cur = NULL;
	bool kotlin = false;
	bool have_final = false;
	bool msg_open = false; /* lines after a header, before its first frame */
	int top_indent = 0;
	for (size_t i = 0; i < L->n; i++) {
		const char *s = L->v[i];
		const char *type, *msg;
		size_t tl;
		int indent;
		enum header_kind k = jvm_header(s, &type, &tl, &msg, &indent);
		trace_frame f = { 0 };
		size_t used = k == H_NONE ? trace_frame_at(L, i, jvm_frame, &f) : 0;
		if (k != H_NONE) {
			/* a bare class name only counts when frames follow */
			if (k == H_TOP && !tprefix(tskip(strip_logcat(s)), "Exception in thread")) {
				bool frames_follow = false;
				for (size_t j = i + 1; !frames_follow && j < L->n && j <= i + 10; j++) {
					trace_frame probe = { 0 };
					frames_follow = jvm_frame(L->v[j], &probe);
					trace_frame_free(&probe);
				}
				if (!frames_follow)
					continue;
			}
			cur = trace_add_block(t, true);
			cur->type = tstr(type, tl);
			if (msg && *msg)
				cur->message = tstrz(msg);
			/* a "Caused by" indented deeper than the trace belongs to a
			 * suppressed exception */
			if (k == H_TOP)
				top_indent = indent;
			if (k == H_TOP || (k == H_CAUSED && indent <= top_indent)) {
				t->final = t->nexc - 1;
				have_final = true;
			}
			msg_open = true;
			continue;
		}
		if (used) {
			if (!cur) {
				cur = trace_add_block(t, true);
				if (!have_final) {
					t->final = t->nexc - 1;
					have_final = true;
				}
			}
			size_t n = f.file ? strlen(f.file) : 0;
			if (n > 3 && (strcmp(f.file + n - 3, ".kt") == 0 ||
				      (n > 4 && strcmp(f.file + n - 4, ".kts") == 0)))
				kotlin = true;
			trace_block_add_frame(cur, &f);
			i += used - 1;
			msg_open = false;
			continue;
		}
		const char *p = tskip(strip_logcat(s));
		if (tprefix(p, "...") && (strstr(p, " more") || strstr(p, "omitted")))
			continue;
		if (tprefix(p, "at ") && cur)
			continue; /* "at java.lang.NullPointerException": not a frame, not an end */
		if (cur && msg_open && *p && cur->nframes == 0 && cur->message) {
			char *m = xasprintf("%s %s", cur->message, p);
			free(cur->message);
			cur->message = tstrz(m);
			free(m);
			continue;
		}
		if (*p)
			cur = NULL;
	}
	t->lang = kotlin ? TRACE_KOTLIN : TRACE_JAVA;
	size_t frames = 0;
	for (size_t b = 0; b < t->nexc; b++)
		frames += t->exc[b].nframes;
	/* a class name with no frames anywhere is prose, not a trace */
	if (frames == 0)
		trace_free(t);
}
