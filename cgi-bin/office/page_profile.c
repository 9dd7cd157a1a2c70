/* page_profile.c: editing a profile, adding a candidate by hand, logging
 * touchpoints and notes, verifying contact details */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgi-bin/office/office.h"
#include "crm/clock.h"
#include "crm/community.h"
#include "crm/index.h"
#include "crm/profile.h"
#include "crm/timeline.h"
#include "store/entities.h"
#include "util/he.h"

/* The fields of a profile, as prof_fields names them; the edit form has
 * the status and the record's version besides. */
#define FIELDS_HEAD \
	{ "first_name", WEB_FT_TEXT, 0, 100, "First name", NULL, NULL, NULL }, \
	{ "last_name", WEB_FT_TEXT, 0, 100, "Last name", NULL, NULL, NULL }, \
	{ "email", WEB_FT_EMAIL, WEB_FF_REQUIRED, 0, "Email", "Please give an " \
	    "email address: it is how we tell people apart.", NULL, NULL }, \
	{ "phone", WEB_FT_TEXT, 0, 40, "Phone", NULL, NULL, NULL }, \
	{ "title", WEB_FT_TEXT, 0, 120, "Job title", NULL, NULL, NULL }, \
	{ "city", WEB_FT_TEXT, 0, 100, "City", NULL, NULL, NULL }, \
	{ "country", WEB_FT_TEXT, 0, 100, "Country", NULL, NULL, NULL }, \
	{ "remote", WEB_FT_CHECKBOX, 0, 0, "Remote", NULL, NULL, NULL }, \
	{ "seniority", WEB_FT_CHOICE, 0, 0, "Seniority", NULL, \
	    comm_seniorities, NULL }, \
	{ "interests", WEB_FT_MULTI, 0, 0, "Kinds of role", NULL, \
	    office_families, NULL }, \
	{ "skills", WEB_FT_TEXT, 0, 1500, "Skills", NULL, NULL, NULL }, \
	{ "url", WEB_FT_TEXT, 0, 300, "Profile address", NULL, NULL, NULL }, \
	{ "source", WEB_FT_TEXT, WEB_FF_REQUIRED, 80, "Source", "Please say " \
	    "where this candidate came from: say, LinkedIn, a referral or an " \
	    "event.", NULL, NULL }, \
	{ "tags", WEB_FT_TEXT, 0, 1000, "Tags", NULL, NULL, NULL }, \
	{ "owner", WEB_FT_UINT, 0, UINT32_MAX, "Owner", NULL, NULL, NULL }
#define FIELDS_BASIS \
	{ "basis", WEB_FT_CHOICE, WEB_FF_REQUIRED, 0, "Lawful basis", \
	    "Please choose the lawful basis on which we hold this person's " \
	    "details.", prof_bases, NULL }, \
	{ "basis_note", WEB_FT_TEXT, 0, 500, "About the basis", NULL, NULL, NULL }

const struct web_field profile_fields[] = {
	FIELDS_HEAD,
	{ "status", WEB_FT_CHOICE, WEB_FF_REQUIRED, 0, "Status", "Please choose "
	    "a status.", cand_statuses, NULL },
	FIELDS_BASIS,
	{ "id", WEB_FT_UINT, WEB_FF_REQUIRED | WEB_FF_HIDDEN, UINT32_MAX,
	    "Candidate", "Which candidate? Open the form again from their "
	    "profile.", NULL, NULL },
	{ "updated", WEB_FT_UINT, WEB_FF_REQUIRED | WEB_FF_HIDDEN, INT64_MAX,
	    "Version", "This form is incomplete. Open it again from the "
	    "profile.", NULL, NULL },
	{ "version", WEB_FT_TEXT, WEB_FF_REQUIRED | WEB_FF_HIDDEN, 32, "Version",
	    "This form is incomplete. Open it again from the profile.", NULL,
	    NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};
enum { EDIT_ID = PF__MAX, EDIT_UPDATED, EDIT_VERSION };

const struct web_field new_fields[] = {
	FIELDS_HEAD,
	FIELDS_BASIS,
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

/* What can be logged by hand, each a channel and its outcome; the
 * template words them. */
static const struct {
	const char *id, *channel, *outcome;
} touch_kinds[] = {
	{ "call_answered", "call", "answered" },
	{ "call_voicemail", "call", "voicemail" },
	{ "call_no_answer", "call", "no_answer" },
	{ "email_sent", "email", "sent" },
	{ "email_reply", "email", "reply" },
	{ "sms_sent", "sms", "sent" },
	{ "sms_reply", "sms", "reply" },
	{ "linkedin_sent", "linkedin", "sent" },
	{ "linkedin_reply", "linkedin", "reply" },
	{ "meeting_held", "meeting", "held" },
	{ "meeting_no_show", "meeting", "no_show" },
	{ "event_attended", "event", "attended" },
};
#define NKINDS (sizeof touch_kinds / sizeof *touch_kinds)
static const char *const touch_kind_ids[NKINDS + 1] = {
	"call_answered", "call_voicemail", "call_no_answer", "email_sent",
	"email_reply", "sms_sent", "sms_reply", "linkedin_sent", "linkedin_reply",
	"meeting_held", "meeting_no_show", "event_attended", NULL,
};

/* The candidate a form of the profile page is about. */
#define FIELD_CAND { "id", WEB_FT_UINT, WEB_FF_REQUIRED | WEB_FF_HIDDEN, \
	UINT32_MAX, "Candidate", "Which candidate? Open their profile " \
	"again.", NULL, NULL }

const struct web_field touch_fields[] = {
	FIELD_CAND,
	{ "touch_kind", WEB_FT_CHOICE, WEB_FF_REQUIRED, 0, "What happened",
	    "Please choose what happened.", touch_kind_ids, NULL },
	{ "touch_day", WEB_FT_TEXT, 0, 10, "When", NULL, NULL, NULL },
	{ "touch_text", WEB_FT_TEXT, 0, TL_TEXT_MAX, "What was said", NULL, NULL,
	    NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};
enum { TOUCH_CAND, TOUCH_KIND, TOUCH_DAY, TOUCH_TEXT };

const struct web_field note_fields[] = {
	FIELD_CAND,
	{ "note", WEB_FT_TEXT, WEB_FF_REQUIRED, TL_TEXT_MAX, "Note",
	    "Please write the note.", NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

const struct web_field verify_fields[] = {
	FIELD_CAND,
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

static struct tl_actor
actor(struct web_req *req)
{
	return (struct tl_actor){ req->user ? req->user->id : 0,
	    req->user ? req->user->email : "", req->remote_addr };
}

static int
has_error(struct web_req *req, const char *field)
{
	char name[128];

	snprintf(name, sizeof name, "Form.%s.error", field);
	return hdf_get_value(req->hdf, name, NULL) != NULL;
}

/* The route's values as a profile form (fields matched by name). */
static void
input_of(struct web_req *req, const struct web_value *v, struct prof_input *in)
{
	const struct web_field *f = req->route->fields;

	memset(in, 0, sizeof *in);
	for (int k = 0; k < PF__MAX; k++)
		in->text[k] = "";
	for (size_t i = 0; f[i].name; i++)
		for (int k = 0; k < PF__MAX; k++) {
			if (strcmp(f[i].name, prof_fields[k]) != 0)
				continue;
			if (k == PF_INTERESTS) {
				in->interests = v[i].list;
				in->ninterests = v[i].count;
			} else
				in->text[k] = v[i].str ? v[i].str : "";
		}
}

static void
report(struct web_req *req, const struct prof_errors *errs)
{
	for (size_t i = 0; i < errs->n; i++)
		if (!has_error(req, prof_fields[errs->e[i].field]))
			web_form_error(req, prof_fields[errs->e[i].field],
			    errs->e[i].message);
	if (errs->existing)
		web_set_int(req, "Page.existing", (long long)errs->existing);
}

/* The checks of both profile forms that need no store. */
static void
check_form(struct web_req *req, const struct web_value *v, int adding)
{
	struct prof_errors errs = { 0 };
	struct prof_input in;

	input_of(req, v, &in);
	prof_check(&in, adding, &errs);
	report(req, &errs);
}

/* What the edit form shows around its fields. */
static void
edit_context(struct web_req *req, uint64_t id)
{
	struct office *o = req->ctx;
	json_t *rec;

	office_set_owners(req, 0);
	web_set_int(req, "Page.id", (long long)id);
	if (store_cand_get(o->st, NULL, id, 0, &rec) == HE_OK) {
		web_set(req, "Page.cand.name", json_string_value(json_object_get(rec,
		    "name")));
		json_decref(rec);
	}
}

void
check_profile(struct web_req *req, const struct web_value *v)
{
	check_form(req, v, 0);
	if (hdf_get_int_value(req->hdf, "Form.error_count", 0) > 0)
		edit_context(req, v[EDIT_ID].num);
}

void
check_candidate_new(struct web_req *req, const struct web_value *v)
{
	check_form(req, v, 1);
	if (hdf_get_int_value(req->hdf, "Form.error_count", 0) > 0)
		office_set_owners(req, 0);
}

/* Form.<field>.value for each field of the record, as the form shows it. */
static void
fill_form(struct web_req *req, json_t *rec)
{
	char name[160];

	for (int k = 0; k < PF__MAX; k++) {
		char *val = prof_form_value(rec, k);

		if (val == NULL)
			continue;
		if (k == PF_INTERESTS) {
			for (char *save = NULL, *w = strtok_r(val, ",", &save); w;
			    w = strtok_r(NULL, ",", &save)) {
				snprintf(name, sizeof name, "Form.interests.checked.%s", w);
				if (strchr(w, '.') == NULL)
					web_set(req, name, "1");
			}
		} else {
			snprintf(name, sizeof name, "Form.%s.value", prof_fields[k]);
			web_set(req, name, val);
		}
		free(val);
	}
}

/* The record's version, for the form to carry. */
static void
set_version(struct web_req *req, json_t *rec)
{
	char version[PROF_VERSION_SIZE];

	prof_version(rec, version);
	web_set(req, "Form.version.value", version);
	web_set_int(req, "Form.updated.value",
	    json_integer_value(json_object_get(rec, "updated")));
}

void
page_profile_form(struct web_req *req)
{
	struct office *o = req->ctx;
	uint64_t id = req->v[0].num;
	json_t *rec;
	int rc;

	if ((rc = store_cand_get(o->st, NULL, id, 0, &rec)) == HE_NOTFOUND) {
		web_error(req, 404, "There is no such candidate: they may have been "
		    "erased at their request.");
		return;
	}
	if (rc != HE_OK) {
		web_fail(req, rc);
		return;
	}
	fill_form(req, rec);
	set_version(req, rec);
	web_set_int(req, "Form.id.value", (long long)id);
	json_decref(rec);
	edit_context(req, id);
	web_render(req, 200, "office/candidate_edit.cs");
}

/* The form was filled in before someone else saved: it keeps what was
 * typed, carries the new version, and shows what is saved now wherever
 * that differs from what was typed. */
static void
conflict(struct web_req *req, uint64_t id, const struct prof_input *in)
{
	struct office *o = req->ctx;
	json_t *rec;
	char name[160];
	int rc;

	if ((rc = store_cand_get(o->st, NULL, id, 0, &rec)) != HE_OK) {
		web_fail(req, rc);
		return;
	}
	set_version(req, rec);
	for (int k = 0; k < PF__MAX; k++) {
		char *now = prof_form_value(rec, k), *typed = NULL;
		size_t len = 0;
		FILE *f;

		if (now == NULL)
			continue;
		if (k == PF_INTERESTS && (f = open_memstream(&typed, &len))) {
			for (size_t i = 0; i < in->ninterests; i++)
				fprintf(f, "%s%s", i ? "," : "", in->interests[i]);
			fclose(f);
		}
		if (strcmp(now, k == PF_INTERESTS ? (typed ? typed : "") :
		    in->text[k]) != 0) {
			snprintf(name, sizeof name, "Page.now.%s", prof_fields[k]);
			web_set(req, name, now[0] ? now : "(empty)");
		}
		free(typed);
		free(now);
	}
	json_decref(rec);
	web_set(req, "Page.conflict", "1");
	edit_context(req, id);
	web_render(req, 409, "office/candidate_edit.cs");
}

void
page_profile_save(struct web_req *req)
{
	struct office *o = req->ctx;
	const struct web_value *v = req->v;
	struct tl_actor who = actor(req);
	struct prof_errors errs;
	struct prof_input in;
	uint64_t id = v[EDIT_ID].num;
	char path[96];
	int rc;

	input_of(req, v, &in);
	rc = prof_update(o->st, id, &in, (int64_t)v[EDIT_UPDATED].num,
	    v[EDIT_VERSION].str, &who, &errs, NULL);
	if (rc == HE_OK) {
		snprintf(path, sizeof path, "/office/candidate?id=%llu&done=edit",
		    (unsigned long long)id);
		web_redirect(req, 303, path);
	} else if (rc == HE_INVALID) {
		report(req, &errs);
		edit_context(req, id);
		web_render(req, 400, "office/candidate_edit.cs");
	} else if (rc == HE_EXPIRED) {
		conflict(req, id, &in);
	} else if (rc == HE_NOTFOUND) {
		web_error(req, 404, "There is no such candidate: they may have been "
		    "erased at their request.");
	} else
		web_fail(req, rc);
}

void
page_new_form(struct web_req *req)
{
	if (req->user)
		web_set_int(req, "Form.owner.value", (long long)req->user->id);
	office_set_owners(req, 0);
	web_render(req, 200, "office/candidate_new.cs");
}

void
page_new_save(struct web_req *req)
{
	struct office *o = req->ctx;
	struct tl_actor who = actor(req);
	struct prof_errors errs;
	struct prof_input in;
	uint64_t id;
	char path[96];
	int rc;

	input_of(req, req->v, &in);
	rc = prof_create(o->st, &in, &who, &errs, &id);
	if (rc == HE_OK) {
		snprintf(path, sizeof path, "/office/candidate?id=%llu&done=new",
		    (unsigned long long)id);
		web_redirect(req, 303, path);
	} else if (rc == HE_INVALID) {
		report(req, &errs);
		office_set_owners(req, 0);
		web_render(req, 400, "office/candidate_new.cs");
	} else
		web_fail(req, rc);
}

/* ---- the forms of the profile page ---- */

/* On a form error the profile page is shown again around it. */
static void
profile_around(struct web_req *req, const struct web_value *id)
{
	if (hdf_get_int_value(req->hdf, "Form.error_count", 0) > 0 && id->present)
		office_profile_context(req, id->num, 1);
}

void
check_touch(struct web_req *req, const struct web_value *v)
{
	int64_t at;

	if (v[TOUCH_DAY].present && !has_error(req, "touch_day") &&
	    tl_parse_day(v[TOUCH_DAY].str, clock_now(), &at) != HE_OK)
		web_form_error(req, "touch_day", "Please give the day as "
		    "YYYY-MM-DD, today or earlier (or leave it empty for now).");
	profile_around(req, &v[TOUCH_CAND]);
}

void
check_note(struct web_req *req, const struct web_value *v)
{
	profile_around(req, &v[0]);
}

/* After a change on the profile page: back to it, saying what was done. */
static void
back_to_profile(struct web_req *req, uint64_t id, const char *done, int rc)
{
	char path[128];

	if (rc == HE_OK) {
		snprintf(path, sizeof path, "/office/candidate?id=%llu&done=%s",
		    (unsigned long long)id, done);
		web_redirect(req, 303, path);
	} else if (rc == HE_NOTFOUND)
		web_error(req, 404, "There is no such candidate: they may have been "
		    "erased at their request.");
	else
		web_fail(req, rc);
}

void
page_touch(struct web_req *req)
{
	struct office *o = req->ctx;
	const struct web_value *v = req->v;
	struct tl_actor who = actor(req);
	struct tl_entry e = { NULL, NULL, v[TOUCH_TEXT].str, 0 };

	for (size_t i = 0; i < NKINDS; i++)
		if (strcmp(v[TOUCH_KIND].str, touch_kinds[i].id) == 0) {
			e.channel = touch_kinds[i].channel;
			e.outcome = touch_kinds[i].outcome;
		}
	if (v[TOUCH_DAY].present)
		tl_parse_day(v[TOUCH_DAY].str, clock_now(), &e.at);
	back_to_profile(req, v[TOUCH_CAND].num, "touch",
	    tl_log_one(o->st, v[TOUCH_CAND].num, &e, &who, NULL));
}

void
page_note(struct web_req *req)
{
	struct office *o = req->ctx;
	struct tl_actor who = actor(req);
	struct tl_entry e = { "note", "", req->v[1].str, 0 };

	back_to_profile(req, req->v[0].num, "note",
	    tl_log_one(o->st, req->v[0].num, &e, &who, NULL));
}

void
page_verify(struct web_req *req)
{
	struct office *o = req->ctx;
	struct tl_actor who = actor(req);

	back_to_profile(req, req->v[0].num, "verify",
	    prof_verify(o->st, req->v[0].num, &who));
}
