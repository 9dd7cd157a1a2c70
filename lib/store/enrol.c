/* enrol.c: enrolments in campaigns, their indexes, and waves of bulk enrolment */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "store/campaign.h"
#include "store/store.h"
#include "util/he.h"

static void
enrol_key(uint64_t camp, uint64_t cand, unsigned char key[16])
{
	store_u64_key(camp, key);
	store_u64_key(cand, key + 8);
}

int
store_enrol_due_key(DB *sdb, const DBT *pkey, const DBT *pdata, DBT *skey)
{
	DBT due;
	unsigned char *k;
	int ret;

	(void)sdb;
	if (pkey->size != 16)
		return DB_DONOTINDEX;
	/* "due" is there only while the enrolment is active. */
	if ((ret = store_key_u64_field(pdata, "due", &due)) != 0)
		return ret;
	if ((k = malloc(16)) == NULL) {
		free(due.data);
		return ENOMEM;
	}
	memcpy(k, pkey->data, 8);
	memcpy(k + 8, due.data, 8);
	free(due.data);
	memset(skey, 0, sizeof *skey);
	skey->data = k;
	skey->size = 16;
	skey->flags = DB_DBT_APPMALLOC;
	return 0;
}

int
store_enrol_cand_key(DB *sdb, const DBT *pkey, const DBT *pdata, DBT *skey)
{
	const unsigned char *d = pdata->data;
	void *k;

	(void)sdb;
	/* Not a record (the zeros of a scrubbed one): no entry. */
	if (pkey->size != 16 || pdata->size < 3 || d[0] != STORE_REC_VERSION ||
	    d[1] != '{')
		return DB_DONOTINDEX;
	if ((k = malloc(8)) == NULL)
		return ENOMEM;
	memcpy(k, (const unsigned char *)pkey->data + 8, 8);
	memset(skey, 0, sizeof *skey);
	skey->data = k;
	skey->size = 8;
	skey->flags = DB_DBT_APPMALLOC;
	return 0;
}

int
store_enrol_get(struct store *st, DB_TXN *txn, uint64_t camp, uint64_t cand,
    int rmw, json_t **body)
{
	unsigned char key[16];

	enrol_key(camp, cand, key);
	return store_get_rec(st, txn, STORE_ENROL, key, sizeof key, rmw, body);
}

int
store_enrol_exists(struct store *st, DB_TXN *txn, uint64_t camp, uint64_t cand,
    int rmw)
{
	unsigned char key[16];
	DBT k = { .data = key, .size = sizeof key };
	DBT d = { .flags = DB_DBT_PARTIAL };	/* whether, not what */
	DB *db = st->db[STORE_ENROL];

	enrol_key(camp, cand, key);
	return store_err(db->get(db, txn, &k, &d, rmw ? DB_RMW : 0));
}

int
store_enrol_put(struct store *st, DB_TXN *txn, uint64_t camp, uint64_t cand,
    json_t *body)
{
	unsigned char key[16];

	enrol_key(camp, cand, key);
	return store_put_rec(st, txn, STORE_ENROL, key, sizeof key, body, 0);
}

int
store_enrol_del(struct store *st, DB_TXN *txn, uint64_t camp, uint64_t cand)
{
	unsigned char key[16];

	enrol_key(camp, cand, key);
	return store_del_scrubbed(st, txn, STORE_ENROL, key, sizeof key);
}

int
store_enrol_due(struct store *st, DB_TXN *txn, uint64_t camp, int64_t before,
    size_t max, uint64_t *cands, size_t *n)
{
	DB *idx = st->db[STORE_ENROL_DUE];
	unsigned char start[16];
	DBT k = { .flags = DB_DBT_REALLOC }, pk = { .flags = DB_DBT_REALLOC };
	DBT d = { .flags = DB_DBT_PARTIAL };
	DBC *cur;
	int ret;

	*n = 0;
	if (max == 0)
		return HE_OK;
	store_u64_key(camp, start);
	store_u64_key(0, start + 8);
	if ((k.data = malloc(16)) == NULL)
		return HE_NOMEM;
	memcpy(k.data, start, 16);
	k.size = 16;
	if ((ret = idx->cursor(idx, txn, &cur, 0)) != 0) {
		free(k.data);
		return store_err(ret);
	}
	for (ret = cur->pget(cur, &k, &pk, &d, DB_SET_RANGE | DB_READ_COMMITTED);
	    ret == 0 && *n < max;
	    ret = cur->pget(cur, &k, &pk, &d, DB_NEXT | DB_READ_COMMITTED)) {
		if (k.size != 16 || store_u64_from(k.data) != camp)
			break;
		if (before != INT64_MAX &&
		    (int64_t)store_u64_from((unsigned char *)k.data + 8) > before)
			break;
		if (pk.size == 16)
			cands[(*n)++] = store_u64_from((unsigned char *)pk.data + 8);
	}
	cur->close(cur);
	free(k.data);
	free(pk.data);
	return ret == 0 || ret == DB_NOTFOUND ? HE_OK : store_err(ret);
}

int
store_enrol_next_due(struct store *st, DB_TXN *txn, uint64_t camp, int64_t *due)
{
	DB *idx = st->db[STORE_ENROL_DUE];
	unsigned char start[16];
	DBT k = { .data = start, .size = 16, .ulen = 16, .flags = DB_DBT_USERMEM };
	DBT d = { .flags = DB_DBT_PARTIAL };
	DBC *cur;
	int ret;

	store_u64_key(camp, start);
	store_u64_key(0, start + 8);
	if ((ret = idx->cursor(idx, txn, &cur, 0)) != 0)
		return store_err(ret);
	ret = cur->get(cur, &k, &d, DB_SET_RANGE | DB_READ_COMMITTED);
	cur->close(cur);
	if (ret != 0)
		return store_err(ret);
	if (k.size != 16 || store_u64_from(start) != camp)
		return HE_NOTFOUND;
	*due = (int64_t)store_u64_from(start + 8);
	return HE_OK;
}

int
store_enrol_each_of(struct store *st, DB_TXN *txn, uint64_t cand,
    int (*fn)(uint64_t camp, json_t *body, void *ctx), void *ctx)
{
	DB *idx = st->db[STORE_ENROL_CAND];
	unsigned char key[8];
	DBT k = { .data = key, .size = sizeof key };
	DBT pk = { .flags = DB_DBT_REALLOC }, d = { .flags = DB_DBT_REALLOC };
	DBC *cur;
	int ret, rc = HE_OK;

	store_u64_key(cand, key);
	if ((ret = idx->cursor(idx, txn, &cur, 0)) != 0)
		return store_err(ret);
	for (ret = cur->pget(cur, &k, &pk, &d, DB_SET); ret == 0;
	    ret = cur->pget(cur, &k, &pk, &d, DB_NEXT_DUP)) {
		json_t *body;

		if (pk.size != 16)
			continue;
		if ((rc = store_rec_decode(d.data, d.size, &body)) != HE_OK)
			break;
		rc = fn(store_u64_from(pk.data), body, ctx);
		json_decref(body);
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

int
store_enrol_members(struct store *st, DB_TXN *txn, uint64_t camp, size_t offset,
    size_t limit, int (*fn)(uint64_t cand, json_t *body, void *ctx), void *ctx)
{
	DB *db = st->db[STORE_ENROL];
	DBT k = { .flags = DB_DBT_REALLOC }, d = { .flags = DB_DBT_REALLOC };
	DBT skip = { .flags = DB_DBT_PARTIAL };
	DBC *cur;
	size_t pos = 0;
	int ret, rc = HE_OK;

	if ((k.data = malloc(16)) == NULL)
		return HE_NOMEM;
	enrol_key(camp, 0, k.data);
	k.size = 16;
	if ((ret = db->cursor(db, txn, &cur, 0)) != 0) {
		free(k.data);
		return store_err(ret);
	}
	/* The rows before the page are stepped over without their bodies. */
	for (ret = cur->get(cur, &k, &skip, DB_SET_RANGE | DB_READ_COMMITTED);
	    ret == 0 && pos < offset;
	    ret = cur->get(cur, &k, &skip, DB_NEXT | DB_READ_COMMITTED), pos++)
		if (k.size != 16 || store_u64_from(k.data) != camp)
			break;
	if (ret == 0 && pos == offset)
		ret = cur->get(cur, &k, &d, DB_CURRENT | DB_READ_COMMITTED);
	for (; ret == 0 && pos < offset + limit; pos++) {
		json_t *body;

		if (k.size != 16 || store_u64_from(k.data) != camp)
			break;
		if ((rc = store_rec_decode(d.data, d.size, &body)) != HE_OK)
			break;
		rc = fn(store_u64_from((unsigned char *)k.data + 8), body, ctx);
		json_decref(body);
		if (rc != HE_OK)
			break;
		ret = cur->get(cur, &k, &d, DB_NEXT | DB_READ_COMMITTED);
	}
	cur->close(cur);
	free(k.data);
	free(d.data);
	if (rc != HE_OK)
		return rc;
	return ret == 0 || ret == DB_NOTFOUND ? HE_OK : store_err(ret);
}

/* ---- waves ---- */

static void
wave_key(uint64_t id, int bits, unsigned char key[9])
{
	store_u64_key(id, key);
	key[8] = 'b';
	(void)bits;
}

int
store_wave_get(struct store *st, DB_TXN *txn, uint64_t id, int rmw,
    json_t **body)
{
	unsigned char key[8];

	store_u64_key(id, key);
	return store_get_rec(st, txn, STORE_WAVE, key, sizeof key, rmw, body);
}

int
store_wave_put(struct store *st, DB_TXN *txn, uint64_t id, json_t *body)
{
	unsigned char key[8];

	store_u64_key(id, key);
	return store_put_rec(st, txn, STORE_WAVE, key, sizeof key, body, 0);
}

int
store_wave_bits_put(struct store *st, DB_TXN *txn, uint64_t id,
    const void *bits, size_t len)
{
	DB *db = st->db[STORE_WAVE];
	unsigned char key[9];
	DBT k = { .data = key, .size = sizeof key };
	DBT d = { .data = (void *)bits, .size = (u_int32_t)len };

	wave_key(id, 1, key);
	return store_err(db->put(db, txn, &k, &d, 0));
}

int
store_wave_bits_get(struct store *st, DB_TXN *txn, uint64_t id, void **bits,
    size_t *len)
{
	DB *db = st->db[STORE_WAVE];
	unsigned char key[9];
	DBT k = { .data = key, .size = sizeof key };
	DBT d = { .flags = DB_DBT_MALLOC };
	int ret;

	wave_key(id, 1, key);
	*bits = NULL;
	*len = 0;
	if ((ret = db->get(db, txn, &k, &d, 0)) != 0)
		return store_err(ret);
	*bits = d.data;
	*len = d.size;
	return HE_OK;
}

int
store_wave_bits_del(struct store *st, DB_TXN *txn, uint64_t id)
{
	DB *db = st->db[STORE_WAVE];
	unsigned char key[9];
	DBT k = { .data = key, .size = sizeof key };
	int ret;

	wave_key(id, 1, key);
	ret = db->del(db, txn, &k, 0);
	return ret == DB_NOTFOUND ? HE_OK : store_err(ret);
}

int
store_wave_open_each(struct store *st, DB_TXN *txn,
    int (*fn)(uint64_t id, void *ctx), void *ctx)
{
	DB *db = st->db[STORE_WAVE];
	DBT k = { .flags = DB_DBT_REALLOC }, d = { .flags = DB_DBT_REALLOC };
	DBT skip = { .flags = DB_DBT_PARTIAL };
	DBC *cur;
	int ret, rc = HE_OK;

	if ((ret = db->cursor(db, txn, &cur, 0)) != 0)
		return store_err(ret);
	/* The records are 8-byte keys; their bits (9 bytes) are not read. */
	for (ret = cur->get(cur, &k, &skip, DB_FIRST | DB_READ_COMMITTED); ret == 0;
	    ret = cur->get(cur, &k, &skip, DB_NEXT | DB_READ_COMMITTED)) {
		json_t *body;
		int open;

		if (k.size != 8)
			continue;
		if ((ret = cur->get(cur, &k, &d, DB_CURRENT | DB_READ_COMMITTED)) != 0)
			break;
		if (store_rec_decode(d.data, d.size, &body) != HE_OK)
			continue;
		open = strcmp(json_string_value(json_object_get(body, "state")) ?: "",
		    "open") == 0;
		json_decref(body);
		if (open && (rc = fn(store_u64_from(k.data), ctx)) != HE_OK)
			break;
	}
	cur->close(cur);
	free(k.data);
	free(d.data);
	if (rc != HE_OK)
		return rc;
	return ret == 0 || ret == DB_NOTFOUND ? HE_OK : store_err(ret);
}
