/* Lines and small string helpers shared by the trace parsers. */
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "sanitize.h"
#include "trace_internal.h"
#include "xalloc.h"

/* Removes up to 3 spaces and a '>' quote marker, repeatedly ("> > text"). */
static const char *unquote(const char *s, const char *end)
{
	for (;;) {
		const char *p = s;
		while (p < end && p - s < 4 && *p == ' ')
			p++;
		if (p < end && *p == '>' && (p + 1 == end || p[1] == ' ' || p[1] == '>')) {
			s = p + 1;
			if (s < end && *s == ' ')
				s++;
			continue;
		}
		return s;
	}
}

/* docker compose prefixes every line with the service: "web-1  | Traceback..." */
static const char *strip_service(const char *s, const char *end)
{
	const char *p = s;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	const char *word = p;
	while (p < end && (isalnum((unsigned char)*p) || *p == '_' || *p == '-' || *p == '.'))
		p++;
	if (p == word || p >= end || *p != ' ')
		return s;
	while (p < end && *p == ' ')
		p++;
	if (p < end && *p == '|' && (p + 1 == end || p[1] == ' '))
		return p + 1 < end ? p + 2 : p + 1;
	return s;
}

static bool is_fence(const char *s, const char *end)
{
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	return end - s >= 3 && (memcmp(s, "```", 3) == 0 || memcmp(s, "~~~", 3) == 0);
}

void tlines_split(struct tlines *L, const char *text, size_t len)
{
	size_t alloc = 16;
	L->v = xmalloc(alloc * sizeof(*L->v));
	L->n = 0;
	const char *p = text, *end = text + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		const char *s = p;
		while (e > s && (e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
			e--;
		/* pytest marks the failing source line with "> " too, but that line
		 * is source code, never part of what the parsers read */
		s = unquote(s, e);
		s = strip_service(s, e);
		if (L->n == alloc)
			L->v = xrealloc(L->v, (alloc *= 2) * sizeof(*L->v));
		L->v[L->n++] = is_fence(s, e) ? xstrdup("") : xstrndup(s, (size_t)(e - s));
		p = nl ? nl + 1 : end;
	}
}

void tlines_free(struct tlines *L)
{
	for (size_t i = 0; i < L->n; i++)
		free(L->v[i]);
	free(L->v);
	L->v = NULL;
	L->n = 0;
}

char *tstr(const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return sanitize_text(s, n, 0);
}

char *tstrz(const char *s)
{
	return tstr(s, strlen(s));
}

const char *tskip(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

int tnum(const char **p)
{
	const char *s = *p;
	if (!isdigit((unsigned char)*s))
		return -1;
	long v = 0;
	while (isdigit((unsigned char)*s)) {
		if (v < INT_MAX / 10)
			v = v * 10 + (*s - '0');
		else
			v = INT_MAX;
		s++;
	}
	*p = s;
	return (int)v;
}

/* The number ending at s[n-1]; sets *start to its first digit. -1 if none. */
static int num_before(const char *s, size_t n, size_t *start)
{
	size_t i = n;
	while (i > 0 && isdigit((unsigned char)s[i - 1]))
		i--;
	if (i == n || n - i > 9)
		return -1;
	*start = i;
	return atoi(s + i);
}

bool tsplit_loc(const char *s, size_t n, size_t *file_len, int *line, int *col)
{
	size_t a, b;
	int last = num_before(s, n, &a);
	if (last < 0 || a == 0 || s[a - 1] != ':')
		return false;
	int first = a >= 2 ? num_before(s, a - 1, &b) : -1;
	if (first >= 0 && b >= 2 && s[b - 1] == ':') {
		*line = first;
		*col = last;
		*file_len = b - 1;
	} else {
		*line = last;
		*col = 0;
		*file_len = a - 1;
	}
	return *file_len > 0;
}

size_t tstrip_args(const char *s, size_t n)
{
	while (n && s[n - 1] == ' ')
		n--;
	if (n > 6 && memcmp(s + n - 6, " const", 6) == 0)
		n -= 6;
	if (n == 0 || s[n - 1] != ')')
		return n;
	int depth = 0;
	for (size_t i = n; i-- > 0;) {
		if (s[i] == ')')
			depth++;
		else if (s[i] == '(' && --depth == 0) {
			if (i == 0)
				return n;
			while (i && s[i - 1] == ' ')
				i--;
			return i;
		}
	}
	return n;
}

bool tident(const char *s, size_t n, const char *separators)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!(isalnum(c) || c == '_' || c == '$' || c >= 0x80 || strchr(separators, c)))
			return false;
	}
	return true;
}

trace_exception *trace_add_block(trace *t, bool innermost_first)
{
	if (t->nexc == t->alloc) {
		t->alloc = t->alloc ? t->alloc * 2 : 4;
		t->exc = xrealloc(t->exc, t->alloc * sizeof(*t->exc));
	}
	trace_exception *e = &t->exc[t->nexc++];
	memset(e, 0, sizeof(*e));
	e->innermost_first = innermost_first;
	return e;
}

void trace_block_add_frame(trace_exception *e, trace_frame *f)
{
	if (e->nframes == e->alloc) {
		e->alloc = e->alloc ? e->alloc * 2 : 8;
		e->frames = xrealloc(e->frames, e->alloc * sizeof(*e->frames));
	}
	e->frames[e->nframes++] = *f;
	memset(f, 0, sizeof(*f));
}

void trace_frame_free(trace_frame *f)
{
	free(f->file);
	free(f->function);
	free(f->package);
	free(f->repo_path);
	for (size_t i = 0; i < f->nties; i++)
		free(f->ties[i]);
	free(f->ties);
	memset(f, 0, sizeof(*f));
}

size_t trace_frame_at(const struct tlines *L, size_t i, trace_frame_parser *fn,
		      trace_frame *f)
{
	if (fn(L->v[i], f))
		return 1;
	trace_frame_free(f);
	if (i + 1 >= L->n || L->v[i][0] == '\0' || L->v[i + 1][0] == '\0')
		return 0;
	if (fn(L->v[i + 1], f)) {
		trace_frame_free(f);
		return 0;
	}
	trace_frame_free(f);
	/* a wrapped line continues either mid-word or after a blank; wrapping
	 * happens at terminal widths, so longer lines are not tried */
	const char *next = tskip(L->v[i + 1]);
	size_t a = strlen(L->v[i]), b = strlen(next);
	char joined[2048];
	if (a + b + 2 > sizeof(joined))
		return 0;
	memcpy(joined, L->v[i], a);
	for (int sep = 0; sep < 2; sep++) {
		if (sep)
			joined[a] = ' ';
		memcpy(joined + a + (size_t)sep, next, b + 1);
		if (fn(joined, f))
			return 2;
		trace_frame_free(f);
	}
	return 0;
}
