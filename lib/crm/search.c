/* search.c: one sorted page of the candidates a filter matches */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "crm/engage.h"
#include "crm/query.h"
#include "store/entities.h"
#include "store/postings.h"
#include "store/store.h"
#include "util/he.h"
#include "util/words.h"

/* Results up to this size are sorted by name without the buckets: reading
 * a match's names costs about as much as a few postings chunks. */
#define NAME_DIRECT_MAX 2000

struct page {
	struct store *st;
	const roaring_bitmap_t *match;
	size_t offset, want;	/* ids to skip, then to collect */
	uint64_t *ids;
	size_t n;
	uint64_t skipped;	/* matches passed over so far */
	roaring_bitmap_t *seen;	/* SORT_ENGAGED, SORT_SCORE: matches placed */
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
	char sn[4];		/* its "sn:" bucket (name_bucket) */
	char key[128];
};

static int
named_cmp(const void *a, const void *b)
{
	const struct named *x = a, *y = b;
	int c = strcmp(x->sn, y->sn);

	if (c == 0)
		c = strcmp(x->key, y->key);
	return c ? c : (x->id > y->id) - (x->id < y->id);
}

/*
 * The bucket of index.c's "sn:" key (add_sort_name): the first two letters
 * of the folded surname (or name), "~" for other scripts or none. A page
 * sorted without walking the buckets must order by it first, as the walk
 * does ("Dąbrowski" is in bucket "d", before "da").
 */
static void
name_bucket(const char *last, const char *name, char out[4])
{
	const char *n = last && *last ? last : name && *name ? name : NULL;
	char folded[64];

	if (n == NULL || words_fold(n, folded, sizeof folded) == 0 ||
	    (unsigned char)folded[0] >= 0x80) {
		memcpy(out, "~", 2);
		return;
	}
	out[0] = folded[0];
	out[1] = folded[1] && folded[1] != ' ' &&
	    (unsigned char)folded[1] < 0x80 ? folded[1] : 0;
	out[2] = 0;
}

static void
name_key_of(const char *last, const char *first, const char *name, char *out,
    size_t size, char sn[4])
{
	size_t n;

	name_bucket(last, name, sn);
	if (last == NULL || *last == 0)
		last = name;
	n = words_fold(last ? last : "", out, size);
	if (n + 2 < size) {
		out[n] = ' ';
		words_fold(first ? first : "", out + n + 1, size - n - 1);
	}
}

static void
name_key(json_t *rec, char *out, size_t size, char sn[4])
{
	name_key_of(json_string_value(json_object_get(rec, "last_name")),
	    json_string_value(json_object_get(rec, "first_name")),
	    json_string_value(json_object_get(rec, "name")), out, size, sn);
}

/*
 * Sorting a bucket by name reads every match in it, and most of a
 * record's bytes are résumé and note terms, often in overflow pages:
 * decoding whole records was nearly all the time of a name-sorted page.
 * So the names are read from the record's first NAME_PEEK bytes (records
 * are written with them first), scanned without building the JSON tree;
 * whatever is not plainly there (a field further on, an escape, a value
 * that is not a string) sends that record to the full decode.
 */
#define NAME_PEEK 1024
#define NAME_FIELDS 3	/* last_name, first_name, name */

static const char *const name_fields[NAME_FIELDS] = {
	"last_name", "first_name", "name",
};

static const unsigned char *
skip_ws(const unsigned char *p, const unsigned char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/* Past the JSON value at p; NULL when it does not end before end. */
static const unsigned char *
skip_value(const unsigned char *p, const unsigned char *end)
{
	int depth = 0, str = 0;

	for (; p < end; p++) {
		if (str) {
			if (*p == '\\')
				p++;
			else if (*p == '"') {
				str = 0;
				if (depth == 0)
					return p + 1;
			}
			continue;
		}
		if (*p == '"')
			str = 1;
		else if (*p == '{' || *p == '[')
			depth++;
		else if (*p == '}' || *p == ']') {
			if (depth == 0)
				return p;
			if (--depth == 0)
				return p + 1;
		} else if (depth == 0 && (*p == ',' || *p == ' ' || *p == '\n'))
			return p;
	}
	return NULL;
}

/*
 * The three name fields of the record text p[0..n) (JSON, maybe cut
 * short), NUL-terminated into buf (3 * 256 bytes; v[i] NULL when absent).
 * 1: every field the key needs was read; 0: read it in full instead.
 */
static int
scan_names(const unsigned char *p, size_t n, char buf[NAME_FIELDS][256],
    const char *v[NAME_FIELDS])
{
	const unsigned char *end = p + n;
	int seen[NAME_FIELDS] = { 0 };

	for (int i = 0; i < NAME_FIELDS; i++)
		v[i] = NULL;
	p = skip_ws(p, end);
	if (p == end || *p++ != '{')
		return 0;
	for (;;) {
		const unsigned char *key, *val;
		int f = -1;

		p = skip_ws(p, end);
		if (p < end && *p == '}')
			return 1;	/* the whole record: absent is absent */
		if (p == end || *p != '"')
			break;
		for (key = ++p; p < end && *p != '"' && *p != '\\'; p++)
			;
		if (p == end || *p == '\\')
			break;
		for (int i = 0; i < NAME_FIELDS; i++)
			if ((size_t)(p - key) == strlen(name_fields[i]) &&
			    memcmp(key, name_fields[i], (size_t)(p - key)) == 0)
				f = i;
		p = skip_ws(p + 1, end);
		if (p == end || *p++ != ':')
			break;
		p = skip_ws(p, end);
		if (f >= 0) {
			if (p == end || *p != '"' || seen[f])
				break;
			for (val = ++p; p < end && *p != '"' && *p != '\\'; p++)
				;
			if (p == end || *p == '\\' || (size_t)(p - val) >= 256)
				break;
			memcpy(buf[f], val, (size_t)(p - val));
			buf[f][p - val] = 0;
			v[f] = buf[f];
			seen[f] = 1;
			p++;
		} else if ((p = skip_value(p, end)) == NULL)
			break;
		/* Enough when both names are known (with a surname to use). */
		if (seen[0] && seen[1] && (v[0][0] || seen[2]))
			return 1;
		p = skip_ws(p, end);
		if (p < end && *p == ',')
			p++;
		else if (p == end || *p != '}')
			break;
	}
	return 0;
}

/* The sort key of candidate id into out and its bucket into sn;
 * HE_NOTFOUND when deleted. */
static int
cand_name_key(struct store *st, uint64_t id, char *out, size_t size,
    char sn[4])
{
	DB *db = st->db[STORE_CAND];
	unsigned char key[8], peek[NAME_PEEK];
	char buf[NAME_FIELDS][256];
	const char *v[NAME_FIELDS];
	DBT k = { .data = key, .size = sizeof key };
	DBT d = { .data = peek, .ulen = sizeof peek, .dlen = sizeof peek,
	    .flags = DB_DBT_USERMEM | DB_DBT_PARTIAL };
	json_t *rec;
	int ret, rc;

	store_u64_key(id, key);
	if ((ret = db->get(db, NULL, &k, &d, 0)) != 0)
		return store_err(ret);
	if (d.size > 1 && peek[0] == STORE_REC_VERSION &&
	    scan_names(peek + 1, d.size - 1, buf, v)) {
		name_key_of(v[0], v[1], v[2], out, size, sn);
		return HE_OK;
	}
	if ((rc = store_cand_get(st, NULL, id, 0, &rec)) != HE_OK)
		return rc;
	name_key(rec, out, size, sn);
	json_decref(rec);
	return HE_OK;
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
		v[i].id = it->current_value;
		if ((rc = cand_name_key(p->st, v[i].id, v[i].key,
		    sizeof v[i].key, v[i].sn)) == HE_OK)
			i++;
		else if (rc == HE_NOTFOUND)	/* deleted since: skip it */
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

/*
 * Sorting by score (engage.h): the coarse buckets "sc:" from the top,
 * counted against the matches until one reaches the page; in that one,
 * a few matches are read and ordered by their exact key at once, many
 * through its fine buckets "sk:", each ordered exactly when it reaches
 * the page. Matches with no score follow, newest first.
 */
#define SCORE_DIRECT_MAX 256

struct scored {
	uint64_t id;
	double k;
};

static int
scored_cmp(const void *a, const void *b)
{
	const struct scored *x = a, *y = b;

	if (x->k != y->k)
		return x->k < y->k ? 1 : -1;
	return (x->id < y->id) - (x->id > y->id);
}

/* A number at p (JSON, up to 63 bytes) into *v, integer only when want_int;
 * past it, or NULL when it is not plainly one. */
static const unsigned char *
scan_number(const unsigned char *p, const unsigned char *end, int want_int,
    double *v, long long *iv)
{
	char buf[64], *e;
	size_t n = 0;

	while (p + n < end && n < sizeof buf - 1 && p[n] &&
	    (strchr("-+.eE", p[n]) || (p[n] >= '0' && p[n] <= '9')))
		n++;
	if (n == 0 || n == sizeof buf - 1 || p + n == end)
		return NULL;
	memcpy(buf, p, n);
	buf[n] = 0;
	if (want_int) {
		if (strpbrk(buf, ".eE"))
			return NULL;	/* a real: jansson would not call it "t" */
		*iv = strtoll(buf, &e, 10);
	} else
		*v = strtod(buf, &e);
	return *e == 0 ? p + n : NULL;
}

/*
 * The score ("eng": {"s", "t"}) of the record text p[0..n), scanned
 * without building the JSON tree (most of a record is words of its CV and
 * notes: decoding it whole was most of a score-sorted page's time).
 * 1: found (*s, *t); 0: the record has none; -1: not plainly there (read
 * it in full instead).
 */
static int
scan_eng(const unsigned char *p, size_t n, double *s, long long *t)
{
	const unsigned char *end = p + n;

	p = skip_ws(p, end);
	if (p == end || *p++ != '{')
		return -1;
	for (;;) {
		const unsigned char *key;
		int seen_s = 0, seen_t = 0;

		p = skip_ws(p, end);
		if (p < end && *p == '}')
			return 0;
		if (p == end || *p != '"')
			return -1;
		for (key = ++p; p < end && *p != '"' && *p != '\\'; p++)
			;
		if (p == end || *p == '\\')
			return -1;
		if (p - key != 3 || memcmp(key, "eng", 3) != 0) {
			p = skip_ws(p + 1, end);
			if (p == end || *p++ != ':' ||
			    (p = skip_value(skip_ws(p, end), end)) == NULL)
				return -1;
			p = skip_ws(p, end);
			if (p < end && *p == ',')
				p++;
			else if (p == end || *p != '}')
				return -1;
			continue;
		}
		/* "eng": {"s": number, "t": integer}, in either order. */
		p = skip_ws(p + 1, end);
		if (p == end || *p++ != ':' || (p = skip_ws(p, end)) == end ||
		    *p++ != '{')
			return -1;
		while (!(seen_s && seen_t)) {
			p = skip_ws(p, end);
			if (end - p < 4 || p[0] != '"' || p[2] != '"' ||
			    (p[1] != 's' && p[1] != 't'))
				return -1;
			if (p[1] == 's' ? seen_s++ : seen_t++)
				return -1;
			key = p + 1;
			p = skip_ws(p + 3, end);
			if (p == end || *p++ != ':')
				return -1;
			p = scan_number(skip_ws(p, end), end, *key == 't', s, t);
			if (p == NULL || (p = skip_ws(p, end)) == end)
				return -1;
			if (*p == ',' && !(seen_s && seen_t))
				p++;
			else if (*p != '}' || !(seen_s && seen_t))
				return -1;
		}
		return 1;
	}
}

/* The sort key of candidate id, -INFINITY with no score; HE_NOTFOUND when
 * deleted. */
static int
cand_score_k(struct store *st, uint64_t id, double *k)
{
	DB *db = st->db[STORE_CAND];
	unsigned char key[8];
	DBT kk = { .data = key, .size = sizeof key };
	DBT d = { .flags = DB_DBT_MALLOC };
	double s = 0;
	long long t = 0;
	json_t *rec;
	int ret, rc, found = -1;

	store_u64_key(id, key);
	if ((ret = db->get(db, NULL, &kk, &d, 0)) != 0)
		return store_err(ret);
	if (d.size > 1 && ((unsigned char *)d.data)[0] == STORE_REC_VERSION)
		found = scan_eng((unsigned char *)d.data + 1, d.size - 1, &s, &t);
	free(d.data);
	if (found == 1 && isfinite(s) && s > 0 && t > 0) {
		*k = engage_k_of(s, (int64_t)t);
		return HE_OK;
	}
	if (found >= 0) {
		*k = -INFINITY;
		return HE_OK;
	}
	if ((rc = store_cand_get(st, NULL, id, 0, &rec)) != HE_OK)
		return rc;
	if (!engage_sort_k(rec, k))
		*k = -INFINITY;
	json_decref(rec);
	return HE_OK;
}

/* Takes the part of b's matches that falls on the page, highest k first
 * (those with no score last, newest first): b is read when it reaches
 * the page. */
static int
take_scored(struct page *p, const roaring_bitmap_t *b)
{
	uint64_t c = roaring_bitmap_get_cardinality(b);
	size_t from, i = 0;
	struct scored *v;
	roaring_uint32_iterator_t *it;
	int rc = HE_OK;

	if (p->skipped + c <= p->offset) {
		p->skipped += c;
		return HE_OK;
	}
	from = p->offset > p->skipped ? (size_t)(p->offset - p->skipped) : 0;
	p->skipped += c;
	if ((v = calloc(c ? c : 1, sizeof *v)) == NULL)
		return HE_NOMEM;
	it = roaring_create_iterator(b);
	for (; it && it->has_value && rc == HE_OK;
	    roaring_advance_uint32_iterator(it)) {
		v[i].id = it->current_value;
		if ((rc = cand_score_k(p->st, v[i].id, &v[i].k)) == HE_OK)
			i++;
		else if (rc == HE_NOTFOUND)	/* deleted since: skip it */
			rc = HE_OK;
	}
	roaring_free_uint32_iterator(it);
	if (rc == HE_OK) {
		qsort(v, i, sizeof *v, scored_cmp);
		for (size_t k = from; k < i && p->n < p->want; k++)
			p->ids[p->n++] = v[k].id;
	}
	free(v);
	return rc;
}

static int
score_fine(const char *key, uint64_t count, void *ctx)
{
	struct page *p = ctx;
	roaring_bitmap_t *b;
	int rc;

	(void)count;
	if (p->n >= p->want)
		return HE_EXISTS;
	if ((b = roaring_bitmap_create()) == NULL)
		return HE_NOMEM;
	if ((rc = store_post_read(p->st, NULL, key, b)) == HE_OK) {
		roaring_bitmap_and_inplace(b, p->match);
		rc = take_scored(p, b);
	}
	roaring_bitmap_free(b);
	return rc;
}

static int
score_coarse(const char *key, uint64_t count, void *ctx)
{
	struct page *p = ctx;
	char prefix[ENGAGE_KEY_SIZE];
	roaring_bitmap_t *b;
	uint64_t c;
	int rc;

	(void)count;
	if (p->n >= p->want)
		return HE_EXISTS;
	if ((b = roaring_bitmap_create()) == NULL)
		return HE_NOMEM;
	if ((rc = store_post_read(p->st, NULL, key, b)) != HE_OK) {
		roaring_bitmap_free(b);
		return rc;
	}
	roaring_bitmap_and_inplace(b, p->match);
	roaring_bitmap_or_inplace(p->seen, b);
	c = roaring_bitmap_get_cardinality(b);
	if (p->skipped + c <= p->offset || c <= SCORE_DIRECT_MAX)
		rc = take_scored(p, b);
	else {
		engage_fine_prefix(key, prefix);
		rc = store_post_names(p->st, NULL, prefix, 1, score_fine, p);
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
		/* A few matches are read and sorted at once: walking the
		 * buckets would read the postings of every name before theirs. */
		if (*total <= NAME_DIRECT_MAX)
			rc = take_bucket(&p, r, 1);
		else
			rc = store_post_names(st, NULL, "sn:", 0, bucket, &p);
		break;
	case SORT_ENGAGED:
		/* Days newest first, then those never engaged, newest first. */
		if ((p.seen = roaring_bitmap_create()) == NULL) {
			rc = HE_NOMEM;
			break;
		}
		rc = store_post_names(st, NULL, "ed:", 1, bucket, &p);
		if (rc == HE_OK && p.n < p.want) {
			roaring_bitmap_andnot_inplace(r, p.seen);
			rc = take_bucket(&p, r, 0);
		}
		roaring_bitmap_free(p.seen);
		break;
	case SORT_SCORE:
		if (*total <= SCORE_DIRECT_MAX) {
			rc = take_scored(&p, r);
			break;
		}
		if ((p.seen = roaring_bitmap_create()) == NULL) {
			rc = HE_NOMEM;
			break;
		}
		rc = store_post_names(st, NULL, "sc:", 1, score_coarse, &p);
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
