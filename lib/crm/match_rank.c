/* match_rank.c: the stored match records: ranking, reading, keeping them, rebuilding */
#include <stdlib.h>
#include <string.h>

#include "crm/clock.h"
#include "crm/match.h"
#include "crm/skills.h"
#include "store/entities.h"
#include "store/match.h"
#include "store/store.h"
#include "util/he.h"
#include "util/log.h"

/* ---- ranking ---- */

/*
 * The order of a ranking as one integer, larger first: the score, then
 * the lower id (ids fit 32 bits: cand_write refuses larger ones).
 */
static uint64_t
rank_key(int score, uint64_t id)
{
	return (uint64_t)score << 32 | (UINT32_MAX - (uint32_t)id);
}

static uint64_t
key_id(uint64_t key)
{
	return UINT32_MAX - (uint32_t)key;
}

/* The best k keys seen: a min-heap, its root the worst kept; it grows as
 * it fills (a deep page keeps nearly everyone). */
struct heap {
	uint64_t *v;
	size_t n, k, cap;
	int nomem;
};

static void
heap_down(uint64_t *v, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, m = i;
		uint64_t t;

		if (l < n && v[l] < v[m])
			m = l;
		if (l + 1 < n && v[l + 1] < v[m])
			m = l + 1;
		if (m == i)
			return;
		t = v[i];
		v[i] = v[m];
		v[m] = t;
		i = m;
	}
}

static void
heap_add(struct heap *h, uint64_t key)
{
	size_t i;

	if (h->n < h->k) {
		if (h->n == h->cap) {
			size_t c = h->cap ? h->cap * 2 : 1024;
			uint64_t *v;

			if (c > h->k)
				c = h->k;
			if ((v = realloc(h->v, c * sizeof *v)) == NULL) {
				h->nomem = 1;
				return;
			}
			h->v = v;
			h->cap = c;
		}
		i = h->n++;
		h->v[i] = key;
		while (i > 0 && h->v[(i - 1) / 2] > h->v[i]) {
			uint64_t t = h->v[i];

			h->v[i] = h->v[(i - 1) / 2];
			h->v[(i - 1) / 2] = t;
			i = (i - 1) / 2;
		}
	} else if (h->k > 0 && key > h->v[0]) {
		h->v[0] = key;
		heap_down(h->v, h->n, 0);
	}
}

static int
key_desc(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? 1 : x > y ? -1 : 0;
}

struct rank {
	struct match_prep prep;
	const roaring_bitmap_t *only;	/* NULL: everyone */
	struct heap heap;
	uint64_t total;
	struct match_cand c;
	struct match_score s;
};

static int
rank_one(uint64_t id, const unsigned char *rec, size_t len, void *arg)
{
	struct rank *r = arg;
	int bound;

	/* The flags are the record's first byte: the excluded cost nothing. */
	if (len > 0 && rec[0] & (MATCH_F_DNC | MATCH_F_HIRED))
		return 0;
	if (r->only && !roaring_bitmap_contains(r->only, (uint32_t)id))
		return 0;
	if ((bound = match_rec_bound(&r->prep, rec, len)) < 0)
		return 0;	/* a damaged record is left out, as in no ranking */
	r->total++;
	/* Once the page is full, most cannot reach it: the skills alone say
	 * so, without decoding and scoring the rest. */
	if (r->heap.n == r->heap.k && (r->heap.k == 0 ||
	    rank_key(bound, id) < r->heap.v[0]))
		return 0;
	if (match_cand_decode(id, rec, len, &r->c) != HE_OK)
		return 0;
	match_score_prep(&r->prep, &r->c, &r->s);
	heap_add(&r->heap, rank_key(r->s.total, id));
	return 0;
}

/* Fewer distinct blocks than this in a filter: read them one by one. */
#define RANK_POINT_BLOCKS 1024

/* The filter's ids when few blocks hold them (*ids malloc'd), or NULL. */
static int
few_ids(const roaring_bitmap_t *only, uint32_t **ids, size_t *n)
{
	uint64_t card = roaring_bitmap_get_cardinality(only);
	size_t blocks = 0;
	uint32_t *v;

	*ids = NULL;
	*n = 0;
	if (card > (uint64_t)RANK_POINT_BLOCKS * STORE_MATCH_PER_BLOCK)
		return HE_OK;
	if (card == 0)
		return HE_OK;
	if ((v = malloc(card * sizeof *v)) == NULL)
		return HE_NOMEM;
	roaring_bitmap_to_uint32_array(only, v);
	for (size_t i = 0; i < card; i++)
		if (i == 0 || v[i] / STORE_MATCH_PER_BLOCK !=
		    v[i - 1] / STORE_MATCH_PER_BLOCK)
			blocks++;
	if (blocks > RANK_POINT_BLOCKS) {
		free(v);
		return HE_OK;
	}
	*ids = v;
	*n = card;
	return HE_OK;
}

int
match_rank(struct store *st, const struct match_role *role,
    const roaring_bitmap_t *only, int64_t today, size_t offset, size_t limit,
    struct match_hit **hits, size_t *n, uint64_t *total)
{
	struct rank *r;
	uint32_t *ids = NULL;
	size_t nids = 0, got = 0;
	int rc;

	*hits = NULL;
	*n = 0;
	*total = 0;
	if (offset > SIZE_MAX / 2 || limit > SIZE_MAX / 2)
		return HE_INVALID;
	if ((r = calloc(1, sizeof *r)) == NULL)
		return HE_NOMEM;
	match_prepare(role, today, &r->prep);
	r->only = only;
	r->heap.k = offset + limit;
	if (only && (rc = few_ids(only, &ids, &nids)) != HE_OK)
		goto out;
	if (only && roaring_bitmap_is_empty(only))
		rc = HE_OK;
	else if (ids)
		rc = store_match_scan_ids(st, ids, nids, rank_one, r);
	else
		rc = store_match_scan(st, rank_one, r);
	if (rc == HE_OK && r->heap.nomem)
		rc = HE_NOMEM;
	if (rc != HE_OK)
		goto out;
	*total = r->total;
	if (r->heap.n > 1)
		qsort(r->heap.v, r->heap.n, sizeof *r->heap.v, key_desc);
	if (offset < r->heap.n) {
		size_t want = r->heap.n - offset;

		if ((*hits = calloc(want, sizeof **hits)) == NULL) {
			rc = HE_NOMEM;
			goto out;
		}
		/* The page's records again (a few point reads), so that the
		 * ranking itself keeps only integers. */
		for (size_t i = 0; i < want; i++) {
			uint64_t id = key_id(r->heap.v[offset + i]);
			struct match_hit *h = &(*hits)[got];

			if (match_get(st, NULL, id, &h->cand) != HE_OK)
				continue;	/* gone since the scan */
			match_score_prep(&r->prep, &h->cand, &h->score);
			got++;
		}
	}
	*n = got;
out:
	if (rc != HE_OK) {
		free(*hits);
		*hits = NULL;
		*total = 0;
	}
	free(ids);
	free(r->heap.v);
	free(r);
	return rc;
}

/* ---- one record ---- */

int
match_get(struct store *st, DB_TXN *txn, uint64_t id, struct match_cand *out)
{
	unsigned char buf[MATCH_REC_MAX];
	size_t len;
	int rc;

	if ((rc = store_match_get(st, txn, id, buf, sizeof buf, &len)) != HE_OK)
		return rc;
	return match_cand_decode(id, buf, len, out);
}

int
match_cand_changed(struct store *st, DB_TXN *txn, uint64_t id, json_t *rec)
{
	struct match_cand c;
	unsigned char buf[MATCH_REC_MAX];

	if (rec == NULL)
		return store_match_put(st, txn, id, NULL, 0);
	match_cand_from_json(id, rec, &c);
	return store_match_put(st, txn, id, buf, match_cand_encode(&c, buf));
}

/* ---- rebuilding ---- */

/* Blocks of ids a rebuild transaction covers (2,048 candidates). */
#define REBUILD_BLOCKS 32
#define SETTING_HASH "match_skills"
#define SETTING_AT "match_rebuild_at"

struct rebuild {
	uint64_t first, end;		/* the blocks of this batch */
	uint64_t next;			/* the first candidate after it; 0 none */
	unsigned char *buf;		/* the encoded records */
	struct store_match_change *ch;
	size_t n;
	int track;			/* keep SETTING_AT and SETTING_HASH */
};

static int
rebuild_one(uint64_t id, json_t *rec, void *arg)
{
	struct rebuild *b = arg;
	struct match_cand c;
	unsigned char *p = b->buf + b->n * MATCH_REC_MAX;

	match_cand_from_json(id, rec, &c);
	b->ch[b->n] = (struct store_match_change){ id, p, match_cand_encode(&c, p) };
	b->n++;
	return 0;
}

static int
rebuild_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct rebuild *b = arg;
	int rc;

	b->n = 0;
	if ((rc = store_match_cands(st, txn, b->first * STORE_MATCH_PER_BLOCK,
	    (b->first + REBUILD_BLOCKS) * STORE_MATCH_PER_BLOCK, rebuild_one, b,
	    &b->next)) != HE_OK)
		return rc;
	b->end = b->next ? b->next / STORE_MATCH_PER_BLOCK :
	    UINT64_MAX / STORE_MATCH_PER_BLOCK;
	if ((rc = store_match_replace(st, txn, b->first, b->end, b->ch,
	    b->n)) != HE_OK || !b->track)
		return rc;
	/* Where the next batch starts, or done: with the records it made. */
	if (b->next)
		return store_setting_set(st, txn, SETTING_AT, (int64_t)b->end);
	if ((rc = store_setting_set(st, txn, SETTING_AT, 0)) != HE_OK)
		return rc;
	return store_setting_set(st, txn, SETTING_HASH,
	    (int64_t)skills_table_hash());
}

/* Batches from b->first until the end or the deadline (0: none). */
static int
rebuild_run(struct store *st, struct rebuild *b, int64_t deadline_us,
    size_t *done)
{
	size_t per = REBUILD_BLOCKS * STORE_MATCH_PER_BLOCK;
	int rc = HE_OK;

	b->buf = malloc(per * MATCH_REC_MAX);
	b->ch = malloc(per * sizeof *b->ch);
	if (b->buf == NULL || b->ch == NULL)
		rc = HE_NOMEM;
	while (rc == HE_OK) {
		if ((rc = store_txn(st, rebuild_txn, b)) != HE_OK)
			break;
		*done += b->n;
		if (b->next == 0 || (deadline_us && clock_now_us() >= deadline_us))
			break;
		b->first = b->end;
	}
	if (rc != HE_OK)
		log_error("match: rebuild stopped after %zu candidates: %s", *done,
		    he_strerror(rc));
	free(b->buf);
	free(b->ch);
	return rc;
}

int
match_rebuild(struct store *st, size_t *done)
{
	struct rebuild b = { .track = 1 };

	*done = 0;
	return rebuild_run(st, &b, 0, done);
}

int
match_rebuild_due(struct store *st, int64_t budget_ms, size_t *done)
{
	struct rebuild b = { .track = 1 };
	int64_t made = 0, at = 0;
	int rc;

	*done = 0;
	if ((rc = store_setting_get(st, NULL, SETTING_HASH, &made)) != HE_OK &&
	    rc != HE_NOTFOUND)
		return rc;
	if (rc == HE_OK && (uint64_t)made == skills_table_hash())
		return HE_OK;
	if ((rc = store_setting_get(st, NULL, SETTING_AT, &at)) != HE_OK &&
	    rc != HE_NOTFOUND)
		return rc;
	if (*done == 0 && at == 0)
		log_info("match: the synonym table changed; rebuilding the match "
		    "records");
	b.first = at > 0 ? (uint64_t)at : 0;
	rc = rebuild_run(st, &b, clock_now_us() + budget_ms * 1000, done);
	if (rc == HE_OK && b.next == 0)
		log_info("match: match records rebuilt");
	return rc;
}
