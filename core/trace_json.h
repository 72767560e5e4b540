/* trace_json: the parse keys of `mahoraga triage --format json` (DESIGN.md 5). */
#ifndef MAHORAGA_TRACE_JSON_H
#define MAHORAGA_TRACE_JSON_H

#include <jansson.h>

#include "trace.h"

/* {file, line, column, function, repo_path, in_app, relevance[, repo_path_ties]} */
json_t *trace_frame_json(const trace_frame *f);

/* Sets language, error_type, error_message, exceptions, frames and app_frame on
 * obj. Returns 0, or -1 if jansson could not allocate. */
int trace_json_fill(json_t *obj, const trace *t);

#endif
