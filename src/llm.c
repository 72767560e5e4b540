/* An OpenAI-compatible chat-completions client (see llm.h). */
#include "llm.h"

#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "service.h"
#include "xalloc.h"

bool llm_configured(const config *cfg)
{
	return config_str(cfg, CFG_LLM_URL) && config_str(cfg, CFG_LLM_MODEL);
}

void llm_client_init(llm_client *c, const config *cfg, store_service *svc)
{
	memset(c, 0, sizeof(*c));
	c->url = config_str(cfg, CFG_LLM_URL);
	c->model = config_str(cfg, CFG_LLM_MODEL);
	c->key = config_str(cfg, CFG_LLM_API_KEY);
	c->timeout = (long)config_duration(cfg, CFG_LLM_TIMEOUT);
	c->svc = svc;
}

/* One request; 0 with r filled (any status), -1 with *err. */
static int post(llm_client *c, const llm_question *q, bool schema, http_response *r, char **err)
{
	if (service_before(c->svc, "The LLM", "POST", err) < 0)
		return -1;
	json_t *req = llm_request(q, c->model, schema);
	char *body = json_dumps(req, JSON_COMPACT);
	json_decref(req);
	char *url = xasprintf("%s/chat/completions", c->url);
	char *auth = c->key ? xasprintf("Authorization: Bearer %s", c->key) : NULL;
	const char *headers[] = { "Accept: application/json", auth, NULL };
	int rc = http_send_timeout("POST", url, headers, body, c->timeout, r, err);
	service_after(c->svc, rc, r, "POST", "/chat/completions", *err);
	if (auth) {
		memset(auth, 0, strlen(auth));
		free(auth);
	}
	free(url);
	free(body);
	return rc;
}

int llm_ask(llm_client *c, const llm_question *q, char **body, size_t *len, char **err)
{
	*body = NULL;
	*len = 0;
	http_response r;
	http_response_init(&r);
	int rc = post(c, q, !c->no_schema, &r, err);
	/* a server without structured outputs says so with a 400 naming the
	 * field: the shape is asked for in words instead, from now on */
	if (rc == 0 && r.status == 400 && !c->no_schema && r.body &&
	    (strstr(r.body, "response_format") || strstr(r.body, "json_schema"))) {
		c->no_schema = true;
		http_response_free(&r);
		rc = post(c, q, false, &r, err);
	}
	if (rc == 0 && (r.status < 200 || r.status > 299)) {
		*err = xasprintf("the LLM answered %ld", r.status);
		rc = -1;
	} else if (rc == 0 && !r.body) {
		*err = xstrdup("the LLM answered nothing");
		rc = -1;
	}
	if (rc == 0) {
		*body = r.body;
		*len = r.len;
		r.body = NULL;
	}
	http_response_free(&r);
	return rc;
}
