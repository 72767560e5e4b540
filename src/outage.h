/* outage: administrators told by e-mail, once per outage, that an outside
 * service is down.
 *
 * A service is down from its first failure without an answer between
 * (breaker_down_for). Past slack.fallback_after, the administrators
 * (mail.admin, else the on-call mail.to) get one message per outage, even
 * with several workers running: the store hands the telling to one of them
 * (store_service_tell_down). Nothing is said when e-mail is not set up. */
#ifndef MAHORAGA_OUTAGE_H
#define MAHORAGA_OUTAGE_H

#include <stddef.h>
#include <stdio.h>

#include "config.h"
#include "store.h"

/* Tell of each of the n services (saved: their outage's start is the
 * store's) that is down long enough, through mail (the "mail" service). */
void outage_tell(store *db, const config *cfg, store_service *const *svcs, size_t n, store_service *mail,
		 FILE *log);

#endif
