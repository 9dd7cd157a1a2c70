/* merge.c: merging two records of one person, undoing it, forgetting it */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm/audit.h"
#include "crm/campaign.h"
#include "crm/pipeline.h"
#include "crm/candidates.h"
#include "crm/clock.h"
#include "crm/engage.h"
#include "crm/merge.h"
#include "store/dupe.h"
#include "store/entities.h"
#include "store/merge.h"
#include "store/store.h"
#include "store/touch.h"
#include "util/he.h"
#include "util/log.h"

#define DAY 86400

const struct merge_group merge_groups[MERGE_PICK__MAX] = {
	[MERGE_NAME] = { "name", "Name", { "first_name", "last_name", "name" } },
	[MERGE_EMAIL] = { "email", "Email", { "email", "email_key", NULL } },
	[MERGE_PHONE] = { "phone", "Phone", { "phone", NULL, NULL } },
	[MERGE_LOCATION] = { "location", "Location", { "city", "country", NULL } },
	[MERGE_REMOTE] = { "remote", "Open to remote work", { "remote", NULL, NULL } },
	[MERGE_TITLE] = { "title", "Job title", { "title", NULL, NULL } },
	[MERGE_SENIORITY] = { "seniority", "Seniority", { "seniority", NULL, NULL } },
	[MERGE_URL] = { "url", "LinkedIn or portfolio", { "url", NULL, NULL } },
	[MERGE_SOURCE] = { "source", "Source", { "source", NULL, NULL } },
	[MERGE_STATUS] = { "status", "Status", { "status", NULL, NULL } },
	[MERGE_OWNER] = { "owner", "Owner", { "owner", NULL, NULL } },
	[MERGE_BASIS] = { "basis", "Lawful basis", { "basis", NULL, NULL } },
	/* A CV goes with the words the worker read from it. */
	[MERGE_RESUME] = { "resume", "CV", { "resume", "resume_terms",
	    "resume_terms_of" } },
};

const char *const merge_lists[] = { "interests", "skills", "tags", "pools",
    NULL };

/* Consent goes as a whole with the latest consent event: the state, what
 * waits for confirmation, the preferences and when they joined (the
 * pending-signup expiry counts from it). */
static const char *const consent_fields[] = { "consent", "nonce", "pending",
    "prefs", "joined", NULL };

/* Fields the merge sets itself, or that cand_write derives. */
static const char *const own_fields[] = { "extra_terms", "consent_head",
    "merged_ids",
    "last_engaged", "eng", "stale", "updated", "level", "dpools", NULL };

/* Differences in these do not stand in the way of an undo: the worker
 * and the dynamic pools change them, and the undo derives them again (the
 * words of a CV are read again when they are not of the CV restored). */
static const char *const derived_fields[] = { "updated", "level", "dpools",
    "stale", "resume_terms", "resume_terms_of", NULL };

static int
in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (strcmp(*list, s) == 0)
			return 1;
	return 0;
}

/* A value worth keeping: not absent, "", false, [] or {}. */
static int
has_value(json_t *v)
{
	if (v == NULL || json_is_null(v) || json_is_false(v))
		return 0;
	if (json_is_string(v))
		return json_string_length(v) > 0;
	if (json_is_array(v))
		return json_array_size(v) > 0;
	if (json_is_object(v))
		return json_object_size(v) > 0;
	return 1;
}

static json_t *
value_of(json_t *r, const char *field)
{
	json_t *v = json_object_get(r, field);

	return has_value(v) ? v : NULL;
}

int
merge_has(enum merge_pick g, json_t *r)
{
	for (size_t i = 0; i < MERGE_GROUP_FIELDS && merge_groups[g].fields[i]; i++)
		if (value_of(r, merge_groups[g].fields[i]))
			return 1;
	return 0;
}

int
merge_differs(enum merge_pick g, json_t *a, json_t *b)
{
	for (size_t i = 0; i < MERGE_GROUP_FIELDS && merge_groups[g].fields[i]; i++) {
		json_t *va = value_of(a, merge_groups[g].fields[i]);
		json_t *vb = value_of(b, merge_groups[g].fields[i]);

		if ((va == NULL) != (vb == NULL) || (va && !json_equal(va, vb)))
			return 1;
	}
	return 0;
}

static int
is_group_field(const char *f)
{
	for (int g = 0; g < MERGE_PICK__MAX; g++)
		for (size_t i = 0; i < MERGE_GROUP_FIELDS && merge_groups[g].fields[i]; i++)
			if (strcmp(merge_groups[g].fields[i], f) == 0)
				return 1;
	return 0;
}

/* a's values, then b's that a lacks, each once; at most max (0: any). */
static json_t *
unite(json_t *a, json_t *b, size_t max)
{
	json_t *out = json_array(), *v, *w;
	size_t i, j;

	if (out == NULL)
		return NULL;
	for (int pass = 0; pass < 2; pass++)
		json_array_foreach(pass ? b : a, i, v) {
			int seen = 0;

			if (max && json_array_size(out) >= max)
				break;
			json_array_foreach(out, j, w)
				if (json_equal(v, w)) {
					seen = 1;
					break;
				}
			if (!seen && json_array_append(out, v)) {
				json_decref(out);
				return NULL;
			}
		}
	return out;
}

/* Sets or removes field of dst as src has it. */
static int
copy_field(json_t *dst, json_t *src, const char *field)
{
	json_t *v = json_object_get(src, field);

	if (v == NULL)
		return json_object_del(dst, field), HE_OK;
	return json_object_set_new(dst, field, json_deep_copy(v)) ? HE_NOMEM : HE_OK;
}

/* s keeps the ids merged into it, b's own and those merged into b, so the
 * links mailed to any of them still find the person (cand_resolve). */
static int
note_merged_id(json_t *s, json_t *b, uint64_t bid)
{
	json_t *ids = unite(json_object_get(s, "merged_ids"),
	    json_object_get(b, "merged_ids"), 0);

	if (ids == NULL)
		return HE_NOMEM;
	if (json_array_append_new(ids, json_integer((json_int_t)bid))) {
		json_decref(ids);
		return HE_NOMEM;
	}
	return json_object_set_new(s, "merged_ids", ids) ? HE_NOMEM : HE_OK;
}

/* The record a merge writes for a (before cand_write derives its fields). */
static json_t *
merged_record(json_t *a, json_t *b, const char picks[MERGE_PICK__MAX],
    int consent_from_b)
{
	json_t *s = json_deep_copy(a), *v, *va, *vb;
	const char *k;
	int rc = s ? HE_OK : HE_NOMEM;

	for (int g = 0; rc == HE_OK && g < MERGE_PICK__MAX; g++) {
		char from = picks ? picks[g] : 0;

		if (from != 'a' && from != 'b')
			from = merge_has(g, a) ? 'a' : 'b';
		for (size_t i = 0; from == 'b' && rc == HE_OK &&
		    i < MERGE_GROUP_FIELDS && merge_groups[g].fields[i]; i++)
			rc = copy_field(s, b, merge_groups[g].fields[i]);
	}
	for (size_t i = 0; rc == HE_OK && merge_lists[i]; i++) {
		va = json_object_get(a, merge_lists[i]);
		vb = json_object_get(b, merge_lists[i]);
		if (!json_is_array(va) && !json_is_array(vb))
			continue;
		v = unite(va, vb, 0);
		rc = v && json_object_set_new(s, merge_lists[i], v) == 0 ? HE_OK :
		    HE_NOMEM;
	}
	if (rc == HE_OK && (json_is_array(json_object_get(a, "extra_terms")) ||
	    json_is_array(json_object_get(b, "extra_terms")))) {
		v = unite(json_object_get(a, "extra_terms"),
		    json_object_get(b, "extra_terms"), CAND_EXTRA_TERMS_MAX);
		rc = v && json_object_set_new(s, "extra_terms", v) == 0 ? HE_OK :
		    HE_NOMEM;
	}
	for (size_t i = 0; rc == HE_OK && consent_from_b && consent_fields[i]; i++)
		rc = copy_field(s, b, consent_fields[i]);
	va = json_object_get(a, "last_engaged");
	vb = json_object_get(b, "last_engaged");
	if (rc == HE_OK && json_is_integer(vb) && (!json_is_integer(va) ||
	    json_integer_value(vb) > json_integer_value(va)))
		rc = copy_field(s, b, "last_engaged");
	/* One person's engagement: both scores together. */
	if (rc == HE_OK)
		rc = engage_merge(s, a, b);
	/* A merge is a recruiter's work on the record: no longer stale. */
	json_object_del(s, "stale");
	/* What a lacks and nothing above decides comes from b. */
	json_object_foreach(b, k, v)
		if (rc == HE_OK && json_object_get(s, k) == NULL &&
		    !is_group_field(k) && !in_list(merge_lists, k) &&
		    !in_list(consent_fields, k) && !in_list(own_fields, k))
			rc = copy_field(s, b, k);
	if (rc != HE_OK) {
		json_decref(s);
		return NULL;
	}
	return s;
}

/* ---- what is read of each record's surroundings ---- */

struct chain {
	json_t *events;		/* NULL: only counted */
	size_t n;
	int64_t last_at;
};

static int
chain_event(json_t *ev, void *ctx)
{
	struct chain *c = ctx;
	json_int_t at = json_integer_value(json_object_get(ev, "at"));

	c->n++;
	if (at > c->last_at)
		c->last_at = at;
	if (c->events && json_array_append(c->events, ev))
		return HE_NOMEM;
	return HE_OK;
}

static int
chain_read(struct store *st, DB_TXN *txn, uint64_t cand, struct chain *c)
{
	c->n = 0;
	c->last_at = 0;
	if (c->events)
		json_array_clear(c->events);
	return store_consent_each(st, txn, cand, chain_event, c);
}

static int
collect_mail(uint64_t id, json_t *mail, void *ctx)
{
	(void)mail;
	return json_array_append_new(ctx, json_integer((json_int_t)id)) ?
	    HE_NOMEM : HE_OK;
}

static int
collect_pair(uint64_t lo, uint64_t hi, json_t *body, void *ctx)
{
	json_t *arr = ctx, *self = json_array_get(arr, 0);
	uint64_t me = (uint64_t)json_integer_value(self);
	json_t *p = json_pack("[I, O]", (json_int_t)(lo == me ? hi : lo), body);

	return p && json_array_append_new(arr, p) == 0 ? HE_OK : HE_NOMEM;
}

/* b's pairs as [[other, record]] (the first slot holds b while walking). */
static int
pairs_of(struct store *st, DB_TXN *txn, uint64_t b, json_t **pairs)
{
	int rc;

	if ((*pairs = json_pack("[I]", (json_int_t)b)) == NULL)
		return HE_NOMEM;
	rc = store_dupe_each_of(st, txn, b, collect_pair, *pairs);
	json_array_remove(*pairs, 0);
	return rc;
}

static int
consent_from_b(const struct chain *ca, const struct chain *cb)
{
	return cb->n > 0 && (ca->n == 0 || cb->last_at > ca->last_at);
}

/* ---- the screen ---- */

struct preview {
	uint64_t a, b;
	json_t *doc;
};

static int
preview_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct preview *p = arg;
	struct chain ca = { NULL, 0, 0 }, cb = { NULL, 0, 0 };
	json_t *a = NULL, *b = NULL, *mails = json_array(), *differs, *lists, *v;
	size_t touches = 0;
	int rc;

	json_decref(p->doc);
	p->doc = NULL;
	if (mails == NULL)
		return HE_NOMEM;
	if ((rc = store_cand_get(st, txn, p->a, 0, &a)) != HE_OK ||
	    (rc = store_cand_get(st, txn, p->b, 0, &b)) != HE_OK ||
	    (rc = chain_read(st, txn, p->a, &ca)) != HE_OK ||
	    (rc = chain_read(st, txn, p->b, &cb)) != HE_OK ||
	    (rc = store_mail_each_of(st, txn, p->b, collect_mail, mails)) != HE_OK ||
	    (rc = store_touch_count(st, txn, p->b, &touches)) != HE_OK)
		goto out;
	differs = json_object();
	lists = json_object();
	p->doc = json_pack("{s:O, s:O, s:o, s:o, s:s, s:I, s:I, s:I, s:I}",
	    "a", a, "b", b, "differs", differs, "lists", lists,
	    "consent_from", consent_from_b(&ca, &cb) ? "b" : "a",
	    "a_events", (json_int_t)ca.n, "b_events", (json_int_t)cb.n,
	    "b_mails", (json_int_t)json_array_size(mails), "b_touch",
	    (json_int_t)touches);
	if (p->doc == NULL) {
		rc = HE_NOMEM;
		goto out;
	}
	for (int g = 0; g < MERGE_PICK__MAX; g++)
		if (merge_differs(g, a, b))
			json_object_set_new(differs, merge_groups[g].name, json_true());
	for (size_t i = 0; merge_lists[i]; i++) {
		v = unite(json_object_get(a, merge_lists[i]),
		    json_object_get(b, merge_lists[i]), 0);
		if (v == NULL || json_object_set_new(lists, merge_lists[i], v)) {
			rc = HE_NOMEM;
			goto out;
		}
	}
out:
	json_decref(a);
	json_decref(b);
	json_decref(mails);
	return rc;
}

int
merge_preview(struct store *st, uint64_t a, uint64_t b, json_t **doc)
{
	struct preview p = { a, b, NULL };
	int rc;

	if (a == b)
		return HE_INVALID;
	if ((rc = store_txn(st, preview_txn, &p)) != HE_OK) {
		json_decref(p.doc);
		return rc;
	}
	*doc = p.doc;
	return HE_OK;
}

/* ---- merging ---- */

/* The groups whose values the merged record takes from b. */
static json_t *
taken_from_b(json_t *a, json_t *b, const char *picks)
{
	json_t *out = json_array();

	for (int g = 0; out && g < MERGE_PICK__MAX; g++) {
		char from = picks ? picks[g] : 0;

		if (from != 'a' && from != 'b')
			from = merge_has(g, a) ? 'a' : 'b';
		if (from == 'b' && merge_differs(g, a, b))
			json_array_append_new(out, json_string(merge_groups[g].name));
	}
	return out;
}

struct run {
	uint64_t a, b;
	const char *picks;
	const struct audit_actor *who;
	uint64_t id;
};

/* b's events onto a's chain, each wrapped; *head is the new head. */
static int
append_events(struct store *st, DB_TXN *txn, const struct run *r,
    json_t *events, char head[STORE_CONSENT_HEAD])
{
	size_t i;
	json_t *ev;
	int rc = HE_OK;

	json_array_foreach(events, i, ev) {
		json_t *w = json_pack("{s:s, s:I, s:s, s:s, s:s, s:I, s:I, s:I, s:O}",
		    "type", "merged",
		    "at", (json_int_t)clock_now_us(),
		    "method", "merge",
		    "ip", r->who && r->who->ip ? r->who->ip : "",
		    "user_agent", "",
		    "merge", (json_int_t)r->id,
		    "from", (json_int_t)r->b,
		    "by", (json_int_t)(r->who ? r->who->user : 0),
		    "original", ev);

		if (w == NULL)
			return HE_NOMEM;
		/* What the ledger page shows of each event, as it was. */
		json_object_set_new(w, "original_type", json_string(
		    json_string_value(json_object_get(ev, "type")) ?: ""));
		if (json_object_get(ev, "policy_version"))
			json_object_set(w, "policy_version",
			    json_object_get(ev, "policy_version"));
		if (json_object_get(ev, "policy_sha256"))
			json_object_set(w, "policy_sha256",
			    json_object_get(ev, "policy_sha256"));
		rc = store_consent_append(st, txn, r->a, w, head);
		json_decref(w);
		if (rc != HE_OK)
			break;
	}
	return rc;
}

/* Re-points mails (ids) from one candidate to another. */
static int
move_mails(struct store *st, DB_TXN *txn, json_t *ids, uint64_t from,
    uint64_t to)
{
	size_t i;
	json_t *v;
	int rc = HE_OK;

	json_array_foreach(ids, i, v) {
		uint64_t id = (uint64_t)json_integer_value(v);
		json_t *mail;

		if ((rc = store_mail_exists(st, txn, id, 1)) == HE_NOTFOUND)
			continue;	/* erased or purged since */
		if (rc != HE_OK || (rc = store_mail_get(st, txn, id, &mail)) != HE_OK)
			break;
		if ((uint64_t)json_integer_value(json_object_get(mail, "cand")) == from) {
			json_object_set_new(mail, "cand", json_integer((json_int_t)to));
			rc = store_mail_put(st, txn, id, mail);
		}
		json_decref(mail);
		if (rc != HE_OK)
			break;
	}
	return rc;
}

static int
collect_touch(uint64_t id, json_t *body, void *ctx)
{
	json_t *p = json_pack("[I, O]", (json_int_t)id, body);

	return p && json_array_append_new(ctx, p) == 0 ? HE_OK : HE_NOMEM;
}

/* Moves b's touchpoints to a under their ids; *ids lists them. */
static int
move_timeline(struct store *st, DB_TXN *txn, uint64_t b, uint64_t a,
    json_t *ids)
{
	json_t *all = json_array(), *t;
	size_t i;
	int rc;

	if (all == NULL)
		return HE_NOMEM;
	rc = store_touch_newest(st, txn, b, 0, 0, collect_touch, all);
	json_array_foreach(all, i, t) {
		uint64_t id = (uint64_t)json_integer_value(json_array_get(t, 0));

		if (rc != HE_OK)
			break;
		if ((rc = store_touch_put(st, txn, a, id, json_array_get(t, 1))) == HE_OK &&
		    (rc = store_touch_del(st, txn, b, id)) == HE_OK &&
		    json_array_append_new(ids, json_integer((json_int_t)id)))
			rc = HE_NOMEM;
	}
	json_decref(all);
	return rc;
}

/* Moves the touchpoints ids back from a to b (those still there). */
static int
unmove_timeline(struct store *st, DB_TXN *txn, uint64_t a, uint64_t b,
    json_t *ids)
{
	size_t i;
	json_t *v;
	int rc = HE_OK;

	json_array_foreach(ids, i, v) {
		uint64_t id = (uint64_t)json_integer_value(v);
		json_t *t;

		if ((rc = store_touch_get(st, txn, a, id, &t)) == HE_NOTFOUND) {
			rc = HE_OK;	/* removed since */
			continue;
		}
		if (rc != HE_OK)
			break;
		if ((rc = store_touch_put(st, txn, b, id, t)) == HE_OK)
			rc = store_touch_del(st, txn, a, id);
		json_decref(t);
		if (rc != HE_OK)
			break;
	}
	return rc;
}

/* The "merge" touchpoint on a's timeline; *id is its id. */
static int
note_on_timeline(struct store *st, DB_TXN *txn, const struct run *r,
    uint64_t *id)
{
	char by[256] = "", text[96];
	json_t *t;
	int rc;

	if (r->who && r->who->user)
		store_user_email(st, txn, r->who->user, by, sizeof by);
	snprintf(text, sizeof text, "Merged with candidate #%llu",
	    (unsigned long long)r->b);
	t = json_pack("{s:I, s:s, s:s, s:I, s:s, s:s, s:{s:I, s:I}}",
	    "at", (json_int_t)clock_now(), "kind", "merge", "channel", "office",
	    "by", (json_int_t)(r->who ? r->who->user : 0), "by_name", by,
	    "text", text, "detail", "merge", (json_int_t)r->id,
	    "from", (json_int_t)r->b);
	if (t == NULL)
		return HE_NOMEM;
	rc = store_touch_insert(st, txn, r->a, t, id);
	json_decref(t);
	return rc;
}

static int
run_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct run *r = arg;
	struct chain ca = { NULL, 0, 0 }, cb = { json_array(), 0, 0 };
	json_t *a = NULL, *b = NULL, *s = NULL, *mails = json_array();
	json_t *pairs = NULL, *rec = NULL, *touch = json_array(), *detail = NULL;
	char head[STORE_CONSENT_HEAD];
	uint64_t note = 0;
	int rc;

	if (cb.events == NULL || mails == NULL || touch == NULL) {
		rc = HE_NOMEM;
		goto out;
	}
	if ((rc = store_cand_get(st, txn, r->a, 1, &a)) != HE_OK ||
	    (rc = store_cand_get(st, txn, r->b, 1, &b)) != HE_OK ||
	    (rc = chain_read(st, txn, r->a, &ca)) != HE_OK ||
	    (rc = chain_read(st, txn, r->b, &cb)) != HE_OK)
		goto out;
	if ((s = merged_record(a, b, r->picks, consent_from_b(&ca, &cb))) == NULL) {
		rc = HE_NOMEM;
		goto out;
	}
	if ((rc = store_next_id(st, SEQ_MERGE, &r->id)) != HE_OK)
		goto out;
	/* b's mails become a's. */
	if ((rc = store_mail_each_of(st, txn, r->b, collect_mail, mails)) != HE_OK ||
	    (rc = move_mails(st, txn, mails, r->b, r->a)) != HE_OK)
		goto out;
	/* b's timeline becomes a's, which says so. */
	if ((rc = move_timeline(st, txn, r->b, r->a, touch)) != HE_OK ||
	    (rc = note_on_timeline(st, txn, r, &note)) != HE_OK)
		goto out;
	/* b goes: its pairs, its index keys and record, its chain. */
	if ((rc = pairs_of(st, txn, r->b, &pairs)) != HE_OK ||
	    (rc = store_dupe_del_of(st, txn, r->b, NULL)) != HE_OK ||
	    (rc = cand_remove(st, txn, r->b, b, 0)) != HE_OK ||
	    (rc = store_consent_del_all(st, txn, r->b)) != HE_OK)
		goto out;
	/* Its consent events follow a's, each embedding the original. */
	if (cb.n > 0) {
		if ((rc = append_events(st, txn, r, cb.events, head)) != HE_OK)
			goto out;
		json_object_set_new(s, "consent_head", json_string(head));
	}
	/* b's campaigns go on as a's (or stop where a is in them too), before
	 * a's write could enrol a in them again. */
	if ((rc = campaign_cand_merged(st, txn, r->b, r->a)) != HE_OK)
		goto out;
	/* b's places in roles' pipelines become a's (a's own win). */
	if ((rc = pipe_cand_merge(st, txn, r->b, r->a)) != HE_OK)
		goto out;
	/* Links already mailed to b (unsubscribe, preferences) lead to a. */
	if ((rc = note_merged_id(s, b, r->b)) != HE_OK ||
	    (rc = cand_write(st, txn, r->a, a, s)) != HE_OK)
		goto out;
	rec = json_pack("{s:I, s:I, s:I, s:I, s:O, s:O, s:O, s:I, s:O, s:O, "
	    "s:O, s:I, s:O}",
	    "at", (json_int_t)clock_now(),
	    "by", (json_int_t)(r->who ? r->who->user : 0),
	    "a", (json_int_t)r->a, "b", (json_int_t)r->b,
	    "a_before", a, "b_before", b, "a_after", s,
	    "a_ledger", (json_int_t)ca.n, "b_ledger", cb.events,
	    "mails", mails, "touch", touch, "touch_note", (json_int_t)note,
	    "pairs", pairs);
	/* Ids and field names only: the audit log keeps no one's data. */
	detail = json_pack("{s:I, s:I, s:o}", "merge", (json_int_t)r->id,
	    "from", (json_int_t)r->b, "fields", taken_from_b(a, b, r->picks));
	if (rec == NULL || detail == NULL) {
		rc = HE_NOMEM;
		goto out;
	}
	if ((rc = store_merge_put(st, txn, r->id, rec)) == HE_OK)
		rc = audit_log(st, txn, r->who, "merge", r->a, detail);
out:
	json_decref(touch);
	json_decref(detail);
	json_decref(a);
	json_decref(b);
	json_decref(s);
	json_decref(cb.events);
	json_decref(mails);
	json_decref(pairs);
	json_decref(rec);
	return rc;
}

int
merge_run(struct store *st, uint64_t a, uint64_t b,
    const char picks[MERGE_PICK__MAX], const struct audit_actor *who,
    uint64_t *merge_id)
{
	struct run r = { a, b, picks, who, 0 };
	int rc;

	if (a == b || a == 0 || b == 0)
		return HE_INVALID;
	if ((rc = store_txn(st, run_txn, &r)) == HE_OK && merge_id)
		*merge_id = r.id;
	return rc;
}

/* ---- what a merge was, and undoing it ---- */

static const char *
name_of(json_t *rec)
{
	const char *n = json_string_value(json_object_get(rec, "name"));

	return n && *n ? n : "(no name)";
}

static int
expired(json_t *m, int keep_days)
{
	return json_integer_value(json_object_get(m, "at")) +
	    (json_int_t)keep_days * DAY <= clock_now();
}

struct summary {
	uint64_t id;
	int keep_days;
	json_t *doc;
};

static int
summary_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct summary *s = arg;
	json_t *m, *b;
	int rc;

	json_decref(s->doc);
	s->doc = NULL;
	if ((rc = store_merge_get(st, txn, s->id, 0, &m)) != HE_OK)
		return rc;
	if (expired(m, s->keep_days)) {
		json_decref(m);
		return HE_NOTFOUND;
	}
	b = json_object_get(m, "b_before");
	s->doc = json_pack("{s:O, s:O, s:O, s:O, s:s, s:s, s:s, s:I}",
	    "a", json_object_get(m, "a"), "b", json_object_get(m, "b"),
	    "at", json_object_get(m, "at"), "by", json_object_get(m, "by"),
	    "a_name", name_of(json_object_get(m, "a_before")),
	    "b_name", name_of(b),
	    "b_email", json_string_value(json_object_get(b, "email")) ?: "",
	    "expires", json_integer_value(json_object_get(m, "at")) +
	    (json_int_t)s->keep_days * DAY);
	json_decref(m);
	return s->doc ? HE_OK : HE_NOMEM;
}

int
merge_summary(struct store *st, uint64_t merge_id, int keep_days, json_t **doc)
{
	struct summary s = { merge_id, keep_days, NULL };
	int rc = store_txn(st, summary_txn, &s);

	if (rc != HE_OK) {
		json_decref(s.doc);
		return rc;
	}
	*doc = s.doc;
	return HE_OK;
}

struct undo {
	uint64_t id;
	int keep_days;
	const struct audit_actor *who;
	char *why;
	size_t whylen;
	/* while looking for a later merge */
	uint64_t a, b;
	json_int_t at;
	uint64_t later;
};

static int
conflict(struct undo *u, const char *fmt, ...)
{
	va_list ap;

	if (u->why && u->whylen) {
		va_start(ap, fmt);
		vsnprintf(u->why, u->whylen, fmt, ap);
		va_end(ap);
	}
	return HE_EXISTS;
}

static int
find_later(uint64_t id, json_t *m, void *ctx)
{
	struct undo *u = ctx;
	uint64_t ma = (uint64_t)json_integer_value(json_object_get(m, "a"));
	uint64_t mb = (uint64_t)json_integer_value(json_object_get(m, "b"));
	json_int_t at = json_integer_value(json_object_get(m, "at"));

	/* Ids are not in time order across processes: the time decides,
	 * the id only within one second. */
	if (id != u->id && (ma == u->a || mb == u->a || ma == u->b || mb == u->b) &&
	    (at > u->at || (at == u->at && id > u->id)))
		u->later = id;
	return HE_OK;
}

/* What people call a record field, for the reasons an undo gives. */
static const char *
field_label(const char *k)
{
	static const struct {
		const char *field, *label;
	} labels[] = {
		{ "interests", "interests" }, { "skills", "skills" },
		{ "tags", "tags" }, { "pools", "static pools" },
		{ "consent", "consent" }, { "consent_head", "consent" },
		{ "nonce", "consent" }, { "pending", "details waiting for the "
		    "person's confirmation" }, { "prefs", "mail preferences" },
		{ "joined", "join date" }, { "last_engaged", "last engagement" },
		{ "eng", "engagement score" },
		{ "extra_terms", "notes or CV text" },
	};

	for (int g = 0; g < MERGE_PICK__MAX; g++)
		for (size_t i = 0; i < MERGE_GROUP_FIELDS && merge_groups[g].fields[i]; i++)
			if (strcmp(merge_groups[g].fields[i], k) == 0)
				return merge_groups[g].label;
	for (size_t i = 0; i < sizeof labels / sizeof *labels; i++)
		if (strcmp(labels[i].field, k) == 0)
			return labels[i].label;
	return k;
}

/* Adds label to the list in out ("Phone, tags") unless it is there. */
static void
add_label(char *out, size_t outlen, const char *label)
{
	size_t len = strlen(out), n = strlen(label);

	for (const char *p = out; (p = strstr(p, label)) != NULL; p += n)
		if ((p == out || p[-1] == ' ') && (p[n] == ',' || p[n] == '\0'))
			return;
	snprintf(out + len, outlen - len, "%s%s", len ? ", " : "", label);
}

/* The fields whose values differ between a and b, but for derived ones,
 * named for people into out; how many differ. */
static size_t
changed_fields(json_t *a, json_t *b, char *out, size_t outlen)
{
	size_t n = 0;
	const char *k;
	json_t *v;

	out[0] = '\0';
	for (int pass = 0; pass < 2; pass++)
		json_object_foreach(pass ? b : a, k, v) {
			json_t *w = json_object_get(pass ? a : b, k);

			if (in_list(derived_fields, k) || (pass && w) ||
			    (w && json_equal(v, w)))
				continue;
			add_label(out, outlen, field_label(k));
			n++;
		}
	return n;
}

static int
restore_pairs(struct store *st, DB_TXN *txn, uint64_t b, json_t *pairs)
{
	size_t i;
	json_t *p;
	int rc = HE_OK;

	json_array_foreach(pairs, i, p) {
		uint64_t other = (uint64_t)json_integer_value(json_array_get(p, 0));
		json_t *c;

		/* A partner erased or merged away since stays gone. */
		if ((rc = store_cand_get(st, txn, other, 0, &c)) == HE_NOTFOUND) {
			rc = HE_OK;
			continue;
		}
		json_decref(c);
		if (rc != HE_OK ||
		    (rc = store_dupe_put(st, txn, b, other, json_array_get(p, 1))) != HE_OK)
			break;
	}
	return rc;
}

static int
restore_chain(struct store *st, DB_TXN *txn, uint64_t b, json_t *events,
    json_t *b_before)
{
	const char *want = json_string_value(json_object_get(b_before,
	    "consent_head"));
	char head[STORE_CONSENT_HEAD] = "";
	size_t i;
	json_t *ev;
	int rc;

	json_array_foreach(events, i, ev) {
		json_t *copy = json_deep_copy(ev);

		if (copy == NULL)
			return HE_NOMEM;
		rc = store_consent_append(st, txn, b, copy, head);
		json_decref(copy);
		if (rc != HE_OK)
			return rc;
	}
	/* The same bytes give the same hashes: anything else is a bug. */
	if (json_array_size(events) > 0 && (want == NULL || strcmp(want, head) != 0)) {
		log_error("merge: the consent chain of candidate %llu did not come "
		    "back as it was", (unsigned long long)b);
		return HE_INVALID;
	}
	return HE_OK;
}

/* The conflict of a record whose address another candidate took since. */
static int
address_taken(struct store *st, DB_TXN *txn, struct undo *u, uint64_t id,
    json_t *rec)
{
	const char *ek = json_string_value(json_object_get(rec, "email_key"));
	uint64_t holder = 0;

	if (ek)
		store_cand_by_email(st, txn, ek, &holder);
	return conflict(u, "The email address of %s (#%llu) now belongs to "
	    "candidate #%llu, added after the merge. Two records cannot share an "
	    "address: merge or erase that one first.", name_of(rec),
	    (unsigned long long)id, (unsigned long long)holder);
}

static int
undo_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct undo *u = arg;
	json_t *m = NULL, *cur = NULL, *a_before, *b_before, *a_after, *b_events;
	json_t *detail = NULL;
	uint64_t note;
	struct chain ca = { NULL, 0, 0 };
	char fields[256];
	size_t a_ledger;
	int rc;

	if ((rc = store_merge_get(st, txn, u->id, 1, &m)) != HE_OK)
		return rc;
	if (expired(m, u->keep_days)) {
		rc = HE_EXPIRED;
		goto out;
	}
	u->a = (uint64_t)json_integer_value(json_object_get(m, "a"));
	u->b = (uint64_t)json_integer_value(json_object_get(m, "b"));
	u->at = json_integer_value(json_object_get(m, "at"));
	u->later = 0;
	a_before = json_object_get(m, "a_before");
	b_before = json_object_get(m, "b_before");
	a_after = json_object_get(m, "a_after");
	b_events = json_object_get(m, "b_ledger");
	a_ledger = (size_t)json_integer_value(json_object_get(m, "a_ledger"));
	if ((rc = store_merge_each(st, txn, 0, 0, find_later, u, NULL)) != HE_OK)
		goto out;
	if (u->later) {
		rc = conflict(u, "%s (#%llu) was merged again after this merge "
		    "(merge #%llu). Undo that one first, then this one.",
		    name_of(a_before), (unsigned long long)u->a,
		    (unsigned long long)u->later);
		goto out;
	}
	if ((rc = store_cand_get(st, txn, u->a, 1, &cur)) == HE_NOTFOUND) {
		rc = conflict(u, "The merged record (#%llu) is no longer here, so "
		    "there is nothing to split.", (unsigned long long)u->a);
		goto out;
	}
	if (rc != HE_OK)
		goto out;
	if (changed_fields(cur, a_after, fields, sizeof fields) > 0) {
		rc = conflict(u, "%s (#%llu) was changed after the merge (%s). "
		    "Undoing the merge would lose that change, so it was not "
		    "undone.", name_of(cur), (unsigned long long)u->a, fields);
		goto out;
	}
	if ((rc = chain_read(st, txn, u->a, &ca)) != HE_OK)
		goto out;
	if (ca.n != a_ledger + json_array_size(b_events)) {
		rc = conflict(u, "The consent of %s (#%llu) changed after the merge. "
		    "Undoing the merge would lose that change, so it was not "
		    "undone.", name_of(cur), (unsigned long long)u->a);
		goto out;
	}
	/* Back as they were: mails, a's chain and record (freeing b's email
	 * key when a had taken it), then b's chain, record and pairs. */
	if ((rc = move_mails(st, txn, json_object_get(m, "mails"), u->a, u->b)) != HE_OK)
		goto out;
	/* The timeline: b's back, the merge's own note gone. */
	if ((rc = unmove_timeline(st, txn, u->a, u->b, json_object_get(m,
	    "touch"))) != HE_OK)
		goto out;
	note = (uint64_t)json_integer_value(json_object_get(m, "touch_note"));
	if (note && (rc = store_touch_del(st, txn, u->a, note)) != HE_OK &&
	    rc != HE_NOTFOUND)
		goto out;
	if ((rc = store_consent_truncate(st, txn, u->a, (uint32_t)a_ledger)) != HE_OK)
		goto out;
	if ((rc = cand_restore(st, txn, u->a, cur, a_before)) == HE_EXISTS) {
		rc = address_taken(st, txn, u, u->a, a_before);
		goto out;
	}
	if (rc != HE_OK ||
	    (rc = restore_chain(st, txn, u->b, b_events, b_before)) != HE_OK)
		goto out;
	if ((rc = cand_restore(st, txn, u->b, NULL, b_before)) == HE_EXISTS) {
		rc = address_taken(st, txn, u, u->b, b_before);
		goto out;
	}
	if (rc != HE_OK ||
	    (rc = restore_pairs(st, txn, u->b, json_object_get(m, "pairs"))) != HE_OK)
		goto out;
	if ((rc = store_merge_del(st, txn, u->id)) != HE_OK)
		goto out;
	if ((detail = json_pack("{s:I, s:I}", "merge", (json_int_t)u->id,
	    "restored", (json_int_t)u->b)) == NULL) {
		rc = HE_NOMEM;
		goto out;
	}
	rc = audit_log(st, txn, u->who, "unmerge", u->a, detail);
out:
	json_decref(detail);
	json_decref(m);
	json_decref(cur);
	return rc;
}

int
merge_undo(struct store *st, uint64_t merge_id, int keep_days,
    const struct audit_actor *who, char *why, size_t whylen)
{
	struct undo u = { merge_id, keep_days, who, why, whylen, 0, 0, 0, 0 };

	if (why && whylen)
		why[0] = '\0';
	return store_txn(st, undo_txn, &u);
}

/* ---- forgetting ---- */

struct purge {
	int64_t before;
	uint64_t from;
	uint64_t ids[MERGE_PURGE_BATCH];
	size_t n;
	size_t done;
};

static int
purge_collect(uint64_t id, json_t *m, void *ctx)
{
	struct purge *p = ctx;

	if (json_integer_value(json_object_get(m, "at")) <= p->before)
		p->ids[p->n++] = id;
	return HE_OK;
}

static int
purge_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct purge *p = arg;
	uint64_t next;
	int rc;

	p->n = 0;
	if ((rc = store_merge_each(st, txn, p->from, MERGE_PURGE_BATCH,
	    purge_collect, p, &next)) != HE_OK)
		return rc;
	for (size_t i = 0; rc == HE_OK && i < p->n; i++)
		rc = store_merge_del(st, txn, p->ids[i]);
	if (rc == HE_OK)
		p->from = next;
	return rc;
}

int
merge_purge(struct store *st, int keep_days, size_t *n)
{
	struct purge p = { clock_now() - (int64_t)keep_days * DAY, 0, { 0 }, 0, 0 };
	int rc;

	*n = 0;
	/* Ids are not in time order across processes: every record is
	 * looked at, a batch per transaction. */
	do {
		if ((rc = store_txn(st, purge_txn, &p)) != HE_OK)
			return rc;
		*n += p.n;
	} while (p.from != 0);
	return HE_OK;
}

struct forget {
	uint64_t *ids;		/* the person's ids: cand and who merged with them */
	size_t nids, cap;
	uint64_t *merges;	/* merge records to delete */
	size_t nmerges, mcap;
};

static int
push(uint64_t **arr, size_t *n, size_t *cap, uint64_t v)
{
	for (size_t i = 0; i < *n; i++)
		if ((*arr)[i] == v)
			return 0;
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 8;
		uint64_t *p = realloc(*arr, c * sizeof *p);

		if (p == NULL)
			return -1;
		*arr = p;
		*cap = c;
	}
	(*arr)[(*n)++] = v;
	return 1;
}

static int
has_id(const struct forget *f, uint64_t v)
{
	for (size_t i = 0; i < f->nids; i++)
		if (f->ids[i] == v)
			return 1;
	return 0;
}

static int
forget_collect(uint64_t id, json_t *m, void *ctx)
{
	struct forget *f = ctx;
	uint64_t a = (uint64_t)json_integer_value(json_object_get(m, "a"));
	uint64_t b = (uint64_t)json_integer_value(json_object_get(m, "b"));

	if (!has_id(f, a) && !has_id(f, b))
		return HE_OK;
	if (push(&f->merges, &f->nmerges, &f->mcap, id) < 0 ||
	    push(&f->ids, &f->nids, &f->cap, a) < 0 ||
	    push(&f->ids, &f->nids, &f->cap, b) < 0)
		return HE_NOMEM;
	return HE_OK;
}

int
merge_forget(struct store *st, DB_TXN *txn, uint64_t cand)
{
	struct forget f = { NULL, 0, 0, NULL, 0, 0 };
	size_t seen;
	int rc = push(&f.ids, &f.nids, &f.cap, cand) < 0 ? HE_NOMEM : HE_OK;

	/* Until no new id turns up: a chain of merges is one person. */
	do {
		seen = f.nids;
		if (rc == HE_OK)
			rc = store_merge_each(st, txn, 0, 0, forget_collect, &f, NULL);
	} while (rc == HE_OK && f.nids > seen);
	for (size_t i = 0; rc == HE_OK && i < f.nmerges; i++)
		rc = store_merge_del(st, txn, f.merges[i]);
	for (size_t i = 0; rc == HE_OK && i < f.nids; i++)
		rc = store_dupe_del_of(st, txn, f.ids[i], NULL);
	free(f.ids);
	free(f.merges);
	return rc;
}
