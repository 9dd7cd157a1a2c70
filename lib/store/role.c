/* role.c: roles (requisitions), their pipelines and new-match alerts in the store */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "store/role.h"
#include "store/store.h"
#include "util/he.h"

static void
pair_key(uint64_t a, uint64_t b, unsigned char key[16])
{
	store_u64_key(a, key);
	store_u64_key(b, key + 8);
}

/* ---- records keyed by (role, candidate): pipeline entries, alerts ---- */

static int
pair_get(struct store *st, DB_TXN *txn, enum store_db db, uint64_t role,
    uint64_t cand, int rmw, json_t **body)
{
	unsigned char key[16];

	pair_key(role, cand, key);
	return store_get_rec(st, txn, db, key, sizeof key, rmw, body);
}

static int
pair_put(struct store *st, DB_TXN *txn, enum store_db db, uint64_t role,
    uint64_t cand, json_t *body)
{
	unsigned char key[16];

	if (role == 0 || cand == 0)
		return HE_INVALID;
	pair_key(role, cand, key);
	return store_put_rec(st, txn, db, key, sizeof key, body, 0);
}

static int
pair_del(struct store *st, DB_TXN *txn, enum store_db db, uint64_t role,
    uint64_t cand)
{
	unsigned char key[16];

	pair_key(role, cand, key);
	return store_del_scrubbed(st, txn, db, key, sizeof key);
}

/* HE_OK when there is one, HE_NOTFOUND; nothing read. */
static int
pair_exists(struct store *st, DB_TXN *txn, enum store_db db, uint64_t role,
    uint64_t cand)
{
	unsigned char key[16];
	DBT k = { .data = key, .size = sizeof key };
	DBT d = { .flags = DB_DBT_PARTIAL };
	DB *h = st->db[db];

	pair_key(role, cand, key);
	return store_err(h->get(h, txn, &k, &d, 0));
}

/* Whether pdata is a record (the zeros of a scrubbed one are not). */
static int
is_rec(const DBT *pdata)
{
	const unsigned char *d = pdata->data;

	return pdata->size >= 3 && d[0] == STORE_REC_VERSION && d[1] == '{';
}

/* The second half of a 16-byte primary key, as a secondary key. */
static int
second_half(const DBT *pkey, const DBT *pdata, DBT *skey)
{
	void *k;

	if (pkey->size != 16 || !is_rec(pdata))
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

/*
 * The records of db whose 16-byte key starts with first (8 bytes), in
 * key order: fn gets the second half and the body.
 */
static int
each_prefix(struct store *st, DB_TXN *txn, enum store_db db, uint64_t first,
    int (*fn)(uint64_t second, json_t *body, void *ctx), void *ctx)
{
	DB *dbp = st->db[db];
	DBT k = { .flags = DB_DBT_REALLOC }, d = { .flags = DB_DBT_REALLOC };
	u_int32_t rc_flag = txn ? 0 : DB_READ_COMMITTED;
	DBC *cur;
	int ret, rc = HE_OK;

	if ((k.data = malloc(16)) == NULL)
		return HE_NOMEM;
	pair_key(first, 0, k.data);
	k.size = 16;
	if ((ret = dbp->cursor(dbp, txn, &cur, 0)) != 0) {
		free(k.data);
		return store_err(ret);
	}
	for (ret = cur->get(cur, &k, &d, DB_SET_RANGE | rc_flag); ret == 0;
	    ret = cur->get(cur, &k, &d, DB_NEXT | rc_flag)) {
		json_t *body;

		if (k.size != 16 || store_u64_from(k.data) != first)
			break;
		if (store_rec_decode(d.data, d.size, &body) != HE_OK)
			continue;
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

/* ---- roles ---- */

int
store_role_get(struct store *st, DB_TXN *txn, uint64_t id, int rmw,
    json_t **body)
{
	unsigned char key[8];

	*body = NULL;
	if (id == 0)
		return HE_NOTFOUND;
	store_u64_key(id, key);
	return store_get_rec(st, txn, STORE_ROLE, key, sizeof key, rmw, body);
}

int
store_role_put(struct store *st, DB_TXN *txn, uint64_t id, json_t *body)
{
	unsigned char key[8];

	if (id == 0)
		return HE_INVALID;
	store_u64_key(id, key);
	return store_put_rec(st, txn, STORE_ROLE, key, sizeof key, body, 0);
}

int
store_role_each(struct store *st, DB_TXN *txn, int newest_first,
    int (*fn)(uint64_t id, json_t *body, void *ctx), void *ctx)
{
	DB *db = st->db[STORE_ROLE];
	DBC *cur;
	DBT k = { .flags = DB_DBT_REALLOC }, d = { .flags = DB_DBT_REALLOC };
	u_int32_t step = newest_first ? DB_PREV : DB_NEXT;
	/* Read committed even in a caller's transaction: a candidate write
	 * checking alerts must not hold every role read-locked. */
	u_int32_t rc_flag = DB_READ_COMMITTED;
	int ret, rc = HE_OK;

	if ((ret = db->cursor(db, txn, &cur, 0)) != 0)
		return store_err(ret);
	while ((ret = cur->get(cur, &k, &d, step | rc_flag)) == 0) {
		json_t *body;

		if (k.size != 8 || store_u64_from(k.data) == 0)
			continue;	/* the generation */
		if (store_rec_decode(d.data, d.size, &body) != HE_OK)
			continue;
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

int
store_role_gen(struct store *st, DB_TXN *txn, int64_t *gen)
{
	return store_gen_get(st, txn, STORE_ROLE, 0, gen);
}

int
store_role_gen_bump(struct store *st, DB_TXN *txn, int64_t *gen)
{
	return store_gen_change(st, txn, STORE_ROLE, gen);
}

/* ---- pipelines ---- */

int
store_pipe_cand_key(DB *sdb, const DBT *pkey, const DBT *pdata, DBT *skey)
{
	(void)sdb;
	return second_half(pkey, pdata, skey);
}

int
store_pipe_get(struct store *st, DB_TXN *txn, uint64_t role, uint64_t cand,
    int rmw, json_t **body)
{
	return pair_get(st, txn, STORE_PIPE, role, cand, rmw, body);
}

int
store_pipe_put(struct store *st, DB_TXN *txn, uint64_t role, uint64_t cand,
    json_t *body)
{
	return pair_put(st, txn, STORE_PIPE, role, cand, body);
}

int
store_pipe_del(struct store *st, DB_TXN *txn, uint64_t role, uint64_t cand)
{
	return pair_del(st, txn, STORE_PIPE, role, cand);
}

int
store_pipe_exists(struct store *st, DB_TXN *txn, uint64_t role, uint64_t cand)
{
	return pair_exists(st, txn, STORE_PIPE, role, cand);
}

int
store_pipe_each(struct store *st, DB_TXN *txn, uint64_t role,
    int (*fn)(uint64_t cand, json_t *body, void *ctx), void *ctx)
{
	return each_prefix(st, txn, STORE_PIPE, role, fn, ctx);
}

int
store_pipe_count(struct store *st, DB_TXN *txn, uint64_t role, size_t *n)
{
	DB *db = st->db[STORE_PIPE];
	unsigned char key[16];
	DBT k = { .data = key, .size = 16, .ulen = 16, .flags = DB_DBT_USERMEM };
	DBT d = { .flags = DB_DBT_PARTIAL };	/* whether, not what */
	u_int32_t rc_flag = txn ? 0 : DB_READ_COMMITTED;
	DBC *cur;
	int ret;

	*n = 0;
	pair_key(role, 0, key);
	if ((ret = db->cursor(db, txn, &cur, 0)) != 0)
		return store_err(ret);
	for (ret = cur->get(cur, &k, &d, DB_SET_RANGE | rc_flag); ret == 0;
	    ret = cur->get(cur, &k, &d, DB_NEXT | rc_flag)) {
		if (k.size != 16 || store_u64_from(key) != role)
			break;
		(*n)++;
	}
	cur->close(cur);
	return ret == 0 || ret == DB_NOTFOUND ? HE_OK : store_err(ret);
}

/* The records a secondary index holds under an 8-byte key: fn gets the
 * first half of each 16-byte primary key. */
static int
each_by_index(struct store *st, DB_TXN *txn, enum store_db idx, uint64_t id,
    int (*fn)(uint64_t first, json_t *body, void *ctx), void *ctx)
{
	DB *db = st->db[idx];
	unsigned char key[8];
	DBT k = { .data = key, .size = sizeof key };
	DBT pk = { .flags = DB_DBT_REALLOC }, d = { .flags = DB_DBT_REALLOC };
	u_int32_t rc_flag = txn ? 0 : DB_READ_COMMITTED;
	DBC *cur;
	int ret, rc = HE_OK;

	store_u64_key(id, key);
	if ((ret = db->cursor(db, txn, &cur, 0)) != 0)
		return store_err(ret);
	for (ret = cur->pget(cur, &k, &pk, &d, DB_SET | rc_flag); ret == 0;
	    ret = cur->pget(cur, &k, &pk, &d, DB_NEXT_DUP | rc_flag)) {
		json_t *body;

		if (pk.size != 16)
			continue;
		if (store_rec_decode(d.data, d.size, &body) != HE_OK)
			continue;
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
store_pipe_each_of(struct store *st, DB_TXN *txn, uint64_t cand,
    int (*fn)(uint64_t role, json_t *body, void *ctx), void *ctx)
{
	return each_by_index(st, txn, STORE_PIPE_CAND, cand, fn, ctx);
}

/* ---- alerts ---- */

int
store_alert_due_key(DB *sdb, const DBT *pkey, const DBT *pdata, DBT *skey)
{
	(void)sdb;
	if (pkey->size != 16 || !is_rec(pdata))
		return DB_DONOTINDEX;
	/* "pending" is there only until the alert is in a digest. */
	return store_key_u64_field(pdata, "pending", skey);
}

int
store_alert_cand_key(DB *sdb, const DBT *pkey, const DBT *pdata, DBT *skey)
{
	(void)sdb;
	return second_half(pkey, pdata, skey);
}

int
store_alert_get(struct store *st, DB_TXN *txn, uint64_t role, uint64_t cand,
    int rmw, json_t **body)
{
	return pair_get(st, txn, STORE_ROLE_ALERT, role, cand, rmw, body);
}

int
store_alert_exists(struct store *st, DB_TXN *txn, uint64_t role, uint64_t cand)
{
	return pair_exists(st, txn, STORE_ROLE_ALERT, role, cand);
}

int
store_alert_put(struct store *st, DB_TXN *txn, uint64_t role, uint64_t cand,
    json_t *body)
{
	return pair_put(st, txn, STORE_ROLE_ALERT, role, cand, body);
}

int
store_alert_del(struct store *st, DB_TXN *txn, uint64_t role, uint64_t cand)
{
	return pair_del(st, txn, STORE_ROLE_ALERT, role, cand);
}

int
store_alert_due_owners(struct store *st, DB_TXN *txn, uint64_t *owners,
    size_t max, size_t *n)
{
	DB *db = st->db[STORE_ROLE_ALERT_DUE];
	DBT k = { .flags = DB_DBT_REALLOC };
	DBT d = { .flags = DB_DBT_PARTIAL };
	u_int32_t rc_flag = txn ? 0 : DB_READ_COMMITTED;
	DBC *cur;
	int ret;

	*n = 0;
	if ((ret = db->cursor(db, txn, &cur, 0)) != 0)
		return store_err(ret);
	for (ret = cur->get(cur, &k, &d, DB_FIRST | rc_flag); ret == 0 && *n < max;
	    ret = cur->get(cur, &k, &d, DB_NEXT_NODUP | rc_flag))
		if (k.size == 8)
			owners[(*n)++] = store_u64_from(k.data);
	cur->close(cur);
	free(k.data);
	return ret == 0 || ret == DB_NOTFOUND ? HE_OK : store_err(ret);
}

int
store_alert_due_of(struct store *st, DB_TXN *txn, uint64_t owner,
    uint64_t (*pairs)[2], size_t max, size_t *n)
{
	DB *db = st->db[STORE_ROLE_ALERT_DUE];
	unsigned char key[8];
	DBT k = { .data = key, .size = sizeof key };
	DBT pk = { .flags = DB_DBT_REALLOC };
	DBT d = { .flags = DB_DBT_PARTIAL };
	u_int32_t rc_flag = txn ? 0 : DB_READ_COMMITTED;
	DBC *cur;
	int ret;

	*n = 0;
	store_u64_key(owner, key);
	if ((ret = db->cursor(db, txn, &cur, 0)) != 0)
		return store_err(ret);
	for (ret = cur->pget(cur, &k, &pk, &d, DB_SET | rc_flag);
	    ret == 0 && *n < max;
	    ret = cur->pget(cur, &k, &pk, &d, DB_NEXT_DUP | rc_flag)) {
		if (pk.size != 16)
			continue;
		pairs[*n][0] = store_u64_from(pk.data);
		pairs[*n][1] = store_u64_from((unsigned char *)pk.data + 8);
		(*n)++;
	}
	cur->close(cur);
	free(pk.data);
	return ret == 0 || ret == DB_NOTFOUND ? HE_OK : store_err(ret);
}

int
store_alert_roles_of(struct store *st, DB_TXN *txn, uint64_t cand,
    uint64_t *roles, size_t max, size_t *n)
{
	DB *db = st->db[STORE_ROLE_ALERT_CAND];
	unsigned char key[8];
	DBT k = { .data = key, .size = sizeof key };
	DBT pk = { .flags = DB_DBT_REALLOC };
	DBT d = { .flags = DB_DBT_PARTIAL };
	DBC *cur;
	int ret;

	*n = 0;
	store_u64_key(cand, key);
	if ((ret = db->cursor(db, txn, &cur, 0)) != 0)
		return store_err(ret);
	for (ret = cur->pget(cur, &k, &pk, &d, DB_SET); ret == 0 && *n < max;
	    ret = cur->pget(cur, &k, &pk, &d, DB_NEXT_DUP))
		if (pk.size == 16)
			roles[(*n)++] = store_u64_from(pk.data);
	cur->close(cur);
	free(pk.data);
	return ret == 0 || ret == DB_NOTFOUND ? HE_OK : store_err(ret);
}

int
store_alert_each(struct store *st, DB_TXN *txn, uint64_t role,
    int (*fn)(uint64_t cand, json_t *body, void *ctx), void *ctx)
{
	return each_prefix(st, txn, STORE_ROLE_ALERT, role, fn, ctx);
}
