/* inbound_standins.h: STAND-IN for ws E's engage_event until crm/engage.h lands in
 * this branch; DELETE this file at merge and include crm/engage.h in inbound.c. */
#ifndef HEARTH_INBOUND_STANDINS_H
#define HEARTH_INBOUND_STANDINS_H

#include <stdint.h>
#include <db.h>

#include "util/he.h"

struct store;

#if __has_include("crm/engage.h")
#include "crm/engage.h"
#else
enum engage_kind { ENGAGE_SIGNUP, ENGAGE_CONFIRM, ENGAGE_CLICK, ENGAGE_VISIT,
	ENGAGE_REPLY, ENGAGE_TOUCH };
static inline int
engage_event(struct store *st, DB_TXN *txn, uint64_t cand, enum engage_kind k,
    int64_t at)
{
	(void)st; (void)txn; (void)cand; (void)k; (void)at;
	return HE_OK;
}
#endif

#endif
