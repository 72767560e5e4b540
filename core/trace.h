/* trace: stack traces found in the text of a bug report.
 *
 * trace_parse() reads an issue body the way people paste it (markdown fences,
 * "> " quotes, prose around the trace, CRLF, wrapped lines), picks the language,
 * and splits what it finds into exception blocks with their frames. The rules
 * for which block and frame a human would blame are in DESIGN.md section 5.
 * Every string the parser returns is valid UTF-8 without control characters, so
 * it can go to JSON or a terminal as it is. */
#ifndef MAHORAGA_TRACE_H
#define MAHORAGA_TRACE_H

#include <stdbool.h>
#include <stddef.h>

enum trace_lang {
	TRACE_NONE,
	TRACE_PYTHON,
	TRACE_JAVASCRIPT,
	TRACE_JAVA,
	TRACE_KOTLIN,
	TRACE_GO,
	TRACE_RUST,
	TRACE_RUBY,
	TRACE_CSHARP,
	TRACE_PHP,
	TRACE_C,
	TRACE_CPP,
};

typedef struct trace_frame {
	char *file;        /* the path as written; NULL for pseudo-locations */
	int line;          /* 0 when not shown */
	int column;        /* 0 when not shown */
	char *function;    /* as written, without arguments or hashes; NULL if anonymous */
	char *package;     /* Java/Kotlin package of the class, used for mapping; or NULL */
	char *repo_path;   /* path in the repository, set by trace_map; or NULL */
	char **ties;       /* when several repository paths matched equally well */
	size_t nties;
	bool in_app;
	double relevance;  /* 0..1, set by trace_rank */
} trace_frame;

typedef struct trace_exception {
	char *type;              /* exception class, "panic", sanitizer bug kind...; or NULL */
	char *message;           /* or NULL */
	trace_frame *frames;     /* in printed order */
	size_t nframes, alloc;
	trace_frame *location;   /* where it was raised when printed apart from the
	                          * frames (Rust panic, PHP "in file:line"); or NULL */
	bool innermost_first;    /* the printed order puts the failing call first */
} trace_exception;

typedef struct trace {
	enum trace_lang lang;
	trace_exception *exc;    /* every block, in printed order */
	size_t nexc, alloc;
	size_t final;            /* the block whose frames are "the" frames */
	const trace_frame *app_frame; /* the frame to blame, or NULL; set by trace_rank */
} trace;

/* Free a frame's strings and zero it (a zeroed frame is a valid empty one). */
void trace_frame_free(trace_frame *f);

void trace_init(trace *t);
void trace_free(trace *t);

/* Parse text (len bytes, need not be NUL-terminated). Never fails: text without a
 * trace gives TRACE_NONE and no blocks. Classifies frames in-app or library from
 * their paths and ranks them (trace_rank); trace_map refines that against a tree. */
void trace_parse(trace *t, const char *text, size_t len);

/* The block whose frames the JSON "frames" key reports, or NULL if none. */
const trace_exception *trace_final(const trace *t);

/* Recompute relevance and app_frame from the frames' in_app flags. */
void trace_rank(trace *t);

/* "python", "javascript", ... "none": the names of DESIGN.md section 5. */
const char *trace_lang_name(enum trace_lang lang);

/* True when a path looks like a library or runtime file: site-packages,
 * node_modules, the JDK, GOROOT, the Rust toolchain, gems, vendor/... */
bool trace_path_is_library(const char *path);

#endif
