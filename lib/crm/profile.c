/* profile.c: editing a candidate's details, adding one by hand, verifying */
#include <errno.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm/candidates.h"
#include "crm/clock.h"
#include "crm/community.h"
#include "crm/index.h"
#include "crm/profile.h"
#include "crm/timeline.h"
#include "store/entities.h"
#include "store/store.h"
#include "util/he.h"
#include "util/text.h"
#include "util/token.h"

const char *const prof_fields[PF__MAX] = {
	[PF_FIRST_NAME] = "first_name", [PF_LAST_NAME] = "last_name",
	[PF_EMAIL] = "email", [PF_PHONE] = "phone", [PF_TITLE] = "title",
	[PF_CITY] = "city", [PF_COUNTRY] = "country", [PF_REMOTE] = "remote",
	[PF_SENIORITY] = "seniority", [PF_INTERESTS] = "interests",
	[PF_SKILLS] = "skills", [PF_URL] = "url", [PF_SOURCE] = "source",
	[PF_TAGS] = "tags", [PF_OWNER] = "owner", [PF_STATUS] = "status",
	[PF_BASIS] = "basis", [PF_BASIS_NOTE] = "basis_note",
};

const char *const prof_bases[] = { "consent", "legitimate_interest", NULL };

static void
error_add(struct prof_errors *errs, enum prof_field f, const char *fmt, ...)
{
	va_list ap;

	if (errs->n == PF__MAX)
		return;
	/* One message per field: the first found. */
	for (size_t i = 0; i < errs->n; i++)
		if (errs->e[i].field == f)
			return;
	errs->e[errs->n].field = f;
	va_start(ap, fmt);
	vsnprintf(errs->e[errs->n].message, sizeof errs->e[0].message, fmt, ap);
	va_end(ap);
	errs->n++;
}

static const char *
in_text(const struct prof_input *in, enum prof_field f)
{
	return in->text[f] ? in->text[f] : "";
}

static int
known(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (strcmp(*list, s) == 0)
			return 1;
	return 0;
}

/* Splits the comma-separated tags into a new array of normalised,
 * distinct tags; the first that cannot be one is copied to bad. */
static int
parse_tags(const char *text, json_t **out, char *bad, size_t badlen)
{
	json_t *arr = json_array();
	const char *p = text;

	if (arr == NULL)
		return HE_NOMEM;
	while (*p) {
		size_t n = strcspn(p, ",");
		char raw[CAND_TAG_SIZE * 2], tag[CAND_TAG_SIZE];
		const char *s = p;
		int dup = 0;

		p += n + (p[n] != '\0');
		while (n > 0 && (*s == ' ' || *s == '\t'))
			s++, n--;
		while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		if (n == 0)
			continue;
		if (n >= sizeof raw || (memcpy(raw, s, n), raw[n] = 0,
		    cand_tag_normalise(raw, tag)) != HE_OK) {
			snprintf(bad, badlen, "%.*s", n > 60 ? 60 : (int)n, s);
			json_decref(arr);
			return HE_INVALID;
		}
		for (size_t i = 0; i < json_array_size(arr); i++)
			dup |= strcmp(json_string_value(json_array_get(arr, i)), tag) == 0;
		if (dup)
			continue;
		if (json_array_size(arr) == PROF_TAGS_MAX) {
			bad[0] = 0;
			json_decref(arr);
			return HE_INVALID;
		}
		json_array_append_new(arr, json_string(tag));
	}
	*out = arr;
	return HE_OK;
}

static int
parse_owner(const char *s, uint64_t *owner)
{
	char *end;
	unsigned long long n;

	*owner = 0;
	if (*s == '\0')
		return HE_OK;
	errno = 0;
	n = strtoull(s, &end, 10);
	if (s[0] < '0' || s[0] > '9' || *end || errno || n > UINT32_MAX)
		return HE_INVALID;
	*owner = n;
	return HE_OK;
}

size_t
prof_check(const struct prof_input *in, int adding, struct prof_errors *errs)
{
	size_t before = errs->n;
	const char *basis = in_text(in, PF_BASIS), *s;
	json_t *arr = NULL;
	char bad[64];
	uint64_t owner;

	if (!in_text(in, PF_FIRST_NAME)[0] && !in_text(in, PF_LAST_NAME)[0])
		error_add(errs, PF_FIRST_NAME, "Please give a name: a first name, "
		    "a last name or both.");
	s = in_text(in, PF_EMAIL);
	if (!s[0]) {
		error_add(errs, PF_EMAIL, "Please give an email address: it is how "
		    "we tell people apart.");
	} else {
		char *norm = NULL;

		if (text_email_normalise(s, &norm) != HE_OK)
			error_add(errs, PF_EMAIL, "This does not look like an email "
			    "address. It should look like name@example.com.");
		free(norm);
	}
	if ((s = in_text(in, PF_PHONE))[0] && !comm_phone_ok(s))
		error_add(errs, PF_PHONE, "This does not look like a phone number: "
		    "use 6 to 20 digits, with spaces or + ( ) - . if you like.");
	if ((s = in_text(in, PF_SENIORITY))[0] && !comm_seniority_known(s))
		error_add(errs, PF_SENIORITY, "Please choose one of the levels shown.");
	if (comm_skills_parse(in_text(in, PF_SKILLS), &arr) != HE_OK)
		error_add(errs, PF_SKILLS, "Skills: at most %d, each at most %d "
		    "characters, with commas between them.", COMM_SKILLS_MAX,
		    COMM_SKILL_MAX);
	json_decref(arr);
	arr = NULL;
	if ((s = in_text(in, PF_URL))[0] && !comm_url_ok(s))
		error_add(errs, PF_URL, "This does not look like a web address: it "
		    "should start with https:// (say, a LinkedIn profile).");
	if (!in_text(in, PF_SOURCE)[0])
		error_add(errs, PF_SOURCE, "Please say where this candidate came "
		    "from: say, LinkedIn, a referral or an event.");
	if (parse_tags(in_text(in, PF_TAGS), &arr, bad, sizeof bad) != HE_OK) {
		if (bad[0])
			error_add(errs, PF_TAGS, "\"%s\" cannot be a tag: tags are 1 to "
			    "40 characters, with commas between them.", bad);
		else
			error_add(errs, PF_TAGS, "At most %d tags, please.",
			    PROF_TAGS_MAX);
	}
	json_decref(arr);
	if (parse_owner(in_text(in, PF_OWNER), &owner) != HE_OK)
		error_add(errs, PF_OWNER, "Please choose an owner from the list.");
	s = in_text(in, PF_STATUS);
	if (!adding && !cand_status_known(s))
		error_add(errs, PF_STATUS, "Please choose a status from the list.");
	if (!known(prof_bases, basis))
		error_add(errs, PF_BASIS, "Please choose the lawful basis on which "
		    "we hold this person's details.");
	else if (!in_text(in, PF_BASIS_NOTE)[0] &&
	    strcmp(basis, "legitimate_interest") == 0)
		error_add(errs, PF_BASIS_NOTE, "Please note the legitimate interest: "
		    "why we may hold their details without their consent.");
	else if (!in_text(in, PF_BASIS_NOTE)[0] && adding)
		error_add(errs, PF_BASIS_NOTE, "Please say how consent was obtained: "
		    "when, how and by whom.");
	return errs->n - before;
}

/* The record fields a form makes (after prof_check found no error). */
static json_t *
build(const struct prof_input *in, int adding)
{
	const char *first = in_text(in, PF_FIRST_NAME), *last = in_text(in, PF_LAST_NAME);
	json_t *rec, *interests = json_array(), *skills = NULL, *tags = NULL;
	char *email = NULL, *name = NULL, bad[64];
	uint64_t owner = 0;

	if (interests == NULL ||
	    text_email_normalise(in_text(in, PF_EMAIL), &email) != HE_OK ||
	    comm_skills_parse(in_text(in, PF_SKILLS), &skills) != HE_OK ||
	    parse_tags(in_text(in, PF_TAGS), &tags, bad, sizeof bad) != HE_OK ||
	    parse_owner(in_text(in, PF_OWNER), &owner) != HE_OK ||
	    asprintf(&name, "%s%s%s", first, first[0] && last[0] ? " " : "",
	    last) < 0) {
		json_decref(interests);
		json_decref(skills);
		json_decref(tags);
		free(email);
		return NULL;
	}
	for (size_t i = 0; i < in->ninterests; i++)
		json_array_append_new(interests, json_string(in->interests[i]));
	rec = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:o,"
	    " s:o, s:s, s:s, s:o, s:s, s:{s:s, s:s}}",
	    "first_name", first, "last_name", last, "name", name,
	    "email", email, "phone", in_text(in, PF_PHONE),
	    "title", in_text(in, PF_TITLE), "city", in_text(in, PF_CITY),
	    "country", in_text(in, PF_COUNTRY),
	    "remote", in_text(in, PF_REMOTE)[0] != '\0',
	    "seniority", in_text(in, PF_SENIORITY),
	    "interests", interests, "skills", skills,
	    "url", in_text(in, PF_URL), "source", in_text(in, PF_SOURCE),
	    "tags", tags,
	    "status", adding ? "sourced" : in_text(in, PF_STATUS),
	    "basis", "kind", in_text(in, PF_BASIS),
	    "note", in_text(in, PF_BASIS_NOTE));
	if (rec && owner)
		json_object_set_new(rec, "owner", json_integer((json_int_t)owner));
	free(email);
	free(name);
	return rec;
}

static char *
join(json_t *arr, const char *sep)
{
	char *buf = NULL;
	size_t len = 0, i;
	json_t *v;
	FILE *f = open_memstream(&buf, &len);

	if (f == NULL)
		return NULL;
	json_array_foreach(arr, i, v)
		fprintf(f, "%s%s", i ? sep : "", json_string_value(v) ?: "");
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

char *
prof_form_value(json_t *rec, enum prof_field f)
{
	json_t *v, *basis = json_object_get(rec, "basis");
	char num[24];

	switch (f) {
	case PF_REMOTE:
		return strdup(json_is_true(json_object_get(rec, "remote")) ? "1" : "");
	case PF_INTERESTS:
		return join(json_object_get(rec, "interests"), ",");
	case PF_SKILLS:
	case PF_TAGS:
		return join(json_object_get(rec, prof_fields[f]), ", ");
	case PF_OWNER:
		v = json_object_get(rec, "owner");
		snprintf(num, sizeof num, "%lld", json_is_integer(v) ?
		    (long long)json_integer_value(v) : 0LL);
		return strdup(json_is_integer(v) && json_integer_value(v) > 0 ?
		    num : "");
	case PF_STATUS:
		v = json_object_get(rec, "status");
		return strdup(json_is_string(v) ? json_string_value(v) : "sourced");
	case PF_BASIS:
		return strdup(json_string_value(json_object_get(basis, "kind")) ?: "");
	case PF_BASIS_NOTE:
		return strdup(json_string_value(json_object_get(basis, "note")) ?: "");
	default:
		return strdup(json_string_value(json_object_get(rec,
		    prof_fields[f])) ?: "");
	}
}

void
prof_version(json_t *rec, char out[PROF_VERSION_SIZE])
{
	crypto_generichash_state h;
	unsigned char d[8];

	crypto_generichash_init(&h, NULL, 0, sizeof d);
	for (int f = 0; f < PF__MAX; f++) {
		char *v = prof_form_value(rec, f);

		if (v)
			crypto_generichash_update(&h, (const unsigned char *)v,
			    strlen(v) + 1);
		else	/* cannot happen short of memory: then never a match */
			crypto_generichash_update(&h, (const unsigned char *)"\xff", 1);
		free(v);
	}
	crypto_generichash_final(&h, d, sizeof d);
	sodium_bin2hex(out, PROF_VERSION_SIZE, d, sizeof d);
}

/* Whether field f differs between a and b, as a form shows them. */
static int
differs(json_t *a, json_t *b, enum prof_field f)
{
	char *x = prof_form_value(a, f), *y = prof_form_value(b, f);
	int d = x == NULL || y == NULL || strcmp(x, y) != 0;

	free(x);
	free(y);
	return d;
}

/* The email key of an address: the keyed hash the unique index holds. */
static void
email_key(struct store *st, const char *email, char out[TOK_MACSTRLEN])
{
	tok_mac(st->site_key, "email", email, out);
}

/* An owner must be an active admin or recruiter; the user's email goes to
 * name (size bytes). */
static int
owner_ok(struct store *st, DB_TXN *txn, uint64_t owner, char *name,
    size_t size, struct prof_errors *errs)
{
	json_t *user;
	const char *role;
	int rc = store_user_get(st, txn, owner, &user);

	if (rc == HE_NOTFOUND) {
		error_add(errs, PF_OWNER, "There is no such user: please choose an "
		    "owner from the list.");
		return HE_INVALID;
	}
	if (rc != HE_OK)
		return rc;
	role = json_string_value(json_object_get(user, "role")) ?: "";
	snprintf(name, size, "%s", json_string_value(json_object_get(user,
	    "email")) ?: "");
	if (json_is_true(json_object_get(user, "disabled")) ||
	    (strcmp(role, "admin") != 0 && strcmp(role, "recruiter") != 0)) {
		error_add(errs, PF_OWNER, "%s cannot own candidates: choose an "
		    "admin or a recruiter who can sign in.", name);
		rc = HE_INVALID;
	}
	json_decref(user);
	return rc;
}

/* An email new to this record: free, and not of someone erased. */
static int
email_ok(struct store *st, DB_TXN *txn, const char *key,
    struct prof_errors *errs)
{
	uint64_t other;
	int rc;

	if ((rc = store_suppress_get(st, txn, key)) == HE_OK) {
		error_add(errs, PF_EMAIL, "This person asked us to erase their "
		    "details, so they cannot be added again by hand. They can "
		    "join the talent community themselves.");
		return HE_INVALID;
	}
	if (rc != HE_NOTFOUND)
		return rc;
	rc = store_cand_by_email(st, txn, key, &other);
	if (rc == HE_OK) {
		errs->existing = other;
		error_add(errs, PF_EMAIL, "Someone with this email is already a "
		    "candidate.");
		return HE_INVALID;
	}
	return rc == HE_NOTFOUND ? HE_OK : rc;
}

struct update {
	uint64_t id;
	const struct prof_input *in;
	int64_t updated;
	const char *version;
	const struct tl_actor *who;
	struct prof_errors *errs;
	json_t *form;
	size_t changed;
};

/* The changes of an edit, as touchpoints and one audit entry. */
static int
record_changes(struct store *st, DB_TXN *txn, struct update *u, json_t *old,
    json_t *rec, json_t *fields, const char *owner_name)
{
	json_t *edits = json_array(), *v, *detail;
	size_t i;
	int rc = HE_OK;

	if (edits == NULL)
		return HE_NOMEM;
	json_array_foreach(fields, i, v)
		if (strcmp(json_string_value(v), "status") != 0 &&
		    strcmp(json_string_value(v), "owner") != 0)
			json_array_append(edits, v);
	if (json_array_size(edits) > 0) {
		detail = json_pack("{s:O}", "fields", edits);
		rc = detail ? tl_record(st, txn, u->id, "edit", u->who, NULL, detail) :
		    HE_NOMEM;
		json_decref(detail);
	}
	json_decref(edits);
	if (rc == HE_OK && differs(old, rec, PF_STATUS)) {
		char *from = prof_form_value(old, PF_STATUS);

		detail = json_pack("{s:s?, s:O}", "from", from, "to",
		    json_object_get(rec, "status"));
		rc = detail ? tl_record(st, txn, u->id, "status", u->who, NULL,
		    detail) : HE_NOMEM;
		json_decref(detail);
		free(from);
	}
	if (rc == HE_OK && differs(old, rec, PF_OWNER)) {
		detail = json_pack("{s:O?, s:O?, s:s}", "from",
		    json_object_get(old, "owner"), "to", json_object_get(rec, "owner"),
		    "to_name", owner_name);
		rc = detail ? tl_record(st, txn, u->id, "owner", u->who, NULL,
		    detail) : HE_NOMEM;
		json_decref(detail);
	}
	if (rc == HE_OK) {
		detail = json_pack("{s:O}", "fields", fields);
		rc = detail ? tl_audit(st, txn, u->who, "edit", u->id, detail) :
		    HE_NOMEM;
		json_decref(detail);
	}
	return rc;
}

/* The record keys each form field writes. */
static void
apply_field(json_t *rec, json_t *form, enum prof_field f)
{
	const char *key = prof_fields[f];

	switch (f) {
	case PF_FIRST_NAME:
	case PF_LAST_NAME:
		json_object_set(rec, key, json_object_get(form, key));
		json_object_set(rec, "name", json_object_get(form, "name"));
		break;
	case PF_OWNER:
		if (json_object_get(form, "owner"))
			json_object_set(rec, "owner", json_object_get(form, "owner"));
		else
			json_object_del(rec, "owner");
		break;
	case PF_BASIS:
	case PF_BASIS_NOTE:
		json_object_set(rec, "basis", json_object_get(form, "basis"));
		break;
	default:
		json_object_set(rec, key, json_object_get(form, key));
	}
}

static int
update_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct update *u = arg;
	json_t *old, *rec = NULL, *fields = json_array();
	char version[PROF_VERSION_SIZE], key[TOK_MACSTRLEN], owner_name[256] = "";
	int rc;

	u->errs->n = 0;
	u->errs->existing = 0;
	u->changed = 0;
	if (fields == NULL)
		return HE_NOMEM;
	if ((rc = store_cand_get(st, txn, u->id, 1, &old)) != HE_OK) {
		json_decref(fields);
		return rc;
	}
	prof_version(old, version);
	if (json_integer_value(json_object_get(old, "updated")) != u->updated ||
	    strcmp(version, u->version) != 0) {
		rc = HE_EXPIRED;
		goto out;
	}
	if ((rec = json_deep_copy(old)) == NULL) {
		rc = HE_NOMEM;
		goto out;
	}
	for (int f = 0; f < PF__MAX; f++) {
		const char *name = f == PF_BASIS_NOTE ? "basis" : prof_fields[f];

		if (!differs(old, u->form, f))
			continue;
		apply_field(rec, u->form, f);
		if (f != PF_BASIS_NOTE || !differs(old, u->form, PF_BASIS))
			json_array_append_new(fields, json_string(name));
	}
	if ((u->changed = json_array_size(fields)) == 0)
		goto out;
	/* Consent as the basis, newly claimed by hand, needs its account. */
	if (differs(old, rec, PF_BASIS) &&
	    strcmp(in_text(u->in, PF_BASIS), "consent") == 0 &&
	    !in_text(u->in, PF_BASIS_NOTE)[0])
		error_add(u->errs, PF_BASIS_NOTE, "Please say how consent was "
		    "obtained: when, how and by whom.");
	if (differs(old, rec, PF_EMAIL)) {
		email_key(st, json_string_value(json_object_get(rec, "email")), key);
		json_object_set_new(rec, "email_key", json_string(key));
		/* A new address has not bounced (lib/crm/inbound.c). */
		json_object_del(rec, "email_invalid");
		json_object_del(rec, "soft_bounces");
		if ((rc = email_ok(st, txn, key, u->errs)) != HE_OK &&
		    rc != HE_INVALID)
			goto out;
	}
	if (differs(old, rec, PF_OWNER) && json_object_get(rec, "owner") &&
	    (rc = owner_ok(st, txn, (uint64_t)json_integer_value(
	    json_object_get(rec, "owner")), owner_name, sizeof owner_name,
	    u->errs)) != HE_OK && rc != HE_INVALID)
		goto out;
	if (u->errs->n > 0) {
		rc = HE_INVALID;
		goto out;
	}
	json_object_del(rec, "stale");
	if ((rc = cand_write(st, txn, u->id, old, rec)) == HE_OK)
		rc = record_changes(st, txn, u, old, rec, fields, owner_name);
out:
	json_decref(rec);
	json_decref(old);
	json_decref(fields);
	return rc;
}

int
prof_update(struct store *st, uint64_t id, const struct prof_input *in,
    int64_t updated, const char *version, const struct tl_actor *who,
    struct prof_errors *errs, size_t *changed)
{
	struct update u = { id, in, updated, version, who, errs, NULL, 0 };
	int rc;

	errs->n = 0;
	errs->existing = 0;
	if (prof_check(in, 0, errs) > 0)
		return HE_INVALID;
	if ((u.form = build(in, 0)) == NULL)
		return HE_NOMEM;
	rc = store_txn(st, update_txn, &u);
	json_decref(u.form);
	if (rc == HE_OK && changed)
		*changed = u.changed;
	return rc;
}

struct create {
	const struct tl_actor *who;
	struct prof_errors *errs;
	json_t *form;
	uint64_t id;
};

static int
create_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct create *c = arg;
	json_t *rec = NULL, *detail = NULL;
	const char *email = json_string_value(json_object_get(c->form, "email"));
	char key[TOK_MACSTRLEN], owner_name[256];
	json_t *owner = json_object_get(c->form, "owner");
	int rc;

	c->errs->n = 0;
	c->errs->existing = 0;
	email_key(st, email, key);
	if ((rc = email_ok(st, txn, key, c->errs)) != HE_OK && rc != HE_INVALID)
		return rc;
	if (owner && (rc = owner_ok(st, txn, (uint64_t)json_integer_value(owner),
	    owner_name, sizeof owner_name, c->errs)) != HE_OK && rc != HE_INVALID)
		return rc;
	if (c->errs->n > 0)
		return HE_INVALID;
	if ((rec = json_deep_copy(c->form)) == NULL)
		return HE_NOMEM;
	json_object_set_new(rec, "email_key", json_string(key));
	json_object_set_new(rec, "joined", json_integer(clock_now_us()));
	if ((rc = store_next_id(st, SEQ_CANDIDATE, &c->id)) != HE_OK)
		goto out;
	rc = cand_write(st, txn, c->id, NULL, rec);
	if (rc == HE_EXISTS) {	/* taken since email_ok looked */
		error_add(c->errs, PF_EMAIL, "Someone with this email is already a "
		    "candidate.");
		store_cand_by_email(st, txn, key, &c->errs->existing);
		rc = HE_INVALID;
	}
	if (rc != HE_OK)
		goto out;
	detail = json_pack("{s:O}", "source", json_object_get(rec, "source"));
	rc = detail ? tl_record(st, txn, c->id, "created", c->who, NULL, detail) :
	    HE_NOMEM;
	if (rc == HE_OK)
		rc = tl_audit(st, txn, c->who, "create", c->id, detail);
out:
	json_decref(detail);
	json_decref(rec);
	return rc;
}

int
prof_create(struct store *st, const struct prof_input *in,
    const struct tl_actor *who, struct prof_errors *errs, uint64_t *id)
{
	struct create c = { who, errs, NULL, 0 };
	int rc;

	errs->n = 0;
	errs->existing = 0;
	if (prof_check(in, 1, errs) > 0)
		return HE_INVALID;
	if ((c.form = build(in, 1)) == NULL)
		return HE_NOMEM;
	rc = store_txn(st, create_txn, &c);
	json_decref(c.form);
	if (rc == HE_OK)
		*id = c.id;
	return rc;
}

struct verify {
	uint64_t id;
	const struct tl_actor *who;
};

static int
verify_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct verify *v = arg;
	json_t *old, *rec, *detail = NULL;
	int rc;

	if ((rc = store_cand_get(st, txn, v->id, 1, &old)) != HE_OK)
		return rc;
	if ((rec = json_deep_copy(old)) == NULL) {
		json_decref(old);
		return HE_NOMEM;
	}
	json_object_del(rec, "stale");
	rc = cand_write(st, txn, v->id, old, rec);
	if (rc == HE_OK)
		rc = tl_record(st, txn, v->id, "verified", v->who, NULL, NULL);
	if (rc == HE_OK && (detail = json_pack("{s:b}", "verified", 1)) == NULL)
		rc = HE_NOMEM;
	if (rc == HE_OK)
		rc = tl_audit(st, txn, v->who, "edit", v->id, detail);
	json_decref(detail);
	json_decref(rec);
	json_decref(old);
	return rc;
}

int
prof_verify(struct store *st, uint64_t id, const struct tl_actor *who)
{
	struct verify v = { id, who };

	return store_txn(st, verify_txn, &v);
}

static int
add_owner(uint64_t id, json_t *user, void *ctx)
{
	const char *role = json_string_value(json_object_get(user, "role")) ?: "";
	json_t *u;

	if (json_is_true(json_object_get(user, "disabled")) ||
	    (strcmp(role, "admin") != 0 && strcmp(role, "recruiter") != 0))
		return HE_OK;
	u = json_pack("{s:I, s:O?, s:O?}", "id", (json_int_t)id,
	    "email", json_object_get(user, "email"),
	    "name", json_object_get(user, "name"));
	return u && json_array_append_new(ctx, u) == 0 ? HE_OK : HE_NOMEM;
}

int
prof_owners(struct store *st, json_t **users)
{
	json_t *arr = json_array();
	int rc;

	if (arr == NULL)
		return HE_NOMEM;
	if ((rc = store_user_each(st, NULL, add_owner, arr)) != HE_OK) {
		json_decref(arr);
		return rc;
	}
	*users = arr;
	return HE_OK;
}
