/* test_match.c: match records, the fit score, its reasons, the block store and the ranking */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
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
		/* the ranking's bound from the encoded record is never below */
		{
			struct match_prep pr;
			unsigned char buf[MATCH_REC_MAX];
			size_t len = match_cand_encode(&c, buf);

			match_prepare(&r, TODAY, &pr);
			assert_true(match_rec_bound(&pr, buf, len) >= s.total);
			assert_int_equal(match_rec_bound(&pr, buf, len - 1), -1);
		}
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


/* ---- the block store ---- */

struct env {
	char dir[64];
	struct store *st;
};

static int
setup(void **state)
{
	struct env *e = calloc(1, sizeof *e);
	unsigned char key[STORE_KEYBYTES];

	if (e == NULL || sodium_init() < 0)
		return -1;
	strcpy(e->dir, "/tmp/hearth-test-match-XXXXXX");
	if (mkdtemp(e->dir) == NULL || store_open(&e->st, e->dir, 16, 0) != HE_OK)
		return -1;
	randombytes_buf(key, sizeof key);
	store_set_site_key(e->st, key);
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

struct raw_put {
	uint64_t id;
	const char *rec;	/* NULL: remove */
};

static int
raw_put_txn(struct store *st, DB_TXN *txn, void *arg)
{
	const struct raw_put *p = arg;

	return store_match_put(st, txn, p->id, p->rec, p->rec ? strlen(p->rec) : 0);
}

static void
raw_put(struct store *st, uint64_t id, const char *rec)
{
	struct raw_put p = { id, rec };

	assert_int_equal(store_txn(st, raw_put_txn, &p), HE_OK);
}

/* What a scan sees, as "id=bytes " in order. */
struct seen {
	char buf[4096];
	size_t len;
};

static int
see(uint64_t id, const unsigned char *rec, size_t len, void *arg)
{
	struct seen *s = arg;

	s->len += (size_t)snprintf(s->buf + s->len, sizeof s->buf - s->len,
	    "%llu=%.*s ", (unsigned long long)id, (int)len, (const char *)rec);
	return 0;
}

static const char *
scan_all(struct store *st, struct seen *s)
{
	s->len = 0;
	s->buf[0] = '\0';
	assert_int_equal(store_match_scan(st, see, s), HE_OK);
	return s->buf;
}

static void
expect_get(struct store *st, uint64_t id, const char *want)
{
	char buf[64];
	size_t len = 0;
	int rc = store_match_get(st, NULL, id, buf, sizeof buf, &len);

	if (want == NULL) {
		assert_int_equal(rc, HE_NOTFOUND);
		return;
	}
	assert_int_equal(rc, HE_OK);
	assert_int_equal(len, strlen(want));
	assert_memory_equal(buf, want, len);
}

struct apply_arg {
	struct store_match_change *ch;
	size_t n;
	int replace;
	uint64_t first, end;
};

static int
apply_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct apply_arg *a = arg;

	if (a->replace)
		return store_match_replace(st, txn, a->first, a->end, a->ch, a->n);
	return store_match_apply(st, txn, a->ch, a->n);
}

static void
test_blocks(void **state)
{
	struct env *e = *state;
	struct seen s;

	assert_string_equal(scan_all(e->st, &s), "");
	expect_get(e->st, 1, NULL);
	raw_put(e->st, 65, "b65");
	raw_put(e->st, 1, "a1");
	raw_put(e->st, 63, "a63");
	raw_put(e->st, 64, "b64");
	raw_put(e->st, 6400, "z");
	assert_string_equal(scan_all(e->st, &s), "1=a1 63=a63 64=b64 65=b65 6400=z ");
	expect_get(e->st, 63, "a63");
	expect_get(e->st, 2, NULL);
	/* replaced in place, then removed; the rest of its block stays */
	raw_put(e->st, 63, "again");
	expect_get(e->st, 63, "again");
	raw_put(e->st, 63, NULL);
	expect_get(e->st, 63, NULL);
	expect_get(e->st, 1, "a1");
	/* removing what is not there is nothing */
	raw_put(e->st, 3, NULL);
	raw_put(e->st, 9999, NULL);
	/* the last of a block: the block goes */
	raw_put(e->st, 1, NULL);
	assert_string_equal(scan_all(e->st, &s), "64=b64 65=b65 6400=z ");
	/* a buffer too small for the record */
	{
		char small[2];
		size_t len;

		assert_int_equal(store_match_get(e->st, NULL, 64, small,
		    sizeof small, &len), HE_INVALID);
	}
	/* a record too long is refused */
	{
		static char big[STORE_MATCH_REC_MAX + 2];

		memset(big, 'x', sizeof big - 1);
		struct raw_put p = { 7, big };

		assert_int_equal(store_txn(e->st, raw_put_txn, &p), HE_INVALID);
	}

	/* many at once: sorted here, the later change of an id wins */
	{
		struct store_match_change ch[] = {
			{ 130, "c130", 4 }, { 64, NULL, 0 }, { 2, "a2", 2 },
			{ 130, "c130b", 5 }, { 66, "b66", 3 }, { 2, NULL, 0 },
			{ 2, "a2c", 3 },
		};
		struct apply_arg a = { ch, sizeof ch / sizeof *ch, 0, 0, 0 };

		assert_int_equal(store_txn(e->st, apply_txn, &a), HE_OK);
		assert_string_equal(scan_all(e->st, &s),
		    "2=a2c 65=b65 66=b66 130=c130b 6400=z ");
	}
	/* replacing blocks 1..99: what they held goes, blocks 0 and 100 stay */
	{
		struct store_match_change ch[] = { { 70, "n70", 3 },
			{ 200, "n200", 4 } };
		struct apply_arg a = { ch, 2, 1, 1, 100 };

		assert_int_equal(store_txn(e->st, apply_txn, &a), HE_OK);
		assert_string_equal(scan_all(e->st, &s),
		    "2=a2c 70=n70 200=n200 6400=z ");
		/* a change outside the range is refused */
		a.first = 2;
		assert_int_equal(store_txn(e->st, apply_txn, &a), HE_INVALID);
	}
	/* reading chosen ids only */
	{
		uint32_t ids[] = { 2, 3, 70, 71, 6400, 9000 };

		s.len = 0;
		s.buf[0] = '\0';
		assert_int_equal(store_match_scan_ids(e->st, ids, 6, see, &s), HE_OK);
		assert_string_equal(s.buf, "2=a2c 70=n70 6400=z ");
	}
}

struct count { uint64_t n, last; };

static int
count_fn(uint64_t id, const unsigned char *rec, size_t len, void *arg)
{
	struct count *k = arg;
	char want[16];

	snprintf(want, sizeof want, "r%llu", (unsigned long long)id);
	assert_true(id > k->last);
	assert_int_equal(len, strlen(want));
	assert_memory_equal(rec, want, len);
	k->last = id;
	k->n++;
	return 0;
}

/* A scan of many blocks crosses several bulk reads. */
static void
test_scan_many(void **state)
{
	struct env *e = *state;
	struct store_match_change *ch = calloc(40000, sizeof *ch);
	static char recs[40000][12];
	struct apply_arg a = { ch, 0, 0, 0, 0 };
	struct count c = { 0, 0 };

	assert_non_null(ch);
	for (size_t i = 0; i < 40000; i++) {
		uint64_t id = 1 + i * 3;

		snprintf(recs[i], sizeof recs[i], "r%llu", (unsigned long long)id);
		ch[i] = (struct store_match_change){ id, recs[i], strlen(recs[i]) };
	}
	for (size_t off = 0; off < 40000; off += 5000) {
		a.ch = ch + off;
		a.n = 5000;
		assert_int_equal(store_txn(e->st, apply_txn, &a), HE_OK);
	}
	assert_int_equal(store_match_scan(e->st, count_fn, &c), HE_OK);
	assert_int_equal(c.n, 40000);
	free(ch);
}

/* ---- the write path keeps the records ---- */

struct put {
	uint64_t id;
	json_t *rec, *old;
	int remove;
};

static int
put_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct put *p = arg;

	if (p->remove)
		return cand_remove(st, txn, p->id, p->old, 0);
	return cand_write(st, txn, p->id, p->old, p->rec);
}

static uint64_t
add_cand(struct env *e, const char *patch)
{
	struct put p = { 0, patched(base_cand, patch), NULL, 0 };
	char ekey[64];

	assert_int_equal(store_next_id(e->st, SEQ_CANDIDATE, &p.id), HE_OK);
	snprintf(ekey, sizeof ekey, "k%llu", (unsigned long long)p.id);
	json_object_set_new(p.rec, "email_key", json_string(ekey));
	assert_int_equal(store_txn(e->st, put_txn, &p), HE_OK);
	json_decref(p.rec);
	return p.id;
}

/* The stored record equals the one made from the stored candidate. */
static void
expect_match_of_record(struct env *e, uint64_t id)
{
	struct match_cand want, got;
	unsigned char a[MATCH_REC_MAX], b[MATCH_REC_MAX];
	json_t *rec;
	size_t na, nb;

	assert_int_equal(store_cand_get(e->st, NULL, id, 0, &rec), HE_OK);
	match_cand_from_json(id, rec, &want);
	json_decref(rec);
	assert_int_equal(match_get(e->st, NULL, id, &got), HE_OK);
	assert_int_equal(got.id, id);
	na = match_cand_encode(&want, a);
	nb = match_cand_encode(&got, b);
	assert_int_equal(na, nb);
	assert_memory_equal(a, b, na);
}

static void
test_write_path(void **state)
{
	struct env *e = *state;
	struct match_cand mc;
	uint64_t a = add_cand(e, NULL);
	uint64_t b = add_cand(e, "{\"skills\": [\"rust\"], \"status\": \"hired\"}");
	struct put p = { a, NULL, NULL, 0 };

	expect_match_of_record(e, a);
	expect_match_of_record(e, b);
	assert_int_equal(match_get(e->st, NULL, b, &mc), HE_OK);
	assert_int_equal(mc.flags & MATCH_F_HIRED, MATCH_F_HIRED);
	/* an edit */
	assert_int_equal(store_cand_get(e->st, NULL, a, 0, &p.old), HE_OK);
	p.rec = json_deep_copy(p.old);
	json_object_set_new(p.rec, "skills", json_pack("[s]", "cobol"));
	assert_int_equal(store_txn(e->st, put_txn, &p), HE_OK);
	expect_match_of_record(e, a);
	assert_int_equal(match_get(e->st, NULL, a, &mc), HE_OK);
	assert_int_equal(mc.nskills, 1);
	json_decref(p.rec);
	json_decref(p.old);
	/* removal */
	p = (struct put){ a, NULL, NULL, 1 };
	assert_int_equal(store_cand_get(e->st, NULL, a, 0, &p.old), HE_OK);
	assert_int_equal(store_txn(e->st, put_txn, &p), HE_OK);
	json_decref(p.old);
	assert_int_equal(match_get(e->st, NULL, a, &mc), HE_NOTFOUND);
	expect_match_of_record(e, b);
}

struct batch_arg {
	json_t **recs;
	uint64_t first;
	size_t n;
};

static int
batch_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct batch_arg *a = arg;
	struct cand_batch *b = cand_batch_new();
	int rc = HE_OK;

	if (b == NULL)
		return HE_NOMEM;
	for (size_t i = 0; rc == HE_OK && i < a->n; i++)
		rc = cand_batch_write(b, st, txn, a->first + i, NULL, a->recs[i]);
	if (rc == HE_OK)
		rc = cand_batch_flush(b, st, txn);
	cand_batch_free(b);
	return rc;
}

static void
test_batch_and_rebuild(void **state)
{
	struct env *e = *state;
	struct batch_arg a = { calloc(300, sizeof(json_t *)), 0, 300 };
	struct match_cand mc;
	size_t done;

	assert_non_null(a.recs);
	assert_int_equal(store_next_ids(e->st, SEQ_CANDIDATE, 300, &a.first), HE_OK);
	for (size_t i = 0; i < a.n; i++) {
		char patch[128], ekey[32];

		snprintf(patch, sizeof patch, "{\"skills\": [\"s%zu\", \"go\"],"
		    " \"interests\": [\"f%zu\"]}", i, i % 7);
		a.recs[i] = patched(base_cand, patch);
		snprintf(ekey, sizeof ekey, "b%zu", i);
		json_object_set_new(a.recs[i], "email_key", json_string(ekey));
	}
	assert_int_equal(store_txn(e->st, batch_txn, &a), HE_OK);
	for (size_t i = 0; i < a.n; i++) {
		expect_match_of_record(e, a.first + i);
		json_decref(a.recs[i]);
	}
	free(a.recs);

	/* damage: a record lost, a stray one, another changed */
	raw_put(e->st, a.first + 10, NULL);
	raw_put(e->st, a.first + 5000, "stray");
	{
		struct match_cand x = { .id = a.first + 20, .nskills = 0 };
		unsigned char buf[MATCH_REC_MAX];
		struct store_match_change ch = { a.first + 20, buf,
		    match_cand_encode(&x, buf) };
		struct apply_arg aa = { &ch, 1, 0, 0, 0 };

		assert_int_equal(store_txn(e->st, apply_txn, &aa), HE_OK);
		assert_int_equal(match_get(e->st, NULL, a.first + 20, &mc), HE_OK);
		assert_int_equal(mc.nskills, 0);
	}
	assert_int_equal(match_get(e->st, NULL, a.first + 10, &mc), HE_NOTFOUND);
	assert_int_equal(match_rebuild(e->st, &done), HE_OK);
	assert_int_equal(done, 300);
	for (size_t i = 0; i < 300; i++)
		expect_match_of_record(e, a.first + i);
	expect_get(e->st, a.first + 5000, NULL);

	/* the worker's share: nothing while the table is the one used */
	assert_int_equal(match_rebuild_due(e->st, 1000, &done), HE_OK);
	assert_int_equal(done, 0);
	/* another table: "go" is now "golang"'s other name */
	{
		char path[] = "/tmp/hearth-test-match-skills-XXXXXX", err[128];
		int fd = mkstemp(path);
		FILE *f = fdopen(fd, "w");
		char key[SKILL_KEY_SIZE];

		assert_non_null(f);
		fputs("Golang\tgo\n", f);
		fclose(f);
		assert_int_equal(skills_load(path, err, sizeof err), HE_OK);
		unlink(path);
		assert_int_equal(match_get(e->st, NULL, a.first, &mc), HE_OK);
		assert_int_equal(skill_key("go", key), HE_OK);
		assert_false(mc.skills[1] == skill_id(key));
		/* a budget of 0 ms: one batch (2,048 ids) per call */
		assert_int_equal(match_rebuild_due(e->st, 0, &done), HE_OK);
		assert_int_equal(done, 300);
		assert_int_equal(match_get(e->st, NULL, a.first, &mc), HE_OK);
		assert_int_equal(mc.skills[1], skill_id(key));
		for (size_t i = 0; i < 300; i++)
			expect_match_of_record(e, a.first + i);
		assert_int_equal(match_rebuild_due(e->st, 1000, &done), HE_OK);
		assert_int_equal(done, 0);
		assert_int_equal(load_skills(NULL), 0);
	}
}

/* ---- ranking ---- */

struct mk_arg {
	struct match_cand *c;
	size_t n;
};

static int
mk_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct mk_arg *a = arg;
	int rc = HE_OK;

	for (size_t i = 0; rc == HE_OK && i < a->n; i++) {
		unsigned char buf[MATCH_REC_MAX];

		rc = store_match_put(st, txn, a->c[i].id, buf,
		    match_cand_encode(&a->c[i], buf));
	}
	return rc;
}

/* Everyone's expected place: score descending, then id ascending. */
struct ref { int score; uint64_t id; };

static int
ref_cmp(const void *a, const void *b)
{
	const struct ref *x = a, *y = b;

	if (x->score != y->score)
		return y->score - x->score;
	return x->id < y->id ? -1 : x->id > y->id;
}

static void
check_rank(struct env *e, const struct match_role *r, struct match_cand *c,
    size_t n, const roaring_bitmap_t *only, size_t offset, size_t limit)
{
	struct ref *ref = calloc(n, sizeof *ref);
	struct match_hit *hits;
	size_t nref = 0, nhits;
	uint64_t total;

	assert_non_null(ref);
	for (size_t i = 0; i < n; i++) {
		struct match_score s;
		struct match_prep pr;
		unsigned char buf[MATCH_REC_MAX];

		match_score(r, &c[i], TODAY, &s);
		match_prepare(r, TODAY, &pr);
		assert_true(match_rec_bound(&pr, buf, match_cand_encode(&c[i],
		    buf)) >= s.total);
		if (s.excluded || (only && !roaring_bitmap_contains(only,
		    (uint32_t)c[i].id)))
			continue;
		ref[nref++] = (struct ref){ s.total, c[i].id };
	}
	qsort(ref, nref, sizeof *ref, ref_cmp);
	assert_int_equal(match_rank(e->st, r, only, TODAY, offset, limit, &hits,
	    &nhits, &total), HE_OK);
	assert_int_equal(total, nref);
	assert_int_equal(nhits, offset >= nref ? 0 : nref - offset < limit ?
	    nref - offset : limit);
	for (size_t i = 0; i < nhits; i++) {
		assert_int_equal(hits[i].cand.id, ref[offset + i].id);
		assert_int_equal(hits[i].score.total, ref[offset + i].score);
		assert_int_equal(hits[i].score.excluded, 0);
	}
	free(hits);
	free(ref);
}

static void
test_rank(void **state)
{
	struct env *e = *state;
	size_t n = 1500;
	struct match_cand *c = calloc(n, sizeof *c);
	struct mk_arg a = { c, n };
	struct match_role r;
	json_t *role = patched(base_role, NULL);
	roaring_bitmap_t *few = roaring_bitmap_create();
	roaring_bitmap_t *many = roaring_bitmap_create();
	roaring_bitmap_t *none = roaring_bitmap_create();
	static const char *const pool[] = { "golang", "postgres", "k8s",
		"docker", "kafka", "terraform", "redis", "aws", "java", "excel" };
	char key[SKILL_KEY_SIZE];

	assert_non_null(c);
	assert_int_equal(match_role_compile(1, role, &r), HE_OK);
	json_decref(role);
	/* ids spread over more blocks than the filter's point reads take */
	for (size_t i = 0; i < n; i++) {
		uint32_t h = (uint32_t)(i * 2654435761u);

		c[i].id = 1 + i * 70;
		c[i].flags = (h & 3) ? MATCH_F_CONSENT : 0;
		if (i % 17 == 0)
			c[i].flags |= MATCH_F_DNC;
		if (i % 23 == 0)
			c[i].flags |= MATCH_F_HIRED;
		c[i].seniority = (uint8_t)(h >> 3) % 7;
		c[i].level = (uint8_t)(h >> 6) % 4;
		c[i].engaged_day = (uint16_t)(TODAY - (h >> 9) % 400);
		c[i].updated_day = (uint16_t)(TODAY - (h >> 12) % 800);
		for (size_t k = 0; k < 10; k++)
			if (h >> (k + 14) & 1) {
				assert_int_equal(skill_key(pool[k], key), HE_OK);
				c[i].skills[c[i].nskills++] = skill_id(key);
			}
		if (i % 3 == 0)
			c[i].interests[c[i].ninterests++] = match_hash("engineering");
		if (i % 5 == 0)
			c[i].city = match_hash_folded("Berlin");
		c[i].country = match_hash_folded(i % 2 ? "Germany" : "France");
		if (i < 20)
			roaring_bitmap_add(few, (uint32_t)c[i].id);
		if (i % 2 == 0)
			roaring_bitmap_add(many, (uint32_t)c[i].id);
	}
	assert_int_equal(store_txn(e->st, mk_txn, &a), HE_OK);
	check_rank(e, &r, c, n, NULL, 0, 50);
	check_rank(e, &r, c, n, NULL, 50, 50);
	check_rank(e, &r, c, n, NULL, 1300, 100);	/* the last page, short */
	check_rank(e, &r, c, n, NULL, 5000, 50);	/* past the end */
	check_rank(e, &r, c, n, NULL, 0, 0);		/* a count only */
	check_rank(e, &r, c, n, NULL, 0, 5000);		/* everyone */
	check_rank(e, &r, c, n, few, 0, 50);		/* point reads */
	check_rank(e, &r, c, n, few, 5, 3);
	check_rank(e, &r, c, n, many, 0, 50);		/* a scan, filtered */
	check_rank(e, &r, c, n, many, 100, 50);
	check_rank(e, &r, c, n, none, 0, 50);
	roaring_bitmap_free(few);
	roaring_bitmap_free(many);
	roaring_bitmap_free(none);
	free(c);
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
		cmocka_unit_test_setup_teardown(test_blocks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scan_many, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_path, setup, teardown),
		cmocka_unit_test_setup_teardown(test_batch_and_rebuild, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_rank, setup, teardown),
	};

	return cmocka_run_group_tests(tests, load_skills, unload_skills);
}
