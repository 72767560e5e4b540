/* Issue files: markdown and gh's JSON (see inbox.h). */
#include "inbox.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "dedup.h"
#include "sanitize.h"
#include "xalloc.h"

#define MAX_FILE (16 << 20)

void inbox_list_init(inbox_list *l)
{
	memset(l, 0, sizeof(*l));
}

void inbox_issue_free(inbox_issue *i)
{
	free(i->title);
	free(i->body);
	free(i->author);
	free(i->url);
	free(i->hash);
	free(i->file);
	free(i->assignee);
	memset(i, 0, sizeof(*i));
}

void inbox_list_free(inbox_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		inbox_issue_free(&l->v[i]);
	free(l->v);
	xfree_strings(l->errors, l->nerrors);
	inbox_list_init(l);
}

static inbox_issue *push(inbox_list *l)
{
	if (l->n == l->alloc)
		l->v = xrealloc(l->v, (l->alloc = l->alloc ? l->alloc * 2 : 16) * sizeof(*l->v));
	inbox_issue *i = &l->v[l->n++];
	memset(i, 0, sizeof(*i));
	return i;
}

void inbox_list_add(inbox_list *l, inbox_issue *i)
{
	*push(l) = *i;
	memset(i, 0, sizeof(*i));
}

static void finish(inbox_issue *i, const char *file)
{
	i->hash = dedup_content_hash(i->title, i->body, strlen(i->body));
	i->file = xstrdup(file);
}

int inbox_parse_markdown(const char *name, const char *text, size_t len, int64_t mtime,
			 inbox_issue *out, char **err)
{
	memset(out, 0, sizeof(*out));
	const char *base = strrchr(name, '/');
	base = base ? base + 1 : name;
	if (!isdigit((unsigned char)base[0])) {
		*err = xasprintf("%s: the file name must start with the issue number (\"123-title.md\")", name);
		return -1;
	}
	long n = strtol(base, NULL, 10);
	if (n <= 0 || n > 100000000) {
		*err = xasprintf("%s: issue number out of range", name);
		return -1;
	}
	if (memchr(text, '\0', len)) {
		*err = xasprintf("%s: not a text file", name);
		return -1;
	}
	const char *nl = memchr(text, '\n', len);
	size_t tl = nl ? (size_t)(nl - text) : len;
	const char *t = text;
	while (tl && (*t == '#' || *t == ' ')) {
		t++;
		tl--;
	}
	char *title = sanitize_text(t, tl, 0);
	if (!*title) {
		free(title);
		*err = xasprintf("%s: the first line (the title) is empty", name);
		return -1;
	}
	out->number = (int)n;
	out->title = title;
	out->body = nl ? xstrndup(nl + 1, len - (size_t)(nl + 1 - text)) : xstrdup("");
	out->created_at = mtime;
	finish(out, name);
	return 0;
}

/* "2024-03-01T10:00:00Z" as Unix seconds; 0 if it does not parse. */
static int64_t parse_time(const char *s)
{
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	if (!s || sscanf(s, "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
			 &tm.tm_min, &tm.tm_sec) != 6)
		return 0;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return (int64_t)timegm(&tm);
}

static int one_object(const char *file, json_t *o, inbox_list *l, char **err, size_t idx)
{
	json_t *num = json_object_get(o, "number");
	const char *title = json_string_value(json_object_get(o, "title"));
	const char *body = json_string_value(json_object_get(o, "body"));
	if (!json_is_integer(num) || json_integer_value(num) <= 0 || json_integer_value(num) > 100000000 ||
	    !title) {
		*err = xasprintf("%s: issue %zu has no number or title", file, idx + 1);
		return -1;
	}
	inbox_issue *i = push(l);
	i->number = (int)json_integer_value(num);
	i->title = sanitize_text(title, strlen(title), 0);
	i->body = xstrdup(body ? body : "");
	/* gh's names, else the REST API's (a webhook's issue) */
	json_t *author = json_object_get(o, "author");
	if (!author)
		author = json_object_get(o, "user");
	const char *login = json_is_object(author) ? json_string_value(json_object_get(author, "login"))
						   : json_string_value(author);
	i->author = login ? sanitize_text(login, strlen(login), 0) : NULL;
	const char *url = json_string_value(json_object_get(o, "url"));
	if (json_object_get(o, "html_url"))
		url = json_string_value(json_object_get(o, "html_url")); /* the REST "url" is the API's */
	i->url = url ? sanitize_text(url, strlen(url), 0) : NULL;
	/* who has it on GitHub: the API's "assignee", gh's first of "assignees" */
	json_t *as = json_object_get(o, "assignee");
	if (!json_is_object(as))
		as = json_array_get(json_object_get(o, "assignees"), 0);
	const char *al = json_string_value(json_object_get(as, "login"));
	i->assignee = al ? sanitize_text(al, strlen(al), 0) : NULL;
	/* gh prints "CLOSED", the API "closed" */
	const char *state = json_string_value(json_object_get(o, "state"));
	i->closed = state && strcasecmp(state, "closed") == 0;
	const char *created = json_string_value(json_object_get(o, "createdAt"));
	i->created_at = parse_time(created ? created : json_string_value(json_object_get(o, "created_at")));
	finish(i, file);
	return 0;
}

int inbox_add_json_issue(const char *file, const json_t *o, inbox_list *l, char **err)
{
	if (!json_is_object(o)) {
		*err = xasprintf("%s: not an issue object", file);
		return -1;
	}
	return one_object(file, (json_t *)o, l, err, 0);
}

int inbox_parse_gh_json(const char *file, const char *text, size_t len, inbox_list *l, char **err)
{
	json_error_t je;
	json_t *root = json_loadb(text, len, 0, &je);
	if (!root) {
		*err = xasprintf("%s:%d: not JSON: %s", file, je.line, je.text);
		return -1;
	}
	size_t before = l->n;
	int rc = 0;
	if (json_is_array(root)) {
		for (size_t k = 0; k < json_array_size(root) && rc == 0; k++) {
			json_t *o = json_array_get(root, k);
			if (!json_is_object(o)) {
				*err = xasprintf("%s: item %zu is not an issue object", file, k + 1);
				rc = -1;
			} else {
				rc = one_object(file, o, l, err, k);
			}
		}
	} else if (json_is_object(root)) {
		rc = one_object(file, root, l, err, 0);
	} else {
		*err = xasprintf("%s: expected an array of issues or one issue", file);
		rc = -1;
	}
	json_decref(root);
	if (rc < 0) /* all or nothing for a file */
		while (l->n > before)
			inbox_issue_free(&l->v[--l->n]);
	return rc;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void add_error(inbox_list *l, char *msg)
{
	l->errors = xrealloc(l->errors, (l->nerrors + 1) * sizeof(*l->errors));
	l->errors[l->nerrors++] = msg;
}

struct numbered {
	int number;
	size_t at;
};

static int by_number(const void *a, const void *b)
{
	const struct numbered *x = a, *y = b;
	if (x->number != y->number)
		return x->number < y->number ? -1 : 1;
	return x->at < y->at ? -1 : x->at > y->at;
}

/* Two files (or two objects of one JSON array) with the same issue number would
 * take turns being the issue, re-triaged every cycle: the first in file order
 * stays, each later one is a bad file. */
static void drop_repeated_numbers(inbox_list *l)
{
	struct numbered *v = xmalloc((l->n ? l->n : 1) * sizeof(*v));
	for (size_t i = 0; i < l->n; i++)
		v[i] = (struct numbered){ l->v[i].number, i };
	qsort(v, l->n, sizeof(*v), by_number);
	bool *drop = xcalloc(l->n ? l->n : 1, sizeof(*drop));
	for (size_t i = 1; i < l->n; i++) {
		if (v[i].number != v[i - 1].number)
			continue;
		size_t first = i - 1;
		while (first > 0 && v[first - 1].number == v[i].number)
			first--;
		const inbox_issue *kept = &l->v[v[first].at], *again = &l->v[v[i].at];
		add_error(l, xasprintf("%s: issue #%d is also in %s (kept there)", again->file,
				       again->number, kept->file));
		drop[v[i].at] = true;
	}
	size_t keep = 0;
	for (size_t i = 0; i < l->n; i++) {
		if (drop[i])
			inbox_issue_free(&l->v[i]);
		else
			l->v[keep++] = l->v[i];
	}
	l->n = keep;
	free(drop);
	free(v);
}

int inbox_scan(const char *dir, inbox_list *l, char **err)
{
	DIR *d = opendir(dir);
	if (!d) {
		*err = xasprintf("%s: cannot read the inbox", dir);
		return -1;
	}
	char **names = NULL;
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t k = strlen(e->d_name);
		if (e->d_name[0] == '.' || !((k > 3 && strcmp(e->d_name + k - 3, ".md") == 0) ||
					     (k > 5 && strcmp(e->d_name + k - 5, ".json") == 0)))
			continue;
		names = xrealloc(names, (n + 1) * sizeof(*names));
		names[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), by_name);
	for (size_t i = 0; i < n; i++) {
		char *path = xasprintf("%s/%s", dir, names[i]);
		struct stat st;
		/* never through a link (inbox/7-x.md -> /etc/shadow read as root
		 * would be an issue body on the screen), never blocking on a FIFO */
		int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0 && errno == ELOOP) {
			add_error(l, xasprintf("%s: a symbolic link, not read", path));
			free(path);
			continue;
		}
		if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > MAX_FILE) {
			add_error(l, xasprintf("%s: not a readable file under 16 MiB", path));
			if (fd >= 0)
				close(fd);
			free(path);
			continue;
		}
		char *text = xmalloc((size_t)st.st_size + 1);
		size_t len = 0;
		while (len < (size_t)st.st_size) {
			ssize_t r = read(fd, text + len, (size_t)st.st_size - len);
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0)
				break;
			len += (size_t)r;
		}
		close(fd);
		text[len] = '\0';
		char *perr = NULL;
		size_t k = strlen(names[i]);
		if (strcmp(names[i] + k - 3, ".md") == 0) {
			inbox_issue is;
			if (inbox_parse_markdown(path, text, len, (int64_t)st.st_mtime, &is, &perr) == 0)
				*push(l) = is;
			else
				add_error(l, perr);
		} else if (inbox_parse_gh_json(path, text, len, l, &perr) < 0) {
			add_error(l, perr);
		}
		free(text);
		free(path);
	}
	xfree_strings(names, n);
	drop_repeated_numbers(l);
	return 0;
}

uint64_t inbox_signature(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	/* FNV-1a over each name, size and modification time; the sum makes the
	 * order of readdir irrelevant */
	uint64_t sig = 1;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		struct stat st;
		if (fstatat(dirfd(d), e->d_name, &st, 0) < 0 || !S_ISREG(st.st_mode))
			continue;
		uint64_t h = 1469598103934665603ULL;
		for (const char *p = e->d_name; *p; p++)
			h = (h ^ (unsigned char)*p) * 1099511628211ULL;
		int64_t parts[3] = { (int64_t)st.st_size, (int64_t)st.st_mtim.tv_sec, (int64_t)st.st_mtim.tv_nsec };
		for (int i = 0; i < 3; i++)
			h = (h ^ (uint64_t)parts[i]) * 1099511628211ULL;
		sig += h;
	}
	closedir(d);
	return sig;
}
