/* proposal: a spell a language model proposed, accepted or rejected by a
 * person (`mahoraga spells accept|reject`, the command center's spells
 * pane). Accepted, it is written into the user's spells like `spells add`
 * and matches from the next triage on; it is never used before. */
#ifndef MAHORAGA_PROPOSAL_H
#define MAHORAGA_PROPOSAL_H

#include <stdint.h>

#include "store.h"

/* Keep text, a spell a model proposed for issue_id, as a pending proposal
 * under the id it declares (the same spell proposed again is kept once).
 * Returns 1 kept, 0 known already or not a spell, -1 on a store error. */
int proposal_keep(store *db, int64_t issue_id, const char *text, int64_t now);

/* Accept proposal id into dir (the user's spells). Returns 0 with *path
 * (the spell's file; free it), or -1 with *err: no such proposal, decided
 * already (by someone else too), or the file cannot be written (then it
 * stays pending). */
int proposal_accept(store *db, int64_t id, const char *dir, int64_t now, char **path, char **err);

/* Reject proposal id. Returns 0, or -1 with *err. */
int proposal_reject(store *db, int64_t id, int64_t now, char **err);

#endif
