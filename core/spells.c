/* Spell files, the spellbook and ranked matching (see spells.h, doc/spells.md). */
#include "spells.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "paths.h"
#include "sanitize.h"
#include "strbuf.h"
#include "xalloc.h"

const char *const spell_recipes[] = {
	"guard-null",        /* return early (or raise clearly) when the value is null/None/nil */
	"default-lookup",    /* a map lookup with a default instead of a failing index */
	"optional-chaining", /* JS/TS: a?.b instead of a.b */
	"safe-navigation",   /* Ruby: a&.b instead of a.b */
	"nil-check",         /* Go: check the pointer or error before use */
	"bounds-check",      /* check the index against the length first */
	"zero-guard",        /* check the divisor before dividing */
	NULL,
};

void spell_init(spell *s)
{
	memset(s, 0, sizeof(*s));
}

void spell_free(spell *s)
{
	free(s->id);
	free(s->title);
	free(s->error);
	free(s->message);
	free(s->frame);
	free(s->fix);
	free(s->explanation);
	free(s->path);
	if (s->has_re)
		regfree(&s->re);
	spell_init(s);
}

static bool valid_id(const char *id)
{
	if (!*id || strlen(id) > 64)
		return false;
	for (const char *p = id; *p; p++)
		if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '-'))
			return false;
	return true;
}

static int lang_bit(const char *name, size_t n)
{
	for (int l = TRACE_PYTHON; l <= TRACE_CPP; l++) {
		const char *ln = trace_lang_name((enum trace_lang)l);
		if (strlen(ln) == n && strncmp(ln, name, n) == 0)
			return l;
	}
	return -1;
}

char *spell_langs_text(unsigned langs)
{
	if (!langs)
		return xstrdup("any");
	strbuf sb = STRBUF_INIT;
	for (int l = TRACE_PYTHON; l <= TRACE_CPP; l++)
		if (langs & (1u << l)) {
			if (sb.len)
				strbuf_addch(&sb, ',');
			strbuf_addstr(&sb, trace_lang_name((enum trace_lang)l));
		}
	return strbuf_detach(&sb);
}

static char *fail(char **err, const char *origin, int line, const char *what)
{
	if (!*err)
		*err = line ? xasprintf("%s:%d: %s", origin, line, what) : xasprintf("%s: %s", origin, what);
	return NULL;
}

/* One bracket expression "[...]" at p against c: 1 or 0, and *end after it;
 * -1 if it is not one (then '[' is a plain character). */
static int bracket(const char *p, unsigned char c, const char **end)
{
	const char *q = p + 1;
	bool neg = *q == '!' || *q == '^';
	if (neg)
		q++;
	bool hit = false, first = true;
	while (*q && (first || *q != ']')) {
		first = false;
		if (*q == '\\' && q[1]) /* an escaped character stands for itself */
			q++;
		unsigned char lo = (unsigned char)*q, hi = lo;
		q++;
		if (q[0] == '-' && q[1] && q[1] != ']') {
			q++;
			if (*q == '\\' && q[1])
				q++;
			hi = (unsigned char)*q;
			q++;
		}
		hit |= c >= lo && c <= hi;
	}
	if (*q != ']')
		return -1;
	*end = q + 1;
	return hit != neg;
}

/* Shell glob matching ('*', '?', '[...]', '\\'), as fnmatch(3) with no flags,
 * but in time proportional to pattern times text: glibc's fnmatch backtracks
 * at every star, and "*a*a*a*a*a*b" against a long message stalled the worker.
 * A star only ever resumes from the last star seen, which is enough for a
 * glob. */
static bool glob_match(const char *pat, const char *s)
{
	const char *star = NULL, *resume = NULL;
	while (*s) {
		if (*pat == '*') {
			while (*pat == '*')
				pat++;
			star = pat;
			resume = s;
			continue;
		}
		const char *next = pat + 1;
		bool ok;
		if (*pat == '?') {
			ok = true;
		} else if (*pat == '[') {
			int b = bracket(pat, (unsigned char)*s, &next);
			ok = b < 0 ? *s == '[' : b == 1;
			if (b < 0)
				next = pat + 1;
		} else if (*pat == '\\' && pat[1]) {
			ok = pat[1] == *s;
			next = pat + 2;
		} else {
			ok = *pat && *pat == *s;
		}
		if (ok) {
			pat = next;
			s++;
		} else if (star) {
			pat = star;
			s = ++resume;
		} else {
			return false;
		}
	}
	while (*pat == '*')
		pat++;
	return !*pat;
}

/* glibc's regcomp copies the parse tree for every repetition of a repetition
 * ("a++++..." took gigabytes in the fuzzer): such patterns, very long ones and
 * large counts are refused before compiling. */
static bool regex_is_tame(const char *re, const char **why)
{
	size_t reps = 0;
	bool prev_rep = false;
	if (strlen(re) > 512) {
		*why = "longer than 512 characters";
		return false;
	}
	/* per open group: whether something inside it repeats */
	bool inner[64] = { false };
	size_t depth = 0;
	bool closed_repeats = false; /* the group just closed had a repetition inside */
	for (const char *p = re; *p; p++) {
		if (*p == '\\' && p[1]) {
			/* backreferences make matching exponential ("(a*)*\\1\\1b": 98 s) */
			if (p[1] >= '1' && p[1] <= '9') {
				*why = "backreferences (\\1 ... \\9) are not allowed";
				return false;
			}
			p++;
			prev_rep = false;
			closed_repeats = false;
			continue;
		}
		if (*p == '[') { /* a bracket expression: its characters are not operators */
			const char *q = p + 1;
			if (*q == '^')
				q++;
			if (*q == ']')
				q++;
			while (*q && *q != ']')
				q++;
			p = *q ? q : q - 1;
			prev_rep = false;
			closed_repeats = false;
			continue;
		}
		if (*p == '(') {
			if (depth + 1 >= sizeof(inner) / sizeof(*inner)) {
				*why = "groups nested more than 63 deep";
				return false;
			}
			inner[++depth] = false;
			prev_rep = false;
			closed_repeats = false;
			continue;
		}
		if (*p == ')' && depth > 0) {
			closed_repeats = inner[depth];
			depth--;
			inner[depth] |= closed_repeats;
			prev_rep = false;
			continue;
		}
		bool rep = *p == '*' || *p == '+' || *p == '?' || *p == '{';
		if (rep && closed_repeats) {
			*why = "a repeated group with a repetition inside (like \"(a*)*\") is not allowed";
			return false;
		}
		if (rep)
			inner[depth] = true;
		closed_repeats = false;
		if (*p == '{') {
			const char *q = p + 1;
			long hi = 0;
			while (*q && *q != '}') {
				if (*q >= '0' && *q <= '9') {
					long v = strtol(q, (char **)&q, 10);
					hi = v > hi ? v : hi;
				} else {
					q++;
				}
			}
			if (hi > 100) {
				*why = "repetition counts above 100 are not allowed";
				return false;
			}
			p = *q ? q : q - 1;
		}
		if (rep && prev_rep) {
			*why = "a repetition of a repetition (like \"a++\") is not allowed";
			return false;
		}
		reps += rep;
		prev_rep = rep;
	}
	if (reps > 32) {
		*why = "more than 32 repetition operators";
		return false;
	}
	return true;
}

int spell_parse(spell *s, const char *text, size_t len, const char *origin, char **err)
{
	spell_free(s);
	*err = NULL;
	/* header lines "key: value" up to a line "---", then the explanation */
	const char *p = text, *end = text + len;
	int line = 0;
	bool body = false;
	strbuf expl = STRBUF_INIT;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		line++;
		size_t n = (size_t)(e - p);
		while (n && (p[n - 1] == '\r' || p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (body) {
			strbuf_add(&expl, p, n);
			strbuf_addch(&expl, '\n');
		} else if (n == 3 && memcmp(p, "---", 3) == 0) {
			body = true;
		} else if (n && p[0] != '#') {
			const char *colon = memchr(p, ':', n);
			if (!colon) {
				fail(err, origin, line, "expected 'key: value' or '---'");
			} else {
				size_t kl = (size_t)(colon - p);
				const char *v = colon + 1;
				while (v < p + n && (*v == ' ' || *v == '\t'))
					v++;
				char *val = sanitize_text(v, (size_t)(p + n - v), 0);
				char **dst = NULL;
				if (kl == 2 && memcmp(p, "id", 2) == 0)
					dst = &s->id;
				else if (kl == 5 && memcmp(p, "title", 5) == 0)
					dst = &s->title;
				else if (kl == 5 && memcmp(p, "error", 5) == 0)
					dst = &s->error;
				else if (kl == 7 && memcmp(p, "message", 7) == 0)
					dst = &s->message;
				else if (kl == 5 && memcmp(p, "frame", 5) == 0)
					dst = &s->frame;
				else if (kl == 3 && memcmp(p, "fix", 3) == 0)
					dst = &s->fix;
				if (kl == 9 && memcmp(p, "languages", 9) == 0) {
					for (const char *q = val; *q;) {
						size_t k = strcspn(q, ", ");
						if (k) {
							int bit = lang_bit(q, k);
							if (k == 3 && memcmp(q, "any", 3) == 0)
								;
							else if (bit < 0)
								fail(err, origin, line, "unknown language (python, javascript, java, kotlin, go, rust, ruby, csharp, php, c, cpp, any)");
							else
								s->langs |= 1u << bit;
						}
						q += k;
						while (*q == ',' || *q == ' ')
							q++;
					}
					free(val);
				} else if (!dst) {
					free(val);
					fail(err, origin, line, "unknown key (id, title, languages, error, message, frame, fix)");
				} else if (*dst) {
					free(val);
					fail(err, origin, line, "key given twice");
				} else if (!*val) {
					free(val);
					fail(err, origin, line, "empty value");
				} else {
					*dst = val;
				}
			}
		}
		p = nl ? nl + 1 : end;
	}
	char *ex = strbuf_detach(&expl);
	s->explanation = sanitize_text(ex, strlen(ex), 1);
	free(ex);
	/* trim the explanation's blank edges */
	size_t el = strlen(s->explanation);
	while (el && s->explanation[el - 1] == '\n')
		s->explanation[--el] = '\0';
	size_t lead = strspn(s->explanation, "\n");
	memmove(s->explanation, s->explanation + lead, el - lead + 1);
	if (!s->id)
		fail(err, origin, 0, "no 'id'");
	else if (!valid_id(s->id))
		fail(err, origin, 0, "id must be 1-64 of a-z, 0-9 and '-'");
	if (!s->title)
		fail(err, origin, 0, "no 'title'");
	if (!s->error && !s->message)
		fail(err, origin, 0, "give 'error' or 'message' (or both)");
	if (!*s->explanation)
		fail(err, origin, 0, "no explanation after the '---' line");
	if (s->fix) {
		bool known = false;
		for (size_t i = 0; spell_recipes[i]; i++)
			known = known || strcmp(s->fix, spell_recipes[i]) == 0;
		if (!known)
			fail(err, origin, 0, "unknown fix recipe (guard-null, default-lookup, optional-chaining, safe-navigation, nil-check, bounds-check, zero-guard)");
	}
	const char *why = NULL;
	if (!*err && s->message && strncmp(s->message, "re:", 3) == 0 &&
	    !regex_is_tame(s->message + 3, &why)) {
		char *what = xasprintf("message regex: %s", why);
		fail(err, origin, 0, what);
		free(what);
	}
	if (!*err && s->message && strncmp(s->message, "re:", 3) == 0) {
		int rc = regcomp(&s->re, s->message + 3, REG_EXTENDED | REG_NOSUB);
		if (rc != 0) {
			char msg[160];
			regerror(rc, &s->re, msg, sizeof(msg));
			char *what = xasprintf("message regex: %s", msg);
			fail(err, origin, 0, what);
			free(what);
		} else {
			s->has_re = true;
		}
	}
	if (*err) {
		spell_free(s);
		return -1;
	}
	s->path = xstrdup(origin);
	return 0;
}

void spellbook_init(spellbook *b)
{
	memset(b, 0, sizeof(*b));
}

void spellbook_free(spellbook *b)
{
	for (size_t i = 0; i < b->n; i++)
		spell_free(&b->v[i]);
	free(b->v);
	spellbook_init(b);
}

const spell *spellbook_find(const spellbook *b, const char *id)
{
	for (size_t i = 0; i < b->n; i++)
		if (strcmp(b->v[i].id, id) == 0)
			return &b->v[i];
	return NULL;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int spellbook_load_dir(spellbook *b, const char *dir, bool user, char **err)
{
	*err = NULL;
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	char **names = NULL;
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (l > 6 && strcmp(e->d_name + l - 6, ".spell") == 0 && e->d_name[0] != '.') {
			names = xrealloc(names, (n + 1) * sizeof(*names));
			names[n++] = xstrdup(e->d_name);
		}
	}
	closedir(d);
	if (n) /* an empty folder: qsort must not be given NULL */
		qsort(names, n, sizeof(*names), by_name);
	int bad = 0;
	strbuf errs = STRBUF_INIT;
	for (size_t i = 0; i < n; i++) {
		char *path = xasprintf("%s/%s", dir, names[i]);
		FILE *f = fopen(path, "rb");
		strbuf text = STRBUF_INIT;
		int got = f ? strbuf_read(&text, f, 1 << 20) : -1;
		if (f)
			fclose(f);
		spell s;
		spell_init(&s);
		char *perr = NULL;
		if (got < 0) {
			strbuf_addf(&errs, got == -2 ? "%s: larger than 1 MiB\n" : "%s: cannot be read\n", path);
			bad++;
		} else if (spell_parse(&s, text.buf, text.len, path, &perr) < 0) {
			strbuf_addf(&errs, "%s\n", perr);
			free(perr);
			bad++;
		} else {
			s.user = user;
			spell *old = (spell *)spellbook_find(b, s.id);
			if (old) {
				spell_free(old);
				*old = s;
			} else {
				if (b->n == b->alloc)
					b->v = xrealloc(b->v, (b->alloc = b->alloc ? b->alloc * 2 : 64) * sizeof(*b->v));
				b->v[b->n++] = s;
			}
		}
		strbuf_release(&text);
		free(path);
		free(names[i]);
	}
	free(names);
	if (bad)
		*err = strbuf_detach(&errs);
	else
		strbuf_release(&errs);
	return bad;
}

/* The error type matches exactly, as the last part of a qualified name
 * ("java.lang.NullPointerException", "Foo::Bar", "App\Error"), or as a glob. */
static int error_score(const char *pattern, const char *type)
{
	if (!type)
		return -1;
	if (strcmp(pattern, type) == 0)
		return 40;
	size_t pl = strlen(pattern), tl = strlen(type);
	if (tl > pl && strcmp(type + tl - pl, pattern) == 0 &&
	    (type[tl - pl - 1] == '.' || type[tl - pl - 1] == ':' || type[tl - pl - 1] == '\\'))
		return 35;
	if (strpbrk(pattern, "*?[") && glob_match(pattern, type))
		return 25;
	return -1;
}

static bool frame_matches(const char *glob, const trace_frame *f)
{
	return f && ((f->file && glob_match(glob, f->file)) ||
		     (f->repo_path && glob_match(glob, f->repo_path)) ||
		     (f->function && glob_match(glob, f->function)));
}

static int by_score(const void *a, const void *b)
{
	const spell_match *x = a, *y = b;
	if (x->score != y->score)
		return y->score - x->score;
	return strcmp(x->spell->id, y->spell->id);
}

size_t spellbook_match(const spellbook *b, const trace *t, spell_match *out, size_t max)
{
	const trace_exception *e = trace_final(t);
	if (!e || (!e->type && !e->message))
		return 0;
	spell_match *all = xcalloc(b->n ? b->n : 1, sizeof(*all));
	size_t n = 0;
	for (size_t i = 0; i < b->n; i++) {
		const spell *s = &b->v[i];
		int score = 0;
		if (s->error) {
			int es = error_score(s->error, e->type);
			if (es < 0)
				continue;
			score += es;
		}
		if (s->message) {
			/* a message is matched on its first 4 KiB: with the patterns
			 * spell_parse lets through, that bounds the time per spell */
			const char *msg = e->message ? e->message : "";
			char *m = xstrndup(msg, strnlen(msg, 4096));
			bool ok = s->has_re ? regexec(&s->re, m, 0, NULL, 0) == 0 : glob_match(s->message, m);
			free(m);
			if (!ok)
				continue;
			score += 30;
		}
		if (s->langs) {
			if (!(s->langs & (1u << t->lang)))
				continue; /* a Python spell says nothing about a Go panic */
			score += 20;
		} else {
			score += 5;
		}
		if (s->frame) {
			if (!frame_matches(s->frame, t->app_frame))
				continue;
			score += 10;
		}
		all[n].spell = s;
		all[n].score = score > 100 ? 100 : score;
		n++;
	}
	qsort(all, n, sizeof(*all), by_score);
	for (size_t i = 0; i < n && i < max; i++)
		out[i] = all[i];
	free(all);
	return n;
}

int spell_install(const char *dir, const char *text, size_t len, char **path, char **err)
{
	*path = NULL;
	spell s;
	spell_init(&s);
	if (spell_parse(&s, text, len, "the spell", err) < 0) {
		spell_free(&s);
		return -1;
	}
	char *dest = xasprintf("%s/%s.spell", dir, s.id);
	/* a name of this process's: two writing the same spell do not mix */
	char *tmp = xasprintf("%s.tmp%ld", dest, (long)getpid());
	spell_free(&s);
	FILE *out = NULL;
	int rc = -1;
	if (paths_make_parent(dest) < 0 || !(out = fopen(tmp, "wb"))) {
		*err = xasprintf("%s: %s", tmp, strerror(errno));
	} else {
		bool ok = fwrite(text, 1, len, out) == len;
		ok = fclose(out) == 0 && ok;
		if (!ok || rename(tmp, dest) < 0) {
			*err = xasprintf("%s: %s", dest, strerror(errno));
			unlink(tmp);
		} else {
			*path = dest;
			dest = NULL;
			rc = 0;
		}
	}
	free(tmp);
	free(dest);
	return rc;
}
