/* job.c: background job records and the index of open ones */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "store/job.h"
#include "store/store.h"

int
store_job_open_key(DB *sdb, const DBT *pkey, const DBT *pdata, DBT *skey)
{
	void *copy;

	(void)sdb;
	if (!store_rec_field_is(pdata, "state", "queued") &&
	    !store_rec_field_is(pdata, "state", "running"))
		return DB_DONOTINDEX;
	if ((copy = malloc(pkey->size)) == NULL)
		return ENOMEM;
	memcpy(copy, pkey->data, pkey->size);
	memset(skey, 0, sizeof *skey);
	skey->data = copy;
	skey->size = pkey->size;
	skey->flags = DB_DBT_APPMALLOC;
	return 0;
}
