/* notice.c: notices for users, kept per user in time order */
#include <stdlib.h>
#include <string.h>

#include "store/campaign.h"
#include "store/store.h"
#include "util/he.h"

static void
notice_key(uint64_t user, uint64_t id, unsigned char key[16])
{
	store_u64_key(user, key);
	store_u64_key(id, key + 8);
}

int
store_notice_cand_key(DB *sdb, const DBT *pkey, const DBT *pdata, DBT *skey)
{
	static const unsigned char zero[8];
	int ret;

	(void)sdb;
	if (pkey->size != 16)
		return DB_DONOTINDEX;
	if ((ret = store_key_u64_field(pdata, "cand", skey)) != 0)
		return ret;
	/* About no one. */
	if (skey->size == 8 && memcmp(skey->data, zero, 8) == 0) {
		if (skey->flags & DB_DBT_APPMALLOC)
			free(skey->data);
		memset(skey, 0, sizeof *skey);
		return DB_DONOTINDEX;
	}
	return 0;
}

int
store_notice_insert(struct store *st, DB_TXN *txn, uint64_t user, json_t *body,
    uint64_t *id)
{
	unsigned char key[16];
	int rc;

	if ((rc = store_next_id(st, SEQ_NOTICE, id)) != HE_OK)
		return rc;
	notice_key(user, *id, key);
	return store_put_rec(st, txn, STORE_NOTICE, key, sizeof key, body,
	    DB_NOOVERWRITE);
}

int
store_notice_get(struct store *st, DB_TXN *txn, uint64_t user, uint64_t id,
    int rmw, json_t **body)
{
	unsigned char key[16];

	notice_key(user, id, key);
	return store_get_rec(st, txn, STORE_NOTICE, key, sizeof key, rmw, body);
}

int
store_notice_put(struct store *st, DB_TXN *txn, uint64_t user, uint64_t id,
    json_t *body)
{
	unsigned char key[16];

	notice_key(user, id, key);
	return store_put_rec(st, txn, STORE_NOTICE, key, sizeof key, body, 0);
}

int
store_notice_each(struct store *st, DB_TXN *txn, uint64_t user,
    int (*fn)(uint64_t id, json_t *body, void *ctx), void *ctx)
{
	DB *db = st->db[STORE_NOTICE];
	DBT k = { .flags = DB_DBT_REALLOC }, d = { .flags = DB_DBT_REALLOC };
	DBC *cur;
	int ret, rc = HE_OK;

	/* Just past the user's last notice, then backwards. */
	if ((k.data = malloc(16)) == NULL)
		return HE_NOMEM;
	notice_key(user + 1, 0, k.data);
	k.size = 16;
	if ((ret = db->cursor(db, txn, &cur, 0)) != 0) {
		free(k.data);
		return store_err(ret);
	}
	ret = cur->get(cur, &k, &d, DB_SET_RANGE | DB_READ_COMMITTED);
	if (ret == 0)
		ret = cur->get(cur, &k, &d, DB_PREV | DB_READ_COMMITTED);
	else if (ret == DB_NOTFOUND)
		ret = cur->get(cur, &k, &d, DB_LAST | DB_READ_COMMITTED);
	for (; ret == 0; ret = cur->get(cur, &k, &d, DB_PREV | DB_READ_COMMITTED)) {
		json_t *body;

		if (k.size != 16 || store_u64_from(k.data) != user)
			break;
		if ((rc = store_rec_decode(d.data, d.size, &body)) != HE_OK)
			break;
		rc = fn(store_u64_from((unsigned char *)k.data + 8), body, ctx);
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

int
store_notice_del_of(struct store *st, DB_TXN *txn, uint64_t cand, size_t *n)
{
	DB *idx = st->db[STORE_NOTICE_CAND];
	unsigned char key[8], *keys = NULL;
	DBT k = { .data = key, .size = sizeof key };
	DBT pk = { .flags = DB_DBT_REALLOC }, d = { .flags = DB_DBT_PARTIAL };
	size_t nkeys = 0, cap = 0;
	DBC *cur;
	int ret, rc = HE_OK;

	/* The keys first (write-locked), then each delete with no cursor of
	 * ours open on the items being overwritten. */
	store_u64_key(cand, key);
	if ((ret = idx->cursor(idx, txn, &cur, 0)) != 0)
		return store_err(ret);
	for (ret = cur->pget(cur, &k, &pk, &d, DB_SET | DB_RMW); ret == 0;
	    ret = cur->pget(cur, &k, &pk, &d, DB_NEXT_DUP | DB_RMW)) {
		if (pk.size != 16)
			continue;
		if (nkeys == cap) {
			unsigned char *more = realloc(keys, (cap = cap ? 2 * cap : 16) * 16);

			if (more == NULL) {
				rc = HE_NOMEM;
				break;
			}
			keys = more;
		}
		memcpy(keys + 16 * nkeys++, pk.data, 16);
	}
	cur->close(cur);
	free(pk.data);
	if (rc == HE_OK && ret != DB_NOTFOUND)
		rc = store_err(ret);
	for (size_t i = 0; rc == HE_OK && i < nkeys; i++)
		rc = store_del_scrubbed(st, txn, STORE_NOTICE, keys + 16 * i, 16);
	if (rc == HE_OK && n)
		*n = nkeys;
	free(keys);
	return rc;
}
