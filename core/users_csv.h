/* users_csv: one person of the users table as a CSV row (name,login,slack,
 * active,emails,mail; emails separated by ';'; mail, where notifications go
 * by e-mail, may be empty, and rows of the five older fields are read too). `mahoraga users import|export` and
 * the command center's user editor both read and write people this way. */
#ifndef MAHORAGA_USERS_CSV_H
#define MAHORAGA_USERS_CSV_H

#include <stddef.h>

#include "store.h"
#include "strbuf.h"

#define USERS_CSV_FIELDS 6
#define USERS_CSV_FIELDS_OLD 5

/* The header line, without the line end: "name,login,slack,active,emails,mail". */
extern const char users_csv_header[];

/* Append u as one row, ending with a line break. */
void users_csv_write(strbuf *out, const store_user *u);

/* Read one row of fields into *u (initialized by the caller). The person who
 * already has one of the row's emails is loaded first, so saving *u updates
 * them (*found = 1); otherwise *u is new (*found = 0). Returns 0, or -1 with
 * *err saying what is wrong with the row (the caller adds where it is). */
int users_csv_read(store *db, char *const *fields, size_t n, store_user *u, int *found, char **err);

#endif
