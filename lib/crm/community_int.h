/* community_int.h: what the files of the talent community share in lib/crm */
#ifndef HEARTH_COMMUNITY_INT_H
#define HEARTH_COMMUNITY_INT_H

#include <db.h>
#include <jansson.h>

#include "crm/community.h"

/*
 * Appends a consent event of type ("granted", "confirmed", "updated",
 * "withdrawn", "renewed", "expired") for cand, naming the policy and what
 * consent is for, and points cand_body's "consent_head" at it. The caller
 * writes cand_body in the same transaction.
 */
int comm_ledger_append(const struct comm *c, DB_TXN *txn, uint64_t cand,
    json_t *cand_body, const char *type, const struct comm_actor *who);

/* Queues a mail of kind for cand, due now; nonce (or NULL) is signed into
 * its confirmation link at delivery. */
int comm_mail_queue(const struct comm *c, DB_TXN *txn, const char *kind,
    uint64_t cand, json_t *cand_body, const char *nonce);

/* A fresh random nonce: COMM_NONCE_LEN hex characters. */
void comm_nonce(char out[COMM_NONCE_LEN + 1]);

#endif
