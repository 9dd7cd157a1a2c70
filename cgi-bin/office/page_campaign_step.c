/* page_campaign_step.c: one step of a campaign: its form by type (email
 * with its variants and A/B test, wait, branch, pool, notify, exit), adding
 * a step, moving steps up and down and deleting them */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgi-bin/office/office.h"
#include "crm/campaign.h"
#include "crm/pool.h"
#include "util/he.h"
#include "util/merge.h"

#define STEPS_MAX 30
#define VARIANTS_MAX 4
#define SUBJECT_MAX 300
#define BODY_MAX 20000		/* characters: under merge's 64 KiB */

const char *const camp_step_types[] = { "email", "wait", "branch", "pool_add",
	"pool_remove", "notify", "exit", NULL };
static const char *const metrics[] = { "click", "reply", NULL };
static const char *const branch_ons[] = { "clicked", "replied", "nothing",
	"hot", "warm", "cold", NULL };
static const char *const step_ops[] = { "save", "add_variant",
	"remove_variant", NULL };
static const char *const move_ops[] = { "up", "down", "delete", NULL };

static const char *
goto_check(const char *v)
{
	return strcmp(v, "end") == 0 || (strspn(v, "0123456789") == strlen(v) &&
	    strlen(v) <= 2) ? NULL : "Please choose a step from the list.";
}

#define FIELD_CAMP { "id", WEB_FT_UINT, WEB_FF_REQUIRED | WEB_FF_HIDDEN, \
	UINT32_MAX, "Campaign", "Which campaign? The link or form is " \
	"incomplete: open the campaign again from the list.", NULL, NULL }
#define FIELD_GEN { "gen", WEB_FT_UINT, WEB_FF_REQUIRED | WEB_FF_HIDDEN, \
	INT64_MAX, "Version", "This form is incomplete: open the campaign " \
	"again from the list.", NULL, NULL }
#define FIELD_STEP { "step", WEB_FT_UINT, WEB_FF_HIDDEN, STEPS_MAX, "Step", \
	"Which step? Open the campaign again.", NULL, NULL }
#define SUBJECT(i) { "subject_" #i, WEB_FT_TEXT, 0, SUBJECT_MAX, \
	"Subject of variant " #i, NULL, NULL, NULL }
#define BODY(i) { "body_" #i, WEB_FT_LONGTEXT, 0, BODY_MAX, \
	"Message of variant " #i, NULL, NULL, NULL }

const struct web_field camp_step_view_fields[] = {
	[CSV_ID] = FIELD_CAMP,
	[CSV_STEP] = FIELD_STEP,
	[CSV_ADD] = { "add", WEB_FT_CHOICE, 0, 0, "Kind of step",
	    "Please choose a kind of step.", camp_step_types, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

const struct web_field camp_step_fields[] = {
	[CSTEP_ID] = FIELD_CAMP,
	[CSTEP_GEN] = FIELD_GEN,
	[CSTEP_STEP] = { "step", WEB_FT_UINT, WEB_FF_REQUIRED | WEB_FF_HIDDEN,
	    STEPS_MAX, "Step", "Which step? Open the campaign again.", NULL,
	    NULL },
	[CSTEP_TYPE] = { "type", WEB_FT_CHOICE, WEB_FF_REQUIRED | WEB_FF_HIDDEN,
	    0, "Kind of step", "This form is incomplete: open the step again.",
	    camp_step_types, NULL },
	[CSTEP_NEW] = { "new", WEB_FT_CHECKBOX, WEB_FF_HIDDEN, 0, "New", NULL,
	    NULL, NULL },
	[CSTEP_NVAR] = { "nvariants", WEB_FT_UINT, WEB_FF_HIDDEN, VARIANTS_MAX,
	    "Variants", NULL, NULL, NULL },
	[CSTEP_SUBJECT0] = SUBJECT(0), [CSTEP_SUBJECT1] = SUBJECT(1),
	[CSTEP_SUBJECT2] = SUBJECT(2), [CSTEP_SUBJECT3] = SUBJECT(3),
	[CSTEP_BODY0] = BODY(0), [CSTEP_BODY1] = BODY(1),
	[CSTEP_BODY2] = BODY(2), [CSTEP_BODY3] = BODY(3),
	[CSTEP_AB_METRIC] = { "ab_metric", WEB_FT_CHOICE, 0, 0, "Winning "
	    "measure", NULL, metrics, NULL },
	[CSTEP_AB_AUTO] = { "ab_auto", WEB_FT_CHECKBOX, 0, 0, "Switch to the "
	    "winner", NULL, NULL, NULL },
	[CSTEP_DAYS] = { "days", WEB_FT_UINT, 0, 365, "Days", NULL, NULL, NULL },
	[CSTEP_HOURS] = { "hours", WEB_FT_UINT, 0, 23, "Hours", NULL, NULL,
	    NULL },
	[CSTEP_ON] = { "on", WEB_FT_CHOICE, 0, 0, "Branch on", NULL, branch_ons,
	    NULL },
	[CSTEP_GOTO] = { "goto", WEB_FT_TEXT, 0, 3, "Then go to", NULL, NULL,
	    goto_check },
	[CSTEP_POOL] = { "pool", WEB_FT_UINT, 0, UINT32_MAX, "Pool", NULL, NULL,
	    NULL },
	[CSTEP_TEXT] = { "text", WEB_FT_LONGTEXT, 0, 1000, "Notice", NULL, NULL,
	    NULL },
	[CSTEP_OP] = { "op", WEB_FT_CHOICE, WEB_FF_HIDDEN, 0, "Action", NULL, step_ops,
	    NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

const struct web_field camp_move_fields[] = {
	[CMOVE_ID] = FIELD_CAMP,
	[CMOVE_GEN] = FIELD_GEN,
	[CMOVE_STEP] = { "step", WEB_FT_UINT, WEB_FF_REQUIRED | WEB_FF_HIDDEN,
	    STEPS_MAX, "Step", "Which step? Open the campaign again.", NULL,
	    NULL },
	[CMOVE_OP] = { "op", WEB_FT_CHOICE, WEB_FF_REQUIRED | WEB_FF_HIDDEN, 0,
	    "Action", "Please use one of the step's buttons.", move_ops, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

/* ---- the gotos of branches when steps move ---- */

/*
 * Rewrites the branches of steps (indexes of the old order, old_n of them)
 * for the new order: map[i] is where old step i went (-1: deleted); a
 * branch to a deleted step goes to the step that followed it; the end
 * stays the end.
 */
static void
remap_gotos(json_t *steps, size_t old_n, const int *map, size_t new_n)
{
	size_t i;
	json_t *s;

	json_array_foreach(steps, i, s) {
		json_t *g = json_object_get(s, "goto");
		json_int_t to;

		if (!json_is_integer(g) || !json_is_string(json_object_get(s, "type")) ||
		    strcmp(json_string_value(json_object_get(s, "type")), "branch"))
			continue;
		to = json_integer_value(g);
		if (to < 0 || (size_t)to >= old_n) {
			json_object_set_new(s, "goto", json_integer(office_camp_goto_end(new_n)));
			continue;
		}
		while ((size_t)to < old_n && map[to] < 0)
			to++;
		json_object_set_new(s, "goto", json_integer((size_t)to < old_n ?
		    map[to] : office_camp_goto_end(new_n)));
	}
}

/* ---- the form's page data ---- */

/* The steps a branch at index k may go to, and the static pools. */
static void
step_choices(struct web_req *req, json_t *camp, size_t k)
{
	struct office *o = req->ctx;
	json_t *steps = json_object_get(camp, "steps"), *pools, *p;
	size_t i, n = 0;
	char name[96];

	for (i = k + 1; i < json_array_size(steps); i++) {
		const char *t = json_string_value(json_object_get(json_array_get(steps,
		    i), "type"));

		snprintf(name, sizeof name, "Page.gotos.%zu.value", n);
		web_set_int(req, name, (long long)i);
		snprintf(name, sizeof name, "Page.gotos.%zu.number", n);
		web_set_int(req, name, (long long)i + 1);
		snprintf(name, sizeof name, "Page.gotos.%zu.type", n++);
		web_set(req, name, t ? t : "");
	}
	if (pool_names(o->st, &pools) == HE_OK) {
		n = 0;
		json_array_foreach(pools, i, p) {
			if (strcmp(json_string_value(json_object_get(p, "kind")) ?: "",
			    "static") != 0)
				continue;
			snprintf(name, sizeof name, "Page.static_pools.%zu", n++);
			office_set_fields(req, name, p);
		}
		json_decref(pools);
	}
	for (i = 0; merge_tmpl_fields[i]; i++) {
		snprintf(name, sizeof name, "Page.merge_fields.%zu", i);
		web_set(req, name, merge_tmpl_fields[i]);
	}
}

/* Page.variants.N for nvar variant forms (their values are Form.*). */
static void
set_variants(struct web_req *req, size_t nvar)
{
	char name[96], field[32];

	for (size_t i = 0; i < nvar; i++) {
		snprintf(name, sizeof name, "Page.variants.%zu.number", i);
		web_set_int(req, name, (long long)i + 1);
		snprintf(name, sizeof name, "Page.variants.%zu.letter", i);
		web_set(req, name, (const char *[]){ "A", "B", "C", "D" }[i]);
		snprintf(name, sizeof name, "Page.variants.%zu.sname", i);
		snprintf(field, sizeof field, "subject_%zu", i);
		web_set(req, name, field);
		snprintf(name, sizeof name, "Page.variants.%zu.bname", i);
		snprintf(field, sizeof field, "body_%zu", i);
		web_set(req, name, field);
	}
	web_set_int(req, "Page.nvariants", (long long)nvar);
	web_set_int(req, "Form.nvariants.value", (long long)nvar);
}

static void
set_head(struct web_req *req, uint64_t id, json_t *camp, size_t k,
    const char *type, int is_new)
{
	web_set_int(req, "Page.camp.id", (long long)id);
	web_set(req, "Page.camp.name", json_string_value(json_object_get(camp,
	    "name")));
	web_set(req, "Page.camp.state", json_string_value(json_object_get(camp,
	    "state")));
	web_set_int(req, "Page.camp.gen", json_integer_value(json_object_get(camp,
	    "gen")));
	web_set_int(req, "Page.step.index", (long long)k);
	web_set_int(req, "Page.step.number", (long long)k + 1);
	web_set(req, "Page.step.type", type);
	if (is_new)
		web_set(req, "Page.step.new", "1");
	step_choices(req, camp, k);
}

/* Form.* from stored step s (or the defaults of a new one). */
static size_t
form_of_step(struct web_req *req, json_t *camp, json_t *s, size_t k)
{
	json_t *variants = json_object_get(s, "variants"), *v, *ab, *g;
	size_t i, n = json_array_size(json_object_get(camp, "steps"));
	char name[64];

	web_set_int(req, "Form.gen.value", json_integer_value(json_object_get(camp,
	    "gen")));
	json_array_foreach(variants, i, v) {
		if (i >= VARIANTS_MAX)
			break;
		snprintf(name, sizeof name, "Form.subject_%zu.value", i);
		web_set(req, name, json_string_value(json_object_get(v, "subject")));
		snprintf(name, sizeof name, "Form.body_%zu.value", i);
		web_set(req, name, json_string_value(json_object_get(v, "body")));
	}
	ab = json_object_get(s, "ab");
	web_set(req, "Form.ab_metric.value", json_string_value(json_object_get(ab,
	    "metric")) ?: "click");
	web_set(req, "Form.ab_auto.value", json_is_true(json_object_get(ab, "auto")) ?
	    "1" : "");
	web_set_int(req, "Form.days.value", s ? json_integer_value(json_object_get(s,
	    "days")) : 1);
	web_set_int(req, "Form.hours.value", json_integer_value(json_object_get(s,
	    "hours")));
	web_set(req, "Form.on.value", json_string_value(json_object_get(s, "on")) ?:
	    "clicked");
	g = json_object_get(s, "goto");
	if (json_is_integer(g) && json_integer_value(g) > (json_int_t)k &&
	    json_integer_value(g) < (json_int_t)n)
		web_set_int(req, "Form.goto.value", json_integer_value(g));
	else
		web_set(req, "Form.goto.value", "end");
	if (json_is_integer(json_object_get(s, "pool")))
		web_set_int(req, "Form.pool.value", json_integer_value(json_object_get(s,
		    "pool")));
	web_set(req, "Form.text.value", json_string_value(json_object_get(s,
	    "text")));
	i = json_array_size(variants);
	return i < 1 ? 1 : i > VARIANTS_MAX ? VARIANTS_MAX : i;
}

void
page_campaign_step_form(struct web_req *req)
{
	const struct web_value *v = req->v;
	uint64_t id = v[CSV_ID].num;
	json_t *camp = office_camp_load(req, id), *steps, *s = NULL;
	size_t k, n, nvar;
	const char *type;

	if (camp == NULL)
		return;
	steps = json_object_get(camp, "steps");
	n = json_array_size(steps);
	if (v[CSV_ADD].present) {
		if (n >= STEPS_MAX) {
			json_decref(camp);
			web_error(req, 400, "A campaign has at most 30 steps: delete one "
			    "before adding another.");
			return;
		}
		k = n;
		type = v[CSV_ADD].str;
	} else {
		k = v[CSV_STEP].present ? v[CSV_STEP].num : n;
		if (k >= n || (s = json_array_get(steps, k)) == NULL) {
			json_decref(camp);
			web_error(req, 404, "This campaign has no such step. Open the "
			    "campaign again to see its steps.");
			return;
		}
		type = json_string_value(json_object_get(s, "type")) ?: "exit";
	}
	set_head(req, id, camp, k, type, v[CSV_ADD].present);
	nvar = form_of_step(req, camp, s, k);
	set_variants(req, nvar);
	json_decref(camp);
	web_render(req, 200, "office/campaign_step.cs");
}

/* The step form again with what was typed (form errors, a refused or
 * stale save, adding or removing a variant). */
static void
step_again(struct web_req *req, const struct web_value *v, int status)
{
	struct office *o = req->ctx;
	json_t *camp;
	size_t nvar = v[CSTEP_NVAR].present && v[CSTEP_NVAR].num ?
	    v[CSTEP_NVAR].num : 1;

	if (campaign_get(o->st, v[CSTEP_ID].num, &camp) != HE_OK) {
		web_error(req, 404, "There is no such campaign any more.");
		return;
	}
	set_head(req, v[CSTEP_ID].num, camp, v[CSTEP_STEP].num, v[CSTEP_TYPE].str,
	    v[CSTEP_NEW].present);
	set_variants(req, nvar);
	if (status == 409) {
		web_set(req, "Page.conflict", "1");
		web_set_int(req, "Form.gen.value", json_integer_value(json_object_get(camp,
		    "gen")));
	}
	json_decref(camp);
	web_render(req, status, "office/campaign_step.cs");
}

void
office_camp_step_context(struct web_req *req, const struct web_value *v)
{
	struct office *o = req->ctx;
	json_t *camp;
	size_t nvar;

	if (hdf_get_int_value(req->hdf, "Form.error_count", 0) == 0 ||
	    !v[CSTEP_ID].present || !v[CSTEP_TYPE].present)
		return;
	if (campaign_get(o->st, v[CSTEP_ID].num, &camp) != HE_OK)
		return;
	nvar = v[CSTEP_NVAR].present && v[CSTEP_NVAR].num ? v[CSTEP_NVAR].num : 1;
	set_head(req, v[CSTEP_ID].num, camp, v[CSTEP_STEP].num, v[CSTEP_TYPE].str,
	    v[CSTEP_NEW].present);
	set_variants(req, nvar);
	json_decref(camp);
}

/* The step the form describes, onto a copy of the stored one (fields the
 * form does not show kept); field errors reported. */
static json_t *
step_of_form(struct web_req *req, const struct web_value *v, json_t *old,
    size_t k, size_t n_after)
{
	struct office *o = req->ctx;
	const char *type = v[CSTEP_TYPE].str;
	json_t *s;
	char name[64];

	s = old && json_is_string(json_object_get(old, "type")) &&
	    strcmp(json_string_value(json_object_get(old, "type")), type) == 0 ?
	    json_deep_copy(old) : json_object();
	if (s == NULL)
		return NULL;
	json_object_set_new(s, "type", json_string(type));
	if (strcmp(type, "email") == 0) {
		size_t nvar = v[CSTEP_NVAR].num >= 1 ? v[CSTEP_NVAR].num : 1;
		json_t *variants = json_array();
		json_t *w = json_object_get(s, "winner");

		for (size_t i = 0; i < nvar; i++) {
			const struct web_value *sub = &v[CSTEP_SUBJECT0 + i];
			const struct web_value *body = &v[CSTEP_BODY0 + i];

			if (!sub->present) {
				snprintf(name, sizeof name, "subject_%zu", i);
				web_form_error(req, name, "Please write a subject line.");
			}
			if (!body->present) {
				snprintf(name, sizeof name, "body_%zu", i);
				web_form_error(req, name, "Please write the message.");
			}
			json_array_append_new(variants, json_pack("{s:s, s:s}", "subject",
			    sub->str, "body", body->str));
		}
		json_object_set_new(s, "variants", variants);
		if (nvar > 1)
			json_object_set_new(s, "ab", json_pack("{s:s, s:b}", "metric",
			    v[CSTEP_AB_METRIC].present ? v[CSTEP_AB_METRIC].str : "click",
			    "auto", (int)v[CSTEP_AB_AUTO].present));
		else
			json_object_del(s, "ab");
		if (w && (!json_is_integer(w) || json_integer_value(w) >= (json_int_t)nvar))
			json_object_del(s, "winner");
	} else if (strcmp(type, "wait") == 0) {
		if (!v[CSTEP_DAYS].present && !v[CSTEP_HOURS].present)
			web_form_error(req, "days", "Please say how long to wait.");
		json_object_set_new(s, "days", json_integer((json_int_t)v[CSTEP_DAYS].num));
		json_object_set_new(s, "hours", json_integer((json_int_t)v[CSTEP_HOURS].num));
	} else if (strcmp(type, "branch") == 0) {
		json_int_t to = office_camp_goto_end(n_after);

		if (!v[CSTEP_ON].present)
			web_form_error(req, "on", "Please choose what to branch on.");
		if (!v[CSTEP_GOTO].present)
			web_form_error(req, "goto", "Please choose where to go when it is "
			    "true.");
		else if (strcmp(v[CSTEP_GOTO].str, "end") != 0) {
			to = atoi(v[CSTEP_GOTO].str);
			if (to <= (json_int_t)k || to >= (json_int_t)n_after)
				web_form_error(req, "goto", "Please choose a later step, or the "
				    "end.");
		}
		json_object_set_new(s, "on", json_string(v[CSTEP_ON].str));
		json_object_set_new(s, "goto", json_integer(to));
	} else if (strcmp(type, "pool_add") == 0 || strcmp(type, "pool_remove") == 0) {
		json_t *pools, *p;
		size_t i;
		int ok = 0;

		if (v[CSTEP_POOL].present && pool_names(o->st, &pools) == HE_OK) {
			json_array_foreach(pools, i, p)
				ok |= json_integer_value(json_object_get(p, "id")) ==
				    (json_int_t)v[CSTEP_POOL].num && strcmp(json_string_value(
				    json_object_get(p, "kind")) ?: "", "static") == 0;
			json_decref(pools);
		}
		if (!ok)
			web_form_error(req, "pool", "Please choose a static pool from the "
			    "list.");
		json_object_set_new(s, "pool", json_integer((json_int_t)v[CSTEP_POOL].num));
	} else if (strcmp(type, "notify") == 0) {
		if (!v[CSTEP_TEXT].present)
			web_form_error(req, "text", "Please write what the notice says.");
		json_object_set_new(s, "text", json_string(v[CSTEP_TEXT].str));
	}
	return s;
}

void
page_campaign_step(struct web_req *req)
{
	struct office *o = req->ctx;
	const struct web_value *v = req->v;
	uint64_t id = v[CSTEP_ID].num;
	size_t k = v[CSTEP_STEP].num, n, nvar = v[CSTEP_NVAR].num ?
	    v[CSTEP_NVAR].num : 1;
	int is_new = v[CSTEP_NEW].present, rc, map[STEPS_MAX + 1];
	json_t *camp, *steps, *s, *errors = NULL;
	char path[128];

	if ((camp = office_camp_load(req, id)) == NULL)
		return;
	steps = json_object_get(camp, "steps");
	n = json_array_size(steps);
	if (is_new ? (k != n || n >= STEPS_MAX) : k >= n) {
		json_decref(camp);
		web_error(req, 409, "The campaign's steps changed since this form was "
		    "opened. Open the campaign again and make the change there.");
		return;
	}
	/* Variants are added and removed on the form, saved with the step. */
	if (v[CSTEP_OP].present && strcmp(v[CSTEP_OP].str, "save") != 0) {
		json_decref(camp);
		if (strcmp(v[CSTEP_OP].str, "add_variant") == 0 && nvar < VARIANTS_MAX)
			nvar++;
		else if (strcmp(v[CSTEP_OP].str, "remove_variant") == 0 && nvar > 1)
			nvar--;
		web_set_int(req, "Form.nvariants.value", (long long)nvar);
		{
			struct web_value vv[CSTEP__MAX];

			memcpy(vv, v, sizeof vv);
			vv[CSTEP_NVAR].num = nvar;
			vv[CSTEP_NVAR].present = 1;
			step_again(req, vv, 200);
		}
		return;
	}
	s = step_of_form(req, v, is_new ? NULL : json_array_get(steps, k), k,
	    is_new ? n + 1 : n);
	if (s == NULL || hdf_get_int_value(req->hdf, "Form.error_count", 0) > 0) {
		json_decref(s);
		json_decref(camp);
		step_again(req, v, 400);
		return;
	}
	if (is_new) {
		for (size_t i = 0; i < n; i++)
			map[i] = (int)i;
		remap_gotos(steps, n, map, n + 1);
		json_array_append_new(steps, s);
	} else {
		json_array_set_new(steps, k, s);
	}
	rc = campaign_update(o->st, id, (int64_t)v[CSTEP_GEN].num, camp, &errors);
	json_decref(camp);
	if (rc == HE_INVALID) {
		office_camp_errors(req, errors, (int)k);
		json_decref(errors);
		step_again(req, v, 400);
		return;
	}
	json_decref(errors);
	if (rc == HE_CONFLICT) {
		step_again(req, v, 409);
		return;
	}
	if (rc != HE_OK) {
		web_fail(req, rc);
		return;
	}
	snprintf(path, sizeof path, "/office/campaign?id=%" PRIu64
	    "&done=step#step-%zu", id, k);
	web_redirect(req, 303, path);
}

void
page_campaign_move(struct web_req *req)
{
	struct office *o = req->ctx;
	const struct web_value *v = req->v;
	uint64_t id = v[CMOVE_ID].num;
	size_t k = v[CMOVE_STEP].num, n, to = k;
	const char *op = v[CMOVE_OP].str;
	json_t *camp, *steps, *moved, *errors = NULL;
	int map[STEPS_MAX + 1], rc;
	char path[128];

	if ((camp = office_camp_load(req, id)) == NULL)
		return;
	steps = json_object_get(camp, "steps");
	n = json_array_size(steps);
	if (k >= n || n > STEPS_MAX || (strcmp(op, "up") == 0 && k == 0) ||
	    (strcmp(op, "down") == 0 && k + 1 >= n)) {
		json_decref(camp);
		web_error(req, 409, "The campaign's steps changed since the page was "
		    "opened. Open the campaign again.");
		return;
	}
	for (size_t i = 0; i < n; i++)
		map[i] = (int)i;
	if (strcmp(op, "delete") == 0) {
		map[k] = -1;
		for (size_t i = k + 1; i < n; i++)
			map[i] = (int)i - 1;
		json_array_remove(steps, k);
		remap_gotos(steps, n, map, n - 1);
	} else {
		to = strcmp(op, "up") == 0 ? k - 1 : k + 1;
		map[k] = (int)to;
		map[to] = (int)k;
		moved = json_incref(json_array_get(steps, k));
		json_array_set(steps, k, json_array_get(steps, to));
		json_array_set_new(steps, to, moved);
		remap_gotos(steps, n, map, n);
	}
	rc = campaign_update(o->st, id, (int64_t)v[CMOVE_GEN].num, camp, &errors);
	json_decref(camp);
	if (rc == HE_INVALID || rc == HE_CONFLICT) {
		if (rc == HE_INVALID) {
			web_form_error(req, "steps", "The steps cannot go in that order: "
			    "a branch would go back to an earlier step. Change the "
			    "branch first.");
			office_camp_errors(req, errors, -1);
		}
		json_decref(errors);
		if (office_camp_editor_context(req, id, 0) != HE_OK) {
			web_fail(req, HE_IO);
			return;
		}
		if (rc == HE_CONFLICT)
			web_set(req, "Page.conflict", "1");
		web_render(req, rc == HE_CONFLICT ? 409 : 400, "office/campaign.cs");
		return;
	}
	json_decref(errors);
	if (rc != HE_OK) {
		web_fail(req, rc);
		return;
	}
	snprintf(path, sizeof path, "/office/campaign?id=%" PRIu64 "&done=%s#steps",
	    id, strcmp(op, "delete") == 0 ? "deleted" : "moved");
	web_redirect(req, 303, path);
}
