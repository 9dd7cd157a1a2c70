/* consent.c: the append-only, hash-chained consent ledger */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "store/entities.h"
#include "store/store.h"
#include "util/he.h"

#define HASH_HEX STORE_CONSENT_HEAD

/* Key: candidate id, then the event number, both big-endian. */
static void
event_key(uint64_t cand, uint32_t n, unsigned char key[12])
{
	store_u64_key(cand, key);
	key[8] = (unsigned char)(n >> 24);
	key[9] = (unsigned char)(n >> 16);
	key[10] = (unsigned char)(n >> 8);
	key[11] = (unsigned char)n;
}

static void
hash_hex(const void *data, size_t n, char out[HASH_HEX])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, data, n);
	sodium_bin2hex(out, HASH_HEX, h, sizeof h);
}

/* The genesis link: what the first event of every chain points at. */
static const char genesis[HASH_HEX] =
    "0000000000000000000000000000000000000000000000000000000000000000";

int
store_consent_append(struct store *st, DB_TXN *txn, uint64_t cand_id,
    json_t *event, char head[STORE_CONSENT_HEAD])
{
	DB *db = st->db[STORE_CONSENT];
	DBC *cur;
	unsigned char key[12];
	DBT k = { .data = key, .size = sizeof key, .ulen = sizeof key,
	    .flags = DB_DBT_USERMEM };
	DBT d = { .flags = DB_DBT_MALLOC };
	char prev[HASH_HEX];
	uint32_t n = 0;
	DBT stored;
	int ret, rc;

	memcpy(prev, genesis, sizeof prev);
	if ((ret = db->cursor(db, txn, &cur, 0)) != 0)
		return store_err(ret);
	/* Past this candidate's last possible key, then one step back. */
	event_key(cand_id, UINT32_MAX, key);
	ret = cur->get(cur, &k, &d, DB_SET_RANGE | DB_RMW);
	if (ret == 0) {
		free(d.data);
		d.data = NULL;
		ret = cur->get(cur, &k, &d, DB_PREV | DB_RMW);
	} else if (ret == DB_NOTFOUND) {
		ret = cur->get(cur, &k, &d, DB_LAST | DB_RMW);
	}
	if (ret == 0 && k.size == sizeof key && store_u64_from(key) == cand_id) {
		n = (uint32_t)key[8] << 24 | (uint32_t)key[9] << 16 |
		    (uint32_t)key[10] << 8 | key[11];
		n++;
		hash_hex(d.data, d.size, prev);
	} else if (ret != 0 && ret != DB_NOTFOUND) {
		cur->close(cur);
		return store_err(ret);
	}
	free(d.data);
	cur->close(cur);

	if (json_object_set_new(event, "prev", json_string(prev)) != 0)
		return HE_NOMEM;
	event_key(cand_id, n, key);
	/* Encoded here rather than by store_put_rec: the head is the hash of
	 * exactly the bytes stored. */
	if ((rc = store_rec_encode(event, &stored)) != HE_OK)
		return rc;
	stored.flags = 0;
	k = (DBT){ .data = key, .size = sizeof key };
	rc = store_err(db->put(db, txn, &k, &stored, DB_NOOVERWRITE));
	if (rc == HE_OK)
		hash_hex(stored.data, stored.size, head);
	free(stored.data);
	return rc;
}

int
store_consent_check(struct store *st, DB_TXN *txn, uint64_t cand_id,
    const char *head, size_t *events)
{
	DB *db = st->db[STORE_CONSENT];
	DBC *cur;
	unsigned char key[12];
	DBT k = { .data = key, .size = sizeof key, .ulen = sizeof key,
	    .flags = DB_DBT_USERMEM };
	DBT d = { .flags = DB_DBT_REALLOC };
	char prev[HASH_HEX];
	int ret, rc = HE_OK;

	*events = 0;
	memcpy(prev, genesis, sizeof prev);
	if ((ret = db->cursor(db, txn, &cur, 0)) != 0)
		return store_err(ret);
	event_key(cand_id, 0, key);
	for (ret = cur->get(cur, &k, &d, DB_SET_RANGE); ret == 0;
	    ret = cur->get(cur, &k, &d, DB_NEXT)) {
		json_t *ev;
		const char *link;

		if (k.size != sizeof key || store_u64_from(key) != cand_id)
			break;
		if ((rc = store_rec_decode(d.data, d.size, &ev)) != HE_OK)
			break;
		link = json_string_value(json_object_get(ev, "prev"));
		if (link == NULL || strcmp(link, prev) != 0)
			rc = HE_INVALID;
		json_decref(ev);
		if (rc != HE_OK)
			break;
		hash_hex(d.data, d.size, prev);
		(*events)++;
	}
	cur->close(cur);
	free(d.data);
	if (rc != HE_OK)
		return rc;
	if (ret != 0 && ret != DB_NOTFOUND)
		return store_err(ret);
	if (head != NULL && *events > 0 && strcmp(head, prev) != 0)
		return HE_INVALID;
	return HE_OK;
}

int
store_consent_each(struct store *st, DB_TXN *txn, uint64_t cand_id,
    int (*fn)(json_t *event, void *ctx), void *ctx)
{
	DB *db = st->db[STORE_CONSENT];
	DBC *cur;
	unsigned char key[12];
	DBT k = { .data = key, .size = sizeof key, .ulen = sizeof key,
	    .flags = DB_DBT_USERMEM };
	DBT d = { .flags = DB_DBT_REALLOC };
	int ret, rc = HE_OK;

	if ((ret = db->cursor(db, txn, &cur, 0)) != 0)
		return store_err(ret);
	event_key(cand_id, 0, key);
	for (ret = cur->get(cur, &k, &d, DB_SET_RANGE); ret == 0;
	    ret = cur->get(cur, &k, &d, DB_NEXT)) {
		json_t *ev;

		if (k.size != sizeof key || store_u64_from(key) != cand_id)
			break;
		if ((rc = store_rec_decode(d.data, d.size, &ev)) != HE_OK)
			break;
		rc = fn(ev, ctx);
		json_decref(ev);
		if (rc != HE_OK)
			break;
	}
	cur->close(cur);
	free(d.data);
	if (rc != HE_OK)
		return rc;
	return ret == 0 || ret == DB_NOTFOUND ? HE_OK : store_err(ret);
}

int
store_consent_del_all(struct store *st, DB_TXN *txn, uint64_t cand_id)
{
	return store_consent_truncate(st, txn, cand_id, 0);
}

int
store_consent_truncate(struct store *st, DB_TXN *txn, uint64_t cand_id,
    uint32_t keep)
{
	unsigned char key[12];
	int rc;

	/* Events are numbered from 0 without gaps: delete until one is missing. */
	for (uint32_t n = keep;; n++) {
		event_key(cand_id, n, key);
		rc = store_del_scrubbed(st, txn, STORE_CONSENT, key, sizeof key);
		if (rc == HE_NOTFOUND)
			return HE_OK;
		if (rc != HE_OK)
			return rc;
	}
}
