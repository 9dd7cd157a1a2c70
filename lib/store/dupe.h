/* dupe.h: likely-duplicate candidate pairs as stored */
#ifndef HEARTH_STORE_DUPE_H
#define HEARTH_STORE_DUPE_H

#include <stddef.h>
#include <stdint.h>
#include <db.h>
#include <jansson.h>

struct store;

/*
 * A pair is kept in STORE_DUPE under its smaller id then its larger one
 * (8 bytes big-endian each): {"reasons" ["phone", "linkedin",
 * "name_city"], "found" (unix s), "dismissed" (true once a recruiter said
 * they are two people), "dismissed_at", "dismissed_by"}. Beside it, a
 * reverse entry 'r' + larger id + smaller id (17 bytes, body {}) lets the
 * pairs of one candidate be found without a scan; candidate ids fit in 32
 * bits, so every pair key starts with a zero byte and sorts before every
 * reverse entry. Pair bodies hold ids and reasons only, no personal data.
 * Ids a and b may be given in either order; they must differ.
 */

/* The pair's record (new reference); rmw locks it for an update. */
int store_dupe_get(struct store *st, DB_TXN *txn, uint64_t a, uint64_t b,
    int rmw, json_t **body);

/* Writes the pair's record and its reverse entry. */
int store_dupe_put(struct store *st, DB_TXN *txn, uint64_t a, uint64_t b,
    json_t *body);

/* Deletes the pair and its reverse entry; HE_NOTFOUND when absent. */
int store_dupe_del(struct store *st, DB_TXN *txn, uint64_t a, uint64_t b);

/* fn gets the pair's ids (smaller first) and its borrowed body;
 * non-HE_OK from fn stops a walk with that code. */
typedef int (*store_dupe_fn)(uint64_t lo, uint64_t hi, json_t *body,
    void *ctx);

/*
 * Pairs in key order (smaller id, then larger id) after the pair
 * (after_lo, after_hi), or from the first with both 0; at most limit of
 * them (0: every one). *last is the last pair visited (both 0 when none),
 * where the next page starts.
 */
int store_dupe_each(struct store *st, DB_TXN *txn, uint64_t after_lo,
    uint64_t after_hi, size_t limit, store_dupe_fn fn, void *ctx,
    uint64_t last[2]);

/* Every pair naming id: those where it is the smaller id, then those
 * where it is the larger (read through the reverse entries). */
int store_dupe_each_of(struct store *st, DB_TXN *txn, uint64_t id,
    store_dupe_fn fn, void *ctx);

/* Deletes every pair naming id (a merge, an erasure); *n (may be NULL)
 * counts them. */
int store_dupe_del_of(struct store *st, DB_TXN *txn, uint64_t id, size_t *n);

#endif
