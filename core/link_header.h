/* link_header: the next page of a paginated web API (RFC 8288's Link header,
 * as GitHub sends it: <URL>; rel="next", <URL>; rel="last"). */
#ifndef MAHORAGA_LINK_HEADER_H
#define MAHORAGA_LINK_HEADER_H

/* The URL of rel="next" in a Link header's value (to free), or NULL when there
 * is none or the value does not parse. */
char *link_next(const char *link);

#endif
