/* libcurl loaded on demand (curl_lib.h). */
#include "curl_lib.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "xalloc.h"

/* libcurl's ABI has been 4 since 2006; the development package's link names
 * this file, the run-time package installs it. */
#define CURL_SONAME "libcurl.so.4"

/* Filled once under the pthread_once and never changed after: the process's
 * one libcurl, like the library's own global state. */
static pthread_once_t once = PTHREAD_ONCE_INIT;
static curl_lib lib;
static int loaded;
static char why[512];

/* dlsym's object pointer into a function pointer field (POSIX allows it). */
static int sym(void *h, const char *name, void *field, size_t size)
{
	void *p = dlsym(h, name);
	if (!p) {
		snprintf(why, sizeof(why), "%s has no %s", CURL_SONAME, name);
		return -1;
	}
	memcpy(field, &p, size);
	return 0;
}

#define SYM(h, name, field) sym(h, name, &(field), sizeof(field))

static void load(void)
{
	void *h = dlopen(CURL_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		const char *e = dlerror();
		snprintf(why, sizeof(why), "cannot load %s (Debian: apt-get install libcurl4): %s", CURL_SONAME,
			 e ? e : "?");
		return;
	}
	curl_lib l;
	__typeof__(curl_global_init) *global_init;
	if (SYM(h, "curl_global_init", global_init) < 0 || SYM(h, "curl_easy_init", l.easy_init) < 0 ||
	    SYM(h, "curl_easy_setopt", l.easy_setopt) < 0 || SYM(h, "curl_easy_perform", l.easy_perform) < 0 ||
	    SYM(h, "curl_easy_getinfo", l.easy_getinfo) < 0 || SYM(h, "curl_easy_cleanup", l.easy_cleanup) < 0 ||
	    SYM(h, "curl_easy_strerror", l.easy_strerror) < 0 ||
	    SYM(h, "curl_slist_append", l.slist_append) < 0 ||
	    SYM(h, "curl_slist_free_all", l.slist_free_all) < 0)
		return; /* the handle stays: a half-loaded library is not unloaded */
	CURLcode rc = global_init(CURL_GLOBAL_DEFAULT);
	if (rc != CURLE_OK) {
		snprintf(why, sizeof(why), "starting libcurl failed (curl_global_init: %d)", (int)rc);
		return;
	}
	lib = l;
	loaded = 1;
}

const curl_lib *curl_lib_get(char **err)
{
	pthread_once(&once, load);
	if (loaded)
		return &lib;
	*err = xstrdup(why);
	return NULL;
}
