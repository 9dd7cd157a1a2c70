/* inbound_standins.h: STAND-INS for ws C's campaign_signal and ws E's engage_event
 * until their headers land in this branch; DELETE this file at merge and include
 * crm/campaign.h and crm/engage.h in inbound.c instead. */
#ifndef HEARTH_INBOUND_STANDINS_H
#define HEARTH_INBOUND_STANDINS_H

#include <stdint.h>
#include <db.h>

#include "util/he.h"

struct store;

#if __has_include("crm/campaign.h")
#include "crm/campaign.h"
#else
enum camp_signal { CAMP_SIG_CLICK, CAMP_SIG_OPEN, CAMP_SIG_REPLY, CAMP_SIG_BOUNCE };
static inline int
campaign_signal(struct store *st, DB_TXN *txn, uint64_t cand, uint64_t mail_id,
    enum camp_signal sig, int64_t at)
{
	(void)st; (void)txn; (void)cand; (void)mail_id; (void)sig; (void)at;
	return HE_OK;
}
#endif

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
