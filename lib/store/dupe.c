/* dupe.c: likely-duplicate pairs and their reverse entries */
#include <stdlib.h>
#include <string.h>

#include "store/dupe.h"
#include "store/store.h"
#include "util/he.h"

#define PAIR_KEY 16
#define REV_KEY 17
#define REV_TAG 'r'

static void
pair_key(uint64_t a, uint64_t b, unsigned char key[PAIR_KEY])
{
	store_u64_key(a < b ? a : b, key);
	store_u64_key(a < b ? b : a, key + 8);
}

static void
rev_key(uint64_t a, uint64_t b, unsigned char key[REV_KEY])
{
	key[0] = REV_TAG;
	store_u64_key(a < b ? b : a, key + 1);
	store_u64_key(a < b ? a : b, key + 9);
}

static int
is_pair_key(const DBT *k)
{
	return k->size == PAIR_KEY && ((const unsigned char *)k->data)[0] == 0;
}

int
store_dupe_get(struct store *st, DB_TXN *txn, uint64_t a, uint64_t b, int rmw,
    json_t **body)
{
	unsigned char key[PAIR_KEY];

	if (a == b)
		return HE_INVALID;
	pair_key(a, b, key);
	return store_get_rec(st, txn, STORE_DUPE, key, sizeof key, rmw, body);
}

int
store_dupe_put(struct store *st, DB_TXN *txn, uint64_t a, uint64_t b,
    json_t *body)
{
	unsigned char key[PAIR_KEY], rkey[REV_KEY];
	json_t *empty;
	int rc;

	if (a == b || a == 0 || b == 0)
		return HE_INVALID;
	pair_key(a, b, key);
	rev_key(a, b, rkey);
	if ((rc = store_put_rec(st, txn, STORE_DUPE, key, sizeof key, body, 0)) !=
	    HE_OK)
		return rc;
	if ((empty = json_object()) == NULL)
		return HE_NOMEM;
	rc = store_put_rec(st, txn, STORE_DUPE, rkey, sizeof rkey, empty, 0);
	json_decref(empty);
	return rc;
}

int
store_dupe_del(struct store *st, DB_TXN *txn, uint64_t a, uint64_t b)
{
	DB *db = st->db[STORE_DUPE];
	unsigned char key[PAIR_KEY], rkey[REV_KEY];
	DBT k = { .data = key, .size = sizeof key };
	DBT rk = { .data = rkey, .size = sizeof rkey };
	int rc;

	if (a == b)
		return HE_INVALID;
	pair_key(a, b, key);
	rev_key(a, b, rkey);
	if ((rc = store_err(db->del(db, txn, &k, 0))) != HE_OK)
		return rc;
	rc = store_err(db->del(db, txn, &rk, 0));
	return rc == HE_NOTFOUND ? HE_OK : rc;
}

int
store_dupe_each(struct store *st, DB_TXN *txn, uint64_t after_lo,
    uint64_t after_hi, size_t limit, store_dupe_fn fn, void *ctx,
    uint64_t last[2])
{
	DB *db = st->db[STORE_DUPE];
	DBC *cur;
	unsigned char start[PAIR_KEY];
	DBT k = { .flags = DB_DBT_REALLOC }, d = { .flags = DB_DBT_REALLOC };
	size_t n = 0;
	int ret, rc = HE_OK;

	last[0] = last[1] = 0;
	if ((ret = db->cursor(db, txn, &cur, 0)) != 0)
		return store_err(ret);
	store_u64_key(after_lo, start);
	store_u64_key(after_hi, start + 8);
	if ((k.data = malloc(sizeof start)) == NULL) {
		cur->close(cur);
		return HE_NOMEM;
	}
	memcpy(k.data, start, sizeof start);
	k.size = sizeof start;
	ret = cur->get(cur, &k, &d, DB_SET_RANGE);
	/* "After": the pair itself was on the page before. */
	if (ret == 0 && (after_lo || after_hi) && k.size == sizeof start &&
	    memcmp(k.data, start, sizeof start) == 0)
		ret = cur->get(cur, &k, &d, DB_NEXT);
	for (; ret == 0 && is_pair_key(&k) && (limit == 0 || n < limit);
	    ret = cur->get(cur, &k, &d, DB_NEXT)) {
		uint64_t lo = store_u64_from(k.data);
		uint64_t hi = store_u64_from((unsigned char *)k.data + 8);
		json_t *body;

		if ((rc = store_rec_decode(d.data, d.size, &body)) != HE_OK)
			break;
		last[0] = lo;
		last[1] = hi;
		n++;
		rc = fn(lo, hi, body, ctx);
		json_decref(body);
		if (rc != HE_OK)
			break;
	}
	cur->close(cur);
	free(k.data);
	free(d.data);
	if (rc != HE_OK)
		return rc;
	return ret == 0 || ret == DB_NOTFOUND ? HE_OK : store_err(ret);
}

/* The other ids of the entries whose key starts with prefix (plen bytes):
 * pair keys of id as the smaller, or reverse entries of id as the larger. */
static int
others_under(struct store *st, DB_TXN *txn, const unsigned char *prefix,
    size_t plen, size_t klen, uint64_t **ids, size_t *n, size_t *cap)
{
	DB *db = st->db[STORE_DUPE];
	DBC *cur;
	DBT k = { .flags = DB_DBT_REALLOC };
	DBT d = { .flags = DB_DBT_PARTIAL };	/* the keys are all we need */
	int ret, rc = HE_OK;

	if ((ret = db->cursor(db, txn, &cur, 0)) != 0)
		return store_err(ret);
	if ((k.data = malloc(plen)) == NULL) {
		cur->close(cur);
		return HE_NOMEM;
	}
	memcpy(k.data, prefix, plen);
	k.size = (u_int32_t)plen;
	for (ret = cur->get(cur, &k, &d, DB_SET_RANGE); ret == 0;
	    ret = cur->get(cur, &k, &d, DB_NEXT)) {
		if (k.size != klen || memcmp(k.data, prefix, plen) != 0)
			break;
		if (*n == *cap) {
			size_t c = *cap ? *cap * 2 : 16;
			uint64_t *p = realloc(*ids, c * sizeof *p);

			if (p == NULL) {
				rc = HE_NOMEM;
				break;
			}
			*ids = p;
			*cap = c;
		}
		(*ids)[(*n)++] = store_u64_from((unsigned char *)k.data + plen);
	}
	cur->close(cur);
	free(k.data);
	if (rc != HE_OK)
		return rc;
	return ret == 0 || ret == DB_NOTFOUND ? HE_OK : store_err(ret);
}

/* The ids paired with id, in no particular order (*ids malloc'd). */
static int
partners(struct store *st, DB_TXN *txn, uint64_t id, uint64_t **ids, size_t *n)
{
	unsigned char prefix[9];
	size_t cap = 0;
	int rc;

	*ids = NULL;
	*n = 0;
	store_u64_key(id, prefix);
	if ((rc = others_under(st, txn, prefix, 8, PAIR_KEY, ids, n, &cap)) != HE_OK)
		return rc;
	prefix[0] = REV_TAG;
	store_u64_key(id, prefix + 1);
	return others_under(st, txn, prefix, 9, REV_KEY, ids, n, &cap);
}

int
store_dupe_each_of(struct store *st, DB_TXN *txn, uint64_t id,
    store_dupe_fn fn, void *ctx)
{
	uint64_t *ids;
	size_t n;
	int rc;

	if ((rc = partners(st, txn, id, &ids, &n)) == HE_OK)
		for (size_t i = 0; rc == HE_OK && i < n; i++) {
			json_t *body;

			rc = store_dupe_get(st, txn, id, ids[i], 0, &body);
			if (rc == HE_NOTFOUND) {	/* a reverse entry alone */
				rc = HE_OK;
				continue;
			}
			if (rc == HE_OK) {
				rc = fn(id < ids[i] ? id : ids[i], id < ids[i] ? ids[i] : id,
				    body, ctx);
				json_decref(body);
			}
		}
	free(ids);
	return rc;
}

int
store_dupe_del_of(struct store *st, DB_TXN *txn, uint64_t id, size_t *n)
{
	DB *db = st->db[STORE_DUPE];
	uint64_t *ids;
	size_t m, gone = 0;
	int rc;

	if ((rc = partners(st, txn, id, &ids, &m)) == HE_OK)
		for (size_t i = 0; rc == HE_OK && i < m; i++) {
			unsigned char rkey[REV_KEY];
			DBT rk = { .data = rkey, .size = sizeof rkey };

			rc = store_dupe_del(st, txn, id, ids[i]);
			if (rc == HE_OK)
				gone++;
			else if (rc == HE_NOTFOUND) {	/* a reverse entry alone */
				rev_key(id, ids[i], rkey);
				rc = store_err(db->del(db, txn, &rk, 0));
				rc = rc == HE_NOTFOUND ? HE_OK : rc;
			}
		}
	free(ids);
	if (n)
		*n = gone;
	return rc;
}
