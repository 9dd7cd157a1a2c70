/* test_campaign_mail.c: campaign mails rendered and delivered by the
 * outbox, with the send-time checks, the frequency cap and the throttle */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>
#include <sodium.h>

#include "crm/campaign.h"
#include "crm/campaign_mail.h"
#include "crm/candidates.h"
#include "crm/clock.h"
#include "crm/community.h"
#include "crm/outbox.h"
#include "crm/pool.h"
#include "crm/engage.h"
#include "crm/track.h"
#include "store/touch.h"
#include "store/cap.h"
#include "store/entities.h"
#include "store/store.h"
#include "util/he.h"


struct env {
	char dir[64];
	char outbox[96];
	struct comm c;
	struct store *st;
	HDF *conf;
	struct outbox_cfg cfg;
	uint64_t owner, camp;
};

static const char *body_src =
    "Hi {{first_name|there}},\n\nSee https://jobs.example.org/roles/42 for "
    "{{interests}}.\n\n{{owner_signature}}";

static int
setup(void **state)
{
	struct env *e = calloc(1, sizeof *e);
	json_t *user, *camp;

	if (e == NULL || sodium_init() < 0)
		return -1;
	strcpy(e->dir, "/tmp/s5-test-campmail-XXXXXX");
	if (mkdtemp(e->dir) == NULL || store_open(&e->st, e->dir, 8, 0) != HE_OK)
		return -1;
	snprintf(e->outbox, sizeof e->outbox, "%s/outbox", e->dir);
	if (mkdir(e->outbox, 0700) != 0)
		return -1;
	e->c.st = e->st;
	randombytes_buf(e->c.key, sizeof e->c.key);
	store_set_site_key(e->st, e->c.key);
	e->c.policy_version = "1";
	e->c.purpose = "Keep me informed";
	e->c.resume_dir = strdup(e->dir);
	e->c.outbox_dir = strdup(e->outbox);
	if (hdf_init(&e->conf) != STATUS_OK ||
	    hdf_set_value(e->conf, "Site.Name", "Acme") != STATUS_OK ||
	    hdf_set_value(e->conf, "Site.BaseURL", "https://jobs.example") != STATUS_OK ||
	    hdf_set_value(e->conf, "Site.JobFamilies.engineering", "Engineering") != STATUS_OK ||
	    hdf_set_value(e->conf, "Site.JobFamilies.data", "Data and analytics") != STATUS_OK ||
	    hdf_set_value(e->conf, "Web.Templates", "templates") != STATUS_OK ||
	    campaign_mail_configure(e->conf) != HE_OK)
		return -1;
	user = json_pack("{s:s, s:s, s:s, s:s}", "email", "rita@acme.example",
	    "name", "Rita Recruiter", "signature", "Rita\nAcme talent team",
	    "role", "recruiter");
	if (store_user_insert(e->st, NULL, user, &e->owner) != HE_OK)
		return -1;
	json_decref(user);
	{
		json_t *errors = NULL;
		uint64_t pool;

		if (pool_create(e->st, "Audience", NULL, e->owner, &pool) != HE_OK)
			return -1;
		camp = json_pack("{s:s, s:[I], s:b, s:s, s:{s:i, s:i, s:b},"
		    " s:[{s:s, s:[{s:s, s:s}]}, {s:s, s:i, s:i}]}",
		    "name", "Welcome", "pools", (json_int_t)pool, "auto", 0,
		    "goal", "", "window", "from", 0, "to", 24, "weekdays", 0,
		    "steps", "type", "email", "variants", "subject",
		    "Hello {{first_name}}, roles in {{interests}}", "body", body_src,
		    "type", "wait", "days", 30, "hours", 0);
		if (camp == NULL || campaign_create(e->st, camp, e->owner, &e->camp,
		    &errors) != HE_OK || campaign_set_state(e->st, e->camp,
		    "active", e->owner) != HE_OK) {
			char *why = errors ? json_dumps(errors, 0) : NULL;

			fprintf(stderr, "campaign: %s\n", why ? why : "?");
			return -1;
		}
		json_decref(camp);
	}
	e->cfg = (struct outbox_cfg){
		.transport = { .outbox_dir = e->outbox },
		.from = "talent@jobs.example", .from_name = "Acme",
		.msgid_domain = "jobs.example",
		.unsubscribe_address = "talent@jobs.example",
		.retry_seconds = 60, .site = hdf_get_obj(e->conf, "Site"),
		.templates = "templates", .comm = &e->c,
		.cap_mails = 3, .cap_days = 7,
	};
	*state = e;
	return 0;
}

static int
teardown(void **state)
{
	struct env *e = *state;
	char cmd[128];
	int rc;

	comm_cleanup(&e->c);
	store_close(e->st);
	hdf_destroy(&e->conf);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", e->dir);
	rc = system(cmd);
	free(e);
	return rc == 0 ? 0 : -1;
}

struct add {
	json_t *rec;
	uint64_t id;
};

static int
add_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct add *a = arg;
	int rc;

	if ((rc = store_next_id(st, SEQ_CANDIDATE, &a->id)) != HE_OK)
		return rc;
	return cand_write(st, txn, a->id, NULL, a->rec);
}

/* A confirmed member; tracking as they chose. */
static uint64_t
person(struct env *e, const char *first, const char *email, int tracking)
{
	char key[TOK_MACSTRLEN];
	struct add a;

	comm_email_key(&e->c, email, key);
	a.rec = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:[s,s], s:{s:b, s:s},"
	    " s:I, s:s}", "email", email, "email_key", key, "first_name", first,
	    "last_name", "Doe", "name", "Someone Doe", "consent", "confirmed",
	    "interests", "engineering", "data", "prefs", "tracking", tracking,
	    "frequency", "roles", "owner", (json_int_t)e->owner, "status",
	    "engaged");
	assert_int_equal(store_txn(e->st, add_txn, &a), HE_OK);
	json_decref(a.rec);
	assert_int_equal(campaign_enrol(e->st, e->camp, a.id, e->owner), HE_OK);
	return a.id;
}

static uint64_t
queue(struct env *e, const char *kind, uint64_t cand, const char *to)
{
	int64_t now_us = clock_now_us();
	json_t *m = json_pack("{s:s, s:I, s:s, s:s, s:I, s:i, s:i, s:I, s:I,"
	    " s:s, s:i, s:b}", "kind", kind, "cand", (json_int_t)cand, "to", to,
	    "to_name", "Someone Doe", "camp", (json_int_t)e->camp, "step", 0,
	    "variant", 0, "created", (json_int_t)now_us, "due",
	    (json_int_t)(now_us / 1000000), "state", "queued", "attempts", 0,
	    "marketing", 1);
	uint64_t id;

	assert_int_equal(store_mail_insert(e->st, NULL, m, &id), HE_OK);
	json_decref(m);
	return id;
}

static json_t *
mail(struct env *e, uint64_t id)
{
	json_t *m;

	assert_int_equal(store_mail_get(e->st, NULL, id, &m), HE_OK);
	return m;
}

static const char *
state_of(json_t *m)
{
	return json_string_value(json_object_get(m, "state"));
}

/* The .eml of mail id, read whole (malloc'd), or NULL. */
static char *
eml(struct env *e, uint64_t id)
{
	char path[160], *buf;
	FILE *f;
	long n;

	snprintf(path, sizeof path, "%s/%llu.eml", e->outbox,
	    (unsigned long long)id);
	if ((f = fopen(path, "r")) == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return buf;
}

static void
test_render(void **state)
{
	struct env *e = *state;
	uint64_t cand = person(e, "<b>Zoë</b>", "zoe@example.org", 1);
	struct campaign_rendered r;
	json_t *rec, *camp;
	char err[200];

	assert_int_equal(store_cand_get(e->st, NULL, cand, 0, &rec), HE_OK);
	assert_int_equal(campaign_get(e->st, e->camp, &camp), HE_OK);
	assert_int_equal(campaign_mail_render(e->st, &e->c, camp, 0, 0, cand, rec,
	    987, 1, &r, err, sizeof err), HE_OK);
	assert_string_equal(r.subject,
	    "Hello <b>Zoë</b>, roles in Engineering, Data and analytics");
	/* Text: the value as it is, the link tracked, the signature, the
	 * footer's signed links. */
	assert_non_null(strstr(r.text, "Hi <b>Zoë</b>,"));
	assert_non_null(strstr(r.text, "See https://jobs.example/r?m=987&u="
	    "https%3A%2F%2Fjobs.example.org%2Froles%2F42&s="));
	assert_null(strstr(r.text, "See https://jobs.example.org"));
	assert_non_null(strstr(r.text, "Rita\nAcme talent team"));
	assert_non_null(strstr(r.text, "https://jobs.example/preferences?t="));
	assert_non_null(strstr(r.text, "Unsubscribe: https://jobs.example/unsubscribe?t="));
	assert_non_null(r.one_click);
	assert_true(strncmp(r.one_click, "https://jobs.example/unsubscribe/one-click?t=",
	    45) == 0);
	/* HTML: the value escaped, the link tracked (its & escaped), the
	 * pixel, the footer. */
	assert_non_null(strstr(r.html, "&lt;b&gt;Zoë&lt;/b&gt;"));
	assert_null(strstr(r.html, "<b>Zoë"));
	assert_non_null(strstr(r.html, "<a href=\"https://jobs.example/r?m=987&amp;u="
	    "https%3A%2F%2Fjobs.example.org%2Froles%2F42&amp;s="));
	assert_non_null(strstr(r.html, "<img src=\"https://jobs.example/o?m=987&amp;s="));
	assert_non_null(strstr(r.html, "https://jobs.example/preferences?t="));
	assert_non_null(strstr(r.html, ">Unsubscribe</a>"));
	assert_non_null(strstr(r.html, "<title>Hello &lt;b&gt;Zoë"));
	campaign_rendered_free(&r);

	/* Without track_opens: no pixel; a preview: no tracking at all. */
	assert_int_equal(campaign_mail_render(e->st, &e->c, camp, 0, 0, cand, rec,
	    987, 0, &r, err, sizeof err), HE_OK);
	assert_null(strstr(r.html, "/o?m="));
	campaign_rendered_free(&r);
	assert_int_equal(campaign_mail_render(e->st, &e->c, camp, 0, 0, cand, rec,
	    0, 1, &r, err, sizeof err), HE_OK);
	assert_null(strstr(r.html, "/o?m="));
	assert_null(strstr(r.text, "/r?m="));
	assert_non_null(strstr(r.text, "https://jobs.example.org/roles/42"));
	assert_null(strstr(r.text, "?t="));
	assert_null(r.one_click);
	campaign_rendered_free(&r);

	/* No such step or variant. */
	assert_int_equal(campaign_mail_render(e->st, &e->c, camp, 1, 0, cand, rec,
	    1, 0, &r, err, sizeof err), HE_INVALID);
	assert_string_equal(err, "step 2 is not an email");
	assert_int_equal(campaign_mail_render(e->st, &e->c, camp, 0, 3, cand, rec,
	    1, 0, &r, err, sizeof err), HE_INVALID);
	assert_string_equal(err, "step 1 has no variant 4");
	json_decref(camp);
	json_decref(rec);
}

/* Counter metric of the campaign's first step and variant. */
static json_int_t
counted(struct env *e, const char *metric)
{
	json_t *out;
	json_int_t n;

	assert_int_equal(campaign_stats(e->st, e->camp, &out), HE_OK);
	n = json_integer_value(json_object_get(json_object_get(json_object_get(
	    json_object_get(out, "steps"), "0"), "0"), metric));
	json_decref(out);
	return n;
}

static void
test_delivered(void **state)
{
	struct env *e = *state;
	uint64_t a = person(e, "Ann", "ann@example.org", 1);
	uint64_t b = person(e, "Bob", "bob@example.net", 0);
	uint64_t ma = queue(e, "campaign", a, "ann@example.org");
	uint64_t mb = queue(e, "campaign", b, "bob@example.net");
	int64_t t[STORE_CAP_TIMES];
	char *raw;
	size_t sent, n;
	json_t *m;

	assert_int_equal(outbox_deliver_due(e->st, &e->cfg, OUTBOX_BATCH, &sent),
	    HE_OK);
	assert_int_equal(sent, 2);
	assert_non_null(raw = eml(e, ma));
	assert_non_null(strstr(raw, "List-Unsubscribe: <https://jobs.example/"
	    "unsubscribe/one-click?t="));
	assert_non_null(strstr(raw, "List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
	assert_non_null(strstr(raw, "Subject: Hello Ann, roles in Engineering"));
	assert_non_null(strstr(raw, "/o?m="));	/* Ann allowed tracking */
	free(raw);
	assert_non_null(raw = eml(e, mb));
	assert_null(strstr(raw, "/o?m="));	/* Bob did not */
	assert_non_null(strstr(raw, "/r?m="));
	free(raw);
	m = mail(e, ma);
	assert_string_equal(state_of(m), "sent");
	assert_true(json_is_true(json_object_get(m, "pixel")));
	assert_non_null(json_object_get(m, "msgid"));
	json_decref(m);
	m = mail(e, mb);
	assert_null(json_object_get(m, "pixel"));
	json_decref(m);
	assert_int_equal(counted(e, "delivered"), 2);
	assert_int_equal(store_cap_get(e->st, NULL, a, 0, t, &n), HE_OK);
	assert_int_equal(n, 1);
}

struct change {
	uint64_t cand;
	const char *field, *value;
};

static int
change_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct change *c = arg;
	json_t *rec;
	int rc;

	if ((rc = store_cand_get(st, txn, c->cand, 1, &rec)) != HE_OK)
		return rc;
	if (strcmp(c->field, "paused_until") == 0)
		json_object_set_new(json_object_get(rec, "prefs"), c->field,
		    json_integer(clock_now() + 86400));
	else if (strcmp(c->field, "email_invalid") == 0)
		json_object_set_new(rec, c->field, json_true());
	else
		json_object_set_new(rec, c->field, json_string(c->value));
	rc = cand_save(st, txn, c->cand, rec);
	json_decref(rec);
	return rc;
}

/* Whatever changed between queueing and sending is seen at sending. */
static void
test_cancelled_at_send_time(void **state)
{
	struct env *e = *state;
	static const struct { const char *field, *value, *why; } cases[] = {
		{ "consent", "withdrawn", "withdrawn" },
		{ "consent", "expired", "not_confirmed" },
		{ "paused_until", NULL, "paused" },
		{ "status", "do_not_contact", "do_not_contact" },
		{ "email_invalid", NULL, "email_invalid" },
	};
	uint64_t ids[5], ok;
	size_t sent;

	for (size_t i = 0; i < 5; i++) {
		char email[64];
		struct change c;

		snprintf(email, sizeof email, "p%zu@example.org", i);
		c = (struct change){ person(e, "P", email, 0), cases[i].field,
		    cases[i].value };
		ids[i] = queue(e, "campaign", c.cand, email);
		assert_int_equal(store_txn(e->st, change_txn, &c), HE_OK);
	}
	ok = queue(e, "campaign", person(e, "Q", "q@example.org", 0),
	    "q@example.org");
	/* An address suppressed meanwhile (an erasure of the same address). */
	{
		char key[TOK_MACSTRLEN];
		uint64_t s = person(e, "S", "s@example.org", 0), ms;
		json_t *m;

		ms = queue(e, "campaign", s, "s@example.org");
		comm_email_key(&e->c, "s@example.org", key);
		assert_int_equal(store_suppress_put(e->st, NULL, key, clock_now()),
		    HE_OK);
		assert_int_equal(outbox_deliver_due(e->st, &e->cfg, OUTBOX_BATCH,
		    &sent), HE_OK);
		m = mail(e, ms);
		assert_string_equal(state_of(m), "cancelled");
		assert_string_equal(json_string_value(json_object_get(m, "why")),
		    "suppressed");
		json_decref(m);
		assert_int_equal(sent, 1);	/* ok's */
		/* Nothing is due any more: the rest of this test sends none. */
	}
	ok = queue(e, "campaign", person(e, "R", "r@example.org", 0),
	    "r@example.org");
	assert_int_equal(outbox_deliver_due(e->st, &e->cfg, OUTBOX_BATCH, &sent),
	    HE_OK);
	assert_int_equal(sent, 1);
	for (size_t i = 0; i < 5; i++) {
		json_t *m = mail(e, ids[i]);

		assert_string_equal(state_of(m), "cancelled");
		assert_string_equal(json_string_value(json_object_get(m, "why")),
		    cases[i].why);
		assert_null(json_object_get(m, "due"));
		json_decref(m);
		assert_null(eml(e, ids[i]));
	}
	{
		char *raw = eml(e, ok);

		assert_non_null(raw);
		free(raw);
	}
}

/* Over the cap: the mail waits, queued, until the cap frees. */
static void
test_cap_defers(void **state)
{
	struct env *e = *state;
	uint64_t p = person(e, "Cap", "cap@example.org", 0), m1, m2, m3;
	struct outbox_cfg cfg = e->cfg;
	json_t *m;
	size_t sent;
	int64_t until;

	cfg.cap_mails = 2;
	cfg.cap_days = 7;
	m1 = queue(e, "campaign", p, "cap@example.org");
	m2 = queue(e, "campaign", p, "cap@example.org");
	m3 = queue(e, "campaign", p, "cap@example.org");
	assert_int_equal(outbox_deliver_due(e->st, &cfg, OUTBOX_BATCH, &sent),
	    HE_OK);
	assert_int_equal(sent, 2);
	m = mail(e, m3);
	assert_string_equal(state_of(m), "queued");
	until = json_integer_value(json_object_get(m, "deferred_until"));
	assert_in_range(until, clock_now() + 7 * 86400 - 5, clock_now() + 7 * 86400);
	assert_int_equal(json_integer_value(json_object_get(m, "due")), until);
	assert_int_equal(json_integer_value(json_object_get(m, "attempts")), 0);
	json_decref(m);
	assert_int_equal(counted(e, "deferred"), 1);
	/* Nothing more goes now... */
	assert_int_equal(outbox_deliver_due(e->st, &cfg, OUTBOX_BATCH, &sent),
	    HE_OK);
	assert_int_equal(sent, 0);
	/* ...and it goes once the week has passed. */
	clock_set_offset(7 * 86400 + 10);
	assert_int_equal(outbox_deliver_due(e->st, &cfg, OUTBOX_BATCH, &sent),
	    HE_OK);
	clock_set_offset(0);
	assert_int_equal(sent, 1);
	m = mail(e, m3);
	assert_string_equal(state_of(m), "sent");
	json_decref(m);
	(void)m1;
	(void)m2;
}

/* Per-domain rate: the mails over it wait their turn, the others go. */
static void
test_domain_throttle(void **state)
{
	struct env *e = *state;
	struct outbox_cfg cfg = e->cfg;
	uint64_t ids[8];
	size_t sent;
	int sent_a = 0, sent_b = 0;

	cfg.domain_rate = 2;
	for (int i = 0; i < 8; i++) {
		char email[64];

		snprintf(email, sizeof email, "t%d@%s.example", i, i < 5 ? "alpha" :
		    "beta");
		ids[i] = queue(e, "campaign", person(e, "T", email, 0), email);
	}
	assert_int_equal(outbox_deliver_due(e->st, &cfg, OUTBOX_BATCH, &sent),
	    HE_OK);
	assert_int_equal(sent, 4);
	for (int i = 0; i < 8; i++) {
		json_t *m = mail(e, ids[i]);

		if (strcmp(state_of(m), "sent") == 0)
			*(i < 5 ? &sent_a : &sent_b) += 1;
		else
			assert_true(json_integer_value(json_object_get(m, "due")) >
			    clock_now() - 1);
		json_decref(m);
	}
	assert_int_equal(sent_a, 2);
	assert_int_equal(sent_b, 2);
}

/* A test send: to the user, "[Test] ", untracked, no unsubscribe. */
static void
test_test_send(void **state)
{
	struct env *e = *state;
	uint64_t p = person(e, "Tess", "tess@example.org", 1);
	size_t sent;
	char *raw;
	uint64_t id;

	assert_int_equal(campaign_test_send(e->st, e->camp, 0, 0, p, e->owner),
	    HE_OK);
	assert_int_equal(campaign_test_send(e->st, e->camp, 1, 0, p, e->owner),
	    HE_INVALID);
	assert_int_equal(campaign_test_send(e->st, e->camp + 1, 0, 0, p, e->owner),
	    HE_NOTFOUND);
	assert_int_equal(outbox_deliver_due(e->st, &e->cfg, OUTBOX_BATCH, &sent),
	    HE_OK);
	assert_int_equal(sent, 1);
	id = 0;
	for (uint64_t k = 1; k < 100 && id == 0; k++) {
		if ((raw = eml(e, k)) != NULL)
			id = k;
		else
			continue;
		assert_non_null(strstr(raw, "To: \"Rita Recruiter\" <rita@acme.example>"));
		assert_non_null(strstr(raw, "Subject: [Test] Hello Tess"));
		assert_null(strstr(raw, "List-Unsubscribe"));
		assert_null(strstr(raw, "/r?m="));
		assert_null(strstr(raw, "/o?m="));
		free(raw);
	}
	assert_int_not_equal(id, 0);
}


/* The person's engagement score now. */
static double
score(struct env *e, uint64_t cand)
{
	json_t *rec;
	double sc;

	assert_int_equal(store_cand_get(e->st, NULL, cand, 0, &rec), HE_OK);
	sc = engage_score(rec, clock_now());
	json_decref(rec);
	return sc;
}

static int
touch_kinds(uint64_t id, json_t *t, void *ctx)
{
	(void)id;
	json_array_append(ctx, json_object_get(t, "kind"));
	return HE_OK;
}

/* A click: a touchpoint each time, the mail "clicked" once, a visit for
 * the careers site; an open only from a mail that carried the pixel. */
static void
test_click_and_open_recorded(void **state)
{
	struct env *e = *state;
	uint64_t a = person(e, "Ann", "ann@example.org", 1);
	uint64_t b = person(e, "Bob", "bob@example.org", 0);
	uint64_t ma = queue(e, "campaign", a, "ann@example.org");
	uint64_t mb = queue(e, "campaign", b, "bob@example.org");
	const char *careers = "https://careers.example/jobs";
	json_t *m, *kinds = json_array();
	size_t sent;

	assert_int_equal(outbox_deliver_due(e->st, &e->cfg, OUTBOX_BATCH, &sent),
	    HE_OK);
	assert_int_equal(sent, 2);
	double before = score(e, a), once, twice;

	assert_int_equal(track_click(e->st, ma, "https://jobs.example.org/roles/42",
	    careers, clock_now()), HE_OK);
	assert_int_equal(track_click(e->st, ma, "https://jobs.example.org/roles/42",
	    careers, clock_now()), HE_OK);
	assert_int_equal(track_click(e->st, ma, "https://careers.example/jobs/x",
	    careers, clock_now()), HE_OK);
	assert_int_equal(store_touch_newest(e->st, NULL, a, 0, 0, touch_kinds,
	    kinds), HE_OK);
	assert_int_equal(json_array_size(kinds), 4);	/* 3 clicks, 1 visit */
	m = mail(e, ma);
	assert_true(json_is_true(json_object_get(m, "clicked")));
	assert_true(json_is_true(json_object_get(m, "visited")));
	assert_string_equal(state_of(m), "sent");
	json_decref(m);
	/* Engagement once for the click, once for the visit: more clicks
	 * on the same mail add nothing. */
	once = score(e, a);
	assert_true(once > before);
	assert_int_equal(track_click(e->st, ma, "https://careers.example/jobs/y",
	    careers, clock_now()), HE_OK);
	twice = score(e, a);
	assert_true(twice < once + 1e-6);
	/* The campaign counts the mail clicked once. */
	assert_int_equal(counted(e, "clicked"), 1);
	/* Opens: Ann's mail carried the pixel; Bob's did not. */
	assert_int_equal(track_open(e->st, ma, clock_now()), HE_OK);
	assert_int_equal(track_open(e->st, ma, clock_now()), HE_OK);
	assert_int_equal(track_open(e->st, mb, clock_now()), HE_OK);
	assert_int_equal(counted(e, "opened"), 1);
	m = mail(e, ma);
	assert_true(json_is_true(json_object_get(m, "opened")));
	json_decref(m);
	m = mail(e, mb);
	assert_null(json_object_get(m, "opened"));
	json_decref(m);
	/* A mail that is gone: nothing recorded, no error for the redirect. */
	assert_int_equal(track_click(e->st, 999999, "https://x.example/", careers,
	    clock_now()), HE_NOTFOUND);
	assert_int_equal(track_open(e->st, 999999, clock_now()), HE_OK);
	json_decref(kinds);
}

/* A paused campaign's mails wait; an archived one's are cancelled. */
static void
test_paused_and_archived_campaigns(void **state)
{
	struct env *e = *state;
	uint64_t p = person(e, "Pat", "pat@example.org", 0);
	uint64_t m1 = queue(e, "campaign", p, "pat@example.org");
	json_t *m;
	size_t sent;

	assert_int_equal(campaign_set_state(e->st, e->camp, "paused", e->owner),
	    HE_OK);
	assert_int_equal(outbox_deliver_due(e->st, &e->cfg, OUTBOX_BATCH, &sent),
	    HE_OK);
	assert_int_equal(sent, 0);
	m = mail(e, m1);
	assert_string_equal(state_of(m), "queued");
	assert_true(json_integer_value(json_object_get(m, "due")) > clock_now());
	assert_int_equal(json_integer_value(json_object_get(m, "attempts")), 0);
	json_decref(m);
	/* Resumed: it goes when its wait is over. */
	assert_int_equal(campaign_set_state(e->st, e->camp, "active", e->owner),
	    HE_OK);
	clock_set_offset(3601);
	assert_int_equal(outbox_deliver_due(e->st, &e->cfg, OUTBOX_BATCH, &sent),
	    HE_OK);
	clock_set_offset(0);
	assert_int_equal(sent, 1);
	/* Archived: what is still queued never goes. */
	m1 = queue(e, "campaign", p, "pat@example.org");
	assert_int_equal(campaign_set_state(e->st, e->camp, "archived", e->owner),
	    HE_OK);
	assert_int_equal(outbox_deliver_due(e->st, &e->cfg, OUTBOX_BATCH, &sent),
	    HE_OK);
	assert_int_equal(sent, 0);
	m = mail(e, m1);
	assert_string_equal(state_of(m), "cancelled");
	assert_string_equal(json_string_value(json_object_get(m, "why")),
	    "campaign_archived");
	json_decref(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_render, setup, teardown),
		cmocka_unit_test_setup_teardown(test_delivered, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancelled_at_send_time, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_cap_defers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_domain_throttle, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_test_send, setup, teardown),
		cmocka_unit_test_setup_teardown(test_click_and_open_recorded, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_paused_and_archived_campaigns,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
