/* csv: comma-separated values as RFC 4180 writes them (quotes, "" inside quotes,
 * CRLF or LF, line breaks inside quoted fields), for the users table's import
 * and export. */
#ifndef MAHORAGA_CSV_H
#define MAHORAGA_CSV_H

#include <stddef.h>

#include "strbuf.h"

typedef struct csv_row {
	char **fields;
	size_t n, alloc;
	int line;          /* where the row starts, 1-based */
} csv_row;

typedef struct csv {
	csv_row *rows;
	size_t n, alloc;   /* grown by doubling: a million rows stay linear */
} csv;

void csv_init(csv *c);
void csv_free(csv *c);

/* Parse text. Returns 0, or -1 with *err ("line N: ...") for an unterminated
 * quote or a quote in the middle of an unquoted field. Empty lines are skipped. */
int csv_parse(csv *c, const char *text, size_t len, char **err);

/* Append one field (quoted when it needs to be) and a separator or line end. */
void csv_field(strbuf *out, const char *value, int last);

#endif
