/* libFuzzer target: git's similarity estimate (core/similarity) over two texts
 * read from repositories (blobs of any content). The first byte says where
 * the rest is cut into the two. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "similarity.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t rest = size - 1, cut = (size_t)data[0] * rest / 256;
	const char *a = (const char *)data + 1, *b = a + cut;
	size_t alen = cut, blen = rest - cut;
	unsigned score = similarity_score(a, alen, b, blen);
	if (score > SIMILARITY_MAX)
		abort();
	/* the signatures score as the one-off call does, both ways */
	similarity_sig *sa = similarity_sig_new(a, alen), *sb = similarity_sig_new(b, blen);
	if (similarity_sig_score(sa, sb) != score ||
	    similarity_sig_score(sb, sa) != similarity_score(b, blen, a, alen))
		abort();
	/* a text without carriage returns is all of itself */
	if (alen && !memchr(a, '\r', alen) && similarity_sig_score(sa, sa) != SIMILARITY_MAX)
		abort();
	similarity_sig_free(sa);
	similarity_sig_free(sb);
	return 0;
}
