/* The worker thread: a cycle, then sleep until the interval, a command or a
 * change of an inbox (see worker.h; one cycle is src/cycle.c). */
#include "worker.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "inbox.h"
#include "manual.h"
#include "store.h"
#include "xalloc.h"

struct worker {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int pipe[2];
	bool stop, poll_now;
	int64_t *manual;     /* ids of manual actions to apply */
	size_t nmanual;
	const struct app *app;
	FILE *log;
	worker_status status;
	github_auth auth;    /* the worker thread's only */
};

static void wake_ui(worker *w)
{
	/* a full pipe already says "something changed", so a failed write needs
	 * nothing more */
	char byte = 1;
	ssize_t wr = write(w->pipe[1], &byte, 1);
	(void)wr;
}

/* Apply the manual actions the screen handed over, before any cycle: a person
 * waits for these. Returns true if one asks for a re-triage. */
static bool apply_manual(worker *w, int64_t *ids, size_t n)
{
	bool retriage = false;
	store *db = NULL;
	config cfg;
	if (app_open_store(w->app, &db) == EXIT_DONE) {
		if (app_load_config_to(w->app, db, &cfg, w->log) == EXIT_DONE) {
			for (size_t i = 0; i < n; i++) {
				if (manual_apply(db, &cfg, ids[i], &retriage) < 0 && w->log) {
					fprintf(w->log, "manual action %lld: %s\n", (long long)ids[i], store_error(db));
					fflush(w->log);
				}
			}
			config_free(&cfg);
		}
		store_close(db);
	}
	free(ids);
	return retriage;
}

/* The inboxes' signatures at the start of a cycle. */
struct watch {
	char **dirs;
	uint64_t *sig;
	size_t n;
};

static void watch_free(struct watch *wt)
{
	xfree_strings(wt->dirs, wt->n);
	free(wt->sig);
	memset(wt, 0, sizeof(*wt));
}

/* Read the settings afresh: the inboxes to watch, and the poll interval
 * (returned). */
static int64_t watch_start(worker *w, struct watch *wt)
{
	int64_t interval = 60;
	store *db = NULL;
	config cfg;
	if (app_open_store(w->app, &db) != EXIT_DONE)
		return interval;
	if (app_load_config_to(w->app, db, &cfg, w->log) == EXIT_DONE) {
		interval = config_duration(&cfg, CFG_WORKER_POLL_INTERVAL);
		wt->dirs = xcalloc(cfg.n_repos + 1, sizeof(*wt->dirs));
		wt->sig = xcalloc(cfg.n_repos + 1, sizeof(*wt->sig));
		for (size_t i = 0; i < cfg.n_repos; i++)
			if (cfg.repos[i].inbox) {
				wt->dirs[wt->n] = xstrdup(cfg.repos[i].inbox);
				wt->sig[wt->n++] = inbox_signature(cfg.repos[i].inbox);
			}
		config_free(&cfg);
	}
	store_close(db);
	return interval;
}

static bool watch_changed(const struct watch *wt)
{
	for (size_t i = 0; i < wt->n; i++)
		if (inbox_signature(wt->dirs[i]) != wt->sig[i])
			return true;
	return false;
}

static void *run(void *arg)
{
	worker *w = arg;
	time_t next_cycle = 0; /* the first cycle begins at once */
	struct watch watch = { 0 };
	for (;;) {
		pthread_mutex_lock(&w->mu);
		if (w->stop) {
			pthread_mutex_unlock(&w->mu);
			break;
		}
		int64_t *ids = w->manual;
		size_t n = w->nmanual;
		w->manual = NULL;
		w->nmanual = 0;
		bool cycle = w->poll_now || time(NULL) >= next_cycle;
		w->poll_now = false;
		snprintf(w->status.state, sizeof(w->status.state), cycle ? "polling" : "applying");
		pthread_mutex_unlock(&w->mu);

		if (n) {
			cycle |= apply_manual(w, ids, n);
			wake_ui(w); /* the screen shows the change before the cycle runs */
		}
		if (cycle) {
			/* the inboxes as they are now: whatever changes from here on is
			 * noticed while idle, even during this cycle */
			watch_free(&watch);
			int64_t interval = watch_start(w, &watch);
			worker_report rep;
			worker_cycle_until(w->app, &rep, w->log, &w->stop, &w->auth);
			next_cycle = time(NULL) + (time_t)interval;
			pthread_mutex_lock(&w->mu);
			w->status.last = rep;
			w->status.last_poll = (int64_t)time(NULL);
			w->status.cycles++;
			pthread_mutex_unlock(&w->mu);
			wake_ui(w);
		}
		/* idle: until the next cycle, a command, or an inbox file that changed
		 * (looked at every second: a stat per file) */
		pthread_mutex_lock(&w->mu);
		snprintf(w->status.state, sizeof(w->status.state), "idle");
		while (!w->stop && !w->poll_now && !w->nmanual && time(NULL) < next_cycle) {
			struct timespec until = { .tv_sec = time(NULL) + 1, .tv_nsec = 0 };
			if (until.tv_sec > next_cycle)
				until.tv_sec = next_cycle;
			pthread_cond_timedwait(&w->cv, &w->mu, &until);
			if (w->stop || w->poll_now || w->nmanual)
				break;
			pthread_mutex_unlock(&w->mu);
			bool changed = watch_changed(&watch);
			pthread_mutex_lock(&w->mu);
			if (changed)
				w->poll_now = true;
		}
		pthread_mutex_unlock(&w->mu);
	}
	watch_free(&watch);
	pthread_mutex_lock(&w->mu);
	snprintf(w->status.state, sizeof(w->status.state), "stopped");
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

worker *worker_start(const struct app *app, FILE *log)
{
	worker *w = xcalloc(1, sizeof(*w));
	w->app = app;
	w->log = log;
	github_auth_init(&w->auth);
	snprintf(w->status.state, sizeof(w->status.state), "starting");
	if (pipe(w->pipe) < 0) {
		free(w);
		return NULL;
	}
	fcntl(w->pipe[0], F_SETFL, O_NONBLOCK);
	fcntl(w->pipe[1], F_SETFL, O_NONBLOCK);
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	if (pthread_create(&w->thread, NULL, run, w) != 0) {
		close(w->pipe[0]);
		close(w->pipe[1]);
		pthread_mutex_destroy(&w->mu);
		pthread_cond_destroy(&w->cv);
		free(w);
		return NULL;
	}
	return w;
}

int worker_wake_fd(const worker *w)
{
	return w->pipe[0];
}

void worker_poll_now(worker *w)
{
	pthread_mutex_lock(&w->mu);
	w->poll_now = true;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

void worker_apply(worker *w, int64_t manual_id)
{
	pthread_mutex_lock(&w->mu);
	w->manual = xrealloc(w->manual, (w->nmanual + 1) * sizeof(*w->manual));
	w->manual[w->nmanual++] = manual_id;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

void worker_get_status(worker *w, worker_status *out)
{
	pthread_mutex_lock(&w->mu);
	*out = w->status;
	pthread_mutex_unlock(&w->mu);
}

void worker_stop(worker *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->mu);
	__atomic_store_n(&w->stop, true, __ATOMIC_RELEASE); /* read by a running cycle, without the lock */
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	github_auth_free(&w->auth);
	free(w->manual); /* still pending in the store: the next cycle applies them */
	close(w->pipe[0]);
	close(w->pipe[1]);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
	free(w);
}
