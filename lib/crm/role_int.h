/* role_int.h: what the role, pipeline and alert files share (not for other modules) */
#ifndef HEARTH_ROLE_INT_H
#define HEARTH_ROLE_INT_H

#include <stddef.h>
#include <stdint.h>
#include <db.h>
#include <jansson.h>

struct store;
struct audit_actor;
struct tl_actor;

/* The timeline's actor for who: buf (len bytes) receives the user's name,
 * else their email ("" for nobody). */
void role_actor(struct store *st, DB_TXN *txn, const struct audit_actor *who,
    struct tl_actor *ta, char *buf, size_t len);

/* Raises the generation of all roles (every write of one). */
int role_changed(struct store *st, DB_TXN *txn);

/* Whether the JSON array arr holds the integer id. */
int role_has_id(const json_t *arr, uint64_t id);

/* A person's name as the back office shows it: "name", else first and
 * last name, else "" (in buf). */
const char *role_cand_name(const json_t *rec, char *buf, size_t len);

/* The role's status as an enum (ROLE_DRAFT for a record without one). */
int role_status_in(const json_t *role);

/* Removes cand from role id's silver list in txn (erasure; a merge gives
 * their place to into when into is not 0). Nothing when absent. */
int role_silver_forget(struct store *st, DB_TXN *txn, uint64_t id,
    uint64_t cand, uint64_t into);

/* pipe_move in the caller's transaction. */
int pipe_move_in(struct store *st, DB_TXN *txn, const struct audit_actor *who,
    uint64_t role, uint64_t cand, int stage);

#endif
