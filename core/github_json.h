/* github_json: reading GitHub's REST answers (no network here: src/github
 * asks, this reads, and the fuzz target feeds it anything).
 *
 * Each reader takes the body as GitHub sent it (len bytes, not NUL-ended)
 * and never trusts its shape: a field of the wrong type is treated as absent. */
#ifndef MAHORAGA_GITHUB_JSON_H
#define MAHORAGA_GITHUB_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "inbox.h"

/* The issues of one page of GET /repos/{o}/{r}/issues appended to out (pull
 * requests, which the endpoint lists too, left out); the latest updated_at
 * seen kept in *latest (to free; unchanged when none is later). Returns 0,
 * or -1 with *err set (what was appended stays: the caller drops it). */
int github_json_issues(const char *slug, const char *body, size_t len, inbox_list *out, char **latest, char **err);

/* The id of the first comment of a list whose body starts with marker: 1
 * (*id), 0 none, -1 not a list (*err). */
int github_json_marked_comment(const char *body, size_t len, const char *marker, int64_t *id, char **err);

/* The html_url of one object (a comment, an issue, a pull request), or NULL. */
char *github_json_html_url(const char *body, size_t len);

/* Is login among an issue's "assignees"? */
bool github_json_assigned(const char *body, size_t len, const char *login);

/* The login of the account GitHub matched to a commit's author ("author",
 * not "commit.author", which is the git identity): 1 (*login), 0 none (no
 * account has its e-mail), -1 not a commit (*err). */
int github_json_commit_login(const char *body, size_t len, char **login, char **err);

#endif
