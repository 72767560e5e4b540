/* Reading Slack's Web API answers (see slack_json.h). */
#include "slack_json.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

static json_t *load(const char *body, size_t len)
{
	return json_loadb(body ? body : "", body ? len : 0, 0, NULL);
}

static char *error_of(const json_t *a)
{
	const char *e = json_string_value(json_object_get(a, "error"));
	return e ? xstrdup(e) : NULL;
}

int slack_json_posted(const char *body, size_t len, char **ts, char **error)
{
	*ts = *error = NULL;
	json_t *a = load(body, len);
	int rc = -1;
	if (json_is_object(a) && json_is_true(json_object_get(a, "ok"))) {
		const char *t = json_string_value(json_object_get(a, "ts"));
		*ts = xstrdup(t ? t : "");
		rc = 1;
	} else if (json_is_object(a) && json_is_boolean(json_object_get(a, "ok"))) {
		*error = error_of(a);
		rc = 0;
	}
	json_decref(a);
	return rc;
}

int slack_json_has_key(const char *body, size_t len, const char *event_type, const char *key, char **error)
{
	*error = NULL;
	json_t *a = load(body, len);
	if (!json_is_true(json_object_get(a, "ok"))) {
		*error = error_of(a);
		json_decref(a);
		return -1;
	}
	int found = 0;
	size_t i;
	json_t *m;
	json_array_foreach(json_object_get(a, "messages"), i, m) {
		const json_t *md = json_object_get(m, "metadata");
		const char *k = json_string_value(json_object_get(json_object_get(md, "event_payload"), "key"));
		const char *type = json_string_value(json_object_get(md, "event_type"));
		if (k && type && strcmp(type, event_type) == 0 && strcmp(k, key) == 0)
			found = 1;
	}
	json_decref(a);
	return found;
}
