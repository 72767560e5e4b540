/* A repository's issues on GitHub as a source (see source.h). */
#include "source.h"

#include <stdlib.h>
#include <time.h>

#include "github.h"
#include "log_line.h"
#include "xalloc.h"

/* Where a poll stands: kept when every issue of it was triaged. */
struct github_pos {
	int64_t repo_id;
	github_poll_state st;
};

static void pos_free(void *p)
{
	struct github_pos *pos = p;
	if (!pos)
		return;
	free(pos->st.etag);
	free(pos->st.since);
	free(pos);
}

/* Polled from where the last poll stopped (an idle poll is one 304); a limit
 * GitHub set is waited for, and the last requests of a window wait for its
 * reset. Without credentials the repository is a clone for expertise only. */
static int read_github(const struct source_ctx *x, const config_repo *r, inbox_list *l, void **p)
{
	*p = NULL;
	if (!github_auth_available(x->auth))
		return 0;
	struct github_pos *pos = xcalloc(1, sizeof(*pos));
	int64_t wait_until = 0;
	if (store_repo_ensure(x->db, r->slug, &pos->repo_id) < 0 ||
	    store_github_poll_get(x->db, pos->repo_id, &pos->st.etag, &pos->st.since, &wait_until) < 0) {
		log_line(x->log, "%s: %s", r->slug, store_error(x->db));
		x->rep->failed++;
		pos_free(pos);
		return -1;
	}
	time_t now = time(NULL);
	if (wait_until > now) {
		/* GitHub asked for time: asking now would only prolong it */
		log_line(x->log, "%s: waiting %lld s more for GitHub's rate limit", r->slug,
			 (long long)(wait_until - now));
		pos_free(pos);
		return 0;
	}
	github_client g = { config_str(x->cfg, CFG_GITHUB_API_URL), NULL, x->github, x->auth, r->slug };
	github_rate rate = { -1, 0, 0, 0 };
	char *err = NULL;
	int got = github_poll_issues(&g, r->slug, &pos->st, l, &rate, &err);
	/* why it failed, on the repository's row (the token cannot see it...) */
	if (store_github_poll_error(x->db, pos->repo_id, got < 0 ? err : NULL) < 0)
		log_line(x->log, "%s: %s", r->slug, store_error(x->db));
	if (got < 0) {
		log_line(x->log, "%s: %s", r->slug, err);
		x->rep->failed++;
		if (rate.wait_until && store_github_poll_wait(x->db, pos->repo_id, rate.wait_until) < 0)
			log_line(x->log, "%s: %s", r->slug, store_error(x->db));
	} else if (got == 0) {
		x->rep->seen += l->n;
	}
	/* slow down before the limit, not after it: the last requests of a
	 * window wait for its reset */
	if (got >= 0 && rate.remaining >= 0 && rate.remaining < GITHUB_RATE_RESERVE && rate.reset > now &&
	    store_github_poll_wait(x->db, pos->repo_id, rate.reset) < 0)
		log_line(x->log, "%s: %s", r->slug, store_error(x->db));
	if (rate.remaining >= 0)
		log_line(x->log, "%s: GitHub: %d request%s, %ld left until %lld", r->slug, rate.requests,
			 rate.requests == 1 ? "" : "s", rate.remaining, (long long)rate.reset);
	free(err);
	if (got != 0) {
		pos_free(pos);
		return got < 0 ? -1 : 0; /* 1: nothing changed, a 304 */
	}
	*p = pos;
	return 1;
}

static void keep_github(const struct source_ctx *x, const config_repo *r, void *p)
{
	struct github_pos *pos = p;
	if (store_github_poll_set(x->db, pos->repo_id, pos->st.etag, pos->st.since) < 0)
		log_line(x->log, "%s: %s", r->slug, store_error(x->db));
}

const issue_source source_github = { "github", true, read_github, keep_github, pos_free };
