/* Fingerprints, signatures, similarity and the duplicate rule (see dedup.h). */
#include "dedup.h"

#include <ctype.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "xalloc.h"

/* At most this many frames take part; deeper ones say little about the bug. */
#define SIG_MAX_FRAMES 64
#define FINGERPRINT_FRAMES 5

static uint64_t fnv1a(uint64_t h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

#define FNV_OFFSET 0xcbf29ce484222325ULL

static char *hex64(uint64_t h)
{
	return xasprintf("%016llx", (unsigned long long)h);
}

/* The alias of "Layer.handle [as handle_request]" and the module of
 * "java.base/java.util.ArrayList.get" are dropped too.
 * Generated names differ from build to build: JVM "$$Lambda$14/0x..",
 * "$$EnhancerBySpringCGLIB$$1a2b", "$Proxy12", "lambda$main$0", Go "func1",
 * .NET "<Main>d__5". Their digits and generated segments are dropped. */
static void add_function(strbuf *sb, const char *fn)
{
	/* V8's alias and the JVM's module name are how it was called, not what */
	const char *slash = strrchr(fn, '/');
	if (slash && (strncmp(fn, "java.", 5) == 0 || strncmp(fn, "jdk.", 4) == 0 ||
		      strncmp(fn, "app/", 4) == 0))
		fn = slash + 1; /* "java.base/java.util.ArrayList.get", "app//com.foo.Main" */
	const char *as = strstr(fn, " [as ");
	/* V8's "new Foo" and "async f" are how it was called */
	if (strncmp(fn, "new ", 4) == 0)
		fn += 4;
	else if (strncmp(fn, "async ", 6) == 0)
		fn += 6;
	/* Firefox's "promise callback*load" and "render/</<" */
	const char *star = strchr(fn, '*');
	if (star && !strchr(fn, '('))
		fn = star + 1;
	const char *nest = strstr(fn, "/<");
	if (nest && (!as || nest < as))
		as = nest;
	for (const char *p = fn; *p && p != as;) {
		if (p[0] == '$' && p[1] == '$') {
			while (*p && *p != '.')
				p++;
			continue;
		}
		if (!isdigit((unsigned char)*p))
			strbuf_addch(sb, *p);
		p++;
	}
}

static bool hashlike(const char *s, size_t n)
{
	if (n < 5)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

/* The file's base name without a query, a fragment or bundler hash parts:
 * "/srv/app-1.2.3/static/main.3f2a1b9c.js?v=2" -> "main.js". */
static void add_file(strbuf *sb, const char *path)
{
	const char *base = path;
	for (const char *p = path; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	size_t n = strcspn(base, "?#");
	bool first = true;
	for (size_t i = 0; i < n;) {
		size_t k = i;
		while (k < n && base[k] != '.')
			k++;
		if (!hashlike(base + i, k - i)) {
			if (!first)
				strbuf_addch(sb, '.');
			strbuf_add(sb, base + i, k - i);
			first = false;
		}
		i = k + 1;
	}
}

static char *frame_token(const trace_frame *f)
{
	strbuf sb = STRBUF_INIT;
	strbuf_add(&sb, "", 0);
	if (f->function)
		add_function(&sb, f->function);
	strbuf_addch(&sb, '@');
	if (f->file)
		add_file(&sb, f->file);
	return strbuf_detach(&sb);
}

void dedup_sig_init(dedup_sig *s)
{
	memset(s, 0, sizeof(*s));
}

void dedup_sig_free(dedup_sig *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->frames[i]);
	free(s->frames);
	free(s->type);
	dedup_sig_init(s);
}

/* Appends a token unless it repeats the previous one (recursion). */
static void sig_push(dedup_sig *s, char *tok)
{
	if ((s->n && strcmp(s->frames[s->n - 1], tok) == 0) || s->n >= SIG_MAX_FRAMES) {
		free(tok);
		return;
	}
	s->frames = xrealloc(s->frames, (s->n + 1) * sizeof(*s->frames));
	s->frames[s->n++] = tok;
}

/* The frames of e innermost first, only in-app ones when app_only. */
static void collect(dedup_sig *s, const trace_exception *e, bool app_only)
{
	for (size_t k = 0; k < e->nframes; k++) {
		const trace_frame *f = &e->frames[e->innermost_first ? k : e->nframes - 1 - k];
		if (app_only && !f->in_app)
			continue;
		if (!f->function && !f->file)
			continue;
		sig_push(s, frame_token(f));
	}
}

void dedup_sig_from_trace(dedup_sig *s, const trace *t)
{
	dedup_sig_free(s);
	const trace_exception *e = trace_final(t);
	if (!e)
		return;
	s->type = e->type ? xstrdup(e->type) : NULL;
	collect(s, e, false);
	if (!s->n && e->location)
		sig_push(s, frame_token(e->location));
}

char *dedup_sig_serialize(const dedup_sig *s)
{
	strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, s->type ? s->type : "");
	for (size_t i = 0; i < s->n; i++) {
		strbuf_addch(&sb, '\t');
		strbuf_addstr(&sb, s->frames[i]);
	}
	return strbuf_detach(&sb);
}

void dedup_sig_parse(dedup_sig *s, const char *text)
{
	dedup_sig_free(s);
	if (!text)
		return;
	size_t n = strcspn(text, "\t");
	s->type = n ? xstrndup(text, n) : NULL;
	for (const char *p = text + n; *p == '\t';) {
		p++;
		size_t k = strcspn(p, "\t");
		sig_push(s, xstrndup(p, k));
		p += k;
	}
}

/* A message with its variable parts (numbers, quoted values, addresses)
 * replaced, for errors that have no frames to name them. */
static void add_message(strbuf *sb, const char *m)
{
	for (const char *p = m; *p;) {
		if (*p == '\'' || *p == '"' || *p == '`') {
			const char *q = strchr(p + 1, *p);
			if (q) {
				strbuf_addstr(sb, "''");
				p = q + 1;
				continue;
			}
		}
		if (isdigit((unsigned char)*p)) {
			while (isalnum((unsigned char)*p))
				p++;
			strbuf_addch(sb, '#');
			continue;
		}
		strbuf_addch(sb, *p++);
	}
}

char *dedup_fingerprint(const trace *t)
{
	const trace_exception *e = trace_final(t);
	if (!e)
		return NULL;
	dedup_sig s;
	dedup_sig_init(&s);
	collect(&s, e, true);
	if (!s.n)
		collect(&s, e, false);
	if (!s.n && e->location)
		sig_push(&s, frame_token(e->location));
	if (!s.n && !e->type) {
		dedup_sig_free(&s);
		return NULL;
	}
	strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, e->type ? e->type : "");
	for (size_t i = 0; i < s.n && i < FINGERPRINT_FRAMES; i++) {
		strbuf_addch(&sb, '\n');
		strbuf_addstr(&sb, s.frames[i]);
	}
	if (!s.n && e->message) {
		strbuf_addch(&sb, '\n');
		add_message(&sb, e->message);
	}
	uint64_t h = fnv1a(FNV_OFFSET, sb.buf, sb.len);
	strbuf_release(&sb);
	dedup_sig_free(&s);
	return hex64(h);
}

char *dedup_content_hash(const char *title, const char *body, size_t body_len)
{
	uint64_t h = FNV_OFFSET;
	bool space = false;
	const char *parts[2] = { title ? title : "", body };
	size_t lens[2] = { title ? strlen(title) : 0, body_len };
	for (int k = 0; k < 2; k++) {
		for (size_t i = 0; i < lens[k]; i++) {
			char c = (char)tolower((unsigned char)parts[k][i]);
			if (isspace((unsigned char)c)) {
				space = true;
				continue;
			}
			if (space)
				h = fnv1a(h, " ", 1);
			space = false;
			h = fnv1a(h, &c, 1);
		}
		h = fnv1a(h, "\n", 1);
		space = false;
	}
	return hex64(h);
}

double dedup_similarity(const dedup_sig *a, const dedup_sig *b)
{
	/* weights: frames near the top count more (c), and aligned frames at
	 * different depths count less (o) */
	const double c = 0.3, o = 0.5;
	double type_factor = (a->type && b->type && strcmp(a->type, b->type) != 0) ? 0.5 : 1.0;
	size_t n = a->n, m = b->n;
	if (n == 0 || m == 0)
		return n == m ? type_factor : 0.0;
	double *prev = xcalloc(m + 1, sizeof(double));
	double *row = xcalloc(m + 1, sizeof(double));
	for (size_t i = 1; i <= n; i++) {
		row[0] = 0;
		for (size_t j = 1; j <= m; j++) {
			double best = prev[j] > row[j - 1] ? prev[j] : row[j - 1];
			if (strcmp(a->frames[i - 1], b->frames[j - 1]) == 0) {
				size_t lo = i < j ? i - 1 : j - 1;
				size_t diff = i > j ? i - j : j - i;
				double v = prev[j - 1] + exp(-c * (double)lo) * exp(-o * (double)diff);
				if (v > best)
					best = v;
			}
			row[j] = best;
		}
		double *tmp = prev;
		prev = row;
		row = tmp;
	}
	double got = prev[m];
	free(prev);
	free(row);
	double norm = 0;
	size_t k = n > m ? n : m;
	for (size_t i = 0; i < k; i++)
		norm += exp(-c * (double)i);
	double sim = got / norm;
	return (sim > 1.0 ? 1.0 : sim) * type_factor;
}

void dedup_classify(const dedup_report *now, const dedup_report *earlier, size_t n,
		    int64_t window_s, double near_threshold, dedup_result *out)
{
	const dedup_report *consolidate = NULL, *dup = NULL, *near = NULL;
	double near_sim = 0;
	dedup_sig mine;
	dedup_sig_init(&mine);
	dedup_sig_parse(&mine, now->signature);
	for (size_t i = 0; i < n; i++) {
		const dedup_report *r = &earlier[i];
		if (r->issue_id == now->issue_id)
			continue;
		bool same_text = r->content_hash && now->content_hash &&
				 strcmp(r->content_hash, now->content_hash) == 0;
		int64_t age = now->reported_at - r->reported_at;
		if (same_text && age >= 0 && age <= window_s &&
		    (!consolidate || r->reported_at < consolidate->reported_at))
			consolidate = r;
		bool same_failure = r->fingerprint && now->fingerprint &&
				    strcmp(r->fingerprint, now->fingerprint) == 0;
		if ((same_failure || same_text) && (!dup || r->reported_at < dup->reported_at))
			dup = r;
		if (r->signature && now->signature && mine.n) {
			dedup_sig theirs;
			dedup_sig_init(&theirs);
			dedup_sig_parse(&theirs, r->signature);
			double sim = dedup_similarity(&mine, &theirs);
			dedup_sig_free(&theirs);
			if (sim > near_sim || (sim == near_sim && near && r->reported_at < near->reported_at)) {
				near_sim = sim;
				near = r;
			}
		}
	}
	dedup_sig_free(&mine);
	memset(out, 0, sizeof(*out));
	if (consolidate) {
		out->kind = DEDUP_CONSOLIDATE;
		out->of = consolidate->issue_id;
		out->similarity = 1;
	} else if (dup) {
		out->kind = DEDUP_DUPLICATE;
		out->of = dup->issue_id;
		out->similarity = 1;
	} else if (near && near_sim >= near_threshold) {
		out->kind = DEDUP_SIMILAR;
		out->of = near->issue_id;
		out->similarity = near_sim;
	}
}

const char *dedup_kind_name(enum dedup_kind kind)
{
	switch (kind) {
	case DEDUP_CONSOLIDATE: return "consolidated";
	case DEDUP_DUPLICATE: return "duplicate";
	case DEDUP_SIMILAR: return "similar";
	default: return "new";
	}
}
