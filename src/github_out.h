/* github_out: the outbox's GitHub actions sent, each once.
 *
 * What a decision or a person's choice queued (core/outbox) goes out here:
 * the triage comment (looked for by its hidden marker first, edited if it is
 * there, posted if not: a worker killed between the post and the store's
 * "done" never posts twice), the assignee (added; the one mahoraga had set
 * before taken off; a git e-mail becomes a login through the users table, a
 * no-reply address, else the account GitHub gives one of that person's
 * commits in the clone, learnt once), and labels (created where missing,
 * with github.label_prefix). Only when a token is set and github.write is on. */
#ifndef MAHORAGA_GITHUB_OUT_H
#define MAHORAGA_GITHUB_OUT_H

#include <stdbool.h>
#include <stdio.h>

#include "config.h"
#include "github_auth.h"
#include "store.h"

/* Send what is due as holder (the worker's name in the store), until stop
 * becomes true (stop may be NULL), through
 * GitHub's breaker and status svc (may be NULL); what happens is said on log
 * (may be NULL). A failed action is tried again later, a minute more each
 * time, and given up after 10 attempts. */
void github_out_send(store *db, const config *cfg, github_auth *auth, store_service *svc, const char *holder,
		     const bool *stop, FILE *log);

#endif
