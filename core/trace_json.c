/* The parse keys as JSON. Strings from the parser are already valid UTF-8. */
#include "trace_json.h"

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *int_or_null(int v)
{
	return v > 0 ? json_integer(v) : json_null();
}

json_t *trace_frame_json(const trace_frame *f)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	int rc = 0;
	rc |= json_object_set_new(o, "file", str_or_null(f->file));
	rc |= json_object_set_new(o, "line", int_or_null(f->line));
	rc |= json_object_set_new(o, "column", int_or_null(f->column));
	rc |= json_object_set_new(o, "function", str_or_null(f->function));
	rc |= json_object_set_new(o, "repo_path", str_or_null(f->repo_path));
	rc |= json_object_set_new(o, "in_app", json_boolean(f->in_app));
	rc |= json_object_set_new(o, "relevance", json_real(f->relevance));
	if (f->nties) {
		json_t *ties = json_array();
		for (size_t i = 0; i < f->nties; i++)
			rc |= json_array_append_new(ties, json_string(f->ties[i]));
		rc |= json_object_set_new(o, "repo_path_ties", ties);
	}
	if (rc) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *frames_json(const trace_exception *e)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < e->nframes; i++)
		if (json_array_append_new(a, trace_frame_json(&e->frames[i]))) {
			json_decref(a);
			return NULL;
		}
	return a;
}

int trace_json_fill(json_t *obj, const trace *t)
{
	const trace_exception *fin = trace_final(t);
	int rc = 0;
	rc |= json_object_set_new(obj, "language", json_string(trace_lang_name(t->lang)));
	rc |= json_object_set_new(obj, "error_type", str_or_null(fin ? fin->type : NULL));
	rc |= json_object_set_new(obj, "error_message", str_or_null(fin ? fin->message : NULL));
	json_t *exc = json_array();
	for (size_t b = 0; exc && b < t->nexc; b++) {
		const trace_exception *e = &t->exc[b];
		json_t *o = json_object();
		rc |= json_object_set_new(o, "type", str_or_null(e->type));
		rc |= json_object_set_new(o, "message", str_or_null(e->message));
		rc |= json_object_set_new(o, "frames", frames_json(e));
		if (e->location)
			rc |= json_object_set_new(o, "location", trace_frame_json(e->location));
		rc |= json_array_append_new(exc, o);
	}
	rc |= json_object_set_new(obj, "exceptions", exc);
	rc |= json_object_set_new(obj, "frames", fin ? frames_json(fin) : json_array());
	rc |= json_object_set_new(obj, "app_frame",
				  t->app_frame ? trace_frame_json(t->app_frame) : json_null());
	return rc ? -1 : 0;
}
