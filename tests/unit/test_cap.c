/* test_cap.c: the frequency cap: windows, pending mails, and when a
 * deferred mail may go, against a real store */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "crm/cap.h"
#include "store/cap.h"
#include "store/store.h"
#include "util/he.h"

#define DAY 86400
#define T0 1700000000LL

struct env {
	char dir[64];
	struct store *st;
};

static int
setup(void **state)
{
	struct env *e = calloc(1, sizeof *e);

	if (e == NULL)
		return -1;
	strcpy(e->dir, "/tmp/s5-test-cap-XXXXXX");
	if (mkdtemp(e->dir) == NULL || store_open(&e->st, e->dir, 8, 0) != HE_OK)
		return -1;
	*state = e;
	return 0;
}

static int
teardown(void **state)
{
	struct env *e = *state;
	char cmd[128];
	int rc;

	store_close(e->st);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", e->dir);
	rc = system(cmd);
	free(e);
	return rc == 0 ? 0 : -1;
}

struct note {
	uint64_t cand;
	int64_t at;
	int days;
};

static int
note_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct note *n = arg;

	return cap_note(st, txn, n->cand, n->at, n->days);
}

static void
sent_at(struct env *e, uint64_t cand, int64_t at, int days)
{
	struct note n = { cand, at, days };

	assert_int_equal(store_txn(e->st, note_txn, &n), HE_OK);
}

/* Each case: mails sent at these offsets from T0 (seconds), then a check
 * at `now` with cap (max per days): the answer and, when over, free_at. */
static const struct cap_case {
	const char *name;
	int64_t sent[8];
	int nsent;
	int64_t now;
	int max, days, pending;
	int want;
	int64_t free_at;
} cases[] = {
	{ "nobody sent yet", { 0 }, 0, 0, 3, 7, 0, HE_OK, 0 },
	{ "under the cap", { 0, 100 }, 2, 200, 3, 7, 0, HE_OK, 0 },
	{ "at the cap: the oldest frees it", { 0, 100, 200 }, 3, 300, 3, 7, 0,
	    HE_BUSY, 0 + 7 * DAY },
	{ "old mails left the window", { 0, 100, 200 }, 3, 7 * DAY + 150, 3, 7,
	    0, HE_OK, 0 },
	{ "one left, two still in", { 0, 100, 200 }, 3, 7 * DAY + 50, 3, 7, 0,
	    HE_OK, 0 },
	{ "over by two: the second oldest frees it", { 0, 10, 20, 30 }, 4, 40,
	    2, 7, 0, HE_BUSY, 20 + 7 * DAY },
	{ "a mail on the window's edge has left it", { 0, DAY }, 2, 2 * DAY, 2,
	    2, 0, HE_OK, 0 },
	{ "pending mails count as sent now", { 0 }, 1, 100, 2, 7, 1, HE_BUSY,
	    0 + 7 * DAY },
	{ "only pending mails: they free it a window from now", { 0 }, 0, 100,
	    2, 7, 2, HE_BUSY, 100 + 7 * DAY },
	{ "no cap configured", { 0, 1, 2, 3, 4 }, 5, 10, 0, 7, 0, HE_OK, 0 },
	{ "no window configured", { 0, 1, 2 }, 3, 10, 1, 0, 0, HE_OK, 0 },
	{ "one a day", { 0 }, 1, 3600, 1, 1, 0, HE_BUSY, DAY },
};

static void
test_windows(void **state)
{
	struct env *e = *state;

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const struct cap_case *c = &cases[i];
		uint64_t cand = 1000 + i;
		int64_t free_at = -1;
		int rc;

		for (int k = 0; k < c->nsent; k++)
			sent_at(e, cand, T0 + c->sent[k], c->days > 0 ? c->days : 7);
		rc = cap_check_pending(e->st, NULL, cand, T0 + c->now, c->max,
		    c->days, c->pending, &free_at);
		if (rc != c->want)
			fail_msg("%s: %s, not %s", c->name, he_strerror(rc),
			    he_strerror(c->want));
		if (rc == HE_BUSY && free_at != T0 + c->free_at)
			fail_msg("%s: free at %+lld, not %+lld", c->name,
			    (long long)(free_at - T0), (long long)c->free_at);
		if (rc == HE_BUSY) {
			/* At free_at exactly it may go (nothing else was sent). */
			assert_int_equal(cap_check_pending(e->st, NULL, cand,
			    free_at, c->max, c->days, 0, &free_at), HE_OK);
		}
	}
}

static void
test_deferred_mail_goes_when_freed(void **state)
{
	struct env *e = *state;
	int64_t free_at, now = T0;

	/* At most 2 per 3 days: the third waits for the first to leave. */
	sent_at(e, 7, now, 3);
	sent_at(e, 7, now + 3600, 3);
	assert_int_equal(cap_check(e->st, NULL, 7, now + 7200, 2, 3, &free_at),
	    HE_BUSY);
	assert_int_equal(free_at, now + 3 * DAY);
	assert_int_equal(cap_check(e->st, NULL, 7, free_at - 1, 2, 3, &free_at),
	    HE_BUSY);
	assert_int_equal(cap_check(e->st, NULL, 7, now + 3 * DAY, 2, 3,
	    &free_at), HE_OK);
	/* Sent then: now the second one frees the next. */
	sent_at(e, 7, now + 3 * DAY, 3);
	assert_int_equal(cap_check(e->st, NULL, 7, now + 3 * DAY + 1, 2, 3,
	    &free_at), HE_BUSY);
	assert_int_equal(free_at, now + 3600 + 3 * DAY);
	/* Another person is not affected. */
	assert_int_equal(cap_check(e->st, NULL, 8, now + 7200, 2, 3, &free_at),
	    HE_OK);
}

static void
test_note_forgets_old_times(void **state)
{
	struct env *e = *state;
	int64_t t[STORE_CAP_TIMES];
	size_t n;

	for (int i = 0; i < 5; i++)
		sent_at(e, 9, T0 + i * DAY, 2);
	/* Only the mails within 2 days of the last one are kept. */
	assert_int_equal(store_cap_get(e->st, NULL, 9, 0, t, &n), HE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(t[0], T0 + 3 * DAY);
	assert_int_equal(t[1], T0 + 4 * DAY);
	/* Never more than STORE_CAP_TIMES, whatever the window. */
	for (int i = 0; i < STORE_CAP_TIMES + 10; i++)
		sent_at(e, 10, T0 + i, 30);
	assert_int_equal(store_cap_get(e->st, NULL, 10, 0, t, &n), HE_OK);
	assert_int_equal(n, STORE_CAP_TIMES);
	assert_int_equal(t[n - 1], T0 + STORE_CAP_TIMES + 9);
}

static int
purge_txn(struct store *st, DB_TXN *txn, void *arg)
{
	return cap_purge(st, txn, *(uint64_t *)arg);
}

static void
test_purge(void **state)
{
	struct env *e = *state;
	uint64_t cand = 11;
	int64_t t[STORE_CAP_TIMES], free_at;
	size_t n;

	sent_at(e, cand, T0, 7);
	assert_int_equal(store_txn(e->st, purge_txn, &cand), HE_OK);
	assert_int_equal(store_cap_get(e->st, NULL, cand, 0, t, &n), HE_OK);
	assert_int_equal(n, 0);
	assert_int_equal(cap_check(e->st, NULL, cand, T0 + 1, 1, 7, &free_at),
	    HE_OK);
	/* Purging someone with nothing held is fine too. */
	assert_int_equal(store_txn(e->st, purge_txn, &cand), HE_OK);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_windows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deferred_mail_goes_when_freed,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_note_forgets_old_times, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_purge, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
