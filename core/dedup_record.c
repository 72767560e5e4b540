/* The duplicate rule applied to the store's reports (see dedup_record). */
#include <stdlib.h>

#include "dedup.h"
#include "xalloc.h"

struct job {
	store_report *r;
	int64_t window_s;
	dedup_result *out;
};

/* Inside one transaction, so that two workers recording the same report at
 * once cannot both find "nothing before". */
static int classify_and_save(store *s, void *arg)
{
	struct job *j = arg;
	store_report *r = j->r;
	store_reports found = { 0 };
	if (store_reports_candidates(s, r->repo_id, r->issue_id, r->fingerprint, r->content_hash,
				     r->reported_at - DEDUP_NEAR_HORIZON, 500, &found) < 0)
		return -1;
	dedup_report *earlier = xcalloc(found.n ? found.n : 1, sizeof(*earlier));
	size_t n = 0;
	for (size_t i = 0; i < found.n; i++) {
		if (found.v[i].reported_at > r->reported_at)
			continue; /* only what came before can be the original */
		earlier[n++] = (dedup_report){
			.issue_id = found.v[i].issue_id, .reported_at = found.v[i].reported_at,
			.fingerprint = found.v[i].fingerprint,
			.content_hash = found.v[i].content_hash, .signature = found.v[i].signature,
		};
	}
	dedup_report now = { .issue_id = r->issue_id, .reported_at = r->reported_at,
			     .fingerprint = r->fingerprint, .content_hash = r->content_hash,
			     .signature = r->signature };
	dedup_classify(&now, earlier, n, j->window_s, DEDUP_NEAR_THRESHOLD, j->out);
	/* link to the group's first issue, not to another duplicate of it */
	for (size_t i = 0; j->out->of && i < found.n; i++)
		if (found.v[i].issue_id == j->out->of && found.v[i].duplicate_of)
			j->out->of = found.v[i].duplicate_of;
	free(earlier);
	store_reports_free(&found);
	r->relation = xstrdup(dedup_kind_name(j->out->kind));
	r->duplicate_of = j->out->of;
	r->similarity = j->out->similarity;
	return store_report_save(s, r);
}

int dedup_record(store *s, int64_t repo_id, int64_t issue_id, int64_t reported_at,
		 const char *title, const char *body, size_t body_len, const trace *t,
		 int64_t window_s, dedup_result *out)
{
	store_report r;
	store_report_init(&r);
	r.issue_id = issue_id;
	r.repo_id = repo_id;
	r.reported_at = reported_at;
	r.fingerprint = dedup_fingerprint(t);
	r.content_hash = dedup_content_hash(title, body, body_len);
	dedup_sig sig;
	dedup_sig_init(&sig);
	dedup_sig_from_trace(&sig, t);
	r.signature = sig.n ? dedup_sig_serialize(&sig) : NULL;
	dedup_sig_free(&sig);
	struct job j = { &r, window_s, out };
	int rc = store_transaction(s, classify_and_save, &j);
	store_report_free(&r);
	return rc;
}
