/* spells: a library of known errors and what to do about them (the Grimoire).
 *
 * A spell names an error (languages, error type, a message pattern, optionally the
 * kind of frame it happens in), explains it in plain words, and may name a fix
 * recipe that core/draft can apply mechanically at the blamed line. Spells are
 * text files (doc/spells.md has the format): the shipped ones in data/spells and
 * the user's own next to the database. Matching ranks every spell against a
 * parsed trace. */
#ifndef MAHORAGA_SPELLS_H
#define MAHORAGA_SPELLS_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

#include "trace.h"

/* The fix recipes a spell may name (applied by core/draft). */
extern const char *const spell_recipes[];

typedef struct spell {
	char *id;            /* [a-z0-9-], unique */
	char *title;
	unsigned langs;      /* bits (1 << enum trace_lang); 0: any language */
	char *error;         /* error type: exact, a suffix after '.', ':' or '\', or a glob */
	char *message;       /* "re:<extended regex>" or a glob; NULL: any message */
	char *frame;         /* glob on the app frame's file or function; NULL: any */
	char *fix;           /* one of spell_recipes, or NULL */
	char *explanation;   /* plain words, may span paragraphs */
	char *path;          /* the file it came from */
	bool user;           /* from the user's directory */
	regex_t re;          /* compiled message regex */
	bool has_re;
} spell;

typedef struct spellbook {
	spell *v;
	size_t n, alloc;
} spellbook;

void spell_init(spell *s);
void spell_free(spell *s);

/* Parse one spell from text (len bytes). On error returns -1 and *err says what
 * and where ("origin:line: problem"); every problem is checked, the first
 * reported. */
int spell_parse(spell *s, const char *text, size_t len, const char *origin, char **err);

void spellbook_init(spellbook *b);
void spellbook_free(spellbook *b);

/* Add every *.spell file of dir (missing dir: nothing added). A user spell with
 * the id of an earlier one replaces it. Returns the number of files that failed
 * to parse, each reported in *err (one line each; free it), or -1 if dir could
 * not be read. */
int spellbook_load_dir(spellbook *b, const char *dir, bool user, char **err);

/* Write a spell's file text (len bytes) into dir (the user's spells,
 * created if missing) as <id>.spell, whole or not at all (a temporary file
 * renamed), after checking that it parses. Returns 0 with *path (where it
 * went; free it), or -1 with *err. */
int spell_install(const char *dir, const char *text, size_t len, char **path, char **err);

/* The spell with this id, or NULL. */
const spell *spellbook_find(const spellbook *b, const char *id);

typedef struct spell_match {
	const spell *spell;
	int score;           /* 0..100 */
} spell_match;

/* The spells matching the trace's final error, best first: at most max written to
 * out; returns how many matched. A spell matches when its error type matches
 * (or it names none) and its message pattern matches; language and frame context
 * add to the score. */
size_t spellbook_match(const spellbook *b, const trace *t, spell_match *out, size_t max);

/* "python,javascript" for a language mask ("any" for 0), into a new string. */
char *spell_langs_text(unsigned langs);

#endif
