/* campaign.c: campaign records, their generation and their counters */
#include <stdlib.h>
#include <string.h>

#include "store/campaign.h"
#include "store/store.h"
#include "util/he.h"

int
store_campaign_get(struct store *st, DB_TXN *txn, uint64_t id, int rmw,
    json_t **body)
{
	unsigned char key[8];

	if (id == 0) {
		*body = NULL;
		return HE_NOTFOUND;
	}
	store_u64_key(id, key);
	return store_get_rec(st, txn, STORE_CAMPAIGN, key, sizeof key, rmw, body);
}

int
store_campaign_put(struct store *st, DB_TXN *txn, uint64_t id, json_t *body)
{
	unsigned char key[8];

	if (id == 0)
		return HE_INVALID;
	store_u64_key(id, key);
	return store_put_rec(st, txn, STORE_CAMPAIGN, key, sizeof key, body, 0);
}

int
store_campaign_each(struct store *st, DB_TXN *txn,
    int (*fn)(uint64_t id, json_t *body, void *ctx), void *ctx)
{
	DB *db = st->db[STORE_CAMPAIGN];
	DBC *cur;
	DBT k = { .flags = DB_DBT_REALLOC }, d = { .flags = DB_DBT_REALLOC };
	int ret, rc = HE_OK;

	if ((ret = db->cursor(db, txn, &cur, 0)) != 0)
		return store_err(ret);
	while ((ret = cur->get(cur, &k, &d, DB_NEXT)) == 0) {
		json_t *body;

		if (k.size != 8 || store_u64_from(k.data) == 0)
			continue;	/* the generation */
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

int
store_campaign_gen(struct store *st, DB_TXN *txn, int64_t *gen)
{
	return store_gen_get(st, txn, STORE_CAMPAIGN, 0, gen);
}

int
store_campaign_gen_bump(struct store *st, DB_TXN *txn, int64_t *gen)
{
	return store_gen_change(st, txn, STORE_CAMPAIGN, gen);
}

/* ---- counters ---- */

static int
stat_read(struct store *st, DB_TXN *txn, const char *name, u_int32_t flags,
    int64_t *value)
{
	DB *db = st->db[STORE_CAMP_STAT];
	unsigned char buf[8];
	DBT k = { .data = (void *)name, .size = (u_int32_t)strlen(name) };
	DBT d = { .data = buf, .ulen = sizeof buf, .flags = DB_DBT_USERMEM };
	int ret;

	*value = 0;
	ret = db->get(db, txn, &k, &d, flags);
	if (ret == DB_NOTFOUND)
		return HE_OK;
	if (ret != 0)
		return store_err(ret);
	if (d.size == 8)
		*value = (int64_t)store_u64_from(buf);
	return HE_OK;
}

int
store_camp_stat_get(struct store *st, DB_TXN *txn, const char *name,
    int64_t *value)
{
	return stat_read(st, txn, name, txn ? 0 : DB_READ_COMMITTED, value);
}

int
store_camp_stat_add(struct store *st, DB_TXN *txn, const char *name,
    int64_t delta)
{
	DB *db = st->db[STORE_CAMP_STAT];
	unsigned char buf[8];
	DBT k = { .data = (void *)name, .size = (u_int32_t)strlen(name) };
	DBT d = { .data = buf, .size = sizeof buf };
	int64_t v;
	int rc;

	if (delta == 0)
		return HE_OK;
	if ((rc = stat_read(st, txn, name, DB_RMW, &v)) != HE_OK)
		return rc;
	store_u64_key((uint64_t)(v + delta), buf);
	return store_err(db->put(db, txn, &k, &d, 0));
}

int
store_camp_stat_each(struct store *st, DB_TXN *txn, const char *prefix,
    int (*fn)(const char *name, int64_t value, void *ctx), void *ctx)
{
	DB *db = st->db[STORE_CAMP_STAT];
	size_t plen = strlen(prefix);
	DBT k = { .flags = DB_DBT_REALLOC }, d = { .flags = DB_DBT_REALLOC };
	DBC *cur;
	char name[256];
	int ret, rc = HE_OK;

	if ((k.data = malloc(plen + 1)) == NULL)
		return HE_NOMEM;
	memcpy(k.data, prefix, plen);
	k.size = (u_int32_t)plen;
	if ((ret = db->cursor(db, txn, &cur, 0)) != 0) {
		free(k.data);
		return store_err(ret);
	}
	for (ret = cur->get(cur, &k, &d, DB_SET_RANGE | DB_READ_COMMITTED);
	    ret == 0; ret = cur->get(cur, &k, &d, DB_NEXT | DB_READ_COMMITTED)) {
		if (k.size < plen || memcmp(k.data, prefix, plen) != 0)
			break;
		if (k.size >= sizeof name || d.size != 8)
			continue;
		memcpy(name, k.data, k.size);
		name[k.size] = '\0';
		if ((rc = fn(name, (int64_t)store_u64_from(d.data), ctx)) != HE_OK)
			break;
	}
	cur->close(cur);
	free(k.data);
	free(d.data);
	if (rc != HE_OK)
		return rc;
	return ret == 0 || ret == DB_NOTFOUND ? HE_OK : store_err(ret);
}
