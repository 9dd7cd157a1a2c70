/* page_pools.c: pools: the list, a new static pool, a filter saved as a
 * dynamic pool, one pool's members, adding and removing members by hand */
#include <stdio.h>
#include <string.h>

#include "cgi-bin/office/office.h"
#include "crm/pool.h"
#include "crm/candidates.h"
#include "util/he.h"

#define PER_PAGE 50

const struct web_field pool_new_fields[] = {
	{ "name", WEB_FT_TEXT, WEB_FF_REQUIRED, POOL_NAME_MAX, "Pool name",
	    "Please give the pool a name.", NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

enum pool_page_field { POOLPAGE_ID, POOLPAGE_PAGE };
const struct web_field pool_page_fields[] = {
	[POOLPAGE_ID] = { "id", WEB_FT_UINT, WEB_FF_REQUIRED | WEB_FF_HIDDEN,
	    UINT32_MAX, "Pool",
	    "Which pool? The link is incomplete.", NULL, NULL },
	[POOLPAGE_PAGE] = { "page", WEB_FT_UINT, WEB_FF_HIDDEN, 1000000, "Page",
	    NULL, NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

const struct web_field pool_member_fields[] = {
	[MEMBER_POOL] = { "pool", WEB_FT_UINT, WEB_FF_REQUIRED | WEB_FF_HIDDEN,
	    UINT32_MAX, "Pool",
	    "Please choose a pool.", NULL, NULL },
	[MEMBER_CAND] = { "cand", WEB_FT_UINT, WEB_FF_REQUIRED | WEB_FF_HIDDEN,
	    UINT32_MAX,
	    "Candidate", "Which candidate? The form is incomplete.", NULL, NULL },
	[MEMBER_ADD] = { "add", WEB_FT_CHECKBOX, WEB_FF_HIDDEN, 0, "Add", NULL,
	    NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

/* Who may delete a pool: its maker and admins. */
static int
may_delete(struct web_req *req, json_t *pool)
{
	return req->user->role == ROLE_ADMIN || (uint64_t)json_integer_value(
	    json_object_get(pool, "by")) == req->user->id;
}

static void
set_pool_list(struct web_req *req)
{
	struct office *o = req->ctx;
	json_t *pools, *p;
	size_t i;
	char name[64];
	int rc;

	if ((rc = pool_list(o->st, &pools)) != HE_OK) {
		web_fail(req, rc);
		return;
	}
	json_array_foreach(pools, i, p) {
		snprintf(name, sizeof name, "Page.pools.%zu", i);
		office_set_fields(req, name, p);
	}
	json_decref(pools);
}

void
page_pools(struct web_req *req)
{
	set_pool_list(req);
	web_render(req, 200, "office/pools.cs");
}

void
page_pool_new(struct web_req *req)
{
	struct office *o = req->ctx;
	uint64_t id;
	char path[64];
	int rc = pool_create(o->st, req->v[0].str, NULL, req->user->id, &id);

	if (rc != HE_OK) {
		web_fail(req, rc);
		return;
	}
	snprintf(path, sizeof path, "/office/pool?id=%llu", (unsigned long long)id);
	web_redirect(req, 303, path);
}

void
page_pool_save_form(struct web_req *req, const struct web_value *v)
{
	page_candidates_form(req, v);
	web_set(req, "Page.saving", "1");
}

void
page_pool_save(struct web_req *req)
{
	struct office *o = req->ctx;
	struct cand_query q;
	enum cand_sort sort;
	uint64_t id;
	char path[64];
	int rc;

	filter_read(req, req->v, &q, &sort);	/* judged already */
	if (cand_query_empty(&q)) {
		web_form_error(req, "q", "This filter matches everyone: choose at "
		    "least one condition before saving it as a pool.");
		web_render(req, 400, "office/candidates.cs");
		return;
	}
	rc = pool_create(o->st, req->v[FILTER__MAX].str, &q, req->user->id, &id);
	if (rc == HE_INVALID) {
		web_form_error(req, "pool", "A saved filter cannot use another "
		    "saved filter as its pool: choose a static pool or none.");
		web_render(req, 400, "office/candidates.cs");
		return;
	}
	if (rc != HE_OK) {
		web_fail(req, rc);
		return;
	}
	snprintf(path, sizeof path, "/office/pool?id=%llu", (unsigned long long)id);
	web_redirect(req, 303, path);
}

/* The conditions of a saved filter, in words. */
static void
describe(struct web_req *req, json_t *query)
{
	static const struct {
		const char *field, *label;
	} parts[] = {
		{ "text", "Search" }, { "tags_all", "Tags, all of" },
		{ "tags_any", "Tags, any of" }, { "tags_none", "Tags, none of" },
		{ "status", "Status" }, { "source", "Source" },
		{ "seniority", "Seniority" }, { "interest", "Role interest" },
		{ "consent", "Consent" }, { "level", "Engagement" },
		{ "city", "City" }, { "country", "Country" },
	};
	size_t n = 0;
	char name[64], text[700];

	for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
		json_t *v = json_object_get(query, parts[i].field), *e;
		size_t k;

		text[0] = 0;
		if (json_is_string(v))
			snprintf(text, sizeof text, "%s", json_string_value(v));
		json_array_foreach(v, k, e) {
			size_t len = strlen(text);

			snprintf(text + len, sizeof text - len, "%s%s", len ? ", " : "",
			    json_string_value(e));
		}
		if (text[0] == 0)
			continue;
		snprintf(name, sizeof name, "Page.conditions.%zu.label", n);
		web_set(req, name, parts[i].label);
		snprintf(name, sizeof name, "Page.conditions.%zu.value", n++);
		web_set(req, name, text);
	}
	if (json_is_true(json_object_get(query, "remote"))) {
		snprintf(name, sizeof name, "Page.conditions.%zu.label", n);
		web_set(req, name, "Open to remote work");
		snprintf(name, sizeof name, "Page.conditions.%zu.value", n++);
		web_set(req, name, "yes");
	}
	if (json_is_true(json_object_get(query, "stale"))) {
		snprintf(name, sizeof name, "Page.conditions.%zu.label", n);
		web_set(req, name, "Stale records");
		snprintf(name, sizeof name, "Page.conditions.%zu.value", n++);
		web_set(req, name, "only");
	}
}

void
page_pool(struct web_req *req)
{
	struct office *o = req->ctx;
	uint64_t id = req->v[POOLPAGE_ID].num, count, ids[PER_PAGE], total;
	size_t page = req->v[POOLPAGE_PAGE].num ? req->v[POOLPAGE_PAGE].num : 1;
	size_t n, pages;
	struct cand_query q;
	json_t *pool;
	int rc;

	if ((rc = pool_get(o->st, id, &pool, &count)) == HE_NOTFOUND) {
		web_error(req, 404, "There is no such pool. It may have been "
		    "deleted; see the list of pools.");
		return;
	}
	if (rc != HE_OK) {
		web_fail(req, rc);
		return;
	}
	cand_query_init(&q);
	q.pool = id;
	if ((rc = cand_search(o->st, &q, SORT_NEWEST, page, PER_PAGE, ids, &n,
	    &total)) != HE_OK) {
		json_decref(pool);
		web_fail(req, rc);
		return;
	}
	web_set_int(req, "Page.pool.id", (long long)id);
	office_set_fields(req, "Page.pool", pool);
	web_set_int(req, "Page.pool.count", (long long)count);
	describe(req, json_object_get(pool, "query"));
	if (may_delete(req, pool))
		web_set(req, "Page.can_delete", "1");
	json_decref(pool);
	for (size_t i = 0; i < n; i++) {
		json_t *rec;
		char name[64];

		if (cand_get(o->st, ids[i], &rec) != HE_OK)
			continue;
		snprintf(name, sizeof name, "Page.members.%zu", i);
		office_set_fields(req, name, rec);
		snprintf(name, sizeof name, "Page.members.%zu.id", i);
		web_set_int(req, name, (long long)ids[i]);
		json_decref(rec);
	}
	pages = total ? (total + PER_PAGE - 1) / PER_PAGE : 1;
	web_set_int(req, "Page.page", (long long)page);
	web_set_int(req, "Page.pages", (long long)pages);
	if (page > 1)
		web_set_int(req, "Page.prev", (long long)(page - 1));
	if (page < pages)
		web_set_int(req, "Page.next", (long long)(page + 1));
	web_render(req, 200, "office/pool.cs");
}

void
page_pool_member(struct web_req *req)
{
	struct office *o = req->ctx;
	uint64_t cand = req->v[MEMBER_CAND].num;
	char path[64];
	int rc = pool_member_change(o->st, req->v[MEMBER_POOL].num, cand,
	    req->v[MEMBER_ADD].present);

	if (rc == HE_NOTFOUND) {
		web_error(req, 404, "That pool or candidate no longer exists.");
		return;
	}
	if (rc == HE_INVALID) {
		web_error(req, 400, "People join a saved filter's pool by matching "
		    "its filter, not by hand. Choose a static pool.");
		return;
	}
	if (rc != HE_OK) {
		web_fail(req, rc);
		return;
	}
	snprintf(path, sizeof path, "/office/candidate?id=%llu",
	    (unsigned long long)cand);
	web_redirect(req, 303, path);
}

void
page_pool_delete(struct web_req *req)
{
	struct office *o = req->ctx;
	uint64_t id = req->v[POOLPAGE_ID].num;
	json_t *pool;
	int rc = pool_get(o->st, id, &pool, NULL), allowed;

	if (rc == HE_NOTFOUND) {
		web_error(req, 404, "There is no such pool. It may have been "
		    "deleted already.");
		return;
	}
	if (rc != HE_OK) {
		web_fail(req, rc);
		return;
	}
	allowed = may_delete(req, pool);
	json_decref(pool);
	if (!allowed) {
		web_error(req, 403, "Only the person who made this pool, or an "
		    "admin, can delete it.");
		return;
	}
	if ((rc = pool_delete(o->st, id)) != HE_OK) {
		web_fail(req, rc);
		return;
	}
	web_redirect(req, 303, "/office/pools");
}
