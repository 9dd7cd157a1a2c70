/* job.c: background job records and the index of open ones */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "store/job.h"
#include "store/store.h"
#include "util/he.h"

int
store_job_open_key(DB *sdb, const DBT *pkey, const DBT *pdata, DBT *skey)
{
	void *copy;

	(void)sdb;
	if (!store_rec_field_is(pdata, "state", "queued") &&
	    !store_rec_field_is(pdata, "state", "running"))
		return DB_DONOTINDEX;
	if ((copy = malloc(pkey->size)) == NULL)
		return ENOMEM;
	memcpy(copy, pkey->data, pkey->size);
	memset(skey, 0, sizeof *skey);
	skey->data = copy;
	skey->size = pkey->size;
	skey->flags = DB_DBT_APPMALLOC;
	return 0;
}

int
store_job_insert(struct store *st, DB_TXN *txn, json_t *body, uint64_t *id)
{
	unsigned char key[8];
	int rc;

	if ((rc = store_next_id(st, SEQ_JOB, id)) != HE_OK)
		return rc;
	store_u64_key(*id, key);
	return store_put_rec(st, txn, STORE_JOB, key, sizeof key, body,
	    DB_NOOVERWRITE);
}

int
store_job_get(struct store *st, DB_TXN *txn, uint64_t id, int rmw,
    json_t **body)
{
	unsigned char key[8];

	store_u64_key(id, key);
	return store_get_rec(st, txn, STORE_JOB, key, sizeof key, rmw, body);
}

int
store_job_put(struct store *st, DB_TXN *txn, uint64_t id, json_t *body)
{
	unsigned char key[8];

	store_u64_key(id, key);
	return store_put_rec(st, txn, STORE_JOB, key, sizeof key, body, 0);
}

int
store_job_open_each(struct store *st, DB_TXN *txn,
    int (*fn)(uint64_t id, void *ctx), void *ctx)
{
	DB *idx = st->db[STORE_JOB_OPEN];
	DBT k = { .flags = DB_DBT_REALLOC };
	DBT d = { .flags = DB_DBT_PARTIAL };	/* the key is the id */
	DBC *cur;
	int ret, rc = HE_OK;

	if ((ret = idx->cursor(idx, txn, &cur, 0)) != 0)
		return store_err(ret);
	/* Read committed: no lock is kept behind the walk. */
	for (ret = cur->get(cur, &k, &d, DB_FIRST | DB_READ_COMMITTED); ret == 0;
	    ret = cur->get(cur, &k, &d, DB_NEXT | DB_READ_COMMITTED)) {
		if (k.size != 8)
			continue;
		if ((rc = fn(store_u64_from(k.data), ctx)) != HE_OK)
			break;
	}
	cur->close(cur);
	free(k.data);
	if (rc != HE_OK)
		return rc;
	return ret == DB_NOTFOUND ? HE_OK : store_err(ret);
}

int
store_job_newest(struct store *st, DB_TXN *txn, uint64_t user, size_t offset,
    size_t limit, int (*fn)(uint64_t id, json_t *job, void *ctx), void *ctx)
{
	DB *db = st->db[STORE_JOB];
	DBT k = { .flags = DB_DBT_REALLOC }, d = { .flags = DB_DBT_REALLOC };
	DBC *cur;
	size_t pos = 0;
	int ret, rc = HE_OK;

	if ((ret = db->cursor(db, txn, &cur, 0)) != 0)
		return store_err(ret);
	for (ret = cur->get(cur, &k, &d, DB_LAST | DB_READ_COMMITTED);
	    ret == 0 && pos < offset + limit;
	    ret = cur->get(cur, &k, &d, DB_PREV | DB_READ_COMMITTED)) {
		json_t *job;

		if ((rc = store_rec_decode(d.data, d.size, &job)) != HE_OK)
			break;
		if (user && (uint64_t)json_integer_value(json_object_get(job,
		    "user")) != user) {
			json_decref(job);
			continue;
		}
		if (pos++ >= offset)
			rc = fn(store_u64_from(k.data), job, ctx);
		json_decref(job);
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
