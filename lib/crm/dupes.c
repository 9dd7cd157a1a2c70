/* dupes.c: likely duplicate pairs, found on write */
#include <string.h>

#include "crm/clock.h"
#include "crm/dupes.h"
#include "store/postings.h"
#include "store/store.h"
#include "util/he.h"

/* Pairs noted per new key at most: a key shared by more people than this
 * (a switchboard number) says little about any two of them. */
#define PAIRS_PER_KEY 20

static const char *
reason_of(const char *key)
{
	if (strncmp(key, "dup:u:", 6) == 0)
		return "linkedin";
	if (strncmp(key, "dup:p:", 6) == 0)
		return "phone";
	return "name_city";
}

static int
note_pair(struct store *st, DB_TXN *txn, uint64_t a, uint64_t b,
    const char *reason)
{
	unsigned char key[16];
	json_t *rec = NULL, *why;
	size_t i;
	json_t *v;
	int rc;

	store_u64_key(a < b ? a : b, key);
	store_u64_key(a < b ? b : a, key + 8);
	rc = store_get_rec(st, txn, STORE_DUPE, key, sizeof key, 1, &rec);
	if (rc == HE_NOTFOUND) {
		rec = json_pack("{s:[], s:I}", "reasons", "found",
		    (json_int_t)clock_now());
		rc = rec ? HE_OK : HE_NOMEM;
	}
	if (rc != HE_OK)
		return rc;
	why = json_object_get(rec, "reasons");
	json_array_foreach(why, i, v)
		if (strcmp(json_string_value(v), reason) == 0) {
			json_decref(rec);
			return HE_OK;
		}
	json_array_append_new(why, json_string(reason));
	rc = store_put_rec(st, txn, STORE_DUPE, key, sizeof key, rec, 0);
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
	if ((rc = store_post_read(st, txn, key, ids)) == HE_OK &&
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
