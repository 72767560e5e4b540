/* One person as a CSV row (see users_csv.h). */
#include "users_csv.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csv.h"
#include "xalloc.h"

const char users_csv_header[] = "name,login,slack,active,emails,mail";

void users_csv_write(strbuf *out, const store_user *u)
{
	strbuf emails = STRBUF_INIT;
	for (size_t k = 0; k < u->n_emails; k++)
		strbuf_addf(&emails, "%s%s", k ? ";" : "", u->emails[k]);
	csv_field(out, u->display_name, 0);
	csv_field(out, u->login, 0);
	csv_field(out, u->slack_id, 0);
	csv_field(out, u->active ? "yes" : "no", 0);
	csv_field(out, emails.buf ? emails.buf : "", 0);
	csv_field(out, u->notify_email, 1);
	strbuf_release(&emails);
}

static int parse_active(const char *v)
{
	if (!*v || !strcasecmp(v, "yes") || !strcasecmp(v, "true") || !strcmp(v, "1"))
		return 1;
	if (!strcasecmp(v, "no") || !strcasecmp(v, "false") || !strcmp(v, "0"))
		return 0;
	return -1;
}

/* A login or Slack id is one word: no spaces or separators that would make it
 * ambiguous in a mention. */
static int one_word(const char *v)
{
	return !strpbrk(v, " \t,;@<>\"'");
}

int users_csv_read(store *db, char *const *fields, size_t n, store_user *u, int *found, char **err)
{
	*found = 0;
	if (n != USERS_CSV_FIELDS && n != USERS_CSV_FIELDS_OLD) {
		*err = xasprintf("expected 6 fields (%s), got %zu", users_csv_header, n);
		return -1;
	}
	const char *mail = n == USERS_CSV_FIELDS ? fields[5] : "";
	if (*mail && (!strchr(mail, '@') || strpbrk(mail, " \t,;<>\"\r\n"))) {
		*err = xasprintf("'%s' is not an e-mail address", mail);
		return -1;
	}
	int active = parse_active(fields[3]);
	if (active < 0) {
		*err = xasprintf("active must be yes or no, not '%s'", fields[3]);
		return -1;
	}
	if (!*fields[0]) {
		*err = xstrdup("a person needs a name");
		return -1;
	}
	if ((*fields[1] && !one_word(fields[1])) || (*fields[2] && !one_word(fields[2]))) {
		*err = xstrdup("a login or Slack id is one word, without spaces, commas or '@'");
		return -1;
	}
	char *emails = xstrdup(fields[4]);
	store_user fresh;
	store_user_init(&fresh);
	for (char *e = emails, *save = NULL, *tok; (tok = strtok_r(e, "; ", &save)); e = NULL) {
		const char *at = strchr(tok, '@');
		if (!at || at == tok || !at[1] || strchr(at + 1, '@')) {
			*err = xasprintf("'%s' is not an email", tok);
			free(emails);
			store_user_free(&fresh);
			return -1;
		}
		if (!*found && store_user_by_email(db, tok, u) == 1)
			*found = 1;
		store_user_add_email(&fresh, tok);
	}
	free(emails);
	if (!fresh.n_emails) {
		*err = xstrdup("a person needs at least one email");
		store_user_free(&fresh);
		return -1;
	}
	/* the row's emails replace the stored ones: the row is the whole person */
	fresh.id = u->id;
	fresh.created_at = u->created_at;
	store_user_free(u);
	*u = fresh;
	u->display_name = xstrdup(fields[0]);
	u->login = *fields[1] ? xstrdup(fields[1]) : NULL;
	u->slack_id = *fields[2] ? xstrdup(fields[2]) : NULL;
	u->active = active;
	u->notify_email = *mail ? xstrdup(mail) : NULL;
	return 0;
}
