/* page_roles.c: roles (requisitions): the list, a new role, its page,
 * editing, states, comments and the reviewable silver-medallist list */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgi-bin/office/office.h"
#include "crm/candidates.h"
#include "crm/community.h"
#include "crm/match.h"
#include "crm/pipeline.h"
#include "crm/role.h"
#include "util/he.h"

#define PER_PAGE 25
#define LOCATIONS_MAX_CHARS 1000
#define SKILLS_MAX_CHARS 1000

static const char *const done_choices[] = { "created", "saved", "open",
	"on_hold", "filled", "closed", "comment", "undone", NULL };

const struct web_field role_list_fields[] = {
	[RLIST_PAGE] = { "page", WEB_FT_UINT, 0, 100000, "Page", NULL, NULL,
	    NULL },
	[RLIST_STATUS] = { "status", WEB_FT_CHOICE, 0, 0, "Status", NULL,
	    role_status_names, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

#define FIELD_ROLE(name) { name, WEB_FT_UINT, WEB_FF_REQUIRED | WEB_FF_HIDDEN, \
	UINT64_MAX / 2, "Role", "Which role? The link or form is incomplete: " \
	"open the role again from the list.", NULL, NULL }
#define FIELD_CAND(name) { name, WEB_FT_UINT, WEB_FF_REQUIRED | WEB_FF_HIDDEN, \
	UINT64_MAX / 2, "Candidate", "Which candidate? The form is " \
	"incomplete: open the role again from the list.", NULL, NULL }

const struct web_field role_view_fields[] = {
	[RVIEW_ID] = FIELD_ROLE("id"),
	[RVIEW_DONE] = { "done", WEB_FT_CHOICE, 0, 0, "Done", NULL,
	    done_choices, NULL },
	[RVIEW_CPAGE] = { "cpage", WEB_FT_UINT, 0, 1000, "Page of comments", NULL,
	    NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

const struct web_field role_form_fields[] = {
	[RF_ID] = { "id", WEB_FT_UINT, WEB_FF_HIDDEN, UINT64_MAX / 2, "Role",
	    NULL, NULL, NULL },
	[RF_GEN] = { "gen", WEB_FT_UINT, WEB_FF_HIDDEN, INT64_MAX, "Version",
	    NULL, NULL, NULL },
	[RF_TITLE] = { "title", WEB_FT_TEXT, WEB_FF_REQUIRED, 120, "Title",
	    "Please give the role a title, such as Senior Go engineer.", NULL,
	    NULL },
	[RF_TEAM] = { "team", WEB_FT_TEXT, 0, 80, "Team", NULL, NULL, NULL },
	[RF_FAMILY] = { "family", WEB_FT_CHOICE, WEB_FF_REQUIRED, 0, "Job family",
	    "Choose the job family.", office_families, NULL },
	[RF_LOCATIONS] = { "locations", WEB_FT_LONGTEXT, 0, LOCATIONS_MAX_CHARS,
	    "Locations", NULL, NULL, NULL },
	[RF_REMOTE] = { "remote", WEB_FT_CHOICE, WEB_FF_REQUIRED, 0,
	    "Remote policy", "Please say whether the role is on site, hybrid "
	    "or remote.", match_remote_names, NULL },
	[RF_SENIORITY] = { "seniority", WEB_FT_CHOICE, 0, 0, "Seniority", NULL,
	    comm_seniorities, NULL },
	[RF_REQUIRED] = { "required", WEB_FT_TEXT, 0, SKILLS_MAX_CHARS,
	    "Required skills", NULL, NULL, NULL },
	[RF_NICE] = { "nice", WEB_FT_LONGTEXT, 0, SKILLS_MAX_CHARS,
	    "Nice-to-have skills", NULL, NULL, NULL },
	[RF_DESCRIPTION] = { "description", WEB_FT_LONGTEXT, 0, 8000,
	    "Description", NULL, NULL, NULL },
	[RF_MANAGERS] = { "managers", WEB_FT_MULTI, 0, 20, "Hiring managers",
	    NULL, NULL, NULL },
	[RF_OWNER] = { "owner", WEB_FT_UINT, WEB_FF_REQUIRED, UINT64_MAX / 2,
	    "Owner", "Please choose who owns the role.", NULL, NULL },
	[RF_THRESHOLD] = { "threshold", WEB_FT_UINT, 0, 100,
	    "New-match alert score", NULL, NULL, NULL },
	[RF_OPEN] = { "open", WEB_FT_CHECKBOX, 0, 0, "Open the role now", NULL,
	    NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

const struct web_field role_state_fields[] = {
	[RSTATE_ID] = FIELD_ROLE("id"),
	[RSTATE_STATUS] = { "status", WEB_FT_CHOICE, WEB_FF_REQUIRED |
	    WEB_FF_HIDDEN, 0, "Status", "Please use one of the role's buttons.",
	    role_status_names, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

const struct web_field role_comment_fields[] = {
	[RCOMM_ID] = FIELD_ROLE("id"),
	[RCOMM_TEXT] = { "text", WEB_FT_LONGTEXT, WEB_FF_REQUIRED, 4000,
	    "Comment", "Please write the comment first.", NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

const struct web_field role_silver_fields[] = {
	[RSILV_ID] = FIELD_ROLE("id"),
	[RSILV_CAND] = FIELD_CAND("cand"),
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

int
office_is_manager(const struct web_req *req)
{
	return req->user != NULL && req->user->role == ROLE_HIRING_MANAGER;
}

/* An array of strings as Page data name.N. */
static void
set_strings(struct web_req *req, const char *prefix, json_t *arr)
{
	char name[160];
	size_t i;
	json_t *v;

	json_array_foreach(arr, i, v) {
		snprintf(name, sizeof name, "%s.%zu", prefix, i);
		web_set(req, name, json_is_string(v) ? json_string_value(v) : "");
	}
}

/* The email (or name) of user id, for people; "" when unknown. */
static void
set_user(struct web_req *req, const char *name, uint64_t id)
{
	struct office *o = req->ctx;
	struct auth_user_info u;

	if (id == 0 || auth_user_get(o->st, id, &u) != HE_OK)
		return;
	web_set(req, name, u.name[0] ? u.name : u.email);
}

/* What every role page shows of it, under Page.role. */
static void
set_role(struct web_req *req, json_t *role)
{
	const char *status = json_string_value(json_object_get(role, "status"));
	json_t *v;
	char name[160];
	size_t i;

	office_set_fields(req, "Page.role", role);
	if (status == NULL)
		web_set(req, "Page.role.status", "draft");
	office_set_time(req, "Page.role.opened_at", json_object_get(role,
	    "opened"), 0);
	office_set_time(req, "Page.role.closed_at", json_object_get(role,
	    "closed"), 0);
	office_set_time(req, "Page.role.updated_at", json_object_get(role,
	    "updated"), 0);
	set_user(req, "Page.role.owner_name", (uint64_t)json_integer_value(
	    json_object_get(role, "owner")));
	set_strings(req, "Page.role.required", json_object_get(role, "required"));
	json_array_foreach(json_object_get(role, "nice"), i, v) {
		snprintf(name, sizeof name, "Page.role.nice.%zu", i);
		office_set_fields(req, name, v);
	}
	json_array_foreach(json_object_get(role, "locations"), i, v) {
		snprintf(name, sizeof name, "Page.role.locations.%zu", i);
		office_set_fields(req, name, v);
	}
	json_array_foreach(json_object_get(role, "managers"), i, v) {
		snprintf(name, sizeof name, "Page.role.managers.%zu", i);
		set_user(req, name, (uint64_t)json_integer_value(v));
	}
}

json_t *
office_role_load(struct web_req *req, uint64_t id, int staff_only)
{
	struct office *o = req->ctx;
	json_t *role;
	int rc;

	if (office_is_manager(req)) {
		/* Not attached, or asking for what only staff do: the same 403
		 * whether the role exists or not, so nothing is given away. */
		rc = staff_only ? HE_NOTFOUND : role_is_manager(o->st, NULL, id,
		    req->user->id);
		if (rc == HE_NOTFOUND) {
			web_error(req, 403, "This page is not one of the roles you "
			    "are a hiring manager for. Your home page lists yours.");
			return NULL;
		}
		if (rc != HE_OK) {
			web_fail(req, rc);
			return NULL;
		}
	}
	if ((rc = role_get(o->st, NULL, id, &role)) == HE_NOTFOUND) {
		web_error(req, 404, "There is no such role. See the list of roles.");
		return NULL;
	}
	if (rc != HE_OK) {
		web_fail(req, rc);
		return NULL;
	}
	web_set_int(req, "Page.role.id", (long long)id);
	set_role(req, role);
	if (office_is_manager(req))
		web_set(req, "Page.manager", "1");
	return role;
}

/* ---- the list ---- */

static int
status_of(const char *s)
{
	for (int i = 0; i < ROLE_STATUS__MAX; i++)
		if (strcmp(s, role_status_names[i]) == 0)
			return i;
	return -1;
}

/* One page of the roles (a hiring manager's own only) into Page.roles. */
static int
roles_fill(struct web_req *req, size_t page, int status, const char *prefix)
{
	struct office *o = req->ctx;
	uint64_t manager = office_is_manager(req) ? req->user->id : 0;
	json_t *rows, *r;
	size_t total, pages, i;
	char name[96];
	int rc;

	if ((rc = role_list(o->st, status, manager, page, PER_PAGE, &rows,
	    &total)) != HE_OK)
		return rc;
	json_array_foreach(rows, i, r) {
		snprintf(name, sizeof name, "%s.%zu", prefix, i);
		office_set_fields(req, name, r);
		if (!json_is_string(json_object_get(r, "status"))) {
			snprintf(name, sizeof name, "%s.%zu.status", prefix, i);
			web_set(req, name, "draft");
		}
		snprintf(name, sizeof name, "%s.%zu.owner_name", prefix, i);
		set_user(req, name, (uint64_t)json_integer_value(json_object_get(r,
		    "owner")));
		snprintf(name, sizeof name, "%s.%zu.opened_at", prefix, i);
		office_set_time(req, name, json_object_get(r, "opened"), 0);
	}
	json_decref(rows);
	pages = total ? (total + PER_PAGE - 1) / PER_PAGE : 1;
	web_set_int(req, "Page.total", (long long)total);
	web_set_int(req, "Page.page", (long long)page);
	web_set_int(req, "Page.pages", (long long)pages);
	if (page > 1)
		web_set_int(req, "Page.prev", (long long)page - 1);
	if (page < pages)
		web_set_int(req, "Page.next", (long long)page + 1);
	return HE_OK;
}

void
page_roles(struct web_req *req)
{
	const struct web_value *v = req->v;
	size_t page = v[RLIST_PAGE].present && v[RLIST_PAGE].num ?
	    v[RLIST_PAGE].num : 1;
	int status = v[RLIST_STATUS].present ? status_of(v[RLIST_STATUS].str) : -1;
	int rc;

	if (v[RLIST_STATUS].present)
		web_set(req, "Page.status", v[RLIST_STATUS].str);
	if ((rc = roles_fill(req, page, status, "Page.roles")) != HE_OK)
		web_fail(req, rc);
	else
		web_render(req, 200, "office/roles.cs");
}

void
office_role_home(struct web_req *req)
{
	int rc = roles_fill(req, 1, -1, "Page.roles");

	if (rc != HE_OK)
		web_fail(req, rc);
	else
		web_render(req, 200, "office/home.cs");
}

/* ---- the form ---- */

/* The users the form offers: hiring managers (Page.managers) and those
 * who may own a role (Page.owners: admins and recruiters). */
static void
set_people(struct web_req *req)
{
	struct office *o = req->ctx;
	struct auth_user_info *users = NULL;
	size_t n = 0, nm = 0, no = 0;
	char name[96];

	if (auth_user_list(o->st, &users, &n) != HE_OK)
		return;
	for (size_t i = 0; i < n; i++) {
		const char *who = users[i].name[0] ? users[i].name : users[i].email;

		if (users[i].disabled)
			continue;
		if (users[i].role == ROLE_HIRING_MANAGER) {
			snprintf(name, sizeof name, "Page.managers.%zu.id", nm);
			web_set_int(req, name, (long long)users[i].id);
			snprintf(name, sizeof name, "Page.managers.%zu.name", nm++);
			web_set(req, name, who);
		} else {
			snprintf(name, sizeof name, "Page.owners.%zu.id", no);
			web_set_int(req, name, (long long)users[i].id);
			snprintf(name, sizeof name, "Page.owners.%zu.name", no++);
			web_set(req, name, who);
		}
	}
	free(users);
	for (size_t i = 0; match_remote_names[i]; i++) {
		snprintf(name, sizeof name, "Page.remotes.%zu", i);
		web_set(req, name, match_remote_names[i]);
	}
}

/* The form's fields from a stored role. */
static void
form_from_role(struct web_req *req, json_t *role)
{
	char *buf = NULL, name[96];
	size_t len = 0, i;
	json_t *v;
	FILE *f;

#define STR(k) (json_string_value(json_object_get(role, k)) ?: "")
	web_set(req, "Form.title.value", STR("title"));
	web_set(req, "Form.team.value", STR("team"));
	web_set(req, "Form.family.value", STR("family"));
	web_set(req, "Form.remote.value", STR("remote"));
	web_set(req, "Form.seniority.value", STR("seniority"));
	web_set(req, "Form.description.value", STR("description"));
#undef STR
	web_set_int(req, "Form.gen.value", json_integer_value(json_object_get(role,
	    "gen")));
	web_set_int(req, "Form.owner.value", json_integer_value(json_object_get(
	    role, "owner")));
	if (json_integer_value(json_object_get(role, "threshold")) > 0)
		web_set_int(req, "Form.threshold.value", json_integer_value(
		    json_object_get(role, "threshold")));
	json_array_foreach(json_object_get(role, "managers"), i, v) {
		snprintf(name, sizeof name, "Form.managers.checked.%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		web_set(req, name, "1");
	}
	if ((f = open_memstream(&buf, &len)) == NULL)
		return;
	json_array_foreach(json_object_get(role, "required"), i, v)
		fprintf(f, "%s%s", i ? ", " : "", json_string_value(v) ?: "");
	fflush(f);
	web_set(req, "Form.required.value", buf);
	rewind(f);
	json_array_foreach(json_object_get(role, "nice"), i, v)
		fprintf(f, "%s: %" JSON_INTEGER_FORMAT "\n",
		    json_string_value(json_object_get(v, "skill")) ?: "",
		    json_integer_value(json_object_get(v, "weight")));
	fputc('\0', f);
	fflush(f);
	web_set(req, "Form.nice.value", buf);
	rewind(f);
	json_array_foreach(json_object_get(role, "locations"), i, v) {
		const char *city = json_string_value(json_object_get(v, "city")) ?: "";
		const char *country = json_string_value(json_object_get(v,
		    "country")) ?: "";

		fprintf(f, "%s%s%s\n", city, city[0] && country[0] ? ", " : "",
		    country);
	}
	fputc('\0', f);
	fclose(f);
	web_set(req, "Form.locations.value", buf);
	free(buf);
}

/* Trims s in place. */
static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

/*
 * The role as typed: required skills split at commas, nice-to-have
 * skills one a line as "skill: weight" (3 when left out), locations one a
 * line as "city, country" (a line without a comma is a country). Errors
 * of the lines are field errors; NULL when out of memory.
 */
static json_t *
role_from_form(struct web_req *req, const struct web_value *v)
{
	json_t *role = json_object(), *req_skills = json_array(),
	    *nice = json_array(), *locs = json_array(), *mgrs = json_array();
	char *copy, *line, *save, msg[200];
	size_t n;

	if (!role || !req_skills || !nice || !locs || !mgrs)
		goto nomem;
	json_object_set_new(role, "title", json_string(v[RF_TITLE].str));
	json_object_set_new(role, "team", json_string(v[RF_TEAM].str));
	json_object_set_new(role, "family", json_string(v[RF_FAMILY].str));
	json_object_set_new(role, "remote", json_string(v[RF_REMOTE].str));
	json_object_set_new(role, "seniority", json_string(v[RF_SENIORITY].str));
	json_object_set_new(role, "description", json_string(
	    v[RF_DESCRIPTION].str));
	json_object_set_new(role, "owner", json_integer((json_int_t)
	    v[RF_OWNER].num));
	json_object_set_new(role, "threshold", json_integer(v[RF_THRESHOLD].present
	    ? (json_int_t)v[RF_THRESHOLD].num : 0));
	if ((copy = strdup(v[RF_REQUIRED].str)) == NULL)
		goto nomem;
	for (line = strtok_r(copy, ",", &save); line; line = strtok_r(NULL, ",",
	    &save))
		if (*(line = trim(line)))
			json_array_append_new(req_skills, json_string(line));
	free(copy);
	if ((copy = strdup(v[RF_NICE].str)) == NULL)
		goto nomem;
	n = 0;
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n",
	    &save)) {
		char *colon = strrchr(line, ':'), *end;
		long w = 3;

		n++;
		if (colon) {
			*colon = '\0';
			w = strtol(trim(colon + 1), &end, 10);
			if (*trim(colon + 1) == '\0' || *end != '\0' || w < 1 || w > 5) {
				snprintf(msg, sizeof msg, "Line %zu: the weight after the "
				    "colon must be a number from 1 to 5.", n);
				web_form_error(req, "nice", msg);
				continue;
			}
		}
		if (*(line = trim(line)) == '\0')
			continue;
		json_array_append_new(nice, json_pack("{s:s, s:I}", "skill", line,
		    "weight", (json_int_t)w));
	}
	free(copy);
	if ((copy = strdup(v[RF_LOCATIONS].str)) == NULL)
		goto nomem;
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n",
	    &save)) {
		char *comma = strrchr(line, ',');
		const char *city = "", *country;

		if (comma) {
			*comma = '\0';
			city = trim(line);
			country = trim(comma + 1);
		} else {
			country = trim(line);
		}
		if (*city || *country)
			json_array_append_new(locs, json_pack("{s:s, s:s}", "city", city,
			    "country", country));
	}
	free(copy);
	for (size_t i = 0; i < v[RF_MANAGERS].count; i++) {
		char *end;
		unsigned long long id = strtoull(v[RF_MANAGERS].list[i], &end, 10);

		if (*end || v[RF_MANAGERS].list[i][0] < '1' ||
		    v[RF_MANAGERS].list[i][0] > '9') {
			web_form_error(req, "managers", "Please choose hiring managers "
			    "from the list.");
			break;
		}
		json_array_append_new(mgrs, json_integer((json_int_t)id));
	}
	json_object_set_new(role, "required", req_skills);
	json_object_set_new(role, "nice", nice);
	json_object_set_new(role, "locations", locs);
	json_object_set_new(role, "managers", mgrs);
	return role;
nomem:
	json_decref(role);
	json_decref(req_skills);
	json_decref(nice);
	json_decref(locs);
	json_decref(mgrs);
	return NULL;
}

/* role_validate's {key: message} next to the form's fields: "nice.2.weight"
 * goes to "nice", saying which line. */
static void
role_errors(struct web_req *req, json_t *errors)
{
	static const char *const fields[] = { "title", "team", "family",
		"locations", "remote", "seniority", "required", "nice",
		"description", "managers", "owner", "threshold", NULL };
	const char *key;
	json_t *m;
	char field[64], msg[600];

	json_object_foreach(errors, key, m) {
		const char *text = json_is_string(m) ? json_string_value(m) :
		    "This is not right.";
		const char *dot = strchr(key, '.');
		size_t len = dot ? (size_t)(dot - key) : strlen(key);
		int known = 0;

		snprintf(field, sizeof field, "%.*s", (int)len, key);
		for (size_t i = 0; fields[i]; i++)
			known |= strcmp(field, fields[i]) == 0;
		if (!known)
			snprintf(field, sizeof field, "title");
		if (dot && dot[1] >= '0' && dot[1] <= '9' && (strcmp(field, "nice") ==
		    0 || strcmp(field, "locations") == 0)) {
			snprintf(msg, sizeof msg, "Line %lu: %s",
			    strtoul(dot + 1, NULL, 10) + 1, text);
			web_form_error(req, field, msg);
		} else {
			web_form_error(req, field, text);
		}
	}
}

/* The form's page data: its choices, the managers ticked as they were
 * sent, and the role edited. */
static void
form_context(struct web_req *req, const struct web_value *v)
{
	char name[64];

	set_people(req);
	for (size_t i = 0; i < v[RF_MANAGERS].count; i++) {
		const char *id = v[RF_MANAGERS].list[i];

		if (id[0] < '1' || id[0] > '9' || strspn(id, "0123456789") !=
		    strlen(id) || strlen(id) > 19)
			continue;
		snprintf(name, sizeof name, "Form.managers.checked.%s", id);
		web_set(req, name, "1");
	}
	if (v[RF_ID].present) {
		json_t *role;

		web_set_int(req, "Page.role.id", (long long)v[RF_ID].num);
		if (role_get(((struct office *)req->ctx)->st, NULL, v[RF_ID].num,
		    &role) == HE_OK) {
			set_role(req, role);
			json_decref(role);
		}
	}
}

void
page_role_new_form(struct web_req *req)
{
	if (office_is_manager(req)) {
		web_error(req, 403, "Only recruiters and admins open roles.");
		return;
	}
	set_people(req);
	web_set_int(req, "Form.owner.value", (long long)req->user->id);
	web_set(req, "Form.remote.value", "onsite");
	web_render(req, 200, "office/role_new.cs");
}

/* The form (tmpl) again, what was typed kept: 400, or 409 after a stale
 * save. */
static void
form_again(struct web_req *req, int status, const char *tmpl)
{
	form_context(req, req->v);
	if (status == 409) {
		web_set(req, "Page.conflict", "1");
		web_set(req, "Form.gen.value", hdf_get_value(req->hdf,
		    "Page.role.gen", ""));
	}
	web_render(req, status, tmpl);
}

void
page_role_new(struct web_req *req)
{
	struct office *o = req->ctx;
	struct audit_actor who = office_actor(req);
	json_t *role, *errors = NULL;
	uint64_t id;
	char path[96];
	int rc;

	if (office_is_manager(req)) {
		web_error(req, 403, "Only recruiters and admins open roles.");
		return;
	}
	if ((role = role_from_form(req, req->v)) == NULL) {
		web_fail(req, HE_NOMEM);
		return;
	}
	if (hdf_get_int_value(req->hdf, "Form.error_count", 0) > 0) {
		json_decref(role);
		form_again(req, 400, "office/role_new.cs");
		return;
	}
	if (req->v[RF_OPEN].present)
		json_object_set_new(role, "status", json_string("open"));
	rc = role_create(o->st, &who, role, &id, &errors);
	json_decref(role);
	if (rc == HE_INVALID) {
		role_errors(req, errors);
		json_decref(errors);
		form_again(req, 400, "office/role_new.cs");
		return;
	}
	json_decref(errors);
	if (rc != HE_OK) {
		web_fail(req, rc);
		return;
	}
	snprintf(path, sizeof path, "/office/role?id=%" PRIu64 "&done=created", id);
	web_redirect(req, 303, path);
}

void
page_role_edit_form(struct web_req *req)
{
	json_t *role = office_role_load(req, req->v[RVIEW_ID].num, 1);

	if (role == NULL)
		return;
	set_people(req);
	form_from_role(req, role);
	json_decref(role);
	web_render(req, 200, "office/role_edit.cs");
}

void
page_role_edit(struct web_req *req)
{
	struct office *o = req->ctx;
	struct audit_actor who = office_actor(req);
	const struct web_value *v = req->v;
	json_t *role, *stored, *errors = NULL;
	char path[96];
	int rc;

	if (!v[RF_ID].present || !v[RF_GEN].present) {
		web_error(req, 400, "This form is incomplete: open the role again "
		    "from the list.");
		return;
	}
	if ((stored = office_role_load(req, v[RF_ID].num, 1)) == NULL)
		return;
	json_decref(stored);
	if ((role = role_from_form(req, v)) == NULL) {
		web_fail(req, HE_NOMEM);
		return;
	}
	if (hdf_get_int_value(req->hdf, "Form.error_count", 0) > 0) {
		json_decref(role);
		form_again(req, 400, "office/role_edit.cs");
		return;
	}
	rc = role_update(o->st, &who, v[RF_ID].num, (int64_t)v[RF_GEN].num, role,
	    &errors);
	json_decref(role);
	if (rc == HE_INVALID) {
		role_errors(req, errors);
		json_decref(errors);
		form_again(req, 400, "office/role_edit.cs");
		return;
	}
	json_decref(errors);
	if (rc == HE_CONFLICT) {
		form_again(req, 409, "office/role_edit.cs");
		return;
	}
	if (rc == HE_NOTFOUND) {
		web_error(req, 404, "There is no such role any more.");
		return;
	}
	if (rc != HE_OK) {
		web_fail(req, rc);
		return;
	}
	snprintf(path, sizeof path, "/office/role?id=%" PRIu64 "&done=saved",
	    v[RF_ID].num);
	web_redirect(req, 303, path);
}

void
office_role_form_context(struct web_req *req, const struct web_value *v)
{
	/* The lines of skills and locations are checked with the fields, so
	 * every error shows at once. */
	json_decref(role_from_form(req, v));
	if (hdf_get_int_value(req->hdf, "Form.error_count", 0) > 0)
		form_context(req, v);
}

/* ---- the role's page ---- */

/* What the state buttons may do from status. */
static void
set_actions(struct web_req *req, const char *status)
{
	/* As role_set_status allows: (re)open from anything else. */
	if (strcmp(status, "open") != 0)
		web_set(req, "Page.can.open", "1");
	if (strcmp(status, "open") == 0)
		web_set(req, "Page.can.on_hold", "1");
	if (strcmp(status, "open") == 0 || strcmp(status, "on_hold") == 0)
		web_set(req, "Page.can.filled", "1");
	if (strcmp(status, "closed") != 0 && strcmp(status, "filled") != 0)
		web_set(req, "Page.can.closed", "1");
}

/* The role's page data beyond office_role_load's: comments, newest
 * first, the silver list with names, the stage counts. */
#define COMMENTS_PER_PAGE 20

static void
role_context(struct web_req *req, json_t *role, size_t cpage)
{
	struct office *o = req->ctx;
	json_t *comments = json_object_get(role, "comments"), *c, *rows = NULL;
	size_t n = json_array_size(comments), i, total = 0, cpages;
	char name[96];

	set_actions(req, hdf_get_value(req->hdf, "Page.role.status", "draft"));
	/* Newest first, a page at a time. */
	cpages = n ? (n + COMMENTS_PER_PAGE - 1) / COMMENTS_PER_PAGE : 1;
	if (cpage < 1 || cpage > cpages)
		cpage = cpage < 1 ? 1 : cpages;
	for (i = (cpage - 1) * COMMENTS_PER_PAGE; i < n && i < cpage *
	    COMMENTS_PER_PAGE; i++) {
		size_t k = i - (cpage - 1) * COMMENTS_PER_PAGE;

		c = json_array_get(comments, n - 1 - i);
		snprintf(name, sizeof name, "Page.comments.%zu", k);
		office_set_fields(req, name, c);
		snprintf(name, sizeof name, "Page.comments.%zu.when", k);
		office_set_time(req, name, json_object_get(c, "at"), 0);
	}
	web_set_int(req, "Page.ncomments", (long long)n);
	web_set_int(req, "Page.cpage", (long long)cpage);
	web_set_int(req, "Page.cpages", (long long)cpages);
	if (cpage > 1)
		web_set_int(req, "Page.cprev", (long long)cpage - 1);
	if (cpage < cpages)
		web_set_int(req, "Page.cnext", (long long)cpage + 1);
	json_array_foreach(json_object_get(role, "silver"), i, c) {
		uint64_t cand = (uint64_t)json_integer_value(c);
		json_t *rec;

		snprintf(name, sizeof name, "Page.silver.%zu.id", i);
		web_set_int(req, name, (long long)cand);
		if (cand_get(o->st, cand, &rec) == HE_OK) {
			snprintf(name, sizeof name, "Page.silver.%zu.name", i);
			web_set(req, name, json_string_value(json_object_get(rec,
			    "name")) ?: "");
			json_decref(rec);
		}
	}
	for (int s = 0; s < PIPE_STAGE__MAX; s++) {
		if (pipe_list(o->st, (uint64_t)json_integer_value(json_object_get(
		    role, "id")), s, 0, 1, &rows, &total) != HE_OK)
			break;
		json_decref(rows);
		snprintf(name, sizeof name, "Page.stages.%d.label", s);
		web_set(req, name, pipe_stage_labels[s]);
		snprintf(name, sizeof name, "Page.stages.%d.count", s);
		web_set_int(req, name, (long long)total);
	}
}

static void
role_page(struct web_req *req, uint64_t id, int status, size_t cpage)
{
	json_t *role = office_role_load(req, id, 0);

	if (role == NULL)
		return;
	role_context(req, role, cpage);
	json_decref(role);
	web_render(req, status, "office/role.cs");
}

void
page_role(struct web_req *req)
{
	if (req->v[RVIEW_DONE].present)
		web_set(req, "Page.done", req->v[RVIEW_DONE].str);
	role_page(req, req->v[RVIEW_ID].num, 200, req->v[RVIEW_CPAGE].present ?
	    (size_t)req->v[RVIEW_CPAGE].num : 1);
}

void
page_role_state(struct web_req *req)
{
	struct office *o = req->ctx;
	struct audit_actor who = office_actor(req);
	uint64_t id = req->v[RSTATE_ID].num;
	int status = status_of(req->v[RSTATE_STATUS].str), rc;
	json_t *role;
	char path[96];

	if ((role = office_role_load(req, id, 1)) == NULL)
		return;
	json_decref(role);
	rc = role_set_status(o->st, &who, id, (enum role_status)status);
	if (rc == HE_INVALID) {
		web_form_error(req, "status", "The role cannot go to that state from "
		    "the one it is in now.");
		role_page(req, id, 400, 1);
		return;
	}
	if (rc != HE_OK) {
		web_fail(req, rc);
		return;
	}
	snprintf(path, sizeof path, "/office/role?id=%" PRIu64 "&done=%s", id,
	    role_status_names[status]);
	web_redirect(req, 303, path);
}

void
office_role_comment_context(struct web_req *req, const struct web_value *v)
{
	json_t *role;

	if (hdf_get_int_value(req->hdf, "Form.error_count", 0) == 0 ||
	    !v[RCOMM_ID].present)
		return;
	/* The page around the error; one the user may not see says so. */
	if (office_is_manager(req) && role_is_manager(((struct office *)
	    req->ctx)->st, NULL, v[RCOMM_ID].num, req->user->id) != HE_OK)
		return;
	if (role_get(((struct office *)req->ctx)->st, NULL, v[RCOMM_ID].num,
	    &role) != HE_OK)
		return;
	web_set_int(req, "Page.role.id", (long long)v[RCOMM_ID].num);
	set_role(req, role);
	if (office_is_manager(req))
		web_set(req, "Page.manager", "1");
	role_context(req, role, 1);
	json_decref(role);
}

void
page_role_comment(struct web_req *req)
{
	struct office *o = req->ctx;
	struct audit_actor who = office_actor(req);
	uint64_t id = req->v[RCOMM_ID].num;
	json_t *role;
	char path[96];
	int rc;

	if ((role = office_role_load(req, id, 0)) == NULL)
		return;
	json_decref(role);
	if ((rc = role_comment(o->st, &who, id, req->v[RCOMM_TEXT].str)) != HE_OK) {
		web_fail(req, rc);
		return;
	}
	snprintf(path, sizeof path, "/office/role?id=%" PRIu64 "&done=comment#comments",
	    id);
	web_redirect(req, 303, path);
}

void
page_role_silver_undo(struct web_req *req)
{
	struct office *o = req->ctx;
	struct audit_actor who = office_actor(req);
	uint64_t id = req->v[RSILV_ID].num;
	json_t *role;
	char path[96];
	int rc;

	if ((role = office_role_load(req, id, 1)) == NULL)
		return;
	json_decref(role);
	rc = role_silver_undo(o->st, &who, id, req->v[RSILV_CAND].num);
	if (rc == HE_NOTFOUND) {
		web_error(req, 404, "That person is not on this role's silver list.");
		return;
	}
	if (rc != HE_OK) {
		web_fail(req, rc);
		return;
	}
	snprintf(path, sizeof path, "/office/role?id=%" PRIu64 "&done=undone#silver",
	    id);
	web_redirect(req, 303, path);
}

/* ---- the candidate page's section ---- */

void
office_role_person_context(struct web_req *req, uint64_t cand)
{
	struct office *o = req->ctx;
	json_t *rows = NULL, *r;
	char name[96];
	size_t i, n = 0;

	if (pipe_of_cand(o->st, NULL, cand, &rows) != HE_OK)
		return;
	json_array_foreach(rows, i, r) {
		const char *stage = json_string_value(json_object_get(r, "stage"));

		/* A hiring manager sees their own roles' pipelines only. */
		if (office_is_manager(req) && role_is_manager(o->st, NULL, (uint64_t)
		    json_integer_value(json_object_get(r, "role")), req->user->id) !=
		    HE_OK)
			continue;
		snprintf(name, sizeof name, "Page.pipes.%zu", n);
		office_set_fields(req, name, r);
		snprintf(name, sizeof name, "Page.pipes.%zu.when", n);
		office_set_time(req, name, json_object_get(r, "at"), 0);
		for (int s = 0; stage && s < PIPE_STAGE__MAX; s++)
			if (strcmp(stage, pipe_stage_names[s]) == 0) {
				snprintf(name, sizeof name, "Page.pipes.%zu.stage_label", n);
				web_set(req, name, pipe_stage_labels[s]);
			}
		n++;
	}
	web_set_int(req, "Page.npipes", (long long)n);
	json_decref(rows);
}
