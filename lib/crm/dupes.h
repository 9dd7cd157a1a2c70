/* dupes.h: likely duplicate candidates */
#ifndef HEARTH_DUPES_H
#define HEARTH_DUPES_H

#include <stddef.h>
#include <stdint.h>
#include <db.h>
#include <jansson.h>

struct store;

/*
 * Notes that candidate id now holds duplicate key `key` ("dup:u:..." same
 * LinkedIn profile, "dup:p:..." same phone, "dup:n:..." same name in the
 * same city): every other candidate under the key becomes a likely
 * duplicate pair of id, kept in STORE_DUPE for review (store/dupe.h). A
 * pair a recruiter dismissed stays dismissed. Called by the write path
 * after the postings changed, in its transaction.
 */
int dupes_note(struct store *st, DB_TXN *txn, uint64_t id, const char *key);

/*
 * Why two records may be one person, as they are now: a new JSON array
 * of "linkedin", "phone", "name_city" (empty when none holds any more).
 */
int dupes_reasons(struct store *st, json_t *a, json_t *b, json_t **reasons);

/* Pairs looked at for one page at most (the rest waits for the next). */
#define DUPES_SCAN_MAX 2000

/*
 * One page of the pairs to review, in pair order after the pair
 * (after_a, after_b) (both 0: from the first): those not dismissed whose
 * candidates both still exist and still share a reason, at most limit.
 * *rows is a new JSON array of {"a", "b" (a < b), "reasons" [], "found",
 * "a_cand" {}, "b_cand" {} (the records)}. next is where the next page
 * starts, both 0 when there is none.
 */
int dupes_list(struct store *st, uint64_t after_a, uint64_t after_b,
    size_t limit, json_t **rows, uint64_t next[2]);

/*
 * "Not a duplicate": the pair stays in STORE_DUPE marked dismissed (by
 * user, now), so it is neither listed nor noted again. HE_NOTFOUND when
 * no such pair was noted.
 */
int dupes_dismiss(struct store *st, uint64_t a, uint64_t b, uint64_t user);

#endif
