/* merge.h: merge records, what undoing a merge of two candidates needs */
#ifndef HEARTH_STORE_MERGE_H
#define HEARTH_STORE_MERGE_H

#include <stdint.h>
#include <db.h>
#include <jansson.h>

struct store;

/*
 * STORE_MERGE: merge id (from SEQ_MERGE, 8 bytes big-endian) -> {"at"
 * (unix s), "by" (user id), "a" (the candidate kept), "b" (the one merged
 * into it and removed), "a_before", "b_before" (both records as they
 * were), "a_after" (a's record as the merge wrote it), "a_ledger" (the
 * number of a's consent events before), "b_ledger" [b's events as they
 * were], "mails" [ids of b's mails now a's], "touch" [b's touchpoint ids
 * now a's], "pairs" [[other id, pair record]] (b's likely-duplicate pairs)}.
 * They hold personal data: every delete here overwrites the record in
 * place (store_del_scrubbed).
 */
int store_merge_put(struct store *st, DB_TXN *txn, uint64_t id, json_t *body);
int store_merge_get(struct store *st, DB_TXN *txn, uint64_t id, int rmw,
    json_t **body);
/* HE_NOTFOUND when absent. */
int store_merge_del(struct store *st, DB_TXN *txn, uint64_t id);

/*
 * Calls fn for each merge in id order from id `from` on (body borrowed),
 * for at most limit of them (0: all); non-HE_OK from fn stops the walk
 * with that code. *next (may be NULL) is the id after the last visited,
 * or 0 when the walk reached the end.
 */
int store_merge_each(struct store *st, DB_TXN *txn, uint64_t from,
    size_t limit, int (*fn)(uint64_t id, json_t *body, void *ctx), void *ctx,
    uint64_t *next);

#endif
