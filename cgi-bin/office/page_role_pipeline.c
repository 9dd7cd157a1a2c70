/* page_role_pipeline.c: a role's pipeline as a board (a column per stage)
 * and as a paged list, and moving people between stages */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cgi-bin/office/office.h"
#include "crm/pipeline.h"
#include "crm/role.h"
#include "util/he.h"

#define PER_PAGE 50

static const char *const views[] = { "board", "list", NULL };
static const char *const done_choices[] = { "moved", NULL };

const struct web_field role_pipe_fields[] = {
	[RP_ID] = { "id", WEB_FT_UINT, WEB_FF_REQUIRED | WEB_FF_HIDDEN,
	    UINT64_MAX / 2, "Role", "Which role? The link is incomplete: open "
	    "the role again from the list.", NULL, NULL },
	[RP_VIEW] = { "view", WEB_FT_CHOICE, 0, 0, "View", NULL, views, NULL },
	[RP_PAGE] = { "page", WEB_FT_UINT, 0, 1000000, "Page", NULL, NULL, NULL },
	[RP_DONE] = { "done", WEB_FT_CHOICE, 0, 0, "Done", NULL, done_choices,
	    NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

const struct web_field role_move_fields[] = {
	[RMOVE_ROLE] = { "role", WEB_FT_UINT, WEB_FF_REQUIRED | WEB_FF_HIDDEN,
	    UINT64_MAX / 2, "Role", "Which role? The form is incomplete: open "
	    "the pipeline again.", NULL, NULL },
	[RMOVE_CAND] = { "cand", WEB_FT_UINT, WEB_FF_REQUIRED | WEB_FF_HIDDEN,
	    UINT64_MAX / 2, "Candidate", "Which candidate? The form is "
	    "incomplete: open the pipeline again.", NULL, NULL },
	[RMOVE_STAGE] = { "stage", WEB_FT_CHOICE, WEB_FF_REQUIRED, 0, "Stage",
	    "Please choose the stage to move them to.", pipe_stage_names, NULL },
	[RMOVE_VIEW] = { "view", WEB_FT_CHOICE, WEB_FF_HIDDEN, 0, "View", NULL,
	    views, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

static int
stage_of(const char *s)
{
	for (int i = 0; s && i < PIPE_STAGE__MAX; i++)
		if (strcmp(s, pipe_stage_names[i]) == 0)
			return i;
	return -1;
}

/* One person of the pipeline under prefix. */
static void
set_entry(struct web_req *req, const char *prefix, json_t *e)
{
	int s = stage_of(json_string_value(json_object_get(e, "stage")));
	char name[160];

	office_set_fields(req, prefix, e);
	snprintf(name, sizeof name, "%s.when", prefix);
	office_set_time(req, name, json_object_get(e, "at"), 0);
	if (s >= 0) {
		snprintf(name, sizeof name, "%s.stage_label", prefix);
		web_set(req, name, pipe_stage_labels[s]);
	}
}

/* The stages as Page.stages.N.{name,label}: the move form's choices. */
static void
set_stages(struct web_req *req)
{
	char name[96];

	for (int s = 0; s < PIPE_STAGE__MAX; s++) {
		snprintf(name, sizeof name, "Page.stages.%d.name", s);
		web_set(req, name, pipe_stage_names[s]);
		snprintf(name, sizeof name, "Page.stages.%d.label", s);
		web_set(req, name, pipe_stage_labels[s]);
	}
}

static int
board(struct web_req *req, uint64_t id)
{
	struct office *o = req->ctx;
	json_t *rows, *e;
	size_t total, i, count[PIPE_STAGE__MAX] = { 0 };
	char name[128];
	int rc;

	if ((rc = pipe_list(o->st, id, -1, 0, PIPE_BOARD_MAX, &rows, &total)) !=
	    HE_OK)
		return rc;
	json_array_foreach(rows, i, e) {
		int s = stage_of(json_string_value(json_object_get(e, "stage")));

		if (s < 0)
			continue;
		snprintf(name, sizeof name, "Page.stages.%d.people.%zu", s, count[s]++);
		set_entry(req, name, e);
	}
	for (int s = 0; s < PIPE_STAGE__MAX; s++) {
		snprintf(name, sizeof name, "Page.stages.%d.count", s);
		web_set_int(req, name, (long long)count[s]);
	}
	web_set_int(req, "Page.total", (long long)total);
	if (total > PIPE_BOARD_MAX)
		web_set_int(req, "Page.board_max", PIPE_BOARD_MAX);
	json_decref(rows);
	return HE_OK;
}

static int
list(struct web_req *req, uint64_t id, size_t page)
{
	struct office *o = req->ctx;
	json_t *rows, *e;
	size_t total, pages, i;
	char name[96];
	int rc;

	if ((rc = pipe_list(o->st, id, -1, (page - 1) * PER_PAGE, PER_PAGE, &rows,
	    &total)) != HE_OK)
		return rc;
	json_array_foreach(rows, i, e) {
		snprintf(name, sizeof name, "Page.people.%zu", i);
		set_entry(req, name, e);
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
page_role_pipeline(struct web_req *req)
{
	const struct web_value *v = req->v;
	const char *view = v[RP_VIEW].present ? v[RP_VIEW].str : "board";
	json_t *role = office_role_load(req, v[RP_ID].num, 0);
	int rc;

	if (role == NULL)
		return;
	json_decref(role);
	web_set(req, "Page.view", view);
	if (v[RP_DONE].present)
		web_set(req, "Page.done", v[RP_DONE].str);
	set_stages(req);
	rc = strcmp(view, "list") == 0 ? list(req, v[RP_ID].num, v[RP_PAGE].present
	    && v[RP_PAGE].num ? v[RP_PAGE].num : 1) : board(req, v[RP_ID].num);
	if (rc != HE_OK)
		web_fail(req, rc);
	else
		web_render(req, 200, "office/role_pipeline.cs");
}

/* The pipeline as it is, in the view the form was on, with the error said
 * next to that person's stage choice. */
static int
move_error_context(struct web_req *req, const struct web_value *v)
{
	const char *view = v[RMOVE_VIEW].present ? v[RMOVE_VIEW].str : "board";

	web_set_int(req, "Page.error_cand", (long long)v[RMOVE_CAND].num);
	web_set(req, "Page.view", view);
	set_stages(req);
	return strcmp(view, "list") == 0 ? list(req, v[RMOVE_ROLE].num, 1) :
	    board(req, v[RMOVE_ROLE].num);
}

void
office_role_move_context(struct web_req *req, const struct web_value *v)
{
	if (hdf_get_int_value(req->hdf, "Form.error_count", 0) == 0 ||
	    !v[RMOVE_ROLE].present || !v[RMOVE_CAND].present)
		return;
	/* Failing, the error summary still says what was wrong. */
	(void)move_error_context(req, v);
}

void
page_role_move(struct web_req *req)
{
	struct office *o = req->ctx;
	struct audit_actor who = office_actor(req);
	const struct web_value *v = req->v;
	json_t *role = office_role_load(req, v[RMOVE_ROLE].num, 1);
	char path[160];
	int rc;

	if (role == NULL)
		return;
	json_decref(role);
	rc = pipe_move(o->st, &who, v[RMOVE_ROLE].num, v[RMOVE_CAND].num,
	    (enum pipe_stage)stage_of(v[RMOVE_STAGE].str));
	if (rc == HE_NOTFOUND) {
		web_error(req, 404, "They are not in this role's pipeline (any more): "
		    "they may have been erased at their request. Shortlist people "
		    "from the ranking.");
		return;
	}
	if (rc == HE_INVALID) {
		web_form_error(req, "stage", "They cannot be moved to that stage: "
		    "choose one of the list.");
		if ((rc = move_error_context(req, v)) != HE_OK)
			web_fail(req, rc);
		else
			web_render(req, 409, "office/role_pipeline.cs");
		return;
	}
	if (rc != HE_OK) {
		web_fail(req, rc);
		return;
	}
	snprintf(path, sizeof path, "/office/role/pipeline?id=%" PRIu64
	    "&view=%s&done=moved#cand-%" PRIu64, v[RMOVE_ROLE].num,
	    v[RMOVE_VIEW].present ? v[RMOVE_VIEW].str : "board", v[RMOVE_CAND].num);
	web_redirect(req, 303, path);
}
