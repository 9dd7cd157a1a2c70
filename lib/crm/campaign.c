/* campaign.c: campaign definitions, their states, their counters and the per-process cache */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm/campaign.h"
#include "crm/campaign_int.h"
#include "crm/clock.h"
#include "store/campaign.h"
#include "store/pool.h"
#include "store/store.h"
#include "util/he.h"

static const char *const state_names[] = { "draft", "active", "paused",
	"archived", NULL };

int
camp_state_of(const char *s)
{
	for (int i = 0; s && state_names[i]; i++)
		if (strcmp(s, state_names[i]) == 0)
			return i;
	return CAMP_ST_DRAFT;
}

int
camp_changed(struct store *st, DB_TXN *txn)
{
	return store_campaign_gen_bump(st, txn, NULL);
}

/* ---- the per-process cache ---- */

static struct camp_set *cached;

void
camp_set_put(struct camp_set *s)
{
	if (s == NULL || --s->refs > 0)
		return;
	for (size_t i = 0; i < s->n; i++) {
		json_decref(s->c[i].rec);
		free(s->c[i].pools);
	}
	free(s->c);
	free(s);
}

static int
set_add(uint64_t id, json_t *rec, void *ctx)
{
	struct camp_set *s = ctx;
	struct camp_one *c, *grown;
	json_t *pools = json_object_get(rec, "pools"), *v;
	size_t i;

	if ((grown = realloc(s->c, (s->n + 1) * sizeof *s->c)) == NULL)
		return HE_NOMEM;
	s->c = grown;
	c = &s->c[s->n];
	memset(c, 0, sizeof *c);
	if ((c->pools = calloc(json_array_size(pools) + 1, sizeof *c->pools)) == NULL)
		return HE_NOMEM;
	s->n++;
	c->id = id;
	c->rec = json_incref(rec);
	c->state = camp_state_of(json_string_value(json_object_get(rec, "state")));
	c->is_auto = json_is_true(json_object_get(rec, "auto"));
	json_array_foreach(pools, i, v)
		if (json_is_integer(v))
			c->pools[c->npools++] = (uint64_t)json_integer_value(v);
	if (c->is_auto && c->state == CAMP_ST_ACTIVE && c->npools)
		s->any_auto = 1;
	return HE_OK;
}

int
camp_set_get(struct store *st, DB_TXN *txn, struct camp_set **out)
{
	struct camp_set *s;
	int64_t gen;
	int rc;

	*out = NULL;
	if ((rc = store_campaign_gen(st, txn, &gen)) != HE_OK)
		return rc;
	if (cached && cached->st == st && cached->gen == gen) {
		cached->refs++;
		*out = cached;
		return HE_OK;
	}
	if ((s = calloc(1, sizeof *s)) == NULL)
		return HE_NOMEM;
	s->refs = 1;
	s->gen = gen;
	s->st = st;
	if (gen != 0 && (rc = store_campaign_each(st, txn, set_add, s)) != HE_OK) {
		camp_set_put(s);
		return rc;
	}
	camp_set_put(cached);
	cached = s;
	s->refs++;
	*out = s;
	return HE_OK;
}

const struct camp_one *
camp_set_find(const struct camp_set *s, uint64_t id)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->c[i].id == id)
			return &s->c[i];
	return NULL;
}

static int
has_id(const json_t *arr, uint64_t id)
{
	size_t i;
	json_t *v;

	json_array_foreach(arr, i, v)
		if ((uint64_t)json_integer_value(v) == id)
			return 1;
	return 0;
}

int
camp_in_audience(const struct camp_one *c, const json_t *pools,
    const json_t *dpools)
{
	for (size_t i = 0; i < c->npools; i++)
		if (has_id(pools, c->pools[i]) || has_id(dpools, c->pools[i]))
			return 1;
	return 0;
}

/* ---- counters ---- */

int
campaign_stat_add(struct store *st, DB_TXN *txn, uint64_t camp, int step,
    int variant, const char *metric, int64_t delta)
{
	char name[128];

	if (step < -1 || variant < -1 || metric == NULL || strchr(metric, ':'))
		return HE_INVALID;
	snprintf(name, sizeof name, "camp:%llu:%d:%d:%s", (unsigned long long)camp,
	    step, variant, metric);
	return store_camp_stat_add(st, txn, name, delta);
}

static int
stat_get(struct store *st, uint64_t camp, const char *metric, int64_t *v)
{
	char name[128];

	snprintf(name, sizeof name, "camp:%llu:-1:-1:%s", (unsigned long long)camp,
	    metric);
	return store_camp_stat_get(st, NULL, name, v);
}

static int
stats_one(const char *name, int64_t value, void *ctx)
{
	json_t *out = ctx, *steps = json_object_get(out, "steps"), *s, *v;
	char step[16], variant[16], metric[64];
	unsigned long long camp;
	int n = -1;

	if (sscanf(name, "camp:%llu:%15[-0-9]:%15[-0-9]:%63s%n", &camp, step,
	    variant, metric, &n) != 4 || n < 0)
		return HE_OK;
	if (strcmp(step, "-1") == 0) {
		json_object_set_new(out, metric, json_integer(value));
		return HE_OK;
	}
	if ((s = json_object_get(steps, step)) == NULL)
		json_object_set_new(steps, step, s = json_object());
	if ((v = json_object_get(s, variant)) == NULL)
		json_object_set_new(s, variant, v = json_object());
	if (v == NULL)
		return HE_NOMEM;
	/* Per step and variant; "converted" and "unsubscribed" also in all. */
	json_object_set_new(v, metric, json_integer(value));
	if (strcmp(metric, "converted") == 0 || strcmp(metric, "unsubscribed") == 0)
		json_object_set_new(out, metric, json_integer(value +
		    json_integer_value(json_object_get(out, metric))));
	return HE_OK;
}

int
campaign_stats(struct store *st, uint64_t camp, json_t **out)
{
	char prefix[40];
	json_t *o = json_pack("{s:{}, s:i, s:i, s:i, s:i, s:i}", "steps",
	    "enrolled", 0, "active", 0, "members", 0, "converted", 0,
	    "unsubscribed", 0);
	int rc;

	*out = NULL;
	if (o == NULL)
		return HE_NOMEM;
	snprintf(prefix, sizeof prefix, "camp:%llu:", (unsigned long long)camp);
	if ((rc = store_camp_stat_each(st, NULL, prefix, stats_one, o)) != HE_OK) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return HE_OK;
}

/* ---- definitions ---- */

/* What only the store can tell: the pools exist, and steps that add to or
 * remove from a pool name a static one. */
static int
check_pools(struct store *st, DB_TXN *txn, json_t *body, json_t *errors)
{
	json_t *v, *pool;
	size_t i;
	int rc;

	json_array_foreach(json_object_get(body, "pools"), i, v) {
		rc = store_pool_get(st, txn, (uint64_t)json_integer_value(v), 0, &pool);
		if (rc == HE_NOTFOUND || (rc == HE_OK && strcmp(json_string_value(
		    json_object_get(pool, "state")) ?: "", "deleting") == 0)) {
			json_object_set_new(errors, "pools", json_string(
			    "One of these pools no longer exists."));
			json_decref(pool);
			break;
		}
		json_decref(pool);
		if (rc != HE_OK)
			return rc;
	}
	json_array_foreach(json_object_get(body, "steps"), i, v) {
		char field[48];

		if (!camp_step_is(v, "pool_add") && !camp_step_is(v, "pool_remove"))
			continue;
		rc = store_pool_get(st, txn, (uint64_t)json_integer_value(
		    json_object_get(v, "pool")), 0, &pool);
		if (rc != HE_OK && rc != HE_NOTFOUND)
			return rc;
		snprintf(field, sizeof field, "steps.%zu.pool", i);
		if (rc == HE_NOTFOUND)
			json_object_set_new(errors, field, json_string(
			    "This pool no longer exists."));
		else if (strcmp(json_string_value(json_object_get(pool, "kind")) ?: "",
		    "static") != 0)
			json_object_set_new(errors, field, json_string(
			    "People are added to or removed from static pools only: "
			    "a dynamic pool follows its filter."));
		json_decref(pool);
	}
	return json_object_size(errors) ? HE_INVALID : HE_OK;
}

/* Copies the editable fields of body into rec, normalised. */
static int
set_fields(json_t *rec, json_t *body)
{
	json_t *win = json_object_get(body, "window");
	json_t *pools = json_object_get(body, "pools");
	json_t *steps = json_object_get(body, "steps");
	const char *goal = json_string_value(json_object_get(body, "goal"));
	json_t *w = json_pack("{s:I, s:I, s:b}",
	    "from", json_is_integer(json_object_get(win, "from")) ?
	    json_integer_value(json_object_get(win, "from")) : (json_int_t)0,
	    "to", json_is_integer(json_object_get(win, "to")) ?
	    json_integer_value(json_object_get(win, "to")) : (json_int_t)24,
	    "weekdays", json_is_true(json_object_get(win, "weekdays")));

	if (w == NULL ||
	    json_object_set_new(rec, "name", json_string(json_string_value(
	    json_object_get(body, "name")))) ||
	    json_object_set_new(rec, "pools", pools ? json_deep_copy(pools) :
	    json_array()) ||
	    json_object_set_new(rec, "auto", json_boolean(json_is_true(
	    json_object_get(body, "auto")))) ||
	    json_object_set_new(rec, "goal", json_string(goal ? goal : "")) ||
	    json_object_set_new(rec, "window", w) ||
	    json_object_set_new(rec, "steps", steps ? json_deep_copy(steps) :
	    json_array()))
		return HE_NOMEM;
	return HE_OK;
}

struct edit {
	uint64_t id, by;
	int64_t gen;
	json_t *body;
	json_t *errors;
	const char *state;
};

static int
create_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct edit *e = arg;
	int64_t now = clock_now();
	json_t *rec;
	int rc;

	json_object_clear(e->errors);
	if ((rc = check_pools(st, txn, e->body, e->errors)) != HE_OK)
		return rc;
	rec = json_pack("{s:s, s:I, s:I, s:I, s:I}", "state", "draft",
	    "owner", (json_int_t)e->by, "created", (json_int_t)now,
	    "updated", (json_int_t)now, "gen", (json_int_t)1);
	if (rec == NULL || (rc = set_fields(rec, e->body)) != HE_OK) {
		json_decref(rec);
		return HE_NOMEM;
	}
	rc = store_campaign_put(st, txn, e->id, rec);
	json_decref(rec);
	return rc == HE_OK ? camp_changed(st, txn) : rc;
}

int
campaign_create(struct store *st, json_t *body, uint64_t by, uint64_t *id,
    json_t **errors)
{
	struct edit e = { .by = by, .body = body };
	int rc;

	*errors = NULL;
	if ((rc = campaign_validate(body, errors)) != HE_OK)
		return rc;
	if ((rc = store_next_id(st, SEQ_CAMPAIGN, &e.id)) != HE_OK)
		return rc;
	if ((e.errors = json_object()) == NULL)
		return HE_NOMEM;
	rc = store_txn(st, create_txn, &e);
	if (rc == HE_INVALID) {
		*errors = e.errors;
		return rc;
	}
	json_decref(e.errors);
	if (rc == HE_OK)
		*id = e.id;
	return rc;
}

/* The A/B looks a step had stay through an edit (the editor does not send
 * them back): a threshold looked at is never looked at again (sequence.c). */
static void
keep_looks(json_t *steps, json_t *was)
{
	size_t i;
	json_t *s;

	json_array_foreach(steps, i, s) {
		json_t *old = json_object_get(json_array_get(was, i), "ab_looks");

		if (json_is_integer(old) && json_integer_value(old) >
		    json_integer_value(json_object_get(s, "ab_looks")))
			json_object_set(s, "ab_looks", old);
	}
}

static int
update_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct edit *e = arg;
	json_t *rec, *was;
	int rc, state;

	json_object_clear(e->errors);
	if ((rc = store_campaign_get(st, txn, e->id, 1, &rec)) != HE_OK)
		return rc;
	state = camp_state_of(json_string_value(json_object_get(rec, "state")));
	if (json_integer_value(json_object_get(rec, "gen")) != e->gen) {
		json_decref(rec);
		return HE_CONFLICT;
	}
	if (state == CAMP_ST_ARCHIVED) {
		json_object_set_new(e->errors, "state", json_string(
		    "An archived campaign cannot be changed."));
		json_decref(rec);
		return HE_INVALID;
	}
	if ((rc = check_pools(st, txn, e->body, e->errors)) != HE_OK) {
		json_decref(rec);
		return rc;
	}
	was = json_incref(json_object_get(rec, "steps"));
	if ((rc = set_fields(rec, e->body)) != HE_OK) {
		json_decref(was);
		json_decref(rec);
		return rc;
	}
	keep_looks(json_object_get(rec, "steps"), was);
	json_decref(was);
	if (state == CAMP_ST_ACTIVE && json_array_size(json_object_get(rec,
	    "pools")) == 0)
		json_object_set_new(e->errors, "pools", json_string(
		    "A running campaign needs at least one pool: pause it first."));
	if (state == CAMP_ST_ACTIVE && !camp_has_email(rec))
		json_object_set_new(e->errors, "steps", json_string(
		    "A running campaign needs at least one email step: pause it first."));
	if (json_object_size(e->errors)) {
		json_decref(rec);
		return HE_INVALID;
	}
	json_object_set_new(rec, "gen", json_integer(e->gen + 1));
	json_object_set_new(rec, "updated", json_integer(clock_now()));
	rc = store_campaign_put(st, txn, e->id, rec);
	json_decref(rec);
	return rc == HE_OK ? camp_changed(st, txn) : rc;
}

int
campaign_update(struct store *st, uint64_t id, int64_t gen, json_t *body,
    json_t **errors)
{
	struct edit e = { .id = id, .gen = gen, .body = body };
	int rc;

	*errors = NULL;
	if ((rc = campaign_validate(body, errors)) != HE_OK)
		return rc;
	if ((e.errors = json_object()) == NULL)
		return HE_NOMEM;
	rc = store_txn(st, update_txn, &e);
	if (rc == HE_INVALID) {
		*errors = e.errors;
		return rc;
	}
	json_decref(e.errors);
	return rc;
}

int
campaign_get(struct store *st, uint64_t id, json_t **body)
{
	int rc = store_campaign_get(st, NULL, id, 0, body);

	if (rc == HE_OK)
		json_object_set_new(*body, "id", json_integer((json_int_t)id));
	return rc;
}

struct list {
	struct store *st;
	json_t *arr;
};

static int
list_one(uint64_t id, json_t *rec, void *ctx)
{
	struct list *l = ctx;
	int64_t enrolled = 0, active = 0;
	json_t *row;

	if (stat_get(l->st, id, "enrolled", &enrolled) != HE_OK ||
	    stat_get(l->st, id, "active", &active) != HE_OK)
		return HE_IO;
	row = json_pack("{s:I, s:O?, s:O?, s:b, s:O?, s:O?, s:I, s:O?, s:O?, s:O?,"
	    " s:I, s:I}",
	    "id", (json_int_t)id,
	    "name", json_object_get(rec, "name"),
	    "state", json_object_get(rec, "state"),
	    "auto", json_is_true(json_object_get(rec, "auto")),
	    "goal", json_object_get(rec, "goal"),
	    "pools", json_object_get(rec, "pools"),
	    "steps", (json_int_t)json_array_size(json_object_get(rec, "steps")),
	    "owner", json_object_get(rec, "owner"),
	    "created", json_object_get(rec, "created"),
	    "updated", json_object_get(rec, "updated"),
	    "enrolled", (json_int_t)enrolled,
	    "active", (json_int_t)active);
	/* Newest first: ids grow with time. */
	if (row == NULL || json_array_insert_new(l->arr, 0, row) != 0)
		return HE_NOMEM;
	return HE_OK;
}

int
campaign_list(struct store *st, json_t **list)
{
	struct list l = { st, json_array() };
	int rc;

	*list = NULL;
	if (l.arr == NULL)
		return HE_NOMEM;
	if ((rc = store_campaign_each(st, NULL, list_one, &l)) != HE_OK) {
		json_decref(l.arr);
		return rc;
	}
	*list = l.arr;
	return HE_OK;
}

static int
state_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct edit *e = arg;
	int to = camp_state_of(e->state), from;
	json_t *rec;
	int rc = HE_OK;

	if ((rc = store_campaign_get(st, txn, e->id, 1, &rec)) != HE_OK)
		return rc;
	from = camp_state_of(json_string_value(json_object_get(rec, "state")));
	if (from == to) {
		json_decref(rec);
		return HE_OK;
	}
	if (from == CAMP_ST_ARCHIVED || (to == CAMP_ST_DRAFT && from != CAMP_ST_PAUSED) ||
	    (to == CAMP_ST_PAUSED && from != CAMP_ST_ACTIVE))
		rc = HE_INVALID;
	else if (to == CAMP_ST_ACTIVE && (json_array_size(json_object_get(rec,
	    "pools")) == 0 || !camp_has_email(rec)))
		rc = HE_INVALID;
	if (rc == HE_OK) {
		json_object_set_new(rec, "state", json_string(e->state));
		json_object_set_new(rec, "gen", json_integer(json_integer_value(
		    json_object_get(rec, "gen")) + 1));
		json_object_set_new(rec, "updated", json_integer(clock_now()));
		json_object_set_new(rec, "state_by", json_integer((json_int_t)e->by));
		if ((rc = store_campaign_put(st, txn, e->id, rec)) == HE_OK)
			rc = camp_changed(st, txn);
	}
	json_decref(rec);
	return rc;
}

int
campaign_set_state(struct store *st, uint64_t id, const char *state, uint64_t by)
{
	struct edit e = { .id = id, .by = by, .state = state };
	int ok = 0;

	for (int i = 0; state && state_names[i]; i++)
		ok |= strcmp(state, state_names[i]) == 0;
	if (!ok)
		return HE_INVALID;
	return store_txn(st, state_txn, &e);
}
