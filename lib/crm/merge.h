/* merge.h: two records of one person made one, and undone */
#ifndef HEARTH_MERGE_H
#define HEARTH_MERGE_H

#include <stddef.h>
#include <stdint.h>
#include <db.h>
#include <jansson.h>

struct store;
struct audit_actor;

/*
 * What a recruiter picks between, one choice per group of fields that
 * belong together (a name is first, last and whole name; an email its
 * keyed hash with it; a location city and country).
 */
enum merge_pick {
	MERGE_NAME, MERGE_EMAIL, MERGE_PHONE, MERGE_LOCATION, MERGE_REMOTE,
	MERGE_TITLE, MERGE_SENIORITY, MERGE_URL, MERGE_SOURCE, MERGE_STATUS,
	MERGE_OWNER, MERGE_BASIS, MERGE_RESUME, MERGE_PICK__MAX
};

#define MERGE_GROUP_FIELDS 3
struct merge_group {
	const char *name;	/* "name", "email", ... (form: "pick_<name>") */
	const char *label;	/* for people: "Name" */
	const char *fields[MERGE_GROUP_FIELDS];	/* record fields, NULL-padded */
};
extern const struct merge_group merge_groups[MERGE_PICK__MAX];

/* The list fields that a merge unites (each value once, the kept
 * record's first), NULL-terminated: interests, skills, tags, pools. */
extern const char *const merge_lists[];

/* Whether records a and b hold different values in group g. */
int merge_differs(enum merge_pick g, json_t *a, json_t *b);

/* Whether record r holds any value in group g. */
int merge_has(enum merge_pick g, json_t *r);

/*
 * What the merge screen shows for merging b into a (a is kept):
 * {"a" {}, "b" {} (the records), "differs" {group: true} for each group
 * that differs, "lists" {field: [united values]}, "consent_from" ("a" or
 * "b": whose consent state, preferences and join time the merged record
 * keeps: the one with the latest consent event), "a_events", "b_events"
 * (consent events), "b_mails", "b_touch" (what moves to a)}. New
 * reference in *doc. HE_NOTFOUND when either is missing; HE_INVALID
 * when a == b.
 */
int merge_preview(struct store *st, uint64_t a, uint64_t b, json_t **doc);

/*
 * Merges candidate b into a, in one transaction: a's record takes, for
 * each group, a's values when picks[g] is 'a' and b's when 'b' (0: a's
 * when it has any, else b's); lists are united; the consent state goes
 * with the latest consent event (see merge_preview); any other field a
 * lacks comes from b. b's consent events are appended to a's chain, each
 * as a "merged" event that embeds the original; b's mails and timeline
 * become a's, and a's timeline gets a "merge" touchpoint; b's
 * likely-duplicate pairs go; b is removed; the audit log says "merge"
 * (who: the user and address, may be NULL). What undoing needs is kept
 * under *merge_id (store/merge.h) until merge_purge removes it.
 * HE_NOTFOUND when either is missing, HE_INVALID when a == b.
 */
int merge_run(struct store *st, uint64_t a, uint64_t b,
    const char picks[MERGE_PICK__MAX], const struct audit_actor *who,
    uint64_t *merge_id);

/*
 * Who was merged into whom: {"a", "b", "at", "by", "a_name", "b_name",
 * "b_email", "expires"} for the page that offers the undo. HE_NOTFOUND
 * when it was undone, has expired or named someone since erased.
 */
int merge_summary(struct store *st, uint64_t merge_id, int keep_days,
    json_t **doc);

/*
 * Undoes merge merge_id in one transaction: both records, their consent
 * chains, mails, timelines and likely-duplicate pairs are as they were
 * before it, the merge record is gone and the audit log says "unmerge".
 * HE_NOTFOUND when there is no
 * such merge (undone, purged or erased), HE_EXPIRED when it is older
 * than keep_days. HE_EXISTS when something since conflicts, with the
 * reason for people in why (whylen bytes): a later merge of either, an
 * edit of the kept record, b's email taken by a new candidate.
 */
int merge_undo(struct store *st, uint64_t merge_id, int keep_days,
    const struct audit_actor *who, char *why, size_t whylen);

/*
 * For the worker: deletes the merge records older than keep_days, in
 * transactions of at most MERGE_PURGE_BATCH records each; *n counts them.
 */
#define MERGE_PURGE_BATCH 64
int merge_purge(struct store *st, int keep_days, size_t *n);

/*
 * For erasure, in its transaction: deletes (scrubbed) every merge record
 * that names cand, and those naming who was merged with them in turn
 * (their data is the same person's), and every likely-duplicate pair of
 * cand.
 */
int merge_forget(struct store *st, DB_TXN *txn, uint64_t cand);

#endif
