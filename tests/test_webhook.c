/* GitHub webhook deliveries saved as files: GitHub's documented signature
 * example, the saved headers and body, and the issue an "issues" event
 * carries (payloads shaped as GitHub's documentation shows them). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "webhook.h"
#include "xalloc.h"

/* GitHub's docs ("Validating webhook deliveries"): this secret, this payload,
 * this signature. */
static void test_documented_signature(void **state)
{
	(void)state;
	const char *secret = "It's a Secret to Everybody", *body = "Hello, World!";
	const char *sig = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
	assert_true(webhook_signature_ok(secret, body, strlen(body), sig));
	/* upper-case hex is the same digest */
	assert_true(webhook_signature_ok(secret, body, strlen(body),
					 "sha256=757107EA0EB2509FC211221CCE984B8A37570B6D7586C22C46F4379C8B043E17"));
	assert_false(webhook_signature_ok("It's a secret to everybody", body, strlen(body), sig));
	assert_false(webhook_signature_ok(secret, "Hello, World?", strlen(body), sig));
	assert_false(webhook_signature_ok(secret, body, strlen(body) - 1, sig));
	/* malformed: no prefix, the old SHA-1 header, short, long, not hex, empty */
	assert_false(webhook_signature_ok(secret, body, strlen(body), sig + 7));
	assert_false(webhook_signature_ok(secret, body, strlen(body),
					  "sha1=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"));
	assert_false(webhook_signature_ok(secret, body, strlen(body), "sha256=757107ea"));
	assert_false(webhook_signature_ok(secret, body, strlen(body),
					  "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e1700"));
	assert_false(webhook_signature_ok(secret, body, strlen(body),
					  "sha256=z57107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"));
	assert_false(webhook_signature_ok(secret, body, strlen(body), NULL));
	assert_false(webhook_signature_ok("", body, strlen(body), sig));
}

/* A delivery as the "Recent Deliveries" page shows it, CRLF and all; the body
 * is every byte after the blank line (the signature covers exactly those). */
static void test_parse_saved_delivery(void **state)
{
	(void)state;
	static const char text[] =
		"Request URL: https://example.com/hooks/github\r\n"
		"Request method: POST\r\n"
		"Accept: */*\r\n"
		"content-type: application/json\r\n"
		"x-github-delivery: 72d3162e-cc78-11e3-81ab-4c9367dc0958\r\n"
		"X-GitHub-Event:   issues  \r\n"
		"X-Hub-Signature-256: sha256=abc\r\n"
		"\r\n"
		"{\"action\": \"opened\"}\r\n";
	webhook_delivery d;
	char *err = NULL;
	assert_int_equal(webhook_parse(text, strlen(text), &d, &err), 0);
	assert_string_equal(d.id, "72d3162e-cc78-11e3-81ab-4c9367dc0958");
	assert_string_equal(d.event, "issues");
	assert_string_equal(d.signature, "sha256=abc");
	assert_string_equal(d.body, "{\"action\": \"opened\"}\r\n");
	assert_int_equal(d.len, strlen("{\"action\": \"opened\"}\r\n"));
	webhook_delivery_free(&d);
	/* no blank line, or nothing after it */
	assert_int_equal(webhook_parse("X-GitHub-Event: issues\n{}", 25, &d, &err), -1);
	assert_non_null(strstr(err, "no blank line"));
	free(err);
	assert_int_equal(webhook_parse("X-GitHub-Event: issues\n\n", 24, &d, &err), -1);
	assert_non_null(strstr(err, "no body"));
	free(err);
	/* a control byte in a header is not kept */
	assert_int_equal(webhook_parse("X-GitHub-Delivery: a\033[2Jb\n\n{}", 30, &d, &err), 0);
	assert_null(strchr(d.id, '\033'));
	webhook_delivery_free(&d);
}

static webhook_delivery delivery(const char *event, const char *body)
{
	webhook_delivery d = { .event = event ? xstrdup(event) : NULL, .body = xstrdup(body), .len = strlen(body) };
	return d;
}

/* The "issues" payload as GitHub documents it (trimmed to what is read). */
static void test_issue_events(void **state)
{
	(void)state;
	static const char opened[] =
		"{\"action\": \"opened\", \"issue\": {\"url\": \"https://api.github.com/repos/acme/loader/issues/21\","
		" \"html_url\": \"https://github.com/acme/loader/issues/21\", \"number\": 21,"
		" \"title\": \"Loader crashes\", \"user\": {\"login\": \"octocat\", \"id\": 1},"
		" \"created_at\": \"2026-11-20T09:00:00Z\", \"body\": \"KeyError: 'user_id'\\n\"},"
		" \"repository\": {\"full_name\": \"acme/loader\"}, \"sender\": {\"login\": \"octocat\"}}";
	webhook_delivery d = delivery("issues", opened);
	char *repo, *action, *err = NULL;
	inbox_list l;
	inbox_list_init(&l);
	assert_int_equal(webhook_issue(&d, "d1", &repo, &action, &l, &err), 1);
	assert_string_equal(repo, "acme/loader");
	assert_string_equal(action, "opened");
	assert_int_equal(l.n, 1);
	assert_int_equal(l.v[0].number, 21);
	assert_string_equal(l.v[0].title, "Loader crashes");
	assert_string_equal(l.v[0].author, "octocat");
	/* the page's address, not the API's */
	assert_string_equal(l.v[0].url, "https://github.com/acme/loader/issues/21");
	assert_int_equal(l.v[0].created_at, 1795165200);
	assert_non_null(l.v[0].hash);
	free(repo);
	free(action);
	inbox_list_free(&l);
	webhook_delivery_free(&d);
	/* a pull request comes as an issue too: not triaged */
	d = delivery("issues", "{\"action\": \"opened\", \"issue\": {\"number\": 3, \"title\": \"x\", "
			       "\"pull_request\": {\"url\": \"u\"}}, \"repository\": {\"full_name\": \"a/b\"}}");
	inbox_list_init(&l);
	assert_int_equal(webhook_issue(&d, "d2", &repo, &action, &l, &err), 0);
	assert_int_equal(l.n, 0);
	webhook_delivery_free(&d);
	/* another event */
	d = delivery("push", "{\"ref\": \"refs/heads/main\"}");
	assert_int_equal(webhook_issue(&d, "d3", &repo, &action, &l, &err), 0);
	webhook_delivery_free(&d);
	/* not JSON, or an issues event without its parts */
	d = delivery("issues", "{\"action\": ");
	assert_int_equal(webhook_issue(&d, "d4", &repo, &action, &l, &err), -1);
	assert_non_null(strstr(err, "not JSON"));
	free(err);
	webhook_delivery_free(&d);
	d = delivery("issues", "{\"action\": \"opened\"}");
	assert_int_equal(webhook_issue(&d, "d5", &repo, &action, &l, &err), -1);
	assert_non_null(strstr(err, "without its action, repository or issue"));
	free(err);
	webhook_delivery_free(&d);
	inbox_list_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_documented_signature),
		cmocka_unit_test(test_parse_saved_delivery),
		cmocka_unit_test(test_issue_events),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
