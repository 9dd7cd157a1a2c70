/* role.c: roles (requisitions), their pipelines and new-match alerts in the store */
#include <string.h>

#include "store/role.h"

int
store_pipe_cand_key(DB *sdb, const DBT *pkey, const DBT *pdata, DBT *skey)
{
	(void)sdb;
	(void)pdata;
	if (pkey->size != 16)
		return DB_DONOTINDEX;
	memset(skey, 0, sizeof *skey);
	skey->data = (unsigned char *)pkey->data + 8;
	skey->size = 8;
	return 0;
}
