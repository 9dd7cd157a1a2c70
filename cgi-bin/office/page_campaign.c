/* page_campaign.c: nurture campaigns: the list, a new one, the editor with
 * its settings and steps, activating, pausing, resuming and archiving */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgi-bin/office/office.h"
#include "crm/campaign.h"
#include "crm/pool.h"
#include "util/he.h"

#define PER_PAGE 25
#define NAME_MAX_CHARS 120

static const char *const goals[] = { "replied", "applied", "status_changed",
	NULL };
static const char *const states[] = { "active", "paused", "archived", NULL };
static const char *const done_choices[] = { "created", "saved", "step",
	"moved", "deleted", "active", "paused", "archived", "winner", NULL };

const struct web_field camp_new_fields[] = {
	{ "name", WEB_FT_TEXT, WEB_FF_REQUIRED, NAME_MAX_CHARS, "Campaign name",
	    "Please give the campaign a name.", NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

const struct web_field camp_list_fields[] = {
	{ "page", WEB_FT_UINT, 0, 100000, "Page", NULL, NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

#define FIELD_CAMP { "id", WEB_FT_UINT, WEB_FF_REQUIRED | WEB_FF_HIDDEN, \
	UINT32_MAX, "Campaign", "Which campaign? The link or form is " \
	"incomplete: open the campaign again from the list.", NULL, NULL }
#define FIELD_GEN { "gen", WEB_FT_UINT, WEB_FF_REQUIRED | WEB_FF_HIDDEN, \
	INT64_MAX, "Version", "This form is incomplete: open the campaign " \
	"again from the list.", NULL, NULL }

const struct web_field camp_id_fields[] = {
	[CAMPID_ID] = FIELD_CAMP,
	[CAMPID_DONE] = { "done", WEB_FT_CHOICE, 0, 0, "Done", NULL,
	    done_choices, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

const struct web_field camp_settings_fields[] = {
	[CSET_ID] = FIELD_CAMP,
	[CSET_GEN] = FIELD_GEN,
	[CSET_NAME] = { "name", WEB_FT_TEXT, WEB_FF_REQUIRED, NAME_MAX_CHARS,
	    "Campaign name", "Please give the campaign a name.", NULL, NULL },
	[CSET_POOLS] = { "pools", WEB_FT_MULTI, 0, 20, "Audience", NULL, NULL,
	    NULL },
	[CSET_AUTO] = { "auto", WEB_FT_CHECKBOX, 0, 0, "Enrol automatically",
	    NULL, NULL, NULL },
	[CSET_GOAL] = { "goal", WEB_FT_CHOICE, 0, 0, "Goal", NULL, goals, NULL },
	[CSET_FROM] = { "from", WEB_FT_UINT, WEB_FF_REQUIRED, 23,
	    "Send from (hour)", "Please choose the hour sending starts.", NULL,
	    NULL },
	[CSET_TO] = { "to", WEB_FT_UINT, WEB_FF_REQUIRED, 24, "Send until (hour)",
	    "Please choose the hour sending stops.", NULL, NULL },
	[CSET_WEEKDAYS] = { "weekdays", WEB_FT_CHECKBOX, 0, 0, "Weekdays only",
	    NULL, NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

const struct web_field camp_state_fields[] = {
	[CSTATE_ID] = FIELD_CAMP,
	[CSTATE_STATE] = { "state", WEB_FT_CHOICE, WEB_FF_REQUIRED | WEB_FF_HIDDEN,
	    0, "State", "Please use one of the campaign's buttons.", states, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

json_int_t
office_camp_goto_end(size_t nsteps)
{
	return (json_int_t)nsteps;
}

json_t *
office_camp_load(struct web_req *req, uint64_t id)
{
	struct office *o = req->ctx;
	json_t *camp;
	int rc = campaign_get(o->st, id, &camp);

	if (rc == HE_NOTFOUND) {
		web_error(req, 404, "There is no such campaign. See the list of "
		    "campaigns.");
		return NULL;
	}
	if (rc != HE_OK) {
		web_fail(req, rc);
		return NULL;
	}
	return camp;
}

/* The name of pool id among pool_names' (NULL when gone). */
static const char *
pool_name_of(json_t *pools, json_int_t id)
{
	size_t i;
	json_t *p;

	json_array_foreach(pools, i, p)
		if (json_integer_value(json_object_get(p, "id")) == id)
			return json_string_value(json_object_get(p, "name"));
	return NULL;
}

/* ---- the list ---- */

static json_int_t
stat_sum(json_t *stats, const char *metric)
{
	json_t *step, *variant;
	const char *k1, *k2;
	json_int_t n = 0;

	json_object_foreach(json_object_get(stats, "steps"), k1, step)
		json_object_foreach(step, k2, variant)
			n += json_integer_value(json_object_get(variant, metric));
	return n;
}

static int
newest_first(const void *a, const void *b)
{
	json_int_t x = json_integer_value(json_object_get(*(json_t *const *)a, "id"));
	json_int_t y = json_integer_value(json_object_get(*(json_t *const *)b, "id"));

	return x < y ? 1 : x > y ? -1 : 0;
}

/* The page page of the list into Page.camps (newest first). */
static int
campaigns_fill(struct web_req *req, size_t page)
{
	struct office *o = req->ctx;
	size_t total, pages, shown = 0;
	json_t *list, *pools = NULL, **rows = NULL;
	char name[96];
	int rc;

	if ((rc = campaign_list(o->st, &list)) != HE_OK)
		return rc;
	if (pool_names(o->st, &pools) != HE_OK)
		pools = json_array();
	total = json_array_size(list);
	if (total && (rows = calloc(total, sizeof *rows)) == NULL) {
		json_decref(list);
		json_decref(pools);
		return HE_NOMEM;
	}
	for (size_t i = 0; i < total; i++)
		rows[i] = json_array_get(list, i);
	if (total > 1)
		qsort(rows, total, sizeof *rows, newest_first);
	pages = total ? (total + PER_PAGE - 1) / PER_PAGE : 1;
	if (page > pages)
		page = pages;
	for (size_t i = (page - 1) * PER_PAGE; i < total && shown < PER_PAGE;
	    i++, shown++) {
		json_t *c = rows[i], *stats = NULL, *p;
		json_int_t id = json_integer_value(json_object_get(c, "id"));
		size_t k;

		snprintf(name, sizeof name, "Page.camps.%zu", shown);
		office_set_fields(req, name, c);
		json_array_foreach(json_object_get(c, "pools"), k, p) {
			const char *pn = pool_name_of(pools, json_integer_value(p));

			snprintf(name, sizeof name, "Page.camps.%zu.pool_names.%zu",
			    shown, k);
			web_set(req, name, pn ? pn : "(a deleted pool)");
		}
		if (campaign_stats(o->st, (uint64_t)id, &stats) == HE_OK) {
			snprintf(name, sizeof name, "Page.camps.%zu.sent", shown);
			web_set_int(req, name, stat_sum(stats, "sent"));
			snprintf(name, sizeof name, "Page.camps.%zu.clicked", shown);
			web_set_int(req, name, stat_sum(stats, "clicked"));
			snprintf(name, sizeof name, "Page.camps.%zu.replied", shown);
			web_set_int(req, name, stat_sum(stats, "replied"));
			json_decref(stats);
		}
	}
	free(rows);
	json_decref(list);
	json_decref(pools);
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
page_campaigns(struct web_req *req)
{
	int rc = campaigns_fill(req, req->v[0].present && req->v[0].num ?
	    req->v[0].num : 1);

	if (rc != HE_OK)
		web_fail(req, rc);
	else
		web_render(req, 200, "office/campaigns.cs");
}

void
office_camp_list_context(struct web_req *req, const struct web_value *v)
{
	(void)v;
	if (hdf_get_int_value(req->hdf, "Form.error_count", 0) > 0)
		campaigns_fill(req, 1);
}

void
page_campaign_new(struct web_req *req)
{
	struct office *o = req->ctx;
	json_t *body, *errors = NULL;
	uint64_t id;
	char path[96];
	int rc;

	/* A draft: sending in working hours on weekdays until told otherwise. */
	body = json_pack("{s:s, s:s, s:[], s:b, s:s, s:{s:i, s:i, s:b}, s:[]}",
	    "name", req->v[0].str, "state", "draft", "pools", "auto", 0, "goal",
	    "", "window", "from", 9, "to", 17, "weekdays", 1, "steps");
	if (body == NULL) {
		web_fail(req, HE_NOMEM);
		return;
	}
	rc = campaign_create(o->st, body, req->user->id, &id, &errors);
	json_decref(body);
	if (rc == HE_INVALID) {
		json_t *m = json_object_get(errors, "name");

		web_form_error(req, "name", json_is_string(m) ? json_string_value(m) :
		    "This campaign cannot be made: please check its name.");
		json_decref(errors);
		if ((rc = campaigns_fill(req, 1)) != HE_OK)
			web_fail(req, rc);
		else
			web_render(req, 400, "office/campaigns.cs");
		return;
	}
	json_decref(errors);
	if (rc != HE_OK) {
		web_fail(req, rc);
		return;
	}
	snprintf(path, sizeof path, "/office/campaign?id=%" PRIu64 "&done=created",
	    id);
	web_redirect(req, 303, path);
}

/* ---- the editor ---- */

static const char *const letters[] = { "A", "B", "C", "D" };

/* One step as the editor lists it, under prefix. */
static void
set_step(struct web_req *req, const char *prefix, json_t *s, size_t i,
    size_t n, json_t *pools)
{
	const char *type = json_string_value(json_object_get(s, "type"));
	json_t *variants = json_object_get(s, "variants"), *w;
	char name[160];

#define SETN(field, value) (snprintf(name, sizeof name, "%s.%s", prefix, \
	field), web_set_int(req, name, (long long)(value)))
#define SETS(field, value) (snprintf(name, sizeof name, "%s.%s", prefix, \
	field), web_set(req, name, value))
	SETN("index", i);
	SETN("number", i + 1);
	SETS("type", type ? type : "");
	if (i == 0)
		SETN("first", 1);
	if (i + 1 == n)
		SETN("last", 1);
	if (type == NULL)
		return;
	if (strcmp(type, "email") == 0) {
		json_t *ab = json_object_get(s, "ab");

		SETN("nvariants", json_array_size(variants));
		SETS("subject", json_string_value(json_object_get(
		    json_array_get(variants, 0), "subject")));
		if (json_array_size(variants) > 1) {
			SETS("ab_metric", json_string_value(json_object_get(ab,
			    "metric")));
			if (json_is_true(json_object_get(ab, "auto")))
				SETN("ab_auto", 1);
		}
		if ((w = json_object_get(s, "winner")) && json_is_integer(w) &&
		    json_integer_value(w) >= 0 && json_integer_value(w) < 4)
			SETS("winner", letters[json_integer_value(w)]);
	} else if (strcmp(type, "wait") == 0) {
		SETN("days", json_integer_value(json_object_get(s, "days")));
		SETN("hours", json_integer_value(json_object_get(s, "hours")));
	} else if (strcmp(type, "branch") == 0) {
		json_int_t g = json_integer_value(json_object_get(s, "goto"));

		SETS("on", json_string_value(json_object_get(s, "on")));
		if (g == office_camp_goto_end(n) || g < 0 || (size_t)g >= n)
			SETN("goto_end", 1);
		else
			SETN("goto_number", g + 1);
	} else if (strcmp(type, "pool_add") == 0 || strcmp(type, "pool_remove") == 0) {
		const char *pn = pool_name_of(pools, json_integer_value(
		    json_object_get(s, "pool")));

		SETS("pool_name", pn ? pn : "(a deleted pool)");
	} else if (strcmp(type, "notify") == 0) {
		SETS("text", json_string_value(json_object_get(s, "text")));
	}
#undef SETN
#undef SETS
}

/* What the state buttons may do from state. */
static void
set_actions(struct web_req *req, const char *state)
{
	if (strcmp(state, "draft") == 0)
		web_set(req, "Page.can.activate", "1");
	if (strcmp(state, "active") == 0)
		web_set(req, "Page.can.pause", "1");
	if (strcmp(state, "paused") == 0)
		web_set(req, "Page.can.resume", "1");
	if (strcmp(state, "archived") != 0)
		web_set(req, "Page.can.archive", "1");
}

int
office_camp_editor_context(struct web_req *req, uint64_t id, int keep_form)
{
	struct office *o = req->ctx;
	json_t *camp, *pools = NULL, *p, *steps, *window;
	const char *state;
	char name[96];
	size_t i, n;
	int rc;

	if ((rc = campaign_get(o->st, id, &camp)) != HE_OK)
		return rc;
	if (pool_names(o->st, &pools) != HE_OK)
		pools = json_array();
	state = json_string_value(json_object_get(camp, "state"));
	if (state == NULL)
		state = "draft";
	web_set_int(req, "Page.camp.id", (long long)id);
	web_set(req, "Page.camp.name", json_string_value(json_object_get(camp,
	    "name")));
	web_set(req, "Page.camp.state", state);
	web_set_int(req, "Page.camp.gen", json_integer_value(json_object_get(camp,
	    "gen")));
	office_set_time(req, "Page.camp.updated_at", json_object_get(camp,
	    "updated"), 0);
	set_actions(req, state);
	json_array_foreach(json_object_get(camp, "pools"), i, p) {
		const char *pn = pool_name_of(pools, json_integer_value(p));

		snprintf(name, sizeof name, "Page.camp.pool_names.%zu", i);
		web_set(req, name, pn ? pn : "(a deleted pool)");
	}
	steps = json_object_get(camp, "steps");
	n = json_array_size(steps);
	web_set_int(req, "Page.camp.nsteps", (long long)n);
	json_array_foreach(steps, i, p) {
		snprintf(name, sizeof name, "Page.steps.%zu", i);
		set_step(req, name, p, i, n, pools);
	}
	json_array_foreach(pools, i, p) {
		snprintf(name, sizeof name, "Page.pools.%zu", i);
		office_set_fields(req, name, p);
	}
	window = json_object_get(camp, "window");
	if (!keep_form) {
		web_set(req, "Form.name.value", json_string_value(json_object_get(camp,
		    "name")));
		web_set_int(req, "Form.gen.value", json_integer_value(
		    json_object_get(camp, "gen")));
		web_set(req, "Form.goal.value", json_string_value(json_object_get(camp,
		    "goal")));
		web_set(req, "Form.auto.value", json_is_true(json_object_get(camp,
		    "auto")) ? "1" : "");
		web_set_int(req, "Form.from.value", json_integer_value(
		    json_object_get(window, "from")));
		web_set_int(req, "Form.to.value", json_is_integer(json_object_get(window,
		    "to")) ? json_integer_value(json_object_get(window, "to")) : 24);
		web_set(req, "Form.weekdays.value", json_is_true(json_object_get(window,
		    "weekdays")) ? "1" : "");
		json_array_foreach(json_object_get(camp, "pools"), i, p) {
			snprintf(name, sizeof name, "Form.pools.checked.%" JSON_INTEGER_FORMAT,
			    json_integer_value(p));
			web_set(req, name, "1");
		}
	}
	json_decref(pools);
	json_decref(camp);
	return HE_OK;
}

/* The field of a form that a campaign_validate key names. */
static void
field_of(const char *key, int step, char *out, size_t size, int *at_step)
{
	static const struct {
		const char *key, *field;
	} top[] = {
		{ "name", "name" }, { "pools", "pools" }, { "auto", "auto" },
		{ "goal", "goal" }, { "window.from", "from" }, { "window.to", "to" },
		{ "window.weekdays", "weekdays" }, { "window", "from" },
	}, in_step[] = {
		{ "days", "days" }, { "hours", "hours" }, { "on", "on" },
		{ "goto", "goto" }, { "pool", "pool" }, { "text", "text" },
		{ "ab", "ab_metric" }, { "ab.metric", "ab_metric" },
		{ "ab.auto", "ab_auto" }, { "variants", "subject_0" },
		{ "winner", "subject_0" }, { "type", "type" },
	};
	char *end;
	unsigned long n;

	*at_step = -1;
	snprintf(out, size, "%s", key);
	if (strncmp(key, "steps.", 6) != 0) {
		for (size_t i = 0; i < sizeof top / sizeof *top; i++)
			if (strcmp(key, top[i].key) == 0)
				snprintf(out, size, "%s", top[i].field);
		return;
	}
	n = strtoul(key + 6, &end, 10);
	if (end == key + 6 || n > 1000)
		return;
	*at_step = (int)n;
	if ((int)n != step) {
		snprintf(out, size, "step-%lu", n);
		return;
	}
	if (*end == '.')
		end++;
	snprintf(out, size, "type");
	if (strncmp(end, "variants.", 9) == 0) {
		unsigned long v = strtoul(end + 9, &end, 10);

		if (v < 4 && strcmp(end, ".body") == 0)
			snprintf(out, size, "body_%lu", v);
		else if (v < 4)
			snprintf(out, size, "subject_%lu", v);
		return;
	}
	for (size_t i = 0; i < sizeof in_step / sizeof *in_step; i++)
		if (strcmp(end, in_step[i].key) == 0)
			snprintf(out, size, "%s", in_step[i].field);
}

void
office_camp_errors(struct web_req *req, json_t *errors, int step)
{
	const char *key;
	json_t *m;
	char field[64], name[96], msg[600];
	int at_step;

	json_object_foreach(errors, key, m) {
		const char *text = json_is_string(m) ? json_string_value(m) :
		    "This is not right.";

		field_of(key, step, field, sizeof field, &at_step);
		if (at_step >= 0 && at_step != step) {
			snprintf(name, sizeof name, "Page.steps.%d.error", at_step);
			web_set(req, name, text);
			snprintf(msg, sizeof msg, "Step %d: %s", at_step + 1, text);
			web_form_error(req, field, msg);
		} else {
			web_form_error(req, field, text);
		}
	}
}

/* The audience ticked, as pool ids that exist; a field error otherwise. */
static json_t *
pools_of(struct web_req *req, const struct web_value *v)
{
	struct office *o = req->ctx;
	json_t *out = json_array(), *known = NULL;
	char name[96];

	if (out == NULL || pool_names(o->st, &known) != HE_OK) {
		json_decref(out);
		return NULL;
	}
	for (size_t i = 0; i < v->count; i++) {
		char *end;
		unsigned long long id = strtoull(v->list[i], &end, 10);

		if (*end || v->list[i][0] < '1' || v->list[i][0] > '9' ||
		    pool_name_of(known, (json_int_t)id) == NULL) {
			web_form_error(req, "pools", "Please choose pools from the list: "
			    "one of them no longer exists.");
			break;
		}
		json_array_append_new(out, json_integer((json_int_t)id));
		snprintf(name, sizeof name, "Form.pools.checked.%llu", id);
		web_set(req, name, "1");
	}
	json_decref(known);
	return out;
}

void
office_camp_form_context(struct web_req *req, const struct web_value *v)
{
	json_t *pools;

	if (v[CSET_POOLS].present && (pools = pools_of(req, &v[CSET_POOLS])))
		json_decref(pools);
	if (hdf_get_int_value(req->hdf, "Form.error_count", 0) > 0 &&
	    v[CSET_ID].present)
		office_camp_editor_context(req, v[CSET_ID].num, 1);
}

void
page_campaign(struct web_req *req)
{
	int rc = office_camp_editor_context(req, req->v[CAMPID_ID].num, 0);

	if (rc == HE_NOTFOUND) {
		web_error(req, 404, "There is no such campaign. See the list of "
		    "campaigns.");
		return;
	}
	if (rc != HE_OK) {
		web_fail(req, rc);
		return;
	}
	if (req->v[CAMPID_DONE].present)
		web_set(req, "Page.done", req->v[CAMPID_DONE].str);
	web_render(req, 200, "office/campaign.cs");
}

/* The editor again after a refused save: what was typed, the campaign as
 * stored around it. */
void
office_camp_editor_again(struct web_req *req, uint64_t id, int status)
{
	int rc = office_camp_editor_context(req, id, 1);

	if (rc == HE_NOTFOUND)
		web_error(req, 404, "There is no such campaign any more: someone "
		    "deleted it.");
	else if (rc != HE_OK)
		web_fail(req, rc);
	else {
		if (status == 409) {
			web_set(req, "Page.conflict", "1");
			/* The next save is a choice made knowing of the other. */
			web_set(req, "Form.gen.value", hdf_get_value(req->hdf,
			    "Page.camp.gen", ""));
		}
		web_render(req, status, "office/campaign.cs");
	}
}

void
page_campaign_save(struct web_req *req)
{
	struct office *o = req->ctx;
	const struct web_value *v = req->v;
	uint64_t id = v[CSET_ID].num;
	json_t *camp, *pools, *errors = NULL;
	char path[96];
	int rc;

	if ((camp = office_camp_load(req, id)) == NULL)
		return;
	if ((pools = pools_of(req, &v[CSET_POOLS])) == NULL ||
	    hdf_get_int_value(req->hdf, "Form.error_count", 0) > 0) {
		json_decref(pools);
		json_decref(camp);
		office_camp_editor_again(req, id, 400);
		return;
	}
	json_object_set_new(camp, "name", json_string(v[CSET_NAME].str));
	json_object_set_new(camp, "pools", pools);
	json_object_set_new(camp, "auto", json_boolean(v[CSET_AUTO].present));
	json_object_set_new(camp, "goal", json_string(v[CSET_GOAL].str));
	json_object_set_new(camp, "window", json_pack("{s:I, s:I, s:b}", "from",
	    (json_int_t)v[CSET_FROM].num, "to", (json_int_t)v[CSET_TO].num,
	    "weekdays", (int)v[CSET_WEEKDAYS].present));
	rc = campaign_update(o->st, id, (int64_t)v[CSET_GEN].num, camp, &errors);
	json_decref(camp);
	if (rc == HE_INVALID) {
		office_camp_errors(req, errors, -1);
		json_decref(errors);
		office_camp_editor_again(req, id, 400);
		return;
	}
	json_decref(errors);
	if (rc == HE_CONFLICT) {
		office_camp_editor_again(req, id, 409);
		return;
	}
	if (rc == HE_NOTFOUND) {
		web_error(req, 404, "There is no such campaign any more.");
		return;
	}
	if (rc != HE_OK) {
		web_fail(req, rc);
		return;
	}
	snprintf(path, sizeof path, "/office/campaign?id=%" PRIu64 "&done=saved", id);
	web_redirect(req, 303, path);
}

static int
has_email_step(json_t *camp)
{
	size_t i;
	json_t *s;

	json_array_foreach(json_object_get(camp, "steps"), i, s)
		if (strcmp(json_string_value(json_object_get(s, "type")) ?: "",
		    "email") == 0)
			return 1;
	return 0;
}

void
page_campaign_state(struct web_req *req)
{
	struct office *o = req->ctx;
	uint64_t id = req->v[CSTATE_ID].num;
	const char *state = req->v[CSTATE_STATE].str;
	json_t *camp, *errors = NULL;
	char path[96];
	int rc;

	if ((camp = office_camp_load(req, id)) == NULL)
		return;
	rc = campaign_set_state(o->st, id, state, req->user->id);
	if (rc == HE_INVALID) {
		/* Say what stands in the way: the campaign's own errors, or
		 * the audience it lacks. */
		if (campaign_validate(camp, &errors) != HE_OK)
			office_camp_errors(req, errors, -1);
		if (strcmp(state, "active") == 0 &&
		    json_array_size(json_object_get(camp, "pools")) == 0)
			web_form_error(req, "pools", "Choose at least one audience pool "
			    "before starting the campaign.");
		if (strcmp(state, "active") == 0 && !has_email_step(camp))
			web_form_error(req, "steps", "Add at least one email step before "
			    "starting the campaign.");
		if (hdf_get_int_value(req->hdf, "Form.error_count", 0) == 0)
			web_form_error(req, "state", "The campaign cannot go to that "
			    "state from the one it is in now.");
		json_decref(errors);
		json_decref(camp);
		rc = office_camp_editor_context(req, id, 0);
		if (rc != HE_OK)
			web_fail(req, rc);
		else
			web_render(req, 400, "office/campaign.cs");
		return;
	}
	json_decref(camp);
	if (rc != HE_OK) {
		web_fail(req, rc);
		return;
	}
	snprintf(path, sizeof path, "/office/campaign?id=%" PRIu64 "&done=%s", id,
	    state);
	web_redirect(req, 303, path);
}
