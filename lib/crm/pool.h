/* pool.h: static pools (hand-picked) and dynamic pools (saved filters) */
#ifndef HEARTH_POOL_H
#define HEARTH_POOL_H

#include <stddef.h>
#include <stdint.h>
#include <db.h>
#include <jansson.h>

struct store;
struct cand_keyset;
struct cand_query;

/*
 * Membership lives with the candidates: a static pool's ids are in their
 * "pools", a dynamic pool's in their "dpools", set by cand_write from the
 * pool's filter on every write. The postings key "pool:N" holds either,
 * so a count is one index read. A new dynamic pool starts "building": a
 * background job (pool_build_step) evaluates the existing candidates.
 */

#define POOL_NAME_MAX 80

/* Creates a pool (q NULL: static) by user `by`; *id on HE_OK. HE_INVALID
 * for an empty or long name, or a filter that names a dynamic pool. */
int pool_create(struct store *st, const char *name, const struct cand_query *q,
    uint64_t by, uint64_t *id);

/* The pool record (new reference) and its member count. */
int pool_get(struct store *st, uint64_t id, json_t **pool, uint64_t *count);

/* Every pool: [{"id", "name", "kind", "state", "count"}] (new reference).
 * pool_names is the same without "count" (no index read per pool: for
 * the selects of every list page). */
int pool_list(struct store *st, json_t **pools);
int pool_names(struct store *st, json_t **pools);

/* Adds or removes candidate cand to static pool id in txn (HE_INVALID for
 * a dynamic pool, HE_NOTFOUND for an unknown pool or candidate). */
int pool_member_set(struct store *st, DB_TXN *txn, uint64_t id, uint64_t cand,
    int member);

/* Deletes a pool: it is marked "deleting" (gone from every list and
 * filter at once) and the worker takes it out of its members' records in
 * steps, then removes it (pool_build_some). */
int pool_delete(struct store *st, uint64_t id);

/* pool_member_set in a transaction of its own. */
int pool_member_change(struct store *st, uint64_t id, uint64_t cand, int member);

/*
 * For cand_write: the ids of the dynamic pools whose filter matches a
 * record with keys ks, as a new JSON array in *dpools (ascending). The
 * filters are compiled once per process and again when pools change.
 */
int pool_dynamic_match(struct store *st, DB_TXN *txn,
    const struct cand_keyset *ks, json_t **dpools);

/*
 * Evaluates the next `limit` (at most POOL_BUILD_MAX) existing candidates
 * against dynamic pool id in one transaction, from where the last step
 * stopped (kept in the pool record, so a killed worker resumes there);
 * *finished is set, and the pool marked "ready", after the last one.
 */
#define POOL_BUILD_MAX 512
int pool_build_step(struct store *st, uint64_t id, size_t limit,
    int *finished);

/* For the worker: one step of the first pool still building or being
 * deleted (*worked 0: none is). */
int pool_build_some(struct store *st, size_t limit, int *worked);

#endif
