/* pool.c: static and dynamic pools, kept on write (see pool.h) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm/candidates.h"
#include "crm/clock.h"
#include "crm/index.h"
#include "crm/pool.h"
#include "crm/query.h"
#include "store/entities.h"
#include "store/pool.h"
#include "store/postings.h"
#include "store/store.h"
#include "util/he.h"
#include "util/text.h"

/* Bumped by every change to a dynamic pool's filter: processes compile
 * the filters again when it moved. */
#define POOLS_GENERATION "pools_generation"

/* The compiled dynamic pools of this process. */
static struct {
	int64_t generation;
	int loaded;
	size_t n;
	uint64_t *ids;
	struct query_plan **plans;
} dyn;

/* A pool being deleted is gone for every reader. */
static int
pool_gone(json_t *pool)
{
	return strcmp(json_string_value(json_object_get(pool, "state")) ?: "",
	    "deleting") == 0;
}

static void
dyn_clear(void)
{
	for (size_t i = 0; i < dyn.n; i++)
		query_plan_free(dyn.plans[i]);
	free(dyn.ids);
	free(dyn.plans);
	memset(&dyn, 0, sizeof dyn);
}

struct load {
	struct store *st;
	int rc;
};

static int
load_pool(uint64_t id, json_t *body, void *ctx)
{
	struct load *l = ctx;
	struct cand_query q;
	struct query_plan *plan;
	uint64_t *ids;
	struct query_plan **plans;
	int rc;

	if (strcmp(json_string_value(json_object_get(body, "kind")) ?: "",
	    "dynamic") != 0 || strcmp(json_string_value(json_object_get(body,
	    "state")) ?: "", "deleting") == 0)
		return HE_OK;
	if ((rc = cand_query_from_json(json_object_get(body, "query"), &q)) != HE_OK ||
	    (rc = query_plan_new(l->st, &q, &plan)) != HE_OK)
		return rc;
	ids = realloc(dyn.ids, (dyn.n + 1) * sizeof *ids);
	if (ids)
		dyn.ids = ids;
	plans = realloc(dyn.plans, (dyn.n + 1) * sizeof *plans);
	if (plans)
		dyn.plans = plans;
	if (ids == NULL || plans == NULL) {
		query_plan_free(plan);
		return HE_NOMEM;
	}
	dyn.ids[dyn.n] = id;
	dyn.plans[dyn.n++] = plan;
	return HE_OK;
}

static int
dyn_load(struct store *st, DB_TXN *txn)
{
	struct load l = { st, HE_OK };
	int64_t gen = 0;
	int rc = store_setting_get(st, txn, POOLS_GENERATION, &gen);

	if (rc != HE_OK && rc != HE_NOTFOUND)
		return rc;
	if (dyn.loaded && dyn.generation == gen)
		return HE_OK;
	dyn_clear();
	if ((rc = store_pool_each(st, txn, load_pool, &l)) != HE_OK) {
		dyn_clear();
		return rc;
	}
	dyn.generation = gen;
	dyn.loaded = 1;
	return HE_OK;
}

int
pool_dynamic_match(struct store *st, DB_TXN *txn, const struct cand_keyset *ks,
    json_t **dpools)
{
	int rc;

	*dpools = NULL;
	if ((rc = dyn_load(st, txn)) != HE_OK)
		return rc;
	if ((*dpools = json_array()) == NULL)
		return HE_NOMEM;
	for (size_t i = 0; i < dyn.n; i++)
		if (query_plan_matches(dyn.plans[i], ks) &&
		    json_array_append_new(*dpools, json_integer((json_int_t)dyn.ids[i])))
			return HE_NOMEM;
	return HE_OK;
}

struct create {
	json_t *body;
	uint64_t id;
	int dynamic;
};

static int
create_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct create *c = arg;
	int rc = store_pool_put(st, txn, c->id, c->body);

	if (rc == HE_OK && c->dynamic)
		rc = store_setting_add(st, txn, POOLS_GENERATION, 1);
	return rc;
}

int
pool_create(struct store *st, const char *name, const struct cand_query *q,
    uint64_t by, uint64_t *id)
{
	struct create c = { NULL, 0, q != NULL };
	json_t *query = NULL;
	size_t chars = text_chars(name);
	int rc;

	if (chars == 0 || chars > POOL_NAME_MAX)
		return HE_INVALID;
	if (q) {
		json_t *pool;

		/* A filter on a dynamic pool would depend on the order in
		 * which the pools of one write are evaluated. */
		if (q->pool && pool_get(st, q->pool, &pool, NULL) == HE_OK) {
			int dynamic = strcmp(json_string_value(json_object_get(pool,
			    "kind")) ?: "", "dynamic") == 0;

			json_decref(pool);
			if (dynamic)
				return HE_INVALID;
		}
		if ((query = cand_query_to_json(q)) == NULL)
			return HE_NOMEM;
	}
	c.body = json_pack("{s:s, s:s, s:s, s:I, s:I}", "name", name, "kind",
	    q ? "dynamic" : "static", "state", q ? "building" : "ready",
	    "created", (json_int_t)clock_now(), "by", (json_int_t)by);
	if (c.body == NULL || (query && json_object_set_new(c.body, "query", query))) {
		json_decref(c.body);
		return HE_NOMEM;
	}
	if ((rc = store_next_id(st, SEQ_POOL, &c.id)) == HE_OK &&
	    (rc = store_txn(st, create_txn, &c)) == HE_OK)
		*id = c.id;
	json_decref(c.body);
	return rc;
}

struct get {
	uint64_t id;
	json_t *pool;
	uint64_t count;
};

static int
get_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct get *g = arg;
	char key[32];
	int rc;

	snprintf(key, sizeof key, "pool:%llu", (unsigned long long)g->id);
	if ((rc = store_pool_get(st, txn, g->id, 0, &g->pool)) != HE_OK)
		return rc;
	if (pool_gone(g->pool))
		rc = HE_NOTFOUND;
	else
		rc = store_post_count(st, txn, key, &g->count);
	if (rc != HE_OK) {
		json_decref(g->pool);
		g->pool = NULL;
	}
	return rc;
}

int
pool_get(struct store *st, uint64_t id, json_t **pool, uint64_t *count)
{
	struct get g = { id, NULL, 0 };
	int rc = store_txn(st, get_txn, &g);

	if (rc == HE_OK) {
		*pool = g.pool;
		if (count)
			*count = g.count;
	}
	return rc;
}

static int
list_pool(uint64_t id, json_t *body, void *ctx)
{
	json_t *arr = ctx;

	if (pool_gone(body))
		return HE_OK;
	return json_array_append_new(arr, json_pack("{s:I, s:O, s:O, s:O}",
	    "id", (json_int_t)id, "name", json_object_get(body, "name"),
	    "kind", json_object_get(body, "kind"), "state",
	    json_object_get(body, "state"))) ? HE_NOMEM : HE_OK;
}

struct list {
	json_t *pools;
	int counts;
};

static int
list_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct list *l = arg;
	size_t i;
	json_t *p;
	int rc;

	json_array_clear(l->pools);
	if ((rc = store_pool_each(st, txn, list_pool, l->pools)) != HE_OK ||
	    !l->counts)
		return rc;
	json_array_foreach(l->pools, i, p) {
		char key[32];
		uint64_t n;

		snprintf(key, sizeof key, "pool:%lld",
		    (long long)json_integer_value(json_object_get(p, "id")));
		if ((rc = store_post_count(st, txn, key, &n)) != HE_OK)
			return rc;
		json_object_set_new(p, "count", json_integer((json_int_t)n));
	}
	return HE_OK;
}

static int
list_pools(struct store *st, json_t **pools, int counts)
{
	struct list l = { json_array(), counts };
	int rc;

	if (l.pools == NULL)
		return HE_NOMEM;
	if ((rc = store_txn(st, list_txn, &l)) != HE_OK) {
		json_decref(l.pools);
		return rc;
	}
	*pools = l.pools;
	return HE_OK;
}

int
pool_list(struct store *st, json_t **pools)
{
	return list_pools(st, pools, 1);
}

int
pool_names(struct store *st, json_t **pools)
{
	return list_pools(st, pools, 0);
}

int
pool_member_set(struct store *st, DB_TXN *txn, uint64_t id, uint64_t cand,
    int member)
{
	json_t *pool, *rec, *old, *pools, *v;
	size_t i;
	int rc, dynamic, found = 0;

	if ((rc = store_pool_get(st, txn, id, 0, &pool)) != HE_OK)
		return rc;
	dynamic = strcmp(json_string_value(json_object_get(pool, "kind")) ?: "",
	    "static") != 0;
	if (pool_gone(pool)) {
		json_decref(pool);
		return HE_NOTFOUND;
	}
	json_decref(pool);
	if (dynamic)
		return HE_INVALID;
	if ((rc = store_cand_get(st, txn, cand, 1, &old)) != HE_OK)
		return rc;
	rec = json_deep_copy(old);
	pools = json_object_get(rec, "pools");
	if (!json_is_array(pools)) {
		pools = json_array();
		json_object_set_new(rec, "pools", pools);
	}
	json_array_foreach(pools, i, v)
		if ((uint64_t)json_integer_value(v) == id) {
			found = 1;
			if (!member)
				json_array_remove(pools, i);
			break;
		}
	if (member == found) {	/* nothing to change */
		json_decref(rec);
		json_decref(old);
		return HE_OK;
	}
	if (member)
		json_array_append_new(pools, json_integer((json_int_t)id));
	rc = cand_write(st, txn, cand, old, rec);
	json_decref(rec);
	json_decref(old);
	return rc;
}

struct member {
	uint64_t pool, cand;
	int member;
};

static int
member_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct member *m = arg;

	return pool_member_set(st, txn, m->pool, m->cand, m->member);
}

int
pool_member_change(struct store *st, uint64_t id, uint64_t cand, int member)
{
	struct member m = { id, cand, member };

	return store_txn(st, member_txn, &m);
}

/* ---- building a new dynamic pool over the existing candidates ---- */

struct build {
	uint64_t pool, next;
	size_t limit;
	int finished;
	json_t *rec;		/* the pool, read with a lock */
};

static int
json_has_id(json_t *arr, uint64_t id)
{
	size_t i;
	json_t *v;

	json_array_foreach(arr, i, v)
		if ((uint64_t)json_integer_value(v) == id)
			return 1;
	return 0;
}

static int
build_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct build *b = arg;
	DB *db = st->db[STORE_CAND];
	DBC *cur;
	unsigned char key[8];
	DBT k = { .data = key, .size = sizeof key, .ulen = sizeof key,
	    .flags = DB_DBT_USERMEM };
	DBT d = { .flags = DB_DBT_PARTIAL };	/* ids only: records are read
						 * with a lock when they change */
	uint64_t ids[POOL_BUILD_MAX];
	size_t n = 0;
	int ret, rc = HE_OK;

	if ((rc = store_pool_get(st, txn, b->pool, 1, &b->rec)) != HE_OK)
		return rc;
	if (strcmp(json_string_value(json_object_get(b->rec, "state")) ?: "",
	    "building") != 0) {
		b->finished = 1;
		return HE_OK;
	}
	b->next = (uint64_t)json_integer_value(json_object_get(b->rec, "next"));
	if ((ret = db->cursor(db, txn, &cur, 0)) != 0)
		return store_err(ret);
	store_u64_key(b->next, key);
	ret = cur->get(cur, &k, &d, DB_SET_RANGE | DB_READ_COMMITTED);
	while (ret == 0 && n < b->limit && n < sizeof ids / sizeof *ids) {
		ids[n++] = store_u64_from(key);
		ret = cur->get(cur, &k, &d, DB_NEXT | DB_READ_COMMITTED);
	}
	cur->close(cur);
	if (ret != 0 && ret != DB_NOTFOUND)
		return store_err(ret);
	b->finished = ret == DB_NOTFOUND;
	for (size_t i = 0; rc == HE_OK && i < n; i++) {
		struct cand_keyset ks;
		json_t *old, *dp = NULL;
		int member = 0;

		if ((rc = store_cand_get(st, txn, ids[i], 1, &old)) != HE_OK)
			break;
		keyset_init(&ks);
		if ((rc = cand_keys(st, old, &ks)) == HE_OK &&
		    (rc = pool_dynamic_match(st, txn, &ks, &dp)) == HE_OK)
			member = json_has_id(dp, b->pool);
		/* Rewritten only when the pool's membership differs. */
		if (rc == HE_OK && member != json_has_id(json_object_get(old,
		    "dpools"), b->pool)) {
			json_t *rec = json_deep_copy(old);

			/* Derived, not an edit: the record does not look fresh. */
			rc = rec ? cand_refresh(st, txn, ids[i], old, rec) : HE_NOMEM;
			json_decref(rec);
		}
		json_decref(dp);
		keyset_free(&ks);
		json_decref(old);
	}
	if (rc != HE_OK)
		return rc;
	if (n > 0)
		json_object_set_new(b->rec, "next",
		    json_integer((json_int_t)(ids[n - 1] + 1)));
	if (b->finished) {
		json_object_set_new(b->rec, "state", json_string("ready"));
		json_object_del(b->rec, "next");
	}
	return store_pool_put(st, txn, b->pool, b->rec);
}

int
pool_build_step(struct store *st, uint64_t id, size_t limit, int *finished)
{
	struct build b = { id, 0, limit, 0, NULL };
	int rc;

	*finished = 0;
	rc = store_txn(st, build_txn, &b);
	json_decref(b.rec);
	if (rc == HE_OK)
		*finished = b.finished;
	return rc;
}

/* ---- deleting a pool: its members leave it in steps ---- */

struct deletion {
	uint64_t pool;
	size_t limit;
	int finished;
};

static int
delete_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct deletion *d = arg;
	roaring_bitmap_t *ids = roaring_bitmap_create();
	roaring_uint32_iterator_t *it;
	char key[32];
	size_t n = 0;
	int rc;

	if (ids == NULL)
		return HE_NOMEM;
	snprintf(key, sizeof key, "pool:%llu", (unsigned long long)d->pool);
	if ((rc = store_post_read(st, txn, key, ids)) != HE_OK) {
		roaring_bitmap_free(ids);
		return rc;
	}
	it = roaring_create_iterator(ids);
	for (; rc == HE_OK && it->has_value && n < d->limit;
	    roaring_advance_uint32_iterator(it), n++) {
		json_t *old, *rec, *pools, *v;
		size_t i;

		if ((rc = store_cand_get(st, txn, it->current_value, 1, &old)) != HE_OK)
			break;
		if ((rec = json_deep_copy(old)) == NULL) {
			json_decref(old);
			rc = HE_NOMEM;
			break;
		}
		pools = json_object_get(rec, "pools");
		json_array_foreach(pools, i, v)
			if ((uint64_t)json_integer_value(v) == d->pool) {
				json_array_remove(pools, i);
				break;
			}
		/* A dynamic pool that is being deleted matches no one; a pool's
		 * end is no edit of its members (they do not look fresh). */
		rc = cand_refresh(st, txn, it->current_value, old, rec);
		json_decref(rec);
		json_decref(old);
	}
	d->finished = rc == HE_OK && !it->has_value;
	roaring_free_uint32_iterator(it);
	roaring_bitmap_free(ids);
	if (rc == HE_OK && d->finished)
		rc = store_pool_del(st, txn, d->pool);
	return rc;
}

static int
mark_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct deletion *d = arg;
	json_t *pool;
	int rc;

	if ((rc = store_pool_get(st, txn, d->pool, 1, &pool)) != HE_OK)
		return rc;
	json_object_set_new(pool, "state", json_string("deleting"));
	if ((rc = store_pool_put(st, txn, d->pool, pool)) == HE_OK)
		rc = store_setting_add(st, txn, POOLS_GENERATION, 1);
	json_decref(pool);
	return rc;
}

int
pool_delete(struct store *st, uint64_t id)
{
	struct deletion d = { id, 0, 0 };

	return store_txn(st, mark_txn, &d);
}

/* ---- the worker's share: pools building or being deleted ---- */

struct building {
	uint64_t id;
	int deleting;
};

static int
find_building(uint64_t id, json_t *body, void *ctx)
{
	struct building *b = ctx;
	const char *state = json_string_value(json_object_get(body, "state")) ?: "";

	if (strcmp(state, "building") == 0 || strcmp(state, "deleting") == 0) {
		b->id = id;
		b->deleting = state[0] == 'd';
		return HE_EXISTS;
	}
	return HE_OK;
}

static int
building_txn(struct store *st, DB_TXN *txn, void *arg)
{
	int rc = store_pool_each(st, txn, find_building, arg);

	return rc == HE_EXISTS ? HE_OK : rc;
}

int
pool_build_some(struct store *st, size_t limit, int *worked)
{
	struct building b = { 0 };
	int finished, rc;

	*worked = 0;
	if ((rc = store_txn(st, building_txn, &b)) != HE_OK || b.id == 0)
		return rc;
	*worked = 1;
	if (b.deleting) {
		struct deletion d = { b.id, limit, 0 };

		return store_txn(st, delete_txn, &d);
	}
	return pool_build_step(st, b.id, limit, &finished);
}
