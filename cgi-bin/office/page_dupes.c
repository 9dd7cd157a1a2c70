/* page_dupes.c: likely duplicates for review, and "not a duplicate" */
#include <stdio.h>
#include <string.h>

#include "cgi-bin/office/office.h"
#include "crm/dupes.h"
#include "util/he.h"

#define PER_PAGE 25

const struct web_field dupes_fields[] = {
	[DUPES_AFTER_A] = { "after_a", WEB_FT_UINT, WEB_FF_HIDDEN, UINT32_MAX, "Page",
	    NULL, NULL, NULL },
	[DUPES_AFTER_B] = { "after_b", WEB_FT_UINT, WEB_FF_HIDDEN, UINT32_MAX, "Page",
	    NULL, NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

const struct web_field pair_fields[] = {
	[PAIR_A] = { "a", WEB_FT_UINT, WEB_FF_REQUIRED | WEB_FF_HIDDEN, UINT32_MAX,
	    "First candidate",
	    "Which candidates? The address is missing the first one.", NULL, NULL },
	[PAIR_B] = { "b", WEB_FT_UINT, WEB_FF_REQUIRED | WEB_FF_HIDDEN, UINT32_MAX,
	    "Second candidate",
	    "Which candidates? The address is missing the second one.", NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

/* What each reason says to people. */
static const char *
reason_text(const char *r)
{
	if (strcmp(r, "linkedin") == 0)
		return "Same LinkedIn profile";
	if (strcmp(r, "phone") == 0)
		return "Same phone number";
	return "Same name and city";
}

static void
set_person(struct web_req *req, const char *prefix, json_t *c)
{
	static const char *const shown[] = { "name", "email", "phone", "city",
	    "country", "url", "title", "source", NULL };
	char name[96];

	for (size_t i = 0; shown[i]; i++) {
		const char *v = json_string_value(json_object_get(c, shown[i]));

		snprintf(name, sizeof name, "%s.%s", prefix, shown[i]);
		if (v && *v)
			web_set(req, name, v);
	}
	snprintf(name, sizeof name, "%s.joined_at", prefix);
	office_set_time(req, name, json_object_get(c, "joined"), 1);
}

void
page_dupes(struct web_req *req)
{
	struct office *o = req->ctx;
	uint64_t next[2];
	json_t *rows, *r, *v;
	char name[96];
	size_t i, j;
	int rc;

	rc = dupes_list(o->st, req->v[DUPES_AFTER_A].num, req->v[DUPES_AFTER_B].num,
	    PER_PAGE, &rows, next);
	if (rc != HE_OK) {
		web_fail(req, rc);
		return;
	}
	json_array_foreach(rows, i, r) {
		snprintf(name, sizeof name, "Page.pairs.%zu.a", i);
		web_set_int(req, name, json_integer_value(json_object_get(r, "a")));
		snprintf(name, sizeof name, "Page.pairs.%zu.b", i);
		web_set_int(req, name, json_integer_value(json_object_get(r, "b")));
		snprintf(name, sizeof name, "Page.pairs.%zu.ca", i);
		set_person(req, name, json_object_get(r, "a_cand"));
		snprintf(name, sizeof name, "Page.pairs.%zu.cb", i);
		set_person(req, name, json_object_get(r, "b_cand"));
		json_array_foreach(json_object_get(r, "reasons"), j, v) {
			snprintf(name, sizeof name, "Page.pairs.%zu.reasons.%zu", i, j);
			web_set(req, name, reason_text(json_string_value(v)));
		}
	}
	json_decref(rows);
	if (next[0]) {
		web_set_int(req, "Page.next_a", (long long)next[0]);
		web_set_int(req, "Page.next_b", (long long)next[1]);
	}
	if (req->v[DUPES_AFTER_A].present)
		web_set(req, "Page.later", "1");
	web_render(req, 200, "office/duplicates.cs");
}

void
page_dupe_dismiss(struct web_req *req)
{
	struct office *o = req->ctx;
	int rc = dupes_dismiss(o->st, req->v[PAIR_A].num, req->v[PAIR_B].num,
	    req->user->id);

	if (rc == HE_NOTFOUND) {
		web_error(req, 404, "These two were never listed as likely "
		    "duplicates, so there is nothing to dismiss. Go back to the list "
		    "and reload it.");
		return;
	}
	if (rc != HE_OK) {
		web_fail(req, rc);
		return;
	}
	web_redirect(req, 303, "/office/duplicates");
}
