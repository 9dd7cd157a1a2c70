/* test_timeline.c: touchpoints, the timeline, profile edits and stale records */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sodium.h>

#include "store/store.h"
#include "store/touch.h"
#include "util/he.h"

struct env {
	char dir[64];
	struct store *st;
};

static int
setup(void **state)
{
	struct env *e = calloc(1, sizeof *e);
	unsigned char key[STORE_KEYBYTES];

	if (e == NULL || sodium_init() < 0)
		return -1;
	strcpy(e->dir, "/tmp/hearth-test-timeline-XXXXXX");
	if (mkdtemp(e->dir) == NULL || store_open(&e->st, e->dir, 16, 0) != HE_OK)
		return -1;
	randombytes_buf(key, sizeof key);
	store_set_site_key(e->st, key);
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

/* ---- the touchpoint entity ---- */

struct touch_arg {
	uint64_t cand;
	json_t *body;
	uint64_t id;
	size_t n;
};

static int
insert_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct touch_arg *t = arg;

	return store_touch_insert(st, txn, t->cand, t->body, &t->id);
}

static uint64_t
touch(struct env *e, uint64_t cand, const char *kind, long long at)
{
	struct touch_arg t = { cand, json_pack("{s:I, s:s, s:s, s:i, s:s}",
	    "at", (json_int_t)at, "kind", kind, "channel", kind, "by", 0,
	    "text", kind), 0, 0 };

	assert_non_null(t.body);
	assert_int_equal(store_txn(e->st, insert_txn, &t), HE_OK);
	json_decref(t.body);
	return t.id;
}

struct seen {
	uint64_t ids[64];
	char kinds[64][16];
	size_t n;
};

static int
see(uint64_t id, json_t *body, void *ctx)
{
	struct seen *s = ctx;

	s->ids[s->n] = id;
	snprintf(s->kinds[s->n], sizeof s->kinds[0], "%s",
	    json_string_value(json_object_get(body, "kind")));
	s->n++;
	return HE_OK;
}

static int
del_all_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct touch_arg *t = arg;

	return store_touch_del_all(st, txn, t->cand, &t->n);
}

static void
touchpoints_walk_newest_first_in_pages(void **state)
{
	struct env *e = *state;
	uint64_t ids[7];
	struct seen s = { .n = 0 };
	struct touch_arg del = { 5, NULL, 0, 0 };
	size_t n;

	/* Neighbours on both sides must never show. */
	touch(e, 4, "note", 100);
	for (size_t i = 0; i < 7; i++)
		ids[i] = touch(e, 5, i % 2 ? "call" : "note", 1000 + (long long)i);
	touch(e, 6, "note", 100);
	assert_int_equal(store_touch_count(e->st, NULL, 5, &n), HE_OK);
	assert_int_equal(n, 7);
	assert_int_equal(store_touch_newest(e->st, NULL, 5, 0, 3, see, &s), HE_OK);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.ids[0], ids[6]);
	assert_int_equal(s.ids[2], ids[4]);
	s.n = 0;
	assert_int_equal(store_touch_newest(e->st, NULL, 5, 6, 3, see, &s), HE_OK);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.ids[0], ids[0]);
	s.n = 0;
	assert_int_equal(store_touch_newest(e->st, NULL, 5, 0, 0, see, &s), HE_OK);
	assert_int_equal(s.n, 7);
	s.n = 0;
	assert_int_equal(store_touch_newest(e->st, NULL, 7, 0, 0, see, &s), HE_OK);
	assert_int_equal(s.n, 0);
	/* Erasure takes every one of them and nobody else's. */
	assert_int_equal(store_txn(e->st, del_all_txn, &del), HE_OK);
	assert_int_equal(del.n, 7);
	assert_int_equal(store_touch_count(e->st, NULL, 5, &n), HE_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_touch_count(e->st, NULL, 4, &n), HE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_touch_count(e->st, NULL, 6, &n), HE_OK);
	assert_int_equal(n, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(touchpoints_walk_newest_first_in_pages,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
