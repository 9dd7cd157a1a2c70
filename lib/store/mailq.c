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
