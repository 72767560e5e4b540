/* config_internal: shared by core/config.c and core/config_file.c only. */
#ifndef MAHORAGA_CONFIG_INTERNAL_H
#define MAHORAGA_CONFIG_INTERNAL_H

#include "config.h"
#include "strbuf.h"

/* Apply one name = value from a source at place where ("file:line", ...). A
 * problem is appended to errs as one line; returns 0 or -1. value may be NULL (a
 * git-config key with no "=", meaning true). */
int config_apply(config *c, const char *name, const char *value, enum cfg_source src,
		 const char *where, strbuf *errs);

/* Read a git-config file with libgit2 and config_apply every entry, with its line
 * number. A missing file is fine unless required. Returns 0 or -1 (errs says why). */
int config_read_file(config *c, const char *path, int required, strbuf *errs);

#endif
