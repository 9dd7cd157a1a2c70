/* merge.c: merge records */
#include <stdlib.h>
#include <string.h>

#include "store/merge.h"
#include "store/store.h"
#include "util/he.h"

int
store_merge_put(struct store *st, DB_TXN *txn, uint64_t id, json_t *body)
{
	unsigned char key[8];

	store_u64_key(id, key);
	return store_put_rec(st, txn, STORE_MERGE, key, sizeof key, body, 0);
}

int
store_merge_get(struct store *st, DB_TXN *txn, uint64_t id, int rmw,
    json_t **body)
{
	unsigned char key[8];

	store_u64_key(id, key);
	return store_get_rec(st, txn, STORE_MERGE, key, sizeof key, rmw, body);
}

int
store_merge_del(struct store *st, DB_TXN *txn, uint64_t id)
{
	unsigned char key[8];

	store_u64_key(id, key);
	return store_del_scrubbed(st, txn, STORE_MERGE, key, sizeof key);
}

int
store_merge_each(struct store *st, DB_TXN *txn, uint64_t from, size_t limit,
    int (*fn)(uint64_t id, json_t *body, void *ctx), void *ctx, uint64_t *next)
{
	DB *db = st->db[STORE_MERGE];
	DBC *cur;
	DBT k = { .flags = DB_DBT_REALLOC }, d = { .flags = DB_DBT_REALLOC };
	size_t n = 0;
	uint64_t at = 0;
	int ret, rc = HE_OK;

	if (next)
		*next = 0;
	if ((ret = db->cursor(db, txn, &cur, 0)) != 0)
		return store_err(ret);
	if ((k.data = malloc(8)) == NULL) {
		cur->close(cur);
		return HE_NOMEM;
	}
	store_u64_key(from, k.data);
	k.size = 8;
	for (ret = cur->get(cur, &k, &d, DB_SET_RANGE); ret == 0;
	    ret = cur->get(cur, &k, &d, DB_NEXT)) {
		json_t *body;

		if (k.size != 8)
			continue;
		at = store_u64_from(k.data);
		if (limit && n == limit) {
			if (next)
				*next = at;
			break;
		}
		if ((rc = store_rec_decode(d.data, d.size, &body)) != HE_OK)
			break;
		n++;
		rc = fn(at, body, ctx);
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
