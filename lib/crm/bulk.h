/* bulk.h: actions on many candidates at once, and exports to CSV, as background jobs */
#ifndef HEARTH_BULK_H
#define HEARTH_BULK_H

#include <stddef.h>
#include <stdint.h>
#include <db.h>
#include <jansson.h>
#include <ClearSilver.h>

struct store;
struct cand_query;
struct job_run;

/*
 * A bulk action works on the candidates ticked in the list or on every
 * candidate a filter matches. Either way the set is fixed at the job's
 * first step: a filter is evaluated then, once, and the ids kept with the
 * job, so records that change while it runs (a new signup that matches,
 * a tag another job adds) do not change what it works on. A set whose
 * serialised bitmap is at most BULK_INLINE_MAX bytes is kept in the job
 * record itself (base64); a larger one in a file of Office.JobDir, written
 * and synced before the step that names it commits, and read once per
 * process (the job record is written back at every step, so a large set
 * in it would be rewritten a few thousand times).
 *
 * Each later step takes the next Office.BulkBatch ids (default
 * BULK_BATCH, at most BULK_BATCH_MAX) through the write path in the step's
 * transaction with the job's progress, so a worker killed at any moment
 * resumes after the last committed candidate and nothing is done twice.
 * A candidate deleted since the job started is counted as gone.
 */
enum bulk_action {
	BULK_TAG_ADD, BULK_TAG_REMOVE, BULK_POOL_ADD, BULK_POOL_REMOVE,
	BULK_STATUS, BULK_OWNER, BULK_EXPORT, BULK_DELETE, BULK__MAX
};
/* "tag_add", "tag_remove", "pool_add", "pool_remove", "status", "owner",
 * "export", "delete", NULL. */
extern const char *const bulk_action_names[BULK__MAX + 1];
/* BULK__MAX for a name that is none of them. */
enum bulk_action bulk_action_of(const char *name);

#define BULK_INLINE_MAX 4096
#define BULK_BATCH 250
#define BULK_BATCH_MAX 1000
/* Candidates ticked by hand in one request, at most (a page shows 50). */
#define BULK_IDS_MAX 500
/* Tags a candidate may have: adding one more to a full record skips it. */
#define BULK_TAGS_MAX 50

/* What to do, and to whom. */
struct bulk_request {
	enum bulk_action action;
	const char *tag;		/* BULK_TAG_*: as cand_tag_normalise gives it */
	uint64_t pool;			/* BULK_POOL_*: a static pool */
	const char *status;		/* BULK_STATUS: one of cand_statuses */
	uint64_t owner;			/* BULK_OWNER: an active admin or recruiter,
					 * 0 for nobody */
	const uint64_t *ids;		/* the candidates ticked (nids of them), or
					 * NULL for ... */
	size_t nids;
	const struct cand_query *q;	/* ... everyone this filter matches */
	uint64_t user;			/* who asks (the job is theirs) */
	const char *ip;			/* from where, for the audit log */
};

/*
 * Queues the job, "export" for BULK_EXPORT and "bulk" for the others;
 * *job is its id. HE_INVALID for what the caller should have checked: a
 * tag or status that is not one, no candidate (ids given, nids 0) or more
 * than BULK_IDS_MAX, neither ids nor a filter, a pool that is dynamic, an
 * owner who is not an active admin or recruiter; HE_NOTFOUND for a pool
 * that is not there (or is being deleted).
 */
int bulk_start(struct store *st, const struct bulk_request *r, uint64_t *job);

/* The steps of the kinds "bulk" and "export" (the table in job.c). The
 * audit log gets one entry per job at its first step, in its transaction:
 * "bulk" naming the action, its value and how many candidates (and the
 * filter when one chose them), or "export" naming the filter or the
 * count; a deletion adds a "delete" entry per candidate as it goes. */
int bulk_step(struct job_run *run, DB_TXN *txn);
int bulk_export_step(struct job_run *run, DB_TXN *txn);

/*
 * The file of export job id, for user (admin: anyone's): *path (malloc'd)
 * and *size on HE_OK. HE_NOTFOUND when there is no such export, HE_DENIED
 * when it is someone else's, HE_INVALID while it is not done, HE_EXPIRED
 * once its file was removed (Office.ExportKeepHours after it finished).
 */
int bulk_export_file(struct store *st, HDF *conf, uint64_t job, uint64_t user,
    int admin, char **path, uint64_t *size);

/*
 * The worker's housekeeping at now (unix seconds): removes exports kept
 * longer than Office.ExportKeepHours (default 24) after they finished,
 * saying so on the job's page, and every other file of Office.JobDir that
 * no open job needs (sets of finished jobs, exports that failed or were
 * cancelled, files of jobs that are gone). *removed counts the files.
 */
int bulk_sweep(struct store *st, HDF *conf, int64_t now, size_t *removed);

/* The open jobs of user (0: everyone's), oldest first, at most max: a new
 * array of records as job_get gives them. */
int bulk_open_jobs(struct store *st, uint64_t user, size_t max, json_t **jobs);

#endif
