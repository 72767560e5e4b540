/* A circuit breaker for one service (see breaker.h). */
#include "breaker.h"

void breaker_init(breaker *b)
{
	b->failures = 0;
	b->open_until = 0;
	b->probing = false;
	b->down_since = 0;
}

bool breaker_allow(breaker *b, int64_t now)
{
	if (b->open_until == 0)
		return true;
	if (now < b->open_until)
		return false;
	/* a probe whose outcome never came (its process died) is given up
	 * after another cooldown */
	if (b->probing && now < b->open_until + BREAKER_COOLDOWN)
		return false;
	b->probing = true; /* one request finds out whether it is back */
	return true;
}

void breaker_success(breaker *b)
{
	breaker_init(b);
}

void breaker_failure(breaker *b, int64_t now)
{
	if (!b->down_since)
		b->down_since = now;
	b->failures++;
	if (b->probing || b->failures >= BREAKER_FAILURES) {
		b->open_until = now + BREAKER_COOLDOWN;
		b->probing = false;
	}
}

const char *breaker_state(const breaker *b, int64_t now)
{
	if (b->open_until == 0)
		return "closed";
	return now < b->open_until && !b->probing ? "open" : "half-open";
}

int64_t breaker_down_for(const breaker *b, int64_t now)
{
	return b->down_since && now > b->down_since ? now - b->down_since : 0;
}
