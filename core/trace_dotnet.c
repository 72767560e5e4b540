/* C# and .NET: "Unhandled exception. System.X: msg ---> System.Y: msg2",
 * "   at Ns.Type.Method(args) in path:line 42", "--- End of inner exception stack
 * trace ---", Mono's "[0x00000] in <hash>:0". Innermost first. Inner exceptions'
 * frames print before the outer's, so blocks nest. */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "trace_internal.h"
#include "xalloc.h"

static bool dotnet_frame_body(const char *s, trace_frame *f);

/* "Foo.java", "Main.kt": a JVM frame's source, not a .NET argument list. */
static bool jvm_source(const char *s, size_t n)
{
	static const char *const exts[] = { ".java", ".kt", ".scala", ".groovy", ".clj" };
	if (memchr(s, ' ', n))
		return false;
	for (size_t i = 0; i < sizeof(exts) / sizeof(*exts); i++) {
		size_t k = strlen(exts[i]);
		if (n > k && memcmp(s + n - k, exts[i], k) == 0)
			return true;
	}
	return false;
}

static bool dotnet_frame(const char *line, trace_frame *f)
{
	const char *s = tskip(line);
	/* .NET localizes its words: "at" is "bei", "à", "en", "em", "в", "på", "在"... */
	static const char *const at_words[] = {
		"at ", "bei ", "\xc3\xa0 ", "en ", "em ", "\xd0\xb2 ", "p\xc3\xa5 ", "w ",
		"\xe5\x9c\xa8 ",
	};
	size_t aw = 0;
	for (size_t k = 0; !aw && k < sizeof(at_words) / sizeof(*at_words); k++)
		if (tprefix(s, at_words[k]))
			aw = strlen(at_words[k]);
	/* App Center drops the word and appends ";Namespace.Type" */
	const char *semi = strrchr(s, ';');
	char *trimmed = NULL;
	if (semi && semi[1] && tident(semi + 1, strlen(semi + 1), ".+`<>")) {
		trimmed = xstrndup(s, (size_t)(semi - s));
		s = trimmed;
	}
	if (!aw && !trimmed) {
		free(trimmed);
		return false;
	}
	bool ok = dotnet_frame_body(tskip(s + aw), f);
	free(trimmed);
	return ok;
}

/* The rest of a frame after its "at": "Ns.Type.Method(args) in path:line 42". */
static bool dotnet_frame_body(const char *s, trace_frame *f)
{
	const char *open = strchr(s, '(');
	if (!open || open == s)
		return false;
	size_t nlen = (size_t)(open - s);
	while (nlen && s[nlen - 1] == ' ')
		nlen--;
	/* names carry generics and compiler names: List`1.Add, <Main>b__0_0, .ctor */
	/* "lambda_method5" is the one frame name without a type */
	if (!tident(s, nlen, ".<>`[],|+") || (!memchr(s, '.', nlen) && !tprefix(s, "lambda_method")))
		return false;
	int depth = 0;
	const char *close = NULL;
	for (const char *p = open; *p; p++) {
		if (*p == '(')
			depth++;
		else if (*p == ')' && --depth == 0) {
			close = p;
			break;
		}
	}
	if (!close)
		return false;
	/* Java's "(Foo.java:12)" and "(Native Method)" are not argument lists */
	size_t alen = (size_t)(close - open - 1);
	size_t fl;
	int l, c;
	if (tsplit_loc(open + 1, alen, &fl, &l, &c) || jvm_source(open + 1, alen))
		return false;
	if (alen == 13 && memcmp(open + 1, "Native Method", 13) == 0)
		return false;
	const char *rest = tskip(close + 1);
	if (*rest == '[' || *rest == '<') { /* Mono's IL offset, "<0x41c3a230 + 0x001b7>" */
		const char *e = strchr(rest, *rest == '[' ? ']' : '>');
		rest = e ? tskip(e + 1) : rest + strlen(rest);
	}
	/* " in path:line 42" ("dans", "en", "в"...: one word, then the path) */
	const char *sp = *rest ? strchr(rest, ' ') : NULL;
	if (sp && sp - rest <= 8 && (tprefix(rest, "in ") || strchr(sp, ':'))) {
		const char *loc = sp + 1;
		/* ":line 42", or localized: Zeile, ligne, línea, riga, regel, linha */
		static const char *const words[] = {
			":line ", ":Zeile ", ":ligne ", ":l\xc3\xadnea ", ":riga ", ":regel ",
			":linha ", ":\xd1\x81\xd1\x82\xd1\x80\xd0\xbe\xd0\xba\xd0\xb0 ",
		};
		const char *ln = NULL;
		size_t wl = 0;
		for (size_t w = 0; !ln && w < sizeof(words) / sizeof(*words); w++)
			if ((ln = strstr(loc, words[w])))
				wl = strlen(words[w]);
		size_t flen;
		int line = 0, col = 0;
		if (ln) {
			const char *q = ln + wl;
			line = tnum(&q);
			flen = (size_t)(ln - loc);
		} else if (!tsplit_loc(loc, strlen(loc), &flen, &line, &col)) {
			flen = strlen(loc);
		}
		/* Mono without symbols: "in <filename unknown>:0", "in <3f1a...>:0" */
		if (flen && loc[0] != '<') {
			f->file = tstr(loc, flen);
			f->line = line > 0 ? line : 0;
		}
	} else if (*rest) {
		return false;
	}
	f->function = tstr(s, nlen);
	return true;
}

/* Unity: "PlayerController.Update () (at Assets/Scripts/PlayerController.cs:25)",
 * "UnityEngine.Debug:Log (object)" */
static bool unity_frame(const char *s, trace_frame *f)
{
	s = tskip(s);
	size_t n = strlen(s);
	const char *at = strstr(s, " (at ");
	if (!at || n == 0 || s[n - 1] != ')')
		return false;
	const char *loc = at + 5;
	size_t flen;
	int line, col;
	if (!tsplit_loc(loc, (size_t)(s + n - 1 - loc), &flen, &line, &col))
		return false;
	size_t nl = tstrip_args(s, (size_t)(at - s));
	if (nl == 0 || !tident(s, nl, ".:<>`[],") || (!memchr(s, '.', nl) && !memchr(s, ':', nl)))
		return false;
	f->file = tstr(loc, flen);
	f->line = line;
	f->function = tstr(s, nl);
	return true;
}

static bool any_frame(const char *s, trace_frame *f)
{
	return dotnet_frame(s, f) || unity_frame(s, f);
}

/* "System.NullReferenceException: msg" with the type's length in *n. */
static bool dotnet_type(const char *s, size_t *n)
{
	*n = strcspn(s, ": ");
	/* Unity prints types without their namespace */
	if (!tident(s, *n, ".`") || !isupper((unsigned char)s[0]))
		return false;
	/* xUnit writes "System.X : message" */
	return (s[*n] == ':' || s[*n] == '\0' || (s[*n] == ' ' && s[*n + 1] == ':')) &&
	       (*n >= 9 && memcmp(s + *n - 9, "Exception", 9) == 0);
}

/* The exception type after a localized or logged prefix: "Unbehandelte
 * Ausnahme: System.IO.IOException: ...", "Sync failed System.TimeoutException:
 * ...". NULL if the line names none. */
static const char *dotnet_type_in(const char *p)
{
	size_t n;
	if (!strstr(p, "Exception"))
		return NULL;
	for (const char *q = p; *q; q++) {
		if (q != p && q[-1] != ' ')
			continue;
		/* namespaced: "Unhandled Exception:" alone is a heading */
		if (isupper((unsigned char)*q) && dotnet_type(q, &n) && q[n] != '\0' &&
		    memchr(q, '.', n))
			return q;
	}
	return NULL;
}

void trace_parse_dotnet(trace *t, const struct tlines *L)
{
	size_t stack[64];
	size_t depth = 0;
	size_t untyped = SIZE_MAX, untyped_at = 0; /* the last block with frames and no type */
	for (size_t i = 0; i < L->n; i++) {
		const char *p = tskip(L->v[i]);
		if (tprefix(p, "--- End of inner exception stack trace")) {
			if (depth > 1)
				depth--;
			continue;
		}
		if (tprefix(p, "--- End of stack trace") || tprefix(p, "--- End of"))
			continue;
		trace_frame f = { 0 };
		size_t used = trace_frame_at(L, i, any_frame, &f);
		if (used) {
			if (depth == 0) {
				stack[depth++] = t->nexc;
				trace_add_block(t, true);
				t->final = t->nexc - 1;
			}
			trace_block_add_frame(&t->exc[stack[depth - 1]], &f);
			if (!t->exc[stack[depth - 1]].type) {
				untyped = stack[depth - 1];
				untyped_at = i;
			}
			i += used - 1;
			continue;
		}
		/* a header: every " ---> " opens an inner exception */
		const char *h = p;
		/* the Windows event log: "... Exception Info: System.X" */
		const char *info = strstr(p, "Exception Info: ");
		if (info)
			h = p = info + 16;
		if (tprefix(h, "Unhandled exception. "))
			h += 21;
		else if (tprefix(h, "Unhandled Exception: "))
			h += 21;
		else if (tprefix(h, "---> "))
			h += 5;
		size_t n;
		if (!dotnet_type(h, &n) && !tprefix(p, "at ") && (h = dotnet_type_in(p)))
			p = h;
		if (!h || !dotnet_type(h, &n)) {
			if (*p && !tprefix(p, "at ") && depth && t->exc[stack[depth - 1]].nframes)
				depth = 0; /* the trace ended */
			continue;
		}
		/* App Center names the type alone after the frames */
		if (h[n] == '\0' && untyped != SIZE_MAX && i - untyped_at <= 8) {
			t->exc[untyped].type = tstr(h, n);
			untyped = SIZE_MAX;
			continue;
		}
		bool inner = p != h && tprefix(p, "---> ");
		if (!inner)
			depth = 0;
		while (h) {
			const char *arrow = strstr(h, " ---> ");
			size_t seglen = arrow ? (size_t)(arrow - h) : strlen(h);
			if (!dotnet_type(h, &n))
				break;
			trace_exception *e = trace_add_block(t, true);
			e->type = tstr(h, n);
			size_t m = h[n] == ' ' ? n + 2 : n + 1; /* "X : msg" */
			if (m < seglen)
				e->message = tstr(h + m, seglen - m);
			if (depth < sizeof(stack) / sizeof(*stack))
				stack[depth++] = t->nexc - 1;
			t->final = t->nexc - 1;
			h = arrow ? arrow + 6 : NULL;
		}
	}
	t->lang = TRACE_CSHARP;
	size_t frames = 0;
	for (size_t b = 0; b < t->nexc; b++)
		frames += t->exc[b].nframes;
	/* an exception's name in prose is not a trace */
	if (frames == 0)
		trace_free(t);
}
