/* comment: a triage decision as the GitHub comment that says it.
 *
 * One comment per issue: it starts with a hidden marker (COMMENT_MARKER) so
 * that it can be found again and edited when the decision changes, never
 * posted twice. Everything in it that came from the issue (the error, the
 * trace's function and file) is made inert: no mention pings anyone, no HTML
 * renders, nothing breaks out of its code span. Only the assignee is
 * mentioned, by the GitHub login the users table gives (else by name). The
 * worker posts it when github.write is on; `mahoraga triage --format
 * markdown` prints it (for `gh issue comment N --body-file -`) and the issue
 * view shows it. */
#ifndef MAHORAGA_COMMENT_H
#define MAHORAGA_COMMENT_H

#include <jansson.h>

#include "store.h"

/* The first line of every triage comment. */
#define COMMENT_MARKER "<!-- mahoraga:triage -->"

/* The comment for decision (the JSON of `mahoraga triage --format json`); the
 * users table of db (may be NULL) gives the assignee's GitHub login. Returns a
 * new string. */
char *comment_markdown(const json_t *decision, store *db);

/* The title of the draft pull request of decision's draft fix:
 * "DRAFT - Review Required: " and the draft's title, on one line. */
char *comment_draft_title(const json_t *decision);

/* Its body: the issue it fixes (#number), that a person must review it, what
 * the error means, why, and the change as a diff; inert as the comment is. */
char *comment_draft_body(const json_t *decision, int number);

#endif
