/* Posting to Slack (see slack.h). */
#include "slack.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "service.h"
#include "slack_json.h"
#include "xalloc.h"

/* What marks mahoraga's messages in their metadata. */
#define EVENT_TYPE "mahoraga_triage"

/* The errors of chat.postMessage that asking again cannot fix. */
static int lasting(const char *error)
{
	static const char *const final[] = { "invalid_auth", "not_authed", "account_inactive", "token_revoked",
					     "channel_not_found", "not_in_channel", "is_archived", "invalid_blocks",
					     "invalid_payload", "no_service", "no_text", "msg_too_long",
					     "missing_scope", NULL };
	for (size_t i = 0; error && final[i]; i++)
		if (strcmp(error, final[i]) == 0)
			return 1;
	return 0;
}

/* An error of http_send without the URL it names: a webhook's URL is a
 * secret. */
static char *redacted(const char *err, const char *url)
{
	const char *at = err && url ? strstr(err, url) : NULL;
	if (!at)
		return xstrdup(err ? err : "no answer");
	return xasprintf("%.*sthe webhook%s", (int)(at - err), err, at + strlen(url));
}

int slack_post(const slack_client *s, const json_t *msg, const char *key, char **ts, long *retry_after,
	       char **err)
{
	*ts = NULL;
	*retry_after = -1;
	if (service_before(s->svc, "Slack", "POST", err) < 0)
		return -1;
	json_t *body = json_deep_copy(msg);
	char *url, *auth = NULL;
	const char *what;
	if (s->token) {
		url = xasprintf("%s/chat.postMessage", s->api_url);
		auth = xasprintf("Authorization: Bearer %s", s->token);
		json_object_set_new(body, "channel", json_string(s->channel ? s->channel : ""));
		json_object_set_new(body, "metadata", json_pack("{s:s, s:{s:s}}", "event_type", EVENT_TYPE,
								  "event_payload", "key", key));
		what = "chat.postMessage";
	} else {
		url = xstrdup(s->webhook_url);
		what = "the webhook";
	}
	char *payload = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	const char *headers[] = { auth ? auth : "Accept: application/json", NULL };
	http_response r;
	http_response_init(&r);
	char *herr = NULL;
	int rc = http_send("POST", url, headers, payload, &r, &herr);
	char *safe = redacted(herr, url);
	service_after(s->svc, rc, &r, "POST", what, safe);
	free(payload);
	free(herr);
	if (rc < 0) {
		*err = safe;
		safe = NULL;
		rc = -1;
	} else if (r.status == 429) {
		*retry_after = r.retry_after;
		*err = xasprintf("Slack's rate limit: %s", what);
		rc = -1;
	} else if (s->token) {
		char *e = NULL;
		int ok = slack_json_posted(r.body, r.len, ts, &e);
		if (r.status == 200 && ok == 1) {
			rc = 0;
		} else {
			*err = xasprintf("Slack answered %ld%s%s", r.status, e ? ": " : "", e ? e : "");
			rc = lasting(e) ? -2 : -1;
		}
		free(e);
	} else if (r.status == 200) {
		rc = 0;
	} else {
		/* a webhook's error is its body's one word ("invalid_payload") */
		char word[64] = "";
		if (r.body)
			sscanf(r.body, "%63[a-z_]", word);
		*err = xasprintf("Slack's webhook answered %ld%s%s", r.status, *word ? ": " : "", word);
		rc = r.status >= 500 ? -1 : lasting(word) || r.status == 403 || r.status == 404 ? -2 : -1;
	}
	free(safe);
	http_response_free(&r);
	free(url);
	free(auth);
	return rc;
}

int slack_posted(const slack_client *s, const char *key, int64_t since, char **err)
{
	if (!s->token) {
		*err = xstrdup("a webhook's messages cannot be read back");
		return -1;
	}
	if (service_before(s->svc, "Slack", "GET", err) < 0)
		return -1;
	/* the channel percent-encoded: a "#name" would end the URL at '#' */
	char chan[256] = "";
	size_t k = 0;
	for (const char *c = s->channel ? s->channel : ""; *c && k + 4 < sizeof(chan); c++)
		k += (size_t)snprintf(chan + k, sizeof(chan) - k, isalnum((unsigned char)*c) || *c == '_' || *c == '-'
									  ? "%c" : "%%%02X", (unsigned char)*c);
	char *url = xasprintf("%s/conversations.history?channel=%s&oldest=%lld&limit=200&include_all_metadata=true",
			      s->api_url, chan, (long long)since);
	char *auth = xasprintf("Authorization: Bearer %s", s->token);
	const char *headers[] = { auth, NULL };
	http_response r;
	http_response_init(&r);
	char *herr = NULL;
	int rc = http_get(url, headers, &r, &herr);
	service_after(s->svc, rc, &r, "GET", "conversations.history", herr);
	int found = -1;
	if (rc < 0) {
		*err = herr;
		herr = NULL;
	} else {
		char *e = NULL;
		found = slack_json_has_key(r.body, r.len, EVENT_TYPE, key, &e);
		if (found < 0)
			*err = xasprintf("reading the channel: Slack answered %ld%s%s", r.status, e ? ": " : "", e ? e : "");
		free(e);
	}
	free(herr);
	http_response_free(&r);
	free(auth);
	free(url);
	return found;
}
