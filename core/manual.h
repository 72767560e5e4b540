/* manual: applying what a person decided about an issue in the command center.
 *
 * The screen records an action in the store (store_manual_add) and the worker
 * applies it here, on its own connection: accept the proposed assignee, reassign
 * to someone (who may have had the issue before: a person decides), send to
 * human triage, approve or reject a draft fix (rejecting deletes the draft's
 * branch in the clone), or re-triage. A person's choice stands: the machine does
 * not assign over it until someone asks for a re-triage. */
#ifndef MAHORAGA_MANUAL_H
#define MAHORAGA_MANUAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "store.h"

/* How the reason of a reassignment read from GitHub begins (a person
 * assigned the issue there): it is not said back to GitHub. */
#define MANUAL_FROM_GITHUB "assigned on GitHub"

/* Is kind one of the manual actions? */
bool manual_kind_valid(const char *kind);

/* What the screen calls an applied action: "accepted", "reassigned", ... */
const char *manual_kind_label(const char *kind);

/* Apply the pending action id and mark it done or failed with what happened
 * (the result text says it in a sentence). cfg gives the clones' paths.
 * Returns 1 done, 0 failed or not pending, -1 on a store error. *retriage
 * becomes true when the issue must be triaged again. */
int manual_apply(store *db, const config *cfg, int64_t id, bool *retriage);

/* Apply every pending action, oldest first (those a crash left behind).
 * *applied counts them. Returns 0, or -1 on a store error. */
int manual_apply_pending(store *db, const config *cfg, size_t *applied, bool *retriage);

/* 1 if a person's choice holds for the issue (the last applied action accepted,
 * reassigned or sent it to human triage, with no re-triage since), else 0. */
int manual_holds(store *db, int64_t issue_id);

/* How often people kept the assignees the triage proposed, in words, by
 * confidence band ("kept 12 of 15 proposed assignees: 80-89 7 of 7, 60-69 5
 * of 8"); NULL before anyone reacted (or when the store cannot say). */
char *manual_agreement(store *db);

#endif
