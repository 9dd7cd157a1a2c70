/* job.c: background jobs: the table of kinds, creation, cancelling, one step at a time */
#include <stdio.h>
#include <string.h>

#include "crm/bulk.h"
#include "crm/clock.h"
#include "crm/import.h"
#include "crm/job.h"
#include "store/entities.h"
#include "store/job.h"
#include "store/store.h"
#include "util/he.h"
#include "util/log.h"

/*
 * The kinds of job there are. A module that runs work in the background
 * declares its step function in its own header and adds one line here.
 */
static const struct job_kind kinds[] = {
	{ IMPORT_KIND, "CSV import", import_step },
	{ "bulk", "Bulk action", bulk_step },
	{ "export", "CSV export", bulk_export_step },
	{ NULL, NULL, NULL },	/* the end: NKINDS leaves it out */
};
#define NKINDS (sizeof kinds / sizeof *kinds - 1)

static const char *const state_names[JOB__MAX] = {
	[JOB_QUEUED] = "queued",
	[JOB_RUNNING] = "running",
	[JOB_DONE] = "done",
	[JOB_FAILED] = "failed",
	[JOB_CANCELLED] = "cancelled",
};

const char *
job_state_name(enum job_state s)
{
	return (unsigned)s < JOB__MAX ? state_names[s] : NULL;
}

enum job_state
job_state_of(json_t *job)
{
	const char *s = json_string_value(json_object_get(job, "state"));

	for (int i = 0; s && i < JOB__MAX; i++)
		if (strcmp(s, state_names[i]) == 0)
			return (enum job_state)i;
	return JOB__MAX;
}

int
job_is_open(json_t *job)
{
	enum job_state s = job_state_of(job);

	return s == JOB_QUEUED || s == JOB_RUNNING;
}

static const struct job_kind *
kind_in(const struct job_kind *table, size_t n, const char *name)
{
	for (size_t i = 0; name && i < n; i++)
		if (table[i].name && strcmp(table[i].name, name) == 0)
			return &table[i];
	return NULL;
}

const char *
job_kind_label(const char *name)
{
	const struct job_kind *k = kind_in(kinds, NKINDS, name);

	return k ? k->label : name ? name : "";
}

void
job_finish(json_t *job, enum job_state state, const char *error)
{
	json_object_set_new(job, "state", json_string(job_state_name(state)));
	if (error)
		json_object_set_new(job, "error", json_string(error));
}

void
job_set_progress(json_t *job, int64_t done, int64_t total)
{
	json_object_set_new(job, "done", json_integer(done));
	if (total >= 0)
		json_object_set_new(job, "total", json_integer(total));
}

int
job_create(struct store *st, DB_TXN *txn, const char *kind, uint64_t user,
    json_t *params, int64_t total, uint64_t *id)
{
	json_t *job;
	int rc;

	if (kind == NULL || kind[0] == '\0')
		return HE_INVALID;
	if ((job = json_object()) == NULL)
		return HE_NOMEM;
	if (json_object_set_new(job, "kind", json_string(kind)) != 0 ||
	    json_object_set_new(job, "state",
	    json_string(job_state_name(JOB_QUEUED))) != 0 ||
	    json_object_set_new(job, "user", json_integer((json_int_t)user)) != 0 ||
	    json_object_set_new(job, "created", json_integer(clock_now())) != 0 ||
	    json_object_set_new(job, "total", json_integer(total)) != 0 ||
	    json_object_set_new(job, "done", json_integer(0)) != 0 ||
	    json_object_set_new(job, "params", params ? json_deep_copy(params) :
	    json_object()) != 0 ||
	    json_object_set_new(job, "resume", json_object()) != 0 ||
	    json_object_set_new(job, "result", json_object()) != 0) {
		json_decref(job);
		return HE_NOMEM;
	}
	rc = store_job_insert(st, txn, job, id);
	json_decref(job);
	return rc;
}

/* Adds what people see of a job but is not stored: its id and who
 * started it. */
static void
decorate(struct store *st, uint64_t id, json_t *job)
{
	json_t *user;
	json_int_t uid = json_integer_value(json_object_get(job, "user"));

	json_object_set_new(job, "id", json_integer((json_int_t)id));
	if (uid > 0 && store_user_get(st, NULL, (uint64_t)uid, &user) == HE_OK) {
		json_t *email = json_object_get(user, "email");

		if (json_is_string(email))
			json_object_set(job, "user_email", email);
		json_decref(user);
	}
}

int
job_get(struct store *st, uint64_t id, json_t **job)
{
	int rc = store_job_get(st, NULL, id, 0, job);

	if (rc == HE_OK)
		decorate(st, id, *job);
	return rc;
}

struct page {
	struct store *st;
	json_t *jobs;
};

static int
add_job(uint64_t id, json_t *job, void *ctx)
{
	struct page *p = ctx;
	json_t *copy = json_copy(job);

	if (copy == NULL)
		return HE_NOMEM;
	decorate(p->st, id, copy);
	return json_array_append_new(p->jobs, copy) == 0 ? HE_OK : HE_NOMEM;
}

int
job_page(struct store *st, uint64_t user, size_t page, size_t per_page,
    json_t **jobs, int *more)
{
	struct page p = { st, json_array() };
	int rc;

	if (p.jobs == NULL)
		return HE_NOMEM;
	if (page == 0)
		page = 1;
	/* One more than a page: whether older ones follow. */
	rc = store_job_newest(st, NULL, user, (page - 1) * per_page, per_page + 1,
	    add_job, &p);
	if (rc != HE_OK) {
		json_decref(p.jobs);
		return rc;
	}
	*more = json_array_size(p.jobs) > per_page;
	if (*more)
		json_array_remove(p.jobs, per_page);
	*jobs = p.jobs;
	return HE_OK;
}

struct cancel {
	uint64_t id;
	int64_t now;
};

static int
cancel_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct cancel *c = arg;
	json_t *job;
	int rc;

	if ((rc = store_job_get(st, txn, c->id, 1, &job)) != HE_OK)
		return rc;
	if (!job_is_open(job)) {
		json_decref(job);
		return HE_INVALID;
	}
	job_finish(job, JOB_CANCELLED, NULL);
	json_object_set_new(job, "finished", json_integer(c->now));
	json_object_set_new(job, "updated", json_integer(c->now));
	rc = store_job_put(st, txn, c->id, job);
	json_decref(job);
	return rc;
}

int
job_cancel(struct store *st, uint64_t id)
{
	struct cancel c = { id, clock_now() };

	return store_txn(st, cancel_txn, &c);
}

/* Picking the job to run: the oldest open one not waiting to retry. */
struct pick {
	struct store *st;
	int64_t now;
	uint64_t id;
	int found;
};

static int
pick_fn(uint64_t id, void *ctx)
{
	struct pick *p = ctx;
	json_t *job;
	int rc = store_job_get(p->st, NULL, id, 0, &job);

	if (rc == HE_NOTFOUND)
		return HE_OK;
	if (rc != HE_OK)
		return rc;
	rc = job_is_open(job) &&
	    json_integer_value(json_object_get(job, "retry_at")) <= p->now ?
	    HE_EXISTS : HE_OK;
	json_decref(job);
	if (rc == HE_EXISTS) {
		p->id = id;
		p->found = 1;
	}
	return rc;
}

struct step {
	const struct job_kind *kinds;
	size_t nkinds;
	struct job_run run;
	int ran;
};

static int
step_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct step *s = arg;
	struct job_run *run = &s->run;
	const struct job_kind *kind;
	json_t *job;
	int rc;

	json_decref(run->job);	/* a deadlock's retry starts afresh */
	run->job = NULL;
	s->ran = 0;
	if ((rc = store_job_get(st, txn, run->id, 1, &job)) == HE_NOTFOUND)
		return HE_OK;
	if (rc != HE_OK)
		return rc;
	run->job = job;
	if (!job_is_open(job))
		return HE_OK;	/* cancelled since it was picked */
	s->ran = 1;
	kind = kind_in(s->kinds, s->nkinds,
	    json_string_value(json_object_get(job, "kind")));
	if (job_state_of(job) == JOB_QUEUED) {
		json_object_set_new(job, "state",
		    json_string(job_state_name(JOB_RUNNING)));
		json_object_set_new(job, "started", json_integer(run->now));
	}
	if (kind == NULL)
		job_finish(job, JOB_FAILED, "This kind of job is unknown to this "
		    "version of Hearth: nothing was done.");
	else if ((rc = kind->step(run, txn)) != HE_OK)
		return rc;
	json_object_del(job, "failures");
	json_object_del(job, "retry_at");
	json_object_del(job, "last_error");
	if (!job_is_open(job))
		json_object_set_new(job, "finished", json_integer(run->now));
	json_object_set_new(job, "updated", json_integer(run->now));
	return store_job_put(st, txn, run->id, job);
}

/* After a failed step: counted, and tried again later, waiting longer each
 * time; past JOB_FAILURES_MAX the job fails. */
struct failure {
	uint64_t id;
	int64_t now;
	int code;
};

static int
failure_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct failure *f = arg;
	json_t *job;
	json_int_t n;
	int rc;

	if ((rc = store_job_get(st, txn, f->id, 1, &job)) == HE_NOTFOUND)
		return HE_OK;
	if (rc != HE_OK)
		return rc;
	if (!job_is_open(job)) {
		json_decref(job);
		return HE_OK;
	}
	n = json_integer_value(json_object_get(job, "failures")) + 1;
	json_object_set_new(job, "failures", json_integer(n));
	json_object_set_new(job, "retry_at", json_integer(f->now + ((json_int_t)1 << n)));
	json_object_set_new(job, "last_error", json_string(he_strerror(f->code)));
	json_object_set_new(job, "updated", json_integer(f->now));
	if (n >= JOB_FAILURES_MAX) {
		char why[200];

		snprintf(why, sizeof why, "The job stopped after %d attempts failed "
		    "(%s). What it had done is kept.", (int)n, he_strerror(f->code));
		job_finish(job, JOB_FAILED, why);
		json_object_set_new(job, "finished", json_integer(f->now));
		json_object_del(job, "retry_at");
	}
	rc = store_job_put(st, txn, f->id, job);
	json_decref(job);
	return rc;
}

int
job_step_kinds(const struct job_kind *table, size_t ntable, struct store *st,
    HDF *conf, int64_t now, int64_t deadline_us, int *ran)
{
	struct pick p = { st, now, 0, 0 };
	struct step s = {
		.kinds = table, .nkinds = ntable,
		.run = { .st = st, .conf = conf, .now = now,
		    .deadline_us = deadline_us },
	};
	int rc;

	*ran = 0;
	rc = store_job_open_each(st, NULL, pick_fn, &p);
	if (rc != HE_OK && rc != HE_EXISTS)
		return rc;
	if (!p.found)
		return HE_OK;
	s.run.id = p.id;
	rc = store_txn(st, step_txn, &s);
	json_decref(s.run.job);
	if (rc == HE_PANIC)
		return rc;
	if (rc == HE_OK) {
		*ran = s.ran;
		return HE_OK;
	}
	/* Nothing of the step was kept: record that it failed. */
	{
		struct failure f = { p.id, now, rc };

		*ran = 1;
		log_warn("job %llu: a step failed: %s", (unsigned long long)p.id,
		    he_strerror(rc));
		return store_txn(st, failure_txn, &f);
	}
}

int
job_step_any(struct store *st, HDF *conf, int64_t deadline_us, int *ran)
{
	return job_step_kinds(kinds, NKINDS, st, conf, clock_now(), deadline_us,
	    ran);
}
