/* ledger.c: consent events and the mail they cause, written with the change */
#include <sodium.h>

#include "crm/clock.h"
#include "crm/community_int.h"
#include "store/entities.h"
#include "store/store.h"
#include "util/he.h"

int
comm_ledger_append(const struct comm *c, DB_TXN *txn, uint64_t cand,
    json_t *cand_body, const char *type, const struct comm_actor *who)
{
	char head[STORE_CONSENT_HEAD];
	json_t *ev = json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:s}",
	    "type", type,
	    "at", (json_int_t)clock_now_us(),
	    "method", who->method,
	    "ip", who->ip ? who->ip : "",
	    "user_agent", who->user_agent ? who->user_agent : "",
	    "policy_version", c->policy_version,
	    "policy_sha256", c->policy_sha256,
	    "purpose", c->purpose);
	json_t *tracking = json_object_get(json_object_get(cand_body, "prefs"),
	    "tracking");
	int rc;

	if (ev == NULL)
		return HE_NOMEM;
	/* What the person allowed of open tracking when this happened. */
	if (json_is_boolean(tracking))
		json_object_set(ev, "tracking", tracking);
	rc = store_consent_append(c->st, txn, cand, ev, head);
	json_decref(ev);
	if (rc == HE_OK && json_object_set_new(cand_body, "consent_head",
	    json_string(head)) != 0)
		rc = HE_NOMEM;
	return rc;
}

int
comm_mail_queue(const struct comm *c, DB_TXN *txn, const char *kind,
    uint64_t cand, json_t *cand_body, const char *nonce)
{
	int64_t now_us = clock_now_us();
	uint64_t id;
	json_t *mail = json_pack("{s:s, s:s, s:s, s:I, s:s, s:I, s:I, s:i}",
	    "kind", kind,
	    "to", json_string_value(json_object_get(cand_body, "email")),
	    "to_name", json_string_value(json_object_get(cand_body, "name")),
	    "cand", (json_int_t)cand,
	    "state", "queued",
	    "created", (json_int_t)now_us,
	    "due", (json_int_t)(now_us / 1000000),
	    "attempts", 0);
	int rc;

	if (mail == NULL)
		return HE_NOMEM;
	if (nonce)
		json_object_set_new(mail, "nonce", json_string(nonce));
	rc = store_mail_insert(c->st, txn, mail, &id);
	json_decref(mail);
	return rc;
}

void
comm_nonce(char out[COMM_NONCE_LEN + 1])
{
	unsigned char r[COMM_NONCE_LEN / 2];

	randombytes_buf(r, sizeof r);
	sodium_bin2hex(out, COMM_NONCE_LEN + 1, r, sizeof r);
}
