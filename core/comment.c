/* A triage decision as its GitHub comment (comment.h). */
#include "comment.h"

#include <stdbool.h>
#include <string.h>

#include "sanitize.h"
#include "strbuf.h"
#include "xalloc.h"

static const char *jstr(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* Text from the issue, inert in markdown: control bytes gone, no mention
 * (a zero-width space after '@'), no HTML ('<' as an entity), no cell ended
 * early ('|' escaped). Paragraphs (a blank line) stay when paragraphs is
 * true; any other line break is a space. */
static void inert_text(strbuf *sb, const char *s, bool paragraphs)
{
	if (!s)
		return;
	char *clean = sanitize_text(s, strlen(s), SANITIZE_NEWLINES);
	for (const char *p = clean; *p; p++) {
		if (*p == '@') {
			strbuf_addstr(sb, "@\xe2\x80\x8b");
		} else if (*p == '<') {
			strbuf_addstr(sb, "&lt;");
		} else if (*p == '|') {
			strbuf_addstr(sb, "\\|");
		} else if (*p == '\n') {
			bool blank = p[1] == '\n';
			while (p[1] == '\n')
				p++;
			strbuf_addstr(sb, paragraphs && blank ? "\n\n" : " ");
		} else {
			strbuf_addch(sb, *p);
		}
	}
	free(clean);
}

static void inert(strbuf *sb, const char *s) { inert_text(sb, s, false); }

/* The same as a code span: a backtick cannot end it early. */
static void code(strbuf *sb, const char *s)
{
	strbuf_addch(sb, '`');
	strbuf tmp = STRBUF_INIT;
	inert(&tmp, s);
	for (size_t i = 0; tmp.buf && i < tmp.len; i++)
		strbuf_addch(sb, tmp.buf[i] == '`' ? '\'' : tmp.buf[i]);
	strbuf_release(&tmp);
	strbuf_addch(sb, '`');
}

/* Who, as the comment names them: @login when it is known (the users
 * table, a login learnt from GitHub, a no-reply address: the one mention of
 * the comment), else their name, else the e-mail, inert. */
static void person(strbuf *sb, const json_t *who, store *db)
{
	const char *email = jstr(who, "email"), *name = jstr(who, "name");
	char *login = NULL;
	if (db && email && store_login_of(db, email, &login) == 1) {
		strbuf_addch(sb, '@');
		inert(sb, login);
	} else {
		inert(sb, name && *name ? name : email ? email : "someone");
	}
	free(login);
}

char *comment_markdown(const json_t *d, store *db)
{
	strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, COMMENT_MARKER "\n### mahoraga triage: ");
	const char *route = jstr(d, "route");
	const json_t *assignee = json_object_get(d, "assignee");
	json_int_t conf = json_integer_value(json_object_get(d, "confidence"));
	if (route && json_is_object(assignee) && strcmp(route, "human") != 0) {
		strbuf_addstr(&sb, strcmp(route, "draft_fix") == 0 ? "a fix drafted for " : "assign to ");
		person(&sb, assignee, db);
	} else {
		strbuf_addstr(&sb, "needs a person to triage it");
	}
	strbuf_addf(&sb, " (confidence %lld%%)\n\n", (long long)conf);
	/* what the machine weighed, in its words (names and paths, no mention) */
	if (jstr(d, "reasoning")) {
		inert(&sb, jstr(d, "reasoning"));
		strbuf_addstr(&sb, "\n\n");
	}
	const json_t *dup = json_object_get(d, "duplicate_of");
	if (json_is_object(dup)) {
		strbuf_addf(&sb, "Duplicate of #%lld", (long long)json_integer_value(json_object_get(dup, "number")));
		if (jstr(dup, "assignee")) {
			strbuf_addstr(&sb, ", which ");
			inert(&sb, jstr(dup, "assignee"));
			strbuf_addstr(&sb, " has");
		}
		strbuf_addstr(&sb, ".\n\n");
	}
	strbuf_addstr(&sb, "| | |\n| --- | --- |\n");
	if (jstr(d, "error_type")) {
		strbuf_addstr(&sb, "| Error | ");
		strbuf tmp = STRBUF_INIT;
		strbuf_addf(&tmp, "%s%s%s", jstr(d, "error_type"), jstr(d, "error_message") ? ": " : "",
			    jstr(d, "error_message") ? jstr(d, "error_message") : "");
		code(&sb, tmp.buf);
		strbuf_release(&tmp);
		if (jstr(d, "language")) {
			strbuf_addstr(&sb, " (");
			inert(&sb, jstr(d, "language"));
			strbuf_addch(&sb, ')');
		}
		strbuf_addstr(&sb, " |\n");
	}
	const json_t *app = json_object_get(d, "app_frame");
	if (json_is_object(app)) {
		const char *where = jstr(app, "repo_path") ? jstr(app, "repo_path") : jstr(app, "file");
		strbuf tmp = STRBUF_INIT;
		strbuf_addf(&tmp, "%s:%lld", where ? where : "?", (long long)json_integer_value(json_object_get(app, "line")));
		strbuf_addstr(&sb, "| Blamed | ");
		code(&sb, tmp.buf);
		strbuf_release(&tmp);
		if (jstr(app, "function")) {
			strbuf_addstr(&sb, " in ");
			code(&sb, jstr(app, "function"));
		}
		strbuf_addstr(&sb, " |\n");
	}
	if (jstr(d, "severity")) {
		strbuf_addstr(&sb, "| Severity | ");
		inert(&sb, jstr(d, "severity"));
		strbuf_addstr(&sb, " |\n");
	}
	const json_t *cands = json_object_get(d, "candidates");
	if (json_array_size(cands)) {
		strbuf_addstr(&sb, "\n<details><summary>Who knows this code</summary>\n\n"
				   "| who | chance | why |\n| --- | ---: | --- |\n");
		size_t i;
		json_t *c;
		json_array_foreach(cands, i, c) {
			if (i >= 5)
				break;
			strbuf_addstr(&sb, "| ");
			/* only the assignee is mentioned: the others are named */
			inert(&sb, jstr(c, "name") && *jstr(c, "name") ? jstr(c, "name") : jstr(c, "email"));
			strbuf_addf(&sb, " | %.0f%% | ", json_number_value(json_object_get(c, "chance")) * 100);
			size_t k;
			json_t *r;
			json_array_foreach(json_object_get(c, "reasons"), k, r) {
				if (k)
					strbuf_addstr(&sb, "; ");
				inert(&sb, json_string_value(r));
			}
			strbuf_addstr(&sb, " |\n");
		}
		strbuf_addstr(&sb, "\n</details>\n");
	}
	if (jstr(d, "explanation")) {
		strbuf_addstr(&sb, "\n**What it means.** ");
		inert_text(&sb, jstr(d, "explanation"), true);
		strbuf_addch(&sb, '\n');
	}
	const json_t *draft = json_object_get(d, "draft_fix");
	if (json_is_object(draft) && jstr(draft, "branch")) {
		strbuf_addstr(&sb, "\n**Draft fix** on branch ");
		code(&sb, jstr(draft, "branch"));
		strbuf_addstr(&sb, ": a draft for review, never merged by mahoraga.\n");
	}
	strbuf_addstr(&sb, "\n<sub>The confidence is calibrated on replays of real bug fixes: decisions at this "
			   "level were right about as often. Reassigning corrects it.</sub>\n");
	return strbuf_detach(&sb);
}

char *comment_draft_title(const json_t *d)
{
	const json_t *draft = json_object_get(d, "draft_fix");
	strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "DRAFT - Review Required: ");
	const char *title = jstr(draft, "title") ? jstr(draft, "title") : "a fix";
	char *t = sanitize_text(title, strlen(title), SANITIZE_NEWLINES);
	/* one line, and as long as GitHub shows well */
	for (char *p = t; *p; p++)
		if (*p == '\n' || *p == '\t')
			*p = ' ';
	strbuf_add(&sb, t, strlen(t) > 200 ? 200 : strlen(t));
	free(t);
	return strbuf_detach(&sb);
}

/* A fence longer than any run of backticks in s (at least three). */
static void fence(strbuf *sb, const char *s)
{
	size_t run = 0, longest = 0;
	for (const char *p = s; *p; p++) {
		run = *p == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	for (size_t i = 0; i < (longest >= 3 ? longest + 1 : 3); i++)
		strbuf_addch(sb, '`');
}

char *comment_draft_body(const json_t *d, int number)
{
	const json_t *draft = json_object_get(d, "draft_fix");
	strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "A fix for #%d, drafted by mahoraga's triage. **A person must review it:** mahoraga "
			 "never merges it.\n", number);
	if (jstr(d, "explanation")) {
		strbuf_addstr(&sb, "\n**What it means.** ");
		inert_text(&sb, jstr(d, "explanation"), true);
		strbuf_addch(&sb, '\n');
	}
	if (jstr(d, "root_cause")) {
		strbuf_addstr(&sb, "\n**Root cause.** ");
		inert_text(&sb, jstr(d, "root_cause"), true);
		strbuf_addch(&sb, '\n');
	}
	if (jstr(d, "reasoning") && *jstr(d, "reasoning")) {
		strbuf_addstr(&sb, "\n**Reasoning.** ");
		inert_text(&sb, jstr(d, "reasoning"), true);
		strbuf_addch(&sb, '\n');
	}
	const char *diff = jstr(draft, "diff");
	if (diff && *diff) {
		char *clean = sanitize_text(diff, strlen(diff), SANITIZE_NEWLINES);
		strbuf_addstr(&sb, "\n<details><summary>The change</summary>\n\n");
		fence(&sb, clean);
		strbuf_addstr(&sb, "diff\n");
		strbuf_addstr(&sb, clean);
		if (!*clean || clean[strlen(clean) - 1] != '\n')
			strbuf_addch(&sb, '\n');
		fence(&sb, clean);
		strbuf_addstr(&sb, "\n\n</details>\n");
		free(clean);
	}
	return strbuf_detach(&sb);
}
