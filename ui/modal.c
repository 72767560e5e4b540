/* The modal inputs of the command center: the prompt line, the pick list and
 * the yes/no question (see ui_internal.h). */
#include <stdlib.h>
#include <string.h>

#include "ui_internal.h"
#include "xalloc.h"

void ui_modal_close(struct ui *u)
{
	u->prompt.open = false;
	u->confirm.open = false;
	for (size_t i = 0; i < u->menu.n; i++) {
		free(u->menu.labels[i]);
		free(u->menu.values[i]);
	}
	free(u->menu.labels);
	free(u->menu.values);
	memset(&u->menu, 0, sizeof(u->menu));
}

void ui_prompt_open(struct ui *u, const char *label, const char *text, ui_text_fn *done)
{
	ui_modal_close(u);
	struct ui_prompt *p = &u->prompt;
	memset(p, 0, sizeof(*p));
	snprintf(p->label, sizeof(p->label), "%s", label);
	snprintf(p->text, sizeof(p->text), "%s", text ? text : "");
	p->len = strlen(p->text);
	p->done = done;
	p->open = true;
	u->message[0] = '\0';
}

void ui_menu_open(struct ui *u, const char *title, char **labels, char **values, size_t n, ui_text_fn *done)
{
	ui_modal_close(u);
	snprintf(u->menu.title, sizeof(u->menu.title), "%s", title);
	u->menu.labels = labels;
	u->menu.values = values;
	u->menu.n = n;
	u->menu.done = done;
	u->menu.open = true;
}

void ui_confirm_open(struct ui *u, const char *question, void (*yes)(struct ui *u))
{
	ui_modal_close(u);
	snprintf(u->confirm.question, sizeof(u->confirm.question), "%s (y/n)", question);
	u->confirm.yes = yes;
	u->confirm.open = true;
}

/* Delete the last character, a whole UTF-8 sequence. */
static void backspace(struct ui_prompt *p)
{
	while (p->len && ((unsigned char)p->text[p->len - 1] & 0xC0) == 0x80)
		p->len--;
	if (p->len)
		p->len--;
	p->text[p->len] = '\0';
}

/* --- the input line's keys (in screen.c's action table) --- */

/* after a change of the text: an incremental prompt (the filter) sees it */
static void changed(struct ui *u)
{
	if (u->prompt.incremental)
		u->prompt.done(u, u->prompt.text);
}

void ui_prompt_cancel(struct ui *u)
{
	struct ui_prompt *p = &u->prompt;
	ui_text_fn *cancel = p->cancel;
	p->open = false;
	u->message[0] = '\0';
	if (cancel)
		cancel(u, p->text);
}

void ui_prompt_enter(struct ui *u)
{
	struct ui_prompt *p = &u->prompt;
	/* done() closes the line, or leaves it open with a message saying why */
	char text[sizeof(p->text)];
	memcpy(text, p->text, sizeof(text));
	bool incremental = p->incremental;
	p->done(u, text);
	if (incremental)
		p->open = false;
}

void ui_prompt_backspace(struct ui *u)
{
	backspace(&u->prompt);
	changed(u);
}

void ui_prompt_clear(struct ui *u)
{
	u->prompt.len = 0;
	u->prompt.text[0] = '\0';
	changed(u);
}

void ui_prompt_type(struct ui *u, int ch)
{
	struct ui_prompt *p = &u->prompt;
	if (ch < 0x20 || ch == 0x7f || ch >= 0x100 || p->len + 1 >= sizeof(p->text))
		return;
	/* bytes of UTF-8 arrive one getch() each: keep them as they come */
	p->text[p->len++] = (char)ch;
	p->text[p->len] = '\0';
	changed(u);
}

/* --- the pick list's and the question's keys --- */

void ui_menu_down(struct ui *u)
{
	if (u->menu.selected + 1 < u->menu.n)
		u->menu.selected++;
}

void ui_menu_up(struct ui *u)
{
	if (u->menu.selected)
		u->menu.selected--;
}

void ui_menu_pick(struct ui *u)
{
	struct ui_menu *m = &u->menu;
	if (!m->n)
		return;
	char *value = xstrdup(m->values[m->selected]);
	ui_text_fn *done = m->done;
	ui_modal_close(u);
	done(u, value);
	free(value);
}

void ui_confirm_yes(struct ui *u)
{
	void (*yes)(struct ui *) = u->confirm.yes;
	ui_modal_close(u);
	yes(u);
}

void ui_confirm_no(struct ui *u)
{
	ui_modal_close(u);
	ui_say(u, "nothing done");
}

void ui_modal_draw(struct ui *u)
{
	if (u->prompt.open) {
		/* the input line over the status line; the message above it says why
		 * a value was refused */
		char line[800];
		snprintf(line, sizeof(line), " %s%s_   (Enter %s, Esc cancels)", u->prompt.label, u->prompt.text,
			 u->prompt.incremental ? "keeps" : "saves");
		mvhline(LINES - 1, 0, ' ', COLS);
		ui_put(stdscr, LINES - 1, 0, line, COLS);
		if (u->message[0]) {
			mvhline(LINES - 2, 0, ' ', COLS);
			ui_put(stdscr, LINES - 2, 1, u->message, COLS - 2);
		}
	}
	if (u->confirm.open) {
		mvhline(LINES - 1, 0, ' ', COLS);
		attron(A_BOLD);
		ui_put(stdscr, LINES - 1, 1, u->confirm.question, COLS - 2);
		attroff(A_BOLD);
	}
	if (u->menu.open) {
		struct ui_menu *m = &u->menu;
		int w = COLS > 70 ? 64 : COLS - 4, h = (int)m->n + 4;
		if (h > LINES - 2)
			h = LINES - 2;
		int y = (LINES - h) / 2, x = (COLS - w) / 2, rows = h - 4;
		if (w < 10 || rows < 1)
			return;
		for (int r = 0; r < h; r++)
			mvhline(y + r, x, ' ', w);
		attron(A_BOLD);
		ui_put(stdscr, y, x + 1, m->title, w - 2);
		attroff(A_BOLD);
		size_t top = m->selected >= (size_t)rows ? m->selected - (size_t)rows + 1 : 0;
		for (int r = 0; r < rows && top + (size_t)r < m->n; r++) {
			if (top + (size_t)r == m->selected)
				attron(A_REVERSE);
			mvhline(y + 2 + r, x + 1, ' ', w - 2);
			ui_put(stdscr, y + 2 + r, x + 2, m->labels[top + (size_t)r], w - 4);
			if (top + (size_t)r == m->selected)
				attroff(A_REVERSE);
		}
		ui_put(stdscr, y + h - 1, x + 1, "j/k choose, Enter picks, Esc cancels", w - 2);
	}
}
