/* enrol.c: who is in a campaign: by hand, in waves, automatically; signals, stops and erasure */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <roaring/roaring.h>
#include <sodium.h>

#include "crm/campaign.h"
#include "crm/campaign_int.h"
#include "crm/candidates.h"
#include "crm/clock.h"
#include "crm/notice.h"
#include "crm/query.h"
#include "store/campaign.h"
#include "store/entities.h"
#include "store/pool.h"
#include "store/postings.h"
#include "store/store.h"
#include "util/he.h"

/* ---- who may be mailed ---- */

const char *
camp_contact_why(struct store *st, DB_TXN *txn, const json_t *rec, int64_t now)
{
	const char *email = json_string_value(json_object_get(rec, "email"));
	const char *consent = json_string_value(json_object_get(rec, "consent"));
	const char *status = json_string_value(json_object_get(rec, "status"));
	const char *ekey = json_string_value(json_object_get(rec, "email_key"));
	json_t *until = json_object_get(json_object_get(rec, "prefs"), "paused_until");

	if (email == NULL || email[0] == '\0')
		return "no_email";
	if (consent == NULL || strcmp(consent, "confirmed") != 0)
		return "no_consent";
	if (json_is_integer(until) && json_integer_value(until) > now)
		return "paused";
	if (status && strcmp(status, "do_not_contact") == 0)
		return "do_not_contact";
	if (json_is_true(json_object_get(rec, "email_invalid")))
		return "email_invalid";
	if (ekey && ekey[0] && store_suppress_get(st, txn, ekey) == HE_OK)
		return "suppressed";
	return NULL;
}

const char *
camp_stop_why(const char *contact_why, const json_t *rec)
{
	const char *consent = json_string_value(json_object_get(rec, "consent"));

	if (strcmp(contact_why, "no_consent") == 0)
		return consent && strcmp(consent, "withdrawn") == 0 ? "unsubscribed" :
		    "withdrawn";
	if (strcmp(contact_why, "email_invalid") == 0)
		return "bounced";
	/* "no_email" (the address was removed), "suppressed" (the address is
	 * an erased person's: the record is someone else's or an import),
	 * "paused", "do_not_contact": each its own, not a bounce or an erasure
	 * that did not happen to this record. */
	return contact_why;
}

int
camp_merged_into(struct store *st, DB_TXN *txn, uint64_t cand, uint64_t *into)
{
	roaring_bitmap_t *ids;
	char key[32];
	int rc;

	/* The survivor of a merge keeps the ids merged into it ("mid:"). */
	if (cand > UINT32_MAX)
		return HE_NOTFOUND;
	if ((ids = roaring_bitmap_create()) == NULL)
		return HE_NOMEM;
	snprintf(key, sizeof key, "mid:%llu", (unsigned long long)cand);
	rc = store_post_read(st, txn, key, ids);
	if (rc == HE_OK && roaring_bitmap_get_cardinality(ids) == 1) {
		if (into)
			*into = roaring_bitmap_minimum(ids);
	} else if (rc == HE_OK)
		rc = HE_NOTFOUND;
	roaring_bitmap_free(ids);
	return rc;
}

static const struct {
	const char *code, *text;
} why_texts[] = {
	{ "archived", "This campaign is archived: it enrols nobody any more." },
	{ "no_email", "This person has no email address." },
	{ "no_consent", "This person has not confirmed that they want to hear from us." },
	{ "paused", "This person paused their mail in the preference centre." },
	{ "do_not_contact", "This person is marked do not contact." },
	{ "email_invalid", "Mail to this person's address bounced: correct the address first." },
	{ "suppressed", "This address belongs to someone who asked to be erased: "
	    "it gets no mail." },
	{ "goal:replied", "Reached the goal: they replied." },
	{ "goal:applied", "Reached the goal: they applied." },
	{ "goal:status_changed", "Reached the goal: their status changed." },
	{ "replied", "They replied." },
	{ "exit", "An exit step ended the sequence." },
	{ "end", "Went through every step." },
	{ "left_pool", "Left the campaign's pools." },
	{ "withdrawn", "Their consent is no longer confirmed." },
	{ "unsubscribed", "They unsubscribed." },
	{ "bounced", "Mail to their address bounced." },
	{ "erased", "Their data was erased." },
	{ "merged", "Their record was merged into another one." },
	{ "by_hand", "Taken out of the campaign by hand." },
	{ "campaign_archived", "The campaign was archived." },
};

const char *
campaign_why_text(const char *code)
{
	for (size_t i = 0; code && i < sizeof why_texts / sizeof *why_texts; i++)
		if (strcmp(code, why_texts[i].code) == 0)
			return why_texts[i].text;
	return "";
}

/* ---- starting and ending ---- */

void
camp_history(json_t *e, int64_t at, int step, const char *what)
{
	json_t *h = json_object_get(e, "history");

	if (!json_is_array(h)) {
		h = json_array();
		json_object_set_new(e, "history", h);
	}
	json_array_append_new(h, json_pack("{s:I, s:i, s:s}", "at", (json_int_t)at,
	    "step", step, "what", what));
	while (json_array_size(h) > CAMP_HISTORY_MAX)
		json_array_remove(h, 0);
}

/* The new active enrolment's record, over was (a stopped one, or NULL). */
static int
enrol_put_new(struct store *st, DB_TXN *txn, uint64_t camp, uint64_t cand,
    uint64_t by, int64_t now, int64_t due, json_t *was)
{
	json_t *e = json_pack("{s:s, s:i, s:I, s:I, s:I, s:{}}", "state", "active",
	    "step", 0, "due", (json_int_t)due, "entered", (json_int_t)now,
	    "by", (json_int_t)by, "variant");
	int rc;

	if (e == NULL)
		return HE_NOMEM;
	/* A second time round keeps the story of the first. */
	if (json_is_array(json_object_get(was, "history")))
		json_object_set(e, "history", json_object_get(was, "history"));
	camp_history(e, now, -1, by ? "enrolled by hand" : "enrolled");
	rc = store_enrol_put(st, txn, camp, cand, e);
	json_decref(e);
	return rc;
}

int
camp_enrol_start(struct store *st, DB_TXN *txn, uint64_t camp, uint64_t cand,
    uint64_t by, int64_t now, int64_t due)
{
	json_t *was = NULL;
	int rc, existed;

	rc = store_enrol_get(st, txn, camp, cand, 1, &was);
	if (rc != HE_OK && rc != HE_NOTFOUND)
		return rc;
	existed = rc == HE_OK;
	rc = enrol_put_new(st, txn, camp, cand, by, now, due, was);
	json_decref(was);
	if (rc == HE_OK)
		rc = campaign_stat_add(st, txn, camp, -1, -1, "enrolled", 1);
	if (rc == HE_OK)
		rc = campaign_stat_add(st, txn, camp, -1, -1, "active", 1);
	if (rc == HE_OK && !existed)
		rc = campaign_stat_add(st, txn, camp, -1, -1, "members", 1);
	return rc;
}

int
camp_enrol_fresh(struct store *st, DB_TXN *txn, uint64_t camp, uint64_t cand,
    uint64_t by, int64_t now)
{
	return enrol_put_new(st, txn, camp, cand, by, now, now, NULL);
}

/* The step and variant a conversion or an unsubscription is credited to:
 * the last email step run (-1 when none was). */
static void
last_sent(json_t *e, int *step, int *variant)
{
	json_t *ls = json_object_get(e, "last_step");
	char k[16];

	*step = *variant = -1;
	if (!json_is_integer(ls))
		return;
	*step = (int)json_integer_value(ls);
	snprintf(k, sizeof k, "%d", *step);
	*variant = (int)json_integer_value(json_object_get(json_object_get(e,
	    "variant"), k));
}

int
camp_enrol_end(struct store *st, DB_TXN *txn, uint64_t camp, uint64_t cand,
    json_t *e, const char *state, const char *why, int64_t now)
{
	int step, variant, rc;
	const char *metric = NULL;

	json_object_set_new(e, "state", json_string(state));
	json_object_set_new(e, "why", json_string(why));
	json_object_set_new(e, "ended", json_integer(now));
	json_object_del(e, "due");
	camp_history(e, now, (int)json_integer_value(json_object_get(e, "step")), why);
	if ((rc = store_enrol_put(st, txn, camp, cand, e)) != HE_OK ||
	    (rc = campaign_stat_add(st, txn, camp, -1, -1, "active", -1)) != HE_OK)
		return rc;
	if (strncmp(why, "goal:", 5) == 0)
		metric = "converted";
	else if (strcmp(why, "unsubscribed") == 0)
		metric = "unsubscribed";
	if (metric == NULL)
		return HE_OK;
	last_sent(e, &step, &variant);
	return campaign_stat_add(st, txn, camp, step, step < 0 ? -1 : variant,
	    metric, 1);
}

/* ---- by hand ---- */

struct one {
	uint64_t camp, cand, by;
	const char *why;
};

static int
enrol_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct one *o = arg;
	json_t *camp, *rec, *e = NULL;
	int64_t now = clock_now();
	const char *state;
	int rc;

	o->why = NULL;
	if ((rc = store_campaign_get(st, txn, o->camp, 0, &camp)) != HE_OK)
		return rc;
	rc = camp_state_of(json_string_value(json_object_get(camp, "state"))) ==
	    CAMP_ST_ARCHIVED;
	json_decref(camp);
	if (rc) {
		o->why = "archived";
		return HE_INVALID;
	}
	if ((rc = store_cand_get(st, txn, o->cand, 0, &rec)) != HE_OK)
		return rc;
	rc = store_enrol_get(st, txn, o->camp, o->cand, 1, &e);
	if (rc == HE_OK) {
		state = json_string_value(json_object_get(e, "state"));
		rc = state && strcmp(state, "stopped") != 0 ? HE_EXISTS : HE_OK;
	} else if (rc == HE_NOTFOUND)
		rc = HE_OK;
	json_decref(e);
	if (rc == HE_OK && (o->why = camp_contact_why(st, txn, rec, now)) != NULL)
		rc = HE_INVALID;
	json_decref(rec);
	if (rc == HE_OK)
		rc = camp_enrol_start(st, txn, o->camp, o->cand, o->by, now, now);
	return rc;
}

int
campaign_enrol(struct store *st, uint64_t camp, uint64_t cand, uint64_t by)
{
	struct one o = { camp, cand, by, NULL };

	return store_txn(st, enrol_txn, &o);
}

const char *
campaign_enrol_why(struct store *st, uint64_t camp, uint64_t cand)
{
	struct one o = { camp, cand, 0, NULL };
	json_t *c, *rec;
	const char *why = NULL;

	if (store_campaign_get(st, NULL, camp, 0, &c) != HE_OK)
		return NULL;
	if (camp_state_of(json_string_value(json_object_get(c, "state"))) ==
	    CAMP_ST_ARCHIVED)
		why = "archived";
	json_decref(c);
	if (why)
		return why;
	if (store_cand_get(st, NULL, o.cand, 0, &rec) != HE_OK)
		return NULL;
	why = camp_contact_why(st, NULL, rec, clock_now());
	json_decref(rec);
	return why;
}

static int
unenrol_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct one *o = arg;
	json_t *e;
	int rc;

	if ((rc = store_enrol_get(st, txn, o->camp, o->cand, 1, &e)) != HE_OK)
		return rc;
	if (strcmp(json_string_value(json_object_get(e, "state")) ?: "", "active")) {
		json_decref(e);
		return HE_NOTFOUND;
	}
	json_object_set_new(e, "stopped_by", json_integer((json_int_t)o->by));
	rc = camp_enrol_end(st, txn, o->camp, o->cand, e, "stopped", "by_hand",
	    clock_now());
	json_decref(e);
	return rc;
}

int
campaign_unenrol(struct store *st, uint64_t camp, uint64_t cand, uint64_t by)
{
	struct one o = { camp, cand, by, NULL };

	return store_txn(st, unenrol_txn, &o);
}

/* ---- waves ---- */

struct wave {
	uint64_t camp, by, id;
	const char *bits;
	size_t len, n;
};

static int
wave_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct wave *w = arg;
	json_t *camp, *rec;
	int rc, archived;

	if ((rc = store_campaign_get(st, txn, w->camp, 0, &camp)) != HE_OK)
		return rc;
	archived = camp_state_of(json_string_value(json_object_get(camp,
	    "state"))) == CAMP_ST_ARCHIVED;
	json_decref(camp);
	if (archived)
		return HE_INVALID;
	rec = json_pack("{s:I, s:I, s:I, s:I, s:i, s:i, s:i, s:s}",
	    "camp", (json_int_t)w->camp, "by", (json_int_t)w->by,
	    "created", (json_int_t)clock_now(), "total", (json_int_t)w->n,
	    "done", 0, "enrolled", 0, "cursor", 0,
	    "state", w->n ? "open" : "done");
	if (rec == NULL)
		return HE_NOMEM;
	json_object_set_new(rec, "nonce", json_integer(randombytes_random()));
	rc = store_wave_put(st, txn, w->id, rec);
	json_decref(rec);
	if (rc == HE_OK && w->n)
		rc = store_wave_bits_put(st, txn, w->id, w->bits, w->len);
	return rc;
}

/* A wave of ids, less those the index says may not be mailed. */
static int
make_wave(struct store *st, uint64_t camp, roaring_bitmap_t *ids, uint64_t by,
    uint64_t *wave, size_t *n)
{
	roaring_bitmap_t *ok = roaring_bitmap_create(), *dnc = roaring_bitmap_create();
	struct wave w = { camp, by, 0, NULL, 0, 0 };
	char *buf = NULL;
	int rc;

	if (ok == NULL || dnc == NULL) {
		rc = HE_NOMEM;
		goto out;
	}
	if ((rc = store_post_read(st, NULL, "cs:confirmed", ok)) != HE_OK ||
	    (rc = store_post_read(st, NULL, "st:do_not_contact", dnc)) != HE_OK)
		goto out;
	roaring_bitmap_and_inplace(ids, ok);
	roaring_bitmap_andnot_inplace(ids, dnc);
	roaring_bitmap_run_optimize(ids);
	w.n = (size_t)roaring_bitmap_get_cardinality(ids);
	w.len = roaring_bitmap_portable_size_in_bytes(ids);
	if ((buf = malloc(w.len ? w.len : 1)) == NULL) {
		rc = HE_NOMEM;
		goto out;
	}
	roaring_bitmap_portable_serialize(ids, buf);
	w.bits = buf;
	if ((rc = store_next_id(st, SEQ_WAVE, &w.id)) != HE_OK)
		goto out;
	if ((rc = store_txn(st, wave_txn, &w)) == HE_OK) {
		*wave = w.id;
		*n = w.n;
	}
out:
	free(buf);
	if (ok)
		roaring_bitmap_free(ok);
	if (dnc)
		roaring_bitmap_free(dnc);
	return rc;
}

int
campaign_enrol_query(struct store *st, uint64_t camp, const struct cand_query *q,
    uint64_t by, uint64_t *wave, size_t *n)
{
	roaring_bitmap_t *ids;
	int rc;

	if ((rc = cand_search_ids(st, NULL, q, &ids)) != HE_OK)
		return rc;
	rc = make_wave(st, camp, ids, by, wave, n);
	roaring_bitmap_free(ids);
	return rc;
}

int
campaign_enrol_pool(struct store *st, uint64_t camp, uint64_t pool, uint64_t by,
    uint64_t *wave, size_t *n)
{
	roaring_bitmap_t *ids;
	json_t *p;
	char key[32];
	int rc;

	if ((rc = store_pool_get(st, NULL, pool, 0, &p)) != HE_OK)
		return rc;
	json_decref(p);
	if ((ids = roaring_bitmap_create()) == NULL)
		return HE_NOMEM;
	snprintf(key, sizeof key, "pool:%llu", (unsigned long long)pool);
	if ((rc = store_post_read(st, NULL, key, ids)) == HE_OK)
		rc = make_wave(st, camp, ids, by, wave, n);
	roaring_bitmap_free(ids);
	return rc;
}

int
campaign_wave_progress(struct store *st, uint64_t wave, size_t *done,
    size_t *total)
{
	json_t *w;
	int rc;

	if ((rc = store_wave_get(st, NULL, wave, 0, &w)) != HE_OK)
		return rc;
	*done = (size_t)json_integer_value(json_object_get(w, "done"));
	*total = (size_t)json_integer_value(json_object_get(w, "total"));
	json_decref(w);
	return HE_OK;
}

/* ---- views ---- */

struct view {
	struct store *st;
	json_t *arr;
};

static int
view_one(uint64_t camp, json_t *e, void *ctx)
{
	struct view *v = ctx;
	json_t *c = NULL, *row, *steps;
	json_int_t step = json_integer_value(json_object_get(e, "step"));
	int rc;

	if ((rc = store_campaign_get(v->st, NULL, camp, 0, &c)) != HE_OK &&
	    rc != HE_NOTFOUND)
		return rc;
	steps = json_object_get(c, "steps");
	row = json_pack("{s:I, s:O?, s:O?, s:O?, s:O?, s:I, s:I, s:O?, s:O?, s:O?,"
	    " s:O?, s:O?, s:O?}",
	    "camp", (json_int_t)camp,
	    "name", json_object_get(c, "name"),
	    "campaign_state", json_object_get(c, "state"),
	    "state", json_object_get(e, "state"),
	    "why", json_object_get(e, "why"),
	    "step", step,
	    "steps", (json_int_t)json_array_size(steps),
	    "step_type", json_object_get(json_array_get(steps, (size_t)step), "type"),
	    "due", json_object_get(e, "due"),
	    "entered", json_object_get(e, "entered"),
	    "by", json_object_get(e, "by"),
	    "last_mail_at", json_object_get(e, "last_mail_at"),
	    "history", json_object_get(e, "history"));
	json_decref(c);
	if (row == NULL || json_array_append_new(v->arr, row) != 0)
		return HE_NOMEM;
	return HE_OK;
}

int
campaign_enrolments_of(struct store *st, uint64_t cand, json_t **list)
{
	struct view v = { st, json_array() };
	int rc;

	*list = NULL;
	if (v.arr == NULL)
		return HE_NOMEM;
	if ((rc = store_enrol_each_of(st, NULL, cand, view_one, &v)) != HE_OK) {
		json_decref(v.arr);
		return rc;
	}
	*list = v.arr;
	return HE_OK;
}

static int
member_one(uint64_t cand, json_t *e, void *ctx)
{
	struct view *v = ctx;
	json_t *rec = NULL, *row;

	if (store_cand_get(v->st, NULL, cand, 0, &rec) != HE_OK)
		rec = NULL;
	row = json_pack("{s:I, s:O?, s:O?, s:O?, s:O?, s:O?, s:O?, s:O?}",
	    "cand", (json_int_t)cand,
	    "name", json_object_get(rec, "name"),
	    "state", json_object_get(e, "state"),
	    "why", json_object_get(e, "why"),
	    "step", json_object_get(e, "step"),
	    "due", json_object_get(e, "due"),
	    "entered", json_object_get(e, "entered"),
	    "last_mail_at", json_object_get(e, "last_mail_at"));
	json_decref(rec);
	if (row == NULL || json_array_append_new(v->arr, row) != 0)
		return HE_NOMEM;
	return HE_OK;
}

int
campaign_members(struct store *st, uint64_t camp, size_t page, size_t per_page,
    json_t **rows, size_t *total)
{
	struct view v = { st, json_array() };
	char name[64];
	int64_t n = 0;
	int rc;

	*rows = NULL;
	if (v.arr == NULL)
		return HE_NOMEM;
	if (page == 0)
		page = 1;
	snprintf(name, sizeof name, "camp:%llu:-1:-1:members", (unsigned long long)camp);
	if ((rc = store_camp_stat_get(st, NULL, name, &n)) != HE_OK ||
	    (rc = store_enrol_members(st, NULL, camp, (page - 1) * per_page,
	    per_page, member_one, &v)) != HE_OK) {
		json_decref(v.arr);
		return rc;
	}
	*rows = v.arr;
	*total = n > 0 ? (size_t)n : 0;
	return HE_OK;
}

int
campaign_mail_allowed(struct store *st, DB_TXN *txn, uint64_t camp,
    uint64_t cand)
{
	const char *state, *why;
	json_t *e;
	int rc;

	if ((rc = store_enrol_get(st, txn, camp, cand, 0, &e)) != HE_OK)
		return rc;
	state = json_string_value(json_object_get(e, "state")) ?: "";
	why = json_string_value(json_object_get(e, "why")) ?: "";
	rc = strcmp(state, "active") == 0 || (strcmp(state, "done") == 0 &&
	    (strcmp(why, "end") == 0 || strcmp(why, "exit") == 0)) ? HE_OK :
	    HE_INVALID;
	json_decref(e);
	return rc;
}

/* ---- signals ---- */

static const char *const sig_metric[] = { "clicked", "opened", "replied", "bounced" };
static const char *const sig_field[] = { "clicked_at", "opened_at", "replied_at",
	"bounced_at" };

/* The owner to tell about cand in campaign camp: theirs, else the campaign's. */
static uint64_t
owner_of(struct store *st, DB_TXN *txn, uint64_t camp, const json_t *rec)
{
	json_t *c, *o = json_object_get(rec, "owner");
	uint64_t user = 0;

	if (json_is_integer(o) && json_integer_value(o) > 0)
		return (uint64_t)json_integer_value(o);
	if (store_campaign_get(st, txn, camp, 0, &c) == HE_OK) {
		user = (uint64_t)json_integer_value(json_object_get(c, "owner"));
		json_decref(c);
	}
	return user;
}

int
camp_notify(struct store *st, DB_TXN *txn, uint64_t camp, uint64_t cand,
    const json_t *rec, const char *kind, const char *text)
{
	uint64_t user = owner_of(st, txn, camp, rec);
	json_t *n;
	int rc;

	if (user == 0)
		return HE_OK;
	if ((n = json_pack("{s:s, s:I, s:I, s:s}", "text", text, "cand",
	    (json_int_t)cand, "camp", (json_int_t)camp, "kind", kind)) == NULL)
		return HE_NOMEM;
	rc = notice_add(st, txn, user, n);
	json_decref(n);
	return rc;
}

/* Marks sig seen for mail on e; 1 when it is the first time. The marks of
 * the last few mails are kept. */
static int
first_signal(json_t *e, uint64_t mail, enum camp_signal sig)
{
	json_t *seen = json_object_get(e, "seen");
	char k[24];
	json_int_t bits;

	if (!json_is_object(seen)) {
		seen = json_object();
		json_object_set_new(e, "seen", seen);
	}
	snprintf(k, sizeof k, "%llu", (unsigned long long)mail);
	bits = json_integer_value(json_object_get(seen, k));
	if (bits & (1 << sig))
		return 0;
	json_object_set_new(seen, k, json_integer(bits | (1 << sig)));
	while (json_object_size(seen) > 10) {
		const char *key, *oldest = NULL;
		json_t *v;

		json_object_foreach(seen, key, v)
			if (oldest == NULL || strtoull(key, NULL, 10) <
			    strtoull(oldest, NULL, 10))
				oldest = key;
		json_object_del(seen, oldest);
	}
	return 1;
}

static int
signal_one(struct store *st, DB_TXN *txn, uint64_t camp, uint64_t cand,
    uint64_t mail, int step, int variant, enum camp_signal sig, int64_t at)
{
	json_t *e, *c = NULL, *rec = NULL;
	int rc, active;
	char text[300];

	if ((rc = store_enrol_get(st, txn, camp, cand, 1, &e)) != HE_OK)
		return rc == HE_NOTFOUND ? HE_OK : rc;
	active = strcmp(json_string_value(json_object_get(e, "state")) ?: "",
	    "active") == 0;
	json_object_set_new(e, sig_field[sig], json_integer(at));
	if (first_signal(e, mail, sig) && step >= 0 &&
	    (rc = campaign_stat_add(st, txn, camp, step, variant, sig_metric[sig],
	    1)) != HE_OK)
		goto out;
	if (!active || (sig != CAMP_SIG_REPLY && sig != CAMP_SIG_BOUNCE)) {
		rc = store_enrol_put(st, txn, camp, cand, e);
		goto out;
	}
	if (sig == CAMP_SIG_BOUNCE) {
		rc = camp_enrol_end(st, txn, camp, cand, e, "stopped", "bounced", at);
		goto out;
	}
	if ((rc = store_campaign_get(st, txn, camp, 0, &c)) != HE_OK)
		goto out;
	if (strcmp(json_string_value(json_object_get(c, "goal")) ?: "", "replied") == 0)
		rc = camp_enrol_end(st, txn, camp, cand, e, "done", "goal:replied", at);
	else
		rc = camp_enrol_end(st, txn, camp, cand, e, "stopped", "replied", at);
	if (rc == HE_OK && (rc = store_cand_get(st, txn, cand, 0, &rec)) == HE_OK) {
		/* No personal data in the text: the page names the person. */
		snprintf(text, sizeof text, "A reply to the campaign \"%s\".",
		    json_string_value(json_object_get(c, "name")) ?: "");
		rc = camp_notify(st, txn, camp, cand, rec, "reply", text);
	}
	if (rc == HE_NOTFOUND)
		rc = HE_OK;
out:
	json_decref(rec);
	json_decref(c);
	json_decref(e);
	return rc;
}

struct latest {
	uint64_t camps[64];
	uint64_t mails[64];
	int steps[64], variants[64];
	size_t n;
};

static int
latest_one(uint64_t camp, json_t *e, void *ctx)
{
	struct latest *l = ctx;
	json_t *lm = json_object_get(e, "last_mail");
	int step, variant;

	if (l->n == 64 || !json_is_integer(lm) ||
	    strcmp(json_string_value(json_object_get(e, "state")) ?: "", "active"))
		return HE_OK;
	last_sent(e, &step, &variant);
	l->camps[l->n] = camp;
	l->mails[l->n] = (uint64_t)json_integer_value(lm);
	l->steps[l->n] = step;
	l->variants[l->n++] = variant;
	return HE_OK;
}

int
campaign_signal(struct store *st, DB_TXN *txn, uint64_t cand, uint64_t mail_id,
    enum camp_signal sig, int64_t at)
{
	struct latest l = { .n = 0 };
	json_t *mail;
	int rc;

	if ((unsigned)sig > CAMP_SIG_BOUNCE)
		return HE_INVALID;
	if (mail_id) {
		if ((rc = store_mail_get(st, txn, mail_id, &mail)) != HE_OK)
			return rc == HE_NOTFOUND ? HE_OK : rc;
		if (strcmp(json_string_value(json_object_get(mail, "kind")) ?: "",
		    "campaign") == 0 && (uint64_t)json_integer_value(
		    json_object_get(mail, "cand")) == cand)
			rc = signal_one(st, txn, (uint64_t)json_integer_value(
			    json_object_get(mail, "camp")), cand, mail_id,
			    (int)json_integer_value(json_object_get(mail, "step")),
			    (int)json_integer_value(json_object_get(mail, "variant")),
			    sig, at);
		json_decref(mail);
		return rc;
	}
	if ((rc = store_enrol_each_of(st, txn, cand, latest_one, &l)) != HE_OK)
		return rc;
	for (size_t i = 0; rc == HE_OK && i < l.n; i++)
		rc = signal_one(st, txn, l.camps[i], cand, l.mails[i], l.steps[i],
		    l.variants[i], sig, at);
	return rc;
}

/* ---- what a candidate's write means for their campaigns ---- */

static int
same(const json_t *a, const json_t *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return json_equal((json_t *)a, (json_t *)b);
}

#define FIELD(r, k) json_object_get((r), (k))
#define PAUSED(r) json_object_get(json_object_get((r), "prefs"), "paused_until")

struct mine {
	uint64_t camps[256];
	json_t *e[256];
	size_t n;
};

static int
mine_one(uint64_t camp, json_t *e, void *ctx)
{
	struct mine *m = ctx;

	if (m->n < 256) {
		m->camps[m->n] = camp;
		m->e[m->n++] = json_incref(e);
	}
	return HE_OK;
}

static int
applied_status(const char *s)
{
	static const char *const applied[] = { "applied", "interviewing", "offered",
		"hired", NULL };

	for (int i = 0; s && applied[i]; i++)
		if (strcmp(s, applied[i]) == 0)
			return 1;
	return 0;
}

/* "applied": the status moved into the application stages from outside
 * them; "status_changed": any change of status. */
static int
goal_reached(const char *goal, const json_t *old, const json_t *rec)
{
	if (goal == NULL || old == NULL || same(FIELD(old, "status"),
	    FIELD(rec, "status")))
		return 0;
	if (strcmp(goal, "status_changed") == 0)
		return 1;
	return strcmp(goal, "applied") == 0 &&
	    applied_status(json_string_value(FIELD(rec, "status"))) &&
	    !applied_status(json_string_value(FIELD(old, "status")));
}

int
campaign_cand_changed(struct store *st, DB_TXN *txn, uint64_t id,
    const json_t *old, const json_t *rec)
{
	int pools_moved = old == NULL || !same(FIELD(old, "pools"), FIELD(rec, "pools")) ||
	    !same(FIELD(old, "dpools"), FIELD(rec, "dpools"));
	int status_moved = old && !same(FIELD(old, "status"), FIELD(rec, "status"));
	int contact_moved = old && (!same(FIELD(old, "consent"), FIELD(rec, "consent")) ||
	    !same(PAUSED(old), PAUSED(rec)) || status_moved ||
	    !same(FIELD(old, "email_invalid"), FIELD(rec, "email_invalid")) ||
	    !same(FIELD(old, "email"), FIELD(rec, "email")));
	struct camp_set *set;
	struct mine m = { .n = 0 };
	int64_t now;
	const char *why;
	int rc, became = 0;

	if (old == NULL && json_array_size(FIELD(rec, "pools")) == 0 &&
	    json_array_size(FIELD(rec, "dpools")) == 0)
		return HE_OK;
	if (!pools_moved && !contact_moved)
		return HE_OK;	/* the usual edit: nothing read */
	if ((rc = camp_set_get(st, txn, &set)) != HE_OK)
		return rc;
	if (set->n == 0)
		goto out;
	now = clock_now();
	why = camp_contact_why(st, txn, rec, now);
	/* A signup is written "pending" with its dynamic pools already set:
	 * at confirmation only whether they may be mailed moves. */
	became = why == NULL && contact_moved &&
	    camp_contact_why(st, txn, old, now) != NULL;
	if (old && (rc = store_enrol_each_of(st, txn, id, mine_one, &m)) != HE_OK)
		goto out;
	for (size_t i = 0; rc == HE_OK && i < m.n; i++) {
		const struct camp_one *c = camp_set_find(set, m.camps[i]);
		json_t *e;

		if (strcmp(json_string_value(FIELD(m.e[i], "state")) ?: "", "active"))
			continue;
		if ((rc = store_enrol_get(st, txn, m.camps[i], id, 1, &e)) != HE_OK)
			break;
		if (why)
			rc = camp_enrol_end(st, txn, m.camps[i], id, e, "stopped",
			    camp_stop_why(why, rec), now);
		else if (c && goal_reached(json_string_value(FIELD(c->rec, "goal")),
		    old, rec)) {
			char g[48];

			snprintf(g, sizeof g, "goal:%s",
			    json_string_value(FIELD(c->rec, "goal")));
			rc = camp_enrol_end(st, txn, m.camps[i], id, e, "done", g, now);
		} else if (c && pools_moved && old &&
		    camp_in_audience(c, FIELD(old, "pools"), FIELD(old, "dpools")) &&
		    !camp_in_audience(c, FIELD(rec, "pools"), FIELD(rec, "dpools")))
			rc = camp_enrol_end(st, txn, m.camps[i], id, e, "stopped",
			    "left_pool", now);
		json_decref(e);
	}
	/* Entering a pool of an active auto campaign, or becoming someone
	 * who may be mailed while in one. */
	for (size_t i = 0; rc == HE_OK && why == NULL && (pools_moved || became) &&
	    set->any_auto && i < set->n; i++) {
		const struct camp_one *c = &set->c[i];
		json_t *e = NULL;
		const char *state, *was;
		int entered;

		if (!c->is_auto || c->state != CAMP_ST_ACTIVE ||
		    !camp_in_audience(c, FIELD(rec, "pools"), FIELD(rec, "dpools")))
			continue;
		entered = old == NULL ||
		    !camp_in_audience(c, FIELD(old, "pools"), FIELD(old, "dpools"));
		if (!entered && !became)
			continue;
		rc = store_enrol_get(st, txn, c->id, id, 1, &e);
		if (rc == HE_NOTFOUND) {
			rc = camp_enrol_start(st, txn, c->id, id, 0, now, now);
			continue;
		}
		if (rc != HE_OK)
			break;
		/* Confirmed while in the pool all along: only a first time;
		 * an earlier stop (unsubscribed, by hand...) stays. */
		if (!entered) {
			json_decref(e);
			continue;
		}
		/* Back in after leaving: again; any other end stays an end. */
		state = json_string_value(FIELD(e, "state"));
		was = json_string_value(FIELD(e, "why"));
		if (state && strcmp(state, "stopped") == 0 && was &&
		    strcmp(was, "left_pool") == 0)
			rc = camp_enrol_start(st, txn, c->id, id, 0, now, now);
		json_decref(e);
	}
out:
	for (size_t i = 0; i < m.n; i++)
		json_decref(m.e[i]);
	camp_set_put(set);
	return rc;
}

int
campaign_cand_merged(struct store *st, DB_TXN *txn, uint64_t from, uint64_t into)
{
	struct mine m = { .n = 0 };
	int64_t now = clock_now();
	int rc;

	if ((rc = store_enrol_each_of(st, txn, from, mine_one, &m)) != HE_OK)
		goto out;
	for (size_t i = 0; rc == HE_OK && i < m.n; i++) {
		json_t *e;
		char what[64];

		rc = store_enrol_exists(st, txn, m.camps[i], into, 1);
		if (rc == HE_NOTFOUND) {
			/* Theirs alone: it goes on under the survivor's id, where
			 * it was (the counters see the same one person). */
			snprintf(what, sizeof what, "merged from #%llu",
			    (unsigned long long)from);
			camp_history(m.e[i], now, (int)json_integer_value(
			    FIELD(m.e[i], "step")), what);
			if ((rc = store_enrol_put(st, txn, m.camps[i], into,
			    m.e[i])) == HE_OK)
				rc = store_enrol_del(st, txn, m.camps[i], from);
			continue;
		}
		if (rc != HE_OK)
			break;
		/* Both were in it: the survivor's goes on, the other stops. */
		if (strcmp(json_string_value(FIELD(m.e[i], "state")) ?: "", "active"))
			continue;
		if ((rc = store_enrol_get(st, txn, m.camps[i], from, 1, &e)) != HE_OK)
			break;
		rc = camp_enrol_end(st, txn, m.camps[i], from, e, "stopped", "merged",
		    now);
		json_decref(e);
	}
out:
	for (size_t i = 0; i < m.n; i++)
		json_decref(m.e[i]);
	return rc;
}

static int
purge_one(struct store *st, DB_TXN *txn, uint64_t cand)
{
	struct mine m = { .n = 0 };
	int rc;

	do {
		for (size_t i = 0; i < m.n; i++)
			json_decref(m.e[i]);
		m.n = 0;
		if ((rc = store_enrol_each_of(st, txn, cand, mine_one, &m)) != HE_OK)
			break;
		for (size_t i = 0; rc == HE_OK && i < m.n; i++) {
			if (strcmp(json_string_value(FIELD(m.e[i], "state")) ?: "",
			    "active") == 0)
				rc = campaign_stat_add(st, txn, m.camps[i], -1, -1,
				    "active", -1);
			if (rc == HE_OK)
				rc = campaign_stat_add(st, txn, m.camps[i], -1, -1,
				    "members", -1);
			if (rc == HE_OK)
				rc = store_enrol_del(st, txn, m.camps[i], cand);
		}
	} while (rc == HE_OK && m.n == 256);
	for (size_t i = 0; i < m.n; i++)
		json_decref(m.e[i]);
	/* Notices about them: their id, and texts that may name them. */
	if (rc == HE_OK)
		rc = store_notice_del_of(st, txn, cand, NULL);
	return rc;
}

int
campaign_cand_purge(struct store *st, DB_TXN *txn, uint64_t cand)
{
	json_t *rec = NULL, *v;
	size_t i;
	int rc;

	if ((rc = purge_one(st, txn, cand)) != HE_OK)
		return rc;
	/* And what is left under the ids merged into them (enrolments a merge
	 * stopped, notices about those ids). */
	if ((rc = store_cand_get(st, txn, cand, 0, &rec)) == HE_NOTFOUND)
		return HE_OK;
	json_array_foreach(json_object_get(rec, "merged_ids"), i, v) {
		if (rc != HE_OK)
			break;
		if (json_is_integer(v) && json_integer_value(v) > 0)
			rc = purge_one(st, txn, (uint64_t)json_integer_value(v));
	}
	json_decref(rec);
	return rc;
}
