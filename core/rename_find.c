/* Renames and copies among one commit's changes (rename_find.h). */
#include "rename_find.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "similarity.h"
#include "xalloc.h"

#define MAX_BLOB (16u << 20)
#define RENAME_LIMIT 1000
#define CANDIDATES 4 /* git's NUM_CANDIDATE_PER_DST */

struct side {
	size_t len;
	bool known;            /* the header was read */
	bool tried;            /* the blob was read (sig, or NULL when it failed) */
	similarity_sig *sig;
};

struct score {
	unsigned score;
	bool same_name;
	int src, dst;
};

static int by_score(const void *a, const void *b)
{
	const struct score *x = a, *y = b;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	if (x->same_name != y->same_name)
		return x->same_name ? -1 : 1;
	/* git's order otherwise: destinations, then sources, as listed */
	if (x->dst != y->dst)
		return x->dst < y->dst ? -1 : 1;
	return (x->src > y->src) - (x->src < y->src);
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

static bool header(git_odb *odb, const rename_file *f, struct side *s)
{
	if (!s->known) {
		git_object_t type;
		size_t len = 0;
		s->known = true;
		if (git_odb_read_header(&len, &type, odb, &f->blob) < 0 || type != GIT_OBJECT_BLOB ||
		    len > MAX_BLOB) {
			git_error_clear();
			s->tried = true; /* never read: no signature */
			return false;
		}
		s->len = len;
	}
	return !s->tried || s->sig;
}

static const similarity_sig *sig(tree_cache *tc, const rename_file *f, struct side *s)
{
	if (!s->tried) {
		s->tried = true;
		git_odb_object *o = NULL;
		if (tree_cache_read(tc, &f->blob, &o) < 0) {
			git_error_clear();
			return NULL;
		}
		s->sig = similarity_sig_new(git_odb_object_data(o), git_odb_object_size(o));
		git_odb_object_free(o);
	}
	return s->sig;
}

void rename_find(tree_cache *tc, const rename_file *f, size_t n, rename_pair *out)
{
	git_odb *odb = tree_cache_odb(tc);
	size_t ndst = 0, nsrc = 0;
	for (size_t i = 0; i < n; i++) {
		out[i].from = -1;
		out[i].copy = false;
		ndst += f[i].kind == 'A';
		nsrc += f[i].kind == 'D' || f[i].kind == 'M';
	}
	if (!odb || !ndst || !nsrc || (uint64_t)ndst * nsrc > (uint64_t)RENAME_LIMIT * RENAME_LIMIT)
		return;
	struct side *sd = xcalloc(n, sizeof(*sd));
	struct score *m = NULL;
	size_t nm = 0, alloc = 0;
	for (size_t d = 0; d < n; d++) {
		if (f[d].kind != 'A' || !header(odb, &f[d], &sd[d]))
			continue;
		size_t first = nm;
		for (size_t s = 0; s < n; s++) {
			if ((f[s].kind != 'D' && f[s].kind != 'M') || !header(odb, &f[s], &sd[s]) ||
			    !similarity_sizes_may_match(sd[s].len, sd[d].len))
				continue;
			const similarity_sig *ds = sig(tc, &f[d], &sd[d]);
			if (!ds)
				break;
			const similarity_sig *ss = sig(tc, &f[s], &sd[s]);
			if (!ss)
				continue;
			unsigned score = similarity_sig_score(ss, ds);
			if (score < SIMILARITY_MAX / 2)
				continue;
			XGROW(m, nm, alloc);
			m[nm++] = (struct score){ score, strcmp(base_name(f[s].path), base_name(f[d].path)) == 0,
						  (int)s, (int)d };
		}
		/* git keeps the best few sources of each target */
		if (nm - first > 1)
			qsort(m + first, nm - first, sizeof(*m), by_score);
		if (nm - first > CANDIDATES)
			nm = first + CANDIDATES;
	}
	if (nm > 1)
		qsort(m, nm, sizeof(*m), by_score);
	/* renames first, each source once; then copies of anything */
	bool *used = xcalloc(n, sizeof(*used));
	for (int pass = 0; pass < 2; pass++)
		for (size_t k = 0; k < nm; k++) {
			int s = m[k].src, d = m[k].dst;
			if (out[d].from >= 0 || (pass == 0 && used[s]))
				continue;
			out[d].from = s;
			out[d].copy = pass == 1 || f[s].kind == 'M';
			used[s] = true;
		}
	free(used);
	free(m);
	for (size_t i = 0; i < n; i++)
		similarity_sig_free(sd[i].sig);
	free(sd);
}
