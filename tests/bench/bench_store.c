/* Benchmark: the store's cached prepared statements against the naive way (a SQL
 * string formatted and compiled per call with sqlite3_exec), on the same database
 * settings, in the same run. Prints times and the ratio; asserts nothing about speed. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store.h"
#include "../testutil.h"
#include "xalloc.h"

#define N 20000

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double naive(const char *path)
{
	sqlite3 *db;
	if (sqlite3_open(path, &db) != SQLITE_OK)
		exit(1);
	sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; CREATE TABLE "
			 "settings (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at INTEGER);",
		     NULL, NULL, NULL);
	double t = now();
	sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
	for (int i = 0; i < N; i++) {
		char *sql = sqlite3_mprintf("INSERT INTO settings VALUES ('k%d', 'v%d', %d) ON "
					    "CONFLICT (key) DO UPDATE SET value = excluded.value",
					    i, i, i);
		if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
			exit(1);
		sqlite3_free(sql);
	}
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	t = now() - t;
	sqlite3_close(db);
	return t;
}

static int fill(store *s, void *arg)
{
	(void)arg;
	char key[32], val[32];
	for (int i = 0; i < N; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		snprintf(val, sizeof(val), "v%d", i);
		if (store_setting_set(s, key, val) < 0)
			return -1;
	}
	return 0;
}

static double ours(const char *path)
{
	store *s;
	char *err = NULL;
	if (store_open(&s, path, &err) < 0) {
		fprintf(stderr, "%s\n", err);
		exit(1);
	}
	double t = now();
	if (store_transaction(s, fill, NULL) < 0)
		exit(1);
	t = now() - t;
	store_close(s);
	return t;
}

int main(void)
{
	char *dir = tu_mkdtemp();
	char *a = tu_path(dir, "naive.db"), *b = tu_path(dir, "store.db");
	double tn = naive(a), ts = ours(b);
	printf("store: %d settings saved in one transaction\n", N);
	printf("  naive sqlite3_exec per row: %8.1f ms (%.2f us/row)\n", tn * 1e3, tn * 1e6 / N);
	printf("  store (cached statements):  %8.1f ms (%.2f us/row)\n", ts * 1e3, ts * 1e6 / N);
	printf("  ratio store/naive: %.2f\n", ts / tn);
	tu_rmtree(dir);
	free(a);
	free(b);
	free(dir);
	return 0;
}
