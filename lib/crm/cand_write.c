/* cand_write.c: the one write path of candidate records and their index */
#include <stdlib.h>
#include <string.h>

#include "crm/campaign.h"
#include "crm/candidates.h"
#include "crm/clock.h"
#include "crm/dupes.h"
#include "crm/engage.h"
#include "crm/index.h"
#include "crm/match.h"
#include "crm/role.h"
#include "crm/pool.h"
#include "store/entities.h"
#include "store/match.h"
#include "store/postings.h"
#include "store/store.h"
#include "util/he.h"
#include "util/words.h"

/* Changes gathered for one store_post_apply. Keys are offsets into a
 * keyset's buffer (it may move while it grows) until applied. */
struct changes {
	struct cand_keyset keys;
	struct post_change *ch;
	size_t n, cap;
	uint64_t *dupe_ids;	/* candidates with a new duplicate key ... */
	size_t *dupe_keys;	/* ... and that key (offset into keys) */
	size_t ndupes, dupecap;
};

struct cand_batch {
	struct changes c;
	/* The match records of the batch, written block by block at the
	 * flush rather than a block rewritten for each of its 64. */
	struct store_match_change *m;
	unsigned char *mbuf;	/* the records, MATCH_REC_MAX apart */
	size_t nm, capm;
};

static int
grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t c = *cap ? *cap : 256;
	void *q;

	if (need <= *cap)
		return HE_OK;
	while (c < need)
		c *= 2;
	if ((q = realloc(*p, c * size)) == NULL)
		return HE_NOMEM;
	*p = q;
	*cap = c;
	return HE_OK;
}

static int
change_add(struct changes *c, const char *key, uint64_t id, int add)
{
	size_t off = c->keys.len;
	int rc;

	keyset_add(&c->keys, key);
	if (c->keys.failed ||
	    (rc = grow((void **)&c->ch, &c->cap, c->n + 1, sizeof *c->ch)) != HE_OK)
		return HE_NOMEM;
	/* The offset rides in the key pointer until resolve_keys. */
	c->ch[c->n++] = (struct post_change){ (const char *)(uintptr_t)off,
	    (uint32_t)id, add };
	if (add && strncmp(key, "dup:", 4) == 0) {
		if ((rc = grow((void **)&c->dupe_ids, &c->dupecap, c->ndupes + 1,
		    sizeof *c->dupe_ids)) != HE_OK ||
		    (c->dupe_keys = realloc(c->dupe_keys,
		    c->dupecap * sizeof *c->dupe_keys)) == NULL)
			return HE_NOMEM;
		c->dupe_ids[c->ndupes] = id;
		c->dupe_keys[c->ndupes++] = off;
	}
	return HE_OK;
}

/* The changes from old's keys to new's (both finished keysets). */
static int
diff(struct changes *c, uint64_t id, const struct cand_keyset *old,
    const struct cand_keyset *new)
{
	size_t i = 0, j = 0;
	int rc = HE_OK;

	while (rc == HE_OK && (i < old->n || j < new->n)) {
		int cmp = i == old->n ? 1 : j == new->n ? -1 :
		    strcmp(keyset_at(old, i), keyset_at(new, j));

		if (cmp < 0)
			rc = change_add(c, keyset_at(old, i++), id, 0);
		else if (cmp > 0)
			rc = change_add(c, keyset_at(new, j++), id, 1);
		else
			i++, j++;
	}
	return rc;
}

static int
apply(struct changes *c, struct store *st, DB_TXN *txn)
{
	int rc;

	for (size_t i = 0; i < c->n; i++)
		c->ch[i].key = c->keys.buf + (uintptr_t)c->ch[i].key;
	rc = store_post_apply(st, txn, c->ch, c->n);
	for (size_t i = 0; rc == HE_OK && i < c->ndupes; i++)
		rc = dupes_note(st, txn, c->dupe_ids[i],
		    c->keys.buf + c->dupe_keys[i]);
	c->n = c->ndupes = 0;
	keyset_clear(&c->keys);
	return rc;
}

static void
changes_free(struct changes *c)
{
	keyset_free(&c->keys);
	free(c->ch);
	free(c->dupe_ids);
	free(c->dupe_keys);
}

/* Whether a stored "dpools" (absent: none) holds what a match found. */
static int
same_dpools(json_t *stored, json_t *found)
{
	if (stored == NULL)
		return json_array_size(found) == 0;
	return json_equal(stored, found);
}

/* How a write treats the derived fields. */
enum write_mode {
	WRITE_EDIT,	/* "updated" now, "level" and "dpools" derived */
	WRITE_REFRESH,	/* the same, but "updated" keeps old's value */
	WRITE_RESTORE,	/* a record as it was stored: see cand_restore */
};

/* Sets the derived fields of rec and gathers its index changes. A record
 * restored as it was keeps "updated" and "level", and its "dpools" unless
 * the dynamic pools now say otherwise. A refresh (nobody's edit) keeps
 * "updated" as old had it. */
static int
derive(struct changes *c, struct store *st, DB_TXN *txn, uint64_t id,
    json_t *old, json_t *rec, enum write_mode mode)
{
	int restore = mode == WRITE_RESTORE;
	struct cand_keyset ok, nk;
	json_t *dpools = NULL;
	int64_t now = clock_now();
	int rc;

	if (id == 0 || id > UINT32_MAX)
		return HE_INVALID;
	keyset_init(&ok);
	keyset_init(&nk);
	if (mode == WRITE_REFRESH && json_is_integer(json_object_get(old,
	    "updated")))
		json_object_set(rec, "updated", json_object_get(old, "updated"));
	if (!restore) {
		if (mode == WRITE_EDIT || !json_is_integer(json_object_get(rec,
		    "updated")))
			json_object_set_new(rec, "updated", json_integer(now));
		json_object_set_new(rec, "level", json_string(engage_level(rec,
		    now)));
		json_object_del(rec, "dpools");
	}
	/* A filter never names a dynamic pool, so the "pool:" keys of the
	 * dpools a restored record holds do not change what matches. */
	if ((rc = cand_keys(st, rec, &nk)) == HE_OK &&
	    (rc = pool_dynamic_match(st, txn, &nk, &dpools)) == HE_OK &&
	    !(restore && same_dpools(json_object_get(rec, "dpools"), dpools))) {
		if (json_array_size(dpools) > 0)
			json_object_set_new(rec, "dpools", dpools);
		else {
			json_object_del(rec, "dpools");
			json_decref(dpools);
		}
		keyset_clear(&nk);
		rc = cand_keys(st, rec, &nk);
	} else
		json_decref(dpools);
	if (rc == HE_OK && old)
		rc = cand_keys(st, old, &ok);
	if (rc == HE_OK)
		rc = diff(c, id, &ok, &nk);
	keyset_free(&ok);
	keyset_free(&nk);
	return rc;
}

static int
put(struct store *st, DB_TXN *txn, uint64_t id, json_t *old, json_t *rec)
{
	const char *ek = json_string_value(json_object_get(rec, "email_key"));
	const char *was = json_string_value(json_object_get(old, "email_key"));
	int rc;

	if (old == NULL)
		return store_cand_insert(st, txn, id, rec);
	/* A new address must be free: Berkeley DB would only say "error". */
	if (ek && (was == NULL || strcmp(ek, was) != 0) &&
	    (rc = store_unique_free(st, txn, STORE_CAND_EMAIL, ek)) != HE_OK)
		return rc;
	return store_cand_put(st, txn, id, rec);
}

/* New-match alerts for the open roles rec fits and old did not. */
static int
alert_check(struct store *st, DB_TXN *txn, uint64_t id, json_t *old,
    json_t *rec)
{
	struct match_cand was, now;

	if (old)
		match_cand_from_json(id, old, &was);
	match_cand_from_json(id, rec, &now);
	return role_alert_check(st, txn, old ? &was : NULL, &now);
}

static int
write_rec(struct store *st, DB_TXN *txn, uint64_t id, json_t *old,
    json_t *rec, enum write_mode mode)
{
	struct changes c = { 0 };
	int rc;

	if ((rc = derive(&c, st, txn, id, old, rec, mode)) == HE_OK &&
	    (rc = put(st, txn, id, old, rec)) == HE_OK &&
	    (rc = apply(&c, st, txn)) == HE_OK &&
	    (rc = campaign_cand_changed(st, txn, id, old, rec)) == HE_OK &&
	    (rc = match_cand_changed(st, txn, id, rec)) == HE_OK)
		rc = alert_check(st, txn, id, old, rec);
	changes_free(&c);
	return rc;
}

int
cand_write(struct store *st, DB_TXN *txn, uint64_t id, json_t *old,
    json_t *rec)
{
	return write_rec(st, txn, id, old, rec, WRITE_EDIT);
}

int
cand_refresh(struct store *st, DB_TXN *txn, uint64_t id, json_t *old,
    json_t *rec)
{
	return write_rec(st, txn, id, old, rec, WRITE_REFRESH);
}

int
cand_restore(struct store *st, DB_TXN *txn, uint64_t id, json_t *old,
    json_t *rec)
{
	return write_rec(st, txn, id, old, rec, WRITE_RESTORE);
}

int
cand_save(struct store *st, DB_TXN *txn, uint64_t id, json_t *rec)
{
	json_t *old;
	int rc;

	if ((rc = store_cand_get(st, txn, id, 1, &old)) != HE_OK)
		return rc;
	rc = cand_write(st, txn, id, old, rec);
	json_decref(old);
	return rc;
}

int
cand_remove(struct store *st, DB_TXN *txn, uint64_t id, json_t *old,
    int scrub)
{
	struct changes c = { 0 };
	struct cand_keyset ok, none;
	int rc;

	keyset_init(&ok);
	keyset_init(&none);
	if ((rc = cand_keys(st, old, &ok)) == HE_OK &&
	    (rc = diff(&c, id, &ok, &none)) == HE_OK) {
		if (scrub)
			rc = store_cand_del(st, txn, id);
		else {
			unsigned char key[8];
			DBT k = { .data = key, .size = sizeof key };

			store_u64_key(id, key);
			rc = store_err(st->db[STORE_CAND]->del(st->db[STORE_CAND],
			    txn, &k, 0));
		}
		if (rc == HE_OK)
			rc = apply(&c, st, txn);
		if (rc == HE_OK)
			rc = match_cand_changed(st, txn, id, NULL);
	}
	keyset_free(&ok);
	changes_free(&c);
	return rc;
}

struct cand_batch *
cand_batch_new(void)
{
	return calloc(1, sizeof(struct cand_batch));
}

/* Gathers rec's match record for the flush. */
static int
batch_match(struct cand_batch *b, uint64_t id, json_t *rec)
{
	struct match_cand mc;
	unsigned char *p;
	uintptr_t off;

	if (b->nm == b->capm) {
		size_t c = b->capm ? b->capm * 2 : 64;
		void *m = realloc(b->m, c * sizeof *b->m);

		if (m == NULL)
			return HE_NOMEM;
		b->m = m;
		if ((p = realloc(b->mbuf, c * MATCH_REC_MAX)) == NULL)
			return HE_NOMEM;
		b->mbuf = p;
		b->capm = c;
	}
	off = b->nm * MATCH_REC_MAX;
	p = b->mbuf + off;
	match_cand_from_json(id, rec, &mc);
	/* rec holds its offset until the flush: mbuf may move. */
	b->m[b->nm] = (struct store_match_change){ id, (const void *)off,
	    match_cand_encode(&mc, p) };
	b->nm++;
	return HE_OK;
}

int
cand_batch_write(struct cand_batch *b, struct store *st, DB_TXN *txn,
    uint64_t id, json_t *old, json_t *rec)
{
	size_t n = b->c.n, nd = b->c.ndupes, len = b->c.keys.len;
	size_t nk = b->c.keys.n;
	int rc;

	if ((rc = derive(&b->c, st, txn, id, old, rec, WRITE_EDIT)) == HE_OK &&
	    (rc = put(st, txn, id, old, rec)) == HE_OK) {
		/* Stored: its index changes stay with it whatever this says. */
		if ((rc = batch_match(b, id, rec)) != HE_OK ||
		    (rc = alert_check(st, txn, id, old, rec)) != HE_OK)
			return rc;
		return campaign_cand_changed(st, txn, id, old, rec);
	}
	/* This record's changes are dropped; the batch goes on without it. */
	b->c.n = n;
	b->c.ndupes = nd;
	b->c.keys.len = len;
	b->c.keys.n = nk;
	b->c.keys.failed = 0;
	return rc;
}

int
cand_batch_flush(struct cand_batch *b, struct store *st, DB_TXN *txn)
{
	int rc;

	for (size_t i = 0; i < b->nm; i++)
		b->m[i].rec = b->mbuf + (uintptr_t)b->m[i].rec;
	rc = store_match_apply(st, txn, b->m, b->nm);
	b->nm = 0;
	if (rc != HE_OK)
		return rc;
	return apply(&b->c, st, txn);
}

void
cand_batch_free(struct cand_batch *b)
{
	if (b == NULL)
		return;
	changes_free(&b->c);
	free(b->m);
	free(b->mbuf);
	free(b);
}

/* The words seen so far: an open-addressing set of their 64-bit hashes,
 * so adding n words costs about n probes (it was a sort per word). */
#define SEEN_SLOTS 4096		/* > 2 x (CAND_RESUME_TERMS_MAX + a record's) */

struct terms_ctx {
	unsigned char k[CAND_HASHER_BYTES];
	json_t *arr;
	size_t max;
	uint64_t seen[SEEN_SLOTS];	/* 0: free */
	size_t nseen;
};

/* Adds h to the set; 0 when it was there (or the set is full). */
static int
seen_add(struct terms_ctx *t, uint64_t h)
{
	size_t i = (size_t)(h ^ h >> 29) & (SEEN_SLOTS - 1);

	if (h == 0)
		h = 1;
	if (t->nseen >= SEEN_SLOTS / 2)
		return 0;
	for (; t->seen[i]; i = (i + 1) & (SEEN_SLOTS - 1))
		if (t->seen[i] == h)
			return 0;
	t->seen[i] = h;
	t->nseen++;
	return 1;
}

static int
add_term(const char *w, size_t n, void *arg)
{
	struct terms_ctx *t = arg;
	char key[CAND_WORDKEY_SIZE];

	if (n < 2 && !(n == 1 && w[0] >= '0' && w[0] <= '9'))
		return 0;
	if (json_array_size(t->arr) >= t->max)
		return 1;
	cand_word_key_with(t->k, w, n, key);
	if (!seen_add(t, strtoull(key + 2, NULL, 16)))
		return 0;
	return json_array_append_new(t->arr, json_string(key + 2)) ? 1 : 0;
}

/* Adds the words of text to rec's array field, at most max in all. */
static int
terms_add(struct store *st, json_t *rec, const char *field, size_t max,
    const char *text)
{
	struct terms_ctx *t = calloc(1, sizeof *t);
	size_t i;
	json_t *v;
	int rc = HE_OK;

	if (t == NULL)
		return HE_NOMEM;
	cand_word_hasher(st, t->k);
	t->max = max;
	t->arr = json_object_get(rec, field);
	if (!json_is_array(t->arr)) {
		t->arr = json_array();
		if (t->arr == NULL || json_object_set_new(rec, field, t->arr)) {
			free(t);
			return HE_NOMEM;
		}
	}
	json_array_foreach(t->arr, i, v)
		if (json_is_string(v))
			seen_add(t, strtoull(json_string_value(v), NULL, 16));
	if (words_each(text, strlen(text), add_term, t) != 0)
		rc = json_array_size(t->arr) >= max ? HE_OK : HE_NOMEM;
	free(t);
	return rc;
}

int
cand_terms_add(struct store *st, json_t *rec, const char *text)
{
	return terms_add(st, rec, "extra_terms", CAND_EXTRA_TERMS_MAX, text);
}

int
cand_resume_terms_set(struct store *st, json_t *rec, const char *text)
{
	int rc;

	json_object_del(rec, "resume_terms");
	rc = terms_add(st, rec, "resume_terms", CAND_RESUME_TERMS_MAX, text);
	if (json_array_size(json_object_get(rec, "resume_terms")) == 0)
		json_object_del(rec, "resume_terms");
	return rc;
}
