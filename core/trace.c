/* The trace parser's driver: every language parser reads the text, the one that
 * explains most of it wins; then frames are classified and ranked. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "trace_internal.h"
#include "xalloc.h"

void trace_init(trace *t)
{
	memset(t, 0, sizeof(*t));
}

static void block_free(trace_exception *e)
{
	free(e->type);
	free(e->message);
	for (size_t i = 0; i < e->nframes; i++)
		trace_frame_free(&e->frames[i]);
	free(e->frames);
	if (e->location) {
		trace_frame_free(e->location);
		free(e->location);
	}
}

void trace_free(trace *t)
{
	for (size_t i = 0; i < t->nexc; i++)
		block_free(&t->exc[i]);
	free(t->exc);
	trace_init(t);
}

const char *trace_lang_name(enum trace_lang lang)
{
	static const char *const names[] = {
		[TRACE_NONE] = "none", [TRACE_PYTHON] = "python",
		[TRACE_JAVASCRIPT] = "javascript", [TRACE_JAVA] = "java",
		[TRACE_KOTLIN] = "kotlin", [TRACE_GO] = "go", [TRACE_RUST] = "rust",
		[TRACE_RUBY] = "ruby", [TRACE_CSHARP] = "csharp", [TRACE_PHP] = "php",
		[TRACE_C] = "c", [TRACE_CPP] = "cpp",
	};
	return (unsigned)lang < sizeof(names) / sizeof(*names) ? names[lang] : "none";
}

const trace_exception *trace_final(const trace *t)
{
	return t->nexc ? &t->exc[t->final < t->nexc ? t->final : t->nexc - 1] : NULL;
}

/* Path fragments of installed packages, toolchains and runtimes. Matched on the
 * lower-cased path with '\' turned into '/'. */
static const char *const library_markers[] = {
	"site-packages/", "dist-packages/", "/lib/python", "<frozen", "node_modules/",
	"bower_components/", "node:", "webpack/bootstrap", "/rustc/", "/.cargo/registry/",
	"/.cargo/git/", "/.rustup/", "/pkg/mod/", "/gems/", "/rubygems/", "/lib/ruby/", "/.gem/",
	"/vendor/", "/third_party/", "/third-party/", "/usr/include/", "/usr/lib/",
	"/usr/local/lib/", "/usr/src/debug/", "../sysdeps/", "../csu/", "compiler-rt/",
	"libsanitizer/", "./nptl/", "../nptl/", "./stdlib/", "../stdlib/",
	"/lib/x86_64-linux-gnu/", "/lib64/", "libc.so", "/system/library/",
	"/microsoft.net/", "/dotnet/shared/", "/usr/share/dotnet/", "/go/src/runtime/",
	"/usr/local/go/src/", "/usr/lib/go", "/hostedtoolcache/go/", "program files/go/src/",
	"/jdk/", "/jre/", "/.m2/repository/", "/.gradle/caches/",
};

/* Relative paths that begin with these are libraries too. */
static const char *const library_starts[] = {
	"vendor/", "third_party/", "third-party/", "node_modules/", "internal/",
	"external/",
};

/* The length of "actionview (5.1.2) " at the start of p, or 0. */
static size_t gem_version_prefix(const char *p)
{
	size_t n = 0;
	while (isalnum((unsigned char)p[n]) || p[n] == '_' || p[n] == '-' || p[n] == '.')
		n++;
	if (n == 0 || p[n] != ' ' || p[n + 1] != '(' || !isdigit((unsigned char)p[n + 2]))
		return 0;
	const char *close = strchr(p + n, ')');
	return close && close[1] == ' ' ? (size_t)(close + 2 - p) : 0;
}

bool trace_path_is_library(const char *path)
{
	if (!path)
		return true;
	char *p = xstrdup(path);
	for (char *c = p; *c; c++)
		*c = *c == '\\' ? '/' : (char)tolower((unsigned char)*c);
	bool lib = false;
	for (size_t i = 0; !lib && i < sizeof(library_markers) / sizeof(*library_markers); i++)
		lib = strstr(p, library_markers[i]) != NULL;
	for (size_t i = 0; !lib && i < sizeof(library_starts) / sizeof(*library_starts); i++)
		lib = tprefix(p, library_starts[i]) ||
		      (tprefix(p, "./") && tprefix(p + 2, library_starts[i]));
	/* Windows Python installs: C:\Python311\Lib\json\decoder.py */
	if (!lib && strstr(p, "/python3") && strstr(p, "/lib/"))
		lib = true;
	/* Rails' backtrace cleaner names the gem: "actionview (5.1.2) lib/x.rb",
	 * better_errors too: "(gem) rack-1.4.5/lib/rack/etag.rb" */
	if (!lib)
		lib = gem_version_prefix(p) > 0 || tprefix(p, "(gem) ");
	free(p);
	return lib;
}

/* Packages and namespaces of runtimes and common frameworks, for frames that
 * show a function but no path (JVM, .NET, Rust release builds). */
static const char *const library_functions[] = {
	"java.", "javax.", "jdk.", "sun.", "com.sun.", "kotlin.", "kotlinx.", "scala.",
	"org.springframework.", "org.apache.", "org.hibernate.", "org.junit.", "junit.",
	"io.netty.", "com.google.", "org.gradle.", "android.", "androidx.", "dalvik.",
	"com.android.", "okhttp3.", "retrofit2.", "reactor.", "io.reactivex.", "akka.",
	"org.eclipse.", "com.fasterxml.", "ch.qos.", "org.slf4j.", "groovy.",
	"org.codehaus.", "jakarta.", "net.bytebuddy.", "org.mockito.", "org.jetbrains.",
	"com.intellij.", "net.minecraft.", "net.minecraftforge.", "net.fabricmc.", "cpw.mods.",
	"java.base/", "jdk.internal.",
	"System.", "Microsoft.", "Newtonsoft.", "UnityEngine.", "UnityEditor.", "Unity.",
	"Mono.", "std::", "core::", "alloc::", "<std::",
	"<core::", "<alloc::", "rust_begin_unwind", "__rust", "tokio::", "__libc_",
	"_start", "__GI_", "__asan", "__interceptor_", "__sanitizer", "__tsan", "__msan",
	"__lsan", "__ubsan", "start_thread", "clone", "abort", "raise", "malloc",
	"calloc", "realloc", "free", "operator new", "operator delete", "__cxa_",
	"__gnu_cxx::", "std::__",
};

static bool function_is_library(enum trace_lang lang, const char *fn)
{
	if (!fn)
		return false;
	if (lang == TRACE_GO) {
		/* a module may be named without a dot, so the standard library is
		 * recognized by its top-level packages */
		static const char *const go_std[] = {
			"runtime", "sync", "net", "testing", "reflect", "os", "io", "fmt",
			"encoding", "internal", "syscall", "time", "strings", "bytes",
			"errors", "context", "database", "crypto", "math", "sort", "strconv",
			"bufio", "log", "path", "regexp", "text", "html", "mime", "compress",
			"archive", "container", "hash", "image", "unicode", "debug", "flag",
			"embed", "plugin", "slices", "maps", "cmp", "iter", "unique", "vendor",
			"panic", "created",
		};
		size_t n = strcspn(fn, "/.");
		for (size_t i = 0; i < sizeof(go_std) / sizeof(*go_std); i++)
			if (strlen(go_std[i]) == n && strncmp(fn, go_std[i], n) == 0)
				return true;
		return false;
	}
	/* names with two leading underscores are reserved for the C library,
	 * the compiler and its runtimes */
	if ((lang == TRACE_C || lang == TRACE_CPP) && tprefix(fn, "__"))
		return true;
	for (size_t i = 0; i < sizeof(library_functions) / sizeof(*library_functions); i++) {
		if (fn[0] != library_functions[i][0])
			continue;
		size_t n = strlen(library_functions[i]);
		if (strncmp(fn, library_functions[i], n) == 0 &&
		    (library_functions[i][n - 1] == '.' || library_functions[i][n - 1] == ':' ||
		     library_functions[i][n - 1] == '_' ||
		     fn[n] == '\0' || fn[n] == '(' || !isalnum((unsigned char)fn[n])))
			return true;
	}
	return false;
}

/* Length of the application's top-level namespace in a JVM or .NET name:
 * "com.acme" of "com.acme.shop.Main.main" (reverse domain names take two
 * segments), "Acme" of "Acme.Shop.Program.Main"; 0 if there is none. */
static size_t root_len(const char *fn, bool jvm)
{
	static const char *const tlds[] = { "com", "org", "net", "io", "de", "uk", "co", "fr",
		"nl", "edu", "gov", "me", "dev", "app", "ru", "cn", "jp", "br", "ch", "se" };
	const char *d1 = fn ? strchr(fn, '.') : NULL;
	if (!d1 || !strchr(d1 + 1, '.'))
		return 0;
	if (jvm)
		for (size_t i = 0; i < sizeof(tlds) / sizeof(*tlds); i++)
			if (strlen(tlds[i]) == (size_t)(d1 - fn) && tprefix(fn, tlds[i])) {
				const char *d2 = strchr(d1 + 1, '.');
				return strchr(d2 + 1, '.') ? (size_t)(d2 - fn) : 0;
			}
	return (size_t)(d1 - fn);
}

/* Without the repository, a JVM or .NET trace does not say which packages are
 * the application's. The top-level namespace with the most frames that are not
 * a known framework is the application's (on a tie, the one of the outermost
 * such frame, the entry point); frames outside it (a JDBC driver, a pool, a
 * socket library calling back) are libraries too. */
static void restrict_to_app_root(trace *t)
{
	const trace_exception *fin = trace_final(t);
	const trace_frame *best = NULL;
	size_t best_count = 0;
	bool jvm = t->lang != TRACE_CSHARP;
	for (size_t b = 0; b < t->nexc; b++)
		for (size_t i = 0; i < t->exc[b].nframes; i++) {
			const trace_frame *f = &t->exc[b].frames[i];
			size_t n = f->in_app ? root_len(f->function, jvm) : 0;
			if (!n)
				continue;
			size_t count = 0;
			for (size_t c = 0; c < t->nexc; c++)
				for (size_t j = 0; j < t->exc[c].nframes; j++) {
					const trace_frame *g = &t->exc[c].frames[j];
					count += g->in_app && g->function &&
						 strncmp(g->function, f->function, n + 1) == 0;
				}
			/* later frames of the final block are further out */
			if (count > best_count || (count == best_count && &t->exc[b] == fin)) {
				best = f;
				best_count = count;
			}
		}
	size_t n = best ? root_len(best->function, jvm) : 0;
	if (!n)
		return;
	const trace_frame *outer = best;
	char *root = xstrndup(outer->function, n + 1);
	for (size_t b = 0; b < t->nexc; b++)
		for (size_t i = 0; i < t->exc[b].nframes; i++) {
			trace_frame *f = &t->exc[b].frames[i];
			/* a class in the global namespace may well be the app's */
			if (f->in_app && f->function && root_len(f->function, true) &&
			    !tprefix(f->function, root))
				f->in_app = false;
		}
	free(root);
}

/* A binary or shared object rather than a source file: native frames without
 * debug information name only their module ("libc.so.6", "/srv/a.out"). */
static bool module_path(const char *file)
{
	const char *base = strrchr(file, '/');
	base = base ? base + 1 : file;
	if (!strchr(base, '.'))
		return true;
	static const char *const exts[] = { ".so", ".dll", ".dylib", ".exe", ".a", ".out", ".bin" };
	for (size_t i = 0; i < sizeof(exts) / sizeof(*exts); i++) {
		const char *h = strstr(base, exts[i]);
		size_t k = strlen(exts[i]);
		if (h && (h[k] == '\0' || h[k] == '.'))
			return true;
	}
	return false;
}

static void classify(trace *t)
{
	bool native = t->lang == TRACE_C || t->lang == TRACE_CPP || t->lang == TRACE_RUST;
	/* these runtimes name the package with the function */
	bool by_name = t->lang == TRACE_JAVA || t->lang == TRACE_KOTLIN ||
		       t->lang == TRACE_CSHARP || t->lang == TRACE_RUST || t->lang == TRACE_GO;
	for (size_t b = 0; b < t->nexc; b++) {
		trace_exception *e = &t->exc[b];
		for (size_t i = 0; i <= e->nframes; i++) {
			trace_frame *f = i < e->nframes ? &e->frames[i] : e->location;
			if (!f)
				continue;
			bool lib = function_is_library(t->lang, f->function);
			if (f->file)
				lib = lib || trace_path_is_library(f->file) ||
				      (native && f->line == 0 && module_path(f->file));
			else
				lib = lib || !by_name || !f->function;
			f->in_app = !lib;
		}
	}
	if (by_name && t->lang != TRACE_RUST && t->lang != TRACE_GO)
		restrict_to_app_root(t);
}

/* The innermost in-app frame of e with a file (else without one), or NULL. */
static const trace_frame *innermost_app(const trace_exception *e)
{
	const trace_frame *fallback = NULL;
	for (size_t k = 0; k < e->nframes; k++) {
		size_t i = e->innermost_first ? k : e->nframes - 1 - k;
		const trace_frame *f = &e->frames[i];
		if (!f->in_app)
			continue;
		if (f->file)
			return f;
		if (!fallback)
			fallback = f;
	}
	return fallback;
}

/* The file name at the end of a path with '/' or '\\' separators. */
static const char *base_name_of(const char *path)
{
	const char *b = path;
	for (const char *p = path; *p; p++)
		if (*p == '/' || *p == '\\')
			b = p + 1;
	return b;
}

void trace_rank(trace *t)
{
	for (size_t b = 0; b < t->nexc; b++) {
		trace_exception *e = &t->exc[b];
		size_t app_rank = 0;
		for (size_t k = 0; k < e->nframes; k++) {
			trace_frame *f = &e->frames[e->innermost_first ? k : e->nframes - 1 - k];
			/* the failing call first; library frames count for little but
			 * keep their order */
			if (f->in_app)
				f->relevance = 1.0 / (1.0 + 0.5 * (double)app_rank++);
			else
				f->relevance = 0.1 / (1.0 + 0.5 * (double)k);
		}
		if (e->location)
			e->location->relevance = e->location->in_app ? 1.0 : 0.1;
	}
	t->app_frame = NULL;
	const trace_exception *fin = trace_final(t);
	if (!fin)
		return;
	if (fin->location && fin->location->in_app && fin->location->file) {
		/* the same place in the backtrace also names the function */
		const char *lb = base_name_of(fin->location->file);
		t->app_frame = fin->location;
		for (size_t i = 0; i < fin->nframes; i++) {
			const trace_frame *f = &fin->frames[i];
			const char *fb = f->file ? base_name_of(f->file) : NULL;
			if (f->in_app && f->line == fin->location->line && fb && strcmp(fb, lb) == 0) {
				t->app_frame = f;
				break;
			}
		}
		return;
	}
	t->app_frame = innermost_app(fin);
	/* a root cause raised deep in a library: the enclosing blocks hold the
	 * application's frames */
	for (size_t b = t->nexc; !t->app_frame && b-- > 0;)
		t->app_frame = innermost_app(&t->exc[b]);
}

/* How much of the text a parser explained. */
static long score(const trace *t)
{
	long s = 0;
	for (size_t b = 0; b < t->nexc; b++) {
		const trace_exception *e = &t->exc[b];
		for (size_t i = 0; i < e->nframes; i++)
			s += e->frames[i].line > 0 ? 3 : 2;
		s += e->type ? 3 : 0;
		s += e->location ? 2 : 0;
	}
	return s;
}

static trace_lang_parser *const parsers[] = {
	trace_parse_python, trace_parse_jvm, trace_parse_javascript, trace_parse_go,
	trace_parse_rust, trace_parse_ruby, trace_parse_dotnet, trace_parse_php,
	trace_parse_native,
};

/* Traces copied from JSON logs (Kibana, CloudWatch, Sentry exports) keep their
 * line breaks as the two characters "\n": "...Exception: x\n\tat com.a.B..." on
 * one line. When the text holds several escaped frame starts, they are undone. */
static char *unescape_json_trace(const char *text, size_t len, size_t *out_len)
{
	static const char *const marks[] = { "\\n\\tat ", "\\n\\t\\tat ", "\\n    at ",
					     "\\n  File \\\"", "\\n\\tfrom ", "\\n#1 " };
	size_t hits = 0;
	if (!memmem(text, len, "\\n", 2)) /* every mark has one; most texts none */
		return NULL;
	for (size_t m = 0; m < sizeof(marks) / sizeof(*marks); m++)
		for (const char *p = text; (p = memmem(p, (size_t)(text + len - p), marks[m],
						       strlen(marks[m]))); p++)
			if (++hits >= 2)
				goto found;
	return NULL;
found:;
	char *out = xmalloc(len + 1);
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		if (text[i] == '\\' && i + 1 < len) {
			char c = text[i + 1];
			if (c == 'n' || c == 't' || c == 'r' || c == '"' || c == '\\' || c == '/') {
				out[n++] = c == 'n' ? '\n' : c == 't' ? '\t' : c == 'r' ? '\r' : c;
				i++;
				continue;
			}
		}
		out[n++] = text[i];
	}
	out[n] = '\0';
	*out_len = n;
	return out;
}

void trace_parse(trace *t, const char *text, size_t len)
{
	trace_free(t);
	size_t ulen = 0;
	char *unescaped = unescape_json_trace(text, len, &ulen);
	if (unescaped) {
		text = unescaped;
		len = ulen;
	}
	struct tlines L;
	tlines_split(&L, text, len);
	long best = 0;
	for (size_t i = 0; i < sizeof(parsers) / sizeof(*parsers); i++) {
		trace cand;
		trace_init(&cand);
		parsers[i](&cand, &L);
		long s = cand.nexc ? score(&cand) : 0;
		if (s > best) {
			best = s;
			trace_free(t);
			*t = cand;
		} else {
			trace_free(&cand);
		}
	}
	tlines_free(&L);
	free(unescaped);
	if (!t->nexc)
		t->lang = TRACE_NONE;
	classify(t);
	trace_rank(t);
}
