/* test_query.c: postings, the candidate write path, filters and pools */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sodium.h>

#include "crm/candidates.h"
#include "crm/clock.h"
#include "crm/index.h"
#include "crm/pool.h"
#include "crm/query.h"
#include "store/entities.h"
#include "store/postings.h"
#include "store/store.h"
#include "util/he.h"

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
	strcpy(e->dir, "/tmp/hearth-test-query-XXXXXX");
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

/* ---- postings against a reference set ---- */

struct apply_arg {
	struct post_change *ch;
	size_t n;
};

static int
apply_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct apply_arg *a = arg;

	return store_post_apply(st, txn, a->ch, a->n);
}

static void
apply(struct store *st, const char *key, const uint32_t *ids, size_t n, int add)
{
	struct post_change *ch = calloc(n, sizeof *ch);
	struct apply_arg a = { ch, n };

	for (size_t i = 0; i < n; i++)
		ch[i] = (struct post_change){ key, ids[i], add };
	assert_int_equal(store_txn(st, apply_txn, &a), HE_OK);
	free(ch);
}

static void
expect_set(struct store *st, const char *key, const roaring_bitmap_t *want)
{
	roaring_bitmap_t *got = roaring_bitmap_create();
	uint64_t n;

	assert_int_equal(store_post_read(st, NULL, key, got), HE_OK);
	assert_true(roaring_bitmap_equals(got, want));
	assert_int_equal(store_post_count(st, NULL, key, &n), HE_OK);
	assert_int_equal(n, roaring_bitmap_get_cardinality(want));
	roaring_bitmap_free(got);
}

static void
postings_match_a_reference_set(void **state)
{
	struct env *e = *state;
	roaring_bitmap_t *ref = roaring_bitmap_create();
	uint32_t ids[3000];

	/* Dense in chunk 0 (array, then bitset), sparse across many chunks. */
	for (size_t i = 0; i < 300; i++)
		ids[i] = (uint32_t)(i * 3 + 1);
	for (size_t i = 300; i < 3000; i++)
		ids[i] = (uint32_t)(i * 977);
	apply(e->st, "st:engaged", ids, 3000, 1);
	roaring_bitmap_add_many(ref, 3000, ids);
	expect_set(e->st, "st:engaged", ref);
	/* Removing most of the dense chunk turns it back into an array. */
	apply(e->st, "st:engaged", ids, 250, 0);
	for (size_t i = 0; i < 250; i++)
		roaring_bitmap_remove(ref, ids[i]);
	expect_set(e->st, "st:engaged", ref);
	/* Adding what is there and removing what is not change nothing. */
	apply(e->st, "st:engaged", ids + 300, 10, 1);
	apply(e->st, "st:engaged", ids, 10, 0);
	expect_set(e->st, "st:engaged", ref);
	/* A neighbour key that shares a prefix stays apart. */
	apply(e->st, "st:engaged2", ids, 5, 1);
	expect_set(e->st, "st:engaged", ref);
	/* Everything removed: nothing left under the key. */
	apply(e->st, "st:engaged", ids, 3000, 0);
	roaring_bitmap_clear(ref);
	expect_set(e->st, "st:engaged", ref);
	roaring_bitmap_free(ref);
}

struct walk {
	char keys[8][32];
	uint64_t counts[8];
	size_t n;
};

static int
walk_key(const char *key, uint64_t count, void *ctx)
{
	struct walk *w = ctx;

	snprintf(w->keys[w->n], sizeof w->keys[0], "%s", key);
	w->counts[w->n++] = count;
	return HE_OK;
}

static void
postings_keys_walk_both_ways(void **state)
{
	struct env *e = *state;
	uint32_t few[] = { 1, 5000, 90000 }, one[] = { 7 };
	struct walk w = { .n = 0 };

	apply(e->st, "tag:java", few, 3, 1);
	apply(e->st, "tag:go", one, 1, 1);
	apply(e->st, "tah:x", one, 1, 1);
	apply(e->st, "st:hired", one, 1, 1);
	assert_int_equal(store_post_keys(e->st, NULL, "tag:", 0, walk_key, &w), HE_OK);
	assert_int_equal(w.n, 2);
	assert_string_equal(w.keys[0], "tag:go");
	assert_string_equal(w.keys[1], "tag:java");
	assert_int_equal(w.counts[1], 3);
	w.n = 0;
	assert_int_equal(store_post_keys(e->st, NULL, "tag:", 1, walk_key, &w), HE_OK);
	assert_int_equal(w.n, 2);
	assert_string_equal(w.keys[0], "tag:java");
	assert_string_equal(w.keys[1], "tag:go");
	/* The same keys without their counts, both ways. */
	for (int reverse = 0; reverse < 2; reverse++) {
		w.n = 0;
		assert_int_equal(store_post_names(e->st, NULL, "tag:", reverse,
		    walk_key, &w), HE_OK);
		assert_int_equal(w.n, 2);
		assert_string_equal(w.keys[reverse], "tag:go");
		assert_string_equal(w.keys[!reverse], "tag:java");
		assert_int_equal(w.counts[0] + w.counts[1], 0);
	}
}

/* ---- candidates written through cand_write, found by filters ---- */

struct put {
	uint64_t id;
	json_t *rec;
	json_t *old;
};

static int
put_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct put *p = arg;

	return cand_write(st, txn, p->id, p->old, p->rec);
}

static uint64_t
add(struct env *e, const char *json)
{
	json_error_t err;
	struct put p = { 0, json_loads(json, 0, &err), NULL };
	char ekey[64];

	assert_non_null(p.rec);
	assert_int_equal(store_next_id(e->st, SEQ_CANDIDATE, &p.id), HE_OK);
	snprintf(ekey, sizeof ekey, "k%llu", (unsigned long long)p.id);
	json_object_set_new(p.rec, "email_key", json_string(ekey));
	assert_int_equal(store_txn(e->st, put_txn, &p), HE_OK);
	json_decref(p.rec);
	return p.id;
}

static void
edit(struct env *e, uint64_t id, const char *field, json_t *value)
{
	struct put p = { id, NULL, NULL };

	assert_int_equal(store_cand_get(e->st, NULL, id, 0, &p.old), HE_OK);
	p.rec = json_deep_copy(p.old);
	json_object_set_new(p.rec, field, value);
	assert_int_equal(store_txn(e->st, put_txn, &p), HE_OK);
	json_decref(p.rec);
	json_decref(p.old);
}

static uint64_t ada, bob, chen, dee, eve;

static void
add_people(struct env *e)
{
	int64_t now = clock_now();
	char buf[1024];

	ada = add(e, "{\"email\":\"ada.lovelace@example.org\",\"first_name\":\"Ada\","
	    "\"last_name\":\"Lovelace\",\"name\":\"Ada Lovelace\",\"city\":\"London\","
	    "\"country\":\"UK\",\"skills\":[\"c++\",\"node.js\"],\"tags\":[\"backend\","
	    "\"alumni\"],\"status\":\"engaged\",\"seniority\":\"lead\","
	    "\"interests\":[\"engineering\"],\"consent\":\"confirmed\","
	    "\"source\":\"referral\",\"title\":\"Principal Engineer\"}");
	bob = add(e, "{\"email\":\"bob@example.com\",\"first_name\":\"Bob\","
	    "\"last_name\":\"Ziegler\",\"name\":\"Bob Ziegler\",\"city\":\"Zürich\","
	    "\"remote\":true,\"skills\":[\"python\"],\"tags\":[\"backend\"],"
	    "\"status\":\"sourced\",\"owner\":7,\"phone\":\"+41 44 123 45 67\"}");
	snprintf(buf, sizeof buf, "{\"email\":\"chen@example.com\",\"first_name\":\"Chen\","
	    "\"last_name\":\"Álvarez\",\"name\":\"Chen Álvarez\",\"city\":\"london\","
	    "\"skills\":[\"python\",\"sql\"],\"tags\":[\"data\"],\"status\":\"engaged\","
	    "\"last_engaged\":%lld,\"eng\":{\"s\":5.0,\"t\":%lld}}",
	    (long long)(now - 3 * 86400), (long long)(now - 3 * 86400));
	/* Hot by its score (a reply three days ago: 5 halved by a tenth). */
	chen = add(e, buf);
	snprintf(buf, sizeof buf, "{\"email\":\"dee@example.com\",\"name\":\"Dee O'Brien\","
	    "\"last_name\":\"O'Brien\",\"title\":\"Data Scientist\",\"skills\":[\"r\"],"
	    "\"status\":\"silver_medallist\",\"last_engaged\":%lld,"
	    "\"phone\":\"044 123 45 67\"}", (long long)(now - 400 * 86400));
	dee = add(e, buf);
	eve = add(e, "{\"email\":\"eve@example.com\",\"name\":\"Eve Adams\","
	    "\"last_name\":\"Adams\",\"stale\":true}");
}

/* The ids a query matches, as a sorted string "1 2 3". */
static void
expect_match(struct env *e, const char *text, void (*more)(struct cand_query *),
    const uint64_t *want, size_t nwant)
{
	struct cand_query q;
	roaring_bitmap_t *ids;
	uint64_t total;

	cand_query_init(&q);
	snprintf(q.text, sizeof q.text, "%s", text);
	if (more)
		more(&q);
	assert_int_equal(cand_search_ids(e->st, NULL, &q, &ids), HE_OK);
	total = roaring_bitmap_get_cardinality(ids);
	if (total != nwant)
		print_error("query \"%s\": %llu matches, want %zu\n", text,
		    (unsigned long long)total, nwant);
	assert_int_equal(total, nwant);
	for (size_t i = 0; i < nwant; i++)
		assert_true(roaring_bitmap_contains(ids, (uint32_t)want[i]));
	roaring_bitmap_free(ids);
}

static void tags_any(struct cand_query *q) { q->tags_any.n = 2;
	strcpy(q->tags_any.v[0], "data"); strcpy(q->tags_any.v[1], "alumni"); }
static void city_london(struct cand_query *q) { strcpy(q->city, "LONDON"); }
static void city_zurich(struct cand_query *q) { strcpy(q->city, "zurich"); }
static void remote_only(struct cand_query *q) { q->remote = 1; }
static void owner_none(struct cand_query *q) { q->owner = 0; }
static void owner_7(struct cand_query *q) { q->owner = 7; }
static void stale_only(struct cand_query *q) { q->stale = 1; }
static void hot(struct cand_query *q) { q->level.n = 1; strcpy(q->level.v[0], "hot"); }
static void engaged_last_month(struct cand_query *q)
{
	q->engaged_after = clock_now() / 86400 - 30;
}
static void engaged_before_last_year(struct cand_query *q)
{
	q->engaged_before = clock_now() / 86400 - 365;
}

static void
filters_combine(void **state)
{
	struct env *e = *state;

	add_people(e);
	expect_match(e, "", NULL, (uint64_t[]){ ada, bob, chen, dee, eve }, 5);
	expect_match(e, "python", NULL, (uint64_t[]){ bob, chen }, 2);
	expect_match(e, "PYTHON -sql", NULL, (uint64_t[]){ bob }, 1);
	expect_match(e, "c++", NULL, (uint64_t[]){ ada }, 1);
	expect_match(e, "node.js", NULL, (uint64_t[]){ ada }, 1);
	expect_match(e, "node", NULL, (uint64_t[]){ ada }, 1);
	expect_match(e, "o'brien", NULL, (uint64_t[]){ dee }, 1);
	expect_match(e, "alvarez", NULL, (uint64_t[]){ chen }, 1);
	expect_match(e, "Ada.Lovelace@Example.org", NULL, (uint64_t[]){ ada }, 1);
	expect_match(e, "lovelace", NULL, (uint64_t[]){ ada }, 1);
	expect_match(e, "\"data scientist\"", NULL, (uint64_t[]){ dee }, 1);
	expect_match(e, "principal engineer", NULL, (uint64_t[]){ ada }, 1);
	expect_match(e, "tag:backend", NULL, (uint64_t[]){ ada, bob }, 2);
	expect_match(e, "tag:backend -tag:alumni", NULL, (uint64_t[]){ bob }, 1);
	expect_match(e, "tag:backend tag:alumni", NULL, (uint64_t[]){ ada }, 1);
	expect_match(e, "", tags_any, (uint64_t[]){ ada, chen }, 2);
	expect_match(e, "status:engaged", NULL, (uint64_t[]){ ada, chen }, 2);
	/* No status is "sourced". */
	expect_match(e, "status:engaged status:sourced", NULL,
	    (uint64_t[]){ ada, bob, chen, eve }, 4);
	expect_match(e, "", city_london, (uint64_t[]){ ada, chen }, 2);
	expect_match(e, "", city_zurich, (uint64_t[]){ bob }, 1);
	expect_match(e, "", remote_only, (uint64_t[]){ bob }, 1);
	expect_match(e, "", owner_7, (uint64_t[]){ bob }, 1);
	expect_match(e, "", owner_none, (uint64_t[]){ ada, chen, dee, eve }, 4);
	expect_match(e, "", stale_only, (uint64_t[]){ eve }, 1);
	expect_match(e, "", hot, (uint64_t[]){ chen }, 1);
	expect_match(e, "", engaged_last_month, (uint64_t[]){ chen }, 1);
	expect_match(e, "", engaged_before_last_year, (uint64_t[]){ dee }, 1);
	expect_match(e, "python city:london", NULL, (uint64_t[]){ chen }, 1);
	expect_match(e, "interest:engineering consent:confirmed source:referral "
	    "seniority:lead", NULL, (uint64_t[]){ ada }, 1);
	expect_match(e, "nobody-has-this", NULL, NULL, 0);
}

static void
writes_move_index_keys(void **state)
{
	struct env *e = *state;
	json_t *old;

	add_people(e);
	edit(e, bob, "status", json_string("hired"));
	expect_match(e, "status:sourced", NULL, (uint64_t[]){ eve }, 1);
	expect_match(e, "status:hired", NULL, (uint64_t[]){ bob }, 1);
	edit(e, bob, "skills", json_pack("[s]", "rust"));
	expect_match(e, "python", NULL, (uint64_t[]){ chen }, 1);
	expect_match(e, "rust", NULL, (uint64_t[]){ bob }, 1);
	assert_int_equal(store_cand_get(e->st, NULL, chen, 0, &old), HE_OK);
	assert_true(json_integer_value(json_object_get(old, "updated")) > 0);
	assert_string_equal(json_string_value(json_object_get(old, "level")), "hot");
	json_decref(old);
}

struct remove_arg {
	uint64_t id;
};

static int
remove_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct remove_arg *r = arg;
	json_t *old;
	int rc;

	if ((rc = store_cand_get(st, txn, r->id, 1, &old)) != HE_OK)
		return rc;
	rc = cand_remove(st, txn, r->id, old, 1);
	json_decref(old);
	return rc;
}

static int
count_keys(const char *key, uint32_t id, void *ctx)
{
	(void)key;
	(void)id;
	(*(size_t *)ctx)++;
	return HE_OK;
}

static void
removal_leaves_no_keys(void **state)
{
	struct env *e = *state;
	uint64_t ids[] = { 0, 0, 0, 0, 0 };
	size_t n = 0;

	add_people(e);
	ids[0] = ada, ids[1] = bob, ids[2] = chen, ids[3] = dee, ids[4] = eve;
	for (size_t i = 0; i < 5; i++) {
		struct remove_arg r = { ids[i] };

		assert_int_equal(store_txn(e->st, remove_txn, &r), HE_OK);
	}
	assert_int_equal(store_post_each(e->st, NULL, count_keys, &n), HE_OK);
	assert_int_equal(n, 0);
}

static void
pages_sort(void **state)
{
	struct env *e = *state;
	struct cand_query q;
	uint64_t ids[3], total;
	size_t n;

	add_people(e);
	cand_query_init(&q);
	assert_int_equal(cand_search(e->st, &q, SORT_NEWEST, 1, 3, ids, &n, &total),
	    HE_OK);
	assert_int_equal(total, 5);
	assert_int_equal(n, 3);
	assert_int_equal(ids[0], eve);
	assert_int_equal(ids[2], chen);
	assert_int_equal(cand_search(e->st, &q, SORT_NEWEST, 2, 3, ids, &n, &total),
	    HE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(ids[1], ada);
	/* By surname, accents folded: Adams, Álvarez, Lovelace, O'Brien, Ziegler */
	assert_int_equal(cand_search(e->st, &q, SORT_NAME, 1, 3, ids, &n, &total),
	    HE_OK);
	assert_int_equal(n, 3);
	assert_int_equal(ids[0], eve);
	assert_int_equal(ids[1], chen);
	assert_int_equal(ids[2], ada);
	assert_int_equal(cand_search(e->st, &q, SORT_NAME, 2, 3, ids, &n, &total),
	    HE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(ids[0], dee);
	assert_int_equal(ids[1], bob);
	/* Engaged most recently first, never engaged last (newest first). */
	assert_int_equal(cand_search(e->st, &q, SORT_ENGAGED, 1, 3, ids, &n, &total),
	    HE_OK);
	assert_int_equal(ids[0], chen);
	assert_int_equal(ids[1], dee);
	assert_int_equal(ids[2], eve);
}

/* ---- name order: the bucket walk and the direct sort of small results ---- */

#define MANY 2300	/* past search.c's NAME_DIRECT_MAX: the buckets are walked */

struct many {
	uint64_t ids[MANY];
	size_t n;
};

static int
many_txn(struct store *st, DB_TXN *txn, void *arg)
{
	static const char *const last[] = {
		"Lovelace", "lópez", "Dąbrowski", "da Silva", "O'Brien", "王", "Ølsen",
		"d", "", "Zhang", "Ábel", "dabney", "Da", "Смирнов",
	};
	static const char *const first[] = { "Ada", "Émile", "伟", "", "bo" };
	struct many *m = arg;
	struct cand_batch *b = cand_batch_new();
	int rc = b ? HE_OK : HE_NOMEM;

	for (size_t k = 0; rc == HE_OK && k < 230; k++) {
		size_t i = m->n + k;
		const char *l = last[i % (sizeof last / sizeof *last)];
		const char *f = first[i % 7 % (sizeof first / sizeof *first)];
		char email[64], ekey[32], name[128];
		json_t *rec;

		snprintf(email, sizeof email, "p%zu@example.org", i);
		snprintf(ekey, sizeof ekey, "many%zu", i);
		snprintf(name, sizeof name, "%s %s", f, *l ? l : "Nameless");
		rec = json_pack("{s:s, s:s, s:s, s:s, s:[s]}", "email", email,
		    "email_key", ekey, "first_name", f, "name", name, "tags",
		    i % 97 == 0 ? "few" : "many");
		if (*l)		/* else no surname: the name is sorted on */
			json_object_set_new(rec, "last_name", json_string(l));
		if (i % 5 == 0)	/* a record whose names are not first */
			json_object_set_new(rec, "aaa", json_pack("{s:s}",
			    "last_name", "Zzz"));
		if ((rc = store_next_id(st, SEQ_CANDIDATE, &m->ids[i])) == HE_OK)
			rc = cand_batch_write(b, st, txn, m->ids[i], NULL, rec);
		json_decref(rec);
	}
	if (rc == HE_OK)
		rc = cand_batch_flush(b, st, txn);
	cand_batch_free(b);
	return rc;
}

static int
u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* Every id of the query's result in name order, a page of 40 at a time. */
static size_t
name_order(struct env *e, const char *text, uint64_t *out, size_t max)
{
	struct cand_query q;
	uint64_t total = 0;
	size_t n, got = 0;

	cand_query_init(&q);
	snprintf(q.text, sizeof q.text, "%s", text);
	for (size_t page = 1; got < max; page++) {
		assert_int_equal(cand_search(e->st, &q, SORT_NAME, page, 40,
		    out + got, &n, &total), HE_OK);
		if (n == 0)
			break;
		got += n;
	}
	assert_int_equal(got, total);
	return got;
}

static void
name_order_is_one_at_any_size(void **state)
{
	struct env *e = *state;
	static struct many m;
	static uint64_t all[MANY + 40], few[MANY + 40];
	size_t nall, nfew, k = 0, last_abel = 0, first_lovelace = (size_t)-1;

	m.n = 0;
	while (m.n < MANY) {
		assert_int_equal(store_txn(e->st, many_txn, &m), HE_OK);
		m.n += 230;
	}
	/* "tag:many" matches past the direct sort's limit, "tag:few" under
	 * it: the few must come in the order the many put them in. */
	nall = name_order(e, "tag:many", all, MANY);
	nfew = name_order(e, "tag:few", few, MANY);
	assert_int_equal(nall + nfew, MANY);
	assert_true(nfew > 10);
	nall = name_order(e, "", all, MANY + 40);
	assert_int_equal(nall, MANY);
	for (size_t i = 0; i < nall && k < nfew; i++)
		if (all[i] == few[k])
			k++;
	assert_int_equal(k, nfew);
	/* By the top-level surname only (a fifth have a nested "Zzz" first). */
	for (size_t i = 0; i < nall; i++) {
		json_t *rec;
		const char *l;

		assert_int_equal(store_cand_get(e->st, NULL, all[i], 0, &rec), HE_OK);
		l = json_string_value(json_object_get(rec, "last_name"));
		if (l && strcmp(l, "Ábel") == 0)
			last_abel = i;
		if (l && strcmp(l, "Lovelace") == 0 && first_lovelace == (size_t)-1)
			first_lovelace = i;
		json_decref(rec);
	}
	assert_true(last_abel < first_lovelace);
	assert_true(first_lovelace != (size_t)-1);
	/* Each id once. */
	qsort(all, nall, sizeof *all, u64_cmp);
	for (size_t i = 1; i < nall; i++)
		assert_true(all[i - 1] != all[i]);
}

static void
text_errors_are_reported(void **state)
{
	static const struct {
		const char *text;
		int rc;
	} cases[] = {
		{ "python tag:backend \"data science\"", HE_OK },
		{ "status:engaged -tag:x remote:yes owner:none pool:3", HE_OK },
		{ "colour:blue", HE_INVALID },
		{ "\"unterminated", HE_INVALID },
		{ "-status:engaged", HE_INVALID },
		{ "-\"a phrase\"", HE_INVALID },
		{ "pool:abc", HE_INVALID },
		{ "remote:maybe", HE_INVALID },
		{ "tag:", HE_INVALID },
		{ "a1 b2 c3 d4 e5 f6 g7 h8 i9 j10 k11 l12 m13 n14 o15 p16 q17 r18 "
		  "s19 t20 u21 v22 w23 x24 y25", HE_INVALID },
	};
	struct env *e = *state;

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct cand_query q;
		char err[200] = "";

		cand_query_init(&q);
		snprintf(q.text, sizeof q.text, "%s", cases[i].text);
		if (cand_query_parse(e->st, &q, err, sizeof err) != cases[i].rc)
			print_error("case %zu: \"%s\" (%s)\n", i, cases[i].text, err);
		assert_int_equal(cand_query_parse(e->st, &q, err, sizeof err),
		    cases[i].rc);
		if (cases[i].rc != HE_OK)
			assert_true(strlen(err) > 10);
	}
}

static void
saved_filters_round_trip(void **state)
{
	struct cand_query q, back;
	json_t *j;

	(void)state;
	cand_query_init(&q);
	strcpy(q.text, "python -java");
	q.tags_all.n = 1;
	strcpy(q.tags_all.v[0], "backend");
	q.owner = 0;
	q.remote = 1;
	q.engaged_after = 20000;
	strcpy(q.city, "Zürich");
	j = cand_query_to_json(&q);
	assert_non_null(j);
	assert_int_equal(cand_query_from_json(j, &back), HE_OK);
	assert_memory_equal(&q, &back, sizeof q);
	json_decref(j);
}

static void
ignore_line(const char *line, void *ctx)
{
	(void)line;
	(void)ctx;
}

static void
verify_catches_missing_and_extra_entries(void **state)
{
	struct env *e = *state;
	uint32_t id;
	size_t problems = 0;

	add_people(e);
	id = (uint32_t)bob;
	assert_int_equal(cand_index_verify(e->st, ignore_line, NULL, &problems), HE_OK);
	assert_int_equal(problems, 0);
	apply(e->st, "st:sourced", &id, 1, 0);
	assert_int_equal(cand_index_verify(e->st, ignore_line, NULL, &problems), HE_OK);
	assert_true(problems >= 1);
	apply(e->st, "st:sourced", &id, 1, 1);
	problems = 0;
	assert_int_equal(cand_index_verify(e->st, ignore_line, NULL, &problems), HE_OK);
	assert_int_equal(problems, 0);
	apply(e->st, "tag:nobody-has-this", &id, 1, 1);
	assert_int_equal(cand_index_verify(e->st, ignore_line, NULL, &problems), HE_OK);
	assert_int_equal(problems, 1);
}

/* ---- pools ---- */

static uint64_t
count_of(struct env *e, uint64_t pool)
{
	json_t *p;
	uint64_t n;

	assert_int_equal(pool_get(e->st, pool, &p, &n), HE_OK);
	json_decref(p);
	return n;
}

struct member_arg {
	uint64_t pool, cand;
	int member;
};

static int
member_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct member_arg *m = arg;

	return pool_member_set(st, txn, m->pool, m->cand, m->member);
}

static void
pools_are_kept_on_write(void **state)
{
	struct env *e = *state;
	struct cand_query q;
	uint64_t dyn, stat;
	int finished = 0;
	json_t *p;

	add_people(e);
	cand_query_init(&q);
	strcpy(q.text, "status:engaged");
	assert_int_equal(pool_create(e->st, "Engaged", &q, 1, &dyn), HE_OK);
	assert_int_equal(pool_create(e->st, "Shortlist", NULL, 1, &stat), HE_OK);
	/* Existing candidates join when the pool is built. */
	assert_int_equal(count_of(e, dyn), 0);
	while (!finished)
		assert_int_equal(pool_build_step(e->st, dyn, 2, &finished), HE_OK);
	assert_int_equal(count_of(e, dyn), 2);
	assert_int_equal(pool_get(e->st, dyn, &p, NULL), HE_OK);
	assert_string_equal(json_string_value(json_object_get(p, "state")), "ready");
	json_decref(p);
	/* Writes move people in and out at once. */
	edit(e, bob, "status", json_string("engaged"));
	assert_int_equal(count_of(e, dyn), 3);
	edit(e, ada, "status", json_string("hired"));
	assert_int_equal(count_of(e, dyn), 2);
	expect_match(e, "", NULL, (uint64_t[]){ ada, bob, chen, dee, eve }, 5);
	/* A static pool by hand. */
	struct member_arg m = { stat, dee, 1 };
	assert_int_equal(store_txn(e->st, member_txn, &m), HE_OK);
	assert_int_equal(store_txn(e->st, member_txn, &m), HE_OK);
	assert_int_equal(count_of(e, stat), 1);
	m.member = 0;
	assert_int_equal(store_txn(e->st, member_txn, &m), HE_OK);
	assert_int_equal(count_of(e, stat), 0);
	/* A static pool cannot take a filter's members by hand. */
	m.pool = dyn;
	m.member = 1;
	assert_int_equal(store_txn(e->st, member_txn, &m), HE_INVALID);
	/* Nor can a dynamic pool filter on another dynamic pool. */
	q.pool = dyn;
	assert_int_equal(pool_create(e->st, "Nested", &q, 1, &stat), HE_INVALID);
}

static void
deleted_pools_leave_their_members(void **state)
{
	struct env *e = *state;
	struct cand_query q;
	uint64_t dyn, stat;
	size_t problems = 0, steps = 0;
	int worked = 1;
	json_t *p, *rec;

	add_people(e);
	cand_query_init(&q);
	strcpy(q.text, "python");
	assert_int_equal(pool_create(e->st, "Pythonistas", &q, 1, &dyn), HE_OK);
	assert_int_equal(pool_create(e->st, "Picked", NULL, 1, &stat), HE_OK);
	assert_int_equal(pool_member_change(e->st, stat, bob, 1), HE_OK);
	while (worked && steps++ < 10)
		assert_int_equal(pool_build_some(e->st, 1, &worked), HE_OK);
	assert_int_equal(count_of(e, dyn), 2);
	assert_int_equal(pool_delete(e->st, stat), HE_OK);
	assert_int_equal(pool_delete(e->st, dyn), HE_OK);
	/* Gone for readers at once, cleaned up by the worker's steps. */
	assert_int_equal(pool_get(e->st, stat, &p, NULL), HE_NOTFOUND);
	assert_int_equal(pool_get(e->st, dyn, &p, NULL), HE_NOTFOUND);
	assert_int_equal(pool_member_change(e->st, stat, bob, 1), HE_NOTFOUND);
	worked = 1;
	for (steps = 0; worked && steps < 20; steps++)
		assert_int_equal(pool_build_some(e->st, 1, &worked), HE_OK);
	assert_false(worked);
	assert_int_equal(cand_get(e->st, bob, &rec), HE_OK);
	assert_int_equal(json_array_size(json_object_get(rec, "pools")), 0);
	assert_null(json_object_get(rec, "dpools"));
	json_decref(rec);
	assert_int_equal(cand_index_verify(e->st, ignore_line, NULL, &problems), HE_OK);
	assert_int_equal(problems, 0);
	expect_match(e, "python", NULL, (uint64_t[]){ bob, chen }, 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(postings_match_a_reference_set, setup, teardown),
		cmocka_unit_test_setup_teardown(postings_keys_walk_both_ways, setup, teardown),
		cmocka_unit_test_setup_teardown(filters_combine, setup, teardown),
		cmocka_unit_test_setup_teardown(writes_move_index_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(removal_leaves_no_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(pages_sort, setup, teardown),
		cmocka_unit_test_setup_teardown(name_order_is_one_at_any_size, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(text_errors_are_reported, setup, teardown),
		cmocka_unit_test_setup_teardown(saved_filters_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(pools_are_kept_on_write, setup, teardown),
		cmocka_unit_test_setup_teardown(verify_catches_missing_and_extra_entries, setup, teardown),
		cmocka_unit_test_setup_teardown(deleted_pools_leave_their_members, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
