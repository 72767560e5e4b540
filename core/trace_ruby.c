/* Ruby: "file:line:in `method': message (Type)" then "\tfrom file:line:in ...",
 * Ruby 3.4's 'Class#method' quoting, Rails and RSpec backtraces. Innermost first. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "trace_internal.h"
#include "xalloc.h"

/* Parses "path:line:in `meth'" at s; *rest gets what follows the closing quote. */
static bool ruby_loc(const char *s, trace_frame *f, const char **rest)
{
	const char *in = strstr(s, ":in ");
	while (in && !(in[4] == '`' || in[4] == '\''))
		in = strstr(in + 1, ":in ");
	if (!in)
		return false;
	size_t flen;
	int line, col;
	if (!tsplit_loc(s, (size_t)(in - s), &flen, &line, &col) || col != 0)
		return false;
	const char *m = in + 5;
	const char *close = strchr(m, '\'');
	if (!close)
		return false;
	/* "block in <class:Foo>" and "<main>" are names as Ruby writes them */
	f->file = tstr(s, flen);
	f->line = line;
	if (close > m)
		f->function = tstr(m, (size_t)(close - m));
	*rest = close + 1;
	return true;
}

static const char *strip_frame_prefix(const char *s)
{
	s = tskip(s);
	if (tprefix(s, "# ")) /* RSpec */
		s = tskip(s + 2);
	if (tprefix(s, "- ")) /* better_errors' list */
		s = tskip(s + 2);
	if (tprefix(s, "from "))
		s += 5;
	return s;
}

/* JRuby 1.7 right-aligns the method: "  setup_qt_signals at /lib/x.rb:341". */
static bool jruby_frame(const char *line, trace_frame *f)
{
	const char *s = tskip(line);
	const char *at = strstr(s, " at ");
	if (!at || at == s || memchr(s, ' ', (size_t)(at - s)))
		return false;
	const char *loc = at + 4;
	size_t flen;
	int num, col;
	if (!tsplit_loc(loc, strlen(loc), &flen, &num, &col) || col || flen < 4 ||
	    memcmp(loc + flen - 3, ".rb", 3) != 0)
		return false;
	f->function = tstr(s, (size_t)(at - s));
	f->file = tstr(loc, flen);
	f->line = num;
	return true;
}

static bool ruby_frame(const char *line, trace_frame *f)
{
	const char *rest;
	const char *s = strip_frame_prefix(line);
	if (jruby_frame(line, f))
		return true;
	if (!ruby_loc(s, f, &rest))
		return false;
	if (*rest && *rest != ':') {
		trace_frame_free(f);
		return false;
	}
	return true;
}

/* "message (Type)" at the end of a first line: sets the block's type and *open_at
 * to where " (Type)" begins. */
static bool type_suffix(const char *s, trace_exception *e, size_t *open_at)
{
	size_t n = strlen(s);
	if (n < 3 || s[n - 1] != ')')
		return false;
	const char *open = NULL;
	for (size_t i = n - 1; i-- > 0;)
		if (s[i] == '(') {
			open = s + i;
			break;
		}
	if (!open || !tident(open + 1, (size_t)(s + n - 1 - open - 1), ":") ||
	    !isupper((unsigned char)open[1]))
		return false;
	e->type = tstr(open + 1, (size_t)(s + n - 1 - open - 1));
	*open_at = (size_t)(open - s);
	return true;
}

/* Rails: "NoMethodError (undefined method `x' for nil):" */
static bool rails_header(const char *s, trace_exception *e)
{
	s = tskip(s);
	size_t n = strcspn(s, " ");
	if (!tident(s, n, ":") || !isupper((unsigned char)s[0]) || !tprefix(s + n, " ("))
		return false;
	size_t len = strlen(s);
	if (len < n + 4 || strcmp(s + len - 2, "):") != 0)
		return false;
	e->type = tstr(s, n);
	e->message = tstr(s + n + 2, len - n - 4);
	return true;
}

/* better_errors: "ActionView::Template::Error - undefined method `x' for nil:" */
static bool dash_header(const char *s, trace_exception *e)
{
	size_t n = strcspn(s, " ");
	size_t len = strlen(s);
	if (!tprefix(s + n, " - ") || !tident(s, n, ":") || !isupper((unsigned char)s[0]) ||
	    len < n + 4 || s[len - 1] != ':')
		return false;
	bool named = (n > 5 && memcmp(s + n - 5, "Error", 5) == 0) ||
		     (n > 9 && memcmp(s + n - 9, "Exception", 9) == 0);
	if (!named)
		return false;
	e->type = tstr(s, n);
	e->message = tstr(s + n + 3, len - n - 4);
	return true;
}

/* A log line naming the error before its backtrace: "ArgumentError: msg",
 * "WARN: Faraday::TimeoutError: msg". */
static bool error_line(const char *s, trace_exception *e)
{
	const char *colon = strstr(s, ": ");
	if (colon && !memchr(s, ' ', (size_t)(colon - s)) && isupper((unsigned char)s[0]) &&
	    tident(s, (size_t)(colon - s), "") && strstr(colon + 2, ": ")) {
		const char *t = colon + 2; /* a log level or tag first */
		const char *c2 = strstr(t, ": ");
		if (c2 && !memchr(t, ' ', (size_t)(c2 - t)))
			s = t;
	}
	/* the type ends at ": ", and may hold "::" (Faraday::TimeoutError) */
	const char *sep = strstr(s, ": ");
	size_t n = sep ? (size_t)(sep - s) : 0;
	if (!sep || n == 0 || !isupper((unsigned char)s[0]) || !tident(s, n, ":"))
		return false;
	bool named = (n > 5 && memcmp(s + n - 5, "Error", 5) == 0) ||
		     (n > 9 && memcmp(s + n - 9, "Exception", 9) == 0) || memchr(s, ':', n) != NULL;
	if (!named)
		return false;
	e->type = tstr(s, n);
	e->message = tstrz(s + n + 2);
	return true;
}

static bool ruby_frame(const char *line, trace_frame *f);

/* A logger's line "undefined method `id' for nil (NoMethodError)" right above
 * the frames it printed. */
static bool suffix_header(const struct tlines *L, size_t i, const char *q, trace_exception *e)
{
	size_t open_at;
	size_t qn = strlen(q);
	trace_frame f = { 0 };
	if (qn < 3 || q[qn - 1] != ')' || i + 1 >= L->n || !ruby_frame(L->v[i + 1], &f))
		return false;
	trace_frame_free(&f);
	if (!type_suffix(q, e, &open_at))
		return false;
	e->message = tstr(q, open_at);
	return true;
}

void trace_parse_ruby(trace *t, const struct tlines *L)
{
	trace_exception *cur = NULL;
	trace_exception header = { 0 };
	for (size_t i = 0; i < L->n; i++) {
		const char *s = L->v[i];
		trace_frame f = { 0 };
		const char *rest = NULL;
		const char *p = strip_frame_prefix(s);
		bool from = tprefix(tskip(s), "from ");
		if (!from && ruby_loc(p, &f, &rest) && *rest == ':') {
			/* the first line: location, message and (Type) */
			cur = trace_add_block(t, true);
			t->final = t->nexc - 1;
			const char *m = tskip(rest + 1);
			trace_exception probe = { 0 };
			size_t open_at;
			if (type_suffix(m, &probe, &open_at)) {
				cur->type = probe.type;
				cur->message = tstr(m, open_at);
			} else {
				/* a multi-line message ends with (Type) a few lines on */
				char *msg = xstrdup(m);
				for (size_t j = i + 1; j < L->n && j < i + 10; j++) {
					const char *q = tskip(L->v[j]);
					if (tprefix(q, "from "))
						break;
					size_t before = strlen(msg) + 1;
					char *joined = xasprintf("%s %s", msg, q);
					free(msg);
					msg = joined;
					if (type_suffix(q, &probe, &open_at)) {
						cur->type = probe.type;
						msg[before + open_at] = '\0';
						i = j;
						break;
					}
				}
				cur->message = tstrz(msg);
				free(msg);
			}
			trace_block_add_frame(cur, &f);
			continue;
		}
		trace_frame_free(&f);
		size_t used = trace_frame_at(L, i, ruby_frame, &f);
		if (used) {
			if (!cur) {
				cur = trace_add_block(t, true);
				t->final = t->nexc - 1;
				cur->type = header.type;
				cur->message = header.message;
				memset(&header, 0, sizeof(header));
			}
			trace_block_add_frame(cur, &f);
			i += used - 1;
			continue;
		}
		const char *q = tskip(s);
		if (!*q)
			continue;
		/* Sentry prints the source line under each frame, further in */
		if (cur && cur->nframes && i > 0 && q - s > tskip(L->v[i - 1]) - L->v[i - 1])
			continue;
		trace_exception h = { 0 };
		size_t qn = strlen(q);
		if (rails_header(q, &h) || dash_header(q, &h)) {
			free(header.type);
			free(header.message);
			header = h;
		} else if (error_line(q, &h) || suffix_header(L, i, q, &h)) {
			free(header.type);
			free(header.message);
			header = h;
		} else if (qn > 1 && q[qn - 1] == ':' && isupper((unsigned char)q[0]) &&
			   tident(q, qn - 1, ":") && i + 1 < L->n && *tskip(L->v[i + 1]) &&
			   strcmp(q, "Failures:") != 0) {
			/* RSpec: "NoMethodError:" with the message on the next line */
			free(header.type);
			free(header.message);
			header.type = tstr(q, qn - 1);
			header.message = tstrz(L->v[i + 1]);
			i++;
		}
		cur = NULL;
	}
	free(header.type);
	free(header.message);
	t->lang = TRACE_RUBY;
}
