/* store_users: people and their git emails. */
#include "store_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "xalloc.h"

void store_user_init(store_user *u)
{
	memset(u, 0, sizeof(*u));
	u->active = 1;
}

void store_user_free(store_user *u)
{
	free(u->login);
	free(u->slack_id);
	free(u->notify_email);
	free(u->display_name);
	for (size_t i = 0; i < u->n_emails; i++)
		free(u->emails[i]);
	free(u->emails);
	store_user_init(u);
}

void store_user_add_email(store_user *u, const char *email)
{
	char *lower = xstrdup(email);
	for (char *p = lower; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	for (size_t i = 0; i < u->n_emails; i++) {
		if (strcmp(u->emails[i], lower) == 0) {
			free(lower);
			return;
		}
	}
	u->emails = xrealloc(u->emails, (u->n_emails + 1) * sizeof(*u->emails));
	u->emails[u->n_emails++] = lower;
}

static int save_txn(store *s, void *arg)
{
	store_user *u = arg;
	sqlite3_stmt *st;
	if (u->id == 0) {
		if (!u->created_at)
			u->created_at = (int64_t)time(NULL);
		st = store_stmt(s, "INSERT INTO users (login, slack_id, display_name, active, "
				   "created_at, notify_email) VALUES (?1, ?2, ?3, ?4, ?5, ?7)");
	} else {
		st = store_stmt(s, "UPDATE users SET login = ?1, slack_id = ?2, display_name = ?3, "
				   "active = ?4, notify_email = ?7 WHERE id = ?6");
	}
	if (!st || store_bind_text(s, st, 1, u->login) < 0 ||
	    store_bind_text(s, st, 2, u->slack_id) < 0 ||
	    store_bind_text(s, st, 3, u->display_name ? u->display_name : "") < 0 ||
	    store_bind_int64(s, st, 4, u->active ? 1 : 0) < 0 || store_bind_text(s, st, 7, u->notify_email) < 0)
		return -1;
	if (u->id == 0 ? store_bind_int64(s, st, 5, u->created_at) < 0
		       : store_bind_int64(s, st, 6, u->id) < 0)
		return -1;
	if (store_exec_stmt(s, st, "saving a user") < 0) {
		if (store_errcode(s) == STORE_ECONFLICT)
			return store_fail(s, STORE_ECONFLICT,
					  "GitHub login or Slack id already belongs to another user");
		return -1;
	}
	if (u->id == 0)
		u->id = sqlite3_last_insert_rowid(s->db);
	else if (sqlite3_changes(s->db) == 0)
		return store_fail(s, STORE_EDB, "no user with id %lld", (long long)u->id);

	st = store_stmt(s, "DELETE FROM user_emails WHERE user_id = ?1");
	if (!st || store_bind_int64(s, st, 1, u->id) < 0 ||
	    store_exec_stmt(s, st, "replacing a user's emails") < 0)
		return -1;
	for (size_t i = 0; i < u->n_emails; i++) {
		st = store_stmt(s, "INSERT INTO user_emails (email, user_id) VALUES (?1, ?2)");
		if (!st || store_bind_text(s, st, 1, u->emails[i]) < 0 ||
		    store_bind_int64(s, st, 2, u->id) < 0)
			return -1;
		if (store_exec_stmt(s, st, "saving a user's email") < 0) {
			if (store_errcode(s) == STORE_ECONFLICT)
				return store_fail(s, STORE_ECONFLICT,
						  "email %s belongs to another user", u->emails[i]);
			return -1;
		}
	}
	return 0;
}

int store_user_save(store *s, store_user *u)
{
	int64_t old_id = u->id;
	int rc = store_transaction(s, save_txn, u);
	if (rc < 0)
		u->id = old_id; /* the insert was rolled back */
	return rc;
}

#define USER_COLS "u.id, u.login, u.slack_id, u.display_name, u.active, u.created_at, u.notify_email"

static int load_emails(store *s, store_user *u)
{
	sqlite3_stmt *st =
		store_stmt(s, "SELECT email FROM user_emails WHERE user_id = ?1 ORDER BY rowid");
	if (!st || store_bind_int64(s, st, 1, u->id) < 0)
		return -1;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		store_user_add_email(u, (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_fail_db(s, "reading a user's emails");
}

static void read_user(sqlite3_stmt *st, store_user *u)
{
	u->id = sqlite3_column_int64(st, 0);
	u->login = store_col_str(st, 1);
	u->slack_id = store_col_str(st, 2);
	u->display_name = store_col_str(st, 3);
	u->active = sqlite3_column_int(st, 4);
	u->created_at = sqlite3_column_int64(st, 5);
	u->notify_email = store_col_str(st, 6);
}

const char *store_user_mail_to(const store_user *u)
{
	if (u->notify_email && *u->notify_email)
		return u->notify_email;
	for (size_t i = 0; i < u->n_emails; i++)
		if (!strstr(u->emails[i], "noreply"))
			return u->emails[i];
	return NULL;
}

/* One row from a prepared lookup into out, emails included. */
static int lookup(store *s, sqlite3_stmt *st, store_user *out)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return 0;
	}
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return store_fail_db(s, "reading a user");
	}
	store_user_free(out);
	read_user(st, out);
	sqlite3_reset(st);
	if (load_emails(s, out) < 0)
		return -1;
	return 1;
}

int store_user_get(store *s, int64_t id, store_user *out)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT " USER_COLS " FROM users u WHERE u.id = ?1");
	if (!st || store_bind_int64(s, st, 1, id) < 0)
		return -1;
	return lookup(s, st, out);
}

int store_user_by_email(store *s, const char *email, store_user *out)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT " USER_COLS " FROM users u JOIN user_emails e "
					 "ON e.user_id = u.id WHERE e.email = lower(?1)");
	if (!st || store_bind_text(s, st, 1, email) < 0)
		return -1;
	return lookup(s, st, out);
}

int store_users_list(store *s, store_users *out)
{
	out->v = NULL;
	out->n = 0;
	sqlite3_stmt *st = store_stmt(s, "SELECT " USER_COLS " FROM users u "
					 "ORDER BY u.display_name COLLATE NOCASE, u.id");
	if (!st)
		return -1;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_user *u = store_list_push((void **)&out->v, &out->n, sizeof(*u));
		store_user_init(u);
		read_user(st, u);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		store_users_free(out);
		return store_fail_db(s, "listing users");
	}
	for (size_t i = 0; i < out->n; i++) {
		if (load_emails(s, &out->v[i]) < 0) {
			store_users_free(out);
			return -1;
		}
	}
	return 0;
}

void store_users_free(store_users *list)
{
	for (size_t i = 0; i < list->n; i++)
		store_user_free(&list->v[i]);
	free(list->v);
	list->v = NULL;
	list->n = 0;
}

/* The login a GitHub no-reply address carries: "12345+octocat@users.noreply.
 * github.com" (since 2017) or "octocat@users.noreply.github.com"; NULL for
 * any other address. A login is letters, digits and inner single hyphens. */
static char *noreply_login(const char *email)
{
	static const char domain[] = "@users.noreply.github.com";
	const char *at = strchr(email, '@');
	if (!at || strcasecmp(at, domain) != 0)
		return NULL;
	const char *p = email, *plus = memchr(email, '+', (size_t)(at - email));
	if (plus) {
		for (const char *d = email; d < plus; d++)
			if (!isdigit((unsigned char)*d))
				return NULL;
		if (plus == email)
			return NULL;
		p = plus + 1;
	}
	size_t n = (size_t)(at - p);
	if (n == 0 || n > 39 || p[0] == '-' || p[n - 1] == '-')
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)p[i]) && !(p[i] == '-' && p[i + 1] != '-'))
			return NULL;
	return xstrndup(p, n);
}

int store_login_learnt(store *s, const char *email, char **login, int64_t *checked_at)
{
	*login = NULL;
	sqlite3_stmt *st = store_stmt(s, "SELECT login, checked_at FROM github_logins WHERE email = lower(?1)");
	if (!st || store_bind_text(s, st, 1, email) < 0)
		return -1;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*login = store_col_str(st, 0);
		*checked_at = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail_db(s, "reading a learnt login");
	return rc == SQLITE_ROW;
}

int store_login_learn(store *s, const char *email, const char *login, int64_t now)
{
	sqlite3_stmt *st = store_stmt(s, "INSERT INTO github_logins (email, login, checked_at) "
					 "VALUES (lower(?1), ?2, ?3) ON CONFLICT (email) DO UPDATE "
					 "SET login = excluded.login, checked_at = excluded.checked_at");
	if (!st || store_bind_text(s, st, 1, email) < 0 || store_bind_text(s, st, 2, login) < 0 ||
	    store_bind_int64(s, st, 3, now) < 0)
		return -1;
	return store_exec_stmt(s, st, "keeping a learnt login");
}

int store_login_of(store *s, const char *email, char **login)
{
	*login = NULL;
	store_user u;
	store_user_init(&u);
	int found = store_user_by_email(s, email, &u);
	if (found == 1 && u.login && *u.login) {
		*login = u.login;
		u.login = NULL;
	}
	store_user_free(&u);
	if (found < 0)
		return -1;
	int64_t when;
	if (!*login && store_login_learnt(s, email, login, &when) < 0)
		return -1;
	if (!*login)
		*login = noreply_login(email);
	return *login != NULL;
}

int store_email_of_login(store *s, const char *login, char **email)
{
	*email = NULL;
	sqlite3_stmt *st = store_stmt(s, "SELECT e.email FROM users u JOIN user_emails e ON e.user_id = u.id "
					 "WHERE u.login = ?1 COLLATE NOCASE "
					 "UNION ALL SELECT email FROM github_logins WHERE login = ?1 COLLATE NOCASE "
					 "LIMIT 1");
	if (!st || store_bind_text(s, st, 1, login) < 0)
		return -1;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*email = store_col_str(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail_db(s, "finding a login's e-mail");
	return rc == SQLITE_ROW;
}
