/* campaign.h: campaigns, enrolments, waves, campaign counters and notices as stored */
#ifndef HEARTH_STORE_CAMPAIGN_H
#define HEARTH_STORE_CAMPAIGN_H

#include <stddef.h>
#include <stdint.h>
#include <db.h>
#include <jansson.h>

struct store;

/*
 * Bodies passed in are borrowed; bodies handed out are new references the
 * caller json_decref()s. Functions taking a txn run in the caller's
 * transaction (NULL: Berkeley DB's own, read committed where it says so).
 */

/* ---- campaign.c ---- */

/* Campaign id -> the campaign (see crm/campaign.h for the fields). Key 0
 * holds {"gen": n}, the generation of all campaigns together, raised by
 * every change of any campaign: per-process caches of the campaigns are
 * keyed by it. It lives beside the campaigns (not in STORE_SETTING) so
 * that reading it, which every candidate write that concerns campaigns
 * and every step of the engine does, shares no page with busy settings. */
int store_campaign_get(struct store *st, DB_TXN *txn, uint64_t id, int rmw,
    json_t **body);
int store_campaign_put(struct store *st, DB_TXN *txn, uint64_t id, json_t *body);
/* Every campaign in id order (body borrowed); non-HE_OK from fn stops the
 * walk with that code. */
int store_campaign_each(struct store *st, DB_TXN *txn,
    int (*fn)(uint64_t id, json_t *body, void *ctx), void *ctx);
/* The generation (0 when no campaign was ever written; store_gen_get). */
int store_campaign_gen(struct store *st, DB_TXN *txn, int64_t *gen);
/* Changes the generation in txn (store_gen_change: campaign edits queue). */
int store_campaign_gen_bump(struct store *st, DB_TXN *txn, int64_t *gen);

/* Counters of STORE_CAMP_STAT (8-byte big-endian values): names like
 * "camp:<id>:<step>:<variant>:<metric>". A counter that is not there is 0. */
int store_camp_stat_add(struct store *st, DB_TXN *txn, const char *name,
    int64_t delta);
int store_camp_stat_get(struct store *st, DB_TXN *txn, const char *name,
    int64_t *value);
/* Each counter whose name starts with prefix, in name order (name valid
 * during the call only), read committed. */
int store_camp_stat_each(struct store *st, DB_TXN *txn, const char *prefix,
    int (*fn)(const char *name, int64_t value, void *ctx), void *ctx);

/* ---- enrol.c ---- */

/* Enrolment: campaign id BE64 + candidate id BE64 -> {"state", "why",
 * "step", "due", ...} (crm/campaign.h). "due" is present only while the
 * state is "active": STORE_ENROL_DUE then holds campaign id BE64 + due
 * BE64 for it, so the engine walks one campaign's due ones in time order
 * and never sees a paused campaign's. STORE_ENROL_CAND: candidate BE64. */
int store_enrol_due_key(DB *sdb, const DBT *pkey, const DBT *pdata, DBT *skey);
int store_enrol_cand_key(DB *sdb, const DBT *pkey, const DBT *pdata, DBT *skey);

int store_enrol_get(struct store *st, DB_TXN *txn, uint64_t camp, uint64_t cand,
    int rmw, json_t **body);
/* HE_OK when there is one (DB_RMW when rmw), HE_NOTFOUND. */
int store_enrol_exists(struct store *st, DB_TXN *txn, uint64_t camp,
    uint64_t cand, int rmw);
int store_enrol_put(struct store *st, DB_TXN *txn, uint64_t camp, uint64_t cand,
    json_t *body);
/* Removes one enrolment and its index entries, scrubbed (erasure). */
int store_enrol_del(struct store *st, DB_TXN *txn, uint64_t camp, uint64_t cand);

/* Up to max candidates of campaign camp whose enrolment is active and due
 * at or before `before` (INT64_MAX: every active one), earliest first,
 * read committed (no lock kept: the caller reads each again with DB_RMW).
 * cands holds max entries; *n how many were found. */
int store_enrol_due(struct store *st, DB_TXN *txn, uint64_t camp,
    int64_t before, size_t max, uint64_t *cands, size_t *n);
/* The earliest due time of camp's active enrolments (HE_NOTFOUND: none). */
int store_enrol_next_due(struct store *st, DB_TXN *txn, uint64_t camp,
    int64_t *due);
/* Every enrolment of candidate cand (campaign id order); body borrowed. */
int store_enrol_each_of(struct store *st, DB_TXN *txn, uint64_t cand,
    int (*fn)(uint64_t camp, json_t *body, void *ctx), void *ctx);
/* The enrolments of camp in candidate order, read committed: skips offset,
 * then calls fn for up to limit of them (body borrowed). */
int store_enrol_members(struct store *st, DB_TXN *txn, uint64_t camp,
    size_t offset, size_t limit,
    int (*fn)(uint64_t cand, json_t *body, void *ctx), void *ctx);

/* Waves (bulk enrolments the engine expands in batches): wave id ->
 * {"camp", "by", "created", "total", "done", "enrolled", "cursor" (the last
 * candidate id handled), "state" ("open" | "done")}; the ids to enrol are
 * kept apart, as CRoaring's portable serialization, so a batch rewrites
 * only the small record. */
int store_wave_get(struct store *st, DB_TXN *txn, uint64_t id, int rmw,
    json_t **body);
int store_wave_put(struct store *st, DB_TXN *txn, uint64_t id, json_t *body);
int store_wave_bits_put(struct store *st, DB_TXN *txn, uint64_t id,
    const void *bits, size_t len);
/* *bits malloc'd (the caller frees it). */
int store_wave_bits_get(struct store *st, DB_TXN *txn, uint64_t id,
    void **bits, size_t *len);
int store_wave_bits_del(struct store *st, DB_TXN *txn, uint64_t id);
/* The ids of waves still "open", oldest first, read committed. */
int store_wave_open_each(struct store *st, DB_TXN *txn,
    int (*fn)(uint64_t id, void *ctx), void *ctx);

/* ---- notice.c ---- */

/* Notices for users: user BE64 + notice id BE64 -> {"at", "text", "cand",
 * "camp", "kind", "read"}. STORE_NOTICE_CAND: "cand" BE64 (none for 0 or
 * no "cand"), so that an erasure finds the notices about the person. */
int store_notice_cand_key(DB *sdb, const DBT *pkey, const DBT *pdata, DBT *skey);
int store_notice_insert(struct store *st, DB_TXN *txn, uint64_t user,
    json_t *body, uint64_t *id);
int store_notice_get(struct store *st, DB_TXN *txn, uint64_t user, uint64_t id,
    int rmw, json_t **body);
int store_notice_put(struct store *st, DB_TXN *txn, uint64_t user, uint64_t id,
    json_t *body);
/* A user's notices, newest first, read committed (body borrowed);
 * non-HE_OK from fn stops the walk with that code. */
int store_notice_each(struct store *st, DB_TXN *txn, uint64_t user,
    int (*fn)(uint64_t id, json_t *body, void *ctx), void *ctx);
/* Deletes every notice about candidate cand, scrubbed, in txn (erasure);
 * *n (may be NULL) counts them. */
int store_notice_del_of(struct store *st, DB_TXN *txn, uint64_t cand, size_t *n);

#endif
