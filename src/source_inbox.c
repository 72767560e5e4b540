/* A repository's inbox of issue files as a source (see source.h). */
#include "source.h"

#include <stdlib.h>

#include "log_line.h"

/* Every file is read each cycle: the cycle triages only the new and edited
 * ones (by the hash of their words), so nothing is kept here. */
static int read_inbox(const struct source_ctx *x, const config_repo *r, inbox_list *l, void **pos)
{
	*pos = NULL;
	char *err = NULL;
	if (inbox_scan(r->inbox, l, &err) < 0) {
		log_line(x->log, "%s: %s", r->slug, err);
		free(err);
		x->rep->failed++;
		return -1;
	}
	for (size_t i = 0; i < l->nerrors; i++)
		log_line(x->log, "%s: skipped %s", r->slug, l->errors[i]);
	x->rep->bad_files += l->nerrors;
	x->rep->seen += l->n;
	return 1;
}

const issue_source source_inbox = { "inbox", false, read_inbox, NULL, NULL };
