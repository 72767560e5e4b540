/* curl_lib: libcurl, loaded by the first request a process makes.
 *
 * Linked to the program, libcurl and what it pulls in (GnuTLS, LDAP, RTMP,
 * SASL, Kerberos: 25 of the program's 44 libraries) were mapped and relocated
 * at every start: 6 ms and 4.6 MiB of every command, most of which (triage,
 * expertise, busfactor, the command center without a worker) make no
 * request. */
#ifndef MAHORAGA_CURL_LIB_H
#define MAHORAGA_CURL_LIB_H

#include <curl/curl.h>

/* The functions mahoraga calls, with libcurl's own prototypes. */
typedef struct curl_lib {
	__typeof__(curl_easy_init) *easy_init;
	__typeof__(curl_easy_setopt) *easy_setopt;
	__typeof__(curl_easy_perform) *easy_perform;
	__typeof__(curl_easy_getinfo) *easy_getinfo;
	__typeof__(curl_easy_cleanup) *easy_cleanup;
	__typeof__(curl_easy_strerror) *easy_strerror;
	__typeof__(curl_slist_append) *slist_append;
	__typeof__(curl_slist_free_all) *slist_free_all;
} curl_lib;

/* libcurl, loaded and started (curl_global_init) by the first call in the
 * process, which any thread may make. NULL when it cannot be loaded, with
 * *err saying why (to free); the next call says the same. */
const curl_lib *curl_lib_get(char **err);

#endif
