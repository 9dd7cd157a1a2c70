/* community.c: a person joins the talent community */
#include <jansson.h>

#include "crm/clock.h"
#include "crm/community.h"
#include "store/entities.h"
#include "store/store.h"
#include "util/he.h"

#define MAIL_WELCOME "welcome"

static json_t *
candidate_body(const struct comm_signup *in, int64_t now_us)
{
	return json_pack("{s:s, s:s, s:I, s:s, s:s}",
	    "email", in->email,
	    "name", in->name,
	    "joined", (json_int_t)now_us,
	    "source", "community",
	    "consent", "granted");
}

static json_t *
consent_event(const struct comm_signup *in, int64_t now_us)
{
	return json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:s}",
	    "type", "granted",
	    "at", (json_int_t)now_us,
	    "ip", in->ip ? in->ip : "",
	    "user_agent", in->user_agent ? in->user_agent : "",
	    "method", "web_form",
	    "policy_version", in->policy_version ? in->policy_version : "",
	    "purpose", in->consent_purpose ? in->consent_purpose : "");
}

static json_t *
welcome_mail(const struct comm_signup *in, uint64_t cand_id, int64_t now_us)
{
	return json_pack("{s:s, s:s, s:s, s:I, s:s, s:I, s:I, s:i}",
	    "kind", MAIL_WELCOME,
	    "to", in->email,
	    "to_name", in->name,
	    "cand", (json_int_t)cand_id,
	    "state", "queued",
	    "created", (json_int_t)now_us,
	    "due", (json_int_t)(now_us / 1000000),
	    "attempts", 0);
}

struct join_txn {
	const struct comm_signup *in;
};

static int
join_txn(struct store *st, DB_TXN *txn, void *arg)
{
	const struct comm_signup *in = ((struct join_txn *)arg)->in;
	int64_t now_us = clock_now_us();
	json_t *cand = candidate_body(in, now_us), *event = NULL, *mail = NULL;
	char head[STORE_CONSENT_HEAD];
	uint64_t cand_id, mail_id;
	int rc;

	if (cand == NULL)
		return HE_NOMEM;
	/* The consent event first: the record is written once, naming the
	 * newest event of its chain, so no event goes unchecked. */
	rc = store_next_id(st, SEQ_CANDIDATE, &cand_id);
	if (rc == HE_OK) {
		event = consent_event(in, now_us);
		rc = event ? store_consent_append(st, txn, cand_id, event, head) :
		    HE_NOMEM;
	}
	if (rc == HE_OK) {
		json_object_set_new(cand, "consent_head", json_string(head));
		rc = store_cand_insert(st, txn, cand_id, cand);
	}
	if (rc == HE_OK) {
		mail = welcome_mail(in, cand_id, now_us);
		rc = mail ? store_mail_insert(st, txn, mail, &mail_id) : HE_NOMEM;
	}
	json_decref(cand);
	json_decref(event);
	json_decref(mail);
	return rc;
}

int
comm_join(struct store *st, const struct comm_signup *in, int *created)
{
	struct join_txn arg = { in };
	int rc = store_txn(st, join_txn, &arg);

	*created = rc == HE_OK;
	return rc == HE_EXISTS ? HE_OK : rc;
}
