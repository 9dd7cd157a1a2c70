/* job.h: background jobs: their records, their kinds and the steps that run them */
#ifndef HEARTH_JOB_H
#define HEARTH_JOB_H

#include <stddef.h>
#include <stdint.h>
#include <db.h>
#include <jansson.h>
#include <ClearSilver.h>

struct store;

/*
 * A job is a record in STORE_JOB:
 *   "kind"      a name of the table of kinds in job.c
 *   "state"     queued, running, done, failed or cancelled
 *   "user"      who started it (user id)
 *   "created", "started", "finished", "updated"   unix seconds
 *   "total"     items to do (0: not known yet), "done": items done
 *   "params"    {} what the kind needs, set at creation
 *   "resume"    {} where the next step starts: the kind's own
 *   "result"    {} what came of it; "title" (what the job works on, such
 *               as a file's name), "summary" (one line for people) and
 *               "download" (a path under /office/ to a file it made) with
 *               "download_label" are shown by the job's page
 *   "error"     why it failed, for people
 *   "failures", "retry_at", "last_error"   steps that failed in a row
 *
 * The worker daemon runs the jobs, a step at a time: each step is one
 * transaction that does a bounded chunk of work and updates the record
 * (progress, resume point, result) with it, so a worker killed at any
 * moment resumes where the last committed step left off and nothing is
 * done twice. Jobs run one after another, oldest first.
 */

enum job_state { JOB_QUEUED, JOB_RUNNING, JOB_DONE, JOB_FAILED, JOB_CANCELLED,
	JOB__MAX };

/* "queued", "running", ...; NULL for no state. */
const char *job_state_name(enum job_state s);
/* The state of a record (JOB__MAX when it has none known). */
enum job_state job_state_of(json_t *job);
/* Whether the job is still to run (queued or running). */
int job_is_open(json_t *job);

/* What a step works with. */
struct job_run {
	struct store *st;
	HDF *conf;		/* the site configuration; NULL in unit tests */
	uint64_t id;
	/* The record, read with DB_RMW in the step's transaction: the step
	 * updates it in place and it is written back in that transaction. */
	json_t *job;
	int64_t now;		/* unix seconds */
	int64_t deadline_us;	/* past this (clock_now_us), stop at the next
				 * clean point: other work is waiting */
};

/*
 * One step: a bounded chunk of work (a few hundred items at most: every
 * lock it takes is held to the commit) done in txn, read from and recorded
 * in run->job ("done", "total", "resume", "result"). When the work is over
 * it calls job_finish(). HE_OK commits the work and the record together;
 * anything else aborts both (the job stays as it was and the step is tried
 * again later, JOB_FAILURES_MAX times at most). A failure that trying again
 * cannot mend (the input is unusable) is a job_finish(.., JOB_FAILED, why)
 * and HE_OK. The step may run again after a deadlock: it must start from
 * run->job, never from state kept outside the transaction.
 */
typedef int (*job_step_fn)(struct job_run *run, DB_TXN *txn);

struct job_kind {
	const char *name;	/* stored in the record */
	const char *label;	/* for people: "CSV import" */
	job_step_fn step;
};

#define JOB_FAILURES_MAX 5	/* failed steps in a row before the job fails */

/*
 * Creates a job of kind (the name of an entry of the table of kinds: a job
 * of a kind unknown to the worker fails at its first step), queued, in the
 * caller's transaction; params (borrowed, copied) may be NULL, total 0 when
 * not known yet.
 */
int job_create(struct store *st, DB_TXN *txn, const char *kind, uint64_t user,
    json_t *params, int64_t total, uint64_t *id);

/* A job (a new reference) with "id" and, when the user still exists,
 * "user_email"; HE_NOTFOUND. */
int job_get(struct store *st, uint64_t id, json_t **job);

/* One page (1-based) of jobs, newest first, of user (0: everyone's): an
 * array of records as job_get gives them; *more when older ones follow. */
int job_page(struct store *st, uint64_t user, size_t page, size_t per_page,
    json_t **jobs, int *more);

/* Cancels a queued or running job: no step runs after this commits (one
 * running now finishes first); the work of the steps done stays done.
 * HE_NOTFOUND; HE_INVALID when the job is no longer open. */
int job_cancel(struct store *st, uint64_t id);

/* The label of a kind for people, or the name itself when unknown. */
const char *job_kind_label(const char *name);

/* Marks the record finished: state (JOB_DONE, JOB_FAILED or
 * JOB_CANCELLED) and, for a failure, error (text for people, or NULL). */
void job_finish(json_t *job, enum job_state state, const char *error);
/* Sets "done" and "total" (total < 0: left as it is). */
void job_set_progress(json_t *job, int64_t done, int64_t total);

/*
 * Runs one step of the oldest open job that is not waiting to retry:
 * *ran is 1 when a step ran (committed or failed), 0 when no job was
 * there to run. HE_PANIC when the environment needs recovery; another
 * error only when the failure of a step could not be recorded.
 * deadline_us is handed to the step (run->deadline_us).
 */
int job_step_any(struct store *st, HDF *conf, int64_t deadline_us, int *ran);

/* The same with a table of kinds other than the product's and a given
 * time (unix seconds): for tests. */
int job_step_kinds(const struct job_kind *kinds, size_t nkinds,
    struct store *st, HDF *conf, int64_t now, int64_t deadline_us, int *ran);

#endif
