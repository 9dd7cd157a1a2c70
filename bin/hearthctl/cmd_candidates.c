/* cmd_candidates.c: hearthctl candidates, a plain listing for operators */
#include <stdio.h>

#include "bin/hearthctl/hearthctl.h"
#include "crm/candidates.h"
#include "store/store.h"
#include "util/he.h"

#define CHUNK 1000

int
cmd_candidates(HDF *conf, int argc, char **argv)
{
	struct store *st;
	struct cand_row *rows;
	size_t nrows, total;
	int rc = HE_OK;

	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "usage: hearthctl candidates\n");
		return 2;
	}
	if (ctl_open(conf, &st) != 0)
		return 1;
	for (size_t page = 1;; page++) {
		rc = cand_page(st, page, CHUNK, &rows, &nrows, &total);
		if (rc != HE_OK)
			break;
		for (size_t i = 0; i < nrows; i++)
			printf("%llu\t%s\t%s\n", (unsigned long long)rows[i].id,
			    rows[i].email, rows[i].name);
		cand_rows_free(rows, nrows);
		if (nrows < CHUNK)
			break;
	}
	store_close(st);
	if (rc != HE_OK) {
		fprintf(stderr, "hearthctl: %s\n", he_strerror(rc));
		return 1;
	}
	return 0;
}
