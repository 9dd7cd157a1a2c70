/* cand_verify.c: the postings index checked against the candidate records */
#include <stdio.h>
#include <stdlib.h>

#include "crm/candidates.h"
#include "crm/index.h"
#include "store/postings.h"
#include "store/store.h"
#include "util/he.h"

#define REPORT_MAX 50

struct check {
	struct store *st;
	void (*report)(const char *line, void *ctx);
	void *ctx;
	size_t *problems;
	uint64_t expected;	/* (key, id) pairs the records call for */
};

static void
problem(struct check *c, const char *msg, const char *key, uint64_t id)
{
	char line[256];

	if ((*c->problems)++ >= REPORT_MAX)
		return;
	snprintf(line, sizeof line, "postings: %s: key %s, candidate %llu", msg,
	    key, (unsigned long long)id);
	c->report(line, c->ctx);
}

static int
check_record(struct check *c, uint64_t id, json_t *rec)
{
	struct cand_keyset ks;
	int rc;

	keyset_init(&ks);
	if ((rc = cand_keys(c->st, rec, &ks)) != HE_OK) {
		keyset_free(&ks);
		return rc;
	}
	c->expected += ks.n;
	for (size_t i = 0; i < ks.n; i++) {
		rc = store_post_has(c->st, NULL, keyset_at(&ks, i), (uint32_t)id);
		if (rc == HE_NOTFOUND)
			problem(c, "missing", keyset_at(&ks, i), id);
		else if (rc != HE_OK)
			break;
		rc = HE_OK;
	}
	keyset_free(&ks);
	return rc;
}

static int
count_pair(const char *key, uint32_t id, void *ctx)
{
	(void)key;
	(void)id;
	(*(uint64_t *)ctx)++;
	return HE_OK;
}

int
cand_index_verify(struct store *st, void (*report)(const char *line,
    void *ctx), void *ctx, size_t *problems)
{
	struct check c = { st, report, ctx, problems, 0 };
	DB *db = st->db[STORE_CAND];
	DBC *cur;
	DBT k = { .flags = DB_DBT_REALLOC }, d = { .flags = DB_DBT_REALLOC };
	uint64_t stored = 0;
	int ret, rc = HE_OK;

	if ((ret = db->cursor(db, NULL, &cur, 0)) != 0)
		return store_err(ret);
	while (rc == HE_OK &&
	    (ret = cur->get(cur, &k, &d, DB_NEXT | DB_READ_COMMITTED)) == 0) {
		json_t *rec;

		if (k.size != 8 || store_rec_decode(d.data, d.size, &rec) != HE_OK) {
			problem(&c, "unreadable candidate record", "-", 0);
			continue;
		}
		rc = check_record(&c, store_u64_from(k.data), rec);
		json_decref(rec);
	}
	cur->close(cur);
	free(k.data);
	free(d.data);
	if (rc != HE_OK)
		return rc;
	if (ret != DB_NOTFOUND)
		return store_err(ret);
	/* Nothing missing and as many pairs as called for: nothing extra. */
	if ((rc = store_post_each(st, NULL, count_pair, &stored)) != HE_OK)
		return rc;
	if (stored != c.expected) {
		char line[160];

		snprintf(line, sizeof line, "postings: %llu entries for %llu that the "
		    "records call for", (unsigned long long)stored,
		    (unsigned long long)c.expected);
		if ((*problems)++ < REPORT_MAX)
			report(line, ctx);
	}
	return HE_OK;
}
