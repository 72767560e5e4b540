/* RFC 4180 reading and writing (see csv.h). */
#include "csv.h"

#include <stdbool.h>

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

void csv_init(csv *c)
{
	memset(c, 0, sizeof(*c));
}

void csv_free(csv *c)
{
	for (size_t i = 0; i < c->n; i++)
		xfree_strings(c->rows[i].fields, c->rows[i].n);
	free(c->rows);
	csv_init(c);
}

static void end_field(csv_row *r, strbuf *f)
{
	XGROW(r->fields, r->n, r->alloc);
	strbuf_add(f, "", 0);
	r->fields[r->n++] = strbuf_detach(f);
}

static void end_row(csv *c, csv_row *r)
{
	/* a line with one empty field is an empty line */
	if (r->n == 1 && !r->fields[0][0]) {
		xfree_strings(r->fields, r->n);
	} else {
		XGROW(c->rows, c->n, c->alloc);
		c->rows[c->n++] = *r;
	}
	memset(r, 0, sizeof(*r));
}

int csv_parse(csv *c, const char *text, size_t len, char **err)
{
	csv_free(c);
	csv_row row = { 0 };
	strbuf f = STRBUF_INIT;
	int line = 1;
	row.line = 1;
	bool quoted = false, was_quoted = false;
	for (size_t i = 0; i < len; i++) {
		char ch = text[i];
		if (quoted) {
			if (ch == '"' && i + 1 < len && text[i + 1] == '"') {
				strbuf_addch(&f, '"');
				i++;
			} else if (ch == '"') {
				quoted = false;
			} else {
				if (ch == '\n')
					line++;
				strbuf_addch(&f, ch);
			}
			continue;
		}
		if (ch == '"') {
			if (f.len || was_quoted) {
				*err = xasprintf("line %d: a quote inside an unquoted field", line);
				goto fail;
			}
			quoted = was_quoted = true;
		} else if (ch == ',') {
			end_field(&row, &f);
			was_quoted = false;
		} else if (ch == '\r' && i + 1 < len && text[i + 1] == '\n') {
			continue;
		} else if (ch == '\n') {
			end_field(&row, &f);
			end_row(c, &row);
			was_quoted = false;
			row.line = ++line;
		} else {
			if (was_quoted) {
				*err = xasprintf("line %d: text after a closing quote", line);
				goto fail;
			}
			strbuf_addch(&f, ch);
		}
	}
	if (quoted) {
		*err = xasprintf("line %d: a quoted field is never closed", row.line);
		goto fail;
	}
	if (f.len || row.n || was_quoted) {
		end_field(&row, &f);
		end_row(c, &row);
	}
	strbuf_release(&f);
	return 0;
fail:
	strbuf_release(&f);
	xfree_strings(row.fields, row.n);
	csv_free(c);
	return -1;
}

void csv_field(strbuf *out, const char *value, int last)
{
	const char *v = value ? value : "";
	if (strpbrk(v, ",\"\r\n") || (*v == ' ' || (*v && v[strlen(v) - 1] == ' '))) {
		strbuf_addch(out, '"');
		for (const char *p = v; *p; p++) {
			if (*p == '"')
				strbuf_addch(out, '"');
			strbuf_addch(out, *p);
		}
		strbuf_addch(out, '"');
	} else {
		strbuf_addstr(out, v);
	}
	strbuf_addstr(out, last ? "\n" : ",");
}
