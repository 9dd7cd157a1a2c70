/* ws_c_standins.h: what campaign core uses from workstreams S and E, by the
 * issue 5 contract: their headers once merged, these declarations until then.
 * Delete this file (and ws_c_standins.c) once both are in main. */
#ifndef HEARTH_WS_C_STANDINS_H
#define HEARTH_WS_C_STANDINS_H

#include <stddef.h>
#include <stdint.h>
#include <db.h>
#include <jansson.h>

struct store;

#if __has_include("crm/cap.h")
#include "crm/cap.h"
#else
#define WS_C_STANDIN_CAP 1
int cap_check(struct store *st, DB_TXN *txn, uint64_t cand, int64_t now,
    int max_mails, int days, int64_t *free_at);
/* ws S's: cap_check counting `pending` more mails as sent at now. */
int cap_check_pending(struct store *st, DB_TXN *txn, uint64_t cand,
    int64_t now, int max_mails, int days, int pending, int64_t *free_at);
int cap_note(struct store *st, DB_TXN *txn, uint64_t cand, int64_t now, int days);
#endif

#if __has_include("crm/engage.h")
#include "crm/engage.h"
#else
#define WS_C_STANDIN_ENGAGE 1
const char *engage_level(const json_t *rec, int64_t now);
#endif

#endif
