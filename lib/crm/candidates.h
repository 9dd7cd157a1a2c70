/* candidates.h: reading candidates for the back office */
#ifndef HEARTH_CANDIDATES_H
#define HEARTH_CANDIDATES_H

#include <stddef.h>
#include <stdint.h>
#include <db.h>
#include <jansson.h>

struct store;

struct cand_row {
	uint64_t id;
	char *name;
	char *email;
	int64_t joined_us;
};

/*
 * One page (1-based) of candidates, newest first, and the total count.
 * On HE_OK *rows holds *nrows rows; free them with cand_rows_free().
 */
int cand_page(struct store *st, size_t page, size_t per_page,
    struct cand_row **rows, size_t *nrows, size_t *total);
void cand_rows_free(struct cand_row *rows, size_t nrows);

/*
 * One candidate for the back office: the record, the consent ledger
 * (oldest first) and their mails, read in one transaction. New
 * references on HE_OK; HE_NOTFOUND for an unknown id.
 */
int cand_detail(struct store *st, uint64_t id, json_t **cand,
    json_t **ledger, json_t **mails);

/* The id under which candidate id lives now: id itself, or the record it
 * was merged into (links mailed before a merge); HE_NOTFOUND for neither. */
int cand_resolve(struct store *st, uint64_t id, uint64_t *now);

/* One candidate's record (new reference), read committed; HE_NOTFOUND. */
int cand_get(struct store *st, uint64_t id, json_t **rec);

/*
 * The one write path of candidate records (cand_write.c), in the caller's
 * transaction. cand_write stores rec under id: old is the record as read
 * in this txn with rmw, or NULL for a new candidate (inserted; HE_EXISTS
 * when its email key is taken, and so when an edit changes the email key
 * to one taken). It sets the derived fields ("updated", "level",
 * "dpools": the dynamic pools whose filter rec matches) and
 * applies the difference between old's and rec's index keys to the
 * postings (index.h), and notes likely duplicates. rec is borrowed and
 * changed; old is borrowed.
 */
int cand_write(struct store *st, DB_TXN *txn, uint64_t id, json_t *old,
    json_t *rec);

/* cand_write for what is nobody's edit (the worker's freshness pass
 * setting "stale" or a "level" that time changed, a dynamic pool's
 * membership): "updated" keeps old's value, so that such a write does not
 * make a record look fresh. */
int cand_refresh(struct store *st, DB_TXN *txn, uint64_t id, json_t *old,
    json_t *rec);

/* cand_write of a record exactly as it was stored before (undoing a
 * merge): "updated" and "level" are kept, and "dpools" unless the dynamic
 * pools now match otherwise, so the stored bytes are the same again. */
int cand_restore(struct store *st, DB_TXN *txn, uint64_t id, json_t *old,
    json_t *rec);

/* cand_write for a record changed in place after store_cand_get(rmw):
 * reads the stored one again as old. */
int cand_save(struct store *st, DB_TXN *txn, uint64_t id, json_t *rec);

/* Deletes candidate id (record old) and its index keys; scrub overwrites
 * the record in place first (erasure). */
int cand_remove(struct store *st, DB_TXN *txn, uint64_t id, json_t *old,
    int scrub);

/*
 * Imports: cand_batch_write is cand_write with the postings changes
 * gathered and applied once by cand_batch_flush, which must run in the
 * same transaction before it commits. Likely duplicates are noted at the
 * flush. cand_batch_new returns NULL when out of memory.
 */
struct cand_batch;
struct cand_batch *cand_batch_new(void);
int cand_batch_write(struct cand_batch *b, struct store *st, DB_TXN *txn,
    uint64_t id, json_t *old, json_t *rec);
int cand_batch_flush(struct cand_batch *b, struct store *st, DB_TXN *txn);
void cand_batch_free(struct cand_batch *b);

/*
 * Checks the postings against the records: every key of every record holds
 * its id, and the postings hold nothing else. Problems go to report (one
 * line each), *problems counts them. For hearthctl verify.
 */
int cand_index_verify(struct store *st, void (*report)(const char *line,
    void *ctx), void *ctx, size_t *problems);

/* Adds the keyed-hash words of free text (a note, a résumé's text) to
 * rec's "extra_terms", distinct, at most CAND_EXTRA_TERMS_MAX. */
#define CAND_EXTRA_TERMS_MAX 800
int cand_terms_add(struct store *st, json_t *rec, const char *text);

/* Sets rec's "resume_terms" to the keyed-hash words of a CV's text,
 * distinct, at most CAND_RESUME_TERMS_MAX (the first ones); removes the
 * field when text has none. They replace the words of any CV before and
 * never touch "extra_terms". The caller sets "resume_terms_of" to the
 * file they are of: the index counts them only while "resume" names it
 * (index.h). */
#define CAND_RESUME_TERMS_MAX 1000
int cand_resume_terms_set(struct store *st, json_t *rec, const char *text);

#endif
