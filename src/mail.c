/* E-mail through an SMTP server with libcurl (see mail.h). */
#include "mail.h"

#include <openssl/evp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "curl_lib.h"
#include "sanitize.h"
#include "service.h"
#include "strbuf.h"
#include "xalloc.h"

/* Subjects longer than this are cut (at a whole character). */
#define SUBJECT_MAX 200
/* Body lines longer than this are broken: SMTP allows 998 bytes a line. */
#define LINE_MAX_BYTES 900

bool mail_configured(const config *cfg)
{
	return config_str(cfg, CFG_MAIL_SMTP_URL) && config_str(cfg, CFG_MAIL_FROM);
}

mail_client mail_client_of(const config *cfg, store_service *svc)
{
	mail_client m = { config_str(cfg, CFG_MAIL_SMTP_URL), config_str(cfg, CFG_MAIL_USER),
			  config_str(cfg, CFG_MAIL_PASSWORD), config_str(cfg, CFG_MAIL_FROM), svc };
	return m;
}

/* The RFC 5322 date of now, in English whatever the locale. */
static void add_date(strbuf *sb)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t now = time(NULL);
	struct tm t;
	gmtime_r(&now, &t);
	strbuf_addf(sb, "Date: %s, %02d %s %d %02d:%02d:%02d +0000\r\n", days[t.tm_wday], t.tm_mday,
		    months[t.tm_mon], t.tm_year + 1900, t.tm_hour, t.tm_min, t.tm_sec);
}

/* The subject on one logical line: printable ASCII as it is, anything else
 * as RFC 2047 encoded words folded onto lines of their own. */
static void add_subject(strbuf *sb, const char *subject)
{
	char *clean = sanitize_text(subject, strlen(subject), 0);
	size_t n = strlen(clean);
	if (n > SUBJECT_MAX)
		n = sanitize_whole(clean, SUBJECT_MAX);
	clean[n] = '\0';
	bool ascii = true;
	for (size_t i = 0; i < n; i++)
		ascii = ascii && (unsigned char)clean[i] >= 0x20 && (unsigned char)clean[i] < 0x7f;
	strbuf_addstr(sb, "Subject: ");
	if (ascii) {
		strbuf_addstr(sb, clean);
	} else {
		for (size_t at = 0; at < n;) {
			size_t take = n - at > 45 ? sanitize_whole(clean + at, 45) : n - at;
			if (!take)
				take = n - at; /* cannot happen on sanitized text */
			unsigned char enc[4 * ((45 + 2) / 3) + 1];
			EVP_EncodeBlock(enc, (const unsigned char *)clean + at, (int)take);
			strbuf_addf(sb, "%s=?UTF-8?B?%s?=", at ? "\r\n " : "", (const char *)enc);
			at += take;
		}
	}
	strbuf_addstr(sb, "\r\n");
	free(clean);
}

/* The body with CRLF line ends, no control bytes, no line too long for SMTP
 * (libcurl itself doubles a leading dot). */
static void add_body(strbuf *sb, const char *body)
{
	char *clean = sanitize_text(body, strlen(body), SANITIZE_NEWLINES);
	size_t col = 0;
	for (const char *p = clean; *p; p++) {
		if (*p == '\n') {
			strbuf_addstr(sb, "\r\n");
			col = 0;
			continue;
		}
		if (col >= LINE_MAX_BYTES && ((unsigned char)*p & 0xc0) != 0x80) {
			strbuf_addstr(sb, "\r\n");
			col = 0;
		}
		strbuf_addch(sb, *p);
		col++;
	}
	strbuf_addstr(sb, "\r\n");
	free(clean);
}

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

struct upload {
	const char *data;
	size_t len, at;
};

static size_t on_read(char *buf, size_t size, size_t nmemb, void *arg)
{
	struct upload *u = arg;
	size_t n = size * nmemb;
	if (n > u->len - u->at)
		n = u->len - u->at;
	memcpy(buf, u->data + u->at, n);
	u->at += n;
	return n;
}

/* Is the server's host this machine? Then a login over plain SMTP stays on
 * it, and STARTTLS may be missing (a local relay, the tests' fake). */
static bool loopback(const char *url)
{
	const char *h = strstr(url, "://");
	h = h ? h + 3 : url;
	return strncmp(h, "127.", 4) == 0 || strncmp(h, "localhost", 9) == 0 || strncmp(h, "[::1]", 5) == 0;
}

int mail_send(const mail_client *m, const char *to, const char *subject, const char *body, const char *key,
	      char **err)
{
	if (!m->url || !m->from || !to || !*to || strpbrk(to, "\r\n<>")) {
		*err = xstrdup("e-mail is not set up (mail.smtp_url, mail.from) or the address is not one");
		return -2;
	}
	/* a libcurl that cannot be loaded is this machine's fault, not the
	 * server's: asked before the breaker counts anything */
	const curl_lib *cl = curl_lib_get(err);
	if (!cl)
		return -1;
	if (service_before(m->svc, "Mail", "POST", err) < 0)
		return -1;
	const char *domain = strchr(m->from, '@') ? strchr(m->from, '@') + 1 : "mahoraga";
	strbuf msg = STRBUF_INIT;
	add_date(&msg);
	strbuf_addf(&msg, "From: mahoraga <%s>\r\nTo: <%s>\r\n", m->from, to);
	strbuf_addf(&msg, "Message-ID: <%016llx.mahoraga@%s>\r\n", (unsigned long long)fnv1a(key ? key : subject),
		    domain);
	add_subject(&msg, subject);
	strbuf_addstr(&msg, "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
			    "Content-Transfer-Encoding: 8bit\r\nAuto-Submitted: auto-generated\r\n\r\n");
	add_body(&msg, body);

	CURL *c = cl->easy_init();
	if (!c) {
		strbuf_release(&msg);
		*err = xstrdup("cannot start an SMTP request");
		return -1;
	}
	char *from = xasprintf("<%s>", m->from), *rcpt_addr = xasprintf("<%s>", to);
	struct curl_slist *rcpt = cl->slist_append(NULL, rcpt_addr);
	struct upload up = { msg.buf, msg.len, 0 };
	char curl_err[CURL_ERROR_SIZE] = "";
	cl->easy_setopt(c, CURLOPT_URL, m->url);
	cl->easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	cl->easy_setopt(c, CURLOPT_MAIL_FROM, from);
	cl->easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	cl->easy_setopt(c, CURLOPT_UPLOAD, 1L);
	cl->easy_setopt(c, CURLOPT_READFUNCTION, on_read);
	cl->easy_setopt(c, CURLOPT_READDATA, &up);
	cl->easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)msg.len);
	cl->easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	cl->easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	cl->easy_setopt(c, CURLOPT_NOSIGNAL, 1L); /* the worker is a thread */
	cl->easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	cl->easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	cl->easy_setopt(c, CURLOPT_ERRORBUFFER, curl_err);
	/* a password goes over TLS or stays on this machine */
	cl->easy_setopt(c, CURLOPT_USE_SSL,
			 m->password && !loopback(m->url) ? (long)CURLUSESSL_ALL : (long)CURLUSESSL_TRY);
	if (m->user)
		cl->easy_setopt(c, CURLOPT_USERNAME, m->user);
	if (m->password)
		cl->easy_setopt(c, CURLOPT_PASSWORD, m->password);
	CURLcode rc = cl->easy_perform(c);
	long code = 0;
	cl->easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	cl->easy_cleanup(c);
	cl->slist_free_all(rcpt);
	free(from);
	free(rcpt_addr);
	strbuf_release(&msg);

	/* no answer, or a server that says "later" (4xx): the service is down
	 * for the breaker; a refusal (5xx) is an answer */
	bool answered = rc == CURLE_OK || code >= 500;
	int out = 0;
	if (rc != CURLE_OK) {
		/* curl's words name the server and the reply, never the password */
		*err = xasprintf("%s: %s%s%s", m->url, cl->easy_strerror(rc), *curl_err ? ": " : "", curl_err);
		out = code >= 500 || rc == CURLE_LOGIN_DENIED ? -2 : -1;
	}
	service_outcome(m->svc, answered, *err);
	return out;
}
