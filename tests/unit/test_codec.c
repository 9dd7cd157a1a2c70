/* test_codec.c: the record codec, big-endian keys, and a store round trip */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "store/entities.h"
#include "store/store.h"
#include "util/he.h"

#define N(a) (sizeof (a) / sizeof *(a))

/* Bodies that must come back equal, as JSON text. */
static const char *const round_trip_bodies[] = {
	"{}",
	"{\"name\":\"Ada Lovelace\"}",
	"{\"name\":\"Zo\xc3\xab \xe7\x8e\x8b \xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7 "
	    "\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d \xf0\x9f\x98\x80\"}",
	"{\"markup\":\"<script>alert(\\\"x\\\")</script>\",\"q\":\"'\\\\\"}",
	"{\"escapes\":\"tab\\tnl\\ncr\\r\\u0001\\u007f\"}",
	"{\"n\":0,\"neg\":-1,\"big\":9007199254740993,\"max\":9223372036854775807}",
	"{\"t\":true,\"f\":false,\"z\":null,\"r\":1.5}",
	"{\"nested\":{\"list\":[1,\"two\",{\"three\":3}],\"empty\":[]}}",
	"{\"\xe9\x8d\xb5\":\"unicode key\"}",
};

static void
test_rec_round_trip(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(round_trip_bodies); i++) {
		json_error_t jerr;
		json_t *in = json_loads(round_trip_bodies[i], JSON_REJECT_DUPLICATES,
		    &jerr), *out = NULL;
		char *compact;
		DBT d;

		if (in == NULL)
			fail_msg("body %zu does not parse: %s", i, jerr.text);
		assert_int_equal(store_rec_encode(in, &d), HE_OK);
		assert_non_null(d.data);
		assert_true(d.flags & DB_DBT_APPMALLOC);
		/* The version byte, then the compact JSON, no NUL. */
		assert_int_equal(((unsigned char *)d.data)[0], STORE_REC_VERSION);
		compact = json_dumps(in, JSON_COMPACT);
		assert_non_null(compact);
		assert_int_equal(d.size, strlen(compact) + 1);
		assert_memory_equal((char *)d.data + 1, compact, strlen(compact));
		free(compact);

		assert_int_equal(store_rec_decode(d.data, d.size, &out), HE_OK);
		assert_non_null(out);
		if (!json_equal(in, out))
			fail_msg("body %zu changed in the round trip", i);
		json_decref(out);
		json_decref(in);
		free(d.data);
	}
}

/* Stored bytes that are not a record of ours. */
struct bad_case {
	const char *name;
	const char *data;
	size_t len;
	int rc;
};

#define B(name, lit, rc) { name, lit, sizeof lit - 1, rc }

static const struct bad_case decode_cases[] = {
	B("minimal object", "\x01{}", HE_OK),
	B("object with white space", "\x01 { } \n", HE_OK),
	B("nothing", "", HE_INVALID),
	B("version byte only", "\x01", HE_INVALID),
	B("version and brace", "\x01{", HE_INVALID),
	B("version 0", "\x00{}", HE_INVALID),
	B("version 0 with body", "\x00{\"a\":1}", HE_INVALID),
	B("version 2", "\x02{}", HE_INVALID),
	B("version 2 with body", "\x02{\"a\":1}", HE_INVALID),
	B("version 255", "\xff{\"a\":1}", HE_INVALID),
	B("no version byte", "{\"a\":1}", HE_INVALID),
	B("array body", "\x01[]", HE_INVALID),
	B("array of objects", "\x01[{\"a\":1}]", HE_INVALID),
	B("string body", "\x01\"abc\"", HE_INVALID),
	B("number body", "\x01" "42", HE_INVALID),
	B("null body", "\x01null", HE_INVALID),
	B("true body", "\x01true", HE_INVALID),
	B("truncated member", "\x01{\"a\":", HE_INVALID),
	B("truncated object", "\x01{\"a\":1", HE_INVALID),
	B("truncated string", "\x01{\"a\":\"b", HE_INVALID),
	B("duplicate keys", "\x01{\"a\":1,\"a\":2}", HE_INVALID),
	B("duplicate keys, same value", "\x01{\"email\":\"x\",\"email\":\"x\"}",
	    HE_INVALID),
	B("trailing garbage", "\x01{}x", HE_INVALID),
	B("two objects", "\x01{}{}", HE_INVALID),
	B("invalid utf-8 in string", "\x01{\"a\":\"\xc3\"}", HE_INVALID),
	B("surrogate in string", "\x01{\"a\":\"\xed\xa0\x80\"}", HE_INVALID),
	B("lone surrogate escape", "\x01{\"a\":\"\\ud800\"}", HE_INVALID),
	B("NUL escape", "\x01{\"a\":\"\\u0000\"}", HE_INVALID),
	B("single quotes", "\x01{'a':1}", HE_INVALID),
	B("bare key", "\x01{a:1}", HE_INVALID),
	B("trailing comma", "\x01{\"a\":1,}", HE_INVALID),
	B("embedded NUL", "\x01{}\0", HE_INVALID),
};

static void
test_rec_decode(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(decode_cases); i++) {
		const struct bad_case *t = &decode_cases[i];
		json_t *j = (json_t *)0x1;
		int rc = store_rec_decode(t->data, t->len, &j);

		if (rc != t->rc)
			fail_msg("decode '%s': rc %d, want %d", t->name, rc, t->rc);
		if (rc == HE_OK) {
			assert_true(json_is_object(j));
			json_decref(j);
		} else if (j != NULL) {
			fail_msg("decode '%s': body set on failure", t->name);
		}
	}
}

/* Every proper prefix of a real record is rejected. */
static void
test_rec_truncated(void **state)
{
	json_t *in = json_pack("{s:s, s:s, s:I}", "email", "zo\xc3\xab@example.com",
	    "name", "Zo\xc3\xab \xf0\x9f\x98\x80", "joined", (json_int_t)1700000000000000);
	DBT d;

	(void)state;
	assert_non_null(in);
	assert_int_equal(store_rec_encode(in, &d), HE_OK);
	for (size_t n = 0; n < d.size; n++) {
		json_t *j = (json_t *)0x1;
		int rc = store_rec_decode(d.data, n, &j);

		if (rc != HE_INVALID || j != NULL)
			fail_msg("prefix of %zu of %u bytes: rc %d", n,
			    (unsigned)d.size, rc);
	}
	/* Any other leading byte: only version 1 is known. */
	for (int v = 0; v < 256; v++) {
		json_t *j;
		int rc;

		if (v == STORE_REC_VERSION)
			continue;
		((unsigned char *)d.data)[0] = (unsigned char)v;
		rc = store_rec_decode(d.data, d.size, &j);
		if (rc != HE_INVALID)
			fail_msg("version byte %d: rc %d", v, rc);
	}
	free(d.data);
	json_decref(in);
}

/* Big-endian keys: byte order equals numeric order. */
static const uint64_t u64_values[] = {
	0, 1, 2, 127, 128, 255, 256, 257, 65535, 65536,
	0xffffffu, 0x1000000u, UINT32_MAX - 1ull, UINT32_MAX, 1ull << 32,
	(1ull << 32) + 1, 0x0102030405060708ull, 1ull << 56, (1ull << 63) - 1,
	1ull << 63, (1ull << 63) + 1, UINT64_MAX - 255, UINT64_MAX - 1, UINT64_MAX,
};

/*
 * The time indexes read one integer field without parsing the record
 * (store_key_u64_field's scan): every body here must give the key that
 * parsing it in full gives, or none when parsing finds none.
 */
static const char *const int_field_bodies[] = {
	"{\"due\":1700000000}",
	"{\"due\":0}",
	"{\"due\":-5}",
	"{\"due\":-0}",
	"{\"due\":123456789012345678}",
	"{\"due\":9223372036854775807}",	/* 19 digits: parsed in full */
	"{\"due\":1.5}",
	"{\"due\":1e3}",
	"{\"due\":01}",
	"{\"due\":\"12\"}",
	"{\"due\":null}",
	"{\"due\":true}",
	"{\"due\":[1]}",
	"{\"due\":{\"due\":1}}",
	"{}",
	" { } ",
	"{\"x\":1}",
	"{\"dues\":1,\"du\":2}",
	"{\"to\":\"a\\\"due\\\":7@x\",\"due\":8}",
	"{\"to\":\"\\\\\",\"due\":9}",
	"{\"n\":{\"due\":1,\"l\":[{\"due\":2},\"}\"]},\"due\":3}",
	"{\"n\":{\"due\":1}}",
	"{\"d\\u0075e\":4}",
	"{\"due\":5,\"due\":6}",
	"{ \"a\" : [ 1 , 2 ] , \"due\" : 42 , \"z\" : false }",
	"{\"due\":\n10\n}",
	"{\"due\":11,}",
	"{\"due\":12",
	"{\"due\" 13}",
	"{\"due\":14}x",
	"[\"due\",15]",
	"{\"a\":,\"due\":16}",
	"{\"a\":\"unterminated,\"due\":17}",
	"{\"r\":-1.25e-3,\"due\":18,\"s\":\"\xc3\xa9\"}",
	"{\"\xe9\x8d\xb5\":1,\"due\":19}",
};

static void
test_u64_field_scan(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(int_field_bodies); i++) {
		const char *text = int_field_bodies[i];
		size_t n = strlen(text);
		unsigned char *rec = malloc(n + 1);
		DBT data = { .data = rec, .size = (u_int32_t)(n + 1) }, skey;
		json_t *j = json_loads(text, JSON_REJECT_DUPLICATES, NULL);
		json_t *v = j && json_is_object(j) ? json_object_get(j, "due") : NULL;
		int ret;

		assert_non_null(rec);
		rec[0] = STORE_REC_VERSION;
		memcpy(rec + 1, text, n);
		ret = store_key_u64_field(&data, "due", &skey);
		if (!json_is_integer(v)) {
			if (ret != DB_DONOTINDEX)
				fail_msg("%s: indexed, but parsing finds no integer", text);
		} else {
			unsigned char want[8];

			if (ret != 0)
				fail_msg("%s: not indexed, but parsing finds %lld", text,
				    (long long)json_integer_value(v));
			store_u64_key((uint64_t)json_integer_value(v), want);
			assert_int_equal(skey.size, 8);
			assert_memory_equal(skey.data, want, 8);
			free(skey.data);
		}
		json_decref(j);
		free(rec);
	}
}

static void
test_u64_keys(void **state)
{
	static const struct { uint64_t v; unsigned char b[8]; } exact[] = {
		{ 0, { 0, 0, 0, 0, 0, 0, 0, 0 } },
		{ 255, { 0, 0, 0, 0, 0, 0, 0, 0xff } },
		{ 256, { 0, 0, 0, 0, 0, 0, 1, 0 } },
		{ 1ull << 32, { 0, 0, 0, 1, 0, 0, 0, 0 } },
		{ 0x0102030405060708ull, { 1, 2, 3, 4, 5, 6, 7, 8 } },
		{ 1ull << 63, { 0x80, 0, 0, 0, 0, 0, 0, 0 } },
		{ UINT64_MAX, { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } },
	};
	unsigned char a[8], b[8];

	(void)state;
	for (size_t i = 0; i < N(exact); i++) {
		store_u64_key(exact[i].v, a);
		assert_memory_equal(a, exact[i].b, 8);
		assert_true(store_u64_from(exact[i].b) == exact[i].v);
	}
	for (size_t i = 0; i < N(u64_values); i++) {
		store_u64_key(u64_values[i], a);
		if (store_u64_from(a) != u64_values[i])
			fail_msg("u64 %zu does not round-trip", i);
		for (size_t j = 0; j < N(u64_values); j++) {
			int m, want;

			store_u64_key(u64_values[j], b);
			m = memcmp(a, b, 8);
			want = u64_values[i] < u64_values[j] ? -1 :
			    u64_values[i] > u64_values[j];
			if ((m > 0) - (m < 0) != want)
				fail_msg("u64 order of %zu vs %zu: memcmp %d, want %d",
				    i, j, m, want);
		}
	}
	/* Reads from an unaligned address. */
	{
		unsigned char buf[9] = { 0xee, 1, 2, 3, 4, 5, 6, 7, 8 };

		assert_true(store_u64_from(buf + 1) == 0x0102030405060708ull);
	}
}

/* ---- The store, in a directory of its own ---- */

struct env {
	char dir[64];
	struct store *st;
};

static int
store_setup(void **state)
{
	struct env *e = calloc(1, sizeof *e);

	if (e == NULL)
		return -1;
	strcpy(e->dir, "/tmp/hearth-test-codec-XXXXXX");
	if (mkdtemp(e->dir) == NULL || store_open(&e->st, e->dir, 8, 0) != HE_OK) {
		free(e);
		return -1;
	}
	*state = e;
	return 0;
}

static int
store_teardown(void **state)
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

struct insert_arg {
	json_t *body;
	uint64_t id;
	int with_consent;	/* also append this many consent events */
};

static int
insert_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct insert_arg *a = arg;
	char head[STORE_CONSENT_HEAD];
	int rc = store_next_id(st, SEQ_CANDIDATE, &a->id);

	if (rc == HE_OK)
		rc = store_cand_insert(st, txn, a->id, a->body);

	for (int i = 0; rc == HE_OK && i < a->with_consent; i++) {
		json_t *ev = json_pack("{s:s, s:i, s:s}", "type", "granted",
		    "n", i, "purpose", "Keep me informed \xe2\x9c\x93");

		if (ev == NULL)
			return HE_NOMEM;
		rc = store_consent_append(st, txn, a->id, ev, head);
		json_decref(ev);
		/* As comm_join does: the record names the chain's head. */
		if (rc == HE_OK && i == a->with_consent - 1) {
			json_t *body = json_deep_copy(a->body);

			json_object_set_new(body, "consent_head", json_string(head));
			rc = store_cand_put(st, txn, a->id, body);
			json_decref(body);
		}
	}
	return rc;
}

struct read_arg {
	size_t offset, limit;
	uint64_t ids[16];
	int64_t joined[16];
	size_t n;
	size_t stop_after;	/* fn answers HE_DENIED after this many; 0: never */
	size_t count;
	uint64_t cand;
	size_t events;
	int check_rc;
};

static int
collect(uint64_t id, json_t *body, void *ctx)
{
	struct read_arg *a = ctx;

	assert_true(a->n < N(a->ids));
	a->ids[a->n] = id;
	a->joined[a->n] = json_integer_value(json_object_get(body, "joined"));
	a->n++;
	if (a->stop_after && a->n >= a->stop_after)
		return HE_DENIED;
	return HE_OK;
}

static int
newest_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct read_arg *a = arg;
	int rc;

	a->n = 0;
	rc = store_cand_newest(st, txn, a->offset, a->limit, collect, a);
	return rc == HE_DENIED && a->stop_after ? (a->check_rc = rc, HE_OK) : rc;
}

static int
count_txn(struct store *st, DB_TXN *txn, void *arg)
{
	return store_cand_count(st, txn, &((struct read_arg *)arg)->count);
}

static int
consent_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct read_arg *a = arg;
	json_t *cand = NULL;
	const char *head = NULL;

	if (store_cand_get(st, txn, a->cand, 0, &cand) == HE_OK)
		head = json_string_value(json_object_get(cand, "consent_head"));
	a->check_rc = store_consent_check(st, txn, a->cand, head, &a->events);
	json_decref(cand);
	return HE_OK;
}

static size_t
count(struct store *st)
{
	struct read_arg a = { 0 };

	assert_int_equal(store_txn(st, count_txn, &a), HE_OK);
	return a.count;
}

struct report {
	size_t lines;
	char last[256];
};

static void
report_line(const char *line, void *ctx)
{
	struct report *r = ctx;

	r->lines++;
	snprintf(r->last, sizeof r->last, "%s", line);
}

/* The people of the round trip, out of join order on purpose. */
static const struct person {
	const char *email;
	const char *name;
	int64_t joined;
	int events;
} people[] = {
	{ "ada@example.com", "Ada Lovelace", 3000, 1 },
	{ "zoe@example.com", "Zo\xc3\xab \xf0\x9f\x98\x80", 1000, 2 },
	{ "wang@example.cn", "\xe7\x8e\x8b\xe8\x8a\xb3", 5000, 3 },
	{ "dalia@example.eg", "\xd8\xaf\xd8\xa7\xd9\x84\xd9\x8a\xd8\xa7", 2000, 0 },
	{ "noa@example.il", "\xd7\xa0\xd7\x95\xd7\xa2\xd7\x94", 4000, 1 },
};

/* Newest first by "joined": the order of people[] sorted descending. */
static const size_t newest_order[] = { 2, 4, 0, 3, 1 };

static json_t *
person_body(const struct person *p)
{
	/* The store indexes whatever key it is given: the email stands in for
	 * the keyed hash the domain layer stores; skills feed the vocabulary. */
	json_t *j = json_pack("{s:s, s:s, s:s, s:I, s:s, s:s, s:[s, s]}",
	    "email", p->email, "email_key", p->email,
	    "name", p->name, "joined", (json_int_t)p->joined, "source", "community",
	    "consent", "granted", "skills", "sql", p->name);

	assert_non_null(j);
	return j;
}

static void
expect_newest(struct store *st, uint64_t *ids, size_t offset, size_t limit,
    size_t want)
{
	struct read_arg a = { .offset = offset, .limit = limit };

	assert_int_equal(store_txn(st, newest_txn, &a), HE_OK);
	if (a.n != want)
		fail_msg("newest offset %zu limit %zu: %zu rows, want %zu", offset,
		    limit, a.n, want);
	for (size_t i = 0; i < a.n; i++) {
		size_t p = newest_order[offset + i];

		if (a.ids[i] != ids[p] || a.joined[i] != people[p].joined)
			fail_msg("newest offset %zu limit %zu row %zu: id %llu, want "
			    "%llu", offset, limit, i, (unsigned long long)a.ids[i],
			    (unsigned long long)ids[p]);
	}
}

/* Inserts people[] (each with its consent events) into an empty store. */
static void
fill(struct store *st, uint64_t ids[N(people)])
{
	assert_int_equal(count(st), 0);
	for (size_t i = 0; i < N(people); i++) {
		struct insert_arg a = { person_body(&people[i]), 0, people[i].events };

		assert_int_equal(store_txn(st, insert_txn, &a), HE_OK);
		ids[i] = a.id;
		for (size_t j = 0; j < i; j++)
			assert_true(ids[j] < ids[i]);	/* ids grow */
		json_decref(a.body);
	}
	assert_int_equal(count(st), N(people));
}

static void
test_store_candidates(void **state)
{
	struct env *e = *state;
	struct store *st = e->st;
	uint64_t ids[N(people)];
	struct report rep = { 0 };
	size_t problems = 99;

	fill(st, ids);

	/* Each record reads back as written, unicode and all. */
	for (size_t i = 0; i < N(people); i++) {
		json_t *want = person_body(&people[i]), *got = NULL;
		uint64_t id = 0;

		assert_int_equal(store_cand_get(st, NULL, ids[i], 0, &got), HE_OK);
		/* The chain's head is added by the store's user; the rest as written. */
		assert_int_equal(json_object_get(got, "consent_head") != NULL,
		    people[i].events > 0);
		json_object_del(got, "consent_head");
		assert_true(json_equal(want, got));
		assert_int_equal(store_cand_by_email(st, NULL, people[i].email, &id),
		    HE_OK);
		assert_true(id == ids[i]);
		json_decref(got);
		json_decref(want);
	}
	{
		uint64_t id;
		json_t *got = (json_t *)0x1;

		assert_int_equal(store_cand_by_email(st, NULL, "nobody@example.com",
		    &id), HE_NOTFOUND);
		assert_int_equal(store_cand_get(st, NULL, ids[N(people) - 1] + 1000, 0,
		    &got), HE_NOTFOUND);
		assert_null(got);
	}

	/* Newest first, with offsets and limits. */
	expect_newest(st, ids, 0, 10, 5);
	expect_newest(st, ids, 0, 5, 5);
	expect_newest(st, ids, 0, 2, 2);
	expect_newest(st, ids, 1, 2, 2);
	expect_newest(st, ids, 3, 10, 2);
	expect_newest(st, ids, 4, 1, 1);
	expect_newest(st, ids, 5, 10, 0);
	expect_newest(st, ids, 100, 10, 0);
	expect_newest(st, ids, 0, 0, 0);
	/* A callback that stops the walk: its code comes back at once. */
	{
		struct read_arg a = { .offset = 1, .limit = 10, .stop_after = 2 };

		assert_int_equal(store_txn(st, newest_txn, &a), HE_OK);
		assert_int_equal(a.check_rc, HE_DENIED);
		assert_int_equal(a.n, 2);
		assert_true(a.ids[0] == ids[newest_order[1]]);
		assert_true(a.ids[1] == ids[newest_order[2]]);
	}

	assert_int_equal(store_verify(st, report_line, &rep, &problems), HE_OK);
	if (problems != 0 || rep.lines != 0)
		fail_msg("verify of a clean store: %zu problems: %s", problems,
		    rep.last);
}

static void
test_store_duplicate(void **state)
{
	struct env *e = *state;
	struct store *st = e->st;
	uint64_t ids[N(people)];
	struct report rep = { 0 };
	size_t problems = 99;

	fill(st, ids);
	/* A second signup with a known email: HE_EXISTS, nothing changes. */
	{
		struct person dup = { "ada@example.com", "Someone Else", 9000, 1 };
		struct insert_arg a = { person_body(&dup), 0, 1 };
		json_t *got = NULL, *want = person_body(&people[0]);
		uint64_t id = 0;
		struct read_arg c = { .cand = ids[0] };

		assert_int_equal(store_txn(st, insert_txn, &a), HE_EXISTS);
		json_decref(a.body);
		assert_int_equal(count(st), N(people));
		assert_int_equal(store_cand_by_email(st, NULL, "ada@example.com", &id),
		    HE_OK);
		assert_true(id == ids[0]);
		assert_int_equal(store_cand_get(st, NULL, ids[0], 0, &got), HE_OK);
		json_object_del(got, "consent_head");
		assert_true(json_equal(want, got));
		json_decref(got);
		json_decref(want);
		/* No record under an id the refused insert may have drawn, and
		 * the join-time index still lists the five, newest first. */
		if (a.id != 0)
			assert_int_equal(store_cand_get(st, NULL, a.id, 0, &got),
			    HE_NOTFOUND);
		expect_newest(st, ids, 0, 10, N(people));
		/* Its consent event was rolled back with it. */
		assert_int_equal(store_txn(st, consent_txn, &c), HE_OK);
		assert_int_equal(c.check_rc, HE_OK);
		assert_int_equal(c.events, people[0].events);
	}
	/* Different case or spaces are the caller's job (text_email_normalise):
	 * the store compares bytes, so this one is a new candidate. */
	{
		struct person other = { "ada@example.org", "Ada", 9000, 0 };
		struct insert_arg a = { person_body(&other), 0, 0 };

		assert_int_equal(store_txn(st, insert_txn, &a), HE_OK);
		json_decref(a.body);
		assert_int_equal(count(st), N(people) + 1);
	}
	assert_int_equal(store_verify(st, report_line, &rep, &problems), HE_OK);
	if (problems != 0 || rep.lines != 0)
		fail_msg("verify after a refused duplicate: %zu problems: %s",
		    problems, rep.last);
}

static void
test_store_consent(void **state)
{
	struct env *e = *state;
	struct store *st = e->st;
	uint64_t ids[N(people)];
	struct report rep = { 0 };
	size_t problems = 99;

	fill(st, ids);
	/* Consent chains: as many links as appended, each one intact. */
	for (size_t i = 0; i < N(people); i++) {
		struct read_arg c = { .cand = ids[i] };

		assert_int_equal(store_txn(st, consent_txn, &c), HE_OK);
		assert_int_equal(c.check_rc, HE_OK);
		assert_int_equal(c.events, people[i].events);
	}
	/* The first event points at the genesis link, the next at the first. */
	{
		unsigned char key[12] = { 0 };
		json_t *ev = NULL;

		store_u64_key(ids[1], key);
		assert_int_equal(store_get_rec(st, NULL, STORE_CONSENT, key,
		    sizeof key, 0, &ev), HE_OK);
		assert_string_equal(json_string_value(json_object_get(ev, "prev")),
		    "0000000000000000000000000000000000000000000000000000000000000000");
		json_decref(ev);
		key[11] = 1;
		assert_int_equal(store_get_rec(st, NULL, STORE_CONSENT, key,
		    sizeof key, 0, &ev), HE_OK);
		assert_int_equal(strlen(json_string_value(json_object_get(ev,
		    "prev"))), 64);
		assert_string_not_equal(json_string_value(json_object_get(ev, "prev")),
		    "0000000000000000000000000000000000000000000000000000000000000000");
		json_decref(ev);
	}
	/* A candidate with no events and an id never used. */
	{
		struct read_arg c = { .cand = ids[N(people) - 1] + 1000 };

		assert_int_equal(store_txn(st, consent_txn, &c), HE_OK);
		assert_int_equal(c.check_rc, HE_OK);
		assert_int_equal(c.events, 0);
	}

	assert_int_equal(store_verify(st, report_line, &rep, &problems), HE_OK);
	if (problems != 0 || rep.lines != 0)
		fail_msg("verify of a clean store: %zu problems: %s", problems,
		    rep.last);

	/*
	 * Tamper with the first consent event of candidate zoe (two events):
	 * same key, same "prev", another "type", written straight to the
	 * database. The second event's link no longer matches.
	 */
	{
		DB *db = st->db[STORE_CONSENT];
		unsigned char key[12] = { 0 };
		json_t *ev = NULL;
		DBT k = { .data = key, .size = sizeof key }, d;
		struct read_arg c = { .cand = ids[1] };
		char idstr[24];

		store_u64_key(ids[1], key);	/* event number 0: bytes 8..11 zero */
		assert_int_equal(store_get_rec(st, NULL, STORE_CONSENT, key,
		    sizeof key, 0, &ev), HE_OK);
		assert_int_equal(json_object_set_new(ev, "type",
		    json_string("withdrawn")), 0);
		assert_int_equal(store_rec_encode(ev, &d), HE_OK);
		d.flags = 0;
		assert_int_equal(db->put(db, NULL, &k, &d, 0), 0);
		free(d.data);
		json_decref(ev);

		assert_int_equal(store_txn(st, consent_txn, &c), HE_OK);
		assert_int_equal(c.check_rc, HE_INVALID);
		assert_int_equal(c.events, 1);	/* the edited one still links */

		/* The other chains are untouched. */
		c.cand = ids[2];
		assert_int_equal(store_txn(st, consent_txn, &c), HE_OK);
		assert_int_equal(c.check_rc, HE_OK);
		assert_int_equal(c.events, people[2].events);

		memset(&rep, 0, sizeof rep);
		assert_int_equal(store_verify(st, report_line, &rep, &problems),
		    HE_OK);
		assert_int_equal(problems, 1);
		assert_int_equal(rep.lines, 1);
		snprintf(idstr, sizeof idstr, "%llu", (unsigned long long)ids[1]);
		assert_non_null(strstr(rep.last, "consent"));
		assert_non_null(strstr(rep.last, idstr));
	}

	/*
	 * Tamper with the newest event of candidate wang (three events): no
	 * later link points at it, but the head kept in the candidate record
	 * does, so the edit shows all the same.
	 */
	{
		DB *db = st->db[STORE_CONSENT];
		unsigned char key[12] = { 0 };
		json_t *ev = NULL;
		DBT k = { .data = key, .size = sizeof key }, d;
		struct read_arg c = { .cand = ids[2] };

		store_u64_key(ids[2], key);
		key[11] = (unsigned char)(people[2].events - 1);
		assert_int_equal(store_get_rec(st, NULL, STORE_CONSENT, key,
		    sizeof key, 0, &ev), HE_OK);
		assert_int_equal(json_object_set_new(ev, "type",
		    json_string("withdrawn")), 0);
		assert_int_equal(store_rec_encode(ev, &d), HE_OK);
		d.flags = 0;
		assert_int_equal(db->put(db, NULL, &k, &d, 0), 0);
		free(d.data);
		json_decref(ev);

		assert_int_equal(store_txn(st, consent_txn, &c), HE_OK);
		assert_int_equal(c.check_rc, HE_INVALID);
		memset(&rep, 0, sizeof rep);
		assert_int_equal(store_verify(st, report_line, &rep, &problems),
		    HE_OK);
		assert_int_equal(problems, 2);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rec_round_trip),
		cmocka_unit_test(test_rec_decode),
		cmocka_unit_test(test_rec_truncated),
		cmocka_unit_test(test_u64_keys),
		cmocka_unit_test(test_u64_field_scan),
		cmocka_unit_test_setup_teardown(test_store_candidates, store_setup,
		    store_teardown),
		cmocka_unit_test_setup_teardown(test_store_duplicate, store_setup,
		    store_teardown),
		cmocka_unit_test_setup_teardown(test_store_consent, store_setup,
		    store_teardown),
	};

	return cmocka_run_group_tests_name("codec", tests, NULL, NULL);
}
