/* test_job.c: background jobs against a real store, with a kind that only the test has */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sodium.h>

#include "crm/clock.h"
#include "crm/job.h"
#include "store/entities.h"
#include "store/job.h"
#include "store/store.h"
#include "util/he.h"

#define N(a) (sizeof (a) / sizeof *(a))
#define COUNTER "test.items"

/*
 * The test's kind, "count": counts params.n items, params.per at most per
 * step, each item adding one to the setting COUNTER in the step's
 * transaction: the counter is the work, and must always equal "done".
 * When fail_next is set, a step does its work and then fails.
 */
static int fail_next;
static int steps_called;

static int
count_step(struct job_run *run, DB_TXN *txn)
{
	json_t *params = json_object_get(run->job, "params");
	json_int_t n = json_integer_value(json_object_get(params, "n"));
	json_int_t per = json_integer_value(json_object_get(params, "per"));
	json_t *resume = json_object_get(run->job, "resume");
	json_int_t next = json_integer_value(json_object_get(resume, "next"));
	json_int_t k;
	int rc;

	steps_called++;
	for (k = 0; k < per && next + k < n; k++)
		if ((rc = store_setting_add(run->st, txn, COUNTER, 1)) != HE_OK)
			return rc;
	if (fail_next)
		return HE_IO;	/* after the work: all of it must be undone */
	json_object_set_new(resume, "next", json_integer(next + k));
	job_set_progress(run->job, next + k, n);
	if (next + k == n) {
		json_object_set_new(json_object_get(run->job, "result"), "summary",
		    json_sprintf("%d counted", (int)n));
		job_finish(run->job, JOB_DONE, NULL);
	}
	return HE_OK;
}

static const struct job_kind test_kinds[] = {
	{ "count", "Counting", count_step },
};

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
	strcpy(e->dir, "/tmp/hearth-test-job-XXXXXX");
	if (mkdtemp(e->dir) == NULL || store_open(&e->st, e->dir, 8, 0) != HE_OK)
		return -1;
	fail_next = 0;
	steps_called = 0;
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

struct create {
	const char *kind;
	uint64_t user;
	json_t *params;
	int64_t total;
	uint64_t id;
};

static int
create_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct create *c = arg;

	return job_create(st, txn, c->kind, c->user, c->params, c->total, &c->id);
}

static uint64_t
create(struct env *e, const char *kind, uint64_t user, int n, int per)
{
	struct create c = { kind, user, json_pack("{s:i, s:i}", "n", n, "per", per),
	    0, 0 };

	assert_non_null(c.params);
	assert_int_equal(store_txn(e->st, create_txn, &c), HE_OK);
	json_decref(c.params);
	return c.id;
}

static int64_t
counter(struct env *e)
{
	int64_t v;

	assert_int_equal(store_setting_get(e->st, NULL, COUNTER, &v), HE_OK);
	return v;
}

static json_t *
get(struct env *e, uint64_t id)
{
	json_t *job;

	assert_int_equal(job_get(e->st, id, &job), HE_OK);
	return job;
}

static json_int_t
num(json_t *job, const char *field)
{
	return json_integer_value(json_object_get(job, field));
}

static const char *
str(json_t *job, const char *field)
{
	const char *s = json_string_value(json_object_get(job, field));

	return s ? s : "";
}

static int
count_open(uint64_t id, void *ctx)
{
	(void)id;
	(*(int *)ctx)++;
	return HE_OK;
}

static int
open_jobs(struct env *e)
{
	int n = 0;

	assert_int_equal(store_job_open_each(e->st, NULL, count_open, &n), HE_OK);
	return n;
}

static int
step(struct env *e, int64_t now)
{
	int ran;

	assert_int_equal(job_step_kinds(test_kinds, N(test_kinds), e->st, NULL,
	    now, clock_now_us() + 1000000, &ran), HE_OK);
	return ran;
}

static void
test_create(void **state)
{
	struct env *e = *state;
	uint64_t id = create(e, "count", 7, 5, 2);
	json_t *job = get(e, id), *jobs;
	int more;

	assert_string_equal(str(job, "kind"), "count");
	assert_string_equal(str(job, "state"), "queued");
	assert_int_equal(num(job, "user"), 7);
	assert_int_equal(num(job, "id"), id);
	assert_int_equal(num(job, "done"), 0);
	assert_int_equal(num(job, "total"), 0);
	assert_int_equal(num(json_object_get(job, "params"), "n"), 5);
	assert_true(num(job, "created") >= clock_now() - 5);
	assert_true(job_is_open(job));
	assert_int_equal(job_state_of(job), JOB_QUEUED);
	json_decref(job);
	assert_int_equal(open_jobs(e), 1);
	assert_int_equal(job_get(e->st, id + 1000, &job), HE_NOTFOUND);

	/* Lists: everyone's, one user's, pages. */
	create(e, "count", 8, 1, 1);
	create(e, "count", 7, 1, 1);
	assert_int_equal(job_page(e->st, 0, 1, 10, &jobs, &more), HE_OK);
	assert_int_equal(json_array_size(jobs), 3);
	assert_false(more);
	assert_int_equal(num(json_array_get(jobs, 2), "id"), id);	/* newest first */
	json_decref(jobs);
	assert_int_equal(job_page(e->st, 7, 1, 1, &jobs, &more), HE_OK);
	assert_int_equal(json_array_size(jobs), 1);
	assert_true(more);
	assert_int_equal(num(json_array_get(jobs, 0), "user"), 7);
	json_decref(jobs);
	assert_int_equal(job_page(e->st, 7, 2, 1, &jobs, &more), HE_OK);
	assert_int_equal(json_array_size(jobs), 1);
	assert_false(more);
	assert_int_equal(num(json_array_get(jobs, 0), "id"), id);
	json_decref(jobs);
	assert_int_equal(job_page(e->st, 9, 1, 10, &jobs, &more), HE_OK);
	assert_int_equal(json_array_size(jobs), 0);
	json_decref(jobs);

	/* No kind. */
	{
		struct create c = { "", 1, NULL, 0, 0 };

		assert_int_equal(store_txn(e->st, create_txn, &c), HE_INVALID);
	}
}

/*
 * Runs of the count kind: n items, per step, and the outcome of each step
 * the test lets run ('.' succeeds, 'F' fails after doing its work). After
 * every step the work done equals the job's "done": a failed step leaves
 * nothing of itself, and the next one resumes where the last good one ended.
 */
struct run_case {
	const char *name;
	int n, per;
	const char *steps;
	const char *state;	/* the job's state after them */
	int done;
	int failures;		/* failed steps in a row at the end */
};

static const struct run_case run_cases[] = {
	{ "one step", 3, 5, ".", "done", 3, 0 },
	{ "exact steps", 9, 3, "...", "done", 9, 0 },
	{ "last step short", 10, 3, "....", "done", 10, 0 },
	{ "not finished", 10, 3, "..", "running", 6, 0 },
	{ "first step fails", 4, 2, "F..", "done", 4, 0 },
	{ "fails mid-way then resumes", 10, 3, ".F.F..", "done", 10, 0 },
	{ "fails on the last step", 6, 3, ".F.", "done", 6, 0 },
	{ "fails twice in a row", 6, 3, ".FF", "running", 3, 2 },
	{ "fails too often", 6, 3, ".FFFFF", "failed", 3, 5 },
	{ "empty", 0, 3, ".", "done", 0, 0 },
};

static void
test_runs(void **state)
{
	struct env *e = *state;

	for (size_t i = 0; i < N(run_cases); i++) {
		const struct run_case *t = &run_cases[i];
		int64_t base = counter(e), now = clock_now();
		uint64_t id = create(e, "count", 1, t->n, t->per);
		json_t *job;

		for (const char *s = t->steps; *s; s++) {
			fail_next = *s == 'F';
			now += 100;	/* past any wait to retry */
			if (!step(e, now))
				fail_msg("case '%s': no step ran at %zu", t->name,
				    (size_t)(s - t->steps));
			job = get(e, id);
			if (counter(e) - base != num(job, "done"))
				fail_msg("case '%s' step %zu: work %lld, done %lld",
				    t->name, (size_t)(s - t->steps),
				    (long long)(counter(e) - base),
				    (long long)num(job, "done"));
			json_decref(job);
		}
		fail_next = 0;
		job = get(e, id);
		if (strcmp(str(job, "state"), t->state) != 0 ||
		    num(job, "done") != t->done || num(job, "failures") != t->failures)
			fail_msg("case '%s': state %s done %lld failures %lld", t->name,
			    str(job, "state"), (long long)num(job, "done"),
			    (long long)num(job, "failures"));
		if (strcmp(t->state, "done") == 0) {
			char want[32];

			snprintf(want, sizeof want, "%d counted", t->n);
			assert_string_equal(str(json_object_get(job, "result"),
			    "summary"), want);
			assert_int_equal(num(job, "total"), t->n);
			assert_true(num(job, "finished") >= num(job, "started"));
		}
		if (strcmp(t->state, "failed") == 0) {
			assert_non_null(strstr(str(job, "error"), "5 attempts failed"));
			assert_true(num(job, "finished") > 0);
		}
		if (!job_is_open(job)) {	/* finished: never stepped again */
			int calls = steps_called;

			assert_int_equal(step(e, now + 100000), 0);
			assert_int_equal(steps_called, calls);
		} else {	/* leave no open job to the next case */
			assert_int_equal(job_cancel(e->st, id), HE_OK);
		}
		assert_true(num(job, "started") > 0);
		json_decref(job);
		assert_int_equal(open_jobs(e), 0);
	}
}

/* A failed step waits before it is tried again, longer each time. */
static void
test_retry_wait(void **state)
{
	struct env *e = *state;
	int64_t now = clock_now();
	uint64_t id = create(e, "count", 1, 6, 3);
	json_t *job;

	fail_next = 1;
	assert_int_equal(step(e, now), 1);
	job = get(e, id);
	assert_int_equal(num(job, "failures"), 1);
	assert_int_equal(num(job, "retry_at"), now + 2);
	assert_string_equal(str(job, "last_error"), he_strerror(HE_IO));
	assert_string_equal(str(job, "state"), "queued");	/* the step undone */
	json_decref(job);
	fail_next = 0;
	assert_int_equal(step(e, now + 1), 0);	/* still waiting */
	assert_int_equal(step(e, now + 2), 1);
	job = get(e, id);
	assert_int_equal(num(job, "done"), 3);
	assert_null(json_object_get(job, "failures"));
	assert_null(json_object_get(job, "retry_at"));
	json_decref(job);
}

/* Oldest first; one waiting to retry does not hold up the others. */
static void
test_order(void **state)
{
	struct env *e = *state;
	int64_t now = clock_now();
	uint64_t a = create(e, "count", 1, 2, 1), b = create(e, "count", 2, 2, 1);
	json_t *ja, *jb;

	assert_int_equal(step(e, now), 1);
	ja = get(e, a);
	jb = get(e, b);
	assert_int_equal(num(ja, "done"), 1);
	assert_string_equal(str(jb, "state"), "queued");
	json_decref(ja);
	json_decref(jb);
	fail_next = 1;
	assert_int_equal(step(e, now), 1);	/* a fails, waits 2 s */
	fail_next = 0;
	assert_int_equal(step(e, now), 1);	/* so b runs */
	jb = get(e, b);
	assert_int_equal(num(jb, "done"), 1);
	json_decref(jb);
	assert_int_equal(step(e, now + 2), 1);	/* a again: the oldest */
	ja = get(e, a);
	assert_string_equal(str(ja, "state"), "done");
	json_decref(ja);
	assert_int_equal(step(e, now + 2), 1);
	assert_int_equal(step(e, now + 2), 0);
	jb = get(e, b);
	assert_string_equal(str(jb, "state"), "done");
	json_decref(jb);
	assert_int_equal(counter(e), 4);
}

static void
test_cancel(void **state)
{
	struct env *e = *state;
	int64_t now = clock_now();
	uint64_t id = create(e, "count", 1, 10, 3), queued = create(e, "count", 1, 1, 1);
	json_t *job;

	assert_int_equal(job_cancel(e->st, queued), HE_OK);
	assert_int_equal(step(e, now), 1);
	assert_int_equal(job_cancel(e->st, id), HE_OK);
	job = get(e, id);
	assert_string_equal(str(job, "state"), "cancelled");
	assert_int_equal(num(job, "done"), 3);	/* what was done stays */
	assert_true(num(job, "finished") > 0);
	assert_false(job_is_open(job));
	json_decref(job);
	assert_int_equal(step(e, now + 100), 0);
	assert_int_equal(counter(e), 3);
	assert_int_equal(open_jobs(e), 0);
	assert_int_equal(job_cancel(e->st, id), HE_INVALID);
	assert_int_equal(job_cancel(e->st, id + 1000), HE_NOTFOUND);
	job = get(e, queued);
	assert_string_equal(str(job, "state"), "cancelled");
	assert_null(json_object_get(job, "started"));
	json_decref(job);
}

/* A kind the worker does not know fails at once, saying so. */
static void
test_unknown_kind(void **state)
{
	struct env *e = *state;
	uint64_t id = create(e, "no-such-kind", 1, 1, 1);
	json_t *job;

	assert_int_equal(step(e, clock_now()), 1);
	job = get(e, id);
	assert_string_equal(str(job, "state"), "failed");
	assert_non_null(strstr(str(job, "error"), "unknown"));
	json_decref(job);
	assert_int_equal(open_jobs(e), 0);
	/* The product's own table has no such kind either. */
	assert_string_equal(job_kind_label("no-such-kind"), "no-such-kind");
}

/* A worker that stops (the store closed between steps, as when it is
 * killed) resumes with the next step, and the work is counted once. */
static void
test_reopen(void **state)
{
	struct env *e = *state;
	int64_t now = clock_now();
	uint64_t id = create(e, "count", 1, 7, 2);
	json_t *job;

	assert_int_equal(step(e, now), 1);
	assert_int_equal(step(e, now), 1);
	store_close(e->st);
	assert_int_equal(store_open(&e->st, e->dir, 8, 0), HE_OK);
	while (step(e, now))
		;
	job = get(e, id);
	assert_string_equal(str(job, "state"), "done");
	assert_int_equal(num(job, "done"), 7);
	json_decref(job);
	assert_int_equal(counter(e), 7);
	assert_int_equal(steps_called, 4);
}

static void
test_states(void **state)
{
	static const char *const names[] = { "queued", "running", "done", "failed",
	    "cancelled" };

	(void)state;
	for (int i = 0; i < JOB__MAX; i++) {
		json_t *job = json_pack("{s:s}", "state", names[i]);

		assert_string_equal(job_state_name((enum job_state)i), names[i]);
		assert_int_equal(job_state_of(job), i);
		assert_int_equal(job_is_open(job), i <= JOB_RUNNING);
		json_decref(job);
	}
	assert_null(job_state_name(JOB__MAX));
	{
		json_t *job = json_pack("{s:s}", "state", "paused");

		assert_int_equal(job_state_of(job), JOB__MAX);
		assert_false(job_is_open(job));
		json_decref(job);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_states),
		cmocka_unit_test_setup_teardown(test_create, setup, teardown),
		cmocka_unit_test_setup_teardown(test_runs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_retry_wait, setup, teardown),
		cmocka_unit_test_setup_teardown(test_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_kind, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reopen, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
