/* ws_c_standins.c: minimal local stand-ins for what workstreams S and E own,
 * each compiled only while its real header is not in the tree. Delete with
 * ws_c_standins.h once both are merged. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm/ws_c_standins.h"
#include "store/entities.h"
#include "store/store.h"
#include "util/he.h"

#ifdef WS_C_STANDIN_CAP
/* What ws S's cap keeps (accepted campaign mails), read from the queue:
 * the mails in state "sent" at their "sent" time. */
struct standin_cap {
	int64_t since;
	int64_t t[64];
	int n;
};

static int
standin_cap_mail(uint64_t id, json_t *mail, void *ctx)
{
	struct standin_cap *c = ctx;
	const char *state = json_string_value(json_object_get(mail, "state"));
	int64_t at = json_integer_value(json_object_get(mail, "sent"));

	(void)id;
	if (json_is_true(json_object_get(mail, "marketing")) && state &&
	    strcmp(state, "sent") == 0 && at > c->since && c->n < 64) {
		int i = c->n++;

		while (i > 0 && c->t[i - 1] > at) {	/* oldest first */
			c->t[i] = c->t[i - 1];
			i--;
		}
		c->t[i] = at;
	}
	return HE_OK;
}

int
cap_check_pending(struct store *st, DB_TXN *txn, uint64_t cand, int64_t now,
    int max_mails, int days, int pending, int64_t *free_at)
{
	struct standin_cap c = { now - (int64_t)days * 86400, { 0 }, 0 };
	int rc, drop;

	*free_at = now;
	if (max_mails <= 0 || days <= 0)
		return HE_OK;
	if ((rc = store_mail_each_of(st, txn, cand, standin_cap_mail, &c)) != HE_OK)
		return rc;
	if (c.n + pending < max_mails)
		return HE_OK;
	drop = c.n + pending - max_mails;
	*free_at = (drop < c.n ? c.t[drop] : now) + (int64_t)days * 86400;
	return HE_BUSY;
}

int
cap_check(struct store *st, DB_TXN *txn, uint64_t cand, int64_t now,
    int max_mails, int days, int64_t *free_at)
{
	return cap_check_pending(st, txn, cand, now, max_mails, days, 0, free_at);
}

int
cap_note(struct store *st, DB_TXN *txn, uint64_t cand, int64_t now, int days)
{
	(void)st;
	(void)txn;
	(void)cand;
	(void)now;
	(void)days;
	return HE_OK;
}
#endif

#ifdef WS_C_STANDIN_ENGAGE
/* The score as stored, without decay, at ws E's default thresholds. */
const char *
engage_level(const json_t *rec, int64_t now)
{
	json_t *s = json_object_get(json_object_get(rec, "eng"), "s");
	double v = json_is_number(s) ? json_number_value(s) : 0;

	(void)now;
	return v >= 2.5 ? "hot" : v >= 0.5 ? "warm" : "cold";
}
#endif
