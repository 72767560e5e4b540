/* The outbox's Slack messages, sent (see slack_out.h). */
#include "slack_out.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log_line.h"
#include "mail.h"
#include "outbox.h"
#include "outbox_run.h"
#include "slack.h"
#include "slack_msg.h"
#include "xalloc.h"

struct out {
	store *db;
	slack_client s;
	mail_client m;         /* the fallback when Slack is down */
	bool mail;             /* e-mail is set up */
	int64_t fallback_after; /* Slack down this long: by e-mail */
	const char *oncall;    /* mail.to: the channel's address, or NULL */
	FILE *log;
};

bool slack_configured(const config *cfg)
{
	return config_str(cfg, CFG_SLACK_WEBHOOK_URL) ||
	       (config_str(cfg, CFG_SLACK_TOKEN) && config_str(cfg, CFG_SLACK_CHANNEL));
}

/* The page of the issue's draft pull request, as sending it on GitHub left
 * it ("draft pull request URL..."), or NULL. */
static char *pr_url_of(store *db, int64_t issue_id)
{
	char *result = NULL;
	if (store_action_last_result(db, issue_id, OUTBOX_DRAFT, &result) != 1 || !result)
		return NULL;
	const char *u = strstr(result, "https://");
	char *url = u ? xstrndup(u, strcspn(u, " ")) : NULL;
	free(result);
	return url;
}

static int send_one(void *ctx, const store_action *a, char **result, char **err, int64_t *retry_at)
{
	struct out *o = ctx;
	json_t *p = json_loads(a->payload, 0, NULL);
	const char *email = json_string_value(json_object_get(p, "email"));
	store_issue is;
	store_issue_init(&is);
	store_decision d;
	store_decision_init(&d);
	store_user u;
	store_user_init(&u);
	json_t *decision = NULL;
	char *slug = NULL, *pr = NULL;
	int rc = -2;
	if (store_issue_by_id(o->db, a->issue_id, &is) != 1 || store_repo_slug(o->db, is.repo_id, &slug) != 1 ||
	    store_decision_latest(o->db, a->issue_id, &d) != 1 || !d.full_json ||
	    !(decision = json_loads(d.full_json, 0, NULL))) {
		*err = xstrdup("its issue or decision cannot be read");
		goto out;
	}
	/* taken back from a worker killed mid-send: did it go out? */
	if (a->attempts > 1) {
		char *why = NULL;
		int sent = slack_posted(&o->s, a->dedup_key, a->created_at - 60, &why);
		free(why);
		if (sent == 1) {
			*result = xstrdup("posted before");
			log_line(o->log, "%s#%d: the Slack message was posted before", slug, is.number);
			rc = 0;
			goto out;
		}
	}
	if (email && store_user_by_email(o->db, email, &u) < 0) {
		*err = xstrdup(store_error(o->db));
		rc = -1;
		goto out;
	}
	pr = pr_url_of(o->db, a->issue_id);
	slack_issue si = { slug, is.number, is.title, is.url };
	json_t *msg = slack_msg_decision(decision, &si, u.slack_id, pr);
	char *ts = NULL;
	long after = -1;
	rc = slack_post(&o->s, msg, a->dedup_key, &ts, &after, err);
	json_decref(msg);
	if (rc == 0)
		*result = ts && *ts ? xasprintf("posted at %s", ts) : xstrdup("posted");
	free(ts);
	if (rc == 0) {
		log_line(o->log, "%s#%d: told %s on Slack", slug, is.number, email ? email : "the channel");
		goto out;
	}
	/* Slack down too long (its breaker open, or failing again): the
	 * message goes by e-mail, not lost; a refusal (-2) is not an outage.
	 * Someone the users table does not know is written at their git e-mail */
	if (email && !u.id)
		store_user_add_email(&u, email);
	const char *to = email ? store_user_mail_to(&u) : o->oncall;
	int64_t down = o->s.svc ? breaker_down_for(&o->s.svc->br, (int64_t)time(NULL)) : 0;
	if (rc == -1 && o->mail && to && down > 0 && down >= o->fallback_after) {
		char *subject = NULL, *slack_err = *err;
		char *text = slack_msg_plain(decision, &si, pr, &subject);
		*err = NULL;
		rc = mail_send(&o->m, to, subject, text, a->dedup_key, err);
		free(subject);
		free(text);
		if (rc == 0) {
			*result = xasprintf("mailed to %s (Slack down for %lld s: %s)", to, (long long)down, slack_err);
			log_line(o->log, "%s#%d: Slack is down: told %s by e-mail", slug, is.number, to);
		} else {
			log_line(o->log, "%s#%d: Slack is down and the e-mail to %s failed: %s", slug, is.number, to, *err);
			rc = -1; /* Slack may be back by then */
		}
		free(slack_err);
		goto out;
	}
	if (after >= 0)
		*retry_at = (int64_t)time(NULL) + after;
	log_line(o->log, "%s#%d: Slack message not sent: %s", slug, is.number, *err);
out:
	free(pr);
	free(slug);
	json_decref(decision);
	json_decref(p);
	store_user_free(&u);
	store_decision_free(&d);
	store_issue_free(&is);
	return rc;
}

void slack_out_send(store *db, const config *cfg, store_service *svc, store_service *mail_svc, const char *holder,
		    const bool *stop, FILE *log)
{
	if (!slack_configured(cfg))
		return;
	struct out o = { db,
			 { config_str(cfg, CFG_SLACK_WEBHOOK_URL), config_str(cfg, CFG_SLACK_TOKEN),
			   config_str(cfg, CFG_SLACK_API_URL), config_str(cfg, CFG_SLACK_CHANNEL), svc },
			 mail_client_of(cfg, mail_svc), mail_configured(cfg),
			 (int64_t)config_duration(cfg, CFG_SLACK_FALLBACK_AFTER), config_str(cfg, CFG_MAIL_TO), log };
	outbox_run(db, "slack_", holder, stop, (int64_t)time(NULL), log, send_one, &o);
}
