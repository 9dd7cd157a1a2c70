/* bulk_int.h: what the files of bulk actions and exports share and nothing else sees */
#ifndef HEARTH_BULK_INT_H
#define HEARTH_BULK_INT_H

#include <stddef.h>
#include <stdint.h>
#include <db.h>
#include <jansson.h>
#include <ClearSilver.h>

#include "crm/audit.h"
#include "crm/bulk.h"

struct job_run;

/* Office.JobDir made (0700) when missing: *dir is malloc'd. */
int bulk_dir(HDF *conf, char **dir);

/* Syncs a directory, so that a file made or renamed in it stays. */
int bulk_sync_dir(const char *dir);

/* Candidates per step: Office.BulkBatch, 1..BULK_BATCH_MAX. */
size_t bulk_batch(HDF *conf);

/*
 * The first step of a job: fixes its candidates (params "ids", or the
 * filter params "query" evaluated now in txn), keeps them with the job
 * (resume "ids", or resume "ids_file" under Office.JobDir), and sets
 * "total" and resume "next". *count is how many. A filter that no longer
 * reads fails the job (HE_OK, with *count 0 and the job finished).
 */
int bulk_ids_start(struct job_run *run, DB_TXN *txn, uint64_t *count);

/* Whether the job's candidates are fixed yet (its first step ran). */
int bulk_ids_started(json_t *job);

/*
 * The next of the job's candidates, from resume "next" on: up to max ids
 * into out, *n of them (0: none is left). HE_IO when the file of the set
 * is missing or unreadable.
 */
int bulk_ids_next(struct job_run *run, uint32_t *out, size_t max, size_t *n);

/* Records that ids up to and including last were done (n of them). */
void bulk_ids_done(json_t *job, uint32_t last, size_t n);

/* Adds n to the integer result[field]. */
void bulk_count(json_t *job, const char *field, int64_t n);

/* The audit actor of a job: who started it and from where. */
struct audit_actor bulk_actor(json_t *job);

#endif
