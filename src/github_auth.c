/* GitHub's credentials (see github_auth.h). */
#include "github_auth.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "http.h"
#include "jwt.h"
#include "strbuf.h"
#include "xalloc.h"

extern char **environ;

/* An installation token is made again this long before it expires. */
#define INSTALL_MARGIN 300
/* gh is asked again after this long (its token may have changed). */
#define CLI_AGAIN 600
/* The largest key file read. */
#define KEY_MAX (64 * 1024)

void github_auth_init(github_auth *a)
{
	memset(a, 0, sizeof(*a));
}

static void wipe(char *s)
{
	if (s) {
		volatile char *p = s;
		while (*p)
			*p++ = 0;
		free(s);
	}
}

void github_auth_free(github_auth *a)
{
	wipe(a->cli_token);
	for (size_t i = 0; i < a->ninst; i++) {
		free(a->inst[i].owner);
		wipe(a->inst[i].token);
	}
	free(a->inst);
	memset(a, 0, sizeof(*a));
}

static bool app_configured(const config *cfg)
{
	return config_str(cfg, CFG_GITHUB_APP_ID) && config_str(cfg, CFG_GITHUB_APP_KEY_FILE);
}

bool github_auth_configured(const config *cfg)
{
	return config_str(cfg, CFG_GITHUB_TOKEN) || app_configured(cfg);
}

/* `gh auth token`, run without a shell, its error output dropped: the token,
 * or NULL (gh missing, not logged in). */
static char *gh_token(void)
{
	int fd[2];
	if (pipe(fd) < 0)
		return NULL;
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fd[1], 1);
	posix_spawn_file_actions_addclose(&fa, fd[0]);
	posix_spawn_file_actions_addclose(&fa, fd[1]);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	char *argv[] = { "gh", "auth", "token", NULL };
	pid_t pid;
	int rc = posix_spawnp(&pid, "gh", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fd[1]);
	if (rc != 0) {
		close(fd[0]);
		return NULL;
	}
	char buf[512];
	size_t n = 0;
	ssize_t got;
	while (n < sizeof(buf) - 1 && ((got = read(fd[0], buf + n, sizeof(buf) - 1 - n)) > 0 || (got < 0 && errno == EINTR)))
		if (got > 0)
			n += (size_t)got;
	close(fd[0]);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' '))
		n--;
	buf[n] = '\0';
	bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0 && n > 0 && !strpbrk(buf, " \t\r\n");
	char *token = ok ? xstrdup(buf) : NULL;
	memset(buf, 0, sizeof(buf));
	return token;
}

/* The App's key file, read whole (it is small). */
static char *read_key(const char *path, size_t *len, char **err)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		*err = xasprintf("the GitHub App's key %s: %s", path, strerror(errno));
		return NULL;
	}
	char *buf = xmalloc(KEY_MAX);
	*len = fread(buf, 1, KEY_MAX, f);
	fclose(f);
	if (*len == KEY_MAX) {
		*err = xasprintf("the GitHub App's key %s is larger than a key", path);
		free(buf);
		return NULL;
	}
	return buf;
}

/* "2016-07-11T22:14:10Z" as Unix seconds, 0 when it is not that. */
static int64_t iso_time(const char *s)
{
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	const char *end = s ? strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm) : NULL;
	return end && !*end ? (int64_t)timegm(&tm) : 0;
}

/* One request with the App's JWT; the answer's JSON, or NULL (*err). */
static json_t *app_request(const char *method, const char *url, const char *jwt, long want, char **err)
{
	char *auth = xasprintf("Authorization: Bearer %s", jwt);
	const char *headers[] = { "Accept: application/vnd.github+json", "X-GitHub-Api-Version: 2022-11-28", auth, NULL };
	http_response r;
	http_response_init(&r);
	json_t *j = NULL;
	if (http_send(method, url, headers, strcmp(method, "POST") == 0 ? "{}" : NULL, &r, err) == 0) {
		if (r.status != want) {
			const char *path = strstr(url, "/repos/") ? strstr(url, "/repos/") : strstr(url, "/app/");
			*err = xasprintf("%s %s: GitHub answered %ld%s", method, path ? path : url, r.status,
					 r.status == 401 ? " (the App's id or key is not accepted)"
					 : r.status == 404 ? " (the App is not installed there)" : "");
		} else {
			j = json_loadb(r.body ? r.body : "", r.len, 0, NULL);
			if (!json_is_object(j)) {
				*err = xasprintf("%s: GitHub's answer is not an object", method);
				json_decref(j);
				j = NULL;
			}
		}
	}
	http_response_free(&r);
	wipe(auth);
	return j;
}

/* A new installation token for slug's owner into in. Returns 0 or -1 (*err). */
static int make_install_token(github_auth *a, const char *slug, github_install *in, char **err)
{
	const config *cfg = a->cfg;
	size_t len = 0;
	char *pem = read_key(config_str(cfg, CFG_GITHUB_APP_KEY_FILE), &len, err);
	if (!pem)
		return -1;
	char *jwt = jwt_github_app(config_str(cfg, CFG_GITHUB_APP_ID), pem, len, (int64_t)time(NULL), err);
	memset(pem, 0, len);
	free(pem);
	if (!jwt)
		return -1;
	const char *api = config_str(cfg, CFG_GITHUB_API_URL);
	char *url = xasprintf("%s/repos/%s/installation", api, slug);
	json_t *inst = app_request("GET", url, jwt, 200, err);
	free(url);
	json_int_t id = json_integer_value(json_object_get(inst, "id"));
	json_decref(inst);
	int rc = -1;
	if (inst && id <= 0) {
		*err = xasprintf("%s: GitHub's installation has no id", slug);
	} else if (inst) {
		url = xasprintf("%s/app/installations/%lld/access_tokens", api, (long long)id);
		json_t *tok = app_request("POST", url, jwt, 201, err);
		free(url);
		const char *t = json_string_value(json_object_get(tok, "token"));
		int64_t exp = iso_time(json_string_value(json_object_get(tok, "expires_at")));
		if (tok && (!t || !*t || !exp)) {
			*err = xasprintf("%s: GitHub's installation token came without a token or an expiry", slug);
		} else if (tok) {
			wipe(in->token);
			in->token = xstrdup(t);
			in->expires_at = exp;
			rc = 0;
		}
		json_decref(tok);
	}
	wipe(jwt);
	return rc;
}

/* The owner of "owner/name", to free. */
static char *owner_of(const char *slug)
{
	const char *slash = strchr(slug, '/');
	return slash ? xstrndup(slug, (size_t)(slash - slug)) : xstrdup(slug);
}

static github_install *install_of(github_auth *a, const char *slug, bool add)
{
	char *owner = owner_of(slug);
	github_install *found = NULL;
	for (size_t i = 0; i < a->ninst && !found; i++)
		if (strcasecmp(a->inst[i].owner, owner) == 0)
			found = &a->inst[i];
	if (!found && add) {
		a->inst = xrealloc(a->inst, (a->ninst + 1) * sizeof(*a->inst));
		found = &a->inst[a->ninst++];
		memset(found, 0, sizeof(*found));
		found->owner = owner;
		owner = NULL;
	}
	free(owner);
	return found;
}

static const char *cli_token(github_auth *a);

int github_auth_token(github_auth *a, const char *slug, const char **token, char **err)
{
	*token = config_str(a->cfg, CFG_GITHUB_TOKEN);
	if (*token)
		return 1;
	if (app_configured(a->cfg)) {
		github_install *in = install_of(a, slug, true);
		int64_t now = (int64_t)time(NULL);
		if ((!in->token || now > in->expires_at - INSTALL_MARGIN) && make_install_token(a, slug, in, err) < 0)
			return -1;
		*token = in->token;
		return 1;
	}
	*token = cli_token(a);
	return *token != NULL;
}

/* gh's token, asked again when it is old. */
static const char *cli_token(github_auth *a)
{
	int64_t now = (int64_t)time(NULL);
	if (!a->cli_at || now - a->cli_at > CLI_AGAIN) {
		wipe(a->cli_token);
		a->cli_token = gh_token();
		a->cli_at = now;
	}
	return a->cli_token;
}

bool github_auth_available(github_auth *a)
{
	return github_auth_configured(a->cfg) || cli_token(a);
}

bool github_auth_refused(github_auth *a, const char *slug)
{
	if (config_str(a->cfg, CFG_GITHUB_TOKEN) || !app_configured(a->cfg))
		return false;
	github_install *in = install_of(a, slug, false);
	if (!in || !in->token)
		return false;
	wipe(in->token);
	in->token = NULL;
	return true;
}

char *github_auth_source(github_auth *a)
{
	const config *cfg = a->cfg;
	if (config_str(cfg, CFG_GITHUB_TOKEN)) {
		const char *where = cfg->origin[CFG_GITHUB_TOKEN].where;
		return xstrdup(where ? where : "the settings");
	}
	if (app_configured(cfg))
		return xasprintf("the GitHub App %s (key %s)", config_str(cfg, CFG_GITHUB_APP_ID),
				 config_str(cfg, CFG_GITHUB_APP_KEY_FILE));
	return cli_token(a) ? xstrdup("gh auth token") : NULL;
}
