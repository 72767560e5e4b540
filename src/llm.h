/* llm: an OpenAI-compatible chat-completions client (OpenAI, Gemini's
 * OpenAI-compatible endpoint, Ollama, llama.cpp's server, vLLM).
 *
 * llm.url is the API's base (https://api.openai.com/v1,
 * http://localhost:11434/v1); llm.model the model; MAHORAGA_LLM_API_KEY,
 * when set, goes as a bearer token and nowhere else (not the prompt, the
 * log, an error or the database). The request asks for a json_schema
 * response format; a server that refuses it (a 400 that names it) is asked
 * again with the shape in words alone, and remembered for the process.
 * Requests go through the "llm" service's breaker and status (src/service)
 * and wait at most llm.timeout. */
#ifndef MAHORAGA_LLM_H
#define MAHORAGA_LLM_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "llm_answer.h"
#include "store.h"

typedef struct llm_client {
	const char *url;      /* llm.url */
	const char *model;    /* llm.model */
	const char *key;      /* or NULL; a secret */
	long timeout;         /* seconds */
	store_service *svc;   /* the "llm" service (may be NULL) */
	bool no_schema;       /* the server refused response_format */
} llm_client;

/* Is a model set up (llm.url and llm.model)? */
bool llm_configured(const config *cfg);

/* The client of cfg's settings, reporting to svc (may be NULL). */
void llm_client_init(llm_client *c, const config *cfg, store_service *svc);

/* Ask q. Returns 0 with the server's body (*body, *len: to free), or -1
 * with *err (no answer, a timeout, an error status, a body too large, the
 * breaker open). */
int llm_ask(llm_client *c, const llm_question *q, char **body, size_t *len, char **err);

#endif
