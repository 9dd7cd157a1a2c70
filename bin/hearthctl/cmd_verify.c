/* cmd_verify.c: hearthctl verify, the consistency check */
#include <stdio.h>

#include "bin/hearthctl/hearthctl.h"
#include "crm/candidates.h"
#include "store/store.h"
#include "util/he.h"

static void
print_problem(const char *line, void *ctx)
{
	(void)ctx;
	printf("problem: %s\n", line);
}

int
cmd_verify(HDF *conf, int argc, char **argv)
{
	struct store *st;
	size_t problems = 0;
	int rc;

	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "usage: hearthctl verify\n");
		return 2;
	}
	if (ctl_open(conf, &st) != 0)
		return 1;
	rc = store_verify(st, print_problem, NULL, &problems);
	if (rc == HE_OK)
		rc = cand_index_verify(st, print_problem, NULL, &problems);
	store_close(st);
	if (rc != HE_OK) {
		fprintf(stderr, "hearthctl: verify could not finish: %s\n",
		    he_strerror(rc));
		return 1;
	}
	if (problems) {
		printf("%zu problem(s) found\n", problems);
		return 1;
	}
	printf("ok: every index matches its records and every consent chain holds\n");
	return 0;
}
