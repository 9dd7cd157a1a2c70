/* role.h: roles (requisitions), their pipelines and new-match alerts in the store */
#ifndef HEARTH_STORE_ROLE_H
#define HEARTH_STORE_ROLE_H

#include <stddef.h>
#include <stdint.h>
#include <db.h>
#include <jansson.h>

struct store;

/*
 * Bodies passed in are borrowed; bodies handed out are new references the
 * caller json_decref()s; bodies given to callbacks are borrowed for the
 * call. Functions taking a txn run in the caller's transaction (NULL:
 * Berkeley DB's own). A callback returning non-HE_OK stops a walk with
 * that code.
 */

/* ---- roles: STORE_ROLE, role id BE64 -> role (crm/role.h) ---- */

/* Key 0 holds {"gen": n}, the generation of all roles together, raised by
 * every write of any role: the per-process cache of the open roles
 * (role_open_compiled) is keyed by it. It lives beside the roles, as the
 * campaigns' does, so reading it in every candidate write shares no page
 * with the busy settings. */
int store_role_get(struct store *st, DB_TXN *txn, uint64_t id, int rmw,
    json_t **body);
int store_role_put(struct store *st, DB_TXN *txn, uint64_t id, json_t *body);
/* Every role, in id order or newest (highest id) first, read committed
 * (no read lock kept, even in txn). */
int store_role_each(struct store *st, DB_TXN *txn, int newest_first,
    int (*fn)(uint64_t id, json_t *body, void *ctx), void *ctx);
/* The generation (0 when no role was ever written; store_gen_get). */
int store_role_gen(struct store *st, DB_TXN *txn, int64_t *gen);
/* Changes the generation in txn (store_gen_change: role writes queue). */
int store_role_gen_bump(struct store *st, DB_TXN *txn, int64_t *gen);

/* ---- pipelines ---- */

/* STORE_PIPE keys are the role id then the candidate id (8 bytes each,
 * big-endian); STORE_PIPE_CAND indexes them by the candidate id. */
int store_pipe_cand_key(DB *sdb, const DBT *pkey, const DBT *pdata, DBT *skey);

int store_pipe_get(struct store *st, DB_TXN *txn, uint64_t role, uint64_t cand,
    int rmw, json_t **body);
int store_pipe_put(struct store *st, DB_TXN *txn, uint64_t role, uint64_t cand,
    json_t *body);
/* HE_OK when cand is in role's pipeline, HE_NOTFOUND; nothing decoded. */
int store_pipe_exists(struct store *st, DB_TXN *txn, uint64_t role,
    uint64_t cand);
/* Removes one entry and its index entry, scrubbed (erasure, merges). */
int store_pipe_del(struct store *st, DB_TXN *txn, uint64_t role, uint64_t cand);
/* The entries of role, in candidate order. */
int store_pipe_each(struct store *st, DB_TXN *txn, uint64_t role,
    int (*fn)(uint64_t cand, json_t *body, void *ctx), void *ctx);
/* How many people role's pipeline holds (nothing decoded). */
int store_pipe_count(struct store *st, DB_TXN *txn, uint64_t role, size_t *n);
/* The entries of candidate cand, in role order. */
int store_pipe_each_of(struct store *st, DB_TXN *txn, uint64_t cand,
    int (*fn)(uint64_t role, json_t *body, void *ctx), void *ctx);

/* ---- new-match alerts ---- */

/*
 * STORE_ROLE_ALERT: role id BE64 + candidate id BE64 -> {"at" (unix s),
 * "score", "owner" (the role's owner then), "digested" (unix s of the
 * digest mail that listed it; absent until then), "pending" (the owner,
 * only until it is digested)}. STORE_ROLE_ALERT_DUE indexes "pending", so
 * the digest walks each owner's alerts not yet sent; STORE_ROLE_ALERT_CAND
 * the candidate id.
 */
int store_alert_due_key(DB *sdb, const DBT *pkey, const DBT *pdata, DBT *skey);
int store_alert_cand_key(DB *sdb, const DBT *pkey, const DBT *pdata, DBT *skey);

int store_alert_get(struct store *st, DB_TXN *txn, uint64_t role, uint64_t cand,
    int rmw, json_t **body);
/* HE_OK when there is one, HE_NOTFOUND; nothing decoded. */
int store_alert_exists(struct store *st, DB_TXN *txn, uint64_t role,
    uint64_t cand);
int store_alert_put(struct store *st, DB_TXN *txn, uint64_t role, uint64_t cand,
    json_t *body);
int store_alert_del(struct store *st, DB_TXN *txn, uint64_t role, uint64_t cand);
/* The owners with alerts not yet digested, each once, in id order, read
 * committed: up to max in owners, *n of them. */
int store_alert_due_owners(struct store *st, DB_TXN *txn, uint64_t *owners,
    size_t max, size_t *n);
/* Owner's alerts not yet digested: up to max (role, cand) pairs, in
 * role then candidate order. */
int store_alert_due_of(struct store *st, DB_TXN *txn, uint64_t owner,
    uint64_t (*pairs)[2], size_t max, size_t *n);
/* Every alert about candidate cand: up to max role ids, *n of them. */
int store_alert_roles_of(struct store *st, DB_TXN *txn, uint64_t cand,
    uint64_t *roles, size_t max, size_t *n);
/* Every alert of role, in candidate order. */
int store_alert_each(struct store *st, DB_TXN *txn, uint64_t role,
    int (*fn)(uint64_t cand, json_t *body, void *ctx), void *ctx);

#endif
