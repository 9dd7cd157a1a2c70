/* page_join.c: POST /join, the signup */
#include <jansson.h>
#include <string.h>

#include "cgi-bin/community/community.h"
#include "util/filetype.h"
#include "util/he.h"

#define RESUME_MAX (5 * 1000 * 1000)	/* "up to 5 MB", as the form says */

static const char *
check_phone(const char *value)
{
	return comm_phone_ok(value) ? NULL : "Please check the phone number: "
	    "digits, spaces and + ( ) - only, like +44 20 7946 0958.";
}

static const char *
check_url(const char *value)
{
	return comm_url_ok(value) ? NULL : "Please give the full address of "
	    "the page, starting with https://, like "
	    "https://www.linkedin.com/in/your-name.";
}

const char *
check_skills(const char *value)
{
	json_t *skills;

	if (comm_skills_parse(value, &skills) != HE_OK)
		return "Please list at most 30 skills, each under 40 characters, "
		    "with commas between them.";
	json_decref(skills);
	return NULL;
}

const struct web_field join_fields[] = {
	[JOIN_FIRST] = { "first_name", WEB_FT_TEXT, WEB_FF_REQUIRED, 100,
	    "First name", "Please tell us your first name.", NULL, NULL },
	[JOIN_LAST] = { "last_name", WEB_FT_TEXT, WEB_FF_REQUIRED, 100,
	    "Last name", "Please tell us your last name.", NULL, NULL },
	[JOIN_EMAIL] = { "email", WEB_FT_EMAIL, WEB_FF_REQUIRED, 0,
	    "Email address", "Please enter your email address.", NULL, NULL },
	[JOIN_PHONE] = { "phone", WEB_FT_TEXT, 0, 40, "Phone", NULL, NULL,
	    check_phone },
	[JOIN_CITY] = FIELD_CITY,
	[JOIN_COUNTRY] = FIELD_COUNTRY,
	[JOIN_REMOTE] = FIELD_REMOTE,
	[JOIN_INTERESTS] = FIELD_INTERESTS,
	[JOIN_SENIORITY] = FIELD_SENIORITY,
	[JOIN_SKILLS] = FIELD_SKILLS,
	[JOIN_URL] = { "url", WEB_FT_TEXT, 0, 500, "LinkedIn or portfolio",
	    NULL, NULL, check_url },
	/* Checked by content in check_join (check_resume). */
	[JOIN_RESUME] = { "resume", WEB_FT_FILE, 0, 0, "CV or résumé", NULL,
	    NULL, NULL },
	[JOIN_SOURCE] = { "source", WEB_FT_TEXT, 0, 100,
	    "How you heard of us", NULL, NULL, NULL },
	[JOIN_CONSENT] = { "consent", WEB_FT_CHECKBOX, WEB_FF_REQUIRED, 0,
	    "Consent", "Please tick the box so we may keep you informed; "
	    "without it we cannot add you.", NULL, NULL },
	/* The honeypot: hidden from people, filled in by bots; any value at
	 * all counts, and none is an error. */
	[JOIN_WEBSITE] = { "website", WEB_FT_CHECKBOX, 0, 0, "Website", NULL,
	    NULL, NULL },
	[JOIN_TRACKING] = FIELD_TRACKING,
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

void
check_location(struct web_req *req, const struct web_value *city,
    const struct web_value *country, const struct web_value *remote)
{
	if (!remote->present && (!city->present || !country->present))
		web_form_error(req, city->present ? "country" : "city",
		    "Please tell us your city and country, or tick \"Remote\".");
}

/* The résumé's kind by its content (never its name), or FT_UNKNOWN with
 * an error for the person when there is one and it cannot be taken. */
static enum ft_kind
check_resume(struct web_req *req, const struct web_upload *u)
{
	enum ft_kind kind;

	if (u == NULL)
		return FT_UNKNOWN;
	if (u->len == 0) {
		web_form_error(req, "resume", "This file is empty. Please choose "
		    "your CV again, or leave this out.");
		return FT_UNKNOWN;
	}
	if (u->len > RESUME_MAX) {
		web_form_error(req, "resume", "This file is larger than 5 MB. "
		    "Please send a smaller version, or leave this out.");
		return FT_UNKNOWN;
	}
	if ((kind = ft_sniff(u->data, u->len)) == FT_UNKNOWN)
		web_form_error(req, "resume", "We can read PDF, Word (.docx), "
		    "OpenDocument (.odt) or plain-text files. Please choose one of "
		    "those, or leave this out.");
	return kind;
}

void
check_join(struct web_req *req, const struct web_value *v)
{
	check_location(req, &v[JOIN_CITY], &v[JOIN_COUNTRY], &v[JOIN_REMOTE]);
	check_resume(req, web_upload_get(req, "resume"));
}

/* A JSON array of the values a multiple field was given. */
static json_t *
list_of(const struct web_value *v)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < v->count; i++)
		json_array_append_new(a, json_string(v->list[i]));
	return a;
}

void
page_join(struct web_req *req)
{
	struct community *c = req->ctx;
	const struct web_value *v = req->v;
	const struct web_upload *upload = web_upload_get(req, "resume");
	struct comm_resume resume;
	struct comm_signup in;
	json_t *interests = NULL, *skills = NULL;
	int rc;

	/* A bot gets the same answer as a person, and nothing is stored. */
	if (v[JOIN_WEBSITE].present) {
		web_redirect(req, 303, "/joined");
		return;
	}
	/* The file first, outside the transaction; comm_join removes it
	 * again when the signup is not stored. */
	if (upload && (rc = comm_resume_store(&c->comm, upload->data, upload->len,
	    ft_info(ft_sniff(upload->data, upload->len))->ext, upload->filename,
	    &resume)) != HE_OK) {
		web_fail(req, rc);
		return;
	}
	interests = list_of(&v[JOIN_INTERESTS]);
	if (interests == NULL || comm_skills_parse(v[JOIN_SKILLS].str,
	    &skills) != HE_OK) {
		json_decref(interests);
		if (upload)
			comm_resume_remove(&c->comm, resume.file);
		web_fail(req, HE_NOMEM);
		return;
	}
	in = (struct comm_signup){
		.email = v[JOIN_EMAIL].str,
		.first_name = v[JOIN_FIRST].str,
		.last_name = v[JOIN_LAST].str,
		.phone = v[JOIN_PHONE].str,
		.city = v[JOIN_CITY].str,
		.country = v[JOIN_COUNTRY].str,
		.remote = v[JOIN_REMOTE].present,
		.interests = interests,
		.seniority = v[JOIN_SENIORITY].str,
		.skills = skills,
		.url = v[JOIN_URL].str,
		.source = v[JOIN_SOURCE].str,
		.resume = upload ? &resume : NULL,
		.ip = req->remote_addr,
		.user_agent = req->user_agent,
		.tracking = v[JOIN_TRACKING].present,
	};
	/* A known email gets the very same answer: no one learns who is here. */
	rc = comm_join(&c->comm, &in);
	json_decref(interests);
	json_decref(skills);
	if (rc != HE_OK) {
		web_fail(req, rc);
		return;
	}
	web_redirect(req, 303, "/joined");
}
