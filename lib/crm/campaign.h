/* campaign.h: nurture campaigns: definitions, enrolments, the sequence engine, counters */
#ifndef HEARTH_CAMPAIGN_H
#define HEARTH_CAMPAIGN_H

#include <stddef.h>
#include <stdint.h>
#include <db.h>
#include <jansson.h>
#include <ClearSilver.h>

struct store;
struct cand_query;

/*
 * A campaign (STORE_CAMPAIGN, JSON):
 *   "name" 1..CAMP_NAME_MAX characters, "state" draft|active|paused|archived,
 *   "pools" [pool ids] (its audience), "auto" (enrol people entering a pool),
 *   "goal" ""|"replied"|"applied"|"status_changed",
 *   "window" {"from" 0..23, "to" 1..24, "weekdays"} (local hours [from, to)),
 *   "owner", "created", "updated", "gen" (+1 on every edit), "steps" [...]
 * Steps (at most CAMP_STEPS_MAX):
 *   {"type":"email","variants":[{"subject","body"}, 1..4],
 *    "ab":{"metric":"click"|"reply","auto":bool}, "winner": index,
 *    "ab_looks": how many of the engine's looks at the test are behind it
 *    (kept through edits)}
 *   {"type":"wait","days":0..365,"hours":0..23}
 *   {"type":"branch","on":"clicked"|"replied"|"nothing"|"hot"|"warm"|"cold",
 *    "goto": a later step's index or the number of steps (the end)}
 *   {"type":"pool_add"|"pool_remove","pool": a static pool id}
 *   {"type":"notify","text"}   {"type":"exit"}
 *
 * An enrolment (STORE_ENROL, campaign + candidate):
 *   "state" active|done|stopped, "why" (when not active: "goal:replied",
 *   "goal:applied", "goal:status_changed", "exit", "end", "left_pool",
 *   "withdrawn", "unsubscribed", "paused", "do_not_contact", "bounced",
 *   "no_email", "suppressed", "replied", "erased", "merged", "by_hand", "campaign_archived"), "step" (the next
 *   to run), "due" (only while active), "entered", "by" (0: automatic),
 *   "last_mail_at", "last_mail", "last_step", "clicked_at", "replied_at",
 *   "opened_at", "variant" {"<step>": index}, "history" [{"at","step",
 *   "what"}] (the last CAMP_HISTORY_MAX).
 *
 * Every function that takes no txn runs its own transaction(s) with
 * deadlock retry. JSON handed out is a new reference for the caller.
 */

#define CAMP_NAME_MAX 120
#define CAMP_STEPS_MAX 30
#define CAMP_VARIANTS_MAX 4
#define CAMP_HISTORY_MAX 50
#define CAMP_TEXT_MAX 2000	/* a notify step's text */

/*
 * Checks a campaign body as the editor sends it. HE_OK, or HE_INVALID with
 * *errors a new object {field: message for people}; fields are "name",
 * "pools", "goal", "window", "steps", and "steps.<i>", "steps.<i>.<what>"
 * (e.g. "steps.2.variants.0.subject") for one step's parts. The pools are
 * checked to exist only by campaign_create/update (they need the store).
 */
int campaign_validate(json_t *body, json_t **errors);

/* Creates a draft campaign from body (validated; pools must exist) owned
 * by user `by`; *id on HE_OK. HE_INVALID with *errors as above. */
int campaign_create(struct store *st, json_t *body, uint64_t by, uint64_t *id,
    json_t **errors);

/* Replaces the editable fields (name, pools, auto, goal, window, steps) of
 * campaign id. HE_CONFLICT when gen is not the stored "gen" (someone saved
 * meanwhile); HE_INVALID with *errors; HE_NOTFOUND. An archived campaign
 * cannot be edited (HE_INVALID, errors {"state": ...}). Enrolments keep
 * their step index: removing steps ends those past the new end ("end"). */
int campaign_update(struct store *st, uint64_t id, int64_t gen, json_t *body,
    json_t **errors);

/* The campaign record with "id" added; HE_NOTFOUND. */
int campaign_get(struct store *st, uint64_t id, json_t **body);

/* Every campaign, newest first: [{"id", "name", "state", "auto", "goal",
 * "pools", "steps" (count), "owner", "created", "updated", "enrolled",
 * "active"}]. */
int campaign_list(struct store *st, json_t **list);

/* Moves a campaign to "active", "paused", "archived" or back to "draft"
 * (from paused only). Activating needs at least one pool and one email
 * step (HE_INVALID). Archiving is final: the engine stops the campaign's
 * active enrolments ("campaign_archived") in steps. */
int campaign_set_state(struct store *st, uint64_t id, const char *state,
    uint64_t by);

/*
 * Enrols candidate cand by hand (user `by`; 0: automatic). HE_EXISTS when
 * already enrolled and active or done (a stopped enrolment starts again
 * from the first step); HE_NOTFOUND for an unknown campaign or candidate;
 * HE_INVALID when the campaign is archived or the person may not be
 * mailed: campaign_enrol_why() then says why.
 */
int campaign_enrol(struct store *st, uint64_t camp, uint64_t cand, uint64_t by);

/* Why cand cannot be enrolled in camp now: "archived" (the campaign),
 * "no_email", "no_consent" (consent not confirmed), "paused",
 * "do_not_contact", "email_invalid", "suppressed"; NULL when they can. A
 * static string. campaign_why_text gives a sentence for people for such a
 * code, or for an enrolment's "why". */
const char *campaign_enrol_why(struct store *st, uint64_t camp, uint64_t cand);
const char *campaign_why_text(const char *code);

/* Stops cand's active enrolment in camp ("by_hand"); HE_NOTFOUND when
 * there is none active. */
int campaign_unenrol(struct store *st, uint64_t camp, uint64_t cand, uint64_t by);

/*
 * Bulk enrolment: the candidates a filter (or a pool) matches now, less
 * those who may not be mailed by the index (consent not confirmed,
 * do_not_contact), are kept as a wave that the engine expands in batches
 * (campaign_run_due); those already enrolled are skipped then. *wave is
 * its id, *n how many people it holds. HE_INVALID for an archived
 * campaign; HE_NOTFOUND.
 */
int campaign_enrol_query(struct store *st, uint64_t camp,
    const struct cand_query *q, uint64_t by, uint64_t *wave, size_t *n);
int campaign_enrol_pool(struct store *st, uint64_t camp, uint64_t pool,
    uint64_t by, uint64_t *wave, size_t *n);
/* How far a wave is: people handled and in all (done == total: over; a
 * wave of a campaign archived meanwhile is over at once, "cancelled"). */
int campaign_wave_progress(struct store *st, uint64_t wave, size_t *done,
    size_t *total);

/* Every enrolment of one person, for their page: [{"camp", "name" (the
 * campaign's), "campaign_state", "state", "why", "step", "steps" (count),
 * "step_type", "due", "entered", "by", "last_mail_at", "history"}]. */
int campaign_enrolments_of(struct store *st, uint64_t cand, json_t **list);

/* One page (1-based) of a campaign's enrolments in candidate order:
 * [{"cand", "name", "state", "why", "step", "due", "entered",
 * "last_mail_at"}] and how many there are in all. */
int campaign_members(struct store *st, uint64_t camp, size_t page,
    size_t per_page, json_t **rows, size_t *total);

/* For the outbox at send time, in its txn: whether a mail that cand's
 * enrolment in camp queued may still go: HE_OK while the enrolment is
 * active or ran to its end ("end", "exit": the last step's mail is still
 * to go); HE_INVALID once it was stopped or reached its goal; HE_NOTFOUND
 * when there is none (erased). */
int campaign_mail_allowed(struct store *st, DB_TXN *txn, uint64_t camp,
    uint64_t cand);

enum camp_signal { CAMP_SIG_CLICK, CAMP_SIG_OPEN, CAMP_SIG_REPLY, CAMP_SIG_BOUNCE };

/* In the caller's txn: mail_id is the campaign mail the signal is about (0:
 * the person's latest in each active enrolment). Records it on the
 * enrolment, counts it (once per mail for click/open), ends the sequence on
 * a reply (goal or not; the owner gets a notice) and on a hard bounce. A
 * mail that is not a campaign's, or an unknown one, is HE_OK: nothing. */
int campaign_signal(struct store *st, DB_TXN *txn, uint64_t cand,
    uint64_t mail_id, enum camp_signal sig, int64_t at);

/* Counters (per campaign, step and variant; step -1 for the campaign's own:
 * "enrolled", "active", "members"): metric "enrolled", "sent", "delivered",
 * "bounced", "replied", "opened", "clicked", "unsubscribed", "converted",
 * "deferred" (by the engine at variant -1: no version is chosen until the
 * mail is queued). In the caller's txn. */
int campaign_stat_add(struct store *st, DB_TXN *txn, uint64_t camp, int step,
    int variant, const char *metric, int64_t delta);
/* {"steps": {"<step>": {"<variant>": {"sent": n, ...}}}, "enrolled": n,
 * "active": n, "members": n, "converted": n, "unsubscribed": n} */
int campaign_stats(struct store *st, uint64_t camp, json_t **out);

/*
 * cand_write calls this for every write (old NULL: a new record), after the
 * record is stored, in its txn: entering a pool of an active auto campaign
 * enrols; leaving every audience pool, consent no longer confirmed, paused,
 * do_not_contact, email_invalid, the email removed stop ("left_pool",
 * "withdrawn", "unsubscribed", "paused", "do_not_contact", "bounced",
 * "no_email"); a status change
 * reaches the goal "applied"/"status_changed". Nothing is read when none of
 * the fields that matter changed; otherwise the campaigns come from a
 * per-process cache keyed by their generation.
 */
int campaign_cand_changed(struct store *st, DB_TXN *txn, uint64_t id,
    const json_t *old, const json_t *rec);

/* A merge of candidate from into candidate into, in its txn, before into's
 * merged record is written: each enrolment of from's in a campaign into is
 * not in moves to into (as it was: step, due, history); where both are
 * in one, from's stops ("merged"). So no mail goes to from's id and the
 * merged record enrols into nowhere twice. (At most 256 campaigns.) */
int campaign_cand_merged(struct store *st, DB_TXN *txn, uint64_t from,
    uint64_t into);

/* Erasure: deletes every enrolment of cand and every notice about them,
 * and those of the ids merged into them, scrubbed, in txn (before the
 * record goes). */
int campaign_cand_purge(struct store *st, DB_TXN *txn, uint64_t cand);

/* The engine's settings (Campaign.* of the site configuration). */
struct campaign_cfg {
	char timezone[64];	/* TimeZone: when a person's location says none */
	int quiet_from, quiet_to;	/* QuietFrom, QuietTo: local hours, no mail */
	int cap_mails, cap_days;	/* CapMails per CapDays across campaigns */
	double ab_alpha;	/* ABAlpha */
	uint64_t ab_min_sends;	/* ABMinSends */
	size_t batch;		/* Batch: wave members per transaction */
	char tz_table[512];	/* TimeZoneTable (loaded by campaign_cfg_load) */
};
/* The defaults (UTC, quiet 21..8, 3 per 7 days, 0.05, 100, 200). */
void campaign_cfg_defaults(struct campaign_cfg *cfg);
/* campaign_cfg_defaults, then Campaign.* from conf (NULL: defaults only);
 * loads the time-zone table when one is named and readable. */
int campaign_cfg_load(HDF *conf, struct campaign_cfg *cfg);

/*
 * The worker: runs up to max due enrolments (each person's steps in one
 * transaction with the mail it queues, so each step happens exactly once
 * even with two workers or a kill at any moment), stops those of archived
 * campaigns, expands waves (cfg->batch people per transaction) and
 * declares A/B winners. *done counts the people handled; *more is set when
 * work was left that is due now.
 */
int campaign_run_due(struct store *st, const struct campaign_cfg *cfg,
    size_t max, size_t *done, int *more);

#endif
