/* pool.h: pools (static lists and saved filters) as stored */
#ifndef HEARTH_STORE_POOL_H
#define HEARTH_STORE_POOL_H

#include <stdint.h>
#include <db.h>
#include <jansson.h>

struct store;

/* {"name", "kind" ("static" | "dynamic"), "query" {} (dynamic), "state"
 * ("ready" | "building"), "created" (unix s), "by" (user id)}. Members
 * are not listed here: a candidate's "pools" and "dpools" hold them and
 * the postings key "pool:N" counts them. */
int store_pool_put(struct store *st, DB_TXN *txn, uint64_t id, json_t *body);
int store_pool_get(struct store *st, DB_TXN *txn, uint64_t id, int rmw,
    json_t **body);
int store_pool_del(struct store *st, DB_TXN *txn, uint64_t id);
/* Calls fn for every pool in id order (body borrowed); non-HE_OK from fn
 * stops the walk with that code. */
int store_pool_each(struct store *st, DB_TXN *txn,
    int (*fn)(uint64_t id, json_t *body, void *ctx), void *ctx);

#endif
