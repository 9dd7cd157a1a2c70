/* postings.c: chunked id sets per index key (see postings.h) */
#include <stdlib.h>
#include <string.h>

#include "store/postings.h"
#include "store/store.h"
#include "util/he.h"

#define CHUNK_ARRAY 1		/* little-endian 16-bit offsets, ascending */
#define CHUNK_BITSET 2		/* POST_CHUNK_IDS bits, little-endian words */
#define WORDS (POST_CHUNK_IDS / 64)
#define ARRAY_MAX 255		/* past this a chunk is a bitset (512 bytes) */
#define DBKEY_MAX (POST_KEY_MAX + 5)

/* A chunk while it is worked on: always a bitset. */
struct chunk {
	uint64_t w[WORDS];
};

static size_t
db_key(const char *key, size_t klen, uint32_t chunk, unsigned char *out)
{
	memcpy(out, key, klen);
	out[klen] = 0;
	out[klen + 1] = (unsigned char)(chunk >> 24);
	out[klen + 2] = (unsigned char)(chunk >> 16);
	out[klen + 3] = (unsigned char)(chunk >> 8);
	out[klen + 4] = (unsigned char)chunk;
	return klen + 5;
}

static uint32_t
chunk_of_dbkey(const unsigned char *k, size_t size)
{
	const unsigned char *p = k + size - 4;

	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static int
key_ok(const char *key, size_t klen)
{
	return klen > 0 && klen <= POST_KEY_MAX && memchr(key, 0, klen) == NULL;
}

/* Decodes stored bytes into c; HE_INVALID for bytes of no known shape. */
static int
chunk_decode(const unsigned char *d, size_t size, struct chunk *c)
{
	memset(c, 0, sizeof *c);
	if (size >= 1 && d[0] == CHUNK_ARRAY && (size - 1) % 2 == 0) {
		for (size_t i = 1; i < size; i += 2) {
			unsigned v = d[i] | (unsigned)d[i + 1] << 8;

			if (v >= POST_CHUNK_IDS)
				return HE_INVALID;
			c->w[v / 64] |= 1ull << (v % 64);
		}
		return HE_OK;
	}
	if (size == 1 + WORDS * 8 && d[0] == CHUNK_BITSET) {
		for (size_t i = 0; i < WORDS; i++) {
			uint64_t w = 0;

			for (int b = 7; b >= 0; b--)
				w = w << 8 | d[1 + i * 8 + (size_t)b];
			c->w[i] = w;
		}
		return HE_OK;
	}
	return HE_INVALID;
}

static size_t
chunk_card(const struct chunk *c)
{
	size_t n = 0;

	for (size_t i = 0; i < WORDS; i++)
		n += (size_t)__builtin_popcountll(c->w[i]);
	return n;
}

/* Encodes c into out (at least 1 + WORDS * 8 bytes); returns the size. */
static size_t
chunk_encode(const struct chunk *c, size_t card, unsigned char *out)
{
	size_t n = 1;

	if (card <= ARRAY_MAX) {
		out[0] = CHUNK_ARRAY;
		for (size_t i = 0; i < WORDS; i++)
			for (uint64_t w = c->w[i]; w; w &= w - 1) {
				unsigned v = (unsigned)(i * 64) +
				    (unsigned)__builtin_ctzll(w);

				out[n++] = (unsigned char)v;
				out[n++] = (unsigned char)(v >> 8);
			}
		return n;
	}
	out[0] = CHUNK_BITSET;
	for (size_t i = 0; i < WORDS; i++)
		for (int b = 0; b < 8; b++)
			out[n++] = (unsigned char)(c->w[i] >> (8 * b));
	return n;
}

static int
change_cmp(const void *a, const void *b)
{
	const struct post_change *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	if (c)
		return c;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* Applies ch[0..n) (one key, one chunk) to the stored chunk. */
static int
apply_chunk(DB *db, DB_TXN *txn, const struct post_change *ch, size_t n)
{
	unsigned char kbuf[DBKEY_MAX], vbuf[1 + WORDS * 8];
	size_t klen = strlen(ch[0].key);
	DBT k = { .data = kbuf, .size = (u_int32_t)db_key(ch[0].key, klen,
	    ch[0].id >> POST_CHUNK_BITS, kbuf) };
	DBT d = { .data = vbuf, .ulen = sizeof vbuf, .flags = DB_DBT_USERMEM };
	struct chunk c;
	size_t card;
	int ret, rc, changed = 0;

	ret = db->get(db, txn, &k, &d, DB_RMW);
	if (ret == DB_NOTFOUND)
		memset(&c, 0, sizeof c);
	else if (ret != 0)
		return store_err(ret);
	else if ((rc = chunk_decode(vbuf, d.size, &c)) != HE_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		unsigned v = ch[i].id & (POST_CHUNK_IDS - 1);
		uint64_t bit = 1ull << (v % 64), *w = &c.w[v / 64];

		if (ch[i].add ? !(*w & bit) : (*w & bit) != 0) {
			*w ^= bit;
			changed = 1;
		}
	}
	if (!changed)
		return HE_OK;
	if ((card = chunk_card(&c)) == 0)
		return store_err(db->del(db, txn, &k, 0));
	d.flags = 0;
	d.size = (u_int32_t)chunk_encode(&c, card, vbuf);
	return store_err(db->put(db, txn, &k, &d, 0));
}

int
store_post_apply(struct store *st, DB_TXN *txn, struct post_change *ch,
    size_t n)
{
	DB *db = st->db[STORE_POST];
	int rc;

	if (n == 0)		/* a write that moved no key: ch may be NULL */
		return HE_OK;
	for (size_t i = 0; i < n; i++)
		if (!key_ok(ch[i].key, strlen(ch[i].key)))
			return HE_INVALID;
	qsort(ch, n, sizeof *ch, change_cmp);
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && strcmp(ch[j].key, ch[i].key) == 0 &&
		    ch[j].id >> POST_CHUNK_BITS == ch[i].id >> POST_CHUNK_BITS; j++)
			;
		if ((rc = apply_chunk(db, txn, ch + i, j - i)) != HE_OK)
			return rc;
	}
	return HE_OK;
}

/*
 * Walks the chunks of key in order: fn gets each chunk's number and its
 * stored bytes. Positioned with one DB_SET_RANGE, then DB_NEXT while the
 * key matches.
 */
static int
each_chunk(struct store *st, DB_TXN *txn, const char *key,
    int (*fn)(uint32_t chunk, const unsigned char *d, size_t size, void *ctx),
    void *ctx)
{
	DB *db = st->db[STORE_POST];
	size_t klen = strlen(key);
	unsigned char kbuf[DBKEY_MAX], start[DBKEY_MAX], vbuf[1 + WORDS * 8];
	DBT k = { .data = kbuf, .ulen = sizeof kbuf, .flags = DB_DBT_USERMEM };
	DBT d = { .data = vbuf, .ulen = sizeof vbuf, .flags = DB_DBT_USERMEM };
	DBC *cur;
	int ret, rc = HE_OK;

	if (!key_ok(key, klen))
		return HE_INVALID;
	k.size = (u_int32_t)db_key(key, klen, 0, start);
	memcpy(kbuf, start, k.size);
	if ((ret = db->cursor(db, txn, &cur, 0)) != 0)
		return store_err(ret);
	ret = cur->get(cur, &k, &d, DB_SET_RANGE | DB_READ_COMMITTED);
	while (ret == 0 && k.size == klen + 5 && memcmp(kbuf, start, klen + 1) == 0) {
		if ((rc = fn(chunk_of_dbkey(kbuf, k.size), vbuf, d.size, ctx)) != HE_OK)
			break;
		ret = cur->get(cur, &k, &d, DB_NEXT | DB_READ_COMMITTED);
	}
	cur->close(cur);
	if (rc != HE_OK)
		return rc;
	return ret == 0 || ret == DB_NOTFOUND ? HE_OK : store_err(ret);
}

static int
read_chunk(uint32_t chunk, const unsigned char *d, size_t size, void *ctx)
{
	roaring_bitmap_t *out = ctx;
	uint32_t ids[POST_CHUNK_IDS], base = chunk << POST_CHUNK_BITS;
	size_t n = 0;

	if (size >= 1 && d[0] == CHUNK_ARRAY && (size - 1) % 2 == 0) {
		for (size_t i = 1; i < size; i += 2)
			ids[n++] = base + (d[i] | (uint32_t)d[i + 1] << 8);
	} else {
		struct chunk c;
		int rc = chunk_decode(d, size, &c);

		if (rc != HE_OK)
			return rc;
		for (size_t i = 0; i < WORDS; i++)
			for (uint64_t w = c.w[i]; w; w &= w - 1)
				ids[n++] = base + (uint32_t)(i * 64) +
				    (uint32_t)__builtin_ctzll(w);
	}
	roaring_bitmap_add_many(out, n, ids);
	return HE_OK;
}

int
store_post_read(struct store *st, DB_TXN *txn, const char *key,
    roaring_bitmap_t *out)
{
	return each_chunk(st, txn, key, read_chunk, out);
}

struct bounded {
	roaring_bitmap_t *out;
	uint64_t max;
};

static int
read_chunk_bounded(uint32_t chunk, const unsigned char *d, size_t size,
    void *ctx)
{
	struct bounded *b = ctx;
	int rc = read_chunk(chunk, d, size, b->out);

	if (rc == HE_OK && roaring_bitmap_get_cardinality(b->out) > b->max)
		return HE_EXISTS;	/* enough: stop the walk */
	return rc;
}

int
store_post_read_max(struct store *st, DB_TXN *txn, const char *key,
    uint64_t max, roaring_bitmap_t *out)
{
	struct bounded b = { out, max };
	int rc = each_chunk(st, txn, key, read_chunk_bounded, &b);

	return rc == HE_EXISTS ? HE_OK : rc;
}

int
store_post_has(struct store *st, DB_TXN *txn, const char *key, uint32_t id)
{
	DB *db = st->db[STORE_POST];
	size_t klen = strlen(key);
	unsigned char kbuf[DBKEY_MAX], vbuf[1 + WORDS * 8];
	DBT k = { .data = kbuf };
	DBT d = { .data = vbuf, .ulen = sizeof vbuf, .flags = DB_DBT_USERMEM };
	struct chunk c;
	unsigned v = id & (POST_CHUNK_IDS - 1);
	int ret, rc;

	if (!key_ok(key, klen))
		return HE_INVALID;
	k.size = (u_int32_t)db_key(key, klen, id >> POST_CHUNK_BITS, kbuf);
	if ((ret = db->get(db, txn, &k, &d, DB_READ_COMMITTED)) != 0)
		return store_err(ret);
	if ((rc = chunk_decode(vbuf, d.size, &c)) != HE_OK)
		return rc;
	return c.w[v / 64] & (1ull << (v % 64)) ? HE_OK : HE_NOTFOUND;
}

static int
count_chunk(uint32_t chunk, const unsigned char *d, size_t size, void *ctx)
{
	uint64_t *n = ctx;
	struct chunk c;
	int rc;

	(void)chunk;
	if (size >= 1 && d[0] == CHUNK_ARRAY) {
		*n += (size - 1) / 2;
		return HE_OK;
	}
	if ((rc = chunk_decode(d, size, &c)) != HE_OK)
		return rc;
	*n += chunk_card(&c);
	return HE_OK;
}

int
store_post_count(struct store *st, DB_TXN *txn, const char *key, uint64_t *n)
{
	*n = 0;
	return each_chunk(st, txn, key, count_chunk, n);
}

/* The walk of store_post_keys; with count 0, fn gets 0 and no key's
 * chunks are read but its first (one lookup per key). */
static int
keys_walk(struct store *st, DB_TXN *txn, const char *prefix, int reverse,
    int count, int (*fn)(const char *key, uint64_t count, void *ctx), void *ctx)
{
	DB *db = st->db[STORE_POST];
	size_t plen = strlen(prefix);
	unsigned char kbuf[DBKEY_MAX], vbuf[1 + WORDS * 8];
	char name[POST_KEY_MAX + 1];
	DBT k = { .data = kbuf, .ulen = sizeof kbuf, .flags = DB_DBT_USERMEM };
	DBT d = { .data = vbuf, .ulen = sizeof vbuf, .flags = DB_DBT_USERMEM };
	DBC *cur;
	int ret, rc = HE_OK;

	if (plen > POST_KEY_MAX)
		return HE_INVALID;
	if ((ret = db->cursor(db, txn, &cur, 0)) != 0)
		return store_err(ret);
	memcpy(kbuf, prefix, plen);
	k.size = (u_int32_t)plen;
	if (!reverse) {
		ret = cur->get(cur, &k, &d, DB_SET_RANGE | DB_READ_COMMITTED);
	} else {
		/* Just past the last key with the prefix: the prefix with its
		 * last byte raised (or the end of the database). */
		size_t n = plen;

		while (n > 0 && kbuf[n - 1] == 0xff)
			n--;
		if (n > 0) {
			kbuf[n - 1]++;
			k.size = (u_int32_t)n;
			ret = cur->get(cur, &k, &d, DB_SET_RANGE | DB_READ_COMMITTED);
		} else
			ret = DB_NOTFOUND;
		ret = cur->get(cur, &k, &d, (ret == 0 ? DB_PREV : DB_LAST) |
		    DB_READ_COMMITTED);
	}
	while (ret == 0 && k.size >= plen + 5 && memcmp(kbuf, prefix, plen) == 0) {
		size_t klen = k.size - 5;
		uint64_t n = 0;

		memcpy(name, kbuf, klen);
		name[klen] = 0;
		if ((count && (rc = store_post_count(st, txn, name, &n)) != HE_OK) ||
		    (rc = fn(name, n, ctx)) != HE_OK)
			break;
		/* To the neighbour key: past the last chunk, or before the first. */
		k.size = (u_int32_t)db_key(name, klen, reverse ? 0 : UINT32_MAX, kbuf);
		if (reverse) {
			ret = cur->get(cur, &k, &d, DB_SET_RANGE | DB_READ_COMMITTED);
			ret = cur->get(cur, &k, &d, DB_PREV | DB_READ_COMMITTED);
		} else {
			ret = cur->get(cur, &k, &d, DB_SET_RANGE | DB_READ_COMMITTED);
			if (ret == 0 && k.size == klen + 5 &&
			    memcmp(kbuf, name, klen + 1) == 0)
				ret = cur->get(cur, &k, &d, DB_NEXT | DB_READ_COMMITTED);
		}
	}
	cur->close(cur);
	if (rc != HE_OK)
		return rc;
	return ret == 0 || ret == DB_NOTFOUND ? HE_OK : store_err(ret);
}

int
store_post_keys(struct store *st, DB_TXN *txn, const char *prefix,
    int reverse, int (*fn)(const char *key, uint64_t count, void *ctx),
    void *ctx)
{
	return keys_walk(st, txn, prefix, reverse, 1, fn, ctx);
}

int
store_post_names(struct store *st, DB_TXN *txn, const char *prefix,
    int reverse, int (*fn)(const char *key, uint64_t count, void *ctx),
    void *ctx)
{
	return keys_walk(st, txn, prefix, reverse, 0, fn, ctx);
}

int
store_post_each(struct store *st, DB_TXN *txn,
    int (*fn)(const char *key, uint32_t id, void *ctx), void *ctx)
{
	DB *db = st->db[STORE_POST];
	unsigned char kbuf[DBKEY_MAX], vbuf[1 + WORDS * 8];
	char name[POST_KEY_MAX + 1];
	DBT k = { .data = kbuf, .ulen = sizeof kbuf, .flags = DB_DBT_USERMEM };
	DBT d = { .data = vbuf, .ulen = sizeof vbuf, .flags = DB_DBT_USERMEM };
	DBC *cur;
	int ret, rc = HE_OK;

	if ((ret = db->cursor(db, txn, &cur, 0)) != 0)
		return store_err(ret);
	while (rc == HE_OK &&
	    (ret = cur->get(cur, &k, &d, DB_NEXT | DB_READ_COMMITTED)) == 0) {
		struct chunk c;
		uint32_t base;

		if (k.size < 6 || k.size - 5 > POST_KEY_MAX ||
		    chunk_decode(vbuf, d.size, &c) != HE_OK) {
			rc = HE_INVALID;
			break;
		}
		memcpy(name, kbuf, k.size - 5);
		name[k.size - 5] = 0;
		base = chunk_of_dbkey(kbuf, k.size) << POST_CHUNK_BITS;
		for (size_t i = 0; rc == HE_OK && i < WORDS; i++)
			for (uint64_t w = c.w[i]; rc == HE_OK && w; w &= w - 1)
				rc = fn(name, base + (uint32_t)(i * 64) +
				    (uint32_t)__builtin_ctzll(w), ctx);
	}
	cur->close(cur);
	if (rc != HE_OK)
		return rc;
	return ret == DB_NOTFOUND ? HE_OK : store_err(ret);
}
