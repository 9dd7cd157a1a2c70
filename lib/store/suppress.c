/* suppress.c: tombstones of erased addresses, as keyed hashes only */
#include <string.h>

#include "store/entities.h"
#include "store/store.h"
#include "util/he.h"

int
store_suppress_put(struct store *st, DB_TXN *txn, const char *email_key,
    int64_t at)
{
	json_t *body = json_pack("{s:I}", "at", (json_int_t)at);
	int rc;

	if (body == NULL)
		return HE_NOMEM;
	rc = store_put_rec(st, txn, STORE_SUPPRESS, email_key, strlen(email_key),
	    body, 0);
	json_decref(body);
	return rc;
}

int
store_suppress_get(struct store *st, DB_TXN *txn, const char *email_key)
{
	json_t *body;
	int rc = store_get_rec(st, txn, STORE_SUPPRESS, email_key,
	    strlen(email_key), 0, &body);

	if (rc == HE_OK)
		json_decref(body);
	return rc;
}

int
store_suppress_del(struct store *st, DB_TXN *txn, const char *email_key)
{
	DB *db = st->db[STORE_SUPPRESS];
	DBT k = { .data = (void *)email_key, .size = (u_int32_t)strlen(email_key) };

	return store_err(db->del(db, txn, &k, 0));
}
