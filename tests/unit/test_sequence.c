/* test_sequence.c: the engine on a simulated clock: steps, branches, windows, cap, waves, two workers */
#include <signal.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "campaign_fixture.h"
#include "crm/cap.h"
#include "crm/community.h"
#include "crm/notice.h"

#define DAY 86400

static void
at(int64_t t)
{
	clock_set_offset(0);
	clock_set_offset(t - clock_now());
}

/* The next 20:00:00 UTC from now (a Wednesday or not: windows here do not
 * care about weekdays unless a test says so). */
static int64_t
evening(void)
{
	int64_t now = clock_now();
	int64_t day = now - now % DAY;

	return day + DAY + 20 * 3600;
}

static uint64_t
mail_field(json_t *mail, const char *k)
{
	return (uint64_t)json_integer_value(json_object_get(mail, k));
}

/* ---- the three-step sequence ---- */

static const char *
three_steps(uint64_t pool)
{
	static char buf[2048];

	snprintf(buf, sizeof buf, "{\"name\":\"Nurture\",\"pools\":[%llu],\"auto\":true,"
	    "\"goal\":\"replied\",\"steps\":["
	    "{\"type\":\"email\",\"variants\":[{\"subject\":\"Hello {{first_name}}\","
	    "\"body\":\"Welcome\"}]},"
	    "{\"type\":\"wait\",\"days\":3},"
	    "{\"type\":\"branch\",\"on\":\"clicked\",\"goto\":5},"
	    "{\"type\":\"email\",\"variants\":[{\"subject\":\"B\",\"body\":\"Did you see?\"}]},"
	    "{\"type\":\"exit\"},"
	    "{\"type\":\"email\",\"variants\":[{\"subject\":\"A\",\"body\":\"Glad you liked it\"}]}"
	    "]}", (unsigned long long)pool);
	return buf;
}

struct sig {
	uint64_t cand, mail;
	enum camp_signal sig;
	int64_t at;
};

static int
sig_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct sig *s = arg;

	return campaign_signal(st, txn, s->cand, s->mail, s->sig, s->at);
}

static void
send_signal(struct env *e, uint64_t cand, uint64_t mail, enum camp_signal sig)
{
	struct sig s = { cand, mail, sig, clock_now() };

	assert_int_equal(store_txn(e->st, sig_txn, &s), HE_OK);
}

static void
test_three_steps(void **state)
{
	struct env *e = *state;
	int64_t t0 = clock_now();
	uint64_t pool = fx_pool(e, "P"), camp = fx_campaign(e, three_steps(pool), 1);
	uint64_t clicker, quiet;
	json_t *m1, *m2, *en, *stats;
	char buf[128], why[32];

	snprintf(buf, sizeof buf, "{\"pools\":[%llu],\"name\":\"Cleo Click\","
	    "\"email\":\"cleo@example.org\"}", (unsigned long long)pool);
	clicker = fx_cand(e, buf);
	snprintf(buf, sizeof buf, "{\"pools\":[%llu],\"name\":\"Quinn\","
	    "\"email\":\"quinn@example.org\"}", (unsigned long long)pool);
	quiet = fx_cand(e, buf);

	assert_int_equal(fx_run(e), 2);
	m1 = fx_mails(e, clicker);
	m2 = fx_mails(e, quiet);
	assert_int_equal(json_array_size(m1), 1);
	assert_int_equal(json_array_size(m2), 1);
	{
		json_t *m = json_array_get(m1, 0);

		/* Exactly what ws S's sender reads. */
		assert_string_equal(json_string_value(json_object_get(m, "kind")), "campaign");
		assert_int_equal(mail_field(m, "cand"), clicker);
		assert_string_equal(json_string_value(json_object_get(m, "to")),
		    "cleo@example.org");
		assert_string_equal(json_string_value(json_object_get(m, "to_name")),
		    "Cleo Click");
		assert_int_equal(mail_field(m, "camp"), camp);
		assert_int_equal(mail_field(m, "step"), 0);
		assert_int_equal(mail_field(m, "variant"), 0);
		assert_string_equal(json_string_value(json_object_get(m, "state")), "queued");
		assert_int_equal(mail_field(m, "attempts"), 0);
		assert_true(json_is_true(json_object_get(m, "marketing")));
		assert_true((int64_t)mail_field(m, "due") >= t0);
		assert_true((int64_t)mail_field(m, "due") <= clock_now());
		assert_true((int64_t)mail_field(m, "created") / 1000000 >= t0);
		assert_int_equal(json_object_size(m), 13);	/* 12 and our "id" */
	}
	en = fx_enrol(e, camp, clicker);
	assert_int_equal(json_integer_value(json_object_get(en, "step")), 2);
	assert_true(json_integer_value(json_object_get(en, "due")) >= t0 + 3 * DAY);
	assert_int_equal(json_integer_value(json_object_get(en, "last_mail")),
	    mail_field(json_array_get(m1, 0), "id"));
	json_decref(en);

	/* Cleo clicks (twice: counted once); Quinn does nothing. */
	send_signal(e, clicker, mail_field(json_array_get(m1, 0), "id"), CAMP_SIG_CLICK);
	send_signal(e, clicker, mail_field(json_array_get(m1, 0), "id"), CAMP_SIG_CLICK);
	assert_int_equal(fx_stat(e, camp, 0, 0, "clicked"), 1);
	json_decref(m1);
	json_decref(m2);

	/* Nothing is due before three days have passed. */
	assert_int_equal(fx_run(e), 0);
	at(t0 + 3 * DAY - 120);
	assert_int_equal(fx_run(e), 0);
	at(t0 + 3 * DAY + 60);
	assert_int_equal(fx_run(e), 2);
	assert_int_equal(fx_run(e), 0);

	m1 = fx_mails(e, clicker);
	m2 = fx_mails(e, quiet);
	assert_int_equal(json_array_size(m1), 2);
	assert_int_equal(json_array_size(m2), 2);
	assert_int_equal(mail_field(json_array_get(m1, 1), "step"), 5);	/* A */
	assert_int_equal(mail_field(json_array_get(m2, 1), "step"), 3);	/* B */
	assert_string_equal(fx_state(e, camp, clicker, why, sizeof why), "done");
	assert_string_equal(why, "end");
	assert_string_equal(fx_state(e, camp, quiet, why, sizeof why), "done");
	assert_string_equal(why, "exit");
	json_decref(m1);
	json_decref(m2);

	/* The outbox may still send the last mails of ended sequences. */
	assert_int_equal(campaign_mail_allowed(e->st, NULL, camp, clicker), HE_OK);
	assert_int_equal(campaign_mail_allowed(e->st, NULL, camp, quiet), HE_OK);
	assert_int_equal(campaign_mail_allowed(e->st, NULL, camp, 4242), HE_NOTFOUND);

	/* Months later: nothing more. */
	at(t0 + 90 * DAY);
	assert_int_equal(fx_run(e), 0);
	assert_int_equal(fx_stat(e, camp, 0, 0, "sent"), 2);
	assert_int_equal(fx_stat(e, camp, 3, 0, "sent"), 1);
	assert_int_equal(fx_stat(e, camp, 5, 0, "sent"), 1);
	assert_int_equal(campaign_stats(e->st, camp, &stats), HE_OK);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(
	    json_object_get(json_object_get(stats, "steps"), "0"), "0"), "sent")), 2);
	assert_int_equal(json_integer_value(json_object_get(stats, "active")), 0);
	json_decref(stats);
}

static void
test_reply_ends(void **state)
{
	struct env *e = *state;
	uint64_t pool = fx_pool(e, "P"), camp = fx_campaign(e, three_steps(pool), 1);
	uint64_t c;
	char buf[64], why[32];
	json_t *rows;
	size_t total, unread;

	snprintf(buf, sizeof buf, "{\"pools\":[%llu]}", (unsigned long long)pool);
	c = fx_cand(e, buf);
	assert_int_equal(fx_run(e), 1);
	/* A reply matched to no particular mail: the latest of each enrolment. */
	send_signal(e, c, 0, CAMP_SIG_REPLY);
	assert_string_equal(fx_state(e, camp, c, why, sizeof why), "done");
	assert_string_equal(why, "goal:replied");
	assert_int_equal(fx_stat(e, camp, 0, 0, "replied"), 1);
	assert_int_equal(fx_stat(e, camp, 0, 0, "converted"), 1);
	/* The campaign's owner (user 9; the person has none) is told. */
	assert_int_equal(notice_list(e->st, 9, 1, 10, &rows, &total, &unread), HE_OK);
	assert_int_equal(total, 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 0),
	    "kind")), "reply");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(rows, 0),
	    "cand")), c);
	json_decref(rows);
	at(clock_now() + 10 * DAY);
	assert_int_equal(fx_run(e), 0);
	rows = fx_mails(e, c);
	assert_int_equal(json_array_size(rows), 1);
	json_decref(rows);
}

/* Stopping mid-sequence: nothing more goes out. */
static void
test_stop_mid_sequence(void **state)
{
	struct env *e = *state;
	int64_t t0 = clock_now();
	uint64_t pool = fx_pool(e, "P"), camp = fx_campaign(e, three_steps(pool), 1);
	uint64_t p[5];
	char buf[64], why[32];
	static const char *const want[] = { "unsubscribed", "paused", "do_not_contact",
		"left_pool", "bounced" };

	snprintf(buf, sizeof buf, "{\"pools\":[%llu]}", (unsigned long long)pool);
	for (int i = 0; i < 5; i++)
		p[i] = fx_cand(e, buf);
	assert_int_equal(fx_run(e), 5);
	fx_edit(e, p[0], "consent", json_string("withdrawn"));
	fx_edit(e, p[1], "prefs", json_pack("{s:I}", "paused_until",
	    (json_int_t)(t0 + 30 * DAY)));
	fx_edit(e, p[2], "status", json_string("do_not_contact"));
	assert_int_equal(pool_member_change(e->st, pool, p[3], 0), HE_OK);
	fx_edit(e, p[4], "email_invalid", json_true());
	at(t0 + 4 * DAY);
	assert_int_equal(fx_run(e), 0);
	for (int i = 0; i < 5; i++) {
		json_t *m = fx_mails(e, p[i]);

		assert_int_equal(json_array_size(m), 1);
		json_decref(m);
		assert_string_equal(fx_state(e, camp, p[i], why, sizeof why), "stopped");
		assert_string_equal(why, want[i]);
		/* A mail of theirs still queued is not to go. */
		assert_int_equal(campaign_mail_allowed(e->st, NULL, camp, p[i]), HE_INVALID);
	}
	assert_int_equal(fx_stat(e, camp, 0, 0, "unsubscribed"), 1);
}

/* A pause in the preference centre that ran out, the person not written
 * since: the engine checks at the step itself. */
static void
test_checks_at_send(void **state)
{
	struct env *e = *state;
	uint64_t pool = fx_pool(e, "P"), camp, c;
	char buf[128], why[32];

	snprintf(buf, sizeof buf, "{\"name\":\"S\",\"pools\":[%llu],\"steps\":["
	    "{\"type\":\"email\",\"variants\":[{\"subject\":\"s\",\"body\":\"b\"}]}]}",
	    (unsigned long long)pool);
	camp = fx_campaign(e, buf, 1);
	c = fx_cand(e, "{}");
	assert_int_equal(campaign_enrol(e->st, camp, c, 1), HE_OK);
	/* Written around the hook, as an older writer would have. */
	{
		json_t *rec;

		assert_int_equal(store_cand_get(e->st, NULL, c, 0, &rec), HE_OK);
		json_object_set_new(rec, "status", json_string("do_not_contact"));
		assert_int_equal(store_cand_put(e->st, NULL, c, rec), HE_OK);
		json_decref(rec);
	}
	assert_int_equal(fx_run(e), 1);
	assert_string_equal(fx_state(e, camp, c, why, sizeof why), "stopped");
	assert_string_equal(why, "do_not_contact");
	{
		json_t *m = fx_mails(e, c);

		assert_int_equal(json_array_size(m), 0);
		json_decref(m);
	}
}

/* ---- send windows and the cap ---- */

static void
test_send_window(void **state)
{
	struct env *e = *state;
	int64_t t = evening();	/* 20:00 UTC */
	uint64_t pool = fx_pool(e, "P"), camp, c, q;
	char buf[256];
	json_t *en, *m;

	at(t);
	snprintf(buf, sizeof buf, "{\"name\":\"Office hours\",\"pools\":[%llu],"
	    "\"window\":{\"from\":9,\"to\":17},\"steps\":["
	    "{\"type\":\"email\",\"variants\":[{\"subject\":\"s\",\"body\":\"b\"}]}]}",
	    (unsigned long long)pool);
	camp = fx_campaign(e, buf, 1);
	c = fx_cand(e, "{\"city\":\"Nowhere\"}");
	assert_int_equal(campaign_enrol(e->st, camp, c, 1), HE_OK);
	assert_int_equal(fx_run(e), 1);
	m = fx_mails(e, c);
	assert_int_equal(json_array_size(m), 0);
	json_decref(m);
	en = fx_enrol(e, camp, c);
	/* Campaign.TimeZone (UTC): tomorrow 09:00. */
	assert_int_equal(json_integer_value(json_object_get(en, "due")),
	    t - 20 * 3600 + DAY + 9 * 3600);
	assert_int_equal(json_integer_value(json_object_get(en, "step")), 0);
	json_decref(en);
	at(t + 12 * 3600);	/* 08:00 */
	assert_int_equal(fx_run(e), 0);
	at(t + 13 * 3600 + 5);	/* 09:00:05 */
	assert_int_equal(fx_run(e), 1);
	m = fx_mails(e, c);
	assert_int_equal(json_array_size(m), 1);
	json_decref(m);

	/* Quiet hours (Campaign.QuietFrom/To) apply to every campaign. */
	snprintf(buf, sizeof buf, "{\"name\":\"Any time\",\"pools\":[%llu],\"steps\":["
	    "{\"type\":\"email\",\"variants\":[{\"subject\":\"s\",\"body\":\"b\"}]}]}",
	    (unsigned long long)pool);
	e->cfg.quiet_from = 21;
	e->cfg.quiet_to = 8;
	at(t + DAY + 2 * 3600);	/* 22:00 */
	q = fx_campaign(e, buf, 1);
	assert_int_equal(campaign_enrol(e->st, q, c, 1), HE_OK);
	assert_int_equal(fx_run(e), 1);
	en = fx_enrol(e, q, c);
	assert_int_equal(json_integer_value(json_object_get(en, "due")),
	    t - 20 * 3600 + 2 * DAY + 8 * 3600);
	json_decref(en);
}

struct sent {
	uint64_t mail, cand;
	int64_t at;
	int days;
};

/* What ws S's outbox does once the server took a campaign mail. */
static int
sent_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct sent *s = arg;
	json_t *mail;
	int rc;

	if ((rc = store_mail_get(st, txn, s->mail, &mail)) != HE_OK)
		return rc;
	json_object_set_new(mail, "state", json_string("sent"));
	json_object_set_new(mail, "sent", json_integer(s->at));
	json_object_del(mail, "due");
	rc = store_mail_put(st, txn, s->mail, mail);
	json_decref(mail);
	return rc == HE_OK ? cap_note(st, txn, s->cand, s->at, s->days) : rc;
}

/* The window is the person's local time: Tokyo (UTC+9, no DST) from the
 * country, through the time-zone table that Campaign.TimeZoneTable names. */
static void
test_send_window_local(void **state)
{
	struct env *e = *state;
	int64_t t = evening();	/* 20:00 UTC: 05:00 in Tokyo */
	uint64_t pool = fx_pool(e, "P"), camp, tokyo, here;
	char buf[256];
	json_t *en;
	HDF *conf;

	assert_null(hdf_init(&conf));
	assert_null(hdf_set_value(conf, "Campaign.TimeZoneTable", "conf/timezones.tsv"));
	assert_null(hdf_set_value(conf, "Campaign.QuietFrom", "0"));
	assert_null(hdf_set_value(conf, "Campaign.QuietTo", "0"));
	assert_null(hdf_set_value(conf, "Campaign.CapMails", "0"));
	assert_int_equal(campaign_cfg_load(conf, &e->cfg), HE_OK);
	hdf_destroy(&conf);
	at(t);
	snprintf(buf, sizeof buf, "{\"name\":\"Office hours\",\"pools\":[%llu],"
	    "\"window\":{\"from\":9,\"to\":17},\"steps\":["
	    "{\"type\":\"email\",\"variants\":[{\"subject\":\"s\",\"body\":\"b\"}]}]}",
	    (unsigned long long)pool);
	camp = fx_campaign(e, buf, 1);
	tokyo = fx_cand(e, "{\"city\":\"Osaka\",\"country\":\"Japan\"}");
	here = fx_cand(e, "{\"country\":\"Atlantis\"}");
	assert_int_equal(campaign_enrol(e->st, camp, tokyo, 1), HE_OK);
	assert_int_equal(campaign_enrol(e->st, camp, here, 1), HE_OK);
	assert_int_equal(fx_run(e), 2);
	en = fx_enrol(e, camp, tokyo);
	/* 09:00 in Tokyo is 00:00 UTC. */
	assert_int_equal(json_integer_value(json_object_get(en, "due")), t + 4 * 3600);
	json_decref(en);
	en = fx_enrol(e, camp, here);
	/* Unknown: Campaign.TimeZone (UTC), 09:00 UTC. */
	assert_int_equal(json_integer_value(json_object_get(en, "due")), t + 13 * 3600);
	json_decref(en);
}

static void
test_cap_defers(void **state)
{
	struct env *e = *state;
	int64_t t0 = clock_now();
	uint64_t pool = fx_pool(e, "P"), a, b, c;
	char buf[256];
	json_t *m, *en;
	int64_t due;

	e->cfg.cap_mails = 1;
	e->cfg.cap_days = 7;
	snprintf(buf, sizeof buf, "{\"name\":\"One\",\"pools\":[%llu],\"auto\":true,"
	    "\"steps\":[{\"type\":\"email\",\"variants\":[{\"subject\":\"s\",\"body\":"
	    "\"b\"}]}]}", (unsigned long long)pool);
	a = fx_campaign(e, buf, 1);
	b = fx_campaign(e, buf, 1);
	snprintf(buf, sizeof buf, "{\"pools\":[%llu]}", (unsigned long long)pool);
	c = fx_cand(e, buf);
	assert_int_equal(fx_run(e), 2);
	m = fx_mails(e, c);
	assert_int_equal(json_array_size(m), 1);	/* one; the other waits */
	/* The outbox sends it (and notes it for the cap). */
	{
		struct sent s = { mail_field(json_array_get(m, 0), "id"), c, clock_now(), 7 };

		assert_int_equal(store_txn(e->st, sent_txn, &s), HE_OK);
	}
	json_decref(m);
	assert_int_equal(fx_stat(e, a, 0, -1, "deferred") + fx_stat(e, b, 0, -1,
	    "deferred"), 1);
	en = fx_enrol(e, fx_stat(e, a, 0, -1, "deferred") ? a : b, c);
	due = json_integer_value(json_object_get(en, "due"));
	assert_true(due >= t0 + 7 * DAY && due <= clock_now() + 7 * DAY);
	assert_string_equal(json_string_value(json_object_get(en, "state")), "active");
	json_decref(en);
	at(due - 60);
	assert_int_equal(fx_run(e), 0);
	at(due + 1);
	assert_int_equal(fx_run(e), 1);
	m = fx_mails(e, c);
	assert_int_equal(json_array_size(m), 2);	/* deferred, not dropped */
	json_decref(m);
}

/* What a worker's claim does to a mail it is about to send (outbox.c,
 * claim_txn): one attempt, "sending" under its lease. */
static int
claimed_txn(struct store *st, DB_TXN *txn, void *arg)
{
	uint64_t *id = arg;
	json_t *mail;
	int rc;

	if ((rc = store_mail_get(st, txn, *id, &mail)) != HE_OK)
		return rc;
	json_object_set_new(mail, "state", json_string("sending"));
	json_object_set_new(mail, "attempts", json_integer(1));
	json_object_set_new(mail, "due", json_integer(clock_now() + 5));
	json_object_set_new(mail, "claim", json_string("0123456789abcdef"));
	rc = store_mail_put(st, txn, *id, mail);
	json_decref(mail);
	return rc;
}

/*
 * A mail the server has taken but the outbox has not yet recorded is still
 * "sending", and the cap counts it as going now: a person whose next email
 * step comes due meanwhile waits the cap's whole window, though the mail
 * went out long ago. Only once it is recorded does the step go at once.
 * (The e2e kill test moved the clock three days on while the daemon was
 * recording the last step-one mail the server had taken: that person's
 * step three then waited two days.)
 */
static void
test_cap_counts_mail_being_sent(void **state)
{
	struct env *e = *state;
	int64_t t0 = evening() - 8 * 3600, t3;	/* 12:00 UTC */
	uint64_t pool = fx_pool(e, "P"), camp, late, recorded, id;
	char buf[512];
	json_t *m, *en, *h;

	e->cfg.cap_mails = 1;
	e->cfg.cap_days = 2;
	at(t0);
	snprintf(buf, sizeof buf, "{\"name\":\"Two mails\",\"pools\":[%llu],"
	    "\"auto\":true,\"steps\":["
	    "{\"type\":\"email\",\"variants\":[{\"subject\":\"one\",\"body\":\"b\"}]},"
	    "{\"type\":\"wait\",\"days\":3},"
	    "{\"type\":\"email\",\"variants\":[{\"subject\":\"three\",\"body\":\"b\"}]}"
	    "]}", (unsigned long long)pool);
	camp = fx_campaign(e, buf, 1);
	snprintf(buf, sizeof buf, "{\"pools\":[%llu]}", (unsigned long long)pool);
	late = fx_cand(e, buf);
	recorded = fx_cand(e, buf);
	assert_int_equal(fx_run(e), 2);

	/* Both step-one mails go to the server now; one is recorded at once,
	 * the other is still "sending" when the clock moves three days on. */
	m = fx_mails(e, recorded);
	assert_int_equal(json_array_size(m), 1);
	{
		struct sent s = { mail_field(json_array_get(m, 0), "id"), recorded,
		    t0, 2 };

		assert_int_equal(store_txn(e->st, sent_txn, &s), HE_OK);
	}
	json_decref(m);
	m = fx_mails(e, late);
	assert_int_equal(json_array_size(m), 1);
	id = mail_field(json_array_get(m, 0), "id");
	json_decref(m);
	assert_int_equal(store_txn(e->st, claimed_txn, &id), HE_OK);

	t3 = t0 + 3 * DAY + 3600;
	at(t3);
	assert_int_equal(fx_run(e), 2);
	m = fx_mails(e, recorded);
	assert_int_equal(json_array_size(m), 2);	/* step three, at once */
	json_decref(m);
	m = fx_mails(e, late);
	assert_int_equal(json_array_size(m), 1);	/* not yet */
	json_decref(m);
	en = fx_enrol(e, camp, late);
	assert_string_equal(json_string_value(json_object_get(en, "state")), "active");
	assert_int_equal(json_integer_value(json_object_get(en, "step")), 2);
	assert_int_equal(json_integer_value(json_object_get(en, "due")), t3 + 2 * DAY);
	h = json_object_get(en, "history");
	assert_string_equal(json_string_value(json_object_get(json_array_get(h,
	    json_array_size(h) - 1), "what")), "deferred: frequency cap");
	json_decref(en);

	/* Recorded now, as taken at t0: nothing is in the cap's window, but the
	 * step waits for the due it was given. */
	{
		struct sent s = { id, late, t0, 2 };

		assert_int_equal(store_txn(e->st, sent_txn, &s), HE_OK);
	}
	assert_int_equal(fx_run(e), 0);
	at(t3 + 2 * DAY + 1);
	assert_int_equal(fx_run(e), 1);
	m = fx_mails(e, late);
	assert_int_equal(json_array_size(m), 2);
	json_decref(m);
}

/* ---- variants, pools, notices, states ---- */

static void
test_variants_and_steps(void **state)
{
	struct env *e = *state;
	uint64_t pool = fx_pool(e, "P"), target = fx_pool(e, "Target"), camp, ids[40];
	char buf[1024];
	int seen[2] = { 0, 0 };

	snprintf(buf, sizeof buf, "{\"name\":\"AB\",\"pools\":[%llu],\"auto\":true,"
	    "\"steps\":[{\"type\":\"email\",\"variants\":[{\"subject\":\"A\",\"body\":\"b\"},"
	    "{\"subject\":\"B\",\"body\":\"b\"}],\"ab\":{\"metric\":\"click\",\"auto\":true}},"
	    "{\"type\":\"pool_add\",\"pool\":%llu},{\"type\":\"notify\",\"text\":\"Call them\"},"
	    "{\"type\":\"pool_remove\",\"pool\":%llu},"
	    "{\"type\":\"email\",\"variants\":[{\"subject\":\"never\",\"body\":\"b\"}]}]}",
	    (unsigned long long)pool, (unsigned long long)target, (unsigned long long)pool);
	camp = fx_campaign(e, buf, 1);
	snprintf(buf, sizeof buf, "{\"pools\":[%llu],\"owner\":4}", (unsigned long long)pool);
	for (int i = 0; i < 40; i++)
		ids[i] = fx_cand(e, buf);
	assert_int_equal(fx_run(e), 40);
	for (int i = 0; i < 40; i++) {
		json_t *m = fx_mails(e, ids[i]), *rec, *en;
		char why[32];

		/* Removed from the audience pool by its own step: the last email
		 * never goes. */
		assert_int_equal(json_array_size(m), 1);
		seen[mail_field(json_array_get(m, 0), "variant")]++;
		en = fx_enrol(e, camp, ids[i]);
		assert_int_equal(json_integer_value(json_object_get(json_object_get(en,
		    "variant"), "0")), mail_field(json_array_get(m, 0), "variant"));
		json_decref(en);
		json_decref(m);
		assert_int_equal(store_cand_get(e->st, NULL, ids[i], 0, &rec), HE_OK);
		assert_int_equal(json_array_size(json_object_get(rec, "pools")), 1);
		assert_int_equal(json_integer_value(json_array_get(json_object_get(rec,
		    "pools"), 0)), target);
		json_decref(rec);
		assert_string_equal(fx_state(e, camp, ids[i], why, sizeof why), "stopped");
		assert_string_equal(why, "left_pool");
	}
	/* Random split: both versions went out. */
	assert_true(seen[0] > 0 && seen[1] > 0);
	assert_int_equal(fx_stat(e, camp, 0, 0, "sent") + fx_stat(e, camp, 0, 1, "sent"),
	    40);
	{
		json_t *rows;
		size_t total, unread;

		/* The candidates' owner, not the campaign's. */
		assert_int_equal(notice_list(e->st, 4, 1, 50, &rows, &total, &unread), HE_OK);
		assert_int_equal(total, 40);
		assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 0),
		    "text")), "Call them");
		json_decref(rows);
	}
}

static int
click_txn(struct store *st, DB_TXN *txn, void *arg)
{
	json_t *m = arg;

	return campaign_signal(st, txn, mail_field(m, "cand"), mail_field(m, "id"),
	    CAMP_SIG_CLICK, clock_now());
}

/* A/B with the automatic switch: once one version is significantly better
 * (Campaign.ABMinSends sends each), everyone gets it. */
static void
test_ab_auto_winner(void **state)
{
	struct env *e = *state;
	uint64_t pool = fx_pool(e, "P"), camp, id;
	char buf[1024];
	int clicked0 = 0;
	json_t *c, *rows, *s;
	size_t total, unread;
	json_int_t gen;

	e->cfg.ab_min_sends = 10;
	snprintf(buf, sizeof buf, "{\"name\":\"AB\",\"pools\":[%llu],\"steps\":[{\"type\":"
	    "\"email\",\"variants\":[{\"subject\":\"A\",\"body\":\"b\"},{\"subject\":\"B\","
	    "\"body\":\"b\"}],\"ab\":{\"metric\":\"click\",\"auto\":true}}]}",
	    (unsigned long long)pool);
	camp = fx_campaign(e, buf, 1);
	for (int i = 0; i < 60; i++)
		assert_int_equal(campaign_enrol(e->st, camp, fx_cand(e, "{}"), 1), HE_OK);
	at(clock_now() + 120);	/* the engine reads the counters once a minute */
	assert_int_equal(fx_run(e), 60);
	assert_true(fx_stat(e, camp, 0, 0, "sent") >= 10);
	assert_true(fx_stat(e, camp, 0, 1, "sent") >= 10);
	/* Looked at (10 sends each, maybe 20): nothing to tell yet. */
	assert_int_equal(campaign_get(e->st, camp, &c), HE_OK);
	s = json_array_get(json_object_get(c, "steps"), 0);
	assert_true(json_integer_value(json_object_get(s, "ab_looks")) >= 1);
	assert_null(json_object_get(s, "winner"));
	gen = json_integer_value(json_object_get(c, "gen"));
	json_decref(c);
	/* Everyone who got B clicks; two of those who got A. */
	for (uint64_t cand = 1; cand < 200; cand++) {
		json_t *m = fx_mails(e, cand);

		if (json_array_size(m) == 1 && (mail_field(json_array_get(m, 0),
		    "variant") == 1 || clicked0++ < 2))
			assert_int_equal(store_txn(e->st, click_txn, json_array_get(m, 0)),
			    HE_OK);
		json_decref(m);
	}
	/* The clicks alone bring no look: the next is at 40 sends each. */
	at(clock_now() + 120);
	fx_run(e);
	assert_int_equal(campaign_get(e->st, camp, &c), HE_OK);
	s = json_array_get(json_object_get(c, "steps"), 0);
	assert_null(json_object_get(s, "winner"));
	assert_int_equal(json_integer_value(json_object_get(c, "gen")), gen);
	json_decref(c);
	/* 200 more (none of whom clicks): past 80 each, one look, B wins. */
	for (int i = 0; i < 200; i++)
		assert_int_equal(campaign_enrol(e->st, camp, fx_cand(e, "{}"), 1), HE_OK);
	at(clock_now() + 120);
	fx_run(e);
	assert_true(fx_stat(e, camp, 0, 0, "sent") >= 80);
	assert_true(fx_stat(e, camp, 0, 1, "sent") >= 80);
	assert_int_equal(campaign_get(e->st, camp, &c), HE_OK);
	s = json_array_get(json_object_get(c, "steps"), 0);
	assert_int_equal(json_integer_value(json_object_get(s, "winner")), 1);
	assert_int_equal(json_integer_value(json_object_get(s, "ab_looks")), 4);
	assert_int_equal(json_integer_value(json_object_get(c, "gen")), gen + 1);
	json_decref(c);
	assert_int_equal(notice_list(e->st, 9, 1, 10, &rows, &total, &unread), HE_OK);
	assert_int_equal(total, 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 0),
	    "kind")), "ab_winner");
	json_decref(rows);
	for (int i = 0; i < 10; i++) {
		json_t *m;

		id = fx_cand(e, "{}");
		assert_int_equal(campaign_enrol(e->st, camp, id, 1), HE_OK);
		fx_run(e);
		m = fx_mails(e, id);
		assert_int_equal(mail_field(json_array_get(m, 0), "variant"), 1);
		json_decref(m);
	}
}

struct count {
	uint64_t camp;
	int variant;
	const char *metric;
	int64_t delta;
};

static int
count_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct count *c = arg;

	return campaign_stat_add(st, txn, c->camp, 0, c->variant, c->metric, c->delta);
}

/* Sets the counters of step 0 to sent each and c0, c1 clicks. */
static void
set_counts(struct env *e, uint64_t camp, int64_t sent, int64_t c0, int64_t c1)
{
	int64_t c[2] = { c0, c1 };

	for (int v = 0; v < 2; v++) {
		struct count s = { camp, v, "sent", sent - fx_stat(e, camp, 0, v, "sent") };
		struct count k = { camp, v, "clicked",
			c[v] - fx_stat(e, camp, 0, v, "clicked") };

		assert_int_equal(store_txn(e->st, count_txn, &s), HE_OK);
		assert_int_equal(store_txn(e->st, count_txn, &k), HE_OK);
	}
}

/* The step's winner (-1: none) and its looks after a pass of the engine. */
static int
ab_pass(struct env *e, uint64_t camp, json_int_t *looks)
{
	json_t *c, *s;
	int w;

	at(clock_now() + 120);
	fx_run(e);
	assert_int_equal(campaign_get(e->st, camp, &c), HE_OK);
	s = json_array_get(json_object_get(c, "steps"), 0);
	w = json_is_integer(json_object_get(s, "winner")) ?
	    (int)json_integer_value(json_object_get(s, "winner")) : -1;
	*looks = json_integer_value(json_object_get(s, "ab_looks"));
	json_decref(c);
	return w;
}

/* No peeking: a look only when every version's sends first reach
 * ABMinSends x 2^k, at alpha / 8. Known counts (clicks of sends). */
static void
test_ab_looks(void **state)
{
	struct env *e = *state;
	uint64_t pool = fx_pool(e, "P"), camp;
	json_t *c, *errors = NULL;
	json_int_t looks;
	char buf[1024];

	e->cfg.ab_min_sends = 100;
	snprintf(buf, sizeof buf, "{\"name\":\"AB\",\"pools\":[%llu],\"steps\":[{\"type\":"
	    "\"email\",\"variants\":[{\"subject\":\"A\",\"body\":\"b\"},{\"subject\":\"B\","
	    "\"body\":\"b\"}],\"ab\":{\"metric\":\"click\",\"auto\":true}}]}",
	    (unsigned long long)pool);
	camp = fx_campaign(e, buf, 1);
	/* Below the first threshold: no look however clear. */
	set_counts(e, camp, 99, 0, 60);
	assert_int_equal(ab_pass(e, camp, &looks), -1);
	assert_int_equal(looks, 0);
	/* The first look, at 100 each: 10/100 against 20/100 is p = 0.048,
	 * a winner at 0.05 but not at 0.05 / 8. */
	set_counts(e, camp, 100, 10, 20);
	assert_int_equal(ab_pass(e, camp, &looks), -1);
	assert_int_equal(looks, 1);
	/* Between thresholds: no look, however clear it has become. */
	set_counts(e, camp, 199, 10, 90);
	assert_int_equal(ab_pass(e, camp, &looks), -1);
	assert_int_equal(looks, 1);
	/* An edit does not bring the looks back. */
	assert_int_equal(campaign_get(e->st, camp, &c), HE_OK);
	json_object_del(json_array_get(json_object_get(c, "steps"), 0), "ab_looks");
	assert_int_equal(campaign_update(e->st, camp, json_integer_value(
	    json_object_get(c, "gen")), c, &errors), HE_OK);
	json_decref(c);
	assert_int_equal(ab_pass(e, camp, &looks), -1);
	assert_int_equal(looks, 1);
	/* The second, at 200 each: a clear winner is declared. */
	set_counts(e, camp, 200, 10, 90);
	assert_int_equal(ab_pass(e, camp, &looks), 1);
	assert_int_equal(looks, 2);
}

/* Branches on the engagement level (ws E's engage_level). */
static void
test_branch_on_level(void **state)
{
	struct env *e = *state;
	uint64_t pool = fx_pool(e, "P"), camp, hot, cold;
	char buf[1024];
	json_t *m;

	snprintf(buf, sizeof buf, "{\"name\":\"Lv\",\"pools\":[%llu],\"steps\":["
	    "{\"type\":\"branch\",\"on\":\"hot\",\"goto\":3},"
	    "{\"type\":\"email\",\"variants\":[{\"subject\":\"cold\",\"body\":\"b\"}]},"
	    "{\"type\":\"exit\"},"
	    "{\"type\":\"email\",\"variants\":[{\"subject\":\"hot\",\"body\":\"b\"}]}]}",
	    (unsigned long long)pool);
	camp = fx_campaign(e, buf, 1);
	snprintf(buf, sizeof buf, "{\"eng\":{\"s\":50.0,\"t\":%lld},\"level\":\"hot\"}",
	    (long long)clock_now());
	hot = fx_cand(e, buf);
	cold = fx_cand(e, "{}");
	assert_int_equal(campaign_enrol(e->st, camp, hot, 1), HE_OK);
	assert_int_equal(campaign_enrol(e->st, camp, cold, 1), HE_OK);
	assert_int_equal(fx_run(e), 2);
	m = fx_mails(e, hot);
	assert_int_equal(mail_field(json_array_get(m, 0), "step"), 3);
	json_decref(m);
	m = fx_mails(e, cold);
	assert_int_equal(mail_field(json_array_get(m, 0), "step"), 1);
	json_decref(m);
}

static void
test_winner_by_hand(void **state)
{
	struct env *e = *state;
	uint64_t pool = fx_pool(e, "P"), camp, id;
	char buf[1024];
	json_t *c, *errors = NULL;

	snprintf(buf, sizeof buf, "{\"name\":\"AB\",\"pools\":[%llu],\"steps\":[{\"type\":"
	    "\"email\",\"variants\":[{\"subject\":\"A\",\"body\":\"b\"},{\"subject\":\"B\","
	    "\"body\":\"b\"}],\"winner\":1}]}", (unsigned long long)pool);
	camp = fx_campaign(e, buf, 1);
	for (int i = 0; i < 20; i++) {
		json_t *m;

		id = fx_cand(e, "{}");
		assert_int_equal(campaign_enrol(e->st, camp, id, 1), HE_OK);
		assert_int_equal(fx_run(e), 1);
		m = fx_mails(e, id);
		assert_int_equal(mail_field(json_array_get(m, 0), "variant"), 1);
		json_decref(m);
	}
	assert_int_equal(campaign_get(e->st, camp, &c), HE_OK);
	json_object_set_new(json_array_get(json_object_get(c, "steps"), 0), "winner",
	    json_integer(5));
	assert_int_equal(campaign_update(e->st, camp, json_integer_value(json_object_get(c,
	    "gen")), c, &errors), HE_INVALID);
	assert_non_null(json_object_get(errors, "steps.0.winner"));
	json_decref(errors);
	json_decref(c);
}

static void
test_pause_and_archive(void **state)
{
	struct env *e = *state;
	uint64_t pool = fx_pool(e, "P"), camp = fx_campaign(e, three_steps(pool), 1);
	uint64_t c[3];
	char buf[64], why[32];

	snprintf(buf, sizeof buf, "{\"pools\":[%llu]}", (unsigned long long)pool);
	assert_int_equal(campaign_set_state(e->st, camp, "paused", 9), HE_OK);
	/* Paused: enrolled by hand, nobody's step runs. */
	for (int i = 0; i < 3; i++) {
		c[i] = fx_cand(e, "{}");
		assert_int_equal(campaign_enrol(e->st, camp, c[i], 1), HE_OK);
	}
	assert_int_equal(fx_run(e), 0);
	assert_int_equal(campaign_set_state(e->st, camp, "active", 9), HE_OK);
	assert_int_equal(fx_run(e), 3);
	/* Archived: every active enrolment stops, due or not. */
	assert_int_equal(campaign_set_state(e->st, camp, "archived", 9), HE_OK);
	assert_int_equal(fx_run(e), 3);
	for (int i = 0; i < 3; i++) {
		assert_string_equal(fx_state(e, camp, c[i], why, sizeof why), "stopped");
		assert_string_equal(why, "campaign_archived");
	}
	assert_int_equal(fx_stat(e, camp, -1, -1, "active"), 0);
}

/* ---- two workers ---- */

static void
worker_child(const char *dir, const struct campaign_cfg *cfg)
{
	struct store *st;
	size_t done;
	int more, rounds = 0;

	if (store_open(&st, dir, 32, 0) != HE_OK)
		_exit(2);
	do {
		if (campaign_run_due(st, cfg, 7, &done, &more) != HE_OK)
			_exit(3);
	} while ((more || rounds < 5) && ++rounds < 10000);
	store_close(st);
	_exit(0);
}

static void
two_workers(struct env *e)
{
	pid_t pids[2];
	int status;

	store_close(e->st);	/* never across fork() */
	e->st = NULL;
	for (int i = 0; i < 2; i++) {
		if ((pids[i] = fork()) == 0)
			worker_child(e->dir, &e->cfg);
		assert_true(pids[i] > 0);
	}
	for (int i = 0; i < 2; i++) {
		assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	assert_int_equal(store_open(&e->st, e->dir, 32, 0), HE_OK);
}

static void
test_two_workers(void **state)
{
	struct env *e = *state;
	int64_t t0 = clock_now();
	uint64_t pool = fx_pool(e, "P"), camp, ids[60];
	char buf[512];

	snprintf(buf, sizeof buf, "{\"name\":\"Twice\",\"pools\":[%llu],\"auto\":true,"
	    "\"steps\":[{\"type\":\"email\",\"variants\":[{\"subject\":\"one\",\"body\":\"b\"}]},"
	    "{\"type\":\"wait\",\"hours\":1},"
	    "{\"type\":\"email\",\"variants\":[{\"subject\":\"two\",\"body\":\"b\"}]}]}",
	    (unsigned long long)pool);
	camp = fx_campaign(e, buf, 1);
	snprintf(buf, sizeof buf, "{\"pools\":[%llu]}", (unsigned long long)pool);
	for (int i = 0; i < 60; i++)
		ids[i] = fx_cand(e, buf);
	two_workers(e);
	at(t0 + 3600 + 60);
	two_workers(e);
	for (int i = 0; i < 60; i++) {
		json_t *m = fx_mails(e, ids[i]);
		char why[32];

		assert_int_equal(json_array_size(m), 2);
		assert_int_equal(mail_field(json_array_get(m, 0), "step"), 0);
		assert_int_equal(mail_field(json_array_get(m, 1), "step"), 2);
		json_decref(m);
		assert_string_equal(fx_state(e, camp, ids[i], why, sizeof why), "done");
	}
	assert_int_equal(fx_stat(e, camp, 0, 0, "sent"), 60);
	assert_int_equal(fx_stat(e, camp, 2, 0, "sent"), 60);
}

/* ---- a wave of 10,000, killed halfway ---- */

struct bulk {
	uint64_t first, pool;
	int n;
};

static int
bulk_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct bulk *b = arg;
	struct cand_batch *cb = cand_batch_new();
	int rc = cb ? HE_OK : HE_NOMEM;

	for (int i = 0; rc == HE_OK && i < b->n; i++) {
		uint64_t id = b->first + (uint64_t)i;
		json_t *rec = json_pack("{s:s, s:s, s:s, s:[I]}", "email", "w@example.org",
		    "email_key", "", "consent", "confirmed", "pools", (json_int_t)b->pool);
		char k[32];

		snprintf(k, sizeof k, "w%llu", (unsigned long long)id);
		json_object_set_new(rec, "email_key", json_string(k));
		rc = cand_batch_write(cb, st, txn, id, NULL, rec);
		json_decref(rec);
	}
	if (rc == HE_OK)
		rc = cand_batch_flush(cb, st, txn);
	cand_batch_free(cb);
	return rc;
}

static size_t
count_enrolments(struct env *e, uint64_t camp)
{
	DB *db = e->st->db[STORE_ENROL];
	DBC *cur;
	unsigned char start[16];
	DBT k = { .data = start, .size = 16, .ulen = 16, .flags = DB_DBT_USERMEM };
	DBT d = { .flags = DB_DBT_PARTIAL };
	size_t n = 0;
	int ret;

	store_u64_key(camp, start);
	memset(start + 8, 0, 8);
	assert_int_equal(db->cursor(db, NULL, &cur, 0), 0);
	for (ret = cur->get(cur, &k, &d, DB_SET_RANGE); ret == 0 &&
	    store_u64_from(start) == camp; ret = cur->get(cur, &k, &d, DB_NEXT))
		n++;
	cur->close(cur);
	return n;
}

static void
no_report(const char *line, void *ctx)
{
	(void)ctx;
	print_error("verify: %s\n", line);
}

static void
test_wave_killed(void **state)
{
	struct env *e = *state;
	uint64_t pool = fx_pool(e, "Big"), camp, wave;
	size_t n, done, total;
	char buf[512];
	pid_t pid;
	int status;

	/* Candidates in bulk, 500 a transaction. */
	for (int i = 0; i < 20; i++) {
		struct bulk b = { 0, pool, 500 };

		assert_int_equal(store_next_ids(e->st, SEQ_CANDIDATE, 500, &b.first), HE_OK);
		assert_int_equal(store_txn(e->st, bulk_txn, &b), HE_OK);
	}
	snprintf(buf, sizeof buf, "{\"name\":\"Everyone\",\"pools\":[%llu],\"steps\":["
	    "{\"type\":\"email\",\"variants\":[{\"subject\":\"s\",\"body\":\"b\"}]}]}",
	    (unsigned long long)pool);
	camp = fx_campaign(e, buf, 1);
	/* Paused: only the wave's expansion is at work here. */
	assert_int_equal(campaign_set_state(e->st, camp, "paused", 9), HE_OK);
	assert_int_equal(campaign_enrol_pool(e->st, camp, pool, 3, &wave, &n), HE_OK);
	assert_int_equal(n, 10000);
	assert_int_equal(campaign_wave_progress(e->st, wave, &done, &total), HE_OK);
	assert_int_equal(done, 0);
	assert_int_equal(total, 10000);

	/* One call: one batch. */
	e->cfg.batch = 100;
	{
		int more;

		assert_int_equal(campaign_run_due(e->st, &e->cfg, 10, &done, &more), HE_OK);
		assert_true(more);
		assert_int_equal(campaign_wave_progress(e->st, wave, &done, &total), HE_OK);
		assert_int_equal(done, 100);
	}

	/* A worker expands it and is killed at some moment, mid-transaction as
	 * likely as not: past 3,000 people, a timer whose signal's default
	 * action ends the process wherever it is. */
	store_close(e->st);	/* never across fork() */
	e->st = NULL;
	if ((pid = fork()) == 0) {
		struct store *st;
		struct itimerval kill_in = { { 0, 0 }, { 0, 0 } };
		size_t d, w, t;
		int more, armed = 0;

		if (store_open(&st, e->dir, 32, 0) != HE_OK)
			_exit(2);
		for (;;) {
			if (campaign_run_due(st, &e->cfg, 10, &d, &more) != HE_OK)
				_exit(3);
			if (!armed && campaign_wave_progress(st, wave, &w, &t) == HE_OK &&
			    w >= 3000) {
				kill_in.it_value.tv_usec = 1 + (long)randombytes_uniform(3000);
				setitimer(ITIMER_REAL, &kill_in, NULL);
				armed = 1;
			}
		}
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGALRM);
	/* The next open finds a dead process registered and recovers. */
	assert_int_equal(store_open(&e->st, e->dir, 32, 0), HE_OK);
	assert_int_equal(campaign_wave_progress(e->st, wave, &done, &total), HE_OK);
	assert_true(done < 10000);
	assert_int_equal(done % 100, 0);	/* whole batches only */
	assert_int_equal(count_enrolments(e, camp), done);
	assert_int_equal(fx_stat(e, camp, -1, -1, "enrolled"), (int64_t)done);

	fx_run(e);
	assert_int_equal(campaign_wave_progress(e->st, wave, &done, &total), HE_OK);
	assert_int_equal(done, 10000);
	assert_int_equal(count_enrolments(e, camp), 10000);
	assert_int_equal(fx_stat(e, camp, -1, -1, "enrolled"), 10000);
	assert_int_equal(fx_stat(e, camp, -1, -1, "members"), 10000);
	assert_int_equal(fx_stat(e, camp, -1, -1, "active"), 10000);

	/* Every enrolment is in the due and per-person indexes, nothing else. */
	{
		size_t problems = 99;

		assert_int_equal(store_verify(e->st, no_report, NULL, &problems), HE_OK);
		assert_int_equal(problems, 0);
	}

	/* Again: those enrolled already are skipped. */
	assert_int_equal(campaign_enrol_pool(e->st, camp, pool, 3, &wave, &n), HE_OK);
	fx_run(e);
	assert_int_equal(campaign_wave_progress(e->st, wave, &done, &total), HE_OK);
	assert_int_equal(done, 10000);
	assert_int_equal(fx_stat(e, camp, -1, -1, "enrolled"), 10000);
}

/* HEARTH_CLOCK_OFFSET moves the clock of a process from its first use:
 * this program run again with it prints its clock_now(). */
static void
test_clock_offset_env(void **state)
{
	char cmd[128], line[64];
	FILE *p;
	long long got;
	int64_t before = (int64_t)time(NULL);

	(void)state;
	snprintf(cmd, sizeof cmd, "HEARTH_CLOCK_OFFSET=-259200 /proc/%d/exe --clock",
	    (int)getpid());
	assert_non_null(p = popen(cmd, "r"));
	assert_non_null(fgets(line, sizeof line, p));
	assert_int_equal(pclose(p), 0);
	got = strtoll(line, NULL, 10);
	assert_true(got >= before - 259200 && got <= (int64_t)time(NULL) - 259200 + 1);
}

struct gone {
	uint64_t cand;
};

/* Erasure's path (comm_purge): the record and, through the hook, its
 * enrolments. */
static int
purge_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct comm_purge p = { .cand = ((struct gone *)arg)->cand };
	int rc = comm_purge(st, txn, &p);

	comm_purge_free(&p);
	return rc;
}

/* The record alone, as a path that forgot the enrolments would. */
static int
remove_txn(struct store *st, DB_TXN *txn, void *arg)
{
	uint64_t id = ((struct gone *)arg)->cand;
	json_t *old;
	int rc;

	if ((rc = store_cand_get(st, txn, id, 1, &old)) != HE_OK)
		return rc;
	rc = cand_remove(st, txn, id, old, 1);
	json_decref(old);
	return rc;
}

/* Erased while a wave that holds them is open: not enrolled again. A
 * record gone under an active enrolment: "merged" when it was merged into
 * another, "erased" when not. */
static void
test_gone_people(void **state)
{
	struct env *e = *state;
	uint64_t pool = fx_pool(e, "P"), camp, camp2, wave, ids[4], surv;
	struct cand_query q;
	struct gone g;
	size_t n;
	char buf[1024], why[32];

	snprintf(buf, sizeof buf, "{\"name\":\"W\",\"pools\":[%llu],\"steps\":["
	    "{\"type\":\"wait\",\"days\":1},"
	    "{\"type\":\"email\",\"variants\":[{\"subject\":\"A\",\"body\":\"b\"}]}]}",
	    (unsigned long long)pool);
	camp = fx_campaign(e, buf, 1);
	camp2 = fx_campaign(e, buf, 1);
	for (int i = 0; i < 4; i++)
		ids[i] = fx_cand(e, "{\"tags\":[\"python\"]}");
	cand_query_init(&q);
	q.tags_any.n = 1;
	strcpy(q.tags_any.v[0], "python");
	assert_int_equal(campaign_enrol_query(e->st, camp, &q, 5, &wave, &n), HE_OK);
	assert_int_equal(n, 4);
	g.cand = ids[1];
	assert_int_equal(store_txn(e->st, purge_txn, &g), HE_OK);
	fx_run(e);
	assert_string_equal(fx_state(e, camp, ids[0], NULL, 0), "active");
	assert_string_equal(fx_state(e, camp, ids[1], NULL, 0), "none");
	assert_string_equal(fx_state(e, camp, ids[3], NULL, 0), "active");
	assert_int_equal(fx_stat(e, camp, -1, -1, "enrolled"), 3);
	assert_int_equal(fx_stat(e, camp, -1, -1, "members"), 3);
	{
		size_t done, total;

		assert_int_equal(campaign_wave_progress(e->st, wave, &done, &total), HE_OK);
		assert_int_equal(done, total);
	}

	/* ids[2] merged into surv (the survivor names it), ids[3] removed. */
	assert_int_equal(campaign_enrol(e->st, camp2, ids[2], 1), HE_OK);
	assert_int_equal(campaign_enrol(e->st, camp2, ids[3], 1), HE_OK);
	fx_run(e);
	g.cand = ids[2];
	assert_int_equal(store_txn(e->st, remove_txn, &g), HE_OK);
	snprintf(buf, sizeof buf, "{\"merged_ids\":[%llu]}", (unsigned long long)ids[2]);
	surv = fx_cand(e, buf);
	g.cand = ids[3];
	assert_int_equal(store_txn(e->st, remove_txn, &g), HE_OK);
	at(clock_now() + 2 * DAY);
	fx_run(e);
	assert_string_equal(fx_state(e, camp2, ids[2], why, sizeof why), "stopped");
	assert_string_equal(why, "merged");
	assert_string_equal(fx_state(e, camp2, ids[3], why, sizeof why), "stopped");
	assert_string_equal(why, "erased");
	for (int i = 1; i < 4; i++) {
		json_t *m = fx_mails(e, ids[i]);

		assert_int_equal(json_array_size(m), 0);
		json_decref(m);
	}
	assert_string_equal(fx_state(e, camp2, surv, NULL, 0), "none");
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clock_offset_env),
		cmocka_unit_test_setup_teardown(test_three_steps, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_reply_ends, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_stop_mid_sequence, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_checks_at_send, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_send_window, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_send_window_local, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_cap_defers, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_cap_counts_mail_being_sent, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(test_variants_and_steps, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_winner_by_hand, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_ab_auto_winner, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_ab_looks, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_branch_on_level, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_pause_and_archive, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_two_workers, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_wave_killed, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_gone_people, fx_setup, fx_teardown),
	};

	if (argc == 2 && strcmp(argv[1], "--clock") == 0) {
		printf("%lld\n", (long long)clock_now());
		return 0;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
