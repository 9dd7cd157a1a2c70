/* audit.c: audit entries and their per-candidate index */
#include "store/audit.h"
#include "store/store.h"

int
store_audit_cand_key(DB *sdb, const DBT *pkey, const DBT *pdata, DBT *skey)
{
	(void)sdb;
	(void)pkey;
	return store_key_u64_field(pdata, "cand", skey);
}
