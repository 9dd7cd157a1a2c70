/* fresh.c: the daily pass over records that went stale or cooled down */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <roaring/roaring.h>

#include "crm/candidates.h"
#include "crm/clock.h"
#include "crm/engage.h"
#include "crm/fresh.h"
#include "crm/index.h"
#include "store/entities.h"
#include "store/postings.h"
#include "store/store.h"
#include "util/he.h"

/* The day (days since 1970, UTC) of the latest pass, and the id its next
 * step starts at (-1: that day's pass is done). */
#define SETTING_DAY "fresh_day"
#define SETTING_NEXT "fresh_next"

int64_t
fresh_threshold(int stale_months, int64_t now)
{
	time_t t = (time_t)now;
	struct tm tm;

	gmtime_r(&t, &tm);
	tm.tm_mon -= stale_months;	/* timegm normalises the year */
	return (int64_t)timegm(&tm);
}

int
fresh_is_stale(json_t *rec, int64_t threshold)
{
	json_int_t engaged = json_integer_value(json_object_get(rec, "last_engaged"));
	json_int_t updated = json_integer_value(json_object_get(rec, "updated"));

	return engaged < threshold && updated < threshold;
}

struct recent {
	struct store *st;
	size_t plen;
	char day[16];
	roaring_bitmap_t *out;
};

static int
or_recent(const char *key, uint64_t count, void *ctx)
{
	struct recent *r = ctx;

	(void)count;
	if (strcmp(key + r->plen, r->day) <= 0)
		return HE_EXISTS;	/* this day and older ones: done */
	return store_post_read(r->st, NULL, key, r->out);
}

/* ORs into out the ids under prefix"YYYYMMDD" for the days after the one
 * holding time `after` (later days sort later: newest first, to there). */
static int
or_days_after(struct store *st, const char *prefix, int64_t after,
    roaring_bitmap_t *out)
{
	struct recent r = { st, strlen(prefix), "", out };
	time_t t = (time_t)after;
	struct tm tm;
	int rc;

	gmtime_r(&t, &tm);
	strftime(r.day, sizeof r.day, "%Y%m%d", &tm);
	rc = store_post_keys(st, NULL, prefix, 1, or_recent, &r);
	return rc == HE_EXISTS ? HE_OK : rc;
}

/* This CRoaring does not take NULL. */
static void
bm_free(roaring_bitmap_t *b)
{
	if (b)
		roaring_bitmap_free(b);
}

static roaring_bitmap_t *
bitmap_of(struct store *st, const char *key, int *rc)
{
	roaring_bitmap_t *b = roaring_bitmap_create();

	if (b == NULL)
		*rc = HE_NOMEM;
	else if ((*rc = store_post_read(st, NULL, key, b)) != HE_OK) {
		roaring_bitmap_free(b);
		b = NULL;
	}
	return b;
}

/* The scored records above a threshold k, from the score's buckets:
 * strict: every one in a bucket wholly above it; edge: the threshold's
 * own fine bucket (read to know which side). */
struct above {
	struct store *st;
	char coarse[ENGAGE_KEY_SIZE], fine[ENGAGE_KEY_SIZE];
	roaring_bitmap_t *strict, *edge;
};

static int
above_fine(const char *key, uint64_t count, void *ctx)
{
	struct above *a = ctx;
	int c = strcmp(key, a->fine);

	(void)count;
	if (c < 0)
		return HE_EXISTS;	/* below it: done */
	return store_post_read(a->st, NULL, key, c > 0 ? a->strict : a->edge);
}

static int
above_coarse(const char *key, uint64_t count, void *ctx)
{
	struct above *a = ctx;
	char prefix[ENGAGE_KEY_SIZE];
	int c = strcmp(key, a->coarse), rc;

	(void)count;
	if (c > 0)
		return store_post_read(a->st, NULL, key, a->strict);
	if (c < 0)
		return HE_EXISTS;
	engage_fine_prefix(key, prefix);
	rc = store_post_names(a->st, NULL, prefix, 1, above_fine, a);
	return rc == HE_EXISTS ? HE_OK : rc;
}

static int
above_k(struct store *st, double k, roaring_bitmap_t *strict,
    roaring_bitmap_t *edge)
{
	struct above a = { .st = st, .strict = strict, .edge = edge };
	int rc;

	engage_bucket_keys(k, a.coarse, a.fine);
	rc = store_post_names(st, NULL, "sc:", 1, above_coarse, &a);
	return rc == HE_EXISTS ? HE_OK : rc;
}

/*
 * The records whose level may have changed at now: hot ones not wholly
 * above the hot threshold's k (engage.h), warm ones not wholly above the
 * warm one's; and, as a level rises only with an event (a write) unless
 * the clock went back (hearthctl fresh --at) or the thresholds changed,
 * warm ones at or above the hot threshold and cold ones at or above the
 * warm one. Only the buckets above the warm threshold are read.
 */
static int
levels_todo(struct store *st, int64_t now, roaring_bitmap_t *todo)
{
	const struct engage_cfg *cfg = engage_settings();
	roaring_bitmap_t *hot = NULL, *warm = NULL, *cold = NULL;
	roaring_bitmap_t *hs = roaring_bitmap_create(), *he = roaring_bitmap_create();
	roaring_bitmap_t *ws = roaring_bitmap_create(), *we = roaring_bitmap_create();
	int rc = hs && he && ws && we ? HE_OK : HE_NOMEM;

	if (rc == HE_OK && (hot = bitmap_of(st, "lvl:hot", &rc)) &&
	    (warm = bitmap_of(st, "lvl:warm", &rc)) &&
	    (cold = bitmap_of(st, "lvl:cold", &rc)) &&
	    (rc = above_k(st, engage_k_of(cfg->hot, now), hs, he)) == HE_OK &&
	    (rc = above_k(st, engage_k_of(cfg->warm, now), ws, we)) == HE_OK) {
		roaring_bitmap_or_inplace(he, hs);	/* may be hot */
		roaring_bitmap_or_inplace(we, ws);	/* may be warm or hot */
		roaring_bitmap_and_inplace(cold, we);
		roaring_bitmap_or_inplace(todo, cold);
		roaring_bitmap_andnot_inplace(hot, hs);
		roaring_bitmap_or_inplace(todo, hot);
		roaring_bitmap_and_inplace(he, warm);
		roaring_bitmap_or_inplace(todo, he);
		roaring_bitmap_andnot_inplace(warm, ws);
		roaring_bitmap_or_inplace(todo, warm);
	}
	bm_free(hot);
	bm_free(warm);
	bm_free(cold);
	bm_free(hs);
	bm_free(he);
	bm_free(ws);
	bm_free(we);
	return rc;
}

/*
 * The records a pass at now looks at, read from the postings: those that
 * may have gone stale (no engagement and no update after the threshold's
 * day), those flagged stale that were engaged or updated after it, and
 * those whose level time may have changed (levels_todo). Records of a
 * threshold's own day are in (read to know which side).
 */
static int
todo_compute(struct store *st, int stale_months, int64_t now,
    roaring_bitmap_t **todo)
{
	int64_t t = fresh_threshold(stale_months, now);
	roaring_bitmap_t *all = NULL, *stale = NULL;
	roaring_bitmap_t *recent = roaring_bitmap_create();
	int rc = recent ? HE_OK : HE_NOMEM;

	*todo = NULL;
	if (rc == HE_OK && (all = bitmap_of(st, "*", &rc)) &&
	    (stale = bitmap_of(st, "stale", &rc)) &&
	    (rc = or_days_after(st, "ed:", t, recent)) == HE_OK &&
	    (rc = or_days_after(st, "ud:", t, recent)) == HE_OK) {
		/* all becomes those that may be stale now */
		roaring_bitmap_andnot_inplace(all, recent);
		/* flagged but fresh again: stale - all; not yet flagged: all - stale */
		roaring_bitmap_xor_inplace(all, stale);
		if ((rc = levels_todo(st, now, all)) == HE_OK) {
			*todo = all;
			all = NULL;
		}
	}
	bm_free(all);
	bm_free(stale);
	bm_free(recent);
	return rc;
}

struct batch {
	int64_t now, threshold;
	uint32_t ids[FRESH_BATCH];
	size_t n;
	struct fresh_stats stats;	/* of this transaction only */
	int schedule;			/* record the progress in settings */
	int64_t day, next;
};

static int
refresh_one(struct store *st, DB_TXN *txn, struct batch *b, uint64_t id)
{
	json_t *old, *rec;
	const char *level;
	int want, was, rc;

	if ((rc = store_cand_get(st, txn, id, 1, &old)) == HE_NOTFOUND)
		return HE_OK;	/* erased or merged since the postings were read */
	if (rc != HE_OK)
		return rc;
	b->stats.looked++;
	level = engage_level(old, b->now);
	want = fresh_is_stale(old, b->threshold);
	was = json_is_true(json_object_get(old, "stale"));
	if (want == was && strcmp(level, json_string_value(json_object_get(old,
	    "level")) ?: "") == 0) {
		json_decref(old);
		return HE_OK;
	}
	if ((rec = json_deep_copy(old)) == NULL) {
		json_decref(old);
		return HE_NOMEM;
	}
	if (want)
		json_object_set_new(rec, "stale", json_true());
	else
		json_object_del(rec, "stale");
	if ((rc = cand_refresh(st, txn, id, old, rec)) == HE_OK) {
		b->stats.flagged += want && !was;
		b->stats.cleared += was && !want;
		b->stats.levels += strcmp(json_string_value(json_object_get(rec,
		    "level")) ?: "", json_string_value(json_object_get(old,
		    "level")) ?: "") != 0;
	}
	json_decref(rec);
	json_decref(old);
	return rc;
}

static int
batch_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct batch *b = arg;
	int rc = HE_OK;

	memset(&b->stats, 0, sizeof b->stats);
	for (size_t i = 0; rc == HE_OK && i < b->n; i++)
		rc = refresh_one(st, txn, b, b->ids[i]);
	if (rc == HE_OK && b->schedule &&
	    (rc = store_setting_set(st, txn, SETTING_DAY, b->day)) == HE_OK)
		rc = store_setting_set(st, txn, SETTING_NEXT, b->next);
	return rc;
}

static void
stats_add(struct fresh_stats *to, const struct fresh_stats *s)
{
	if (to == NULL)
		return;
	to->looked += s->looked;
	to->flagged += s->flagged;
	to->cleared += s->cleared;
	to->levels += s->levels;
}

/* Fills b with the next ids of todo from `from` on; whether more follow. */
static int
take(const roaring_bitmap_t *todo, uint64_t from, size_t batch, struct batch *b)
{
	roaring_uint32_iterator_t *it = roaring_create_iterator(todo);
	int more;

	b->n = 0;
	if (it == NULL)
		return -1;
	if (from <= UINT32_MAX &&
	    roaring_move_uint32_iterator_equalorlarger(it, (uint32_t)from))
		while (it->has_value && b->n < batch) {
			b->ids[b->n++] = it->current_value;
			roaring_advance_uint32_iterator(it);
		}
	more = it->has_value && from <= UINT32_MAX;
	roaring_free_uint32_iterator(it);
	return more;
}

/* The worker's set between steps: one process, one pass at a time. */
static struct {
	struct store *st;
	int64_t day;
	int months;
	roaring_bitmap_t *todo;
} cache;

int
fresh_step(struct store *st, int stale_months, size_t batch,
    struct fresh_stats *stats, int *more)
{
	struct batch b = { .now = clock_now() };
	int64_t day = b.now / 86400, done_day = -1, next = 0;
	int rc, left;

	*more = 0;
	if (batch == 0 || batch > FRESH_BATCH)
		batch = FRESH_BATCH;
	if ((rc = store_setting_get(st, NULL, SETTING_DAY, &done_day)) != HE_OK &&
	    rc != HE_NOTFOUND)
		return rc;
	if (rc == HE_OK && (rc = store_setting_get(st, NULL, SETTING_NEXT,
	    &next)) != HE_OK && rc != HE_NOTFOUND)
		return rc;
	if (done_day == day && next < 0)
		return HE_OK;
	if (done_day != day)
		next = 0;
	/* A pass that starts, or a set made for another pass: read again. */
	if (next == 0 || cache.todo == NULL || cache.st != st ||
	    cache.day != day || cache.months != stale_months) {
		bm_free(cache.todo);
		cache.todo = NULL;
		if ((rc = todo_compute(st, stale_months, b.now, &cache.todo)) != HE_OK)
			return rc;
		cache.st = st;
		cache.day = day;
		cache.months = stale_months;
	}
	if ((left = take(cache.todo, (uint64_t)next, batch, &b)) < 0)
		return HE_NOMEM;
	b.threshold = fresh_threshold(stale_months, b.now);
	b.schedule = 1;
	b.day = day;
	b.next = left ? (int64_t)b.ids[b.n - 1] + 1 : -1;
	if ((rc = store_txn(st, batch_txn, &b)) != HE_OK)
		return rc;
	stats_add(stats, &b.stats);
	if (!left) {
		bm_free(cache.todo);
		cache.todo = NULL;
	}
	*more = left;
	return HE_OK;
}

int
fresh_run(struct store *st, int stale_months, struct fresh_stats *stats)
{
	struct batch b = { .now = clock_now() };
	roaring_bitmap_t *todo;
	uint64_t next = 0;
	int rc, left;

	if ((rc = todo_compute(st, stale_months, b.now, &todo)) != HE_OK)
		return rc;
	b.threshold = fresh_threshold(stale_months, b.now);
	do {
		if ((left = take(todo, next, FRESH_BATCH, &b)) < 0) {
			rc = HE_NOMEM;
			break;
		}
		if (b.n == 0)
			break;
		next = (uint64_t)b.ids[b.n - 1] + 1;
		if ((rc = store_txn(st, batch_txn, &b)) != HE_OK)
			break;
		stats_add(stats, &b.stats);
	} while (left);
	bm_free(todo);
	return rc;
}
