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
