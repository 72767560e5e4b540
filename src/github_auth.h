/* github_auth: the credentials GitHub's requests carry, and where they come
 * from.
 *
 * In order: GH_TOKEN, then GITHUB_TOKEN; else a GitHub App (github.app_id and
 * github.app_key_file): a JWT signed with its key (core/jwt) is exchanged for
 * an installation token of each repository's owner, kept in memory only and
 * made again 5 minutes before it expires or when GitHub refuses it; else the
 * output of `gh auth token` (run without a shell, asked again every 10
 * minutes). No token is ever written to a log, the database, argv or the
 * screen. */
#ifndef MAHORAGA_GITHUB_AUTH_H
#define MAHORAGA_GITHUB_AUTH_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"

typedef struct github_install {
	char *owner;           /* the account the App is installed on */
	char *token;           /* its installation token */
	int64_t expires_at;
} github_install;

typedef struct github_auth {
	const config *cfg;     /* the settings of the cycle using it */
	char *cli_token;       /* gh auth token's answer, or NULL */
	int64_t cli_at;        /* when gh was asked (0: never) */
	github_install *inst;
	size_t ninst;
} github_auth;

void github_auth_init(github_auth *a);
void github_auth_free(github_auth *a);

/* Is any way to authenticate configured (a token, an App)? gh is not asked. */
bool github_auth_configured(const config *cfg);

/* Can requests be authenticated at all: a token, an App, or gh logged in
 * (gh is asked, at most every 10 minutes)? */
bool github_auth_available(github_auth *a);

/* The token for requests about slug ("owner/name"): 1 with *token (owned by
 * a, valid until its next call), 0 when there is no credential at all, -1
 * with *err (an App's token could not be made). */
int github_auth_token(github_auth *a, const char *slug, const char **token, char **err);

/* GitHub refused slug's token (401): an installation token is forgotten, so
 * that the next github_auth_token makes another. True when there was one
 * (asking again may help), false for a fixed token. */
bool github_auth_refused(github_auth *a, const char *slug);

/* Where the credentials come from, in words, for `mahoraga info` (to free):
 * "GH_TOKEN", "the GitHub App 12345 (key /path)", "gh auth token", or NULL. */
char *github_auth_source(github_auth *a);

#endif
