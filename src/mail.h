/* mail: an e-mail sent through an SMTP server with libcurl, for when Slack
 * is down (its messages) and for telling administrators of an outage.
 *
 * mail.smtp_url (smtps://host, or smtp://host:587 with STARTTLS when the
 * server offers it, and demanded when a password is sent off this machine),
 * mail.user and MAHORAGA_MAIL_PASSWORD when the server wants a login,
 * mail.from as the sender. A message is plain text in UTF-8: its subject and
 * body come from untrusted text and are cleaned (no line breaks in the
 * subject, so nothing can add a header; no control bytes in the body). The
 * password never reaches an error, the log or the database. The service
 * "mail" has a breaker and a status like every other (src/service). */
#ifndef MAHORAGA_MAIL_H
#define MAHORAGA_MAIL_H

#include <stdbool.h>

#include "config.h"
#include "store.h"

typedef struct mail_client {
	const char *url;       /* mail.smtp_url */
	const char *user;      /* or NULL */
	const char *password;  /* or NULL; a secret */
	const char *from;      /* mail.from */
	store_service *svc;    /* the "mail" service's breaker and status (may be NULL) */
} mail_client;

/* Is e-mail set up (mail.smtp_url and mail.from)? */
bool mail_configured(const config *cfg);

/* The client of cfg's settings, reporting to svc (may be NULL). */
mail_client mail_client_of(const config *cfg, store_service *svc);

/* Send one message to the address to. key (no secret) makes its Message-ID,
 * so that a message sent twice after a crash is one thread to the reader.
 * Returns 0, -1 to try again (*err: no answer, a 4xx), -2 for good (*err:
 * the server refused the sender, the recipient or the login). */
int mail_send(const mail_client *m, const char *to, const char *subject, const char *body, const char *key,
	      char **err);

#endif
