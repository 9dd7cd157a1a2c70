/* notice.h: notices for back-office users (campaign notifications; issue 6 reuses them) */
#ifndef HEARTH_NOTICE_H
#define HEARTH_NOTICE_H

#include <stddef.h>
#include <stdint.h>
#include <db.h>
#include <jansson.h>

struct store;

/*
 * A notice is {"at" (unix s), "text", "cand" (0: none), "camp" (0: none),
 * "kind" ("reply", "notify", ...), "read" (bool)}.
 *
 * notice_add stores body (borrowed; "at" and "read" are set when absent)
 * for user in txn (NULL: a transaction of its own). HE_INVALID for user 0
 * or a body without "text".
 */
int notice_add(struct store *st, DB_TXN *txn, uint64_t user, json_t *body);

/* One page (1-based) of user's notices, newest first: *rows a new array of
 * the notices with "id" added; *total and *unread count them all (at most
 * NOTICE_COUNT_MAX are counted). */
#define NOTICE_COUNT_MAX 10000
int notice_list(struct store *st, uint64_t user, size_t page, size_t per_page,
    json_t **rows, size_t *total, size_t *unread);

/* Marks notice id of user read; HE_NOTFOUND. */
int notice_read(struct store *st, uint64_t user, uint64_t id);

#endif
