/* candidate.c: candidate records and their email and join-time indexes */
#include <string.h>
#include <stdlib.h>

#include "store/entities.h"
#include "store/store.h"
#include "util/he.h"

int
store_cand_email_key(DB *sdb, const DBT *pkey, const DBT *pdata, DBT *skey)
{
	(void)sdb;
	(void)pkey;
	return store_key_string_field(pdata, "email_key", skey);
}

int
store_cand_skill_key(DB *sdb, const DBT *pkey, const DBT *pdata, DBT *skey)
{
	(void)sdb;
	(void)pkey;
	return store_key_string_array(pdata, "skills", skey);
}

int
store_cand_joined_key(DB *sdb, const DBT *pkey, const DBT *pdata, DBT *skey)
{
	(void)sdb;
	(void)pkey;
	return store_key_u64_field(pdata, "joined", skey);
}

int
store_cand_pending_key(DB *sdb, const DBT *pkey, const DBT *pdata, DBT *skey)
{
	(void)sdb;
	(void)pkey;
	return store_rec_field_is(pdata, "consent", "pending") ?
	    store_key_u64_field(pdata, "joined", skey) : DB_DONOTINDEX;
}

int
store_cand_insert(struct store *st, DB_TXN *txn, uint64_t id, json_t *body)
{
	const char *ekey = json_string_value(json_object_get(body, "email_key"));
	unsigned char key[8];
	int rc;

	if (ekey == NULL)
		return HE_INVALID;
	if ((rc = store_unique_free(st, txn, STORE_CAND_EMAIL, ekey)) != HE_OK)
		return rc;
	store_u64_key(id, key);
	return store_put_rec(st, txn, STORE_CAND, key, sizeof key, body,
	    DB_NOOVERWRITE);
}

int
store_cand_get(struct store *st, DB_TXN *txn, uint64_t id, int rmw,
    json_t **body)
{
	unsigned char key[8];

	store_u64_key(id, key);
	return store_get_rec(st, txn, STORE_CAND, key, sizeof key, rmw, body);
}

int
store_cand_exists(struct store *st, DB_TXN *txn, uint64_t id)
{
	unsigned char key[8];
	DBT k = { .data = key, .size = sizeof key };
	DBT d = { .flags = DB_DBT_PARTIAL };	/* whether, not what */
	DB *db = st->db[STORE_CAND];

	store_u64_key(id, key);
	return store_err(db->get(db, txn, &k, &d, 0));
}

int
store_cand_del(struct store *st, DB_TXN *txn, uint64_t id)
{
	unsigned char key[8];

	store_u64_key(id, key);
	return store_del_scrubbed(st, txn, STORE_CAND, key, sizeof key);
}

int
store_cand_put(struct store *st, DB_TXN *txn, uint64_t id, json_t *body)
{
	unsigned char key[8];

	store_u64_key(id, key);
	return store_put_rec(st, txn, STORE_CAND, key, sizeof key, body, 0);
}

int
store_cand_by_email(struct store *st, DB_TXN *txn, const char *email_key,
    uint64_t *id)
{
	DB *idx = st->db[STORE_CAND_EMAIL];
	DBT k = { .data = (void *)email_key, .size = (u_int32_t)strlen(email_key) };
	DBT pk = { .flags = DB_DBT_MALLOC };
	DBT d = { .flags = DB_DBT_MALLOC };
	int ret;

	if ((ret = idx->pget(idx, txn, &k, &pk, &d, 0)) != 0)
		return store_err(ret);
	*id = store_u64_from(pk.data);
	free(pk.data);
	free(d.data);
	return HE_OK;
}

int
store_cand_newest(struct store *st, DB_TXN *txn, size_t offset, size_t limit,
    store_cand_fn fn, void *ctx)
{
	DB *idx = st->db[STORE_CAND_JOINED];
	DBC *cur;
	DBT k = { .flags = DB_DBT_REALLOC }, pk = { .flags = DB_DBT_REALLOC };
	DBT d = { .flags = DB_DBT_REALLOC };
	int ret, rc = HE_OK;

	if ((ret = idx->cursor(idx, txn, &cur, 0)) != 0)
		return store_err(ret);
	ret = cur->pget(cur, &k, &pk, &d, DB_LAST | DB_READ_COMMITTED);
	for (size_t pos = 0; ret == 0 && pos < offset + limit; pos++) {
		if (pos >= offset) {
			json_t *body;

			if ((rc = store_rec_decode(d.data, d.size, &body)) != HE_OK)
				break;
			rc = fn(store_u64_from(pk.data), body, ctx);
			json_decref(body);
			if (rc != HE_OK)
				break;
		}
		ret = cur->pget(cur, &k, &pk, &d, DB_PREV | DB_READ_COMMITTED);
	}
	cur->close(cur);
	free(k.data);
	free(pk.data);
	free(d.data);
	if (rc != HE_OK)
		return rc;
	return ret == DB_NOTFOUND ? HE_OK : store_err(ret);
}

int
store_cand_count(struct store *st, DB_TXN *txn, size_t *n)
{
	DB_BTREE_STAT *sp;
	int ret;

	ret = st->db[STORE_CAND]->stat(st->db[STORE_CAND], txn, &sp,
	    DB_READ_COMMITTED);
	if (ret != 0)
		return store_err(ret);
	*n = sp->bt_nkeys;
	free(sp);
	return HE_OK;
}

int
store_skill_vocabulary(struct store *st, DB_TXN *txn, size_t limit,
    int (*fn)(const char *skill, size_t len, void *ctx), void *ctx)
{
	DB *idx = st->db[STORE_CAND_SKILL];
	DBC *cur;
	DBT k = { .flags = DB_DBT_REALLOC };
	DBT d = { .flags = DB_DBT_PARTIAL };	/* the key is all we need */
	size_t n = 0;
	int ret, rc = HE_OK;

	if ((ret = idx->cursor(idx, txn, &cur, 0)) != 0)
		return store_err(ret);
	while (n < limit && (ret = cur->get(cur, &k, &d,
	    DB_NEXT_NODUP | DB_READ_COMMITTED)) == 0) {
		if ((rc = fn(k.data, k.size, ctx)) != HE_OK)
			break;
		n++;
	}
	cur->close(cur);
	free(k.data);
	if (rc != HE_OK)
		return rc;
	return ret == 0 || ret == DB_NOTFOUND ? HE_OK : store_err(ret);
}

int
store_cand_oldest_pending(struct store *st, DB_TXN *txn, int64_t before,
    uint64_t *id)
{
	DB *idx = st->db[STORE_CAND_PENDING];
	DBC *cur;
	DBT k = { .flags = DB_DBT_MALLOC }, pk = { .flags = DB_DBT_MALLOC };
	DBT d = { .flags = DB_DBT_PARTIAL };
	int ret, rc = HE_NOTFOUND;

	if ((ret = idx->cursor(idx, txn, &cur, 0)) != 0)
		return store_err(ret);
	ret = cur->pget(cur, &k, &pk, &d, DB_FIRST);
	cur->close(cur);
	if (ret != 0)
		return store_err(ret);
	if ((int64_t)store_u64_from(k.data) < before) {
		*id = store_u64_from(pk.data);
		rc = HE_OK;
	}
	free(k.data);
	free(pk.data);
	return rc;
}
