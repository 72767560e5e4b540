/* Keywords, categories, severity and labels from the words of a report. */
#include "signals.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

struct lexeme {
	const char *text;     /* lower case; matched at word boundaries */
	const char *keyword;  /* what is reported */
	unsigned category;
};

static const struct lexeme lexicon[] = {
	{ "crash", "crash", SIG_CRASH }, { "crashes", "crash", SIG_CRASH },
	{ "crashed", "crash", SIG_CRASH }, { "crashing", "crash", SIG_CRASH },
	{ "segfault", "segfault", SIG_CRASH }, { "segmentation fault", "segfault", SIG_CRASH },
	{ "core dump", "core dump", SIG_CRASH }, { "core dumped", "core dump", SIG_CRASH },
	{ "panic", "panic", SIG_CRASH }, { "panicked", "panic", SIG_CRASH },
	{ "fatal", "fatal", SIG_CRASH }, { "aborted", "abort", SIG_CRASH },
	{ "sigsegv", "segfault", SIG_CRASH }, { "sigabrt", "abort", SIG_CRASH },
	{ "unhandled exception", "unhandled exception", SIG_CRASH },
	{ "stack overflow", "stack overflow", SIG_CRASH },
	{ "exits with", "exit", SIG_CRASH }, { "killed", "killed", SIG_CRASH },
	{ "data loss", "data loss", SIG_DATA_LOSS }, { "lost data", "data loss", SIG_DATA_LOSS },
	{ "lose data", "data loss", SIG_DATA_LOSS }, { "losing data", "data loss", SIG_DATA_LOSS },
	{ "corrupt", "corruption", SIG_DATA_LOSS }, { "corrupted", "corruption", SIG_DATA_LOSS },
	{ "corruption", "corruption", SIG_DATA_LOSS }, { "wiped", "data loss", SIG_DATA_LOSS },
	{ "deleted all", "data loss", SIG_DATA_LOSS }, { "overwritten", "data loss", SIG_DATA_LOSS },
	{ "truncated", "truncated", SIG_DATA_LOSS }, { "missing rows", "data loss", SIG_DATA_LOSS },
	{ "security", "security", SIG_SECURITY }, { "vulnerability", "vulnerability", SIG_SECURITY },
	{ "vulnerable", "vulnerability", SIG_SECURITY }, { "cve", "cve", SIG_SECURITY },
	{ "xss", "xss", SIG_SECURITY }, { "csrf", "csrf", SIG_SECURITY }, { "ssrf", "ssrf", SIG_SECURITY },
	{ "sql injection", "injection", SIG_SECURITY }, { "injection", "injection", SIG_SECURITY },
	{ "remote code execution", "rce", SIG_SECURITY }, { "rce", "rce", SIG_SECURITY },
	{ "privilege escalation", "privilege escalation", SIG_SECURITY },
	{ "auth bypass", "auth bypass", SIG_SECURITY },
	{ "authentication bypass", "auth bypass", SIG_SECURITY },
	{ "leaks credentials", "credential leak", SIG_SECURITY },
	{ "exposes", "exposure", SIG_SECURITY }, { "buffer overflow", "buffer overflow", SIG_SECURITY },
	{ "use-after-free", "use-after-free", SIG_SECURITY },
	{ "use after free", "use-after-free", SIG_SECURITY },
	{ "regression", "regression", SIG_REGRESSION }, { "regressed", "regression", SIG_REGRESSION },
	{ "used to work", "regression", SIG_REGRESSION }, { "worked in", "regression", SIG_REGRESSION },
	{ "no longer works", "regression", SIG_REGRESSION },
	{ "stopped working", "regression", SIG_REGRESSION },
	{ "after upgrading", "after upgrade", SIG_REGRESSION },
	{ "since upgrading", "after upgrade", SIG_REGRESSION },
	{ "after updating", "after upgrade", SIG_REGRESSION },
	{ "after the update", "after upgrade", SIG_REGRESSION },
	{ "broke", "broke", SIG_REGRESSION }, { "broken since", "regression", SIG_REGRESSION },
	{ "slow", "slow", SIG_PERFORMANCE }, { "slower", "slow", SIG_PERFORMANCE },
	{ "slowness", "slow", SIG_PERFORMANCE }, { "latency", "latency", SIG_PERFORMANCE },
	{ "timeout", "timeout", SIG_PERFORMANCE }, { "timed out", "timeout", SIG_PERFORMANCE },
	{ "times out", "timeout", SIG_PERFORMANCE }, { "memory leak", "memory leak", SIG_PERFORMANCE },
	{ "leaks memory", "memory leak", SIG_PERFORMANCE }, { "out of memory", "out of memory", SIG_PERFORMANCE },
	{ "oom", "out of memory", SIG_PERFORMANCE }, { "high cpu", "cpu", SIG_PERFORMANCE },
	{ "100% cpu", "cpu", SIG_PERFORMANCE }, { "hangs", "hang", SIG_PERFORMANCE },
	{ "hang", "hang", SIG_PERFORMANCE }, { "freezes", "hang", SIG_PERFORMANCE },
	{ "deadlock", "deadlock", SIG_PERFORMANCE }, { "performance", "performance", SIG_PERFORMANCE },
	{ "flaky", "flaky", SIG_FLAKY }, { "flakey", "flaky", SIG_FLAKY },
	{ "intermittent", "intermittent", SIG_FLAKY }, { "intermittently", "intermittent", SIG_FLAKY },
	{ "sometimes", "intermittent", SIG_FLAKY }, { "randomly", "intermittent", SIG_FLAKY },
	{ "occasionally", "intermittent", SIG_FLAKY }, { "race condition", "race condition", SIG_FLAKY },
	{ "data race", "race condition", SIG_FLAKY }, { "nondeterministic", "flaky", SIG_FLAKY },
	{ "non-deterministic", "flaky", SIG_FLAKY },
	{ "exception", "exception", SIG_ERROR }, { "error", "error", SIG_ERROR },
	{ "traceback", "exception", SIG_ERROR }, { "stack trace", "exception", SIG_ERROR },
	{ "500", "http 500", SIG_ERROR }, { "fails", "failure", SIG_ERROR },
	{ "failed", "failure", SIG_ERROR }, { "failure", "failure", SIG_ERROR },
	{ "production", "production", SIG_PRODUCTION }, { "prod", "production", SIG_PRODUCTION },
	{ "outage", "outage", SIG_PRODUCTION }, { "all users", "all users", SIG_PRODUCTION },
	{ "customers", "customers", SIG_PRODUCTION }, { "is down", "outage", SIG_PRODUCTION },
	{ "typo", "typo", SIG_COSMETIC }, { "documentation", "docs", SIG_COSMETIC },
	{ "docs", "docs", SIG_COSMETIC }, { "wording", "wording", SIG_COSMETIC },
	{ "misaligned", "layout", SIG_COSMETIC }, { "cosmetic", "cosmetic", SIG_COSMETIC },
};

/* Error types and sanitizer kinds that say more than the words around them. */
static const struct lexeme error_kinds[] = {
	{ "heap-use-after-free", "use-after-free", SIG_SECURITY | SIG_CRASH },
	{ "heap-buffer-overflow", "buffer overflow", SIG_SECURITY | SIG_CRASH },
	{ "stack-buffer-overflow", "buffer overflow", SIG_SECURITY | SIG_CRASH },
	{ "global-buffer-overflow", "buffer overflow", SIG_SECURITY | SIG_CRASH },
	{ "double-free", "double free", SIG_SECURITY | SIG_CRASH },
	{ "stack-use-after-return", "use-after-free", SIG_SECURITY | SIG_CRASH },
	{ "segv", "segfault", SIG_CRASH }, { "sigsegv", "segfault", SIG_CRASH },
	{ "sigabrt", "abort", SIG_CRASH }, { "sigbus", "crash", SIG_CRASH },
	{ "sigfpe", "crash", SIG_CRASH }, { "panic", "panic", SIG_CRASH },
	{ "fatal error", "fatal", SIG_CRASH }, { "data race", "race condition", SIG_FLAKY },
	{ "detected memory leaks", "memory leak", SIG_PERFORMANCE },
	{ "OutOfMemoryError", "out of memory", SIG_PERFORMANCE | SIG_CRASH },
	{ "MemoryError", "out of memory", SIG_PERFORMANCE },
	{ "StackOverflowError", "stack overflow", SIG_CRASH },
	{ "RecursionError", "stack overflow", SIG_CRASH },
	{ "TimeoutError", "timeout", SIG_PERFORMANCE },
	{ "TimeoutException", "timeout", SIG_PERFORMANCE },
	{ "SocketTimeoutException", "timeout", SIG_PERFORMANCE },
	{ "DeadlineExceeded", "timeout", SIG_PERFORMANCE },
};

static const char *const negations[] = {
	"no", "not", "never", "without", "isn't", "doesn't", "don't", "didn't", "wasn't",
	"won't", "cannot", "can't", "nothing",
};

void signals_init(signals *s)
{
	memset(s, 0, sizeof(*s));
}

void signals_free(signals *s)
{
	xfree_strings(s->keywords, s->nkeywords);
	xfree_strings(s->labels, s->nlabels);
	signals_init(s);
}

static void add_unique(char ***v, size_t *n, const char *text)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*v)[i], text) == 0)
			return;
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = xstrdup(text);
}

static bool word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || (unsigned char)c >= 0x80;
}

/* True if one of the two words before pos negates what follows. */
static bool negated(const char *text, size_t pos)
{
	size_t i = pos;
	for (int w = 0; w < 2; w++) {
		while (i > 0 && text[i - 1] == ' ')
			i--;
		size_t end = i;
		while (i > 0 && (word_char(text[i - 1]) || text[i - 1] == '\''))
			i--;
		if (end == i)
			return false;
		for (size_t k = 0; k < sizeof(negations) / sizeof(*negations); k++)
			if (strlen(negations[k]) == end - i && memcmp(text + i, negations[k], end - i) == 0)
				return true;
		if (i == 0 || text[i - 1] != ' ')
			return false; /* punctuation ends the clause */
	}
	return false;
}

/* Scan lower-cased text for every lexeme with at least one mention that is not
 * negated. */
static void scan(signals *s, const char *text)
{
	for (size_t k = 0; k < sizeof(lexicon) / sizeof(*lexicon); k++) {
		const struct lexeme *lx = &lexicon[k];
		size_t n = strlen(lx->text);
		for (const char *p = text; (p = strstr(p, lx->text)); p += n) {
			if ((p > text && word_char(p[-1])) || word_char(p[n]))
				continue;
			if (negated(text, (size_t)(p - text)))
				continue;
			add_unique(&s->keywords, &s->nkeywords, lx->keyword);
			s->categories |= lx->category;
			break;
		}
	}
}

static char *lowered(const char *s, size_t n)
{
	char *out = xmalloc(n + 1);
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		/* line breaks and tabs separate words like spaces do */
		out[i] = (c == '\n' || c == '\r' || c == '\t' || c == '\0') ? ' ' : (char)tolower((unsigned char)c);
	}
	out[n] = '\0';
	return out;
}

static void from_trace(signals *s, const trace *t)
{
	for (size_t b = 0; b < t->nexc; b++) {
		const char *type = t->exc[b].type;
		if (!type)
			continue;
		s->categories |= SIG_ERROR;
		for (size_t k = 0; k < sizeof(error_kinds) / sizeof(*error_kinds); k++) {
			const char *kind = error_kinds[k].text;
			size_t tl = strlen(type), kl = strlen(kind);
			/* "java.lang.OutOfMemoryError" ends with the kind */
			if (tl >= kl && strcasecmp(type + tl - kl, kind) == 0 &&
			    (tl == kl || type[tl - kl - 1] == '.' || type[tl - kl - 1] == ':')) {
				add_unique(&s->keywords, &s->nkeywords, error_kinds[k].keyword);
				s->categories |= error_kinds[k].category;
			}
		}
	}
	/* a process that died: uncaught at the top of a program */
	if (t->lang == TRACE_GO || t->lang == TRACE_RUST || t->lang == TRACE_C ||
	    t->lang == TRACE_CPP)
		s->categories |= SIG_CRASH;
}

void signals_extract(signals *s, const char *title, const char *body, size_t body_len,
		     const trace *t)
{
	signals_free(s);
	if (title) {
		char *lt = lowered(title, strlen(title));
		scan(s, lt);
		free(lt);
	}
	char *lb = lowered(body, body_len);
	scan(s, lb);
	free(lb);
	if (t)
		from_trace(s, t);
	unsigned c = s->categories;
	if ((c & (SIG_SECURITY | SIG_DATA_LOSS)) || ((c & SIG_CRASH) && (c & SIG_PRODUCTION)))
		s->severity = SEV_CRITICAL;
	else if (c & (SIG_CRASH | SIG_REGRESSION))
		s->severity = SEV_HIGH;
	else if (c & (SIG_PERFORMANCE | SIG_FLAKY | SIG_ERROR | SIG_PRODUCTION))
		s->severity = SEV_MEDIUM;
	else
		s->severity = SEV_LOW;
	if (c & (SIG_CRASH | SIG_ERROR | SIG_DATA_LOSS | SIG_REGRESSION | SIG_SECURITY) ||
	    (t && t->nexc))
		add_unique(&s->labels, &s->nlabels, "bug");
	for (unsigned bit = 1; bit <= SIG_COSMETIC; bit <<= 1)
		if ((c & bit) && bit != SIG_ERROR && bit != SIG_PRODUCTION)
			add_unique(&s->labels, &s->nlabels, signals_category_name(bit));
	char *sev = xasprintf("severity:%s", signals_severity_name(s->severity));
	add_unique(&s->labels, &s->nlabels, sev);
	free(sev);
	if (t && t->lang != TRACE_NONE) {
		char *lang = xasprintf("lang:%s", trace_lang_name(t->lang));
		add_unique(&s->labels, &s->nlabels, lang);
		free(lang);
	}
}

const char *signals_severity_name(enum signal_severity sev)
{
	static const char *const names[] = { "low", "medium", "high", "critical" };
	return (unsigned)sev < 4 ? names[sev] : "low";
}

const char *signals_category_name(unsigned bit)
{
	switch (bit) {
	case SIG_CRASH: return "crash";
	case SIG_DATA_LOSS: return "data-loss";
	case SIG_SECURITY: return "security";
	case SIG_REGRESSION: return "regression";
	case SIG_PERFORMANCE: return "performance";
	case SIG_FLAKY: return "flaky";
	case SIG_ERROR: return "error";
	case SIG_PRODUCTION: return "production";
	case SIG_COSMETIC: return "cosmetic";
	default: return NULL;
	}
}
