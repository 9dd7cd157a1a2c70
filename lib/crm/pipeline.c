/* pipeline.c: a role's pipeline: who is at which stage, and the moves between */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm/audit.h"
#include "crm/candidates.h"
#include "crm/clock.h"
#include "crm/pipeline.h"
#include "crm/role.h"
#include "crm/role_int.h"
#include "crm/timeline.h"
#include "store/entities.h"
#include "store/role.h"
#include "store/store.h"
#include "util/he.h"

const char *const pipe_stage_names[PIPE_STAGE__MAX + 1] = {
	[PIPE_SHORTLISTED] = "shortlisted", [PIPE_CONTACTED] = "contacted",
	[PIPE_INTERESTED] = "interested", [PIPE_APPLIED] = "applied",
	[PIPE_INTERVIEWING] = "interviewing", [PIPE_OFFER] = "offer",
	[PIPE_HIRED] = "hired", [PIPE_DECLINED] = "declined",
	[PIPE_WITHDRAWN] = "withdrawn", [PIPE_STAGE__MAX] = NULL,
};

const char *const pipe_stage_labels[PIPE_STAGE__MAX] = {
	[PIPE_SHORTLISTED] = "Shortlisted", [PIPE_CONTACTED] = "Contacted",
	[PIPE_INTERESTED] = "Interested", [PIPE_APPLIED] = "Applied",
	[PIPE_INTERVIEWING] = "Interviewing", [PIPE_OFFER] = "Offer",
	[PIPE_HIRED] = "Hired", [PIPE_DECLINED] = "Declined",
	[PIPE_WITHDRAWN] = "Withdrawn",
};

int
pipe_stage_of(const char *name)
{
	for (int i = 0; name && i < PIPE_STAGE__MAX; i++)
		if (strcmp(name, pipe_stage_names[i]) == 0)
			return i;
	return -1;
}

static const char *
str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* Whether a person may be put in a pipeline: not do_not_contact, not
 * hired now. */
static int
excluded(const json_t *rec)
{
	const char *s = str(rec, "status");

	return s && (strcmp(s, "do_not_contact") == 0 || strcmp(s, "hired") == 0);
}

static int
history_add(json_t *entry, enum pipe_stage stage, int64_t at,
    const struct tl_actor *ta)
{
	json_t *h = json_object_get(entry, "history"), *m;

	if (!json_is_array(h) && (json_object_set_new(entry, "history",
	    h = json_array()) || h == NULL))
		return HE_NOMEM;
	m = json_pack("{s:s, s:I, s:I, s:s}", "stage", pipe_stage_names[stage],
	    "at", (json_int_t)at, "by", (json_int_t)ta->user, "by_name",
	    ta->name ? ta->name : "");
	if (m == NULL || json_array_append_new(h, m))
		return HE_NOMEM;
	while (json_array_size(h) > PIPE_HISTORY_MAX)
		json_array_remove(h, 0);
	return HE_OK;
}

/* The touchpoint of a move: who, when, role, from, to. */
static int
stage_touch(struct store *st, DB_TXN *txn, uint64_t cand, const struct tl_actor *ta,
    uint64_t role, const json_t *rrec, int from, enum pipe_stage to)
{
	json_t *detail = json_pack("{s:I, s:O?, s:s?, s:s}", "role",
	    (json_int_t)role, "title", json_object_get(rrec, "title"),
	    "from", from >= 0 ? pipe_stage_names[from] : NULL,
	    "to", pipe_stage_names[to]);
	int rc;

	if (detail == NULL)
		return HE_NOMEM;
	rc = tl_record(st, txn, cand, "stage", ta, NULL, detail);
	json_decref(detail);
	return rc;
}

struct shortlist {
	const struct audit_actor *who;
	uint64_t role, cand;
	json_t *explain;
	enum pipe_stage stage;
};

int
pipe_shortlist_in(struct store *st, DB_TXN *txn, const struct audit_actor *who,
    uint64_t role, uint64_t cand, json_t *explain)
{
	struct shortlist one = { who, role, cand, explain, PIPE_SHORTLISTED };
	const struct shortlist *s = &one;
	struct tl_actor ta;
	char name[256];
	json_t *rrec, *rec = NULL, *entry = NULL, *detail = NULL;
	int64_t now = clock_now();
	int rc, status;

	if ((rc = store_role_get(st, txn, s->role, 0, &rrec)) != HE_OK)
		return rc;
	status = role_status_in(rrec);
	if ((rc = store_cand_get(st, txn, s->cand, 0, &rec)) != HE_OK)
		goto out;
	if (status == ROLE_FILLED || status == ROLE_CLOSED || excluded(rec)) {
		rc = HE_INVALID;
		goto out;
	}
	if ((rc = store_pipe_get(st, txn, s->role, s->cand, 1, &entry)) == HE_OK) {
		rc = HE_EXISTS;
		goto out;
	}
	if (rc != HE_NOTFOUND)
		goto out;
	role_actor(st, txn, s->who, &ta, name, sizeof name);
	entry = json_pack("{s:s, s:I, s:I, s:I, s:[], s:O}", "stage",
	    pipe_stage_names[PIPE_SHORTLISTED], "at", (json_int_t)now, "by",
	    (json_int_t)ta.user, "added", (json_int_t)now, "history",
	    "explain", s->explain ? s->explain : json_null());
	if (entry == NULL || (rc = history_add(entry, PIPE_SHORTLISTED, now,
	    &ta)) != HE_OK) {
		rc = HE_NOMEM;
		goto out;
	}
	if ((rc = store_pipe_put(st, txn, s->role, s->cand, entry)) != HE_OK ||
	    (rc = stage_touch(st, txn, s->cand, &ta, s->role, rrec, -1,
	    PIPE_SHORTLISTED)) != HE_OK)
		goto out;
	/* The reasons as they were shown, kept with the decision. */
	detail = json_pack("{s:I, s:O?, s:O}", "role", (json_int_t)s->role,
	    "title", json_object_get(rrec, "title"), "explain",
	    s->explain ? s->explain : json_null());
	rc = detail ? audit_log(st, txn, s->who, "shortlist", s->cand, detail) :
	    HE_NOMEM;
out:
	json_decref(detail);
	json_decref(entry);
	json_decref(rec);
	json_decref(rrec);
	return rc;
}

static int
shortlist_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct shortlist *s = arg;

	return pipe_shortlist_in(st, txn, s->who, s->role, s->cand, s->explain);
}

int
pipe_shortlist(struct store *st, const struct audit_actor *who, uint64_t role,
    uint64_t cand, json_t *explain)
{
	struct shortlist s = { who, role, cand, explain, PIPE_SHORTLISTED };

	return store_txn(st, shortlist_txn, &s);
}

/* Sets key of obj to a copy of v, or takes it away when v is absent. */
static void
set_or_del(json_t *obj, const char *key, json_t *v)
{
	if (v)
		json_object_set(obj, key, v);
	else
		json_object_del(obj, key);
}

/*
 * The effects of a move on the person's record: hired (what it replaced
 * kept in the pipeline entry), undone when they leave hired in this
 * pipeline (a mistake, a withdrawal before starting) unless something
 * else made them hired since; an offer declined.
 */
static int
move_effects(struct store *st, DB_TXN *txn, uint64_t cand, uint64_t role,
    const struct tl_actor *ta, int from, enum pipe_stage to, int64_t now,
    json_t *entry)
{
	json_t *old, *rec, *detail, *h;
	const char *status, *became = NULL;
	int rc = HE_OK;

	if (to != PIPE_HIRED && from != PIPE_HIRED && !(to == PIPE_DECLINED &&
	    from == PIPE_OFFER))
		return HE_OK;
	if ((rc = store_cand_get(st, txn, cand, 1, &old)) != HE_OK)
		return rc;
	if ((rec = json_deep_copy(old)) == NULL) {
		json_decref(old);
		return HE_NOMEM;
	}
	status = str(old, "status");
	h = json_object_get(old, "hired_at");
	if (to == PIPE_HIRED) {
		set_or_del(entry, "was_status", json_object_get(old, "status"));
		set_or_del(entry, "was_hired_at", h);
		json_object_set_new(entry, "hired_at", json_integer(now));
		json_object_set_new(rec, "status", json_string("hired"));
		json_object_set_new(rec, "hired_at", json_integer(now));
		if (!(status && strcmp(status, "hired") == 0))
			became = "hired";
	} else if (from == PIPE_HIRED) {
		/* Only the hire this pipeline made is undone. */
		if (status && strcmp(status, "hired") == 0 && json_is_integer(h) &&
		    json_equal(h, json_object_get(entry, "hired_at"))) {
			json_t *was = json_object_get(entry, "was_status");

			set_or_del(rec, "status", was);
			set_or_del(rec, "hired_at", json_object_get(entry,
			    "was_hired_at"));
			became = json_string_value(was) ? json_string_value(was) : "";
		}
		json_object_del(entry, "hired_at");
		json_object_del(entry, "was_status");
		json_object_del(entry, "was_hired_at");
	}
	if (to == PIPE_DECLINED && from == PIPE_OFFER)
		json_object_set_new(rec, "offer_declined_at", json_integer(now));
	if (!json_equal(old, rec))
		rc = cand_write(st, txn, cand, old, rec);
	if (rc == HE_OK && became) {
		/* With the role: a hiring manager of another is not told. */
		detail = json_pack("{s:s?, s:s, s:I}", "from", status, "to", became,
		    "role", (json_int_t)role);
		rc = detail ? tl_record(st, txn, cand, "status", ta, NULL, detail) :
		    HE_NOMEM;
		json_decref(detail);
	}
	json_decref(rec);
	json_decref(old);
	return rc;
}

int
pipe_move_in(struct store *st, DB_TXN *txn, const struct audit_actor *who,
    uint64_t role, uint64_t cand, int stage)
{
	struct tl_actor ta;
	char name[256];
	json_t *rrec, *entry = NULL, *detail = NULL;
	int64_t now = clock_now();
	int rc, from = -1;

	if (stage < 0 || stage >= PIPE_STAGE__MAX)
		return HE_INVALID;
	if ((rc = store_role_get(st, txn, role, 0, &rrec)) != HE_OK)
		return rc;
	if ((rc = store_cand_exists(st, txn, cand)) != HE_OK)
		goto out;
	rc = store_pipe_get(st, txn, role, cand, 1, &entry);
	if (rc == HE_OK) {
		from = pipe_stage_of(str(entry, "stage"));
		if (from == stage)
			goto out;	/* there already */
	} else if (rc == HE_NOTFOUND) {
		if ((entry = json_pack("{s:I, s:[]}", "added", (json_int_t)now,
		    "history")) == NULL) {
			rc = HE_NOMEM;
			goto out;
		}
	} else {
		goto out;
	}
	role_actor(st, txn, who, &ta, name, sizeof name);
	json_object_set_new(entry, "stage", json_string(pipe_stage_names[stage]));
	json_object_set_new(entry, "at", json_integer(now));
	json_object_set_new(entry, "by", json_integer((json_int_t)ta.user));
	if ((rc = history_add(entry, stage, now, &ta)) != HE_OK ||
	    (rc = move_effects(st, txn, cand, role, &ta, from, stage, now,
	    entry)) != HE_OK ||
	    (rc = store_pipe_put(st, txn, role, cand, entry)) != HE_OK ||
	    (rc = stage_touch(st, txn, cand, &ta, role, rrec, from, stage)) !=
	    HE_OK)
		goto out;
	detail = json_pack("{s:I, s:O?, s:s?, s:s}", "role", (json_int_t)role,
	    "title", json_object_get(rrec, "title"), "from",
	    from >= 0 ? pipe_stage_names[from] : NULL, "to",
	    pipe_stage_names[stage]);
	rc = detail ? audit_log(st, txn, who, "pipeline", cand, detail) : HE_NOMEM;
out:
	json_decref(detail);
	json_decref(entry);
	json_decref(rrec);
	return rc;
}

static int
move_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct shortlist *s = arg;
	int rc;

	/* Only those in it: people join a pipeline by being shortlisted,
	 * with the reasons kept. */
	if ((rc = store_pipe_exists(st, txn, s->role, s->cand)) != HE_OK)
		return rc;
	return pipe_move_in(st, txn, s->who, s->role, s->cand, s->stage);
}

int
pipe_move(struct store *st, const struct audit_actor *who, uint64_t role,
    uint64_t cand, enum pipe_stage stage)
{
	struct shortlist s = { who, role, cand, NULL, stage };

	if ((int)stage < 0 || stage >= PIPE_STAGE__MAX)
		return HE_INVALID;
	return store_txn(st, move_txn, &s);
}

/* ---- reading ---- */

struct rows {
	int stage;
	json_t *all;
};

static int
row_one(uint64_t cand, json_t *entry, void *ctx)
{
	struct rows *r = ctx;
	int s = pipe_stage_of(str(entry, "stage"));
	json_t *row;

	if (r->stage >= 0 && s != r->stage)
		return HE_OK;
	row = json_pack("{s:I, s:s, s:O?, s:i}", "cand", (json_int_t)cand,
	    "stage", s >= 0 ? pipe_stage_names[s] : "shortlisted", "at",
	    json_object_get(entry, "at"), "_s", s < 0 ? 0 : s);
	if (row == NULL || json_array_append_new(r->all, row))
		return HE_NOMEM;
	return HE_OK;
}

/* Stage order, then the latest move first, then the lowest id. */
static int
row_order(const void *a, const void *b)
{
	const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	json_int_t sx = json_integer_value(json_object_get(x, "_s"));
	json_int_t sy = json_integer_value(json_object_get(y, "_s"));
	json_int_t tx = json_integer_value(json_object_get(x, "at"));
	json_int_t ty = json_integer_value(json_object_get(y, "at"));
	json_int_t cx = json_integer_value(json_object_get(x, "cand"));
	json_int_t cy = json_integer_value(json_object_get(y, "cand"));

	if (sx != sy)
		return sx < sy ? -1 : 1;
	if (tx != ty)
		return tx > ty ? -1 : 1;
	return cx < cy ? -1 : cx > cy;
}

int
pipe_list(struct store *st, uint64_t role, int stage, size_t offset,
    size_t limit, json_t **rows, size_t *total)
{
	struct rows r = { stage, json_array() };
	json_t **v = NULL, *out = NULL;
	size_t n, i;
	int rc;

	*rows = NULL;
	if (r.all == NULL)
		return HE_NOMEM;
	if ((rc = store_pipe_each(st, NULL, role, row_one, &r)) != HE_OK)
		goto done;
	n = json_array_size(r.all);
	if ((v = calloc(n ? n : 1, sizeof *v)) == NULL ||
	    (out = json_array()) == NULL) {
		rc = HE_NOMEM;
		goto done;
	}
	for (i = 0; i < n; i++)
		v[i] = json_array_get(r.all, i);
	qsort(v, n, sizeof *v, row_order);
	for (i = offset; i < n && i - offset < limit; i++) {
		uint64_t cand = (uint64_t)json_integer_value(json_object_get(v[i],
		    "cand"));
		json_t *rec;
		char name[256] = "";

		json_object_del(v[i], "_s");
		rc = store_cand_get(st, NULL, cand, 0, &rec);
		if (rc == HE_OK) {
			role_cand_name(rec, name, sizeof name);
			json_object_set_new(v[i], "email", json_string(str(rec,
			    "email") ? str(rec, "email") : ""));
			json_decref(rec);
		} else if (rc != HE_NOTFOUND) {
			goto done;
		}
		json_object_set_new(v[i], "name", json_string(name));
		if (json_array_append(out, v[i])) {
			rc = HE_NOMEM;
			goto done;
		}
	}
	rc = HE_OK;
	*rows = out;
	out = NULL;
	if (total)
		*total = n;
done:
	free(v);
	json_decref(out);
	json_decref(r.all);
	return rc;
}

int
pipe_get(struct store *st, DB_TXN *txn, uint64_t role, uint64_t cand,
    json_t **entry)
{
	return store_pipe_get(st, txn, role, cand, 0, entry);
}

struct of_cand {
	struct store *st;
	DB_TXN *txn;
	json_t *rows;
	uint64_t user;		/* pipe_manager_may_see */
	int seen;
};

static int
of_one(uint64_t role, json_t *entry, void *ctx)
{
	struct of_cand *o = ctx;
	json_t *rrec = NULL, *row;
	int rc = store_role_get(o->st, o->txn, role, 0, &rrec);

	if (rc == HE_NOTFOUND)
		return HE_OK;
	if (rc != HE_OK)
		return rc;
	row = json_pack("{s:I, s:O?, s:O?, s:O?, s:O?}", "role", (json_int_t)role,
	    "title", json_object_get(rrec, "title"), "status",
	    json_object_get(rrec, "status"), "stage", json_object_get(entry,
	    "stage"), "at", json_object_get(entry, "at"));
	json_decref(rrec);
	if (row == NULL || json_array_append_new(o->rows, row))
		return HE_NOMEM;
	return HE_OK;
}

int
pipe_of_cand(struct store *st, DB_TXN *txn, uint64_t cand, json_t **rows)
{
	struct of_cand o = { st, txn, json_array(), 0, 0 };
	int rc;

	*rows = NULL;
	if (o.rows == NULL)
		return HE_NOMEM;
	if ((rc = store_pipe_each_of(st, txn, cand, of_one, &o)) != HE_OK) {
		json_decref(o.rows);
		return rc;
	}
	*rows = o.rows;
	return HE_OK;
}

static int
may_one(uint64_t role, json_t *entry, void *ctx)
{
	struct of_cand *o = ctx;
	int rc = role_is_manager(o->st, o->txn, role, o->user);

	(void)entry;
	if (rc == HE_OK) {
		o->seen = 1;
		return HE_EXISTS;	/* enough */
	}
	return rc == HE_NOTFOUND ? HE_OK : rc;
}

int
pipe_manager_may_see(struct store *st, DB_TXN *txn, uint64_t user,
    uint64_t cand)
{
	struct of_cand o = { st, txn, NULL, user, 0 };
	int rc;

	if (user == 0)
		return HE_NOTFOUND;
	rc = store_pipe_each_of(st, txn, cand, may_one, &o);
	if (rc != HE_OK && rc != HE_EXISTS)
		return rc;
	return o.seen ? HE_OK : HE_NOTFOUND;
}

/* ---- erasure and merges ---- */

struct roles_of {
	uint64_t *ids;
	size_t n, cap;
};

static int
collect_role(uint64_t role, json_t *entry, void *ctx)
{
	struct roles_of *r = ctx;

	(void)entry;
	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 16;
		uint64_t *ids = realloc(r->ids, cap * sizeof *ids);

		if (ids == NULL)
			return HE_NOMEM;
		r->ids = ids;
		r->cap = cap;
	}
	r->ids[r->n++] = role;
	return HE_OK;
}

#define ALERTS_OF_MAX 4096	/* alerts of one person handled at once */

int
pipe_cand_purge(struct store *st, DB_TXN *txn, uint64_t cand)
{
	struct roles_of r = { NULL, 0, 0 };
	uint64_t *alerts;
	size_t n = 0;
	int rc;

	if ((rc = store_pipe_each_of(st, txn, cand, collect_role, &r)) != HE_OK)
		goto out;
	for (size_t i = 0; rc == HE_OK && i < r.n; i++)
		if ((rc = store_pipe_del(st, txn, r.ids[i], cand)) == HE_OK)
			rc = role_silver_forget(st, txn, r.ids[i], cand, 0);
	if (rc != HE_OK)
		goto out;
	/* The new-match alerts about them (their notices go with
	 * campaign_cand_purge's). */
	if ((alerts = malloc(ALERTS_OF_MAX * sizeof *alerts)) == NULL) {
		rc = HE_NOMEM;
		goto out;
	}
	do {
		if ((rc = store_alert_roles_of(st, txn, cand, alerts, ALERTS_OF_MAX,
		    &n)) != HE_OK)
			break;
		for (size_t i = 0; rc == HE_OK && i < n; i++)
			rc = store_alert_del(st, txn, alerts[i], cand);
	} while (rc == HE_OK && n == ALERTS_OF_MAX);
	free(alerts);
out:
	free(r.ids);
	return rc;
}

int
pipe_cand_merge(struct store *st, DB_TXN *txn, uint64_t cand, uint64_t into)
{
	struct roles_of r = { NULL, 0, 0 };
	uint64_t *alerts;
	size_t n = 0;
	int rc;

	if (cand == into)
		return HE_OK;
	if ((rc = store_pipe_each_of(st, txn, cand, collect_role, &r)) != HE_OK)
		goto out;
	for (size_t i = 0; rc == HE_OK && i < r.n; i++) {
		json_t *entry;

		if ((rc = store_pipe_get(st, txn, r.ids[i], into, 1, &entry)) ==
		    HE_NOTFOUND) {
			/* Theirs becomes into's. */
			if ((rc = store_pipe_get(st, txn, r.ids[i], cand, 1, &entry)) !=
			    HE_OK)
				break;
			rc = store_pipe_put(st, txn, r.ids[i], into, entry);
		}
		json_decref(entry);
		if (rc == HE_OK)
			rc = store_pipe_del(st, txn, r.ids[i], cand);
		if (rc == HE_OK)
			rc = role_silver_forget(st, txn, r.ids[i], cand, into);
	}
	if (rc != HE_OK)
		goto out;
	/* Alerts were about the old record: into gets its own. */
	if ((alerts = malloc(ALERTS_OF_MAX * sizeof *alerts)) == NULL) {
		rc = HE_NOMEM;
		goto out;
	}
	do {
		if ((rc = store_alert_roles_of(st, txn, cand, alerts, ALERTS_OF_MAX,
		    &n)) != HE_OK)
			break;
		for (size_t i = 0; rc == HE_OK && i < n; i++)
			rc = store_alert_del(st, txn, alerts[i], cand);
	} while (rc == HE_OK && n == ALERTS_OF_MAX);
	free(alerts);
out:
	free(r.ids);
	return rc;
}
