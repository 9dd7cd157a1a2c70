/* setup.h: opening the store as the site configuration says */
#ifndef HEARTH_SETUP_H
#define HEARTH_SETUP_H

#include <ClearSilver.h>

struct store;

/* Opens Db.Home with Db.CacheMB and Db.Durable from conf, and gives it
 * the site key of Site.SecretFile (HE_NOTFOUND when missing: not initialised).
 * Reads the engagement score's settings first (engage_configure):
 * HE_INVALID, logged, for a bad one. */
int crm_open(HDF *conf, struct store **st);

#endif
