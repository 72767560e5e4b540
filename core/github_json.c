/* Reading GitHub's REST answers (see github_json.h). */
#include "github_json.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "xalloc.h"

static json_t *load(const char *body, size_t len, json_error_t *je)
{
	return json_loadb(body ? body : "", body ? len : 0, 0, je);
}

int github_json_issues(const char *slug, const char *body, size_t len, inbox_list *out, char **latest, char **err)
{
	json_error_t je;
	json_t *root = load(body, len, &je);
	if (!json_is_array(root)) {
		*err = xasprintf("GitHub's answer is not a list of issues: %s", root ? "not an array" : je.text);
		json_decref(root);
		return -1;
	}
	size_t i;
	json_t *o;
	int rc = 0;
	json_array_foreach(root, i, o) {
		if (json_object_get(o, "pull_request"))
			continue; /* the issues endpoint lists pull requests too */
		const char *upd = json_string_value(json_object_get(o, "updated_at"));
		if (upd && strlen(upd) == 20 && (!*latest || strcmp(upd, *latest) > 0)) {
			free(*latest);
			*latest = xstrdup(upd);
		}
		if (inbox_add_json_issue(slug, o, out, err) < 0) {
			rc = -1;
			break;
		}
	}
	json_decref(root);
	return rc;
}

int github_json_marked_comment(const char *body, size_t len, const char *marker, int64_t *id, char **err)
{
	*id = 0;
	json_t *root = load(body, len, NULL);
	if (!json_is_array(root)) {
		*err = xstrdup("the comments are not a list");
		json_decref(root);
		return -1;
	}
	size_t i;
	json_t *c;
	json_array_foreach(root, i, c) {
		const char *text = json_string_value(json_object_get(c, "body"));
		json_int_t cid = json_integer_value(json_object_get(c, "id"));
		if (text && cid > 0 && strncmp(text, marker, strlen(marker)) == 0) {
			*id = (int64_t)cid;
			break;
		}
	}
	json_decref(root);
	return *id != 0;
}

char *github_json_html_url(const char *body, size_t len)
{
	json_t *root = load(body, len, NULL);
	const char *u = json_string_value(json_object_get(root, "html_url"));
	char *url = u ? xstrdup(u) : NULL;
	json_decref(root);
	return url;
}

bool github_json_assigned(const char *body, size_t len, const char *login)
{
	json_t *issue = load(body, len, NULL);
	size_t i;
	json_t *a;
	bool found = false;
	json_array_foreach(json_object_get(issue, "assignees"), i, a) {
		const char *l = json_string_value(json_object_get(a, "login"));
		found = found || (l && strcasecmp(l, login) == 0);
	}
	json_decref(issue);
	return found;
}

int github_json_commit_login(const char *body, size_t len, char **login, char **err)
{
	*login = NULL;
	json_t *c = load(body, len, NULL);
	if (!json_is_object(c) || !json_is_string(json_object_get(c, "sha"))) {
		*err = xstrdup("GitHub's answer is not a commit");
		json_decref(c);
		return -1;
	}
	const char *l = json_string_value(json_object_get(json_object_get(c, "author"), "login"));
	if (l && *l)
		*login = xstrdup(l);
	json_decref(c);
	return *login != NULL;
}
