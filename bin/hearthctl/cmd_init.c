/* cmd_init.c: hearthctl init, idempotent set-up of var/ */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bin/hearthctl/hearthctl.h"
#include "store/store.h"
#include "util/conf.h"
#include "util/he.h"
#include "util/token.h"

/* mkdir -p for the configured directory at key. */
static int
make_dir(HDF *conf, const char *key, const char *def, mode_t mode)
{
	char *path = conf_path(conf, key, def);

	if (path == NULL)
		return 1;
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0755) != 0 && errno != EEXIST)
			goto fail;
		*p = '/';
	}
	if (mkdir(path, mode) != 0 && errno != EEXIST)
		goto fail;
	free(path);
	return 0;
fail:
	fprintf(stderr, "hearthctl: cannot create %s: %s\n", path, strerror(errno));
	free(path);
	return 1;
}

int
cmd_init(HDF *conf, int argc, char **argv)
{
	struct store *st;
	char *key;
	int rc;

	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "usage: hearthctl init\n");
		return 2;
	}
	/* The web server's user must reach the sockets in RunDir. */
	if (make_dir(conf, "Db.Home", "var/db", 0700) ||
	    make_dir(conf, "Web.RunDir", "var/run", 0755) ||
	    make_dir(conf, "Mail.OutboxDir", "var/outbox", 0750) ||
	    make_dir(conf, "Office.ImportDir", "var/imports", 0700) ||
	    make_dir(conf, "Office.JobDir", "var/jobs", 0700))
		return 1;
	if ((key = conf_path(conf, "Site.SecretFile", "var/secret")) == NULL)
		return 1;
	rc = tok_key_create(key);
	if (rc != HE_OK)
		fprintf(stderr, "hearthctl: cannot create the site key %s\n", key);
	free(key);
	if (rc != HE_OK || ctl_open(conf, &st) != 0)
		return 1;
	store_close(st);
	printf("initialised\n");
	return 0;
}
