/* PHP: "PHP Fatal error:  Uncaught Exception: msg in /path/x.php:12", "Stack
 * trace:", "#0 /path/x.php(12): fn()", "#1 {main}", "thrown in ... on line N",
 * fatals without a class ("... in /path on line N") and "Next" chains.
 * Innermost first; the first exception of a chain is the root cause. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "trace_internal.h"
#include "xalloc.h"

/* A name as printed; a log that stored the trace as JSON doubled its
 * backslashes ("Illuminate\\\\Pipeline"), which are undone. */
static char *php_name(const char *s, size_t n)
{
	char *copy = xstrndup(s, n);
	char *w = copy;
	for (const char *r = copy; *r; r++)
		if (!(r[0] == '\\' && r[1] == '\\'))
			*w++ = *r;
	*w = '\0';
	char *out = tstrz(copy);
	free(copy);
	return out;
}

/* What follows a frame's number "#12 ", or NULL if s does not start with one. */
static const char *after_frame_number(const char *s)
{
	s = tskip(s);
	if (*s != '#')
		return NULL;
	s++;
	if (tnum(&s) < 0 || *s != ' ')
		return NULL;
	return tskip(s);
}

/* "#0 /path/file.php(12): App\Foo->run()", "#1 [internal function]: fn()",
 * "#2 {main}". */
static bool php_frame(const char *text, trace_frame *f)
{
	const char *s = after_frame_number(text);
	if (!s)
		return false;
	if (strcmp(s, "{main}") == 0) {
		f->function = xstrdup("{main}");
		return true;
	}
	const char *colon = strstr(s, "): ");
	const char *fn;
	const char *open0 = strrchr(s, '(');
	if (!colon && open0 && open0 > s) {
		/* "#9 /path/index.php(17)": PHP cut its message off after the call
		 * site, sometimes going on with " in /path on line N" */
		const char *q = open0 + 1;
		int line = tnum(&q);
		if (line >= 0 && *q == ')' && (q[1] == '\0' || tprefix(q + 1, " in "))) {
			f->file = tstr(s, (size_t)(open0 - s));
			f->line = line;
			return true;
		}
	}
	if (tprefix(s, "[internal function]: ")) {
		fn = s + 21;
	} else if (colon) {
		const char *open = colon;
		while (open > s && *open != '(')
			open--;
		const char *q = open + 1;
		int line = tnum(&q);
		if (*open != '(' || line < 0 || q != colon || open == s)
			return false;
		f->file = tstr(s, (size_t)(open - s));
		f->line = line;
		fn = colon + 3;
	} else {
		return false;
	}
	/* a PHP name never holds "(": the arguments start at the first one,
	 * whatever their quoted strings hold ('/\\[(\\[?)(gallery...') */
	size_t n = strcspn(fn, "(");
	if (n == 0 || memchr(fn, ' ', n)) {
		trace_frame_free(f);
		return false;
	}
	f->function = php_name(fn, n);
	return true;
}

/* "#73 ErrorException in /path/view.php:144", "#70 Ns\\Type:method in /path:59":
 * Whoops' plain-text trace. */
static bool whoops_frame(const char *text, trace_frame *f)
{
	const char *s = after_frame_number(text);
	if (!s)
		return false;
	const char *in = strstr(s, " in ");
	if (!in || in == s || memchr(s, ' ', (size_t)(in - s)))
		return false;
	const char *loc = in + 4;
	size_t flen;
	int line, col;
	if (!tsplit_loc(loc, strlen(loc), &flen, &line, &col) || col || !strstr(loc, ".php"))
		return false;
	f->function = php_name(s, (size_t)(in - s));
	f->file = tstr(loc, flen);
	f->line = line;
	return true;
}

/* Xdebug's call stack table, as a page renders it: "2 | 0.0004 | 62764 | foo( ) |
 * ../stack.php:47 |". Printed outermost first. */
static bool xdebug_frame(const char *s, trace_frame *f)
{
	s = tskip(s);
	if (!isdigit((unsigned char)*s) || !strchr(s, '|'))
		return false;
	const char *cell[6];
	size_t len[6], k = 0;
	const char *p = s;
	while (k < 6) {
		const char *bar = strchr(p, '|');
		const char *e = bar ? bar : p + strlen(p);
		const char *a = tskip(p);
		const char *b = e;
		while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
			b--;
		cell[k] = a;
		len[k++] = (size_t)(b - a);
		if (!bar)
			break;
		p = bar + 1;
	}
	if (k < 5 || len[0] == 0 || strspn(cell[0], "0123456789") != len[0] ||
	    !memchr(cell[1], '.', len[1]))
		return false;
	size_t flen;
	int line, col;
	if (!tsplit_loc(cell[4], len[4], &flen, &line, &col) || col)
		return false;
	size_t fn = tstrip_args(cell[3], len[3]);
	if (fn == 0)
		return false;
	f->function = php_name(cell[3], fn);
	f->file = tstr(cell[4], flen);
	f->line = line;
	return true;
}

/* The last " in PATH:LINE" or " in PATH on line N" of s, as a frame; *at is where
 * the " in " begins. */
static trace_frame *php_where(const char *s, const char **at)
{
	const char *best = NULL;
	for (const char *p = s; (p = strstr(p, " in ")); p++)
		best = p;
	if (!best)
		return NULL;
	const char *loc = best + 4;
	size_t n = strlen(loc);
	size_t flen;
	int line = 0, col = 0;
	const char *on = strstr(loc, " on line ");
	if (on) {
		const char *q = on + 9;
		line = tnum(&q);
		flen = (size_t)(on - loc);
		if (line < 0)
			return NULL;
	} else if (!tsplit_loc(loc, n, &flen, &line, &col) || col) {
		return NULL;
	}
	trace_frame *f = xcalloc(1, sizeof(*f));
	f->file = tstr(loc, flen);
	f->line = line;
	*at = best;
	return f;
}

/* Laravel's message inside its JSON context: \" and \\ undone. */
static char *json_unescaped(const char *s, size_t n)
{
	char *copy = xmalloc(n + 1);
	size_t w = 0;
	for (size_t r = 0; r < n; r++) {
		if (s[r] == '\\' && r + 1 < n && (s[r + 1] == '"' || s[r + 1] == '\\'))
			r++;
		copy[w++] = s[r];
	}
	char *out = tstr(copy, w);
	free(copy);
	return out;
}

/* Laravel's log line: 'local.ERROR: msg {"exception":"[object] (Type(code: 0):
 * msg at C:\\path\\File.php:40)' */
static bool laravel_header(const char *s, trace *t)
{
	const char *o = strstr(s, "\"exception\":\"[object] (");
	if (!o)
		return false;
	const char *type = o + 23;
	const char *code = strstr(type, "(code: ");
	const char *colon = code ? strstr(code, "): ") : NULL;
	if (!colon || !tident(type, (size_t)(code - type), "\\"))
		return false;
	const char *msg = colon + 3;
	const char *at = NULL;
	for (const char *p = msg; (p = strstr(p, " at ")); p++)
		at = p;
	trace_exception *e = trace_add_block(t, true);
	e->type = php_name(type, (size_t)(code - type));
	if (!at) {
		e->message = json_unescaped(msg, strlen(msg));
		return true;
	}
	e->message = json_unescaped(msg, (size_t)(at - msg));
	/* JSON escapes the backslashes of Windows paths */
	char *loc = xstrdup(at + 4);
	char *w = loc;
	for (const char *r = loc; *r; r++)
		if (!(r[0] == '\\' && r[1] == '\\'))
			*w++ = *r;
	*w = '\0';
	size_t n = strlen(loc);
	while (n && (loc[n - 1] == ')' || loc[n - 1] == '"' || loc[n - 1] == '}'))
		n--;
	size_t flen;
	int line, col;
	if (tsplit_loc(loc, n, &flen, &line, &col)) {
		e->location = xcalloc(1, sizeof(*e->location));
		e->location->file = tstr(loc, flen);
		e->location->line = line;
	}
	free(loc);
	return true;
}

static const char *const php_levels[] = {
	"Fatal error", "Parse error", "Warning", "Recoverable fatal error",
	"Catchable fatal error",
};

/* "PHP Fatal error:  Uncaught X: msg in f:12", "Fatal error: msg in f on line 3",
 * "Next X: msg in f:12". */
static bool php_header(const char *s, trace *t, bool *chain_start)
{
	s = tskip(s);
	if (tprefix(s, "( ! ) ")) /* Xdebug */
		s += 6;
	/* error_log's prefix: "[06-May-2021 21:17:27 America/Los_Angeles] PHP Fatal error:" */
	const char *php = *s == '[' ? strstr(s, "] PHP ") : NULL;
	if (php)
		s = php + 2;
	if (tprefix(s, "PHP "))
		s += 4;
	const char *level = NULL;
	for (size_t i = 0; i < sizeof(php_levels) / sizeof(*php_levels); i++)
		if (tprefix(s, php_levels[i]) && s[strlen(php_levels[i])] == ':') {
			level = php_levels[i];
			s = tskip(s + strlen(level) + 1);
			break;
		}
	bool next = !level && tprefix(s, "Next ");
	if (!level && !next)
		return false;
	if (next)
		s += 5;
	else if (tprefix(s, "Uncaught "))
		s += 9;
	/* PHP 5: "Uncaught exception 'Ns\X' with message 'msg' in /x.php:12" */
	if (tprefix(s, "exception '")) {
		const char *ty = s + 11;
		size_t tn = strcspn(ty, "'");
		const char *with = ty[tn] ? strstr(ty + tn, "' with message '") : NULL;
		if (tn == 0 || !with || !tident(ty, tn, "\\"))
			return false;
		const char *m = with + 16;
		const char *at = NULL;
		trace_exception *e = trace_add_block(t, true);
		e->type = php_name(ty, tn);
		e->location = php_where(m, &at);
		size_t mlen = at ? (size_t)(at - m) : strlen(m);
		if (mlen && m[mlen - 1] == '\'')
			mlen--;
		e->message = tstr(m, mlen);
		*chain_start = true;
		return true;
	}
	const char *at = NULL;
	trace_frame *where = php_where(s, &at);
	if (!where)
		return false;
	trace_exception *e = trace_add_block(t, true);
	e->location = where;
	size_t n = strcspn(s, ": ");
	size_t mlen = (size_t)(at - s);
	/* PHP 8: "... called in X on line 27 and defined in Y:14" */
	if (mlen > n + 12 && memcmp(s + mlen - 12, " and defined", 12) == 0)
		mlen -= 12;
	if (s[n] == ':' && tident(s, n, "\\") && isupper((unsigned char)s[0])) {
		e->type = tstr(s, n);
		e->message = tstr(s + n + 1, mlen - n - 1);
	} else {
		e->type = xstrdup(level ? level : "Exception");
		e->message = tstr(s, (size_t)(at - s));
	}
	*chain_start = !next;
	return true;
}

/* PHPUnit lists where an error happened as bare "/path/File.php:33" lines. */
static bool phpunit_frame(const char *s, trace_frame *f)
{
	s = tskip(s);
	if (!strstr(s, ".php:"))
		return false;
	size_t n = strlen(s), flen;
	int line, col;
	if (n < 6 || memchr(s, ' ', n) || !tsplit_loc(s, n, &flen, &line, &col) || col ||
	    flen < 5 || memcmp(s + flen - 4, ".php", 4) != 0)
		return false;
	f->file = tstr(s, flen);
	f->line = line;
	return true;
}

/* PHPUnit's "DivisionByZeroError: Division by zero" above its locations. */
static bool phpunit_error(const char *s, trace_exception *e)
{
	if (!isupper((unsigned char)*s))
		return false;
	size_t n = strcspn(s, ": ");
	if (s[n] != ':' || s[n + 1] != ' ' || !isupper((unsigned char)s[0]) || !tident(s, n, "\\") ||
	    !(strstr(s, "Error") || strstr(s, "Exception")) || (size_t)(strstr(s, ": ") - s) != n)
		return false;
	e->type = tstr(s, n);
	e->message = tstrz(s + n + 2);
	return true;
}

void trace_parse_php(trace *t, const struct tlines *L)
{
	trace_exception *cur = NULL;
	trace_exception unit = { 0 }; /* PHPUnit's error line, for its locations */
	for (size_t i = 0; i < L->n; i++) {
		const char *p = tskip(L->v[i]);
		bool chain_start;
		trace_frame uf = { 0 };
		if (phpunit_frame(p, &uf)) {
			if (!cur) {
				cur = trace_add_block(t, true);
				t->final = t->nexc - 1;
				cur->type = unit.type;
				cur->message = unit.message;
				memset(&unit, 0, sizeof(unit));
			}
			trace_block_add_frame(cur, &uf);
			continue;
		}
		trace_frame_free(&uf);
		trace_exception probe = { 0 };
		if (!cur && phpunit_error(p, &probe)) {
			free(unit.type);
			free(unit.message);
			unit = probe;
			continue;
		}
		if (laravel_header(p, t)) {
			cur = &t->exc[t->nexc - 1];
			t->final = t->nexc - 1;
			continue;
		}
		if (php_header(p, t, &chain_start)) {
			cur = &t->exc[t->nexc - 1];
			if (chain_start)
				t->final = t->nexc - 1;
			continue;
		}
		if (tprefix(p, "Stack trace:"))
			continue;
		if (tprefix(p, "thrown in ")) {
			if (cur && !cur->location) {
				const char *at;
				cur->location = php_where(p + 6, &at);
			}
			continue;
		}
		trace_frame f = { 0 };
		size_t used = trace_frame_at(L, i, php_frame, &f);
		if (used || whoops_frame(p, &f)) {
			if (!cur) {
				cur = trace_add_block(t, true);
				t->final = t->nexc - 1;
			}
			trace_block_add_frame(cur, &f);
			i += used ? used - 1 : 0;
			continue;
		}
		trace_frame_free(&f);
		if (xdebug_frame(p, &f)) {
			if (!cur || (cur->nframes && cur->innermost_first)) {
				cur = trace_add_block(t, false);
				t->final = t->nexc - 1;
			}
			if (!cur->nframes)
				cur->innermost_first = false;
			trace_block_add_frame(cur, &f);
			continue;
		}
		trace_frame_free(&f);
	}
	free(unit.type);
	free(unit.message);
	/* a later warning without a trace does not hide the fatal error above it */
	if (t->nexc && !t->exc[t->final].nframes)
		for (size_t b = t->final; b-- > 0;)
			if (t->exc[b].nframes) {
				t->final = b;
				break;
			}
	t->lang = TRACE_PHP;
}
