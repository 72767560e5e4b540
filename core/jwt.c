/* A GitHub App's JWT, signed RS256 with OpenSSL (see jwt.h). */
#include "jwt.h"

#include <jansson.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "xalloc.h"

/* base64url without padding (RFC 7515, section 2). */
static void b64url(strbuf *sb, const unsigned char *p, size_t n)
{
	static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	size_t i = 0;
	for (; i + 2 < n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
		strbuf_addch(sb, abc[v >> 18 & 63]);
		strbuf_addch(sb, abc[v >> 12 & 63]);
		strbuf_addch(sb, abc[v >> 6 & 63]);
		strbuf_addch(sb, abc[v & 63]);
	}
	if (n - i == 1) {
		uint32_t v = (uint32_t)p[i] << 16;
		strbuf_addch(sb, abc[v >> 18 & 63]);
		strbuf_addch(sb, abc[v >> 12 & 63]);
	} else if (n - i == 2) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8;
		strbuf_addch(sb, abc[v >> 18 & 63]);
		strbuf_addch(sb, abc[v >> 12 & 63]);
		strbuf_addch(sb, abc[v >> 6 & 63]);
	}
}

char *jwt_github_app(const char *app_id, const char *pem, size_t len, int64_t now, char **err)
{
	BIO *bio = BIO_new_mem_buf(pem, (int)len);
	EVP_PKEY *key = bio ? PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL) : NULL;
	BIO_free(bio);
	if (!key || EVP_PKEY_base_id(key) != EVP_PKEY_RSA) {
		*err = xstrdup("the GitHub App's key is not an RSA private key in PEM form");
		EVP_PKEY_free(key);
		return NULL;
	}
	strbuf sb = STRBUF_INIT;
	static const char header[] = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
	b64url(&sb, (const unsigned char *)header, strlen(header));
	strbuf_addch(&sb, '.');
	json_t *claims = json_pack("{s:I, s:I, s:s}", "iat", (json_int_t)(now - 60), "exp", (json_int_t)(now + 540),
				   "iss", app_id);
	char *c = json_dumps(claims, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(claims);
	b64url(&sb, (const unsigned char *)c, strlen(c));
	free(c);
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	size_t siglen = 0;
	unsigned char *sig = NULL;
	int ok = md && EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, key) == 1 &&
		 EVP_DigestSign(md, NULL, &siglen, (const unsigned char *)sb.buf, sb.len) == 1;
	if (ok) {
		sig = xmalloc(siglen);
		ok = EVP_DigestSign(md, sig, &siglen, (const unsigned char *)sb.buf, sb.len) == 1;
	}
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(key);
	if (!ok) {
		free(sig);
		strbuf_release(&sb);
		*err = xstrdup("signing the GitHub App's token failed");
		return NULL;
	}
	strbuf_addch(&sb, '.');
	b64url(&sb, sig, siglen);
	free(sig);
	return strbuf_detach(&sb);
}
