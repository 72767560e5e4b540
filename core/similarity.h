/* similarity: how much of one text another keeps, as git's rename detection
 * estimates it (diffcore-delta.c's span hashes).
 *
 * libgit2's similarity metric is a different one, and near git's 50% rename
 * threshold the two disagree: rack's spec_mock.rb split into two files is
 * "R052" for git and no rename for libgit2, so blame went another way. */
#ifndef MAHORAGA_SIMILARITY_H
#define MAHORAGA_SIMILARITY_H

#include <stddef.h>

/* git's MAX_SCORE: a score of this is identical, half of it is git's default
 * rename threshold (-M50%). */
#define SIMILARITY_MAX 60000

/* git's estimate_similarity of src becoming dst: 0..SIMILARITY_MAX. */
unsigned similarity_score(const char *src, size_t src_len, const char *dst, size_t dst_len);

#endif
