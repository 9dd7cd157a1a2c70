/* search.c: one sorted page of the candidates a filter matches */
#include <stdlib.h>
#include <string.h>

#include "crm/query.h"
#include "store/entities.h"
#include "store/postings.h"
#include "store/store.h"
#include "util/he.h"
#include "util/words.h"

struct page {
	struct store *st;
	const roaring_bitmap_t *match;
	size_t offset, want;	/* ids to skip, then to collect */
	uint64_t *ids;
	size_t n;
	uint64_t skipped;	/* matches passed over so far */
	roaring_bitmap_t *seen;	/* SORT_ENGAGED: matches already placed */
	int rc;
};

static int
by_rank(const roaring_bitmap_t *r, uint64_t total, struct page *p, int desc)
{
	for (size_t k = 0; k < p->want && p->offset + k < total; k++) {
		uint64_t rank = p->offset + k;
		uint32_t v;

		if (!roaring_bitmap_select(r, (uint32_t)(desc ? total - 1 - rank : rank),
		    &v))
			return HE_INVALID;
		p->ids[p->n++] = v;
	}
	return HE_OK;
}

struct named {
	uint64_t id;
	char key[128];
};

static int
named_cmp(const void *a, const void *b)
{
	const struct named *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c ? c : (x->id > y->id) - (x->id < y->id);
}

static void
name_key(json_t *rec, char *out, size_t size)
{
	const char *last = json_string_value(json_object_get(rec, "last_name"));
	const char *first = json_string_value(json_object_get(rec, "first_name"));
	size_t n;

	if (last == NULL || *last == 0)
		last = json_string_value(json_object_get(rec, "name"));
	n = words_fold(last ? last : "", out, size);
	if (n + 2 < size) {
		out[n] = ' ';
		words_fold(first ? first : "", out + n + 1, size - n - 1);
	}
}

/* Takes the part of one bucket's matches that falls on the page, in
 * order: bucket sorted by (folded) name, read only when it reaches the
 * page. */
static int
take_bucket(struct page *p, roaring_bitmap_t *b, int by_name)
{
	uint64_t c = roaring_bitmap_get_cardinality(b);
	size_t from, i = 0;
	struct named *v;
	roaring_uint32_iterator_t *it;
	int rc = HE_OK;

	if (p->skipped + c <= p->offset) {
		p->skipped += c;
		return HE_OK;
	}
	from = p->offset > p->skipped ? (size_t)(p->offset - p->skipped) : 0;
	p->skipped += c;
	if (!by_name) {		/* a day of SORT_ENGAGED: newest id first */
		for (uint64_t k = from; k < c && p->n < p->want; k++) {
			uint32_t id;

			roaring_bitmap_select(b, (uint32_t)(c - 1 - k), &id);
			p->ids[p->n++] = id;
		}
		return HE_OK;
	}
	if ((v = calloc(c, sizeof *v)) == NULL)
		return HE_NOMEM;
	it = roaring_create_iterator(b);
	for (; it && it->has_value && rc == HE_OK;
	    roaring_advance_uint32_iterator(it)) {
		json_t *rec;

		v[i].id = it->current_value;
		if ((rc = store_cand_get(p->st, NULL, v[i].id, 0, &rec)) == HE_OK) {
			name_key(rec, v[i].key, sizeof v[i].key);
			json_decref(rec);
			i++;
		} else if (rc == HE_NOTFOUND)	/* deleted since: skip it */
			rc = HE_OK;
	}
	roaring_free_uint32_iterator(it);
	if (rc == HE_OK) {
		qsort(v, i, sizeof *v, named_cmp);
		for (size_t k = from; k < i && p->n < p->want; k++)
			p->ids[p->n++] = v[k].id;
	}
	free(v);
	return rc;
}

static int
bucket(const char *key, uint64_t count, void *ctx)
{
	struct page *p = ctx;
	int by_name = key[0] == 's';
	roaring_bitmap_t *b;
	int rc;

	(void)count;
	if (p->n >= p->want)
		return HE_EXISTS;	/* the page is full: stop the walk */
	if ((b = roaring_bitmap_create()) == NULL)
		return HE_NOMEM;
	if ((rc = store_post_read(p->st, NULL, key, b)) == HE_OK) {
		roaring_bitmap_and_inplace(b, p->match);
		if (p->seen)
			roaring_bitmap_or_inplace(p->seen, b);
		rc = take_bucket(p, b, by_name);
	}
	roaring_bitmap_free(b);
	return rc;
}

int
cand_search(struct store *st, const struct cand_query *q, enum cand_sort sort,
    size_t page, size_t per_page, uint64_t *ids, size_t *n, uint64_t *total)
{
	roaring_bitmap_t *r;
	struct page p = { .st = st, .want = per_page, .ids = ids };
	int rc;

	*n = 0;
	if (page == 0 || per_page == 0 || sort >= SORT__MAX)
		return HE_INVALID;
	if ((rc = cand_search_ids(st, NULL, q, &r)) != HE_OK)
		return rc;
	*total = roaring_bitmap_get_cardinality(r);
	p.offset = (page - 1) * per_page;
	p.match = r;
	switch (sort) {
	case SORT_NEWEST:
	case SORT_OLDEST:
		rc = by_rank(r, *total, &p, sort == SORT_NEWEST);
		break;
	case SORT_NAME:
		rc = store_post_keys(st, NULL, "sn:", 0, bucket, &p);
		break;
	case SORT_ENGAGED:
		/* Days newest first, then those never engaged, newest first. */
		if ((p.seen = roaring_bitmap_create()) == NULL) {
			rc = HE_NOMEM;
			break;
		}
		rc = store_post_keys(st, NULL, "ed:", 1, bucket, &p);
		if (rc == HE_OK && p.n < p.want) {
			roaring_bitmap_andnot_inplace(r, p.seen);
			rc = take_bucket(&p, r, 0);
		}
		roaring_bitmap_free(p.seen);
		break;
	default:
		rc = HE_INVALID;
	}
	if (rc == HE_EXISTS)
		rc = HE_OK;
	roaring_bitmap_free(r);
	*n = p.n;
	return rc;
}
