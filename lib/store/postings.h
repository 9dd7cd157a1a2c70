/* postings.h: the set of candidate ids under each index key */
#ifndef HEARTH_STORE_POSTINGS_H
#define HEARTH_STORE_POSTINGS_H

#include <stddef.h>
#include <stdint.h>
#include <db.h>
#include <roaring/roaring.h>

struct store;

/*
 * One index for every filter of the candidate list and its free text: a
 * key ("st:engaged", "tag:python", "w:<keyed hash of a word>") holds a set
 * of candidate ids, stored in STORE_POST as chunks of POST_CHUNK_IDS
 * consecutive ids (a sorted array of 16-bit offsets while small, a bitset
 * when dense) under key NUL big-endian-chunk-number. Counting a key reads
 * its chunks, never its members one by one; a write touches only the
 * chunks of the keys whose membership changed.
 *
 * Keys are 1..POST_KEY_MAX bytes without NUL. Keys made from personal data
 * must be keyed hashes (store.h, erasure). Candidate ids must be below 2^32.
 */
#define POST_KEY_MAX 120
#define POST_CHUNK_BITS 12
#define POST_CHUNK_IDS (1u << POST_CHUNK_BITS)

struct post_change {
	const char *key;	/* borrowed until store_post_apply returns */
	uint32_t id;
	int add;		/* 1: add id to key's set, 0: remove it */
};

/*
 * Applies changes in txn. The array is sorted in place (by key, then id) so
 * that every writer locks chunks in the same order; several changes to one
 * chunk cost one read and one write. Adding a present id or removing an
 * absent one is not an error. HE_INVALID for a malformed key.
 */
int store_post_apply(struct store *st, DB_TXN *txn, struct post_change *ch,
    size_t n);

/* ORs the ids under key into out (reads at read-committed isolation). */
int store_post_read(struct store *st, DB_TXN *txn, const char *key,
    roaring_bitmap_t *out);

/* store_post_read that stops once out holds more than max ids (the ids of
 * the chunks read so far, in id order): for "are there only a few?". */
int store_post_read_max(struct store *st, DB_TXN *txn, const char *key,
    uint64_t max, roaring_bitmap_t *out);

/* HE_OK when id is under key, else HE_NOTFOUND. */
int store_post_has(struct store *st, DB_TXN *txn, const char *key, uint32_t id);

/* The number of ids under key. */
int store_post_count(struct store *st, DB_TXN *txn, const char *key,
    uint64_t *n);

/*
 * Calls fn for each distinct key that starts with prefix, in byte order
 * (reverse order when reverse), with its number of ids; fn returning
 * non-HE_OK stops the walk with that code. The key passed is NUL-terminated
 * and valid only during the call.
 */
int store_post_keys(struct store *st, DB_TXN *txn, const char *prefix,
    int reverse, int (*fn)(const char *key, uint64_t count, void *ctx),
    void *ctx);

/*
 * store_post_keys without the counts (fn gets 0): one lookup per key
 * instead of reading all its chunks, for walks that read only some of the
 * keys, or read them anyway (name buckets, engagement days).
 */
int store_post_names(struct store *st, DB_TXN *txn, const char *prefix,
    int reverse, int (*fn)(const char *key, uint64_t count, void *ctx),
    void *ctx);

/*
 * Calls fn for each key and id stored, in order (index checks); fn
 * returning non-HE_OK stops the walk with that code.
 */
int store_post_each(struct store *st, DB_TXN *txn,
    int (*fn)(const char *key, uint32_t id, void *ctx), void *ctx);

#endif
