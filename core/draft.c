/* Fix recipes applied at a line, committed on a draft branch (see draft.h). */
#include "draft.h"

#include <ctype.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "default_rev.h"
#include "sanitize.h"
#include "strbuf.h"
#include "xalloc.h"

void draft_init(draft *d)
{
	memset(d, 0, sizeof(*d));
}

void draft_free(draft *d)
{
	free(d->branch);
	free(d->path);
	free(d->title);
	free(d->diff);
	draft_init(d);
}

bool draft_path_is_safe(const char *path)
{
	if (!path || !*path || path[0] == '/' || path[0] == '\\' || strchr(path, '\\') ||
	    (isalpha((unsigned char)path[0]) && path[1] == ':'))
		return false;
	for (const char *p = path; *p;) {
		size_t n = strcspn(p, "/");
		if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.') ||
		    (n == 4 && strncasecmp(p, ".git", 4) == 0))
			return false;
		p += n;
		if (*p == '/')
			p++;
	}
	return true;
}

static const char *comment_prefix(enum trace_lang lang)
{
	return lang == TRACE_PYTHON || lang == TRACE_RUBY ? "#" : "//";
}

/* The first match of the extended regex re in s: sets the offsets of the whole
 * match and of up to three groups; false if none. */
static bool find(const char *s, const char *re, regmatch_t m[4])
{
	regex_t rx;
	if (regcomp(&rx, re, REG_EXTENDED) != 0)
		return false;
	bool ok = regexec(&rx, s, 4, m, 0) == 0;
	regfree(&rx);
	return ok;
}

static char *group(const char *s, const regmatch_t *g)
{
	return xstrndup(s + g->rm_so, (size_t)(g->rm_eo - g->rm_so));
}

static bool keyword(const char *w)
{
	static const char *const kw[] = {
		"return", "if", "else", "not", "and", "or", "in", "is", "await", "new", "yield",
		"raise", "throw", "typeof", "var", "let", "const", "def", "elif", "while", "for",
		"print", "puts", "echo", "lambda", "case", "when", NULL,
	};
	for (size_t i = 0; kw[i]; i++)
		if (strcmp(w, kw[i]) == 0)
			return true;
	return false;
}

/* The value the line dereferences first: "user" in "name = user.name", "self.x"
 * in "self.x.y". */
static char *dereferenced(const char *line, enum trace_lang lang)
{
	const char *re = lang == TRACE_PHP ? "\\$([A-Za-z_][A-Za-z0-9_]*)[ \t]*(->|\\[)"
					   : "([A-Za-z_$][A-Za-z0-9_$]*)[ \t]*(\\.|\\[|->)";
	for (const char *p = line; *p;) {
		regmatch_t m[4];
		if (!find(p, re, m))
			return NULL;
		char *w = group(p, &m[1]);
		/* an identifier right after '.' is a member, not a variable */
		bool member = m[1].rm_so > 0 && (p[m[1].rm_so - 1] == '.' || p[m[1].rm_so - 1] == '$');
		if (lang == TRACE_PHP)
			member = false;
		if (!keyword(w) && !member && !isdigit((unsigned char)w[0])) {
			if (strcmp(w, "self") == 0 || strcmp(w, "this") == 0) {
				regmatch_t n[4];
				const char *rest = p + m[0].rm_eo;
				if (find(rest, "^([A-Za-z_][A-Za-z0-9_]*)", n)) {
					char *attr = group(rest, &n[1]);
					char *both = xasprintf("%s.%s", w, attr);
					free(attr);
					free(w);
					return both;
				}
			}
			return w;
		}
		free(w);
		p += m[0].rm_eo;
	}
	return NULL;
}

/* The replacement line for the recipes that rewrite an expression in place. */
static char *rewrite(const char *line, const char *recipe, enum trace_lang lang, const char **what)
{
	regmatch_t m[4];
	char *a = NULL, *b = NULL, *mid = NULL;
	const char *re = NULL;
	int kind = 0;
	if (strcmp(recipe, "default-lookup") == 0) {
		if (lang == TRACE_PYTHON || lang == TRACE_RUBY || lang == TRACE_CSHARP) {
			/* a key lookup: the subscript with a quoted key, after any
			 * list indexing ("rows[0]['id']" looks up 'id' in rows[0]) */
			re = "([A-Za-z_][A-Za-z0-9_.]*(\\[[0-9]+\\])*)\\[(\"[^\"]*\"|'[^']*'|[A-Za-z_][A-Za-z0-9_]*)\\]";
			kind = 1;
		} else if (lang == TRACE_PHP) {
			re = "(\\$[A-Za-z_][A-Za-z0-9_]*)\\[([^][]+)\\]";
			kind = 1;
		}
	} else if (strcmp(recipe, "optional-chaining") == 0 && lang == TRACE_JAVASCRIPT) {
		re = "([A-Za-z_$][A-Za-z0-9_$]*)(\\.[A-Za-z_$]|\\[)";
		kind = 2;
	} else if (strcmp(recipe, "safe-navigation") == 0 && lang == TRACE_RUBY) {
		re = "([A-Za-z_@][A-Za-z0-9_]*)\\.([a-z_])";
		kind = 3;
	} else if (strcmp(recipe, "zero-guard") == 0 &&
		   (lang == TRACE_PYTHON || lang == TRACE_JAVASCRIPT || lang == TRACE_RUBY || lang == TRACE_PHP)) {
		/* operands: names, calls and parenthesized expressions */
		re = "([$A-Za-z0-9_.]*\\([^()]*\\)|[$A-Za-z0-9_.]+)[ \t]*/[ \t]*"
		     "([$A-Za-z0-9_.]*\\([^()]*\\)|[$A-Za-z0-9_.]+)";
		kind = 4;
	} else if (strcmp(recipe, "bounds-check") == 0 && (lang == TRACE_PYTHON || lang == TRACE_JAVASCRIPT)) {
		re = "([A-Za-z_][A-Za-z0-9_.]*)\\[([A-Za-z0-9_]+)\\]";
		kind = 5;
	}
	if (!re || !find(line, re, m))
		return NULL;
	/* an identifier that is a keyword or a member access is not the subject */
	a = group(line, &m[1]);
	if (kind != 4 && (keyword(a) || (m[1].rm_so > 0 && line[m[1].rm_so - 1] == '.'))) {
		free(a);
		return NULL;
	}
	/* the key of a lookup is the last group */
	const regmatch_t *second = kind == 1 && lang != TRACE_PHP ? &m[3] : &m[2];
	b = second->rm_so >= 0 ? group(line, second) : xstrdup("");
	switch (kind) {
	case 1:
		mid = lang == TRACE_PYTHON ? xasprintf("%s.get(%s)", a, b)
		    : lang == TRACE_RUBY ? xasprintf("%s.fetch(%s, nil)", a, b)
		    : lang == TRACE_CSHARP ? xasprintf("%s.GetValueOrDefault(%s)", a, b)
		    : xasprintf("(%s[%s] ?? null)", a, b);
		*what = "a missing key now gives an empty value instead of failing; check that the "
			"callers handle it, or pass a real default";
		break;
	case 2:
		mid = xasprintf("%s?.%s", a, b[0] == '.' ? b + 1 : b);
		*what = "the value may be undefined or null here; optional chaining makes the "
			"expression undefined instead of throwing";
		break;
	case 3:
		mid = xasprintf("%s&.%s", a, b);
		*what = "the receiver may be nil here; safe navigation returns nil instead of raising";
		break;
	case 4:
		mid = lang == TRACE_PYTHON ? xasprintf("(%s / %s if %s else 0)", a, b, b)
		    : lang == TRACE_RUBY ? xasprintf("(%s.zero? ? 0 : %s / %s)", b, a, b)
		    : lang == TRACE_PHP ? xasprintf("(%s != 0 ? %s / %s : 0)", b, a, b)
		    : xasprintf("(%s ? %s / %s : 0)", b, a, b);
		*what = "the divisor can be zero here; the result is now 0 in that case (decide "
			"whether 0 is right)";
		break;
	case 5:
		mid = lang == TRACE_PYTHON ? xasprintf("(%s[%s] if len(%s) > %s else None)", a, b, a, b)
					   : xasprintf("(%s < %s.length ? %s[%s] : undefined)", b, a, a, b);
		*what = "the index can be past the end here; the value is now empty in that case";
		break;
	}
	char *out = xasprintf("%.*s%s%s", (int)m[0].rm_so, line, mid, line + m[0].rm_eo);
	free(a);
	free(b);
	free(mid);
	return out;
}

/* The guard line(s) inserted before the blamed line for guard-null. */
static char *guard(const char *var, const char *indent, enum trace_lang lang, const char *eol)
{
	switch (lang) {
	case TRACE_PYTHON:
		return xasprintf("%sif %s is None:%s%s    return None%s", indent, var, eol, indent, eol);
	case TRACE_JAVASCRIPT:
		return xasprintf("%sif (%s == null) return undefined;%s", indent, var, eol);
	case TRACE_JAVA:
		return xasprintf("%sif (%s == null) {%s%s    throw new IllegalStateException(\"%s is null\");%s%s}%s",
				 indent, var, eol, indent, var, eol, indent, eol);
	case TRACE_CSHARP:
		return xasprintf("%sif (%s == null) throw new InvalidOperationException(\"%s is null\");%s",
				 indent, var, var, eol);
	case TRACE_PHP:
		return xasprintf("%sif ($%s === null) {%s%s    return null;%s%s}%s", indent, var, eol,
				 indent, eol, indent, eol);
	case TRACE_RUBY:
		return xasprintf("%sreturn nil if %s.nil?%s", indent, var, eol);
	default:
		return NULL;
	}
}

char *draft_apply_recipe(const char *text, int line, const char *recipe, enum trace_lang lang,
			 const char **why)
{
	/* find the line */
	const char *p = text;
	for (int l = 1; l < line; l++) {
		p = strchr(p, '\n');
		if (!p) {
			*why = "the blamed line is past the end of the file";
			return NULL;
		}
		p++;
	}
	if (line < 1 || !*p) {
		*why = "the blamed line is past the end of the file";
		return NULL;
	}
	const char *nl = strchr(p, '\n');
	size_t len = nl ? (size_t)(nl - p) : strlen(p);
	bool crlf = len && p[len - 1] == '\r';
	const char *eol = crlf ? "\r\n" : "\n";
	char *cur = xstrndup(p, len - (crlf ? 1 : 0));
	size_t ind = strspn(cur, " \t");
	char *indent = xstrndup(cur, ind);
	const char *what = NULL;
	char *replaced = NULL, *inserted = NULL;
	if (strcmp(recipe, "guard-null") == 0) {
		char *var = dereferenced(cur + ind, lang);
		if (var) {
			inserted = guard(var, indent, lang, eol);
			what = "the value can be null here; return early (or fail clearly) instead of "
			       "dereferencing it";
		}
		free(var);
	} else {
		replaced = rewrite(cur, recipe, lang, &what);
	}
	if (!replaced && !inserted) {
		free(cur);
		free(indent);
		*why = "the recipe does not apply to the blamed line";
		return NULL;
	}
	strbuf sb = STRBUF_INIT;
	strbuf_add(&sb, text, (size_t)(p - text));
	strbuf_addf(&sb, "%s%s mahoraga draft (%s): %s%s", indent, comment_prefix(lang), recipe, what, eol);
	if (inserted)
		strbuf_addstr(&sb, inserted);
	strbuf_addstr(&sb, replaced ? replaced : cur);
	strbuf_addstr(&sb, nl ? eol : "");
	if (nl)
		strbuf_addstr(&sb, nl + 1);
	free(cur);
	free(indent);
	free(replaced);
	free(inserted);
	return strbuf_detach(&sb);
}

static int lines_changed(git_patch *patch)
{
	size_t ctx, add, del;
	if (git_patch_line_stats(&ctx, &add, &del, patch) < 0)
		return -1;
	return (int)(add + del);
}

/* The change a draft makes: a recipe at a line, or a unified diff. */
struct change {
	const char *recipe;       /* or NULL */
	enum trace_lang lang;
	const char *patch;        /* when no recipe */
	const char *origin;       /* said in the commit message */
};

/* text (path's blob in tree) with the unified diff patch applied by
 * libgit2, as `git apply` would at that revision; NULL with *why. */
static char *apply_patch(git_repository *repo, git_tree *tree, const char *path, const char *patch,
			 const char **why)
{
	git_diff *diff = NULL;
	git_index *idx = NULL;
	git_blob *b = NULL;
	char *out = NULL;
	/* a plain unified diff is given git's header, which libgit2 reads */
	char *text = strncmp(patch, "diff --git ", 11) == 0 ? xstrdup(patch)
			: xasprintf("diff --git a/%s b/%s\n%s", path, path, patch);
	if (git_diff_from_buffer(&diff, text, strlen(text)) < 0) {
		*why = "the diff cannot be read";
	} else if (git_diff_num_deltas(diff) != 1) {
		*why = "the diff is not of one file";
	} else {
		const git_diff_delta *dl = git_diff_get_delta(diff, 0);
		if (dl->status != GIT_DELTA_MODIFIED || !dl->old_file.path || !dl->new_file.path ||
		    strcmp(dl->old_file.path, path) != 0 || strcmp(dl->new_file.path, path) != 0) {
			*why = "the diff does not change the blamed file alone";
		} else if (git_apply_to_tree(&idx, repo, tree, diff, NULL) < 0) {
			*why = "the diff does not apply cleanly at the blamed revision";
		} else {
			const git_index_entry *e = git_index_get_bypath(idx, path, 0);
			if (!e || git_blob_lookup(&b, repo, &e->id) < 0)
				*why = "the patched file cannot be read";
			else
				out = xstrndup(git_blob_rawcontent(b), (size_t)git_blob_rawsize(b));
		}
	}
	git_blob_free(b);
	git_index_free(idx);
	git_diff_free(diff);
	free(text);
	return out;
}

static int make_draft(draft *d, git_repository *repo, const char *base_rev, const char *path, int line,
		      const struct change *ch, const char *label, const char *title, const char *explanation,
		      char **err)
{
	draft_free(d);
	*err = NULL;
	if (!draft_path_is_safe(path)) {
		*err = xasprintf("refusing to draft outside the repository: '%s'", path);
		return -1;
	}
	for (const char *c = label; *c; c++)
		if (!isalnum((unsigned char)*c) && *c != '-') {
			*err = xasprintf("'%s' cannot name a branch", label);
			return -1;
		}
	git_object *obj = NULL;
	git_commit *base = NULL;
	git_tree *tree = NULL;
	git_tree_entry *entry = NULL;
	git_blob *blob = NULL;
	git_patch *patch = NULL;
	git_buf buf = { 0 };
	git_signature *sig = NULL;
	git_reference *ref = NULL;
	char *text = NULL, *fixed = NULL, *refname = NULL;
	int rc = -1;
	const char *why = NULL;
	char *dflt = base_rev ? NULL : default_rev(repo);
	const char *spec = base_rev ? base_rev : dflt;
	int found = git_revparse_single(&obj, repo, spec);
	free(dflt);
	if (found < 0 ||
	    git_object_peel((git_object **)&base, obj, GIT_OBJECT_COMMIT) < 0 ||
	    git_commit_tree(&tree, base) < 0) {
		*err = xasprintf("no revision '%s'", base_rev ? base_rev : "HEAD");
		goto out;
	}
	if (git_tree_entry_bypath(&entry, tree, path) < 0 ||
	    git_tree_entry_type(entry) != GIT_OBJECT_BLOB ||
	    (git_tree_entry_filemode(entry) != GIT_FILEMODE_BLOB &&
	     git_tree_entry_filemode(entry) != GIT_FILEMODE_BLOB_EXECUTABLE)) {
		*err = xasprintf("%s is not a regular file of the repository", path);
		goto out;
	}
	if (git_blob_lookup(&blob, repo, git_tree_entry_id(entry)) < 0 || git_blob_is_binary(blob)) {
		*err = xasprintf("%s cannot be read as text", path);
		goto out;
	}
	text = xstrndup(git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
	fixed = ch->recipe ? draft_apply_recipe(text, line, ch->recipe, ch->lang, &why)
			   : apply_patch(repo, tree, path, ch->patch, &why);
	if (!fixed) {
		*err = xasprintf("%s:%d: %s", path, line, why);
		goto out;
	}
	/* libgit2 writes the a/ and b/ prefixes itself */
	int pr = git_patch_from_buffers(&patch, text, strlen(text), path, fixed, strlen(fixed), path, NULL);
	if (pr < 0 || git_patch_to_buf(&buf, patch) < 0) {
		*err = xasprintf("diffing %s failed", path);
		goto out;
	}
	d->lines_changed = lines_changed(patch);
	if (d->lines_changed <= 0 || d->lines_changed >= DRAFT_MAX_LINES) {
		*err = xasprintf("the change would touch %d lines; drafts stay under %d", d->lines_changed,
				 DRAFT_MAX_LINES);
		goto out;
	}
	git_oid blob_id, tree_id;
	git_tree_update up = { GIT_TREE_UPDATE_UPSERT, { { 0 } }, git_tree_entry_filemode(entry), path };
	if (git_blob_create_from_buffer(&blob_id, repo, fixed, strlen(fixed)) < 0)
		goto git_fail;
	up.id = blob_id;
	if (git_tree_create_updated(&tree_id, repo, tree, 1, &up) < 0)
		goto git_fail;
	git_tree *new_tree = NULL;
	if (git_tree_lookup(&new_tree, repo, &tree_id) < 0)
		goto git_fail;
	/* the title names a function from the reporter's trace, and `git log`
	 * prints a commit message raw: it is cleaned like every output */
	char *raw = xasprintf("%s: %s", DRAFT_TITLE_PREFIX, title);
	d->title = sanitize_text(raw, strlen(raw), 0);
	free(raw);
	raw = xasprintf("%s\n\n%s\n\nDrafted by mahoraga at %s:%d (%s). Review before merging.\n",
			d->title, explanation ? explanation : "", path, line, ch->origin);
	char *msg = sanitize_text(raw, strlen(raw), SANITIZE_NEWLINES);
	free(raw);
	const git_commit *parents[1] = { base };
	int cr = git_signature_now(&sig, DRAFT_AUTHOR_NAME, DRAFT_AUTHOR_EMAIL) < 0 ? -1
		: git_commit_create(&d->commit, repo, NULL, sig, sig, NULL, msg, new_tree, 1, parents);
	free(msg);
	git_tree_free(new_tree);
	if (cr < 0)
		goto git_fail;
	d->branch = xasprintf("mahoraga/draft-%s", label);
	refname = xasprintf("refs/heads/%s", d->branch);
	/* a re-triage replaces its own draft; HEAD and the working tree stay */
	if (git_reference_create(&ref, repo, refname, &d->commit, 1, "mahoraga: draft fix") < 0)
		goto git_fail;
	d->path = xstrdup(path);
	d->diff = xstrndup(buf.ptr, buf.size);
	rc = 0;
	goto out;
git_fail:;
	const git_error *ge = git_error_last();
	*err = xasprintf("writing the draft: %s", ge && ge->message ? ge->message : "?");
out:
	if (rc < 0) {
		free(d->title);
		free(d->branch);
		d->title = d->branch = NULL;
	}
	git_reference_free(ref);
	git_signature_free(sig);
	git_buf_dispose(&buf);
	git_patch_free(patch);
	git_blob_free(blob);
	git_tree_entry_free(entry);
	git_tree_free(tree);
	git_commit_free(base);
	git_object_free(obj);
	free(text);
	free(fixed);
	free(refname);
	return rc;
}

int draft_make(draft *d, git_repository *repo, const char *base_rev, const char *path, int line,
	       const char *recipe, enum trace_lang lang, const char *label, const char *title,
	       const char *explanation, char **err)
{
	struct change ch = { recipe, lang, NULL, recipe };
	return make_draft(d, repo, base_rev, path, line, &ch, label, title, explanation, err);
}

int draft_make_patch(draft *d, git_repository *repo, const char *base_rev, const char *path, int line,
		     const char *patch, const char *origin, const char *label, const char *title,
		     const char *explanation, char **err)
{
	struct change ch = { NULL, TRACE_NONE, patch, origin };
	return make_draft(d, repo, base_rev, path, line, &ch, label, title, explanation, err);
}
