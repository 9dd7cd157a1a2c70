/* cmd_fresh.c: hearthctl fresh, the worker's freshness pass run now */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bin/hearthctl/hearthctl.h"
#include "crm/clock.h"
#include "crm/fresh.h"
#include "store/store.h"
#include "util/conf.h"
#include "util/he.h"

int
cmd_fresh(HDF *conf, int argc, char **argv)
{
	struct fresh_stats s = { 0 };
	struct store *st;
	long long at = 0;
	char *end;
	int rc;

	if (argc == 3 && strcmp(argv[1], "--at") == 0) {
		errno = 0;
		at = strtoll(argv[2], &end, 10);
		if (*end || errno || at <= 0)
			argc = 0;
	}
	if (argc != 1 && argc != 3) {
		fprintf(stderr, "usage: hearthctl fresh [--at UNIXTIME]\n");
		return 2;
	}
	/* As if it were then: to see what the pass will do (and for tests). */
	if (at)
		clock_set_offset(at - clock_now());
	if (ctl_open(conf, &st) != 0)
		return 1;
	rc = fresh_run(st, (int)conf_int(conf, "Office.StaleMonths",
	    FRESH_STALE_MONTHS), &s);
	store_close(st);
	if (rc != HE_OK) {
		fprintf(stderr, "hearthctl: %s\n", he_strerror(rc));
		return 1;
	}
	printf("looked at %zu, now stale %zu, no longer stale %zu, new levels %zu\n",
	    s.looked, s.flagged, s.cleared, s.levels);
	return 0;
}
