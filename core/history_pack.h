/* history_pack: the history index as one flat byte string, and back.
 *
 * Loading the index row by row from SQLite cost most of a warm command (60 ms
 * of 100 on git/git's 82k commits); one byte string is read with one copy and
 * decoded in a few milliseconds. The format is fixed-width little-endian
 * records behind a header of counts, so the same bytes load on any machine.
 * Decoding trusts nothing: a string that does not decode whole is refused. */
#ifndef MAHORAGA_HISTORY_PACK_H
#define MAHORAGA_HISTORY_PACK_H

#include <stddef.h>

#include "history.h"
#include "strbuf.h"

/* Append h, whole, to out. */
void history_pack(const history *h, strbuf *out);

/* Fill a fresh h (from history_init) from len bytes made by history_pack, with
 * its lookups built. Returns 0, or -1 if the bytes are not one whole, valid
 * packed index (then h is left empty, as history_init made it). */
int history_unpack(history *h, const void *data, size_t len);

#endif
