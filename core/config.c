/* config: the settings table, value checking, and the precedence of sources. */
#include "config_internal.h"

#include <ctype.h>
#include <errno.h>
#include <git2.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "paths.h"
#include "xalloc.h"

enum cfg_type { T_INT, T_BOOL, T_DURATION, T_STRING, T_URL, T_SMTP_URL, T_EMAIL, T_LIST };

#define F_SECRET 1u   /* masked when shown; never saved to the database or given as a flag */
#define F_ENV_ONLY 2u /* not in the config file either */

struct cfg_desc {
	const char *name;
	enum cfg_type type;
	const char *def;
	long min, max;
	unsigned flags;
	const char *env[2];   /* variables, the first set one wins; NULL: MAHORAGA_<NAME> */
	const char *help;
};

#define DAY (24L * 3600L)

static const struct cfg_desc descs[CFG_N_KEYS] = {
	[CFG_GITHUB_API_URL] = { "github.api_url", T_URL, "https://api.github.com", 0, 0, 0,
				 { NULL }, "GitHub REST API (Enterprise: https://HOST/api/v3)" },
	[CFG_GITHUB_TOKEN] = { "github.token", T_STRING, NULL, 0, 0, F_SECRET | F_ENV_ONLY,
			       { "GH_TOKEN", "GITHUB_TOKEN" }, "GitHub token" },
	[CFG_GITHUB_WEBHOOK_SECRET] = { "github.webhook_secret", T_STRING, NULL, 0, 0, F_SECRET | F_ENV_ONLY,
					{ NULL }, "the webhook's secret, to verify saved deliveries (poll --webhook-file)" },
	[CFG_GITHUB_WRITE] = { "github.write", T_BOOL, "false", 0, 0, 0, { NULL },
			       "say decisions on GitHub: the triage comment, the assignee, labels "
			       "(false: shown in the issue view only)" },
	[CFG_GITHUB_LABEL_PREFIX] = { "github.label_prefix", T_STRING, NULL, 0, 0, 0, { NULL },
				      "put before the labels mahoraga adds on GitHub (e.g. triage/)" },
	[CFG_GITHUB_APP_ID] = { "github.app_id", T_STRING, NULL, 0, 0, 0, { NULL },
				"a GitHub App's id: with its key, it acts as the App (when no token is set)" },
	[CFG_GITHUB_APP_KEY_FILE] = { "github.app_key_file", T_STRING, NULL, 0, 0, 0, { NULL },
				      "the GitHub App's private key (.pem), to sign its tokens" },
	[CFG_GITHUB_WRITE_PACE] = { "github.write_pace", T_DURATION, "1s", 0, 60, 0, { NULL },
				    "at least this long between two writes to GitHub (its guidance: a second)" },
	[CFG_TRIAGE_DRAFT_THRESHOLD] = { "triage.draft_threshold", T_INT, "85", 0, 100, 0,
					 { NULL },
					 "confidence above which a fix is drafted and the bug assigned" },
	[CFG_TRIAGE_ASSIGN_THRESHOLD] = { "triage.assign_threshold", T_INT, "60", 0, 100, 0,
					  { NULL },
					  "confidence from which a bug is assigned; below it, human triage" },
	[CFG_TRIAGE_DRAFT_FIXES] = { "triage.draft_fixes", T_BOOL, "true", 0, 0, 0, { NULL },
				     "draft fixes on a local branch when confidence allows" },
	[CFG_TRIAGE_DUPLICATE_WINDOW] = { "triage.duplicate_window", T_DURATION, "10m", 0,
					  30 * DAY, 0, { NULL },
					  "identical reports this close together are duplicates" },
	[CFG_TRIAGE_OVERLOAD_LIMIT] = { "triage.overload_limit", T_INT, "5", 1, 1000, 0,
					{ NULL },
					"a developer with more open bugs than this is overloaded" },
	[CFG_TRIAGE_DECAY_DAYS] = { "triage.decay_days", T_INT, "90", 1, 3650, 0, { NULL },
				    "days in exp(-age/decay): how fast old commits stop counting" },
	[CFG_WORKER_POLL_INTERVAL] = { "worker.poll_interval", T_DURATION, "60s", 5, DAY, 0,
				       { NULL }, "how often the worker polls issue sources" },
	[CFG_EXPERTISE_BOTS] = { "expertise.bots", T_LIST,
				 "[bot],dependabot,renovate,github-actions,imgbot,snyk-bot,greenkeeper,"
				 "pre-commit-ci,travis,codecov,mergify,allcontributors,semantic-release,"
				 "whitesource,deepsource,restyled,github-classroom", 0, 0, 0, { NULL },
				 "authors never counted as experts (comma-separated patterns)" },
	[CFG_EXPERTISE_LINE_WEIGHT] = { "expertise.line_weight", T_INT, "100", 0, 10000, 0,
					{ NULL },
					"weight of the share of lines owned in the expertise score" },
	[CFG_EXPERTISE_INACTIVE_AFTER] = { "expertise.inactive_after", T_DURATION, "365d", 0, 100 * 365 * DAY, 0,
					   { NULL },
					   "no commit for this long and not listed as active in the users table: "
					   "treated as gone (0: never)" },
	[CFG_EXPERTISE_LINE_BONUS] = { "expertise.line_bonus", T_INT, "10", 0, 10000, 0,
				       { NULL },
				       "bonus for owning the exact line the trace blames" },
	[CFG_BUSFACTOR_CRITICAL] = { "busfactor.critical", T_LIST,
				     "*auth*,*security*,*payment*,*billing*,*crypto*,*migration*",
				     0, 0, 0, { NULL },
				     "globs of critical files, listed first among risky files" },
	[CFG_SLACK_CHANNEL] = { "slack.channel", T_STRING, NULL, 0, 0, 0, { NULL },
				"Slack channel for triage notifications" },
	[CFG_SLACK_WEBHOOK_URL] = { "slack.webhook_url", T_URL, NULL, 0, 0, F_SECRET,
				    { "SLACK_WEBHOOK_URL", NULL },
				    "Slack incoming-webhook URL (a secret)" },
	[CFG_SLACK_TOKEN] = { "slack.token", T_STRING, NULL, 0, 0, F_SECRET | F_ENV_ONLY,
			      { "SLACK_BOT_TOKEN", NULL }, "Slack bot token" },
	[CFG_SLACK_API_URL] = { "slack.api_url", T_URL, "https://slack.com/api", 0, 0, 0, { NULL },
				"Slack's Web API (for the bot token)" },
	[CFG_SLACK_FALLBACK_AFTER] = { "slack.fallback_after", T_DURATION, "10m", 0, DAY, 0, { NULL },
				       "Slack failing this long: its messages go by e-mail (mail.*)" },
	[CFG_MAIL_SMTP_URL] = { "mail.smtp_url", T_SMTP_URL, NULL, 0, 0, 0, { NULL },
				"SMTP server for e-mail when Slack is down: smtps://host or smtp://host:587" },
	[CFG_MAIL_USER] = { "mail.user", T_STRING, NULL, 0, 0, 0, { NULL },
			    "SMTP user name (the password: MAHORAGA_MAIL_PASSWORD)" },
	[CFG_MAIL_PASSWORD] = { "mail.password", T_STRING, NULL, 0, 0, F_SECRET | F_ENV_ONLY, { NULL },
				"SMTP password" },
	[CFG_MAIL_FROM] = { "mail.from", T_EMAIL, NULL, 0, 0, 0, { NULL },
			    "the sender of mahoraga's e-mail" },
	[CFG_MAIL_TO] = { "mail.to", T_EMAIL, NULL, 0, 0, 0, { NULL },
			  "on-call address: the channel's messages by e-mail" },
	[CFG_MAIL_ADMIN] = { "mail.admin", T_EMAIL, NULL, 0, 0, 0, { NULL },
			     "told once per outage that a service is down (unset: mail.to)" },
	[CFG_LLM_URL] = { "llm.url", T_URL, NULL, 0, 0, 0, { NULL },
			  "OpenAI-compatible API base (.../v1); unset: rule-based analysis only" },
	[CFG_LLM_MODEL] = { "llm.model", T_STRING, NULL, 0, 0, 0, { NULL },
			    "model name sent to the LLM endpoint" },
	[CFG_LLM_API_KEY] = { "llm.api_key", T_STRING, NULL, 0, 0, F_SECRET | F_ENV_ONLY,
			      { NULL }, "API key for the LLM endpoint" },
	[CFG_LLM_TIMEOUT] = { "llm.timeout", T_DURATION, "60s", 1, 600, 0, { NULL },
			      "the longest a model's answer is waited for; then the rules answer" },
};

/* MAHORAGA_ variables that are not settings. */
static const char *const env_not_settings[] = { "MAHORAGA_CONFIG", "MAHORAGA_DB",
						  "MAHORAGA_DATA_DIR" };

const char *config_key_name(enum cfg_key k)
{
	return descs[k].name;
}

const char *config_key_help(enum cfg_key k)
{
	return descs[k].help;
}

int config_key_lookup(const char *name)
{
	for (int k = 0; k < CFG_N_KEYS; k++)
		if (strcmp(descs[k].name, name) == 0)
			return k;
	return -1;
}

const char *config_source_name(enum cfg_source s)
{
	static const char *const names[] = { "default", "file", "database", "environment",
					     "flag" };
	return names[s];
}

/* "triage.draft_threshold" -> "MAHORAGA_TRIAGE_DRAFT_THRESHOLD" */
static char *default_env_name(const char *name)
{
	char *v = xasprintf("MAHORAGA_%s", name);
	for (char *p = v; *p; p++)
		*p = *p == '.' ? '_' : (char)toupper((unsigned char)*p);
	return v;
}

static void origin_set(cfg_origin *o, enum cfg_source src, const char *where)
{
	free(o->where);
	o->source = src;
	o->where = xstrdup(where);
}

void config_init(config *c)
{
	memset(c, 0, sizeof(*c));
	for (int k = 0; k < CFG_N_KEYS; k++)
		c->value[k] = xstrdup(descs[k].def);
}

static void repo_free(config_repo *r)
{
	free(r->slug);
	free(r->path);
	free(r->inbox);
	free(r->problem);
	free(r->path_origin.where);
	free(r->inbox_origin.where);
}

void config_free(config *c)
{
	for (int k = 0; k < CFG_N_KEYS; k++) {
		free(c->value[k]);
		free(c->origin[k].where);
		free(c->saved[k]);
	}
	for (size_t i = 0; i < c->n_repos; i++)
		repo_free(&c->repos[i]);
	free(c->repos);
	free(c->file);
	free(c->warnings);
	memset(c, 0, sizeof(*c));
}

/* --- value checking: each returns a canonical string, or NULL with *msg set --- */

static int has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

static char *check_int(const struct cfg_desc *d, const char *v, char **msg)
{
	char *end;
	errno = 0;
	long n = strtol(v, &end, 10);
	if (!*v || *end || errno == ERANGE || isspace((unsigned char)*v)) {
		*msg = xasprintf("'%s' is not a whole number", v);
		return NULL;
	}
	if (n < d->min || n > d->max) {
		*msg = xasprintf("%ld is out of range (%ld-%ld)", n, d->min, d->max);
		return NULL;
	}
	return xasprintf("%ld", n);
}

static char *check_bool(const char *v, char **msg)
{
	int b;
	if (!v)
		return xstrdup("true");
	if (git_config_parse_bool(&b, v) < 0) {
		*msg = xasprintf("'%s' is not a boolean (true/false, yes/no, on/off, 1/0)", v);
		return NULL;
	}
	return xstrdup(b ? "true" : "false");
}

static char *format_duration(long secs)
{
	static const struct {
		long n;
		char unit;
	} units[] = { { DAY, 'd' }, { 3600, 'h' }, { 60, 'm' }, { 1, 's' } };
	if (secs == 0)
		return xstrdup("0s");
	strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < 4; i++) {
		if (secs >= units[i].n) {
			strbuf_addf(&sb, "%ld%c", secs / units[i].n, units[i].unit);
			secs %= units[i].n;
		}
	}
	return strbuf_detach(&sb);
}

static int parse_duration(const char *v, long *out)
{
	long total = 0;
	const char *s = v;
	if (!*s)
		return -1;
	while (*s) {
		if (!isdigit((unsigned char)*s))
			return -1;
		char *end;
		errno = 0;
		long n = strtol(s, &end, 10);
		if (errno == ERANGE || n > 100 * 365 * DAY)
			return -1;
		long mult;
		switch (*end) {
		case 'd': mult = DAY; end++; break;
		case 'h': mult = 3600; end++; break;
		case 'm': mult = 60; end++; break;
		case 's': mult = 1; end++; break;
		case '\0': mult = 1; break;
		default: return -1;
		}
		total += n * mult;
		if (total > 100 * 365 * DAY)
			return -1;
		s = end;
	}
	*out = total;
	return 0;
}

static char *check_duration(const struct cfg_desc *d, const char *v, char **msg)
{
	long secs;
	if (parse_duration(v, &secs) < 0) {
		*msg = xasprintf("'%s' is not a duration (like 90s, 10m, 2h, 1d, 1h30m)", v);
		return NULL;
	}
	if (secs < d->min || secs > d->max) {
		char *lo = format_duration(d->min), *hi = format_duration(d->max);
		*msg = xasprintf("%s is out of range (%s-%s)", v, lo, hi);
		free(lo);
		free(hi);
		return NULL;
	}
	return format_duration(secs);
}

static char *check_url(const char *v, char **msg)
{
	const char *rest = NULL;
	if (strncmp(v, "https://", 8) == 0)
		rest = v + 8;
	else if (strncmp(v, "http://", 7) == 0)
		rest = v + 7;
	if (!rest || !*rest || *rest == '/' || strpbrk(v, " \t\"<>\\")) {
		*msg = xasprintf("'%s' is not an http:// or https:// URL", v);
		return NULL;
	}
	size_t n = strlen(v);
	while (n > 0 && v[n - 1] == '/')
		n--;
	return xstrndup(v, n);
}

static char *check_smtp_url(const char *v, char **msg)
{
	const char *rest = NULL;
	if (strncmp(v, "smtps://", 8) == 0)
		rest = v + 8;
	else if (strncmp(v, "smtp://", 7) == 0)
		rest = v + 7;
	if (!rest || !*rest || *rest == '/' || strpbrk(v, " \t\"<>\\")) {
		*msg = xasprintf("'%s' is not an smtp:// or smtps:// URL", v);
		return NULL;
	}
	return xstrdup(v);
}

/* One address, name@domain, nothing a mail header could be split on. */
static char *check_email(const char *v, char **msg)
{
	const char *at = strchr(v, '@');
	if (!at || at == v || !at[1] || strchr(at + 1, '@') || strpbrk(v, " \t,;:<>()[]\"\\")) {
		*msg = xasprintf("'%s' is not an e-mail address (name@domain)", v);
		return NULL;
	}
	return xstrdup(v);
}

static char *check_list(const char *v)
{
	strbuf sb = STRBUF_INIT;
	const char *s = v;
	while (*s) {
		while (*s == ',' || isspace((unsigned char)*s))
			s++;
		const char *start = s;
		while (*s && *s != ',')
			s++;
		const char *end = s;
		while (end > start && isspace((unsigned char)end[-1]))
			end--;
		if (end > start) {
			if (sb.len)
				strbuf_addch(&sb, ',');
			strbuf_add(&sb, start, (size_t)(end - start));
		}
	}
	return strbuf_detach(&sb);
}

static char *check_value(const struct cfg_desc *d, const char *v, char **msg)
{
	if (d->type == T_BOOL)
		return check_bool(v, msg);
	if (!v) {
		*msg = xstrdup("needs a value");
		return NULL;
	}
	if (has_control(v)) {
		*msg = xstrdup("contains control characters");
		return NULL;
	}
	switch (d->type) {
	case T_INT: return check_int(d, v, msg);
	case T_DURATION: return check_duration(d, v, msg);
	case T_URL: return check_url(v, msg);
	case T_SMTP_URL: return check_smtp_url(v, msg);
	case T_EMAIL: return check_email(v, msg);
	case T_LIST: return check_list(v);
	case T_STRING:
		if (!*v) {
			*msg = xstrdup("needs a value");
			return NULL;
		}
		return xstrdup(v);
	case T_BOOL: break;
	}
	return NULL;
}

/* --- unknown keys: suggest the closest known one --- */

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 64 || lb > 64)
		return 99;
	size_t row[65];
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
			size_t best = diag + cost;
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

static void unknown_key(const char *name, const char *where, strbuf *errs)
{
	const char *best = NULL;
	size_t best_d = 4;
	for (int k = 0; k < CFG_N_KEYS; k++) {
		size_t dist = edit_distance(name, descs[k].name);
		if (dist < best_d) {
			best_d = dist;
			best = descs[k].name;
		}
	}
	if (best)
		strbuf_addf(errs, "%s: %s: unknown key (did you mean %s?)\n", where, name, best);
	else
		strbuf_addf(errs, "%s: %s: unknown key\n", where, name);
}

/* --- repositories: [repo "owner/name"] path = ..., inbox = ... --- */

static int valid_slug(const char *s)
{
	const char *slash = strchr(s, '/');
	if (!slash || slash == s || !slash[1] || strchr(slash + 1, '/'))
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("-_./", *s))
			return 0;
	return 1;
}

static config_repo *repo_for(config *c, const char *slug)
{
	for (size_t i = 0; i < c->n_repos; i++)
		if (strcmp(c->repos[i].slug, slug) == 0)
			return &c->repos[i];
	c->repos = xrealloc(c->repos, (c->n_repos + 1) * sizeof(*c->repos));
	config_repo *r = &c->repos[c->n_repos++];
	memset(r, 0, sizeof(*r));
	r->slug = xstrdup(slug);
	return r;
}

static char *check_clone_path(const char *v, char **msg)
{
	struct stat st;
	if (!v || !*v) {
		*msg = xstrdup("needs the path of a local clone");
		return NULL;
	}
	if (stat(v, &st) < 0) {
		*msg = xasprintf("%s: %s", v, strerror(errno));
		return NULL;
	}
	if (!S_ISDIR(st.st_mode)) {
		*msg = xasprintf("%s is not a directory", v);
		return NULL;
	}
	git_libgit2_init();
	git_repository *repo = NULL;
	int rc = git_repository_open_ext(&repo, v, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL);
	git_repository_free(repo);
	git_libgit2_shutdown();
	if (rc < 0) {
		*msg = xasprintf("%s is not a git repository", v);
		return NULL;
	}
	return xstrdup(v);
}

static int apply_repo(config *c, const char *name, const char *value, enum cfg_source src,
		      const char *where, strbuf *errs)
{
	const char *sub = name + 5;
	const char *last = strrchr(sub, '.');
	if (!last || last == sub) {
		strbuf_addf(errs, "%s: %s: expected [repo \"owner/name\"] with path or inbox\n",
			    where, name);
		return -1;
	}
	char *slug = xstrndup(sub, (size_t)(last - sub));
	const char *field = last + 1;
	int rc = -1;
	char *msg = NULL, *canon = NULL;
	if (!valid_slug(slug)) {
		strbuf_addf(errs, "%s: %s: '%s' is not owner/name\n", where, name, slug);
	} else if (strcmp(field, "path") == 0) {
		if (!value || !*value) {
			msg = xstrdup("needs the path of a local clone");
		} else {
			/* a clone missing now (a disk not mounted, a repository not yet
			 * cloned) is that repository's problem, not the settings': the
			 * others keep working */
			config_repo *r = repo_for(c, slug);
			char *problem = NULL;
			canon = check_clone_path(value, &problem);
			free(r->path);
			r->path = canon ? canon : xstrdup(value);
			free(r->problem);
			r->problem = problem;
			origin_set(&r->path_origin, src, where);
			rc = 0;
		}
	} else if (strcmp(field, "inbox") == 0) {
		if (!value || !*value) {
			msg = xstrdup("needs the path of an inbox directory");
		} else {
			config_repo *r = repo_for(c, slug);
			free(r->inbox);
			r->inbox = xstrdup(value);
			origin_set(&r->inbox_origin, src, where);
			rc = 0;
		}
	} else {
		strbuf_addf(errs, "%s: %s: unknown key (a repo has path and inbox)\n", where, name);
	}
	if (msg)
		strbuf_addf(errs, "%s: %s: %s\n", where, name, msg);
	free(msg);
	free(slug);
	return rc;
}

/* The variables key d is read from, in order; *owned is what to free. */
static void env_vars(const struct cfg_desc *d, const char *names[2], char **owned)
{
	*owned = d->env[0] ? NULL : default_env_name(d->name);
	names[0] = *owned ? *owned : d->env[0];
	names[1] = *owned ? NULL : d->env[1];
}

/* "GH_TOKEN or GITHUB_TOKEN": the variables of d, for messages. */
static char *env_names(const struct cfg_desc *d)
{
	const char *names[2];
	char *owned;
	env_vars(d, names, &owned);
	char *text = names[1] ? xasprintf("%s or %s", names[0], names[1]) : xstrdup(names[0]);
	free(owned);
	return text;
}

/* The file writes "draft-threshold" (git-config allows no '_'); everything else
 * names it "draft_threshold". Both mean the same key. */
static char *key_name(const char *name)
{
	char *n = xstrdup(name);
	char *last = strrchr(n, '.');
	for (char *p = last ? last : n; *p; p++)
		if (*p == '-')
			*p = '_';
	return n;
}

static int apply_named(config *c, const char *name, const char *value, enum cfg_source src,
		       const char *where, strbuf *errs);

int config_apply(config *c, const char *name, const char *value, enum cfg_source src,
		 const char *where, strbuf *errs)
{
	char *n = key_name(name);
	int rc = apply_named(c, n, value, src, where, errs);
	free(n);
	return rc;
}

static int apply_named(config *c, const char *name, const char *value, enum cfg_source src,
		       const char *where, strbuf *errs)
{
	if (strncmp(name, "repo.", 5) == 0)
		return apply_repo(c, name, value, src, where, errs);
	int k = config_key_lookup(name);
	if (k < 0) {
		unknown_key(name, where, errs);
		return -1;
	}
	const struct cfg_desc *d = &descs[k];
	if ((d->flags & F_ENV_ONLY) && src != CFG_SRC_ENV) {
		char *env = env_names(d);
		strbuf_addf(errs, "%s: %s: a secret is read from the environment only: set %s\n",
			    where, name, env);
		free(env);
		return -1;
	}
	if ((d->flags & F_SECRET) && (src == CFG_SRC_DB || src == CFG_SRC_FLAG)) {
		strbuf_addf(errs, "%s: %s: a secret is never saved in the database or given as a "
			    "flag: use the config file or the environment\n", where, name);
		return -1;
	}
	char *msg = NULL;
	char *canon = check_value(d, value, &msg);
	if (!canon) {
		/* A secret's value is never repeated in a message. */
		if (d->flags & F_SECRET)
			strbuf_addf(errs, "%s: %s: invalid value\n", where, name);
		else
			strbuf_addf(errs, "%s: %s: %s\n", where, name, msg);
		free(msg);
		return -1;
	}
	if (src == CFG_SRC_DB) {
		free(c->saved[k]);
		c->saved[k] = NULL;
	} else if (src > CFG_SRC_DB && c->origin[k].source == CFG_SRC_DB) {
		free(c->saved[k]);
		c->saved[k] = c->value[k];
		c->value[k] = NULL;
	}
	free(c->value[k]);
	c->value[k] = canon;
	origin_set(&c->origin[k], src, where);
	return 0;
}

/* The saved settings, but those named in skip. A saved value that does not
 * validate is not applied: the key keeps what the sources below gave it, and
 * a warning says so. One bad value in a shared database must not stop every
 * process that reads it. */
static int apply_db(config *c, store *db, strbuf *errs, const int *skip, strbuf *warns)
{
	store_settings list;
	if (store_settings_list(db, &list) < 0) {
		strbuf_addf(errs, "database: cannot read saved settings: %s\n", store_error(db));
		return -1;
	}
	for (size_t i = 0; i < list.n; i++) {
		int k = config_key_lookup(list.v[i].key);
		/* Keys a newer mahoraga saved into a shared database are not ours to judge. */
		if (strncmp(list.v[i].key, "repo.", 5) != 0 && k < 0)
			continue;
		if (k >= 0 && skip[k])
			continue;
		strbuf bad = STRBUF_INIT;
		if (config_apply(c, list.v[i].key, list.v[i].value, CFG_SRC_DB, "database", &bad) < 0) {
			if (bad.len && bad.buf[bad.len - 1] == '\n')
				bad.buf[--bad.len] = '\0';
			strbuf_addf(warns, "%s: the saved value is ignored%s\n", bad.buf,
				    k >= 0 ? ", the one below it is used" : "");
		}
		strbuf_release(&bad);
	}
	store_settings_free(&list);
	return 0;
}

static int is_setting_var(const char *var)
{
	for (size_t i = 0; i < sizeof(env_not_settings) / sizeof(*env_not_settings); i++)
		if (strcmp(var, env_not_settings[i]) == 0)
			return 1;
	int known = 0;
	for (int k = 0; k < CFG_N_KEYS && !known; k++) {
		const char *names[2];
		char *owned;
		env_vars(&descs[k], names, &owned);
		for (int i = 0; i < 2; i++)
			known |= names[i] && strcmp(names[i], var) == 0;
		free(owned);
	}
	return known;
}

static int apply_env(config *c, char *const *env, strbuf *errs)
{
	int rc = 0;
	for (int k = 0; k < CFG_N_KEYS; k++) {
		const char *names[2];
		char *owned;
		env_vars(&descs[k], names, &owned);
		for (int i = 0; i < 2; i++) {
			const char *v = names[i] ? paths_getenv(env, names[i]) : NULL;
			if (!v)
				continue;
			char *where = xasprintf("environment %s", names[i]);
			if (config_apply(c, descs[k].name, v, CFG_SRC_ENV, where, errs) < 0)
				rc = -1;
			free(where);
			break;
		}
		free(owned);
	}
	/* A misspelt MAHORAGA_ variable would otherwise be ignored without a word. */
	for (char *const *e = env; e && *e; e++) {
		const char *eq = strchr(*e, '=');
		if (strncmp(*e, "MAHORAGA_", 9) != 0 || !eq)
			continue;
		char *var = xstrndup(*e, (size_t)(eq - *e));
		if (!is_setting_var(var)) {
			strbuf_addf(errs, "environment %s: unknown setting variable\n", var);
			rc = -1;
		}
		free(var);
	}
	return rc;
}

/* Lower-case section and key of "section.sub.key", keeping the subsection's case,
 * as libgit2 does for the file. */
static void normalize_name(char *name)
{
	char *first = strchr(name, '.'), *last = strrchr(name, '.');
	for (char *p = name; *p; p++)
		if (!first || p < first || p > last || first == last)
			*p = (char)tolower((unsigned char)*p);
}

static int apply_flags(config *c, const char *const *flags, size_t n, strbuf *errs)
{
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		const char *eq = strchr(flags[i], '=');
		if (!eq) {
			strbuf_addf(errs, "-c %s: expected key=value\n", flags[i]);
			rc = -1;
			continue;
		}
		char *name = xstrndup(flags[i], (size_t)(eq - flags[i]));
		normalize_name(name);
		char *where = xasprintf("-c %s", name);
		if (config_apply(c, name, eq + 1, CFG_SRC_FLAG, where, errs) < 0)
			rc = -1;
		free(where);
		free(name);
	}
	return rc;
}

static void describe(const config *c, enum cfg_key k, strbuf *sb)
{
	strbuf_addf(sb, "%s = %s (%s)", descs[k].name, c->value[k],
		    c->origin[k].where ? c->origin[k].where : "default");
}

static int cross_check(const config *c, strbuf *errs)
{
	int rc = 0;
	if (config_int(c, CFG_TRIAGE_ASSIGN_THRESHOLD) > config_int(c, CFG_TRIAGE_DRAFT_THRESHOLD)) {
		strbuf_addstr(errs, "triage.assign_threshold must not be above "
				    "triage.draft_threshold: ");
		describe(c, CFG_TRIAGE_ASSIGN_THRESHOLD, errs);
		strbuf_addstr(errs, ", ");
		describe(c, CFG_TRIAGE_DRAFT_THRESHOLD, errs);
		strbuf_addch(errs, '\n');
		rc = -1;
	}
	for (size_t i = 0; i < c->n_repos; i++) {
		if (!c->repos[i].path) {
			strbuf_addf(errs, "%s: repo \"%s\" has an inbox but no path\n",
				    c->repos[i].inbox_origin.where, c->repos[i].slug);
			rc = -1;
		}
	}
	return rc;
}

/* Every source in order, leaving out the saved values of the keys in skip. */
static int load_sources(config *c, const config_sources *src, strbuf *errs, const int *skip, strbuf *warns)
{
	int rc = 0;
	if (src->file && config_read_file(c, src->file, src->file_required, errs) < 0)
		rc = -1;
	if (src->db && apply_db(c, src->db, errs, skip, warns) < 0)
		rc = -1;
	if (apply_env(c, src->env, errs) < 0)
		rc = -1;
	if (apply_flags(c, src->flags, src->n_flags, errs) < 0)
		rc = -1;
	return rc;
}

int config_load(config *c, const config_sources *src, char **err)
{
	strbuf errs = STRBUF_INIT, warns = STRBUF_INIT;
	int skip[CFG_N_KEYS] = { 0 };
	int rc = load_sources(c, src, &errs, skip, &warns);
	/* saved values that contradict each other: leave the saved ones out and
	 * read again, so that the next source for those keys holds */
	strbuf cross = STRBUF_INIT;
	if (cross_check(c, &cross) < 0 &&
	    (c->origin[CFG_TRIAGE_ASSIGN_THRESHOLD].source == CFG_SRC_DB ||
	     c->origin[CFG_TRIAGE_DRAFT_THRESHOLD].source == CFG_SRC_DB)) {
		if (cross.len && cross.buf[cross.len - 1] == '\n')
			cross.buf[--cross.len] = '\0';
		strbuf_addf(&warns, "database: %s: the saved values are ignored\n", cross.buf);
		skip[CFG_TRIAGE_ASSIGN_THRESHOLD] = c->origin[CFG_TRIAGE_ASSIGN_THRESHOLD].source == CFG_SRC_DB;
		skip[CFG_TRIAGE_DRAFT_THRESHOLD] = c->origin[CFG_TRIAGE_DRAFT_THRESHOLD].source == CFG_SRC_DB;
		config_free(c);
		config_init(c);
		strbuf_release(&errs);
		strbuf_init(&errs);
		strbuf scratch = STRBUF_INIT;
		rc = load_sources(c, src, &errs, skip, &scratch);
		strbuf_release(&scratch);
	}
	strbuf_release(&cross);
	/* the combination too, whatever else was wrong: config check reports
	 * every problem at once */
	if (cross_check(c, &errs) < 0)
		rc = -1;
	for (size_t i = 0; i < c->n_repos; i++)
		if (c->repos[i].problem)
			strbuf_addf(&warns, "%s: repo.%s.path: %s: skipped until it is there\n",
				    c->repos[i].path_origin.where, c->repos[i].slug, c->repos[i].problem);
	if (warns.len) {
		if (warns.buf[warns.len - 1] == '\n')
			warns.buf[--warns.len] = '\0';
		free(c->warnings);
		c->warnings = strbuf_detach(&warns);
	}
	strbuf_release(&warns);
	if (rc < 0) {
		/* Drop the last newline: callers print the message as one block. */
		if (errs.len && errs.buf[errs.len - 1] == '\n')
			errs.buf[--errs.len] = '\0';
		if (err)
			*err = strbuf_detach(&errs);
	}
	strbuf_release(&errs);
	return rc;
}

int config_int(const config *c, enum cfg_key k)
{
	return c->value[k] ? atoi(c->value[k]) : 0;
}

int config_bool(const config *c, enum cfg_key k)
{
	return c->value[k] && strcmp(c->value[k], "true") == 0;
}

int64_t config_duration(const config *c, enum cfg_key k)
{
	long secs = 0;
	if (c->value[k] && parse_duration(c->value[k], &secs) < 0)
		secs = 0;
	return secs;
}

const char *config_str(const config *c, enum cfg_key k)
{
	return c->value[k];
}

const char *config_display(const config *c, enum cfg_key k)
{
	if (!c->value[k])
		return "(unset)";
	if (descs[k].flags & F_SECRET)
		return "(set, hidden)";
	return c->value[k];
}

int config_check_saved(const char *name, const char *value, char **canonical, char **err)
{
	config scratch;
	config_init(&scratch);
	strbuf errs = STRBUF_INIT;
	int rc = config_apply(&scratch, name, value, CFG_SRC_DB, "database", &errs);
	/* what is saved must be usable now: a clone path that is not there is
	 * refused, though one that goes missing later is only skipped */
	if (rc == 0 && scratch.n_repos && scratch.repos[0].problem) {
		strbuf_addf(&errs, "database: %s: %s\n", name, scratch.repos[0].problem);
		rc = -1;
	}
	if (rc == 0 && canonical) {
		char *n = key_name(name);
		int k = config_key_lookup(n);
		free(n);
		if (k >= 0) {
			*canonical = xstrdup(scratch.value[k]);
		} else {
			/* repo.<slug>.path or .inbox: stored as given. */
			*canonical = xstrdup(value);
		}
	}
	if (rc < 0 && err) {
		if (errs.len && errs.buf[errs.len - 1] == '\n')
			errs.buf[--errs.len] = '\0';
		*err = strbuf_detach(&errs);
	}
	strbuf_release(&errs);
	config_free(&scratch);
	return rc;
}

int config_save(store *db, const config *current, const char *name, const char *value, char **err)
{
	char *canon = NULL;
	if (config_check_saved(name, value, &canon, err) < 0)
		return -1;
	char *n = key_name(name);
	int k = config_key_lookup(n);
	/* the settings as they would be: a value fine on its own can still
	 * contradict another (an assign threshold above the draft threshold),
	 * and saved it would stop every command sharing the database */
	if (current && k >= 0) {
		config as_if = *current; /* a shallow copy: only one value pointer changes */
		/* an environment variable or a flag hides the saved value now,
		 * but not once it is gone: check the saved value all the same */
		as_if.value[k] = canon;
		as_if.origin[k] = (cfg_origin){ CFG_SRC_DB, (char *)"the value to save" };
		strbuf errs = STRBUF_INIT;
		if (cross_check(&as_if, &errs) < 0) {
			if (errs.len && errs.buf[errs.len - 1] == '\n')
				errs.buf[--errs.len] = '\0';
			if (err)
				*err = xasprintf("not saved: %s", errs.buf);
			strbuf_release(&errs);
			free(n);
			free(canon);
			return -1;
		}
		strbuf_release(&errs);
	}
	int rc = store_setting_set(db, n, canon);
	if (rc < 0 && err)
		*err = xasprintf("database: cannot save %s: %s", n, store_error(db));
	free(n);
	free(canon);
	return rc;
}

char **config_list(const config *c, enum cfg_key k, size_t *n)
{
	const char *s = config_str(c, k);
	size_t alloc = 4;
	char **v = xmalloc(alloc * sizeof(*v));
	*n = 0;
	while (s && *s) {
		size_t len = strcspn(s, ",");
		const char *a = s, *b = s + len;
		while (a < b && (*a == ' ' || *a == '\t'))
			a++;
		while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
			b--;
		if (b > a) {
			if (*n + 1 >= alloc)
				v = xrealloc(v, (alloc *= 2) * sizeof(*v));
			v[(*n)++] = xstrndup(a, (size_t)(b - a));
		}
		s += len + (s[len] == ',');
	}
	v[*n] = NULL;
	return v;
}

void config_list_free(char **items)
{
	for (char **p = items; p && *p; p++)
		free(*p);
	free(items);
}
