/* The analyzer that asks a language model (see llm_analyzer.h). */
#include "llm_analyzer.h"

#include <stdlib.h>
#include <string.h>

#include "default_rev.h"
#include "xalloc.h"

/* The tree of the revision triage reads (env->rev, else the default). */
static git_tree *tree_of(const triage_env *env)
{
	if (!env->repo)
		return NULL;
	char *dflt = env->rev ? NULL : default_rev(env->repo);
	git_object *obj = NULL;
	git_tree *tree = NULL;
	if (git_revparse_single(&obj, env->repo, env->rev ? env->rev : dflt) == 0)
		git_object_peel((git_object **)&tree, obj, GIT_OBJECT_TREE);
	git_object_free(obj);
	free(dflt);
	return tree;
}

struct tree_ctx {
	git_repository *repo;
	git_tree *tree;
};

static bool file_exists(const char *path, void *arg)
{
	struct tree_ctx *t = arg;
	git_tree_entry *e = NULL;
	bool ok = t->tree && git_tree_entry_bypath(&e, t->tree, path) == 0 &&
		  git_tree_entry_type(e) == GIT_OBJECT_BLOB;
	git_tree_entry_free(e);
	return ok;
}

/* The numbered lines around the blamed one, from the tree. */
static char *excerpt_of(struct tree_ctx *t, const char *path, int line)
{
	git_tree_entry *e = NULL;
	git_blob *b = NULL;
	char *out = NULL;
	if (t->tree && path && git_tree_entry_bypath(&e, t->tree, path) == 0 &&
	    git_blob_lookup(&b, t->repo, git_tree_entry_id(e)) == 0 && !git_blob_is_binary(b))
		out = llm_excerpt(git_blob_rawcontent(b), (size_t)git_blob_rawsize(b), line);
	git_blob_free(b);
	git_tree_entry_free(e);
	return out;
}

static int analyze(const triage_analyzer *self, const triage_env *env, const triage_decision *d,
		   triage_analysis *a, char **err)
{
	llm_client *c = self->state;
	/* it never fails (err unused): the rules answer first, and what the model
	 * could not do is said in by_why, beside their words */
	(void)err;
	triage_rule_analyzer.analyze(&triage_rule_analyzer, env, d, a, NULL);
	a->by = "rules";
	const trace_exception *e = trace_final(&d->t);
	if (!e || !e->type) {
		a->by_why = xstrdup("no error in the report: the LLM was not asked");
		return 0;
	}
	struct tree_ctx t = { env->repo, tree_of(env) };
	const trace_frame *app = d->t.app_frame;
	char *excerpt = app && app->repo_path ? excerpt_of(&t, app->repo_path, app->line) : NULL;
	const char *spells[3];
	char *lines[3] = { NULL, NULL, NULL };
	size_t nspells = 0;
	if (env->spells) {
		spell_match m[3];
		nspells = spellbook_match(env->spells, &d->t, m, 3);
		for (size_t i = 0; i < nspells; i++) {
			const spell *sp = m[i].spell;
			lines[i] = sp->fix ? xasprintf("%s: %s (fix: %s)", sp->id, sp->title, sp->fix)
					   : xasprintf("%s: %s", sp->id, sp->title);
			spells[i] = lines[i];
		}
	}
	llm_question q = { d->title, &d->t, app ? app->repo_path : NULL, app ? app->line : 0, excerpt,
			   spells, nspells };
	char *body = NULL, *why = NULL;
	size_t len = 0;
	llm_answer ans;
	llm_answer_init(&ans);
	if (llm_ask(c, &q, &body, &len, &why) == 0 && llm_answer_read(body, len, file_exists, &t, &ans, &why) == 0) {
		/* the model's words replace the rules'; the spell stays */
		free(a->explanation);
		free(a->root_cause);
		for (size_t i = 0; i < a->naffected; i++)
			free(a->affected[i]);
		free(a->affected);
		a->explanation = ans.explanation;
		a->root_cause = ans.root_cause;
		a->affected = ans.affected;
		a->naffected = ans.naffected;
		a->fix_path = ans.fix_path;
		a->fix_diff = ans.fix_diff;
		a->fix_title = ans.fix_title;
		/* a new spell only where none matched: people accept it first */
		if (!nspells)
			a->proposed_spell = ans.spell;
		else
			free(ans.spell);
		llm_answer_init(&ans);
		a->by = "llm";
	} else {
		a->by_why = xasprintf("the LLM: %s", why ? why : "no answer");
	}
	free(why);
	free(body);
	llm_answer_free(&ans);
	for (size_t i = 0; i < nspells; i++)
		free(lines[i]);
	free(excerpt);
	git_tree_free(t.tree);
	return 0;
}

triage_analyzer llm_analyzer_of(llm_client *c)
{
	triage_analyzer an = { "llm", analyze, c };
	return an;
}
