/* job.h: background jobs (imports, bulk actions, pool builds) */
#ifndef HEARTH_STORE_JOB_H
#define HEARTH_STORE_JOB_H

#include <stddef.h>
#include <stdint.h>
#include <db.h>
#include <jansson.h>

struct store;

/*
 * Jobs are {"kind", "state" (queued, running, done, failed, cancelled),
 * "user", "created", "total", "done", "params" {}, "result" {}, "error",
 * ...} (see crm/job.h). STORE_JOB_OPEN holds the id of each job whose state
 * is "queued" or "running", so the worker finds them at once. Bodies passed
 * in are borrowed; those handed out are new references.
 */
int store_job_open_key(DB *sdb, const DBT *pkey, const DBT *pdata, DBT *skey);

/* Inserts a new job under the next id of SEQ_JOB. */
int store_job_insert(struct store *st, DB_TXN *txn, json_t *body, uint64_t *id);
/* Reads a job (DB_RMW when rmw: the caller writes it next); HE_NOTFOUND. */
int store_job_get(struct store *st, DB_TXN *txn, uint64_t id, int rmw,
    json_t **body);
/* Replaces the record of an existing job. */
int store_job_put(struct store *st, DB_TXN *txn, uint64_t id, json_t *body);

/* The ids of the open jobs, oldest first: fn gets each (no lock is kept)
 * and stops the walk with a code other than HE_OK, which is returned. */
int store_job_open_each(struct store *st, DB_TXN *txn,
    int (*fn)(uint64_t id, void *ctx), void *ctx);

/* Newest first, only those of user (0: everyone's): skips offset of them,
 * then calls fn for up to limit (the body is borrowed); non-HE_OK from fn
 * stops the walk with that code. */
int store_job_newest(struct store *st, DB_TXN *txn, uint64_t user,
    size_t offset, size_t limit,
    int (*fn)(uint64_t id, json_t *job, void *ctx), void *ctx);

#endif
