/* config_file: the config file, in git-config syntax.
 *
 * libgit2 parses the file; it does not say on which line an entry stands, and a
 * message about a bad value is useless without it. So the file is also scanned here
 * for nothing but the positions of keys, in the same order libgit2 returns them. */
#include "config_internal.h"

#include <ctype.h>
#include <errno.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "xalloc.h"

struct key_line {
	char *name;   /* normalized as libgit2 does: section and key lower-case */
	char *key;    /* the key as written */
	int line;
	int used;
};

struct key_lines {
	struct key_line *v;
	size_t n, alloc;
	size_t next;  /* where take_line looks first */
};

static void lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

/* Parse a section header at s (just past '['); fills section; returns the position
 * after ']' or NULL if the header is malformed (libgit2 will have said so). */
static const char *parse_header(const char *s, strbuf *section)
{
	strbuf_release(section);
	const char *start = s;
	while (*s && *s != ']' && !isspace((unsigned char)*s) && *s != '"')
		s++;
	char *sec = xstrndup(start, (size_t)(s - start));
	char *dot = strchr(sec, '.');
	lower(sec);
	if (dot) {
		/* Old-style [section.subsection]: git lower-cases both parts. */
		strbuf_addstr(section, sec);
		free(sec);
		return *s == ']' ? s + 1 : NULL;
	}
	strbuf_addstr(section, sec);
	free(sec);
	while (isspace((unsigned char)*s))
		s++;
	if (*s == '"') {
		strbuf_addch(section, '.');
		for (s++; *s && *s != '"'; s++) {
			if (*s == '\\' && s[1])
				s++;
			strbuf_addch(section, *s);
		}
		if (*s != '"')
			return NULL;
		s++;
	}
	return *s == ']' ? s + 1 : NULL;
}

/* Does the value starting at s continue on the next line? */
static int value_continues(const char *s)
{
	int quoted = 0;
	for (; *s; s++) {
		if (*s == '\\') {
			if (s[1] == '\0' || s[1] == '\n' || (s[1] == '\r' && s[2] == '\0'))
				return 1;
			s++;
		} else if (*s == '"') {
			quoted = !quoted;
		} else if (!quoted && (*s == ';' || *s == '#')) {
			return 0;
		}
	}
	return 0;
}

static void locate_keys(FILE *f, struct key_lines *out)
{
	strbuf section = STRBUF_INIT;
	char *line = NULL;
	size_t cap = 0;
	int lineno = 0, continued = 0;
	while (getline(&line, &cap, f) >= 0) {
		lineno++;
		if (continued) {
			continued = value_continues(line);
			continue;
		}
		const char *s = line;
		while (isspace((unsigned char)*s))
			s++;
		if (*s == '[') {
			s = parse_header(s + 1, &section);
			if (!s)
				continue;
			while (isspace((unsigned char)*s))
				s++;
		}
		if (!isalpha((unsigned char)*s) || !section.buf)
			continue;
		const char *k = s;
		while (isalnum((unsigned char)*s) || *s == '-' || *s == '_')
			s++;
		char *key = xstrndup(k, (size_t)(s - k));
		lower(key);
		XGROW(out->v, out->n, out->alloc);
		struct key_line *kl = out->v;
		kl[out->n].name = xasprintf("%s.%s", section.buf, key);
		kl[out->n].key = xstrndup(k, (size_t)(s - k));
		kl[out->n].line = lineno;
		kl[out->n].used = 0;
		out->n++;
		free(key);
		continued = value_continues(s);
	}
	free(line);
	strbuf_release(&section);
}

/* libgit2 yields the entries in file order, as locate_keys found them: the
 * search goes on from the last line taken (from the top again only when a name
 * was not found there), so 10,000 repeats of one key are not 50 million
 * comparisons. */
static int take_line(struct key_lines *kl, const char *name)
{
	for (int pass = 0; pass < 2; pass++) {
		size_t from = pass ? 0 : kl->next, to = pass ? kl->next : kl->n;
		for (size_t i = from; i < to; i++) {
			if (!kl->v[i].used && strcmp(kl->v[i].name, name) == 0) {
				kl->v[i].used = 1;
				kl->next = i + 1;
				return kl->v[i].line;
			}
		}
	}
	return 0;
}

static void key_lines_free(struct key_lines *kl)
{
	for (size_t i = 0; i < kl->n; i++) {
		free(kl->v[i].name);
		free(kl->v[i].key);
	}
	free(kl->v);
}

int config_read_file(config *c, const char *path, int required, strbuf *errs)
{
	struct stat st;
	if (stat(path, &st) < 0) {
		if (errno == ENOENT && !required)
			return 0;
		strbuf_addf(errs, "%s: cannot read config file: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		strbuf_addf(errs, "%s: config file is not a regular file\n", path);
		return -1;
	}
	FILE *f = fopen(path, "r");
	if (!f) {
		strbuf_addf(errs, "%s: cannot read config file: %s\n", path, strerror(errno));
		return -1;
	}
	struct key_lines kl = { 0 };
	locate_keys(f, &kl);
	fclose(f);

	/* git-config forbids '_' in key names, and libgit2's message for it does not
	 * say which key; the settings are documented with '_' elsewhere (environment,
	 * -c, JSON), so say exactly what to write instead. */
	int bad_keys = 0;
	for (size_t i = 0; i < kl.n; i++) {
		if (!strchr(kl.v[i].key, '_'))
			continue;
		char *fixed = xstrdup(kl.v[i].key);
		for (char *p = fixed; *p; p++)
			if (*p == '_')
				*p = '-';
		strbuf_addf(errs, "%s:%d: %s: git-config keys cannot contain '_': write %s\n",
			    path, kl.v[i].line, kl.v[i].key, fixed);
		free(fixed);
		bad_keys = 1;
	}
	if (bad_keys) {
		key_lines_free(&kl);
		return -1;
	}

	git_libgit2_init();
	int rc = 0;
	git_config *gc = NULL;
	git_config_iterator *it = NULL;
	if (git_config_new(&gc) < 0 ||
	    git_config_add_file_ondisk(gc, path, GIT_CONFIG_LEVEL_APP, NULL, 0) < 0 ||
	    git_config_iterator_new(&it, gc) < 0) {
		const git_error *e = git_error_last();
		/* libgit2's message names the line: "... (in PATH:3, column 0)". */
		strbuf_addf(errs, "%s: %s\n", path, e ? e->message : "cannot parse config file");
		rc = -1;
		goto out;
	}
	free(c->file);
	c->file = xstrdup(path);
	git_config_entry *entry;
	int next;
	while ((next = git_config_next(&entry, it)) == 0) {
		if (strncmp(entry->name, "include.", 8) == 0 ||
		    strncmp(entry->name, "includeif.", 10) == 0)
			continue;
		char *where;
		if (entry->include_depth > 0) {
			where = xasprintf("%s (included)", path);
		} else {
			int line = take_line(&kl, entry->name);
			where = line ? xasprintf("%s:%d", path, line) : xstrdup(path);
		}
		if (config_apply(c, entry->name, entry->value, CFG_SRC_FILE, where, errs) < 0)
			rc = -1;
		free(where);
	}
	if (next != GIT_ITEROVER) {
		const git_error *e = git_error_last();
		strbuf_addf(errs, "%s: %s\n", path, e ? e->message : "cannot read config file");
		rc = -1;
	}
out:
	git_config_iterator_free(it);
	git_config_free(gc);
	git_libgit2_shutdown();
	key_lines_free(&kl);
	return rc;
}
