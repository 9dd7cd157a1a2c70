/* session.c: back-office sessions, keyed by a hash of the cookie */
#include "store/entities.h"
#include "store/store.h"
#include "util/he.h"

int
store_session_put(struct store *st, DB_TXN *txn,
    const unsigned char key[STORE_SESSION_KEYBYTES], json_t *body)
{
	return store_put_rec(st, txn, STORE_SESSION, key, STORE_SESSION_KEYBYTES,
	    body, 0);
}

int
store_session_get(struct store *st, DB_TXN *txn,
    const unsigned char key[STORE_SESSION_KEYBYTES], json_t **body)
{
	return store_get_rec(st, txn, STORE_SESSION, key, STORE_SESSION_KEYBYTES,
	    0, body);
}

int
store_session_del(struct store *st, DB_TXN *txn,
    const unsigned char key[STORE_SESSION_KEYBYTES])
{
	DB *db = st->db[STORE_SESSION];
	DBT k = { .data = (void *)key, .size = STORE_SESSION_KEYBYTES };

	return store_err(db->del(db, txn, &k, 0));
}
