/* pipeline.h: a role's pipeline: who is at which stage, and the moves between */
#ifndef HEARTH_PIPELINE_H
#define HEARTH_PIPELINE_H

#include <stddef.h>
#include <stdint.h>
#include <db.h>
#include <jansson.h>

struct store;
struct audit_actor;

/* Stages, in board order. */
enum pipe_stage {
	PIPE_SHORTLISTED, PIPE_CONTACTED, PIPE_INTERESTED, PIPE_APPLIED,
	PIPE_INTERVIEWING, PIPE_OFFER, PIPE_HIRED, PIPE_DECLINED, PIPE_WITHDRAWN,
	PIPE_STAGE__MAX
};
extern const char *const pipe_stage_names[PIPE_STAGE__MAX + 1];
/* "Shortlisted", "Contacted", ... for people. */
extern const char *const pipe_stage_labels[PIPE_STAGE__MAX];
/* The stage of a name, -1 when it is none. */
int pipe_stage_of(const char *name);
/* Moves kept in an entry's "history" (the oldest dropped). */
#define PIPE_HISTORY_MAX 100

/*
 * An entry (STORE_PIPE, role id + candidate id) is {"stage", "at" (unix
 * s, of the last move), "by" (user id), "added" (unix s), "history"
 * [{"stage", "at", "by", "by_name"}], "explain" (match_explain at
 * shortlisting)}. A person may be in several roles' pipelines.
 */

/*
 * Shortlists candidate cand for role id: adds them at "shortlisted" with
 * explain (borrowed: the reasons shown, match_explain) and writes an
 * audit entry "shortlist" holding the role and that explanation, and a
 * touchpoint. HE_EXISTS when they are in the pipeline already;
 * HE_NOTFOUND for an unknown role or candidate; HE_INVALID for a closed
 * role or an excluded person (do not contact, hired).
 */
int pipe_shortlist(struct store *st, const struct audit_actor *who,
    uint64_t role, uint64_t cand, json_t *explain);
/* The same in the caller's transaction. */
int pipe_shortlist_in(struct store *st, DB_TXN *txn,
    const struct audit_actor *who, uint64_t role, uint64_t cand,
    json_t *explain);

/*
 * Moves cand, who is in role's pipeline (HE_NOTFOUND when not), to stage,
 * recording a touchpoint on their timeline ("stage": who, when, role,
 * from, to) and an audit entry. Hired sets their status hired and
 * "hired_at"; leaving hired in the same pipeline gives both back as they
 * were, unless something else changed them since; declined from offer
 * sets "offer_declined_at".
 */
int pipe_move(struct store *st, const struct audit_actor *who, uint64_t role,
    uint64_t cand, enum pipe_stage stage);

/* The pipeline of a role: *rows a new array of entries with "cand",
 * "name", "email", "stage", "at", in stage order then latest move first;
 * at most limit from offset (the list view pages; the board takes all
 * up to PIPE_BOARD_MAX). */
#define PIPE_BOARD_MAX 500
int pipe_list(struct store *st, uint64_t role, int stage, size_t offset,
    size_t limit, json_t **rows, size_t *total);

/* One entry (new reference), HE_NOTFOUND. */
int pipe_get(struct store *st, DB_TXN *txn, uint64_t role, uint64_t cand,
    json_t **entry);

/* The pipelines candidate cand is in: [{"role", "title", "stage", "at"}]. */
int pipe_of_cand(struct store *st, DB_TXN *txn, uint64_t cand, json_t **rows);

/* Whether user is a hiring manager of a role whose pipeline holds cand
 * (HE_OK) or not (HE_NOTFOUND): what a hiring manager may see. */
int pipe_manager_may_see(struct store *st, DB_TXN *txn, uint64_t user,
    uint64_t cand);

/* Erasure and merges: removes cand from every pipeline (erasure), or
 * moves their entries to into (a merge; an entry into has already wins). */
int pipe_cand_purge(struct store *st, DB_TXN *txn, uint64_t cand);
int pipe_cand_merge(struct store *st, DB_TXN *txn, uint64_t cand,
    uint64_t into);

#endif
