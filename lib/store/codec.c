/* codec.c: versioned JSON records and big-endian keys */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "util/he.h"

void
store_u64_key(uint64_t v, unsigned char out[8])
{
	for (int i = 7; i >= 0; i--) {
		out[i] = (unsigned char)v;
		v >>= 8;
	}
}

uint64_t
store_u64_from(const void *p)
{
	const unsigned char *b = p;
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | b[i];
	return v;
}

int
store_rec_encode(json_t *body, DBT *dbt)
{
	char *json = json_dumps(body, JSON_COMPACT);
	size_t n;
	unsigned char *buf;

	memset(dbt, 0, sizeof *dbt);
	if (json == NULL)
		return HE_NOMEM;
	n = strlen(json);
	if ((buf = malloc(n + 1)) == NULL) {
		free(json);
		return HE_NOMEM;
	}
	buf[0] = STORE_REC_VERSION;
	memcpy(buf + 1, json, n);
	free(json);
	dbt->data = buf;
	dbt->size = (u_int32_t)(n + 1);
	dbt->flags = DB_DBT_APPMALLOC;
	return HE_OK;
}

int
store_rec_decode(const void *data, size_t size, json_t **body)
{
	const unsigned char *p = data;
	json_t *j;

	*body = NULL;
	/* Version 1 is the only body format so far; a newer byte means a
	 * newer Hearth wrote it, and guessing would lose data. */
	if (size < 3 || p[0] != STORE_REC_VERSION)
		return HE_INVALID;
	j = json_loadb((const char *)p + 1, size - 1, JSON_REJECT_DUPLICATES, NULL);
	if (j == NULL)
		return HE_INVALID;
	if (!json_is_object(j)) {
		json_decref(j);
		return HE_INVALID;
	}
	*body = j;
	return HE_OK;
}

int
store_get_rec(struct store *st, DB_TXN *txn, enum store_db db, const void *key,
    size_t klen, int rmw, json_t **body)
{
	DBT k = { .data = (void *)key, .size = (u_int32_t)klen };
	DBT d = { .flags = DB_DBT_MALLOC };
	int ret, rc;

	*body = NULL;
	ret = st->db[db]->get(st->db[db], txn, &k, &d, rmw ? DB_RMW : 0);
	if (ret != 0)
		return store_err(ret);
	rc = store_rec_decode(d.data, d.size, body);
	free(d.data);
	return rc;
}

int
store_put_rec(struct store *st, DB_TXN *txn, enum store_db db, const void *key,
    size_t klen, json_t *body, u_int32_t flags)
{
	DBT k = { .data = (void *)key, .size = (u_int32_t)klen };
	DBT d;
	int rc;

	if ((rc = store_rec_encode(body, &d)) != HE_OK)
		return rc;
	d.flags = 0;
	rc = store_err(st->db[db]->put(st->db[db], txn, &k, &d, flags));
	free(d.data);
	return rc;
}

int
store_unique_free(struct store *st, DB_TXN *txn, enum store_db idx,
    const char *key)
{
	DB *db = st->db[idx];
	DBT k = { .data = (void *)key, .size = (u_int32_t)strlen(key) };
	DBT d = { .flags = DB_DBT_PARTIAL };	/* the record itself is not needed */
	int ret = db->get(db, txn, &k, &d, DB_RMW);

	if (ret == 0)
		return HE_EXISTS;
	return ret == DB_NOTFOUND ? HE_OK : store_err(ret);
}

/*
 * Parses the record behind a secondary-key callback (a new reference, to
 * read only); NULL when unreadable.
 *
 * Berkeley DB asks every index's callback for its key, from the record
 * written and from the one it replaces, so a put parsed the same two JSON
 * bodies once per index: most of an index update's cost (the worker's
 * mail queue has two indexes, candidates four). The last two parsed are
 * kept, recognised by their bytes, so each is parsed once per put.
 */
static _Thread_local struct parsed_rec {
	unsigned char *bytes;
	size_t size;
	json_t *body;
} recent[2];
static _Thread_local unsigned recent_next;

static json_t *
rec_of(const DBT *data)
{
	struct parsed_rec *r;
	json_t *j;

	for (int i = 0; i < 2; i++)
		if (recent[i].body && recent[i].size == data->size &&
		    memcmp(recent[i].bytes, data->data, data->size) == 0)
			return json_incref(recent[i].body);
	if (store_rec_decode(data->data, data->size, &j) != HE_OK)
		return NULL;
	r = &recent[recent_next];
	recent_next ^= 1;
	json_decref(r->body);
	free(r->bytes);
	r->body = NULL;
	if ((r->bytes = malloc(data->size)) != NULL) {
		memcpy(r->bytes, data->data, data->size);
		r->size = data->size;
		r->body = json_incref(j);
	}
	return j;
}

int
store_rec_field_is(const DBT *data, const char *field, const char *value)
{
	json_t *j = rec_of(data);
	const char *s = j ? json_string_value(json_object_get(j, field)) : NULL;
	int is = s != NULL && strcmp(s, value) == 0;

	json_decref(j);
	return is;
}

int
store_key_string_field(const DBT *data, const char *field, DBT *skey)
{
	json_t *j = rec_of(data);
	const char *s = j ? json_string_value(json_object_get(j, field)) : NULL;
	size_t n = s ? strlen(s) : 0;

	memset(skey, 0, sizeof *skey);
	if (n == 0) {
		json_decref(j);
		return DB_DONOTINDEX;
	}
	if ((skey->data = malloc(n)) == NULL) {
		json_decref(j);
		return ENOMEM;
	}
	memcpy(skey->data, s, n);	/* stored without a trailing NUL */
	skey->size = (u_int32_t)n;
	skey->flags = DB_DBT_APPMALLOC;
	json_decref(j);
	return 0;
}

#define JSON_WS(c) ((c) == ' ' || (c) == '\t' || (c) == '\n' || (c) == '\r')

static const unsigned char *
skip_ws(const unsigned char *p, const unsigned char *end)
{
	while (p < end && JSON_WS(*p))
		p++;
	return p;
}

/* Past the string opening at p, escapes and all; NULL if unterminated. */
static const unsigned char *
skip_string(const unsigned char *p, const unsigned char *end)
{
	for (p++; p < end; p++)
		if (*p == '\\')
			p++;
		else if (*p == '"')
			return p + 1;
	return NULL;
}

/* Past the value at p (the first byte after it); NULL if unterminated. */
static const unsigned char *
skip_value(const unsigned char *p, const unsigned char *end)
{
	int depth = 0;

	while (p < end) {
		if (*p == '"') {
			if ((p = skip_string(p, end)) == NULL || depth == 0)
				return p;
			continue;
		}
		if (*p == '{' || *p == '[') {
			depth++;
		} else if (*p == '}' || *p == ']') {
			if (depth == 0)
				return p;	/* a scalar, ended by its object */
			if (--depth == 0)
				return p + 1;
		} else if (depth == 0 && (*p == ',' || JSON_WS(*p))) {
			return p;
		}
		p++;
	}
	return depth == 0 ? p : NULL;
}

/* A plain JSON integer at p (no fraction, no exponent, at most 18 digits,
 * so it fits json_int_t): past it, and *v; else NULL. */
static const unsigned char *
scan_int(const unsigned char *p, const unsigned char *end, json_int_t *v)
{
	int neg = p < end && *p == '-';
	const unsigned char *digits = p + neg;
	json_int_t n = 0;

	for (p = digits; p < end && *p >= '0' && *p <= '9'; p++)
		n = n * 10 + (*p - '0');
	if (p == digits || p - digits > 18 || (*digits == '0' && p - digits > 1))
		return NULL;
	if (p < end && *p != ',' && *p != '}' && !JSON_WS(*p))
		return NULL;	/* 1.5, 1e3: not an integer to jansson either */
	*v = neg ? -n : n;
	return p;
}

/*
 * The integer at the top-level key `field` of a record's JSON text, read
 * without building the tree. Every write to the mail queue or to a
 * candidate asks each time index for its key, from the record written and
 * from the one it replaces; parsing whole records for it was the largest
 * part of what a mail cost the worker. 1 and *v: found; 0: absent; -1:
 * anything not plainly readable (an escape in a key, the key twice, a
 * value that is not a plain integer, bad syntax), which the caller parses
 * in full instead. Records are what store_rec_encode wrote, so both ways
 * find the same key; text jansson would refuse somewhere this does not
 * look (a bad escape inside another value) can only come from a damaged
 * file, and store_verify reads every record in full.
 */
static int
scan_int_field(const unsigned char *p, size_t n, const char *field,
    json_int_t *v)
{
	const unsigned char *end = p + n, *q;
	size_t flen = strlen(field);
	int found = 0;

	p = skip_ws(p, end);
	if (p == end || *p++ != '{')
		return -1;
	p = skip_ws(p, end);
	if (p < end && *p == '}')
		return skip_ws(p + 1, end) == end ? 0 : -1;
	for (;;) {
		const unsigned char *key;
		int mine;

		if (p == end || *p != '"')
			return -1;
		for (key = ++p; p < end && *p != '"' && *p != '\\'; p++)
			;
		if (p == end || *p == '\\')
			return -1;
		mine = (size_t)(p - key) == flen && memcmp(key, field, flen) == 0;
		p = skip_ws(p + 1, end);
		if (p == end || *p++ != ':')
			return -1;
		p = skip_ws(p, end);
		if (mine) {
			if (found || (q = scan_int(p, end, v)) == NULL)
				return -1;
			found = 1;
		} else if ((q = skip_value(p, end)) == NULL || q == p) {
			return -1;
		}
		p = skip_ws(q, end);
		if (p == end)
			return -1;
		if (*p == '}')
			return skip_ws(p + 1, end) == end ? found : -1;
		if (*p++ != ',')
			return -1;
		p = skip_ws(p, end);
	}
}

int
store_key_u64_field(const DBT *data, const char *field, DBT *skey)
{
	const unsigned char *d = data->data;
	json_int_t n = 0;
	int found = data->size >= 3 && d[0] == STORE_REC_VERSION ?
	    scan_int_field(d + 1, data->size - 1, field, &n) : -1;

	if (found < 0) {
		json_t *j = rec_of(data);
		json_t *v = j ? json_object_get(j, field) : NULL;

		found = json_is_integer(v);
		n = json_integer_value(v);
		json_decref(j);
	}
	memset(skey, 0, sizeof *skey);
	if (!found)
		return DB_DONOTINDEX;
	if ((skey->data = malloc(8)) == NULL)
		return ENOMEM;
	store_u64_key((uint64_t)n, skey->data);
	skey->size = 8;
	skey->flags = DB_DBT_APPMALLOC;
	return 0;
}

int
store_key_string_array(const DBT *data, const char *field, DBT *skey)
{
	json_t *j = rec_of(data);
	json_t *arr = j ? json_object_get(j, field) : NULL;
	size_t n = json_array_size(arr), used = 0;
	DBT *keys;

	memset(skey, 0, sizeof *skey);
	if (n == 0) {
		json_decref(j);
		return DB_DONOTINDEX;
	}
	if ((keys = calloc(n, sizeof *keys)) == NULL) {
		json_decref(j);
		return ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		const char *s = json_string_value(json_array_get(arr, i));
		size_t len = s ? strlen(s) : 0;

		if (len == 0)
			continue;
		if ((keys[used].data = malloc(len)) == NULL) {
			while (used > 0)
				free(keys[--used].data);
			free(keys);
			json_decref(j);
			return ENOMEM;
		}
		memcpy(keys[used].data, s, len);
		keys[used].size = (u_int32_t)len;
		keys[used].flags = DB_DBT_APPMALLOC;
		used++;
	}
	json_decref(j);
	if (used == 0) {
		free(keys);
		return DB_DONOTINDEX;
	}
	skey->data = keys;
	skey->size = (u_int32_t)used;
	skey->flags = DB_DBT_MULTIPLE | DB_DBT_APPMALLOC;
	return 0;
}
