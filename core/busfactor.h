/* busfactor: which files only one person understands, and how many people the
 * project can lose before most of it is orphaned.
 *
 * Degree of authorship per file and developer, after Fritz et al., as used by
 * Avelino et al.'s truck-factor algorithm: DOA = 3.293 + 1.098*FA + 0.164*DL -
 * 0.321*ln(1 + AC), where FA says the developer created the file, DL counts their
 * changes to it and AC the changes by others. The file's authors are those with
 * DOA / max DOA > 0.75 and (DOA >= 3.293 or FA). The truck factor is how many top
 * authors must be removed, greedily, before more than half the files have no
 * author left. Bots never count; inactive developers are already gone. */
#ifndef MAHORAGA_BUSFACTOR_H
#define MAHORAGA_BUSFACTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "history.h"

typedef struct busfactor_opts {
	const char *const *bots;       /* expertise.bots */
	size_t nbots;
	const char *const *critical;   /* busfactor.critical globs */
	size_t ncritical;
	int (*user_state)(const char *email, void *arg); /* see expertise_opts */
	void *arg;
	int64_t inactive_after;
} busfactor_opts;

typedef struct busfactor_dev {
	uint32_t author;               /* index into the history's authors */
	size_t files_authored;         /* files they are an author of */
	size_t files_owned;            /* files they are the only author of */
	double ownership_pct;          /* files_owned / files, in percent (seed property 28) */
} busfactor_dev;

typedef struct busfactor_file {
	uint32_t file;                 /* history file id */
	const char *path;              /* at the revision (the history's string) */
	uint32_t *authors;             /* by DOA, highest first */
	size_t nauthors;
	double owner_share;            /* the top author's share of the changes, percent */
	size_t contributors;           /* active people who changed it (bots aside) */
	bool critical;
	uint32_t *partners;            /* suggested knowledge-transfer partners */
	size_t npartners;
} busfactor_file;

typedef struct busfactor {
	busfactor_file *files;         /* every file at the revision, by path */
	size_t nfiles;
	busfactor_dev *devs;           /* developers with authored files, most first */
	size_t ndevs;
	size_t truck_factor;
	uint32_t *removed;             /* the authors removed to reach it, in order */
	size_t nremoved;
	size_t *risky;                 /* indices into files with at most one active
	                                * author or a single active contributor;
	                                * critical ones first, then by path */
	size_t nrisky;
} busfactor;

void busfactor_init(busfactor *b);
void busfactor_free(busfactor *b);

/* Compute everything for the view's revision. */
void busfactor_compute(busfactor *b, const history_view *v, const busfactor_opts *o);

/* DOA of one developer for one file (exposed for tests). */
double busfactor_doa(bool created, int own_changes, int others_changes);

/* True if path matches one of the globs (fnmatch over the whole path, so '*'
 * also crosses folders). */
bool busfactor_is_critical(const char *path, const char *const *globs, size_t n);

#endif
