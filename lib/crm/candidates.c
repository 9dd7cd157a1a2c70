/* candidates.c: candidate lists */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm/candidates.h"
#include "store/entities.h"
#include "store/postings.h"
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

struct detail {
	uint64_t id;
	json_t *cand, *ledger, *mails;
};

static int
add_event(json_t *event, void *ctx)
{
	return json_array_append(ctx, event) == 0 ? HE_OK : HE_NOMEM;
}

static int
add_mail(uint64_t id, json_t *mail, void *ctx)
{
	const char *kind = json_string_value(json_object_get(mail, "kind"));

	/* A recruiter's test send went to them, not to this person (those
	 * queued before "data_cand" are still indexed under the person). */
	if (kind && strcmp(kind, "campaign_test") == 0)
		return HE_OK;
	json_object_set_new(mail, "id", json_integer((json_int_t)id));
	return json_array_append(ctx, mail) == 0 ? HE_OK : HE_NOMEM;
}

static int
detail_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct detail *d = arg;
	int rc;

	json_decref(d->cand);
	json_array_clear(d->ledger);
	json_array_clear(d->mails);
	d->cand = NULL;
	if ((rc = store_cand_get(st, txn, d->id, 0, &d->cand)) != HE_OK)
		return rc;
	if ((rc = store_consent_each(st, txn, d->id, add_event, d->ledger)) != HE_OK)
		return rc;
	return store_mail_each_of(st, txn, d->id, add_mail, d->mails);
}

int
cand_detail(struct store *st, uint64_t id, json_t **cand, json_t **ledger,
    json_t **mails)
{
	struct detail d = { id, NULL, json_array(), json_array() };
	int rc = d.ledger && d.mails ? store_txn(st, detail_txn, &d) : HE_NOMEM;

	if (rc != HE_OK) {
		json_decref(d.cand);
		json_decref(d.ledger);
		json_decref(d.mails);
		return rc;
	}
	*cand = d.cand;
	*ledger = d.ledger;
	*mails = d.mails;
	return HE_OK;
}

int
cand_get(struct store *st, uint64_t id, json_t **rec)
{
	return store_cand_get(st, NULL, id, 0, rec);
}

int
cand_resolve(struct store *st, uint64_t id, uint64_t *now)
{
	roaring_bitmap_t *into;
	char key[32];
	json_t *rec;
	int rc = store_cand_get(st, NULL, id, 0, &rec);

	if (rc != HE_NOTFOUND) {
		if (rc == HE_OK) {
			json_decref(rec);
			*now = id;
		}
		return rc;
	}
	if (id > UINT32_MAX || (into = roaring_bitmap_create()) == NULL)
		return id > UINT32_MAX ? HE_NOTFOUND : HE_NOMEM;
	snprintf(key, sizeof key, "mid:%llu", (unsigned long long)id);
	rc = store_post_read(st, NULL, key, into);
	if (rc == HE_OK && roaring_bitmap_get_cardinality(into) == 1)
		*now = roaring_bitmap_minimum(into);
	else if (rc == HE_OK)
		rc = HE_NOTFOUND;
	roaring_bitmap_free(into);
	return rc;
}
