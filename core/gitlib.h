/* gitlib: starting libgit2 for a process that reads local repositories only.
 *
 * mahoraga fetches and pushes with the git CLI and speaks HTTPS through
 * libcurl; libgit2's transports are never used. Yet its first
 * git_libgit2_init
 * - starts libssh2, which sets up all of OpenSSL's engines: 1.4 MiB of every
 *   process, a tenth of an index build's peak on a 3,000-commit history;
 * - in Debian's build (mbedTLS), parses the system CA bundle from a path
 *   compiled in, before any setting can be given: 5.8 of the 10.6 ms that
 *   starting libgit2 took, in every command.
 * This module keeps both from happening. */
#ifndef MAHORAGA_GITLIB_H
#define MAHORAGA_GITLIB_H

/* Start libgit2, with libssh2 told to leave the crypto library alone and, in
 * a libgit2 built with mbedTLS, no CA certificates read: an HTTPS remote
 * opened through libgit2 would fail its certificate check (closed, not
 * open). Objects read are not hashed again (as git reads them). Call it
 * once, first thing in main, before any thread: libssh2's start is not
 * thread-safe. Later git_libgit2_init calls only count. Pair with
 * git_libgit2_shutdown. */
void gitlib_start(void);

#endif
