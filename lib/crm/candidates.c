/* candidates.c: candidate lists */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "crm/candidates.h"
#include "store/entities.h"
#include "store/store.h"
#include "util/he.h"

struct page_txn {
	size_t offset, limit;
	struct cand_row *rows;
	size_t nrows, total;
};

static char *
dup_field(json_t *body, const char *field)
{
	const char *s = json_string_value(json_object_get(body, field));

	return strdup(s ? s : "");
}

static int
collect_row(uint64_t id, json_t *body, void *ctx)
{
	struct page_txn *p = ctx;
	struct cand_row *r = &p->rows[p->nrows];

	r->id = id;
	r->name = dup_field(body, "name");
	r->email = dup_field(body, "email");
	r->joined_us = json_integer_value(json_object_get(body, "joined"));
	if (r->name == NULL || r->email == NULL) {
		free(r->name);
		free(r->email);
		return HE_NOMEM;
	}
	p->nrows++;
	return HE_OK;
}

static int
page_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct page_txn *p = arg;
	int rc;

	cand_rows_free(p->rows, p->nrows);	/* from a retried attempt */
	p->nrows = 0;
	if ((p->rows = calloc(p->limit ? p->limit : 1, sizeof *p->rows)) == NULL)
		return HE_NOMEM;
	if ((rc = store_cand_count(st, txn, &p->total)) != HE_OK)
		return rc;
	return store_cand_newest(st, txn, p->offset, p->limit, collect_row, p);
}

int
cand_page(struct store *st, size_t page, size_t per_page,
    struct cand_row **rows, size_t *nrows, size_t *total)
{
	struct page_txn p = { 0 };
	int rc;

	if (page == 0 || per_page == 0)
		return HE_INVALID;
	p.offset = (page - 1) * per_page;
	p.limit = per_page;
	rc = store_txn(st, page_txn, &p);
	if (rc != HE_OK) {
		cand_rows_free(p.rows, p.nrows);
		return rc;
	}
	*rows = p.rows;
	*nrows = p.nrows;
	*total = p.total;
	return HE_OK;
}

void
cand_rows_free(struct cand_row *rows, size_t nrows)
{
	for (size_t i = 0; i < nrows; i++) {
		free(rows[i].name);
		free(rows[i].email);
	}
	free(rows);
}
