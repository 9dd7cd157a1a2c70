/* conf.h: site configuration (defaults file plus a local override) */
#ifndef HEARTH_CONF_H
#define HEARTH_CONF_H

#include <ClearSilver.h>

/*
 * Reads $HEARTH_HOME/conf/hearth.hdf (HEARTH_HOME defaults to the current
 * directory), then the file named by $HEARTH_CONF, if set, over it.
 * On HE_OK *out is a new HDF the caller frees with hdf_destroy().
 */
int conf_load(HDF **out);

/* The value at key, or def when unset or empty. Owned by the HDF. */
const char *conf_str(HDF *conf, const char *key, const char *def);

/* The integer at key (decimal, or octal with a leading 0), or def. */
long conf_int(HDF *conf, const char *key, long def);

/*
 * The path at key (or def) made absolute against HEARTH_HOME when it is
 * relative. Returns a malloc'd string the caller frees, NULL on no memory.
 */
char *conf_path(HDF *conf, const char *key, const char *def);

#endif
