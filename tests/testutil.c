#define _XOPEN_SOURCE 700
#include "testutil.h"

#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "strbuf.h"
#include "xalloc.h"

char *tu_mkdtemp(void)
{
	const char *tmp = getenv("TMPDIR");
	char *tmpl = xasprintf("%s/mahoraga-test-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(tmpl)) {
		perror("mkdtemp");
		abort();
	}
	return tmpl;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

void tu_rmtree(const char *path)
{
	nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

char *tu_path(const char *dir, const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

void tu_write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		perror(path);
		abort();
	}
	fputs(text, f);
	if (fclose(f) != 0) {
		perror(path);
		abort();
	}
}

char *tu_read_stream(FILE *f)
{
	strbuf sb = STRBUF_INIT;
	strbuf_read(&sb, f, (size_t)-1);
	return strbuf_detach(&sb);
}

char *tu_read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *text = tu_read_stream(f);
	fclose(f);
	return text;
}

void tu_sh(const char *dir, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *cmd = NULL;
	if (vasprintf(&cmd, fmt, ap) < 0)
		abort();
	va_end(ap);
	char *full = xasprintf("cd '%s' && (%s) >/dev/null 2>&1", dir, cmd);
	int rc = system(full);
	if (rc != 0) {
		fprintf(stderr, "command failed (%d) in %s: %s\n", rc, dir, cmd);
		abort();
	}
	free(full);
	free(cmd);
}
