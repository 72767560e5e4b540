/* Fuzz target: the config file (git-config syntax through libgit2, our key
 * locator and every value checker), plus the same bytes as a -c flag and as an
 * environment value. Built for libFuzzer with `make fuzz`, and run over the corpus by
 * tests/fuzz/standalone.c in `make check`. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "config.h"
#include "xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* config_load's own libgit2 init and shutdown are counted: holding one
	 * reference for the whole run keeps the library (and its CA bundle,
	 * parsed at each first init) up, 34 inputs a second became thousands */
	static int held;
	if (!held)
		held = git_libgit2_init() > 0;
	char path[] = "/tmp/mahoraga-fuzz-config-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		unlink(path);
		return 0;
	}
	close(fd);

	/* The input as a whole file. */
	config c;
	config_init(&c);
	config_sources src = { .file = path, .file_required = 1 };
	char *err = NULL;
	if (config_load(&c, &src, &err) < 0 && !err)
		abort(); /* a failure must always say why */
	free(err);
	config_free(&c);
	unlink(path);

	/* The input as a flag and as environment values. */
	char *text = xstrndup((const char *)data, size);
	const char *flags[] = { text };
	char *env_draft = xasprintf("MAHORAGA_TRIAGE_DUPLICATE_WINDOW=%s", text);
	char *env_url = xasprintf("MAHORAGA_LLM_URL=%s", text);
	char *env[] = { env_draft, env_url, NULL };
	config_init(&c);
	config_sources src2 = { .env = env, .flags = flags, .n_flags = 1 };
	err = NULL;
	if (config_load(&c, &src2, &err) < 0 && !err)
		abort();
	free(err);
	config_free(&c);
	free(env_draft);
	free(env_url);
	free(text);
	return 0;
}
