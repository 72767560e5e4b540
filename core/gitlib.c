/* Starting libgit2 (gitlib.h). */
#include "gitlib.h"

#include <git2.h>
#include <libssh2.h>

void gitlib_start(void)
{
	/* libssh2 counts its starts; libgit2's own libssh2_init(0) that follows
	 * then only counts, and the crypto set-up stays undone. OpenSSL starts
	 * itself where libcurl or the JWT signing use it. Without the crypto
	 * set-up libssh2_init has nothing that can fail (it returns 0). */
	(void)libssh2_init(LIBSSH2_INIT_NO_CRYPTO);
	git_libgit2_init();
}
