/* campaign_int.h: what the campaign files share (not for other modules) */
#ifndef HEARTH_CAMPAIGN_INT_H
#define HEARTH_CAMPAIGN_INT_H

#include <stddef.h>
#include <stdint.h>
#include <db.h>
#include <jansson.h>

struct store;

/* The campaigns as of one generation, cached per process: read-only. */
struct camp_one {
	uint64_t id;
	json_t *rec;		/* the record (borrowed from the set) */
	int state;		/* CAMP_ST_* */
	int is_auto;
	uint64_t *pools;	/* its audience */
	size_t npools;
};
enum { CAMP_ST_DRAFT, CAMP_ST_ACTIVE, CAMP_ST_PAUSED, CAMP_ST_ARCHIVED };

struct camp_set {
	int refs;
	int64_t gen;
	const struct store *st;
	struct camp_one *c;
	size_t n;
	int any_auto;		/* an active auto campaign exists */
};

/* The campaigns as txn sees their generation (read-locked in txn: an edit
 * waits for txn to end). A reference the caller gives back with
 * camp_set_put. */
int camp_set_get(struct store *st, DB_TXN *txn, struct camp_set **out);
void camp_set_put(struct camp_set *s);
const struct camp_one *camp_set_find(const struct camp_set *s, uint64_t id);
int camp_state_of(const char *s);
/* Whether campaign c's audience holds a pool of the arrays (ids). */
int camp_in_audience(const struct camp_one *c, const json_t *pools,
    const json_t *dpools);

/* Why a record may not get marketing mail now (a campaign_enrol_why code),
 * or NULL. Reads the suppression list in txn. */
const char *camp_contact_why(struct store *st, DB_TXN *txn, const json_t *rec,
    int64_t now);

/* cand_resolve in txn for an id whose record is gone: HE_OK when it was
 * merged into another (*into, when not NULL, that one), HE_NOTFOUND when
 * it was not (erased, deleted). */
int camp_merged_into(struct store *st, DB_TXN *txn, uint64_t cand,
    uint64_t *into);

/* The enrolment's "why" when it stops for a camp_contact_why code. */
const char *camp_stop_why(const char *contact_why, const json_t *rec);

/* A new active enrolment at the first step, due at `due`, written in txn
 * over any stopped one; counted. */
int camp_enrol_start(struct store *st, DB_TXN *txn, uint64_t camp,
    uint64_t cand, uint64_t by, int64_t now, int64_t due);
/* camp_enrol_start for one known to have no enrolment, due now, not
 * counted: waves count a batch at once ("enrolled", "active", "members"). */
int camp_enrol_fresh(struct store *st, DB_TXN *txn, uint64_t camp,
    uint64_t cand, uint64_t by, int64_t now);
/* Ends active enrolment e (state "done" or "stopped" by why), writes it,
 * counts it ("converted" for a goal, "unsubscribed" for a withdrawal, on
 * the last email step). */
int camp_enrol_end(struct store *st, DB_TXN *txn, uint64_t camp,
    uint64_t cand, json_t *e, const char *state, const char *why, int64_t now);
/* Appends {"at","step","what"} to e's history, keeping the last
 * CAMP_HISTORY_MAX. */
void camp_history(json_t *e, int64_t at, int step, const char *what);

/* A notice about cand in camp to cand's owner, else the campaign's. */
int camp_notify(struct store *st, DB_TXN *txn, uint64_t camp, uint64_t cand,
    const json_t *rec, const char *kind, const char *text);

/* Helpers of the definitions. */
int camp_has_email(json_t *camp);
int camp_step_is(json_t *step, const char *type);

/* Raises the generation of all campaigns (every change of one). */
int camp_changed(struct store *st, DB_TXN *txn);

#endif
