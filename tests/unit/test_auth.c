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
#include "crm/lockout.h"
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

/* ---- lockout ---- */

static void
test_lockout_seconds(void **state)
{
	static const struct {
		struct lockout_policy p;
		unsigned failures;
		long want;
	} cases[] = {
		{ { 5, 60, 3600 }, 0, 0 },
		{ { 5, 60, 3600 }, 1, 0 },
		{ { 5, 60, 3600 }, 4, 0 },
		{ { 5, 60, 3600 }, 5, 60 },
		{ { 5, 60, 3600 }, 6, 120 },
		{ { 5, 60, 3600 }, 7, 240 },
		{ { 5, 60, 3600 }, 8, 480 },
		{ { 5, 60, 3600 }, 9, 960 },
		{ { 5, 60, 3600 }, 10, 1920 },
		{ { 5, 60, 3600 }, 11, 3600 },	/* 3840 capped */
		{ { 5, 60, 3600 }, 12, 3600 },
		{ { 5, 60, 3600 }, 1000, 3600 },
		{ { 5, 60, 3600 }, 4294967295u, 3600 },
		{ { 1, 1, 1 }, 1, 1 },
		{ { 1, 1, 1 }, 9, 1 },
		{ { 3, 10, 25 }, 2, 0 },
		{ { 3, 10, 25 }, 3, 10 },
		{ { 3, 10, 25 }, 4, 20 },
		{ { 3, 10, 25 }, 5, 25 },
		{ { 30, 60, 3600 }, 29, 0 },
		{ { 30, 60, 3600 }, 30, 60 },
		/* A base above the cap is the cap. */
		{ { 2, 100, 50 }, 2, 50 },
		/* Off: no count locks. */
		{ { 0, 60, 3600 }, 100, 0 },
		{ { 5, 0, 3600 }, 100, 0 },
	};

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		long got = lockout_seconds(&cases[i].p, cases[i].failures);

		if (got != cases[i].want)
			fail_msg("case %zu: %u failures after %u, base %ld, max %ld: "
			    "%ld s, want %ld s", i, cases[i].failures, cases[i].p.after,
			    cases[i].p.base, cases[i].p.max, got, cases[i].want);
	}
}

static void
test_lockout_table(void **state)
{
	const struct lockout_policy p = { 3, 10, 100 };
	struct lockout_table *t;
	const int64_t now = 1000000;
	char key[32];

	(void)state;
	assert_int_equal(lockout_table_create(&t), HE_OK);
	assert_int_equal(lockout_check(t, "a", now), 0);
	assert_int_equal(lockout_fail(t, "a", &p, now), 0);
	assert_int_equal(lockout_fail(t, "a", &p, now + 1), 0);
	assert_int_equal(lockout_fail(t, "b", &p, now + 1), 0);
	assert_int_equal(lockout_check(t, "a", now + 1), 0);
	assert_int_equal(lockout_fail(t, "a", &p, now + 2), 10);
	assert_int_equal(lockout_check(t, "a", now + 2), 10);
	assert_int_equal(lockout_check(t, "a", now + 11), 1);
	assert_int_equal(lockout_check(t, "a", now + 12), 0);
	assert_int_equal(lockout_check(t, "b", now + 2), 0);
	/* The count goes on after a lock: the next failure locks longer. */
	assert_int_equal(lockout_fail(t, "a", &p, now + 12), 20);
	/* A success forgets it. */
	lockout_clear(t, "a");
	assert_int_equal(lockout_check(t, "a", now + 13), 0);
	assert_int_equal(lockout_fail(t, "a", &p, now + 13), 0);
	/* Quiet for twice the longest lock: a fresh start; not before. */
	assert_int_equal(lockout_fail(t, "b", &p, now + 1 + 200), 0);	/* 2nd */
	assert_int_equal(lockout_fail(t, "b", &p, now + 1 + 200 + 201), 0);	/* 1st */
	assert_int_equal(lockout_fail(t, "b", &p, now + 1 + 200 + 202), 0);
	assert_int_equal(lockout_fail(t, "b", &p, now + 1 + 200 + 203), 10);
	/* Far more keys than slots: each is counted or gives way, never mixed. */
	for (int i = 0; i < 20000; i++) {
		snprintf(key, sizeof key, "ip\n10.0.%d.%d", i / 256, i % 256);
		assert_int_equal(lockout_fail(t, key, &p, now + 500), 0);
	}
	assert_int_equal(lockout_check(t, "ip\n10.0.0.1", now + 500), 0);
}

/* ---- users and sign-in ---- */

#define GOOD "correct horse battery"

struct site {
	struct env *e;
	struct auth_guard g;
	struct auth_limits lim;
};

static struct site
site_of(void **state)
{
	struct site s = { *state, { { 5, 60, 3600 }, { 30, 60, 3600 }, NULL },
	    { 3600, 36000 } };

	assert_int_equal(lockout_table_create(&s.g.table), HE_OK);
	return s;
}

static uint64_t
add(struct site *s, const char *email, enum auth_role role)
{
	uint64_t id;

	assert_int_equal(auth_user_add(s->e->st, NULL, email, "", GOOD, role, &id),
	    HE_OK);
	return id;
}

static int
login(struct site *s, const char *email, const char *password, const char *ip,
    char token[AUTH_TOKEN_SIZE], long *retry)
{
	struct auth_user u;

	return auth_login(s->e->st, &s->g, email, password, ip, token, &u, retry);
}

/* Actions of the audit log, oldest first, as "action action ...". */
static char *
actions(struct store *st)
{
	static char buf[4096];
	json_t *rows, *row;
	int64_t stopped;
	int more;
	size_t i;

	assert_int_equal(audit_list(st, &(struct audit_filter){ 0 }, 0, 1000,
	    &rows, &more, &stopped), HE_OK);
	buf[0] = '\0';
	for (i = json_array_size(rows); i-- > 0;) {
		row = json_array_get(rows, i);
		strcat(buf, str(row, "action"));
		strcat(buf, i ? " " : "");
	}
	json_decref(rows);
	return buf;
}

/* The newest entry of the log (a new reference). */
static json_t *
newest(struct store *st)
{
	json_t *rows, *row;
	int64_t stopped;
	int more;

	assert_int_equal(audit_list(st, &(struct audit_filter){ 0 }, 0, 1, &rows,
	    &more, &stopped), HE_OK);
	assert_int_equal(json_array_size(rows), 1);
	row = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	return row;
}

static void
test_login_and_session(void **state)
{
	struct site s = site_of(state);
	char token[AUTH_TOKEN_SIZE], again[AUTH_TOKEN_SIZE];
	struct auth_user u;
	struct auth_user_info info;
	uint64_t id = add(&s, "ada@example.com", ROLE_RECRUITER);
	long retry;

	assert_int_equal(login(&s, "ada@example.com", GOOD, "192.0.2.1", token,
	    &retry), HE_OK);
	assert_int_equal(retry, 0);
	assert_int_equal(strlen(token), AUTH_TOKEN_SIZE - 1);
	assert_int_equal(auth_session(s.e->st, &s.lim, token, &u), HE_OK);
	assert_int_equal(u.id, id);
	assert_int_equal(u.role, ROLE_RECRUITER);
	assert_string_equal(u.email, "ada@example.com");
	/* Every login is a new session id. */
	assert_int_equal(login(&s, "ada@example.com", GOOD, "192.0.2.1", again,
	    &retry), HE_OK);
	assert_string_not_equal(token, again);
	assert_int_equal(auth_user_get(s.e->st, id, &info), HE_OK);
	assert_true(info.last_login > 0);
	/* Past the absolute or the idle limit: expired, and removed. */
	assert_int_equal(auth_session(s.e->st, &(struct auth_limits){ 3600, -1 },
	    token, &u), HE_EXPIRED);
	assert_int_equal(auth_session(s.e->st, &s.lim, token, &u), HE_NOTFOUND);
	assert_int_equal(auth_session(s.e->st, &(struct auth_limits){ -1, 3600 },
	    again, &u), HE_EXPIRED);
	assert_int_equal(auth_session(s.e->st, &s.lim, again, &u), HE_NOTFOUND);
	assert_int_equal(auth_session(s.e->st, &s.lim, "short", &u), HE_NOTFOUND);
	/* Logging out ends it on the server. */
	assert_int_equal(login(&s, "ada@example.com", GOOD, "192.0.2.1", token,
	    &retry), HE_OK);
	assert_int_equal(auth_logout(s.e->st, &(struct audit_actor){ id,
	    "192.0.2.1" }, token), HE_OK);
	assert_int_equal(auth_session(s.e->st, &s.lim, token, &u), HE_NOTFOUND);
	assert_string_equal(actions(s.e->st), "user_add login login login logout");
}

/*
 * The same attempts against an account and against an email that is no
 * account give the same answers: a lock never tells them apart.
 */
static void
test_lockout_of_known_and_unknown_emails(void **state)
{
	static const struct {
		const char *password;
		int rc;
		long retry;	/* -1: any positive number */
	} steps[] = {
		{ "wrong 1", HE_DENIED, 0 },
		{ "wrong 2", HE_DENIED, 0 },
		{ "wrong 3", HE_DENIED, 0 },
		{ "wrong 4", HE_DENIED, 0 },
		{ "wrong 5", HE_DENIED, 60 },	/* the fifth starts a lock */
		{ GOOD, HE_DENIED, -1 },	/* locked: the right one too */
		{ "wrong 6", HE_DENIED, -1 },	/* not counted while locked */
	};
	static const char *const emails[] = { "grace@example.com",
	    "nobody@example.com" };
	struct site s = site_of(state);
	char token[AUTH_TOKEN_SIZE];
	uint64_t id = add(&s, "grace@example.com", ROLE_ADMIN);
	struct auth_user_info info;
	json_t *e;
	long retry;

	for (size_t m = 0; m < N(emails); m++)
		for (size_t i = 0; i < N(steps); i++) {
			int rc = login(&s, emails[m], steps[i].password, "192.0.2.1",
			    token, &retry);

			if (rc != steps[i].rc || (steps[i].retry >= 0 ?
			    retry != steps[i].retry : !(retry > 55 && retry <= 60)))
				fail_msg("%s, step %zu: rc %d retry %ld, want rc %d "
				    "retry %ld", emails[m], i, rc, retry, steps[i].rc,
				    steps[i].retry);
		}
	/* The account's count is in its record; the lock shows to admins. */
	assert_int_equal(auth_user_get(s.e->st, id, &info), HE_OK);
	assert_int_equal(info.failures, 5);
	assert_true(info.locked_until > clock_now());
	/* Five failures each, audited with the email tried; a locked attempt
	 * writes nothing. */
	assert_string_equal(actions(s.e->st), "user_add login_failed login_failed "
	    "login_failed login_failed login_failed login_failed login_failed "
	    "login_failed login_failed login_failed");
	e = newest(s.e->st);
	assert_int_equal(num(e, "user"), 0);
	assert_string_equal(str(e, "ip"), "192.0.2.1");
	assert_string_equal(str(json_object_get(e, "detail"), "email"),
	    "nobody@example.com");
	assert_int_equal(num(json_object_get(e, "detail"), "locked_for"), 60);
	assert_null(json_object_get(json_object_get(e, "detail"), "account"));
	assert_null(json_object_get(json_object_get(e, "detail"), "password"));
	json_decref(e);
	/* A reset lifts the lock. */
	assert_int_equal(auth_user_reset(s.e->st, NULL, id, GOOD), HE_OK);
	assert_int_equal(login(&s, "grace@example.com", GOOD, "192.0.2.1", token,
	    &retry), HE_OK);
}

static void
test_lockout_doubles_and_success_clears(void **state)
{
	struct site s = site_of(state);
	char token[AUTH_TOKEN_SIZE];
	struct auth_user_info info;
	uint64_t id = add(&s, "lin@example.com", ROLE_RECRUITER);
	long retry;

	/* Locks of 1 s, 2 s, 4 s: short enough to wait out. */
	s.g.account = (struct lockout_policy){ 2, 1, 4 };
	assert_int_equal(login(&s, "lin@example.com", "bad", "", token, &retry),
	    HE_DENIED);
	assert_int_equal(retry, 0);
	assert_int_equal(login(&s, "lin@example.com", "bad", "", token, &retry),
	    HE_DENIED);
	assert_int_equal(retry, 1);
	sleep(2);
	assert_int_equal(login(&s, "lin@example.com", "bad", "", token, &retry),
	    HE_DENIED);
	assert_int_equal(retry, 2);
	sleep(3);
	/* The right password after the lock: in, and the count is gone. */
	assert_int_equal(login(&s, "lin@example.com", GOOD, "", token, &retry),
	    HE_OK);
	assert_int_equal(auth_user_get(s.e->st, id, &info), HE_OK);
	assert_int_equal(info.failures, 0);
	assert_int_equal(info.locked_until, 0);
	assert_int_equal(login(&s, "lin@example.com", "bad", "", token, &retry),
	    HE_DENIED);
	assert_int_equal(retry, 0);
}

static void
test_lockout_per_address(void **state)
{
	struct site s = site_of(state);
	char token[AUTH_TOKEN_SIZE], email[64];
	long retry;

	add(&s, "mary@example.com", ROLE_RECRUITER);
	s.g.address = (struct lockout_policy){ 3, 60, 3600 };
	/* Three emails, one wrong password each, from one address. */
	for (int i = 0; i < 3; i++) {
		snprintf(email, sizeof email, "guess%d@example.com", i);
		assert_int_equal(login(&s, email, "bad", "203.0.113.5", token,
		    &retry), HE_DENIED);
		assert_int_equal(retry, i == 2 ? 60 : 0);
	}
	/* The address is locked even for a right password... */
	assert_int_equal(login(&s, "mary@example.com", GOOD, "203.0.113.5", token,
	    &retry), HE_DENIED);
	assert_true(retry > 55 && retry <= 60);
	/* ...other addresses are not. */
	assert_int_equal(login(&s, "mary@example.com", GOOD, "203.0.113.6", token,
	    &retry), HE_OK);
	assert_string_equal(actions(s.e->st), "user_add login_failed login_failed "
	    "login_failed login");
}

static void
test_disabled_users(void **state)
{
	struct site s = site_of(state);
	char token[AUTH_TOKEN_SIZE];
	struct auth_user u;
	uint64_t id;
	long retry;

	add(&s, "boss@example.com", ROLE_ADMIN);
	id = add(&s, "rita@example.com", ROLE_RECRUITER);
	assert_int_equal(login(&s, "rita@example.com", GOOD, "", token, &retry),
	    HE_OK);
	assert_int_equal(auth_user_set_disabled(s.e->st, NULL, id, 1), HE_OK);
	/* Signed out at once; cannot sign in, told as for a wrong password. */
	assert_int_equal(auth_session(s.e->st, &s.lim, token, &u), HE_NOTFOUND);
	assert_int_equal(login(&s, "rita@example.com", GOOD, "", token, &retry),
	    HE_DENIED);
	assert_int_equal(retry, 0);
	/* Disabling again changes nothing and logs nothing. */
	assert_int_equal(auth_user_set_disabled(s.e->st, NULL, id, 1), HE_OK);
	assert_int_equal(login(&s, "rita@example.com", "x", "", token, &retry),
	    HE_DENIED);
	assert_int_equal(auth_user_set_disabled(s.e->st, NULL, id, 0), HE_OK);
	assert_int_equal(login(&s, "rita@example.com", GOOD, "", token, &retry),
	    HE_OK);
	assert_int_equal(auth_session(s.e->st, &s.lim, token, &u), HE_OK);
	assert_int_equal(auth_user_set_disabled(s.e->st, NULL, 999, 1),
	    HE_NOTFOUND);
	assert_string_equal(actions(s.e->st), "user_add user_add login "
	    "user_disable login_failed login_failed user_enable login");
}

/* A session from before a disable stays dead after the enable. */
static void
test_enable_does_not_revive_sessions(void **state)
{
	struct site s = site_of(state);
	char token[AUTH_TOKEN_SIZE];
	struct auth_user u;
	uint64_t id = add(&s, "sam@example.com", ROLE_RECRUITER);
	long retry;

	assert_int_equal(login(&s, "sam@example.com", GOOD, "", token, &retry),
	    HE_OK);
	assert_int_equal(auth_user_set_disabled(s.e->st, NULL, id, 1), HE_OK);
	assert_int_equal(auth_user_set_disabled(s.e->st, NULL, id, 0), HE_OK);
	assert_int_equal(auth_session(s.e->st, &s.lim, token, &u), HE_EXPIRED);
}

static void
test_last_active_admin_stays(void **state)
{
	struct site s = site_of(state);
	struct audit_actor who;
	uint64_t a, b, r;
	json_t *e;

	a = add(&s, "a@example.com", ROLE_ADMIN);
	r = add(&s, "r@example.com", ROLE_RECRUITER);
	who = (struct audit_actor){ a, "192.0.2.44" };
	assert_int_equal(auth_user_set_disabled(s.e->st, &who, a, 1), HE_DENIED);
	assert_int_equal(auth_user_set_role(s.e->st, &who, a, ROLE_RECRUITER),
	    HE_DENIED);
	assert_int_equal(auth_user_set_role(s.e->st, &who, a, ROLE_ADMIN), HE_OK);
	assert_int_equal(auth_user_set_role(s.e->st, &who, r, ROLE_HIRING_MANAGER),
	    HE_OK);
	e = newest(s.e->st);
	assert_string_equal(str(e, "action"), "user_role");
	assert_int_equal(num(e, "user"), a);
	assert_string_equal(str(e, "user_email"), "a@example.com");
	assert_int_equal(num(json_object_get(e, "detail"), "target"), r);
	assert_string_equal(str(json_object_get(e, "detail"), "email"),
	    "r@example.com");
	assert_string_equal(str(json_object_get(e, "detail"), "from"), "recruiter");
	assert_string_equal(str(json_object_get(e, "detail"), "to"),
	    "hiring_manager");
	json_decref(e);
	/* With a second admin, either may go; then the other stays. */
	b = add(&s, "b@example.com", ROLE_ADMIN);
	assert_int_equal(auth_user_set_disabled(s.e->st, &who, a, 1), HE_OK);
	assert_int_equal(auth_user_set_role(s.e->st, &who, b, ROLE_RECRUITER),
	    HE_DENIED);
	assert_int_equal(auth_user_set_disabled(s.e->st, &who, b, 1), HE_DENIED);
	/* A disabled admin does not count: enabled again, they do. */
	assert_int_equal(auth_user_set_disabled(s.e->st, &who, a, 0), HE_OK);
	assert_int_equal(auth_user_set_role(s.e->st, &who, b, ROLE_RECRUITER),
	    HE_OK);
	assert_int_equal(auth_user_set_role(s.e->st, &who, a, ROLE__MAX),
	    HE_INVALID);
	assert_string_equal(actions(s.e->st), "user_add user_add user_role "
	    "user_add user_disable user_enable user_role");
}

static void
test_add_and_list_users(void **state)
{
	struct site s = site_of(state);
	struct auth_user_info *users, one;
	uint64_t id;
	size_t n;

	assert_int_equal(auth_user_add(s.e->st, NULL, "ada@example.com", "Ada L",
	    GOOD, ROLE_ADMIN, &id), HE_OK);
	assert_int_equal(auth_user_add(s.e->st, NULL, "ada@example.com", "",
	    GOOD, ROLE_RECRUITER, &id), HE_EXISTS);
	assert_int_equal(auth_user_add(s.e->st, NULL, "bo@example.com", "",
	    "short", ROLE_RECRUITER, &id), HE_INVALID);
	assert_int_equal(auth_user_add(s.e->st, NULL, "bo@example.com", "",
	    GOOD, ROLE__MAX, &id), HE_INVALID);
	assert_int_equal(auth_user_add(s.e->st, NULL, "bo@example.com", NULL,
	    "12345678", ROLE_HIRING_MANAGER, &id), HE_OK);
	assert_int_equal(auth_user_list(s.e->st, &users, &n), HE_OK);
	assert_int_equal(n, 2);
	assert_string_equal(users[0].email, "ada@example.com");
	assert_string_equal(users[0].name, "Ada L");
	assert_int_equal(users[0].role, ROLE_ADMIN);
	assert_int_equal(users[1].role, ROLE_HIRING_MANAGER);
	assert_false(users[1].disabled);
	assert_int_equal(users[1].last_login, 0);
	free(users);
	assert_int_equal(auth_user_find(s.e->st, "bo@example.com", &one), HE_OK);
	assert_int_equal(one.id, id);
	assert_int_equal(auth_user_find(s.e->st, "no@example.com", &one),
	    HE_NOTFOUND);
	assert_int_equal(auth_user_get(s.e->st, 12345, &one), HE_NOTFOUND);
	/* Never the password, nor its hash, in the log. */
	assert_string_equal(actions(s.e->st), "user_add user_add");
}

struct peek_txn {
	uint64_t id;
	json_t *body;
};

static int
peek_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct peek_txn *p = arg;

	return store_user_get(st, txn, p->id, &p->body);
}

static void
test_password_change(void **state)
{
	struct site s = site_of(state);
	char t1[AUTH_TOKEN_SIZE], t2[AUTH_TOKEN_SIZE], t3[AUTH_TOKEN_SIZE];
	struct auth_user u;
	struct audit_actor who;
	struct peek_txn p = { 0, NULL };
	uint64_t id = add(&s, "kim@example.com", ROLE_RECRUITER);
	long retry;

	who = (struct audit_actor){ id, "192.0.2.8" };
	assert_int_equal(login(&s, "kim@example.com", GOOD, "", t1, &retry), HE_OK);
	assert_int_equal(login(&s, "kim@example.com", GOOD, "", t2, &retry), HE_OK);
	assert_int_equal(auth_password_change(s.e->st, &s.g, &who, "not mine",
	    "a new password", t1, t3, &retry), HE_DENIED);
	assert_int_equal(retry, 0);
	assert_int_equal(auth_password_change(s.e->st, &s.g, &who, GOOD, "short",
	    t1, t3, &retry), HE_INVALID);
	/* Both sessions still live after the failures. */
	assert_int_equal(auth_session(s.e->st, &s.lim, t2, &u), HE_OK);
	assert_int_equal(auth_password_change(s.e->st, &s.g, &who, GOOD,
	    "a new password", t1, t3, &retry), HE_OK);
	/* Every old session ends; the new one lives. */
	assert_int_equal(auth_session(s.e->st, &s.lim, t1, &u), HE_NOTFOUND);
	assert_int_equal(auth_session(s.e->st, &s.lim, t2, &u), HE_EXPIRED);
	assert_int_equal(auth_session(s.e->st, &s.lim, t3, &u), HE_OK);
	assert_int_equal(u.id, id);
	assert_int_equal(login(&s, "kim@example.com", GOOD, "", t1, &retry),
	    HE_DENIED);
	assert_int_equal(login(&s, "kim@example.com", "a new password", "", t1,
	    &retry), HE_OK);
	/* The record holds an argon2id hash, never the password. */
	p.id = id;
	assert_int_equal(store_txn(s.e->st, peek_txn, &p), HE_OK);
	assert_non_null(strstr(str(p.body, "pwhash"), "$argon2id$"));
	{
		char *dump = json_dumps(p.body, 0);

		assert_non_null(dump);
		assert_null(strstr(dump, "a new password"));
		free(dump);
	}
	json_decref(p.body);
	assert_string_equal(actions(s.e->st), "user_add login login login_failed "
	    "password_change login_failed login");
}

/* An admin's reset ends the user's sessions and audits who did it. */
static void
test_admin_reset(void **state)
{
	struct site s = site_of(state);
	char token[AUTH_TOKEN_SIZE], gen[AUTH_GENERATED_SIZE];
	struct auth_user u;
	uint64_t admin = add(&s, "root@example.com", ROLE_ADMIN);
	uint64_t id = add(&s, "joe@example.com", ROLE_HIRING_MANAGER);
	json_t *e;
	long retry;

	auth_password_generate(gen);
	assert_int_equal(strlen(gen), AUTH_GENERATED_SIZE - 1);
	assert_int_equal(login(&s, "joe@example.com", GOOD, "", token, &retry),
	    HE_OK);
	assert_int_equal(auth_user_reset(s.e->st, &(struct audit_actor){ admin,
	    "192.0.2.3" }, id, "short"), HE_INVALID);
	assert_int_equal(auth_user_reset(s.e->st, &(struct audit_actor){ admin,
	    "192.0.2.3" }, id, gen), HE_OK);
	assert_int_equal(auth_session(s.e->st, &s.lim, token, &u), HE_EXPIRED);
	assert_int_equal(login(&s, "joe@example.com", gen, "", token, &retry),
	    HE_OK);
	assert_int_equal(auth_user_reset(s.e->st, NULL, 4242, gen), HE_NOTFOUND);
	e = newest(s.e->st);
	assert_string_equal(str(e, "action"), "login");
	json_decref(e);
	assert_string_equal(actions(s.e->st), "user_add user_add login user_reset "
	    "login");
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
		cmocka_unit_test(test_lockout_seconds),
		cmocka_unit_test(test_lockout_table),
		cmocka_unit_test_setup_teardown(test_login_and_session, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_lockout_of_known_and_unknown_emails, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_lockout_doubles_and_success_clears, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lockout_per_address, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_disabled_users, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_enable_does_not_revive_sessions,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_last_active_admin_stays, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_add_and_list_users, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_password_change, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_admin_reset, setup, teardown),
	};

	return cmocka_run_group_tests_name("auth", tests, NULL, NULL);
}
