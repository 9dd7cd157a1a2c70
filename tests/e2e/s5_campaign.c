/* s5_campaign.c: test_tracking.py's helper: makes a pool and a campaign and
 * enrols people through lib/crm, as the back office does, against the
 * stack's store (HEARTH_HOME, HEARTH_CONF). Built by the test itself:
 *   s5_campaign pool NAME                   -> the pool's id
 *   s5_campaign member POOL CAND
 *   s5_campaign campaign JSONFILE BY        -> the campaign's id (active)
 *   s5_campaign enrol CAMP CAND BY
 *   s5_campaign send CAMP CAND              -> the mail's id
 * "send" does what the sequence engine does for an enrolment's first step
 * (an email), in one transaction: queues the campaign mail and moves the
 * enrolment on to its second step (the tests' campaigns wait 30 days
 * there), so that an engine in the worker never sends that step again;
 * nothing when the engine ran it first.
 * Exits 0 on success, 1 with the reason on stderr. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm/campaign.h"
#include "crm/clock.h"
#include "crm/pool.h"
#include "crm/setup.h"
#include "store/campaign.h"
#include "store/entities.h"
#include "store/store.h"
#include "util/conf.h"
#include "util/he.h"

static uint64_t
num(const char *s)
{
	return strtoull(s, NULL, 10);
}

struct send {
	uint64_t camp, cand, mail;
};

static int
send_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct send *s = arg;
	int64_t now_us = clock_now_us(), now = now_us / 1000000;
	json_t *e, *cand, *mail;
	int rc;

	if ((rc = store_enrol_get(st, txn, s->camp, s->cand, 1, &e)) != HE_OK)
		return rc;
	/* The stack's own worker may have run the step already (its
	 * engine runs while mail is held): then the mail is queued. */
	if (json_integer_value(json_object_get(e, "step")) != 0) {
		json_decref(e);
		return HE_EXISTS;
	}
	if ((rc = store_cand_get(st, txn, s->cand, 0, &cand)) != HE_OK) {
		json_decref(e);
		return rc;
	}
	mail = json_pack("{s:s, s:I, s:O, s:O, s:I, s:i, s:i, s:I, s:I, s:s, s:i,"
	    " s:b}", "kind", "campaign", "cand", (json_int_t)s->cand,
	    "to", json_object_get(cand, "email"), "to_name",
	    json_object_get(cand, "name"), "camp", (json_int_t)s->camp,
	    "step", 0, "variant", 0, "created", (json_int_t)now_us,
	    "due", (json_int_t)now, "state", "queued", "attempts", 0,
	    "marketing", 1);
	json_decref(cand);
	rc = mail ? store_mail_insert(st, txn, mail, &s->mail) : HE_NOMEM;
	json_decref(mail);
	if (rc == HE_OK) {
		json_object_set_new(e, "step", json_integer(1));
		json_object_set_new(e, "due", json_integer(now + 30 * 86400));
		json_object_set_new(e, "last_mail_at", json_integer(now));
		json_object_set_new(e, "last_mail", json_integer((json_int_t)s->mail));
		json_object_set_new(e, "last_step", json_integer(0));
		json_object_set_new(e, "variant", json_pack("{s:i}", "0", 0));
		rc = store_enrol_put(st, txn, s->camp, s->cand, e);
	}
	json_decref(e);
	if (rc == HE_OK)
		rc = campaign_stat_add(st, txn, s->camp, 0, 0, "sent", 1);
	return rc;
}

int
main(int argc, char **argv)
{
	struct store *st;
	HDF *conf;
	uint64_t id = 0;
	int rc;

	if (argc < 3 || conf_load(&conf) != HE_OK || crm_open(conf, &st) != HE_OK) {
		fprintf(stderr, "usage, or no configuration or store\n");
		return 1;
	}
	if (strcmp(argv[1], "pool") == 0) {
		rc = pool_create(st, argv[2], NULL, 0, &id);
	} else if (strcmp(argv[1], "member") == 0 && argc == 4) {
		rc = pool_member_change(st, num(argv[2]), num(argv[3]), 1);
	} else if (strcmp(argv[1], "campaign") == 0 && argc == 4) {
		json_t *body = json_load_file(argv[2], 0, NULL), *errors = NULL;

		rc = body ? campaign_create(st, body, num(argv[3]), &id, &errors) :
		    HE_INVALID;
		if (rc == HE_OK)
			rc = campaign_set_state(st, id, "active", num(argv[3]));
		if (errors) {
			char *e = json_dumps(errors, 0);

			fprintf(stderr, "%s\n", e ? e : "");
			free(e);
			json_decref(errors);
		}
		json_decref(body);
	} else if (strcmp(argv[1], "enrol") == 0 && argc == 5) {
		rc = campaign_enrol(st, num(argv[2]), num(argv[3]), num(argv[4]));
	} else if (strcmp(argv[1], "send") == 0 && argc == 4) {
		struct send s = { num(argv[2]), num(argv[3]), 0 };

		if ((rc = store_txn(st, send_txn, &s)) == HE_EXISTS)
			rc = HE_OK;
		id = s.mail;
	} else {
		rc = HE_INVALID;
	}
	store_close(st);
	hdf_destroy(&conf);
	if (rc != HE_OK) {
		fprintf(stderr, "%s: %s\n", argv[1], he_strerror(rc));
		return 1;
	}
	if (id)
		printf("%llu\n", (unsigned long long)id);
	return 0;
}
