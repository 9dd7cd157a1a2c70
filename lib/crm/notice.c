/* notice.c: notices for back-office users */
#include <stdlib.h>

#include "crm/clock.h"
#include "crm/notice.h"
#include "store/campaign.h"
#include "store/store.h"
#include "util/he.h"

int
notice_add(struct store *st, DB_TXN *txn, uint64_t user, json_t *body)
{
	uint64_t id;
	json_t *rec;
	int rc;

	if (user == 0 || !json_is_string(json_object_get(body, "text")))
		return HE_INVALID;
	if ((rec = json_copy(body)) == NULL)
		return HE_NOMEM;
	if (!json_is_integer(json_object_get(rec, "at")))
		json_object_set_new(rec, "at", json_integer(clock_now()));
	if (!json_is_boolean(json_object_get(rec, "read")))
		json_object_set_new(rec, "read", json_false());
	rc = store_notice_insert(st, txn, user, rec, &id);
	json_decref(rec);
	return rc;
}

struct list {
	size_t from, to, pos, unread;
	json_t *rows;
};

static int
list_one(uint64_t id, json_t *body, void *ctx)
{
	struct list *l = ctx;

	if (!json_is_true(json_object_get(body, "read")))
		l->unread++;
	if (l->pos >= l->from && l->pos < l->to) {
		json_t *row = json_copy(body);

		if (row == NULL || json_object_set_new(row, "id",
		    json_integer((json_int_t)id)) != 0 ||
		    json_array_append_new(l->rows, row) != 0)
			return HE_NOMEM;
	}
	return ++l->pos >= NOTICE_COUNT_MAX ? HE_EXISTS : HE_OK;
}

int
notice_list(struct store *st, uint64_t user, size_t page, size_t per_page,
    json_t **rows, size_t *total, size_t *unread)
{
	struct list l = { 0 };
	int rc;

	*rows = NULL;
	if (page == 0)
		page = 1;
	l.from = (page - 1) * per_page;
	l.to = l.from + per_page;
	if ((l.rows = json_array()) == NULL)
		return HE_NOMEM;
	rc = store_notice_each(st, NULL, user, list_one, &l);
	if (rc == HE_EXISTS)	/* counted as many as are counted */
		rc = HE_OK;
	if (rc != HE_OK) {
		json_decref(l.rows);
		return rc;
	}
	*rows = l.rows;
	if (total)
		*total = l.pos;
	if (unread)
		*unread = l.unread;
	return HE_OK;
}

struct mark {
	uint64_t user, id;
};

static int
read_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct mark *m = arg;
	json_t *body;
	int rc;

	if ((rc = store_notice_get(st, txn, m->user, m->id, 1, &body)) != HE_OK)
		return rc;
	if (json_is_true(json_object_get(body, "read"))) {
		json_decref(body);
		return HE_OK;
	}
	json_object_set_new(body, "read", json_true());
	rc = store_notice_put(st, txn, m->user, m->id, body);
	json_decref(body);
	return rc;
}

int
notice_read(struct store *st, uint64_t user, uint64_t id)
{
	struct mark m = { user, id };

	return store_txn(st, read_txn, &m);
}
