/* gen.c: the generation of a kind of record (roles, campaigns), kept at key 0 of its database */
#include <stdlib.h>
#include <sodium.h>

#include "store/store.h"
#include "util/he.h"

int
store_gen_get(struct store *st, DB_TXN *txn, enum store_db db, int rmw,
    int64_t *gen)
{
	unsigned char key[8];
	DBT k = { .data = key, .size = sizeof key };
	DBT d = { .flags = DB_DBT_MALLOC };
	DB *h = st->db[db];
	json_t *body;
	int ret, rc;

	store_u64_key(0, key);
	*gen = 0;
	ret = h->get(h, txn, &k, &d, rmw ? DB_RMW : DB_READ_COMMITTED);
	if (ret == DB_NOTFOUND)
		return HE_OK;
	if (ret != 0)
		return store_err(ret);
	rc = store_rec_decode(d.data, d.size, &body);
	free(d.data);
	if (rc != HE_OK)
		return rc;
	*gen = json_integer_value(json_object_get(body, "gen"));
	json_decref(body);
	return HE_OK;
}

int
store_gen_change(struct store *st, DB_TXN *txn, enum store_db db,
    int64_t *gen)
{
	unsigned char key[8];
	json_t *body;
	int64_t was, g;
	int rc;

	if ((rc = store_gen_get(st, txn, db, 1, &was)) != HE_OK)
		return rc;
	/* Drawn at random, never counted up: a cache keyed by it cannot take
	 * another environment's records (tests open many), nor keep those of
	 * a transaction that changed it and aborted when another commits the
	 * number it would have counted to. */
	do
		g = 1 + (int64_t)randombytes_uniform(UINT32_MAX);
	while (g == was);
	if ((body = json_pack("{s:I}", "gen", (json_int_t)g)) == NULL)
		return HE_NOMEM;
	store_u64_key(0, key);
	rc = store_put_rec(st, txn, db, key, sizeof key, body, 0);
	json_decref(body);
	if (rc == HE_OK && gen)
		*gen = g;
	return rc;
}
