/* campaign_fixture.h: a real store in a temporary directory, candidates written
 * through cand_write, pools and campaigns: shared by test_campaign and test_sequence */
#ifndef HEARTH_CAMPAIGN_FIXTURE_H
#define HEARTH_CAMPAIGN_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sodium.h>

#include "crm/campaign.h"
#include "crm/candidates.h"
#include "crm/clock.h"
#include "crm/pool.h"
#include "crm/query.h"
#include "store/campaign.h"
#include "store/entities.h"
#include "store/store.h"
#include "util/he.h"

#define FX static __attribute__((unused))

struct env {
	char dir[64];
	struct store *st;
	struct campaign_cfg cfg;
};

FX int
fx_setup(void **state)
{
	struct env *e = calloc(1, sizeof *e);

	if (e == NULL || sodium_init() < 0)
		return -1;
	strcpy(e->dir, "/tmp/c5-test-XXXXXX");
	if (mkdtemp(e->dir) == NULL || store_open(&e->st, e->dir, 32, 0) != HE_OK)
		return -1;
	clock_set_offset(0);
	campaign_cfg_defaults(&e->cfg);
	/* No quiet hours, no cap, unless a test says otherwise. */
	e->cfg.quiet_from = e->cfg.quiet_to = 0;
	e->cfg.cap_mails = 0;
	*state = e;
	return 0;
}

FX int
fx_teardown(void **state)
{
	struct env *e = *state;
	char cmd[128];
	int rc;

	clock_set_offset(0);
	store_close(e->st);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", e->dir);
	rc = system(cmd);
	free(e);
	return rc == 0 ? 0 : -1;
}

struct fx_put {
	uint64_t id;
	json_t *rec, *old;
};

FX int
fx_put_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct fx_put *p = arg;

	return cand_write(st, txn, p->id, p->old, p->rec);
}

/* A candidate from JSON text, with the fields every test wants unless set. */
FX uint64_t
fx_cand(struct env *e, const char *json)
{
	json_error_t err;
	struct fx_put p = { 0, json_loads(json, 0, &err), NULL };
	char ekey[64];

	assert_non_null(p.rec);
	assert_int_equal(store_next_id(e->st, SEQ_CANDIDATE, &p.id), HE_OK);
	snprintf(ekey, sizeof ekey, "k%llu", (unsigned long long)p.id);
	json_object_set_new(p.rec, "email_key", json_string(ekey));
	if (!json_object_get(p.rec, "email")) {
		char email[64];

		snprintf(email, sizeof email, "p%llu@example.org",
		    (unsigned long long)p.id);
		json_object_set_new(p.rec, "email", json_string(email));
	}
	if (!json_object_get(p.rec, "consent"))
		json_object_set_new(p.rec, "consent", json_string("confirmed"));
	assert_int_equal(store_txn(e->st, fx_put_txn, &p), HE_OK);
	json_decref(p.rec);
	return p.id;
}

/* Sets one field of a candidate (value stolen; NULL deletes it). */
FX void
fx_edit(struct env *e, uint64_t id, const char *field, json_t *value)
{
	struct fx_put p = { id, NULL, NULL };

	assert_int_equal(store_cand_get(e->st, NULL, id, 0, &p.old), HE_OK);
	p.rec = json_deep_copy(p.old);
	if (value)
		json_object_set_new(p.rec, field, value);
	else
		json_object_del(p.rec, field);
	assert_int_equal(store_txn(e->st, fx_put_txn, &p), HE_OK);
	json_decref(p.rec);
	json_decref(p.old);
}

FX json_t *
fx_json(const char *fmt, ...)
{
	char buf[8192];
	va_list ap;
	json_error_t err;
	json_t *j;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	j = json_loads(buf, 0, &err);
	if (j == NULL)
		fail_msg("bad JSON in a test: %s: %s", err.text, buf);
	return j;
}

FX uint64_t
fx_pool(struct env *e, const char *name)
{
	uint64_t id;

	assert_int_equal(pool_create(e->st, name, NULL, 1, &id), HE_OK);
	return id;
}

/* A campaign from JSON text, made active. */
FX uint64_t
fx_campaign(struct env *e, const char *json, int activate)
{
	json_t *body = fx_json("%s", json), *errors = NULL;
	uint64_t id = 0;
	int rc = campaign_create(e->st, body, 9, &id, &errors);

	if (rc != HE_OK) {
		char *s = errors ? json_dumps(errors, 0) : NULL;

		fail_msg("campaign_create: %s %s", he_strerror(rc), s ? s : "");
	}
	json_decref(body);
	if (activate)
		assert_int_equal(campaign_set_state(e->st, id, "active", 9), HE_OK);
	return id;
}

FX json_t *
fx_enrol(struct env *e, uint64_t camp, uint64_t cand)
{
	json_t *body = NULL;

	if (store_enrol_get(e->st, NULL, camp, cand, 0, &body) != HE_OK)
		return NULL;
	return body;
}

FX const char *
fx_state(struct env *e, uint64_t camp, uint64_t cand, char *why, size_t n)
{
	static char state[32];
	json_t *en = fx_enrol(e, camp, cand);

	if (en == NULL)
		return "none";
	snprintf(state, sizeof state, "%s",
	    json_string_value(json_object_get(en, "state")));
	if (why)
		snprintf(why, n, "%s", json_string_value(json_object_get(en, "why")) ?: "");
	json_decref(en);
	return state;
}

FX int
fx_mail_collect(uint64_t id, json_t *mail, void *ctx)
{
	json_t *arr = ctx;
	json_t *m = json_deep_copy(mail);

	json_object_set_new(m, "id", json_integer((json_int_t)id));
	json_array_append_new(arr, m);
	return HE_OK;
}

/* The campaign mails queued for a candidate, oldest first. */
FX json_t *
fx_mails(struct env *e, uint64_t cand)
{
	json_t *arr = json_array();

	assert_int_equal(store_mail_each_of(e->st, NULL, cand, fx_mail_collect, arr),
	    HE_OK);
	return arr;
}

FX int64_t
fx_stat(struct env *e, uint64_t camp, int step, int variant, const char *metric)
{
	char name[128];
	int64_t v;

	snprintf(name, sizeof name, "camp:%llu:%d:%d:%s", (unsigned long long)camp,
	    step, variant, metric);
	assert_int_equal(store_camp_stat_get(e->st, NULL, name, &v), HE_OK);
	return v;
}

/* Runs the engine until it has nothing more due now. */
FX size_t
fx_run(struct env *e)
{
	size_t total = 0, done;
	int more, guard = 0;

	do {
		assert_int_equal(campaign_run_due(e->st, &e->cfg, 500, &done, &more),
		    HE_OK);
		total += done;
	} while (more && ++guard < 1000);
	return total;
}

#endif
