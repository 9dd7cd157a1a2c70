/* store.h: the Berkeley DB environment, transactions, ids and records */
#ifndef HEARTH_STORE_H
#define HEARTH_STORE_H

#include <stddef.h>
#include <stdint.h>
#include <db.h>
#include <jansson.h>

/* Every database of the environment: primaries and their secondary indexes. */
enum store_db {
	STORE_SEQ,		/* id sequences */
	STORE_CAND,		/* candidate id -> record */
	STORE_CAND_EMAIL,	/* keyed hash of the email -> candidate (unique) */
	STORE_CAND_JOINED,	/* join time -> candidate (newest-first lists) */
	STORE_CAND_SKILL,	/* normalised skill -> candidates (the vocabulary) */
	STORE_CAND_PENDING,	/* join time -> candidates yet to confirm */
	STORE_CONSENT,		/* candidate id + event number -> consent event */
	STORE_USER,		/* user id -> record */
	STORE_USER_EMAIL,	/* normalised email -> user (unique) */
	STORE_SESSION,		/* SHA-256 of the session token -> session */
	STORE_MAILQ,		/* mail id -> queued or sent message */
	STORE_MAILQ_DUE,	/* due time -> mail still to deliver */
	STORE_MAILQ_CAND,	/* candidate -> their mails (exports, erasure) */
	STORE_SUPPRESS,		/* keyed hash of an erased email -> tombstone */
	STORE_SETTING,		/* name -> value: anonymous counters, flags */
	STORE_POST,		/* index key + id range -> set of candidate ids */
	STORE_TOUCH,		/* candidate id + touchpoint id -> touchpoint */
	STORE_POOL,		/* pool id -> static or dynamic pool */
	STORE_AUDIT,		/* entry id (time order) -> audit entry */
	STORE_AUDIT_CAND,	/* candidate -> the audit entries about them */
	STORE_JOB,		/* job id -> background job */
	STORE_JOB_OPEN,		/* job id of jobs still queued or running */
	STORE_LAYOUT,		/* hash of a CSV header -> column mapping */
	STORE_MERGE,		/* merge id -> what undoing it restores */
	STORE_DUPE,		/* candidate pair -> why they may be one person */
	STORE_CAMPAIGN,		/* campaign id -> campaign (id 0: their generation) */
	STORE_ENROL,		/* campaign id + candidate id -> enrolment */
	STORE_ENROL_DUE,	/* campaign id + due time -> active enrolments */
	STORE_ENROL_CAND,	/* candidate id -> their enrolments */
	STORE_WAVE,		/* wave id -> bulk enrolment still to expand */
	STORE_CAMP_STAT,	/* "camp:<id>:<step>:<variant>:<metric>" -> count */
	STORE_NOTICE,		/* user id + notice id -> notice */
	STORE_CAP,		/* candidate -> times of their recent marketing mails */
	STORE_NOTICE_CAND,	/* candidate id -> the notices about them (erasure) */
	STORE_MATCH,		/* candidate id / 64 -> their match records (match.h) */
	STORE_ROLE,		/* role id -> role (requisition) */
	STORE_PIPE,		/* role id + candidate id -> their place in its pipeline */
	STORE_PIPE_CAND,	/* candidate id -> their pipeline entries */
	STORE_ROLE_ALERT,	/* role id + candidate id -> new-match alert */
	STORE_ROLE_ALERT_DUE,	/* owner id -> their alerts not yet in a digest */
	STORE_ROLE_ALERT_CAND,	/* candidate id -> the alerts about them (erasure) */
	STORE__MAX
};

enum store_seq {
	SEQ_CANDIDATE, SEQ_USER, SEQ_MAIL, SEQ_TOUCH, SEQ_POOL, SEQ_AUDIT,
	SEQ_JOB, SEQ_MERGE, SEQ_CAMPAIGN, SEQ_WAVE, SEQ_NOTICE, SEQ_ROLE, SEQ__MAX
};

#define STORE_KEYBYTES 32

struct store {
	DB_ENV *env;
	int durable;
	/* The site key, for index keys that are keyed hashes of personal
	 * data (set by store_set_site_key; all zero until then). */
	unsigned char site_key[STORE_KEYBYTES];
	DB *db[STORE__MAX];
	DB_SEQUENCE *seq[SEQ__MAX];
};

/* What a database is: used to open it and by store_verify(). */
struct store_dbdef {
	const char *file;
	DBTYPE type;
	u_int32_t flags;	/* DB_DUP | DB_DUPSORT for non-unique indexes */
	int primary;		/* enum store_db of the primary, -1 for a primary */
	/* Secondary key extractor (DB->associate callback); NULL for primaries. */
	int (*key)(DB *, const DBT *, const DBT *, DBT *);
	/* Page size when the database is created; 0: Berkeley DB's choice.
	 * Larger for STORE_MATCH, whose ~4 kB blocks would otherwise each
	 * take overflow pages. At most 32 KiB: store_scrub_logs did not
	 * know the pages of a 64 KiB database (measured: test_scrub). */
	u_int32_t pagesize;
};
extern const struct store_dbdef store_dbdefs[STORE__MAX];

/*
 * Opens (creating when missing) the environment at home and every database.
 * Safe for many processes at once: registers this process and runs
 * recovery when a registered process died (the others then see HE_PANIC
 * and must exit to be restarted).
 * cache_mb sizes the shared cache when the environment is created; durable
 * 0 trades the fsync at commit for speed (tests of throughput only).
 * On HE_OK *out is the handle; close it with store_close() in this process
 * (never across fork()).
 */
int store_open(struct store **out, const char *home, int cache_mb, int durable);
void store_close(struct store *st);

/* Gives the store the site key (copied) that keyed-hash index keys use. */
void store_set_site_key(struct store *st, const unsigned char key[STORE_KEYBYTES]);

/*
 * Runs fn(st, txn, arg) in one transaction: commits when fn returns HE_OK,
 * aborts otherwise. A deadlock (fn returning HE_TEMPFAIL) is retried with a
 * jittered backoff a bounded number of times, then HE_TEMPFAIL is returned.
 * HE_PANIC means the environment needs recovery: the process should exit.
 */
typedef int (*store_txn_fn)(struct store *st, DB_TXN *txn, void *arg);
int store_txn(struct store *st, store_txn_fn fn, void *arg);

/*
 * store_txn whose commit is written to the log file (write(2)) but not
 * synced: it survives the process being killed at any point after this
 * returns, not a power cut or a kernel crash, until the next durable
 * commit of any process (or store_flush) syncs the log up to and past it.
 * For records whose loss on a power cut is harmless and must be said so
 * where it is used; never for what someone is told is saved.
 */
int store_txn_written(struct store *st, store_txn_fn fn, void *arg);

/* Syncs everything committed so far to disk (nothing when not durable). */
int store_flush(struct store *st);

/* Translates a Berkeley DB return code into HE_* (deadlocks: HE_TEMPFAIL). */
int store_err(int dbret);

/* Next id of a sequence; ids are unique and grow, with gaps. Candidate ids
 * grow in the order they are taken by every process together. */
int store_next_id(struct store *st, enum store_seq seq, uint64_t *id);
/* n consecutive ids (first .. first + n - 1) at once (imports). */
int store_next_ids(struct store *st, enum store_seq seq, uint32_t n,
    uint64_t *first);

/* Checkpoints the log (old log files are removed automatically). */
int store_checkpoint(struct store *st);

/* Big-endian 64-bit keys. */
void store_u64_key(uint64_t v, unsigned char out[8]);
uint64_t store_u64_from(const void *p);

/*
 * Records are a version byte and a JSON object. store_rec_encode gives a
 * malloc'd buffer in dbt (DB_DBT_APPMALLOC set; caller frees dbt->data
 * unless handed to Berkeley DB as a secondary key). store_rec_decode
 * gives a new reference (caller json_decref()s); HE_INVALID for an unknown
 * version or a body that is not a JSON object.
 */
#define STORE_REC_VERSION 1
int store_rec_encode(json_t *body, DBT *dbt);
int store_rec_decode(const void *data, size_t size, json_t **body);

/* Reads the JSON record at key in db (DB_RMW when rmw). */
int store_get_rec(struct store *st, DB_TXN *txn, enum store_db db,
    const void *key, size_t klen, int rmw, json_t **body);

/* Writes the JSON record at key; flags as for DB->put (DB_NOOVERWRITE). */
int store_put_rec(struct store *st, DB_TXN *txn, enum store_db db,
    const void *key, size_t klen, json_t *body, u_int32_t flags);

/*
 * gen.c: the generation of the records of db (roles, campaigns), at its
 * key 0, which their ids never take: 0 until the first change; changed
 * in the transaction of every write so that caches keyed by it know.
 * store_gen_get reads it committed (no lock kept), or with DB_RMW;
 * store_gen_change sets a new random value (write-locks it: the writers
 * queue) and gives it in *gen when gen is not NULL.
 */
int store_gen_get(struct store *st, DB_TXN *txn, enum store_db db, int rmw,
    int64_t *gen);
int store_gen_change(struct store *st, DB_TXN *txn, enum store_db db,
    int64_t *gen);

/*
 * Whether key is still free in the unique index idx: HE_OK, or HE_EXISTS.
 * Berkeley DB reports a clash in a unique secondary index as a generic
 * error, so writers check first; the write lock taken here (also on an
 * absent key, by the B-tree's next-key locking) makes the check hold until
 * commit.
 */
int store_unique_free(struct store *st, DB_TXN *txn, enum store_db idx,
    const char *key);

/*
 * Secondary-key helpers for the extractors: the string field `field` of a
 * record (DB_DONOTINDEX when absent or empty), or the 8-byte big-endian
 * integer field `field`.
 */
int store_key_string_field(const DBT *data, const char *field, DBT *skey);
int store_key_u64_field(const DBT *data, const char *field, DBT *skey);
/* Whether the record's string field `field` is value (for extractors that
 * index only some records; parsed through the same per-put cache). */
int store_rec_field_is(const DBT *data, const char *field, const char *value);
/* Every string of the array field `field`, one key each (DB_DBT_MULTIPLE;
 * DB_DONOTINDEX when absent or empty). The strings must be distinct. */
int store_key_string_array(const DBT *data, const char *field, DBT *skey);

/*
 * Erasure (scrub.c): after it, no byte of a deleted record is left in any
 * file of the environment: database files, log files, the region files
 * (__db.*) that every process maps.
 *
 * store_del_scrubbed deletes the record at key of the primary db in txn,
 * its secondary index entries with it, after overwriting it in place with
 * zeros. HE_NOTFOUND when absent, HE_INVALID for a secondary or no
 * database. Secondary key extractors must answer DB_DONOTINDEX for bytes
 * that store_rec_decode rejects, as the store_key_* helpers do. Older
 * copies of the bytes stay in page free space, in the cache and in the log
 * until store_scrub_logs.
 *
 * Not covered: a secondary key that was made from personal data can stay
 * on an internal B-tree page as a separator (a prefix of it, or all of it
 * for the first split of an index), live tree data that no scrub may
 * change. Index keys made from personal data must be keyed hashes.
 */
int store_del_scrubbed(struct store *st, DB_TXN *txn, enum store_db db,
    const void *key, size_t klen);

/*
 * Run after erasures have committed, with no transaction or cursor open in
 * this process; safe while other processes use the environment. Zeroes the
 * unused bytes of every page of every database (written by the checkpoint
 * that follows), overwrites the cache memory that holds no page, moves the
 * log to a new file (writing at most the rest of the current log file as
 * filler), overwrites the shared log buffer, checkpoints and removes every
 * older log file. HE_OK when done; HE_TEMPFAIL when a transaction that
 * began before the move was still running after a few seconds and kept the
 * old log files (call again later); HE_INVALID when a page of a kind it does
 * not know was left as it is (a database that is not a B-tree); HE_PANIC
 * when the environment needs recovery. The first call on an environment
 * rewrites nearly every page (Berkeley DB leaves old bytes in almost all of
 * them); later ones only the pages changed since.
 */
int store_scrub_logs(struct store *st);

/*
 * Checks every secondary index against its primary, both ways. Problems are
 * written to report (one line each, at most `max`), *problems counts them.
 */
int store_verify(struct store *st, void (*report)(const char *line, void *ctx),
    void *ctx, size_t *problems);

#endif
