/* cap.c: the frequency cap's record, one per person who got marketing mail */
#include <jansson.h>

#include "store/cap.h"
#include "store/store.h"
#include "util/he.h"

int
store_cap_get(struct store *st, DB_TXN *txn, uint64_t cand, int rmw,
    int64_t *t, size_t *n)
{
	unsigned char key[8];
	json_t *body, *v;
	size_t i;
	int rc;

	*n = 0;
	store_u64_key(cand, key);
	rc = store_get_rec(st, txn, STORE_CAP, key, sizeof key, rmw, &body);
	if (rc == HE_NOTFOUND)
		return HE_OK;
	if (rc != HE_OK)
		return rc;
	json_array_foreach(json_object_get(body, "t"), i, v)
		if (json_is_integer(v) && *n < STORE_CAP_TIMES)
			t[(*n)++] = json_integer_value(v);
	json_decref(body);
	return HE_OK;
}

int
store_cap_put(struct store *st, DB_TXN *txn, uint64_t cand, const int64_t *t,
    size_t n)
{
	unsigned char key[8];
	json_t *body, *a;
	int rc;

	store_u64_key(cand, key);
	if (n == 0) {
		DB *db = st->db[STORE_CAP];
		DBT k = { .data = key, .size = sizeof key };

		rc = store_err(db->del(db, txn, &k, 0));
		return rc == HE_NOTFOUND ? HE_OK : rc;
	}
	if ((a = json_array()) == NULL)
		return HE_NOMEM;
	for (size_t i = 0; i < n; i++)
		if (json_array_append_new(a, json_integer(t[i])) != 0) {
			json_decref(a);
			return HE_NOMEM;
		}
	if ((body = json_pack("{s:o}", "t", a)) == NULL)
		return HE_NOMEM;
	rc = store_put_rec(st, txn, STORE_CAP, key, sizeof key, body, 0);
	json_decref(body);
	return rc;
}
