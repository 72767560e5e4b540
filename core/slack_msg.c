/* A decision as its Slack message (see slack_msg.h). */
#include "slack_msg.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "sanitize.h"
#include "strbuf.h"
#include "xalloc.h"

static const char *jstr(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

char *slack_escape(const char *s)
{
	char *clean = sanitize_text(s ? s : "", s ? strlen(s) : 0, SANITIZE_NEWLINES);
	strbuf sb = STRBUF_INIT;
	for (const char *p = clean; *p; p++) {
		if (*p == '&')
			strbuf_addstr(&sb, "&amp;");
		else if (*p == '<')
			strbuf_addstr(&sb, "&lt;");
		else if (*p == '>')
			strbuf_addstr(&sb, "&gt;");
		else
			strbuf_addch(&sb, *p);
	}
	free(clean);
	strbuf_addstr(&sb, "");
	return strbuf_detach(&sb);
}

/* Untrusted text: escaped for mrkdwn, or only cleaned in plain text. */
static void add_escaped(strbuf *sb, const char *s, bool plain)
{
	char *e = plain ? sanitize_text(s ? s : "", s ? strlen(s) : 0, 0) : slack_escape(s);
	strbuf_addstr(sb, e);
	free(e);
}

/* "*Where:* " in mrkdwn, "Where: " in plain text. */
static void add_label(strbuf *sb, const char *label, bool plain)
{
	strbuf_addf(sb, plain ? "%s: " : "*%s:* ", label);
}

/* "<url|owner/name#12 title>", or the words alone without a url. The url is
 * the store's, from GitHub; its '|' and '>' could still end the link early. */
static void issue_link(strbuf *sb, const slack_issue *is, bool plain)
{
	bool link = is->url && !strpbrk(is->url, "|<> ");
	if (link && !plain)
		strbuf_addf(sb, "<%s|", is->url);
	add_escaped(sb, is->repo, plain);
	strbuf_addf(sb, "#%d", is->number);
	if (is->title && *is->title) {
		strbuf_addch(sb, ' ');
		add_escaped(sb, is->title, plain);
	}
	if (link)
		strbuf_addf(sb, plain ? "\n%s" : ">", is->url);
}

static json_t *section(const char *mrkdwn)
{
	return json_pack("{s:s, s:{s:s, s:s}}", "type", "section", "text", "type", "mrkdwn", "text", mrkdwn);
}

/* "`path:line` in `function`", escaped; "" without a mapped frame. */
static void where(strbuf *sb, const json_t *d, bool plain)
{
	const json_t *app = json_object_get(d, "app_frame");
	const char *path = jstr(app, "repo_path") ? jstr(app, "repo_path") : jstr(app, "file");
	if (!path)
		return;
	strbuf_addch(sb, '`');
	add_escaped(sb, path, plain);
	strbuf_addf(sb, ":%lld`", (long long)json_integer_value(json_object_get(app, "line")));
	if (jstr(app, "function")) {
		strbuf_addstr(sb, " in `");
		add_escaped(sb, jstr(app, "function"), plain);
		strbuf_addch(sb, '`');
	}
}

static void error_line(strbuf *sb, const json_t *d, bool plain)
{
	if (!jstr(d, "error_type"))
		return;
	strbuf_addstr(sb, "`");
	add_escaped(sb, jstr(d, "error_type"), plain);
	if (jstr(d, "error_message")) {
		strbuf_addstr(sb, ": ");
		add_escaped(sb, jstr(d, "error_message"), plain);
	}
	strbuf_addstr(sb, "`");
}

/* The first candidate's reasons that name the assignee's, joined. */
static void reasons(strbuf *sb, const json_t *cand, bool plain)
{
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(cand, "reasons"), i, r) {
		if (i >= 3)
			break;
		strbuf_addstr(sb, i ? "; " : "");
		add_escaped(sb, json_string_value(r), plain);
	}
}

/* The message's head line and body, in mrkdwn or plain text. */
static void compose(const json_t *d, const slack_issue *is, const char *assignee_slack, const char *pr_url,
		    bool plain, strbuf *head, strbuf *body)
{
	const char *route = jstr(d, "route") ? jstr(d, "route") : "human";
	const json_t *assignee = json_object_get(d, "assignee");
	long long conf = (long long)json_integer_value(json_object_get(d, "confidence"));
	bool assigned = strcmp(route, "human") != 0 && json_is_object(assignee);
	const json_t *cands = json_object_get(d, "candidates");
	bool pr_ok = pr_url && !strpbrk(pr_url, "|<> ");
	if (assigned) {
		/* the mention: an id is letters and digits only, else it is a name */
		bool id_ok = !plain && assignee_slack && *assignee_slack &&
			     strspn(assignee_slack, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") == strlen(assignee_slack);
		if (id_ok)
			strbuf_addf(head, "<@%s>", assignee_slack);
		else
			add_escaped(head, jstr(assignee, "name") && *jstr(assignee, "name") ? jstr(assignee, "name")
											      : jstr(assignee, "email"), plain);
		strbuf_addstr(head, strcmp(route, "draft_fix") == 0 ? ", a bug for you, with a drafted fix: "
								     : ", a bug for you: ");
		issue_link(head, is, plain);
		add_label(body, "Where", plain);
		size_t mark = body->len;
		where(body, d, plain);
		if (body->len == mark)
			strbuf_addstr(body, "the trace did not map to a file");
		strbuf_addch(body, '\n');
		add_label(body, "Error", plain);
		error_line(body, d, plain);
		strbuf_addch(body, '\n');
		add_label(body, "Why you", plain);
		size_t i;
		json_t *c;
		json_array_foreach(cands, i, c) {
			if (jstr(c, "email") && jstr(assignee, "email") && strcmp(jstr(c, "email"), jstr(assignee, "email")) == 0) {
				reasons(body, c, plain);
				break;
			}
		}
		strbuf_addch(body, '\n');
		add_label(body, "Confidence", plain);
		strbuf_addf(body, "%lld%%", conf);
		const json_t *draft = json_object_get(d, "draft_fix");
		if (pr_ok) {
			strbuf_addch(body, '\n');
			add_label(body, "Draft fix", plain);
			strbuf_addf(body, plain ? "%s" : "<%s|the pull request>", pr_url);
			strbuf_addstr(body, " (review it: it is never merged for you)");
		} else if (jstr(draft, "branch")) {
			strbuf_addch(body, '\n');
			add_label(body, "Draft fix", plain);
			strbuf_addstr(body, "branch `");
			add_escaped(body, jstr(draft, "branch"), plain);
			strbuf_addstr(body, "`");
		}
	} else {
		strbuf_addstr(head, plain ? "Manual triage needed: " : ":rotating_light: Manual triage needed: ");
		issue_link(head, is, plain);
		add_label(body, "Error", plain);
		size_t mark = body->len;
		error_line(body, d, plain);
		if (body->len == mark)
			strbuf_addstr(body, "no trace in the report");
		strbuf_addch(body, '\n');
		add_label(body, "Where", plain);
		mark = body->len;
		where(body, d, plain);
		if (body->len == mark)
			strbuf_addstr(body, "unknown");
		strbuf_addch(body, '\n');
		add_label(body, "Confidence", plain);
		strbuf_addf(body, "%lld%%, too low to assign", conf);
		size_t i;
		json_t *c;
		json_array_foreach(cands, i, c) {
			if (i >= 3)
				break;
			if (!i) {
				strbuf_addch(body, '\n');
				add_label(body, "Best candidates", plain);
			} else {
				strbuf_addstr(body, ", ");
			}
			add_escaped(body, jstr(c, "name") && *jstr(c, "name") ? jstr(c, "name") : jstr(c, "email"), plain);
			strbuf_addf(body, " (%.0f%%)", json_number_value(json_object_get(c, "chance")) * 100);
		}
	}
}

json_t *slack_msg_decision(const json_t *d, const slack_issue *is, const char *assignee_slack, const char *pr_url)
{
	strbuf head = STRBUF_INIT, body = STRBUF_INIT, text = STRBUF_INIT;
	compose(d, is, assignee_slack, pr_url, false, &head, &body);
	strbuf_addf(&text, "%s\n%s", head.buf, body.buf);
	json_t *msg = json_pack("{s:s, s:[o, o], s:b}", "text", text.buf, "blocks", section(head.buf),
				section(body.buf), "unfurl_links", 0);
	strbuf_release(&head);
	strbuf_release(&body);
	strbuf_release(&text);
	return msg;
}

char *slack_msg_plain(const json_t *d, const slack_issue *is, const char *pr_url, char **subject)
{
	strbuf head = STRBUF_INIT, body = STRBUF_INIT;
	compose(d, is, NULL, pr_url, true, &head, &body);
	/* the head's first line (without the issue's page) is the subject */
	*subject = xstrndup(head.buf, strcspn(head.buf, "\n"));
	strbuf_addf(&head, "\n\n%s\n\n-- \nmahoraga, because Slack could not be reached\n", body.buf);
	strbuf_release(&body);
	return strbuf_detach(&head);
}
