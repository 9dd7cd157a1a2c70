/* role.c: roles (requisitions): their records, states, comments and silver medallists */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm/audit.h"
#include "crm/candidates.h"
#include "crm/clock.h"
#include "crm/pipeline.h"
#include "crm/role.h"
#include "crm/role_int.h"
#include "crm/timeline.h"
#include "store/entities.h"
#include "store/role.h"
#include "store/store.h"
#include "util/conf.h"
#include "util/he.h"
#include "util/text.h"

const char *const role_status_names[ROLE_STATUS__MAX + 1] = {
	[ROLE_DRAFT] = "draft", [ROLE_OPEN] = "open", [ROLE_ON_HOLD] = "on_hold",
	[ROLE_FILLED] = "filled", [ROLE_CLOSED] = "closed",
	[ROLE_STATUS__MAX] = NULL,
};

const char *const role_status_labels[ROLE_STATUS__MAX] = {
	[ROLE_DRAFT] = "Draft", [ROLE_OPEN] = "Open", [ROLE_ON_HOLD] = "On hold",
	[ROLE_FILLED] = "Filled", [ROLE_CLOSED] = "Closed",
};

int
role_status_of(const char *name)
{
	for (int i = 0; name && i < ROLE_STATUS__MAX; i++)
		if (strcmp(name, role_status_names[i]) == 0)
			return i;
	return -1;
}

int
role_status_in(const json_t *role)
{
	int s = role_status_of(json_string_value(json_object_get(role, "status")));

	return s < 0 ? ROLE_DRAFT : s;
}

/* ---- configuration ---- */

#define FAMILIES_MAX 64
#define DEFAULT_SUBJECT "{{role_title}}: would you like to hear more?"
#define DEFAULT_BODY "Hello {{first_name|there}},\n\n" \
	"We are hiring for {{role_title}} and thought of you. If you would " \
	"like to hear more, reply to this mail and we will set up a call.\n\n" \
	"{{owner_name}}\n{{owner_signature}}"

static struct {
	int threshold, digest_hour;
	int cap_mails, cap_days;
	char *subject, *body, *base;
	char *family_id[FAMILIES_MAX], *family_label[FAMILIES_MAX];
	size_t nfamilies;
} cfg = { 70, 7, 3, 7, NULL, NULL, NULL, { NULL }, { NULL }, 0 };

static void
cfg_free(void)
{
	free(cfg.subject);
	free(cfg.body);
	free(cfg.base);
	for (size_t i = 0; i < cfg.nfamilies; i++) {
		free(cfg.family_id[i]);
		free(cfg.family_label[i]);
	}
	memset(&cfg, 0, sizeof cfg);
	cfg.threshold = 70;
	cfg.digest_hour = 7;
	cfg.cap_mails = 3;
	cfg.cap_days = 7;
}

int
role_configure(HDF *conf)
{
	long t, h;

	cfg_free();
	t = conf ? conf_int(conf, "Match.AlertThreshold", 70) : 70;
	h = conf ? conf_int(conf, "Match.DigestHour", 7) : 7;
	cfg.threshold = t >= 1 && t <= 100 ? (int)t : 70;
	cfg.cap_mails = conf ? (int)conf_int(conf, "Campaign.CapMails", 3) : 3;
	cfg.cap_days = conf ? (int)conf_int(conf, "Campaign.CapDays", 7) : 7;
	cfg.digest_hour = h >= 0 && h <= 23 ? (int)h : 7;
	cfg.subject = strdup(conf ? conf_str(conf, "Role.MailSubject",
	    DEFAULT_SUBJECT) : DEFAULT_SUBJECT);
	cfg.body = strdup(conf ? conf_str(conf, "Role.MailBody", DEFAULT_BODY) :
	    DEFAULT_BODY);
	cfg.base = strdup(conf ? conf_str(conf, "Site.BaseURL", "") : "");
	if (cfg.subject == NULL || cfg.body == NULL || cfg.base == NULL) {
		cfg_free();
		return HE_NOMEM;
	}
	for (HDF *f = conf ? hdf_get_child(conf, "Site.JobFamilies") : NULL;
	    f && cfg.nfamilies < FAMILIES_MAX; f = hdf_obj_next(f)) {
		cfg.family_id[cfg.nfamilies] = strdup(hdf_obj_name(f));
		cfg.family_label[cfg.nfamilies] = strdup(hdf_obj_value(f) ?
		    hdf_obj_value(f) : hdf_obj_name(f));
		if (!cfg.family_id[cfg.nfamilies] ||
		    !cfg.family_label[cfg.nfamilies++]) {
			cfg_free();
			return HE_NOMEM;
		}
	}
	return HE_OK;
}

int
role_alert_threshold(void)
{
	return cfg.threshold;
}

void
role_cap(int *mails, int *days)
{
	*mails = cfg.cap_mails;
	*days = cfg.cap_days;
}

int
role_digest_hour(void)
{
	return cfg.digest_hour;
}

const char *
role_mail_subject(void)
{
	return cfg.subject ? cfg.subject : DEFAULT_SUBJECT;
}

const char *
role_mail_body(void)
{
	return cfg.body ? cfg.body : DEFAULT_BODY;
}

const char *
role_base_url(void)
{
	return cfg.base ? cfg.base : "";
}

const char *
role_family_label(const char *id)
{
	for (size_t i = 0; id && i < cfg.nfamilies; i++)
		if (strcmp(cfg.family_id[i], id) == 0)
			return cfg.family_label[i];
	return id ? id : "";
}

int
role_family_known(const char *id)
{
	size_t n;

	if (id == NULL || *id == '\0')
		return 0;
	if (cfg.nfamilies) {
		for (size_t i = 0; i < cfg.nfamilies; i++)
			if (strcmp(cfg.family_id[i], id) == 0)
				return 1;
		return 0;
	}
	for (n = 0; id[n]; n++)
		if (!isalnum((unsigned char)id[n]) && id[n] != '_' && id[n] != '-')
			return 0;
	return n <= 40;
}

/* ---- shared helpers ---- */

void
role_actor(struct store *st, DB_TXN *txn, const struct audit_actor *who,
    struct tl_actor *ta, char *buf, size_t len)
{
	json_t *u;

	buf[0] = '\0';
	ta->user = who ? who->user : 0;
	ta->ip = who ? who->ip : NULL;
	ta->name = buf;
	if (ta->user == 0 || store_user_get(st, txn, ta->user, &u) != HE_OK)
		return;
	snprintf(buf, len, "%s", json_string_value(json_object_get(u, "name")) &&
	    *json_string_value(json_object_get(u, "name")) ?
	    json_string_value(json_object_get(u, "name")) :
	    json_string_value(json_object_get(u, "email")) ?: "");
	json_decref(u);
}

int
role_changed(struct store *st, DB_TXN *txn)
{
	return store_role_gen_bump(st, txn, NULL);
}

int
role_has_id(const json_t *arr, uint64_t id)
{
	size_t i;
	json_t *v;

	json_array_foreach(arr, i, v)
		if (json_is_integer(v) && (uint64_t)json_integer_value(v) == id)
			return 1;
	return 0;
}

const char *
role_cand_name(const json_t *rec, char *buf, size_t len)
{
	const char *n = json_string_value(json_object_get(rec, "name"));
	const char *f = json_string_value(json_object_get(rec, "first_name"));
	const char *l = json_string_value(json_object_get(rec, "last_name"));

	if (n && *n)
		snprintf(buf, len, "%s", n);
	else
		snprintf(buf, len, "%s%s%s", f ? f : "", f && *f && l && *l ? " " : "",
		    l ? l : "");
	return buf;
}

/* ---- create, edit ---- */

static const char *const editable[] = { "title", "team", "family",
	"locations", "remote", "seniority", "required", "nice", "description",
	"managers", "owner", "threshold", NULL };

/* Copies the editable fields of in into rec, normalised. */
static int
set_fields(json_t *rec, json_t *in)
{
	for (size_t i = 0; editable[i]; i++) {
		json_t *v = json_object_get(in, editable[i]);

		if (v == NULL || json_is_null(v)) {
			json_t *d;

			if (strcmp(editable[i], "locations") == 0 ||
			    strcmp(editable[i], "required") == 0 ||
			    strcmp(editable[i], "nice") == 0 ||
			    strcmp(editable[i], "managers") == 0)
				d = json_array();
			else if (strcmp(editable[i], "threshold") == 0)
				d = json_integer(0);
			else if (strcmp(editable[i], "owner") == 0)
				continue;	/* kept as it is */
			else
				d = json_string("");
			if (d == NULL || json_object_set_new(rec, editable[i], d))
				return HE_NOMEM;
			continue;
		}
		if (json_object_set_new(rec, editable[i], json_deep_copy(v)))
			return HE_NOMEM;
	}
	/* A nice-to-have skill without a weight weighs 1. */
	{
		size_t i;
		json_t *n;

		json_array_foreach(json_object_get(rec, "nice"), i, n)
			if (!json_is_integer(json_object_get(n, "weight")))
				json_object_set_new(n, "weight", json_integer(1));
	}
	return HE_OK;
}

struct edit {
	const struct audit_actor *who;
	uint64_t id;
	int64_t gen;
	json_t *in;
	json_t *errors;
	int status;
	uint64_t cand;
	const char *text;
};

static int
create_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct edit *e = arg;
	int64_t now = clock_now();
	int open = role_status_of(json_string_value(json_object_get(e->in,
	    "status"))) == ROLE_OPEN || json_is_integer(json_object_get(e->in,
	    "opened"));
	json_t *rec = NULL, *errors = NULL, *detail;
	int rc;

	json_object_clear(e->errors);
	if ((rc = role_validate(st, txn, e->in, &errors)) != HE_OK) {
		if (errors)
			json_object_update(e->errors, errors);
		json_decref(errors);
		return rc;
	}
	rec = json_pack("{s:s, s:I, s:I, s:I, s:I, s:[], s:{}, s:[]}",
	    "status", open ? "open" : "draft",
	    "owner", (json_int_t)(e->who ? e->who->user : 0),
	    "created", (json_int_t)now, "updated", (json_int_t)now,
	    "gen", (json_int_t)1, "silver", "silver_marks", "comments");
	if (rec == NULL || (rc = set_fields(rec, e->in)) != HE_OK) {
		json_decref(rec);
		return HE_NOMEM;
	}
	if (open)
		json_object_set_new(rec, "opened", json_integer(now));
	if ((rc = store_role_put(st, txn, e->id, rec)) == HE_OK)
		rc = role_changed(st, txn);
	json_decref(rec);
	if (rc != HE_OK)
		return rc;
	detail = json_pack("{s:I, s:s, s:s}", "role", (json_int_t)e->id,
	    "what", "create", "status", open ? "open" : "draft");
	rc = detail ? audit_log(st, txn, e->who, "role", 0, detail) : HE_NOMEM;
	json_decref(detail);
	return rc;
}

int
role_create(struct store *st, const struct audit_actor *who, json_t *role,
    uint64_t *id, json_t **errors)
{
	struct edit e = { .who = who, .in = role };
	int rc;

	*errors = NULL;
	if ((rc = store_next_id(st, SEQ_ROLE, &e.id)) != HE_OK)
		return rc;
	if ((e.errors = json_object()) == NULL)
		return HE_NOMEM;
	rc = store_txn(st, create_txn, &e);
	if (rc == HE_INVALID) {
		*errors = e.errors;
		return rc;
	}
	json_decref(e.errors);
	if (rc == HE_OK)
		*id = e.id;
	return rc;
}

/* The names of the editable fields that differ (for the audit log). */
static json_t *
changed_fields(json_t *was, json_t *now)
{
	json_t *out = json_array();

	for (size_t i = 0; out && editable[i]; i++)
		if (!json_equal(json_object_get(was, editable[i]),
		    json_object_get(now, editable[i])))
			json_array_append_new(out, json_string(editable[i]));
	return out;
}

static int
update_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct edit *e = arg;
	json_t *rec, *was = NULL, *errors = NULL, *detail = NULL;
	int rc;

	json_object_clear(e->errors);
	if ((rc = store_role_get(st, txn, e->id, 1, &rec)) != HE_OK)
		return rc;
	if (json_integer_value(json_object_get(rec, "gen")) != e->gen) {
		json_decref(rec);
		return HE_CONFLICT;
	}
	/* The owner stays when the form leaves it out. */
	if (json_object_get(e->in, "owner") == NULL)
		json_object_set(e->in, "owner", json_object_get(rec, "owner"));
	if ((rc = role_validate(st, txn, e->in, &errors)) != HE_OK) {
		if (errors)
			json_object_update(e->errors, errors);
		json_decref(errors);
		json_decref(rec);
		return rc;
	}
	if ((was = json_deep_copy(rec)) == NULL ||
	    (rc = set_fields(rec, e->in)) != HE_OK) {
		rc = HE_NOMEM;
		goto out;
	}
	json_object_set_new(rec, "gen", json_integer(e->gen + 1));
	json_object_set_new(rec, "updated", json_integer(clock_now()));
	if ((rc = store_role_put(st, txn, e->id, rec)) != HE_OK ||
	    (rc = role_changed(st, txn)) != HE_OK)
		goto out;
	detail = json_pack("{s:I, s:s, s:o}", "role", (json_int_t)e->id, "what",
	    "edit", "fields", changed_fields(was, rec));
	rc = detail ? audit_log(st, txn, e->who, "role", 0, detail) : HE_NOMEM;
out:
	json_decref(detail);
	json_decref(was);
	json_decref(rec);
	return rc;
}

int
role_update(struct store *st, const struct audit_actor *who, uint64_t id,
    int64_t gen, json_t *role, json_t **errors)
{
	struct edit e = { .who = who, .id = id, .gen = gen };
	int rc;

	*errors = NULL;
	if (!json_is_object(role))
		return role_validate(st, NULL, role, errors);
	/* A copy: the owner may be filled in from the record. */
	if ((e.in = json_copy(role)) == NULL || (e.errors = json_object()) == NULL) {
		json_decref(e.in);
		return HE_NOMEM;
	}
	rc = store_txn(st, update_txn, &e);
	json_decref(e.in);
	if (rc == HE_INVALID) {
		*errors = e.errors;
		return rc;
	}
	json_decref(e.errors);
	return rc;
}

/* ---- states and silver medallists ---- */

/* Whether an entry reached interviewing or offer at some point. */
static int
reached_final(json_t *entry)
{
	size_t i;
	json_t *h;
	int s = pipe_stage_of(json_string_value(json_object_get(entry, "stage")));

	if (s == PIPE_INTERVIEWING || s == PIPE_OFFER)
		return 1;
	json_array_foreach(json_object_get(entry, "history"), i, h) {
		s = pipe_stage_of(json_string_value(json_object_get(h, "stage")));
		if (s == PIPE_INTERVIEWING || s == PIPE_OFFER)
			return 1;
	}
	return 0;
}

struct gather {
	uint64_t *ids;
	size_t n, cap;
};

static int
gather_silver(uint64_t cand, json_t *entry, void *ctx)
{
	struct gather *g = ctx;

	if (pipe_stage_of(json_string_value(json_object_get(entry, "stage"))) ==
	    PIPE_HIRED || !reached_final(entry))
		return HE_OK;
	if (g->n == g->cap) {
		size_t cap = g->cap ? 2 * g->cap : 16;
		uint64_t *ids = realloc(g->ids, cap * sizeof *ids);

		if (ids == NULL)
			return HE_NOMEM;
		g->ids = ids;
		g->cap = cap;
	}
	g->ids[g->n++] = cand;
	return HE_OK;
}

static int
str_in(const json_t *arr, const char *s)
{
	size_t i;
	json_t *v;

	json_array_foreach(arr, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
			return 1;
	return 0;
}

/* Whether another role than id, of family, has cand on its silver list. */
struct other {
	uint64_t id, cand;
	const char *family;
	int family_too, any;
	int family_by_mark;	/* its mark there added the family */
	char prev[32];		/* the status before a mark there ("": none) */
	int has_prev;
};

static int
other_one(uint64_t id, json_t *role, void *ctx)
{
	struct other *o = ctx;
	const char *f = json_string_value(json_object_get(role, "family"));

	char k[24];
	json_t *m;

	if (id == o->id || !role_has_id(json_object_get(role, "silver"), o->cand))
		return HE_OK;
	o->any = 1;
	snprintf(k, sizeof k, "%llu", (unsigned long long)o->cand);
	m = json_object_get(json_object_get(role, "silver_marks"), k);
	if (!o->has_prev && json_object_get(m, "status") && strcmp(
	    json_string_value(json_object_get(m, "status")) ?: "",
	    "silver_medallist") != 0) {
		snprintf(o->prev, sizeof o->prev, "%s",
		    json_string_value(json_object_get(m, "status")) ?: "");
		o->has_prev = 1;
	}
	if (f && o->family && strcmp(f, o->family) == 0) {
		char key[24];

		o->family_too = 1;
		snprintf(key, sizeof key, "%llu", (unsigned long long)o->cand);
		if (json_is_true(json_object_get(json_object_get(json_object_get(
		    role, "silver_marks"), key), "family_added")))
			o->family_by_mark = 1;
	}
	return HE_OK;
}

/* Marks cand a silver medallist of role id (rec: the role, changed). */
static int
mark_one(struct store *st, DB_TXN *txn, const struct audit_actor *who,
    const struct tl_actor *ta, uint64_t id, json_t *role, uint64_t cand)
{
	const char *family = json_string_value(json_object_get(role, "family"));
	const char *status, *prev;
	struct other o = { id, cand, family, 0, 0, 0, "", 0 };
	json_t *old, *rec = NULL, *fams, *mark = NULL, *detail = NULL;
	char key[24];
	int rc, added = 0, grew = 0, changed;

	if ((rc = store_cand_get(st, txn, cand, 1, &old)) != HE_OK)
		return rc == HE_NOTFOUND ? HE_OK : rc;
	if ((rec = json_deep_copy(old)) == NULL) {
		rc = HE_NOMEM;
		goto out;
	}
	if ((rc = store_role_each(st, txn, 0, other_one, &o)) != HE_OK)
		goto out;
	/* From old, which stays as it is: rec's status is replaced below. */
	status = json_string_value(json_object_get(old, "status"));
	fams = json_object_get(rec, "silver_families");
	if (!json_is_array(fams)) {
		json_object_set_new(rec, "silver_families", fams = json_array());
		if (fams == NULL) {
			rc = HE_NOMEM;
			goto out;
		}
	}
	if (family && *family && !str_in(fams, family)) {
		json_array_append_new(fams, json_string(family));
		added = grew = 1;
	} else if (family && *family) {
		/* There by another role's mark: this one holds it as well, so
		 * undoing both takes it away. */
		added = o.family_by_mark;
	}
	/* Silver already by another role's mark: the status before that. */
	prev = status;
	if (status && strcmp(status, "silver_medallist") == 0 && o.has_prev)
		prev = o.prev[0] ? o.prev : NULL;
	mark = json_pack("{s:s?, s:b, s:I}", "status", prev, "family_added",
	    added, "at", (json_int_t)clock_now());
	changed = !(status && (strcmp(status, "hired") == 0 ||
	    strcmp(status, "do_not_contact") == 0 ||
	    strcmp(status, "silver_medallist") == 0));
	if (changed)
		json_object_set_new(rec, "status", json_string("silver_medallist"));
	if (mark == NULL) {
		rc = HE_NOMEM;
		goto out;
	}
	if ((grew || changed) && (rc = cand_write(st, txn, cand, old, rec)) != HE_OK)
		goto out;
	if (changed) {
		/* With the role: a hiring manager of another is not told. */
		detail = json_pack("{s:s?, s:s, s:I}", "from", status, "to",
		    "silver_medallist", "role", (json_int_t)id);
		if (detail == NULL || (rc = tl_record(st, txn, cand, "status", ta,
		    NULL, detail)) != HE_OK)
			goto out;
		json_decref(detail);
	}
	detail = json_pack("{s:I, s:O?, s:s?}", "role", (json_int_t)id, "title",
	    json_object_get(role, "title"), "family", family);
	if (detail == NULL || (rc = tl_record(st, txn, cand, "silver", ta, NULL,
	    detail)) != HE_OK || (rc = audit_log(st, txn, who, "silver", cand,
	    detail)) != HE_OK)
		goto out;
	snprintf(key, sizeof key, "%llu", (unsigned long long)cand);
	if (!json_is_object(json_object_get(role, "silver_marks")))
		json_object_set_new(role, "silver_marks", json_object());
	if (!json_is_array(json_object_get(role, "silver")))
		json_object_set_new(role, "silver", json_array());
	if (json_object_set(json_object_get(role, "silver_marks"), key, mark) ||
	    json_array_append_new(json_object_get(role, "silver"),
	    json_integer((json_int_t)cand)))
		rc = HE_NOMEM;
out:
	json_decref(detail);
	json_decref(mark);
	json_decref(rec);
	json_decref(old);
	return rc;
}

static int
mark_silver(struct store *st, DB_TXN *txn, const struct audit_actor *who,
    const struct tl_actor *ta, uint64_t id, json_t *role, size_t *marked)
{
	struct gather g = { NULL, 0, 0 };
	int rc;

	*marked = 0;
	if ((rc = store_pipe_each(st, txn, id, gather_silver, &g)) != HE_OK) {
		free(g.ids);
		return rc;
	}
	for (size_t i = 0; rc == HE_OK && i < g.n; i++) {
		if (role_has_id(json_object_get(role, "silver"), g.ids[i]))
			continue;
		if ((rc = mark_one(st, txn, who, ta, id, role, g.ids[i])) == HE_OK)
			(*marked)++;
	}
	free(g.ids);
	return rc;
}

static int
move_ok(int from, int to)
{
	switch (to) {
	case ROLE_OPEN:
		return from != ROLE_OPEN;
	case ROLE_ON_HOLD:
		return from == ROLE_OPEN;
	case ROLE_FILLED:
		return from == ROLE_OPEN || from == ROLE_ON_HOLD;
	case ROLE_CLOSED:
		return from == ROLE_DRAFT || from == ROLE_OPEN ||
		    from == ROLE_ON_HOLD;
	default:
		return 0;	/* back to draft: never */
	}
}

static int
state_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct edit *e = arg;
	struct tl_actor ta;
	char name[256];
	json_t *rec, *detail = NULL;
	int64_t now = clock_now();
	size_t marked = 0;
	int from, rc;

	if ((rc = store_role_get(st, txn, e->id, 1, &rec)) != HE_OK)
		return rc;
	from = role_status_in(rec);
	if (from == e->status) {
		json_decref(rec);
		return HE_OK;
	}
	if (!move_ok(from, e->status)) {
		json_decref(rec);
		return HE_INVALID;
	}
	role_actor(st, txn, e->who, &ta, name, sizeof name);
	json_object_set_new(rec, "status", json_string(role_status_names[e->status]));
	if (e->status == ROLE_OPEN) {
		if (!json_is_integer(json_object_get(rec, "opened")))
			json_object_set_new(rec, "opened", json_integer(now));
		json_object_del(rec, "closed");
	}
	if (e->status == ROLE_FILLED || e->status == ROLE_CLOSED) {
		json_object_set_new(rec, "closed", json_integer(now));
		if ((rc = mark_silver(st, txn, e->who, &ta, e->id, rec, &marked)) !=
		    HE_OK)
			goto out;
	}
	json_object_set_new(rec, "gen", json_integer(json_integer_value(
	    json_object_get(rec, "gen")) + 1));
	json_object_set_new(rec, "updated", json_integer(now));
	if ((rc = store_role_put(st, txn, e->id, rec)) != HE_OK ||
	    (rc = role_changed(st, txn)) != HE_OK)
		goto out;
	detail = json_pack("{s:I, s:s, s:s, s:s, s:I}", "role", (json_int_t)e->id,
	    "what", "status", "from", role_status_names[from], "to",
	    role_status_names[e->status], "silver", (json_int_t)marked);
	rc = detail ? audit_log(st, txn, e->who, "role", 0, detail) : HE_NOMEM;
out:
	json_decref(detail);
	json_decref(rec);
	return rc;
}

int
role_set_status(struct store *st, const struct audit_actor *who, uint64_t id,
    enum role_status status)
{
	struct edit e = { .who = who, .id = id, .status = (int)status };

	if ((int)status < 0 || status >= ROLE_STATUS__MAX)
		return HE_INVALID;
	return store_txn(st, state_txn, &e);
}

static int
undo_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct edit *e = arg;
	struct tl_actor ta;
	char name[256], key[24];
	json_t *role, *old = NULL, *rec = NULL, *mark, *silver, *fams, *detail = NULL;
	const char *family, *prev, *status;
	struct other o = { e->id, e->cand, NULL, 0, 0, 0, "", 0 };
	size_t i, at = (size_t)-1;
	json_t *v;
	int rc, changed = 0;

	if ((rc = store_role_get(st, txn, e->id, 1, &role)) != HE_OK)
		return rc;
	silver = json_object_get(role, "silver");
	json_array_foreach(silver, i, v)
		if ((uint64_t)json_integer_value(v) == e->cand)
			at = i;
	if (at == (size_t)-1) {
		json_decref(role);
		return HE_NOTFOUND;
	}
	role_actor(st, txn, e->who, &ta, name, sizeof name);
	snprintf(key, sizeof key, "%llu", (unsigned long long)e->cand);
	mark = json_object_get(json_object_get(role, "silver_marks"), key);
	family = json_string_value(json_object_get(role, "family"));
	o.family = family;
	if ((rc = store_role_each(st, txn, 0, other_one, &o)) != HE_OK)
		goto out;
	if ((rc = store_cand_get(st, txn, e->cand, 1, &old)) == HE_OK) {
		if ((rec = json_deep_copy(old)) == NULL) {
			rc = HE_NOMEM;
			goto out;
		}
		fams = json_object_get(rec, "silver_families");
		/* The family goes only when this mark added it and no other
		 * role of it marked them. */
		if (family && json_is_true(json_object_get(mark, "family_added")) &&
		    !o.family_too)
			json_array_foreach(fams, i, v)
				if (json_is_string(v) && strcmp(json_string_value(v),
				    family) == 0) {
					json_array_remove(fams, i);
					changed = 1;
					break;
				}
		status = json_string_value(json_object_get(rec, "status"));
		prev = json_string_value(json_object_get(mark, "status"));
		if (!o.any && status && strcmp(status, "silver_medallist") == 0 &&
		    json_object_get(mark, "status") && (prev == NULL ||
		    strcmp(prev, "silver_medallist") != 0)) {
			detail = json_pack("{s:s, s:s?}", "from", "silver_medallist",
			    "to", prev);
			if (prev)
				json_object_set_new(rec, "status", json_string(prev));
			else
				json_object_del(rec, "status");
			changed = 1;
			if (detail == NULL || (rc = tl_record(st, txn, e->cand, "status",
			    &ta, NULL, detail)) != HE_OK)
				goto out;
			json_decref(detail);
			detail = NULL;
		}
		if (changed && (rc = cand_write(st, txn, e->cand, old, rec)) != HE_OK)
			goto out;
		detail = json_pack("{s:I, s:O?, s:s?, s:b}", "role", (json_int_t)e->id,
		    "title", json_object_get(role, "title"), "family", family,
		    "undone", 1);
		if (detail == NULL || (rc = tl_record(st, txn, e->cand, "silver", &ta,
		    NULL, detail)) != HE_OK || (rc = audit_log(st, txn, e->who,
		    "silver", e->cand, detail)) != HE_OK)
			goto out;
	} else if (rc != HE_NOTFOUND) {
		goto out;
	}
	json_array_remove(silver, at);
	json_object_del(json_object_get(role, "silver_marks"), key);
	json_object_set_new(role, "updated", json_integer(clock_now()));
	if ((rc = store_role_put(st, txn, e->id, role)) == HE_OK)
		rc = role_changed(st, txn);
out:
	json_decref(detail);
	json_decref(rec);
	json_decref(old);
	json_decref(role);
	return rc;
}

int
role_silver_undo(struct store *st, const struct audit_actor *who, uint64_t id,
    uint64_t cand)
{
	struct edit e = { .who = who, .id = id, .cand = cand };

	return store_txn(st, undo_txn, &e);
}

int
role_silver_forget(struct store *st, DB_TXN *txn, uint64_t id, uint64_t cand,
    uint64_t into)
{
	json_t *role, *silver, *marks, *v, *mark;
	char key[24], ikey[24];
	size_t i, at = (size_t)-1;
	int rc;

	if ((rc = store_role_get(st, txn, id, 1, &role)) != HE_OK)
		return rc == HE_NOTFOUND ? HE_OK : rc;
	silver = json_object_get(role, "silver");
	json_array_foreach(silver, i, v)
		if ((uint64_t)json_integer_value(v) == cand)
			at = i;
	if (at == (size_t)-1) {
		json_decref(role);
		return HE_OK;
	}
	snprintf(key, sizeof key, "%llu", (unsigned long long)cand);
	snprintf(ikey, sizeof ikey, "%llu", (unsigned long long)into);
	marks = json_object_get(role, "silver_marks");
	mark = json_incref(json_object_get(marks, key));
	json_array_remove(silver, at);
	json_object_del(marks, key);
	if (into && !role_has_id(silver, into)) {
		json_array_append_new(silver, json_integer((json_int_t)into));
		if (mark && json_is_object(marks))
			json_object_set(marks, ikey, mark);
	}
	json_decref(mark);
	if ((rc = store_role_put(st, txn, id, role)) == HE_OK)
		rc = role_changed(st, txn);
	json_decref(role);
	return rc;
}

/* ---- reading ---- */

int
role_get(struct store *st, DB_TXN *txn, uint64_t id, json_t **role)
{
	int rc = store_role_get(st, txn, id, 0, role);

	if (rc == HE_OK)
		json_object_set_new(*role, "id", json_integer((json_int_t)id));
	return rc;
}

struct list {
	int status;
	uint64_t manager;
	size_t from, to, pos;
	json_t *rows;
};

static int
list_one(uint64_t id, json_t *role, void *ctx)
{
	struct list *l = ctx;
	json_t *row;

	if (l->status >= 0 && role_status_in(role) != l->status)
		return HE_OK;
	if (l->manager && !role_has_id(json_object_get(role, "managers"),
	    l->manager))
		return HE_OK;
	if (l->pos >= l->from && l->pos < l->to) {
		if ((row = json_copy(role)) == NULL)
			return HE_NOMEM;
		/* What a list shows: not the comments nor the marks. */
		json_object_del(row, "comments");
		json_object_del(row, "silver_marks");
		json_object_set_new(row, "id", json_integer((json_int_t)id));
		if (json_array_append_new(l->rows, row))
			return HE_NOMEM;
	}
	l->pos++;
	return HE_OK;
}

int
role_list(struct store *st, int status, uint64_t manager, size_t page,
    size_t per_page, json_t **rows, size_t *total)
{
	struct list l = { status, manager, 0, 0, 0, json_array() };
	size_t i, n;
	json_t *row;
	int rc;

	*rows = NULL;
	if (l.rows == NULL)
		return HE_NOMEM;
	if (page == 0)
		page = 1;
	l.from = (page - 1) * per_page;
	l.to = l.from + per_page;
	if ((rc = store_role_each(st, NULL, 1, list_one, &l)) != HE_OK) {
		json_decref(l.rows);
		return rc;
	}
	json_array_foreach(l.rows, i, row) {
		if ((rc = store_pipe_count(st, NULL, (uint64_t)json_integer_value(
		    json_object_get(row, "id")), &n)) != HE_OK) {
			json_decref(l.rows);
			return rc;
		}
		json_object_set_new(row, "pipeline", json_integer((json_int_t)n));
	}
	*rows = l.rows;
	if (total)
		*total = l.pos;
	return HE_OK;
}

int
role_is_manager(struct store *st, DB_TXN *txn, uint64_t id, uint64_t user)
{
	json_t *role;
	int rc, is;

	if (user == 0)
		return HE_NOTFOUND;
	if ((rc = store_role_get(st, txn, id, 0, &role)) != HE_OK)
		return rc;
	is = role_has_id(json_object_get(role, "managers"), user);
	json_decref(role);
	return is ? HE_OK : HE_NOTFOUND;
}

/* ---- comments ---- */

static int
comment_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct edit *e = arg;
	struct tl_actor ta;
	char name[256];
	json_t *role, *list, *c, *detail;
	int rc;

	if ((rc = store_role_get(st, txn, e->id, 1, &role)) != HE_OK)
		return rc;
	role_actor(st, txn, e->who, &ta, name, sizeof name);
	list = json_object_get(role, "comments");
	if (!json_is_array(list))
		json_object_set_new(role, "comments", list = json_array());
	c = json_pack("{s:I, s:I, s:s, s:s}", "at", (json_int_t)clock_now(), "by",
	    (json_int_t)ta.user, "by_name", name, "text", e->text);
	if (list == NULL || c == NULL || json_array_append_new(list, c)) {
		json_decref(role);
		return HE_NOMEM;
	}
	while (json_array_size(list) > ROLE_COMMENTS_KEPT)
		json_array_remove(list, 0);
	if ((rc = store_role_put(st, txn, e->id, role)) == HE_OK)
		rc = role_changed(st, txn);
	json_decref(role);
	if (rc != HE_OK)
		return rc;
	detail = json_pack("{s:I, s:s}", "role", (json_int_t)e->id, "what",
	    "comment");
	rc = detail ? audit_log(st, txn, e->who, "role", 0, detail) : HE_NOMEM;
	json_decref(detail);
	return rc;
}

int
role_comment(struct store *st, const struct audit_actor *who, uint64_t id,
    const char *text)
{
	struct edit e = { .who = who, .id = id, .text = text };

	if (text == NULL || text[strspn(text, " \t\r\n")] == '\0' ||
	    !text_utf8_valid(text, strlen(text)) ||
	    text_chars(text) > ROLE_COMMENT_MAX)
		return HE_INVALID;
	return store_txn(st, comment_txn, &e);
}
