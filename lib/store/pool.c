/* pool.c: pool records */
#include <stdlib.h>

#include "store/pool.h"
#include "store/store.h"
#include "util/he.h"

int
store_pool_put(struct store *st, DB_TXN *txn, uint64_t id, json_t *body)
{
	unsigned char key[8];

	store_u64_key(id, key);
	return store_put_rec(st, txn, STORE_POOL, key, sizeof key, body, 0);
}

int
store_pool_get(struct store *st, DB_TXN *txn, uint64_t id, int rmw,
    json_t **body)
{
	unsigned char key[8];

	store_u64_key(id, key);
	return store_get_rec(st, txn, STORE_POOL, key, sizeof key, rmw, body);
}

int
store_pool_del(struct store *st, DB_TXN *txn, uint64_t id)
{
	DB *db = st->db[STORE_POOL];
	unsigned char key[8];
	DBT k = { .data = key, .size = sizeof key };

	store_u64_key(id, key);
	return store_err(db->del(db, txn, &k, 0));
}

int
store_pool_each(struct store *st, DB_TXN *txn,
    int (*fn)(uint64_t id, json_t *body, void *ctx), void *ctx)
{
	DB *db = st->db[STORE_POOL];
	DBC *cur;
	DBT k = { .flags = DB_DBT_REALLOC }, d = { .flags = DB_DBT_REALLOC };
	int ret, rc = HE_OK;

	if ((ret = db->cursor(db, txn, &cur, 0)) != 0)
		return store_err(ret);
	while ((ret = cur->get(cur, &k, &d, DB_NEXT)) == 0) {
		json_t *body;

		if (k.size != 8 ||
		    (rc = store_rec_decode(d.data, d.size, &body)) != HE_OK) {
			rc = rc == HE_OK ? HE_INVALID : rc;
			break;
		}
		rc = fn(store_u64_from(k.data), body, ctx);
		json_decref(body);
		if (rc != HE_OK)
			break;
	}
	cur->close(cur);
	free(k.data);
	free(d.data);
	if (rc != HE_OK)
		return rc;
	return ret == DB_NOTFOUND ? HE_OK : store_err(ret);
}
