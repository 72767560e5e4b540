/* mahoraga poll: the worker without a screen. */
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "worker.h"
#include "xalloc.h"

static const char poll_usage[] =
	"usage: mahoraga poll [--once]\n"
	"       mahoraga poll --webhook-file FILE...\n"
	"\n"
	"Reads the issue files of every configured repository's inbox ([repo \"owner/name\"]\n"
	"path and inbox), triages the new and edited issues, and records the decisions\n"
	"in the database. --once runs one cycle and exits; otherwise the worker runs\n"
	"every worker.poll_interval until interrupted (Ctrl-C, SIGTERM).\n"
	"\n"
	"--webhook-file ingests GitHub webhook deliveries saved as files (headers, a blank\n"
	"line, the body), each verified with MAHORAGA_GITHUB_WEBHOOK_SECRET: an opened or\n"
	"edited issue of a configured repository is triaged, a closed one's assignment ends.\n";

int cmd_poll(const struct app *app, int argc, char **argv)
{
	bool once = false, webhooks = false;
	const struct app_opt opts[] = { { "--once", NULL, &once }, { "--webhook-file", NULL, &webhooks },
					{ NULL, NULL, NULL } };
	const char **files = xcalloc((size_t)argc + 1, sizeof(*files));
	size_t nfiles = 0;
	int rc0 = app_parse("poll", poll_usage, argc, argv, opts, files, (size_t)argc, &nfiles);
	if (rc0 < 0 && (webhooks != (nfiles > 0) || (webhooks && once))) {
		app_error(webhooks ? "poll: --webhook-file needs files, and runs alone"
				   : "poll: files are read with --webhook-file");
		fputs(poll_usage, stderr);
		rc0 = EXIT_USAGE;
	}
	if (rc0 >= 0) {
		free(files);
		return rc0;
	}
	if (webhooks) {
		worker_report rep;
		int rc = worker_ingest_webhooks(app, files, nfiles, &rep, stdout);
		free(files);
		if (rc == EXIT_DONE)
			printf("%zu deliveries with an issue, %zu triaged, %zu failed\n", rep.seen, rep.triaged,
			       rep.failed);
		return rc != EXIT_DONE ? rc : rep.failed ? EXIT_BAD_INPUT : EXIT_DONE;
	}
	free(files);
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
