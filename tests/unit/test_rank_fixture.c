/* test_rank_fixture.c: ranking quality over the labelled rediscovery fixture, and protected attributes */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <cmocka.h>
#include <jansson.h>
#include <sodium.h>

#include "crm/match.h"
#include "crm/skills.h"
#include "store/store.h"
#include "util/he.h"

/*
 * The fixture (tests/unit/fixtures/rediscovery.json, written by
 * gen_rediscovery.py beside it) holds candidates as the store keeps them and
 * open roles, each with graded labels (3 ideal, 2 good, 1 partial; unlisted
 * 0) that come from how the personas were written, not from the scorer. The
 * tests run from the repository root, as the others that read conf/.
 */
#define FIXTURE "tests/unit/fixtures/rediscovery.json"
#define SKILLS_TABLE "conf/skills.tsv"
#define NDCG_K 10
#define NDCG_MIN 0.8		/* the mean over the roles (the issue's bar) */
/* Any one role: a top ten with hardly any of the role's ideal people is a
 * broken ranking for whoever opened that role, whatever the mean says, and
 * regressions of one score part (synonyms, location, seniority) show here
 * first while the mean stays above its bar. */
#define NDCG_ROLE_MIN 0.7

#define N(a) (sizeof (a) / sizeof *(a))

struct fx {
	json_t *root;
	int64_t today;			/* unix day of the fixture's "now" */
	size_t ncand, nrole;
	uint64_t *cid;			/* candidate ids, fixture order */
	json_t **crec;			/* their records (borrowed from root) */
	const char **persona;
	struct match_cand *cand;
	struct match_role *role;
	json_t **rjson;			/* the roles' fixture entries (borrowed) */
	unsigned char *excluded;	/* per candidate: may never be ranked */
};

static struct fx F;

static size_t
cand_index(uint64_t id)
{
	for (size_t i = 0; i < F.ncand; i++)
		if (F.cid[i] == id)
			return i;
	return (size_t)-1;
}

/* The match records and compiled roles, with the synonym table loaded now. */
static int
derive(void)
{
	for (size_t i = 0; i < F.ncand; i++)
		match_cand_from_json(F.cid[i], F.crec[i], &F.cand[i]);
	for (size_t r = 0; r < F.nrole; r++)
		if (match_role_compile((uint64_t)json_integer_value(
		    json_object_get(F.rjson[r], "id")), json_object_get(
		    F.rjson[r], "role"), &F.role[r]) != HE_OK) {
			fprintf(stderr, "role %zu does not compile\n", r + 1);
			return -1;
		}
	return 0;
}

static int
setup(void **state)
{
	json_error_t jerr;
	char err[256] = "";
	json_t *cands, *roles, *v;
	size_t i;

	(void)state;
	if (skills_load(SKILLS_TABLE, err, sizeof err) != HE_OK) {
		fprintf(stderr, "cannot load %s: %s\n", SKILLS_TABLE, err);
		return -1;
	}
	if ((F.root = json_load_file(FIXTURE, 0, &jerr)) == NULL) {
		fprintf(stderr, "cannot read %s: %s (line %d)\n", FIXTURE,
		    jerr.text, jerr.line);
		return -1;
	}
	F.today = json_integer_value(json_object_get(F.root, "now")) / 86400;
	cands = json_object_get(F.root, "candidates");
	roles = json_object_get(F.root, "roles");
	F.ncand = json_array_size(cands);
	F.nrole = json_array_size(roles);
	F.cid = calloc(F.ncand, sizeof *F.cid);
	F.crec = calloc(F.ncand, sizeof *F.crec);
	F.persona = calloc(F.ncand, sizeof *F.persona);
	F.cand = calloc(F.ncand, sizeof *F.cand);
	F.excluded = calloc(F.ncand, 1);
	F.role = calloc(F.nrole, sizeof *F.role);
	F.rjson = calloc(F.nrole, sizeof *F.rjson);
	if (!F.cid || !F.crec || !F.persona || !F.cand || !F.excluded ||
	    !F.role || !F.rjson)
		return -1;
	json_array_foreach(cands, i, v) {
		F.cid[i] = (uint64_t)json_integer_value(json_object_get(v, "id"));
		F.crec[i] = json_object_get(v, "record");
		F.persona[i] = json_string_value(json_object_get(v, "persona"));
	}
	json_array_foreach(json_object_get(F.root, "excluded"), i, v) {
		size_t at = cand_index((uint64_t)json_integer_value(v));

		if (at == (size_t)-1)
			return -1;
		F.excluded[at] = 1;
	}
	json_array_foreach(roles, i, v)
		F.rjson[i] = v;
	return derive();
}

static int
teardown(void **state)
{
	(void)state;
	json_decref(F.root);
	free(F.cid);
	free(F.crec);
	free(F.persona);
	free(F.cand);
	free(F.excluded);
	free(F.role);
	free(F.rjson);
	skills_unload();
	memset(&F, 0, sizeof F);
	return 0;
}

/* ---- the fixture itself ---- */

static void
the_fixture_is_what_the_issue_asks_for(void **state)
{
	size_t nexcl = 0;

	(void)state;
	assert_true(F.ncand >= 300);
	assert_true(F.nrole >= 20);
	for (size_t i = 0; i < F.ncand; i++)
		nexcl += F.excluded[i];
	assert_true(nexcl > 0);
	for (size_t r = 0; r < F.nrole; r++) {
		json_t *labels = json_object_get(F.rjson[r], "labels");
		const char *key;
		json_t *g;
		int ideal = 0;

		assert_true(json_array_size(json_object_get(F.rjson[r],
		    "must_not_rank")) > 0);
		json_object_foreach(labels, key, g) {
			size_t at = cand_index(strtoull(key, NULL, 10));

			assert_true(at != (size_t)-1);
			assert_false(F.excluded[at]);
			assert_true(json_integer_value(g) >= 1 &&
			    json_integer_value(g) <= 3);
			ideal += json_integer_value(g) == 3;
		}
		assert_true(ideal >= 3);
	}
}

/* Dates are read as the store writes them: "last_engaged" and "updated" in
 * unix seconds (clock_now in engage.c and cand_write.c). */
static void
dates_are_read_in_the_units_the_store_writes(void **state)
{
	size_t checked = 0;

	(void)state;
	for (size_t i = 0; i < F.ncand; i++) {
		json_int_t eng = json_integer_value(json_object_get(F.crec[i],
		    "last_engaged"));
		json_int_t upd = json_integer_value(json_object_get(F.crec[i],
		    "updated"));
		json_int_t dec = json_integer_value(json_object_get(F.crec[i],
		    "offer_declined_at"));

		if (eng > 0)
			assert_int_equal(F.cand[i].engaged_day, eng / 86400);
		if (upd > 0)
			assert_int_equal(F.cand[i].updated_day, upd / 86400);
		if (dec > 0)
			assert_int_equal(F.cand[i].declined_day, dec / 86400);
		checked++;
	}
	assert_int_equal(checked, F.ncand);
}

/* ---- ranking ---- */

struct ranked {
	size_t at;			/* candidate index */
	int total;
};

static int
by_score(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->total != y->total)
		return y->total - x->total;
	return F.cid[x->at] < F.cid[y->at] ? -1 : F.cid[x->at] > F.cid[y->at];
}

/* Role r's ranking as match_rank orders it (best score, then lowest id),
 * the excluded left out; *n how many. Checks each candidate's exclusion and
 * lawful-basis mark on the way. */
static struct ranked *
rank_role(size_t r, size_t *n)
{
	struct ranked *out = calloc(F.ncand, sizeof *out);

	assert_non_null(out);
	*n = 0;
	for (size_t i = 0; i < F.ncand; i++) {
		struct match_score s;
		const char *consent = json_string_value(json_object_get(
		    F.crec[i], "consent"));
		int confirmed = consent && strcmp(consent, "confirmed") == 0;

		match_score(&F.role[r], &F.cand[i], F.today, &s);
		if (F.excluded[i] != (s.excluded != 0))
			fail_msg("role %zu: candidate %llu (%s) %s excluded",
			    r + 1, (unsigned long long)F.cid[i], F.persona[i],
			    F.excluded[i] ? "is not" : "is");
		if (s.excluded)
			continue;
		if (s.needs_basis != !confirmed)
			fail_msg("role %zu: candidate %llu (consent %s) needs_basis %d",
			    r + 1, (unsigned long long)F.cid[i],
			    consent ? consent : "none", s.needs_basis);
		assert_true(s.total >= 0 && s.total <= 100);
		out[*n].at = i;
		out[*n].total = s.total;
		(*n)++;
	}
	qsort(out, *n, sizeof *out, by_score);
	return out;
}

static int
grade_of(size_t r, size_t at)
{
	char key[24];

	snprintf(key, sizeof key, "%llu", (unsigned long long)F.cid[at]);
	return (int)json_integer_value(json_object_get(json_object_get(
	    F.rjson[r], "labels"), key));
}

static double
gain(int g)
{
	return (double)((1 << g) - 1);
}

static int
by_grade(const void *a, const void *b)
{
	return *(const int *)b - *(const int *)a;
}

static double
ndcg(size_t r, const struct ranked *rk, size_t n)
{
	json_t *labels = json_object_get(F.rjson[r], "labels");
	int ideal[512];
	size_t ni = 0;
	const char *key;
	json_t *g;
	double dcg = 0, idcg = 0;

	json_object_foreach(labels, key, g)
		if (ni < N(ideal))
			ideal[ni++] = (int)json_integer_value(g);
	qsort(ideal, ni, sizeof *ideal, by_grade);
	for (size_t i = 0; i < NDCG_K && i < ni; i++)
		idcg += gain(ideal[i]) / log2((double)i + 2);
	for (size_t i = 0; i < NDCG_K && i < n; i++)
		dcg += gain(grade_of(r, rk[i].at)) / log2((double)i + 2);
	return idcg > 0 ? dcg / idcg : 0;
}

/* Where the ranking went wrong, for people to read: the top ten, and the
 * good and ideal people who are not in it. */
static void
explain_role(size_t r, const struct ranked *rk, size_t n)
{
	printf("    top %d:\n", NDCG_K);
	for (size_t i = 0; i < NDCG_K && i < n; i++)
		printf("    %2zu. %3d  grade %d  #%llu %s\n", i + 1, rk[i].total,
		    grade_of(r, rk[i].at), (unsigned long long)F.cid[rk[i].at],
		    F.persona[rk[i].at]);
	for (size_t i = NDCG_K; i < n; i++)
		if (grade_of(r, rk[i].at) >= 2)
			printf("    %3zu. %3d  grade %d  #%llu %s\n", i + 1,
			    rk[i].total, grade_of(r, rk[i].at),
			    (unsigned long long)F.cid[rk[i].at], F.persona[rk[i].at]);
}

static void
excluded_people_are_never_ranked(void **state)
{
	(void)state;
	for (size_t r = 0; r < F.nrole; r++) {
		json_t *must_not = json_object_get(F.rjson[r], "must_not_rank");
		size_t n, nexcl = 0, k;
		struct ranked *rk = rank_role(r, &n);
		json_t *v;

		for (size_t i = 0; i < F.ncand; i++)
			nexcl += F.excluded[i];
		/* everyone else is ranked, those who need a basis too */
		assert_int_equal(n, F.ncand - nexcl);
		json_array_foreach(must_not, k, v)
			for (size_t i = 0; i < n; i++)
				if (F.cid[rk[i].at] == (uint64_t)json_integer_value(v))
					fail_msg("role %zu ranks #%llu (%s) at %zu", r + 1,
					    (unsigned long long)F.cid[rk[i].at],
					    F.persona[rk[i].at], i + 1);
		for (size_t i = 0; i < n; i++)
			assert_false(F.excluded[rk[i].at]);
		free(rk);
	}
}

/* Ranking quality: NDCG@10 per role and their mean, at least NDCG_MIN. */
static void
rankings_agree_with_the_labels(void **state)
{
	double sum = 0, worst = 1;
	size_t below = 0, low = 0;

	(void)state;
	printf("NDCG@%d per role (fixture %s):\n", NDCG_K, FIXTURE);
	for (size_t r = 0; r < F.nrole; r++) {
		size_t n;
		struct ranked *rk = rank_role(r, &n);
		double v = ndcg(r, rk, n);
		json_t *role = json_object_get(F.rjson[r], "role");

		printf("  role %2zu %-36s %.3f\n", r + 1, json_string_value(
		    json_object_get(role, "title")), v);
		if (v < NDCG_MIN) {
			below++;
			explain_role(r, rk, n);
		}
		if (v < NDCG_ROLE_MIN)
			low++;
		sum += v;
		if (v < worst)
			worst = v;
		free(rk);
	}
	printf("  mean %.3f, lowest %.3f, %zu of %zu roles below %.1f\n",
	    sum / (double)F.nrole, worst, below, F.nrole, NDCG_MIN);
	if (sum / (double)F.nrole < NDCG_MIN)
		fail_msg("mean NDCG@%d %.3f is below %.1f", NDCG_K,
		    sum / (double)F.nrole, NDCG_MIN);
	if (low)
		fail_msg("%zu roles have NDCG@%d below %.1f", low, NDCG_K,
		    NDCG_ROLE_MIN);
}

/* The fixture can show a regression: without the synonym table ("golang"
 * is then not Go, nor "k8s" Kubernetes) some roles' rankings fall below the
 * floor. */
static void
without_synonyms_the_rankings_fail(void **state)
{
	char err[256] = "";
	size_t low = 0;

	(void)state;
	skills_unload();
	assert_int_equal(derive(), 0);
	for (size_t r = 0; r < F.nrole; r++) {
		size_t n;
		struct ranked *rk = rank_role(r, &n);

		low += ndcg(r, rk, n) < NDCG_ROLE_MIN;
		free(rk);
	}
	assert_int_equal(skills_load(SKILLS_TABLE, err, sizeof err), HE_OK);
	assert_int_equal(derive(), 0);
	assert_true(low > 0);
}

/* ---- the same through the store ---- */

static int
put_all_txn(struct store *st, DB_TXN *txn, void *arg)
{
	int rc = HE_OK;

	(void)arg;
	for (size_t i = 0; i < F.ncand && rc == HE_OK; i++)
		rc = match_cand_changed(st, txn, F.cid[i], F.crec[i]);
	return rc;
}

/* What the ranking page shows comes from match_rank over STORE_MATCH: the
 * fixture's records stored as cand_write stores them rank as above, page by
 * page, with the excluded left out and the count of everyone ranked; and
 * with a filter (only) of the role's labelled people, only they. */
static void
the_stored_ranking_is_the_same(void **state)
{
	char dir[] = "/tmp/hearth-test-rank-fixture-XXXXXX", cmd[96];
	unsigned char key[STORE_KEYBYTES];
	struct store *st;

	(void)state;
	assert_true(sodium_init() >= 0);
	assert_non_null(mkdtemp(dir));
	assert_int_equal(store_open(&st, dir, 16, 0), HE_OK);
	randombytes_buf(key, sizeof key);
	store_set_site_key(st, key);
	assert_int_equal(store_txn(st, put_all_txn, NULL), HE_OK);
	for (size_t r = 0; r < F.nrole; r++) {
		size_t n, got, k;
		struct ranked *rk = rank_role(r, &n);
		struct match_hit *hits;
		uint64_t total;
		roaring_bitmap_t *only = roaring_bitmap_create();
		const char *id;
		json_t *g;

		for (size_t off = 0; off < 30; off += 10) {
			assert_int_equal(match_rank(st, &F.role[r], NULL, F.today,
			    off, 10, &hits, &got, &total), HE_OK);
			assert_int_equal(total, n);
			assert_int_equal(got, 10);
			for (k = 0; k < got; k++) {
				if (hits[k].cand.id != F.cid[rk[off + k].at])
					fail_msg("role %zu, place %zu: #%llu stored, "
					    "#%llu in memory", r + 1, off + k + 1,
					    (unsigned long long)hits[k].cand.id,
					    (unsigned long long)F.cid[rk[off + k].at]);
				assert_int_equal(hits[k].score.total,
				    rk[off + k].total);
			}
			free(hits);
		}
		assert_non_null(only);
		json_object_foreach(json_object_get(F.rjson[r], "labels"), id, g)
			roaring_bitmap_add(only, (uint32_t)strtoul(id, NULL, 10));
		json_array_foreach(json_object_get(F.rjson[r], "must_not_rank"),
		    k, g)
			roaring_bitmap_add(only, (uint32_t)json_integer_value(g));
		assert_int_equal(match_rank(st, &F.role[r], only, F.today, 0,
		    100, &hits, &got, &total), HE_OK);
		/* the labelled, not those who may not be ranked */
		assert_int_equal(total, json_object_size(json_object_get(
		    F.rjson[r], "labels")));
		assert_int_equal(got, total);
		for (k = 0; k < got; k++) {
			assert_true(roaring_bitmap_contains(only,
			    (uint32_t)hits[k].cand.id));
			assert_int_not_equal(grade_of(r,
			    cand_index(hits[k].cand.id)), 0);
			assert_true(k == 0 || hits[k - 1].score.total >=
			    hits[k].score.total);
		}
		free(hits);
		roaring_bitmap_free(only);
		free(rk);
	}
	store_close(st);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* The metric itself: a ranking in label order scores 1, one in reverse
 * less, so that the check above can fail. */
static void
the_metric_tells_good_from_bad_rankings(void **state)
{
	(void)state;
	for (size_t r = 0; r < F.nrole; r++) {
		size_t n;
		struct ranked *rk = rank_role(r, &n);
		double best, worst;

		for (size_t i = 0; i < n; i++)
			rk[i].total = grade_of(r, rk[i].at);
		qsort(rk, n, sizeof *rk, by_score);
		best = ndcg(r, rk, n);
		for (size_t i = 0; i < n; i++)
			rk[i].total = -rk[i].total;
		qsort(rk, n, sizeof *rk, by_score);
		worst = ndcg(r, rk, n);
		assert_true(fabs(best - 1.0) < 1e-9);
		assert_true(worst < 0.1);
		free(rk);
	}
}

/* ---- protected attributes ---- */

/* A change of one protected attribute: set field to value (JSON text), or
 * remove it (value NULL). Fields the records hold and fields some import
 * could bring. */
static const struct {
	const char *field, *value;
} protected_changes[] = {
	{ "first_name", "\"Oluwaseun\"" }, { "first_name", "\"晓明\"" },
	{ "first_name", NULL },
	{ "last_name", "\"Nguyễn\"" }, { "last_name", "\"Smith\"" },
	{ "last_name", NULL },
	{ "name", "\"Fatima Al-Sayed\"" }, { "name", "\"Jörg Weiß\"" },
	{ "name", NULL },
	{ "gender", "\"female\"" }, { "gender", "\"male\"" },
	{ "gender", "\"non_binary\"" }, { "gender", NULL },
	{ "birth_year", "1955" }, { "birth_year", "2004" }, { "birth_year", NULL },
	{ "birth_date", "\"1955-01-31\"" }, { "birth_date", "\"2004-12-01\"" },
	{ "birth_date", NULL }, { "date_of_birth", "\"1971-06-15\"" },
	{ "age", "19" }, { "age", "67" },
	{ "nationality", "\"Nigerian\"" }, { "nationality", "\"Japanese\"" },
	{ "nationality", "\"Stateless\"" }, { "nationality", NULL },
	{ "photo", "\"photos/other.jpg\"" }, { "photo", NULL },
	{ "email", "\"someone.else@example.org\"" }, { "email", NULL },
	{ "email_key", "\"someone.else@example.org\"" },
	{ "phone", "\"+234 8031234567\"" },
	{ "ethnicity", "\"Black British\"" }, { "religion", "\"Muslim\"" },
	{ "disability", "true" }, { "marital_status", "\"married\"" },
	{ "pronouns", "\"they/them\"" }, { "sexual_orientation", "\"gay\"" },
	{ "pregnant", "true" },
};

static void
same_cand(const struct match_cand *a, const struct match_cand *b)
{
	assert_int_equal(a->id, b->id);
	assert_int_equal(a->flags, b->flags);
	assert_int_equal(a->seniority, b->seniority);
	assert_int_equal(a->level, b->level);
	assert_int_equal(a->nskills, b->nskills);
	assert_int_equal(a->ninterests, b->ninterests);
	assert_int_equal(a->nsilver, b->nsilver);
	assert_int_equal(a->city, b->city);
	assert_int_equal(a->country, b->country);
	assert_int_equal(a->engaged_day, b->engaged_day);
	assert_int_equal(a->updated_day, b->updated_day);
	assert_int_equal(a->declined_day, b->declined_day);
	assert_memory_equal(a->skills, b->skills, sizeof a->skills[0] * a->nskills);
	assert_memory_equal(a->interests, b->interests,
	    sizeof a->interests[0] * a->ninterests);
	assert_memory_equal(a->silver, b->silver, sizeof a->silver[0] * a->nsilver);
}

static void
same_score(const struct match_score *a, const struct match_score *b)
{
	assert_int_equal(a->total, b->total);
	assert_memory_equal(a->part, b->part, sizeof a->part);
	assert_int_equal(a->req_matched, b->req_matched);
	assert_int_equal(a->nice_matched, b->nice_matched);
	assert_int_equal(a->excluded, b->excluded);
	assert_int_equal(a->needs_basis, b->needs_basis);
}

static void
protected_attributes_never_change_a_score(void **state)
{
	size_t compared = 0;

	(void)state;
	for (size_t i = 0; i < F.ncand; i++) {
		for (size_t c = 0; c < N(protected_changes); c++) {
			json_t *rec = json_deep_copy(F.crec[i]);
			struct match_cand m;

			assert_non_null(rec);
			if (protected_changes[c].value) {
				json_t *v = json_loads(protected_changes[c].value,
				    JSON_DECODE_ANY, NULL);

				assert_non_null(v);
				json_object_set_new(rec, protected_changes[c].field, v);
			} else {
				json_object_del(rec, protected_changes[c].field);
			}
			memset(&m, 0, sizeof m);
			match_cand_from_json(F.cid[i], rec, &m);
			same_cand(&F.cand[i], &m);
			for (size_t r = 0; r < F.nrole; r++) {
				struct match_score a, b;
				json_t *ea, *eb;

				match_score(&F.role[r], &F.cand[i], F.today, &a);
				match_score(&F.role[r], &m, F.today, &b);
				if (a.total != b.total)
					fail_msg("#%llu role %zu: %s changed the score "
					    "%d to %d", (unsigned long long)F.cid[i],
					    r + 1, protected_changes[c].field,
					    a.total, b.total);
				same_score(&a, &b);
				/* and what people are shown of it */
				if (c % 8 == i % 8) {
					ea = match_explain(&F.role[r], &F.cand[i], &a);
					eb = match_explain(&F.role[r], &m, &b);
					assert_non_null(ea);
					assert_non_null(eb);
					assert_true(json_equal(ea, eb));
					json_decref(ea);
					json_decref(eb);
				}
				compared++;
			}
			json_decref(rec);
		}
	}
	assert_int_equal(compared, F.ncand * N(protected_changes) * F.nrole);
}

/* The test above can fail: a change the score may see (the skills) does
 * move some scores. */
static void
a_change_that_matters_does_change_scores(void **state)
{
	size_t moved = 0;

	(void)state;
	for (size_t i = 0; i < F.ncand; i++) {
		json_t *rec = json_deep_copy(F.crec[i]);
		struct match_cand m;

		assert_non_null(rec);
		json_object_set_new(rec, "skills", json_array());
		match_cand_from_json(F.cid[i], rec, &m);
		for (size_t r = 0; r < F.nrole; r++) {
			struct match_score a, b;

			match_score(&F.role[r], &F.cand[i], F.today, &a);
			match_score(&F.role[r], &m, F.today, &b);
			moved += a.total != b.total;
		}
		json_decref(rec);
	}
	assert_true(moved > F.ncand);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_fixture_is_what_the_issue_asks_for),
		cmocka_unit_test(dates_are_read_in_the_units_the_store_writes),
		cmocka_unit_test(excluded_people_are_never_ranked),
		cmocka_unit_test(the_metric_tells_good_from_bad_rankings),
		cmocka_unit_test(rankings_agree_with_the_labels),
		cmocka_unit_test(without_synonyms_the_rankings_fail),
		cmocka_unit_test(the_stored_ranking_is_the_same),
		cmocka_unit_test(protected_attributes_never_change_a_score),
		cmocka_unit_test(a_change_that_matters_does_change_scores),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
