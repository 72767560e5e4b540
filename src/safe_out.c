/* The sanitizing output stream (safe_out.h), on glibc's fopencookie. */
#include "safe_out.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sanitize.h"
#include "xalloc.h"

struct safe_out {
	FILE *under;
	char pending[4];   /* the start of a UTF-8 character the last write cut */
	size_t npending;
};

/* Clean n bytes (after what is pending) and write them; keep a cut character. */
static int pass(struct safe_out *o, const char *buf, size_t n, int last)
{
	char *all = xmalloc(o->npending + n + 1);
	memcpy(all, o->pending, o->npending);
	memcpy(all + o->npending, buf, n);
	size_t total = o->npending + n;
	size_t whole = last ? total : sanitize_whole(all, total);
	o->npending = total - whole;
	memcpy(o->pending, all + whole, o->npending);
	char *clean = sanitize_text(all, whole, SANITIZE_LAYOUT);
	size_t len = strlen(clean);
	/* the stream's own buffer was the buffering: what was flushed here is
	 * written (a log line, a progress line) */
	int rc = fwrite(clean, 1, len, o->under) == len && fflush(o->under) == 0 ? 0 : -1;
	free(clean);
	free(all);
	return rc;
}

static ssize_t out_write(void *cookie, const char *buf, size_t n)
{
	struct safe_out *o = cookie;
	if (pass(o, buf, n, 0) < 0) {
		if (!errno)
			errno = EIO;
		return -1;
	}
	return (ssize_t)n;
}

static int out_close(void *cookie)
{
	struct safe_out *o = cookie;
	int rc = o->npending ? pass(o, "", 0, 1) : 0;
	if (fflush(o->under) != 0 || ferror(o->under))
		rc = -1;
	int saved = errno;
	if (fclose(o->under) != 0)
		rc = -1;
	else
		errno = saved;
	free(o);
	return rc < 0 ? EOF : 0;
}

FILE *safe_out_open(FILE *under)
{
	struct safe_out *o = xcalloc(1, sizeof(*o));
	o->under = under;
	cookie_io_functions_t io = { .write = out_write, .close = out_close };
	FILE *f = fopencookie(o, "w", io);
	if (!f) {
		free(o);
		return NULL;
	}
	if (isatty(fileno(under)))
		setvbuf(f, NULL, _IOLBF, 0);
	return f;
}
