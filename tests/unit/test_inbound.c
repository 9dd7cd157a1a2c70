/* test_inbound.c: what a bounce or a reply does to the candidate, their mails and timeline */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sodium.h>

#include "crm/campaign.h"
#include "crm/candidates.h"
#include "crm/clock.h"
#include "crm/engage.h"
#include "crm/pool.h"
#include "crm/inbound.h"
#include "store/entities.h"
#include "store/store.h"
#include "store/touch.h"
#include "util/he.h"

struct env {
	char dir[64];
	struct store *st;
	struct inbound_cfg cfg;
};

static int
setup(void **state)
{
	struct env *e = calloc(1, sizeof *e);
	unsigned char key[STORE_KEYBYTES];

	if (e == NULL || sodium_init() < 0)
		return -1;
	strcpy(e->dir, "/tmp/i5-test-inbound-XXXXXX");
	if (mkdtemp(e->dir) == NULL || store_open(&e->st, e->dir, 16, 0) != HE_OK)
		return -1;
	randombytes_buf(key, sizeof key);
	store_set_site_key(e->st, key);
	e->cfg.soft_limit = 2;
	*state = e;
	return 0;
}

static int
teardown(void **state)
{
	struct env *e = *state;
	char cmd[128];
	int rc;

	store_close(e->st);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", e->dir);
	rc = system(cmd);
	free(e);
	return rc == 0 ? 0 : -1;
}

struct put {
	json_t *rec;
	uint64_t id;
};

static int
cand_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct put *p = arg;
	json_t *rec = json_deep_copy(p->rec);
	int rc;

	if (p->id == 0 && store_next_id(st, SEQ_CANDIDATE, &p->id) != HE_OK) {
		json_decref(rec);
		return HE_IO;
	}
	rc = cand_write(st, txn, p->id, NULL, rec);
	json_decref(rec);
	return rc;
}

static uint64_t
candidate(struct env *e, const char *email)
{
	struct put p = { json_pack("{s:s, s:s, s:s, s:s}", "email", email,
	    "email_key", email, "name", "Test Person", "consent", "confirmed"), 0 };

	assert_int_equal(store_txn(e->st, cand_txn, &p), HE_OK);
	json_decref(p.rec);
	return p.id;
}

static int
mail_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct put *p = arg;

	return store_mail_insert(st, txn, p->rec, &p->id);
}

/* A mail to to for cand, queued (due set) or sent. */
static uint64_t
mail(struct env *e, uint64_t cand, const char *to, const char *kind,
    int64_t created, int queued)
{
	struct put p = { json_pack("{s:s, s:s, s:I, s:s, s:I}", "kind", kind, "to",
	    to, "cand", (json_int_t)cand, "state", queued ? "queued" : "sent",
	    "created", (json_int_t)created), 0 };

	if (queued)
		json_object_set_new(p.rec, "due", json_integer(1));
	assert_int_equal(store_txn(e->st, mail_txn, &p), HE_OK);
	json_decref(p.rec);
	return p.id;
}

struct apply {
	struct env *e;
	const char *msg;
	struct inbound_stats s;
	int recorded;
};

static int
apply_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct apply *a = arg;

	memset(&a->s, 0, sizeof a->s);
	return inbound_apply(st, txn, &a->e->cfg, a->msg, strlen(a->msg), &a->s,
	    &a->recorded);
}

static struct apply
apply(struct env *e, const char *msg)
{
	struct apply a = { e, msg, { 0 }, 0 };

	assert_int_equal(store_txn(e->st, apply_txn, &a), HE_OK);
	return a;
}

static char *
dsn(uint64_t mail_id, int64_t created, const char *rcpt, const char *status,
    const char *action)
{
	char *m;

	assert_true(asprintf(&m,
	    "From: MAILER-DAEMON@mx.example\n"
	    "Subject: Undelivered Mail Returned to Sender\n"
	    "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n"
	    "\n"
	    "--b\n"
	    "Content-Type: message/delivery-status\n"
	    "\n"
	    "Reporting-MTA: dns; mx.example\n"
	    "\n"
	    "Final-Recipient: rfc822; %s\n"
	    "Action: %s\n"
	    "Status: %s\n"
	    "\n"
	    "--b\n"
	    "Content-Type: text/rfc822-headers\n"
	    "\n"
	    "Message-ID: <hearth.%llu.%lld@hearth.example>\n"
	    "--b--\n", rcpt, action, status, (unsigned long long)mail_id,
	    (long long)created) > 0);
	return m;
}

static json_t *
cand_rec(struct env *e, uint64_t id)
{
	json_t *rec;

	assert_int_equal(store_cand_get(e->st, NULL, id, 0, &rec), HE_OK);
	return rec;
}

static const char *
mail_state(struct env *e, uint64_t id, json_t **hold)
{
	assert_int_equal(store_mail_get(e->st, NULL, id, hold), HE_OK);
	return json_string_value(json_object_get(*hold, "state"));
}

/* The kinds of a candidate's touchpoints, newest first, joined by ",". */
struct kinds {
	char buf[256];
	json_t *last;
};

static int
kinds_fn(uint64_t id, json_t *body, void *ctx)
{
	struct kinds *k = ctx;

	(void)id;
	if (k->buf[0])
		strcat(k->buf, ",");
	strncat(k->buf, json_string_value(json_object_get(body, "kind")), 32);
	if (k->last == NULL)
		k->last = json_incref(body);
	return HE_OK;
}

static void
touch_kinds(struct env *e, uint64_t cand, struct kinds *k)
{
	memset(k, 0, sizeof *k);
	assert_int_equal(store_touch_newest(e->st, NULL, cand, 0, 0, kinds_fn, k),
	    HE_OK);
}

static void
test_hard_bounce(void **state)
{
	struct env *e = *state;
	uint64_t c = candidate(e, "hard@example.org");
	uint64_t sent = mail(e, c, "hard@example.org", "confirm", 1111, 0);
	uint64_t queued = mail(e, c, "hard@example.org", "export", 2222, 1);
	char *m = dsn(sent, 1111, "hard@example.org", "5.1.1", "failed");
	struct apply a = apply(e, m);
	json_t *rec, *hold;
	struct kinds k;

	assert_int_equal(a.s.hard, 1);
	assert_true(a.recorded);
	rec = cand_rec(e, c);
	assert_true(json_is_true(json_object_get(rec, "email_invalid")));
	json_decref(rec);
	assert_string_equal(mail_state(e, sent, &hold), "bounced");
	json_decref(hold);
	/* No further mail to them: what was still queued is cancelled. */
	assert_string_equal(mail_state(e, queued, &hold), "cancelled");
	assert_string_equal(json_string_value(json_object_get(hold, "why")), "bounced");
	assert_null(json_object_get(hold, "due"));
	json_decref(hold);
	touch_kinds(e, c, &k);
	assert_string_equal(k.buf, "bounce");
	assert_string_equal(json_string_value(json_object_get(json_object_get(k.last,
	    "detail"), "status")), "5.1.1");
	json_decref(k.last);
	/* The same report again (a second DSN) records nothing more. */
	a = apply(e, m);
	assert_int_equal(a.s.hard, 0);
	assert_false(a.recorded);
	touch_kinds(e, c, &k);
	assert_string_equal(k.buf, "bounce");
	json_decref(k.last);
	free(m);
}

/* Bounces that name no mail of ours to this person change nothing. */
static void
test_unmatched(void **state)
{
	struct env *e = *state;
	uint64_t c = candidate(e, "new@example.org");
	uint64_t old = mail(e, c, "old@example.org", "confirm", 3333, 0);
	uint64_t test = mail(e, c, "recruiter@example.com", "campaign_test", 4444, 0);
	uint64_t mine = mail(e, c, "new@example.org", "confirm", 5555, 0);
	char *forged = dsn(mine, 5556, "new@example.org", "5.1.1", "failed");
	char *gone = dsn(999999, 1, "new@example.org", "5.1.1", "failed");
	char *moved = dsn(old, 3333, "old@example.org", "5.1.1", "failed");
	char *tested = dsn(test, 4444, "recruiter@example.com", "5.1.1", "failed");
	const char *all[] = { forged, gone, moved, tested };
	json_t *rec, *hold;
	struct kinds k;

	for (size_t i = 0; i < 4; i++) {
		struct apply a = apply(e, all[i]);

		assert_int_equal(a.s.unmatched, 1);
		assert_false(a.recorded);
		free((char *)all[i]);
	}
	rec = cand_rec(e, c);
	assert_null(json_object_get(rec, "email_invalid"));
	json_decref(rec);
	assert_string_equal(mail_state(e, mine, &hold), "sent");
	json_decref(hold);
	touch_kinds(e, c, &k);
	assert_string_equal(k.buf, "");
}

static void
test_soft_then_hard(void **state)
{
	struct env *e = *state;
	uint64_t c = candidate(e, "soft@example.org");
	uint64_t m1 = mail(e, c, "soft@example.org", "confirm", 10, 0);
	uint64_t m2 = mail(e, c, "soft@example.org", "confirm", 20, 0);
	char *d1 = dsn(m1, 10, "soft@example.org", "4.2.2", "failed");
	char *d1b = dsn(m1, 10, "soft@example.org", "4.4.1", "delayed");
	char *d2 = dsn(m2, 20, "soft@example.org", "4.2.2", "failed");
	struct apply a;
	json_t *rec, *hold;

	a = apply(e, d1);
	assert_int_equal(a.s.soft, 1);
	rec = cand_rec(e, c);
	assert_int_equal(json_integer_value(json_object_get(rec, "soft_bounces")), 1);
	assert_null(json_object_get(rec, "email_invalid"));
	json_decref(rec);
	/* The same mail again: counted once. */
	a = apply(e, d1b);
	rec = cand_rec(e, c);
	assert_int_equal(json_integer_value(json_object_get(rec, "soft_bounces")), 1);
	json_decref(rec);
	assert_string_equal(mail_state(e, m1, &hold), "sent");
	json_decref(hold);
	/* The second mail reaches the limit (2 here): hard. */
	a = apply(e, d2);
	assert_int_equal(a.s.hard, 1);
	rec = cand_rec(e, c);
	assert_int_equal(json_integer_value(json_object_get(rec, "soft_bounces")), 2);
	assert_true(json_is_true(json_object_get(rec, "email_invalid")));
	json_decref(rec);
	assert_string_equal(mail_state(e, m2, &hold), "bounced");
	json_decref(hold);
	free(d1);
	free(d1b);
	free(d2);
}

static void
test_reply(void **state)
{
	struct env *e = *state;
	uint64_t c = candidate(e, "reply@example.org");
	uint64_t m1 = mail(e, c, "reply@example.org", "confirm", 30, 0);
	uint64_t m2 = mail(e, c, "reply@example.org", "confirm", 40, 0);
	char *soft = dsn(m1, 30, "reply@example.org", "4.2.2", "failed");
	char *r;
	struct apply a;
	json_t *rec, *hold, *detail;
	struct kinds k;

	apply(e, soft);
	assert_true(asprintf(&r, "From: Rae <Reply@Example.org>\n"
	    "Subject: Re: Hello\n"
	    "In-Reply-To: <hearth.%llu.40@hearth.example>\n"
	    "\n"
	    "Sounds good.\n"
	    "\n"
	    "> what we wrote\n", (unsigned long long)m2) > 0);
	a = apply(e, r);
	assert_int_equal(a.s.replies, 1);
	assert_true(a.recorded);
	rec = cand_rec(e, c);
	assert_null(json_object_get(rec, "soft_bounces"));	/* they answer */
	assert_non_null(json_object_get(rec, "last_engaged"));
	assert_true(engage_score(rec, clock_now()) > 0);	/* ws E's score */
	json_decref(rec);
	assert_string_equal(mail_state(e, m2, &hold), "sent");
	assert_non_null(json_object_get(hold, "replied"));
	json_decref(hold);
	touch_kinds(e, c, &k);
	assert_string_equal(k.buf, "email,bounce");
	assert_string_equal(json_string_value(json_object_get(k.last, "channel")), "email");
	assert_string_equal(json_string_value(json_object_get(k.last, "by_name")),
	    "reply@example.org");
	assert_string_equal(json_string_value(json_object_get(k.last, "text")),
	    "Re: Hello\n\nSounds good.");
	detail = json_object_get(k.last, "detail");
	assert_string_equal(json_string_value(json_object_get(detail, "outcome")), "reply");
	json_decref(k.last);
	free(soft);
	free(r);
}

static void
test_other_and_unreadable(void **state)
{
	struct env *e = *state;
	struct apply a;

	a = apply(e, "From: news@example.com\nSubject: News\n\nHello\n");
	assert_int_equal(a.s.other, 1);
	assert_false(a.recorded);
	a = apply(e, "not a message\n");
	assert_int_equal(a.s.unreadable, 1);
	assert_false(a.recorded);
}

/* A campaign mail of an active campaign (goal: replied) to each of two
 * people enrolled in it. */
static uint64_t
campaign_mail(struct env *e, uint64_t camp, uint64_t cand, const char *to,
    int64_t created)
{
	struct put p = { json_pack("{s:s, s:s, s:I, s:I, s:i, s:i, s:s, s:I, s:b}",
	    "kind", "campaign", "to", to, "cand", (json_int_t)cand, "camp",
	    (json_int_t)camp, "step", 0, "variant", 0, "state", "sent", "created",
	    (json_int_t)created, "marketing", 1), 0 };

	assert_int_equal(store_txn(e->st, mail_txn, &p), HE_OK);
	json_decref(p.rec);
	return p.id;
}

static json_t *
enrolment(struct env *e, uint64_t cand)
{
	json_t *list, *one;

	assert_int_equal(campaign_enrolments_of(e->st, cand, &list), HE_OK);
	assert_int_equal(json_array_size(list), 1);
	one = json_incref(json_array_get(list, 0));
	json_decref(list);
	return one;
}

static void
test_campaign_signals(void **state)
{
	struct env *e = *state;
	uint64_t pool, camp, c1 = candidate(e, "camp1@example.org"),
	    c2 = candidate(e, "camp2@example.org"), m1, m2;
	json_t *body = json_pack("{s:s, s:[], s:s, s:[{s:s, s:[{s:s, s:s}]}]}",
	    "name", "Welcome", "pools", "goal", "replied", "steps", "type", "email",
	    "variants", "subject", "Hello", "body", "Hello {{first_name}}");
	json_t *errors = NULL, *en;
	char *r, *d;

	assert_int_equal(pool_create(e->st, "Engineers", NULL, 1, &pool), HE_OK);
	json_array_append_new(json_object_get(body, "pools"), json_integer((json_int_t)pool));
	assert_int_equal(campaign_create(e->st, body, 1, &camp, &errors), HE_OK);
	json_decref(body);
	assert_int_equal(campaign_set_state(e->st, camp, "active", 1), HE_OK);
	assert_int_equal(campaign_enrol(e->st, camp, c1, 1), HE_OK);
	assert_int_equal(campaign_enrol(e->st, camp, c2, 1), HE_OK);
	m1 = campaign_mail(e, camp, c1, "camp1@example.org", 77);
	m2 = campaign_mail(e, camp, c2, "camp2@example.org", 88);

	/* A reply reaches the goal: the sequence ends for them. */
	assert_true(asprintf(&r, "From: camp1@example.org\nSubject: Re: Hello\n"
	    "References: <hearth.%llu.77@hearth.example>\n\nYes!\n",
	    (unsigned long long)m1) > 0);
	assert_int_equal(apply(e, r).s.replies, 1);
	en = enrolment(e, c1);
	assert_string_equal(json_string_value(json_object_get(en, "state")), "done");
	assert_string_equal(json_string_value(json_object_get(en, "why")), "goal:replied");
	json_decref(en);

	/* A hard bounce stops it. */
	d = dsn(m2, 88, "camp2@example.org", "5.1.1", "failed");
	assert_int_equal(apply(e, d).s.hard, 1);
	en = enrolment(e, c2);
	assert_string_equal(json_string_value(json_object_get(en, "state")), "stopped");
	assert_string_equal(json_string_value(json_object_get(en, "why")), "bounced");
	json_decref(en);
	free(r);
	free(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_hard_bounce, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unmatched, setup, teardown),
		cmocka_unit_test_setup_teardown(test_soft_then_hard, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reply, setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_and_unreadable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_campaign_signals, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
