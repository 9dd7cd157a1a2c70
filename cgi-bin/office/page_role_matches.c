/* page_role_matches.c: a role's ranking of the people in the CRM, with the
 * reasons of each score, and what is done from it: shortlisting, a
 * personal mail, enrolling in a campaign */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "cgi-bin/office/office.h"
#include "crm/campaign.h"
#include "crm/candidates.h"
#include "crm/community.h"
#include "crm/index.h"
#include "crm/match.h"
#include "crm/pipeline.h"
#include "crm/pool.h"
#include "crm/role.h"
#include "crm/role_mail.h"
#include "util/he.h"
#include "util/text.h"

#define PER_PAGE 50
#define SUBJECT_MAX_CHARS 200
#define BODY_MAX_CHARS 10000

static const char *const done_choices[] = { "shortlisted", "already",
	"changed", "mailed", "held", "enrolled", NULL };

#define SHOWN_BYTES 8	/* the digest of the reasons a page showed */

#define FIELD_ROLE(name) { name, WEB_FT_UINT, WEB_FF_REQUIRED | WEB_FF_HIDDEN, \
	UINT64_MAX / 2, "Role", "Which role? The link or form is incomplete: " \
	"open the role again from the list.", NULL, NULL }
#define FIELD_CAND(name) { name, WEB_FT_UINT, WEB_FF_REQUIRED | WEB_FF_HIDDEN, \
	UINT64_MAX / 2, "Candidate", "Which candidate? The form is " \
	"incomplete: open the role's ranking again.", NULL, NULL }
/* Where to go back to: the ranking's query string (page and filters). */
#define FIELD_BACK { "back", WEB_FT_TEXT, WEB_FF_HIDDEN, 400, "Back", NULL, \
	NULL, back_check }

/* A query string of the ranking's own fields only: it goes into a
 * redirect, so nothing that could make it leave the page. */
static const char *
back_check(const char *v)
{
	for (const char *p = v; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("=&%+-_.", *p)))
			return "This form is incomplete: open the ranking again.";
	return NULL;
}

const struct web_field role_match_fields[] = {
	[RM_ID] = FIELD_ROLE("id"),
	[RM_PAGE] = { "page", WEB_FT_UINT, 0, 1000000, "Page", NULL, NULL, NULL },
	[RM_CITY] = { "city", WEB_FT_TEXT, 0, 80, "City", NULL, NULL, NULL },
	[RM_COUNTRY] = { "country", WEB_FT_TEXT, 0, 80, "Country", NULL, NULL,
	    NULL },
	[RM_SENIORITY] = { "seniority", WEB_FT_CHOICE, 0, 0, "Seniority", NULL,
	    comm_seniorities, NULL },
	[RM_POOL] = { "pool", WEB_FT_UINT, 0, UINT32_MAX, "Pool", NULL, NULL,
	    NULL },
	[RM_LEVEL] = { "level", WEB_FT_CHOICE, 0, 0, "Engagement", NULL,
	    cand_levels, NULL },
	[RM_DONE] = { "done", WEB_FT_CHOICE, 0, 0, "Done", NULL, done_choices,
	    NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

const struct web_field role_shortlist_fields[] = {
	[RSL_ROLE] = FIELD_ROLE("role"),
	[RSL_CAND] = FIELD_CAND("cand"),
	[RSL_BACK] = FIELD_BACK,
	[RSL_SHOWN] = { "shown", WEB_FT_TEXT, WEB_FF_REQUIRED | WEB_FF_HIDDEN,
	    2 * SHOWN_BYTES, "Reasons shown", "The form is incomplete: open the "
	    "ranking again.", NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

const struct web_field role_mail_view_fields[] = {
	[RMAIL_ROLE] = FIELD_ROLE("role"),
	[RMAIL_CAND] = FIELD_CAND("cand"),
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

const struct web_field role_mail_fields[] = {
	[RMAIL_ROLE] = FIELD_ROLE("role"),
	[RMAIL_CAND] = FIELD_CAND("cand"),
	[RMAIL_SUBJECT] = { "subject", WEB_FT_TEXT, WEB_FF_REQUIRED,
	    SUBJECT_MAX_CHARS, "Subject", "Please write a subject.", NULL, NULL },
	[RMAIL_BODY] = { "body", WEB_FT_LONGTEXT, WEB_FF_REQUIRED,
	    BODY_MAX_CHARS, "Message", "Please write the message.", NULL, NULL },
	/* The recipient, shown read-only: a refusal is said next to it. What
	 * it holds is never used; the address is the candidate's. */
	[RMAIL_TO] = { "to", WEB_FT_TEXT, 0, 600, "To", NULL, NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

const struct web_field role_enrol_fields[] = {
	[RENR_ROLE] = FIELD_ROLE("role"),
	[RENR_CAND] = FIELD_CAND("cand"),
	[RENR_CAMP] = { "camp", WEB_FT_UINT, WEB_FF_REQUIRED, UINT32_MAX,
	    "Campaign", "Please choose a campaign.", NULL, NULL },
	[RENR_BACK] = FIELD_BACK,
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

/* The index of name in names (-1). */
static int
index_of(const char *const *names, int n, const char *name)
{
	for (int i = 0; i < n && names[i]; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return -1;
}

/* The filters as Page.qs (for links and the forms' "back") and what they
 * select as a bitmap in *only (NULL: no filter). */
static int
filters(struct web_req *req, const struct web_value *v, roaring_bitmap_t **only)
{
	struct office *o = req->ctx;
	struct cand_query q;
	char *qs = NULL;
	size_t len = 0;
	FILE *f;
	int rc = HE_OK;

	*only = NULL;
	cand_query_init(&q);
	if ((f = open_memstream(&qs, &len)) == NULL)
		return HE_NOMEM;
	fprintf(f, "id=%" PRIu64, v[RM_ID].num);
#define ADD(field, k) do { \
	if (v[field].present && v[field].str[0]) { \
		fputs("&" k "=", f); \
		for (const unsigned char *p = (const unsigned char *)v[field].str; \
		    *p; p++) \
			if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || \
			    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || \
			    *p == '.') \
				fputc(*p, f); \
			else \
				fprintf(f, "%%%02X", *p); \
	} \
} while (0)
	ADD(RM_CITY, "city");
	ADD(RM_COUNTRY, "country");
	ADD(RM_SENIORITY, "seniority");
	ADD(RM_LEVEL, "level");
#undef ADD
	if (v[RM_POOL].present && v[RM_POOL].num)
		fprintf(f, "&pool=%" PRIu64, v[RM_POOL].num);
	fclose(f);
	if (qs == NULL)
		return HE_NOMEM;
	web_set(req, "Page.filter_qs", qs);
	free(qs);
	if (v[RM_CITY].present)
		snprintf(q.city, sizeof q.city, "%s", v[RM_CITY].str);
	if (v[RM_COUNTRY].present)
		snprintf(q.country, sizeof q.country, "%s", v[RM_COUNTRY].str);
	if (v[RM_SENIORITY].present) {
		q.seniority.n = 1;
		snprintf(q.seniority.v[0], sizeof q.seniority.v[0], "%s",
		    v[RM_SENIORITY].str);
	}
	if (v[RM_LEVEL].present) {
		q.level.n = 1;
		snprintf(q.level.v[0], sizeof q.level.v[0], "%s", v[RM_LEVEL].str);
	}
	if (v[RM_POOL].present)
		q.pool = v[RM_POOL].num;
	if (!cand_query_empty(&q)) {
		web_set(req, "Page.filtered", "1");
		rc = cand_search_ids(o->st, NULL, &q, only);
	}
	return rc;
}

/* One explanation (match_explain's) under prefix. */
static void
set_explain(struct web_req *req, const char *prefix, json_t *ex)
{
	static const char *const lists[] = { "required_matched",
		"required_missing", "nice_matched", "nice_missing", NULL };
	char name[192];
	size_t i, j;
	json_t *p, *s;

	snprintf(name, sizeof name, "%s.score", prefix);
	web_set_int(req, name, json_integer_value(json_object_get(ex, "score")));
	if (json_is_true(json_object_get(ex, "needs_basis"))) {
		snprintf(name, sizeof name, "%s.needs_basis", prefix);
		web_set(req, name, "1");
	}
	json_array_foreach(json_object_get(ex, "parts"), i, p) {
		snprintf(name, sizeof name, "%s.parts.%zu", prefix, i);
		office_set_fields(req, name, p);
	}
	for (i = 0; lists[i]; i++)
		json_array_foreach(json_object_get(ex, lists[i]), j, s) {
			snprintf(name, sizeof name, "%s.%s.%zu", prefix, lists[i], j);
			web_set(req, name, json_string_value(s) ?: "");
		}
}

/* The campaigns one may enrol people in from the ranking (Page.camps). */
static void
set_campaigns(struct web_req *req)
{
	struct office *o = req->ctx;
	json_t *list, *c;
	size_t i, n = 0;
	char name[96];

	if (campaign_list(o->st, &list) != HE_OK)
		return;
	json_array_foreach(list, i, c) {
		const char *state = json_string_value(json_object_get(c, "state"));

		if (state && strcmp(state, "archived") == 0)
			continue;
		snprintf(name, sizeof name, "Page.camps.%zu.id", n);
		web_set_int(req, name, json_integer_value(json_object_get(c, "id")));
		snprintf(name, sizeof name, "Page.camps.%zu.name", n++);
		web_set(req, name, json_string_value(json_object_get(c, "name")) ?: "");
	}
	json_decref(list);
}

/* The filter form's choices: the pools. */
static void
set_pools(struct web_req *req)
{
	struct office *o = req->ctx;
	json_t *pools, *p;
	char name[96];
	size_t i;

	if (pool_names(o->st, &pools) != HE_OK)
		return;
	json_array_foreach(pools, i, p) {
		snprintf(name, sizeof name, "Page.pools.%zu", i);
		office_set_fields(req, name, p);
	}
	json_decref(pools);
}

/* The digest of an explanation as text (hex, NUL-terminated): what a
 * ranking showed, posted back with its Shortlist button, so that what is
 * kept with the decision is what was shown. 0 when it cannot be made. */
static int
explain_digest(json_t *ex, char out[2 * SHOWN_BYTES + 1])
{
	unsigned char d[SHOWN_BYTES];
	char *text = json_dumps(ex, JSON_SORT_KEYS | JSON_COMPACT);

	if (text == NULL)
		return 0;
	crypto_generichash(d, sizeof d, (const unsigned char *)text,
	    strlen(text), NULL, 0);
	free(text);
	sodium_bin2hex(out, 2 * SHOWN_BYTES + 1, d, sizeof d);
	return 1;
}

/* The ranking page's data: role id (loaded by the caller into role),
 * page page of the ranking under the filters of v. */
static int
ranking_context(struct web_req *req, json_t *role, const struct web_value *v,
    size_t page)
{
	struct office *o = req->ctx;
	struct match_role mr;
	struct match_hit *hits = NULL;
	roaring_bitmap_t *only = NULL;
	size_t n = 0, pages;
	uint64_t total = 0, id = v[RM_ID].num;
	int64_t today = match_today();
	char name[128];
	int rc;

	if ((rc = match_role_compile(id, role, &mr)) != HE_OK) {
		web_set(req, "Page.uncompiled", "1");
		return HE_OK;
	}
	if ((rc = filters(req, v, &only)) != HE_OK)
		return rc;
	rc = match_rank(o->st, &mr, only, today, (page - 1) * PER_PAGE, PER_PAGE,
	    &hits, &n, &total);
	if (only)
		roaring_bitmap_free(only);
	if (rc != HE_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		json_t *ex = match_explain(&mr, &hits[i].cand, &hits[i].score), *rec,
		    *entry;
		uint64_t cand = hits[i].cand.id;

		snprintf(name, sizeof name, "Page.hits.%zu", i);
		if (ex) {
			char shown[2 * SHOWN_BYTES + 1];

			set_explain(req, name, ex);
			if (explain_digest(ex, shown)) {
				snprintf(name, sizeof name, "Page.hits.%zu.shown", i);
				web_set(req, name, shown);
			}
		}
		json_decref(ex);
		snprintf(name, sizeof name, "Page.hits.%zu.id", i);
		web_set_int(req, name, (long long)cand);
		snprintf(name, sizeof name, "Page.hits.%zu.rank", i);
		web_set_int(req, name, (long long)((page - 1) * PER_PAGE + i + 1));
		if (cand_get(o->st, cand, &rec) == HE_OK) {
			snprintf(name, sizeof name, "Page.hits.%zu.name", i);
			web_set(req, name, json_string_value(json_object_get(rec,
			    "name")) ?: "");
			snprintf(name, sizeof name, "Page.hits.%zu.title", i);
			web_set(req, name, json_string_value(json_object_get(rec,
			    "title")) ?: "");
			json_decref(rec);
		}
		if (pipe_get(o->st, NULL, id, cand, &entry) == HE_OK) {
			const char *stage = json_string_value(json_object_get(entry,
			    "stage"));
			int s = stage ? index_of(pipe_stage_names, PIPE_STAGE__MAX,
			    stage) : -1;

			snprintf(name, sizeof name, "Page.hits.%zu.stage", i);
			web_set(req, name, s >= 0 ? pipe_stage_labels[s] : "In it");
			json_decref(entry);
		}
	}
	free(hits);
	pages = total ? (size_t)((total + PER_PAGE - 1) / PER_PAGE) : 1;
	web_set_int(req, "Page.total", (long long)total);
	web_set_int(req, "Page.page", (long long)page);
	web_set_int(req, "Page.pages", (long long)pages);
	web_set_int(req, "Page.first_rank", (long long)((page - 1) * PER_PAGE + 1));
	if (page > 1)
		web_set_int(req, "Page.prev", (long long)page - 1);
	if (page < pages)
		web_set_int(req, "Page.next", (long long)page + 1);
	set_pools(req);
	set_campaigns(req);
	return HE_OK;
}

void
page_role_matches(struct web_req *req)
{
	const struct web_value *v = req->v;
	size_t page = v[RM_PAGE].present && v[RM_PAGE].num ? v[RM_PAGE].num : 1;
	json_t *role = office_role_load(req, v[RM_ID].num, 1);
	int rc;

	if (role == NULL)
		return;
	if (v[RM_DONE].present)
		web_set(req, "Page.done", v[RM_DONE].str);
	rc = ranking_context(req, role, v, page);
	json_decref(role);
	if (rc != HE_OK)
		web_fail(req, rc);
	else
		web_render(req, 200, "office/role_matches.cs");
}

/* Back to the ranking where the form was, saying what was done. */
static void
back_to_ranking(struct web_req *req, uint64_t role, const char *back,
    const char *done, uint64_t cand)
{
	char path[600];

	if (back[0])
		snprintf(path, sizeof path, "/office/role/matches?%s&done=%s#cand-%"
		    PRIu64, back, done, cand);
	else
		snprintf(path, sizeof path, "/office/role/matches?id=%" PRIu64
		    "&done=%s#cand-%" PRIu64, role, done, cand);
	web_redirect(req, 303, path);
}

void
page_role_shortlist(struct web_req *req)
{
	struct office *o = req->ctx;
	struct audit_actor who = office_actor(req);
	const struct web_value *v = req->v;
	struct match_role mr;
	struct match_cand mc;
	struct match_score sc;
	json_t *role, *explain;
	char shown[2 * SHOWN_BYTES + 1];
	int rc;

	if ((role = office_role_load(req, v[RSL_ROLE].num, 1)) == NULL)
		return;
	rc = match_role_compile(v[RSL_ROLE].num, role, &mr);
	json_decref(role);
	if (rc != HE_OK) {
		web_error(req, 400, "This role cannot be ranked yet: edit it to "
		    "give it what it lacks.");
		return;
	}
	if ((rc = match_get(o->st, NULL, v[RSL_CAND].num, &mc)) == HE_NOTFOUND) {
		/* Not made yet (a rebuild under way): from their record. */
		json_t *rec;

		if ((rc = cand_get(o->st, v[RSL_CAND].num, &rec)) == HE_NOTFOUND) {
			web_error(req, 404, "There is no such candidate: they may have "
			    "been erased at their request.");
			return;
		}
		if (rc == HE_OK) {
			match_cand_from_json(v[RSL_CAND].num, rec, &mc);
			json_decref(rec);
		}
	}
	if (rc != HE_OK) {
		web_fail(req, rc);
		return;
	}
	/* The reasons kept are those shown: made again from the same record
	 * on the same day, they must be the page's, or the page is shown as
	 * it is now. Someone excluded since is refused by pipe_shortlist. */
	match_score(&mr, &mc, match_today(), &sc);
	if ((explain = match_explain(&mr, &mc, &sc)) == NULL ||
	    !explain_digest(explain, shown)) {
		json_decref(explain);
		web_fail(req, HE_NOMEM);
		return;
	}
	if (!sc.excluded && strcmp(shown, v[RSL_SHOWN].str) != 0) {
		json_decref(explain);
		back_to_ranking(req, v[RSL_ROLE].num, v[RSL_BACK].str, "changed",
		    v[RSL_CAND].num);
		return;
	}
	rc = pipe_shortlist(o->st, &who, v[RSL_ROLE].num, v[RSL_CAND].num, explain);
	json_decref(explain);
	if (rc == HE_EXISTS) {
		back_to_ranking(req, v[RSL_ROLE].num, v[RSL_BACK].str, "already",
		    v[RSL_CAND].num);
		return;
	}
	if (rc == HE_INVALID) {
		web_error(req, 409, "This person cannot be shortlisted for this role: "
		    "the role is closed, or they may not be contacted (do not "
		    "contact, or hired).");
		return;
	}
	if (rc == HE_NOTFOUND) {
		web_error(req, 404, "There is no such candidate or role any more.");
		return;
	}
	if (rc != HE_OK) {
		web_fail(req, rc);
		return;
	}
	back_to_ranking(req, v[RSL_ROLE].num, v[RSL_BACK].str, "shortlisted",
	    v[RSL_CAND].num);
}

/* ---- the personal mail ---- */

/* The mail form's page data: the role, the person, their explanation. */
static int
mail_context(struct web_req *req, uint64_t role_id, uint64_t cand)
{
	struct office *o = req->ctx;
	json_t *rec;
	const char *no;
	int rc;

	if ((rc = cand_get(o->st, cand, &rec)) != HE_OK)
		return rc;
	web_set_int(req, "Page.cand.id", (long long)cand);
	web_set(req, "Page.cand.name", json_string_value(json_object_get(rec,
	    "name")) ?: "");
	web_set(req, "Page.cand.email", json_string_value(json_object_get(rec,
	    "email")) ?: "");
	/* Said before anything is typed: why they may not be written to. */
	if ((no = role_mail_refusal(o->st, NULL, rec)) != NULL)
		web_set(req, "Page.refusal", no);
	json_decref(rec);
	(void)role_id;
	return HE_OK;
}

void
page_role_mail_form(struct web_req *req)
{
	const struct web_value *v = req->v;
	json_t *role = office_role_load(req, v[RMAIL_ROLE].num, 1);
	int rc;

	if (role == NULL)
		return;
	json_decref(role);
	if ((rc = mail_context(req, v[RMAIL_ROLE].num, v[RMAIL_CAND].num)) ==
	    HE_NOTFOUND) {
		web_error(req, 404, "There is no such candidate: they may have been "
		    "erased at their request.");
		return;
	}
	if (rc != HE_OK) {
		web_fail(req, rc);
		return;
	}
	web_set(req, "Form.subject.value", role_mail_subject());
	web_set(req, "Form.body.value", role_mail_body());
	web_render(req, 200, "office/role_mail.cs");
}

void
office_role_mail_context(struct web_req *req, const struct web_value *v)
{
	struct office *o = req->ctx;
	json_t *role;

	if (hdf_get_int_value(req->hdf, "Form.error_count", 0) == 0 ||
	    !v[RMAIL_ROLE].present || !v[RMAIL_CAND].present ||
	    office_is_manager(req))
		return;
	if (role_get(o->st, NULL, v[RMAIL_ROLE].num, &role) != HE_OK)
		return;
	web_set_int(req, "Page.role.id", (long long)v[RMAIL_ROLE].num);
	web_set(req, "Page.role.title", json_string_value(json_object_get(role,
	    "title")) ?: "");
	json_decref(role);
	mail_context(req, v[RMAIL_ROLE].num, v[RMAIL_CAND].num);
}

void
page_role_mail(struct web_req *req)
{
	struct office *o = req->ctx;
	struct audit_actor who = office_actor(req);
	const struct web_value *v = req->v;
	json_t *role = office_role_load(req, v[RMAIL_ROLE].num, 1), *errors = NULL;
	char why[400] = "", path[160];
	int rc;

	if (role == NULL)
		return;
	json_decref(role);
	if (role_mail_check(v[RMAIL_SUBJECT].str, v[RMAIL_BODY].str, &errors) ==
	    HE_INVALID) {
		const char *key;
		json_t *m;

		json_object_foreach(errors, key, m)
			web_form_error(req, strcmp(key, "subject") == 0 ? "subject" :
			    "body", json_is_string(m) ? json_string_value(m) :
			    "This cannot be sent as it is: please check it.");
		json_decref(errors);
		if ((rc = mail_context(req, v[RMAIL_ROLE].num, v[RMAIL_CAND].num)) !=
		    HE_OK)
			web_fail(req, rc);
		else
			web_render(req, 400, "office/role_mail.cs");
		return;
	}
	json_decref(errors);
	rc = role_mail_queue(o->st, &who, v[RMAIL_ROLE].num, v[RMAIL_CAND].num,
	    v[RMAIL_SUBJECT].str, v[RMAIL_BODY].str, why, sizeof why);
	if (rc == HE_DENIED || rc == HE_INVALID) {
		/* Who may not be contacted is said next to the recipient; a
		 * template that does not merge, next to what was typed. */
		const char *field = rc == HE_DENIED ? "to" : strstr(why, "ubject") ?
		    "subject" : "body";
		int status = rc == HE_DENIED ? 409 : 400;

		web_form_error(req, field, why[0] ? why : rc == HE_DENIED ?
		    "This person may not be contacted now." :
		    "This message cannot be sent as it is: please check it.");
		if ((rc = mail_context(req, v[RMAIL_ROLE].num, v[RMAIL_CAND].num)) !=
		    HE_OK) {
			web_fail(req, rc);
			return;
		}
		web_render(req, status, "office/role_mail.cs");
		return;
	}
	if (rc == HE_NOTFOUND) {
		web_error(req, 404, "There is no such candidate or role any more.");
		return;
	}
	if (rc != HE_OK) {
		web_fail(req, rc);
		return;
	}
	/* Held back by the frequency cap: said, it goes later by itself. */
	snprintf(path, sizeof path, "/office/role/matches?id=%" PRIu64
	    "&done=%s#cand-%" PRIu64, v[RMAIL_ROLE].num, why[0] ? "held" : "mailed",
	    v[RMAIL_CAND].num);
	web_redirect(req, 303, path);
}

/* ---- enrolling in a campaign ---- */

/* The ranking's values again from a form's "back" (its query string,
 * back_check's characters only): the known fields, each checked as the
 * route's table would; the rest ignored. */
static void
values_from_back(struct web_req *req, const char *back, uint64_t role,
    struct web_value *v, char text[][QUERY_VALUE_MAX + 1])
{
	memset(v, 0, sizeof *v * (RM__MAX + 1));
	for (int i = 0; i < RM__MAX; i++) {
		text[i][0] = '\0';
		v[i].str = text[i];
	}
	v[RM_ID].present = 1;
	v[RM_ID].num = role;
	for (const char *p = back; *p; ) {
		const char *eq = strchr(p, '='), *end = strchr(p, '&');
		size_t klen, n = 0;
		int f = -1;
		char *out;

		if (end == NULL)
			end = p + strlen(p);
		if (eq == NULL || eq > end) {
			p = *end ? end + 1 : end;
			continue;
		}
		klen = (size_t)(eq - p);
		for (int i = RM_PAGE; i < RM_DONE; i++)
			if (strlen(role_match_fields[i].name) == klen &&
			    strncmp(p, role_match_fields[i].name, klen) == 0)
				f = i;
		if (f >= 0) {
			out = text[f];
			for (const char *q = eq + 1; q < end && n < QUERY_VALUE_MAX; q++) {
				unsigned x;

				if (*q == '%' && end - q > 2 && sscanf(q + 1, "%2x", &x) == 1) {
					out[n++] = (char)x;
					q += 2;
				} else {
					out[n++] = *q == '+' ? ' ' : *q;
				}
			}
			out[n] = '\0';
			v[f].present = n > 0 && text_utf8_valid(out, n);
			for (size_t c = 0; c < n; c++)
				if ((unsigned char)out[c] < 0x20)
					v[f].present = 0;
			if (role_match_fields[f].type == WEB_FT_UINT) {
				char *e;

				v[f].num = strtoull(out, &e, 10);
				v[f].present = n > 0 && *e == '\0' &&
				    v[f].num <= role_match_fields[f].max;
			} else if (role_match_fields[f].choices) {
				int ok = 0;

				for (size_t c = 0; role_match_fields[f].choices[c]; c++)
					ok |= strcmp(out, role_match_fields[f].choices[c]) == 0;
				v[f].present = n > 0 && ok;
			}
			if (!v[f].present)
				out[0] = '\0';
			else if (f != RM_PAGE) {
				char name[64];

				snprintf(name, sizeof name, "Form.%s.value",
				    role_match_fields[f].name);
				web_set(req, name, out);
			}
		}
		p = *end ? end + 1 : end;
	}
}

/* The ranking the enrol form was on (its page and filters, from the form's
 * back field), with the error said next to that person's campaign choice. */
static int
enrol_error_context(struct web_req *req, json_t *role,
    const struct web_value *v)
{
	struct web_value again[RM__MAX + 1];
	char text[RM__MAX][QUERY_VALUE_MAX + 1];

	web_set_int(req, "Page.error_cand", (long long)v[RENR_CAND].num);
	values_from_back(req, v[RENR_BACK].str, v[RENR_ROLE].num, again, text);
	return ranking_context(req, role, again, again[RM_PAGE].present &&
	    again[RM_PAGE].num ? again[RM_PAGE].num : 1);
}

void
office_role_enrol_context(struct web_req *req, const struct web_value *v)
{
	json_t *role;

	if (hdf_get_int_value(req->hdf, "Form.error_count", 0) == 0 ||
	    !v[RENR_ROLE].present || !v[RENR_CAND].present ||
	    office_is_manager(req))
		return;
	if (role_get(((struct office *)req->ctx)->st, NULL, v[RENR_ROLE].num,
	    &role) != HE_OK)
		return;
	/* Failing, the error summary still says what was wrong. */
	(void)enrol_error_context(req, role, v);
	json_decref(role);
}

void
page_role_enrol(struct web_req *req)
{
	struct office *o = req->ctx;
	const struct web_value *v = req->v;
	json_t *role = office_role_load(req, v[RENR_ROLE].num, 1);
	const char *why;
	int rc;

	if (role == NULL)
		return;
	why = campaign_enrol_why(o->st, v[RENR_CAMP].num, v[RENR_CAND].num);
	rc = why ? HE_INVALID : campaign_enrol(o->st, v[RENR_CAMP].num,
	    v[RENR_CAND].num, req->user->id);
	if (rc == HE_INVALID || rc == HE_EXISTS || rc == HE_NOTFOUND) {
		web_form_error(req, "camp", why ? campaign_why_text(why) :
		    rc == HE_EXISTS ? "They are already in this campaign." :
		    "There is no such campaign any more: choose another.");
		rc = enrol_error_context(req, role, v);
		json_decref(role);
		if (rc != HE_OK)
			web_fail(req, rc);
		else
			web_render(req, 409, "office/role_matches.cs");
		return;
	}
	json_decref(role);
	if (rc != HE_OK) {
		web_fail(req, rc);
		return;
	}
	back_to_ranking(req, v[RENR_ROLE].num, v[RENR_BACK].str, "enrolled",
	    v[RENR_CAND].num);
}
