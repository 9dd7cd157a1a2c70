/* test_role_mail.c: personal mails about a role: checks, refusals, the queue,
 * the outbox rendering them, the frequency cap, touchpoints and the pipeline */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>
#include <sodium.h>

#include "crm/audit.h"
#include "crm/campaign_mail.h"
#include "crm/candidates.h"
#include "crm/cap.h"
#include "crm/clock.h"
#include "crm/community.h"
#include "crm/outbox.h"
#include "crm/pipeline.h"
#include "crm/role.h"
#include "crm/role_mail.h"
#include "store/entities.h"
#include "store/store.h"
#include "store/touch.h"
#include "util/he.h"

#define N(a) (sizeof (a) / sizeof *(a))

struct env {
	char dir[64], outbox[96];
	struct comm c;
	struct store *st;
	HDF *conf;
	struct outbox_cfg cfg;
	uint64_t rec, role;
	struct audit_actor who;
};

static int
setup(void **state)
{
	struct env *e = calloc(1, sizeof *e);
	json_t *user, *role, *errors = NULL;

	if (e == NULL || sodium_init() < 0)
		return -1;
	strcpy(e->dir, "/tmp/i6-rolemail-XXXXXX");
	if (mkdtemp(e->dir) == NULL || store_open(&e->st, e->dir, 8, 0) != HE_OK)
		return -1;
	snprintf(e->outbox, sizeof e->outbox, "%s/outbox", e->dir);
	if (mkdir(e->outbox, 0700) != 0)
		return -1;
	clock_set_offset(0);
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
	    hdf_set_value(e->conf, "Web.Templates", "templates") != STATUS_OK ||
	    hdf_set_value(e->conf, "Campaign.CapMails", "2") != STATUS_OK ||
	    hdf_set_value(e->conf, "Campaign.CapDays", "7") != STATUS_OK ||
	    campaign_mail_configure(e->conf) != HE_OK ||
	    role_configure(e->conf) != HE_OK)
		return -1;
	user = json_pack("{s:s, s:s, s:s, s:s}", "email", "rita@acme.example",
	    "name", "Rita Recruiter", "signature", "Rita\nAcme talent team",
	    "role", "recruiter");
	if (store_user_insert(e->st, NULL, user, &e->rec) != HE_OK)
		return -1;
	json_decref(user);
	e->who = (struct audit_actor){ e->rec, NULL };
	role = json_pack("{s:s, s:s, s:s, s:[], s:[s], s:s}", "title",
	    "Backend engineer", "family", "engineering", "remote", "remote",
	    "locations", "required", "Go", "status", "open");
	if (role_create(e->st, &e->who, role, &e->role, &errors) != HE_OK)
		return -1;
	json_decref(role);
	e->cfg = (struct outbox_cfg){
		.transport = { .outbox_dir = e->outbox },
		.from = "talent@jobs.example", .from_name = "Acme",
		.msgid_domain = "jobs.example",
		.unsubscribe_address = "talent@jobs.example",
		.retry_seconds = 60, .site = hdf_get_obj(e->conf, "Site"),
		.templates = "templates", .comm = &e->c,
		.cap_mails = 2, .cap_days = 7,
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
	role_configure(NULL);
	clock_set_offset(0);
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

/* A person with this consent and status (NULL: none). */
static uint64_t
person(struct env *e, const char *first, const char *consent, const char *status)
{
	char key[TOK_MACSTRLEN], email[64];
	struct add a;

	snprintf(email, sizeof email, "%s@example.org", first);
	comm_email_key(&e->c, email, key);
	a.rec = json_pack("{s:s, s:s, s:s, s:s, s:s?, s:s?}", "email", email,
	    "email_key", key, "first_name", first, "last_name", "Doe",
	    "consent", consent, "status", status);
	assert_int_equal(store_txn(e->st, add_txn, &a), HE_OK);
	json_decref(a.rec);
	return a.id;
}

struct put {
	uint64_t id;
	json_t *old, *rec;
};

static int
put_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct put *p = arg;

	return cand_write(st, txn, p->id, p->old, p->rec);
}

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

/* The raw message with quoted-printable soft breaks and =XX undone
 * (enough for ASCII text). */
static char *
plain(char *raw)
{
	char *o = raw;

	for (char *p = raw; *p; ) {
		if (p[0] == '=' && p[1] == '\r' && p[2] == '\n')
			p += 3;
		else if (p[0] == '=' && p[1] == '\n')
			p += 2;
		else if (p[0] == '=' && p[1] && p[2] && strchr("0123456789ABCDEF",
		    p[1]) && strchr("0123456789ABCDEF", p[2])) {
			char hex[3] = { p[1], p[2], 0 };

			*o++ = (char)strtol(hex, NULL, 16);
			p += 3;
		} else
			*o++ = *p++;
	}
	*o = '\0';
	return raw;
}

static void
test_check(void **state)
{
	static const struct {
		const char *subject, *body, *field, *says;
	} cases[] = {
		{ "About {{role_title}}", "Hi {{first_name|there}}", NULL, NULL },
		{ "", "Hi", "subject", "subject" },
		{ "Hi", " \n", "body", "message" },
		{ "a\nb", "Hi", "subject", "one line" },
		{ "Hi {{frist_name}}", "Hi", "subject", "frist_name" },
		{ "Hi", "{{#if city}}x", "body", "line 1" },
		{ "Hi", "\xff", "body", "UTF-8" },
	};

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		json_t *errors = NULL;
		int rc = role_mail_check(cases[i].subject, cases[i].body, &errors);

		if (cases[i].field == NULL) {
			assert_int_equal(rc, HE_OK);
			assert_null(errors);
			continue;
		}
		assert_int_equal(rc, HE_INVALID);
		if (strstr(json_string_value(json_object_get(errors, cases[i].field)) ?:
		    "", cases[i].says) == NULL)
			fail_msg("case %zu: %s", i, json_dumps(errors, 0));
		json_decref(errors);
	}
	/* The default template checks. */
	{
		json_t *errors = NULL;

		assert_int_equal(role_mail_check(role_mail_subject(), role_mail_body(),
		    &errors), HE_OK);
	}
}

static void
test_refusals(void **state)
{
	struct env *e = *state;
	static const struct {
		const char *consent, *status, *says;	/* NULL says: may */
	} cases[] = {
		{ "confirmed", "sourced", NULL },
		{ "pending", "sourced", "lawful basis before contact" },
		{ NULL, NULL, "lawful basis before contact" },
		{ "withdrawn", "sourced", "unsubscribed" },
		{ "confirmed", "do_not_contact", "asked not to be contacted" },
		{ "pending", "do_not_contact", "asked not to be contacted" },
		{ "confirmed", "hired", "hired" },
	};
	char why[256], name[16];

	for (size_t i = 0; i < N(cases); i++) {
		uint64_t id, mail = 0;
		int rc;

		snprintf(name, sizeof name, "p%zu", i);
		id = person(e, name, cases[i].consent, cases[i].status);
		rc = role_mail_queue_id(e->st, &e->who, e->role, id, "Hi",
		    "Hello {{first_name}}", why, sizeof why, &mail);
		if (cases[i].says == NULL) {
			assert_int_equal(rc, HE_OK);
			assert_true(mail != 0);
		} else {
			assert_int_equal(rc, HE_DENIED);
			if (strstr(why, cases[i].says) == NULL)
				fail_msg("case %zu: \"%s\"", i, why);
		}
	}
	/* Unknown role or person; templates that do not parse; a closed role. */
	assert_int_equal(role_mail_queue(e->st, &e->who, 999999, 1, "Hi", "B", why,
	    sizeof why), HE_NOTFOUND);
	assert_int_equal(role_mail_queue(e->st, &e->who, e->role, 999999, "Hi", "B",
	    why, sizeof why), HE_NOTFOUND);
	assert_int_equal(role_mail_queue(e->st, &e->who, e->role, 1, "Hi {{nope}}",
	    "B", why, sizeof why), HE_INVALID);
	assert_non_null(strstr(why, "Subject"));
	assert_int_equal(role_set_status(e->st, &e->who, e->role, ROLE_CLOSED), HE_OK);
	assert_int_equal(role_mail_queue(e->st, &e->who, e->role,
	    person(e, "late", "confirmed", NULL), "Hi", "B", why, sizeof why),
	    HE_DENIED);
	assert_non_null(strstr(why, "closed"));
}

/* Collects the audit entries "shortlist" (audit_each_of). */
static int
shortlist_entry(json_t *entry, void *ctx)
{
	if (strcmp(json_string_value(json_object_get(entry, "action")) ?: "",
	    "shortlist") == 0)
		json_array_append(ctx, entry);
	return HE_OK;
}

static void
test_queue_send(void **state)
{
	struct env *e = *state;
	uint64_t ann = person(e, "ann", "confirmed", "sourced");
	uint64_t bo = person(e, "bo", "confirmed", "sourced");
	uint64_t mail, m2, m3;
	char why[256], *raw;
	json_t *entry, *m;
	size_t sent;

	/* Shortlisted, then written to: contacted. */
	assert_int_equal(pipe_shortlist(e->st, &e->who, e->role, ann, NULL), HE_OK);
	assert_int_equal(role_mail_queue_id(e->st, &e->who, e->role, ann,
	    role_mail_subject(), "Hi {{first_name}}, {{role_title}} is open.\n\n"
	    "{{owner_name}}", why, sizeof why, &mail), HE_OK);
	assert_string_equal(why, "");
	assert_int_equal(pipe_get(e->st, NULL, e->role, ann, &entry), HE_OK);
	assert_string_equal(json_string_value(json_object_get(entry, "stage")),
	    "contacted");
	json_decref(entry);
	{
		size_t n = 0;

		assert_int_equal(store_touch_count(e->st, NULL, ann, &n), HE_OK);
		assert_true(n >= 3);	/* shortlisted, role_mail, contacted */
	}
	/* Not in the pipeline: shortlisted with the reasons of their score
	 * kept in the audit log, as from the ranking, then contacted. */
	assert_int_equal(role_mail_queue_id(e->st, &e->who, e->role, bo, "Hi",
	    "Hello", why, sizeof why, &m2), HE_OK);
	assert_int_equal(pipe_get(e->st, NULL, e->role, bo, &entry), HE_OK);
	assert_string_equal(json_string_value(json_object_get(entry, "stage")),
	    "contacted");
	assert_true(json_is_object(json_object_get(entry, "explain")));
	json_decref(entry);
	{
		json_t *found = json_array(), *explain;

		assert_int_equal(audit_each_of(e->st, NULL, bo, shortlist_entry,
		    found), HE_OK);
		assert_int_equal(json_array_size(found), 1);
		explain = json_object_get(json_object_get(json_array_get(found, 0),
		    "detail"), "explain");
		assert_true(json_is_integer(json_object_get(explain, "score")));
		assert_int_equal(json_array_size(json_object_get(explain, "parts")),
		    8);
		json_decref(found);
	}

	assert_int_equal(outbox_deliver_due(e->st, &e->cfg, OUTBOX_BATCH, &sent),
	    HE_OK);
	if (sent != 2) {
		assert_int_equal(store_mail_get(e->st, NULL, mail, &m), HE_OK);
		fail_msg("sent %zu: %s", sent, json_dumps(m, 0));
	}
	assert_non_null(raw = eml(e, mail));
	plain(raw);
	assert_non_null(strstr(raw, "Subject: Backend engineer: would you like to "
	    "hear more?"));
	assert_non_null(strstr(raw, "Hi ann, Backend engineer is open."));
	assert_non_null(strstr(raw, "Rita Recruiter"));	/* the sender signs */
	assert_non_null(strstr(raw, "List-Unsubscribe:"));
	assert_non_null(strstr(raw, "<ann@example.org>"));
	free(raw);
	assert_int_equal(store_mail_get(e->st, NULL, mail, &m), HE_OK);
	assert_string_equal(json_string_value(json_object_get(m, "state")), "sent");
	json_decref(m);

	/* It counted against the cap (2 in 7 days): a third one waits. */
	assert_int_equal(role_mail_queue_id(e->st, &e->who, e->role, ann, "Again",
	    "Hello", why, sizeof why, &m3), HE_OK);
	assert_int_equal(role_mail_queue_id(e->st, &e->who, e->role, ann, "Again",
	    "Hello", why, sizeof why, &m3), HE_OK);
	assert_string_equal(why, "");	/* one sent: under the cap */
	assert_int_equal(outbox_deliver_due(e->st, &e->cfg, OUTBOX_BATCH, &sent),
	    HE_OK);
	assert_int_equal(sent, 1);
	assert_int_equal(store_mail_get(e->st, NULL, m3, &m), HE_OK);
	assert_string_equal(json_string_value(json_object_get(m, "state")), "queued");
	assert_non_null(json_object_get(m, "deferred_until"));
	json_decref(m);
	/* And the recruiter is told when the next would go. */
	assert_int_equal(role_mail_queue(e->st, &e->who, e->role, ann, "More",
	    "Hello", why, sizeof why), HE_OK);
	assert_non_null(strstr(why, "waits until"));

	/* Consent withdrawn before it goes: cancelled at send time. */
	{
		struct put p = { bo, NULL, NULL };
		uint64_t m4;

		assert_int_equal(role_mail_queue_id(e->st, &e->who, e->role, bo, "B2",
		    "Hello", why, sizeof why, &m4), HE_OK);
		assert_int_equal(store_cand_get(e->st, NULL, bo, 0, &p.old), HE_OK);
		p.rec = json_deep_copy(p.old);
		json_object_set_new(p.rec, "consent", json_string("withdrawn"));
		assert_int_equal(store_txn(e->st, put_txn, &p), HE_OK);
		json_decref(p.rec);
		json_decref(p.old);
		assert_int_equal(outbox_deliver_due(e->st, &e->cfg, OUTBOX_BATCH,
		    &sent), HE_OK);
		assert_int_equal(sent, 0);
		assert_null(eml(e, m4));
		assert_int_equal(store_mail_get(e->st, NULL, m4, &m), HE_OK);
		assert_string_equal(json_string_value(json_object_get(m, "state")),
		    "cancelled");
		assert_string_equal(json_string_value(json_object_get(m, "why")),
		    "withdrawn");
		json_decref(m);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check),
		cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_queue_send, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
