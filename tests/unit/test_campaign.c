/* test_campaign.c: campaign definitions, states, enrolment and what candidate changes do */
#include "campaign_fixture.h"
#include "crm/community.h"
#include "crm/merge.h"
#include "crm/notice.h"

#define N(a) (sizeof (a) / sizeof *(a))

#define EMAIL_STEP "{\"type\":\"email\",\"variants\":[{\"subject\":\"Hi {{first_name}}\"," \
	"\"body\":\"Hello {{first_name|there}}\"}]}"

static const char *
camp_json(const char *pools, int is_auto, const char *goal)
{
	static char buf[2048];

	snprintf(buf, sizeof buf, "{\"name\":\"Welcome\",\"pools\":%s,\"auto\":%s,"
	    "\"goal\":\"%s\",\"window\":{\"from\":0,\"to\":24},\"steps\":[" EMAIL_STEP
	    ",{\"type\":\"wait\",\"days\":3}," EMAIL_STEP "]}", pools,
	    is_auto ? "true" : "false", goal);
	return buf;
}

/* ---- validation ---- */

static void
test_validate(void **state)
{
	static const struct {
		const char *body;
		const char *field;	/* NULL: valid */
		const char *says;	/* a part of the message */
	} cases[] = {
		{ "{\"name\":\"A\",\"steps\":[" EMAIL_STEP "]}", NULL, NULL },
		{ "{\"name\":\"\",\"steps\":[]}", "name", "name" },
		{ "{\"name\":\"  \"}", "name", "name" },
		{ "{\"steps\":[]}", "name", "name" },
		{ "{\"name\":\"A\",\"pools\":[0]}", "pools", "pools" },
		{ "{\"name\":\"A\",\"pools\":\"1\"}", "pools", "pools" },
		{ "{\"name\":\"A\",\"goal\":\"hired\"}", "goal", "goal" },
		{ "{\"name\":\"A\",\"goal\":\"replied\"}", NULL, NULL },
		{ "{\"name\":\"A\",\"window\":{\"from\":9,\"to\":9}}", "window", "before" },
		{ "{\"name\":\"A\",\"window\":{\"from\":24,\"to\":24}}", "window", "0 to 24" },
		{ "{\"name\":\"A\",\"window\":{\"from\":8,\"to\":18,\"weekdays\":true}}",
		    NULL, NULL },
		{ "{\"name\":\"A\",\"steps\":[{\"type\":\"fly\"}]}", "steps.0.type", "exist" },
		{ "{\"name\":\"A\",\"steps\":[{}]}", "steps.0", "Choose" },
		{ "{\"name\":\"A\",\"steps\":[{\"type\":\"email\",\"variants\":[]}]}",
		    "steps.0.variants", "one to four" },
		{ "{\"name\":\"A\",\"steps\":[{\"type\":\"email\",\"variants\":[{\"subject\":"
		    "\"s\",\"body\":\"b\"},{\"subject\":\"s\",\"body\":\"b\"},{\"subject\":"
		    "\"s\",\"body\":\"b\"},{\"subject\":\"s\",\"body\":\"b\"},{\"subject\":"
		    "\"s\",\"body\":\"b\"}]}]}", "steps.0.variants", "one to four" },
		{ "{\"name\":\"A\",\"steps\":[{\"type\":\"email\",\"variants\":[{\"subject\":"
		    "\"\",\"body\":\"b\"}]}]}", "steps.0.variants.0.subject", "subject" },
		{ "{\"name\":\"A\",\"steps\":[{\"type\":\"email\",\"variants\":[{\"subject\":"
		    "\"s\"}]}]}", "steps.0.variants.0.body", "message" },
		{ "{\"name\":\"A\",\"steps\":[{\"type\":\"email\",\"variants\":[{\"subject\":"
		    "\"Hi {{frist_name}}\",\"body\":\"b\"}]}]}",
		    "steps.0.variants.0.subject", "frist_name" },
		{ "{\"name\":\"A\",\"steps\":[{\"type\":\"email\",\"variants\":[{\"subject\":"
		    "\"s\",\"body\":\"{{#if city}}x\"}]}]}", "steps.0.variants.0.body", "line 1" },
		{ "{\"name\":\"A\",\"steps\":[{\"type\":\"email\",\"variants\":[{\"subject\":"
		    "\"s\",\"body\":\"b\"}],\"ab\":{\"metric\":\"click\"}}]}", "steps.0.ab",
		    "two versions" },
		{ "{\"name\":\"A\",\"steps\":[{\"type\":\"email\",\"variants\":[{\"subject\":"
		    "\"s\",\"body\":\"b\"},{\"subject\":\"t\",\"body\":\"b\"}],\"ab\":"
		    "{\"metric\":\"open\"}}]}", "steps.0.ab.metric", "clicks" },
		{ "{\"name\":\"A\",\"steps\":[{\"type\":\"wait\",\"days\":366}]}",
		    "steps.0.days", "365" },
		{ "{\"name\":\"A\",\"steps\":[{\"type\":\"wait\",\"days\":1,\"hours\":24}]}",
		    "steps.0.hours", "23" },
		{ "{\"name\":\"A\",\"steps\":[{\"type\":\"wait\"}]}", "steps.0.days", "hour" },
		{ "{\"name\":\"A\",\"steps\":[{\"type\":\"wait\",\"hours\":5}]}", NULL, NULL },
		{ "{\"name\":\"A\",\"steps\":[{\"type\":\"exit\"},{\"type\":\"branch\","
		    "\"on\":\"clicked\",\"goto\":1}]}", "steps.1.goto", "forward" },
		{ "{\"name\":\"A\",\"steps\":[{\"type\":\"branch\",\"on\":\"clicked\","
		    "\"goto\":2},{\"type\":\"exit\"}]}", NULL, NULL },
		{ "{\"name\":\"A\",\"steps\":[{\"type\":\"branch\",\"on\":\"clicked\","
		    "\"goto\":3},{\"type\":\"exit\"}]}", "steps.0.goto", "forward" },
		{ "{\"name\":\"A\",\"steps\":[{\"type\":\"branch\",\"on\":\"opened\","
		    "\"goto\":1}]}", "steps.0.on", "branch on" },
		{ "{\"name\":\"A\",\"steps\":[{\"type\":\"pool_add\"}]}", "steps.0.pool",
		    "static" },
		{ "{\"name\":\"A\",\"steps\":[{\"type\":\"notify\",\"text\":\"\"}]}",
		    "steps.0.text", "owner" },
	};
	char many[8192];
	size_t off;

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		json_t *body = fx_json("%s", cases[i].body), *errors = NULL;
		int rc = campaign_validate(body, &errors);

		if (cases[i].field == NULL) {
			if (rc != HE_OK)
				fail_msg("case %zu: %s", i, json_dumps(errors, 0));
			assert_null(errors);
		} else {
			const char *msg;

			assert_int_equal(rc, HE_INVALID);
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
	/* 31 steps: too many. */
	off = (size_t)snprintf(many, sizeof many, "{\"name\":\"A\",\"steps\":[");
	for (int i = 0; i < 31; i++)
		off += (size_t)snprintf(many + off, sizeof many - off, "%s{\"type\":\"exit\"}",
		    i ? "," : "");
	snprintf(many + off, sizeof many - off, "]}");
	{
		json_t *body = fx_json("%s", many), *errors = NULL;

		assert_int_equal(campaign_validate(body, &errors), HE_INVALID);
		assert_non_null(json_object_get(errors, "steps"));
		json_decref(errors);
		json_decref(body);
	}
}

static void
test_pools_checked(void **state)
{
	struct env *e = *state;
	struct cand_query q;
	uint64_t dyn, stat = fx_pool(e, "Static");
	json_t *body, *errors = NULL;
	uint64_t id;

	cand_query_init(&q);
	q.interest.n = 1;
	strcpy(q.interest.v[0], "engineering");
	assert_int_equal(pool_create(e->st, "Engineers", &q, 1, &dyn), HE_OK);

	body = fx_json("{\"name\":\"A\",\"pools\":[%llu, 999]}", (unsigned long long)stat);
	assert_int_equal(campaign_create(e->st, body, 1, &id, &errors), HE_INVALID);
	assert_non_null(json_object_get(errors, "pools"));
	json_decref(errors);
	json_decref(body);

	body = fx_json("{\"name\":\"A\",\"pools\":[%llu],\"steps\":[{\"type\":\"pool_add\","
	    "\"pool\":%llu},{\"type\":\"pool_remove\",\"pool\":%llu}]}",
	    (unsigned long long)dyn, (unsigned long long)dyn, (unsigned long long)stat);
	assert_int_equal(campaign_create(e->st, body, 1, &id, &errors), HE_INVALID);
	assert_null(json_object_get(errors, "pools"));
	assert_non_null(strstr(json_string_value(json_object_get(errors,
	    "steps.0.pool")), "static"));
	assert_null(json_object_get(errors, "steps.1.pool"));
	json_decref(errors);
	json_decref(body);
}

static void
test_update_conflict(void **state)
{
	struct env *e = *state;
	uint64_t pool = fx_pool(e, "P"), id;
	char pools[32];
	json_t *c, *body, *errors = NULL;

	snprintf(pools, sizeof pools, "[%llu]", (unsigned long long)pool);
	id = fx_campaign(e, camp_json(pools, 0, ""), 0);
	assert_int_equal(campaign_get(e->st, id, &c), HE_OK);
	assert_int_equal(json_integer_value(json_object_get(c, "gen")), 1);
	assert_string_equal(json_string_value(json_object_get(c, "state")), "draft");
	assert_int_equal(json_integer_value(json_object_get(c, "id")), id);
	json_decref(c);

	/* Two people opened the editor at gen 1: the first save wins. */
	body = fx_json(camp_json(pools, 1, "replied"));
	json_object_set_new(body, "name", json_string("Welcome back"));
	assert_int_equal(campaign_update(e->st, id, 1, body, &errors), HE_OK);
	assert_null(errors);
	json_object_set_new(body, "name", json_string("Lost edit"));
	assert_int_equal(campaign_update(e->st, id, 1, body, &errors), HE_CONFLICT);
	assert_null(errors);
	assert_int_equal(campaign_get(e->st, id, &c), HE_OK);
	assert_string_equal(json_string_value(json_object_get(c, "name")), "Welcome back");
	assert_int_equal(json_integer_value(json_object_get(c, "gen")), 2);
	assert_true(json_is_true(json_object_get(c, "auto")));
	assert_string_equal(json_string_value(json_object_get(c, "goal")), "replied");
	json_decref(c);

	/* Invalid input changes nothing. */
	json_object_set_new(body, "name", json_string(""));
	assert_int_equal(campaign_update(e->st, id, 2, body, &errors), HE_INVALID);
	assert_non_null(json_object_get(errors, "name"));
	json_decref(errors);
	assert_int_equal(campaign_get(e->st, id, &c), HE_OK);
	assert_int_equal(json_integer_value(json_object_get(c, "gen")), 2);
	json_decref(c);

	/* Archived: final. */
	assert_int_equal(campaign_set_state(e->st, id, "archived", 9), HE_OK);
	json_object_set_new(body, "name", json_string("After"));
	assert_int_equal(campaign_get(e->st, id, &c), HE_OK);
	assert_int_equal(campaign_update(e->st, id, json_integer_value(json_object_get(c,
	    "gen")), body, &errors), HE_INVALID);
	assert_non_null(json_object_get(errors, "state"));
	json_decref(errors);
	json_decref(c);
	assert_int_equal(campaign_set_state(e->st, id, "active", 9), HE_INVALID);
	json_decref(body);
	assert_int_equal(campaign_update(e->st, 4242, 1, body = fx_json(camp_json(pools,
	    0, "")), &errors), HE_NOTFOUND);
	json_decref(body);
}

static void
test_states(void **state)
{
	struct env *e = *state;
	uint64_t pool = fx_pool(e, "P"), nopool, nomail;
	char pools[32];
	json_t *list;

	snprintf(pools, sizeof pools, "[%llu]", (unsigned long long)pool);
	nopool = fx_campaign(e, camp_json("[]", 0, ""), 0);
	assert_int_equal(campaign_set_state(e->st, nopool, "active", 9), HE_INVALID);
	snprintf(pools, sizeof pools, "[%llu]", (unsigned long long)pool);
	{
		char buf[256];

		snprintf(buf, sizeof buf, "{\"name\":\"No mail\",\"pools\":%s,\"steps\":"
		    "[{\"type\":\"wait\",\"days\":1}]}", pools);
		nomail = fx_campaign(e, buf, 0);
	}
	assert_int_equal(campaign_set_state(e->st, nomail, "active", 9), HE_INVALID);
	assert_int_equal(campaign_set_state(e->st, nomail, "running", 9), HE_INVALID);
	{
		uint64_t ok = fx_campaign(e, camp_json(pools, 0, ""), 0);

		assert_int_equal(campaign_set_state(e->st, ok, "paused", 9), HE_INVALID);
		assert_int_equal(campaign_set_state(e->st, ok, "active", 9), HE_OK);
		assert_int_equal(campaign_set_state(e->st, ok, "paused", 9), HE_OK);
		assert_int_equal(campaign_set_state(e->st, ok, "active", 9), HE_OK);
		assert_int_equal(campaign_list(e->st, &list), HE_OK);
		assert_int_equal(json_array_size(list), 3);
		/* Newest first. */
		assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 0),
		    "id")), ok);
		assert_string_equal(json_string_value(json_object_get(json_array_get(list,
		    0), "state")), "active");
		assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 0),
		    "steps")), 3);
		json_decref(list);
	}
}

/* ---- enrolment ---- */

static void
test_enrol_by_hand(void **state)
{
	struct env *e = *state;
	uint64_t pool = fx_pool(e, "P"), camp;
	char pools[32];
	int64_t future = clock_now() + 86400 * 30;
	uint64_t ok = fx_cand(e, "{\"name\":\"Ok\"}");
	uint64_t pending = fx_cand(e, "{\"consent\":\"pending\"}");
	uint64_t withdrawn = fx_cand(e, "{\"consent\":\"withdrawn\"}");
	uint64_t dnc = fx_cand(e, "{\"status\":\"do_not_contact\"}");
	uint64_t bounced = fx_cand(e, "{\"email_invalid\":true}");
	uint64_t paused, noemail;
	json_t *rows, *list;
	size_t total;
	char why[64];

	{
		char buf[128];

		snprintf(buf, sizeof buf, "{\"prefs\":{\"paused_until\":%lld}}",
		    (long long)future);
		paused = fx_cand(e, buf);
	}
	noemail = fx_cand(e, "{\"email\":\"\"}");
	snprintf(pools, sizeof pools, "[%llu]", (unsigned long long)pool);
	camp = fx_campaign(e, camp_json(pools, 0, ""), 1);

	assert_int_equal(campaign_enrol(e->st, camp, ok, 7), HE_OK);
	assert_string_equal(fx_state(e, camp, ok, NULL, 0), "active");
	assert_int_equal(campaign_enrol(e->st, camp, ok, 7), HE_EXISTS);
	assert_int_equal(campaign_enrol(e->st, camp, 99999, 7), HE_NOTFOUND);
	assert_int_equal(campaign_enrol(e->st, 99999, ok, 7), HE_NOTFOUND);
	{
		static const char *const codes[] = { "no_consent", "no_consent", "do_not_contact",
			"email_invalid", "paused", "no_email" };
		uint64_t who[] = { pending, withdrawn, dnc, bounced, paused, noemail };

		for (size_t i = 0; i < N(who); i++) {
			const char *w;

			assert_int_equal(campaign_enrol(e->st, camp, who[i], 7), HE_INVALID);
			w = campaign_enrol_why(e->st, camp, who[i]);
			assert_non_null(w);
			assert_string_equal(w, codes[i]);
			assert_true(strlen(campaign_why_text(w)) > 10);
			assert_string_equal(fx_state(e, camp, who[i], NULL, 0), "none");
		}
	}
	assert_null(campaign_enrol_why(e->st, camp, ok));

	/* By hand out, and in again from the start. */
	assert_int_equal(campaign_unenrol(e->st, camp, ok, 7), HE_OK);
	assert_string_equal(fx_state(e, camp, ok, why, sizeof why), "stopped");
	assert_string_equal(why, "by_hand");
	assert_int_equal(campaign_unenrol(e->st, camp, ok, 7), HE_NOTFOUND);
	assert_int_equal(campaign_enrol(e->st, camp, ok, 7), HE_OK);
	assert_string_equal(fx_state(e, camp, ok, NULL, 0), "active");

	assert_int_equal(campaign_members(e->st, camp, 1, 10, &rows, &total), HE_OK);
	assert_int_equal(total, 1);
	assert_int_equal(json_array_size(rows), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 0),
	    "name")), "Ok");
	json_decref(rows);
	assert_int_equal(campaign_enrolments_of(e->st, ok, &list), HE_OK);
	assert_int_equal(json_array_size(list), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0),
	    "name")), "Welcome");
	assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0),
	    "step_type")), "email");
	assert_true(json_array_size(json_object_get(json_array_get(list, 0),
	    "history")) >= 3);
	json_decref(list);
	assert_int_equal(fx_stat(e, camp, -1, -1, "enrolled"), 2);
	assert_int_equal(fx_stat(e, camp, -1, -1, "active"), 1);

	assert_int_equal(campaign_set_state(e->st, camp, "archived", 9), HE_OK);
	assert_int_equal(campaign_enrol(e->st, camp, paused, 7), HE_INVALID);
	assert_string_equal(campaign_enrol_why(e->st, camp, paused), "archived");
}

static void
test_members_pages(void **state)
{
	struct env *e = *state;
	uint64_t pool = fx_pool(e, "P"), camp, ids[25];
	char pools[32];
	json_t *rows;
	size_t total;

	snprintf(pools, sizeof pools, "[%llu]", (unsigned long long)pool);
	camp = fx_campaign(e, camp_json(pools, 0, ""), 1);
	for (int i = 0; i < 25; i++) {
		ids[i] = fx_cand(e, "{}");
		assert_int_equal(campaign_enrol(e->st, camp, ids[i], 1), HE_OK);
	}
	assert_int_equal(campaign_members(e->st, camp, 3, 10, &rows, &total), HE_OK);
	assert_int_equal(total, 25);
	assert_int_equal(json_array_size(rows), 5);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(rows, 0),
	    "cand")), ids[20]);
	json_decref(rows);
	assert_int_equal(campaign_members(e->st, camp, 4, 10, &rows, &total), HE_OK);
	assert_int_equal(json_array_size(rows), 0);
	json_decref(rows);
}

static uint64_t
auto_campaign(struct env *e, uint64_t pool, const char *goal)
{
	char pools[32];

	snprintf(pools, sizeof pools, "[%llu]", (unsigned long long)pool);
	return fx_campaign(e, camp_json(pools, 1, goal), 1);
}

static void
test_auto_enrol_static(void **state)
{
	struct env *e = *state;
	uint64_t pool = fx_pool(e, "Silver"), other = fx_pool(e, "Other");
	uint64_t camp = auto_campaign(e, pool, "");
	uint64_t a = fx_cand(e, "{}"), b = fx_cand(e, "{\"consent\":\"pending\"}");
	char why[64];

	/* A draft or paused auto campaign enrols nobody. */
	assert_int_equal(campaign_set_state(e->st, camp, "paused", 9), HE_OK);
	assert_int_equal(pool_member_change(e->st, pool, a, 1), HE_OK);
	assert_string_equal(fx_state(e, camp, a, NULL, 0), "none");
	assert_int_equal(pool_member_change(e->st, pool, a, 0), HE_OK);
	assert_int_equal(campaign_set_state(e->st, camp, "active", 9), HE_OK);

	assert_int_equal(pool_member_change(e->st, other, a, 1), HE_OK);
	assert_string_equal(fx_state(e, camp, a, NULL, 0), "none");
	assert_int_equal(pool_member_change(e->st, pool, a, 1), HE_OK);
	assert_string_equal(fx_state(e, camp, a, NULL, 0), "active");
	{
		json_t *en = fx_enrol(e, camp, a);

		assert_int_equal(json_integer_value(json_object_get(en, "by")), 0);
		assert_int_equal(json_integer_value(json_object_get(en, "step")), 0);
		json_decref(en);
	}
	/* Not contactable: not enrolled. */
	assert_int_equal(pool_member_change(e->st, pool, b, 1), HE_OK);
	assert_string_equal(fx_state(e, camp, b, NULL, 0), "none");

	/* Leaving the pool stops it; coming back starts again. */
	assert_int_equal(pool_member_change(e->st, pool, a, 0), HE_OK);
	assert_string_equal(fx_state(e, camp, a, why, sizeof why), "stopped");
	assert_string_equal(why, "left_pool");
	assert_int_equal(pool_member_change(e->st, pool, a, 1), HE_OK);
	assert_string_equal(fx_state(e, camp, a, NULL, 0), "active");
	assert_int_equal(fx_stat(e, camp, -1, -1, "enrolled"), 2);
	assert_int_equal(fx_stat(e, camp, -1, -1, "members"), 1);

	/* A new candidate already in the pool. */
	{
		char buf[64];
		uint64_t c;

		snprintf(buf, sizeof buf, "{\"pools\":[%llu]}", (unsigned long long)pool);
		c = fx_cand(e, buf);
		assert_string_equal(fx_state(e, camp, c, NULL, 0), "active");
	}
}

static void
test_auto_enrol_dynamic(void **state)
{
	struct env *e = *state;
	struct cand_query q;
	uint64_t dyn, camp, eng, sales;
	char why[64];

	cand_query_init(&q);
	q.interest.n = 1;
	strcpy(q.interest.v[0], "engineering");
	assert_int_equal(pool_create(e->st, "Engineers", &q, 1, &dyn), HE_OK);
	camp = auto_campaign(e, dyn, "");
	/* A confirmed signup interested in engineering gets the welcome. */
	eng = fx_cand(e, "{\"interests\":[\"engineering\"]}");
	sales = fx_cand(e, "{\"interests\":[\"sales\"]}");
	assert_string_equal(fx_state(e, camp, eng, NULL, 0), "active");
	assert_string_equal(fx_state(e, camp, sales, NULL, 0), "none");
	/* Interests change: in and out of the dynamic pool. */
	fx_edit(e, sales, "interests", json_pack("[s,s]", "sales", "engineering"));
	assert_string_equal(fx_state(e, camp, sales, NULL, 0), "active");
	fx_edit(e, eng, "interests", json_pack("[s]", "design"));
	assert_string_equal(fx_state(e, camp, eng, why, sizeof why), "stopped");
	assert_string_equal(why, "left_pool");
}

/* The community's own objects over the fixture's store. */
static void
comm_of(struct env *e, struct comm *c)
{
	memset(c, 0, sizeof *c);
	c->st = e->st;
	randombytes_buf(c->key, sizeof c->key);
	c->policy_version = "3";
	strcpy(c->policy_sha256, "ab12");
	c->purpose = "Keep me informed";
	c->resume_dir = strdup(e->dir);
	c->outbox_dir = strdup(e->dir);
}

static int
nonce_of(uint64_t id, json_t *mail, void *ctx)
{
	const char *nonce = json_string_value(json_object_get(mail, "nonce"));

	(void)id;
	if (nonce)
		snprintf(ctx, COMM_NONCE_LEN + 1, "%s", nonce);
	return HE_OK;
}

/* Signs up through the form: a pending candidate; *nonce the one of the
 * confirmation mail. */
static uint64_t
join(struct env *e, struct comm *c, const char *email, const char *interest,
    char nonce[COMM_NONCE_LEN + 1])
{
	json_t *interests = json_pack("[s]", interest), *skills = json_array();
	struct comm_signup in = {
		.email = email, .first_name = "Ada", .last_name = "Lovelace",
		.phone = "", .city = "London", .country = "UK",
		.interests = interests, .seniority = "lead", .skills = skills,
		.url = "", .source = "", .ip = "192.0.2.1", .user_agent = "test",
	};
	char key[TOK_MACSTRLEN];
	uint64_t id = 0;

	assert_int_equal(comm_join(c, &in), HE_OK);
	json_decref(interests);
	json_decref(skills);
	comm_email_key(c, email, key);
	assert_int_equal(store_cand_by_email(e->st, NULL, key, &id), HE_OK);
	nonce[0] = '\0';
	assert_int_equal(store_mail_each_of(e->st, NULL, id, nonce_of, nonce), HE_OK);
	assert_true(nonce[0] != '\0');
	return id;
}

/* The issue's own example: a signup interested in engineering, once
 * confirmed, gets the welcome sequence; its dynamic pools were set while
 * it was pending, so only whether it may be mailed moves at confirmation. */
static void
test_auto_enrol_on_confirm(void **state)
{
	struct env *e = *state;
	struct comm c;
	struct comm_actor who = { "email_link", "192.0.2.1", "test" };
	struct cand_query q;
	uint64_t dyn, camp, ada, bob;
	char nonce[COMM_NONCE_LEN + 1], nonce2[COMM_NONCE_LEN + 1], why[64];

	comm_of(e, &c);
	cand_query_init(&q);
	q.interest.n = 1;
	strcpy(q.interest.v[0], "engineering");
	assert_int_equal(pool_create(e->st, "Engineers", &q, 1, &dyn), HE_OK);
	camp = auto_campaign(e, dyn, "");
	ada = join(e, &c, "ada@example.org", "engineering", nonce);
	assert_string_equal(fx_state(e, camp, ada, NULL, 0), "none");
	assert_int_equal(comm_confirm(&c, ada, nonce, &who), HE_OK);
	assert_string_equal(fx_state(e, camp, ada, NULL, 0), "active");
	assert_int_equal(fx_stat(e, camp, -1, -1, "enrolled"), 1);
	/* Confirmed, not in the audience: nothing. */
	bob = join(e, &c, "bob@example.org", "sales", nonce2);
	assert_int_equal(comm_confirm(&c, bob, nonce2, &who), HE_OK);
	assert_string_equal(fx_state(e, camp, bob, NULL, 0), "none");
	/* An earlier stop stays: unsubscribed, then back through a new
	 * confirmation, is not enrolled again by it. */
	assert_int_equal(comm_withdraw(&c, ada, &who), HE_OK);
	assert_string_equal(fx_state(e, camp, ada, why, sizeof why), "stopped");
	assert_string_equal(why, "unsubscribed");
	fx_edit(e, ada, "consent", json_string("confirmed"));
	assert_string_equal(fx_state(e, camp, ada, why, sizeof why), "stopped");
	assert_string_equal(why, "unsubscribed");
	assert_int_equal(fx_stat(e, camp, -1, -1, "enrolled"), 1);
	comm_cleanup(&c);
}

static void
test_stops(void **state)
{
	struct env *e = *state;
	uint64_t pool = fx_pool(e, "P");
	uint64_t camp = auto_campaign(e, pool, "");
	uint64_t p[5];
	char buf[64], why[64];
	static const char *const want[] = { "unsubscribed", "withdrawn", "paused",
		"do_not_contact", "bounced" };

	snprintf(buf, sizeof buf, "{\"pools\":[%llu]}", (unsigned long long)pool);
	for (int i = 0; i < 5; i++) {
		p[i] = fx_cand(e, buf);
		assert_string_equal(fx_state(e, camp, p[i], NULL, 0), "active");
	}
	fx_edit(e, p[0], "consent", json_string("withdrawn"));
	fx_edit(e, p[1], "consent", json_string("expired"));
	fx_edit(e, p[2], "prefs", json_pack("{s:I}", "paused_until",
	    (json_int_t)(clock_now() + 86400)));
	fx_edit(e, p[3], "status", json_string("do_not_contact"));
	fx_edit(e, p[4], "email_invalid", json_true());
	for (int i = 0; i < 5; i++) {
		assert_string_equal(fx_state(e, camp, p[i], why, sizeof why), "stopped");
		assert_string_equal(why, want[i]);
		{
			json_t *en = fx_enrol(e, camp, p[i]);

			assert_null(json_object_get(en, "due"));
			json_decref(en);
		}
	}
	assert_int_equal(fx_stat(e, camp, -1, -1, "unsubscribed"), 1);
	assert_int_equal(fx_stat(e, camp, -1, -1, "active"), 0);
	{
		size_t n;
		uint64_t ids[8];

		assert_int_equal(store_enrol_due(e->st, NULL, camp, INT64_MAX, 8, ids, &n),
		    HE_OK);
		assert_int_equal(n, 0);
	}
}

/* No address and an erased person's address are their own reasons, not a
 * bounce or an erasure of this record. */
static void
test_stop_reasons(void **state)
{
	struct env *e = *state;
	uint64_t pool = fx_pool(e, "P");
	uint64_t camp = auto_campaign(e, pool, "");
	uint64_t a, b;
	char buf[64], why[64], ekey[64];

	snprintf(buf, sizeof buf, "{\"pools\":[%llu]}", (unsigned long long)pool);
	a = fx_cand(e, buf);
	b = fx_cand(e, buf);
	fx_edit(e, a, "email", NULL);
	assert_string_equal(fx_state(e, camp, a, why, sizeof why), "stopped");
	assert_string_equal(why, "no_email");
	/* The address is suppressed (its owner was erased): the engine finds
	 * it at the email step. */
	snprintf(ekey, sizeof ekey, "k%llu", (unsigned long long)b);
	assert_int_equal(store_suppress_put(e->st, NULL, ekey, clock_now()), HE_OK);
	fx_run(e);
	assert_string_equal(fx_state(e, camp, b, why, sizeof why), "stopped");
	assert_string_equal(why, "suppressed");
	{
		json_t *mails = fx_mails(e, b);

		assert_int_equal(json_array_size(mails), 0);
		json_decref(mails);
	}
	assert_string_not_equal(campaign_why_text("no_email"), "");
	assert_string_not_equal(campaign_why_text("suppressed"), "");
	assert_string_not_equal(campaign_why_text("merged"), "");
	assert_string_not_equal(campaign_why_text("erased"), "");
}

static void
test_goal_status(void **state)
{
	struct env *e = *state;
	uint64_t pool = fx_pool(e, "P");
	uint64_t applied = auto_campaign(e, pool, "applied");
	uint64_t changed = auto_campaign(e, pool, "status_changed");
	uint64_t a, b;
	char buf[96], why[64];
	json_t *stats;

	snprintf(buf, sizeof buf, "{\"pools\":[%llu],\"status\":\"sourced\"}",
	    (unsigned long long)pool);
	a = fx_cand(e, buf);
	b = fx_cand(e, buf);
	fx_edit(e, a, "status", json_string("contacted"));
	assert_string_equal(fx_state(e, applied, a, NULL, 0), "active");
	assert_string_equal(fx_state(e, changed, a, why, sizeof why), "done");
	assert_string_equal(why, "goal:status_changed");
	fx_edit(e, b, "status", json_string("applied"));
	assert_string_equal(fx_state(e, applied, b, why, sizeof why), "done");
	assert_string_equal(why, "goal:applied");
	/* An edit of anything else reads no campaign and changes nothing. */
	fx_edit(e, a, "title", json_string("Engineer"));
	assert_string_equal(fx_state(e, applied, a, NULL, 0), "active");
	assert_int_equal(campaign_stats(e->st, applied, &stats), HE_OK);
	assert_int_equal(json_integer_value(json_object_get(stats, "converted")), 1);
	assert_int_equal(json_integer_value(json_object_get(stats, "enrolled")), 2);
	assert_int_equal(json_integer_value(json_object_get(stats, "active")), 1);
	json_decref(stats);
}

/* In bulk from a filter: those the index says may not be mailed are left
 * out of the wave, those enrolled already are skipped by it. */
static void
test_enrol_query(void **state)
{
	struct env *e = *state;
	uint64_t pool = fx_pool(e, "P"), camp, wave, ids[4];
	struct cand_query q;
	size_t n, done, total;
	char pools[32];
	int more;

	snprintf(pools, sizeof pools, "[%llu]", (unsigned long long)pool);
	camp = fx_campaign(e, camp_json(pools, 0, ""), 1);
	ids[0] = fx_cand(e, "{\"tags\":[\"python\"]}");
	ids[1] = fx_cand(e, "{\"tags\":[\"python\"],\"consent\":\"pending\"}");
	ids[2] = fx_cand(e, "{\"tags\":[\"python\"],\"status\":\"do_not_contact\"}");
	ids[3] = fx_cand(e, "{\"tags\":[\"python\"]}");
	fx_cand(e, "{\"tags\":[\"java\"]}");
	assert_int_equal(campaign_enrol(e->st, camp, ids[3], 1), HE_OK);
	cand_query_init(&q);
	q.tags_any.n = 1;
	strcpy(q.tags_any.v[0], "python");
	assert_int_equal(campaign_enrol_query(e->st, camp, &q, 5, &wave, &n), HE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(campaign_wave_progress(e->st, wave, &done, &total), HE_OK);
	assert_int_equal(done, 0);
	assert_int_equal(total, 2);
	/* Paused: the wave is expanded all the same; nobody's step runs. */
	assert_int_equal(campaign_set_state(e->st, camp, "paused", 9), HE_OK);
	assert_int_equal(campaign_run_due(e->st, &e->cfg, 10, &done, &more), HE_OK);
	assert_int_equal(campaign_wave_progress(e->st, wave, &done, &total), HE_OK);
	assert_int_equal(done, 2);
	assert_string_equal(fx_state(e, camp, ids[0], NULL, 0), "active");
	assert_string_equal(fx_state(e, camp, ids[1], NULL, 0), "none");
	assert_string_equal(fx_state(e, camp, ids[2], NULL, 0), "none");
	{
		json_t *en = fx_enrol(e, camp, ids[0]);

		assert_int_equal(json_integer_value(json_object_get(en, "by")), 5);
		json_decref(en);
		en = fx_enrol(e, camp, ids[3]);
		assert_int_equal(json_integer_value(json_object_get(en, "by")), 1);
		json_decref(en);
	}
	assert_int_equal(fx_stat(e, camp, -1, -1, "enrolled"), 2);
	assert_int_equal(fx_stat(e, camp, -1, -1, "members"), 2);
	/* Archived: a wave not yet expanded stops; no more waves. */
	assert_int_equal(campaign_enrol_query(e->st, camp, &q, 5, &wave, &n), HE_OK);
	assert_int_equal(campaign_set_state(e->st, camp, "archived", 9), HE_OK);
	assert_int_equal(campaign_run_due(e->st, &e->cfg, 10, &done, &more), HE_OK);
	assert_false(more);
	{
		json_t *w;

		assert_int_equal(store_wave_get(e->st, NULL, wave, 0, &w), HE_OK);
		assert_string_equal(json_string_value(json_object_get(w, "state")), "done");
		assert_true(json_is_true(json_object_get(w, "cancelled")));
		json_decref(w);
	}
	assert_int_equal(campaign_enrol_query(e->st, camp, &q, 5, &wave, &n), HE_INVALID);
	assert_int_equal(campaign_enrol_pool(e->st, camp, 4242, 5, &wave, &n), HE_NOTFOUND);
}

struct purge {
	uint64_t cand;
};

static int
purge_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct comm_purge p = { .cand = ((struct purge *)arg)->cand };
	int rc = comm_purge(st, txn, &p);

	comm_purge_free(&p);
	return rc;
}

static void
test_erasure(void **state)
{
	struct env *e = *state;
	uint64_t pool = fx_pool(e, "P");
	uint64_t c1 = auto_campaign(e, pool, ""), c2 = auto_campaign(e, pool, "");
	uint64_t keep, gone;
	struct purge pg;
	json_t *list;
	char buf[64];

	snprintf(buf, sizeof buf, "{\"pools\":[%llu]}", (unsigned long long)pool);
	keep = fx_cand(e, buf);
	gone = fx_cand(e, buf);
	assert_int_equal(campaign_unenrol(e->st, c2, gone, 1), HE_OK);
	pg.cand = gone;
	assert_int_equal(store_txn(e->st, purge_txn, &pg), HE_OK);
	assert_string_equal(fx_state(e, c1, gone, NULL, 0), "none");
	assert_string_equal(fx_state(e, c2, gone, NULL, 0), "none");
	assert_int_equal(campaign_enrolments_of(e->st, gone, &list), HE_OK);
	assert_int_equal(json_array_size(list), 0);
	json_decref(list);
	assert_string_equal(fx_state(e, c1, keep, NULL, 0), "active");
	assert_int_equal(fx_stat(e, c1, -1, -1, "members"), 1);
	assert_int_equal(fx_stat(e, c1, -1, -1, "active"), 1);
	assert_int_equal(fx_stat(e, c2, -1, -1, "active"), 1);
	{
		size_t n;
		uint64_t ids[8];

		assert_int_equal(store_enrol_due(e->st, NULL, c1, INT64_MAX, 8, ids, &n),
		    HE_OK);
		assert_int_equal(n, 1);
		assert_int_equal(ids[0], keep);
	}
}

/* Merging b into a: b's enrolment where a is not enrolled goes on as a's;
 * where both are, b's stops "merged"; no mail to b's id, none twice. */
static void
test_merge_enrolments(void **state)
{
	struct env *e = *state;
	uint64_t pool = fx_pool(e, "P"), other = fx_pool(e, "Other");
	uint64_t c1 = auto_campaign(e, pool, ""), c2 = auto_campaign(e, other, "");
	uint64_t a, b, mid;
	char buf[64], why[64];
	json_t *mails;

	snprintf(buf, sizeof buf, "{\"pools\":[%llu]}", (unsigned long long)pool);
	a = fx_cand(e, buf);
	snprintf(buf, sizeof buf, "{\"pools\":[%llu,%llu]}", (unsigned long long)pool,
	    (unsigned long long)other);
	b = fx_cand(e, buf);
	assert_string_equal(fx_state(e, c1, a, NULL, 0), "active");
	assert_string_equal(fx_state(e, c1, b, NULL, 0), "active");
	assert_string_equal(fx_state(e, c2, b, NULL, 0), "active");
	assert_string_equal(fx_state(e, c2, a, NULL, 0), "none");

	/* a enters c2's pool with the merge: b's enrolment moves, a new one
	 * is not started. */
	assert_int_equal(merge_run(e->st, a, b, NULL, NULL, &mid), HE_OK);
	assert_string_equal(fx_state(e, c1, a, NULL, 0), "active");
	assert_string_equal(fx_state(e, c1, b, why, sizeof why), "stopped");
	assert_string_equal(why, "merged");
	assert_string_equal(fx_state(e, c2, a, NULL, 0), "active");
	assert_string_equal(fx_state(e, c2, b, NULL, 0), "none");
	assert_int_equal(fx_stat(e, c1, -1, -1, "active"), 1);
	assert_int_equal(fx_stat(e, c2, -1, -1, "active"), 1);
	assert_int_equal(fx_stat(e, c2, -1, -1, "enrolled"), 1);
	assert_int_equal(fx_stat(e, c2, -1, -1, "members"), 1);

	fx_run(e);
	mails = fx_mails(e, b);
	assert_int_equal(json_array_size(mails), 0);
	json_decref(mails);
	mails = fx_mails(e, a);
	assert_int_equal(json_array_size(mails), 2);	/* step 0 of each, once */
	assert_int_equal(json_integer_value(json_object_get(json_array_get(mails, 0),
	    "camp")) + json_integer_value(json_object_get(json_array_get(mails, 1),
	    "camp")), (json_int_t)(c1 + c2));
	json_decref(mails);
}

static int
has_text(json_t *rows, const char *text)
{
	size_t i;
	json_t *r;

	json_array_foreach(rows, i, r)
		if (strcmp(json_string_value(json_object_get(r, "text")) ?: "", text) == 0)
			return 1;
	return 0;
}

/* Erasure takes the notices about the person (their id, and a text that
 * may name them), and those about ids merged into them; others stay. */
static void
test_erasure_notices(void **state)
{
	struct env *e = *state;
	uint64_t keep = fx_cand(e, "{}"), gone = fx_cand(e, "{}"), old = 777777;
	struct purge pg;
	json_t *rows, *n;
	size_t total;
	char buf[64];
	uint64_t surv;

	snprintf(buf, sizeof buf, "{\"merged_ids\":[%llu]}", (unsigned long long)old);
	surv = fx_cand(e, buf);
	n = json_pack("{s:s, s:I}", "text", "Ada Lovelace replied", "cand",
	    (json_int_t)gone);
	assert_int_equal(notice_add(e->st, NULL, 5, n), HE_OK);
	assert_int_equal(notice_add(e->st, NULL, 6, n), HE_OK);
	json_decref(n);
	n = json_pack("{s:s, s:I}", "text", "keep me", "cand", (json_int_t)keep);
	assert_int_equal(notice_add(e->st, NULL, 5, n), HE_OK);
	json_decref(n);
	n = json_pack("{s:s}", "text", "about no one");
	assert_int_equal(notice_add(e->st, NULL, 5, n), HE_OK);
	json_decref(n);
	n = json_pack("{s:s, s:I}", "text", "Old id", "cand", (json_int_t)old);
	assert_int_equal(notice_add(e->st, NULL, 5, n), HE_OK);
	json_decref(n);

	pg.cand = gone;
	assert_int_equal(store_txn(e->st, purge_txn, &pg), HE_OK);
	assert_int_equal(notice_list(e->st, 5, 1, 10, &rows, &total, NULL), HE_OK);
	assert_int_equal(total, 3);
	assert_false(has_text(rows, "Ada Lovelace replied"));
	assert_true(has_text(rows, "keep me"));
	assert_true(has_text(rows, "about no one"));
	json_decref(rows);
	assert_int_equal(notice_list(e->st, 6, 1, 10, &rows, &total, NULL), HE_OK);
	assert_int_equal(total, 0);
	json_decref(rows);

	pg.cand = surv;
	assert_int_equal(store_txn(e->st, purge_txn, &pg), HE_OK);
	assert_int_equal(notice_list(e->st, 5, 1, 10, &rows, &total, NULL), HE_OK);
	assert_int_equal(total, 2);
	assert_false(has_text(rows, "Old id"));
	json_decref(rows);
}

static void
test_notices(void **state)
{
	struct env *e = *state;
	json_t *rows, *n;
	size_t total, unread;

	for (int i = 0; i < 3; i++) {
		n = json_pack("{s:s, s:i, s:s}", "text", i == 2 ? "third" : "x", "cand", i,
		    "kind", "notify");
		assert_int_equal(notice_add(e->st, NULL, 5, n), HE_OK);
		json_decref(n);
	}
	n = json_pack("{s:s}", "text", "someone else's");
	assert_int_equal(notice_add(e->st, NULL, 6, n), HE_OK);
	assert_int_equal(notice_add(e->st, NULL, 0, n), HE_INVALID);
	json_decref(n);
	assert_int_equal(notice_list(e->st, 5, 1, 2, &rows, &total, &unread), HE_OK);
	assert_int_equal(total, 3);
	assert_int_equal(unread, 3);
	assert_int_equal(json_array_size(rows), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 0),
	    "text")), "third");
	assert_int_equal(notice_read(e->st, 5, (uint64_t)json_integer_value(
	    json_object_get(json_array_get(rows, 0), "id"))), HE_OK);
	json_decref(rows);
	assert_int_equal(notice_list(e->st, 5, 2, 2, &rows, &total, &unread), HE_OK);
	assert_int_equal(unread, 2);
	assert_int_equal(json_array_size(rows), 1);
	json_decref(rows);
	assert_int_equal(notice_read(e->st, 5, 12345), HE_NOTFOUND);
	assert_int_equal(notice_list(e->st, 6, 1, 10, &rows, &total, &unread), HE_OK);
	assert_int_equal(total, 1);
	json_decref(rows);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_validate),
		cmocka_unit_test_setup_teardown(test_pools_checked, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_update_conflict, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_states, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_enrol_by_hand, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_members_pages, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_enrol_query, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_auto_enrol_static, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_auto_enrol_dynamic, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_auto_enrol_on_confirm, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(test_stops, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_stop_reasons, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_goal_status, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_erasure, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_notices, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_erasure_notices, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_merge_enrolments, fx_setup, fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
