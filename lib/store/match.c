/* match.c: STORE_MATCH, candidates' match records in blocks of 64 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "store/match.h"
#include "store/store.h"
#include "util/he.h"

/* One candidate's record inside a block being read or made. */
struct entry {
	uint8_t low;		/* id % 64 */
	uint16_t len;
	const unsigned char *rec;
};

/* A block as its entries, in id order. */
struct block {
	struct entry e[STORE_MATCH_PER_BLOCK];
	size_t n;
};

/* The largest block value: every candidate of it at the longest. */
#define BLOCK_MAX (1 + STORE_MATCH_PER_BLOCK * (3 + STORE_MATCH_REC_MAX))

static int
block_parse(const unsigned char *p, size_t len, struct block *b)
{
	size_t off = 1;
	int last = -1;

	b->n = 0;
	if (len < 1 || p[0] != STORE_MATCH_VERSION)
		return HE_INVALID;
	while (off < len) {
		struct entry *e;

		if (len - off < 3 || b->n == STORE_MATCH_PER_BLOCK ||
		    p[off] >= STORE_MATCH_PER_BLOCK || (int)p[off] <= last)
			return HE_INVALID;
		e = &b->e[b->n++];
		e->low = p[off];
		e->len = (uint16_t)(p[off + 1] | p[off + 2] << 8);
		e->rec = p + off + 3;
		last = e->low;
		off += 3;
		if (e->len > len - off)
			return HE_INVALID;
		off += e->len;
	}
	return HE_OK;
}

/* Writes b into out (BLOCK_MAX bytes); its length. */
static size_t
block_make(const struct block *b, unsigned char *out)
{
	size_t off = 1;

	out[0] = STORE_MATCH_VERSION;
	for (size_t i = 0; i < b->n; i++) {
		out[off] = b->e[i].low;
		out[off + 1] = (unsigned char)b->e[i].len;
		out[off + 2] = (unsigned char)(b->e[i].len >> 8);
		memcpy(out + off + 3, b->e[i].rec, b->e[i].len);
		off += 3 + b->e[i].len;
	}
	return off;
}

/* Sets (rec not NULL) or removes low's entry of b. */
static void
block_set(struct block *b, uint8_t low, const void *rec, size_t len)
{
	size_t i = 0;

	while (i < b->n && b->e[i].low < low)
		i++;
	if (i < b->n && b->e[i].low == low) {
		if (rec == NULL) {
			memmove(&b->e[i], &b->e[i + 1], (b->n - i - 1) * sizeof *b->e);
			b->n--;
			return;
		}
	} else {
		if (rec == NULL)
			return;
		memmove(&b->e[i + 1], &b->e[i], (b->n - i) * sizeof *b->e);
		b->n++;
	}
	b->e[i].low = low;
	b->e[i].len = (uint16_t)len;
	b->e[i].rec = rec;
}

/* Reads block bno in txn (with DB_RMW when rmw) into b; *raw holds the
 * bytes b points into (caller frees; NULL when there is no block). */
static int
block_read(struct store *st, DB_TXN *txn, uint64_t bno, int rmw,
    struct block *b, void **raw)
{
	unsigned char key[8];
	DBT k = { .data = key, .size = sizeof key };
	DBT d = { .flags = DB_DBT_MALLOC };
	int ret, rc;

	*raw = NULL;
	b->n = 0;
	store_u64_key(bno, key);
	ret = st->db[STORE_MATCH]->get(st->db[STORE_MATCH], txn, &k, &d,
	    rmw ? DB_RMW : 0);
	if (ret == DB_NOTFOUND)
		return HE_OK;
	if (ret != 0)
		return store_err(ret);
	*raw = d.data;
	if ((rc = block_parse(d.data, d.size, b)) != HE_OK) {
		/* A damaged block is replaced rather than kept for ever. */
		b->n = 0;
		return rmw ? HE_OK : rc;
	}
	return HE_OK;
}

static int
block_write(struct store *st, DB_TXN *txn, uint64_t bno, const struct block *b,
    int existed)
{
	unsigned char key[8];
	DBT k = { .data = key, .size = sizeof key };
	DBT d = { 0 };
	unsigned char *buf;
	int ret;

	store_u64_key(bno, key);
	if (b->n == 0) {
		if (!existed)
			return HE_OK;
		ret = st->db[STORE_MATCH]->del(st->db[STORE_MATCH], txn, &k, 0);
		return ret == DB_NOTFOUND ? HE_OK : store_err(ret);
	}
	if ((buf = malloc(BLOCK_MAX)) == NULL)
		return HE_NOMEM;
	d.data = buf;
	d.size = (u_int32_t)block_make(b, buf);
	ret = st->db[STORE_MATCH]->put(st->db[STORE_MATCH], txn, &k, &d, 0);
	free(buf);
	return store_err(ret);
}

int
store_match_put(struct store *st, DB_TXN *txn, uint64_t id, const void *rec,
    size_t len)
{
	struct block b;
	void *raw;
	int rc, existed;

	if (rec && (len == 0 || len > STORE_MATCH_REC_MAX))
		return HE_INVALID;
	if ((rc = block_read(st, txn, id / STORE_MATCH_PER_BLOCK, 1, &b,
	    &raw)) != HE_OK)
		return rc;
	existed = raw != NULL;
	/* Most edits change nothing that matching reads: no write then. */
	for (size_t i = 0; rec && i < b.n; i++)
		if (b.e[i].low == id % STORE_MATCH_PER_BLOCK && b.e[i].len == len &&
		    memcmp(b.e[i].rec, rec, len) == 0) {
			free(raw);
			return HE_OK;
		}
	block_set(&b, (uint8_t)(id % STORE_MATCH_PER_BLOCK), rec, len);
	rc = block_write(st, txn, id / STORE_MATCH_PER_BLOCK, &b, existed);
	free(raw);
	return rc;
}

int
store_match_get(struct store *st, DB_TXN *txn, uint64_t id, void *buf,
    size_t size, size_t *len)
{
	struct block b;
	void *raw;
	int rc = HE_NOTFOUND;

	if ((rc = block_read(st, txn, id / STORE_MATCH_PER_BLOCK, 0, &b,
	    &raw)) != HE_OK) {
		free(raw);
		return rc;
	}
	rc = HE_NOTFOUND;
	for (size_t i = 0; i < b.n; i++)
		if (b.e[i].low == id % STORE_MATCH_PER_BLOCK) {
			if (b.e[i].len > size)
				rc = HE_INVALID;
			else {
				memcpy(buf, b.e[i].rec, b.e[i].len);
				*len = b.e[i].len;
				rc = HE_OK;
			}
			break;
		}
	free(raw);
	return rc;
}

/* Sorts by id; for equal ids the later change last (pointer order,
 * the array being one). */
static int
change_cmp(const void *a, const void *b)
{
	const struct store_match_change *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x < y ? -1 : x > y;
}

static void
sort_changes(struct store_match_change *ch, size_t n)
{
	/* qsort is not stable: make the order of equal ids the original one
	 * by sorting (id, position) pairs. */
	struct pair { struct store_match_change c; size_t pos; } *p;

	if (n < 2)
		return;
	if ((p = malloc(n * sizeof *p)) == NULL) {
		/* Without memory the later change may lose: sort in place. */
		qsort(ch, n, sizeof *ch, change_cmp);
		return;
	}
	for (size_t i = 0; i < n; i++)
		p[i] = (struct pair){ ch[i], i };
	qsort(p, n, sizeof *p, change_cmp);	/* the id is first: ties by address */
	for (size_t i = 0; i < n; i++)
		ch[i] = p[i].c;
	free(p);
}

static int
apply(struct store *st, DB_TXN *txn, struct store_match_change *ch, size_t n,
    int replace)
{
	size_t i = 0;
	int rc = HE_OK;

	for (size_t j = 0; j < n; j++)
		if (ch[j].rec && (ch[j].len == 0 || ch[j].len > STORE_MATCH_REC_MAX))
			return HE_INVALID;
	sort_changes(ch, n);
	while (rc == HE_OK && i < n) {
		uint64_t bno = ch[i].id / STORE_MATCH_PER_BLOCK;
		struct block b;
		void *raw = NULL;
		int existed = 1;

		if (!replace) {
			rc = block_read(st, txn, bno, 1, &b, &raw);
			existed = raw != NULL;
		} else
			b.n = 0;
		for (; rc == HE_OK && i < n &&
		    ch[i].id / STORE_MATCH_PER_BLOCK == bno; i++)
			block_set(&b, (uint8_t)(ch[i].id % STORE_MATCH_PER_BLOCK),
			    ch[i].rec, ch[i].len);
		if (rc == HE_OK)
			rc = block_write(st, txn, bno, &b, existed);
		free(raw);
	}
	return rc;
}

int
store_match_apply(struct store *st, DB_TXN *txn, struct store_match_change *ch,
    size_t n)
{
	return apply(st, txn, ch, n, 0);
}

int
store_match_replace(struct store *st, DB_TXN *txn, uint64_t first_block,
    uint64_t end_block, struct store_match_change *ch, size_t n)
{
	unsigned char key[8];
	DBT k = { .data = key, .size = sizeof key, .ulen = sizeof key,
	    .flags = DB_DBT_USERMEM };
	DBT d = { .flags = DB_DBT_PARTIAL };	/* the values are not needed */
	DBC *c;
	int ret, rc = HE_OK;

	for (size_t i = 0; i < n; i++)
		if (ch[i].id / STORE_MATCH_PER_BLOCK < first_block ||
		    ch[i].id / STORE_MATCH_PER_BLOCK >= end_block)
			return HE_INVALID;
	if ((ret = st->db[STORE_MATCH]->cursor(st->db[STORE_MATCH], txn, &c,
	    0)) != 0)
		return store_err(ret);
	store_u64_key(first_block, key);
	for (ret = c->get(c, &k, &d, DB_SET_RANGE | DB_RMW); ret == 0;
	    ret = c->get(c, &k, &d, DB_NEXT | DB_RMW)) {
		if (k.size != 8 || store_u64_from(key) >= end_block)
			break;
		if ((ret = c->del(c, 0)) != 0)
			break;
	}
	if (ret != 0 && ret != DB_NOTFOUND)
		rc = store_err(ret);
	c->close(c);
	if (rc == HE_OK)
		rc = apply(st, txn, ch, n, 1);
	return rc;
}

/* ---- scans ---- */

static int
each_in_block(uint64_t bno, const void *data, size_t size, store_match_fn fn,
    void *ctx)
{
	struct block b;
	int rc;

	if (block_parse(data, size, &b) != HE_OK)
		return HE_INVALID;
	for (size_t i = 0; i < b.n; i++)
		if ((rc = fn(bno * STORE_MATCH_PER_BLOCK + b.e[i].low, b.e[i].rec,
		    b.e[i].len, ctx)) != 0)
			return rc;
	return 0;
}

#define SCAN_BUFFER (4u << 20)	/* many 64 KiB pages a call */
#define SCAN_RETRIES 5

int
store_match_scan(struct store *st, store_match_fn fn, void *ctx)
{
	DB *db = st->db[STORE_MATCH];
	unsigned char from[8];
	size_t cap = SCAN_BUFFER;
	/* Mapped and unmapped each time: malloc would keep the 4 MiB in a web
	 * worker's heap (glibc raises its mmap threshold after a free). */
	void *buf = mmap(NULL, cap, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int retries = 0, rc = 0, ret;

	if (buf == MAP_FAILED)
		return HE_NOMEM;
	store_u64_key(0, from);
	while (rc == 0) {
		DBC *c;
		DBT k = { .data = from, .size = sizeof from };
		DBT d = { .data = buf, .ulen = (u_int32_t)cap,
		    .flags = DB_DBT_USERMEM };
		u_int32_t op = DB_SET_RANGE;

		if ((ret = db->cursor(db, NULL, &c, DB_READ_COMMITTED)) != 0) {
			rc = store_err(ret);
			break;
		}
		/* A scan passes every page through the shared cache: its pages
		 * go first when room is needed, not the other databases'. */
		c->set_priority(c, DB_PRIORITY_VERY_LOW);
		/* After a deadlock the scan resumes from the block after the
		 * last one seen (from is set to it). */
		for (;;) {
			void *p;
			u_int32_t cur_op = op | DB_MULTIPLE_KEY;

			k.data = from;
			k.size = sizeof from;
			ret = c->get(c, &k, &d, cur_op);
			if (ret == DB_BUFFER_SMALL) {
				void *nb;
				size_t need = d.size > cap * 2 ? d.size : cap * 2;

				need = (need + 4095) & ~(size_t)4095;
				nb = mmap(NULL, need, PROT_READ | PROT_WRITE,
				    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
				if (nb == MAP_FAILED) {
					ret = ENOMEM;
					break;
				}
				munmap(buf, cap);
				buf = nb;
				cap = need;
				d.data = buf;
				d.ulen = (u_int32_t)cap;
				continue;
			}
			if (ret != 0)
				break;
			op = DB_NEXT;
			DB_MULTIPLE_INIT(p, &d);
			for (;;) {
				void *kd, *vd;
				u_int32_t kl, vl;
				uint64_t bno;

				DB_MULTIPLE_KEY_NEXT(p, &d, kd, kl, vd, vl);
				if (p == NULL)
					break;
				if (kl != 8) {
					rc = HE_INVALID;
					break;
				}
				bno = store_u64_from(kd);
				if ((rc = each_in_block(bno, vd, vl, fn, ctx)) != 0)
					break;
				store_u64_key(bno + 1, from);
			}
			if (rc != 0)
				break;
		}
		c->close(c);
		if (rc != 0 || ret == DB_NOTFOUND)
			break;
		if ((ret == DB_LOCK_DEADLOCK || ret == DB_LOCK_NOTGRANTED) &&
		    ++retries <= SCAN_RETRIES)
			continue;
		rc = ret == ENOMEM ? HE_NOMEM : store_err(ret);
	}
	munmap(buf, cap);
	return rc;
}

int
store_match_scan_ids(struct store *st, const uint32_t *ids, size_t n,
    store_match_fn fn, void *ctx)
{
	size_t i = 0;
	int rc = 0;

	while (rc == 0 && i < n) {
		uint64_t bno = ids[i] / STORE_MATCH_PER_BLOCK;
		struct block b;
		void *raw;
		size_t j = 0;

		if ((rc = block_read(st, NULL, bno, 0, &b, &raw)) != HE_OK) {
			free(raw);
			return rc;
		}
		/* Both in id order: walk them together. */
		for (; rc == 0 && i < n && ids[i] / STORE_MATCH_PER_BLOCK == bno; i++) {
			uint8_t low = (uint8_t)(ids[i] % STORE_MATCH_PER_BLOCK);

			while (j < b.n && b.e[j].low < low)
				j++;
			if (j < b.n && b.e[j].low == low)
				rc = fn(ids[i], b.e[j].rec, b.e[j].len, ctx);
		}
		free(raw);
	}
	return rc;
}

int
store_match_cands(struct store *st, DB_TXN *txn, uint64_t from, uint64_t end,
    int (*fn)(uint64_t id, json_t *rec, void *ctx), void *ctx, uint64_t *next)
{
	DB *db = st->db[STORE_CAND];
	unsigned char key[8];
	DBT k = { .data = key, .size = sizeof key, .ulen = sizeof key,
	    .flags = DB_DBT_USERMEM };
	DBT d = { .flags = DB_DBT_REALLOC };
	DBC *c;
	int ret, rc = HE_OK;

	*next = 0;
	if ((ret = db->cursor(db, txn, &c, 0)) != 0)
		return store_err(ret);
	store_u64_key(from, key);
	for (ret = c->get(c, &k, &d, DB_SET_RANGE); ret == 0;
	    ret = c->get(c, &k, &d, DB_NEXT)) {
		uint64_t id;
		json_t *rec;

		if (k.size != 8)
			continue;
		id = store_u64_from(key);
		if (id >= end) {
			*next = id;
			break;
		}
		if (store_rec_decode(d.data, d.size, &rec) != HE_OK)
			continue;	/* not a record: nothing to match */
		rc = fn(id, rec, ctx);
		json_decref(rec);
		if (rc != 0)
			break;
	}
	if (rc == HE_OK && ret != 0 && ret != DB_NOTFOUND)
		rc = store_err(ret);
	c->close(c);
	free(d.data);
	return rc;
}
