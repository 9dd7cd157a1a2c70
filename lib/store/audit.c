/* audit.c: audit entries and their per-candidate index */
#include <stdlib.h>
#include <string.h>

#include "store/audit.h"
#include "store/store.h"
#include "util/he.h"

int
store_audit_cand_key(DB *sdb, const DBT *pkey, const DBT *pdata, DBT *skey)
{
	(void)sdb;
	(void)pkey;
	return store_key_u64_field(pdata, "cand", skey);
}

static void
audit_key(int64_t at, uint64_t id, unsigned char key[STORE_AUDIT_KEYBYTES])
{
	store_u64_key((uint64_t)at, key);
	store_u64_key(id, key + 8);
}

int
store_audit_insert(struct store *st, DB_TXN *txn, json_t *body, uint64_t *id)
{
	json_t *at = json_object_get(body, "at");
	unsigned char key[STORE_AUDIT_KEYBYTES];
	int rc;

	if (!json_is_integer(at) || json_integer_value(at) < 0)
		return HE_INVALID;
	if ((rc = store_next_id(st, SEQ_AUDIT, id)) != HE_OK)
		return rc;
	audit_key(json_integer_value(at), *id, key);
	return store_put_rec(st, txn, STORE_AUDIT, key, sizeof key, body,
	    DB_NOOVERWRITE);
}

/* Degree-2 isolation is a property of a transactional cursor: set on it,
 * it applies to every read the cursor makes. */
static u_int32_t
rc_flag(DB_TXN *txn)
{
	return txn ? DB_READ_COMMITTED : 0;
}

/* Decodes one entry and hands it to fn. */
static int
visit(const DBT *pk, const DBT *d, store_audit_fn fn, void *ctx)
{
	json_t *body;
	int rc;

	if (pk->size != STORE_AUDIT_KEYBYTES)
		return HE_INVALID;
	if ((rc = store_rec_decode(d->data, d->size, &body)) != HE_OK)
		return rc;
	rc = fn(store_u64_from((const unsigned char *)pk->data + 8),
	    (int64_t)store_u64_from(pk->data), body, ctx);
	json_decref(body);
	return rc;
}

int
store_audit_newest(struct store *st, DB_TXN *txn, int64_t from_us,
    int64_t to_us, store_audit_fn fn, void *ctx)
{
	DB *db = st->db[STORE_AUDIT];
	DBT k = { .flags = DB_DBT_REALLOC }, d = { .flags = DB_DBT_REALLOC };
	DBC *cur;
	int ret, rc = HE_OK;

	if ((k.data = malloc(STORE_AUDIT_KEYBYTES)) == NULL)
		return HE_NOMEM;
	if ((ret = db->cursor(db, txn, &cur, rc_flag(txn))) != 0) {
		free(k.data);
		return store_err(ret);
	}
	if (to_us > 0) {
		/* The first entry at or after to_us, then the one before it. */
		audit_key(to_us, 0, k.data);
		k.size = STORE_AUDIT_KEYBYTES;
		ret = cur->get(cur, &k, &d, DB_SET_RANGE);
		if (ret == 0)
			ret = cur->get(cur, &k, &d, DB_PREV);
		else if (ret == DB_NOTFOUND)
			ret = cur->get(cur, &k, &d, DB_LAST);
	} else {
		ret = cur->get(cur, &k, &d, DB_LAST);
	}
	for (; ret == 0; ret = cur->get(cur, &k, &d, DB_PREV)) {
		if (k.size == STORE_AUDIT_KEYBYTES &&
		    (int64_t)store_u64_from(k.data) < from_us)
			break;
		if ((rc = visit(&k, &d, fn, ctx)) != HE_OK)
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
store_audit_each_of(struct store *st, DB_TXN *txn, uint64_t cand,
    int oldest_first, store_audit_fn fn, void *ctx)
{
	DB *idx = st->db[STORE_AUDIT_CAND];
	unsigned char key[8];
	DBT k = { .data = key, .size = sizeof key, .ulen = sizeof key,
	    .flags = DB_DBT_USERMEM };
	DBT pk = { .flags = DB_DBT_REALLOC }, d = { .flags = DB_DBT_REALLOC };
	DBC *cur;
	u_int32_t step = oldest_first ? DB_NEXT_DUP : DB_PREV_DUP;
	int ret, rc = HE_OK;

	store_u64_key(cand, key);
	if ((ret = idx->cursor(idx, txn, &cur, rc_flag(txn))) != 0)
		return store_err(ret);
	ret = cur->pget(cur, &k, &pk, &d, DB_SET);
	if (ret == 0 && !oldest_first) {
		/* To the last duplicate: past the key, then one back. */
		ret = cur->pget(cur, &k, &pk, &d, DB_NEXT_NODUP);
		if (ret == 0)
			ret = cur->pget(cur, &k, &pk, &d, DB_PREV);
		else if (ret == DB_NOTFOUND)
			ret = cur->pget(cur, &k, &pk, &d, DB_LAST);
		if (ret == 0 && (k.size != sizeof key ||
		    store_u64_from(k.data) != cand))
			ret = DB_NOTFOUND;	/* cannot happen: DB_SET found one */
	}
	for (; ret == 0; ret = cur->pget(cur, &k, &pk, &d, step))
		if ((rc = visit(&pk, &d, fn, ctx)) != HE_OK)
			break;
	cur->close(cur);
	free(pk.data);
	free(d.data);
	if (rc != HE_OK)
		return rc;
	return ret == 0 || ret == DB_NOTFOUND ? HE_OK : store_err(ret);
}
