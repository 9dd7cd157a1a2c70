/* verify.c: every secondary index checked against its primary, both ways */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/entities.h"
#include "store/store.h"
#include "util/he.h"

struct verify {
	void (*report)(const char *line, void *ctx);
	void *ctx;
	size_t problems;
};

static void
problem(struct verify *v, const char *fmt, const char *a, const char *b)
{
	char line[256];

	snprintf(line, sizeof line, fmt, a, b);
	v->report(line, v->ctx);
	v->problems++;
}

/* Every primary record has its entry in the index; returns how many should exist. */
static int
check_forward(struct store *st, DB_TXN *txn, int sidx, struct verify *v,
    size_t *expected)
{
	const struct store_dbdef *d = &store_dbdefs[sidx];
	DB *pdb = st->db[d->primary], *sdb = st->db[sidx];
	DBC *cur;
	DBT k = { .flags = DB_DBT_REALLOC }, data = { .flags = DB_DBT_REALLOC };
	int ret;

	*expected = 0;
	if ((ret = pdb->cursor(pdb, txn, &cur, 0)) != 0)
		return store_err(ret);
	while ((ret = cur->get(cur, &k, &data, DB_NEXT)) == 0) {
		DBT skey, *keys;
		u_int32_t nkeys;
		int kr = d->key(sdb, &k, &data, &skey);

		if (kr == DB_DONOTINDEX)
			continue;
		if (kr != 0) {
			problem(v, "%s: a record of %s cannot be indexed", d->file,
			    store_dbdefs[d->primary].file);
			continue;
		}
		/* An extractor gives one key, or several (DB_DBT_MULTIPLE). */
		keys = (skey.flags & DB_DBT_MULTIPLE) ? skey.data : &skey;
		nkeys = (skey.flags & DB_DBT_MULTIPLE) ? skey.size : 1;
		for (u_int32_t i = 0; i < nkeys; i++) {
			DBT pk = k, got = { .flags = DB_DBT_MALLOC };

			(*expected)++;
			pk.flags = 0;
			if (sdb->pget(sdb, txn, &keys[i], &pk, &got, DB_GET_BOTH) != 0)
				problem(v, "%s: missing the entry of a record in %s",
				    d->file, store_dbdefs[d->primary].file);
			free(got.data);
			if (keys[i].flags & DB_DBT_APPMALLOC)
				free(keys[i].data);
		}
		if (skey.flags & DB_DBT_MULTIPLE)
			free(skey.data);
	}
	cur->close(cur);
	free(k.data);
	free(data.data);
	return ret == DB_NOTFOUND ? HE_OK : store_err(ret);
}

/* Every index entry points at a live record; counts the entries. */
static int
check_backward(struct store *st, DB_TXN *txn, int sidx, struct verify *v,
    size_t *entries)
{
	DB *sdb = st->db[sidx];
	DBC *cur;
	DBT k = { .flags = DB_DBT_REALLOC }, pk = { .flags = DB_DBT_REALLOC };
	DBT data = { .flags = DB_DBT_REALLOC };
	int ret;

	*entries = 0;
	if ((ret = sdb->cursor(sdb, txn, &cur, 0)) != 0)
		return store_err(ret);
	while ((ret = cur->pget(cur, &k, &pk, &data, DB_NEXT)) == 0)
		(*entries)++;
	cur->close(cur);
	free(k.data);
	free(pk.data);
	free(data.data);
	if (ret == DB_SECONDARY_BAD) {
		problem(v, "%s: an entry points at a record missing from %s",
		    store_dbdefs[sidx].file,
		    store_dbdefs[store_dbdefs[sidx].primary].file);
		return HE_OK;
	}
	return ret == DB_NOTFOUND ? HE_OK : store_err(ret);
}

static int
check_consent_chains(struct store *st, DB_TXN *txn, struct verify *v)
{
	DB *pdb = st->db[STORE_CAND];
	DBC *cur;
	DBT k = { .flags = DB_DBT_REALLOC }, data = { .flags = DB_DBT_REALLOC };
	int ret;

	if ((ret = pdb->cursor(pdb, txn, &cur, 0)) != 0)
		return store_err(ret);
	while ((ret = cur->get(cur, &k, &data, DB_NEXT)) == 0) {
		size_t events;
		char id[24];
		json_t *cand = NULL;
		const char *head;
		int rc;

		snprintf(id, sizeof id, "%llu",
		    (unsigned long long)store_u64_from(k.data));
		if (store_rec_decode(data.data, data.size, &cand) != HE_OK) {
			problem(v, "candidates.db: the record of candidate %s is "
			    "unreadable%s", id, "");
			continue;
		}
		/* A record with events but no head fails the check: "" never
		 * matches a hash. */
		head = json_string_value(json_object_get(cand, "consent_head"));
		rc = store_consent_check(st, txn, store_u64_from(k.data),
		    head ? head : "", &events);
		json_decref(cand);
		if (rc == HE_INVALID)
			problem(v, "consent.db: the chain of candidate %s is broken%s",
			    id, "");
		else if (rc != HE_OK)
			problem(v, "consent.db: cannot read the chain of candidate %s%s",
			    id, "");
	}
	cur->close(cur);
	free(k.data);
	free(data.data);
	return ret == DB_NOTFOUND ? HE_OK : store_err(ret);
}

static int
verify_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct verify *v = arg;
	int rc;

	v->problems = 0;	/* a deadlock retry starts the count again */

	for (int i = 0; i < STORE__MAX; i++) {
		size_t expected, entries;
		char a[24], b[24];

		if (store_dbdefs[i].primary < 0)
			continue;
		if ((rc = check_forward(st, txn, i, v, &expected)) != HE_OK ||
		    (rc = check_backward(st, txn, i, v, &entries)) != HE_OK)
			return rc;
		if (entries != expected) {
			snprintf(a, sizeof a, "%zu", entries);
			snprintf(b, sizeof b, "%zu", expected);
			problem(v, "an index holds %s entries where its records need %s",
			    a, b);
		}
	}
	return check_consent_chains(st, txn, v);
}

int
store_verify(struct store *st, void (*report)(const char *line, void *ctx),
    void *ctx, size_t *problems)
{
	struct verify v = { report, ctx, 0 };
	int rc;

	rc = store_txn(st, verify_txn, &v);
	*problems = v.problems;
	return rc;
}
