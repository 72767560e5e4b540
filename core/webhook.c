/* GitHub webhook deliveries saved as files (webhook.h). */
#include "webhook.h"

#include <ctype.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sanitize.h"
#include "xalloc.h"

void webhook_delivery_init(webhook_delivery *d)
{
	memset(d, 0, sizeof(*d));
}

void webhook_delivery_free(webhook_delivery *d)
{
	free(d->id);
	free(d->event);
	free(d->signature);
	free(d->body);
	webhook_delivery_init(d);
}

/* value of a header line "Name: value" when its name is name, else NULL */
static char *header(const char *line, size_t len, const char *name)
{
	size_t n = strlen(name);
	if (len <= n || strncasecmp(line, name, n) != 0 || line[n] != ':')
		return NULL;
	const char *v = line + n + 1;
	const char *end = line + len;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		end--;
	/* what is kept is shown and logged: no control bytes */
	return sanitize_text(v, (size_t)(end - v), 0);
}

int webhook_parse(const char *text, size_t len, webhook_delivery *out, char **err)
{
	webhook_delivery_init(out);
	size_t i = 0;
	while (i < len) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - text) : len;
		size_t n = end - i;
		if (n && text[i + n - 1] == '\r')
			n--;
		if (n == 0) {
			/* the blank line: the body is every byte after it */
			size_t start = nl ? end + 1 : len;
			if (start >= len) {
				webhook_delivery_free(out);
				*err = xstrdup("the delivery has no body after its headers");
				return -1;
			}
			out->len = len - start;
			out->body = xmalloc(out->len + 1);
			memcpy(out->body, text + start, out->len);
			out->body[out->len] = '\0';
			return 0;
		}
		char *v;
		if ((v = header(text + i, n, "X-GitHub-Delivery"))) {
			free(out->id);
			out->id = v;
		} else if ((v = header(text + i, n, "X-GitHub-Event"))) {
			free(out->event);
			out->event = v;
		} else if ((v = header(text + i, n, "X-Hub-Signature-256"))) {
			free(out->signature);
			out->signature = v;
		}
		i = nl ? end + 1 : len;
	}
	webhook_delivery_free(out);
	*err = xstrdup("no blank line between the delivery's headers and its body");
	return -1;
}

bool webhook_signature_ok(const char *secret, const char *body, size_t len, const char *signature)
{
	static const char prefix[] = "sha256=";
	if (!secret || !*secret || !signature || strncmp(signature, prefix, sizeof(prefix) - 1) != 0)
		return false;
	const char *hex = signature + sizeof(prefix) - 1;
	unsigned char given[32];
	for (size_t k = 0; k < sizeof(given); k++) {
		int hi = (unsigned char)hex[2 * k], lo = hi ? (unsigned char)hex[2 * k + 1] : 0;
		if (!isxdigit(hi) || !isxdigit(lo))
			return false;
		given[k] = (unsigned char)((isdigit(hi) ? hi - '0' : tolower(hi) - 'a' + 10) << 4 |
					   (isdigit(lo) ? lo - '0' : tolower(lo) - 'a' + 10));
	}
	if (hex[64] != '\0')
		return false;
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int maclen = 0;
	if (!HMAC(EVP_sha256(), secret, (int)strlen(secret), (const unsigned char *)body, len, mac, &maclen) ||
	    maclen != sizeof(given))
		return false;
	/* in constant time: how much of a forged signature is right says nothing */
	return CRYPTO_memcmp(mac, given, sizeof(given)) == 0;
}

int webhook_issue(const webhook_delivery *d, const char *file, char **repo, char **action, inbox_list *l,
		  char **err)
{
	*repo = *action = NULL;
	if (!d->event || strcmp(d->event, "issues") != 0)
		return 0;
	json_error_t je;
	json_t *root = json_loadb(d->body, d->len, 0, &je);
	if (!root) {
		*err = xasprintf("%s:%d: not JSON: %s", file, je.line, je.text);
		return -1;
	}
	int rc = -1;
	const char *act = json_string_value(json_object_get(root, "action"));
	const char *full = json_string_value(json_object_get(json_object_get(root, "repository"), "full_name"));
	json_t *issue = json_object_get(root, "issue");
	if (!act || !full || !json_is_object(issue)) {
		*err = xasprintf("%s: an issues event without its action, repository or issue", file);
	} else if (json_object_get(issue, "pull_request")) {
		rc = 0; /* a pull request: not an issue to triage */
	} else if (inbox_add_json_issue(file, issue, l, err) == 0) {
		*repo = sanitize_text(full, strlen(full), 0);
		*action = sanitize_text(act, strlen(act), 0);
		rc = 1;
	}
	json_decref(root);
	return rc;
}
