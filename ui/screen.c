/* The command center's screen: layout, the action table, the main loop. */
#include <errno.h>
#include <locale.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include "ui_internal.h"
#include "xalloc.h"

/* The screen reloads from the store this often even without a wake-up, so
 * changes made by other processes show. */
#define RELOAD_SECONDS 5

void ui_say(struct ui *u, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(u->message, sizeof(u->message), fmt, ap);
	va_end(ap);
}

typedef void action_fn(struct ui *u);

static void next_pane(struct ui *u) { u->focus = (u->focus + 1) % N_PANES; }
static void prev_pane(struct ui *u) { u->focus = (u->focus + N_PANES - 1) % N_PANES; }

static void down(struct ui *u)
{
	struct pane *p = &u->panes[u->focus];
	if (p->selected + 1 < p->nvis)
		p->selected++;
}

static void up(struct ui *u)
{
	struct pane *p = &u->panes[u->focus];
	if (p->selected)
		p->selected--;
}

static void page(struct ui *u, int dir)
{
	struct pane *p = &u->panes[u->focus];
	size_t step = p->h > 3 ? (size_t)p->h - 3 : 1;
	if (dir > 0)
		p->selected = p->selected + step < p->nvis ? p->selected + step : (p->nvis ? p->nvis - 1 : 0);
	else
		p->selected = p->selected > step ? p->selected - step : 0;
}
static void page_down(struct ui *u) { page(u, 1); }
static void page_up(struct ui *u) { page(u, -1); }
static void first(struct ui *u) { u->panes[u->focus].selected = 0; }
static void last(struct ui *u)
{
	struct pane *p = &u->panes[u->focus];
	p->selected = p->nvis ? p->nvis - 1 : 0;
}

static void zoom(struct ui *u) { u->zoomed = u->zoomed < 0 ? u->focus : -1; }

/* `<` and `>`: the pane's previous or next order, as htop's */
static void sort_by(struct ui *u, int dir)
{
	struct pane *p = &u->panes[u->focus];
	int n = 0;
	while (p->ops->sorts && p->ops->sorts[n])
		n++;
	if (n < 2) {
		ui_say(u, "the %s pane has one order", p->ops->title);
		return;
	}
	p->sort = (p->sort + dir + n) % n;
	ui_pane_filter(p, &u->data);
	ui_say(u, "%s by %s", p->ops->title, p->ops->sorts[p->sort]);
}
static void sort_next(struct ui *u) { sort_by(u, 1); }
static void sort_prev(struct ui *u) { sort_by(u, -1); }

/* The open view's lines again (new data, a new width). */
static void detail_rebuild(struct ui *u)
{
	if (u->detail_issue)
		ui_detail_build(&u->detail, u->db, u->cfg, u->detail_issue, COLS - 2);
	else
		ui_file_build(&u->detail, u->db, &u->data, u->detail_repo, u->detail_path, COLS - 2);
}

void ui_issue_open(struct ui *u, int64_t issue_id)
{
	u->detail_issue = issue_id;
	detail_rebuild(u);
	u->detail_open = true;
	u->detail_top = 0;
}

void ui_file_open(struct ui *u, const char *repo, const char *path)
{
	u->detail_issue = 0;
	snprintf(u->detail_repo, sizeof(u->detail_repo), "%s", repo);
	snprintf(u->detail_path, sizeof(u->detail_path), "%s", path);
	detail_rebuild(u);
	u->detail_open = true;
	u->detail_top = 0;
}

/* Enter: what the focused pane does with its selected row */
static void enter(struct ui *u)
{
	const struct pane *p = &u->panes[u->focus];
	size_t row;
	if (!p->ops->enter || !ui_pane_current(p, &row))
		return;
	if (p->ops->enter_writes && u->opt->readonly) {
		ui_say(u, "read-only: nothing can be changed");
		return;
	}
	p->ops->enter(u, row);
}

static void filter_done(struct ui *u, const char *text)
{
	struct pane *p = &u->panes[u->focus];
	snprintf(p->filter, sizeof(p->filter), "%s", text);
	ui_pane_filter(p, &u->data);
}

static void filter_cancel(struct ui *u, const char *text)
{
	(void)text;
	filter_done(u, ""); /* Esc drops the filter, as less and tig do */
}

static void filter_pane(struct ui *u)
{
	char label[64];
	snprintf(label, sizeof(label), "filter %s (! inverts): ", u->panes[u->focus].ops->title);
	/* a new search, as in less and tig: the old filter is not typed onto */
	ui_prompt_open(u, label, "", filter_done);
	u->prompt.incremental = true;
	u->prompt.cancel = filter_cancel;
}

static void fold(struct ui *u)
{
	u->data.unfold = !u->data.unfold;
	ui_pane_filter(&u->panes[PANE_FEED], &u->data);
	ui_say(u, u->data.unfold ? "repeats shown as their own rows" : "repeats folded into the issue they repeat");
}

static void help(struct ui *u)
{
	u->help = !u->help;
	u->help_top = 0;
}
static void quit(struct ui *u) { u->quit = true; }

static void poll_now(struct ui *u)
{
	if (u->hooks && u->hooks->poll_now) {
		u->hooks->poll_now(u->hooks->arg);
		ui_say(u, "asked the worker to poll now");
	}
}

/* The bottom lines: the status line, and under it the hint bar of the keys
 * (not on a wall, where nobody is at the keyboard, nor on a tiny terminal,
 * whose rows go to the panes). Above them: the body. */
static bool has_bar(const struct ui *u) { return !u->opt->wall && LINES >= 16; }
static int status_y(const struct ui *u) { return LINES - 1 - has_bar(u); }

/* --- the issue view's keys --- */

static size_t issue_rows(const struct ui *u) { return status_y(u) > 1 ? (size_t)status_y(u) - 1 : 1; }
static size_t issue_last_top(const struct ui *u)
{
	return u->detail.n > issue_rows(u) ? u->detail.n - issue_rows(u) : 0;
}
static void issue_scroll(struct ui *u, long by)
{
	long top = (long)u->detail_top + by, last = (long)issue_last_top(u);
	u->detail_top = (size_t)(top < 0 ? 0 : top > last ? last : top);
}
static void issue_down(struct ui *u) { issue_scroll(u, 1); }
static void issue_up(struct ui *u) { issue_scroll(u, -1); }
static void issue_page_down(struct ui *u) { issue_scroll(u, (long)issue_rows(u)); }
static void issue_page_up(struct ui *u) { issue_scroll(u, -(long)issue_rows(u)); }
static void issue_half_down(struct ui *u) { issue_scroll(u, (long)issue_rows(u) / 2); }
static void issue_half_up(struct ui *u) { issue_scroll(u, -(long)issue_rows(u) / 2); }
static void issue_first(struct ui *u) { u->detail_top = 0; }
static void issue_end(struct ui *u) { u->detail_top = issue_last_top(u); }
static void issue_close(struct ui *u) { u->detail_open = false; }

/* The next line after the top (dir 1) or before it (-1) that holds the search
 * text, wrapping around, as less does; the view scrolls to it. */
static void issue_find(struct ui *u, int dir)
{
	size_t n = u->detail.n;
	if (!u->detail_search[0] || !n) {
		ui_say(u, "/ searches the issue");
		return;
	}
	for (size_t k = 1; k <= n; k++) {
		size_t i = (u->detail_top + (dir > 0 ? k : n - k)) % n;
		if (strcasestr(u->detail.v[i], u->detail_search)) {
			u->detail_top = i;
			ui_say(u, "/%s: line %zu of %zu", u->detail_search, i + 1, n);
			return;
		}
	}
	ui_say(u, "/%s: not in the issue", u->detail_search);
}
static void issue_next(struct ui *u) { issue_find(u, 1); }
static void issue_prev(struct ui *u) { issue_find(u, -1); }

static void issue_search_done(struct ui *u, const char *text)
{
	u->prompt.open = false;
	snprintf(u->detail_search, sizeof(u->detail_search), "%s", text);
	/* from the top line itself: a match on screen is found first */
	if (u->detail_top)
		u->detail_top--;
	else
		u->detail_top = u->detail.n ? u->detail.n - 1 : 0;
	issue_find(u, 1);
}
static void issue_search(struct ui *u) { ui_prompt_open(u, "search the issue: ", "", issue_search_done); }

/* --- the help's keys --- */

static void help_down(struct ui *u) { u->help_top++; }
static void help_up(struct ui *u)
{
	if (u->help_top)
		u->help_top--;
}

/* Where a key works: the panes, the issue view, the help, and the modal
 * inputs over them (the input line, the pick list, the yes/no question). */
enum { IN_PANES = 1, IN_ISSUE = 2, IN_HELP = 4, IN_PROMPT = 8, IN_MENU = 16, IN_CONFIRM = 32 };
#define N_CONTEXTS 6

/* One list for every key: it dispatches them, it is the help screen, and the
 * man page's key sections are checked against it (tests/test_ui.c). A
 * `write` action is refused here, once, in --readonly. An entry without a
 * name is another key for the entry above it. */
static const struct action {
	int key;
	const char *name;
	const char *help;
	action_fn *fn;
	unsigned in;
	bool write;
	const char *bar;     /* its words in the hint bar (htop's function bar), or NULL */
} actions[] = {
	{ '\t', "Tab", "next pane", next_pane, IN_PANES, false, "Tab pane" },
	{ KEY_BTAB, "S-Tab", "previous pane", prev_pane, IN_PANES, false, NULL },
	{ 'l', "l, h", "next, previous pane (vi)", next_pane, IN_PANES, false, NULL },
	{ 'h', NULL, NULL, prev_pane, IN_PANES, false, NULL },
	{ 'j', "j, Down", "move down", down, IN_PANES, false, NULL },
	{ KEY_DOWN, NULL, NULL, down, IN_PANES, false, NULL },
	{ 'k', "k, Up", "move up", up, IN_PANES, false, NULL },
	{ KEY_UP, NULL, NULL, up, IN_PANES, false, NULL },
	{ KEY_NPAGE, "PgDn, ^F", "page down", page_down, IN_PANES, false, NULL },
	{ 6, NULL, NULL, page_down, IN_PANES, false, NULL },
	{ KEY_PPAGE, "PgUp, ^B", "page up", page_up, IN_PANES, false, NULL },
	{ 2, NULL, NULL, page_up, IN_PANES, false, NULL },
	{ 'g', "g, Home", "first row", first, IN_PANES, false, NULL },
	{ KEY_HOME, NULL, NULL, first, IN_PANES, false, NULL },
	{ 'G', "G, End", "last row", last, IN_PANES, false, NULL },
	{ KEY_END, NULL, NULL, last, IN_PANES, false, NULL },
	{ 'z', "z", "zoom the pane to the whole screen (again: back)", zoom, IN_PANES, false, NULL },
	{ '>', ">, <", "sort the pane by its next, previous order", sort_next, IN_PANES, false, NULL },
	{ '<', NULL, NULL, sort_prev, IN_PANES, false, NULL },
	{ '/', "/", "filter the pane as you type (!text: rows without it)", filter_pane, IN_PANES, false, "/ filter" },
	{ 'f', "f", "fold duplicates into the issue they repeat, or show them", fold, IN_PANES, false, NULL },
	{ '\n', "Enter", "open: the issue, a person's issues, who knows a file; edit", enter, IN_PANES,
	  false, "Enter open" },
	{ KEY_ENTER, NULL, NULL, enter, IN_PANES, false, NULL },
	{ '\r', NULL, NULL, enter, IN_PANES, false, NULL },
	{ 'j', "j, Down", "scroll down", issue_down, IN_ISSUE, false, "j/k scroll" },
	{ KEY_DOWN, NULL, NULL, issue_down, IN_ISSUE, false, NULL },
	{ 'k', "k, Up", "scroll up", issue_up, IN_ISSUE, false, NULL },
	{ KEY_UP, NULL, NULL, issue_up, IN_ISSUE, false, NULL },
	{ ' ', "Space, ^F", "page down", issue_page_down, IN_ISSUE, false, NULL },
	{ KEY_NPAGE, NULL, NULL, issue_page_down, IN_ISSUE, false, NULL },
	{ 6, NULL, NULL, issue_page_down, IN_ISSUE, false, NULL },
	{ 'b', "b, ^B", "page up", issue_page_up, IN_ISSUE, false, NULL },
	{ KEY_PPAGE, NULL, NULL, issue_page_up, IN_ISSUE, false, NULL },
	{ 2, NULL, NULL, issue_page_up, IN_ISSUE, false, NULL },
	{ 4, "^D, ^U", "half a page down, up", issue_half_down, IN_ISSUE, false, NULL },
	{ 21, NULL, NULL, issue_half_up, IN_ISSUE, false, NULL },
	{ 'g', "g, Home", "top", issue_first, IN_ISSUE, false, NULL },
	{ KEY_HOME, NULL, NULL, issue_first, IN_ISSUE, false, NULL },
	{ 'G', "G, End", "bottom", issue_end, IN_ISSUE, false, NULL },
	{ KEY_END, NULL, NULL, issue_end, IN_ISSUE, false, NULL },
	{ '/', "/", "search the issue (then n, N: next, previous match)", issue_search, IN_ISSUE, false,
	  "/ search" },
	{ 'n', NULL, NULL, issue_next, IN_ISSUE, false, NULL },
	{ 'N', NULL, NULL, issue_prev, IN_ISSUE, false, NULL },
	{ 'q', "q, Esc", "back to the panes", issue_close, IN_ISSUE, false, "q back" },
	{ 27, NULL, NULL, issue_close, IN_ISSUE, false, NULL },
	{ 'a', "a", "accept the proposed assignee", ui_act_accept, IN_PANES | IN_ISSUE, true, "a accept" },
	{ 'R', "R", "reassign: pick someone, give a reason", ui_act_reassign, IN_PANES | IN_ISSUE, true,
	  "R reassign" },
	{ 'H', "H", "send to human triage (asks first)", ui_act_human, IN_PANES | IN_ISSUE, true, "H human" },
	{ 'A', "A", "approve the draft fix", ui_act_approve, IN_PANES | IN_ISSUE, true, NULL },
	{ 'X', "X", "reject the draft fix, deleting its branch (asks first)", ui_act_reject, IN_PANES | IN_ISSUE,
	  true, NULL },
	{ 'T', "T", "triage the issue again", ui_act_retriage, IN_PANES | IN_ISSUE, true, NULL },
	{ 'y', "y", "copy the issue's URL (OSC 52: works over SSH)", ui_act_copy_url, IN_PANES | IN_ISSUE, false,
	  NULL },
	{ 'o', "o", "open the issue in $BROWSER (where there is a display)", ui_act_open_url, IN_PANES | IN_ISSUE,
	  false, NULL },
	{ 'e', "e", "edit the blamed file at its line in $EDITOR (the clone)", ui_act_edit_code,
	  IN_PANES | IN_ISSUE, false, NULL },
	{ 'n', "n", "add a person", ui_act_new_user, IN_PANES, true, NULL },
	{ 'N', "N", "add a repository by its clone; Enter on its inbox row sets one", ui_act_new_repo, IN_PANES,
	  true, NULL },
	{ 'r', "r", "ask the worker to poll the sources now", poll_now, IN_PANES, true, NULL },
	{ '?', "?", "this help", help, IN_PANES | IN_ISSUE, false, "? help" },
	{ 'q', "q", "quit", quit, IN_PANES, false, "q quit" },
	{ 'j', "j, Down", "scroll the help down (any other key closes it)", help_down, IN_HELP, false,
	  "j/k scroll, any other key closes" },
	{ KEY_DOWN, NULL, NULL, help_down, IN_HELP, false, NULL },
	{ 'k', "k, Up", "scroll the help up", help_up, IN_HELP, false, NULL },
	{ KEY_UP, NULL, NULL, help_up, IN_HELP, false, NULL },
	{ '\n', "Enter", "keep the text (a setting is checked before it is saved)", ui_prompt_enter, IN_PROMPT,
	  false, "Enter keeps" },
	{ KEY_ENTER, NULL, NULL, ui_prompt_enter, IN_PROMPT, false, NULL },
	{ '\r', NULL, NULL, ui_prompt_enter, IN_PROMPT, false, NULL },
	{ 27, "Esc", "cancel (a filter is dropped)", ui_prompt_cancel, IN_PROMPT, false, "Esc cancels" },
	{ KEY_BACKSPACE, "BSpace", "delete the last character", ui_prompt_backspace, IN_PROMPT, false, NULL },
	{ 127, NULL, NULL, ui_prompt_backspace, IN_PROMPT, false, NULL },
	{ 8, NULL, NULL, ui_prompt_backspace, IN_PROMPT, false, NULL },
	{ 21, "^U", "clear the line, as a shell does", ui_prompt_clear, IN_PROMPT, false, "^U clears" },
	{ 'j', "j, Down", "next", ui_menu_down, IN_MENU, false, "j/k choose" },
	{ KEY_DOWN, NULL, NULL, ui_menu_down, IN_MENU, false, NULL },
	{ 'k', "k, Up", "previous", ui_menu_up, IN_MENU, false, NULL },
	{ KEY_UP, NULL, NULL, ui_menu_up, IN_MENU, false, NULL },
	{ '\n', "Enter", "pick it", ui_menu_pick, IN_MENU, false, "Enter picks" },
	{ KEY_ENTER, NULL, NULL, ui_menu_pick, IN_MENU, false, NULL },
	{ '\r', NULL, NULL, ui_menu_pick, IN_MENU, false, NULL },
	{ 27, "Esc, q", "cancel", ui_modal_close, IN_MENU, false, "Esc cancels" },
	{ 'q', NULL, NULL, ui_modal_close, IN_MENU, false, NULL },
	{ 'y', "y", "yes (any other key: no)", ui_confirm_yes, IN_CONFIRM, false, "y yes, any other key no" },
	{ 'Y', NULL, NULL, ui_confirm_yes, IN_CONFIRM, false, NULL },
};
#define N_ACTIONS (sizeof(actions) / sizeof(*actions))

/* Two columns: the left a third of the width; in each, the panes of that
 * column stacked by their height shares (a wall's own shares give the feed and
 * the bars most of the height). The last line is the status line. */
static void layout(struct ui *u)
{
	int rows = status_y(u), cols = COLS;
	int left = cols / 3 < 28 ? (cols < 56 ? cols / 2 : 28) : cols / 3;
	for (int c = 0; c < 2; c++) {
		int total = 0, sum = 0;
		for (int i = 0; i < N_PANES; i++)
			if (ui_panes[i]->column == c)
				total += u->opt->wall ? ui_panes[i]->wall_height : ui_panes[i]->height;
		for (int i = 0; i < N_PANES; i++) {
			const struct pane_ops *o = ui_panes[i];
			if (o->column != c)
				continue;
			struct pane *p = &u->panes[i];
			int y = total ? rows * sum / total : 0;
			sum += u->opt->wall ? o->wall_height : o->height;
			p->y = y, p->h = (total ? rows * sum / total : rows) - y;
			p->x = c ? left : 0, p->w = c ? cols - left : left;
		}
	}
	if (u->zoomed >= 0) {
		struct pane *p = &u->panes[u->zoomed];
		p->y = 0, p->x = 0, p->h = rows, p->w = cols;
	}
}

/* When a pane's data was last refreshed at its source, and whether that is too
 * long ago: by default the screen's own reading of the store. */
static time_t pane_fresh(const struct ui *u, int i, bool *stale)
{
	if (ui_panes[i]->fresh)
		return ui_panes[i]->fresh(&u->data, stale);
	*stale = u->data.now - u->data.loaded_at > 3 * RELOAD_SECONDS;
	return u->data.loaded_at;
}

static void frame(struct ui *u, int i)
{
	struct pane *p = &u->panes[i];
	if (p->h < 3 || p->w < 4)
		return;
	bool f = i == u->focus;
	int attr = (u->color ? COLOR_PAIR(f ? C_FOCUS : C_DIM) : 0) | (f ? A_BOLD : 0);
	attron(attr);
	mvhline(p->y, p->x, ACS_HLINE, p->w);
	mvhline(p->y + p->h - 1, p->x, ACS_HLINE, p->w);
	mvvline(p->y, p->x, ACS_VLINE, p->h);
	mvvline(p->y, p->x + p->w - 1, ACS_VLINE, p->h);
	mvaddch(p->y, p->x, ACS_ULCORNER);
	mvaddch(p->y, p->x + p->w - 1, ACS_URCORNER);
	mvaddch(p->y + p->h - 1, p->x, ACS_LLCORNER);
	mvaddch(p->y + p->h - 1, p->x + p->w - 1, ACS_LRCORNER);
	char title[200], count[64];
	size_t total = p->ops->rows(&u->data);
	if (p->ops->count)
		p->ops->count(&u->data, total, count, sizeof(count));
	else
		snprintf(count, sizeof(count), "%zu", total);
	char by[48] = "";
	if (p->sort > 0)
		snprintf(by, sizeof(by), ", by %s", p->ops->sorts[p->sort]);
	if (p->filter[0])
		snprintf(title, sizeof(title), " %s (%zu of %s%s, /%s) ", p->ops->title, p->nvis, count, by, p->filter);
	else
		snprintf(title, sizeof(title), " %s (%s%s) ", p->ops->title, count, by);
	int used = ui_put(stdscr, p->y, p->x + 2, title, p->w - 4);
	attroff(attr);
	/* how fresh, on the frame's right; a warning when stale */
	bool stale;
	time_t at = pane_fresh(u, i, &stale);
	char age[16], fresh[40];
	ui_age(at, u->data.now, age, sizeof(age));
	snprintf(fresh, sizeof(fresh), at ? " %s%s ago " : " %snever polled ", stale ? "STALE " : "", at ? age : "");
	int fw = (int)strlen(fresh);
	if (p->w - 4 - used > fw) {
		int a = stale ? (u->color ? COLOR_PAIR(C_STALE) | A_BOLD : A_BOLD) : (u->color ? COLOR_PAIR(C_DIM) : 0);
		attron(a);
		ui_put(stdscr, p->y, p->x + p->w - 2 - fw, fresh, fw);
		attroff(a);
	}
}

/* The help's lines: a heading per context, then its named actions. */
static const char *const help_heading[N_CONTEXTS] = {
	"In the panes", "In the issue view", "In the help", "In the input line", "In a pick list",
	"In a yes/no question",
};

/* Where the keys go now: the innermost of what is open. */
static unsigned context(const struct ui *u)
{
	return u->confirm.open ? IN_CONFIRM : u->menu.open ? IN_MENU : u->prompt.open ? IN_PROMPT
	       : u->help ? IN_HELP : u->detail_open ? IN_ISSUE : IN_PANES;
}

/* text for roff: a backslash doubled, a minus as \-, a leading dot kept */
static void roff_put(FILE *out, const char *s)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", out);
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\\\", out);
		else if (*s == '-')
			fputs("\\-", out);
		else
			fputc(*s, out);
	}
}

void ui_keys_roff(FILE *out)
{
	for (unsigned c = 0; c < N_CONTEXTS; c++) {
		fprintf(out, ".SS %s\n", help_heading[c]);
		for (size_t i = 0; i < N_ACTIONS; i++) {
			if (!actions[i].name || !(actions[i].in & (1u << c)))
				continue;
			fputs(".TP\n.B ", out);
			roff_put(out, actions[i].name);
			fputc('\n', out);
			roff_put(out, actions[i].help);
			fputs(actions[i].write ? " (not in \\-\\-readonly)\n" : "\n", out);
		}
	}
}

/* The help: every named action of the table, by context, over the whole
 * screen, scrolled with j/k when the terminal is too short for it. */
static void draw_help(struct ui *u)
{
	int rows = status_y(u), w = COLS;
	size_t n = 2;
	for (unsigned c = 0; c < N_CONTEXTS; c++) {
		n += 2;
		for (size_t i = 0; i < N_ACTIONS; i++)
			n += actions[i].name && (actions[i].in & (1u << c));
	}
	if (u->help_top + (size_t)rows > n)
		u->help_top = n > (size_t)rows ? n - (size_t)rows : 0;
	for (int r = 0; r < rows; r++)
		mvhline(r, 0, ' ', w);
	int r = 0;
	size_t line = 0;
	if (line++ >= u->help_top) {
		attron(A_BOLD);
		ui_put(stdscr, r++, 2,
		       u->opt->readonly ? "Keys (read-only: changes are off). j/k scroll, any other key closes"
					: "Keys. j/k scroll, any other key closes",
		       w - 4);
		attroff(A_BOLD);
	}
	for (unsigned c = 0; c < N_CONTEXTS && r < rows; c++) {
		if (line++ >= u->help_top)
			r++;
		if (line++ >= u->help_top && r < rows) {
			attron(A_BOLD);
			ui_put(stdscr, r++, 2, help_heading[c], w - 4);
			attroff(A_BOLD);
		}
		for (size_t i = 0; i < N_ACTIONS && r < rows; i++) {
			if (!actions[i].name || !(actions[i].in & (1u << c)) || line++ < u->help_top)
				continue;
			if (actions[i].write && u->opt->readonly)
				attron(A_DIM);
			ui_put(stdscr, r, 2, actions[i].name, 10);
			ui_put(stdscr, r, 13, actions[i].help, w - 15);
			if (actions[i].write && u->opt->readonly)
				attroff(A_DIM);
			r++;
		}
	}
}

static void draw_detail(struct ui *u)
{
	for (int r = 0; r < status_y(u); r++) {
		move(r, 0);
		clrtoeol();
		if (u->detail_top + (size_t)r >= u->detail.n)
			continue;
		const char *line = u->detail.v[u->detail_top + (size_t)r];
		int attr = 0;
		if (*line == UI_LINE_HEAD)
			attr = A_BOLD | (u->color ? COLOR_PAIR(C_FOCUS) : 0);
		else if (*line == UI_LINE_MARK)
			attr = A_BOLD | (u->color ? COLOR_PAIR(C_WARN) : A_REVERSE);
		if (attr)
			line++;
		attron(attr);
		ui_put(stdscr, r, 1, line, COLS - 2);
		attroff(attr);
	}
}

/* A pane's inside: its column headings when it has room for them, then its
 * rows from the first that keeps the selection on screen. */
static void draw_pane(struct ui *u, struct pane *p, bool big)
{
	int y = p->y + 1, x = p->x + 1, rows = p->h - 2, inner = p->w - 2;
	if (!p->nvis) {
		ui_put(stdscr, y, x, p->filter[0] ? "nothing matches the filter" : p->ops->empty, inner);
		return;
	}
	if (p->ops->header && rows >= 6) { /* small panes keep their rows */
		char head[600];
		p->ops->header(&u->data, inner, head, sizeof(head));
		int a = A_BOLD | (u->color ? COLOR_PAIR(C_DIM) : A_UNDERLINE);
		attron(a);
		ui_put(stdscr, y, x, head, inner);
		attroff(a);
		y++, rows--;
	}
	p->rows_y = y;
	p->top = rows > 0 && p->selected >= (size_t)rows ? p->selected - (size_t)rows + 1 : 0;
	p->ops->draw(stdscr, p, &u->data, y, x, rows, inner, u->color, big);
}

/* The hint bar: the keys of the current context that the table marks for it,
 * the ones that change something left out when nothing may be changed. */
static void draw_bar(struct ui *u)
{
	unsigned in = context(u);
	char bar[400] = "";
	size_t len = 0;
	for (size_t i = 0; i < N_ACTIONS && len < sizeof(bar); i++) {
		const struct action *a = &actions[i];
		if (!a->bar || !(a->in & in) || (a->write && u->opt->readonly))
			continue;
		len += (size_t)snprintf(bar + len, sizeof(bar) - len, "%s%s", len ? "  " : " ", a->bar);
	}
	mvhline(LINES - 1, 0, ' ', COLS);
	ui_put(stdscr, LINES - 1, 0, bar, COLS);
}

/* The feed's issue numbers as OSC 8 hyperlinks, so that a click opens the
 * issue even over SSH (where o has no browser to run). ncurses cannot attach a
 * link to cells, so the numbers curses just drew are written again, the same
 * text in the same attributes, inside the link's escape; the cursor and its
 * attributes are saved and restored around it (DECSC, DECRC), so curses'
 * idea of the terminal stays true. A terminal without OSC 8 ignores it. Only
 * when nothing covers the feed. */
static void links(struct ui *u)
{
	const struct pane *p = &u->panes[PANE_FEED];
	if (!u->links || u->help || u->detail_open || u->menu.open || (u->zoomed >= 0 && u->zoomed != PANE_FEED) ||
	    p->h < 3 || p->w < 10) {
		u->links_drawn = 0; /* covered: drawn again when it shows */
		return;
	}
	int rows = p->y + p->h - 1 - p->rows_y;
	/* written again only when the cells under them may have been: other
	 * issues, rows, selection or size (curses sends only what changed, and
	 * leaves the linked cells alone otherwise) */
	uint64_t h = 1469598103934665603ULL;
	uint64_t parts[] = { (uint64_t)LINES, (uint64_t)COLS, (uint64_t)p->x, (uint64_t)p->rows_y, p->top, p->selected,
			     p->nvis };
	for (size_t i = 0; i < sizeof(parts) / sizeof(*parts); i++)
		h = (h ^ parts[i]) * 1099511628211ULL;
	for (int r = 0; r < rows && p->top + (size_t)r < p->nvis; r++)
		h = (h ^ (uint64_t)u->data.feed.v[p->vis[p->top + (size_t)r]].issue_id) * 1099511628211ULL;
	if (h == u->links_drawn)
		return;
	u->links_drawn = h;
	fputs("\0337", u->links);
	for (int r = 0; r < rows && p->top + (size_t)r < p->nvis; r++) {
		size_t shown = p->top + (size_t)r;
		const store_feed_item *it = &u->data.feed.v[p->vis[shown]];
		char *url = it->url ? xstrdup(it->url) : xasprintf("https://github.com/%s/issues/%d", it->repo, it->number);
		/* only what a URL may hold: stored URLs are sanitized, this keeps an
		 * escape out even so */
		bool clean = true;
		for (const char *c = url; *c; c++)
			clean &= *c > 0x20 && *c < 0x7f;
		if (clean)
			fprintf(u->links, "\033[%d;%dH%s\033]8;;%s\033\\#%d\033]8;;\033\\\033[0m", p->rows_y + r + 1, p->x + 2,
				shown == p->selected ? "\033[7m" : "\033[0m", url, it->number);
		free(url);
	}
	fputs("\0338", u->links);
	fflush(u->links);
}

static time_t clock_now(const struct ui *u) { return u->opt->now ? u->opt->now : time(NULL); }

static void draw(struct ui *u)
{
	u->data.now = clock_now(u);
	erase();
	layout(u);
	bool big = u->opt->wall && LINES >= 50;
	for (int i = 0; i < N_PANES; i++) {
		struct pane *p = &u->panes[i];
		if ((u->zoomed >= 0 && u->zoomed != i) || p->h < 3 || p->w < 4)
			continue;
		frame(u, i);
		draw_pane(u, p, big);
	}
	if (u->detail_open)
		draw_detail(u); /* the issue view covers the panes, the status line stays */
	/* the status line: the last key's message first (it is what the user is
	 * looking for), then the worker, the data's age, the database */
	char status[160] = "no worker", age[16], line[600];
	if (u->hooks && u->hooks->status)
		u->hooks->status(u->hooks->arg, status, sizeof(status));
	ui_age(u->data.loaded_at, u->data.now, age, sizeof(age));
	char services[200];
	ui_services_text(&u->data, services, sizeof(services));
	if (u->opt->wall) {
		/* a wall has no one at the keyboard: how fresh the data is, which is
		 * the worker's last cycle, not when the screen last read it (a STALE
		 * pane beside "updated 3s ago" said two things at once) */
		char cycle[16];
		time_t now = u->data.now;
		ui_age(u->data.last_cycle, now, cycle, sizeof(cycle));
		bool stale = !u->data.last_cycle || now - u->data.last_cycle > u->data.stale_after;
		if (!u->data.last_cycle)
			snprintf(line, sizeof(line), " mahoraga wall | no worker has run: start `mahoraga poll` | %s",
				 u->opt->db_path ? u->opt->db_path : "");
		else
			snprintf(line, sizeof(line), " mahoraga wall | %s %s ago%s | %s%s%s",
				 stale ? "STALE: the worker's last cycle was" : "worker's last cycle", cycle,
				 stale ? ", is `mahoraga poll` running?" : "", services, services[0] ? " | " : "",
				 u->opt->db_path ? u->opt->db_path : "");
	} else {
		/* without a hint bar the keys go before the database's path: a long
		 * path is what gets cut at 80 columns, never "? help" */
		snprintf(line, sizeof(line), " %s%s%sworker: %s | data %s old | %s%s%s%s",
			 u->opt->readonly ? "READ-ONLY | " : "", u->message, u->message[0] ? " | " : "", status, age,
			 services, services[0] ? " | " : "",
			 has_bar(u) ? "" : u->detail_open ? "? help  q back | " : "? help  q quit | ",
			 u->opt->db_path ? u->opt->db_path : "");
	}
	int sy = status_y(u);
	attron(u->color ? COLOR_PAIR(C_TITLE) : A_REVERSE);
	mvhline(sy, 0, ' ', COLS);
	ui_put(stdscr, sy, 0, line, COLS);
	attroff(u->color ? COLOR_PAIR(C_TITLE) : A_REVERSE);
	if (has_bar(u))
		draw_bar(u);
	if (u->data.error[0] && sy > 0) {
		/* above the status line, where it cannot be missed */
		int a = A_BOLD | (u->color ? COLOR_PAIR(C_WARN) : A_REVERSE);
		attron(a);
		mvhline(sy - 1, 0, ' ', COLS);
		ui_put(stdscr, sy - 1, 1, u->data.error, COLS - 2);
		attroff(a);
	}
	ui_modal_draw(u);
	if (u->help)
		draw_help(u);
	refresh();
	links(u);
}

/* 256 colors, else the 8 basic ones, else none: the screen still says
 * everything through bold, reverse and marks. */
static void setup_colors(struct ui *u)
{
	u->color = !u->opt->no_color && !getenv("NO_COLOR") && has_colors();
	if (!u->color)
		return;
	start_color();
	use_default_colors(); /* the terminal's own background */
	bool c256 = COLORS >= 256;
	init_pair(C_TITLE, COLOR_BLACK, COLOR_CYAN);
	init_pair(C_FOCUS, c256 ? 39 : COLOR_CYAN, -1);
	init_pair(C_WARN, c256 ? 203 : COLOR_RED, -1);
	init_pair(C_GOOD, c256 ? 114 : COLOR_GREEN, -1);
	init_pair(C_DIM, c256 ? 244 : COLOR_WHITE, -1);
	init_pair(C_BAR, c256 ? 71 : COLOR_GREEN, -1);
	init_pair(C_STALE, c256 ? 214 : COLOR_YELLOW, -1);
}

/* A click selects the pane and the row under it; the wheel scrolls. */
static void mouse(struct ui *u)
{
	MEVENT ev;
	if (getmouse(&ev) != OK || u->detail_open)
		return;
	for (int i = 0; i < N_PANES; i++) {
		struct pane *p = &u->panes[i];
		if ((u->zoomed >= 0 && u->zoomed != i) || ev.y < p->y || ev.y >= p->y + p->h || ev.x < p->x ||
		    ev.x >= p->x + p->w)
			continue;
		u->focus = i;
		if (ev.bstate & BUTTON4_PRESSED) {
			up(u);
		} else if (ev.bstate & BUTTON5_PRESSED) {
			down(u);
		} else if (ev.y >= p->rows_y && ev.y < p->y + p->h - 1) {
			/* the rows as they were drawn: under the headings, from p->top */
			size_t row = p->top + (size_t)(ev.y - p->rows_y);
			if (row < p->nvis)
				p->selected = row;
		}
	}
}

static void key(struct ui *u, int ch)
{
	unsigned in = context(u);
	bool modal = in & (IN_PROMPT | IN_MENU | IN_CONFIRM);
	if (!modal)
		u->message[0] = '\0'; /* a refusal stays beside the open input line */
	if (ch == KEY_MOUSE) {
		if (!modal)
			mouse(u);
		return;
	}
	for (size_t i = 0; i < N_ACTIONS; i++) {
		const struct action *a = &actions[i];
		if (a->key != ch || !(a->in & in))
			continue;
		if (a->write && u->opt->readonly)
			ui_say(u, "read-only: nothing can be changed");
		else
			a->fn(u);
		return;
	}
	/* what no entry takes */
	if (in == IN_PROMPT)
		ui_prompt_type(u, ch); /* a character of the text */
	else if (in == IN_CONFIRM)
		ui_confirm_no(u);
	else if (in == IN_HELP)
		u->help = false; /* any other key closes the help */
}

void ui_reload(struct ui *u)
{
	ui_data_load(&u->data, u->db, u->cfg);
	u->data.loaded_at = u->data.now = clock_now(u);
	/* the selection stays where it was, within the new rows */
	for (int i = 0; i < N_PANES; i++)
		ui_pane_filter(&u->panes[i], &u->data);
	if (u->detail_open)
		detail_rebuild(u);
}

static void ui_init(struct ui *u, store *db, config *cfg, const ui_hooks *hooks, const ui_options *opt)
{
	memset(u, 0, sizeof(*u));
	u->db = db;
	u->cfg = cfg;
	u->hooks = hooks;
	u->opt = opt;
	u->zoomed = -1;
	u->focus = PANE_FEED;
	for (int i = 0; i < N_PANES; i++)
		u->panes[i].ops = ui_panes[i];
	cbreak();
	noecho();
	set_escdelay(25); /* Esc closes the issue view without a pause */
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	setup_colors(u);
}

static void ui_done(struct ui *u)
{
	endwin();
	ui_modal_close(u);
	ui_lines_free(&u->detail);
	ui_data_free(&u->data);
	for (int i = 0; i < N_PANES; i++)
		free(u->panes[i].vis);
}

int ui_run(store *db, config *cfg, const ui_hooks *hooks, const ui_options *opt)
{
	setlocale(LC_ALL, "");
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return -1;
	/* newterm, not initscr: an unknown TERM is an answer, not an exit; and a
	 * terminal that cannot place the cursor (TERM=dumb) would draw nothing */
	SCREEN *scr = newterm(NULL, stdout, stdin);
	if (!scr)
		return -2;
	const char *cup = tigetstr("cup");
	if (!cup || cup == (const char *)-1) {
		endwin();
		delscreen(scr);
		return -2;
	}
	struct ui u;
	ui_init(&u, db, cfg, hooks, opt);
	/* the Linux console shows an OSC it does not know */
	const char *term = getenv("TERM");
	u.links = term && strcmp(term, "linux") != 0 ? stdout : NULL;
	mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
	mouseinterval(0);
	/* the store first, at once; the worker's results merge in as they come */
	ui_reload(&u);
	draw(&u);
	while (!u.quit) {
		struct pollfd fds[2] = { { STDIN_FILENO, POLLIN, 0 }, { hooks ? hooks->wake_fd : -1, POLLIN, 0 } };
		int n = poll(fds, hooks && hooks->wake_fd >= 0 ? 2 : 1, 1000);
		if (n < 0 && errno != EINTR)
			break;
		bool again = time(NULL) - u.data.loaded_at >= RELOAD_SECONDS;
		if (n > 0 && hooks && hooks->wake_fd >= 0 && (fds[1].revents & POLLIN)) {
			char buf[64];
			while (read(hooks->wake_fd, buf, sizeof(buf)) > 0)
				;
			again = true;
		}
		int ch;
		while ((ch = getch()) != ERR) {
			if (ch == KEY_RESIZE) {
				u.links_drawn = 0;
				if (u.detail_open) /* rewrap at the new width */
					detail_rebuild(&u);
				continue;
			}
			key(&u, ch);
		}
		if (again)
			ui_reload(&u);
		draw(&u);
	}
	ui_done(&u);
	delscreen(scr);
	return 0;
}

static double seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A key as tests name it: one character, C-x for a control key, or a name. */
static int key_code(const char *tok, size_t len)
{
	static const struct { const char *name; int code; } names[] = {
		{ "Tab", '\t' }, { "S-Tab", KEY_BTAB }, { "Enter", '\n' }, { "Esc", 27 }, { "Space", ' ' },
		{ "Up", KEY_UP }, { "Down", KEY_DOWN }, { "PgUp", KEY_PPAGE }, { "PgDn", KEY_NPAGE },
		{ "Home", KEY_HOME }, { "End", KEY_END }, { "BSpace", KEY_BACKSPACE },
	};
	if (len == 1)
		return (unsigned char)*tok;
	if (len == 3 && tok[0] == 'C' && tok[1] == '-')
		return tok[2] & 0x1f;
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (strlen(names[i].name) == len && memcmp(names[i].name, tok, len) == 0)
			return names[i].code;
	return -1;
}

int ui_dump(store *db, config *cfg, const ui_options *opt, int cols, int rows, const char *keys, int frames,
	    FILE *out, struct ui_dump_times *t)
{
	setlocale(LC_ALL, "");
	FILE *sink = fopen("/dev/null", "w+");
	if (!sink)
		return -1;
	const char *term = getenv("TERM");
	SCREEN *scr = newterm(term && *term ? term : "xterm-256color", sink, sink);
	if (!scr) {
		fclose(sink);
		return -1;
	}
	resizeterm(rows, cols);
	struct ui u;
	ui_init(&u, db, cfg, NULL, opt);
	double t0 = seconds();
	ui_reload(&u);
	double t1 = seconds();
	/* the keys, each after a frame drawn as the screen would have it (the
	 * panes' sizes and first rows come from drawing) */
	int rc = 0;
	for (const char *k = keys; k && *k;) {
		k += strspn(k, " ");
		size_t len = strcspn(k, " ");
		if (!len)
			break;
		int ch = key_code(k, len);
		if (ch < 0) {
			rc = -2;
			break;
		}
		draw(&u);
		key(&u, ch);
		k += len;
	}
	for (int i = 0; i < (frames > 0 ? frames : 1); i++) {
		clearok(curscr, TRUE); /* every frame a full repaint, as after a resize */
		draw(&u);
	}
	double t2 = seconds();
	if (t) {
		t->load_ms = (t1 - t0) * 1e3;
		t->draw_ms = (t2 - t1) * 1e3 / (frames > 0 ? frames : 1);
	}
	if (out) {
		/* the screen as text: what tmux capture-pane would show */
		wchar_t line[1024];
		for (int y = 0; y < LINES; y++) {
			int n = mvinnwstr(y, 0, line, COLS < 1023 ? COLS : 1023);
			if (n < 0)
				n = 0;
			line[n] = L'\0';
			while (n > 0 && line[n - 1] == L' ')
				line[--n] = L'\0';
			fprintf(out, "%ls\n", line);
		}
	}
	ui_done(&u);
	delscreen(scr);
	fclose(sink);
	return rc;
}
