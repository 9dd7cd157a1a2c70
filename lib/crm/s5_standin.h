/* s5_standin.h: TEMPORARY (ws S): the contract's declaration of what ws E
 * (crm/engage.h) writes, until it lands in main; s5_standin.c holds a
 * stand-in that records its calls. Both files go when engage.h is merged
 * (include "crm/engage.h" in track.c instead). */
#ifndef HEARTH_S5_STANDIN_H
#define HEARTH_S5_STANDIN_H

#include <stdint.h>
#include <db.h>
#include <jansson.h>

struct store;

#if __has_include("crm/engage.h")
#include "crm/engage.h"
#else
#define S5_STANDIN_ENGAGE 1
enum engage_kind { ENGAGE_SIGNUP, ENGAGE_CONFIRM, ENGAGE_CLICK, ENGAGE_VISIT,
    ENGAGE_REPLY, ENGAGE_TOUCH };
int engage_event(struct store *st, DB_TXN *txn, uint64_t cand,
    enum engage_kind k, int64_t at);
/* What the stand-in was called with, for the unit tests: [["engage",
 * cand, kind], ...]. */
extern json_t *s5_standin_calls;
#endif

#endif
