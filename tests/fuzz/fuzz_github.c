/* libFuzzer target: GitHub's REST answers as core/github_json reads them (a
 * page of issues, a list of comments, a comment, an issue's assignees, a
 * commit), all on the same bytes. */
#include <stdint.h>
#include <stdlib.h>

#include "github_json.h"
#include "inbox.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *body = (const char *)data;
	inbox_list l;
	inbox_list_init(&l);
	char *latest = NULL, *err = NULL, *login = NULL;
	github_json_issues("acme/api", body, size, &l, &latest, &err);
	inbox_list_free(&l);
	free(latest);
	free(err);
	err = NULL;
	int64_t id;
	github_json_marked_comment(body, size, "<!-- mahoraga:triage -->", &id, &err);
	free(err);
	err = NULL;
	free(github_json_html_url(body, size));
	github_json_assigned(body, size, "octocat");
	github_json_commit_login(body, size, &login, &err);
	free(login);
	free(err);
	return 0;
}
