/* setup.h: opening the store as the site configuration says */
#ifndef HEARTH_SETUP_H
#define HEARTH_SETUP_H

#include <ClearSilver.h>

struct store;

/* Opens Db.Home with Db.CacheMB and Db.Durable from conf. */
int crm_open(HDF *conf, struct store **st);

#endif
