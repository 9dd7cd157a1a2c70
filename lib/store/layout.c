/* layout.c: remembered column mappings of CSV imports */
#include <string.h>

#include "store/layout.h"
#include "store/store.h"

int
store_layout_get(struct store *st, DB_TXN *txn, const char *hash,
    json_t **body)
{
	return store_get_rec(st, txn, STORE_LAYOUT, hash, strlen(hash), 0, body);
}

int
store_layout_put(struct store *st, DB_TXN *txn, const char *hash,
    json_t *body)
{
	return store_put_rec(st, txn, STORE_LAYOUT, hash, strlen(hash), body, 0);
}
