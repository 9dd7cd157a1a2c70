/* conf.c: site configuration */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/conf.h"
#include "util/he.h"
#include "util/log.h"
#include "util/neo.h"

static const char *
hearth_home(void)
{
	const char *home = getenv("HEARTH_HOME");

	return home && *home ? home : ".";
}

int
conf_load(HDF **out)
{
	HDF *conf;
	char path[4096];
	const char *local = getenv("HEARTH_CONF");
	int rc;

	*out = NULL;
	if ((rc = neo_consume(hdf_init(&conf), "conf: hdf_init")) != HE_OK)
		return rc;
	snprintf(path, sizeof path, "%s/conf/hearth.hdf", hearth_home());
	rc = neo_consume(hdf_read_file(conf, path), path);
	if (rc == HE_OK && local && *local)
		rc = neo_consume(hdf_read_file(conf, local), local);
	if (rc != HE_OK) {
		hdf_destroy(&conf);
		return rc;
	}
	*out = conf;
	return HE_OK;
}

const char *
conf_str(HDF *conf, const char *key, const char *def)
{
	const char *v = hdf_get_value(conf, key, NULL);

	return v && *v ? v : def;
}

long
conf_int(HDF *conf, const char *key, long def)
{
	const char *v = conf_str(conf, key, NULL);
	char *end;
	long n;

	if (v == NULL)
		return def;
	errno = 0;
	n = strtol(v, &end, 0);
	if (errno || end == v || *end != '\0') {
		log_warn("conf: %s is not a number, using %ld", key, def);
		return def;
	}
	return n;
}

char *
conf_path(HDF *conf, const char *key, const char *def)
{
	const char *v = conf_str(conf, key, def);
	char *path;

	if (v == NULL)
		return NULL;
	if (v[0] == '/')
		return strdup(v);
	if (asprintf(&path, "%s/%s", hearth_home(), v) < 0)
		return NULL;
	return path;
}
