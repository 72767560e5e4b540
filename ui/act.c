/* What a person does from the command center: manual triage on an issue, and
 * the settings pane's editors. Every change is written to the store (a manual
 * action is recorded as pending) and handed to the worker, which applies it;
 * the screen never waits for it. */
#include <fcntl.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "csv.h"
#include "manual.h"
#include "proposal.h"
#include "ui_internal.h"
#include "users_csv.h"
#include "xalloc.h"

/* The issue the keys act on: the open issue view, else the feed's selection. */
static const store_feed_item *target(struct ui *u)
{
	if (u->detail_open && !u->detail_issue) {
		ui_say(u, "this is a file, not an issue: q goes back to the panes");
		return NULL;
	}
	if (u->detail_open) {
		for (size_t i = 0; i < u->data.feed.n; i++)
			if (u->data.feed.v[i].issue_id == u->detail_issue)
				return &u->data.feed.v[i];
		return NULL;
	}
	size_t row;
	if (u->focus != PANE_FEED || !ui_pane_current(&u->panes[PANE_FEED], &row)) {
		ui_say(u, "select an issue in the triage feed first");
		return NULL;
	}
	return &u->data.feed.v[row];
}

/* Record the action and hand it to the worker. */
static void record(struct ui *u, const char *kind, const char *email, const char *reason)
{
	store_manual m;
	store_manual_init(&m);
	m.issue_id = u->target_issue;
	m.kind = xstrdup(kind);
	m.assignee_email = email && *email ? xstrdup(email) : NULL;
	m.reason = reason && *reason ? xstrdup(reason) : NULL;
	if (store_manual_add(u->db, &m) < 0) {
		ui_say(u, "not recorded: %s", store_error(u->db));
	} else {
		if (u->hooks && u->hooks->apply)
			u->hooks->apply(u->hooks->arg, m.id);
		ui_say(u, "#%d: %s recorded%s", u->target_number, manual_kind_label(kind),
		       u->hooks && u->hooks->apply ? "" : " (applied by the next worker cycle)");
	}
	store_manual_free(&m);
}

static bool start(struct ui *u)
{
	const store_feed_item *it = target(u);
	if (!it)
		return false;
	u->target_issue = it->issue_id;
	u->target_number = it->number;
	return true;
}

void ui_act_accept(struct ui *u)
{
	if (!start(u))
		return;
	/* refused at once, as A and X are without a draft: recording it would
	 * only fail later, in the issue's history */
	store_assignment a;
	store_assignment_init(&a);
	store_decision d;
	store_decision_init(&d);
	bool proposed = store_assignment_open(u->db, u->target_issue, &a) == 1 ||
			(store_decision_latest(u->db, u->target_issue, &d) == 1 && d.assignee_email);
	store_assignment_free(&a);
	store_decision_free(&d);
	if (proposed)
		record(u, "accept", NULL, NULL);
	else
		ui_say(u, "nobody was proposed for #%d: R reassigns it to someone", u->target_number);
}

void ui_act_retriage(struct ui *u)
{
	if (start(u))
		record(u, "retriage", NULL, NULL);
}

static void human_yes(struct ui *u) { record(u, "human", NULL, "sent to human triage from the command center"); }

void ui_act_human(struct ui *u)
{
	if (!start(u))
		return;
	char q[120];
	snprintf(q, sizeof(q), "Send #%d to human triage, taking it from whoever has it?", u->target_number);
	ui_confirm_open(u, q, human_yes);
}

/* The latest decision's draft branch, or NULL. */
static char *draft_of(struct ui *u)
{
	store_decision d;
	store_decision_init(&d);
	char *branch = NULL;
	if (store_decision_latest(u->db, u->target_issue, &d) == 1 && d.draft_branch)
		branch = xstrdup(d.draft_branch);
	store_decision_free(&d);
	if (!branch)
		ui_say(u, "#%d has no draft fix", u->target_number);
	return branch;
}

void ui_act_approve(struct ui *u)
{
	if (!start(u))
		return;
	char *b = draft_of(u);
	if (b)
		record(u, "approve_draft", NULL, NULL);
	free(b);
}

static void reject_yes(struct ui *u) { record(u, "reject_draft", NULL, NULL); }

void ui_act_reject(struct ui *u)
{
	if (!start(u))
		return;
	char *b = draft_of(u);
	if (!b)
		return;
	char q[200];
	snprintf(q, sizeof(q), "Reject the draft of #%d and delete branch %s?", u->target_number, b);
	ui_confirm_open(u, q, reject_yes);
	free(b);
}

static void reason_done(struct ui *u, const char *text)
{
	if (!*text) {
		ui_say(u, "a reason is needed: the assignee and the history will show it");
		return;
	}
	u->prompt.open = false;
	record(u, "reassign", u->target_email, text);
}

static void pick_done(struct ui *u, const char *email)
{
	snprintf(u->target_email, sizeof(u->target_email), "%s", email);
	char label[300];
	snprintf(label, sizeof(label), "Why reassign #%d to %s? ", u->target_number, email);
	ui_prompt_open(u, label, "", reason_done);
}

static void menu_add(char ***labels, char ***values, size_t *n, char *label, const char *value)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*values)[i], value) == 0) {
			free(label);
			return;
		}
	*labels = xrealloc(*labels, (*n + 1) * sizeof(**labels));
	*values = xrealloc(*values, (*n + 1) * sizeof(**values));
	(*labels)[*n] = label;
	(*values)[*n] = xstrdup(value);
	(*n)++;
}

/* The decision's candidates first (with their scores), then every active person. */
void ui_act_reassign(struct ui *u)
{
	if (!start(u))
		return;
	char **labels = NULL, **values = NULL;
	size_t n = 0;
	store_decision d;
	store_decision_init(&d);
	json_t *j = NULL;
	if (store_decision_latest(u->db, u->target_issue, &d) == 1 && d.full_json)
		j = json_loads(d.full_json, 0, NULL);
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(j, "candidates"), i, c) {
		const char *email = json_string_value(json_object_get(c, "email"));
		json_t *chance = json_object_get(c, "chance");
		/* the model's chance, as the issue view shows it (older decisions
		 * have only a score) */
		if (email && chance)
			menu_add(&labels, &values, &n,
				 xasprintf("%-22s %3.0f%%  candidate  %s", ui_person(&u->data, email),
					   json_number_value(chance) * 100, email),
				 email);
		else if (email)
			menu_add(&labels, &values, &n,
				 xasprintf("%-22s %6.1f  candidate  %s", ui_person(&u->data, email),
					   json_number_value(json_object_get(c, "score")), email),
				 email);
	}
	json_decref(j);
	store_decision_free(&d);
	for (size_t k = 0; k < u->data.users.n; k++) {
		const store_user *p = &u->data.users.v[k];
		if (p->active && p->n_emails)
			menu_add(&labels, &values, &n, xasprintf("%-34s %s", p->emails[0], p->display_name), p->emails[0]);
	}
	if (!n) {
		ui_say(u, "nobody to pick: no candidates and no active people (import users first)");
		return;
	}
	char title[120];
	snprintf(title, sizeof(title), "Reassign #%d to:", u->target_number);
	ui_menu_open(u, title, labels, values, n, pick_done);
}

/* OSC 52 asks the terminal (or tmux, with set-clipboard on) to put the text on
 * the clipboard; the URL is also shown, for terminals that ignore it. */
void ui_act_copy_url(struct ui *u)
{
	const store_feed_item *it = target(u);
	if (!it)
		return;
	char *url = it->url ? xstrdup(it->url) : xasprintf("https://github.com/%s/issues/%d", it->repo, it->number);
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t len = strlen(url);
	char *enc = xmalloc(len / 3 * 4 + 8), *e = enc;
	for (size_t i = 0; i < len; i += 3) {
		unsigned v = (unsigned char)url[i] << 16 | (i + 1 < len ? (unsigned char)url[i + 1] << 8 : 0) |
			     (i + 2 < len ? (unsigned char)url[i + 2] : 0);
		*e++ = b64[v >> 18 & 63];
		*e++ = b64[v >> 12 & 63];
		*e++ = i + 1 < len ? b64[v >> 6 & 63] : '=';
		*e++ = i + 2 < len ? b64[v & 63] : '=';
	}
	*e = '\0';
	/* the URL was sanitized when stored, and base64 has no control bytes */
	char *seq = xasprintf("\033]52;c;%s\a", enc);
	fflush(stdout);
	ssize_t wr = write(STDOUT_FILENO, seq, strlen(seq));
	(void)wr;
	ui_say(u, "copied %s", url);
	free(seq);
	free(enc);
	free(url);
}

/* argv for a program named by an environment variable that may carry its own
 * arguments ("code -w"), then extra (at most 2): split on spaces, no shell. */
static char **command(const char *program, const char *a1, const char *a2)
{
	char *copy = xstrdup(program);
	size_t n = 0;
	char **argv = xcalloc(strlen(program) / 2 + 5, sizeof(*argv));
	for (char *save = NULL, *w = strtok_r(copy, " \t", &save); w; w = strtok_r(NULL, " \t", &save))
		argv[n++] = xstrdup(w);
	free(copy);
	if (a1)
		argv[n++] = xstrdup(a1);
	if (a2)
		argv[n++] = xstrdup(a2);
	return argv;
}

static void command_free(char **argv)
{
	for (char **a = argv; *a; a++)
		free(*a);
	free(argv);
}

void ui_act_edit_code(struct ui *u)
{
	const store_feed_item *it = target(u);
	if (!it)
		return;
	char *file = NULL;
	long line = 0;
	int r = ui_issue_blamed(u->db, u->cfg, it->issue_id, &file, &line);
	if (r == -1) {
		ui_say(u, "#%d: no frame of the trace was blamed, so there is no line to open", it->number);
		return;
	}
	if (r < 0) {
		ui_say(u, "#%d: %s has no clone configured here (repo.%s.path)", it->number, it->repo, it->repo);
		return;
	}
	if (access(file, R_OK) != 0) {
		ui_say(u, "%s: not in the clone's working tree", file);
		free(file);
		return;
	}
	const char *editor = getenv("VISUAL");
	if (!editor || !*editor)
		editor = getenv("EDITOR");
	char at[32];
	snprintf(at, sizeof(at), "+%ld", line > 0 ? line : 1);
	char **argv = command(editor && *editor ? editor : "vi", at, file);
	/* the editor takes the terminal; the screen comes back as it was */
	def_prog_mode();
	endwin();
	pid_t pid = fork();
	if (pid == 0) {
		execvp(argv[0], argv);
		_exit(127);
	}
	int status = 0;
	while (pid > 0 && waitpid(pid, &status, 0) < 0)
		;
	reset_prog_mode();
	clearok(curscr, TRUE);
	refresh();
	if (pid < 0 || !WIFEXITED(status) || WEXITSTATUS(status) == 127)
		ui_say(u, "could not run %s (set $EDITOR)", argv[0]);
	else
		ui_say(u, "edited %s:%ld", file, line);
	command_free(argv);
	free(file);
}

void ui_act_open_url(struct ui *u)
{
	const store_feed_item *it = target(u);
	if (!it)
		return;
	const char *browser = getenv("BROWSER");
	bool display = (getenv("DISPLAY") && *getenv("DISPLAY")) || (getenv("WAYLAND_DISPLAY") && *getenv("WAYLAND_DISPLAY"));
	if (!browser || !*browser || !display) {
		/* over SSH there is no browser here: the terminal's clipboard is */
		ui_say(u, "%s: y copies the URL", !display ? "no display here" : "$BROWSER is not set");
		return;
	}
	char *url = it->url ? xstrdup(it->url) : xasprintf("https://github.com/%s/issues/%d", it->repo, it->number);
	char **argv = command(browser, url, NULL);
	/* detached (twice forked): the screen does not wait for the browser, and
	 * its output never lands on the screen */
	pid_t pid = fork();
	if (pid == 0) {
		if (fork() == 0) {
			setsid();
			int null = open("/dev/null", O_RDWR);
			if (null >= 0) {
				dup2(null, STDIN_FILENO);
				dup2(null, STDOUT_FILENO);
				dup2(null, STDERR_FILENO);
			}
			execvp(argv[0], argv);
			_exit(127);
		}
		_exit(0);
	}
	while (pid > 0 && waitpid(pid, NULL, 0) < 0)
		;
	ui_say(u, pid > 0 ? "opened %s" : "could not start the browser for %s", url);
	command_free(argv);
	free(url);
}

/* --- the settings and people panes' editors --- */

static void setting_done(struct ui *u, const char *text)
{
	char *err = NULL;
	if (config_save(u->db, u->cfg, u->target_key, text, &err) < 0) {
		ui_say(u, "%s", err ? err : "not saved");
		free(err);
		return;
	}
	u->prompt.open = false;
	ui_say(u, "saved %s", u->target_key);
	if (u->hooks && u->hooks->reload_config) {
		config fresh;
		if (u->hooks->reload_config(u->hooks->arg, &fresh) == 0) {
			config_free(u->cfg);
			*u->cfg = fresh;
		}
	}
	if (u->hooks && u->hooks->poll_now)
		u->hooks->poll_now(u->hooks->arg); /* the worker applies it on its next cycle */
	ui_reload(u);
}

static void user_done(struct ui *u, const char *text)
{
	csv c;
	csv_init(&c);
	char *err = NULL;
	store_user p;
	store_user_init(&p);
	int found = 0;
	if (csv_parse(&c, text, strlen(text), &err) < 0 || c.n != 1 ||
	    users_csv_read(u->db, c.rows[0].fields, c.rows[0].n, &p, &found, &err) < 0) {
		ui_say(u, "%s", err ? err : "one row: name,login,slack,active,emails,mail");
	} else if (found && u->target_user && p.id != u->target_user) {
		ui_say(u, "an email of this row belongs to someone else");
	} else {
		if (!found && u->target_user) {
			/* every email was changed: still the same person */
			p.id = u->target_user;
		}
		if (store_user_save(u->db, &p) < 0) {
			ui_say(u, "%s", store_error(u->db));
		} else {
			u->prompt.open = false;
			ui_say(u, "saved %s", p.display_name);
			ui_reload(u);
		}
	}
	store_user_free(&p);
	free(err);
	csv_free(&c);
}

static void repo_done(struct ui *u, const char *text)
{
	/* "owner/name /path/to/clone": the slug, then the path */
	char slug[200], path[400];
	if (sscanf(text, " %199s %399[^\n]", slug, path) != 2) {
		ui_say(u, "give the repository and its clone: owner/name /path/to/clone");
		return;
	}
	snprintf(u->target_key, sizeof(u->target_key), "repo.%s.path", slug);
	if (strlen(slug) + 10 >= sizeof(u->target_key)) {
		ui_say(u, "'%s' is too long for a repository name", slug);
		return;
	}
	setting_done(u, path);
}

void ui_act_new_repo(struct ui *u)
{
	ui_prompt_open(u, "new repository (owner/name /path/to/clone): ", "", repo_done);
}

void ui_act_new_user(struct ui *u)
{
	u->target_user = 0;
	ui_prompt_open(u, "new person (name,login,slack,active,emails,mail): ", "", user_done);
}

void ui_act_edit_setting(struct ui *u, size_t row)
{
	const struct setting_row *s = &u->data.settings[row];
	if (s->measured) {
		ui_say(u, "%s is measured, not set: `mahoraga calibrate --repo DIR --save` replays a "
		       "repository's fixes and keeps its own", s->key);
		return;
	}
	snprintf(u->target_key, sizeof(u->target_key), "%s", s->key);
	char label[100];
	snprintf(label, sizeof(label), "%s = ", s->key);
	ui_prompt_open(u, label, strcmp(s->value, "(unset)") && strcmp(s->value, "(set, hidden)") ? s->value : "",
		       setting_done);
}

void ui_act_edit_person(struct ui *u, size_t row)
{
	const store_user *p = &u->data.users.v[row];
	u->target_user = p->id;
	strbuf line = STRBUF_INIT;
	users_csv_write(&line, p);
	while (line.len && (line.buf[line.len - 1] == '\n' || line.buf[line.len - 1] == '\r'))
		line.buf[--line.len] = '\0';
	ui_prompt_open(u, "person (name,login,slack,active,emails,mail): ", line.buf, user_done);
	strbuf_release(&line);
}

static void spell_done(struct ui *u, const char *choice)
{
	char *err = NULL, *path = NULL;
	int64_t now = (int64_t)time(NULL);
	if (strcmp(choice, "accept") == 0) {
		if (!u->opt->spells_dir)
			ui_say(u, "no spells folder here: accept it with `mahoraga spells accept %lld`",
			       (long long)u->target_proposal);
		else if (proposal_accept(u->db, u->target_proposal, u->opt->spells_dir, now, &path, &err) < 0)
			ui_say(u, "not accepted: %s", err);
		else
			ui_say(u, "accepted into %s: it matches from the next triage on", path);
	} else if (strcmp(choice, "reject") == 0) {
		if (proposal_reject(u->db, u->target_proposal, now, &err) < 0)
			ui_say(u, "not rejected: %s", err);
		else
			ui_say(u, "rejected spell proposal %lld", (long long)u->target_proposal);
	}
	free(err);
	free(path);
	ui_reload(u);
}

void ui_act_decide_spell(struct ui *u, size_t row)
{
	const store_proposal *p = &u->data.proposals.v[row];
	u->target_proposal = p->id;
	char **labels = NULL, **values = NULL;
	size_t n = 0;
	menu_add(&labels, &values, &n, xstrdup("accept: add it to your spells"), "accept");
	menu_add(&labels, &values, &n, xstrdup("reject: never use it"), "reject");
	char title[120];
	snprintf(title, sizeof(title), "Spell %s, proposed by the LLM:", p->spell_id);
	ui_menu_open(u, title, labels, values, n, spell_done);
}
