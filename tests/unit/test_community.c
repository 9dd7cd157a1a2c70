/* test_community.c: the talent community's rules against a real store */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sodium.h>

#include "crm/clock.h"
#include "crm/community.h"
#include "store/entities.h"
#include "store/store.h"
#include "util/he.h"

#define DAY_US (86400LL * 1000000)

struct env {
	char dir[64];
	struct comm c;
	struct store *st;
};

static int
setup(void **state)
{
	struct env *e = calloc(1, sizeof *e);

	if (e == NULL || sodium_init() < 0)
		return -1;
	strcpy(e->dir, "/tmp/hearth-test-community-XXXXXX");
	if (mkdtemp(e->dir) == NULL || store_open(&e->st, e->dir, 8, 0) != HE_OK)
		return -1;
	e->c.st = e->st;
	randombytes_buf(e->c.key, sizeof e->c.key);
	e->c.policy_version = "3";
	strcpy(e->c.policy_sha256, "ab12");
	e->c.purpose = "Keep me informed";
	e->c.resume_dir = strdup(e->dir);
	e->c.outbox_dir = strdup(e->dir);
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
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", e->dir);
	rc = system(cmd);
	free(e);
	return rc == 0 ? 0 : -1;
}

static int
signup(struct env *e, const char *email, const char *first, const char *city)
{
	json_t *interests = json_pack("[s]", "engineering");
	json_t *skills = json_pack("[s, s]", "c", "sql");
	struct comm_signup in = {
		.email = email, .first_name = first, .last_name = "Lovelace",
		.phone = "", .city = city, .country = "UK", .remote = 0,
		.interests = interests, .seniority = "lead", .skills = skills,
		.url = "", .source = "", .resume = NULL, .ip = "192.0.2.1",
		.user_agent = "test",
	};
	int rc = comm_join(&e->c, &in);

	json_decref(interests);
	json_decref(skills);
	return rc;
}

static uint64_t
id_of(struct env *e, const char *email)
{
	char key[TOK_MACSTRLEN];
	uint64_t id = 0;

	comm_email_key(&e->c, email, key);
	assert_int_equal(store_cand_by_email(e->st, NULL, key, &id), HE_OK);
	return id;
}

static int
add_type(json_t *ev, void *ctx)
{
	char *buf = ctx;

	strcat(buf, json_string_value(json_object_get(ev, "type")));
	strcat(buf, " ");
	return HE_OK;
}

struct mails {
	char kinds[256];
	char nonce[COMM_NONCE_LEN + 1];	/* of the newest confirmation */
	size_t n;
};

static int
add_mail(uint64_t id, json_t *mail, void *ctx)
{
	struct mails *m = ctx;
	const char *nonce = json_string_value(json_object_get(mail, "nonce"));

	(void)id;
	strcat(m->kinds, json_string_value(json_object_get(mail, "kind")));
	strcat(m->kinds, " ");
	if (nonce)
		snprintf(m->nonce, sizeof m->nonce, "%s", nonce);
	m->n++;
	return HE_OK;
}

/* The event types of one candidate's ledger, "granted confirmed ". */
static void
ledger(struct env *e, uint64_t id, char out[256])
{
	out[0] = '\0';
	assert_int_equal(store_consent_each(e->st, NULL, id, add_type, out), HE_OK);
}

static void
mails(struct env *e, uint64_t id, struct mails *m)
{
	memset(m, 0, sizeof *m);
	assert_int_equal(store_mail_each_of(e->st, NULL, id, add_mail, m), HE_OK);
}

static const char *
field(struct env *e, uint64_t id, const char *name, char out[128])
{
	json_t *cand;

	assert_int_equal(comm_get(&e->c, id, &cand), HE_OK);
	snprintf(out, 128, "%s", json_string_value(json_object_get(cand, name)) ?: "");
	json_decref(cand);
	return out;
}

static void
test_double_opt_in(void **state)
{
	struct env *e = *state;
	const struct comm_actor who = { "email_link", "192.0.2.9", "mail" };
	char buf[256], val[128], first_nonce[COMM_NONCE_LEN + 1];
	struct mails m;
	uint64_t id;
	size_t n;

	assert_int_equal(signup(e, "ada@example.com", "Ada", "London"), HE_OK);
	id = id_of(e, "ada@example.com");
	assert_string_equal(field(e, id, "consent", val), "pending");
	ledger(e, id, buf);
	assert_string_equal(buf, "granted ");
	mails(e, id, &m);
	assert_string_equal(m.kinds, "confirm ");
	strcpy(first_nonce, m.nonce);

	/* The same address again: one record, unchanged, and a second mail. */
	assert_int_equal(signup(e, "ada@example.com", "Mallory", "Paris"), HE_OK);
	assert_int_equal(store_cand_count(e->st, NULL, &n), HE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(field(e, id, "first_name", val), "Ada");
	mails(e, id, &m);
	assert_string_equal(m.kinds, "confirm confirm ");
	assert_string_not_equal(m.nonce, first_nonce);

	/* A made-up nonce confirms nothing. */
	assert_int_equal(comm_confirm(&e->c, id, "0123456789abcdef01234567", &who),
	    HE_NOTFOUND);
	/* The first link confirms the signup; the change still waits. */
	assert_int_equal(comm_confirm(&e->c, id, first_nonce, &who), HE_OK);
	assert_string_equal(field(e, id, "consent", val), "confirmed");
	assert_string_equal(field(e, id, "city", val), "London");
	/* Following it again changes nothing. */
	assert_int_equal(comm_confirm(&e->c, id, first_nonce, &who), HE_OK);
	ledger(e, id, buf);
	assert_string_equal(buf, "granted confirmed ");
	/* The second link applies what was sent with it. */
	assert_int_equal(comm_confirm(&e->c, id, m.nonce, &who), HE_OK);
	assert_string_equal(field(e, id, "city", val), "Paris");
	assert_string_equal(field(e, id, "name", val), "Mallory Lovelace");
	ledger(e, id, buf);
	assert_string_equal(buf, "granted confirmed updated ");

	/* Leaving twice is one event; coming back is "renewed". */
	assert_int_equal(comm_withdraw(&e->c, id, &who), HE_OK);
	assert_int_equal(comm_withdraw(&e->c, id, &who), HE_OK);
	assert_int_equal(signup(e, "ada@example.com", "Ada", "Lima"), HE_OK);
	mails(e, id, &m);
	assert_int_equal(comm_confirm(&e->c, id, m.nonce, &who), HE_OK);
	ledger(e, id, buf);
	assert_string_equal(buf, "granted confirmed updated withdrawn renewed ");
	assert_int_equal(store_consent_check(e->st, NULL, id,
	    field(e, id, "consent_head", val), &n), HE_OK);
	assert_int_equal(n, 5);
}

static void
test_unconfirmed_signups_expire(void **state)
{
	struct env *e = *state;
	char buf[256], val[128];
	uint64_t id;
	size_t n;

	assert_int_equal(signup(e, "late@example.com", "Late", "Oslo"), HE_OK);
	id = id_of(e, "late@example.com");
	assert_int_equal(comm_expire_pending(&e->c, clock_now_us(), 10, &n), HE_OK);
	assert_int_equal(n, 0);
	assert_int_equal(comm_expire_pending(&e->c, clock_now_us() +
	    (COMM_CONFIRM_DAYS + 1) * DAY_US, 10, &n), HE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(field(e, id, "consent", val), "expired");
	ledger(e, id, buf);
	assert_string_equal(buf, "granted expired ");
	assert_int_equal(comm_expire_pending(&e->c, clock_now_us() +
	    (COMM_CONFIRM_DAYS + 1) * DAY_US, 10, &n), HE_OK);
	assert_int_equal(n, 0);
}

static void
test_export_and_erase(void **state)
{
	struct env *e = *state;
	const struct comm_actor who = { "email_link", "192.0.2.9", "mail" };
	char key[TOK_MACSTRLEN], buf[256];
	struct mails m;
	json_t *doc;
	char *json;
	size_t len, problems;
	uint64_t id, other;
	int64_t count;

	assert_int_equal(signup(e, "eve@example.com", "Eve", "Rome"), HE_OK);
	assert_int_equal(signup(e, "bob@example.com", "Bob", "Rome"), HE_OK);
	id = id_of(e, "eve@example.com");
	other = id_of(e, "bob@example.com");
	mails(e, id, &m);
	assert_int_equal(comm_confirm(&e->c, id, m.nonce, &who), HE_OK);
	assert_int_equal(comm_request(&e->c, id, "export"), HE_OK);
	assert_int_equal(comm_request_for_email(&e->c, "nobody@example.com",
	    "export"), HE_OK);
	assert_int_equal(comm_request(&e->c, id, "launch"), HE_INVALID);

	assert_int_equal(comm_export(&e->c, id, &json, &len), HE_OK);
	doc = json_loads(json, 0, NULL);
	free(json);
	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(json_object_get(doc,
	    "profile"), "email")), "eve@example.com");
	assert_null(json_object_get(json_object_get(doc, "profile"), "email_key"));
	assert_int_equal(json_array_size(json_object_get(doc, "consent_ledger")), 2);
	assert_int_equal(json_array_size(json_object_get(doc, "mails")), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    json_object_get(doc, "consent_ledger"), 0), "policy_sha256")), "ab12");
	json_decref(doc);

	assert_int_equal(comm_erase(&e->c, id), HE_OK);
	assert_int_equal(comm_get(&e->c, id, &doc), HE_NOTFOUND);
	ledger(e, id, buf);
	assert_string_equal(buf, "");
	mails(e, id, &m);
	assert_int_equal(m.n, 0);
	comm_email_key(&e->c, "eve@example.com", key);
	assert_int_equal(store_suppress_get(e->st, NULL, key), HE_OK);
	assert_int_equal(store_setting_get(e->st, NULL, COMM_SETTING_ERASED, &count),
	    HE_OK);
	assert_int_equal(count, 1);
	assert_int_equal(store_setting_get(e->st, NULL, COMM_SETTING_SCRUB, &count),
	    HE_OK);
	assert_true(count > 0);
	assert_int_equal(comm_erase(&e->c, id), HE_NOTFOUND);
	/* The others are untouched, and every index still matches. */
	assert_int_equal(comm_get(&e->c, other, &doc), HE_OK);
	json_decref(doc);
	assert_int_equal(store_verify(e->st, NULL, NULL, &problems), HE_OK);
	assert_int_equal(problems, 0);

	/* Joining again by their own choice lifts the suppression on confirm. */
	assert_int_equal(signup(e, "eve@example.com", "Eve", "Rome"), HE_OK);
	id = id_of(e, "eve@example.com");
	mails(e, id, &m);
	assert_int_equal(comm_confirm(&e->c, id, m.nonce, &who), HE_OK);
	assert_int_equal(store_suppress_get(e->st, NULL, key), HE_NOTFOUND);
}

static void
test_links(void **state)
{
	struct env *e = *state;
	char nonce[COMM_NONCE_LEN + 1], *t;
	uint64_t id = 0;

	assert_int_equal(comm_link_sign(&e->c, COMM_LINK_CONFIRM, 42,
	    "00112233445566778899aabb", time(NULL), &t), HE_OK);
	assert_int_equal(comm_link_check(&e->c, COMM_LINK_CONFIRM, t, &id, nonce),
	    HE_OK);
	assert_true(id == 42);
	assert_string_equal(nonce, "00112233445566778899aabb");
	/* A link is good for its own purpose only. */
	assert_int_equal(comm_link_check(&e->c, COMM_LINK_ERASE, t, &id, NULL),
	    HE_INVALID);
	free(t);
	/* Past its lifetime: an export link lives one day. */
	assert_int_equal(comm_link_sign(&e->c, COMM_LINK_EXPORT, 42, NULL,
	    time(NULL) - 2 * 86400, &t), HE_OK);
	assert_int_equal(comm_link_check(&e->c, COMM_LINK_EXPORT, t, &id, NULL),
	    HE_EXPIRED);
	free(t);
}

static void
test_field_shapes(void **state)
{
	static const struct {
		const char *in;
		int rc;
		const char *json;
	} skills[] = {
		{ "Python, SQL", HE_OK, "[\"python\",\"sql\"]" },
		{ " C++ ;c++\nRust ", HE_OK, "[\"c++\",\"rust\"]" },
		{ ",, ,", HE_OK, "[]" },
		{ "Zoë Ångström", HE_OK, "[\"zoë Ångström\"]" },
		{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", HE_INVALID, NULL },
		{ "bad\x01" "control", HE_INVALID, NULL },
	};
	char many[512] = "";

	(void)state;
	for (size_t i = 0; i < sizeof skills / sizeof *skills; i++) {
		json_t *out = NULL;
		char *s;

		assert_int_equal(comm_skills_parse(skills[i].in, &out), skills[i].rc);
		if (skills[i].rc != HE_OK)
			continue;
		s = json_dumps(out, JSON_COMPACT);
		if (strcmp(s, skills[i].json) != 0)
			fail_msg("skills %s: %s, want %s", skills[i].in, s, skills[i].json);
		free(s);
		json_decref(out);
	}
	for (int i = 0; i < COMM_SKILLS_MAX + 1; i++)
		snprintf(many + strlen(many), sizeof many - strlen(many), "s%d,", i);
	{
		json_t *out;

		assert_int_equal(comm_skills_parse(many, &out), HE_INVALID);
	}
	assert_true(comm_phone_ok("+44 20 7946 0958"));
	assert_true(comm_phone_ok("(555) 010-9999"));
	assert_false(comm_phone_ok("12345"));
	assert_false(comm_phone_ok("call me"));
	assert_true(comm_url_ok("https://www.linkedin.com/in/ada"));
	assert_true(comm_url_ok("http://ada.dev"));
	assert_false(comm_url_ok("javascript:alert(1)"));
	assert_false(comm_url_ok("https://localhost"));
	assert_false(comm_url_ok("https://a.b/<script>"));
	assert_false(comm_url_ok("linkedin.com/in/ada"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_double_opt_in, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unconfirmed_signups_expire, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_export_and_erase, setup, teardown),
		cmocka_unit_test_setup_teardown(test_links, setup, teardown),
		cmocka_unit_test(test_field_shapes),
	};

	return cmocka_run_group_tests_name("community", tests, NULL, NULL);
}
