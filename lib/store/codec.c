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

/* Parses the record behind a secondary-key callback; NULL when unreadable. */
static json_t *
rec_of(const DBT *data)
{
	json_t *j;

	return store_rec_decode(data->data, data->size, &j) == HE_OK ? j : NULL;
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

int
store_key_u64_field(const DBT *data, const char *field, DBT *skey)
{
	json_t *j = rec_of(data);
	json_t *v = j ? json_object_get(j, field) : NULL;

	memset(skey, 0, sizeof *skey);
	if (!json_is_integer(v)) {
		json_decref(j);
		return DB_DONOTINDEX;
	}
	if ((skey->data = malloc(8)) == NULL) {
		json_decref(j);
		return ENOMEM;
	}
	store_u64_key((uint64_t)json_integer_value(v), skey->data);
	skey->size = 8;
	skey->flags = DB_DBT_APPMALLOC;
	json_decref(j);
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
