/* store_internal: what the store_*.c files share. Not part of the public interface:
 * nothing outside core/store*.c includes it. */
#ifndef MAHORAGA_STORE_INTERNAL_H
#define MAHORAGA_STORE_INTERNAL_H

#include <sqlite3.h>

#include "store.h"

#define STORE_STMT_CACHE 64

struct store_stmt_slot {
	const char *sql;     /* the literal's address is the cache key */
	sqlite3_stmt *stmt;
};

struct store {
	sqlite3 *db;
	char *path;
	int version;
	int txn_depth;
	int txn_failed;
	enum store_errcode code;
	char err[512];
	struct store_stmt_slot stmts[STORE_STMT_CACHE];
	size_t n_stmts;
};

/* Record an error and return -1. */
int store_fail(store *s, enum store_errcode code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Record SQLite's error for what (a short phrase) and return -1. */
int store_fail_db(store *s, const char *what);

/* A cached prepared statement for a string literal, reset and with its bindings
 * cleared; NULL (error recorded) if it does not prepare. */
sqlite3_stmt *store_stmt(store *s, const char *sql);

/* Bind helpers: NULL strings bind SQL NULL. Return 0 or -1 (error recorded). */
int store_bind_text(store *s, sqlite3_stmt *st, int idx, const char *v);
int store_bind_int64(store *s, sqlite3_stmt *st, int idx, int64_t v);
int store_bind_double(store *s, sqlite3_stmt *st, int idx, double v);

/* Step a statement that returns no rows; 0 or -1. */
int store_exec_stmt(store *s, sqlite3_stmt *st, const char *what);

/* A column as a new string (NULL for SQL NULL). */
char *store_col_str(sqlite3_stmt *st, int col);

/* In one transaction: each holder that select lists (one text column) and
 * dead says is gone has its rows freed by release (?1 the holder). */
int store_reap_holders(store *s, const char *select, const char *release,
		       bool (*dead)(const char *holder, void *arg), void *arg);

/* Grow a (v, n) array by one zeroed element of size elem; returns the new element. */
void *store_list_push(void **v, size_t *n, size_t elem);

/* Migrations: the SQL that takes the schema from version i to i + 1 is
 * store_migrations[i]. */
extern const char *const store_migrations[STORE_SCHEMA_VERSION];

#endif
