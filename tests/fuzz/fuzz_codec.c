/* fuzz_codec.c: stored record bytes through the versioned JSON codec */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "util/he.h"

#define CHECK(cond) do { if (!(cond)) { \
	fprintf(stderr, "fuzz_codec: %s:%d: check failed: %s\n", __FILE__, \
	    __LINE__, #cond); abort(); } } while (0)

/* The secondary-key extractors read the same bytes as Berkeley DB hands
 * them a record: whatever they return, an allocated key must be freed. */
static void
extract_keys(const uint8_t *data, size_t size)
{
	DBT rec = { .data = (void *)data, .size = (u_int32_t)size };
	DBT skey;
	int ret;

	ret = store_key_string_field(&rec, "email", &skey);
	CHECK(ret == 0 || ret == DB_DONOTINDEX);
	if (ret == 0) {
		CHECK(skey.size > 0 && (skey.flags & DB_DBT_APPMALLOC));
		CHECK(memchr(skey.data, '\0', skey.size) == NULL);
		free(skey.data);
	} else {
		CHECK(skey.data == NULL);
	}
	ret = store_key_u64_field(&rec, "joined", &skey);
	CHECK(ret == 0 || ret == DB_DONOTINDEX);
	if (ret == 0) {
		CHECK(skey.size == 8 && (skey.flags & DB_DBT_APPMALLOC));
		free(skey.data);
	} else {
		CHECK(skey.data == NULL);
	}
}

/* The time indexes read their integer without parsing the record: for a
 * record that parses, the key must be the parsed value's, or none. */
static void
same_u64_key(const void *data, size_t size, json_t *body, const char *field)
{
	DBT rec = { .data = (void *)data, .size = (u_int32_t)size };
	json_t *v = json_object_get(body, field);
	unsigned char want[8];
	DBT skey;
	int ret = store_key_u64_field(&rec, field, &skey);

	if (!json_is_integer(v)) {
		CHECK(ret == DB_DONOTINDEX);
		return;
	}
	CHECK(ret == 0);
	store_u64_key((uint64_t)json_integer_value(v), want);
	CHECK(skey.size == 8 && memcmp(skey.data, want, 8) == 0);
	free(skey.data);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *a = NULL, *b = NULL;
	DBT d1, d2;
	int rc;

	if (size > UINT32_MAX)
		return 0;
	extract_keys(data, size);
	rc = store_rec_decode(data, size, &a);
	if (rc != HE_OK) {
		CHECK(rc == HE_INVALID && a == NULL);
		return 0;
	}
	CHECK(json_is_object(a));
	CHECK(size >= 3 && data[0] == STORE_REC_VERSION);
	same_u64_key(data, size, a, "joined");
	same_u64_key(data, size, a, "due");

	/* Encode, decode: the same value; encode again: the same bytes. */
	CHECK(store_rec_encode(a, &d1) == HE_OK);
	CHECK(d1.size >= 3 && ((unsigned char *)d1.data)[0] == STORE_REC_VERSION);
	rc = store_rec_decode(d1.data, d1.size, &b);
	CHECK(rc == HE_OK && b != NULL);
	CHECK(json_equal(a, b));
	same_u64_key(d1.data, d1.size, a, "joined");
	same_u64_key(d1.data, d1.size, a, "due");
	CHECK(store_rec_encode(b, &d2) == HE_OK);
	CHECK(d1.size == d2.size && memcmp(d1.data, d2.data, d1.size) == 0);

	free(d1.data);
	free(d2.data);
	json_decref(a);
	json_decref(b);
	return 0;
}
