/* cap.h: the frequency cap's record: when each person last got marketing mail */
#ifndef HEARTH_STORE_CAP_H
#define HEARTH_STORE_CAP_H

#include <stddef.h>
#include <stdint.h>
#include <db.h>

struct store;

/* Times kept per person, at most: more than any sane cap counts. */
#define STORE_CAP_TIMES 64

/*
 * STORE_CAP: candidate id (8 bytes, big-endian) -> {"t": [unix seconds,
 * ... oldest first]}, the marketing mails accepted for them lately.
 *
 * store_cap_get fills t (room for STORE_CAP_TIMES) oldest first and *n;
 * a person never capped has none (*n 0, HE_OK). rmw: the caller writes it
 * back in txn.
 */
int store_cap_get(struct store *st, DB_TXN *txn, uint64_t cand, int rmw,
    int64_t *t, size_t *n);
/* Replaces the times of cand (n 0: removes the record). */
int store_cap_put(struct store *st, DB_TXN *txn, uint64_t cand,
    const int64_t *t, size_t n);

#endif
