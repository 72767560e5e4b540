/* libFuzzer target: issue text through the parser, the mapping onto a small tree
 * whose package identity files (package.json, go.mod, Cargo.toml, a gemspec,
 * composer.json) hold the same bytes, signals, fingerprint and the JSON writer.
 * Nothing may crash, leak or produce invalid UTF-8 for JSON. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>

#include "dedup.h"
#include "signals.h"
#include "trace.h"
#include "trace_json.h"
#include "trace_map.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	trace t;
	trace_init(&t);
	trace_parse(&t, (const char *)data, size);
	static const char *const tree[] = {
		"src/app/main.py", "lib/util/strings.py", "lib/format/strings.py",
		"src/main/java/com/acme/Main.java", "internal/store/db.go", "vendor/x/y.go",
		"app/models/user.rb", "src/lib.rs", "index.js", "a", "lib/application.js",
		"src/de.rs", "src/Client.php", "context.go", "lib/rack/utils.rb",
	};
	trace_map *m = trace_map_new(tree, sizeof(tree) / sizeof(*tree));
	static const char *const ids[] = {
		"package.json", "packages/core/package.json", "go.mod", "Cargo.toml",
		"rack.gemspec", "composer.json", "pyproject.toml",
	};
	for (size_t i = 0; i < sizeof(ids) / sizeof(*ids); i++)
		trace_map_add_identity(m, ids[i], (const char *)data, size);
	trace_map_apply(m, &t);
	trace_map_free(m);
	signals s;
	signals_init(&s);
	signals_extract(&s, NULL, (const char *)data, size, &t);
	char *fp = dedup_fingerprint(&t);
	dedup_sig sig;
	dedup_sig_init(&sig);
	dedup_sig_from_trace(&sig, &t);
	char *text = dedup_sig_serialize(&sig);
	dedup_sig back;
	dedup_sig_init(&back);
	dedup_sig_parse(&back, text);
	if (dedup_similarity(&sig, &back) < 0)
		abort();
	json_t *o = json_object();
	/* json_string refuses invalid UTF-8: a failure here is a sanitizer bug */
	if (trace_json_fill(o, &t) < 0)
		abort();
	json_decref(o);
	dedup_sig_free(&back);
	dedup_sig_free(&sig);
	free(text);
	free(fp);
	signals_free(&s);
	trace_free(&t);
	return 0;
}
