/* engage.h: the engagement score: decayed events, levels, sort keys */
#ifndef HEARTH_ENGAGE_H
#define HEARTH_ENGAGE_H

#include <stddef.h>
#include <stdint.h>
#include <db.h>
#include <jansson.h>
#include <ClearSilver.h>

struct store;

/*
 * What a person did that counts. Opens are not among them: a pixel says
 * more about the mail client than about the person, and only those who
 * allowed tracking carry one.
 */
enum engage_kind {
	ENGAGE_SIGNUP,		/* joined the talent community */
	ENGAGE_CONFIRM,		/* confirmed their address or new details */
	ENGAGE_CLICK,		/* clicked a link in a mail */
	ENGAGE_VISIT,		/* reached the careers site from a mail */
	ENGAGE_REPLY,		/* replied to a mail */
	ENGAGE_TOUCH,		/* an engaging touchpoint logged by hand */
	ENGAGE__MAX
};
/* Their names under Engagement.Weights in the configuration. */
extern const char *const engage_kinds[ENGAGE__MAX];

/*
 * The score of a record is the sum of the weights of its events, each
 * halved every HalfLifeDays since it happened. It is kept in the record
 * as "eng": {"s": the score as of "t" (unix seconds)}, so that it is one
 * multiplication at any later time. Levels: "hot" from HotScore, "warm"
 * from WarmScore, else "cold" (no events: 0, cold).
 */
struct engage_cfg {
	double half_life_days;		/* 1..3650 */
	double hot, warm;		/* 0 < warm <= hot */
	double weight[ENGAGE__MAX];
};

/*
 * Reads Engagement.* (HalfLifeDays, HotScore, WarmScore, Weights.Signup,
 * .Confirm, .Click, .Visit, .Reply, .Touch) over the defaults (30 days,
 * 2.5, 0.5; weights 3 3 2 1 5 5) for the whole process; conf NULL: the
 * defaults. HE_INVALID (the settings unchanged, the reason logged) for a
 * value that is not a number in its range. crm_open calls it, so every
 * program uses the site's settings.
 */
int engage_configure(HDF *conf);
/* The settings in force. */
const struct engage_cfg *engage_settings(void);

/*
 * Adds the weight of an event of kind k at time at to rec's "eng" in
 * place (events may come in any order: the sum is the same). The caller
 * writes rec through cand_write / cand_refresh in its transaction, which
 * derives "level" and the index keys from it. HE_INVALID for an unknown
 * kind or a time <= 0.
 */
int engage_add(json_t *rec, enum engage_kind k, int64_t at);

/*
 * Reads candidate cand with rmw in txn, adds the event, moves
 * "last_engaged" up to at (an engagement: the list's sort and date
 * filters, stale records) and writes it with cand_refresh (an engagement
 * is not an edit: "updated" stays), for callers without the record at
 * hand. HE_NOTFOUND for an unknown id.
 */
int engage_event(struct store *st, DB_TXN *txn, uint64_t cand,
    enum engage_kind k, int64_t at);

/* Sets out's "eng" to the sum of a's and b's scores (a merge of two
 * records of one person); removes it when neither has one. */
int engage_merge(json_t *out, const json_t *a, const json_t *b);

/* rec's score at now (0 without events). */
double engage_score(const json_t *rec, int64_t now);
/* "hot" | "warm" | "cold": the level of rec's score at now. */
const char *engage_level(const json_t *rec, int64_t now);
/* The level of a score. */
const char *engage_level_of(double score);

/*
 * Sorting by score. The score at any time t' is s * 2^((t - t') / H), so
 * it orders like k = log2(s) + t / H (H: the half-life in seconds), which
 * time does not change: the index keeps k in buckets, one "sc:CCCCCC" per
 * unit of k (a halving) and ENGAGE_FINE "sk:CCCCCC.FFFF" in each, both in
 * byte order of k. engage_sort_k gives a record's k (0: no score: it has
 * no bucket keys and sorts after every scored record).
 */
#define ENGAGE_FINE 1024
#define ENGAGE_KEY_SIZE 32
int engage_sort_k(const json_t *rec, double *k);
/* The k a score has at time now (thresholds: k of HotScore at now). */
double engage_k_of(double score, int64_t now);
/* The bucket keys of k: coarse "sc:CCCCCC" and fine "sk:CCCCCC.FFFF". */
void engage_bucket_keys(double k, char coarse[ENGAGE_KEY_SIZE],
    char fine[ENGAGE_KEY_SIZE]);
/* The fine-key prefix of a coarse key ("sc:001718" -> "sk:001718."). */
void engage_fine_prefix(const char *coarse, char out[ENGAGE_KEY_SIZE]);

#endif
