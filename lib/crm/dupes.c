/* dupes.c: likely duplicate pairs, found on write, listed for review */
#include <string.h>

#include "crm/clock.h"
#include "crm/dupes.h"
#include "crm/index.h"
#include "store/dupe.h"
#include "store/entities.h"
#include "store/postings.h"
#include "store/store.h"
#include "util/he.h"

/* Pairs noted per new key at most: a key shared by more people than this
 * (a switchboard number) says little about any two of them. */
#define PAIRS_PER_KEY 20

/* What stops a walk early without being an error. */
#define WALK_STOP (-1)

/* The duplicate key prefixes and the reason each stands for. */
static const struct {
	const char *prefix;
	const char *reason;
} kinds[] = {
	{ "dup:u:", "linkedin" },
	{ "dup:p:", "phone" },
	{ "dup:n:", "name_city" },
};
#define NKINDS (sizeof kinds / sizeof *kinds)

static const char *
reason_of(const char *key)
{
	for (size_t i = 0; i < NKINDS; i++)
		if (strncmp(key, kinds[i].prefix, 6) == 0)
			return kinds[i].reason;
	return "name_city";
}

static int
note_pair(struct store *st, DB_TXN *txn, uint64_t a, uint64_t b,
    const char *reason)
{
	json_t *rec = NULL, *why;
	size_t i;
	json_t *v;
	int rc;

	rc = store_dupe_get(st, txn, a, b, 1, &rec);
	if (rc == HE_NOTFOUND) {
		rec = json_pack("{s:[], s:I}", "reasons", "found",
		    (json_int_t)clock_now());
		rc = rec ? HE_OK : HE_NOMEM;
	}
	if (rc != HE_OK)
		return rc;
	/* Two people, a recruiter said: a new reason does not change that. */
	if (json_is_true(json_object_get(rec, "dismissed"))) {
		json_decref(rec);
		return HE_OK;
	}
	why = json_object_get(rec, "reasons");
	if (!json_is_array(why)) {
		why = json_array();
		json_object_set_new(rec, "reasons", why);
	}
	json_array_foreach(why, i, v)
		if (strcmp(json_string_value(v) ?: "", reason) == 0) {
			json_decref(rec);
			return HE_OK;
		}
	json_array_append_new(why, json_string(reason));
	rc = store_dupe_put(st, txn, a, b, rec);
	json_decref(rec);
	return rc;
}

int
dupes_note(struct store *st, DB_TXN *txn, uint64_t id, const char *key)
{
	roaring_bitmap_t *ids = roaring_bitmap_create();
	roaring_uint32_iterator_t *it;
	size_t n = 0;
	int rc;

	if (ids == NULL)
		return HE_NOMEM;
	/* A key many share (a switchboard number, a common name in a big
	 * city) is read only until it shows it says little. */
	if ((rc = store_post_read_max(st, txn, key, PAIRS_PER_KEY + 1,
	    ids)) == HE_OK &&
	    roaring_bitmap_get_cardinality(ids) <= PAIRS_PER_KEY + 1) {
		it = roaring_create_iterator(ids);
		for (; rc == HE_OK && it->has_value && n < PAIRS_PER_KEY;
		    roaring_advance_uint32_iterator(it))
			if (it->current_value != id) {
				rc = note_pair(st, txn, id, it->current_value,
				    reason_of(key));
				n++;
			}
		roaring_free_uint32_iterator(it);
	}
	roaring_bitmap_free(ids);
	return rc;
}

/* The duplicate keys of a record (a finished keyset of "dup:" keys). */
static int
dupe_keys(struct store *st, json_t *rec, struct cand_keyset *out)
{
	struct cand_keyset all;
	int rc;

	keyset_init(&all);
	if ((rc = cand_keys(st, rec, &all)) == HE_OK) {
		for (size_t i = 0; i < all.n; i++)
			if (strncmp(keyset_at(&all, i), "dup:", 4) == 0)
				keyset_add(out, keyset_at(&all, i));
		rc = keyset_finish(out);
	}
	keyset_free(&all);
	return rc;
}

int
dupes_reasons(struct store *st, json_t *a, json_t *b, json_t **reasons)
{
	struct cand_keyset ka, kb;
	int found[NKINDS] = { 0 };
	int rc;

	keyset_init(&ka);
	keyset_init(&kb);
	if ((rc = dupe_keys(st, a, &ka)) == HE_OK &&
	    (rc = dupe_keys(st, b, &kb)) == HE_OK) {
		for (size_t i = 0; i < ka.n; i++)
			if (keyset_has(&kb, keyset_at(&ka, i)))
				for (size_t k = 0; k < NKINDS; k++)
					if (strncmp(keyset_at(&ka, i), kinds[k].prefix, 6) == 0)
						found[k] = 1;
		if ((*reasons = json_array()) == NULL)
			rc = HE_NOMEM;
		for (size_t k = 0; rc == HE_OK && k < NKINDS; k++)
			if (found[k] &&
			    json_array_append_new(*reasons, json_string(kinds[k].reason)))
				rc = HE_NOMEM;
		if (rc != HE_OK)
			json_decref(*reasons);
	}
	keyset_free(&ka);
	keyset_free(&kb);
	return rc;
}

struct listing {
	uint64_t after[2];
	size_t limit;
	json_t *rows;
	uint64_t next[2];
};

static int
list_pair(struct store *st, DB_TXN *txn, uint64_t lo, uint64_t hi,
    json_t *body, struct listing *l)
{
	json_t *a = NULL, *b = NULL, *why = NULL, *row;
	int rc;

	if (json_is_true(json_object_get(body, "dismissed")))
		return HE_OK;
	/* A pair whose candidate was merged or erased since waits for that
	 * to remove it; it is not shown. */
	if ((rc = store_cand_get(st, txn, lo, 0, &a)) == HE_OK &&
	    (rc = store_cand_get(st, txn, hi, 0, &b)) == HE_OK &&
	    (rc = dupes_reasons(st, a, b, &why)) == HE_OK &&
	    json_array_size(why) > 0) {
		row = json_pack("{s:I, s:I, s:o, s:O?, s:o, s:o}",
		    "a", (json_int_t)lo, "b", (json_int_t)hi, "reasons", why,
		    "found", json_object_get(body, "found"), "a_cand", a,
		    "b_cand", b);
		a = b = why = NULL;
		if (row == NULL || json_array_append_new(l->rows, row))
			return HE_NOMEM;
		if (json_array_size(l->rows) == l->limit) {
			l->next[0] = lo;
			l->next[1] = hi;
			return WALK_STOP;
		}
	}
	json_decref(a);
	json_decref(b);
	json_decref(why);
	return rc == HE_NOTFOUND ? HE_OK : rc;
}

struct list_walk {
	struct store *st;
	DB_TXN *txn;
	struct listing *l;
	size_t seen;
};

static int
list_walk_fn(uint64_t lo, uint64_t hi, json_t *body, void *ctx)
{
	struct list_walk *w = ctx;

	w->seen++;
	return list_pair(w->st, w->txn, lo, hi, body, w->l);
}

static int
list_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct listing *l = arg;
	struct list_walk w = { st, txn, l, 0 };
	uint64_t last[2];
	int rc;

	json_array_clear(l->rows);	/* from a retried attempt */
	l->next[0] = l->next[1] = 0;
	rc = store_dupe_each(st, txn, l->after[0], l->after[1], DUPES_SCAN_MAX,
	    list_walk_fn, &w, last);
	if (rc == WALK_STOP)
		return HE_OK;
	/* The scan stopped at its bound: the next page looks further. */
	if (rc == HE_OK && w.seen == DUPES_SCAN_MAX) {
		l->next[0] = last[0];
		l->next[1] = last[1];
	}
	return rc;
}

int
dupes_list(struct store *st, uint64_t after_a, uint64_t after_b,
    size_t limit, json_t **rows, uint64_t next[2])
{
	struct listing l = { { after_a < after_b ? after_a : after_b,
	    after_a < after_b ? after_b : after_a }, limit, json_array(),
	    { 0, 0 } };
	int rc;

	if (l.rows == NULL)
		return HE_NOMEM;
	if (limit == 0) {
		json_decref(l.rows);
		return HE_INVALID;
	}
	if ((rc = store_txn(st, list_txn, &l)) != HE_OK) {
		json_decref(l.rows);
		return rc;
	}
	*rows = l.rows;
	next[0] = l.next[0];
	next[1] = l.next[1];
	return HE_OK;
}

struct dismiss {
	uint64_t a, b, user;
};

static int
dismiss_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct dismiss *d = arg;
	json_t *rec;
	int rc;

	if ((rc = store_dupe_get(st, txn, d->a, d->b, 1, &rec)) != HE_OK)
		return rc;
	json_object_set_new(rec, "dismissed", json_true());
	json_object_set_new(rec, "dismissed_at", json_integer(clock_now()));
	json_object_set_new(rec, "dismissed_by", json_integer((json_int_t)d->user));
	rc = store_dupe_put(st, txn, d->a, d->b, rec);
	json_decref(rec);
	return rc;
}

int
dupes_dismiss(struct store *st, uint64_t a, uint64_t b, uint64_t user)
{
	struct dismiss d = { a, b, user };

	if (a == b || a == 0 || b == 0)
		return HE_NOTFOUND;
	return store_txn(st, dismiss_txn, &d);
}
