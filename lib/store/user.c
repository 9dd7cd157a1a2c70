/* user.c: back-office accounts and their unique email index */
#include <stdlib.h>
#include <string.h>

#include "store/entities.h"
#include "store/store.h"
#include "util/he.h"

int
store_user_email_key(DB *sdb, const DBT *pkey, const DBT *pdata, DBT *skey)
{
	(void)sdb;
	(void)pkey;
	return store_key_string_field(pdata, "email", skey);
}

int
store_user_insert(struct store *st, DB_TXN *txn, json_t *body, uint64_t *id)
{
	const char *email = json_string_value(json_object_get(body, "email"));
	unsigned char key[8];
	int rc;

	if (email == NULL)
		return HE_INVALID;
	if ((rc = store_unique_free(st, txn, STORE_USER_EMAIL, email)) != HE_OK)
		return rc;
	if ((rc = store_next_id(st, SEQ_USER, id)) != HE_OK)
		return rc;
	store_u64_key(*id, key);
	return store_put_rec(st, txn, STORE_USER, key, sizeof key, body,
	    DB_NOOVERWRITE);
}

int
store_user_get(struct store *st, DB_TXN *txn, uint64_t id, json_t **body)
{
	unsigned char key[8];

	store_u64_key(id, key);
	return store_get_rec(st, txn, STORE_USER, key, sizeof key, 0, body);
}

int
store_user_by_email(struct store *st, DB_TXN *txn, const char *email,
    uint64_t *id, json_t **body)
{
	DB *idx = st->db[STORE_USER_EMAIL];
	DBT k = { .data = (void *)email, .size = (u_int32_t)strlen(email) };
	DBT pk = { .flags = DB_DBT_MALLOC };
	DBT d = { .flags = DB_DBT_MALLOC };
	int ret, rc;

	*body = NULL;
	if ((ret = idx->pget(idx, txn, &k, &pk, &d, 0)) != 0)
		return store_err(ret);
	*id = store_u64_from(pk.data);
	rc = store_rec_decode(d.data, d.size, body);
	free(pk.data);
	free(d.data);
	return rc;
}

int
store_user_count(struct store *st, DB_TXN *txn, size_t *n)
{
	DB_BTREE_STAT *sp;
	int ret;

	ret = st->db[STORE_USER]->stat(st->db[STORE_USER], txn, &sp, 0);
	if (ret != 0)
		return store_err(ret);
	*n = sp->bt_nkeys;
	free(sp);
	return HE_OK;
}

int
store_user_get_rmw(struct store *st, DB_TXN *txn, uint64_t id, json_t **body)
{
	unsigned char key[8];

	store_u64_key(id, key);
	return store_get_rec(st, txn, STORE_USER, key, sizeof key, 1, body);
}

int
store_user_put(struct store *st, DB_TXN *txn, uint64_t id, json_t *body)
{
	unsigned char key[8];

	if (json_string_value(json_object_get(body, "email")) == NULL)
		return HE_INVALID;
	store_u64_key(id, key);
	return store_put_rec(st, txn, STORE_USER, key, sizeof key, body, 0);
}

int
store_user_email(struct store *st, DB_TXN *txn, uint64_t id, char *buf,
    size_t size)
{
	DB *db = st->db[STORE_USER];
	unsigned char key[8];
	DBT k = { .data = key, .size = sizeof key };
	DBT d = { .flags = DB_DBT_MALLOC };
	const char *email;
	json_t *body;
	int ret, rc;

	store_u64_key(id, key);
	if ((ret = db->get(db, txn, &k, &d, txn ? DB_READ_COMMITTED : 0)) != 0)
		return store_err(ret);
	rc = store_rec_decode(d.data, d.size, &body);
	free(d.data);
	if (rc != HE_OK)
		return rc;
	email = json_string_value(json_object_get(body, "email"));
	if (email == NULL || strlen(email) >= size)
		rc = HE_INVALID;
	else
		memcpy(buf, email, strlen(email) + 1);
	json_decref(body);
	return rc;
}

int
store_user_each(struct store *st, DB_TXN *txn,
    int (*fn)(uint64_t id, json_t *body, void *ctx), void *ctx)
{
	DB *db = st->db[STORE_USER];
	DBT k = { .flags = DB_DBT_REALLOC }, d = { .flags = DB_DBT_REALLOC };
	DBC *cur;
	int ret, rc = HE_OK;

	if ((ret = db->cursor(db, txn, &cur, 0)) != 0)
		return store_err(ret);
	while ((ret = cur->get(cur, &k, &d, DB_NEXT)) == 0) {
		json_t *body;

		if (k.size != 8) {
			rc = HE_INVALID;
			break;
		}
		if ((rc = store_rec_decode(d.data, d.size, &body)) != HE_OK)
			break;
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
