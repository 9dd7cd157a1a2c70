/* test_timeline.c: touchpoints, the timeline, profile edits and stale records */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sodium.h>

#include "crm/audit.h"
#include "crm/auth.h"
#include "crm/candidates.h"
#include "crm/clock.h"
#include "crm/engage.h"
#include "crm/fresh.h"
#include "crm/profile.h"
#include "crm/query.h"
#include "crm/timeline.h"
#include "store/entities.h"
#include "store/store.h"
#include "store/touch.h"
#include "util/he.h"

struct env {
	char dir[64];
	struct store *st;
};

static int
setup(void **state)
{
	struct env *e = calloc(1, sizeof *e);
	unsigned char key[STORE_KEYBYTES];

	if (e == NULL || sodium_init() < 0)
		return -1;
	strcpy(e->dir, "/tmp/hearth-test-timeline-XXXXXX");
	if (mkdtemp(e->dir) == NULL || store_open(&e->st, e->dir, 16, 0) != HE_OK)
		return -1;
	randombytes_buf(key, sizeof key);
	store_set_site_key(e->st, key);
	*state = e;
	return 0;
}

static int
teardown(void **state)
{
	struct env *e = *state;
	char cmd[128];
	int rc;

	clock_set_offset(0);
	store_close(e->st);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", e->dir);
	rc = system(cmd);
	free(e);
	return rc == 0 ? 0 : -1;
}

/* ---- the touchpoint entity ---- */

struct touch_arg {
	uint64_t cand;
	json_t *body;
	uint64_t id;
	size_t n;
};

static int
insert_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct touch_arg *t = arg;

	return store_touch_insert(st, txn, t->cand, t->body, &t->id);
}

static uint64_t
touch(struct env *e, uint64_t cand, const char *kind, long long at)
{
	struct touch_arg t = { cand, json_pack("{s:I, s:s, s:s, s:i, s:s}",
	    "at", (json_int_t)at, "kind", kind, "channel", kind, "by", 0,
	    "text", kind), 0, 0 };

	assert_non_null(t.body);
	assert_int_equal(store_txn(e->st, insert_txn, &t), HE_OK);
	json_decref(t.body);
	return t.id;
}

struct seen {
	uint64_t ids[64];
	char kinds[64][16];
	size_t n;
};

static int
see(uint64_t id, json_t *body, void *ctx)
{
	struct seen *s = ctx;

	s->ids[s->n] = id;
	snprintf(s->kinds[s->n], sizeof s->kinds[0], "%s",
	    json_string_value(json_object_get(body, "kind")));
	s->n++;
	return HE_OK;
}

static int
del_all_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct touch_arg *t = arg;

	return store_touch_del_all(st, txn, t->cand, &t->n);
}

static void
touchpoints_walk_newest_first_in_pages(void **state)
{
	struct env *e = *state;
	uint64_t ids[7];
	struct seen s = { .n = 0 };
	struct touch_arg del = { 5, NULL, 0, 0 };
	size_t n;

	/* Neighbours on both sides must never show. */
	touch(e, 4, "note", 100);
	for (size_t i = 0; i < 7; i++)
		ids[i] = touch(e, 5, i % 2 ? "call" : "note", 1000 + (long long)i);
	touch(e, 6, "note", 100);
	assert_int_equal(store_touch_count(e->st, NULL, 5, &n), HE_OK);
	assert_int_equal(n, 7);
	assert_int_equal(store_touch_newest(e->st, NULL, 5, 0, 3, see, &s), HE_OK);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.ids[0], ids[6]);
	assert_int_equal(s.ids[2], ids[4]);
	s.n = 0;
	assert_int_equal(store_touch_newest(e->st, NULL, 5, 6, 3, see, &s), HE_OK);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.ids[0], ids[0]);
	s.n = 0;
	assert_int_equal(store_touch_newest(e->st, NULL, 5, 0, 0, see, &s), HE_OK);
	assert_int_equal(s.n, 7);
	s.n = 0;
	assert_int_equal(store_touch_newest(e->st, NULL, 7, 0, 0, see, &s), HE_OK);
	assert_int_equal(s.n, 0);
	/* Erasure takes every one of them and nobody else's. */
	assert_int_equal(store_txn(e->st, del_all_txn, &del), HE_OK);
	assert_int_equal(del.n, 7);
	assert_int_equal(store_touch_count(e->st, NULL, 5, &n), HE_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_touch_count(e->st, NULL, 4, &n), HE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_touch_count(e->st, NULL, 6, &n), HE_OK);
	assert_int_equal(n, 1);
}

/* The actions of the audit entries about cand, oldest first, as
 * "create edit touchpoint". */
struct actions {
	char s[512];
};

static int
add_action(json_t *entry, void *ctx)
{
	struct actions *a = ctx;
	size_t n = strlen(a->s);

	snprintf(a->s + n, sizeof a->s - n, "%s%s", n ? " " : "",
	    json_string_value(json_object_get(entry, "action")));
	return HE_OK;
}

static void
expect_audit(struct env *e, uint64_t cand, const char *want)
{
	struct actions a = { "" };

	assert_int_equal(audit_each_of(e->st, NULL, cand, add_action, &a), HE_OK);
	assert_string_equal(a.s, want);
}

/* ---- profiles ---- */

static const struct tl_actor recruiter = { 0, "rita@example.org", "127.0.0.1" };

/* A form: "field=value" pairs, interests given as "interests=a,b". */
struct form {
	struct prof_input in;
	char buf[PF__MAX][512];
	const char *interests[8];
	char ibuf[512];
};

static void
form_fill(struct form *f, const char *const *pairs)
{
	memset(f, 0, sizeof *f);
	for (int i = 0; i < PF__MAX; i++)
		f->in.text[i] = "";
	for (; *pairs; pairs++) {
		const char *eq = strchr(*pairs, '=');
		size_t n = (size_t)(eq - *pairs);

		assert_non_null(eq);
		if (n == 9 && strncmp(*pairs, "interests", 9) == 0) {
			char *save = NULL, *w;

			snprintf(f->ibuf, sizeof f->ibuf, "%s", eq + 1);
			for (w = strtok_r(f->ibuf, ",", &save); w;
			    w = strtok_r(NULL, ",", &save))
				f->interests[f->in.ninterests++] = w;
			continue;
		}
		for (int k = 0; k < PF__MAX; k++)
			if (strlen(prof_fields[k]) == n &&
			    strncmp(prof_fields[k], *pairs, n) == 0) {
				snprintf(f->buf[k], sizeof f->buf[k], "%s", eq + 1);
				f->in.text[k] = f->buf[k];
			}
	}
	f->in.interests = f->interests;
}

/* A form set to a record's values, as the edit page fills it. */
static void
form_of(struct form *f, json_t *rec)
{
	memset(f, 0, sizeof *f);
	for (int k = 0; k < PF__MAX; k++) {
		char *v = prof_form_value(rec, k);

		assert_non_null(v);
		snprintf(f->buf[k], sizeof f->buf[k], "%s", v);
		f->in.text[k] = f->buf[k];
		free(v);
	}
	snprintf(f->ibuf, sizeof f->ibuf, "%s", f->buf[PF_INTERESTS]);
	for (char *save = NULL, *w = strtok_r(f->ibuf, ",", &save); w;
	    w = strtok_r(NULL, ",", &save))
		f->interests[f->in.ninterests++] = w;
	f->in.interests = f->interests;
}

static void
form_set(struct form *f, enum prof_field k, const char *v)
{
	snprintf(f->buf[k], sizeof f->buf[k], "%s", v);
	f->in.text[k] = f->buf[k];
}

static uint64_t
create(struct env *e, const char *email, const char *name)
{
	const char *pairs[] = { NULL, NULL, "source=LinkedIn",
	    "basis=legitimate_interest", "basis_note=Open to work on LinkedIn",
	    NULL };
	char ebuf[128], nbuf[128];
	struct form f;
	struct prof_errors errs;
	uint64_t id = 0;

	snprintf(ebuf, sizeof ebuf, "email=%s", email);
	snprintf(nbuf, sizeof nbuf, "first_name=%s", name);
	pairs[0] = ebuf;
	pairs[1] = nbuf;
	form_fill(&f, pairs);
	assert_int_equal(prof_create(e->st, &f.in, &recruiter, &errs, &id), HE_OK);
	assert_true(id > 0);
	return id;
}

static json_t *
get(struct env *e, uint64_t id)
{
	json_t *rec;

	assert_int_equal(store_cand_get(e->st, NULL, id, 0, &rec), HE_OK);
	return rec;
}

static const char *
field_error_of(const struct prof_errors *errs, enum prof_field f)
{
	for (size_t i = 0; i < errs->n; i++)
		if (errs->e[i].field == f)
			return errs->e[i].message;
	return NULL;
}

static void
forms_are_checked_field_by_field(void **state)
{
	static const struct {
		const char *pairs[8];
		int adding;
		enum prof_field bad;	/* PF__MAX: valid */
	} cases[] = {
		{ { "first_name=Ana", "email=ana@example.org", "source=x",
		    "status=engaged", "basis=consent", NULL }, 0, PF__MAX },
		{ { "last_name=Silva", "email=ana@example.org", "source=x",
		    "basis=consent", "basis_note=by phone", NULL }, 1, PF__MAX },
		{ { "email=ana@example.org", "source=x", "status=engaged",
		    "basis=consent", NULL }, 0, PF_FIRST_NAME },
		{ { "first_name=Ana", "email=ana@", "source=x", "status=engaged",
		    "basis=consent", NULL }, 0, PF_EMAIL },
		{ { "first_name=Ana", "source=x", "status=engaged", "basis=consent",
		    NULL }, 0, PF_EMAIL },
		{ { "first_name=Ana", "email=a@example.org", "phone=12ab34",
		    "source=x", "status=engaged", "basis=consent", NULL }, 0, PF_PHONE },
		{ { "first_name=Ana", "email=a@example.org", "url=linkedin.com/in/a",
		    "source=x", "status=engaged", "basis=consent", NULL }, 0, PF_URL },
		{ { "first_name=Ana", "email=a@example.org", "seniority=guru",
		    "source=x", "status=engaged", "basis=consent", NULL }, 0,
		    PF_SENIORITY },
		{ { "first_name=Ana", "email=a@example.org", "status=engaged",
		    "basis=consent", NULL }, 0, PF_SOURCE },
		{ { "first_name=Ana", "email=a@example.org", "source=x",
		    "tags=ok, this tag is far too long to be any kind of tag at all",
		    "status=engaged", "basis=consent", NULL }, 0, PF_TAGS },
		{ { "first_name=Ana", "email=a@example.org", "source=x",
		    "skills=a skill that is much longer than forty characters",
		    "status=engaged", "basis=consent", NULL }, 0, PF_SKILLS },
		{ { "first_name=Ana", "email=a@example.org", "source=x",
		    "status=famous", "basis=consent", NULL }, 0, PF_STATUS },
		{ { "first_name=Ana", "email=a@example.org", "source=x",
		    "owner=x1", "status=engaged", "basis=consent", NULL }, 0,
		    PF_OWNER },
		{ { "first_name=Ana", "email=a@example.org", "source=x",
		    "status=engaged", NULL }, 0, PF_BASIS },
		{ { "first_name=Ana", "email=a@example.org", "source=x",
		    "status=engaged", "basis=legitimate_interest", NULL }, 0,
		    PF_BASIS_NOTE },
		/* Added by hand: how consent was obtained is required. */
		{ { "first_name=Ana", "email=a@example.org", "source=x",
		    "basis=consent", NULL }, 1, PF_BASIS_NOTE },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct prof_errors errs = { 0 };
		struct form f;
		size_t n;

		form_fill(&f, cases[i].pairs);
		n = prof_check(&f.in, cases[i].adding, &errs);
		if (cases[i].bad == PF__MAX) {
			if (n)
				print_error("case %zu: %s\n", i, errs.e[0].message);
			assert_int_equal(n, 0);
		} else {
			if (n != 1 || errs.e[0].field != cases[i].bad)
				print_error("case %zu: %zu errors, first on %s\n", i, n,
				    n ? prof_fields[errs.e[0].field] : "-");
			assert_int_equal(n, 1);
			assert_int_equal(errs.e[0].field, cases[i].bad);
		}
	}
}

static void
adding_refuses_a_known_email(void **state)
{
	struct env *e = *state;
	uint64_t ana = create(e, "ana@example.org", "Ana");
	const char *pairs[] = { "first_name=Other", "email=ANA@example.org",
	    "source=x", "basis=consent", "basis_note=asked at a meetup", NULL };
	struct prof_errors errs;
	struct form f;
	json_t *rec = get(e, ana);
	uint64_t id;
	size_t n;

	assert_string_equal(json_string_value(json_object_get(rec, "status")),
	    "sourced");
	assert_string_equal(json_string_value(json_object_get(json_object_get(rec,
	    "basis"), "kind")), "legitimate_interest");
	assert_true(json_integer_value(json_object_get(rec, "joined")) > 0);
	json_decref(rec);
	form_fill(&f, pairs);
	assert_int_equal(prof_create(e->st, &f.in, &recruiter, &errs, &id),
	    HE_INVALID);
	assert_int_equal(errs.existing, ana);
	assert_non_null(field_error_of(&errs, PF_EMAIL));
	assert_int_equal(store_cand_count(e->st, NULL, &n), HE_OK);
	assert_int_equal(n, 1);
	/* The creation is on the timeline. */
	assert_int_equal(store_touch_count(e->st, NULL, ana, &n), HE_OK);
	assert_int_equal(n, 1);
}

struct kinds {
	char v[16][16];
	size_t n;
};

static int
touch_kind(uint64_t id, json_t *body, void *ctx)
{
	struct kinds *k = ctx;

	(void)id;
	snprintf(k->v[k->n++], sizeof k->v[0], "%s",
	    json_string_value(json_object_get(body, "kind")));
	return HE_OK;
}

static void
edits_save_changes_and_refuse_stale_forms(void **state)
{
	struct env *e = *state;
	uint64_t ana = create(e, "ana@example.org", "Ana");
	uint64_t bea = create(e, "bea@example.org", "Bea");
	uint64_t owner, hm;
	struct prof_errors errs;
	struct form f, late;
	char version[PROF_VERSION_SIZE], late_version[PROF_VERSION_SIZE];
	struct kinds k = { .n = 0 };
	json_t *rec;
	int64_t updated, late_updated;
	size_t changed;

	assert_int_equal(auth_user_add(e->st, NULL, "owner@example.org", "Owen",
	    "a long password", ROLE_RECRUITER, &owner), HE_OK);
	assert_int_equal(auth_user_add(e->st, NULL, "hm@example.org", "",
	    "a long password", ROLE_HIRING_MANAGER, &hm), HE_OK);
	rec = get(e, ana);
	form_of(&f, rec);
	form_of(&late, rec);
	prof_version(rec, version);
	memcpy(late_version, version, sizeof version);
	updated = late_updated = json_integer_value(json_object_get(rec, "updated"));
	json_decref(rec);

	/* Nothing changed: nothing written. */
	assert_int_equal(prof_update(e->st, ana, &f.in, updated, version,
	    &recruiter, &errs, &changed), HE_OK);
	assert_int_equal(changed, 0);

	/* Another candidate's email is a field error naming them. */
	form_set(&f, PF_EMAIL, "bea@example.org");
	assert_int_equal(prof_update(e->st, ana, &f.in, updated, version,
	    &recruiter, &errs, &changed), HE_INVALID);
	assert_int_equal(errs.existing, bea);
	assert_non_null(field_error_of(&errs, PF_EMAIL));
	/* A hiring manager cannot own candidates. */
	form_set(&f, PF_EMAIL, "ana.new@example.org");
	snprintf(f.buf[PF_OWNER], sizeof f.buf[0], "%llu", (unsigned long long)hm);
	assert_int_equal(prof_update(e->st, ana, &f.in, updated, version,
	    &recruiter, &errs, &changed), HE_INVALID);
	assert_non_null(field_error_of(&errs, PF_OWNER));
	rec = get(e, ana);
	assert_string_equal(json_string_value(json_object_get(rec, "email")),
	    "ana@example.org");
	json_decref(rec);

	snprintf(f.buf[PF_OWNER], sizeof f.buf[0], "%llu",
	    (unsigned long long)owner);
	form_set(&f, PF_STATUS, "contacted");
	form_set(&f, PF_TAGS, "Backend, ALUMNI,backend");
	form_set(&f, PF_TITLE, "Staff Engineer");
	assert_int_equal(prof_update(e->st, ana, &f.in, updated, version,
	    &recruiter, &errs, &changed), HE_OK);
	assert_int_equal(changed, 5);	/* email, title, tags, owner, status */
	rec = get(e, ana);
	assert_string_equal(json_string_value(json_object_get(rec, "email")),
	    "ana.new@example.org");
	assert_string_equal(json_string_value(json_object_get(rec, "status")),
	    "contacted");
	assert_int_equal(json_array_size(json_object_get(rec, "tags")), 2);
	assert_string_equal(json_string_value(json_array_get(json_object_get(rec,
	    "tags"), 1)), "alumni");
	assert_int_equal(json_integer_value(json_object_get(rec, "owner")), owner);
	json_decref(rec);
	/* The old address is free again, the new one taken. */
	assert_int_equal(store_touch_newest(e->st, NULL, ana, 0, 0, touch_kind, &k),
	    HE_OK);
	assert_int_equal(k.n, 4);	/* created, edit, status, owner */
	for (size_t i = 0; i < k.n; i++)
		assert_true(strcmp(k.v[i], "created") == 0 ||
		    strcmp(k.v[i], "edit") == 0 || strcmp(k.v[i], "status") == 0 ||
		    strcmp(k.v[i], "owner") == 0);

	/* The second form was filled in before that save: refused, and
	 * nothing of it is kept, even within the same second. */
	form_set(&late, PF_CITY, "Porto");
	assert_int_equal(prof_update(e->st, ana, &late.in, late_updated,
	    late_version, &recruiter, &errs, &changed), HE_EXPIRED);
	rec = get(e, ana);
	assert_string_equal(json_string_value(json_object_get(rec, "city")) ?: "",
	    "");
	assert_string_equal(json_string_value(json_object_get(rec, "title")),
	    "Staff Engineer");
	json_decref(rec);
	/* One entry per save: the creation, the edit; refusals leave none. */
	expect_audit(e, ana, "create edit");
}

/* ---- touchpoints and the timeline ---- */

static int64_t
engaged_of(struct env *e, uint64_t id)
{
	json_t *rec = get(e, id);
	int64_t t = json_integer_value(json_object_get(rec, "last_engaged"));

	json_decref(rec);
	return t;
}

static void
log_entry(struct env *e, uint64_t id, const char *channel, const char *outcome,
    const char *text, int64_t at, int want)
{
	struct tl_entry t = { channel, outcome, text, at };

	assert_int_equal(tl_log_one(e->st, id, &t, &recruiter, NULL), want);
}

static void
engagements_set_last_engaged(void **state)
{
	struct env *e = *state;
	uint64_t ana = create(e, "ana@example.org", "Ana");
	int64_t now = clock_now();

	assert_int_equal(engaged_of(e, ana), 0);
	log_entry(e, ana, "call", "no_answer", "", 0, HE_OK);
	log_entry(e, ana, "email", "sent", "Wrote about the data role", 0, HE_OK);
	log_entry(e, ana, "note", "", "Prefers mornings", 0, HE_OK);
	assert_int_equal(engaged_of(e, ana), 0);
	log_entry(e, ana, "call", "answered", "", now - 3 * 86400, HE_OK);
	assert_int_equal(engaged_of(e, ana), now - 3 * 86400);
	/* An older engagement logged later leaves the newer one. */
	log_entry(e, ana, "event", "attended", "", now - 9 * 86400, HE_OK);
	assert_int_equal(engaged_of(e, ana), now - 3 * 86400);
	log_entry(e, ana, "linkedin", "reply", "", 0, HE_OK);
	assert_true(engaged_of(e, ana) >= now);
	/* What does not fit is refused and changes nothing. */
	log_entry(e, ana, "call", "reply", "", 0, HE_INVALID);
	log_entry(e, ana, "fax", "sent", "", 0, HE_INVALID);
	log_entry(e, ana, "note", "", "", 0, HE_INVALID);
	log_entry(e, ana, "meeting", "held", "", now + 86400, HE_INVALID);
	log_entry(e, 999, "note", "", "nobody", 0, HE_NOTFOUND);
	expect_audit(e, ana, "create touchpoint touchpoint touchpoint touchpoint "
	    "touchpoint touchpoint");
	assert_true(tl_engaging("meeting", "held"));
	assert_false(tl_engaging("meeting", "no_show"));
	assert_false(tl_engaging("note", ""));
}

static void
expect_text_finds(struct env *e, const char *text, uint64_t want)
{
	struct cand_query q;
	roaring_bitmap_t *ids;

	cand_query_init(&q);
	snprintf(q.text, sizeof q.text, "%s", text);
	assert_int_equal(cand_search_ids(e->st, NULL, &q, &ids), HE_OK);
	assert_int_equal(roaring_bitmap_get_cardinality(ids), want ? 1 : 0);
	if (want)
		assert_true(roaring_bitmap_contains(ids, (uint32_t)want));
	roaring_bitmap_free(ids);
}

static void
notes_are_found_by_the_list_search(void **state)
{
	struct env *e = *state;
	uint64_t ana = create(e, "ana@example.org", "Ana");

	create(e, "bea@example.org", "Bea");
	expect_text_finds(e, "kubernetes", 0);
	log_entry(e, ana, "note", "", "Knows Kubernetes inside out; ask about "
	    "the Zürich office", 0, HE_OK);
	expect_text_finds(e, "kubernetes", ana);
	expect_text_finds(e, "zurich", ana);
	expect_text_finds(e, "kubernetes ana", ana);
	expect_text_finds(e, "kubernetes -ana", 0);
	/* A call's summary is searchable too. */
	log_entry(e, ana, "call", "voicemail", "Left word about Haskell", 0, HE_OK);
	expect_text_finds(e, "haskell", ana);
}

struct mail_arg {
	uint64_t cand;
	int64_t created_us;
};

static int
mail_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct mail_arg *m = arg;
	uint64_t id;
	json_t *mail = json_pack("{s:s, s:s, s:I, s:s, s:I}", "kind", "confirm",
	    "to", "ana@example.org", "cand", (json_int_t)m->cand, "state", "sent",
	    "created", (json_int_t)m->created_us);
	int rc = store_mail_insert(st, txn, mail, &id);

	json_decref(mail);
	return rc;
}

static int
event_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct mail_arg *m = arg;
	char head[STORE_CONSENT_HEAD];
	json_t *ev = json_pack("{s:s, s:I, s:s}", "type", "granted", "at",
	    (json_int_t)m->created_us, "method", "web_form");
	int rc = store_consent_append(st, txn, m->cand, ev, head);

	json_decref(ev);
	return rc;
}

static void
the_timeline_merges_newest_first_in_pages(void **state)
{
	struct env *e = *state;
	uint64_t ana = create(e, "ana@example.org", "Ana");
	int64_t now = clock_now();
	struct mail_arg m = { ana, (now - 5 * 86400) * 1000000LL };
	struct mail_arg ev = { ana, (now - 6 * 86400) * 1000000LL };
	json_t *page;
	size_t total;
	const char *order[] = { "created", "call", "note", "mail", "granted",
	    "meeting" };

	/* Logged out of time order: the timeline goes by time. */
	log_entry(e, ana, "meeting", "held", "", now - 7 * 86400, HE_OK);
	log_entry(e, ana, "note", "", "Met at the meetup", now - 2 * 86400, HE_OK);
	log_entry(e, ana, "call", "answered", "", now - 86400, HE_OK);
	assert_int_equal(store_txn(e->st, mail_txn, &m), HE_OK);
	assert_int_equal(store_txn(e->st, event_txn, &ev), HE_OK);
	assert_int_equal(tl_page(e->st, ana, 0, 4, &page, &total), HE_OK);
	assert_int_equal(total, 6);
	assert_int_equal(json_array_size(page), 4);
	for (size_t i = 0; i < 4; i++)
		assert_string_equal(json_string_value(json_object_get(
		    json_array_get(page, i), "kind")), order[i]);
	assert_string_equal(json_string_value(json_object_get(json_array_get(page,
	    1), "by_name")), recruiter.name);
	assert_string_equal(json_string_value(json_object_get(json_array_get(page,
	    3), "source")), "mail");
	json_decref(page);
	assert_int_equal(tl_page(e->st, ana, 4, 4, &page, &total), HE_OK);
	assert_int_equal(json_array_size(page), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(page,
	    0), "kind")), order[4]);
	assert_string_equal(json_string_value(json_object_get(json_array_get(page,
	    1), "kind")), order[5]);
	json_decref(page);
	assert_int_equal(tl_page(e->st, 999, 0, 4, &page, &total), HE_NOTFOUND);
}

static void
days_typed_become_times(void **state)
{
	int64_t now = 1767225600 + 13 * 3600;	/* 2026-01-01 13:00 UTC */
	int64_t at;

	(void)state;
	assert_int_equal(tl_parse_day("2026-01-01", now, &at), HE_OK);
	assert_int_equal(at, now);
	assert_int_equal(tl_parse_day("2025-12-24", now, &at), HE_OK);
	assert_int_equal(at, 1766577600);	/* 2025-12-24 12:00 UTC */
	assert_int_equal(tl_parse_day("2026-01-02", now, &at), HE_INVALID);
	assert_int_equal(tl_parse_day("2025-02-30", now, &at), HE_INVALID);
	assert_int_equal(tl_parse_day("1985-05-05", now, &at), HE_INVALID);
	assert_int_equal(tl_parse_day("25-12-24", now, &at), HE_INVALID);
	assert_int_equal(tl_parse_day("2025-12-24x", now, &at), HE_INVALID);
}

/* ---- stale records ---- */

static int
set_engaged_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct mail_arg *m = arg;	/* cand and a time in seconds */
	json_t *rec;
	int rc;

	if ((rc = store_cand_get(st, txn, m->cand, 1, &rec)) != HE_OK)
		return rc;
	json_object_set_new(rec, "last_engaged", json_integer(m->created_us));
	/* An engagement at that time, as a touchpoint logged by hand scores
	 * (levels come from the score). 0: an update, no engagement. */
	if (m->created_us > 0 &&
	    (rc = engage_add(rec, ENGAGE_TOUCH, m->created_us)) != HE_OK) {
		json_decref(rec);
		return rc;
	}
	rc = cand_save(st, txn, m->cand, rec);
	json_decref(rec);
	return rc;
}

static void
set_engaged(struct env *e, uint64_t id, int64_t at)
{
	struct mail_arg m = { id, at };

	assert_int_equal(store_txn(e->st, set_engaged_txn, &m), HE_OK);
}

static void
expect_stale(struct env *e, const uint64_t *want, size_t n)
{
	struct cand_query q;
	roaring_bitmap_t *ids;

	cand_query_init(&q);
	q.stale = 1;
	assert_int_equal(cand_search_ids(e->st, NULL, &q, &ids), HE_OK);
	if (roaring_bitmap_get_cardinality(ids) != n)
		print_error("%llu stale, want %zu\n", (unsigned long long)
		    roaring_bitmap_get_cardinality(ids), n);
	assert_int_equal(roaring_bitmap_get_cardinality(ids), n);
	for (size_t i = 0; i < n; i++)
		assert_true(roaring_bitmap_contains(ids, (uint32_t)want[i]));
	roaring_bitmap_free(ids);
	for (size_t i = 0; i < n; i++) {
		json_t *rec = get(e, want[i]);

		assert_true(json_is_true(json_object_get(rec, "stale")));
		json_decref(rec);
	}
}

static const char *
level_of(struct env *e, uint64_t id, char buf[8])
{
	json_t *rec = get(e, id);

	snprintf(buf, 8, "%s", json_string_value(json_object_get(rec, "level")));
	json_decref(rec);
	return buf;
}

/* The worker's steps, a few records at a time, until the day is done. */
static void
steps(struct env *e, size_t batch, struct fresh_stats *s)
{
	int more = 1, n = 0;

	memset(s, 0, sizeof *s);
	while (more) {
		assert_int_equal(fresh_step(e->st, 12, batch, s, &more), HE_OK);
		assert_true(++n < 1000);
	}
}

static void
the_stale_pass_flags_exactly_the_right_records(void **state)
{
	struct env *e = *state;
	int64_t now = clock_now();
	uint64_t old = create(e, "old@example.org", "Old");
	uint64_t hot = create(e, "hot@example.org", "Hot");
	uint64_t warm = create(e, "warm@example.org", "Warm");
	uint64_t later = create(e, "later@example.org", "Later");
	uint64_t edited = create(e, "edited@example.org", "Edited");
	struct fresh_stats s;
	char buf[8];

	/* Levels come from the engagement score (engage.h: 5 for the
	 * touchpoint, halved every 30 days; hot from 2.5, warm from 0.5):
	 * 20 days ago 3.15, hot; 60 days ago 1.25, warm. */
	set_engaged(e, hot, now - 20 * 86400);
	set_engaged(e, warm, now - 60 * 86400);
	/* Engaged a year and a month from now (as an import might say). */
	set_engaged(e, later, now + 395 * 86400);
	assert_string_equal(level_of(e, hot, buf), "hot");
	assert_string_equal(level_of(e, warm, buf), "warm");

	/* Today nothing is stale; a second step the same day does nothing. */
	steps(e, 2, &s);
	assert_int_equal(s.flagged, 0);
	assert_int_equal(s.levels, 0);
	expect_stale(e, NULL, 0);
	steps(e, 2, &s);
	assert_int_equal(s.looked, 0);

	/* Fifteen days on: hot has cooled to warm (2.22), warm is still
	 * warm (0.88), and only the first was read. */
	clock_set_offset(15 * 86400);
	steps(e, 2, &s);
	assert_int_equal(s.looked, 1);
	assert_int_equal(s.levels, 1);
	assert_string_equal(level_of(e, hot, buf), "warm");
	assert_string_equal(level_of(e, warm, buf), "warm");

	/* Thirteen months on, one record edited that day: the others but
	 * the one engaged later are stale, and warm ones are cold (their
	 * scores have halved more than ten times). */
	clock_set_offset(400 * 86400);
	set_engaged(e, edited, 0);	/* an update, no engagement */
	steps(e, 2, &s);
	assert_int_equal(s.flagged, 3);
	expect_stale(e, (uint64_t[]){ old, hot, warm }, 3);
	assert_string_equal(level_of(e, hot, buf), "cold");
	assert_string_equal(level_of(e, warm, buf), "cold");
	assert_string_equal(level_of(e, later, buf), "hot");
	{
		/* Flagging is no edit: "updated" stayed where it was. */
		json_t *rec = get(e, old);

		assert_true(json_integer_value(json_object_get(rec, "updated")) <
		    now + 86400);
		json_decref(rec);
	}

	/* Verifying clears the flag; engaging does too; the pass of the
	 * next day leaves them clear, and the run of hearthctl agrees. */
	assert_int_equal(prof_verify(e->st, old, &recruiter), HE_OK);
	log_entry(e, hot, "call", "answered", "", 0, HE_OK);
	expect_stale(e, (uint64_t[]){ warm }, 1);
	clock_set_offset(401 * 86400);
	steps(e, 1, &s);
	assert_int_equal(s.flagged, 0);
	expect_stale(e, (uint64_t[]){ warm }, 1);
	memset(&s, 0, sizeof s);
	assert_int_equal(fresh_run(e->st, 12, &s), HE_OK);
	assert_int_equal(s.flagged + s.cleared, 0);
	/* Two years on, with a 36-month setting: a stale flag that no longer
	 * holds is cleared by the pass. */
	clock_set_offset(402 * 86400);
	memset(&s, 0, sizeof s);
	assert_int_equal(fresh_run(e->st, 36, &s), HE_OK);
	assert_int_equal(s.cleared, 1);
	expect_stale(e, NULL, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(touchpoints_walk_newest_first_in_pages,
		    setup, teardown),
		cmocka_unit_test(forms_are_checked_field_by_field),
		cmocka_unit_test_setup_teardown(adding_refuses_a_known_email,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    edits_save_changes_and_refuse_stale_forms, setup, teardown),
		cmocka_unit_test_setup_teardown(engagements_set_last_engaged,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(notes_are_found_by_the_list_search,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    the_timeline_merges_newest_first_in_pages, setup, teardown),
		cmocka_unit_test(days_typed_become_times),
		cmocka_unit_test_setup_teardown(
		    the_stale_pass_flags_exactly_the_right_records, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
