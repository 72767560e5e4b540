/* The next page of a Link header (link_header.h). */
#include "link_header.h"

#include <string.h>

#include "xalloc.h"

char *link_next(const char *link)
{
	/* <https://api.github.com/...&page=2>; rel="next", <...>; rel="last" */
	for (const char *p = link; p && (p = strchr(p, '<'));) {
		const char *end = strchr(p, '>');
		if (!end)
			return NULL;
		const char *comma = strchr(end, ',');
		const char *rel = strstr(end, "rel=\"next\"");
		if (rel && (!comma || rel < comma))
			return xstrndup(p + 1, (size_t)(end - p - 1));
		p = comma;
	}
	return NULL;
}
