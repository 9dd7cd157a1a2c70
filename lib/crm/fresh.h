/* fresh.h: stale records, and the engagement levels that time changes */
#ifndef HEARTH_FRESH_H
#define HEARTH_FRESH_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

struct store;

/* Office.StaleMonths when it is not set. */
#define FRESH_STALE_MONTHS 12
/* Records one step reads and writes at most, in one transaction. */
#define FRESH_BATCH 200

/* The time stale_months calendar months before now: a record with no
 * engagement and no update since then is stale. */
int64_t fresh_threshold(int stale_months, int64_t now);

/* Whether rec ("last_engaged", "updated") is stale at that threshold. */
int fresh_is_stale(json_t *rec, int64_t threshold);

struct fresh_stats {
	size_t looked;		/* records read */
	size_t flagged;		/* became stale */
	size_t cleared;		/* were stale and are not (updated since) */
	size_t levels;		/* records whose level changed */
};

/*
 * The worker's freshness pass, once a day, one bounded step per call:
 * sets "stale" on the records that went stale, clears it on those that
 * were engaged or updated since, and writes the "level" of records whose
 * engagement score decayed below it (engage_level). Neither counts as an
 * edit: "updated" keeps its value (cand_refresh).
 *
 * The records to look at come from the postings, not from reading every
 * record: the day keys "ed:" (last engagement) and "ud:" (last update)
 * newer than a threshold, with "*" and "stale"; and "lvl:hot",
 * "lvl:warm", "lvl:cold" with the score's sort-key buckets above the hot
 * and warm thresholds' keys at now (engage.h), so a day's pass reads only
 * the records that crossed a threshold that day. The set is kept in this
 * process between steps.
 *
 * Each step handles up to batch records (ascending id) in one transaction
 * that also records where it stopped ("fresh_next" in STORE_SETTING), so
 * a killed worker resumes there; after the last one the day is marked
 * done ("fresh_day"). *more is 1 while the day's pass has more to do;
 * stats (may be NULL) adds up what was done.
 */
int fresh_step(struct store *st, int stale_months, size_t batch,
    struct fresh_stats *stats, int *more);

/*
 * A whole pass now, in steps of FRESH_BATCH, whether or not the day's
 * pass ran (hearthctl fresh, tests); it leaves the worker's schedule as
 * it was.
 */
int fresh_run(struct store *st, int stale_months, struct fresh_stats *stats);

#endif
