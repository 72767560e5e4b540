/* gitlib: starting libgit2 for a process that reads local repositories only.
 *
 * libgit2's first git_libgit2_init also starts libssh2, which sets up all of
 * OpenSSL's engines for an SSH transport mahoraga never uses (it fetches and
 * pushes with the git CLI or talks HTTPS through libcurl): 1.4 MiB of every
 * process, a tenth of an index build's peak on a 3,000-commit history. */
#ifndef MAHORAGA_GITLIB_H
#define MAHORAGA_GITLIB_H

/* Start libgit2, with libssh2 told to leave the crypto library alone. Call it
 * once, first thing in main, before any thread: libssh2's start is not
 * thread-safe. Later git_libgit2_init calls only count. Pair with
 * git_libgit2_shutdown. */
void gitlib_start(void);

#endif
