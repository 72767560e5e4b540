/* mahoraga poll: the worker without a screen. */
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "worker.h"

static const char poll_usage[] =
	"usage: mahoraga poll [--once]\n"
	"\n"
	"Reads the issue files of every configured repository's inbox ([repo \"owner/name\"]\n"
	"path and inbox), triages the new and edited issues, and records the decisions\n"
	"in the database. --once runs one cycle and exits; otherwise the worker runs\n"
	"every worker.poll_interval until interrupted (Ctrl-C, SIGTERM).\n";

int cmd_poll(const struct app *app, int argc, char **argv)
{
	bool once = false;
	const struct app_opt opts[] = { { "--once", NULL, &once }, { NULL, NULL, NULL } };
	int rc0 = app_parse("poll", poll_usage, argc, argv, opts, NULL, 0, NULL);
	if (rc0 >= 0)
		return rc0;
	if (once) {
		worker_report rep;
		int rc = worker_cycle(app, &rep, stdout);
		if (rc == EXIT_DONE)
			printf("%zu issues read, %zu triaged, %zu files skipped, %zu failed\n", rep.seen,
			       rep.triaged, rep.bad_files, rep.failed);
		return rc != EXIT_DONE ? rc : rep.failed ? EXIT_IO : EXIT_DONE;
	}
	/* signals are taken synchronously by this thread: the worker thread
	 * inherits the blocked mask and keeps working until told to stop */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	worker *w = worker_start(app, stdout);
	if (!w) {
		app_error("cannot start the worker thread");
		return EXIT_IO;
	}
	for (;;) {
		struct timespec ts = { 0, 200 * 1000 * 1000 };
		if (sigtimedwait(&set, NULL, &ts) > 0)
			break;
		char buf[64];
		while (read(worker_wake_fd(w), buf, sizeof(buf)) > 0)
			; /* the cycle's lines are already printed */
	}
	worker_stop(w);
	return EXIT_DONE;
}
