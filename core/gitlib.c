/* Starting libgit2 (gitlib.h). */
#include "gitlib.h"

#include <git2.h>
#include <libssh2.h>

#include "autoconf.h"

#ifdef HAVE_MBEDTLS_X509_CRT_H
#include <mbedtls/x509_crt.h>

/* libgit2's mbedTLS stream calls this from git_libgit2_init for its compiled-in
 * CA bundle, and only from there and from GIT_OPT_SET_SSL_CERT_LOCATIONS,
 * which mahoraga never sets. Defined in the program, it is the one the
 * dynamic linker binds libgit2's call to: the chain stays empty, so no
 * certificate could ever verify through libgit2. Nothing else here uses
 * mbedTLS (libcurl and the JWT signing use OpenSSL). */
int mbedtls_x509_crt_parse_file(mbedtls_x509_crt *chain, const char *path)
{
	(void)chain;
	(void)path;
	return 0;
}
#endif

void gitlib_start(void)
{
	/* libssh2 counts its starts; libgit2's own libssh2_init(0) that follows
	 * then only counts, and the crypto set-up stays undone. OpenSSL starts
	 * itself where libcurl or the JWT signing use it. Without the crypto
	 * set-up libssh2_init has nothing that can fail (it returns 0). */
	(void)libssh2_init(LIBSSH2_INIT_NO_CRYPTO);
	git_libgit2_init();
	/* git reads objects without hashing them again, and so can mahoraga: the
	 * check cost 15% of an index build and 30% of a cold blame (flask's
	 * CHANGES.rst, 0.49 -> 0.34 s); damage still shows as a zlib or delta
	 * error */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
}
