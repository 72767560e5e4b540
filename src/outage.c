/* Administrators told of an outage, once (see outage.h). */
#include "outage.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log_line.h"
#include "mail.h"
#include "strbuf.h"
#include "xalloc.h"

/* How a service is named in words (the LLM needs its article). */
static const char *display(const char *name)
{
	return strcmp(name, "github") == 0 ? "GitHub" : strcmp(name, "slack") == 0 ? "Slack"
	       : strcmp(name, "llm") == 0 ? "the LLM" : name;
}

/* The same at the start of a sentence. */
static const char *display_first(const char *name)
{
	return strcmp(name, "llm") == 0 ? "The LLM" : display(name);
}

static void tell_one(store *db, const config *cfg, const store_service *sv, const char *admin, store_service *mail,
		     FILE *log)
{
	int64_t since = sv->br.down_since;
	int claimed = store_service_tell_down(db, sv->name, since);
	if (claimed < 0)
		log_line(log, "telling of %s's outage: %s", display(sv->name), store_error(db));
	if (claimed != 1)
		return; /* told already, by this process or another */
	time_t t = (time_t)since;
	struct tm tm;
	gmtime_r(&t, &tm);
	char when[32];
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M UTC", &tm);
	char *subject = xasprintf("mahoraga: %s is down since %s", display(sv->name), when);
	strbuf body = STRBUF_INIT;
	strbuf_addf(&body, "%s has not answered mahoraga since %s (%lld minutes).\n", display_first(sv->name), when,
		    (long long)(time(NULL) - since) / 60);
	if (sv->last_error)
		strbuf_addf(&body, "Its last error: %s\n", sv->last_error);
	if (strcmp(sv->name, "slack") == 0)
		strbuf_addstr(&body, "Its messages go by e-mail until it answers again.\n");
	else
		strbuf_addstr(&body, "What mahoraga has to say there waits in its outbox and is sent when it is back.\n");
	strbuf_addstr(&body, "You are told once for this outage.\n");
	char *key = xasprintf("outage:%s:%lld", sv->name, (long long)since);
	char *err = NULL;
	mail_client m = mail_client_of(cfg, mail);
	if (mail_send(&m, admin, subject, body.buf, key, &err) == 0) {
		log_line(log, "told %s that %s is down", admin, display(sv->name));
	} else {
		log_line(log, "could not tell %s that %s is down: %s", admin, display(sv->name), err);
		if (store_service_untell_down(db, sv->name, since) < 0)
			log_line(log, "telling of %s's outage: %s", display(sv->name), store_error(db));
	}
	free(err);
	free(key);
	free(subject);
	strbuf_release(&body);
}

void outage_tell(store *db, const config *cfg, store_service *const *svcs, size_t n, store_service *mail,
		 FILE *log)
{
	const char *admin = config_str(cfg, CFG_MAIL_ADMIN) ? config_str(cfg, CFG_MAIL_ADMIN)
							 : config_str(cfg, CFG_MAIL_TO);
	if (!mail_configured(cfg) || !admin)
		return;
	int64_t after = (int64_t)config_duration(cfg, CFG_SLACK_FALLBACK_AFTER);
	int64_t now = (int64_t)time(NULL);
	for (size_t i = 0; i < n; i++) {
		const store_service *sv = svcs[i];
		if (sv->br.down_since && breaker_down_for(&sv->br, now) >= after)
			tell_one(db, cfg, sv, admin, mail, log);
	}
}
