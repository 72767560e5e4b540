/* Degree of authorship, truck factor, risky files and partners (busfactor.h). */
#include "busfactor.h"

#include <fnmatch.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "expertise.h"
#include "xalloc.h"

void busfactor_init(busfactor *b)
{
	memset(b, 0, sizeof(*b));
}

void busfactor_free(busfactor *b)
{
	for (size_t i = 0; i < b->nfiles; i++) {
		free(b->files[i].authors);
		free(b->files[i].partners);
	}
	free(b->files);
	free(b->devs);
	free(b->removed);
	free(b->risky);
	busfactor_init(b);
}

double busfactor_doa(bool created, int own_changes, int others_changes)
{
	return 3.293 + 1.098 * (created ? 1 : 0) + 0.164 * own_changes -
	       0.321 * log(1.0 + others_changes);
}

bool busfactor_is_critical(const char *path, const char *const *globs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (fnmatch(globs[i], path, 0) == 0)
			return true;
	return false;
}

/* The folder part of a path ("" at the top). */
static size_t dir_len(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? (size_t)(s - path) : 0;
}

struct dev_doa {
	uint32_t author;
	double doa;
};

static int by_doa(const void *a, const void *b)
{
	const struct dev_doa *x = a, *y = b;
	return x->doa > y->doa ? -1 : x->doa < y->doa ? 1 : (x->author > y->author) - (x->author < y->author);
}

static int by_author(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* Files by folder (the path up to its last '/'), then by index. */
static int by_folder(const void *a, const void *b, void *arg)
{
	const busfactor_file *files = arg;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	size_t li = dir_len(files[i].path), lj = dir_len(files[j].path);
	size_t n = li < lj ? li : lj;
	int c = strncmp(files[i].path, files[j].path, n);
	if (c == 0 && li != lj)
		c = li < lj ? -1 : 1;
	return c ? c : (i < j ? -1 : i > j);
}

/* Up to three partners for a risky file among who (authors ascending) changed
 * its folder: who owns least first; then who knows the folder best. */
static void pick_partners(busfactor_file *bf, const uint32_t *who, size_t nwho,
			  const int *nearby, const bool *skip, const size_t *authored)
{
	bf->partners = xcalloc(3, sizeof(*bf->partners));
	for (int pick = 0; pick < 3; pick++) {
		int64_t best = -1;
		for (size_t i = 0; i < nwho; i++) {
			uint32_t a = who[i];
			if (skip[a] || (bf->nauthors && a == bf->authors[0]))
				continue;
			bool taken = false;
			for (size_t k = 0; k < bf->npartners; k++)
				taken = taken || bf->partners[k] == a;
			if (taken)
				continue;
			if (best < 0 || authored[a] < authored[best] ||
			    (authored[a] == authored[best] && nearby[a] > nearby[best]))
				best = (int64_t)a;
		}
		if (best < 0)
			break;
		bf->partners[bf->npartners++] = (uint32_t)best;
	}
}

void busfactor_compute(busfactor *b, const history_view *v, const busfactor_opts *o)
{
	busfactor_free(b);
	const history *h = v->h;
	size_t na = h->nauthors ? h->nauthors : 1;
	bool *skip = xcalloc(na, sizeof(*skip));
	for (size_t a = 0; a < h->nauthors; a++)
		skip[a] = expertise_is_bot(h->authors[a].name, h->authors[a].email, o->bots, o->nbots) ||
			  expertise_is_inactive(v, (uint32_t)a, o->inactive_after, o->user_state, o->arg);
	bool *bot = xcalloc(na, sizeof(*bot));
	for (size_t a = 0; a < h->nauthors; a++)
		bot[a] = expertise_is_bot(h->authors[a].name, h->authors[a].email, o->bots, o->nbots);
	/* per file, only the authors who changed it are visited: changes[] is
	 * reset through the list of those authors, never across all of them */
	int *changes = xcalloc(na, sizeof(*changes));
	uint32_t *who = xcalloc(na, sizeof(*who));
	struct dev_doa *doa = xcalloc(na, sizeof(*doa));
	b->files = xcalloc(h->nfiles ? h->nfiles : 1, sizeof(*b->files));
	for (size_t f = 0; f < h->nfiles; f++) {
		const history_file *hf = &h->files[f];
		size_t last = SIZE_MAX;
		for (size_t k = 0; k < hf->n; k++)
			if (history_view_has(v, h->touches[hf->touches[k]].commit))
				last = k;
		if (last == SIZE_MAX || h->touches[hf->touches[last]].kind == HIST_DELETE)
			continue;
		/* the creator: the first change of the file, bots aside */
		int64_t creator = -1;
		int total = 0;
		size_t nwho = 0;
		for (size_t k = 0; k <= last; k++) {
			const history_touch *t = &h->touches[hf->touches[k]];
			if (!history_view_has(v, t->commit) || !history_touch_counts(t))
				continue;
			uint32_t a = h->commits[t->commit].author;
			if (bot[a])
				continue;
			if (creator < 0)
				creator = a;
			if (changes[a]++ == 0)
				who[nwho++] = a;
			total++;
		}
		/* a file only merges brought (a subtree) has no commit to judge by */
		bool changed = false;
		for (size_t k = 0; k <= last && !changed; k++) {
			const history_touch *t = &h->touches[hf->touches[k]];
			changed = history_view_has(v, t->commit) && history_touch_counts(t);
		}
		if (!changed) /* then nobody was counted either */
			continue;
		size_t contributors = 0;
		for (size_t i = 0; i < nwho; i++)
			contributors += !skip[who[i]];
		busfactor_file *bf = &b->files[b->nfiles++];
		bf->file = (uint32_t)f;
		bf->path = h->paths[h->touches[hf->touches[last]].path];
		bf->critical = busfactor_is_critical(bf->path, o->critical, o->ncritical);
		bf->contributors = contributors;
		size_t nd = 0;
		double max = 0;
		/* in author order, as before, so that equal DOAs keep their order */
		qsort(who, nwho, sizeof(*who), by_author);
		for (size_t i = 0; i < nwho; i++) {
			uint32_t a = who[i];
			doa[nd].author = a;
			doa[nd].doa = busfactor_doa((int64_t)a == creator, changes[a], total - changes[a]);
			if (doa[nd].doa > max)
				max = doa[nd].doa;
			nd++;
		}
		qsort(doa, nd, sizeof(*doa), by_doa);
		bf->authors = xcalloc(nd ? nd : 1, sizeof(*bf->authors));
		for (size_t i = 0; i < nd; i++) {
			bool fa = (int64_t)doa[i].author == creator;
			if (skip[doa[i].author] || max <= 0 || doa[i].doa / max <= 0.75 ||
			    !(doa[i].doa >= 3.293 || fa))
				continue;
			bf->authors[bf->nauthors++] = doa[i].author;
		}
		if (bf->nauthors && total)
			bf->owner_share = 100.0 * changes[bf->authors[0]] / total;
		for (size_t i = 0; i < nwho; i++)
			changes[who[i]] = 0;
	}
	free(doa);
	/* developers and their authored files */
	size_t *authored = xcalloc(na, sizeof(*authored));
	size_t *owned = xcalloc(na, sizeof(*owned));
	for (size_t i = 0; i < b->nfiles; i++) {
		for (size_t k = 0; k < b->files[i].nauthors; k++)
			authored[b->files[i].authors[k]]++;
		if (b->files[i].nauthors == 1)
			owned[b->files[i].authors[0]]++;
	}
	b->devs = xcalloc(na, sizeof(*b->devs));
	for (size_t a = 0; a < h->nauthors; a++)
		if (authored[a]) {
			busfactor_dev *d = &b->devs[b->ndevs++];
			d->author = (uint32_t)a;
			d->files_authored = authored[a];
			d->files_owned = owned[a];
			d->ownership_pct = b->nfiles ? 100.0 * (double)owned[a] / (double)b->nfiles : 0;
		}
	for (size_t i = 0; i < b->ndevs; i++)
		for (size_t j = i + 1; j < b->ndevs; j++)
			if (b->devs[j].files_authored > b->devs[i].files_authored ||
			    (b->devs[j].files_authored == b->devs[i].files_authored &&
			     b->devs[j].author < b->devs[i].author)) {
				busfactor_dev t = b->devs[i];
				b->devs[i] = b->devs[j];
				b->devs[j] = t;
			}
	/* truck factor: remove the top author until most files are orphaned */
	bool *gone = xcalloc(na, sizeof(*gone));
	b->removed = xcalloc(na, sizeof(*b->removed));
	for (;;) {
		size_t orphaned = 0;
		size_t *count = xcalloc(na, sizeof(*count));
		for (size_t i = 0; i < b->nfiles; i++) {
			size_t left = 0;
			for (size_t k = 0; k < b->files[i].nauthors; k++)
				if (!gone[b->files[i].authors[k]]) {
					left++;
					count[b->files[i].authors[k]]++;
				}
			orphaned += left == 0;
		}
		int64_t top = -1;
		for (size_t a = 0; a < h->nauthors; a++)
			if (!gone[a] && count[a] && (top < 0 || count[a] > count[top]))
				top = (int64_t)a;
		free(count);
		if (b->nfiles == 0 || orphaned * 2 > b->nfiles || top < 0)
			break;
		gone[top] = true;
		b->removed[b->nremoved++] = (uint32_t)top;
	}
	b->truck_factor = b->nremoved;
	/* risky files: one author left; partners from the same folder */
	b->risky = xcalloc(b->nfiles ? b->nfiles : 1, sizeof(*b->risky));
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < b->nfiles; i++)
			if ((b->files[i].nauthors <= 1 || b->files[i].contributors == 1) &&
			    b->files[i].critical == (pass == 0))
				b->risky[b->nrisky++] = i;
	/* each folder's changes per author, counted once for all its risky files:
	 * files sorted by folder, so a folder is a run of them */
	size_t *order = xcalloc(b->nfiles ? b->nfiles : 1, sizeof(*order));
	for (size_t i = 0; i < b->nfiles; i++)
		order[i] = i;
	qsort_r(order, b->nfiles, sizeof(*order), by_folder, b->files);
	int *nearby = xcalloc(na, sizeof(*nearby));
	bool *is_risky = xcalloc(b->nfiles ? b->nfiles : 1, sizeof(*is_risky));
	for (size_t r = 0; r < b->nrisky; r++)
		is_risky[b->risky[r]] = true;
	for (size_t s = 0; s < b->nfiles;) {
		const char *p0 = b->files[order[s]].path;
		size_t dl = dir_len(p0);
		size_t e = s + 1;
		while (e < b->nfiles && dir_len(b->files[order[e]].path) == dl &&
		       strncmp(b->files[order[e]].path, p0, dl) == 0)
			e++;
		bool any = false;
		for (size_t i = s; i < e && !any; i++)
			any = is_risky[order[i]];
		if (any) {
			size_t nwho = 0;
			for (size_t i = s; i < e; i++) {
				const history_file *hf = &h->files[b->files[order[i]].file];
				for (size_t k = 0; k < hf->n; k++) {
					const history_touch *t = &h->touches[hf->touches[k]];
					if (!history_view_has(v, t->commit))
						continue;
					uint32_t a = h->commits[t->commit].author;
					if (nearby[a]++ == 0)
						who[nwho++] = a;
				}
			}
			qsort(who, nwho, sizeof(*who), by_author);
			for (size_t i = s; i < e; i++)
				if (is_risky[order[i]])
					pick_partners(&b->files[order[i]], who, nwho, nearby, skip, authored);
			for (size_t i = 0; i < nwho; i++)
				nearby[who[i]] = 0;
		}
		s = e;
	}
	free(is_risky);
	free(order);
	free(who);
	free(bot);
	free(nearby);
	free(gone);
	free(authored);
	free(owned);
	free(changes);
	free(skip);
}
