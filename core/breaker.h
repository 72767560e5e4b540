/* breaker: a circuit breaker for one outside service (GitHub, Slack, ...).
 *
 * After BREAKER_FAILURES consecutive failures (no answer, or a 5xx) the
 * service is not asked for BREAKER_COOLDOWN seconds; then one request may go
 * as a probe (half-open): an answer closes the breaker, a failure opens it
 * for another cooldown. The clock is the caller's (now, Unix seconds), so
 * tests drive it; the state is plain data, kept in the store between cycles
 * and processes (store_service_*). */
#ifndef MAHORAGA_BREAKER_H
#define MAHORAGA_BREAKER_H

#include <stdbool.h>
#include <stdint.h>

#define BREAKER_FAILURES 5
#define BREAKER_COOLDOWN 60

typedef struct breaker {
	int failures;        /* consecutive, since the last answer */
	int64_t open_until;  /* not asked before this (Unix seconds); 0: closed */
	bool probing;        /* a half-open probe is out */
	int64_t down_since;  /* the first of the failures without an answer
	                      * between them (Unix seconds); 0: answering */
} breaker;

void breaker_init(breaker *b);

/* May a request go at now? False while open; after the cooldown true once
 * (the probe) until its outcome is known. */
bool breaker_allow(breaker *b, int64_t now);

/* The service answered (anything but a 5xx): closed again, not down. */
void breaker_success(breaker *b);

/* No answer, or a 5xx: counted (the first one starts the outage), and
 * opened at the threshold or when the probe failed. */
void breaker_failure(breaker *b, int64_t now);

/* "closed", "open" or "half-open" at now. */
const char *breaker_state(const breaker *b, int64_t now);

/* How long the service has been down at now: 0 while it answers. */
int64_t breaker_down_for(const breaker *b, int64_t now);

#endif
