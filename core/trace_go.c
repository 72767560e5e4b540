/* Go: panics and fatal errors with goroutine dumps, and race detector reports.
 * A frame is two lines: the function, then "\tpath/file.go:NN +0x1d".
 * Innermost first; "created by X" is the goroutine's outermost frame. */
#include <stdlib.h>
#include <string.h>

#include "trace_internal.h"
#include "xalloc.h"

/* "\t/path/main.go:15 +0x1d": fills file and line. */
static bool go_location(const char *s, trace_frame *f)
{
	s = tskip(s);
	size_t n = strlen(s);
	const char *plus = strstr(s, " +0x");
	if (!plus) /* "asm_amd64.s:198 fp=0xc20cfb80d8 sp=0xc20cfb80d0" */
		plus = strstr(s, " fp=");
	if (plus)
		n = (size_t)(plus - s);
	/* cgo frames have no source: " ??:0 +0x6d" */
	if (n == 4 && memcmp(s, "??:0", 4) == 0)
		return true;
	size_t flen;
	int line, col;
	if (!tsplit_loc(s, n, &flen, &line, &col) || col != 0)
		return false;
	/* Go, assembly, and the C of the runtime before Go 1.4 */
	if (!(flen > 3 && memcmp(s + flen - 3, ".go", 3) == 0) &&
	    !(flen > 2 && memcmp(s + flen - 2, ".s", 2) == 0) &&
	    !(flen > 2 && memcmp(s + flen - 2, ".c", 2) == 0))
		return false;
	f->file = tstr(s, flen);
	f->line = line;
	return true;
}

/* "main.(*Server).handle(0x0, {0x5c8f40, 0xc000012345})", "created by main.main
 * in goroutine 1", "panic({0x4b2f40, 0xc000012345})". */
static bool go_function_named(const char *s, trace_frame *f, bool need_dot);

static bool go_function(const char *s, trace_frame *f)
{
	return go_function_named(s, f, true);
}

/* need_dot is false when a location follows: the old runtime's C functions
 * ("findrunnable(0x8012000)") have no package. */
static bool go_function_named(const char *s, trace_frame *f, bool need_dot)
{
	s = tskip(s);
	bool created = tprefix(s, "created by ");
	if (created) {
		s += 11;
		size_t n = strcspn(s, " ");
		if (!tident(s, n, "./()*[]{}-~!%"))
			return false;
		f->function = tstr(s, n);
		return true;
	}
	size_t n = strlen(s);
	if (n == 0 || s[n - 1] != ')')
		return false;
	size_t m = tstrip_args(s, n);
	/* the module cache writes capitals as "!x": github.com/!burnt!sushi */
	if (m == n || m == 0 || !tident(s, m, "./()*[]{}-~,!%") || memchr(s, ' ', m))
		return false;
	if (need_dot && !memchr(s, '.', m) && !(m == 5 && memcmp(s, "panic", 5) == 0))
		return false;
	f->function = tstr(s, m);
	return true;
}

static bool go_frame_pair(const struct tlines *L, size_t i, trace_frame *f)
{
	if (i + 1 >= L->n || !go_function_named(L->v[i], f, false))
		return false;
	if (!go_location(L->v[i + 1], f)) {
		trace_frame_free(f);
		return false;
	}
	return true;
}

/* A race report section: "Write at 0x00c0000a0018 by goroutine 7:",
 * "Previous read at ... by main goroutine:", "Goroutine 7 (running) created at:". */
static bool race_section(const char *s)
{
	s = tskip(s);
	size_t n = strlen(s);
	return n > 1 && s[n - 1] == ':' &&
	       (strstr(s, " by goroutine ") || strstr(s, " by main goroutine") ||
		(tprefix(s, "Goroutine ") && strstr(s, " created at")));
}

void trace_parse_go(trace *t, const struct tlines *L)
{
	trace_exception *cur = NULL;
	char *type = NULL, *message = NULL; /* the last panic seen, for its goroutine */
	bool first_goroutine = false;
	bool final_set = false;
	for (size_t i = 0; i < L->n; i++) {
		const char *p = tskip(L->v[i]);
		if (tprefix(p, "panic:") || tprefix(p, "fatal error: ")) {
			bool fatal = p[0] == 'f';
			const char *m = tskip(p + (fatal ? 13 : 6));
			size_t n = strlen(m);
			if (n > 12 && strcmp(m + n - 12, " [recovered]") == 0)
				n -= 12;
			free(type);
			free(message);
			type = xstrdup(fatal ? "fatal error" : "panic");
			message = tstr(m, n);
			first_goroutine = true;
			cur = NULL;
			continue;
		}
		if (tprefix(p, "SIGQUIT: quit")) { /* a dump asked for with kill -QUIT */
			free(type);
			free(message);
			type = xstrdup("SIGQUIT");
			message = xstrdup("quit");
			first_goroutine = true;
			cur = NULL;
			continue;
		}
		if (tprefix(p, "WARNING: DATA RACE")) {
			free(type);
			free(message);
			type = xstrdup("DATA RACE");
			message = NULL;
			first_goroutine = true;
			cur = NULL;
			continue;
		}
		if ((tprefix(p, "goroutine ") && strchr(p, '[') && p[strlen(p) - 1] == ':') ||
		    race_section(p)) {
			cur = trace_add_block(t, true);
			size_t n = strlen(p) - 1;
			if (first_goroutine && type) {
				cur->type = type;
				cur->message = message ? message : tstr(p, n);
				type = message = NULL;
				first_goroutine = false;
				t->final = t->nexc - 1;
				final_set = true;
			} else if (type || t->nexc > 1) {
				cur->message = tstr(p, n);
			}
			continue;
		}
		if (tprefix(p, "...") && strstr(p, "elided"))
			continue;
		trace_frame f = { 0 };
		/* a paste cut off after a function, before its location */
		if (cur && !go_frame_pair(L, i, &f) && (i + 1 >= L->n || !*tskip(L->v[i + 1])) &&
		    go_function(L->v[i], &f)) {
			trace_block_add_frame(cur, &f);
			cur = NULL;
			continue;
		}
		trace_frame_free(&f);
		if (go_frame_pair(L, i, &f)) {
			if (!cur) {
				cur = trace_add_block(t, true);
				if (!final_set) {
					t->final = t->nexc - 1;
					final_set = true;
				}
			}
			trace_block_add_frame(cur, &f);
			i++;
			continue;
		}
		if (*p && !tprefix(p, "[signal ") && !tprefix(p, "panic: "))
			cur = NULL;
	}
	/* a panic without a goroutine dump still names the error */
	if (type) {
		trace_exception *e = trace_add_block(t, true);
		e->type = type;
		e->message = message;
		if (!final_set)
			t->final = t->nexc - 1;
	}
	t->lang = TRACE_GO;
}
