/* store/match.h: STORE_MATCH, the match records of candidates in blocks of 64 */
#ifndef HEARTH_STORE_MATCH_H
#define HEARTH_STORE_MATCH_H

#include <stddef.h>
#include <stdint.h>
#include <db.h>
#include <jansson.h>

struct store;

/*
 * STORE_MATCH keeps the match records of candidates id / 64 under one
 * key (big-endian), so that a ranking reads a million candidates as ~16k
 * records with a bulk cursor. A record is opaque bytes here (lib/crm's
 * match_cand_encode makes them), at most STORE_MATCH_REC_MAX. A block's
 * value is a version byte, then for each candidate in id order: id % 64
 * (one byte), the record's length (two bytes, little-endian), the record.
 */
#define STORE_MATCH_PER_BLOCK 64
#define STORE_MATCH_REC_MAX 1024
#define STORE_MATCH_VERSION 1

/* Stores (rec not NULL) or removes (rec NULL) candidate id's record in
 * txn, the block read with DB_RMW; an emptied block is deleted. */
int store_match_put(struct store *st, DB_TXN *txn, uint64_t id,
    const void *rec, size_t len);

/* Candidate id's record into buf (size bytes), *len its length; in txn
 * (NULL: read committed). HE_NOTFOUND when absent; HE_INVALID for a
 * record longer than size or a damaged block. */
int store_match_get(struct store *st, DB_TXN *txn, uint64_t id, void *buf,
    size_t size, size_t *len);

/*
 * Changes of many records at once (imports, rebuilds): each block is read
 * and written once. ch is sorted here by id (the last change of an id
 * wins); rec NULL removes. With replace, the blocks from ch's first to its
 * last (and every block between) hold exactly ch's records afterwards:
 * what they held before is dropped (match_rebuild).
 */
struct store_match_change {
	uint64_t id;
	const void *rec;
	size_t len;
};
int store_match_apply(struct store *st, DB_TXN *txn,
    struct store_match_change *ch, size_t n);
int store_match_replace(struct store *st, DB_TXN *txn, uint64_t first_block,
    uint64_t end_block, struct store_match_change *ch, size_t n);

/*
 * Calls fn for every record, in id order, read committed without a
 * transaction through a bulk cursor (DB_MULTIPLE_KEY). Non-zero from fn
 * stops the scan and is returned. HE_INVALID for a damaged block.
 */
typedef int (*store_match_fn)(uint64_t id, const unsigned char *rec,
    size_t len, void *ctx);
int store_match_scan(struct store *st, store_match_fn fn, void *ctx);

/* The same for the blocks whose candidates' ids are in ids (sorted,
 * n of them), read one block each: for a filter that keeps few. */
int store_match_scan_ids(struct store *st, const uint32_t *ids, size_t n,
    store_match_fn fn, void *ctx);

/*
 * For rebuilding: calls fn with every candidate record (STORE_CAND, a new
 * reference fn must not keep) whose id is from <= id < end, in id order,
 * in txn; *next is the first candidate id at or after end (0: none).
 */
int store_match_cands(struct store *st, DB_TXN *txn, uint64_t from,
    uint64_t end, int (*fn)(uint64_t id, json_t *rec, void *ctx), void *ctx,
    uint64_t *next);

#endif
