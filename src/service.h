/* service: a request to an outside service (GitHub, Slack) as every caller
 * makes it: through the service's breaker (core/breaker), writes paced,
 * and the outcome kept on its store_service for the status line.
 *
 * service_before says whether a request may go (and waits out the pace of
 * writes); service_after counts the outcome: no answer or a 5xx is a failure
 * per attempt, any other answer closes the breaker; the rate limit and the
 * last error are kept. Neither touches the network: http_send does, between
 * them. */
#ifndef MAHORAGA_SERVICE_H
#define MAHORAGA_SERVICE_H

#include <stdbool.h>

#include "http.h"
#include "store.h"

/* May a request of method go to the service now? 0 (a write waits its pace
 * first), or -1 with *err saying the breaker is open ("GitHub is left alone
 * for 42 s more..."). sv may be NULL (always 0). */
int service_before(store_service *sv, const char *name, const char *method, char **err);

/* The outcome of the request (rc and r as http_send left them; err its error
 * or NULL), counted on sv (may be NULL). what names the request in the last
 * error ("POST /repos/o/r/issues"): it must carry no secret. */
void service_after(store_service *sv, int rc, const http_response *r, const char *method, const char *what,
		   const char *err);

/* The same for a service that is not HTTP (SMTP): did it answer, and the
 * error kept for the status line (NULL: none). */
void service_outcome(store_service *sv, bool answered, const char *err);

#endif
