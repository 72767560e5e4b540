/* http: GET requests on libcurl, as every service of mahoraga makes them.
 *
 * TLS verification is always on; proxies come from the environment as curl
 * reads them; a connect timeout of 10 s and a total one of 30 s; a body is
 * read within HTTP_MAX_BODY or refused, never cut; a User-Agent naming
 * mahoraga. A GET is retried on a timeout, a connection failure or a 5xx (an
 * idempotent request), three times, waiting 1, 2 then 4 seconds, or what
 * Retry-After asks (at most a minute). Headers of the answer that the callers
 * need are kept; the request's own headers (a token) are never logged. */
#ifndef MAHORAGA_HTTP_H
#define MAHORAGA_HTTP_H

#include <stddef.h>
#include <stdint.h>

/* The largest body read: larger ones are refused whole. */
#define HTTP_MAX_BODY (10u << 20)

typedef struct http_response {
	long status;          /* 0 when there was no answer */
	char *body;           /* NUL-terminated, len bytes; NULL with no body */
	size_t len;
	char *etag;           /* ETag, or NULL */
	char *link;           /* Link, or NULL */
	long rate_remaining;  /* X-RateLimit-Remaining, -1 when absent */
	int64_t rate_reset;   /* X-RateLimit-Reset (Unix seconds), 0 when absent */
	long retry_after;     /* Retry-After in seconds, -1 when absent */
	int attempts;         /* how many requests it took */
} http_response;

void http_response_init(http_response *r);
void http_response_free(http_response *r);

/* GET url with the extra headers (NULL-ended "Name: value" strings; may be
 * NULL). Returns 0 with r filled (any status: the caller judges it), or -1
 * with *err set when no answer came (after the retries) or the body was too
 * large. */
int http_get(const char *url, const char *const *headers, http_response *r, char **err);

/* The same with a method ("POST", "PATCH") and a JSON body. Only what is
 * idempotent (PATCH, PUT) is retried: a POST that timed out may have been
 * done, and the caller finds out before sending it again. */
int http_send(const char *method, const char *url, const char *const *headers, const char *body, http_response *r,
	      char **err);

/* The same with a total timeout of its own (seconds): a model may think for
 * longer than a web API answers. */
int http_send_timeout(const char *method, const char *url, const char *const *headers, const char *body,
		      long timeout, http_response *r, char **err);

#endif
