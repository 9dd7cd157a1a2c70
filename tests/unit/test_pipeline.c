/* test_pipeline.c: a role's pipeline: shortlisting, moves, their touchpoints and audit, lists, scoping, erasure and merges */
#include "role_fixture.h"
#include "crm/role_int.h"

#define N(a) (sizeof (a) / sizeof *(a))

struct who {
	uint64_t rec, hm, hm2;
	struct audit_actor a;
};

static struct who
people(struct env *e)
{
	struct who w;

	w.rec = fx_user(e, "rec@example.org", "recruiter", 0);
	w.hm = fx_user(e, "hm@example.org", "hiring_manager", 0);
	w.hm2 = fx_user(e, "hm2@example.org", "hiring_manager", 0);
	w.a = (struct audit_actor){ w.rec, "192.0.2.1" };
	return w;
}

static void
test_shortlist(void **state)
{
	struct env *e = *state;
	struct who w = people(e);
	uint64_t role = fx_role(e, w.rec, "engineering", NULL, "open");
	uint64_t closed = fx_role(e, w.rec, "engineering", NULL, "open");
	uint64_t ann = fx_cand(e, "{\"first_name\":\"Ann\",\"status\":\"sourced\"}");
	uint64_t dnc = fx_cand(e, "{\"first_name\":\"Dan\",\"status\":\"do_not_contact\"}");
	uint64_t hired = fx_cand(e, "{\"first_name\":\"Hal\",\"status\":\"hired\"}");
	json_t *explain = fx_json("{\"score\":82,\"needs_basis\":false,\"parts\":"
	    "[{\"part\":\"required\",\"points\":35,\"max\":35,\"text\":\"2 of 2 "
	    "required skills: Go, PostgreSQL.\"}]}");
	json_t *entry, *a, *t;
	const struct {
		uint64_t role, cand;
		int rc;
	} cases[] = {
		{ role, ann, HE_OK },
		{ role, ann, HE_EXISTS },
		{ role, dnc, HE_INVALID },
		{ role, hired, HE_INVALID },
		{ closed, ann, HE_INVALID },
		{ 999999, ann, HE_NOTFOUND },
		{ role, 999999, HE_NOTFOUND },
	};

	assert_int_equal(role_set_status(e->st, &w.a, closed, ROLE_CLOSED), HE_OK);
	for (size_t i = 0; i < N(cases); i++) {
		int rc = pipe_shortlist(e->st, &w.a, cases[i].role, cases[i].cand,
		    explain);

		if (rc != cases[i].rc)
			fail_msg("case %zu: %s, not %s", i, he_strerror(rc),
			    he_strerror(cases[i].rc));
	}
	assert_int_equal(pipe_get(e->st, NULL, role, ann, &entry), HE_OK);
	assert_string_equal(json_string_value(json_object_get(entry, "stage")),
	    "shortlisted");
	assert_int_equal(json_integer_value(json_object_get(entry, "by")), w.rec);
	assert_true(json_equal(json_object_get(entry, "explain"), explain));
	assert_int_equal(json_array_size(json_object_get(entry, "history")), 1);
	json_decref(entry);
	assert_int_equal(pipe_get(e->st, NULL, role, dnc, &entry), HE_NOTFOUND);
	/* The audit log keeps the explanation that was shown, once. */
	a = fx_audits(e, ann, "shortlist");
	assert_int_equal(json_array_size(a), 1);
	assert_true(json_equal(json_object_get(json_object_get(json_array_get(a, 0),
	    "detail"), "explain"), explain));
	assert_int_equal(json_integer_value(json_object_get(json_object_get(
	    json_array_get(a, 0), "detail"), "role")), role);
	assert_string_equal(json_string_value(json_object_get(json_array_get(a, 0),
	    "ip")), "192.0.2.1");
	json_decref(a);
	a = fx_audits(e, dnc, "shortlist");
	assert_int_equal(json_array_size(a), 0);
	json_decref(a);
	/* A touchpoint on their timeline says who and where. */
	t = fx_touches(e, ann, "stage");
	assert_int_equal(json_array_size(t), 1);
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    json_array_get(t, 0), "detail"), "to")), "shortlisted");
	assert_string_equal(json_string_value(json_object_get(json_array_get(t, 0),
	    "by_name")), "rec@example.org");
	json_decref(t);
	json_decref(explain);
}

static void
test_moves(void **state)
{
	struct env *e = *state;
	struct who w = people(e);
	uint64_t role = fx_role(e, w.rec, "engineering", NULL, "open");
	uint64_t p = fx_cand(e, "{\"first_name\":\"Ann\",\"status\":\"sourced\"}");
	uint64_t q = fx_cand(e, "{\"first_name\":\"Bo\",\"status\":\"engaged\"}");
	uint64_t r = fx_cand(e, "{\"first_name\":\"Cy\",\"status\":\"engaged\"}");
	static const enum pipe_stage path[] = { PIPE_CONTACTED, PIPE_INTERESTED,
		PIPE_APPLIED, PIPE_INTERVIEWING, PIPE_OFFER, PIPE_HIRED };
	json_t *entry, *t, *a, *rec;

	assert_int_equal(pipe_shortlist(e->st, &w.a, role, p, NULL), HE_OK);
	for (size_t i = 0; i < N(path); i++)
		assert_int_equal(fx_move(e, &w.a, role, p, path[i]), HE_OK);
	/* Where they are already: nothing new. */
	assert_int_equal(fx_move(e, &w.a, role, p, PIPE_HIRED), HE_OK);
	assert_int_equal(pipe_get(e->st, NULL, role, p, &entry), HE_OK);
	assert_string_equal(json_string_value(json_object_get(entry, "stage")), "hired");
	assert_int_equal(json_array_size(json_object_get(entry, "history")), 7);
	json_decref(entry);
	t = fx_touches(e, p, "stage");
	assert_int_equal(json_array_size(t), 7);
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    json_array_get(t, 6), "detail"), "from")), "offer");
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    json_array_get(t, 6), "detail"), "to")), "hired");
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    json_array_get(t, 6), "detail"), "title")), "Backend engineer");
	json_decref(t);
	a = fx_audits(e, p, "pipeline");
	assert_int_equal(json_array_size(a), 6);
	json_decref(a);
	/* Hired: their status and when. */
	assert_string_equal(fx_field(e, p, "status"), "hired");
	assert_int_equal(store_cand_get(e->st, NULL, p, 0, &rec), HE_OK);
	assert_true(json_integer_value(json_object_get(rec, "hired_at")) > 0);
	json_decref(rec);
	t = fx_touches(e, p, "status");
	assert_int_equal(json_array_size(t), 1);
	json_decref(t);
	/* A hire undone (a mistake, withdrawn before starting): as before. */
	assert_int_equal(fx_move(e, &w.a, role, p, PIPE_WITHDRAWN), HE_OK);
	assert_string_equal(fx_field(e, p, "status"), "sourced");
	assert_int_equal(store_cand_get(e->st, NULL, p, 0, &rec), HE_OK);
	assert_null(json_object_get(rec, "hired_at"));
	json_decref(rec);
	t = fx_touches(e, p, "status");
	assert_int_equal(json_array_size(t), 2);
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    json_array_get(t, 1), "detail"), "to")), "sourced");
	json_decref(t);
	/* Hired again, then hired by someone else's edit meanwhile: a later
	 * move out of hired leaves what that edit set. */
	assert_int_equal(fx_move(e, &w.a, role, p, PIPE_HIRED), HE_OK);
	fx_edit(e, p, "hired_at", json_integer(1700000000));
	assert_int_equal(fx_move(e, &w.a, role, p, PIPE_OFFER), HE_OK);
	assert_string_equal(fx_field(e, p, "status"), "hired");

	/* Declined from an offer: noted; from an interview: not. */
	assert_int_equal(fx_move(e, &w.a, role, q, PIPE_OFFER), HE_OK);
	assert_int_equal(fx_move(e, &w.a, role, q, PIPE_DECLINED), HE_OK);
	assert_int_equal(store_cand_get(e->st, NULL, q, 0, &rec), HE_OK);
	assert_true(json_integer_value(json_object_get(rec, "offer_declined_at")) > 0);
	assert_string_equal(json_string_value(json_object_get(rec, "status")), "engaged");
	json_decref(rec);
	assert_int_equal(fx_move(e, &w.a, role, r, PIPE_INTERVIEWING), HE_OK);
	assert_int_equal(fx_move(e, &w.a, role, r, PIPE_DECLINED), HE_OK);
	assert_int_equal(store_cand_get(e->st, NULL, r, 0, &rec), HE_OK);
	assert_null(json_object_get(rec, "offer_declined_at"));
	json_decref(rec);
	/* No such role, person, stage. */
	assert_int_equal(pipe_move(e->st, &w.a, 999999, r, PIPE_APPLIED), HE_NOTFOUND);
	assert_int_equal(pipe_move(e->st, &w.a, role, 999999, PIPE_APPLIED), HE_NOTFOUND);
	assert_int_equal(pipe_move(e->st, &w.a, role, r, PIPE_STAGE__MAX), HE_INVALID);
	/* People join a pipeline by being shortlisted, not by a move. */
	{
		uint64_t stranger = fx_cand(e, "{\"first_name\":\"Sam\"}");
		json_t *entry;

		assert_int_equal(pipe_move(e->st, &w.a, role, stranger, PIPE_APPLIED),
		    HE_NOTFOUND);
		assert_int_equal(pipe_get(e->st, NULL, role, stranger, &entry),
		    HE_NOTFOUND);
	}
	assert_int_equal(pipe_stage_of("offer"), PIPE_OFFER);
	assert_int_equal(pipe_stage_of("nope"), -1);
	assert_string_equal(pipe_stage_labels[PIPE_INTERVIEWING], "Interviewing");
}

static void
test_lists(void **state)
{
	struct env *e = *state;
	struct who w = people(e);
	char mgr[64];
	uint64_t role, other, c[5], stranger;
	json_t *rows;
	size_t total;

	snprintf(mgr, sizeof mgr, ",\"managers\":[%llu]", (unsigned long long)w.hm);
	role = fx_role(e, w.rec, "engineering", mgr, "open");
	other = fx_role(e, w.rec, "data", NULL, "open");
	for (size_t i = 0; i < N(c); i++) {
		char json[64];

		snprintf(json, sizeof json, "{\"first_name\":\"P%zu\"}", i);
		c[i] = fx_cand(e, json);
	}
	stranger = fx_cand(e, "{\"first_name\":\"S\"}");
	/* c0 applied, c1 shortlisted (later), c2 shortlisted, c3 interviewing,
	 * c4 shortlisted then moved at the latest time. */
	assert_int_equal(fx_move(e, &w.a, role, c[2], PIPE_SHORTLISTED), HE_OK);
	clock_set_offset(10);
	assert_int_equal(fx_move(e, &w.a, role, c[1], PIPE_SHORTLISTED), HE_OK);
	assert_int_equal(fx_move(e, &w.a, role, c[0], PIPE_APPLIED), HE_OK);
	assert_int_equal(fx_move(e, &w.a, role, c[3], PIPE_INTERVIEWING), HE_OK);
	clock_set_offset(20);
	assert_int_equal(fx_move(e, &w.a, role, c[4], PIPE_SHORTLISTED), HE_OK);
	assert_int_equal(fx_move(e, &w.a, other, c[0], PIPE_CONTACTED), HE_OK);

	assert_int_equal(pipe_list(e->st, role, -1, 0, 100, &rows, &total), HE_OK);
	assert_int_equal(total, 5);
	{
		const uint64_t want[] = { c[4], c[1], c[2], c[0], c[3] };

		for (size_t i = 0; i < N(want); i++)
			if ((uint64_t)json_integer_value(json_object_get(json_array_get(rows,
			    i), "cand")) != want[i])
				fail_msg("row %zu is not the expected person", i);
	}
	assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 0),
	    "name")), "P4");
	assert_non_null(json_string_value(json_object_get(json_array_get(rows, 0),
	    "email")));
	json_decref(rows);
	assert_int_equal(pipe_list(e->st, role, PIPE_SHORTLISTED, 1, 1, &rows,
	    &total), HE_OK);
	assert_int_equal(total, 3);
	assert_int_equal(json_array_size(rows), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(rows, 0),
	    "cand")), c[1]);
	json_decref(rows);

	/* Several roles per person. */
	assert_int_equal(pipe_of_cand(e->st, NULL, c[0], &rows), HE_OK);
	assert_int_equal(json_array_size(rows), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 0),
	    "stage")), "applied");
	assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 1),
	    "stage")), "contacted");
	json_decref(rows);
	assert_int_equal(pipe_of_cand(e->st, NULL, stranger, &rows), HE_OK);
	assert_int_equal(json_array_size(rows), 0);
	json_decref(rows);

	/* A hiring manager sees the people of their roles' pipelines only. */
	assert_int_equal(pipe_manager_may_see(e->st, NULL, w.hm, c[3]), HE_OK);
	assert_int_equal(pipe_manager_may_see(e->st, NULL, w.hm, c[0]), HE_OK);
	assert_int_equal(pipe_manager_may_see(e->st, NULL, w.hm, stranger),
	    HE_NOTFOUND);
	assert_int_equal(pipe_manager_may_see(e->st, NULL, w.hm2, c[3]), HE_NOTFOUND);
	assert_int_equal(pipe_manager_may_see(e->st, NULL, 0, c[3]), HE_NOTFOUND);
}

struct purge {
	uint64_t a, b;
	int merge;
};

static int
purge_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct purge *p = arg;

	return p->merge ? pipe_cand_merge(st, txn, p->a, p->b) :
	    pipe_cand_purge(st, txn, p->a);
}

static int
alert_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct purge *p = arg;
	json_t *a = json_pack("{s:i, s:i, s:I, s:I}", "at", 1, "score", 80,
	    "owner", (json_int_t)7, "pending", (json_int_t)7);
	int rc = store_alert_put(st, txn, p->a, p->b, a);

	json_decref(a);
	return rc;
}

static void
test_purge_merge(void **state)
{
	struct env *e = *state;
	struct who w = people(e);
	uint64_t r1 = fx_role(e, w.rec, "engineering", NULL, "open");
	uint64_t r2 = fx_role(e, w.rec, "engineering", NULL, "open");
	uint64_t gone = fx_cand(e, "{\"first_name\":\"G\"}");
	uint64_t from = fx_cand(e, "{\"first_name\":\"F\"}");
	uint64_t into = fx_cand(e, "{\"first_name\":\"I\"}");
	struct purge p;
	json_t *rows, *entry, *role;
	uint64_t owners[4];
	size_t n;

	assert_int_equal(fx_move(e, &w.a, r1, gone, PIPE_INTERVIEWING), HE_OK);
	assert_int_equal(fx_move(e, &w.a, r2, gone, PIPE_APPLIED), HE_OK);
	p = (struct purge){ r1, gone, 0 };
	assert_int_equal(store_txn(e->st, alert_txn, &p), HE_OK);
	assert_int_equal(role_set_status(e->st, &w.a, r1, ROLE_CLOSED), HE_OK);
	assert_int_equal(role_get(e->st, NULL, r1, &role), HE_OK);
	assert_true(role_has_id(json_object_get(role, "silver"), gone));
	json_decref(role);
	p = (struct purge){ gone, 0, 0 };
	assert_int_equal(store_txn(e->st, purge_txn, &p), HE_OK);
	assert_int_equal(pipe_of_cand(e->st, NULL, gone, &rows), HE_OK);
	assert_int_equal(json_array_size(rows), 0);
	json_decref(rows);
	assert_int_equal(pipe_list(e->st, r2, -1, 0, 10, &rows, &n), HE_OK);
	assert_int_equal(n, 0);
	json_decref(rows);
	assert_int_equal(store_alert_exists(e->st, NULL, r1, gone), HE_NOTFOUND);
	assert_int_equal(store_alert_due_owners(e->st, NULL, owners, 4, &n), HE_OK);
	assert_int_equal(n, 0);
	assert_int_equal(role_get(e->st, NULL, r1, &role), HE_OK);
	assert_false(role_has_id(json_object_get(role, "silver"), gone));
	json_decref(role);

	/* A merge: from's entries become into's, into's own wins. */
	assert_int_equal(fx_move(e, &w.a, r1, from, PIPE_OFFER), HE_OK);
	assert_int_equal(fx_move(e, &w.a, r2, from, PIPE_INTERVIEWING), HE_OK);
	assert_int_equal(fx_move(e, &w.a, r2, into, PIPE_CONTACTED), HE_OK);
	p = (struct purge){ from, into, 1 };
	assert_int_equal(store_txn(e->st, purge_txn, &p), HE_OK);
	assert_int_equal(pipe_of_cand(e->st, NULL, from, &rows), HE_OK);
	assert_int_equal(json_array_size(rows), 0);
	json_decref(rows);
	assert_int_equal(pipe_get(e->st, NULL, r1, into, &entry), HE_OK);
	assert_string_equal(json_string_value(json_object_get(entry, "stage")), "offer");
	json_decref(entry);
	assert_int_equal(pipe_get(e->st, NULL, r2, into, &entry), HE_OK);
	assert_string_equal(json_string_value(json_object_get(entry, "stage")),
	    "contacted");
	json_decref(entry);
	assert_int_equal(pipe_cand_merge(e->st, NULL, into, into), HE_OK);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_shortlist, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_moves, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_lists, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_purge_merge, fx_setup, fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
