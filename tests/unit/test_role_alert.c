/* test_role_alert.c: new-match alerts on candidate writes and the owners' daily digest */
#include "role_fixture.h"
#include "crm/match.h"
#include "crm/notice.h"
#include "crm/skills.h"

#define DAY_S 86400
#define FIT "{\"first_name\":\"Fay\",\"skills\":[\"golang\",\"Postgres\"," \
	"\"Kubernetes\"],\"city\":\"Berlin\",\"country\":\"Germany\"," \
	"\"seniority\":\"senior\",\"interests\":[\"engineering\"]}"
#define UNFIT "{\"first_name\":\"Uma\",\"skills\":[\"Excel\"],\"city\":" \
	"\"Lima\",\"country\":\"Peru\",\"seniority\":\"junior\"}"

/* What the ranking scores cand for role now. */
static int
score_of(struct env *e, uint64_t role, uint64_t cand)
{
	struct match_role r;
	struct match_cand c;
	struct match_score s;
	json_t *role_rec, *rec;

	assert_int_equal(store_role_get(e->st, NULL, role, 0, &role_rec), HE_OK);
	assert_int_equal(match_role_compile(role, role_rec, &r), HE_OK);
	assert_int_equal(store_cand_get(e->st, NULL, cand, 0, &rec), HE_OK);
	match_cand_from_json(cand, rec, &c);
	match_score(&r, &c, match_today(), &s);
	json_decref(rec);
	json_decref(role_rec);
	return s.excluded ? -1 : s.total;
}

static int
alerted(struct env *e, uint64_t role, uint64_t cand)
{
	int rc = store_alert_exists(e->st, NULL, role, cand);

	assert_true(rc == HE_OK || rc == HE_NOTFOUND);
	return rc == HE_OK;
}

/* user's notices, newest first. */
static json_t *
notices(struct env *e, uint64_t user)
{
	json_t *rows = NULL;
	size_t total = 0, unread = 0;

	assert_int_equal(notice_list(e->st, user, 1, 100, &rows, &total, &unread),
	    HE_OK);
	assert_int_equal(json_array_size(rows), total);
	return rows;
}

static json_int_t
num(json_t *obj, const char *key)
{
	return json_integer_value(json_object_get(obj, key));
}

static void
test_alert_once_when_crossing(void **state)
{
	struct env *e = *state;
	uint64_t rec = fx_user(e, "rec@example.org", "recruiter", 0);
	uint64_t role = fx_role(e, rec, "engineering", NULL, "open");
	uint64_t draft = fx_role(e, rec, "engineering", NULL, NULL);
	uint64_t fit, unfit;
	json_t *rows, *n;

	assert_int_equal(role_configure(NULL), HE_OK);	/* threshold 70 */
	fit = fx_cand(e, FIT);
	assert_true(score_of(e, role, fit) >= 70);
	assert_true(alerted(e, role, fit));
	assert_false(alerted(e, draft, fit));
	rows = notices(e, rec);
	assert_int_equal(json_array_size(rows), 1);
	n = json_array_get(rows, 0);
	assert_string_equal(json_string_value(json_object_get(n, "kind")), "match");
	assert_int_equal(num(n, "role"), role);
	assert_int_equal(num(n, "cand"), fit);
	/* The score told is the one the ranking shows. */
	assert_int_equal(num(n, "score"), score_of(e, role, fit));
	assert_non_null(strstr(json_string_value(json_object_get(n, "text")), "Fay"));
	json_decref(rows);

	/* Still above after an edit: not new. */
	fx_edit(e, fit, "title", json_string("Staff engineer"));
	rows = notices(e, rec);
	assert_int_equal(json_array_size(rows), 1);
	json_decref(rows);

	/* Someone below it is not a match until an edit takes them over it. */
	unfit = fx_cand(e, UNFIT);
	assert_true(score_of(e, role, unfit) < 70);
	assert_false(alerted(e, role, unfit));
	fx_edit(e, unfit, "skills", fx_json("[\"Go\",\"PostgreSQL\",\"k8s\"]"));
	fx_edit(e, unfit, "city", json_string("Berlin"));
	fx_edit(e, unfit, "country", json_string("Germany"));
	fx_edit(e, unfit, "seniority", json_string("senior"));
	fx_edit(e, unfit, "interests", fx_json("[\"engineering\"]"));
	assert_true(score_of(e, role, unfit) >= 70);
	assert_true(alerted(e, role, unfit));
	rows = notices(e, rec);
	assert_int_equal(json_array_size(rows), 2);
	assert_int_equal(num(json_array_get(rows, 0), "cand"), unfit);
	json_decref(rows);

	/* Falling below and rising again: alerted once per role and person. */
	fx_edit(e, fit, "skills", fx_json("[]"));
	assert_true(score_of(e, role, fit) < 70);
	fx_edit(e, fit, "skills", fx_json("[\"Go\",\"PostgreSQL\",\"k8s\"]"));
	rows = notices(e, rec);
	assert_int_equal(json_array_size(rows), 2);
	json_decref(rows);
}

static void
test_alert_exclusions_and_thresholds(void **state)
{
	struct env *e = *state;
	uint64_t rec = fx_user(e, "rec@example.org", "recruiter", 0);
	struct audit_actor who = { rec, "192.0.2.1" };
	uint64_t role = fx_role(e, rec, "engineering", NULL, "open");
	uint64_t strict = fx_role(e, rec, "engineering", ",\"threshold\":100",
	    "open");
	uint64_t loose = fx_role(e, rec, "engineering", ",\"threshold\":1", "open");
	uint64_t dnc, hired, listed, fit, late;
	json_t *explain = fx_json("{\"score\":10,\"parts\":[]}"), *rows;

	assert_int_equal(role_configure(NULL), HE_OK);
	dnc = fx_cand(e, "{\"first_name\":\"Dan\",\"status\":\"do_not_contact\","
	    "\"skills\":[\"Go\",\"PostgreSQL\",\"k8s\"],\"city\":\"Berlin\","
	    "\"seniority\":\"senior\"}");
	hired = fx_cand(e, "{\"first_name\":\"Hal\",\"status\":\"hired\","
	    "\"skills\":[\"Go\",\"PostgreSQL\",\"k8s\"],\"city\":\"Berlin\","
	    "\"seniority\":\"senior\"}");
	assert_false(alerted(e, role, dnc) || alerted(e, loose, dnc));
	assert_false(alerted(e, role, hired) || alerted(e, loose, hired));

	/* Someone already in the role's pipeline is no news to its owner. */
	listed = fx_cand(e, UNFIT);
	assert_true(alerted(e, loose, listed));	/* any score is over 1 */
	assert_int_equal(pipe_shortlist(e->st, &who, role, listed, explain), HE_OK);
	fx_edit(e, listed, "skills", fx_json("[\"Go\",\"PostgreSQL\",\"k8s\"]"));
	fx_edit(e, listed, "city", json_string("Berlin"));
	fx_edit(e, listed, "country", json_string("Germany"));
	fx_edit(e, listed, "seniority", json_string("senior"));
	fx_edit(e, listed, "interests", fx_json("[\"engineering\"]"));
	assert_true(score_of(e, role, listed) >= 70);
	assert_false(alerted(e, role, listed));

	/* A role's own threshold: none reach 100 here. */
	fit = fx_cand(e, FIT);
	assert_true(score_of(e, strict, fit) < 100);
	assert_true(alerted(e, role, fit));
	assert_false(alerted(e, strict, fit));

	/* A role closed is left out from the next write on. */
	assert_int_equal(role_set_status(e->st, &who, role, ROLE_CLOSED), HE_OK);
	late = fx_cand(e, FIT);
	assert_false(alerted(e, role, late));
	assert_true(alerted(e, loose, late));
	rows = notices(e, rec);
	/* listed and fit and late for loose, fit for role. */
	assert_int_equal(json_array_size(rows), 4);
	json_decref(rows);
	json_decref(explain);
}

/* Puts the clock at hour h (UTC) of the day `days` from today. */
static void
at_hour(int days, int h)
{
	time_t now = time(NULL);
	int64_t want = (int64_t)(now / DAY_S + days) * DAY_S + h * 3600;

	clock_set_offset(want - (int64_t)now);
}

/* The digest mails queued, newest first. */
static json_t *
digests(struct env *e)
{
	json_t *all = json_array(), *out = json_array(), *m;
	size_t i;

	assert_int_equal(store_mail_newest(e->st, NULL, 0, 1000, fx_mail_collect,
	    all), HE_OK);
	json_array_foreach(all, i, m)
		if (strcmp(json_string_value(json_object_get(m, "kind")) ?: "",
		    "role_digest") == 0)
			json_array_append(out, m);
	json_decref(all);
	return out;
}

static size_t
digest_run(struct env *e)
{
	size_t sent = 99;

	assert_int_equal(role_digest_run(e->st, &sent), HE_OK);
	return sent;
}

struct erase {
	uint64_t id;
};

static int
erase_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct erase *x = arg;
	json_t *old;
	int rc;

	if ((rc = store_cand_get(st, txn, x->id, 1, &old)) != HE_OK)
		return rc;
	rc = cand_remove(st, txn, x->id, old, 1);
	json_decref(old);
	return rc;
}

static void
test_digest_once_a_day(void **state)
{
	struct env *e = *state;
	uint64_t rec = fx_user(e, "rec@example.org", "recruiter", 0);
	uint64_t rec2 = fx_user(e, "rec2@example.org", "recruiter", 0);
	uint64_t role, role2, fit, fit2;
	json_t *mails, *m, *a;
	char *subject, *text, link[96];

	assert_int_equal(role_configure(NULL), HE_OK);	/* at 07:00 */
	at_hour(1, 6);
	role = fx_role(e, rec, "engineering", NULL, "open");
	role2 = fx_role(e, rec2, "engineering", NULL, "open");
	fit = fx_cand(e, FIT);
	assert_true(alerted(e, role, fit) && alerted(e, role2, fit));

	/* Not before the hour. */
	assert_int_equal(digest_run(e), 0);
	at_hour(1, 8);
	assert_int_equal(digest_run(e), 2);	/* one per owner */
	mails = digests(e);
	assert_int_equal(json_array_size(mails), 2);
	m = json_array_get(mails, 0);
	if (num(m, "user") != (json_int_t)rec)
		m = json_array_get(mails, 1);
	assert_int_equal(num(m, "user"), rec);
	assert_string_equal(json_string_value(json_object_get(m, "to")),
	    "rec@example.org");
	assert_int_equal(json_array_size(json_object_get(m, "items")), 1);
	assert_int_equal(role_digest_render(e->st, m, &subject, &text), HE_OK);
	assert_string_equal(subject, "1 new match for your roles");
	assert_non_null(strstr(text, "Backend engineer"));
	assert_non_null(strstr(text, "Fay"));
	snprintf(link, sizeof link, "/office/role/matches?id=%llu",
	    (unsigned long long)role);
	assert_non_null(strstr(text, link));
	snprintf(link, sizeof link, "/office/candidate?id=%llu",
	    (unsigned long long)fit);
	assert_non_null(strstr(text, link));
	free(subject);
	free(text);
	assert_int_equal(store_alert_get(e->st, NULL, role, fit, 0, &a), HE_OK);
	assert_null(json_object_get(a, "pending"));
	assert_non_null(json_object_get(a, "digested"));
	json_decref(a);

	/* Once a day; a day without new matches sends nothing. */
	assert_int_equal(digest_run(e), 0);
	at_hour(2, 9);
	assert_int_equal(digest_run(e), 0);

	/* The next one lists only what is new since. */
	fit2 = fx_cand(e, FIT);
	at_hour(3, 7);
	assert_int_equal(digest_run(e), 2);
	json_decref(mails);
	mails = digests(e);
	assert_int_equal(json_array_size(mails), 4);
	m = json_array_get(mails, 0);
	assert_int_equal(json_array_size(json_object_get(m, "items")), 1);
	assert_int_equal(num(json_array_get(json_object_get(m, "items"), 0),
	    "cand"), fit2);

	/* Someone erased before it goes is not in it. */
	{
		struct erase x = { fit2 };

		assert_int_equal(store_txn(e->st, erase_txn, &x), HE_OK);
	}
	assert_int_equal(role_digest_render(e->st, m, &subject, &text), HE_OK);
	assert_null(strstr(text, "Fay"));
	assert_non_null(strstr(text, "no longer in the CRM"));
	free(subject);
	free(text);
	json_decref(mails);
}

static void
test_digest_leaves_out_what_changed_since(void **state)
{
	struct env *e = *state;
	uint64_t rec = fx_user(e, "rec@example.org", "recruiter", 0);
	struct audit_actor who = { rec, "192.0.2.1" };
	uint64_t a, b, fit, gone;
	json_t *mails;
	char *subject, *text, link[96];

	assert_int_equal(role_configure(NULL), HE_OK);
	a = fx_role(e, rec, "engineering", NULL, "open");
	b = fx_role(e, rec, "engineering", NULL, "open");
	fit = fx_cand(e, FIT);
	gone = fx_cand(e, FIT);
	assert_true(alerted(e, b, fit) && alerted(e, a, gone));
	/* Since: a role closed, a person who asked not to be contacted. */
	assert_int_equal(role_set_status(e->st, &who, b, ROLE_CLOSED), HE_OK);
	fx_edit(e, gone, "status", json_string("do_not_contact"));
	at_hour(1, 8);
	assert_int_equal(digest_run(e), 1);
	mails = digests(e);
	assert_int_equal(json_array_size(mails), 1);
	assert_int_equal(role_digest_render(e->st, json_array_get(mails, 0),
	    &subject, &text), HE_OK);
	assert_string_equal(subject, "1 new match for your roles");
	snprintf(link, sizeof link, "/office/role/matches?id=%llu",
	    (unsigned long long)a);
	assert_non_null(strstr(text, link));
	snprintf(link, sizeof link, "/office/role/matches?id=%llu",
	    (unsigned long long)b);
	assert_null(strstr(text, link));
	snprintf(link, sizeof link, "/office/candidate?id=%llu",
	    (unsigned long long)gone);
	assert_null(strstr(text, link));
	free(subject);
	free(text);
	json_decref(mails);
}

static void
test_digest_for_a_disabled_owner(void **state)
{
	struct env *e = *state;
	uint64_t rec = fx_user(e, "rec@example.org", "recruiter", 0);
	uint64_t role, fit;
	json_t *user, *mails, *a;

	assert_int_equal(role_configure(NULL), HE_OK);
	role = fx_role(e, rec, "engineering", NULL, "open");
	fit = fx_cand(e, FIT);
	assert_true(alerted(e, role, fit));
	assert_int_equal(store_user_get(e->st, NULL, rec, &user), HE_OK);
	json_object_set_new(user, "disabled", json_true());
	assert_int_equal(store_user_put(e->st, NULL, rec, user), HE_OK);
	json_decref(user);
	at_hour(1, 8);
	/* No mail, and their alerts do not wait for ever. */
	assert_int_equal(digest_run(e), 0);
	mails = digests(e);
	assert_int_equal(json_array_size(mails), 0);
	json_decref(mails);
	assert_int_equal(store_alert_get(e->st, NULL, role, fit, 0, &a), HE_OK);
	assert_null(json_object_get(a, "pending"));
	json_decref(a);
}

/* The synonym table, as the programs load it: golang is Go. */
static int
skills_setup(void **state)
{
	char err[256];

	(void)state;
	return skills_load("conf/skills.tsv", err, sizeof err) == HE_OK ? 0 : -1;
}

static int
skills_teardown(void **state)
{
	(void)state;
	skills_unload();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_alert_once_when_crossing,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_alert_exclusions_and_thresholds,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_digest_once_a_day, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(test_digest_leaves_out_what_changed_since,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_digest_for_a_disabled_owner,
		    fx_setup, fx_teardown),
	};

	return cmocka_run_group_tests(tests, skills_setup, skills_teardown);
}
