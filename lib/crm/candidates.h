/* candidates.h: reading candidates for the back office */
#ifndef HEARTH_CANDIDATES_H
#define HEARTH_CANDIDATES_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

struct store;

struct cand_row {
	uint64_t id;
	char *name;
	char *email;
	int64_t joined_us;
};

/*
 * One page (1-based) of candidates, newest first, and the total count.
 * On HE_OK *rows holds *nrows rows; free them with cand_rows_free().
 */
int cand_page(struct store *st, size_t page, size_t per_page,
    struct cand_row **rows, size_t *nrows, size_t *total);
void cand_rows_free(struct cand_row *rows, size_t nrows);

/*
 * One candidate for the back office: the record, the consent ledger
 * (oldest first) and their mails, read in one transaction. New
 * references on HE_OK; HE_NOTFOUND for an unknown id.
 */
int cand_detail(struct store *st, uint64_t id, json_t **cand,
    json_t **ledger, json_t **mails);

#endif
