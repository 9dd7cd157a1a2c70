/* timeline.c: touchpoints logged by hand, and the merged timeline */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crm/audit.h"
#include "crm/candidates.h"
#include "crm/clock.h"
#include "crm/engage.h"
#include "crm/timeline.h"
#include "store/entities.h"
#include "store/store.h"
#include "store/touch.h"
#include "util/he.h"
#include "util/text.h"

const char *const tl_channels[TL_CHANNEL__MAX + 1] = {
	[TL_CALL] = "call", [TL_EMAIL] = "email", [TL_SMS] = "sms",
	[TL_LINKEDIN] = "linkedin", [TL_MEETING] = "meeting",
	[TL_EVENT] = "event", [TL_NOTE] = "note", [TL_CHANNEL__MAX] = NULL,
};

/* The outcomes of each channel; the first ones listed engage. */
static const struct {
	const char *outcomes[4];
	size_t engaging;
} channel_outcomes[TL_CHANNEL__MAX] = {
	[TL_CALL] = { { "answered", "voicemail", "no_answer", NULL }, 1 },
	[TL_EMAIL] = { { "reply", "sent", NULL }, 1 },
	[TL_SMS] = { { "reply", "sent", NULL }, 1 },
	[TL_LINKEDIN] = { { "reply", "sent", NULL }, 1 },
	[TL_MEETING] = { { "held", "no_show", NULL }, 1 },
	[TL_EVENT] = { { "attended", NULL }, 1 },
	[TL_NOTE] = { { NULL }, 0 },
};

static int
channel_of(const char *channel)
{
	for (int i = 0; channel && i < TL_CHANNEL__MAX; i++)
		if (strcmp(channel, tl_channels[i]) == 0)
			return i;
	return -1;
}

/* The place of outcome in its channel's list, or -1. */
static int
outcome_at(int ch, const char *outcome)
{
	for (int i = 0; outcome && channel_outcomes[ch].outcomes[i]; i++)
		if (strcmp(outcome, channel_outcomes[ch].outcomes[i]) == 0)
			return i;
	return -1;
}

int
tl_outcome_fits(const char *channel, const char *outcome)
{
	int ch = channel_of(channel);

	if (ch < 0)
		return 0;
	if (ch == TL_NOTE)
		return outcome == NULL || *outcome == '\0';
	return outcome_at(ch, outcome) >= 0;
}

int
tl_engaging(const char *channel, const char *outcome)
{
	int ch = channel_of(channel), at;

	if (ch < 0 || (at = outcome_at(ch, outcome)) < 0)
		return 0;
	return (size_t)at < channel_outcomes[ch].engaging;
}

int
tl_audit(struct store *st, DB_TXN *txn, const struct tl_actor *who,
    const char *action, uint64_t cand, json_t *detail)
{
	struct audit_actor a = { who->user, who->ip };

	return audit_log(st, txn, &a, action, cand, detail);
}

int
tl_record(struct store *st, DB_TXN *txn, uint64_t cand, const char *kind,
    const struct tl_actor *who, const char *text, json_t *detail)
{
	uint64_t id;
	int64_t now_us = clock_now_us();
	json_t *body = json_pack("{s:I, s:I, s:s, s:s, s:I, s:s, s:s, s:o}",
	    "at", (json_int_t)(now_us / 1000000), "at_us", (json_int_t)now_us,
	    "kind", kind,
	    "channel", who->user ? "office" : "system",
	    "by", (json_int_t)who->user,
	    "by_name", who->name ? who->name : "",
	    "text", text ? text : "",
	    "detail", detail ? json_copy(detail) : json_object());
	int rc;

	if (body == NULL)
		return HE_NOMEM;
	rc = store_touch_insert(st, txn, cand, body, &id);
	json_decref(body);
	return rc;
}

static int
entry_ok(const struct tl_entry *e, int64_t now)
{
	size_t n;

	if (!tl_outcome_fits(e->channel, e->outcome) || e->text == NULL)
		return 0;
	n = strlen(e->text);
	if (!text_utf8_valid(e->text, n) || text_chars(e->text) > TL_TEXT_MAX)
		return 0;
	if (channel_of(e->channel) == TL_NOTE && n == 0)
		return 0;
	/* A minute of slack for clocks; 1990-01-01 as the earliest. */
	return e->at == 0 || (e->at >= 631152000 && e->at <= now + 60);
}

int
tl_log(struct store *st, DB_TXN *txn, uint64_t cand, const struct tl_entry *e,
    const struct tl_actor *who, uint64_t *id)
{
	int64_t now_us = clock_now_us(), now = now_us / 1000000;
	int64_t at = e->at ? e->at : now;
	json_t *old = NULL, *rec = NULL, *body = NULL, *detail;
	int changed = 0, note = channel_of(e->channel) == TL_NOTE, rc;
	uint64_t tid;

	if (!entry_ok(e, now))
		return HE_INVALID;
	if ((rc = store_cand_get(st, txn, cand, 1, &old)) != HE_OK)
		return rc;
	if ((rec = json_deep_copy(old)) == NULL) {
		rc = HE_NOMEM;
		goto out;
	}
	if (tl_engaging(e->channel, e->outcome) &&
	    at > json_integer_value(json_object_get(rec, "last_engaged"))) {
		json_object_set_new(rec, "last_engaged", json_integer(at));
		changed = 1;
	}
	/* By hand it scores here; the system's callers (a reply read from
	 * the mailbox) score their own kind of event (engage_event). */
	if (tl_engaging(e->channel, e->outcome) && who->user != 0) {
		if ((rc = engage_add(rec, ENGAGE_TOUCH, at)) != HE_OK)
			goto out;
		changed = 1;
	}
	if (e->text[0]) {
		size_t before = json_array_size(json_object_get(rec, "extra_terms"));

		if ((rc = cand_terms_add(st, rec, e->text)) != HE_OK)
			goto out;
		changed |= json_array_size(json_object_get(rec, "extra_terms")) != before;
	}
	if (changed) {
		json_object_del(rec, "stale");
		if ((rc = cand_write(st, txn, cand, old, rec)) != HE_OK)
			goto out;
	}
	body = json_pack("{s:I, s:I, s:s, s:s, s:I, s:s, s:s, s:{}}",
	    "at", (json_int_t)at, "at_us", (json_int_t)(e->at ? at * 1000000 :
	    now_us), "kind", e->channel, "channel", e->channel,
	    "by", (json_int_t)who->user, "by_name", who->name ? who->name : "",
	    "text", e->text, "detail");
	if (body == NULL) {
		rc = HE_NOMEM;
		goto out;
	}
	detail = json_object_get(body, "detail");
	if (!note)
		json_object_set_new(detail, "outcome", json_string(e->outcome));
	if ((rc = store_touch_insert(st, txn, cand, body, &tid)) != HE_OK)
		goto out;
	if (id)
		*id = tid;
	detail = json_pack("{s:s, s:I}", "kind", e->channel, "touchpoint",
	    (json_int_t)tid);
	rc = detail ? tl_audit(st, txn, who, "touchpoint", cand, detail) : HE_NOMEM;
	json_decref(detail);
out:
	json_decref(body);
	json_decref(rec);
	json_decref(old);
	return rc;
}

struct log_one {
	uint64_t cand;
	const struct tl_entry *e;
	const struct tl_actor *who;
	uint64_t *id;
};

static int
log_one_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct log_one *l = arg;

	return tl_log(st, txn, l->cand, l->e, l->who, l->id);
}

int
tl_log_one(struct store *st, uint64_t cand, const struct tl_entry *e,
    const struct tl_actor *who, uint64_t *id)
{
	struct log_one l = { cand, e, who, id };

	return store_txn(st, log_one_txn, &l);
}

int
tl_parse_day(const char *day, int64_t now, int64_t *at)
{
	struct tm tm = { 0 }, check;
	time_t t, today = (time_t)(now - now % 86400);
	char *end;

	/* Digits where a date has them: strptime also takes "2026- 1-01". */
	if (day == NULL || strlen(day) != 10 || day[4] != '-' || day[7] != '-' ||
	    strspn(day, "0123456789") != 4 || strspn(day + 5, "0123456789") != 2 ||
	    strspn(day + 8, "0123456789") != 2 ||
	    (end = strptime(day, "%Y-%m-%d", &tm)) == NULL || *end != '\0')
		return HE_INVALID;
	tm.tm_hour = 12;
	check = tm;
	t = timegm(&tm);
	/* strptime takes 2025-02-30 and timegm makes it 2 March: the day
	 * must come back as typed. */
	if (check.tm_mday != tm.tm_mday || check.tm_mon != tm.tm_mon ||
	    t < 631195200 || t - 12 * 3600 > today)
		return HE_INVALID;
	*at = t - 12 * 3600 == today ? now : (int64_t)t;
	return HE_OK;
}

/* ---- the timeline ---- */

struct gather {
	json_t *all;
	size_t touches;
};

static int
add(struct gather *g, int64_t at_us, const char *source, const char *kind,
    const char *channel, json_int_t by, const char *by_name, const char *text,
    json_t *detail)
{
	json_t *e = json_pack("{s:I, s:I, s:s, s:s, s:s, s:I, s:s, s:s, s:O}",
	    "at", (json_int_t)(at_us / 1000000), "at_us", (json_int_t)at_us,
	    "source", source, "kind", kind ? kind : "",
	    "channel", channel ? channel : "", "by", by,
	    "by_name", by_name ? by_name : "", "text", text ? text : "",
	    "detail", detail);

	json_decref(detail);
	return e && json_array_append_new(g->all, e) == 0 ? HE_OK : HE_NOMEM;
}

static const char *
str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static int
add_touch(uint64_t id, json_t *t, void *ctx)
{
	struct gather *g = ctx;
	json_t *detail = json_object_get(t, "detail");

	if (g->touches++ >= TL_READ_MAX)
		return HE_EXISTS;	/* enough: the rest are older ids */
	detail = json_is_object(detail) ? json_copy(detail) : json_object();
	if (detail == NULL)
		return HE_NOMEM;
	json_object_set_new(detail, "id", json_integer((json_int_t)id));
	/* "at_us" orders what happened within one second; "at" is enough for
	 * touchpoints written without it (imports, the benchmark's). */
	return add(g, json_is_integer(json_object_get(t, "at_us")) ?
	    json_integer_value(json_object_get(t, "at_us")) :
	    json_integer_value(json_object_get(t, "at")) * 1000000,
	    "touch", str(t, "kind"), str(t, "channel"),
	    json_integer_value(json_object_get(t, "by")), str(t, "by_name"),
	    str(t, "text"), detail);
}

/* Who a consent event was done by, in the ledger's terms. */
static const char *
consent_by(const char *method)
{
	if (method == NULL || strcmp(method, "system") == 0)
		return "";
	if (strcmp(method, "recruiter") == 0)
		return "a recruiter";
	return "the candidate";
}

static int
add_event(json_t *ev, void *ctx)
{
	json_t *detail = json_pack("{s:O?, s:O?}", "policy_version",
	    json_object_get(ev, "policy_version"), "ip", json_object_get(ev, "ip"));

	if (detail == NULL)
		return HE_NOMEM;
	return add(ctx, json_integer_value(json_object_get(ev, "at")), "consent",
	    str(ev, "type"), str(ev, "method"), 0, consent_by(str(ev, "method")),
	    "", detail);
}

static int
add_mail(uint64_t id, json_t *m, void *ctx)
{
	/* Sent (in seconds) or else queued (in µs): the later one, so that a
	 * mail sent within the second it was queued keeps its place. */
	int64_t at = json_integer_value(json_object_get(m, "sent")) * 1000000;
	int64_t created = json_integer_value(json_object_get(m, "created"));
	json_t *detail;

	/* A recruiter's test send went to them, not to this person (those
	 * queued before "data_cand" are still indexed under the person). */
	if (str(m, "kind") && strcmp(str(m, "kind"), "campaign_test") == 0)
		return HE_OK;
	detail = json_pack("{s:I, s:s}", "id", (json_int_t)id, "state",
	    str(m, "state") ? str(m, "state") : "");
	if (detail == NULL)
		return HE_NOMEM;
	/* A personal mail about a role says which: a hiring manager of
	 * another is not shown it. */
	if (json_is_integer(json_object_get(m, "role")))
		json_object_set(detail, "role", json_object_get(m, "role"));
	return add(ctx, at > created ? at : created, "mail", "mail", "email", 0, "",
	    str(m, "kind"), detail);
}

struct page {
	uint64_t cand;
	json_t *all;
};

static int
page_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct page *p = arg;
	struct gather g = { p->all, 0 };
	json_t *cand;
	int rc;

	json_array_clear(p->all);
	if ((rc = store_cand_get(st, txn, p->cand, 0, &cand)) != HE_OK)
		return rc;
	json_decref(cand);
	rc = store_touch_newest(st, txn, p->cand, 0, 0, add_touch, &g);
	if (rc == HE_EXISTS)
		rc = HE_OK;
	if (rc == HE_OK)
		rc = store_consent_each(st, txn, p->cand, add_event, &g);
	if (rc == HE_OK)
		rc = store_mail_each_of(st, txn, p->cand, add_mail, &g);
	return rc;
}

/* Newest first; ties keep the order gathered (touchpoints by falling id). */
static int
newer_first(const void *a, const void *b)
{
	const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	json_int_t tx = json_integer_value(json_object_get(x, "at_us"));
	json_int_t ty = json_integer_value(json_object_get(y, "at_us"));
	json_int_t ix = json_integer_value(json_object_get(x, "_n"));
	json_int_t iy = json_integer_value(json_object_get(y, "_n"));

	if (tx != ty)
		return tx > ty ? -1 : 1;
	return ix < iy ? -1 : ix > iy;
}

int
tl_page(struct store *st, uint64_t cand, size_t offset, size_t limit,
    json_t **entries, size_t *total)
{
	struct page p = { cand, json_array() };
	json_t **v = NULL, *out = NULL;
	size_t n, i;
	int rc;

	if (p.all == NULL)
		return HE_NOMEM;
	if ((rc = store_txn(st, page_txn, &p)) != HE_OK)
		goto done;
	n = json_array_size(p.all);
	if ((v = calloc(n ? n : 1, sizeof *v)) == NULL ||
	    (out = json_array()) == NULL) {
		rc = HE_NOMEM;
		goto done;
	}
	for (i = 0; i < n; i++) {
		v[i] = json_array_get(p.all, i);
		json_object_set_new(v[i], "_n", json_integer((json_int_t)i));
	}
	qsort(v, n, sizeof *v, newer_first);
	for (i = offset; i < n && i - offset < limit; i++) {
		json_object_del(v[i], "_n");
		if (json_array_append(out, v[i]) != 0) {
			rc = HE_NOMEM;
			goto done;
		}
	}
	*entries = out;
	*total = n;
	out = NULL;
done:
	free(v);
	json_decref(out);
	json_decref(p.all);
	return rc;
}
