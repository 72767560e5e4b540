/* A GitHub App's JWT: three base64url parts, the header and claims GitHub
 * asks for, and a signature the App's public key verifies; a key that is not
 * an RSA private key refused. The key is made here (2048 bits, as GitHub's). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "jwt.h"
#include "xalloc.h"

/* base64url to bytes (test-only: no padding, valid input). */
static size_t unb64url(const char *s, size_t n, unsigned char *out)
{
	static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	uint32_t acc = 0;
	int bits = 0;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		const char *p = strchr(abc, s[i]);
		assert_non_null(p);
		acc = acc << 6 | (uint32_t)(p - abc);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[k++] = (unsigned char)(acc >> bits & 0xff);
		}
	}
	return k;
}

static void test_signed_and_verified(void **state)
{
	(void)state;
	EVP_PKEY *key = EVP_RSA_gen(2048);
	assert_non_null(key);
	BIO *b = BIO_new(BIO_s_mem());
	assert_int_equal(PEM_write_bio_PrivateKey(b, key, NULL, NULL, 0, NULL, NULL), 1);
	char *pem;
	long len = BIO_get_mem_data(b, &pem);
	char *err = NULL;
	char *jwt = jwt_github_app("123456", pem, (size_t)len, 1700000000, &err);
	BIO_free(b);
	assert_non_null(jwt);
	assert_null(err);
	char *dot1 = strchr(jwt, '.'), *dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
	assert_non_null(dot2);
	assert_null(strchr(dot2 + 1, '.'));
	assert_null(strchr(jwt, '='));
	unsigned char buf[1024];
	size_t n = unb64url(jwt, (size_t)(dot1 - jwt), buf);
	buf[n] = 0;
	assert_string_equal((char *)buf, "{\"alg\":\"RS256\",\"typ\":\"JWT\"}");
	n = unb64url(dot1 + 1, (size_t)(dot2 - dot1 - 1), buf);
	buf[n] = 0;
	assert_string_equal((char *)buf, "{\"exp\":1700000540,\"iat\":1699999940,\"iss\":\"123456\"}");
	size_t siglen = unb64url(dot2 + 1, strlen(dot2 + 1), buf);
	assert_int_equal(siglen, 256);
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	assert_int_equal(EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, key), 1);
	assert_int_equal(EVP_DigestVerify(md, buf, siglen, (const unsigned char *)jwt, (size_t)(dot2 - jwt)), 1);
	/* one byte of the claims changed: the signature no longer holds */
	jwt[dot1 - jwt + 3] ^= 1;
	assert_int_equal(EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, key), 1);
	assert_int_not_equal(EVP_DigestVerify(md, buf, siglen, (const unsigned char *)jwt, (size_t)(dot2 - jwt)), 1);
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(key);
	free(jwt);
}

static void test_not_a_key(void **state)
{
	(void)state;
	static const char notkey[] = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n";
	char *err = NULL;
	assert_null(jwt_github_app("1", notkey, strlen(notkey), 0, &err));
	assert_string_equal(err, "the GitHub App's key is not an RSA private key in PEM form");
	free(err);
	err = NULL;
	assert_null(jwt_github_app("1", "", 0, 0, &err));
	assert_non_null(err);
	free(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signed_and_verified),
		cmocka_unit_test(test_not_a_key),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
