/* dupes.h: likely duplicate candidates */
#ifndef HEARTH_DUPES_H
#define HEARTH_DUPES_H

#include <stdint.h>
#include <db.h>

struct store;

/*
 * Notes that candidate id now holds duplicate key `key` ("dup:u:..." same
 * LinkedIn profile, "dup:p:..." same phone, "dup:n:..." same name in the
 * same city): every other candidate under the key becomes a likely
 * duplicate pair of id, kept in STORE_DUPE for review. Called by the write
 * path after the postings changed, in its transaction.
 */
int dupes_note(struct store *st, DB_TXN *txn, uint64_t id, const char *key);

#endif
