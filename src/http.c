/* GET requests on libcurl (http.h). */
#include "http.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "autoconf.h"
#include "curl_lib.h"
#include "strbuf.h"
#include "xalloc.h"

void http_response_init(http_response *r)
{
	memset(r, 0, sizeof(*r));
	r->rate_remaining = -1;
	r->retry_after = -1;
}

void http_response_free(http_response *r)
{
	free(r->body);
	free(r->etag);
	free(r->link);
	http_response_init(r);
}

struct sink {
	strbuf body;
	bool too_big;
	http_response *r;
};

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
	struct sink *s = arg;
	size_t len = size * n;
	if (s->body.len + len > HTTP_MAX_BODY) {
		s->too_big = true;
		return 0; /* curl stops the transfer */
	}
	strbuf_add(&s->body, data, len);
	return len;
}

/* the value of header line "Name: value" when its name is name, else NULL */
static char *header_value(const char *line, size_t len, const char *name)
{
	size_t n = strlen(name);
	if (len <= n || strncasecmp(line, name, n) != 0 || line[n] != ':')
		return NULL;
	const char *v = line + n + 1, *end = line + len;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
		end--;
	return xstrndup(v, (size_t)(end - v));
}

static size_t on_header(char *data, size_t size, size_t n, void *arg)
{
	struct sink *s = arg;
	size_t len = size * n;
	char *v;
	if ((v = header_value(data, len, "ETag"))) {
		free(s->r->etag);
		s->r->etag = v;
	} else if ((v = header_value(data, len, "Link"))) {
		free(s->r->link);
		s->r->link = v;
	} else if ((v = header_value(data, len, "X-RateLimit-Remaining"))) {
		s->r->rate_remaining = strtol(v, NULL, 10);
		free(v);
	} else if ((v = header_value(data, len, "X-RateLimit-Reset"))) {
		s->r->rate_reset = strtoll(v, NULL, 10);
		free(v);
	} else if ((v = header_value(data, len, "Retry-After"))) {
		s->r->retry_after = strtol(v, NULL, 10);
		free(v);
	}
	return len;
}

/* One request; 0 with an answer, -1 without (*err set; *retry when it is
 * worth another try). */
static int once(const curl_lib *cl, const char *method, const char *url, struct curl_slist *hdrs,
		const char *body, long timeout, http_response *r, bool *retry, char **err)
{
	CURL *c = cl->easy_init();
	if (!c) {
		*err = xstrdup("cannot start an HTTP request");
		return -1;
	}
	struct sink s = { STRBUF_INIT, false, r };
	cl->easy_setopt(c, CURLOPT_URL, url);
	cl->easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	cl->easy_setopt(c, CURLOPT_USERAGENT, "mahoraga/" PACKAGE_VERSION);
	cl->easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	cl->easy_setopt(c, CURLOPT_TIMEOUT, timeout);
	cl->easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	cl->easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	cl->easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	cl->easy_setopt(c, CURLOPT_NOSIGNAL, 1L); /* the worker is a thread */
	cl->easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	cl->easy_setopt(c, CURLOPT_WRITEDATA, &s);
	cl->easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	cl->easy_setopt(c, CURLOPT_HEADERDATA, &s);
	if (strcmp(method, "GET") != 0) {
		cl->easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
		cl->easy_setopt(c, CURLOPT_POSTFIELDS, body ? body : "");
	}
	CURLcode rc = cl->easy_perform(c);
	cl->easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
	cl->easy_cleanup(c);
	*retry = false;
	if (s.too_big) {
		strbuf_release(&s.body);
		*err = xasprintf("the answer is larger than %u MiB: refused", HTTP_MAX_BODY >> 20);
		return -1;
	}
	if (rc != CURLE_OK) {
		strbuf_release(&s.body);
		/* the URL names the service, never a token: those are in headers */
		*err = xasprintf("%s: %s", url, cl->easy_strerror(rc));
		*retry = rc == CURLE_OPERATION_TIMEDOUT || rc == CURLE_COULDNT_CONNECT || rc == CURLE_RECV_ERROR ||
			 rc == CURLE_SEND_ERROR || rc == CURLE_GOT_NOTHING || rc == CURLE_PARTIAL_FILE;
		return -1;
	}
	r->len = s.body.len;
	r->body = s.body.buf ? strbuf_detach(&s.body) : NULL;
	*retry = r->status >= 500;
	return 0;
}

int http_send(const char *method, const char *url, const char *const *headers, const char *body, http_response *r,
	      char **err)
{
	return http_send_timeout(method, url, headers, body, 30, r, err);
}

int http_send_timeout(const char *method, const char *url, const char *const *headers, const char *body,
		      long timeout, http_response *r, char **err)
{
	const curl_lib *cl = curl_lib_get(err);
	if (!cl)
		return -1;
	struct curl_slist *hdrs = NULL;
	for (size_t i = 0; headers && headers[i]; i++)
		hdrs = cl->slist_append(hdrs, headers[i]);
	if (body)
		hdrs = cl->slist_append(hdrs, "Content-Type: application/json");
	bool idempotent = strcmp(method, "POST") != 0;
	int rc = -1;
	for (int attempt = 0; attempt < 4; attempt++) {
		http_response_free(r);
		r->attempts = attempt + 1;
		free(*err);
		*err = NULL;
		bool retry = false;
		rc = once(cl, method, url, hdrs, body, timeout, r, &retry, err);
		if (!retry || !idempotent || attempt == 3)
			break;
		/* what the service asks (at most a minute), else 1, 2, 4 seconds
		 * with a quarter of jitter either way, so that workers that failed
		 * together do not come back together */
		long ms;
		if (r->retry_after >= 0) {
			ms = 1000L * (r->retry_after > 60 ? 60 : r->retry_after);
		} else {
			struct timespec t;
			clock_gettime(CLOCK_MONOTONIC, &t);
			long base = 1000L << attempt;
			ms = base * 3 / 4 + (long)((unsigned long)t.tv_nsec % (unsigned long)(base / 2 + 1));
		}
		struct timespec nap = { ms / 1000, (ms % 1000) * 1000000L };
		while (nanosleep(&nap, &nap) < 0 && errno == EINTR)
			;
	}
	cl->slist_free_all(hdrs);
	return rc;
}

int http_get(const char *url, const char *const *headers, http_response *r, char **err)
{
	return http_send("GET", url, headers, NULL, r, err);
}
