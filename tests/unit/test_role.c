/* test_role.c: roles: validation, states, generations, silver medallists and their undo, lists, comments */
#include "role_fixture.h"
#include "crm/role_int.h"
#include "crm/skills.h"

#define N(a) (sizeof (a) / sizeof *(a))

struct users {
	uint64_t rec, hm, hm2, admin, hm_off, rec_off;
};

static struct users
users(struct env *e)
{
	struct users u;

	u.rec = fx_user(e, "rec@example.org", "recruiter", 0);
	u.hm = fx_user(e, "hm@example.org", "hiring_manager", 0);
	u.hm2 = fx_user(e, "hm2@example.org", "hiring_manager", 0);
	u.admin = fx_user(e, "admin@example.org", "admin", 0);
	u.hm_off = fx_user(e, "gone@example.org", "hiring_manager", 1);
	u.rec_off = fx_user(e, "left@example.org", "recruiter", 1);
	return u;
}

static void
configure(void)
{
	HDF *conf;

	assert_true(hdf_init(&conf) == STATUS_OK);
	assert_true(hdf_set_value(conf, "Site.JobFamilies.engineering",
	    "Engineering") == STATUS_OK);
	assert_true(hdf_set_value(conf, "Site.JobFamilies.data",
	    "Data and analytics") == STATUS_OK);
	assert_true(hdf_set_value(conf, "Match.AlertThreshold", "65") == STATUS_OK);
	assert_int_equal(role_configure(conf), HE_OK);
	hdf_destroy(&conf);
	assert_int_equal(skills_load("conf/skills.tsv", NULL, 0), HE_OK);
}

/* ---- validation ---- */

static void
test_validate(void **state)
{
	struct env *e = *state;
	struct users u = users(e);
	char mgr[64], owner[64], hm_off[64], rec_as_mgr[64], hm_as_owner[64],
	    owner_off[64], twice[64];
	const struct {
		const char *extra;	/* members replacing the valid role's */
		const char *field;	/* NULL: valid */
		const char *says;
	} cases[] = {
		{ "", NULL, NULL },
		{ ",\"title\":\"\"", "title", "title" },
		{ ",\"title\":\"   \"", "title", "title" },
		{ ",\"title\":\"a\\nb\"", "title", "one line" },
		{ ",\"title\":\"" "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"",
		    "title", "120" },
		{ ",\"team\":5", "team", "team" },
		{ ",\"family\":\"\"", "family", "family" },
		{ ",\"family\":\"astronomy\"", "family", "one of" },
		{ ",\"family\":\"data\"", NULL, NULL },
		{ ",\"remote\":\"sometimes\"", "remote", "hybrid" },
		{ ",\"remote\":\"onsite\"", NULL, NULL },
		{ ",\"remote\":\"remote\",\"locations\":[]", NULL, NULL },
		{ ",\"remote\":\"onsite\",\"locations\":[]", "locations", "remote" },
		{ ",\"locations\":[{}]", "locations.0.city", "city" },
		{ ",\"locations\":[{\"country\":\"Spain\"}]", NULL, NULL },
		{ ",\"locations\":[1]", "locations.0", "read" },
		{ ",\"locations\":[{\"city\":\"a\"},{\"city\":\"b\"},{\"city\":\"c\"},"
		    "{\"city\":\"d\"},{\"city\":\"e\"},{\"city\":\"f\"},{\"city\":\"g\"},"
		    "{\"city\":\"h\"},{\"city\":\"i\"}]", "locations", "8" },
		{ ",\"seniority\":\"wizard\"", "seniority", "seniority" },
		{ ",\"seniority\":\"\"", NULL, NULL },
		{ ",\"required\":\"Go\"", "required", "read" },
		{ ",\"required\":[\"\"]", "required.0", "name" },
		{ ",\"required\":[\"Go\",\"golang\"]", "required.1", "listed already" },
		{ ",\"required\":[\"postgres\"],\"nice\":[{\"skill\":\"PostgreSQL\"}]",
		    "nice.0.skill", "listed already" },
		{ ",\"required\":[\"a very long skill name that goes on and on for ever\"]",
		    "required.0", "40" },
		{ ",\"required\":[]", NULL, NULL },
		{ ",\"nice\":[{\"skill\":\"Docker\",\"weight\":0}]", "nice.0.weight", "1" },
		{ ",\"nice\":[{\"skill\":\"Docker\",\"weight\":6}]", "nice.0.weight", "5" },
		{ ",\"nice\":[{\"skill\":\"Docker\"}]", NULL, NULL },
		{ ",\"nice\":[\"Docker\"]", "nice.0", "read" },
		{ ",\"threshold\":101", "threshold", "100" },
		{ ",\"threshold\":80", NULL, NULL },
		{ mgr, NULL, NULL },
		{ ",\"managers\":[999]", "managers", "no account" },
		{ ",\"managers\":\"x\"", "managers", "read" },
		{ hm_off, "managers", "disabled" },
		{ rec_as_mgr, "managers", "hiring manager role" },
		{ twice, "managers", "twice" },
		{ owner, NULL, NULL },
		{ hm_as_owner, "owner", "recruiter or an admin" },
		{ owner_off, "owner", "disabled" },
	};

	configure();
	snprintf(mgr, sizeof mgr, ",\"managers\":[%llu,%llu]",
	    (unsigned long long)u.hm, (unsigned long long)u.hm2);
	snprintf(hm_off, sizeof hm_off, ",\"managers\":[%llu]",
	    (unsigned long long)u.hm_off);
	snprintf(rec_as_mgr, sizeof rec_as_mgr, ",\"managers\":[%llu]",
	    (unsigned long long)u.rec);
	snprintf(twice, sizeof twice, ",\"managers\":[%llu,%llu]",
	    (unsigned long long)u.hm, (unsigned long long)u.hm);
	snprintf(owner, sizeof owner, ",\"owner\":%llu",
	    (unsigned long long)u.admin);
	snprintf(hm_as_owner, sizeof hm_as_owner, ",\"owner\":%llu",
	    (unsigned long long)u.hm);
	snprintf(owner_off, sizeof owner_off, ",\"owner\":%llu",
	    (unsigned long long)u.rec_off);
	for (size_t i = 0; i < N(cases); i++) {
		json_t *body = fx_role_json("engineering", cases[i].extra), *errors = NULL;
		int rc = role_validate(e->st, NULL, body, &errors);

		if (cases[i].field == NULL) {
			if (rc != HE_OK)
				fail_msg("case %zu: %s", i, json_dumps(errors, 0));
			assert_null(errors);
		} else {
			const char *msg;

			if (rc != HE_INVALID)
				fail_msg("case %zu: %s, not invalid", i, he_strerror(rc));
			msg = json_string_value(json_object_get(errors, cases[i].field));
			if (msg == NULL)
				fail_msg("case %zu: no error for %s: %s", i, cases[i].field,
				    json_dumps(errors, 0));
			if (strstr(msg, cases[i].says) == NULL)
				fail_msg("case %zu: \"%s\" does not say %s", i, msg,
				    cases[i].says);
		}
		json_decref(errors);
		json_decref(body);
	}
	/* Not an object at all. */
	{
		json_t *errors = NULL, *s = json_string("x");

		assert_int_equal(role_validate(e->st, NULL, s, &errors), HE_INVALID);
		assert_non_null(json_object_get(errors, "title"));
		json_decref(errors);
		json_decref(s);
	}
	assert_int_equal(role_alert_threshold(), 65);
	assert_string_equal(role_family_label("data"), "Data and analytics");
	assert_int_equal(role_configure(NULL), HE_OK);
	assert_int_equal(role_alert_threshold(), 70);
}

/* ---- create, edit, generations ---- */

static void
test_create_update(void **state)
{
	struct env *e = *state;
	struct users u = users(e);
	struct audit_actor who = { u.rec, NULL };
	json_t *role, *body, *errors = NULL;
	int64_t g0, g1;
	uint64_t id, open_id;

	assert_int_equal(store_role_gen(e->st, NULL, &g0), HE_OK);
	id = fx_role(e, u.rec, "engineering", NULL, NULL);
	assert_int_equal(store_role_gen(e->st, NULL, &g1), HE_OK);
	assert_true(g1 != g0);
	assert_int_equal(role_get(e->st, NULL, id, &role), HE_OK);
	assert_string_equal(json_string_value(json_object_get(role, "status")), "draft");
	assert_int_equal(json_integer_value(json_object_get(role, "owner")), u.rec);
	assert_int_equal(json_integer_value(json_object_get(role, "gen")), 1);
	assert_int_equal(json_integer_value(json_object_get(role, "id")), id);
	assert_null(json_object_get(role, "opened"));
	/* A nice skill's weight is kept; one without gets 1. */
	assert_int_equal(json_integer_value(json_object_get(json_array_get(
	    json_object_get(role, "nice"), 0), "weight")), 3);
	json_decref(role);

	/* Created open: opened now. */
	body = fx_role_json("engineering", ",\"status\":\"open\"");
	assert_int_equal(role_create(e->st, &who, body, &open_id, &errors), HE_OK);
	json_decref(body);
	assert_int_equal(role_get(e->st, NULL, open_id, &role), HE_OK);
	assert_string_equal(json_string_value(json_object_get(role, "status")), "open");
	assert_true(json_integer_value(json_object_get(role, "opened")) > 0);
	json_decref(role);

	/* An edit with the generation read: saved, generation + 1. */
	body = fx_role_json("engineering", ",\"title\":\"Staff engineer\","
	    "\"nice\":[{\"skill\":\"Docker\"}]");
	assert_int_equal(role_update(e->st, &who, id, 1, body, &errors), HE_OK);
	assert_null(errors);
	assert_int_equal(role_get(e->st, NULL, id, &role), HE_OK);
	assert_string_equal(json_string_value(json_object_get(role, "title")),
	    "Staff engineer");
	assert_int_equal(json_integer_value(json_object_get(role, "gen")), 2);
	assert_int_equal(json_integer_value(json_object_get(role, "owner")), u.rec);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(
	    json_object_get(role, "nice"), 0), "weight")), 1);
	json_decref(role);
	assert_int_equal(store_role_gen(e->st, NULL, &g0), HE_OK);
	assert_true(g0 != g1);
	/* The same generation again: someone saved meanwhile. */
	assert_int_equal(role_update(e->st, &who, id, 1, body, &errors), HE_CONFLICT);
	json_decref(body);
	/* Invalid: errors per field, nothing saved. */
	body = fx_role_json("engineering", ",\"title\":\"\"");
	assert_int_equal(role_update(e->st, &who, id, 2, body, &errors), HE_INVALID);
	assert_non_null(json_object_get(errors, "title"));
	json_decref(errors);
	json_decref(body);
	assert_int_equal(role_update(e->st, &who, 999999, 1, role = fx_role_json(
	    "engineering", NULL), &errors), HE_NOTFOUND);
	json_decref(role);
	/* Creating an invalid role stores nothing. */
	body = fx_role_json("", NULL);
	assert_int_equal(role_create(e->st, &who, body, &id, &errors), HE_INVALID);
	assert_non_null(json_object_get(errors, "family"));
	json_decref(errors);
	json_decref(body);
	/* The audit log says so, with the fields changed. */
	{
		struct audit_filter f = { .action = "role" };
		json_t *entries;
		int more;
		int64_t stopped;

		assert_int_equal(audit_list(e->st, &f, 0, 10, &entries, &more,
		    &stopped), HE_OK);
		assert_int_equal(json_array_size(entries), 3);
		assert_string_equal(json_string_value(json_object_get(json_object_get(
		    json_array_get(entries, 0), "detail"), "what")), "edit");
		assert_string_equal(json_string_value(json_array_get(json_object_get(
		    json_object_get(json_array_get(entries, 0), "detail"), "fields"),
		    0)), "title");
		json_decref(entries);
	}
}

/* ---- states ---- */

static void
test_states(void **state)
{
	struct env *e = *state;
	struct users u = users(e);
	struct audit_actor who = { u.rec, NULL };
	static const struct {
		const char *path;	/* statuses to go through from draft */
		const char *to;
		int rc;
	} cases[] = {
		{ "", "open", HE_OK },
		{ "", "on_hold", HE_INVALID },
		{ "", "filled", HE_INVALID },
		{ "", "closed", HE_OK },
		{ "", "draft", HE_OK },		/* where it is: nothing */
		{ "open", "draft", HE_INVALID },
		{ "open", "on_hold", HE_OK },
		{ "open", "filled", HE_OK },
		{ "open,on_hold", "open", HE_OK },
		{ "open,on_hold", "filled", HE_OK },
		{ "open,on_hold", "closed", HE_OK },
		{ "open,filled", "on_hold", HE_INVALID },
		{ "open,filled", "closed", HE_INVALID },
		{ "open,filled", "open", HE_OK },
		{ "open,closed", "open", HE_OK },
		{ "open,closed", "on_hold", HE_INVALID },
		{ "open,closed", "filled", HE_INVALID },
		{ "open,closed", "draft", HE_INVALID },
	};
	json_t *role;
	int64_t opened;
	uint64_t id;

	for (size_t i = 0; i < N(cases); i++) {
		char path[64], *save = NULL;

		id = fx_role(e, u.rec, "engineering", NULL, NULL);
		snprintf(path, sizeof path, "%s", cases[i].path);
		for (char *s = strtok_r(path, ",", &save); s;
		    s = strtok_r(NULL, ",", &save))
			assert_int_equal(role_set_status(e->st, &who, id,
			    (enum role_status)role_status_of(s)), HE_OK);
		if (role_set_status(e->st, &who, id, (enum role_status)
		    role_status_of(cases[i].to)) != cases[i].rc)
			fail_msg("case %zu: %s -> %s is not %s", i, cases[i].path,
			    cases[i].to, he_strerror(cases[i].rc));
	}
	assert_int_equal(role_set_status(e->st, &who, id, ROLE_STATUS__MAX),
	    HE_INVALID);
	assert_int_equal(role_set_status(e->st, &who, 999999, ROLE_OPEN),
	    HE_NOTFOUND);

	/* "opened" is set the first time; "closed" on filling, gone on
	 * reopening. */
	id = fx_role(e, u.rec, "engineering", NULL, "open");
	assert_int_equal(role_get(e->st, NULL, id, &role), HE_OK);
	opened = json_integer_value(json_object_get(role, "opened"));
	assert_true(opened > 0);
	json_decref(role);
	clock_set_offset(3600);
	assert_int_equal(role_set_status(e->st, &who, id, ROLE_FILLED), HE_OK);
	assert_int_equal(role_get(e->st, NULL, id, &role), HE_OK);
	assert_true(json_integer_value(json_object_get(role, "closed")) >= opened + 3600);
	assert_int_equal(json_integer_value(json_object_get(role, "gen")), 3);
	json_decref(role);
	assert_int_equal(role_set_status(e->st, &who, id, ROLE_OPEN), HE_OK);
	assert_int_equal(role_get(e->st, NULL, id, &role), HE_OK);
	assert_int_equal(json_integer_value(json_object_get(role, "opened")), opened);
	assert_null(json_object_get(role, "closed"));
	json_decref(role);
	assert_string_equal(role_status_labels[ROLE_ON_HOLD], "On hold");
	assert_int_equal(role_status_of("nope"), -1);
}

/* ---- silver medallists ---- */

static uint64_t
person_at(struct env *e, const struct audit_actor *who, uint64_t role,
    const char *path, const char *status)
{
	char json[128], p[128], *save = NULL;
	uint64_t id;

	snprintf(json, sizeof json, "{\"first_name\":\"P\",\"status\":\"%s\"}",
	    status);
	id = fx_cand(e, json);
	snprintf(p, sizeof p, "%s", path);
	for (char *s = strtok_r(p, ",", &save); s; s = strtok_r(NULL, ",", &save))
		assert_int_equal(fx_move(e, who, role, id,
		    (enum pipe_stage)pipe_stage_of(s)), HE_OK);
	return id;
}

static void
test_silver(void **state)
{
	struct env *e = *state;
	struct users u = users(e);
	struct audit_actor who = { u.rec, NULL };
	uint64_t role = fx_role(e, u.rec, "engineering", NULL, "open");
	static const struct {
		const char *path;
		const char *status;	/* before */
		int marked;
		const char *after;	/* status after */
	} cases[] = {
		{ "shortlisted,contacted,interested,applied,interviewing", "sourced",
		    1, "silver_medallist" },
		{ "shortlisted,interviewing,offer,declined", "engaged", 1,
		    "silver_medallist" },
		{ "interviewing,withdrawn", "applied", 1, "silver_medallist" },
		{ "offer", "interviewing", 1, "silver_medallist" },
		{ "shortlisted", "sourced", 0, "sourced" },
		{ "shortlisted,contacted,applied", "applied", 0, "applied" },
		{ "applied,declined", "declined", 0, "declined" },
		{ "interviewing,offer,hired", "offered", 0, "hired" },
	};
	uint64_t ids[N(cases)], dnc, other_role;
	json_t *r, *t, *a;

	for (size_t i = 0; i < N(cases); i++)
		ids[i] = person_at(e, &who, role, cases[i].path, cases[i].status);
	/* Reached interviewing, then marked do not contact: the family is
	 * noted, the status stays. */
	dnc = person_at(e, &who, role, "interviewing", "sourced");
	fx_edit(e, dnc, "status", json_string("do_not_contact"));

	assert_int_equal(role_set_status(e->st, &who, role, ROLE_FILLED), HE_OK);
	assert_int_equal(role_get(e->st, NULL, role, &r), HE_OK);
	for (size_t i = 0; i < N(cases); i++) {
		int listed = role_has_id(json_object_get(r, "silver"), ids[i]);

		if (listed != cases[i].marked)
			fail_msg("case %zu (%s): listed %d", i, cases[i].path, listed);
		assert_int_equal(fx_silver_of(e, ids[i], "engineering"), cases[i].marked);
		if (strcmp(fx_field(e, ids[i], "status"), cases[i].after) != 0)
			fail_msg("case %zu: status %s, not %s", i, fx_field(e, ids[i],
			    "status"), cases[i].after);
		t = fx_touches(e, ids[i], "silver");
		assert_int_equal(json_array_size(t), cases[i].marked);
		if (cases[i].marked)
			assert_int_equal(json_integer_value(json_object_get(json_object_get(
			    json_array_get(t, 0), "detail"), "role")), role);
		json_decref(t);
		a = fx_audits(e, ids[i], "silver");
		assert_int_equal(json_array_size(a), cases[i].marked);
		json_decref(a);
	}
	assert_true(role_has_id(json_object_get(r, "silver"), dnc));
	assert_true(fx_silver_of(e, dnc, "engineering"));
	assert_string_equal(fx_field(e, dnc, "status"), "do_not_contact");
	assert_int_equal(json_array_size(json_object_get(r, "silver")), 5);
	json_decref(r);

	/* Reopened and closed again: nobody is marked twice. */
	assert_int_equal(role_set_status(e->st, &who, role, ROLE_OPEN), HE_OK);
	assert_int_equal(role_set_status(e->st, &who, role, ROLE_CLOSED), HE_OK);
	assert_int_equal(role_get(e->st, NULL, role, &r), HE_OK);
	assert_int_equal(json_array_size(json_object_get(r, "silver")), 5);
	json_decref(r);
	t = fx_touches(e, ids[0], "silver");
	assert_int_equal(json_array_size(t), 1);
	json_decref(t);

	/* Undo: off the list, the status back, the family gone. */
	assert_int_equal(role_silver_undo(e->st, &who, role, ids[0]), HE_OK);
	assert_int_equal(role_get(e->st, NULL, role, &r), HE_OK);
	assert_false(role_has_id(json_object_get(r, "silver"), ids[0]));
	json_decref(r);
	assert_string_equal(fx_field(e, ids[0], "status"), "sourced");
	assert_false(fx_silver_of(e, ids[0], "engineering"));
	assert_int_equal(role_silver_undo(e->st, &who, role, ids[0]), HE_NOTFOUND);
	assert_int_equal(role_silver_undo(e->st, &who, role, ids[4]), HE_NOTFOUND);
	t = fx_touches(e, ids[0], "silver");
	assert_int_equal(json_array_size(t), 2);
	assert_true(json_is_true(json_object_get(json_object_get(json_array_get(t,
	    1), "detail"), "undone")));
	json_decref(t);

	/* Marked by two roles of the family: undoing one keeps the family
	 * and the status. */
	other_role = fx_role(e, u.rec, "engineering", NULL, "open");
	assert_int_equal(fx_move(e, &who, other_role, ids[1], PIPE_INTERVIEWING),
	    HE_OK);
	assert_int_equal(role_set_status(e->st, &who, other_role, ROLE_CLOSED), HE_OK);
	assert_int_equal(role_silver_undo(e->st, &who, role, ids[1]), HE_OK);
	assert_true(fx_silver_of(e, ids[1], "engineering"));
	assert_string_equal(fx_field(e, ids[1], "status"), "silver_medallist");
	assert_int_equal(role_silver_undo(e->st, &who, other_role, ids[1]), HE_OK);
	assert_false(fx_silver_of(e, ids[1], "engineering"));
	assert_string_equal(fx_field(e, ids[1], "status"), "engaged");
}

/* ---- lists, managers, comments ---- */

static void
test_list(void **state)
{
	struct env *e = *state;
	struct users u = users(e);
	struct audit_actor who = { u.rec, NULL };
	char mgr[64];
	uint64_t a, b, c, p;
	json_t *rows;
	size_t total;

	snprintf(mgr, sizeof mgr, ",\"managers\":[%llu]", (unsigned long long)u.hm);
	a = fx_role(e, u.rec, "engineering", mgr, "open");
	b = fx_role(e, u.rec, "data", NULL, NULL);
	c = fx_role(e, u.rec, "engineering", mgr, NULL);
	p = fx_cand(e, "{\"first_name\":\"Ann\"}");
	assert_int_equal(fx_move(e, &who, a, p, PIPE_CONTACTED), HE_OK);

	assert_int_equal(role_list(e->st, -1, 0, 1, 10, &rows, &total), HE_OK);
	assert_int_equal(total, 3);
	/* Newest first, with the pipeline's size. */
	assert_int_equal(json_integer_value(json_object_get(json_array_get(rows, 0),
	    "id")), c);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(rows, 2),
	    "id")), a);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(rows, 2),
	    "pipeline")), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(rows, 1),
	    "pipeline")), 0);
	json_decref(rows);
	assert_int_equal(role_list(e->st, ROLE_OPEN, 0, 1, 10, &rows, &total), HE_OK);
	assert_int_equal(total, 1);
	json_decref(rows);
	assert_int_equal(role_list(e->st, -1, u.hm, 1, 10, &rows, &total), HE_OK);
	assert_int_equal(total, 2);
	json_decref(rows);
	assert_int_equal(role_list(e->st, -1, u.hm2, 1, 10, &rows, &total), HE_OK);
	assert_int_equal(total, 0);
	json_decref(rows);
	/* Paging. */
	assert_int_equal(role_list(e->st, -1, 0, 2, 2, &rows, &total), HE_OK);
	assert_int_equal(total, 3);
	assert_int_equal(json_array_size(rows), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(rows, 0),
	    "id")), a);
	json_decref(rows);

	assert_int_equal(role_is_manager(e->st, NULL, a, u.hm), HE_OK);
	assert_int_equal(role_is_manager(e->st, NULL, b, u.hm), HE_NOTFOUND);
	assert_int_equal(role_is_manager(e->st, NULL, a, u.hm2), HE_NOTFOUND);
	assert_int_equal(role_is_manager(e->st, NULL, a, 0), HE_NOTFOUND);
	assert_int_equal(role_is_manager(e->st, NULL, 999999, u.hm), HE_NOTFOUND);
}

static void
test_comment(void **state)
{
	struct env *e = *state;
	struct users u = users(e);
	struct audit_actor who = { u.hm, NULL };
	uint64_t id = fx_role(e, u.rec, "engineering", NULL, NULL);
	json_t *role, *c;
	char text[32];

	assert_int_equal(role_comment(e->st, &who, id, "Strong pool this time."),
	    HE_OK);
	assert_int_equal(role_comment(e->st, &who, id, "  "), HE_INVALID);
	assert_int_equal(role_comment(e->st, &who, id, NULL), HE_INVALID);
	assert_int_equal(role_comment(e->st, &who, id, "\xff"), HE_INVALID);
	assert_int_equal(role_comment(e->st, &who, 999999, "x"), HE_NOTFOUND);
	assert_int_equal(role_get(e->st, NULL, id, &role), HE_OK);
	c = json_array_get(json_object_get(role, "comments"), 0);
	assert_string_equal(json_string_value(json_object_get(c, "text")),
	    "Strong pool this time.");
	assert_string_equal(json_string_value(json_object_get(c, "by_name")),
	    "hm@example.org");
	assert_int_equal(json_integer_value(json_object_get(c, "by")), u.hm);
	/* A comment is not an edit: the edit form's generation holds. */
	assert_int_equal(json_integer_value(json_object_get(role, "gen")), 1);
	json_decref(role);
	/* The oldest go past ROLE_COMMENTS_KEPT. */
	for (int i = 0; i < ROLE_COMMENTS_KEPT; i++) {
		snprintf(text, sizeof text, "note %d", i);
		assert_int_equal(role_comment(e->st, &who, id, text), HE_OK);
	}
	assert_int_equal(role_get(e->st, NULL, id, &role), HE_OK);
	assert_int_equal(json_array_size(json_object_get(role, "comments")),
	    ROLE_COMMENTS_KEPT);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    json_object_get(role, "comments"), 0), "text")), "note 0");
	json_decref(role);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_validate, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_create_update, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_states, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_silver, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_list, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_comment, fx_setup, fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
