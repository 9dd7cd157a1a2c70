/* job.h: background jobs (imports, bulk actions, pool builds) */
#ifndef HEARTH_STORE_JOB_H
#define HEARTH_STORE_JOB_H

#include <db.h>

/* Jobs are {"kind", "state", ...}; STORE_JOB_OPEN holds the id of each job
 * whose state is "queued" or "running", so the worker finds them at once. */
int store_job_open_key(DB *sdb, const DBT *pkey, const DBT *pdata, DBT *skey);

#endif
