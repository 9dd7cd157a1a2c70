/* audit.c: writing audit entries and reading them back for people */
#include <string.h>

#include "crm/audit.h"
#include "crm/clock.h"
#include "store/audit.h"
#include "store/entities.h"
#include "store/store.h"
#include "util/he.h"

const char *const audit_actions[] = {
	"login", "login_failed", "logout", "view", "edit", "create", "export",
	"import", "merge", "unmerge", "delete", "bulk", "user_add",
	"user_disable", "user_enable", "user_reset", "user_role",
	"password_change", "pool_save", "touchpoint", "shortlist", "role",
	"pipeline", "silver", NULL,
};

static int
known_action(const char *action)
{
	for (size_t i = 0; action && audit_actions[i]; i++)
		if (strcmp(action, audit_actions[i]) == 0)
			return 1;
	return 0;
}

struct log_txn {
	const struct audit_actor *who;
	const char *action;
	uint64_t cand;
	json_t *detail;
	int64_t at;
};

static int
log_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct log_txn *l = arg;
	char email[256];
	json_t *e;
	uint64_t id;
	int rc;

	e = json_pack("{s:I, s:I, s:s}", "at", (json_int_t)l->at,
	    "user", (json_int_t)(l->who ? l->who->user : 0), "action", l->action);
	if (e == NULL)
		return HE_NOMEM;
	/* The address is copied in, so the entry says who it was even if
	 * accounts are ever renamed. */
	if (l->who && l->who->user &&
	    store_user_email(st, txn, l->who->user, email, sizeof email) == HE_OK)
		json_object_set_new(e, "user_email", json_string(email));
	if (l->who && l->who->ip && l->who->ip[0])
		json_object_set_new(e, "ip", json_string(l->who->ip));
	if (l->cand)
		json_object_set_new(e, "cand", json_integer((json_int_t)l->cand));
	if (l->detail)
		json_object_set(e, "detail", l->detail);
	rc = store_audit_insert(st, txn, e, &id);
	json_decref(e);
	return rc;
}

int
audit_log(struct store *st, DB_TXN *txn, const struct audit_actor *who,
    const char *action, uint64_t cand, json_t *detail)
{
	struct log_txn l = { who, action, cand, detail, clock_now_us() };

	if (!known_action(action) || (detail && !json_is_object(detail)))
		return HE_INVALID;
	return txn ? log_txn(st, txn, &l) : store_txn(st, log_txn, &l);
}

/* ---- reading ---- */

struct each_direct {
	int (*fn)(json_t *entry, void *ctx);
	void *ctx;
};

static int
each_direct(uint64_t id, int64_t at, json_t *body, void *ctx)
{
	struct each_direct *e = ctx;

	(void)id;
	(void)at;
	return e->fn(body, e->ctx);
}

static int
collect(uint64_t id, int64_t at, json_t *body, void *ctx)
{
	(void)at;
	json_object_set_new(body, "id", json_integer((json_int_t)id));
	return json_array_append(ctx, body) == 0 ? HE_OK : HE_NOMEM;
}

struct each_txn {
	uint64_t cand;
	json_t *rows;
};

static int
each_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct each_txn *e = arg;

	json_array_clear(e->rows);	/* a retried attempt starts over */
	return store_audit_each_of(st, txn, e->cand, 1, collect, e->rows);
}

int
audit_each_of(struct store *st, DB_TXN *txn, uint64_t cand,
    int (*fn)(json_t *entry, void *ctx), void *ctx)
{
	struct each_direct d = { fn, ctx };
	struct each_txn e = { cand, NULL };
	size_t i;
	json_t *row;
	int rc;

	if (txn)
		return store_audit_each_of(st, txn, cand, 1, each_direct, &d);
	if ((e.rows = json_array()) == NULL)
		return HE_NOMEM;
	rc = store_txn(st, each_txn, &e);
	json_array_foreach(e.rows, i, row) {
		if (rc != HE_OK)
			break;
		json_object_del(row, "id");
		rc = fn(row, ctx);
	}
	json_decref(e.rows);
	return rc;
}

/* The walk stops with this once it has what it needs. */
#define LIST_DONE (-1)

struct list_txn {
	const struct audit_filter *f;
	size_t offset, limit;
	size_t matched, scanned;
	json_t *rows;
	int more;
	int64_t stopped_at;
};

static int
passes(const struct audit_filter *f, int64_t at, json_t *e)
{
	const char *action;

	if (at < f->from_us || (f->to_us > 0 && at >= f->to_us))
		return 0;
	if (f->user && (uint64_t)json_integer_value(json_object_get(e, "user")) !=
	    f->user)
		return 0;
	if (f->cand && (uint64_t)json_integer_value(json_object_get(e, "cand")) !=
	    f->cand)
		return 0;
	action = json_string_value(json_object_get(e, "action"));
	if (f->action && f->action[0] && (action == NULL ||
	    strcmp(action, f->action) != 0))
		return 0;
	return 1;
}

static int
list_one(uint64_t id, int64_t at, json_t *body, void *ctx)
{
	struct list_txn *l = ctx;

	if (l->scanned++ == AUDIT_SCAN_MAX) {
		l->stopped_at = at;
		return LIST_DONE;
	}
	if (!passes(l->f, at, body))
		return HE_OK;
	if (l->matched++ < l->offset)
		return HE_OK;
	if (json_array_size(l->rows) == l->limit) {
		l->more = 1;
		return LIST_DONE;
	}
	return collect(id, at, body, l->rows);
}

static int
list_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct list_txn *l = arg;
	int rc;

	json_array_clear(l->rows);
	l->matched = l->scanned = 0;
	l->more = 0;
	l->stopped_at = 0;
	if (l->f->cand)
		rc = store_audit_each_of(st, txn, l->f->cand, 0, list_one, l);
	else
		rc = store_audit_newest(st, txn, l->f->from_us, l->f->to_us,
		    list_one, l);
	return rc == LIST_DONE ? HE_OK : rc;
}

int
audit_list(struct store *st, const struct audit_filter *f, size_t offset,
    size_t limit, json_t **entries, int *more, int64_t *stopped_at)
{
	struct list_txn l = { f, offset, limit, 0, 0, json_array(), 0, 0 };
	int rc;

	*entries = NULL;
	if (l.rows == NULL)
		return HE_NOMEM;
	if ((rc = store_txn(st, list_txn, &l)) != HE_OK) {
		json_decref(l.rows);
		return rc;
	}
	*entries = l.rows;
	*more = l.more;
	*stopped_at = l.stopped_at;
	return HE_OK;
}
