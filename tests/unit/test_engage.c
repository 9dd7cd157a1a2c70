/* test_engage.c: the engagement score: decay, levels, sort keys, the
 * sort by score, the freshness pass and the call sites */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sodium.h>

#include "crm/candidates.h"
#include "crm/clock.h"
#include "crm/engage.h"
#include "crm/fresh.h"
#include "crm/index.h"
#include "crm/merge.h"
#include "crm/query.h"
#include "crm/timeline.h"
#include "store/entities.h"
#include "store/postings.h"
#include "store/store.h"
#include "util/he.h"

#define DAY 86400
#define T0 1767225600		/* 2026-01-01 00:00 UTC */

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
	strcpy(e->dir, "/tmp/e5-test-engage-XXXXXX");
	if (mkdtemp(e->dir) == NULL || store_open(&e->st, e->dir, 16, 0) != HE_OK)
		return -1;
	randombytes_buf(key, sizeof key);
	store_set_site_key(e->st, key);
	clock_set_offset(0);
	*state = e;
	return engage_configure(NULL) == HE_OK ? 0 : -1;
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
	clock_set_offset(0);
	engage_configure(NULL);
	return rc == 0 ? 0 : -1;
}

static int
plain_setup(void **state)
{
	*state = NULL;
	return engage_configure(NULL) == HE_OK ? 0 : -1;
}

static int
plain_teardown(void **state)
{
	(void)state;
	return engage_configure(NULL) == HE_OK ? 0 : -1;
}

/* An HDF of "Key=value" settings under Engagement. */
static HDF *
settings(const char *const *kv)
{
	HDF *h;

	assert_null(hdf_init(&h));
	for (; *kv; kv += 2) {
		char key[96];

		snprintf(key, sizeof key, "Engagement.%s", kv[0]);
		assert_null(hdf_set_value(h, key, kv[1]));
	}
	return h;
}

static void
close_to(double got, double want)
{
	if (fabs(got - want) > 1e-9 * (fabs(want) > 1 ? fabs(want) : 1)) {
		print_error("%.15g, want %.15g\n", got, want);
		fail();
	}
}

/* ---- the score ---- */

static void
decay_halves_every_half_life(void **state)
{
	HDF *h = settings((const char *[]){ "Weights.Reply", "10", NULL });
	json_t *rec = json_object(), *other = json_object();

	(void)state;
	assert_int_equal(engage_configure(h), HE_OK);
	hdf_destroy(&h);
	assert_int_equal(engage_score(rec, T0), 0);
	assert_int_equal(engage_add(rec, ENGAGE_REPLY, T0), HE_OK);
	close_to(engage_score(rec, T0), 10);
	close_to(engage_score(rec, T0 + 30 * DAY), 5);
	close_to(engage_score(rec, T0 + 60 * DAY), 2.5);
	close_to(engage_score(rec, T0 + 15 * DAY), 10 / sqrt(2));
	/* As of "t": the stored score is the one of its time. */
	close_to(json_real_value(json_object_get(json_object_get(rec, "eng"),
	    "s")), 10);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(rec,
	    "eng"), "t")), T0);

	/* A second event a half-life later: 5 left of the first, plus 10. */
	assert_int_equal(engage_add(rec, ENGAGE_REPLY, T0 + 30 * DAY), HE_OK);
	close_to(engage_score(rec, T0 + 30 * DAY), 15);
	close_to(engage_score(rec, T0 + 90 * DAY), 15.0 / 4);
	/* The same events the other way round (one logged late) sum alike,
	 * and a click (2) and a visit (1) add theirs. */
	assert_int_equal(engage_add(other, ENGAGE_REPLY, T0 + 30 * DAY), HE_OK);
	assert_int_equal(engage_add(other, ENGAGE_REPLY, T0), HE_OK);
	close_to(engage_score(other, T0 + 40 * DAY), engage_score(rec, T0 + 40 * DAY));
	assert_int_equal(engage_add(other, ENGAGE_CLICK, T0 + 60 * DAY), HE_OK);
	assert_int_equal(engage_add(other, ENGAGE_VISIT, T0 + 60 * DAY), HE_OK);
	close_to(engage_score(other, T0 + 60 * DAY), 15.0 / 2 + 3);
	close_to(engage_score(other, T0 + 90 * DAY), (15.0 / 2 + 3) / 2);

	/* What is not an event changes nothing. */
	assert_int_equal(engage_add(rec, ENGAGE__MAX, T0), HE_INVALID);
	assert_int_equal(engage_add(rec, (enum engage_kind)-1, T0), HE_INVALID);
	assert_int_equal(engage_add(rec, ENGAGE_CLICK, 0), HE_INVALID);
	close_to(engage_score(rec, T0 + 30 * DAY), 15);
	json_decref(rec);
	json_decref(other);
}

static void
default_weights_and_merges(void **state)
{
	static const double want[ENGAGE__MAX] = { 3, 3, 2, 1, 5, 5 };
	json_t *a = json_object(), *b = json_object(), *m = json_object();

	(void)state;
	for (int k = 0; k < ENGAGE__MAX; k++) {
		json_t *rec = json_object();

		assert_int_equal(engage_add(rec, (enum engage_kind)k, T0), HE_OK);
		close_to(engage_score(rec, T0), want[k]);
		json_decref(rec);
	}
	/* Two records of one person merged: both scores together. */
	assert_int_equal(engage_merge(m, a, b), HE_OK);
	assert_null(json_object_get(m, "eng"));
	assert_int_equal(engage_add(a, ENGAGE_SIGNUP, T0), HE_OK);
	assert_int_equal(engage_merge(m, a, b), HE_OK);
	close_to(engage_score(m, T0 + 30 * DAY), 1.5);
	assert_int_equal(engage_add(b, ENGAGE_REPLY, T0 + 30 * DAY), HE_OK);
	assert_int_equal(engage_merge(m, a, b), HE_OK);
	close_to(engage_score(m, T0 + 30 * DAY), 6.5);
	assert_int_equal(engage_merge(m, b, a), HE_OK);
	close_to(engage_score(m, T0 + 60 * DAY), 3.25);
	json_decref(a);
	json_decref(b);
	json_decref(m);
}

static json_t *
scored(double s, int64_t t)
{
	return json_pack("{s:{s:f, s:I}}", "eng", "s", s, "t", (json_int_t)t);
}

static void
levels_at_the_thresholds(void **state)
{
	static const struct {
		double s;
		const char *level;
	} cases[] = {
		{ 1000, "hot" }, { 2.5, "hot" }, { 2.4999, "warm" }, { 0.5, "warm" },
		{ 0.4999, "cold" }, { 0.0001, "cold" },
	};
	json_t *none = json_object(), *rec;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		rec = scored(cases[i].s, T0);
		assert_string_equal(engage_level(rec, T0), cases[i].level);
		assert_string_equal(engage_level_of(cases[i].s), cases[i].level);
		json_decref(rec);
	}
	assert_string_equal(engage_level(none, T0), "cold");
	assert_string_equal(engage_level_of(0), "cold");
	/* 5 is hot for exactly one half-life; 2 warm for exactly two. */
	rec = scored(5, T0);
	assert_string_equal(engage_level(rec, T0 + 30 * DAY), "hot");
	assert_string_equal(engage_level(rec, T0 + 30 * DAY + 1), "warm");
	assert_string_equal(engage_level(rec, T0 + 90 * DAY), "warm");	/* 0.625 */
	assert_string_equal(engage_level(rec, T0 + 120 * DAY), "cold");
	json_decref(rec);
	rec = scored(2, T0);
	assert_string_equal(engage_level(rec, T0 + 60 * DAY), "warm");
	assert_string_equal(engage_level(rec, T0 + 60 * DAY + 1), "cold");
	json_decref(rec);
	/* A bad "eng" is no score. */
	rec = json_pack("{s:{s:s, s:I}}", "eng", "s", "5", "t", (json_int_t)T0);
	assert_string_equal(engage_level(rec, T0), "cold");
	json_decref(rec);
	rec = json_pack("{s:{s:f, s:I}}", "eng", "s", -3.0, "t", (json_int_t)T0);
	assert_int_equal(engage_score(rec, T0), 0);
	json_decref(rec);
	json_decref(none);
}

static void
configuration_is_read_and_checked(void **state)
{
	HDF *h = settings((const char *[]){ "HalfLifeDays", "10", "HotScore", "4",
	    "WarmScore", " 1 ", "Weights.Click", "0.5", "Weights.Visit", "0",
	    NULL });
	const struct engage_cfg *c = engage_settings();
	json_t *rec = json_object();
	static const char *const bad[][2] = {
		{ "HalfLifeDays", "0" }, { "HalfLifeDays", "thirty" },
		{ "HalfLifeDays", "9999" }, { "HotScore", "-1" },
		{ "WarmScore", "5" },	/* above HotScore (2.5) */
		{ "Weights.Reply", "-2" }, { "Weights.Touch", "5x" },
		{ "HotScore", "nan" }, { "WarmScore", "inf" },
	};

	(void)state;
	assert_int_equal(engage_configure(h), HE_OK);
	hdf_destroy(&h);
	close_to(c->half_life_days, 10);
	close_to(c->hot, 4);
	close_to(c->warm, 1);
	close_to(c->weight[ENGAGE_CLICK], 0.5);
	close_to(c->weight[ENGAGE_REPLY], 5);		/* unset: the default */
	assert_int_equal(engage_add(rec, ENGAGE_CLICK, T0), HE_OK);
	close_to(engage_score(rec, T0 + 10 * DAY), 0.25);
	/* A weight of 0 does not count at all. */
	assert_int_equal(engage_add(rec, ENGAGE_VISIT, T0 + 10 * DAY), HE_OK);
	close_to(engage_score(rec, T0 + 10 * DAY), 0.25);
	assert_int_equal(engage_add(rec, ENGAGE_REPLY, T0 + 10 * DAY), HE_OK);
	assert_string_equal(engage_level(rec, T0 + 10 * DAY), "hot");	/* 5.25 */
	assert_string_equal(engage_level(rec, T0 + 20 * DAY), "warm");	/* 2.6 */
	json_decref(rec);

	/* Each bad value is refused and leaves the settings as they were. */
	assert_int_equal(engage_configure(NULL), HE_OK);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		h = settings((const char *[]){ "HalfLifeDays", "7", bad[i][0],
		    bad[i][1], NULL });
		assert_int_equal(engage_configure(h), HE_INVALID);
		hdf_destroy(&h);
		close_to(c->half_life_days, 30);
		close_to(c->hot, 2.5);
		close_to(c->weight[ENGAGE_REPLY], 5);
	}
}

/* A small deterministic generator. */
static uint64_t rng_state = 88172645463325252ULL;

static uint64_t
rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static double
uniform(double lo, double hi)
{
	return lo + (hi - lo) * (double)(rng() >> 11) / 9007199254740992.0;
}

static void
sort_key_orders_like_the_score_at_any_time(void **state)
{
	enum { N = 400 };
	json_t *recs[N];
	double k[N];
	char ck[N][ENGAGE_KEY_SIZE], fk[N][ENGAGE_KEY_SIZE];

	(void)state;
	for (int i = 0; i < N; i++) {
		/* Scores from a trace to a lot, over two years; some equal. */
		double s = i % 10 == 0 ? 3 : exp2(uniform(-8, 7));
		int64_t t = i % 10 == 0 ? T0 : T0 + (int64_t)uniform(0, 730 * DAY);

		recs[i] = scored(s, t);
		assert_int_equal(engage_sort_k(recs[i], &k[i]), 1);
		engage_bucket_keys(k[i], ck[i], fk[i]);
		assert_int_equal(strncmp(ck[i], "sc:", 3), 0);
		assert_int_equal(strncmp(fk[i], "sk:", 3), 0);
		assert_int_equal(strlen(fk[i]), strlen("sk:001234.0123"));
	}
	/* Later times, including years after every event and one before. */
	for (int64_t now = T0 - 30 * DAY; now < T0 + 2000 * DAY;
	    now += 97 * DAY + 3607)
		for (int i = 0; i < N; i++)
			for (int j = 0; j < N; j++) {
				double a = engage_score(recs[i], now);
				double b = engage_score(recs[j], now);

				if (fabs(a - b) <= 1e-12 * fmax(a, b))
					continue;	/* equal but for rounding */
				if ((k[i] > k[j]) != (a > b)) {
					print_error("records %d %d at %lld: k %.17g %.17g, "
					    "scores %.17g %.17g\n", i, j, (long long)now,
					    k[i], k[j], a, b);
					fail();
				}
			}
	/* The buckets are in the order of k, coarse and fine. */
	for (int i = 0; i < N; i++)
		for (int j = 0; j < N; j++)
			if (k[i] > k[j]) {
				assert_true(strcmp(ck[i], ck[j]) >= 0);
				assert_true(strcmp(fk[i], fk[j]) >= 0);
			}
	/* A coarse bucket spans a halving of the score; its fine prefix. */
	{
		char c1[ENGAGE_KEY_SIZE], f1[ENGAGE_KEY_SIZE];
		char c2[ENGAGE_KEY_SIZE], f2[ENGAGE_KEY_SIZE], p[ENGAGE_KEY_SIZE];

		engage_bucket_keys(700.25, c1, f1);
		engage_bucket_keys(701.0, c2, f2);
		assert_string_equal(c1, "sc:002700");
		assert_string_equal(f1, "sk:002700.0256");
		assert_string_equal(c2, "sc:002701");
		assert_string_equal(f2, "sk:002701.0000");
		engage_fine_prefix(c1, p);
		assert_string_equal(p, "sk:002700.");
		/* The absurd land at the ends, in order. */
		engage_bucket_keys(-1e9, c1, f1);
		engage_bucket_keys(NAN, c2, f2);
		assert_string_equal(f1, "sk:000000.0000");
		assert_string_equal(f2, "sk:000000.0000");
		engage_bucket_keys(1e12, c1, f1);
		assert_string_equal(f1, "sk:999999.1023");
	}
	close_to(engage_k_of(4, T0), 2 + (double)T0 / (30.0 * DAY));
	for (int i = 0; i < N; i++)
		json_decref(recs[i]);
}

/* ---- in a store ---- */

struct put {
	uint64_t id;
	json_t *rec, *old;
};

static int
put_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct put *p = arg;

	return cand_write(st, txn, p->id, p->old, p->rec);
}

/* A new candidate with rec's fields (rec is taken). */
static uint64_t
add(struct env *e, json_t *rec)
{
	struct put p = { 0, rec, NULL };
	char ekey[64];

	assert_int_equal(store_next_id(e->st, SEQ_CANDIDATE, &p.id), HE_OK);
	snprintf(ekey, sizeof ekey, "k%llu", (unsigned long long)p.id);
	json_object_set_new(rec, "email_key", json_string(ekey));
	json_object_set_new(rec, "email", json_string(ekey));
	assert_int_equal(store_txn(e->st, put_txn, &p), HE_OK);
	json_decref(rec);
	return p.id;
}

static json_t *
get(struct env *e, uint64_t id)
{
	json_t *rec;

	assert_int_equal(cand_get(e->st, id, &rec), HE_OK);
	return rec;
}

static const char *
level_of(struct env *e, uint64_t id, char buf[8])
{
	json_t *rec = get(e, id);

	snprintf(buf, 8, "%s", json_string_value(json_object_get(rec, "level")));
	json_decref(rec);
	return buf;
}

static void
ignore_line(const char *line, void *ctx)
{
	(void)ctx;
	print_error("%s\n", line);
}

static void
index_agrees(struct env *e)
{
	size_t problems = 0;

	assert_int_equal(cand_index_verify(e->st, ignore_line, NULL, &problems),
	    HE_OK);
	assert_int_equal(problems, 0);
}

struct many {
	size_t from, n;
	uint64_t *ids;
	int64_t now;
};

/* Records with random scores in one transaction: a fifth with none,
 * some tied exactly, some a second apart; tagged "few" 1 in 60. */
static int
many_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct many *m = arg;
	struct cand_batch *b = cand_batch_new();
	int rc = b ? HE_OK : HE_NOMEM;

	for (size_t i = m->from; rc == HE_OK && i < m->from + m->n; i++) {
		char ekey[32];
		json_t *rec;

		snprintf(ekey, sizeof ekey, "m%zu", i);
		rec = json_pack("{s:s, s:s, s:[s]}", "email", ekey, "email_key",
		    ekey, "tags", i % 60 == 0 ? "few" : "many");
		if (i % 5 != 0) {
			/* Dense: most coarse buckets hold hundreds. */
			double s = i % 7 == 0 ? 3 : exp2(uniform(0, 2));
			int64_t t = i % 7 == 0 ? m->now - 10 * DAY - (int64_t)(i % 3) :
			    m->now - (int64_t)uniform(0, 60 * DAY);

			json_object_set_new(rec, "eng", json_pack("{s:f, s:I}", "s",
			    s, "t", (json_int_t)t));
		}
		/* Scores as other writers might leave them: the sort reads
		 * them from the record's text as engage_score reads them. */
		switch (i % 60 == 0 ? i / 60 % 6 : 9) {
		case 0:		/* the other order */
			json_object_set_new(rec, "eng", json_pack("{s:I, s:f}",
			    "t", (json_int_t)m->now - 3600, "s", 2.75));
			break;
		case 1:		/* an integer score */
			json_object_set_new(rec, "eng", json_pack("{s:i, s:I}",
			    "s", 4, "t", (json_int_t)m->now - 7200));
			break;
		case 2:		/* more than it needs: read in full */
			json_object_set_new(rec, "eng", json_pack("{s:f, s:I, s:s}",
			    "s", 1.5, "t", (json_int_t)m->now, "why", "x\"y"));
			break;
		case 3:		/* a time that is not an integer: no score */
			json_object_set_new(rec, "eng", json_pack("{s:f, s:f}",
			    "s", 9.0, "t", (double)m->now));
			break;
		case 4:		/* no score at all */
			json_object_set_new(rec, "eng", json_pack("{s:f, s:I}",
			    "s", -1.0, "t", (json_int_t)m->now));
			break;
		}
		if ((rc = store_next_id(st, SEQ_CANDIDATE, &m->ids[i])) == HE_OK)
			rc = cand_batch_write(b, st, txn, m->ids[i], NULL, rec);
		json_decref(rec);
	}
	if (rc == HE_OK)
		rc = cand_batch_flush(b, st, txn);
	cand_batch_free(b);
	return rc;
}

/* Every match of text sorted by score, pages of per at a time; checks
 * the order against engage_score at now and returns how many. */
static size_t
check_score_order(struct env *e, const char *text, size_t per, int64_t now,
    size_t want)
{
	struct cand_query q;
	uint64_t *got = calloc(want + per, sizeof *got), total = 0;
	size_t n, count = 0;
	double prev = INFINITY;
	uint64_t prev_id = UINT64_MAX;

	cand_query_init(&q);
	snprintf(q.text, sizeof q.text, "%s", text);
	for (size_t page = 1; ; page++) {
		assert_int_equal(cand_search(e->st, &q, SORT_SCORE, page, per,
		    got + count, &n, &total), HE_OK);
		if (n == 0)
			break;
		count += n;
		assert_true(count <= want);
	}
	assert_int_equal(total, want);
	assert_int_equal(count, want);
	for (size_t i = 0; i < count; i++) {
		json_t *rec = get(e, got[i]);
		double s = engage_score(rec, now);

		json_decref(rec);
		/* Highest first; equal scores (and none: 0) newest first. */
		if (s > prev * (1 + 1e-12) ||
		    (fabs(s - prev) <= 1e-12 * s && s > 0 && got[i] > prev_id) ||
		    (s == 0 && prev == 0 && got[i] > prev_id)) {
			print_error("%s: place %zu: %llu (%.17g) after %llu (%.17g)\n",
			    text, i, (unsigned long long)got[i], s,
			    (unsigned long long)prev_id, prev);
			fail();
		}
		for (size_t j = 0; j < i; j++)
			assert_true(got[j] != got[i]);
		prev = s;
		prev_id = got[i];
	}
	free(got);
	return count;
}

struct sizes {
	size_t big, small;
};

static int
bucket_size(const char *key, uint64_t count, void *ctx)
{
	struct sizes *z = ctx;

	(void)key;
	if (count > 256)	/* search.c's SCORE_DIRECT_MAX: walked finely */
		z->big++;
	else
		z->small++;
	return HE_OK;
}

static void
sort_by_score_agrees_with_the_scores(void **state)
{
	enum { N = 3000 };
	struct env *e = *state;
	struct many m = { 0, 250, calloc(N, sizeof(uint64_t)), clock_now() };

	struct sizes z = { 0, 0 };

	for (m.from = 0; m.from < N; m.from += m.n)
		assert_int_equal(store_txn(e->st, many_txn, &m), HE_OK);
	/* Both ways of ordering a coarse bucket are used. */
	assert_int_equal(store_post_keys(e->st, NULL, "sc:", 0, bucket_size, &z),
	    HE_OK);
	assert_true(z.big > 0 && z.small > 0);
	/* The walk over the buckets (thousands), an exact read (50), with
	 * pages that end inside buckets; and later, when every score has
	 * decayed (the order does not change with time). */
	assert_int_equal(check_score_order(e, "", 50, m.now, N), N);
	assert_int_equal(check_score_order(e, "tag:many", 37, m.now, N - N / 60),
	    N - N / 60);
	assert_int_equal(check_score_order(e, "tag:few", 7, m.now, N / 60), N / 60);
	assert_int_equal(check_score_order(e, "", 500, m.now + 400 * DAY, N), N);
	index_agrees(e);
	free(m.ids);
}

static void
the_freshness_pass_lowers_levels_as_scores_decay(void **state)
{
	struct env *e = *state;
	int64_t now = clock_now();
	uint64_t hot = add(e, scored(5, now));		/* hot for 30 days */
	uint64_t keen = add(e, scored(100, now));	/* hot for 185 */
	uint64_t warm = add(e, scored(1, now));		/* warm for 30 */
	uint64_t none = add(e, json_object());
	struct fresh_stats s;
	char buf[8];
	struct cand_query q;
	roaring_bitmap_t *ids;

	assert_string_equal(level_of(e, hot, buf), "hot");
	assert_string_equal(level_of(e, keen, buf), "hot");
	assert_string_equal(level_of(e, warm, buf), "warm");
	assert_string_equal(level_of(e, none, buf), "cold");
	memset(&s, 0, sizeof s);
	assert_int_equal(fresh_run(e->st, 12, &s), HE_OK);
	assert_int_equal(s.levels, 0);
	assert_int_equal(s.looked, 0);		/* all well above their threshold */

	/* 31 days on: hot is warm (2.45), warm is cold (0.49); only they
	 * were read (the buckets above the thresholds say the rest). */
	clock_set_offset(31 * DAY);
	memset(&s, 0, sizeof s);
	assert_int_equal(fresh_run(e->st, 12, &s), HE_OK);
	assert_int_equal(s.levels, 2);
	assert_int_equal(s.looked, 2);
	assert_string_equal(level_of(e, hot, buf), "warm");
	assert_string_equal(level_of(e, keen, buf), "hot");
	assert_string_equal(level_of(e, warm, buf), "cold");
	/* The level filter follows, and a pass the same day has nothing. */
	cand_query_init(&q);
	strcpy(q.text, "level:warm");
	assert_int_equal(cand_search_ids(e->st, NULL, &q, &ids), HE_OK);
	assert_int_equal(roaring_bitmap_get_cardinality(ids), 1);
	assert_true(roaring_bitmap_contains(ids, (uint32_t)hot));
	roaring_bitmap_free(ids);
	memset(&s, 0, sizeof s);
	assert_int_equal(fresh_run(e->st, 12, &s), HE_OK);
	assert_int_equal(s.levels, 0);

	/* Through the worker's steps: 200 days on, keen (1.0) is warm and
	 * hot (0.05) cold. "updated" stays: no one edited them. */
	clock_set_offset(200 * DAY);
	{
		int more = 1, steps = 0;

		memset(&s, 0, sizeof s);
		while (more) {
			assert_int_equal(fresh_step(e->st, 12, 1, &s, &more), HE_OK);
			assert_true(++steps < 100);
		}
	}
	assert_int_equal(s.levels, 2);
	assert_string_equal(level_of(e, keen, buf), "warm");
	assert_string_equal(level_of(e, hot, buf), "cold");
	{
		json_t *rec = get(e, keen);

		assert_true(json_integer_value(json_object_get(rec, "updated")) <
		    now + DAY);
		json_decref(rec);
	}
	/* A clock set back (hearthctl fresh --at) puts levels right upwards. */
	clock_set_offset(0);
	memset(&s, 0, sizeof s);
	assert_int_equal(fresh_run(e->st, 12, &s), HE_OK);
	assert_int_equal(s.levels, 3);
	assert_string_equal(level_of(e, hot, buf), "hot");
	assert_string_equal(level_of(e, keen, buf), "hot");
	assert_string_equal(level_of(e, warm, buf), "warm");
	index_agrees(e);
}

static const struct tl_actor recruiter = { 7, "r@example.org", "192.0.2.1" };
static const struct tl_actor system_actor = { 0, "", NULL };

struct event_arg {
	uint64_t cand;
	enum engage_kind k;
	int64_t at;
};

static int
event_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct event_arg *a = arg;

	return engage_event(st, txn, a->cand, a->k, a->at);
}

static void
events_and_touchpoints_score(void **state)
{
	struct env *e = *state;
	int64_t now = clock_now();
	uint64_t ana = add(e, json_object());
	struct tl_entry t = { "call", "no_answer", "", 0 };
	struct event_arg ev = { ana, ENGAGE_CLICK, now };
	json_t *rec;
	char buf[8];
	int64_t updated;

	/* Not an engagement: no score. */
	assert_int_equal(tl_log_one(e->st, ana, &t, &recruiter, NULL), HE_OK);
	rec = get(e, ana);
	assert_null(json_object_get(rec, "eng"));
	json_decref(rec);
	/* A call answered three days ago, logged by hand: 5 halved by a tenth. */
	t.outcome = "answered";
	t.at = now - 3 * DAY;
	assert_int_equal(tl_log_one(e->st, ana, &t, &recruiter, NULL), HE_OK);
	rec = get(e, ana);
	close_to(engage_score(rec, now), 5 * exp2(-0.1));
	assert_string_equal(json_string_value(json_object_get(rec, "level")), "hot");
	updated = json_integer_value(json_object_get(rec, "updated"));
	json_decref(rec);
	/* The system's touchpoints score through their own events. */
	t.at = 0;
	assert_int_equal(tl_log_one(e->st, ana, &t, &system_actor, NULL), HE_OK);
	rec = get(e, ana);
	close_to(engage_score(rec, now), 5 * exp2(-0.1));
	json_decref(rec);
	/* A click through engage_event: +2, and no edit ("updated" stays). */
	clock_set_offset(600);
	ev.at = clock_now();
	assert_int_equal(store_txn(e->st, event_txn, &ev), HE_OK);
	rec = get(e, ana);
	close_to(engage_score(rec, ev.at), 5 * exp2(-(3 * DAY + 600.0) /
	    (30.0 * DAY)) + 2);
	assert_int_equal(json_integer_value(json_object_get(rec, "updated")),
	    updated);
	/* ... and it is the last engagement now. */
	assert_int_equal(json_integer_value(json_object_get(rec, "last_engaged")),
	    ev.at);
	json_decref(rec);
	/* An older event logged late adds what is left of it, and leaves the
	 * last engagement where it was. */
	ev.k = ENGAGE_VISIT;
	ev.at -= 30 * DAY;
	assert_int_equal(store_txn(e->st, event_txn, &ev), HE_OK);
	rec = get(e, ana);
	close_to(engage_score(rec, ev.at + 30 * DAY), 5 * exp2(-(3 * DAY + 600.0) /
	    (30.0 * DAY)) + 2 + 0.5);
	assert_int_equal(json_integer_value(json_object_get(rec, "last_engaged")),
	    ev.at + 30 * DAY);
	json_decref(rec);
	ev.k = ENGAGE_CLICK;
	assert_string_equal(level_of(e, ana, buf), "hot");
	ev.cand = 999999;
	assert_int_equal(store_txn(e->st, event_txn, &ev), HE_NOTFOUND);
	ev.cand = ana;
	ev.k = ENGAGE__MAX;
	assert_int_equal(store_txn(e->st, event_txn, &ev), HE_INVALID);
	index_agrees(e);
}

static void
a_merge_sums_both_scores_and_its_undo_parts_them(void **state)
{
	struct env *e = *state;
	int64_t now = clock_now();
	uint64_t a = add(e, scored(3, now - 30 * DAY));		/* 1.5: warm */
	uint64_t b = add(e, scored(5, now));			/* 5: hot */
	uint64_t m;
	char buf[8], why[256];
	json_t *rec;

	assert_string_equal(level_of(e, a, buf), "warm");
	assert_int_equal(merge_run(e->st, a, b, NULL, NULL, &m), HE_OK);
	rec = get(e, a);
	close_to(engage_score(rec, now), 6.5);
	assert_string_equal(json_string_value(json_object_get(rec, "level")), "hot");
	json_decref(rec);
	index_agrees(e);
	assert_int_equal(merge_undo(e->st, m, 30, NULL, why, sizeof why), HE_OK);
	rec = get(e, a);
	close_to(engage_score(rec, now), 1.5);
	json_decref(rec);
	assert_string_equal(level_of(e, a, buf), "warm");
	rec = get(e, b);
	close_to(engage_score(rec, now), 5);
	json_decref(rec);
	index_agrees(e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(decay_halves_every_half_life,
		    plain_setup, plain_teardown),
		cmocka_unit_test_setup_teardown(default_weights_and_merges,
		    plain_setup, plain_teardown),
		cmocka_unit_test_setup_teardown(levels_at_the_thresholds,
		    plain_setup, plain_teardown),
		cmocka_unit_test_setup_teardown(configuration_is_read_and_checked,
		    plain_setup, plain_teardown),
		cmocka_unit_test_setup_teardown(
		    sort_key_orders_like_the_score_at_any_time, plain_setup,
		    plain_teardown),
		cmocka_unit_test_setup_teardown(sort_by_score_agrees_with_the_scores,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    the_freshness_pass_lowers_levels_as_scores_decay, setup, teardown),
		cmocka_unit_test_setup_teardown(events_and_touchpoints_score, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    a_merge_sums_both_scores_and_its_undo_parts_them, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
