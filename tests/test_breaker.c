/* The circuit breaker on a clock the test drives: five failures open it for
 * a minute, then one probe; the probe's answer closes it, its failure opens
 * it again; a probe that never reported is given up after another minute. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "breaker.h"

static void test_opens_after_five_failures(void **state)
{
	(void)state;
	breaker b;
	breaker_init(&b);
	int64_t t = 1000;
	for (int i = 0; i < BREAKER_FAILURES - 1; i++) {
		assert_true(breaker_allow(&b, t));
		breaker_failure(&b, t);
	}
	assert_string_equal(breaker_state(&b, t), "closed");
	breaker_success(&b); /* an answer in between: counting starts again */
	for (int i = 0; i < BREAKER_FAILURES - 1; i++)
		breaker_failure(&b, t);
	assert_true(breaker_allow(&b, t));
	breaker_failure(&b, t);
	assert_string_equal(breaker_state(&b, t), "open");
	assert_false(breaker_allow(&b, t));
	assert_false(breaker_allow(&b, t + BREAKER_COOLDOWN - 1));
}

static void test_half_open_probe(void **state)
{
	(void)state;
	breaker b;
	breaker_init(&b);
	int64_t t = 1000;
	for (int i = 0; i < BREAKER_FAILURES; i++)
		breaker_failure(&b, t);
	t += BREAKER_COOLDOWN;
	assert_string_equal(breaker_state(&b, t), "half-open");
	assert_true(breaker_allow(&b, t));   /* the probe */
	assert_false(breaker_allow(&b, t));  /* only one */
	breaker_failure(&b, t);              /* it failed: open again */
	assert_string_equal(breaker_state(&b, t), "open");
	assert_false(breaker_allow(&b, t + 1));
	t += BREAKER_COOLDOWN;
	assert_true(breaker_allow(&b, t));
	breaker_success(&b);                 /* it answered: closed */
	assert_string_equal(breaker_state(&b, t), "closed");
	assert_true(breaker_allow(&b, t));
	assert_true(breaker_allow(&b, t));
	assert_int_equal(b.failures, 0);
}

static void test_lost_probe(void **state)
{
	(void)state;
	breaker b;
	breaker_init(&b);
	for (int i = 0; i < BREAKER_FAILURES; i++)
		breaker_failure(&b, 0);
	assert_true(breaker_allow(&b, BREAKER_COOLDOWN));
	/* its process died: nobody reports; another may probe a minute later */
	assert_false(breaker_allow(&b, 2 * BREAKER_COOLDOWN - 1));
	assert_true(breaker_allow(&b, 2 * BREAKER_COOLDOWN));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_opens_after_five_failures),
		cmocka_unit_test(test_half_open_probe),
		cmocka_unit_test(test_lost_probe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
