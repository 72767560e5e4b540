/* webhook: GitHub webhook deliveries as files, a second issue source.
 *
 * A team that already receives GitHub's webhooks elsewhere saves each delivery
 * (its headers, a blank line, the body exactly as received, as the "Recent
 * Deliveries" page of a webhook shows them) and `mahoraga poll --webhook-file`
 * ingests them. A delivery counts only with a valid X-Hub-Signature-256 (the
 * HMAC-SHA256 of the body under the webhook's secret, compared in constant
 * time), and once: X-GitHub-Delivery names it (the store remembers it). */
#ifndef MAHORAGA_WEBHOOK_H
#define MAHORAGA_WEBHOOK_H

#include <stdbool.h>
#include <stddef.h>

#include "inbox.h"

/* The largest delivery GitHub sends (25 MB), and so the largest file read. */
#define WEBHOOK_MAX_BYTES (25u << 20)

typedef struct webhook_delivery {
	char *id;          /* X-GitHub-Delivery, or NULL */
	char *event;       /* X-GitHub-Event, or NULL */
	char *signature;   /* X-Hub-Signature-256, or NULL */
	char *body;        /* exactly the bytes after the blank line */
	size_t len;
} webhook_delivery;

void webhook_delivery_init(webhook_delivery *d);
void webhook_delivery_free(webhook_delivery *d);

/* Read a saved delivery of len bytes: header lines "Name: value" (names in any
 * case; lines without a colon, such as "Request method: POST" pages add, are
 * skipped when they have none), an empty line (LF or CRLF), then the body.
 * Returns 0, or -1 with *err set when there is no blank line or no body. */
int webhook_parse(const char *text, size_t len, webhook_delivery *out, char **err);

/* Is signature ("sha256=" and 64 hex digits) the HMAC-SHA256 of body under
 * secret? Compared in constant time; false for anything malformed. */
bool webhook_signature_ok(const char *secret, const char *body, size_t len, const char *signature);

/* What an "issues" delivery says: the repository ("owner/name", to free), the
 * action ("opened", "edited", "closed", ...; to free), and the issue appended
 * to l as the inbox gives issues (its hash of the words as the etag; file
 * names the delivery). Returns 1 for an issue; 0 for another event or a pull
 * request (GitHub sends those as issues too); -1 with *err set for a body
 * that is not such JSON. */
int webhook_issue(const webhook_delivery *d, const char *file, char **repo, char **action, inbox_list *l,
		  char **err);

#endif
