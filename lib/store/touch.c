/* touch.c: touchpoints, keyed by candidate then touchpoint id */
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "store/touch.h"
#include "util/he.h"

#define KEYBYTES 16

static void
touch_key(uint64_t cand, uint64_t id, unsigned char key[KEYBYTES])
{
	store_u64_key(cand, key);
	store_u64_key(id, key + 8);
}

int
store_touch_insert(struct store *st, DB_TXN *txn, uint64_t cand,
    json_t *body, uint64_t *id)
{
	int rc;

	if ((rc = store_next_id(st, SEQ_TOUCH, id)) != HE_OK)
		return rc;
	return store_touch_put(st, txn, cand, *id, body);
}

int
store_touch_put(struct store *st, DB_TXN *txn, uint64_t cand, uint64_t id,
    json_t *body)
{
	unsigned char key[KEYBYTES];

	if (cand == 0 || id == 0 || !json_is_object(body))
		return HE_INVALID;
	touch_key(cand, id, key);
	return store_put_rec(st, txn, STORE_TOUCH, key, sizeof key, body,
	    DB_NOOVERWRITE);
}

int
store_touch_get(struct store *st, DB_TXN *txn, uint64_t cand, uint64_t id,
    json_t **body)
{
	unsigned char key[KEYBYTES];

	touch_key(cand, id, key);
	return store_get_rec(st, txn, STORE_TOUCH, key, sizeof key, 0, body);
}

int
store_touch_del(struct store *st, DB_TXN *txn, uint64_t cand, uint64_t id)
{
	DB *db = st->db[STORE_TOUCH];
	unsigned char key[KEYBYTES];
	DBT k = { .data = key, .size = sizeof key };

	touch_key(cand, id, key);
	return store_err(db->del(db, txn, &k, 0));
}

/*
 * Walks the keys of one candidate: from the highest id down when
 * newest, else from the lowest up; fn gets each id and the raw bytes.
 */
typedef int (*raw_fn)(uint64_t id, const DBT *data, void *ctx);

static int
walk(struct store *st, DB_TXN *txn, uint64_t cand, int newest,
    u_int32_t rflags, raw_fn fn, void *ctx)
{
	DB *db = st->db[STORE_TOUCH];
	unsigned char key[KEYBYTES];
	DBT k = { .data = key, .size = sizeof key, .ulen = sizeof key,
	    .flags = DB_DBT_USERMEM };
	DBT d = { .flags = DB_DBT_REALLOC };
	DBC *cur;
	int ret, rc = HE_OK;

	if ((ret = db->cursor(db, txn, &cur, 0)) != 0)
		return store_err(ret);
	if (newest) {
		/* The first key of the next candidate, then one step back. */
		touch_key(cand + 1, 0, key);
		ret = cur->get(cur, &k, &d, DB_SET_RANGE | rflags);
		if (ret == 0)
			ret = cur->get(cur, &k, &d, DB_PREV | rflags);
		else if (ret == DB_NOTFOUND)
			ret = cur->get(cur, &k, &d, DB_LAST | rflags);
	} else {
		touch_key(cand, 0, key);
		ret = cur->get(cur, &k, &d, DB_SET_RANGE | rflags);
	}
	while (ret == 0) {
		if (k.size != KEYBYTES || store_u64_from(key) != cand)
			break;
		if ((rc = fn(store_u64_from(key + 8), &d, ctx)) != HE_OK)
			break;
		ret = cur->get(cur, &k, &d, (newest ? DB_PREV : DB_NEXT) | rflags);
	}
	cur->close(cur);
	free(d.data);
	if (rc != HE_OK)
		return rc;
	return ret == 0 || ret == DB_NOTFOUND ? HE_OK : store_err(ret);
}

struct newest {
	size_t skip, left;
	int all;
	store_touch_fn fn;
	void *ctx;
};

/* Ends a walk early without an error. */
#define WALK_DONE (-1)

static int
newest_one(uint64_t id, const DBT *data, void *arg)
{
	struct newest *w = arg;
	json_t *body;
	int rc;

	if (w->skip > 0) {
		w->skip--;
		return HE_OK;
	}
	if (!w->all && w->left-- == 0)
		return WALK_DONE;
	if ((rc = store_rec_decode(data->data, data->size, &body)) != HE_OK)
		return rc;
	rc = w->fn(id, body, w->ctx);
	json_decref(body);
	return rc;
}

int
store_touch_newest(struct store *st, DB_TXN *txn, uint64_t cand,
    size_t offset, size_t limit, store_touch_fn fn, void *ctx)
{
	struct newest w = { offset, limit, limit == 0, fn, ctx };
	int rc = walk(st, txn, cand, 1, 0, newest_one, &w);

	return rc == WALK_DONE ? HE_OK : rc;
}

static int
count_one(uint64_t id, const DBT *data, void *ctx)
{
	(void)id;
	(void)data;
	(*(size_t *)ctx)++;
	return HE_OK;
}

int
store_touch_count(struct store *st, DB_TXN *txn, uint64_t cand, size_t *n)
{
	*n = 0;
	return walk(st, txn, cand, 0, 0, count_one, n);
}

struct ids {
	uint64_t *v;
	size_t n, cap;
};

static int
collect_id(uint64_t id, const DBT *data, void *ctx)
{
	struct ids *ids = ctx;

	(void)data;
	if (ids->n == ids->cap) {
		size_t cap = ids->cap ? ids->cap * 2 : 64;
		uint64_t *v = realloc(ids->v, cap * sizeof *v);

		if (v == NULL)
			return HE_NOMEM;
		ids->v = v;
		ids->cap = cap;
	}
	ids->v[ids->n++] = id;
	return HE_OK;
}

int
store_touch_del_all(struct store *st, DB_TXN *txn, uint64_t cand, size_t *n)
{
	struct ids ids = { NULL, 0, 0 };
	unsigned char key[KEYBYTES];
	int rc;

	/* The ids first (write-locked), then each delete with no cursor of
	 * ours open on the items being overwritten. */
	rc = walk(st, txn, cand, 0, DB_RMW, collect_id, &ids);
	for (size_t i = 0; rc == HE_OK && i < ids.n; i++) {
		touch_key(cand, ids.v[i], key);
		rc = store_del_scrubbed(st, txn, STORE_TOUCH, key, sizeof key);
	}
	if (rc == HE_OK && n)
		*n = ids.n;
	free(ids.v);
	return rc;
}
