/* cmd_match.c: hearthctl match, the match records of candidates */
#include <stdio.h>
#include <string.h>

#include "bin/hearthctl/hearthctl.h"
#include "crm/match.h"
#include "store/store.h"
#include "util/he.h"

int
cmd_match(HDF *conf, int argc, char **argv)
{
	struct store *st;
	size_t done = 0;
	int rc;

	if (argc != 2 || strcmp(argv[1], "rebuild") != 0) {
		fprintf(stderr, "usage: hearthctl match rebuild\n");
		return 2;
	}
	if (ctl_open(conf, &st) != 0)
		return 1;
	rc = match_rebuild(st, &done);
	store_close(st);
	if (rc != HE_OK) {
		fprintf(stderr, "hearthctl: the match records were rebuilt for %zu "
		    "candidates, then: %s. Run it again to finish.\n", done,
		    he_strerror(rc));
		return 1;
	}
	printf("match records rebuilt for %zu candidates\n", done);
	return 0;
}
