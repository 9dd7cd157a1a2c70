/* audit.h: the append-only audit log */
#ifndef HEARTH_STORE_AUDIT_H
#define HEARTH_STORE_AUDIT_H

#include <stdint.h>
#include <db.h>
#include <jansson.h>

struct store;

/*
 * Entries are {"at" (unix µs), "user", "user_email", "ip", "action",
 * "cand" (only when non-zero), "detail" {}}. STORE_AUDIT_CAND indexes
 * those whose "cand" is set.
 *
 * The key of an entry is its "at" then its id (from SEQ_AUDIT), 8 bytes
 * each, big-endian. Ids alone are not in time order across processes:
 * each process takes them from a cache of its own (32 at a time), so a
 * process's id 5 can be written after another's id 40. The time first
 * keeps a walk of STORE_AUDIT, and the duplicates of STORE_AUDIT_CAND
 * (sorted by this key), in the order things happened; the id keeps two
 * entries of the same microsecond apart.
 *
 * There is no update and no delete: the log is append-only (an erasure
 * leaves the entries about the person, which hold only their id).
 */
#define STORE_AUDIT_KEYBYTES 16

int store_audit_cand_key(DB *sdb, const DBT *pkey, const DBT *pdata, DBT *skey);

/* Appends body, whose "at" must be set (HE_INVALID otherwise), in txn;
 * *id is the id it got. body is borrowed. */
int store_audit_insert(struct store *st, DB_TXN *txn, json_t *body,
    uint64_t *id);

/*
 * Calls fn for each entry whose "at" is in [from_us, to_us) (to_us 0: no
 * upper bound), newest first; body is borrowed, id is the entry's id. fn
 * returning non-HE_OK stops the walk with that code. Reads with degree-2
 * isolation (each page's lock is let go once passed), so a long walk
 * neither fills the lock table nor holds up writers.
 */
typedef int (*store_audit_fn)(uint64_t id, int64_t at, json_t *body,
    void *ctx);
int store_audit_newest(struct store *st, DB_TXN *txn, int64_t from_us,
    int64_t to_us, store_audit_fn fn, void *ctx);

/* The same for the entries about one candidate, oldest first when
 * oldest_first, else newest first, through STORE_AUDIT_CAND. */
int store_audit_each_of(struct store *st, DB_TXN *txn, uint64_t cand,
    int oldest_first, store_audit_fn fn, void *ctx);

#endif
