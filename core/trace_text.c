/* Lines and small string helpers shared by the trace parsers. */
#include <ctype.h>
#include <limits.h>
#include <stdint.h>
#include <strings.h>
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

/* docker compose prefixes every line with the service: "web-1  | Traceback...";
 * some loggers mark the level with an emoji: "🔴 Traceback..." */
static const char *strip_service(const char *s, const char *end)
{
	const char *b = s;
	while (b < end && (*b == ' ' || *b == '\t'))
		b++;
	if (end - b > 5 && (unsigned char)b[0] >= 0xf0 && b[4] == ' ')
		return b + 5;
	const char *p = s;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	const char *digits = p;
	/* pm2: "0|api  | TypeError: ..." */
	while (p < end && isdigit((unsigned char)*p))
		p++;
	if (p == digits || p >= end || *p != '|')
		p = digits;
	else
		p++;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	const char *word = p;
	bool letter = false;
	while (p < end && (isalnum((unsigned char)*p) || *p == '_' || *p == '-' || *p == '.')) {
		letter = letter || isalpha((unsigned char)*p);
		p++;
	}
	/* a service has a name; "2 | 0.0004 | foo( )" is a table row */
	if (p == word || !letter || p >= end || *p != ' ')
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

/* A line under construction: the cleaning steps below rewrite it in place. */
struct cline {
	char *s;
	size_t n;
};

/* Traces copied from a web page keep some of its HTML: <span class="l">,
 * <pre>, &#39; for a quote. Only these tags go; <module>, <anonymous> and
 * <top (required)> are part of traces. */
static void strip_html(struct cline *c)
{
	if (!memchr(c->s, '<', c->n) && !memchr(c->s, '&', c->n))
		return;
	static const char *const tags[] = {
		"span", "pre", "code", "details", "summary", "p", "br", "div", "b", "i",
		"strong", "em", "tt", "kbd", "samp",
	};
	static const struct {
		const char *from;
		char to;
	} ents[] = {
		{ "&#39;", '\'' }, { "&#x27;", '\'' }, { "&quot;", '"' }, { "&lt;", '<' },
		{ "&gt;", '>' }, { "&amp;", '&' }, { "&#96;", '`' },
	};
	size_t w = 0;
	for (size_t r = 0; r < c->n;) {
		if (c->s[r] == '<') {
			size_t q = r + 1 + (c->s[r + 1] == '/');
			size_t k = q;
			while (k < c->n && isalpha((unsigned char)c->s[k]))
				k++;
			bool known = false;
			for (size_t t = 0; !known && t < sizeof(tags) / sizeof(*tags); t++)
				known = strlen(tags[t]) == k - q && strncasecmp(c->s + q, tags[t], k - q) == 0;
			const char *close = known && k < c->n && (c->s[k] == '>' || c->s[k] == ' ' ||
								  c->s[k] == '/')
				? memchr(c->s + k, '>', c->n - k) : NULL;
			if (close) {
				r = (size_t)(close - c->s) + 1;
				continue;
			}
		} else if (c->s[r] == '&') {
			size_t e = 0;
			for (; e < sizeof(ents) / sizeof(*ents); e++) {
				size_t l = strlen(ents[e].from);
				if (r + l <= c->n && memcmp(c->s + r, ents[e].from, l) == 0)
					break;
			}
			if (e < sizeof(ents) / sizeof(*ents)) {
				c->s[w++] = ents[e].to;
				r += strlen(ents[e].from);
				continue;
			}
		}
		c->s[w++] = c->s[r++];
	}
	c->n = w;
}

/* Markdown links as a notebook renders them: "[<ipython-input-3>](https://localhost/#)"
 * is the text "<ipython-input-3>". */
static void strip_md_links(struct cline *c)
{
	if (!memchr(c->s, ']', c->n))
		return;
	size_t w = 0;
	for (size_t r = 0; r < c->n;) {
		if (c->s[r] == '[') {
			const char *mid = NULL;
			int depth = 0;
			for (size_t k = r; k + 1 < c->n; k++) {
				depth += c->s[k] == '[';
				depth -= c->s[k] == ']';
				if (depth == 0) {
					if (c->s[k + 1] == '(')
						mid = c->s + k;
					break;
				}
			}
			const char *url = mid ? mid + 2 : NULL;
			const char *close = url ? memchr(url, ')', (size_t)(c->s + c->n - url)) : NULL;
			if (close && (tprefix(url, "http") || tprefix(url, "file:") || *url == '#')) {
				size_t tl = (size_t)(mid - c->s) - r - 1;
				memmove(c->s + w, c->s + r + 1, tl);
				w += tl;
				r = (size_t)(close - c->s) + 1;
				continue;
			}
		}
		c->s[w++] = c->s[r++];
	}
	c->n = w;
}

/* An inline code span or a quotation opened around a pasted trace leaves
 * "`Traceback..." and "...KeyError: 'x'`" behind: an unpaired backtick or
 * double quote at either end goes. */
static void strip_unpaired_ends(struct cline *c)
{
	size_t ticks = 0, quotes = 0;
	for (size_t i = 0; i < c->n; i++) {
		ticks += c->s[i] == '`';
		quotes += c->s[i] == '"';
	}
	if (!(ticks & 1) && !(quotes & 1))
		return;
	size_t a = 0;
	while (a < c->n && (c->s[a] == ' ' || c->s[a] == '\t'))
		a++;
	size_t b = a;
	while (b < c->n && (((ticks & 1) && c->s[b] == '`') || ((quotes & 1) && c->s[b] == '"') ||
			    (b > a && c->s[b] == ' ')))
		b++;
	/* Ruby quotes `like this' */
	if (b > a && b < c->n && isalpha((unsigned char)c->s[b]) &&
	    !memchr(c->s + b, '\'', c->n - b)) {
		memmove(c->s + a, c->s + b, c->n - b);
		c->n -= b - a;
		return;
	}
	while (c->n && (((ticks & 1) && c->s[c->n - 1] == '`') ||
			((quotes & 1) && c->s[c->n - 1] == '"')))
		c->n--;
}

/* A date and time at the start of a line, as loggers and CI consoles write
 * them: "2024-04-21T00:15:09.8493222Z", "30/09/2020 17:18:56", "12-30
 * 09:17:15.095", "00000122\t22:39:53". Returns its length with one following
 * blank, or 0. At least six digits and a colon, so "127  src.c" and "#0" stay. */
static size_t timestamp_len(const char *s, size_t n)
{
	if (n == 0 || !isdigit((unsigned char)s[0]))
		return 0;
	size_t i = 0, digits = 0;
	bool colon = false;
	while (i < n) {
		unsigned char ch = (unsigned char)s[i];
		if (isdigit(ch)) {
			digits++;
		} else if (ch == ':') {
			colon = true;
		} else if (ch == '-' || ch == '/' || ch == '.' || ch == ',' || ch == '+') {
			if (i + 1 >= n || !isdigit((unsigned char)s[i + 1]))
				break;
		} else if (ch == 'T') {
			if (!isdigit((unsigned char)s[i - 1]) || i + 1 >= n ||
			    !isdigit((unsigned char)s[i + 1]))
				break;
		} else if (ch == 'Z') {
			if (!isdigit((unsigned char)s[i - 1]) ||
			    (i + 1 < n && isalnum((unsigned char)s[i + 1])))
				break;
		} else if ((ch == ' ' || ch == '\t') && i + 1 < n && isdigit((unsigned char)s[i + 1]) &&
			   !colon) {
			/* a date, then the time */
		} else {
			break;
		}
		i++;
	}
	if (digits < 6 || !colon)
		return 0;
	if (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

/* Where a logger's prefix may end: after a blank that follows "]", ")" or ":"
 * outside brackets (not "|": tables use it between their cells). Fills ends[] (at most max) and returns how many. */
static size_t prefix_ends(const char *s, size_t n, size_t *ends, size_t max)
{
	size_t k = 0;
	int depth = 0;
	/* a numbered list ("  12: frame") is no logger's prefix: a prefix
	 * names something (a level, a tag) or brackets it */
	bool named = false;
	for (size_t i = 0; i < n && i < 160 && k < max; i++) {
		char ch = s[i];
		named = named || ch == '[' || isalpha((unsigned char)ch);
		if (ch == '[' || ch == '(')
			depth++;
		else if ((ch == ']' || ch == ')') && depth > 0)
			depth--;
		if (named && depth == 0 && (ch == ']' || ch == ')' || ch == ':') && i + 1 < n &&
		    (s[i + 1] == ' ' || s[i + 1] == '\t'))
			ends[k++] = i + 2;
	}
	/* a line that is all prefix: "F, [... #14537] FATAL -- : [req-id]" */
	if (k < max && named && n > 1 && n <= 160 && depth == 0 &&
	    (s[n - 1] == ']' || s[n - 1] == ')' || s[n - 1] == ':'))
		ends[k++] = n;
	return k;
}

/* Lines a logger may have written: they start with a date, a bracket, a
 * logcat level ("E/Tag", "F, [") or a syslog month (after a code block's
 * indentation). */
static bool log_line_start(const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	static const char *const months[] = { "Jan ", "Feb ", "Mar ", "Apr ", "May ", "Jun ",
					      "Jul ", "Aug ", "Sep ", "Oct ", "Nov ", "Dec " };
	if (n < 3)
		return false;
	if (isdigit((unsigned char)s[0]) || s[0] == '[')
		return true;
	if (strchr("VDIWEFA", s[0]) && (s[1] == '/' || (s[1] == ',' && s[2] == ' ')))
		return true;
	for (size_t i = 0; n >= 4 && i < sizeof(months) / sizeof(*months); i++)
		if (memcmp(s, months[i], 4) == 0)
			return true;
	return false;
}

/* A hash of a prefix with digit runs and blank runs folded, so that
 * "[12:00:01] " and "[12:00:02] " agree. */
static uint64_t shape_hash(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (isdigit(ch)) {
			while (i + 1 < n && isdigit((unsigned char)s[i + 1]))
				i++;
			ch = '0';
		} else if (ch == ' ' || ch == '\t') {
			while (i + 1 < n && (s[i + 1] == ' ' || s[i + 1] == '\t'))
				i++;
			ch = ' ';
		}
		h = (h ^ ch) * 0x100000001b3ULL;
	}
	return h;
}

static uint64_t plain_hash(const char *s, size_t n)
{
	uint64_t h = 0x84222325cbf29ce4ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
	return h;
}

#define MAX_ENDS 6

struct shape {
	uint64_t key;   /* 0: empty slot */
	uint64_t rest;  /* what followed the prefix the first time */
	bool varied;    /* two lines with this prefix went on differently */
};

static struct shape *shape_slot(struct shape *tab, size_t cap, uint64_t key)
{
	key |= 1;
	size_t i = (size_t)(key * 0x9e3779b97f4a7c15ULL) & (cap - 1);
	while (tab[i].key && tab[i].key != key)
		i = (i + 1) & (cap - 1);
	tab[i].key = key;
	return &tab[i];
}

/* Loggers put the same prefix before every line of a trace: "[2023-04-15
 * 16:12:17,491: WARNING/ForkPoolWorker-4] ", "12-30 09:17:15.095 E/ACRA
 * (32216): ", "F, [2016-08-15T09:54:17 #14537] FATAL -- : [req-id] ". The
 * longest prefix (up to a delimiter) that two lines share in shape, and after
 * which they go on differently, is removed from each line that has it. */
static void strip_log_prefixes(struct cline *v, size_t n)
{
	size_t cand = 0;
	for (size_t i = 0; i < n; i++)
		cand += log_line_start(v[i].s, v[i].n);
	if (cand < 2)
		return;
	size_t cap = 16;
	while (cap < cand * MAX_ENDS * 2)
		cap *= 2;
	struct shape *tab = xcalloc(cap, sizeof(*tab));
	for (size_t i = 0; i < n; i++) {
		if (!log_line_start(v[i].s, v[i].n))
			continue;
		size_t ends[MAX_ENDS];
		size_t k = prefix_ends(v[i].s, v[i].n, ends, MAX_ENDS);
		for (size_t e = 0; e < k; e++) {
			bool fresh = false;
			uint64_t key = shape_hash(v[i].s, ends[e]);
			size_t idx = (size_t)((key | 1) * 0x9e3779b97f4a7c15ULL) & (cap - 1);
			while (tab[idx].key && tab[idx].key != (key | 1))
				idx = (idx + 1) & (cap - 1);
			fresh = tab[idx].key == 0;
			struct shape *sh = shape_slot(tab, cap, key);
			uint64_t rest = plain_hash(v[i].s + ends[e], v[i].n - ends[e]);
			if (fresh)
				sh->rest = rest;
			else if (sh->rest != rest)
				sh->varied = true;
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (!log_line_start(v[i].s, v[i].n))
			continue;
		size_t ends[MAX_ENDS];
		size_t k = prefix_ends(v[i].s, v[i].n, ends, MAX_ENDS);
		while (k > 0 && !shape_slot(tab, cap, shape_hash(v[i].s, ends[k - 1]))->varied)
			k--;
		if (k == 0)
			continue;
		/* the blank after the delimiter goes, the indentation after it stays */
		size_t cut = ends[k - 1];
		memmove(v[i].s, v[i].s + cut, v[i].n - cut);
		v[i].n -= cut;
	}
	free(tab);
}

static void push_line(struct tlines *L, size_t *alloc, char *s)
{
	if (L->n == *alloc)
		L->v = xrealloc(L->v, (*alloc *= 2) * sizeof(*L->v));
	L->v[L->n++] = s;
}

/* "at Name(" or "at Name (": the start of a JVM, .NET or V8 frame. */
static bool frame_start_at(const char *s, const char *end)
{
	if (end - s < 5 || memcmp(s, "at ", 3) != 0)
		return false;
	s += 3;
	if (end - s > 6 && memcmp(s, "async ", 6) == 0)
		s += 6;
	const char *p = s;
	while (p < end && (isalnum((unsigned char)*p) || strchr("_$.<>`+[],|/-", *p) ||
			   (unsigned char)*p >= 0x80))
		p++;
	if (p == s)
		return false;
	/* V8's alias: "at Function.executeUserEntryPoint [as runMain] (" */
	if (end - p > 5 && memcmp(p, " [as ", 5) == 0) {
		const char *close = memchr(p, ']', (size_t)(end - p));
		if (close)
			p = close + 1;
	}
	if (p < end && *p == ' ' && p + 1 < end && p[1] == '(')
		p++;
	if (p < end && *p == '(')
		return true;
	/* V8's nameless frame: "at node:internal/main/run_main_module:23:47" */
	const char *tok_end = s;
	while (tok_end < end && *tok_end != ' ')
		tok_end++;
	size_t flen;
	int line, col;
	return tok_end - s > 4 && tsplit_loc(s, (size_t)(tok_end - s), &flen, &line, &col) && col;
}

/* A trace flattened onto one line (a log viewer, a web page, a one-line log
 * record) is split back into lines: before each " at Name(" of a JVM, .NET or
 * V8 frame when there are two or more, and before PHP's " #0 ", " #1 "... and
 * its "Stack trace:" and "thrown in". Lines are pushed onto L. s (n bytes) is
 * own's text: when the line is not split, own itself is pushed and true is
 * returned; otherwise own is left to the caller. */
static bool split_flat(struct tlines *L, size_t *alloc, char *own, const char *s, size_t n)
{
	size_t cuts[512];
	size_t k = 0;
	if (n > 40) {
		/* " at " inside parentheses is V8's "(eval at f (url))" */
		int depth = 0;
		for (size_t i = 0; i + 4 < n && k < sizeof(cuts) / sizeof(*cuts); i++) {
			depth += s[i] == '(';
			depth -= s[i] == ')' && depth > 0;
			if (depth == 0 && s[i] == ' ' && memcmp(s + i + 1, "at ", 3) == 0 &&
			    frame_start_at(s + i + 1, s + n))
				cuts[k++] = i + 1;
		}
		if (k < 2)
			k = 0;
		if (k == 0 && memchr(s, '#', n) && (memmem(s, n, " #1 ", 4) || memmem(s, n, "Stack trace: #0 ", 16) ||
			       memmem(s, n, "[stacktrace] #0 ", 16))) {
			int want = 0;
			for (const char *p = s; (p = memmem(p, (size_t)(s + n - p), " #", 2)); p++) {
				const char *q = p + 2;
				/* the line's buffer is NUL-terminated past n, so the
				 * digits cannot run off it */
				int num = q < s + n ? tnum(&q) : -1;
				if (num == want && q < s + n && *q == ' ' &&
				    k < sizeof(cuts) / sizeof(*cuts)) {
					cuts[k++] = (size_t)(p + 1 - s);
					want++;
				}
			}
			if (want < 1)
				k = 0;
			for (size_t c = 0; c < 2 && k; c++) {
				const char *mark = c ? " thrown in " : " Stack trace: ";
				const char *m = memmem(s, n, mark, strlen(mark));
				if (!m)
					continue;
				size_t at = (size_t)(m + 1 - s);
				size_t j = k;
				while (j > 0 && cuts[j - 1] > at)
					j--;
				if (k < sizeof(cuts) / sizeof(*cuts)) {
					memmove(cuts + j + 1, cuts + j, (k - j) * sizeof(*cuts));
					cuts[j] = at;
					k++;
				}
			}
		}
	}
	if (k == 0 && own) { /* the common case: the line as it is */
		own[n] = '\0';
		push_line(L, alloc, own);
		return true;
	}
	size_t from = 0;
	for (size_t c = 0; c <= k; c++) {
		size_t to = c < k ? cuts[c] : n;
		size_t e = to;
		while (e > from && (s[e - 1] == ' ' || s[e - 1] == '\t'))
			e--;
		if (e > from || c == 0) {
			/* frames split off a line are indented like printed ones */
			bool frame = c > 0 && s[from] == 'a';
			char *line = xmalloc(e - from + 5);
			size_t w = 0;
			if (frame) {
				memcpy(line, "    ", 4);
				w = 4;
			}
			memcpy(line + w, s + from, e - from);
			line[w + e - from] = '\0';
			push_line(L, alloc, line);
		}
		from = to;
	}
	return false;
}

struct tframe_memo {
	trace_frame_parser *miss_fn;
	size_t miss_at;
};

void tlines_split(struct tlines *L, const char *text, size_t len)
{
	size_t alloc = 16, nraw = 0, rawalloc = 16;
	struct cline *raw = xmalloc(rawalloc * sizeof(*raw));
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
		if (nraw == rawalloc)
			raw = xrealloc(raw, (rawalloc *= 2) * sizeof(*raw));
		struct cline *c = &raw[nraw++];
		if (is_fence(s, e))
			e = s;
		/* (after a code block's indentation) */
		const char *b = s;
		while (b < e && (*b == ' ' || *b == '\t'))
			b++;
		size_t ts = timestamp_len(b, (size_t)(e - b));
		if (ts) /* foreman: "09:09:34 web.1  | ..." */
			s = strip_service(b + ts, e);
		c->n = (size_t)(e - s);
		c->s = xstrndup(s, c->n);
		strip_html(c);
		strip_md_links(c);
		strip_unpaired_ends(c);
		p = nl ? nl + 1 : end;
	}
	strip_log_prefixes(raw, nraw);
	L->v = xmalloc(alloc * sizeof(*L->v));
	L->n = 0;
	L->memo = xcalloc(1, sizeof(*L->memo));
	for (size_t i = 0; i < nraw; i++) {
		struct cline *c = &raw[i];
		while (c->n && (c->s[c->n - 1] == ' ' || c->s[c->n - 1] == '\t'))
			c->n--;
		/* ".NET at A() in x.cs:line 3 at" wrapped after each "at": the word
		 * moves to the line it belongs to, and a closing "at ..." elision goes */
		size_t lead = 0;
		if (i + 1 < nraw)
			while (lead < raw[i + 1].n && (raw[i + 1].s[lead] == ' ' || raw[i + 1].s[lead] == '\t'))
				lead++;
		if (c->n > 4 && memcmp(c->s + c->n - 3, " at", 3) == 0 && i + 1 < nraw &&
		    lead < raw[i + 1].n && isalpha((unsigned char)raw[i + 1].s[lead])) {
			c->n -= 3;
			struct cline *d = &raw[i + 1];
			char *moved = xmalloc(d->n + 8);
			memcpy(moved, "    at ", 7);
			memcpy(moved + 7, d->s + lead, d->n - lead);
			moved[7 + d->n - lead] = '\0';
			d->n -= lead;
			free(d->s);
			d->s = moved;
			d->n += 7;
		}
		if (c->n > 7 && memcmp(c->s + c->n - 7, " at ...", 7) == 0)
			c->n -= 7;
		if (!split_flat(L, &alloc, c->s, c->s, c->n))
			free(c->s);
	}
	free(raw);
}

void tlines_free(struct tlines *L)
{
	for (size_t i = 0; i < L->n; i++)
		free(L->v[i]);
	free(L->v);
	free(L->memo);
	L->v = NULL;
	L->memo = NULL;
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
	/* the line parsers reject most lines before allocating anything */
	if (!f->file && !f->function && !f->package && !f->repo_path && !f->ties) {
		memset(f, 0, sizeof(*f));
		return;
	}
	free(f->file);
	free(f->function);
	free(f->package);
	free(f->repo_path);
	for (size_t i = 0; i < f->nties; i++)
		free(f->ties[i]);
	free(f->ties);
	memset(f, 0, sizeof(*f));
}

/* A terminal wrapped a frame mid-word when line i parses without a line
 * number and, glued to the fragment on the next line, with one:
 * ".../bits/stl_vect" + "or.h:1046". */
static bool wrapped_location(const struct tlines *L, size_t i, trace_frame_parser *fn,
			     trace_frame *f)
{
	if (f->line || i + 1 >= L->n)
		return false;
	/* the fragment starts left of the indented frame it continues */
	const char *next = tskip(L->v[i + 1]);
	size_t a = strlen(L->v[i]), b = strlen(next);
	if (b == 0 || b > 40 || next - L->v[i + 1] >= tskip(L->v[i]) - L->v[i] ||
	    strchr(next, ' ') || a + b + 1 > 2048)
		return false;
	trace_frame g = { 0 };
	bool alone = fn(next, &g);
	trace_frame_free(&g);
	if (alone)
		return false;
	char joined[2048];
	memcpy(joined, L->v[i], a);
	memcpy(joined + a, next, b + 1);
	if (!fn(joined, &g) || g.line == 0) {
		trace_frame_free(&g);
		return false;
	}
	trace_frame_free(f);
	*f = g;
	return true;
}

size_t trace_frame_at(const struct tlines *L, size_t i, trace_frame_parser *fn,
		      trace_frame *f)
{
	struct tframe_memo *m = L->memo;
	bool known_miss = m && m->miss_fn == fn && m->miss_at == i;
	if (!known_miss && fn(L->v[i], f))
		return wrapped_location(L, i, fn, f) ? 2 : 1;
	trace_frame_free(f);
	if (i + 1 >= L->n || L->v[i][0] == '\0' || L->v[i + 1][0] == '\0')
		return 0;
	if (fn(L->v[i + 1], f)) {
		trace_frame_free(f);
		return 0;
	}
	trace_frame_free(f);
	if (m) {
		m->miss_fn = fn;
		m->miss_at = i + 1;
	}
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
