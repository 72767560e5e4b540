/* Requests to outside services through their breaker (see service.h). */
#include "service.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xalloc.h"

static int64_t now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

int service_before(store_service *sv, const char *name, const char *method, char **err)
{
	if (!sv)
		return 0;
	time_t now = time(NULL);
	if (!breaker_allow(&sv->br, now)) {
		*err = xasprintf("%s is left alone for %lld s more: its last %d requests failed", name,
				 (long long)(sv->br.open_until - now), sv->br.failures);
		return -1;
	}
	if (strcmp(method, "GET") != 0 && sv->write_pace_ms > 0) {
		/* writes paced, as the services' guidance asks of many of them */
		int64_t wait = sv->last_write_ms + sv->write_pace_ms - now_ms();
		if (sv->last_write_ms && wait > 0) {
			struct timespec nap = { (time_t)(wait / 1000), (long)(wait % 1000) * 1000000L };
			while (nanosleep(&nap, &nap) < 0 && errno == EINTR)
				;
		}
		sv->last_write_ms = now_ms();
	}
	return 0;
}

void service_outcome(store_service *sv, bool answered, const char *err)
{
	if (!sv)
		return;
	time_t now = time(NULL);
	if (answered)
		breaker_success(&sv->br);
	else
		breaker_failure(&sv->br, now);
	if (err) {
		free(sv->last_error);
		sv->last_error = xstrdup(err);
		sv->error_at = now;
	}
}

void service_after(store_service *sv, int rc, const http_response *r, const char *method, const char *what,
		   const char *err)
{
	if (!sv)
		return;
	time_t now = time(NULL);
	if (rc < 0 || r->status >= 500) {
		for (int i = 0; i < (r->attempts > 0 ? r->attempts : 1); i++)
			breaker_failure(&sv->br, now);
	} else {
		breaker_success(&sv->br);
	}
	if (rc == 0 && r->rate_remaining >= 0) {
		sv->rate_remaining = r->rate_remaining;
		sv->rate_reset = r->rate_reset;
	}
	if (rc < 0 || r->status >= 400) {
		free(sv->last_error);
		sv->last_error = rc < 0 ? xstrdup(err ? err : "no answer")
					: xasprintf("%s %s: answered %ld", method, what, r->status);
		sv->error_at = now;
	}
}
