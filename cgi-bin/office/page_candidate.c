/* page_candidate.c: one candidate: profile, consent ledger and mails */
#include <stdio.h>
#include <time.h>

#include "cgi-bin/office/office.h"
#include "crm/candidates.h"
#include "util/he.h"

const struct web_field id_fields[] = {
	{ "id", WEB_FT_UINT, WEB_FF_REQUIRED, UINT64_MAX / 2, "Candidate",
	    "Which candidate? The address is missing its id.", NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

/* A time in microseconds or seconds since the epoch, for people. */
void
office_set_time(struct web_req *req, const char *name, json_t *v, int micro)
{
	time_t t;
	struct tm tm;
	char buf[64];

	if (!json_is_integer(v))
		return;
	t = (time_t)(json_integer_value(v) / (micro ? 1000000 : 1));
	strftime(buf, sizeof buf, "%d %b %Y, %H:%M:%S UTC", gmtime_r(&t, &tm));
	web_set(req, name, buf);
}

/* Copies the string and number fields of obj to prefix.<field>. */
void
office_set_fields(struct web_req *req, const char *prefix, json_t *obj)
{
	const char *k;
	json_t *v;
	char name[192];

	json_object_foreach(obj, k, v) {
		snprintf(name, sizeof name, "%s.%s", prefix, k);
		if (json_is_string(v))
			web_set(req, name, json_string_value(v));
		else if (json_is_integer(v))
			web_set_int(req, name, json_integer_value(v));
		else if (json_is_true(v))
			web_set(req, name, "yes");
	}
}

static void
set_list(struct web_req *req, const char *name, json_t *arr)
{
	char key[192];
	size_t i;
	json_t *v;

	json_array_foreach(arr, i, v) {
		snprintf(key, sizeof key, "%s.%zu", name, i);
		web_set(req, key, json_string_value(v));
	}
}

void
page_candidate(struct web_req *req)
{
	struct office *o = req->ctx;
	json_t *cand, *ledger, *mails, *v;
	char name[96];
	size_t i;
	int rc;

	rc = cand_detail(o->st, req->v[0].num, &cand, &ledger, &mails);
	if (rc == HE_NOTFOUND) {
		web_error(req, 404, "There is no such candidate: they may have been "
		    "erased at their request.");
		return;
	}
	if (rc != HE_OK) {
		web_fail(req, rc);
		return;
	}
	web_set_int(req, "Page.id", (long long)req->v[0].num);
	office_set_fields(req, "Page.cand", cand);
	set_list(req, "Page.cand.interests", json_object_get(cand, "interests"));
	set_list(req, "Page.cand.skills", json_object_get(cand, "skills"));
	office_set_fields(req, "Page.cand.resume", json_object_get(cand, "resume"));
	office_set_time(req, "Page.cand.joined_at", json_object_get(cand, "joined"), 1);
	json_array_foreach(ledger, i, v) {
		snprintf(name, sizeof name, "Page.ledger.%zu", i);
		office_set_fields(req, name, v);
		snprintf(name, sizeof name, "Page.ledger.%zu.when", i);
		office_set_time(req, name, json_object_get(v, "at"), 1);
	}
	json_array_foreach(mails, i, v) {
		snprintf(name, sizeof name, "Page.mails.%zu", i);
		office_set_fields(req, name, v);
		snprintf(name, sizeof name, "Page.mails.%zu.when", i);
		office_set_time(req, name, json_object_get(v, "created"), 1);
	}
	json_decref(cand);
	json_decref(ledger);
	json_decref(mails);
	web_render(req, 200, "office/candidate.cs");
}
