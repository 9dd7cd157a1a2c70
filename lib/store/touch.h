/* touch.h: touchpoints, the timeline of what happened with a candidate */
#ifndef HEARTH_STORE_TOUCH_H
#define HEARTH_STORE_TOUCH_H

#include <stddef.h>
#include <stdint.h>
#include <db.h>
#include <jansson.h>

struct store;

/*
 * A touchpoint is {"at" (unix seconds), "kind", "channel", "by" (user id;
 * 0 for the system or the candidate), "by_name", "text", "detail" {}},
 * and may have "at_us" (unix µs) to order those of one second,
 * stored in STORE_TOUCH under the candidate's id then the touchpoint's id
 * (from SEQ_TOUCH), 8 bytes each, big-endian.
 *
 * Kinds (lib/crm/timeline.h has the list and their wording): logged by
 * hand "note", "call", "email", "sms", "linkedin", "meeting", "event"
 * (attended); written by changes "status", "owner", "edit", "created",
 * "verified", "stage" (a move in a role's pipeline: detail "role",
 * "title", "from", "to"), "silver" (marked a silver medallist of a role,
 * or "undone"), "role_mail" (a personal mail about a role was queued);
 * from the community and imports "signup", "confirmed",
 * "import", "merge". "channel" says how it happened: the medium of one
 * logged by hand (the same word as its kind), "office" for a change made
 * in the back office, "web" for the candidate's own, "system" for the
 * worker. "detail" holds what a kind needs (a call's "outcome", the
 * "fields" an edit changed, a status change's "from" and "to").
 *
 * Ids come from per-process caches of the sequence, so they are not in
 * time order across processes: order by "at" where it matters (the
 * timeline does). Bodies passed in are borrowed; bodies handed to
 * callbacks are borrowed for the call.
 */

/* Appends body for candidate cand in txn; *id is the touchpoint's id. */
int store_touch_insert(struct store *st, DB_TXN *txn, uint64_t cand,
    json_t *body, uint64_t *id);

/* Stores body under (cand, id), an id from store_touch_insert: moving a
 * touchpoint to another candidate (merges) keeps its id. HE_EXISTS when
 * that key is taken. */
int store_touch_put(struct store *st, DB_TXN *txn, uint64_t cand, uint64_t id,
    json_t *body);

/* One touchpoint (a new reference); HE_NOTFOUND when absent. */
int store_touch_get(struct store *st, DB_TXN *txn, uint64_t cand, uint64_t id,
    json_t **body);

/* Removes one touchpoint (not scrubbed: a move, not an erasure). */
int store_touch_del(struct store *st, DB_TXN *txn, uint64_t cand, uint64_t id);

/*
 * The touchpoints of one candidate, highest id first: skips offset, then
 * calls fn for up to limit of them (limit 0: all). fn returning non-HE_OK
 * stops the walk with that code.
 */
typedef int (*store_touch_fn)(uint64_t id, json_t *body, void *ctx);
int store_touch_newest(struct store *st, DB_TXN *txn, uint64_t cand,
    size_t offset, size_t limit, store_touch_fn fn, void *ctx);

/* How many touchpoints candidate cand has. */
int store_touch_count(struct store *st, DB_TXN *txn, uint64_t cand, size_t *n);

/* Removes every touchpoint of candidate cand, each overwritten in place
 * first (erasure: see store_del_scrubbed); *n (may be NULL) counts them. */
int store_touch_del_all(struct store *st, DB_TXN *txn, uint64_t cand,
    size_t *n);

#endif
