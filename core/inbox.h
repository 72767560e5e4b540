/* inbox: bug reports kept as files, the worker's first issue source.
 *
 * A directory per repository holds issues either as markdown ("<number>*.md":
 * the first line is the title, the rest the body) or as the JSON that
 * `gh issue list --json number,title,body,author,createdAt,url` prints (an array,
 * or one object as `gh issue view --json ...` prints; with `state`, a closed issue
 * is marked so, and the worker ends its assignment). Each issue carries a hash
 * of its words, so that an edited issue is seen as changed and an unchanged one
 * is skipped. Files that do not parse are reported, not fatal. */
#ifndef MAHORAGA_INBOX_H
#define MAHORAGA_INBOX_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct inbox_issue {
	int number;
	char *title;
	char *body;
	char *author;     /* or NULL */
	char *url;        /* or NULL */
	int64_t created_at;
	char *hash;       /* of title and body: the issue's "etag" */
	bool closed;      /* gh's or the API's state says closed */
	char *assignee;   /* the GitHub login a person assigned it to there, or NULL */
	char *file;       /* where it came from */
} inbox_issue;

typedef struct inbox_list {
	inbox_issue *v;
	size_t n, alloc;
	char **errors;    /* "file: problem", one per file that did not parse */
	size_t nerrors;
} inbox_list;

void inbox_list_init(inbox_list *l);
void inbox_list_free(inbox_list *l);

/* Every issue of the directory's *.md and *.json files, by file name. Returns 0,
 * or -1 if the directory cannot be read (*err says why); bad files go to
 * l->errors. */
int inbox_scan(const char *dir, inbox_list *l, char **err);

/* A cheap fingerprint of the directory's issue files (names, sizes, times),
 * for noticing new, edited and removed files between full scans; 0 if the
 * directory cannot be read. */
uint64_t inbox_signature(const char *dir);

/* One markdown issue; the number comes from the file name's leading digits.
 * Returns 0, or -1 with *err set. */
int inbox_parse_markdown(const char *name, const char *text, size_t len, int64_t mtime,
			 inbox_issue *out, char **err);

/* Move issue i (its fields now l's) to the end of l. */
void inbox_list_add(inbox_list *l, inbox_issue *i);

/* Free one issue's fields. */
void inbox_issue_free(inbox_issue *i);

/* One issue object, as gh prints it or as the REST API (a webhook) sends it
 * (user, html_url, created_at), appended to l. Returns 0, or -1 with *err set
 * (nothing appended). file names where it came from, for messages. */
int inbox_add_json_issue(const char *file, const json_t *o, inbox_list *l, char **err);

/* gh's JSON: issues are appended to l. Returns 0, or -1 with *err set (nothing
 * appended). */
int inbox_parse_gh_json(const char *file, const char *text, size_t len, inbox_list *l, char **err);

#endif
