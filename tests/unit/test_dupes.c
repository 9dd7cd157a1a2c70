/* test_dupes.c: one email one record, likely duplicates, merge and undo */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <sodium.h>

#include "cgi-bin/office/office.h"
#include "crm/audit.h"
#include "crm/candidates.h"
#include "crm/community.h"
#include "crm/dupes.h"
#include "crm/merge.h"
#include "crm/query.h"
#include "store/dupe.h"
#include "store/entities.h"
#include "store/merge.h"
#include "store/store.h"
#include "store/touch.h"
#include "util/he.h"
#include "util/text.h"

struct env {
	char dir[64];
	struct store *st;
	struct comm c;		/* only st and key: for comm_email_key */
};

static int
setup(void **state)
{
	struct env *e = calloc(1, sizeof *e);

	if (e == NULL || sodium_init() < 0)
		return -1;
	strcpy(e->dir, "/tmp/hearth-test-dupes-XXXXXX");
	if (mkdtemp(e->dir) == NULL || store_open(&e->st, e->dir, 16, 0) != HE_OK)
		return -1;
	randombytes_buf(e->c.key, sizeof e->c.key);
	store_set_site_key(e->st, e->c.key);
	e->c.st = e->st;
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

/* ---- writing candidates as every write path does ---- */

/* The email key of an address as typed: normalised, then keyed. */
static void
email_key(struct env *e, const char *email, char out[TOK_MACSTRLEN])
{
	char *norm;

	assert_int_equal(text_email_normalise(email, &norm), HE_OK);
	comm_email_key(&e->c, norm, out);
	free(norm);
}

struct put {
	uint64_t id;
	json_t *old, *rec;
	int batch;
};

static int
put_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct put *p = arg;
	struct cand_batch *b;
	int rc;

	if (!p->batch)
		return cand_write(st, txn, p->id, p->old, p->rec);
	if ((b = cand_batch_new()) == NULL)
		return HE_NOMEM;
	if ((rc = cand_batch_write(b, st, txn, p->id, p->old, p->rec)) == HE_OK)
		rc = cand_batch_flush(b, st, txn);
	cand_batch_free(b);
	return rc;
}

/* Writes a new candidate from JSON (its "email" keyed); the result code. */
static int
try_add(struct env *e, const char *json, int batch, uint64_t *id)
{
	json_error_t err;
	struct put p = { 0, NULL, json_loads(json, 0, &err), batch };
	const char *email;
	char ekey[TOK_MACSTRLEN];
	int rc;

	if (p.rec == NULL)
		fail_msg("bad test JSON: %s", err.text);
	if ((email = json_string_value(json_object_get(p.rec, "email")))) {
		email_key(e, email, ekey);
		json_object_set_new(p.rec, "email_key", json_string(ekey));
	}
	assert_int_equal(store_next_id(e->st, SEQ_CANDIDATE, &p.id), HE_OK);
	rc = store_txn(e->st, put_txn, &p);
	json_decref(p.rec);
	*id = p.id;
	return rc;
}

static uint64_t
add(struct env *e, const char *json)
{
	uint64_t id;

	assert_int_equal(try_add(e, json, 0, &id), HE_OK);
	return id;
}

/* Changes one field by the one write path; the result code. */
static int
try_edit(struct env *e, uint64_t id, const char *field, json_t *value)
{
	struct put p = { id, NULL, NULL, 0 };
	int rc;

	assert_int_equal(store_cand_get(e->st, NULL, id, 0, &p.old), HE_OK);
	p.rec = json_deep_copy(p.old);
	json_object_set_new(p.rec, field, value);
	rc = store_txn(e->st, put_txn, &p);
	json_decref(p.rec);
	json_decref(p.old);
	return rc;
}

static void
edit(struct env *e, uint64_t id, const char *field, json_t *value)
{
	assert_int_equal(try_edit(e, id, field, value), HE_OK);
}

struct event_arg {
	uint64_t cand;
	const char *type;
	int64_t at;
};

static int
event_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct event_arg *a = arg;
	char head[STORE_CONSENT_HEAD];
	json_t *ev = json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:s}",
	    "type", a->type, "at", (json_int_t)a->at, "method", "web_form",
	    "ip", "192.0.2.7", "user_agent", "Test/1.0", "policy_version", "v1",
	    "policy_sha256", "00ff");
	json_t *cand;
	int rc;

	rc = store_consent_append(st, txn, a->cand, ev, head);
	json_decref(ev);
	if (rc != HE_OK || (rc = store_cand_get(st, txn, a->cand, 1, &cand)) != HE_OK)
		return rc;
	json_object_set_new(cand, "consent_head", json_string(head));
	json_object_set_new(cand, "consent", json_string(
	    strcmp(a->type, "granted") == 0 ? "pending" : a->type));
	rc = cand_save(st, txn, a->cand, cand);
	json_decref(cand);
	return rc;
}

static void
add_event(struct env *e, uint64_t cand, const char *type, int64_t at)
{
	struct event_arg a = { cand, type, at };

	assert_int_equal(store_txn(e->st, event_txn, &a), HE_OK);
}

struct mail_arg {
	uint64_t cand;
	uint64_t id;
};

static int
mail_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct mail_arg *m = arg;
	json_t *mail = json_pack("{s:s, s:s, s:I, s:s, s:I}", "kind", "confirm",
	    "to", "x@example.org", "cand", (json_int_t)m->cand, "state", "sent",
	    "created", (json_int_t)1);
	int rc = store_mail_insert(st, txn, mail, &m->id);

	json_decref(mail);
	return rc;
}

static uint64_t
add_mail(struct env *e, uint64_t cand)
{
	struct mail_arg m = { cand, 0 };

	assert_int_equal(store_txn(e->st, mail_txn, &m), HE_OK);
	return m.id;
}

static uint64_t
mail_cand(struct env *e, uint64_t id)
{
	json_t *m;
	uint64_t c;

	assert_int_equal(store_mail_get(e->st, NULL, id, &m), HE_OK);
	c = (uint64_t)json_integer_value(json_object_get(m, "cand"));
	json_decref(m);
	return c;
}

/* ---- the bytes as stored ---- */

struct bytes {
	unsigned char *p;
	size_t n, cap;
};

static void
bytes_add(struct bytes *b, const void *p, size_t n)
{
	if (b->n + n > b->cap) {
		b->cap = (b->n + n) * 2;
		b->p = realloc(b->p, b->cap);
		assert_non_null(b->p);
	}
	memcpy(b->p + b->n, p, n);
	b->n += n;
}

/* A candidate's record and consent events, byte for byte, keys included;
 * HE_NOTFOUND for the record when it is gone. */
static struct bytes
snapshot(struct env *e, uint64_t id)
{
	struct bytes b = { NULL, 0, 0 };
	unsigned char key[8];
	DBT k = { .data = key, .size = sizeof key };
	DBT d = { .flags = DB_DBT_MALLOC };
	DB *db = e->st->db[STORE_CAND];
	DBC *cur;
	int ret;

	store_u64_key(id, key);
	ret = db->get(db, NULL, &k, &d, 0);
	if (ret == DB_NOTFOUND) {
		bytes_add(&b, "gone", 4);
		return b;
	}
	assert_int_equal(ret, 0);
	bytes_add(&b, d.data, d.size);
	free(d.data);
	db = e->st->db[STORE_CONSENT];
	assert_int_equal(db->cursor(db, NULL, &cur, 0), 0);
	DBT ck = { .flags = DB_DBT_REALLOC }, cd = { .flags = DB_DBT_REALLOC };
	ck.data = malloc(8);
	memcpy(ck.data, key, 8);
	ck.size = 8;
	for (ret = cur->get(cur, &ck, &cd, DB_SET_RANGE); ret == 0 &&
	    memcmp(ck.data, key, 8) == 0; ret = cur->get(cur, &ck, &cd, DB_NEXT)) {
		bytes_add(&b, ck.data, ck.size);
		bytes_add(&b, cd.data, cd.size);
	}
	cur->close(cur);
	/* And the timeline. */
	db = e->st->db[STORE_TOUCH];
	assert_int_equal(db->cursor(db, NULL, &cur, 0), 0);
	memcpy(ck.data, key, 8);
	ck.size = 8;
	for (ret = cur->get(cur, &ck, &cd, DB_SET_RANGE); ret == 0 &&
	    memcmp(ck.data, key, 8) == 0; ret = cur->get(cur, &ck, &cd, DB_NEXT)) {
		bytes_add(&b, ck.data, ck.size);
		bytes_add(&b, cd.data, cd.size);
	}
	cur->close(cur);
	free(ck.data);
	free(cd.data);
	return b;
}

struct touch_arg {
	uint64_t cand;
	const char *text;
};

static int
touch_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct touch_arg *t = arg;
	json_t *body = json_pack("{s:I, s:s, s:s, s:I, s:s}", "at", (json_int_t)1000,
	    "kind", "note", "channel", "note", "by", (json_int_t)3, "text", t->text);
	uint64_t id;
	int rc = store_touch_insert(st, txn, t->cand, body, &id);

	json_decref(body);
	return rc;
}

static void
add_touch(struct env *e, uint64_t cand, const char *text)
{
	struct touch_arg t = { cand, text };

	assert_int_equal(store_txn(e->st, touch_txn, &t), HE_OK);
}

static size_t
touches(struct env *e, uint64_t cand)
{
	size_t n;

	assert_int_equal(store_touch_count(e->st, NULL, cand, &n), HE_OK);
	return n;
}

static int
add_action(json_t *entry, void *ctx)
{
	return json_array_append(ctx, json_object_get(entry, "action")) ?
	    HE_NOMEM : HE_OK;
}

/* The audit actions about cand, oldest first, as "merge unmerge". */
static void
audit_of(struct env *e, uint64_t cand, char *out, size_t len)
{
	json_t *arr = json_array();
	size_t i, n = 0;
	json_t *v;

	assert_int_equal(audit_each_of(e->st, NULL, cand, add_action, arr), HE_OK);
	out[0] = '\0';
	json_array_foreach(arr, i, v)
		n += (size_t)snprintf(out + n, len - n, "%s%s", i ? " " : "",
		    json_string_value(v));
	json_decref(arr);
}

static void
expect_same(struct bytes *a, struct bytes *b)
{
	assert_int_equal(a->n, b->n);
	assert_memory_equal(a->p, b->p, a->n);
	free(a->p);
	free(b->p);
}

static void
expect_chain_ok(struct env *e, uint64_t id, size_t want)
{
	json_t *c;
	size_t n;

	assert_int_equal(store_cand_get(e->st, NULL, id, 0, &c), HE_OK);
	assert_int_equal(store_consent_check(e->st, NULL, id,
	    json_string_value(json_object_get(c, "consent_head")), &n), HE_OK);
	assert_int_equal(n, want);
	json_decref(c);
}

static void
print_problem(const char *line, void *ctx)
{
	(void)ctx;
	print_error("verify: %s\n", line);
}

static void
expect_verify_clean(struct env *e)
{
	size_t problems = 0;

	assert_int_equal(store_verify(e->st, print_problem, NULL, &problems), HE_OK);
	assert_int_equal(problems, 0);
	assert_int_equal(cand_index_verify(e->st, print_problem, NULL, &problems),
	    HE_OK);
	assert_int_equal(problems, 0);
}

/* ---- finding ---- */

static int
found(struct env *e, const char *text, uint64_t id)
{
	struct cand_query q;
	roaring_bitmap_t *ids;
	int in;

	cand_query_init(&q);
	snprintf(q.text, sizeof q.text, "%s", text);
	assert_int_equal(cand_search_ids(e->st, NULL, &q, &ids), HE_OK);
	in = roaring_bitmap_contains(ids, (uint32_t)id);
	roaring_bitmap_free(ids);
	return in;
}

static json_t *
pair(struct env *e, uint64_t a, uint64_t b)
{
	json_t *p = NULL;
	int rc = store_dupe_get(e->st, NULL, a, b, 0, &p);

	return rc == HE_OK ? p : NULL;
}

static int
has_reason(json_t *p, const char *reason)
{
	size_t i;
	json_t *v;

	json_array_foreach(json_object_get(p, "reasons"), i, v)
		if (strcmp(json_string_value(v), reason) == 0)
			return 1;
	return 0;
}

/* The pairs dupes_list shows, all pages, as "a-b:reason,reason;...". */
static void
listed(struct env *e, size_t per_page, char *out, size_t outlen)
{
	uint64_t after[2] = { 0, 0 }, next[2];
	size_t len = 0, i, j;
	json_t *rows, *r, *v;

	out[0] = '\0';
	do {
		assert_int_equal(dupes_list(e->st, after[0], after[1], per_page, &rows,
		    next), HE_OK);
		assert_true(json_array_size(rows) <= per_page);
		json_array_foreach(rows, i, r) {
			assert_non_null(json_object_get(r, "a_cand"));
			assert_non_null(json_object_get(r, "b_cand"));
			len += (size_t)snprintf(out + len, outlen - len, "%lld-%lld:",
			    (long long)json_integer_value(json_object_get(r, "a")),
			    (long long)json_integer_value(json_object_get(r, "b")));
			json_array_foreach(json_object_get(r, "reasons"), j, v)
				len += (size_t)snprintf(out + len, outlen - len, "%s%s",
				    j ? "," : "", json_string_value(v));
			len += (size_t)snprintf(out + len, outlen - len, ";");
		}
		json_decref(rows);
		after[0] = next[0];
		after[1] = next[1];
	} while (next[0]);
}

/* ---- the tests ---- */

/* Hand-added (cand_write) and imported (cand_batch_write) alike: one
 * normalised email, one record, and an edit cannot take a used one. */
static void
one_email_one_record(void **state)
{
	struct env *e = *state;
	uint64_t ana, other, id;

	ana = add(e, "{\"email\":\"ana.silva@example.org\",\"name\":\"Ana Silva\"}");
	assert_int_equal(try_add(e, "{\"email\":\" Ana.Silva@EXAMPLE.org \","
	    "\"name\":\"Ana S.\"}", 0, &id), HE_EXISTS);
	assert_int_equal(try_add(e, "{\"email\":\"ANA.SILVA@example.org\","
	    "\"name\":\"Ana (import)\"}", 1, &id), HE_EXISTS);
	assert_int_equal(store_cand_get(e->st, NULL, id, 0, &(json_t *){ NULL }),
	    HE_NOTFOUND);
	assert_false(found(e, "import", id));
	/* Another address is another person; taking Ana's is refused. */
	other = add(e, "{\"email\":\"bea@example.org\",\"name\":\"Bea Reis\"}");
	{
		char k[TOK_MACSTRLEN];

		email_key(e, "Ana.Silva@example.org", k);
		assert_int_equal(try_edit(e, other, "email_key", json_string(k)),
		    HE_EXISTS);
	}
	assert_true(found(e, "bea", other));
	assert_true(found(e, "ana", ana));
	expect_verify_clean(e);
}

static void
likely_duplicates_are_noted(void **state)
{
	struct env *e = *state;
	uint64_t p1, p2, u1, u2, n1, n2, far, solo;
	char got[1024], want[1024];
	json_t *p;

	p1 = add(e, "{\"email\":\"p1@example.org\",\"name\":\"Rui Costa\","
	    "\"phone\":\"+351 912 345 678\"}");
	p2 = add(e, "{\"email\":\"p2@example.org\",\"name\":\"R. Costa\","
	    "\"phone\":\"912-345-678\"}");
	u1 = add(e, "{\"email\":\"u1@example.org\",\"name\":\"Mia Wong\","
	    "\"url\":\"https://www.linkedin.com/in/mia-wong/\"}");
	u2 = add(e, "{\"email\":\"u2@example.org\",\"name\":\"M. Wong\","
	    "\"url\":\"http://linkedin.com/in/Mia-Wong?trk=profile\"}");
	n1 = add(e, "{\"email\":\"n1@example.org\",\"name\":\"João Ferreira\","
	    "\"city\":\"Lisboa\"}");
	n2 = add(e, "{\"email\":\"n2@example.org\",\"name\":\"Ferreira Joao\","
	    "\"city\":\"LISBOA\"}");
	/* The same name elsewhere is someone else. */
	far = add(e, "{\"email\":\"n3@example.org\",\"name\":\"João Ferreira\","
	    "\"city\":\"Porto\"}");
	solo = add(e, "{\"email\":\"solo@example.org\",\"name\":\"Solo\"}");

	assert_non_null(p = pair(e, p2, p1));
	assert_true(has_reason(p, "phone"));
	json_decref(p);
	assert_non_null(p = pair(e, u1, u2));
	assert_true(has_reason(p, "linkedin"));
	json_decref(p);
	assert_non_null(p = pair(e, n1, n2));
	assert_true(has_reason(p, "name_city"));
	json_decref(p);
	assert_null(pair(e, n1, far));
	assert_null(pair(e, n2, far));
	assert_null(pair(e, solo, p1));

	/* Listed for review with their reasons, whatever the page size. */
	snprintf(want, sizeof want, "%llu-%llu:phone;%llu-%llu:linkedin;"
	    "%llu-%llu:name_city;", (unsigned long long)p1, (unsigned long long)p2,
	    (unsigned long long)u1, (unsigned long long)u2, (unsigned long long)n1,
	    (unsigned long long)n2);
	listed(e, 50, got, sizeof got);
	assert_string_equal(got, want);
	listed(e, 1, got, sizeof got);
	assert_string_equal(got, want);

	/* Reasons are what holds now: a phone changed away drops the pair
	 * from the list, and a second shared key adds its reason. */
	edit(e, p2, "phone", json_string("+44 20 7946 0000"));
	edit(e, u2, "phone", json_string("00 1 212 555 0199"));
	edit(e, u1, "phone", json_string("+1 (212) 555-0199"));
	snprintf(want, sizeof want, "%llu-%llu:linkedin,phone;%llu-%llu:name_city;",
	    (unsigned long long)u1, (unsigned long long)u2, (unsigned long long)n1,
	    (unsigned long long)n2);
	listed(e, 50, got, sizeof got);
	assert_string_equal(got, want);
	/* The pairs of one candidate are found from either side. */
	{
		size_t n = 0;

		assert_int_equal(store_dupe_del_of(e->st, NULL, u2, &n), HE_OK);
		assert_int_equal(n, 1);
		assert_null(pair(e, u1, u2));
	}
}

static void
dismissal_sticks(void **state)
{
	struct env *e = *state;
	uint64_t a, b;
	char got[256];
	json_t *p;

	a = add(e, "{\"email\":\"twin1@example.org\",\"name\":\"Lea Brun\","
	    "\"city\":\"Lyon\",\"phone\":\"06 12 34 56 78\"}");
	b = add(e, "{\"email\":\"twin2@example.org\",\"name\":\"Lea Brun\","
	    "\"city\":\"Lyon\"}");
	listed(e, 10, got, sizeof got);
	assert_true(strlen(got) > 0);
	assert_int_equal(dupes_dismiss(e->st, b, a, 42), HE_OK);
	listed(e, 10, got, sizeof got);
	assert_string_equal(got, "");
	/* A new shared key, and a name written again: still two people. */
	edit(e, b, "phone", json_string("+33 6 12 34 56 78"));
	edit(e, b, "name", json_string("Léa Brun"));
	edit(e, b, "name", json_string("Lea Brun"));
	listed(e, 10, got, sizeof got);
	assert_string_equal(got, "");
	assert_non_null(p = pair(e, a, b));
	assert_true(json_is_true(json_object_get(p, "dismissed")));
	assert_int_equal(json_integer_value(json_object_get(p, "dismissed_by")), 42);
	assert_false(has_reason(p, "phone"));
	json_decref(p);
	assert_int_equal(dupes_dismiss(e->st, a, a + 1000, 42), HE_NOTFOUND);
}

/* Two records of one person, with ledgers, mails and a third candidate
 * who looks like b. */
struct people {
	uint64_t a, b, c;
	uint64_t mail_a, mail_b1, mail_b2;
};

static void
two_of_one_person(struct env *e, struct people *p)
{
	p->a = add(e, "{\"email\":\"ana@old.example\",\"first_name\":\"Ana\","
	    "\"last_name\":\"Silva\",\"name\":\"Ana Silva\",\"city\":\"Lisbon\","
	    "\"country\":\"Portugal\",\"phone\":\"+351 912 000 111\","
	    "\"skills\":[\"python\",\"sql\"],\"tags\":[\"backend\"],\"pools\":[7],"
	    "\"interests\":[\"engineering\"],\"source\":\"referral\","
	    "\"status\":\"sourced\",\"joined\":1000,\"consent\":\"confirmed\","
	    "\"last_engaged\":100}");
	p->b = add(e, "{\"email\":\"ana.silva@new.example\",\"first_name\":\"Ana\","
	    "\"last_name\":\"Silva\",\"name\":\"Ana Silva\",\"city\":\"Lisbon\","
	    "\"country\":\"Portugal\",\"phone\":\"+351 912 999 888\","
	    "\"title\":\"Data Engineer\",\"skills\":[\"sql\",\"haskell\"],"
	    "\"tags\":[\"data\",\"backend\"],\"pools\":[9],"
	    "\"url\":\"https://linkedin.com/in/ana-silva-77\","
	    "\"source\":\"talent community\",\"status\":\"engaged\","
	    "\"joined\":5000,\"nonce\":\"n-b\",\"prefs\":{\"frequency\":\"roles\"},"
	    "\"last_engaged\":900,\"notes_extra\":\"kept\"}");
	p->c = add(e, "{\"email\":\"c@example.org\",\"name\":\"Someone Else\","
	    "\"url\":\"https://www.linkedin.com/in/ana-silva-77/\"}");
	add_event(e, p->a, "granted", 1000);
	add_event(e, p->a, "confirmed", 2000);
	add_event(e, p->b, "granted", 5000);
	add_event(e, p->b, "confirmed", 6000);
	add_event(e, p->b, "withdrawn", 7000);
	p->mail_a = add_mail(e, p->a);
	p->mail_b1 = add_mail(e, p->b);
	p->mail_b2 = add_mail(e, p->b);
	add_touch(e, p->a, "Called: keen on data roles");
	add_touch(e, p->b, "Met at the meetup");
	add_touch(e, p->b, "Sent the Lisbon role");
}

static const char *
str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k)) ?: "";
}

static int
list_has(json_t *o, const char *field, json_t *v)
{
	size_t i;
	json_t *w;
	int in = 0;

	json_array_foreach(json_object_get(o, field), i, w)
		in |= json_equal(v, w);
	json_decref(v);
	return in;
}

static void
merge_then_undo_gives_everything_back(void **state)
{
	struct env *e = *state;
	struct people p;
	struct bytes before_a, before_b, before_c, after;
	char picks[MERGE_PICK__MAX] = { 0 }, why[512];
	uint64_t m;
	json_t *rec, *doc, *pr;
	size_t n;

	two_of_one_person(e, &p);
	/* b and c share a LinkedIn profile; c's pair was dismissed. */
	assert_non_null(pr = pair(e, p.b, p.c));
	json_decref(pr);
	assert_int_equal(dupes_dismiss(e->st, p.b, p.c, 5), HE_OK);
	before_a = snapshot(e, p.a);
	before_b = snapshot(e, p.b);
	before_c = snapshot(e, p.c);
	/* A second later: a write that set "updated" again would show. */
	sleep(1);

	/* The screen: what differs, what is united, whose consent wins. */
	assert_int_equal(merge_preview(e->st, p.a, p.b, &doc), HE_OK);
	assert_true(json_is_true(json_object_get(json_object_get(doc, "differs"),
	    "email")));
	assert_null(json_object_get(json_object_get(doc, "differs"), "name"));
	assert_string_equal(str(doc, "consent_from"), "b");
	assert_int_equal(json_integer_value(json_object_get(doc, "b_events")), 3);
	assert_int_equal(json_integer_value(json_object_get(doc, "b_mails")), 2);
	assert_int_equal(json_array_size(json_object_get(json_object_get(doc,
	    "lists"), "skills")), 3);
	json_decref(doc);
	assert_int_equal(merge_preview(e->st, p.a, p.a, &doc), HE_INVALID);

	/* b's email and phone, a's source; the rest as it comes. */
	picks[MERGE_EMAIL] = 'b';
	picks[MERGE_PHONE] = 'b';
	picks[MERGE_SOURCE] = 'a';
	assert_int_equal(merge_run(e->st, p.a, p.b, picks,
	    &(struct audit_actor){ 3, "198.51.100.1" }, &m), HE_OK);

	assert_int_equal(store_cand_get(e->st, NULL, p.b, 0, &rec), HE_NOTFOUND);
	assert_int_equal(store_cand_get(e->st, NULL, p.a, 0, &rec), HE_OK);
	assert_string_equal(str(rec, "email"), "ana.silva@new.example");
	assert_string_equal(str(rec, "phone"), "+351 912 999 888");
	assert_string_equal(str(rec, "source"), "referral");
	assert_string_equal(str(rec, "title"), "Data Engineer");	/* a had none */
	assert_string_equal(str(rec, "url"), "https://linkedin.com/in/ana-silva-77");
	assert_string_equal(str(rec, "status"), "sourced");
	assert_string_equal(str(rec, "consent"), "withdrawn");	/* the latest */
	assert_string_equal(str(rec, "nonce"), "n-b");
	assert_int_equal(json_integer_value(json_object_get(rec, "joined")), 5000);
	assert_int_equal(json_integer_value(json_object_get(rec, "last_engaged")), 900);
	assert_string_equal(str(rec, "notes_extra"), "kept");
	assert_true(list_has(rec, "skills", json_string("haskell")));
	assert_true(list_has(rec, "skills", json_string("python")));
	assert_int_equal(json_array_size(json_object_get(rec, "tags")), 2);
	assert_true(list_has(rec, "pools", json_integer(7)));
	assert_true(list_has(rec, "pools", json_integer(9)));
	json_decref(rec);
	/* The merged ledger holds both, and verifies. */
	expect_chain_ok(e, p.a, 5);
	/* b's timeline is a's, with the merge on it; the audit log says so. */
	assert_int_equal(touches(e, p.a), 4);
	assert_int_equal(touches(e, p.b), 0);
	audit_of(e, p.a, why, sizeof why);
	assert_string_equal(why, "merge");
	/* b's mails are a's; a's own stays. */
	assert_int_equal(mail_cand(e, p.mail_b1), p.a);
	assert_int_equal(mail_cand(e, p.mail_b2), p.a);
	assert_int_equal(mail_cand(e, p.mail_a), p.a);
	/* Search finds the merged record by what came from b, never b. */
	assert_true(found(e, "haskell", p.a));
	assert_true(found(e, "\"data engineer\"", p.a));
	assert_true(found(e, "tag:data", p.a));
	assert_true(found(e, "python", p.a));
	assert_false(found(e, "haskell", p.b));
	assert_false(found(e, "", p.b));
	{
		struct cand_query q;

		cand_query_init(&q);
		q.pool = 9;
		roaring_bitmap_t *ids;
		assert_int_equal(cand_search_ids(e->st, NULL, &q, &ids), HE_OK);
		assert_true(roaring_bitmap_contains(ids, (uint32_t)p.a));
		assert_int_equal(roaring_bitmap_get_cardinality(ids), 1);
		roaring_bitmap_free(ids);
	}
	/* b's pairs went with b. */
	assert_null(pair(e, p.b, p.c));
	assert_null(pair(e, p.a, p.b));
	expect_verify_clean(e);

	/* Undo: both as they were, byte for byte, ledgers and all. */
	assert_int_equal(merge_undo(e->st, m, 30, &(struct audit_actor){ 3, "" },
	    why, sizeof why), HE_OK);
	after = snapshot(e, p.a);
	expect_same(&before_a, &after);
	after = snapshot(e, p.b);
	expect_same(&before_b, &after);
	after = snapshot(e, p.c);
	expect_same(&before_c, &after);
	expect_chain_ok(e, p.a, 2);
	expect_chain_ok(e, p.b, 3);
	assert_int_equal(touches(e, p.a), 1);
	assert_int_equal(touches(e, p.b), 2);
	audit_of(e, p.a, why, sizeof why);
	assert_string_equal(why, "merge unmerge");
	assert_int_equal(mail_cand(e, p.mail_b1), p.b);
	assert_int_equal(mail_cand(e, p.mail_b2), p.b);
	assert_int_equal(mail_cand(e, p.mail_a), p.a);
	/* The pairs are back, the dismissal with them. */
	assert_non_null(pr = pair(e, p.b, p.c));
	assert_true(json_is_true(json_object_get(pr, "dismissed")));
	json_decref(pr);
	assert_non_null(pr = pair(e, p.a, p.b));
	json_decref(pr);
	assert_true(found(e, "haskell", p.b));
	assert_false(found(e, "haskell", p.a));
	assert_true(found(e, "ana.silva@new.example", p.b));
	expect_verify_clean(e);
	/* Undone once: there is nothing left to undo. */
	assert_int_equal(merge_undo(e->st, m, 30, NULL, why, sizeof why),
	    HE_NOTFOUND);
	n = 1;
	assert_int_equal(merge_purge(e->st, 0, &n), HE_OK);
	assert_int_equal(n, 0);
}

static void
undo_refuses_what_would_lose_work(void **state)
{
	struct env *e = *state;
	struct people p;
	uint64_t m1, m2, newcomer;
	char why[512], want_why[256];
	json_t *doc;

	two_of_one_person(e, &p);
	/* An edit after the merge. */
	assert_int_equal(merge_run(e->st, p.a, p.b, NULL, NULL, &m1), HE_OK);
	edit(e, p.a, "phone", json_string("+351 910 000 000"));
	assert_int_equal(merge_undo(e->st, m1, 30, NULL, why, sizeof why), HE_EXISTS);
	assert_non_null(strstr(why, "changed after the merge (Phone)"));
	/* Put back as the merge wrote it, the undo goes through. */
	assert_int_equal(merge_summary(e->st, m1, 30, &doc), HE_OK);
	assert_string_equal(str(doc, "b_name"), "Ana Silva");
	json_decref(doc);
	edit(e, p.a, "phone", json_string("+351 912 000 111"));
	assert_int_equal(merge_undo(e->st, m1, 30, NULL, why, sizeof why), HE_OK);

	/* A later merge of the kept record must be undone first. */
	assert_int_equal(merge_run(e->st, p.a, p.b, NULL, NULL, &m1), HE_OK);
	assert_int_equal(merge_run(e->st, p.c, p.a, NULL, NULL, &m2), HE_OK);
	/* Links mailed to either merged record find the one kept, through a
	 * chain of merges too. */
	{
		uint64_t now = 0;

		assert_int_equal(cand_resolve(e->st, p.b, &now), HE_OK);
		assert_int_equal(now, p.c);
		assert_int_equal(cand_resolve(e->st, p.a, &now), HE_OK);
		assert_int_equal(now, p.c);
		assert_int_equal(cand_resolve(e->st, p.c, &now), HE_OK);
		assert_int_equal(now, p.c);
		assert_int_equal(cand_resolve(e->st, 999999, &now), HE_NOTFOUND);
	}
	assert_int_equal(merge_undo(e->st, m1, 30, NULL, why, sizeof why), HE_EXISTS);
	assert_non_null(strstr(why, "merged again"));
	assert_int_equal(merge_undo(e->st, m2, 30, NULL, why, sizeof why), HE_OK);
	assert_int_equal(merge_undo(e->st, m1, 30, NULL, why, sizeof why), HE_OK);
	expect_verify_clean(e);

	/* b's address taken by a newcomer while b was merged away. */
	assert_int_equal(merge_run(e->st, p.a, p.b, NULL, NULL, &m1), HE_OK);
	newcomer = add(e, "{\"email\":\"Ana.Silva@new.example\",\"name\":\"New\"}");
	assert_int_equal(merge_undo(e->st, m1, 30, NULL, why, sizeof why), HE_EXISTS);
	assert_non_null(strstr(why, "now belongs to candidate"));
	/* Nothing of the failed undo stayed. */
	expect_chain_ok(e, p.a, 5);
	assert_int_equal(mail_cand(e, p.mail_b1), p.a);
	/* Nor when the kept record's own address, given up for b's in the
	 * merge, was taken since. */
	{
		char picks[MERGE_PICK__MAX] = { 0 };
		uint64_t m3, taker;

		picks[MERGE_EMAIL] = 'b';
		assert_int_equal(merge_run(e->st, p.c, newcomer, picks, NULL, &m3),
		    HE_OK);
		taker = add(e, "{\"email\":\"c@example.org\",\"name\":\"Taker\"}");
		assert_int_equal(merge_undo(e->st, m3, 30, NULL, why, sizeof why),
		    HE_EXISTS);
		snprintf(want_why, sizeof want_why, "The email address of Someone Else "
		    "(#%llu) now belongs to candidate #%llu", (unsigned long long)p.c,
		    (unsigned long long)taker);
		assert_non_null(strstr(why, want_why));
	}
	/* Past its days, it cannot be undone, and the worker removes it. */
	assert_int_equal(merge_undo(e->st, m1, 0, NULL, why, sizeof why), HE_EXPIRED);
	assert_int_equal(merge_summary(e->st, m1, 0, &doc), HE_NOTFOUND);
	{
		size_t n = 0;

		assert_int_equal(merge_purge(e->st, 30, &n), HE_OK);
		assert_int_equal(n, 0);
		assert_int_equal(merge_purge(e->st, 0, &n), HE_OK);
		assert_int_equal(n, 2);
	}
	assert_int_equal(merge_undo(e->st, m1, 30, NULL, why, sizeof why),
	    HE_NOTFOUND);
	expect_verify_clean(e);
}

struct forget_arg {
	uint64_t cand;
};

static int
forget_txn(struct store *st, DB_TXN *txn, void *arg)
{
	return merge_forget(st, txn, ((struct forget_arg *)arg)->cand);
}

/* Erasure takes the undo data of every merge the person was part of. */
static void
erasure_forgets_merges(void **state)
{
	struct env *e = *state;
	struct people p;
	uint64_t m1, m2, m3, x, y;
	json_t *rec;
	char why[256];

	two_of_one_person(e, &p);
	x = add(e, "{\"email\":\"x@example.org\",\"name\":\"Xavier Lee\","
	    "\"phone\":\"0207 946 0001\"}");
	y = add(e, "{\"email\":\"y@example.org\",\"name\":\"X. Lee\","
	    "\"phone\":\"+44 207 946 0001\"}");
	assert_int_equal(merge_run(e->st, p.a, p.b, NULL, NULL, &m1), HE_OK);
	assert_int_equal(merge_run(e->st, p.c, p.a, NULL, NULL, &m2), HE_OK);
	assert_int_equal(merge_run(e->st, x, y, NULL, NULL, &m3), HE_OK);
	/* c now holds a and b: erasing c forgets both merges, not x's. */
	assert_int_equal(store_txn(e->st, forget_txn, &(struct forget_arg){ p.c }),
	    HE_OK);
	assert_int_equal(store_merge_get(e->st, NULL, m1, 0, &rec), HE_NOTFOUND);
	assert_int_equal(store_merge_get(e->st, NULL, m2, 0, &rec), HE_NOTFOUND);
	assert_int_equal(store_merge_get(e->st, NULL, m3, 0, &rec), HE_OK);
	json_decref(rec);
	assert_int_equal(merge_undo(e->st, m2, 30, NULL, why, sizeof why),
	    HE_NOTFOUND);
}

/* The merge form has one choice per group, named after it, in order. */
static void
merge_form_has_every_group(void **state)
{
	char want[64];
	int g;

	(void)state;
	assert_string_equal(merge_fields[MERGE_F_A].name, "a");
	assert_string_equal(merge_fields[MERGE_F_B].name, "b");
	for (g = 0; g < MERGE_PICK__MAX; g++) {
		snprintf(want, sizeof want, "pick_%s", merge_groups[g].name);
		assert_non_null(merge_fields[MERGE_F_PICK + g].name);
		assert_string_equal(merge_fields[MERGE_F_PICK + g].name, want);
	}
	assert_null(merge_fields[MERGE_F_PICK + g].name);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(one_email_one_record, setup, teardown),
		cmocka_unit_test_setup_teardown(likely_duplicates_are_noted, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(dismissal_sticks, setup, teardown),
		cmocka_unit_test_setup_teardown(merge_then_undo_gives_everything_back,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(undo_refuses_what_would_lose_work,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(erasure_forgets_merges, setup, teardown),
		cmocka_unit_test(merge_form_has_every_group),
	};

	return cmocka_run_group_tests_name("dupes", tests, NULL, NULL);
}
