/* test_match.c: match records, the fit score, its reasons, the block store and the ranking */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sodium.h>

#include "crm/candidates.h"
#include "crm/match.h"
#include "crm/skills.h"
#include "store/entities.h"
#include "store/match.h"
#include "store/store.h"
#include "util/he.h"

#define TODAY 20000		/* a unix day: 2024-10-04 */

static int
load_skills(void **state)
{
	char err[256];

	(void)state;
	return skills_load("conf/skills.tsv", err, sizeof err) == HE_OK ? 0 : -1;
}

static int
unload_skills(void **state)
{
	(void)state;
	skills_unload();
	return 0;
}

static const char *const base_role =
    "{\"title\": \"Backend engineer\", \"family\": \"engineering\","
    " \"locations\": [{\"city\": \"Berlin\", \"country\": \"Germany\"}],"
    " \"remote\": \"onsite\", \"seniority\": \"senior\","
    " \"required\": [\"Go\", \"PostgreSQL\", \"Kubernetes\", \"Docker\", \"Kafka\"],"
    " \"nice\": [{\"skill\": \"Terraform\", \"weight\": 3},"
    " {\"skill\": \"Redis\", \"weight\": 1}, {\"skill\": \"AWS\", \"weight\": 1}]}";

static const char *const base_cand =
    "{\"first_name\": \"Ada\", \"last_name\": \"Lovelace\","
    " \"email\": \"ada@example.org\", \"skills\": [\"golang\", \"postgres\","
    " \"k8s\", \"docker\"], \"interests\": [\"engineering\"],"
    " \"seniority\": \"senior\", \"city\": \"Berlin\", \"country\": \"Germany\","
    " \"remote\": false, \"level\": \"hot\", \"last_engaged\": -1,"
    " \"updated\": -1, \"status\": \"engaged\", \"consent\": \"confirmed\"}";

/* Negative integers of the time fields are days before TODAY. */
static void
days_ago(json_t *rec)
{
	static const char *const f[] = { "last_engaged", "updated",
		"offer_declined_at", "hired_at" };

	for (size_t i = 0; i < sizeof f / sizeof *f; i++) {
		json_t *v = json_object_get(rec, f[i]);

		if (json_is_integer(v) && json_integer_value(v) < 0)
			json_object_set_new(rec, f[i], json_integer(
			    (TODAY + json_integer_value(v)) * 86400LL + 3600));
	}
}

static json_t *
patched(const char *base, const char *patch)
{
	json_t *b = json_loads(base, 0, NULL), *p;

	assert_non_null(b);
	if (patch) {
		p = json_loads(patch, 0, NULL);
		assert_non_null(p);
		assert_int_equal(json_object_update(b, p), 0);
		json_decref(p);
	}
	days_ago(b);
	return b;
}

static void
score_of(const char *role_patch, const char *cand_patch,
    struct match_role *r, struct match_cand *c, struct match_score *s)
{
	json_t *role = patched(base_role, role_patch);
	json_t *cand = patched(base_cand, cand_patch);

	assert_int_equal(match_role_compile(7, role, r), HE_OK);
	match_cand_from_json(42, cand, c);
	match_score(r, c, TODAY, s);
	json_decref(role);
	json_decref(cand);
}

/* ---- every part and its boundaries ---- */

static const struct {
	enum match_part part;
	const char *role, *cand;	/* patches of the bases; NULL: none */
	int points;
} part_cases[] = {
	/* required: 35 × matched / required, rounded */
	{ MP_REQUIRED, NULL, NULL, 28 },
	{ MP_REQUIRED, NULL, "{\"skills\": [\"go\", \"postgresql\", \"kube\","
	    " \"containers\", \"apache kafka\"]}", 35 },
	{ MP_REQUIRED, NULL, "{\"skills\": [\"cobol\"]}", 0 },
	{ MP_REQUIRED, NULL, "{\"skills\": []}", 0 },
	{ MP_REQUIRED, "{\"required\": [\"Go\", \"Rust\", \"C\"]}",
	    "{\"skills\": [\"golang\"]}", 12 },
	{ MP_REQUIRED, "{\"required\": [\"Go\", \"Rust\", \"C\"]}",
	    "{\"skills\": [\"golang\", \"rust\"]}", 23 },
	{ MP_REQUIRED, "{\"required\": []}", "{\"skills\": []}", 35 },
	/* the same skill twice in a role counts once */
	{ MP_REQUIRED, "{\"required\": [\"Go\", \"golang\"]}",
	    "{\"skills\": [\"go\"]}", 35 },
	/* nice: 15 × matched weight / total weight */
	{ MP_NICE, NULL, NULL, 0 },
	{ MP_NICE, NULL, "{\"skills\": [\"tf\"]}", 9 },
	{ MP_NICE, NULL, "{\"skills\": [\"redis\"]}", 3 },
	{ MP_NICE, NULL, "{\"skills\": [\"terraform\", \"redis\","
	    " \"amazon web services\"]}", 15 },
	{ MP_NICE, "{\"nice\": []}", NULL, 15 },
	/* a nice skill that is also required counts as required only */
	{ MP_NICE, "{\"nice\": [{\"skill\": \"golang\", \"weight\": 5},"
	    " {\"skill\": \"Redis\", \"weight\": 2}]}", "{\"skills\": [\"go\"]}", 0 },
	/* seniority: 10, less 4 a level away */
	{ MP_SENIORITY, NULL, NULL, 10 },
	{ MP_SENIORITY, NULL, "{\"seniority\": \"mid\"}", 6 },
	{ MP_SENIORITY, NULL, "{\"seniority\": \"lead\"}", 6 },
	{ MP_SENIORITY, NULL, "{\"seniority\": \"junior\"}", 2 },
	{ MP_SENIORITY, NULL, "{\"seniority\": \"executive\"}", 2 },
	{ MP_SENIORITY, NULL, "{\"seniority\": \"student\"}", 0 },
	{ MP_SENIORITY, NULL, "{\"seniority\": \"\"}", 4 },
	{ MP_SENIORITY, NULL, "{\"seniority\": \"wizard\"}", 4 },
	{ MP_SENIORITY, "{\"seniority\": \"\"}", "{\"seniority\": \"student\"}", 10 },
	/* location */
	{ MP_LOCATION, NULL, NULL, 10 },
	{ MP_LOCATION, NULL, "{\"city\": \" BERLIN \", \"country\": \"germany\"}", 10 },
	{ MP_LOCATION, NULL, "{\"city\": \"Munich\"}", 4 },
	{ MP_LOCATION, "{\"remote\": \"hybrid\"}", "{\"city\": \"Munich\"}", 6 },
	{ MP_LOCATION, "{\"remote\": \"hybrid\"}", "{\"city\": \"Paris\","
	    " \"country\": \"France\", \"remote\": true}", 3 },
	{ MP_LOCATION, "{\"remote\": \"hybrid\"}", "{\"city\": \"Paris\","
	    " \"country\": \"France\"}", 0 },
	{ MP_LOCATION, NULL, "{\"city\": \"Paris\", \"country\": \"France\","
	    " \"remote\": true}", 0 },
	{ MP_LOCATION, "{\"remote\": \"remote\"}", "{\"city\": \"Lima\","
	    " \"country\": \"Peru\"}", 10 },
	{ MP_LOCATION, NULL, "{\"city\": \"\", \"country\": \"\"}", 3 },
	{ MP_LOCATION, "{\"locations\": [{\"city\": \"München\","
	    " \"country\": \"Germany\"}]}", "{\"city\": \"munchen\"}", 10 },
	{ MP_LOCATION, "{\"locations\": []}", "{\"city\": \"Lima\","
	    " \"country\": \"Peru\"}", 10 },
	/* a role's city in another country is not theirs */
	{ MP_LOCATION, NULL, "{\"city\": \"Berlin\", \"country\": \"United States\"}", 0 },
	/* interest */
	{ MP_INTEREST, NULL, NULL, 8 },
	{ MP_INTEREST, NULL, "{\"interests\": [\"data\", \"engineering\"]}", 8 },
	{ MP_INTEREST, NULL, "{\"interests\": [\"data\"]}", 0 },
	{ MP_INTEREST, NULL, "{\"interests\": []}", 0 },
	{ MP_INTEREST, "{\"family\": \"\"}", "{\"interests\": []}", 8 },
	/* engagement: level, then recency */
	{ MP_ENGAGEMENT, NULL, NULL, 10 },
	{ MP_ENGAGEMENT, NULL, "{\"last_engaged\": -30}", 10 },
	{ MP_ENGAGEMENT, NULL, "{\"last_engaged\": -31}", 8 },
	{ MP_ENGAGEMENT, NULL, "{\"last_engaged\": -90}", 8 },
	{ MP_ENGAGEMENT, NULL, "{\"last_engaged\": -91}", 7 },
	{ MP_ENGAGEMENT, NULL, "{\"last_engaged\": -365}", 7 },
	{ MP_ENGAGEMENT, NULL, "{\"last_engaged\": -366}", 6 },
	{ MP_ENGAGEMENT, NULL, "{\"level\": \"warm\", \"last_engaged\": null}", 4 },
	{ MP_ENGAGEMENT, NULL, "{\"level\": \"cold\", \"last_engaged\": -2}", 5 },
	{ MP_ENGAGEMENT, NULL, "{\"level\": null, \"last_engaged\": null}", 0 },
	/* microseconds are read as the header once said */
	{ MP_ENGAGEMENT, NULL, "{\"last_engaged\": 1690000000000000}", 6 },
	/* history */
	{ MP_HISTORY, NULL, NULL, 0 },
	{ MP_HISTORY, NULL, "{\"silver_families\": [\"engineering\"]}", 7 },
	{ MP_HISTORY, NULL, "{\"silver_families\": [\"design\"]}", 0 },
	{ MP_HISTORY, NULL, "{\"hired_at\": -800}", 3 },
	{ MP_HISTORY, NULL, "{\"hired_at\": -800,"
	    " \"silver_families\": [\"engineering\"]}", 7 },
	{ MP_HISTORY, NULL, "{\"offer_declined_at\": -180}", -5 },
	{ MP_HISTORY, NULL, "{\"offer_declined_at\": -181}", 0 },
	{ MP_HISTORY, NULL, "{\"offer_declined_at\": -10,"
	    " \"silver_families\": [\"engineering\"]}", 2 },
	{ MP_HISTORY, NULL, "{\"offer_declined_at\": -10, \"hired_at\": -900}", -2 },
	/* freshness */
	{ MP_FRESHNESS, NULL, NULL, 5 },
	{ MP_FRESHNESS, NULL, "{\"updated\": -90}", 5 },
	{ MP_FRESHNESS, NULL, "{\"updated\": -91}", 3 },
	{ MP_FRESHNESS, NULL, "{\"updated\": -365}", 3 },
	{ MP_FRESHNESS, NULL, "{\"updated\": -366}", 1 },
	{ MP_FRESHNESS, NULL, "{\"updated\": -730}", 1 },
	{ MP_FRESHNESS, NULL, "{\"updated\": -731}", 0 },
	{ MP_FRESHNESS, NULL, "{\"updated\": null}", 0 },
};

static void
test_parts(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof part_cases / sizeof *part_cases; i++) {
		struct match_role r;
		struct match_cand c;
		struct match_score s;
		int sum = 0;

		score_of(part_cases[i].role, part_cases[i].cand, &r, &c, &s);
		if (s.part[part_cases[i].part] != part_cases[i].points)
			fail_msg("case %zu (%s): %d points, expected %d", i,
			    match_part_names[part_cases[i].part],
			    s.part[part_cases[i].part], part_cases[i].points);
		for (int p = 0; p < MP__MAX; p++) {
			assert_true(s.part[p] <= match_part_max[p]);
			assert_true(s.part[p] >= (p == MP_HISTORY ? MATCH_HISTORY_MIN : 0));
			sum += s.part[p];
		}
		assert_int_equal(s.total, sum < 0 ? 0 : sum > 100 ? 100 : sum);
	}
}

static void
test_totals(void **state)
{
	struct match_role r;
	struct match_cand c;
	struct match_score s;

	(void)state;
	/* everything the role wants */
	score_of(NULL, "{\"skills\": [\"go\", \"postgresql\", \"kubernetes\","
	    " \"docker\", \"kafka\", \"terraform\", \"redis\", \"aws\"],"
	    " \"silver_families\": [\"engineering\"]}", &r, &c, &s);
	assert_int_equal(s.total, 100);
	/* nothing at all: history below zero is clamped to 0 */
	score_of(NULL, "{\"skills\": [], \"interests\": [], \"seniority\":"
	    " \"student\", \"city\": \"Lima\", \"country\": \"Peru\", \"level\": null,"
	    " \"last_engaged\": null, \"updated\": null, \"offer_declined_at\": -1}",
	    &r, &c, &s);
	assert_int_equal(s.part[MP_HISTORY], -5);
	assert_int_equal(s.total, 0);
	/* the base: 28 + 0 + 10 + 10 + 8 + 10 + 0 + 5 */
	score_of(NULL, NULL, &r, &c, &s);
	assert_int_equal(s.total, 71);
	assert_int_equal(s.req_matched, 0x0f);
	assert_int_equal(s.nice_matched, 0);
}

/* ---- exclusions and consent ---- */

static const struct {
	const char *cand;
	int excluded, needs_basis;
	uint32_t flags;		/* of the record, besides these */
} excl_cases[] = {
	{ NULL, 0, 0, MATCH_F_CONSENT },
	{ "{\"status\": \"do_not_contact\"}", MATCH_F_DNC, 0, MATCH_F_CONSENT },
	{ "{\"status\": \"hired\", \"hired_at\": -3}", MATCH_F_HIRED, 0,
	    MATCH_F_CONSENT },
	{ "{\"status\": \"silver_medallist\", \"hired_at\": -300}", 0, 0,
	    MATCH_F_CONSENT | MATCH_F_PAST_HIRE },
	{ "{\"consent\": \"pending\"}", 0, 1, 0 },
	{ "{\"consent\": \"withdrawn\"}", 0, 1, 0 },
	{ "{\"consent\": null, \"remote\": true}", 0, 1, MATCH_F_REMOTE },
	{ "{\"consent\": \"expired\", \"status\": \"do_not_contact\"}",
	    MATCH_F_DNC, 1, 0 },
};

static void
test_exclusions(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof excl_cases / sizeof *excl_cases; i++) {
		struct match_role r;
		struct match_cand c;
		struct match_score s;

		score_of(NULL, excl_cases[i].cand, &r, &c, &s);
		assert_int_equal(s.excluded, excl_cases[i].excluded);
		assert_int_equal(s.needs_basis, excl_cases[i].needs_basis);
		assert_int_equal(c.flags, excl_cases[i].flags |
		    (uint32_t)excl_cases[i].excluded);
	}
}

/* ---- reasons ---- */

static const struct {
	const char *role, *cand;
	enum match_part part;
	const char *text;
} text_cases[] = {
	{ NULL, NULL, MP_REQUIRED, "4 of 5 required skills: Go, PostgreSQL, "
	    "Kubernetes, Docker. Missing: Kafka." },
	{ "{\"required\": [\"golang\", \"k8s\"]}", NULL, MP_REQUIRED,
	    "All 2 required skills: Go, Kubernetes." },
	{ "{\"required\": [\"golang\"]}", NULL, MP_REQUIRED,
	    "Has the required skill: Go." },
	{ "{\"required\": [\"js\"]}", NULL, MP_REQUIRED,
	    "Not the required skill. Missing: JavaScript." },
	{ "{\"required\": [\"js\", \"Rust\"]}", NULL, MP_REQUIRED,
	    "None of the 2 required skills. Missing: JavaScript, Rust." },
	{ "{\"required\": []}", NULL, MP_REQUIRED,
	    "The role lists no required skills." },
	{ NULL, "{\"skills\": [\"redis\"]}", MP_NICE, "1 of 3 nice-to-have "
	    "skills: Redis. Missing: Terraform, AWS." },
	{ NULL, NULL, MP_SENIORITY, "Senior, as the role asks." },
	{ NULL, "{\"seniority\": \"mid\"}", MP_SENIORITY,
	    "Mid-level, one level from the role's senior." },
	{ NULL, "{\"seniority\": null}", MP_SENIORITY,
	    "Seniority not given; the role is senior." },
	{ NULL, NULL, MP_LOCATION, "Lives in a city of the role." },
	{ NULL, "{\"city\": null, \"country\": null}", MP_LOCATION,
	    "Location not given." },
	{ "{\"remote\": \"hybrid\"}", "{\"city\": \"Paris\", \"country\": "
	    "\"France\", \"remote\": true}", MP_LOCATION,
	    "Lives elsewhere but open to remote work (hybrid role)." },
	{ NULL, "{\"interests\": []}", MP_INTEREST,
	    "Has not named this job family among their interests." },
	{ NULL, "{\"last_engaged\": -12}", MP_ENGAGEMENT,
	    "Hot, last engaged 12 days ago." },
	{ NULL, "{\"level\": null, \"last_engaged\": null}", MP_ENGAGEMENT,
	    "No engagement level, never engaged." },
	{ NULL, "{\"silver_families\": [\"engineering\"], \"offer_declined_at\":"
	    " -40}", MP_HISTORY, "Silver medallist for a role in this family. "
	    "Declined an offer 40 days ago." },
	{ NULL, "{\"updated\": -400}", MP_FRESHNESS,
	    "Record updated 13 months ago." },
};

static void
test_explain(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof text_cases / sizeof *text_cases; i++) {
		struct match_role r;
		struct match_cand c;
		struct match_score s;
		json_t *e, *p;

		score_of(text_cases[i].role, text_cases[i].cand, &r, &c, &s);
		e = match_explain(&r, &c, &s);
		assert_non_null(e);
		assert_int_equal(json_integer_value(json_object_get(e, "score")),
		    s.total);
		p = json_array_get(json_object_get(e, "parts"), text_cases[i].part);
		assert_string_equal(json_string_value(json_object_get(p, "part")),
		    match_part_names[text_cases[i].part]);
		assert_int_equal(json_integer_value(json_object_get(p, "points")),
		    s.part[text_cases[i].part]);
		assert_int_equal(json_integer_value(json_object_get(p, "max")),
		    match_part_max[text_cases[i].part]);
		if (strcmp(json_string_value(json_object_get(p, "text")),
		    text_cases[i].text) != 0)
			fail_msg("case %zu: \"%s\"", i,
			    json_string_value(json_object_get(p, "text")));
		json_decref(e);
	}
}

static void
test_explain_lists(void **state)
{
	struct match_role r;
	struct match_cand c;
	struct match_score s;
	json_t *e, *want;
	char *got;

	(void)state;
	score_of(NULL, "{\"skills\": [\"golang\", \"k8s\", \"tf\"], \"status\":"
	    " \"do_not_contact\", \"consent\": \"pending\"}", &r, &c, &s);
	e = match_explain(&r, &c, &s);
	assert_non_null(e);
	json_object_del(e, "parts");
	want = json_pack("{s:i, s:b, s:s, s:[ss], s:[sss], s:[s], s:[ss]}",
	    "score", s.total, "needs_basis", 1, "excluded", "do_not_contact",
	    "required_matched", "Go", "Kubernetes",
	    "required_missing", "PostgreSQL", "Docker", "Kafka",
	    "nice_matched", "Terraform", "nice_missing", "Redis", "AWS");
	got = json_dumps(e, JSON_SORT_KEYS);
	if (!json_equal(e, want))
		fail_msg("explain: %s", got);
	free(got);
	json_decref(e);
	json_decref(want);
	/* not excluded: no "excluded" at all */
	score_of(NULL, NULL, &r, &c, &s);
	e = match_explain(&r, &c, &s);
	assert_null(json_object_get(e, "excluded"));
	assert_true(json_is_false(json_object_get(e, "needs_basis")));
	json_decref(e);
}

/* ---- roles that do not compile ---- */

static const char *const bad_roles[] = {
	"{\"seniority\": \"wizard\"}",
	"{\"remote\": \"sometimes\"}",
	"{\"required\": \"Go\"}",
	"{\"required\": [\"\"]}",
	"{\"required\": [\"abcdefghijabcdefghijabcdefghijabcdefghijk\"]}",
	"{\"nice\": [{\"skill\": \"Go\", \"weight\": 6}]}",
	"{\"nice\": [{\"skill\": \"Go\", \"weight\": 0}]}",
	"{\"nice\": [{\"skill\": \"Go\", \"weight\": \"3\"}]}",
	"{\"required\": [\"a1\",\"a2\",\"a3\",\"a4\",\"a5\",\"a6\",\"a7\",\"a8\","
	    "\"a9\",\"a10\",\"a11\",\"a12\",\"a13\",\"a14\",\"a15\",\"a16\",\"a17\","
	    "\"a18\",\"a19\",\"a20\",\"a21\"]}",
	"{\"locations\": [{\"city\":\"a\"},{\"city\":\"b\"},{\"city\":\"c\"},"
	    "{\"city\":\"d\"},{\"city\":\"e\"},{\"city\":\"f\"},{\"city\":\"g\"},"
	    "{\"city\":\"h\"},{\"city\":\"i\"}]}",
};

static void
test_bad_roles(void **state)
{
	struct match_role r;
	json_t *role;

	(void)state;
	for (size_t i = 0; i < sizeof bad_roles / sizeof *bad_roles; i++) {
		role = patched(base_role, bad_roles[i]);
		if (match_role_compile(1, role, &r) != HE_INVALID)
			fail_msg("role %zu compiled", i);
		json_decref(role);
	}
	role = json_string("a role");
	assert_int_equal(match_role_compile(1, role, &r), HE_INVALID);
	json_decref(role);
	/* 20 required skills are allowed */
	role = patched(base_role, "{\"required\": [\"a1\",\"a2\",\"a3\",\"a4\","
	    "\"a5\",\"a6\",\"a7\",\"a8\",\"a9\",\"a10\",\"a11\",\"a12\",\"a13\","
	    "\"a14\",\"a15\",\"a16\",\"a17\",\"a18\",\"a19\",\"a20\"]}");
	assert_int_equal(match_role_compile(1, role, &r), HE_OK);
	assert_int_equal(r.nreq, 20);
	json_decref(role);
}

/* ---- the compact form, and what it never holds ---- */

static void
test_encode(void **state)
{
	struct match_cand a, b;
	unsigned char buf[MATCH_REC_MAX];
	json_t *cand = patched(base_cand, "{\"silver_families\": [\"data\"],"
	    " \"interests\": [\"engineering\", \"data\", \"engineering\"],"
	    " \"offer_declined_at\": -3, \"hired_at\": -1000, \"remote\": true}");
	size_t n;

	(void)state;
	match_cand_from_json(99, cand, &a);
	assert_int_equal(a.ninterests, 2);
	n = match_cand_encode(&a, buf);
	assert_int_equal(n, 20 + 4 * (4 + 2 + 1));
	memset(&b, 0xff, sizeof b);
	assert_int_equal(match_cand_decode(99, buf, n, &b), HE_OK);
	assert_int_equal(b.id, 99);
	assert_int_equal(b.flags, a.flags);
	assert_int_equal(b.seniority, 4);
	assert_int_equal(b.level, 1);
	assert_int_equal(b.city, a.city);
	assert_int_equal(b.country, a.country);
	assert_int_equal(b.engaged_day, TODAY - 1);
	assert_int_equal(b.updated_day, TODAY - 1);
	assert_int_equal(b.declined_day, TODAY - 3);
	assert_memory_equal(b.skills, a.skills, 4 * a.nskills);
	assert_memory_equal(b.interests, a.interests, 4 * a.ninterests);
	assert_memory_equal(b.silver, a.silver, 4 * a.nsilver);
	assert_int_equal(match_cand_decode(99, buf, n - 1, &b), HE_INVALID);
	assert_int_equal(match_cand_decode(99, buf, 19, &b), HE_INVALID);
	buf[3] = MATCH_SKILLS_MAX + 1;
	assert_int_equal(match_cand_decode(99, buf, n, &b), HE_INVALID);
	json_decref(cand);
}

/* Name, email, phone, photo, gender, birth date, age, nationality never
 * reach the record. */
static void
test_protected(void **state)
{
	static const char *const changes[] = {
		"{\"first_name\": \"Grace\", \"last_name\": \"Hopper\"}",
		"{\"email\": \"someone.else@example.com\", \"phone\": \"+1 555 0100\"}",
		"{\"gender\": \"female\", \"birth_date\": \"1960-01-01\", \"age\": 64}",
		"{\"nationality\": \"Nigerian\", \"photo\": \"x.jpg\"}",
		"{\"gender\": \"male\", \"nationality\": \"German\", \"age\": 25}",
	};
	struct match_cand a, b;
	unsigned char ba[MATCH_REC_MAX], bb[MATCH_REC_MAX];
	json_t *base = patched(base_cand, NULL);
	size_t na, nb;

	(void)state;
	match_cand_from_json(5, base, &a);
	na = match_cand_encode(&a, ba);
	for (size_t i = 0; i < sizeof changes / sizeof *changes; i++) {
		json_t *c = patched(base_cand, changes[i]);

		match_cand_from_json(5, c, &b);
		nb = match_cand_encode(&b, bb);
		assert_int_equal(na, nb);
		assert_memory_equal(ba, bb, na);
		json_decref(c);
	}
	json_decref(base);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parts),
		cmocka_unit_test(test_totals),
		cmocka_unit_test(test_exclusions),
		cmocka_unit_test(test_explain),
		cmocka_unit_test(test_explain_lists),
		cmocka_unit_test(test_bad_roles),
		cmocka_unit_test(test_encode),
		cmocka_unit_test(test_protected),
	};

	return cmocka_run_group_tests(tests, load_skills, unload_skills);
}
