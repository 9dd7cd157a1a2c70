/* setup.c: the store, opened the same way by every program */
#include <stdlib.h>

#include "crm/setup.h"
#include "store/store.h"
#include "util/conf.h"
#include "util/he.h"

int
crm_open(HDF *conf, struct store **st)
{
	char *home = conf_path(conf, "Db.Home", "var/db");
	int rc;

	if (home == NULL)
		return HE_NOMEM;
	rc = store_open(st, home, (int)conf_int(conf, "Db.CacheMB", 8),
	    (int)conf_int(conf, "Db.Durable", 1));
	free(home);
	return rc;
}
