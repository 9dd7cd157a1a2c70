/* cap.h: the frequency cap: at most N marketing mails per person per X days,
 * across every campaign */
#ifndef HEARTH_CAP_H
#define HEARTH_CAP_H

#include <stdint.h>
#include <db.h>

struct store;

/*
 * Whether a marketing mail may go to cand at now, when at most max_mails
 * may go in any window of days days (Campaign.CapMails, Campaign.CapDays;
 * max_mails or days <= 0: no cap). HE_OK: it may; HE_BUSY: not before
 * *free_at, the time the oldest mail that keeps it over the cap leaves the
 * window. Only reads (no lock held for writing).
 */
int cap_check(struct store *st, DB_TXN *txn, uint64_t cand, int64_t now,
    int max_mails, int days, int64_t *free_at);

/* cap_check counting `pending` more mails as sent at now (mails of the
 * same person already taken for sending but not yet accepted). */
int cap_check_pending(struct store *st, DB_TXN *txn, uint64_t cand,
    int64_t now, int max_mails, int days, int pending, int64_t *free_at);

/* Records a marketing mail accepted for cand at now, in txn, forgetting
 * the times that have left the window of days days. */
int cap_note(struct store *st, DB_TXN *txn, uint64_t cand, int64_t now,
    int days);

/* Erasure: removes what the cap held about cand, scrubbed, in txn. */
int cap_purge(struct store *st, DB_TXN *txn, uint64_t cand);

#endif
