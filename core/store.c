/* store: opening, migrating and the helpers every store_*.c file uses. */
#include "store_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xalloc.h"

/* Long enough for the worker's longest write (a decision with its draft diff) to
 * finish while the UI waits; short enough that a stuck process is noticed. */
#define STORE_BUSY_TIMEOUT_MS 10000

int store_fail(store *s, enum store_errcode code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(s->err, sizeof(s->err), fmt, ap);
	va_end(ap);
	s->code = code;
	return -1;
}

int store_fail_db(store *s, const char *what)
{
	int rc = sqlite3_extended_errcode(s->db);
	enum store_errcode code = STORE_EDB;
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		code = STORE_ECONFLICT;
	return store_fail(s, code, "%s: %s", what, sqlite3_errmsg(s->db));
}

sqlite3_stmt *store_stmt(store *s, const char *sql)
{
	for (size_t i = 0; i < s->n_stmts; i++) {
		if (s->stmts[i].sql == sql) {
			sqlite3_reset(s->stmts[i].stmt);
			sqlite3_clear_bindings(s->stmts[i].stmt);
			return s->stmts[i].stmt;
		}
	}
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
		store_fail_db(s, "preparing a query");
		return NULL;
	}
	if (s->n_stmts < STORE_STMT_CACHE) {
		s->stmts[s->n_stmts].sql = sql;
		s->stmts[s->n_stmts].stmt = st;
		s->n_stmts++;
	} else {
		/* Cannot happen with the store's fixed set of queries; refuse rather
		 * than leak a statement per call. */
		sqlite3_finalize(st);
		store_fail(s, STORE_EDB, "statement cache full");
		return NULL;
	}
	return st;
}

int store_bind_text(store *s, sqlite3_stmt *st, int idx, const char *v)
{
	int rc = v ? sqlite3_bind_text(st, idx, v, -1, SQLITE_TRANSIENT)
		   : sqlite3_bind_null(st, idx);
	return rc == SQLITE_OK ? 0 : store_fail_db(s, "binding a value");
}

int store_bind_int64(store *s, sqlite3_stmt *st, int idx, int64_t v)
{
	return sqlite3_bind_int64(st, idx, v) == SQLITE_OK ? 0
							    : store_fail_db(s, "binding a value");
}

int store_bind_double(store *s, sqlite3_stmt *st, int idx, double v)
{
	return sqlite3_bind_double(st, idx, v) == SQLITE_OK ? 0
							     : store_fail_db(s, "binding a value");
}

int store_exec_stmt(store *s, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		store_fail_db(s, what);
		sqlite3_reset(st);
		return -1;
	}
	sqlite3_reset(st);
	return 0;
}

char *store_col_str(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	if (!t)
		return NULL;
	return xstrndup((const char *)t, (size_t)sqlite3_column_bytes(st, col));
}

void *store_list_push(void **v, size_t *n, size_t elem)
{
	*v = xrealloc(*v, (*n + 1) * elem);
	char *e = (char *)*v + *n * elem;
	memset(e, 0, elem);
	(*n)++;
	return e;
}

static int exec_sql(store *s, const char *sql, const char *what)
{
	char *msg = NULL;
	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		store_fail(s, STORE_EDB, "%s: %s", what, msg ? msg : sqlite3_errmsg(s->db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

int store_transaction(store *s, int (*fn)(store *s, void *arg), void *arg)
{
	if (s->txn_depth == 0) {
		if (exec_sql(s, "BEGIN IMMEDIATE", "starting a transaction") < 0)
			return -1;
		s->txn_failed = 0;
	}
	s->txn_depth++;
	int rc = fn(s, arg);
	if (rc != 0)
		s->txn_failed = 1;
	s->txn_depth--;
	if (s->txn_depth > 0)
		return rc;

	if (s->txn_failed) {
		/* Keep the first error's message: the rollback's is not interesting. */
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return rc ? rc : -1;
	}
	if (exec_sql(s, "COMMIT", "committing") < 0) {
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return 0;
}


static int read_version(store *s, int *version)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return store_fail_db(s, "reading the schema version");
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		store_fail_db(s, "reading the schema version");
		sqlite3_finalize(st);
		return -1;
	}
	*version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return 0;
}

struct migrate_args {
	int target;
};

static int migrate_txn(store *s, void *arg)
{
	struct migrate_args *m = arg;
	int v;
	/* Read again inside the write lock: another process may have migrated. */
	if (read_version(s, &v) < 0)
		return -1;
	if (v > STORE_SCHEMA_VERSION)
		return store_fail(s, STORE_ENEWER, "newer schema appeared while migrating");
	for (; v < m->target; v++) {
		char what[64];
		snprintf(what, sizeof(what), "applying migration %d", v + 1);
		if (exec_sql(s, store_migrations[v], what) < 0)
			return -1;
		char pragma[64];
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", v + 1);
		if (exec_sql(s, pragma, what) < 0)
			return -1;
	}
	s->version = v;
	return 0;
}

/* Create the file ourselves so that it is 0600 from the first byte: SQLite would
 * create it with the umask's permissions, readable by others. The -wal and -shm
 * files take the database file's permissions.
 *
 * An existing file is only stat()ed, never opened: closing any descriptor of a
 * file drops every POSIX lock this process holds on it, including the locks of
 * other connections in this process (the UI's, while the worker opens its
 * own). Another process could then take the database for unused, checkpoint
 * and delete the WAL under them. */
static int create_private(store *s, const char *path)
{
	struct stat st;
	if (stat(path, &st) == 0) {
		if (!S_ISREG(st.st_mode))
			return store_fail(s, STORE_EIO, "database %s is not a regular file", path);
		return 0;
	}
	if (errno != ENOENT)
		return store_fail(s, STORE_EIO, "cannot open database %s: %s", path, strerror(errno));
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 && errno != EEXIST) /* EEXIST: another process created it just now */
		return store_fail(s, STORE_EIO, "cannot open database %s: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd); /* nobody can hold a lock on a file that did not exist */
	return 0;
}

/* WAL is a property of the file: once one process set it, the others find it
 * set. Switching needs a moment with no other connection, and SQLite does not
 * wait for it (no busy handler): two processes opening a new database together
 * got "database is locked". Retried until the busy timeout. */
static int enable_wal(store *s)
{
	for (int waited = 0;; waited += 10) {
		sqlite3_stmt *st = NULL;
		int rc = sqlite3_prepare_v2(s->db, "PRAGMA journal_mode", -1, &st, NULL);
		bool wal = rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
			   sqlite3_column_text(st, 0) &&
			   strcmp((const char *)sqlite3_column_text(st, 0), "wal") == 0;
		sqlite3_finalize(st);
		if (wal)
			return 0;
		char *msg = NULL;
		rc = sqlite3_exec(s->db, "PRAGMA journal_mode = WAL", NULL, NULL, &msg);
		if (rc == SQLITE_OK) {
			sqlite3_free(msg);
			return 0;
		}
		if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED) {
			store_fail(s, STORE_EDB, "enabling WAL: %s", msg ? msg : sqlite3_errmsg(s->db));
			sqlite3_free(msg);
			return -1;
		}
		sqlite3_free(msg);
		if (waited >= STORE_BUSY_TIMEOUT_MS)
			return store_fail(s, STORE_EDB, "enabling WAL: the database stayed locked");
		sqlite3_sleep(10);
	}
}

/* The first read is where SQLite finds out it is not a database, but also that
 * it cannot write beside it (a WAL database needs its -wal and -shm files): a
 * read-only place must not be called a bad database, which someone might then
 * delete. */
static int first_read_failed(store *s, const char *path)
{
	int code = sqlite3_errcode(s->db);
	if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)
		return store_fail(s, STORE_EIO, "%s is not a mahoraga database (%s)", path,
				  sqlite3_errmsg(s->db));
	const char *slash = strrchr(path, '/');
	char *dir = slash ? xstrndup(path, slash == path ? 1 : (size_t)(slash - path)) : xstrdup(".");
	int rc;
	if (access(dir, W_OK) != 0)
		rc = store_fail(s, STORE_EIO, "cannot use database %s: its directory %s is not writable "
				"(mahoraga writes its journal there)", path, dir);
	else if (access(path, W_OK) != 0)
		rc = store_fail(s, STORE_EIO, "cannot use database %s: the file is not writable", path);
	else
		rc = store_fail(s, STORE_EIO, "cannot read database %s (%s)", path, sqlite3_errmsg(s->db));
	free(dir);
	return rc;
}

static int setup(store *s, const char *path, int target)
{
	if (create_private(s, path) < 0)
		return -1;
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		if (!s->db)
			return store_fail(s, STORE_EIO, "cannot open database %s", path);
		return store_fail(s, STORE_EIO, "cannot open database %s: %s", path,
				  sqlite3_errmsg(s->db));
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, STORE_BUSY_TIMEOUT_MS);

	int version;
	if (read_version(s, &version) < 0)
		return first_read_failed(s, path);
	if (version > STORE_SCHEMA_VERSION)
		return store_fail(s, STORE_ENEWER,
				  "database %s has schema version %d, but this mahoraga "
				  "understands up to version %d: upgrade mahoraga, or use "
				  "another database with --db",
				  path, version, STORE_SCHEMA_VERSION);
	if (exec_sql(s, "PRAGMA foreign_keys = ON", "enabling foreign keys") < 0)
		return -1;
	if (enable_wal(s) < 0)
		return -1;
	if (exec_sql(s, "PRAGMA synchronous = NORMAL", "setting synchronous") < 0)
		return -1;

	s->version = version;
	if (version < target) {
		struct migrate_args m = { target };
		if (store_transaction(s, migrate_txn, &m) < 0)
			return -1;
	}
	return 0;
}

int store_open_version(store **out, const char *path, int version, char **err)
{
	*out = NULL;
	if (err)
		*err = NULL;
	if (version < 1 || version > STORE_SCHEMA_VERSION) {
		if (err)
			*err = xasprintf("schema version %d does not exist (1..%d)", version,
					 STORE_SCHEMA_VERSION);
		return -1;
	}
	store *s = xcalloc(1, sizeof(*s));
	s->path = xstrdup(path);
	if (setup(s, path, version) < 0) {
		if (err)
			*err = xstrdup(s->err);
		store_close(s);
		return -1;
	}
	*out = s;
	return 0;
}

int store_open(store **out, const char *path, char **err)
{
	return store_open_version(out, path, STORE_SCHEMA_VERSION, err);
}

void store_close(store *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n_stmts; i++)
		sqlite3_finalize(s->stmts[i].stmt);
	if (s->db)
		sqlite3_close(s->db);
	free(s->path);
	free(s);
}

int store_version(store *s)
{
	return s->version;
}

const char *store_error(store *s)
{
	return s->err;
}

enum store_errcode store_errcode(store *s)
{
	return s->code;
}
