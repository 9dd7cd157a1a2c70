/* index.h: the index keys of a candidate record (facets, words, pools) */
#ifndef HEARTH_INDEX_H
#define HEARTH_INDEX_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

struct store;

/*
 * A set of index keys: NUL-terminated strings in one buffer. After
 * keyset_finish they are sorted and distinct, and keyset_has works.
 */
struct cand_keyset {
	char *buf;
	size_t len, cap;
	size_t *off;
	size_t n, ncap;
	int failed;		/* an allocation failed: the set is unusable */
};

void keyset_init(struct cand_keyset *ks);
void keyset_free(struct cand_keyset *ks);
void keyset_clear(struct cand_keyset *ks);
void keyset_add(struct cand_keyset *ks, const char *key);
void keyset_addn(struct cand_keyset *ks, const char *prefix, const char *s,
    size_t n);
/* Sorts and removes repeats; HE_NOMEM when an add had failed. */
int keyset_finish(struct cand_keyset *ks);
const char *keyset_at(const struct cand_keyset *ks, size_t i);
int keyset_has(const struct cand_keyset *ks, const char *key);

/*
 * The keys of a record, all of them made from its fields:
 *   "*"                every candidate
 *   "st:S" "src:S" "sen:S" "cs:S" "lvl:S" "int:S" "tag:S"   (values as stored)
 *   "own:N" or "own:-" "pool:N" "rem:1" "stale"
 *   "mid:N"            ids of records merged into this one
 *   "cty:H" "ctry:H"   keyed hashes of the folded city and country
 *   "em:YYYYMM" "ed:YYYYMMDD"  the month and day of "last_engaged" (UTC)
 *   "ud:YYYYMMDD"      the day of "updated" (UTC; stale records)
 *   "sn:XX"            the first two letters of the folded surname (sorting)
 *   "sc:CCCCCC" "sk:CCCCCC.FFFF"  the coarse and fine buckets of the
 *                      engagement score's sort key (engage.h), when it has one
 *   "w:H"              keyed hashes of the words of name, email, title,
 *                      skills, and the record's "extra_terms" as they are,
 *                      and its "resume_terms" while "resume_terms_of" names
 *                      the file of its "resume" (the words of that CV)
 *   "cv:todo"          a "resume" whose words are not (yet) those in
 *                      "resume_terms": the worker's queue (cvindex.h)
 *   "dup:u:H" "dup:p:H" "dup:n:H"  keyed hashes of the LinkedIn URL, the
 *                      phone digits, the name with the city (duplicates)
 * HE_NOMEM when memory ran out.
 */
int cand_keys(struct store *st, json_t *rec, struct cand_keyset *ks);

/* The candidates whose CV the worker has still to read. */
#define CAND_KEY_CV_TODO "cv:todo"

/* The file name of rec's CV ("resume"."file"), NULL for none; and whether
 * its words are the ones in "resume_terms" ("resume_terms_of" names it). */
const char *cand_resume_file(json_t *rec);
int cand_resume_indexed(json_t *rec);

/* "w:" and 16 hex digits, NUL. */
#define CAND_WORDKEY_SIZE 19
/* The key of one folded word (as words_each gives them). */
void cand_word_key(struct store *st, const char *w, size_t n,
    char out[CAND_WORDKEY_SIZE]);
/* The same with the hashing key derived once for many words:
 * cand_word_hasher fills k, cand_word_key_with uses it. */
#define CAND_HASHER_BYTES 16
void cand_word_hasher(struct store *st, unsigned char k[CAND_HASHER_BYTES]);
void cand_word_key_with(const unsigned char k[CAND_HASHER_BYTES], const char *w,
    size_t n, char out[CAND_WORDKEY_SIZE]);
/* The keyed hash of a value as facet keys hold them: prefix (say "cty:")
 * then 16 hex digits of the folded value. out holds 64 bytes. */
void cand_hash_key(struct store *st, const char *prefix, const char *value,
    char out[64]);

/* Statuses, in pipeline order. */
extern const char *const cand_statuses[];
int cand_status_known(const char *s);
/* Engagement levels, highest first: a record's "level" is the one of its
 * engagement score (engage_level), set by every write and by the worker's
 * freshness pass as the score decays. */
extern const char *const cand_levels[];

/* A tag as stored: trimmed, lower case, inner spaces single, 1..40
 * characters; HE_INVALID otherwise. out holds CAND_TAG_SIZE bytes. */
#define CAND_TAG_SIZE 161
int cand_tag_normalise(const char *in, char out[CAND_TAG_SIZE]);

#endif
