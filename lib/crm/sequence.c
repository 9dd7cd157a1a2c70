/* sequence.c: the engine: runs each person's due steps, expands waves, declares A/B winners */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <roaring/roaring.h>
#include <sodium.h>

#include "crm/campaign.h"
#include "crm/campaign_int.h"
#include "crm/cap.h"
#include "crm/clock.h"
#include "crm/engage.h"
#include "crm/notice.h"
#include "crm/pool.h"
#include "store/campaign.h"
#include "store/entities.h"
#include "store/store.h"
#include "util/abtest.h"
#include "util/conf.h"
#include "util/he.h"
#include "util/log.h"
#include "util/tz.h"

#define AB_CHECK_EVERY 60	/* seconds between reads of the A/B counts */
#define RUN_GUARD (2 * CAMP_STEPS_MAX)	/* steps one person runs at most at once */

void
campaign_cfg_defaults(struct campaign_cfg *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	snprintf(cfg->timezone, sizeof cfg->timezone, "UTC");
	cfg->quiet_from = 21;
	cfg->quiet_to = 8;
	cfg->cap_mails = 3;
	cfg->cap_days = 7;
	cfg->ab_alpha = 0.05;
	cfg->ab_min_sends = 100;
	cfg->batch = 200;
}

int
campaign_cfg_load(HDF *conf, struct campaign_cfg *cfg)
{
	const char *s;
	long v;

	campaign_cfg_defaults(cfg);
	if (conf == NULL)
		return HE_OK;
	snprintf(cfg->timezone, sizeof cfg->timezone, "%s",
	    conf_str(conf, "Campaign.TimeZone", "UTC"));
	if ((v = conf_int(conf, "Campaign.QuietFrom", 21)) >= 0 && v <= 24)
		cfg->quiet_from = (int)v;
	if ((v = conf_int(conf, "Campaign.QuietTo", 8)) >= 0 && v <= 24)
		cfg->quiet_to = (int)v;
	if ((v = conf_int(conf, "Campaign.CapMails", 3)) >= 0)
		cfg->cap_mails = (int)v;
	if ((v = conf_int(conf, "Campaign.CapDays", 7)) >= 1)
		cfg->cap_days = (int)v;
	if ((s = conf_str(conf, "Campaign.ABAlpha", NULL)) != NULL) {
		double a = strtod(s, NULL);

		if (a > 0 && a < 1)
			cfg->ab_alpha = a;
	}
	if ((v = conf_int(conf, "Campaign.ABMinSends", 100)) >= 1)
		cfg->ab_min_sends = (uint64_t)v;
	if ((v = conf_int(conf, "Campaign.Batch", 200)) >= 1 && v <= 5000)
		cfg->batch = (size_t)v;
	if ((s = conf_str(conf, "Campaign.TimeZoneTable", NULL)) != NULL && *s) {
		char *path = conf_path(conf, "Campaign.TimeZoneTable", s);

		snprintf(cfg->tz_table, sizeof cfg->tz_table, "%s", path ? path : s);
		free(path);
		if (tz_table_load(cfg->tz_table) != HE_OK)
			log_warn("campaigns: cannot read the time-zone table %s; "
			    "everyone gets Campaign.TimeZone", cfg->tz_table);
	}
	return HE_OK;
}

/* ---- one person ---- */

struct run {
	const struct campaign_cfg *cfg;
	uint64_t camp, cand;
	int64_t now;
	int all;		/* the campaign is archived: end them, due or not */
	int ran;		/* the person was due and handled */
};

static int64_t
jint(const json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

/* The earliest time at or after now when the person may get mail. */
static int64_t
send_time(const struct campaign_cfg *cfg, const json_t *camp, const json_t *rec,
    int64_t now)
{
	json_t *win = json_object_get(camp, "window");
	const char *zone = tz_for_location(
	    json_string_value(json_object_get(rec, "city")),
	    json_string_value(json_object_get(rec, "country")));
	const struct tz *z;
	struct send_window w = {
		.from_hour = json_is_integer(json_object_get(win, "from")) ?
		    (int)jint(win, "from") : 0,
		.to_hour = json_is_integer(json_object_get(win, "to")) ?
		    (int)jint(win, "to") : 24,
		.weekdays_only = json_is_true(json_object_get(win, "weekdays")),
		.quiet_from = cfg->quiet_from,
		.quiet_to = cfg->quiet_to,
	};

	if ((zone == NULL || tz_get(zone, &z) != HE_OK) &&
	    tz_get(cfg->timezone, &z) != HE_OK && tz_get("UTC", &z) != HE_OK)
		return now;
	return tz_next_send(z, now, &w);
}

static int
branch_true(const json_t *step, const json_t *e, const json_t *rec, int64_t now)
{
	const char *on = json_string_value(json_object_get(step, "on"));
	int64_t since = jint(e, "last_mail_at");
	int clicked = json_is_integer(json_object_get(e, "clicked_at")) &&
	    jint(e, "clicked_at") >= since;
	int replied = json_is_integer(json_object_get(e, "replied_at")) &&
	    jint(e, "replied_at") >= since;

	if (on == NULL)
		return 0;
	if (strcmp(on, "clicked") == 0)
		return clicked;
	if (strcmp(on, "replied") == 0)
		return replied;
	if (strcmp(on, "nothing") == 0)
		return !clicked && !replied;
	return strcmp(engage_level(rec, now) ?: "", on) == 0;
}

/* The variant of an email step for this person: the winner once there is
 * one, else one at random; kept on the enrolment. */
static int
pick_variant(const json_t *step, json_t *e, int idx)
{
	size_t n = json_array_size(json_object_get(step, "variants"));
	json_t *w = json_object_get(step, "winner"), *vars;
	char k[16];
	int v;

	if (json_is_integer(w) && json_integer_value(w) >= 0 &&
	    (size_t)json_integer_value(w) < n)
		v = (int)json_integer_value(w);
	else
		v = n > 1 ? (int)randombytes_uniform((uint32_t)n) : 0;
	if (!json_is_object(vars = json_object_get(e, "variant"))) {
		vars = json_object();
		json_object_set_new(e, "variant", vars);
	}
	snprintf(k, sizeof k, "%d", idx);
	json_object_set_new(vars, k, json_integer(v));
	return v;
}

static int
queue_mail(struct store *st, DB_TXN *txn, struct run *r, const json_t *rec,
    int step, int variant, uint64_t *id)
{
	json_t *mail = json_pack("{s:s, s:I, s:s?, s:s?, s:I, s:i, s:i, s:I, s:I,"
	    " s:s, s:i, s:b}",
	    "kind", "campaign",
	    "cand", (json_int_t)r->cand,
	    "to", json_string_value(json_object_get(rec, "email")),
	    "to_name", json_string_value(json_object_get(rec, "name")),
	    "camp", (json_int_t)r->camp,
	    "step", step,
	    "variant", variant,
	    "created", (json_int_t)clock_now_us(),
	    "due", (json_int_t)r->now,
	    "state", "queued",
	    "attempts", 0,
	    "marketing", 1);
	int rc;

	if (mail == NULL)
		return HE_NOMEM;
	rc = store_mail_insert(st, txn, mail, id);
	json_decref(mail);
	return rc;
}

static int
count_pending(uint64_t id, json_t *mail, void *ctx)
{
	const char *state = json_string_value(json_object_get(mail, "state"));

	(void)id;
	if (json_is_true(json_object_get(mail, "marketing")) && state &&
	    (strcmp(state, "queued") == 0 || strcmp(state, "sending") == 0))
		(*(int *)ctx)++;
	return HE_OK;
}

/* The person's marketing mails queued and not yet accepted: the cap
 * (which counts accepted ones, noted by the outbox) counts them as going
 * now, so two campaigns do not queue a mail each at the same moment. */
static int
pending_mails(struct store *st, DB_TXN *txn, uint64_t cand, int *n)
{
	*n = 0;
	return store_mail_each_of(st, txn, cand, count_pending, n);
}

/* Runs the person's steps until one waits or the sequence ends; e is
 * theirs, read with a lock, and written back here. */
static int
run_steps(struct store *st, DB_TXN *txn, struct run *r, const struct camp_one *c,
    json_t **ep)
{
	json_t *steps = json_object_get(c->rec, "steps"), *rec = NULL, *e = *ep;
	int64_t now = r->now;
	int rc = HE_OK, done = 0;

	/* The record is gone with its enrolment left: merged into another
	 * (the survivor's "mid:" posting names this id; a merge stops these
	 * itself, older merges did not), else erased or deleted by a path
	 * that left it. Either way no mail goes to an id that is no one. */
	if ((rc = store_cand_get(st, txn, r->cand, 0, &rec)) == HE_NOTFOUND)
		return camp_enrol_end(st, txn, r->camp, r->cand, e, "stopped",
		    camp_merged_into(st, txn, r->cand, NULL) == HE_OK ? "merged" :
		    "erased", now);
	if (rc != HE_OK)
		return rc;
	for (int guard = 0; rc == HE_OK && !done && guard < RUN_GUARD; guard++) {
		int idx = (int)jint(e, "step");
		json_t *s = json_array_get(steps, (size_t)idx);
		const char *type = json_string_value(json_object_get(s, "type")) ?: "";

		if (idx < 0 || s == NULL) {
			rc = camp_enrol_end(st, txn, r->camp, r->cand, e, "done", "end", now);
			done = 2;
		} else if (strcmp(type, "email") == 0) {
			const char *why = camp_contact_why(st, txn, rec, now);
			int64_t at, free_at = 0;
			uint64_t mail;
			int v, pending = 0;

			if (why) {
				why = camp_stop_why(why, rec);
				rc = camp_enrol_end(st, txn, r->camp, r->cand, e, "stopped",
				    why, now);
				done = 2;
			} else if ((at = send_time(r->cfg, c->rec, rec, now)) > now) {
				json_object_set_new(e, "due", json_integer(at));
				done = 1;
			} else if ((rc = pending_mails(st, txn, r->cand, &pending)) ==
			    HE_OK && (rc = cap_check_pending(st, txn, r->cand, now,
			    r->cfg->cap_mails, r->cfg->cap_days, pending, &free_at)) ==
			    HE_BUSY) {
				json_object_set_new(e, "due", json_integer(free_at > now ?
				    free_at : now + 3600));
				camp_history(e, now, idx, "deferred: frequency cap");
				rc = campaign_stat_add(st, txn, r->camp, idx, -1, "deferred", 1);
				done = 1;
			} else if (rc == HE_OK) {
				v = pick_variant(s, e, idx);
				if ((rc = queue_mail(st, txn, r, rec, idx, v, &mail)) == HE_OK &&
				    (rc = campaign_stat_add(st, txn, r->camp, idx, v, "sent",
				    1)) == HE_OK) {
					char what[32];

					json_object_set_new(e, "last_mail_at", json_integer(now));
					json_object_set_new(e, "last_mail",
					    json_integer((json_int_t)mail));
					json_object_set_new(e, "last_step", json_integer(idx));
					snprintf(what, sizeof what, "sent version %c", 'A' + v);
					camp_history(e, now, idx, what);
					json_object_set_new(e, "step", json_integer(idx + 1));
				}
			}
		} else if (strcmp(type, "wait") == 0) {
			json_object_set_new(e, "step", json_integer(idx + 1));
			json_object_set_new(e, "due", json_integer(now +
			    jint(s, "days") * 86400 + jint(s, "hours") * 3600));
			done = 1;
		} else if (strcmp(type, "branch") == 0) {
			int yes = branch_true(s, e, rec, now);

			json_object_set_new(e, "step", json_integer(yes ?
			    jint(s, "goto") : idx + 1));
			camp_history(e, now, idx, yes ? "branch: yes" : "branch: no");
		} else if (strcmp(type, "pool_add") == 0 ||
		    strcmp(type, "pool_remove") == 0) {
			int add = type[5] == 'a';
			json_t *again;

			/* The candidate's write may end this enrolment (left the
			 * audience): write it first, then read it again. */
			json_object_set_new(e, "step", json_integer(idx + 1));
			camp_history(e, now, idx, add ? "added to a pool" :
			    "removed from a pool");
			if ((rc = store_enrol_put(st, txn, r->camp, r->cand, e)) != HE_OK)
				break;
			rc = pool_member_set(st, txn, (uint64_t)jint(s, "pool"), r->cand,
			    add);
			if (rc == HE_NOTFOUND || rc == HE_INVALID)
				rc = HE_OK;	/* the pool is gone or no longer static */
			if (rc == HE_OK)
				rc = store_enrol_get(st, txn, r->camp, r->cand, 1, &again);
			if (rc != HE_OK)
				break;
			json_decref(e);
			*ep = e = again;
			json_decref(rec);
			rec = NULL;
			if ((rc = store_cand_get(st, txn, r->cand, 0, &rec)) != HE_OK)
				break;
			if (strcmp(json_string_value(json_object_get(e, "state")) ?: "",
			    "active") != 0)
				done = 2;
		} else if (strcmp(type, "notify") == 0) {
			rc = camp_notify(st, txn, r->camp, r->cand, rec, "notify",
			    json_string_value(json_object_get(s, "text")) ?: "");
			json_object_set_new(e, "step", json_integer(idx + 1));
			camp_history(e, now, idx, "owner notified");
		} else if (strcmp(type, "exit") == 0) {
			rc = camp_enrol_end(st, txn, r->camp, r->cand, e, "done", "exit", now);
			done = 2;
		} else {
			json_object_set_new(e, "step", json_integer(idx + 1));
		}
	}
	if (rc == HE_OK && done != 2) {
		if (!done)	/* the guard: a loop of steps that never waits */
			json_object_set_new(e, "due", json_integer(now + 3600));
		rc = store_enrol_put(st, txn, r->camp, r->cand, e);
	}
	json_decref(rec);
	return rc;
}

static int
person_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct run *r = arg;
	struct camp_set *set;
	const struct camp_one *c;
	json_t *e;
	int rc;

	r->ran = 0;
	/* The lock on the enrolment is what makes a step run once: a second
	 * worker waits here and then finds it no longer due. */
	if ((rc = store_enrol_get(st, txn, r->camp, r->cand, 1, &e)) != HE_OK)
		return rc == HE_NOTFOUND ? HE_OK : rc;
	if (strcmp(json_string_value(json_object_get(e, "state")) ?: "", "active") ||
	    !json_is_integer(json_object_get(e, "due")) ||
	    (!r->all && jint(e, "due") > r->now)) {
		json_decref(e);
		return HE_OK;
	}
	if ((rc = camp_set_get(st, txn, &set)) != HE_OK) {
		json_decref(e);
		return rc;
	}
	c = camp_set_find(set, r->camp);
	if (c == NULL || c->state == CAMP_ST_ARCHIVED) {
		rc = camp_enrol_end(st, txn, r->camp, r->cand, e, "stopped",
		    "campaign_archived", r->now);
		r->ran = 1;
	} else if (c->state == CAMP_ST_ACTIVE) {
		rc = run_steps(st, txn, r, c, &e);
		r->ran = 1;
	}
	camp_set_put(set);
	json_decref(e);
	return rc;
}

static int
postpone_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct run *r = arg;
	json_t *e;
	int rc;

	if ((rc = store_enrol_get(st, txn, r->camp, r->cand, 1, &e)) != HE_OK)
		return rc == HE_NOTFOUND ? HE_OK : rc;
	if (json_is_integer(json_object_get(e, "due"))) {
		json_object_set_new(e, "due", json_integer(r->now + 3600));
		rc = store_enrol_put(st, txn, r->camp, r->cand, e);
	}
	json_decref(e);
	return rc;
}

/* ---- waves ---- */

/* The ids of the wave last read, kept: a 1M-member wave is read once. */
static struct {
	const struct store *st;
	uint64_t id;
	int64_t nonce;		/* the wave's: another store may reuse st and id */
	roaring_bitmap_t *ids;
} wave_cache;

struct wave_run {
	const struct campaign_cfg *cfg;
	uint64_t id;
	int open;
	size_t handled;
};

static int
wave_ids(struct store *st, DB_TXN *txn, uint64_t id, int64_t nonce,
    roaring_bitmap_t **out)
{
	void *bits;
	size_t len;
	int rc;

	if (wave_cache.ids && wave_cache.st == st && wave_cache.id == id &&
	    wave_cache.nonce == nonce) {
		*out = wave_cache.ids;
		return HE_OK;
	}
	if ((rc = store_wave_bits_get(st, txn, id, &bits, &len)) != HE_OK)
		return rc;
	if (wave_cache.ids)	/* this CRoaring does not take NULL */
		roaring_bitmap_free(wave_cache.ids);
	wave_cache.ids = roaring_bitmap_portable_deserialize_safe(bits, len);
	free(bits);
	if (wave_cache.ids == NULL)
		return HE_INVALID;
	wave_cache.st = st;
	wave_cache.id = id;
	wave_cache.nonce = nonce;
	*out = wave_cache.ids;
	return HE_OK;
}

static int
wave_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct wave_run *w = arg;
	roaring_bitmap_t *ids;
	roaring_uint32_iterator_t *it;
	json_t *rec;
	uint64_t camp, by, cursor;
	int64_t now = clock_now(), enrolled = 0;
	size_t k = 0;
	int rc;

	w->handled = 0;
	if ((rc = store_wave_get(st, txn, w->id, 1, &rec)) != HE_OK)
		return rc;
	if (strcmp(json_string_value(json_object_get(rec, "state")) ?: "", "open")) {
		w->open = 0;
		json_decref(rec);
		return HE_OK;
	}
	camp = (uint64_t)jint(rec, "camp");
	by = (uint64_t)jint(rec, "by");
	cursor = (uint64_t)jint(rec, "cursor");
	{
		struct camp_set *set;
		const struct camp_one *c;
		int gone;

		if ((rc = camp_set_get(st, txn, &set)) != HE_OK) {
			json_decref(rec);
			return rc;
		}
		c = camp_set_find(set, camp);
		gone = c == NULL || c->state == CAMP_ST_ARCHIVED;
		camp_set_put(set);
		if (gone) {	/* archived meanwhile: the rest is not enrolled */
			w->open = 0;
			json_object_set_new(rec, "state", json_string("done"));
			json_object_set_new(rec, "cancelled", json_true());
			/* Over, for whoever watches its progress. */
			json_object_set(rec, "done", json_object_get(rec, "total"));
			json_object_set_new(rec, "finished", json_integer(now));
			if ((rc = store_wave_bits_del(st, txn, w->id)) == HE_OK)
				rc = store_wave_put(st, txn, w->id, rec);
			json_decref(rec);
			return rc;
		}
	}
	if ((rc = wave_ids(st, txn, w->id, jint(rec, "nonce"), &ids)) != HE_OK ||
	    (it = roaring_create_iterator(ids)) == NULL) {
		json_decref(rec);
		return rc != HE_OK ? rc : HE_NOMEM;
	}
	/* After the last one handled; each already enrolled is skipped. */
	if (cursor && !roaring_move_uint32_iterator_equalorlarger(it,
	    (uint32_t)(cursor + 1)))
		it->has_value = false;
	for (; rc == HE_OK && it->has_value && k < w->cfg->batch; k++) {
		uint64_t cand = it->current_value;

		/* Erased (or merged away) since the wave was made: their
		 * record is gone, and so must their enrolments stay. The read
		 * lock holds an erasure off until this batch commits. */
		if ((rc = store_cand_exists(st, txn, cand)) == HE_NOTFOUND) {
			rc = HE_OK;
			cursor = cand;
			roaring_advance_uint32_iterator(it);
			continue;
		}
		/* Locked (rmw) through the insert: a hand or automatic
		 * enrolment meanwhile waits for this batch. */
		if (rc == HE_OK)
			rc = store_enrol_exists(st, txn, camp, cand, 1);
		if (rc == HE_NOTFOUND &&
		    (rc = camp_enrol_fresh(st, txn, camp, cand, by, now)) == HE_OK)
			enrolled++;
		cursor = cand;
		roaring_advance_uint32_iterator(it);
	}
	w->open = it->has_value;
	roaring_free_uint32_iterator(it);
	if (rc == HE_OK && enrolled &&
	    (rc = campaign_stat_add(st, txn, camp, -1, -1, "enrolled", enrolled)) == HE_OK &&
	    (rc = campaign_stat_add(st, txn, camp, -1, -1, "active", enrolled)) == HE_OK)
		rc = campaign_stat_add(st, txn, camp, -1, -1, "members", enrolled);
	if (rc == HE_OK) {
		json_object_set_new(rec, "cursor", json_integer((json_int_t)cursor));
		json_object_set_new(rec, "done", json_integer(jint(rec, "done") +
		    (json_int_t)k));
		json_object_set_new(rec, "enrolled", json_integer(jint(rec, "enrolled") +
		    enrolled));
		if (!w->open) {
			json_object_set_new(rec, "state", json_string("done"));
			json_object_set_new(rec, "finished", json_integer(now));
			rc = store_wave_bits_del(st, txn, w->id);
		}
		if (rc == HE_OK)
			rc = store_wave_put(st, txn, w->id, rec);
	}
	w->handled = k;
	json_decref(rec);
	return rc;
}

struct waves {
	uint64_t ids[32];
	size_t n;
};

static int
wave_open(uint64_t id, void *ctx)
{
	struct waves *w = ctx;

	if (w->n < 32)
		w->ids[w->n++] = id;
	return HE_OK;
}

/* One batch of each open wave. Enrolling is idempotent (those enrolled
 * already are skipped), so a batch lost with a power cut is simply done
 * again: its commit need not wait for the disk. */
static int
run_waves(struct store *st, const struct campaign_cfg *cfg, size_t *handled,
    int *more)
{
	struct waves ws = { .n = 0 };
	int rc;

	if ((rc = store_wave_open_each(st, NULL, wave_open, &ws)) != HE_OK)
		return rc;
	for (size_t i = 0; i < ws.n; i++) {
		struct wave_run w = { cfg, ws.ids[i], 0, 0 };

		if ((rc = store_txn_written(st, wave_txn, &w)) != HE_OK)
			return rc;
		*handled += w.handled;
		*more |= w.open;
	}
	return HE_OK;
}

/* ---- A/B winners ---- */

/*
 * Looking at cumulative counts on every pass and stopping at the first
 * p < alpha declares far more false winners than alpha says. So a step is
 * looked at only when every version's sends first reach
 * Campaign.ABMinSends x 2^k (k = 0 .. AB_LOOKS - 1), each threshold once,
 * at alpha / AB_LOOKS (Bonferroni over the looks there can be). The step
 * keeps "ab_looks", how many thresholds are behind it.
 */
#define AB_LOOKS 8

struct ab {
	uint64_t camp;
	int step, winner, looks;
};

static int
ab_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct ab *a = arg;
	json_t *rec, *s;
	int rc;
	char text[200];

	if ((rc = store_campaign_get(st, txn, a->camp, 1, &rec)) != HE_OK)
		return rc;
	s = json_array_get(json_object_get(rec, "steps"), (size_t)a->step);
	/* Another worker looked already, or someone chose meanwhile. */
	if (s == NULL || json_is_integer(json_object_get(s, "winner")) ||
	    jint(s, "ab_looks") >= a->looks) {
		json_decref(rec);
		a->winner = -1;
		return HE_OK;
	}
	json_object_set_new(s, "ab_looks", json_integer(a->looks));
	if (a->winner >= 0)
		json_object_set_new(s, "winner", json_integer(a->winner));
	json_object_set_new(rec, "gen", json_integer(jint(rec, "gen") + 1));
	json_object_set_new(rec, "updated", json_integer(clock_now()));
	if ((rc = store_campaign_put(st, txn, a->camp, rec)) == HE_OK &&
	    (rc = camp_changed(st, txn)) == HE_OK && a->winner >= 0 &&
	    jint(rec, "owner") > 0) {
		json_t *n;

		snprintf(text, sizeof text, "Version %c of step %d of the campaign "
		    "\"%.80s\" won its A/B test: everyone gets it from now on.",
		    'A' + a->winner, a->step + 1,
		    json_string_value(json_object_get(rec, "name")) ?: "");
		n = json_pack("{s:s, s:I, s:s}", "text", text, "camp",
		    (json_int_t)a->camp, "kind", "ab_winner");
		rc = n ? notice_add(st, txn, (uint64_t)jint(rec, "owner"), n) :
		    HE_NOMEM;
		json_decref(n);
	}
	json_decref(rec);
	return rc;
}

/* How many thresholds min_n x 2^k (k < AB_LOOKS) least sends reached. */
static int
ab_thresholds(uint64_t least, uint64_t min_n)
{
	int k = 0;

	if (min_n == 0)
		min_n = 1;
	while (k < AB_LOOKS && least >= (min_n << k))
		k++;
	return k;
}

static int
ab_check(struct store *st, const struct campaign_cfg *cfg, const struct camp_one *c)
{
	json_t *steps = json_object_get(c->rec, "steps"), *s;
	size_t i;
	int rc = HE_OK;

	json_array_foreach(steps, i, s) {
		json_t *ab = json_object_get(s, "ab");
		size_t k = json_array_size(json_object_get(s, "variants"));
		const char *metric = json_string_value(json_object_get(ab, "metric"));
		uint64_t x[CAMP_VARIANTS_MAX], n[CAMP_VARIANTS_MAX], least = UINT64_MAX;
		struct ab a = { c->id, (int)i, -1, 0 };

		if (!camp_step_is(s, "email") || !json_is_true(json_object_get(ab,
		    "auto")) || k < 2 || k > CAMP_VARIANTS_MAX || metric == NULL ||
		    json_is_integer(json_object_get(s, "winner")) ||
		    jint(s, "ab_looks") >= AB_LOOKS)
			continue;
		for (size_t v = 0; v < k; v++) {
			char name[128];
			int64_t sent, hits;

			snprintf(name, sizeof name, "camp:%llu:%zu:%zu:sent",
			    (unsigned long long)c->id, i, v);
			if ((rc = store_camp_stat_get(st, NULL, name, &sent)) != HE_OK)
				return rc;
			snprintf(name, sizeof name, "camp:%llu:%zu:%zu:%s",
			    (unsigned long long)c->id, i, v,
			    strcmp(metric, "reply") == 0 ? "replied" : "clicked");
			if ((rc = store_camp_stat_get(st, NULL, name, &hits)) != HE_OK)
				return rc;
			n[v] = sent > 0 ? (uint64_t)sent : 0;
			x[v] = hits > 0 ? (uint64_t)hits : 0;
			if (n[v] < least)
				least = n[v];
		}
		/* Between thresholds: no look. Past several at once (a pause, a
		 * large batch): one look, and all of them are behind. */
		if ((a.looks = ab_thresholds(least, cfg->ab_min_sends)) <=
		    jint(s, "ab_looks"))
			continue;
		a.winner = ab_winner(x, n, (int)k, cfg->ab_alpha / AB_LOOKS,
		    cfg->ab_min_sends);
		if ((rc = store_txn(st, ab_txn, &a)) != HE_OK)
			return rc;
	}
	return rc;
}

/* ---- the worker's entry ---- */

int
campaign_run_due(struct store *st, const struct campaign_cfg *cfg, size_t max,
    size_t *done, int *more)
{
	static int64_t last_ab;
	static size_t rotate;
	struct camp_set *set;
	uint64_t *cands;
	size_t left = max;
	int64_t now = clock_now();
	int rc;

	*done = 0;
	*more = 0;
	if ((rc = camp_set_get(st, NULL, &set)) != HE_OK)
		return rc;
	if ((cands = malloc((max ? max : 1) * sizeof *cands)) == NULL) {
		camp_set_put(set);
		return HE_NOMEM;
	}
	/* Campaigns in turn, starting one further each call: a large one does
	 * not keep the others waiting. */
	rotate++;
	for (size_t j = 0; rc == HE_OK && j < set->n && left > 0; j++) {
		const struct camp_one *c = &set->c[(j + rotate) % set->n];
		size_t n;

		if (c->state != CAMP_ST_ACTIVE && c->state != CAMP_ST_ARCHIVED)
			continue;	/* paused, draft: their people wait */
		/* An archived campaign's active enrolments end, due or not. */
		if ((rc = store_enrol_due(st, NULL, c->id, c->state == CAMP_ST_ACTIVE ?
		    now : INT64_MAX, left, cands, &n)) != HE_OK)
			break;
		if (n == left)
			*more = 1;
		for (size_t i = 0; i < n; i++) {
			struct run r = { cfg, c->id, cands[i], now,
			    c->state == CAMP_ST_ARCHIVED, 0 };

			if ((rc = store_txn_written(st, person_txn, &r)) == HE_TEMPFAIL) {
				log_warn("campaign %llu, candidate %llu: busy, later",
				    (unsigned long long)c->id, (unsigned long long)cands[i]);
				rc = HE_OK;
				*more = 1;
			} else if (rc != HE_OK && rc != HE_PANIC && rc != HE_NOMEM) {
				/* One person's unreadable data must not hold up the
				 * others: theirs is tried again in an hour. */
				log_warn("campaign %llu, candidate %llu: %s; again in an hour",
				    (unsigned long long)c->id, (unsigned long long)cands[i],
				    he_strerror(rc));
				rc = store_txn(st, postpone_txn, &r);
			}
			if (rc != HE_OK)
				break;
			*done += r.ran;
		}
		left -= n;
	}
	free(cands);
	/*
	 * Each person's transaction is written, not synced, and the lot is
	 * synced here at once. A power cut before that loses whole steps
	 * (the enrolment and its mail together), which run again: never a
	 * mail sent, since the outbox syncs the log past them before it
	 * sends one.
	 */
	if (rc == HE_OK && *done)
		rc = store_flush(st);
	if (rc == HE_OK)
		rc = run_waves(st, cfg, done, more);
	if (rc == HE_OK && (now - last_ab >= AB_CHECK_EVERY || now < last_ab)) {
		last_ab = now;
		for (size_t j = 0; rc == HE_OK && j < set->n; j++)
			if (set->c[j].state == CAMP_ST_ACTIVE)
				rc = ab_check(st, cfg, &set->c[j]);
	}
	camp_set_put(set);
	return rc;
}
