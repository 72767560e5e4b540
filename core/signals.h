/* signals: what the words of a report say about it, as a triager reads them.
 *
 * Keywords, categories (crash, data loss, security, regression, performance,
 * flaky), a severity, and the labels a triager would add, from the title, the
 * body and the parsed trace. Negated mentions ("it does not crash") don't count. */
#ifndef MAHORAGA_SIGNALS_H
#define MAHORAGA_SIGNALS_H

#include <stddef.h>

#include "trace.h"

enum signal_category {
	SIG_CRASH = 1 << 0,
	SIG_DATA_LOSS = 1 << 1,
	SIG_SECURITY = 1 << 2,
	SIG_REGRESSION = 1 << 3,
	SIG_PERFORMANCE = 1 << 4,
	SIG_FLAKY = 1 << 5,
	SIG_ERROR = 1 << 6,        /* an exception or error message, not a crash */
	SIG_PRODUCTION = 1 << 7,   /* it happens in production / to users now */
	SIG_COSMETIC = 1 << 8,     /* typo, docs, wording, layout */
};

enum signal_severity { SEV_LOW, SEV_MEDIUM, SEV_HIGH, SEV_CRITICAL };

typedef struct signals {
	char **keywords;          /* canonical keywords, in the order first found */
	size_t nkeywords;
	unsigned categories;      /* enum signal_category bits */
	enum signal_severity severity;
	char **labels;            /* "bug", "crash", "severity:high", "lang:go"... */
	size_t nlabels;
} signals;

void signals_init(signals *s);
void signals_free(signals *s);

/* Read title (may be NULL), body and the trace parsed from it (may be NULL). */
void signals_extract(signals *s, const char *title, const char *body, size_t body_len,
		     const trace *t);

/* "low", "medium", "high", "critical". */
const char *signals_severity_name(enum signal_severity sev);
/* "crash", "data-loss", ... for one category bit; NULL for an unknown bit. */
const char *signals_category_name(unsigned bit);

#endif
