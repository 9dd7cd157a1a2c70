/* test_auth.c: the audit log, and back-office users, logins and lockouts */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include <sodium.h>

#include "crm/audit.h"
#include "crm/auth.h"
#include "crm/clock.h"
#include "store/audit.h"
#include "store/entities.h"
#include "store/store.h"
#include "util/he.h"

#define N(a) (sizeof (a) / sizeof *(a))

struct env {
	char dir[64];
	struct store *st;
};

static int
setup(void **state)
{
	struct env *e = calloc(1, sizeof *e);

	if (e == NULL || sodium_init() < 0)
		return -1;
	strcpy(e->dir, "/tmp/hearth-test-auth-XXXXXX");
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

/* ---- audit ---- */

static const char *
str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static long long
num(json_t *o, const char *k)
{
	return (long long)json_integer_value(json_object_get(o, k));
}

/* The listing under f as "action:user:cand ..." newest first. */
static char *
listing(struct store *st, const struct audit_filter *f, size_t offset,
    size_t limit, int *more)
{
	static char buf[4096];
	json_t *rows, *row;
	int64_t stopped;
	size_t i;

	assert_int_equal(audit_list(st, f, offset, limit, &rows, more, &stopped),
	    HE_OK);
	assert_int_equal(stopped, 0);
	buf[0] = '\0';
	json_array_foreach(rows, i, row) {
		char one[128];

		assert_true(num(row, "id") > 0);
		snprintf(one, sizeof one, "%s%s:%lld:%lld", i ? " " : "",
		    str(row, "action"), num(row, "user"), num(row, "cand"));
		strcat(buf, one);
	}
	json_decref(rows);
	return buf;
}

static void
test_audit_log_checks_its_input(void **state)
{
	struct env *e = *state;
	struct audit_actor who = { 0, "192.0.2.1" };
	json_t *arr = json_array();
	int more;

	assert_int_equal(audit_log(e->st, NULL, &who, "reboot", 0, NULL),
	    HE_INVALID);
	assert_int_equal(audit_log(e->st, NULL, &who, NULL, 0, NULL), HE_INVALID);
	assert_int_equal(audit_log(e->st, NULL, &who, "edit", 1, arr), HE_INVALID);
	json_decref(arr);
	assert_string_equal(listing(e->st, &(struct audit_filter){ 0 }, 0, 10,
	    &more), "");
	assert_false(more);
	/* Every action of the contract is known. */
	for (const char *const *a = audit_actions; *a; a++)
		assert_int_equal(audit_log(e->st, NULL, NULL, *a, 0, NULL), HE_OK);
}

static void
test_audit_entry_fields(void **state)
{
	struct env *e = *state;
	json_t *user = json_pack("{s:s, s:s}", "email", "ada@example.com",
	    "role", "admin");
	json_t *detail = json_pack("{s:[s, s]}", "fields", "city", "phone");
	struct audit_actor who = { 0, "198.51.100.7" };
	json_t *rows, *row;
	int64_t before = clock_now_us(), stopped;
	int more;

	assert_int_equal(store_user_insert(e->st, NULL, user, &who.user), HE_OK);
	assert_int_equal(audit_log(e->st, NULL, &who, "edit", 42, detail), HE_OK);
	assert_int_equal(audit_log(e->st, NULL,
	    &(struct audit_actor){ 0, NULL }, "login_failed", 0, NULL), HE_OK);
	assert_int_equal(audit_list(e->st, &(struct audit_filter){ 0 }, 0, 10,
	    &rows, &more, &stopped), HE_OK);
	assert_int_equal(json_array_size(rows), 2);
	row = json_array_get(rows, 1);
	assert_string_equal(str(row, "action"), "edit");
	assert_int_equal(num(row, "user"), who.user);
	assert_string_equal(str(row, "user_email"), "ada@example.com");
	assert_string_equal(str(row, "ip"), "198.51.100.7");
	assert_int_equal(num(row, "cand"), 42);
	assert_true(json_equal(json_object_get(row, "detail"), detail));
	assert_true(num(row, "at") >= before && num(row, "at") <= clock_now_us());
	/* Nobody signed in, no address: no user_email, ip, cand or detail. */
	row = json_array_get(rows, 0);
	assert_int_equal(num(row, "user"), 0);
	assert_null(json_object_get(row, "user_email"));
	assert_null(json_object_get(row, "ip"));
	assert_null(json_object_get(row, "cand"));
	assert_null(json_object_get(row, "detail"));
	json_decref(rows);
	json_decref(detail);
	json_decref(user);
}

/* An entry at a given time, written as audit_log would. */
static void
put_at(struct store *st, int64_t at, uint64_t user, const char *action,
    uint64_t cand)
{
	json_t *e = json_pack("{s:I, s:I, s:s}", "at", (json_int_t)at,
	    "user", (json_int_t)user, "action", action);
	uint64_t id;

	if (cand)
		json_object_set_new(e, "cand", json_integer((json_int_t)cand));
	assert_int_equal(store_audit_insert(st, NULL, e, &id), HE_OK);
	json_decref(e);
}

#define T0 1700000000000000LL	/* 14 Nov 2023, in µs */
#define SEC 1000000LL

static void
test_audit_filters_and_pages(void **state)
{
	struct env *e = *state;
	static const struct {
		struct audit_filter f;
		size_t offset, limit;
		const char *want;
		int more;
	} cases[] = {
		{ { 0 }, 0, 100, "view:2:7 edit:1:7 view:1:8 login:2:0 login:1:0", 0 },
		{ { 0 }, 0, 2, "view:2:7 edit:1:7", 1 },
		{ { 0 }, 2, 2, "view:1:8 login:2:0", 1 },
		{ { 0 }, 4, 2, "login:1:0", 0 },
		{ { 0 }, 5, 2, "", 0 },
		{ { .user = 1 }, 0, 100, "edit:1:7 view:1:8 login:1:0", 0 },
		{ { .user = 3 }, 0, 100, "", 0 },
		{ { .action = "view" }, 0, 100, "view:2:7 view:1:8", 0 },
		{ { .action = "" }, 0, 1, "view:2:7", 1 },
		{ { .cand = 7 }, 0, 100, "view:2:7 edit:1:7", 0 },
		{ { .cand = 7 }, 1, 100, "edit:1:7", 0 },
		{ { .cand = 7, .user = 1 }, 0, 100, "edit:1:7", 0 },
		{ { .cand = 9 }, 0, 100, "", 0 },
		/* [from, to): the entry at `to` itself is left out. */
		{ { .from_us = T0 + 1 * SEC }, 0, 100,
		    "view:2:7 edit:1:7 view:1:8 login:2:0", 0 },
		{ { .from_us = T0 + 1 * SEC, .to_us = T0 + 3 * SEC }, 0, 100,
		    "view:1:8 login:2:0", 0 },
		{ { .to_us = T0 + 1 }, 0, 100, "login:1:0", 0 },
		{ { .to_us = T0 }, 0, 100, "", 0 },
		{ { .from_us = T0 + 10 * SEC }, 0, 100, "", 0 },
		{ { .cand = 7, .from_us = T0 + 4 * SEC }, 0, 100, "view:2:7", 0 },
		{ { .action = "login", .to_us = T0 + 100 * SEC }, 0, 1, "login:2:0", 1 },
	};
	int more;

	/* Written out of time order: listings follow "at", not the order of
	 * writing (nor the ids, which each process takes from its own cache). */
	put_at(e->st, T0 + 3 * SEC, 1, "edit", 7);
	put_at(e->st, T0, 1, "login", 0);
	put_at(e->st, T0 + 4 * SEC, 2, "view", 7);
	put_at(e->st, T0 + 1 * SEC, 2, "login", 0);
	put_at(e->st, T0 + 2 * SEC, 1, "view", 8);
	for (size_t i = 0; i < N(cases); i++) {
		const char *got = listing(e->st, &cases[i].f, cases[i].offset,
		    cases[i].limit, &more);

		if (strcmp(got, cases[i].want) != 0 || more != cases[i].more)
			fail_msg("case %zu: got \"%s\" (more %d), want \"%s\" (more %d)",
			    i, got, more, cases[i].want, cases[i].more);
	}
}

static int
add_action(json_t *entry, void *ctx)
{
	strcat(ctx, json_string_value(json_object_get(entry, "action")));
	strcat(ctx, " ");
	return json_object_get(entry, "id") ? HE_INVALID : HE_OK;
}

struct each_in_txn {
	char buf[256];
};

static int
each_in_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct each_in_txn *x = arg;

	x->buf[0] = '\0';
	return audit_each_of(st, txn, 7, add_action, x->buf);
}

static void
test_audit_each_of_candidate(void **state)
{
	struct env *e = *state;
	struct each_in_txn x;
	char buf[256] = "";

	put_at(e->st, T0 + 5 * SEC, 1, "delete", 8);
	put_at(e->st, T0 + 3 * SEC, 1, "edit", 7);
	put_at(e->st, T0 + 4 * SEC, 2, "export", 7);
	put_at(e->st, T0 + 1 * SEC, 2, "view", 7);
	put_at(e->st, T0 + 2 * SEC, 2, "login", 0);
	assert_int_equal(audit_each_of(e->st, NULL, 7, add_action, buf), HE_OK);
	assert_string_equal(buf, "view edit export ");
	assert_int_equal(store_txn(e->st, each_in_txn, &x), HE_OK);
	assert_string_equal(x.buf, "view edit export ");
	buf[0] = '\0';
	assert_int_equal(audit_each_of(e->st, NULL, 99, add_action, buf), HE_OK);
	assert_string_equal(buf, "");
}

/* In the caller's transaction: aborted with it, kept with its commit. */
struct in_txn {
	int fail;
};

static int
log_in_txn(struct store *st, DB_TXN *txn, void *arg)
{
	int rc = audit_log(st, txn, &(struct audit_actor){ 5, "192.0.2.9" },
	    "delete", 3, NULL);

	return rc != HE_OK ? rc : ((struct in_txn *)arg)->fail ? HE_INVALID : HE_OK;
}

static void
test_audit_in_callers_transaction(void **state)
{
	struct env *e = *state;
	int more;

	assert_int_equal(store_txn(e->st, log_in_txn, &(struct in_txn){ 1 }),
	    HE_INVALID);
	assert_string_equal(listing(e->st, &(struct audit_filter){ 0 }, 0, 10,
	    &more), "");
	assert_int_equal(store_txn(e->st, log_in_txn, &(struct in_txn){ 0 }),
	    HE_OK);
	assert_string_equal(listing(e->st, &(struct audit_filter){ 0 }, 0, 10,
	    &more), "delete:5:3");
}

/* Another process (a second web worker) writes between two of ours. */
static void
test_audit_order_across_processes(void **state)
{
	struct env *e = *state;
	char buf[256] = "";
	pid_t pid;
	int status, more;

	assert_int_equal(audit_log(e->st, NULL, NULL, "login", 1, NULL), HE_OK);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct store *st;

		if (store_open(&st, e->dir, 8, 0) != HE_OK)
			_exit(2);
		if (audit_log(st, NULL, NULL, "view", 1, NULL) != HE_OK)
			_exit(3);
		store_close(st);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_int_equal(audit_log(e->st, NULL, NULL, "edit", 1, NULL), HE_OK);
	/* This process's ids come from its cache, the other's from a later
	 * block: by id the child's "view" would be the newest. */
	assert_string_equal(listing(e->st, &(struct audit_filter){ 0 }, 0, 10,
	    &more), "edit:0:1 view:0:1 login:0:1");
	assert_int_equal(audit_each_of(e->st, NULL, 1, add_action, buf), HE_OK);
	assert_string_equal(buf, "login view edit ");
}

struct many {
	long long from, to;
};

static int
put_many(struct store *st, DB_TXN *txn, void *arg)
{
	struct many *m = arg;
	int rc = HE_OK;

	for (long long i = m->from; i < m->to && rc == HE_OK; i++) {
		json_t *e = json_pack("{s:I, s:I, s:s}", "at", (json_int_t)(T0 + i),
		    "user", (json_int_t)1, "action", "view");
		uint64_t id;

		rc = store_audit_insert(st, txn, e, &id);
		json_decref(e);
	}
	return rc;
}

static void
test_audit_scan_is_bounded(void **state)
{
	struct env *e = *state;
	json_t *rows;
	int64_t stopped;
	int more;

	for (long long i = 0; i <= AUDIT_SCAN_MAX; i += 1000) {
		struct many m = { i, i + 1000 > AUDIT_SCAN_MAX + 1 ?
		    AUDIT_SCAN_MAX + 1 : i + 1000 };

		assert_int_equal(store_txn(e->st, put_many, &m), HE_OK);
	}
	/* No entry of user 2: the listing gives up after AUDIT_SCAN_MAX and
	 * says where, instead of reading the whole log. */
	assert_int_equal(audit_list(e->st, &(struct audit_filter){ .user = 2 }, 0,
	    50, &rows, &more, &stopped), HE_OK);
	assert_int_equal(json_array_size(rows), 0);
	assert_false(more);
	assert_int_equal(stopped, T0);
	json_decref(rows);
	assert_int_equal(audit_list(e->st, &(struct audit_filter){ .user = 2,
	    .from_us = T0 + 1 }, 0, 50, &rows, &more, &stopped), HE_OK);
	assert_int_equal(stopped, 0);
	json_decref(rows);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_audit_log_checks_its_input,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit_entry_fields, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_audit_filters_and_pages, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_audit_each_of_candidate, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_audit_in_callers_transaction,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit_order_across_processes,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit_scan_is_bounded, setup,
		    teardown),
	};

	return cmocka_run_group_tests_name("auth", tests, NULL, NULL);
}
