/* page_candidate.c: one candidate: profile, freshness, timeline, consent
 * ledger, and the forms to log a touchpoint or a note */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cgi-bin/office/office.h"
#include "crm/audit.h"
#include "crm/candidates.h"
#include "crm/clock.h"
#include "crm/engage.h"
#include "crm/fresh.h"
#include "crm/pool.h"
#include "crm/profile.h"
#include "crm/pipeline.h"
#include "crm/role.h"
#include "crm/timeline.h"
#include "util/conf.h"
#include "util/he.h"

#define TIMELINE_PER_PAGE 20

const struct web_field id_fields[] = {
	{ "id", WEB_FT_UINT, WEB_FF_REQUIRED, UINT64_MAX / 2, "Candidate",
	    "Which candidate? The address is missing its id.", NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

/* What the profile page was sent back to say was done. */
static const char *const done_choices[] = {
	"edit", "new", "touch", "note", "verify", "enrol", "unenrol", NULL,
};

const struct web_field candidate_fields[] = {
	[CAND_ID] = { "id", WEB_FT_UINT, WEB_FF_REQUIRED, UINT64_MAX / 2,
	    "Candidate", "Which candidate? The address is missing its id.", NULL,
	    NULL },
	[CAND_TL] = { "tl", WEB_FT_UINT, 0, 1000000, "Timeline page", NULL, NULL,
	    NULL },
	[CAND_DONE] = { "done", WEB_FT_CHOICE, 0, 0, "Done", NULL, done_choices,
	    NULL },
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

/* A unix time as <time datetime> wants it. */
static void
set_iso(struct web_req *req, const char *name, long long at)
{
	time_t t = (time_t)at;
	struct tm tm;
	char buf[32];

	strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
	web_set(req, name, buf);
}

static void
set_list(struct web_req *req, const char *name, json_t *arr)
{
	char key[192];
	size_t i;
	json_t *v;

	json_array_foreach(arr, i, v) {
		snprintf(key, sizeof key, "%s.%zu", name, i);
		if (json_is_string(v))
			web_set(req, key, json_string_value(v));
		else if (json_is_integer(v))
			web_set_int(req, key, json_integer_value(v));
	}
}

/* The users who may own candidates as Page.owners.N.{id,email}; the
 * email of owner (0: none) as Page.cand.owner_name. */
void
office_set_owners(struct web_req *req, uint64_t owner)
{
	struct office *o = req->ctx;
	json_t *users, *u;
	char name[64];
	size_t i;

	if (prof_owners(o->st, &users) != HE_OK)
		return;
	json_array_foreach(users, i, u) {
		json_int_t id = json_integer_value(json_object_get(u, "id"));

		snprintf(name, sizeof name, "Page.owners.%zu", i);
		office_set_fields(req, name, u);
		if ((uint64_t)id == owner)
			web_set(req, "Page.cand.owner_name",
			    json_string_value(json_object_get(u, "email")));
	}
	json_decref(users);
}

/* The names of the pools the candidate is in (static and dynamic). */
static void
set_pools(struct web_req *req, json_t *cand)
{
	struct office *o = req->ctx;
	json_t *pools, *p;
	size_t i, n = 0;
	char name[64];

	if (json_array_size(json_object_get(cand, "pools")) +
	    json_array_size(json_object_get(cand, "dpools")) == 0 ||
	    pool_names(o->st, &pools) != HE_OK)
		return;
	json_array_foreach(pools, i, p) {
		json_t *id = json_object_get(p, "id"), *m;
		size_t j;
		int in = 0;

		json_array_foreach(json_object_get(cand, "pools"), j, m)
			in |= json_equal(m, id);
		json_array_foreach(json_object_get(cand, "dpools"), j, m)
			in |= json_equal(m, id);
		if (!in)
			continue;
		snprintf(name, sizeof name, "Page.pools.%zu", n++);
		office_set_fields(req, name, p);
	}
	json_decref(pools);
}

static void
set_timeline(struct web_req *req, uint64_t id, size_t page)
{
	struct office *o = req->ctx;
	json_t *entries, *e, *detail;
	size_t total, i;
	char name[96];

	if (tl_page(o->st, id, (page - 1) * TIMELINE_PER_PAGE, TIMELINE_PER_PAGE,
	    &entries, &total) != HE_OK)
		return;
	json_array_foreach(entries, i, e) {
		snprintf(name, sizeof name, "Page.timeline.%zu", i);
		office_set_fields(req, name, e);
		detail = json_object_get(e, "detail");
		snprintf(name, sizeof name, "Page.timeline.%zu.detail", i);
		/* A hiring manager learns nothing of the other roles someone is
		 * in: not even their titles. */
		if (office_is_manager(req) && json_is_integer(json_object_get(detail,
		    "role")) && role_is_manager(o->st, NULL, (uint64_t)
		    json_integer_value(json_object_get(detail, "role")),
		    req->user->id) != HE_OK) {
			snprintf(name, sizeof name, "Page.timeline.%zu.other_role", i);
			web_set(req, name, "1");
			snprintf(name, sizeof name, "Page.timeline.%zu.when", i);
			office_set_time(req, name, json_object_get(e, "at"), 0);
			snprintf(name, sizeof name, "Page.timeline.%zu.iso", i);
			set_iso(req, name, json_integer_value(json_object_get(e, "at")));
			continue;
		}
		office_set_fields(req, name, detail);
		snprintf(name, sizeof name, "Page.timeline.%zu.detail.fields", i);
		set_list(req, name, json_object_get(detail, "fields"));
		snprintf(name, sizeof name, "Page.timeline.%zu.when", i);
		office_set_time(req, name, json_object_get(e, "at"), 0);
		snprintf(name, sizeof name, "Page.timeline.%zu.iso", i);
		set_iso(req, name, json_integer_value(json_object_get(e, "at")));
	}
	json_decref(entries);
	web_set_int(req, "Page.tl.total", (long long)total);
	web_set_int(req, "Page.tl.page", (long long)page);
	web_set_int(req, "Page.tl.pages", (long long)((total + TIMELINE_PER_PAGE -
	    1) / TIMELINE_PER_PAGE));
	if (page > 1)
		web_set_int(req, "Page.tl.prev", (long long)page - 1);
	if (page * TIMELINE_PER_PAGE < total)
		web_set_int(req, "Page.tl.next", (long long)page + 1);
}

int
office_profile_context(struct web_req *req, uint64_t id, size_t tl_page_no)
{
	struct office *o = req->ctx;
	json_t *cand, *ledger, *mails, *v;
	char name[96];
	size_t i;
	int rc;

	if ((rc = cand_detail(o->st, id, &cand, &ledger, &mails)) != HE_OK)
		return rc;
	web_set_int(req, "Page.id", (long long)id);
	office_set_fields(req, "Page.cand", cand);
	office_set_fields(req, "Page.cand.basis", json_object_get(cand, "basis"));
	set_list(req, "Page.cand.interests", json_object_get(cand, "interests"));
	set_list(req, "Page.cand.skills", json_object_get(cand, "skills"));
	set_list(req, "Page.cand.tags", json_object_get(cand, "tags"));
	if (!json_is_string(json_object_get(cand, "status")))
		web_set(req, "Page.cand.status", "sourced");
	office_set_fields(req, "Page.cand.resume", json_object_get(cand, "resume"));
	office_set_time(req, "Page.cand.joined_at", json_object_get(cand, "joined"), 1);
	office_set_time(req, "Page.cand.updated_at", json_object_get(cand,
	    "updated"), 0);
	office_set_time(req, "Page.cand.engaged_at", json_object_get(cand,
	    "last_engaged"), 0);
	snprintf(name, sizeof name, "%.1f", engage_score(cand, clock_now()));
	web_set(req, "Page.cand.score", name);
	office_set_owners(req, (uint64_t)json_integer_value(json_object_get(cand,
	    "owner")));
	set_pools(req, cand);
	web_set_int(req, "Page.stale_months", conf_int(req->conf,
	    "Office.StaleMonths", FRESH_STALE_MONTHS));
	json_array_foreach(ledger, i, v) {
		snprintf(name, sizeof name, "Page.ledger.%zu", i);
		office_set_fields(req, name, v);
		snprintf(name, sizeof name, "Page.ledger.%zu.when", i);
		office_set_time(req, name, json_object_get(v, "at"), 1);
	}
	set_timeline(req, id, tl_page_no ? tl_page_no : 1);
	if (req->user->role != ROLE_HIRING_MANAGER)
		office_camp_person_context(req, id);
	office_role_person_context(req, id);
	json_decref(cand);
	json_decref(ledger);
	json_decref(mails);
	return HE_OK;
}

void
office_profile(struct web_req *req, uint64_t id, size_t tl_page_no, int status)
{
	int rc = office_profile_context(req, id, tl_page_no);

	if (rc == HE_NOTFOUND) {
		web_error(req, 404, "There is no such candidate: they may have been "
		    "erased at their request.");
		return;
	}
	if (rc != HE_OK) {
		web_fail(req, rc);
		return;
	}
	web_render(req, status, "office/candidate.cs");
}

void
page_candidate(struct web_req *req)
{
	struct office *o = req->ctx;
	const struct web_value *v = req->v;
	struct audit_actor who = office_actor(req);
	int rc;

	/* A hiring manager sees only the people of their roles' pipelines,
	 * and the same answer whether anyone else exists or not. */
	if (office_is_manager(req)) {
		rc = pipe_manager_may_see(o->st, NULL, req->user->id,
		    v[CAND_ID].num);
		if (rc == HE_NOTFOUND) {
			web_error(req, 403, "This person is not in the pipeline of a "
			    "role you are a hiring manager for.");
			return;
		}
		if (rc != HE_OK) {
			web_fail(req, rc);
			return;
		}
	}
	if (v[CAND_DONE].present)
		web_set(req, "Page.done", v[CAND_DONE].str);
	rc = office_profile_context(req, v[CAND_ID].num, v[CAND_TL].present ?
	    (size_t)v[CAND_TL].num : 1);
	/* Who looked at whom is kept: no view without its entry. */
	if (rc == HE_OK)
		rc = audit_log(o->st, NULL, &who, "view", v[CAND_ID].num, NULL);
	if (rc == HE_NOTFOUND)
		web_error(req, 404, "There is no such candidate: they may have been "
		    "erased at their request.");
	else if (rc != HE_OK)
		web_fail(req, rc);
	else
		web_render(req, 200, "office/candidate.cs");
}
