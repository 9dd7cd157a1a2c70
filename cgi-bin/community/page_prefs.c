/* page_prefs.c: the preference centre, reached by a signed link (no password) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cgi-bin/community/community.h"
#include "util/he.h"

static const char *const pauses[] = { "0", "1", "3", "6", NULL };
static const char *const request_kinds[] = { "export", "erase", NULL };

const struct web_field prefs_view_fields[] = {
	FIELD_LINK,
	{ "saved", WEB_FT_CHECKBOX, 0, 0, "Saved", NULL, NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

const struct web_field prefs_fields[] = {
	[PREFS_T] = FIELD_LINK,
	[PREFS_CITY] = FIELD_CITY,
	[PREFS_COUNTRY] = FIELD_COUNTRY,
	[PREFS_REMOTE] = FIELD_REMOTE,
	[PREFS_INTERESTS] = FIELD_INTERESTS,
	[PREFS_SENIORITY] = FIELD_SENIORITY,
	[PREFS_SKILLS] = FIELD_SKILLS,
	[PREFS_FREQUENCY] = { "frequency", WEB_FT_CHOICE, WEB_FF_REQUIRED, 0,
	    "How often we write", "Please choose how often we may write.",
	    comm_frequencies, NULL },
	[PREFS_PAUSE] = { "pause", WEB_FT_CHOICE, 0, 0, "Pause", NULL, pauses,
	    NULL },
	[PREFS_TRACKING] = FIELD_TRACKING,
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

const struct web_field request_fields[] = {
	FIELD_LINK,
	{ "kind", WEB_FT_CHOICE, WEB_FF_REQUIRED, 0, "Request",
	    "Please choose what you would like us to do.", request_kinds, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

void
check_prefs(struct web_req *req, const struct web_value *v)
{
	check_location(req, &v[PREFS_CITY], &v[PREFS_COUNTRY], &v[PREFS_REMOTE]);
}

static void
set_str(struct web_req *req, const char *name, json_t *v)
{
	if (json_is_string(v))
		web_set(req, name, json_string_value(v));
}

/* The form shows what is stored: Form.<field>.value, as after a post. */
static void
fill_form(struct web_req *req, json_t *cand)
{
	json_t *prefs = json_object_get(cand, "prefs"), *v;
	char name[160], *skills = NULL;
	size_t i, len = 0;
	FILE *f;

	set_str(req, "Page.name", json_object_get(cand, "first_name"));
	set_str(req, "Page.email", json_object_get(cand, "email"));
	set_str(req, "Page.consent", json_object_get(cand, "consent"));
	set_str(req, "Form.city.value", json_object_get(cand, "city"));
	set_str(req, "Form.country.value", json_object_get(cand, "country"));
	if (json_is_true(json_object_get(cand, "remote")))
		web_set(req, "Form.remote.value", "1");
	set_str(req, "Form.seniority.value", json_object_get(cand, "seniority"));
	set_str(req, "Form.frequency.value", json_object_get(prefs, "frequency"));
	if (json_is_true(json_object_get(prefs, "tracking")))
		web_set(req, "Form.tracking.value", "1");
	json_array_foreach(json_object_get(cand, "interests"), i, v) {
		snprintf(name, sizeof name, "Form.interests.checked.%s",
		    json_string_value(v) ?: "");
		web_set(req, name, "1");
	}
	if ((f = open_memstream(&skills, &len)) != NULL) {
		json_array_foreach(json_object_get(cand, "skills"), i, v)
			fprintf(f, "%s%s", i ? ", " : "", json_string_value(v) ?: "");
		fclose(f);
		web_set(req, "Form.skills.value", skills);
		free(skills);
	}
	v = json_object_get(prefs, "paused_until");
	if (json_is_integer(v) && json_integer_value(v) > time(NULL)) {
		time_t until = (time_t)json_integer_value(v);
		struct tm tm;
		char day[64];

		strftime(day, sizeof day, "%e %B %Y", gmtime_r(&until, &tm));
		web_set(req, "Page.paused_until", day[0] == ' ' ? day + 1 : day);
	}
}

static void
show(struct web_req *req, uint64_t cand, int status)
{
	struct community *c = req->ctx;
	json_t *body;
	int rc;

	if ((rc = comm_get(&c->comm, cand, &body)) == HE_NOTFOUND) {
		web_error(req, 404, "We no longer hold any details for you, so "
		    "there is nothing to change. You can join again at any time.");
		return;
	}
	if (rc != HE_OK) {
		web_fail(req, rc);
		return;
	}
	if (status == 200)
		fill_form(req, body);
	else
		set_str(req, "Page.email", json_object_get(body, "email"));
	json_decref(body);
	web_set(req, "Form.t.value", req->v[PREFS_T].str);
	set_link(req, "Page.unsubscribe_t", COMM_LINK_UNSUBSCRIBE, cand);
	set_skill_suggestions(req);
	web_render(req, status, "community/preferences.cs");
}

void
page_prefs_form(struct web_req *req)
{
	uint64_t cand;

	if (link_candidate(req, COMM_LINK_PREFS, &cand, NULL) != 0)
		return;
	if (req->v[1].present)
		web_set(req, "Page.saved", "1");
	show(req, cand, 200);
}

void
page_prefs_save(struct web_req *req)
{
	struct community *c = req->ctx;
	const struct web_value *v = req->v;
	struct comm_actor who = { "web_form", req->remote_addr, req->user_agent };
	struct comm_prefs p;
	json_t *interests = json_array(), *skills = NULL;
	char path[1200];
	uint64_t cand;
	int rc;

	if (interests == NULL || link_candidate(req, COMM_LINK_PREFS, &cand, NULL) != 0) {
		json_decref(interests);
		if (interests == NULL)
			web_fail(req, HE_NOMEM);
		return;
	}
	for (size_t i = 0; i < v[PREFS_INTERESTS].count; i++)
		json_array_append_new(interests,
		    json_string(v[PREFS_INTERESTS].list[i]));
	if (comm_skills_parse(v[PREFS_SKILLS].str, &skills) != HE_OK) {
		json_decref(interests);
		web_fail(req, HE_NOMEM);
		return;
	}
	p = (struct comm_prefs){
		.interests = interests, .skills = skills,
		.city = v[PREFS_CITY].str, .country = v[PREFS_COUNTRY].str,
		.remote = v[PREFS_REMOTE].present,
		.seniority = v[PREFS_SENIORITY].str,
		.frequency = v[PREFS_FREQUENCY].str,
		.pause_months = v[PREFS_PAUSE].present ?
		    v[PREFS_PAUSE].str[0] - '0' : 0,
		.tracking = v[PREFS_TRACKING].present,
	};
	rc = comm_prefs_update(&c->comm, cand, &p, &who);
	json_decref(interests);
	json_decref(skills);
	if (rc == HE_NOTFOUND) {
		show(req, cand, 404);
		return;
	}
	if (rc != HE_OK) {
		web_fail(req, rc);
		return;
	}
	snprintf(path, sizeof path, "/preferences?saved=1&t=%s", v[PREFS_T].str);
	web_redirect(req, 303, path);
}

void
page_prefs_request(struct web_req *req)
{
	struct community *c = req->ctx;
	uint64_t cand;
	int rc;

	if (link_candidate(req, COMM_LINK_PREFS, &cand, NULL) != 0)
		return;
	rc = comm_request(&c->comm, cand, req->v[1].str);
	if (rc != HE_OK && rc != HE_NOTFOUND) {
		web_fail(req, rc);
		return;
	}
	web_set(req, "Page.kind", req->v[1].str);
	web_render(req, 200, "community/requested.cs");
}
