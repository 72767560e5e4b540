/* similarity: how much of one text another keeps, as git's rename detection
 * estimates it (diffcore-delta.c's span hashes).
 *
 * libgit2's similarity metric is a different one, and near git's 50% rename
 * threshold the two disagree: rack's spec_mock.rb split into two files is
 * "R052" for git and no rename for libgit2, so blame went another way. */
#ifndef MAHORAGA_SIMILARITY_H
#define MAHORAGA_SIMILARITY_H

#include <stdbool.h>
#include <stddef.h>

/* git's MAX_SCORE: a score of this is identical, half of it is git's default
 * rename threshold (-M50%). */
#define SIMILARITY_MAX 60000

/* git's estimate_similarity of src becoming dst: 0..SIMILARITY_MAX. */
unsigned similarity_score(const char *src, size_t src_len, const char *dst, size_t dst_len);

/* False when texts of these sizes cannot reach half (git's early out), so
 * neither needs reading. */
bool similarity_sizes_may_match(size_t src_len, size_t dst_len);

/* A text's span hashes, to score it against many others without hashing it
 * again. */
typedef struct similarity_sig similarity_sig;

similarity_sig *similarity_sig_new(const char *buf, size_t len);

/* similarity_score of the two texts the signatures were made from. */
unsigned similarity_sig_score(const similarity_sig *src, const similarity_sig *dst);

void similarity_sig_free(similarity_sig *s);

#endif
