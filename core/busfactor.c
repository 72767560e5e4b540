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

void busfactor_compute(busfactor *b, const history_view *v, const busfactor_opts *o)
{
	busfactor_free(b);
	const history *h = v->h;
	size_t na = h->nauthors ? h->nauthors : 1;
	bool *skip = xcalloc(na, sizeof(*skip));
	for (size_t a = 0; a < h->nauthors; a++)
		skip[a] = expertise_is_bot(h->authors[a].name, h->authors[a].email, o->bots, o->nbots) ||
			  (o->inactive && o->inactive(h->authors[a].email, o->arg));
	int *changes = xcalloc(na, sizeof(*changes));
	bool *touched = xcalloc(na, sizeof(*touched));
	b->files = xcalloc(h->nfiles ? h->nfiles : 1, sizeof(*b->files));
	/* touches per author per folder, for the partners */
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
		memset(changes, 0, na * sizeof(*changes));
		for (size_t k = 0; k <= last; k++) {
			const history_touch *t = &h->touches[hf->touches[k]];
			if (!history_view_has(v, t->commit) || t->kind == HIST_DELETE)
				continue;
			uint32_t a = h->commits[t->commit].author;
			if (expertise_is_bot(h->authors[a].name, h->authors[a].email, o->bots, o->nbots))
				continue;
			if (creator < 0)
				creator = a;
			changes[a]++;
			total++;
		}
		size_t contributors = 0;
		for (size_t a = 0; a < h->nauthors; a++)
			contributors += changes[a] && !skip[a];
		busfactor_file *bf = &b->files[b->nfiles++];
		bf->file = (uint32_t)f;
		bf->path = h->paths[h->touches[hf->touches[last]].path];
		bf->critical = busfactor_is_critical(bf->path, o->critical, o->ncritical);
		bf->contributors = contributors;
		struct dev_doa *d = xcalloc(na, sizeof(*d));
		size_t nd = 0;
		double max = 0;
		for (size_t a = 0; a < h->nauthors; a++) {
			if (!changes[a] && (int64_t)a != creator)
				continue;
			d[nd].author = (uint32_t)a;
			d[nd].doa = busfactor_doa((int64_t)a == creator, changes[a], total - changes[a]);
			if (d[nd].doa > max)
				max = d[nd].doa;
			nd++;
		}
		qsort(d, nd, sizeof(*d), by_doa);
		bf->authors = xcalloc(nd ? nd : 1, sizeof(*bf->authors));
		for (size_t i = 0; i < nd; i++) {
			bool fa = (int64_t)d[i].author == creator;
			if (skip[d[i].author] || max <= 0 || d[i].doa / max <= 0.75 ||
			    !(d[i].doa >= 3.293 || fa))
				continue;
			bf->authors[bf->nauthors++] = d[i].author;
		}
		if (bf->nauthors && total)
			bf->owner_share = 100.0 * changes[bf->authors[0]] / total;
		free(d);
	}
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
	int *nearby = xcalloc(na, sizeof(*nearby));
	for (size_t r = 0; r < b->nrisky; r++) {
		busfactor_file *bf = &b->files[b->risky[r]];
		size_t dl = dir_len(bf->path);
		memset(nearby, 0, na * sizeof(*nearby));
		for (size_t i = 0; i < b->nfiles; i++) {
			const char *p = b->files[i].path;
			/* the file itself and its folder */
			if (dir_len(p) != dl || strncmp(p, bf->path, dl) != 0)
				continue;
			const history_file *hf = &h->files[b->files[i].file];
			for (size_t k = 0; k < hf->n; k++) {
				const history_touch *t = &h->touches[hf->touches[k]];
				if (history_view_has(v, t->commit))
					nearby[h->commits[t->commit].author]++;
			}
		}
		bf->partners = xcalloc(3, sizeof(*bf->partners));
		for (int pick = 0; pick < 3; pick++) {
			int64_t best = -1;
			for (size_t a = 0; a < h->nauthors; a++) {
				if (!nearby[a] || skip[a] || (bf->nauthors && a == bf->authors[0]))
					continue;
				bool taken = false;
				for (size_t k = 0; k < bf->npartners; k++)
					taken = taken || bf->partners[k] == a;
				if (taken)
					continue;
				/* who owns least first; then who knows the folder best */
				if (best < 0 || authored[a] < authored[best] ||
				    (authored[a] == authored[best] && nearby[a] > nearby[best]))
					best = (int64_t)a;
			}
			if (best < 0)
				break;
			bf->partners[bf->npartners++] = (uint32_t)best;
		}
	}
	free(nearby);
	free(gone);
	free(authored);
	free(owned);
	free(touched);
	free(changes);
	free(skip);
}
