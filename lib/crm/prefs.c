/* prefs.c: the preference centre: interests, frequency, pauses, leaving */
#include <string.h>

#include "crm/clock.h"
#include "crm/candidates.h"
#include "crm/community_int.h"
#include "store/entities.h"
#include "store/store.h"
#include "util/he.h"

#define MONTH (30 * 86400)

int
comm_get(const struct comm *c, uint64_t cand, json_t **body)
{
	return store_cand_get(c->st, NULL, cand, 0, body);
}

struct update {
	const struct comm *c;
	uint64_t cand;
	const struct comm_prefs *p;
	const struct comm_actor *who;
};

/* Frequency and pauses decide what mail a person gets: a consent matter,
 * so a change of either is an event; the rest is profile. */
static int
set_mail_prefs(json_t *prefs, const struct comm_prefs *p)
{
	const char *was = json_string_value(json_object_get(prefs, "frequency"));
	json_t *until = json_object_get(prefs, "paused_until");
	int changed = !was || strcmp(was, p->frequency) != 0;

	json_object_set_new(prefs, "frequency", json_string(p->frequency));
	/* Open tracking is a consent of its own: asked, never assumed. */
	if (json_is_true(json_object_get(prefs, "tracking")) != (p->tracking != 0))
		changed = 1;
	json_object_set_new(prefs, "tracking", json_boolean(p->tracking));
	if (p->pause_months > 0) {
		json_object_set_new(prefs, "paused_until",
		    json_integer(clock_now() + (int64_t)p->pause_months * MONTH));
		json_object_set_new(prefs, "pause_months",
		    json_integer(p->pause_months));
		changed = 1;
	} else if (until) {
		json_object_del(prefs, "paused_until");
		json_object_del(prefs, "pause_months");
		changed = 1;
	}
	return changed;
}

static int
update_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct update *u = arg;
	const struct comm_prefs *p = u->p;
	json_t *cand, *prefs;
	int rc, changed;

	if ((rc = store_cand_get(st, txn, u->cand, 1, &cand)) != HE_OK)
		return rc;
	json_object_set(cand, "interests", p->interests);
	json_object_set(cand, "skills", p->skills);
	json_object_set_new(cand, "city", json_string(p->city));
	json_object_set_new(cand, "country", json_string(p->country));
	json_object_set_new(cand, "remote", json_boolean(p->remote));
	json_object_set_new(cand, "seniority", json_string(p->seniority));
	if ((prefs = json_object_get(cand, "prefs")) == NULL) {
		prefs = json_object();
		json_object_set_new(cand, "prefs", prefs);
	}
	changed = set_mail_prefs(prefs, p);
	rc = changed ? comm_ledger_append(u->c, txn, u->cand, cand, "updated",
	    u->who) : HE_OK;
	if (rc == HE_OK)
		rc = cand_save(st, txn, u->cand, cand);
	json_decref(cand);
	return rc;
}

int
comm_prefs_update(const struct comm *c, uint64_t cand,
    const struct comm_prefs *p, const struct comm_actor *who)
{
	struct update u = { c, cand, p, who };

	if (!comm_frequency_known(p->frequency) || !comm_seniority_known(
	    p->seniority) || (p->pause_months != 0 && p->pause_months != 1 &&
	    p->pause_months != 3 && p->pause_months != 6))
		return HE_INVALID;
	return store_txn(c->st, update_txn, &u);
}

static int
withdraw_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct update *u = arg;
	const char *consent;
	json_t *cand;
	int rc;

	if ((rc = store_cand_get(st, txn, u->cand, 1, &cand)) != HE_OK)
		return rc;
	consent = json_string_value(json_object_get(cand, "consent"));
	if (consent && strcmp(consent, "withdrawn") == 0) {
		json_decref(cand);
		return HE_OK;
	}
	json_object_set_new(cand, "consent", json_string("withdrawn"));
	json_object_set_new(cand, "withdrawn_at", json_integer(clock_now_us()));
	rc = comm_ledger_append(u->c, txn, u->cand, cand, "withdrawn", u->who);
	if (rc == HE_OK)
		rc = cand_save(st, txn, u->cand, cand);
	json_decref(cand);
	return rc;
}

int
comm_withdraw(const struct comm *c, uint64_t cand,
    const struct comm_actor *who)
{
	struct update u = { c, cand, NULL, who };

	return store_txn(c->st, withdraw_txn, &u);
}
