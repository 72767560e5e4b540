/* jwt: the JSON Web Token a GitHub App signs to ask for installation tokens.
 *
 * RS256 (RSASSA-PKCS1-v1_5 with SHA-256) over base64url(header) "."
 * base64url(claims), as GitHub's "Generating a JWT for a GitHub App" asks:
 * iat 60 s in the past (clock drift), exp 9 minutes on (at most 10), iss the
 * App's id. No network here. */
#ifndef MAHORAGA_JWT_H
#define MAHORAGA_JWT_H

#include <stddef.h>
#include <stdint.h>

/* The token for app_id at now, signed with the PEM private key (pem, len
 * bytes: the .pem file GitHub gives); NULL with *err when the key is not an
 * RSA private key or signing fails. Neither the key nor the token is ever
 * put in *err. */
char *jwt_github_app(const char *app_id, const char *pem, size_t len, int64_t now, char **err);

#endif
