/* dedup: is this bug one we have seen?
 *
 * A fingerprint names the failure independently of line numbers, install paths,
 * versions and generated names, so that the same bug reported twice groups
 * together. A signature keeps the normalized frames for a similarity score
 * between near duplicates (position-weighted frame alignment, after ReBucket's
 * PDM and TraceSim). dedup_classify applies the rule for a new report. */
#ifndef MAHORAGA_DEDUP_H
#define MAHORAGA_DEDUP_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"
#include "trace.h"

/* The normalized failure: error type and frames, innermost first. */
typedef struct dedup_sig {
	char *type;      /* or NULL */
	char **frames;   /* "function@file" tokens */
	size_t n;
} dedup_sig;

void dedup_sig_init(dedup_sig *s);
void dedup_sig_free(dedup_sig *s);
/* The signature of the trace's final block (all frames, recursion collapsed). */
void dedup_sig_from_trace(dedup_sig *s, const trace *t);
/* One line of text ("type\tframe\tframe...") for the store, and back. */
char *dedup_sig_serialize(const dedup_sig *s);
void dedup_sig_parse(dedup_sig *s, const char *text);

/* 16 hex digits: error type plus the normalized in-app frames (all frames when
 * none is in-app; the location or the normalized message when there are no
 * frames). NULL when the text holds no error at all. */
char *dedup_fingerprint(const trace *t);

/* 16 hex digits of the report's words, case and spacing ignored: identical
 * reports have the same hash. */
char *dedup_content_hash(const char *title, const char *body, size_t body_len);

/* Similarity of two signatures, 0..1 (1 for identical frame lists). */
double dedup_similarity(const dedup_sig *a, const dedup_sig *b);

/* A report as the rule sees it. */
typedef struct dedup_report {
	int64_t issue_id;
	int64_t reported_at;       /* Unix seconds */
	const char *fingerprint;   /* may be NULL */
	const char *content_hash;
	const char *signature;     /* dedup_sig_serialize text, may be NULL */
} dedup_report;

enum dedup_kind {
	DEDUP_NEW,          /* nothing like it before */
	DEDUP_CONSOLIDATE,  /* the same report within the window: fold into the first */
	DEDUP_DUPLICATE,    /* the same failure reported earlier: link to it */
	DEDUP_SIMILAR,      /* a near duplicate: link, let a human decide */
};

typedef struct dedup_result {
	enum dedup_kind kind;
	int64_t of;          /* the earlier issue, 0 for DEDUP_NEW */
	double similarity;   /* for DEDUP_SIMILAR (1 for the other links) */
} dedup_result;

/* Compare a new report with earlier ones (any order). Identical content within
 * window_s seconds consolidates into the earliest such report; otherwise the
 * same fingerprint or the same content at any time is a duplicate of the
 * earliest; otherwise the most similar signature at or above near_threshold is
 * a near duplicate. */
void dedup_classify(const dedup_report *now, const dedup_report *earlier, size_t n,
		    int64_t window_s, double near_threshold, dedup_result *out);

/* "new", "consolidated", "duplicate", "similar". */
const char *dedup_kind_name(enum dedup_kind kind);

/* Near duplicates score at least this; recent reports within this many seconds
 * are compared for similarity. */
#define DEDUP_NEAR_THRESHOLD 0.8
#define DEDUP_NEAR_HORIZON (30 * 24 * 3600)

/* The rule against the store: the report of issue_id (its fingerprint, content
 * hash and signature from t) is compared with the repository's earlier reports,
 * classified with dedup_classify, and saved with the relation found. window_s
 * is the triage.duplicate_window setting. Returns 0, or -1 (store_error). */
int dedup_record(store *s, int64_t repo_id, int64_t issue_id, int64_t reported_at,
		 const char *title, const char *body, size_t body_len, const trace *t,
		 int64_t window_s, dedup_result *out);

#endif
