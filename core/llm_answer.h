/* llm_answer: what is asked of a language model about a bug, and its answer
 * checked, not trusted.
 *
 * The request is an OpenAI-compatible chat completion: the error, the frames,
 * a bounded excerpt of the source around the blamed line and the matching
 * spells, nothing else (never a secret); the answer asked for is one JSON
 * object (with a json_schema response format where the server takes one,
 * else by instruction alone). The answer is read strictly: the API's
 * envelope, then the object inside, with known keys only, bounded lengths,
 * no control characters, affected files that exist in the tree, a fix that
 * is one unified diff of one file under DRAFT_MAX_LINES changed lines inside
 * the repository, and a proposed spell that parses as a user's spell would.
 * Anything else is refused whole, with the reason. No network here. */
#ifndef MAHORAGA_LLM_ANSWER_H
#define MAHORAGA_LLM_ANSWER_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "trace.h"

/* Bounds of an answer. */
#define LLM_MAX_ANSWER (256u << 10)   /* the API's whole body */
#define LLM_MAX_EXPLANATION 2000
#define LLM_MAX_ROOT_CAUSE 1000
#define LLM_MAX_AFFECTED 10
#define LLM_MAX_PATH 512
#define LLM_MAX_DIFF 8000
#define LLM_MAX_SPELL 4000
/* The source excerpt: lines either side of the blamed one, and bytes. */
#define LLM_EXCERPT_LINES 15
#define LLM_EXCERPT_BYTES 4000

/* What the model is told. Strings may be NULL. */
typedef struct llm_question {
	const char *title;        /* the title */
	const trace *t;           /* the parsed trace (its final error and frames) */
	const char *blamed_path;  /* repository path of the blamed frame */
	int blamed_line;
	const char *excerpt;      /* source around it, as llm_excerpt makes it */
	const char *const *spells; /* "id: title (fix: recipe)" of the matching spells */
	size_t nspells;
} llm_question;

/* The lines of text (a file) around line, numbered, within the bounds
 * above. Returns a new string ("" for no text). */
char *llm_excerpt(const char *text, size_t len, int line);

/* The chat-completions request body for model: {"model", "messages",
 * "temperature": 0, "response_format"} (schema false: no response_format,
 * the object's shape said in words). Returns a new object. */
json_t *llm_request(const llm_question *q, const char *model, bool schema);

/* An answer, checked. */
typedef struct llm_answer {
	char *explanation;
	char *root_cause;
	char **affected;          /* repository paths */
	size_t naffected;
	char *fix_path;           /* a proposed fix: its file, */
	char *fix_diff;           /* its unified diff, */
	char *fix_title;          /* and words for it; all NULL when none */
	int fix_lines;            /* lines added + removed */
	char *spell;              /* a proposed spell's file text, or NULL */
} llm_answer;

void llm_answer_init(llm_answer *a);
void llm_answer_free(llm_answer *a);

/* Does path exist as a file of the tree the answer is about? */
typedef bool (*llm_file_exists)(const char *path, void *ctx);

/* Read the API's body (len bytes) into *a: the first choice's message
 * content must be the JSON object, every key of it known and well formed.
 * Returns 0, or -1 with *err saying why it is refused (a new string). */
int llm_answer_read(const char *body, size_t len, llm_file_exists exists, void *ctx, llm_answer *a,
		    char **err);

#endif
