/* mailq.c: the outgoing mail queue and its due-time index */
#include <stdlib.h>

#include "store/entities.h"
#include "store/store.h"
#include "util/he.h"

int
store_mail_due_key(DB *sdb, const DBT *pkey, const DBT *pdata, DBT *skey)
{
	(void)sdb;
	(void)pkey;
	return store_key_u64_field(pdata, "due", skey);
}

int
store_mail_cand_key(DB *sdb, const DBT *pkey, const DBT *pdata, DBT *skey)
{
	(void)sdb;
	(void)pkey;
	return store_key_u64_field(pdata, "cand", skey);
}

int
store_mail_insert(struct store *st, DB_TXN *txn, json_t *body, uint64_t *id)
{
	unsigned char key[8];
	int rc;

	if ((rc = store_next_id(st, SEQ_MAIL, id)) != HE_OK)
		return rc;
	store_u64_key(*id, key);
	return store_put_rec(st, txn, STORE_MAILQ, key, sizeof key, body,
	    DB_NOOVERWRITE);
}

int
store_mail_put(struct store *st, DB_TXN *txn, uint64_t id, json_t *body)
{
	unsigned char key[8];

	store_u64_key(id, key);
	return store_put_rec(st, txn, STORE_MAILQ, key, sizeof key, body, 0);
}

int
store_mail_get(struct store *st, DB_TXN *txn, uint64_t id, json_t **body)
{
	unsigned char key[8];

	store_u64_key(id, key);
	return store_get_rec(st, txn, STORE_MAILQ, key, sizeof key, 0, body);
}

int
store_mail_exists(struct store *st, DB_TXN *txn, uint64_t id, int rmw)
{
	unsigned char key[8];
	DBT k = { .data = key, .size = sizeof key };
	DBT d = { .flags = DB_DBT_PARTIAL };	/* whether, not what */
	DB *db = st->db[STORE_MAILQ];

	store_u64_key(id, key);
	return store_err(db->get(db, txn, &k, &d, rmw ? DB_RMW : 0));
}

int
store_mail_del(struct store *st, DB_TXN *txn, uint64_t id)
{
	unsigned char key[8];

	store_u64_key(id, key);
	return store_del_scrubbed(st, txn, STORE_MAILQ, key, sizeof key);
}

int
store_mail_next_due(struct store *st, DB_TXN *txn, int64_t now, uint64_t *id,
    json_t **body)
{
	DB *idx = st->db[STORE_MAILQ_DUE];
	DBC *cur;
	DBT k = { .flags = DB_DBT_MALLOC }, pk = { .flags = DB_DBT_MALLOC };
	DBT d = { .flags = DB_DBT_MALLOC };
	int ret, rc;

	*body = NULL;
	if ((ret = idx->cursor(idx, txn, &cur, 0)) != 0)
		return store_err(ret);
	ret = cur->pget(cur, &k, &pk, &d, DB_FIRST | DB_RMW);
	cur->close(cur);
	if (ret != 0)
		return store_err(ret);
	if ((int64_t)store_u64_from(k.data) > now) {
		rc = HE_NOTFOUND;
	} else {
		*id = store_u64_from(pk.data);
		rc = store_rec_decode(d.data, d.size, body);
	}
	free(k.data);
	free(pk.data);
	free(d.data);
	return rc;
}

int
store_mail_each_of(struct store *st, DB_TXN *txn, uint64_t cand_id,
    int (*fn)(uint64_t id, json_t *mail, void *ctx), void *ctx)
{
	DB *idx = st->db[STORE_MAILQ_CAND];
	unsigned char key[8];
	DBT k = { .data = key, .size = sizeof key };
	DBT pk = { .flags = DB_DBT_REALLOC }, d = { .flags = DB_DBT_REALLOC };
	DBC *cur;
	int ret, rc = HE_OK;

	store_u64_key(cand_id, key);
	if ((ret = idx->cursor(idx, txn, &cur, 0)) != 0)
		return store_err(ret);
	for (ret = cur->pget(cur, &k, &pk, &d, DB_SET); ret == 0;
	    ret = cur->pget(cur, &k, &pk, &d, DB_NEXT_DUP)) {
		json_t *mail;

		if ((rc = store_rec_decode(d.data, d.size, &mail)) != HE_OK)
			break;
		rc = fn(store_u64_from(pk.data), mail, ctx);
		json_decref(mail);
		if (rc != HE_OK)
			break;
	}
	cur->close(cur);
	free(pk.data);
	free(d.data);
	if (rc != HE_OK)
		return rc;
	return ret == DB_NOTFOUND ? HE_OK : store_err(ret);
}

/* The primary itself, newest id first: ids grow with time. */
int
store_mail_newest(struct store *st, DB_TXN *txn, size_t offset, size_t limit,
    int (*fn)(uint64_t id, json_t *mail, void *ctx), void *ctx)
{
	DB *db = st->db[STORE_MAILQ];
	DBT k = { .flags = DB_DBT_REALLOC }, d = { .flags = DB_DBT_REALLOC };
	DBC *cur;
	size_t pos = 0;
	int ret, rc = HE_OK;

	if ((ret = db->cursor(db, txn, &cur, 0)) != 0)
		return store_err(ret);
	for (ret = cur->get(cur, &k, &d, DB_LAST | DB_READ_COMMITTED);
	    ret == 0 && pos < offset + limit;
	    ret = cur->get(cur, &k, &d, DB_PREV | DB_READ_COMMITTED), pos++) {
		json_t *mail;

		if (pos < offset)
			continue;
		if ((rc = store_rec_decode(d.data, d.size, &mail)) != HE_OK)
			break;
		rc = fn(store_u64_from(k.data), mail, ctx);
		json_decref(mail);
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
