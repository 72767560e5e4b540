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

static void add_escaped(strbuf *sb, const char *s)
{
	char *e = slack_escape(s);
	strbuf_addstr(sb, e);
	free(e);
}

/* "<url|owner/name#12 title>", or the words alone without a url. The url is
 * the store's, from GitHub; its '|' and '>' could still end the link early. */
static void issue_link(strbuf *sb, const slack_issue *is)
{
	bool link = is->url && !strpbrk(is->url, "|<> ");
	if (link)
		strbuf_addf(sb, "<%s|", is->url);
	add_escaped(sb, is->repo);
	strbuf_addf(sb, "#%d", is->number);
	if (is->title && *is->title) {
		strbuf_addch(sb, ' ');
		add_escaped(sb, is->title);
	}
	if (link)
		strbuf_addch(sb, '>');
}

static json_t *section(const char *mrkdwn)
{
	return json_pack("{s:s, s:{s:s, s:s}}", "type", "section", "text", "type", "mrkdwn", "text", mrkdwn);
}

/* "`path:line` in `function`", escaped; "" without a mapped frame. */
static void where(strbuf *sb, const json_t *d)
{
	const json_t *app = json_object_get(d, "app_frame");
	const char *path = jstr(app, "repo_path") ? jstr(app, "repo_path") : jstr(app, "file");
	if (!path)
		return;
	strbuf_addch(sb, '`');
	add_escaped(sb, path);
	strbuf_addf(sb, ":%lld`", (long long)json_integer_value(json_object_get(app, "line")));
	if (jstr(app, "function")) {
		strbuf_addstr(sb, " in `");
		add_escaped(sb, jstr(app, "function"));
		strbuf_addch(sb, '`');
	}
}

static void error_line(strbuf *sb, const json_t *d)
{
	if (!jstr(d, "error_type"))
		return;
	strbuf_addstr(sb, "`");
	add_escaped(sb, jstr(d, "error_type"));
	if (jstr(d, "error_message")) {
		strbuf_addstr(sb, ": ");
		add_escaped(sb, jstr(d, "error_message"));
	}
	strbuf_addstr(sb, "`");
}

/* The first candidate's reasons that name the assignee's, joined. */
static void reasons(strbuf *sb, const json_t *cand)
{
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(cand, "reasons"), i, r) {
		if (i >= 3)
			break;
		strbuf_addstr(sb, i ? "; " : "");
		add_escaped(sb, json_string_value(r));
	}
}

json_t *slack_msg_decision(const json_t *d, const slack_issue *is, const char *assignee_slack, const char *pr_url)
{
	const char *route = jstr(d, "route") ? jstr(d, "route") : "human";
	const json_t *assignee = json_object_get(d, "assignee");
	long long conf = (long long)json_integer_value(json_object_get(d, "confidence"));
	bool assigned = strcmp(route, "human") != 0 && json_is_object(assignee);
	strbuf head = STRBUF_INIT, body = STRBUF_INIT, text = STRBUF_INIT;
	const json_t *cands = json_object_get(d, "candidates");
	if (assigned) {
		/* the mention: an id is letters and digits only, else it is a name */
		bool id_ok = assignee_slack && *assignee_slack && strspn(assignee_slack, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") == strlen(assignee_slack);
		if (id_ok)
			strbuf_addf(&head, "<@%s>", assignee_slack);
		else
			add_escaped(&head, jstr(assignee, "name") && *jstr(assignee, "name") ? jstr(assignee, "name")
											       : jstr(assignee, "email"));
		strbuf_addstr(&head, strcmp(route, "draft_fix") == 0 ? ", a bug for you, with a drafted fix: "
								      : ", a bug for you: ");
		issue_link(&head, is);
		strbuf_addstr(&body, "*Where:* ");
		where(&body, d);
		if (body.len == strlen("*Where:* "))
			strbuf_addstr(&body, "the trace did not map to a file");
		strbuf_addstr(&body, "\n*Error:* ");
		error_line(&body, d);
		strbuf_addstr(&body, "\n*Why you:* ");
		size_t i;
		json_t *c;
		json_array_foreach(cands, i, c) {
			if (jstr(c, "email") && jstr(assignee, "email") && strcmp(jstr(c, "email"), jstr(assignee, "email")) == 0) {
				reasons(&body, c);
				break;
			}
		}
		strbuf_addf(&body, "\n*Confidence:* %lld%%", conf);
		const json_t *draft = json_object_get(d, "draft_fix");
		if (pr_url && !strpbrk(pr_url, "|<> "))
			strbuf_addf(&body, "\n*Draft fix:* <%s|the pull request> (review it: it is never merged for you)", pr_url);
		else if (jstr(draft, "branch")) {
			strbuf_addstr(&body, "\n*Draft fix:* branch `");
			add_escaped(&body, jstr(draft, "branch"));
			strbuf_addstr(&body, "`");
		}
	} else {
		strbuf_addstr(&head, ":rotating_light: Manual triage needed: ");
		issue_link(&head, is);
		strbuf_addstr(&body, "*Error:* ");
		error_line(&body, d);
		if (body.len == strlen("*Error:* "))
			strbuf_addstr(&body, "no trace in the report");
		strbuf_addstr(&body, "\n*Where:* ");
		size_t mark = body.len;
		where(&body, d);
		if (body.len == mark)
			strbuf_addstr(&body, "unknown");
		strbuf_addf(&body, "\n*Confidence:* %lld%%, too low to assign", conf);
		size_t i;
		json_t *c;
		json_array_foreach(cands, i, c) {
			if (i >= 3)
				break;
			strbuf_addstr(&body, i ? ", " : "\n*Best candidates:* ");
			add_escaped(&body, jstr(c, "name") && *jstr(c, "name") ? jstr(c, "name") : jstr(c, "email"));
			strbuf_addf(&body, " (%.0f%%)", json_number_value(json_object_get(c, "chance")) * 100);
		}
	}
	strbuf_addf(&text, "%s\n%s", head.buf, body.buf);
	json_t *msg = json_pack("{s:s, s:[o, o], s:b}", "text", text.buf, "blocks", section(head.buf),
				section(body.buf), "unfurl_links", 0);
	strbuf_release(&head);
	strbuf_release(&body);
	strbuf_release(&text);
	return msg;
}
