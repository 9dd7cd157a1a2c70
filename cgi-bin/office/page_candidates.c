/* page_candidates.c: the candidate list: filters, free text, sort, pages */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cgi-bin/office/office.h"
#include "crm/candidates.h"
#include "crm/clock.h"
#include "crm/engage.h"
#include "crm/pool.h"
#include "util/he.h"

#define PER_PAGE 50

const struct web_field list_fields[] = {
	[LIST_PAGE] = { "page", WEB_FT_UINT, 0, 1000000, "Page", NULL, NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

static void
set_str(struct web_req *req, size_t i, const char *field, json_t *rec,
    const char *key)
{
	char name[64];
	const char *s = json_string_value(json_object_get(rec, key));

	snprintf(name, sizeof name, "Page.candidates.%zu.%s", i, field);
	web_set(req, name, s ? s : "");
}

/* A time in the list: to the minute is enough there. */
static void
set_minute(struct web_req *req, const char *name, json_t *v, int micro)
{
	time_t t;
	struct tm tm;
	char buf[64];

	if (!json_is_integer(v))
		return;
	t = (time_t)(json_integer_value(v) / (micro ? 1000000 : 1));
	strftime(buf, sizeof buf, "%d %b %Y, %H:%M UTC", gmtime_r(&t, &tm));
	web_set(req, name, buf);
}

static void
set_row(struct web_req *req, size_t i, uint64_t id, json_t *rec)
{
	char name[64], tags[600] = "";
	json_t *v;
	size_t k;

	snprintf(name, sizeof name, "Page.candidates.%zu.id", i);
	web_set_int(req, name, (long long)id);
	set_str(req, i, "name", rec, "name");
	set_str(req, i, "email", rec, "email");
	set_str(req, i, "title", rec, "title");
	set_str(req, i, "city", rec, "city");
	set_str(req, i, "country", rec, "country");
	set_str(req, i, "level", rec, "level");
	set_str(req, i, "consent", rec, "consent");
	set_str(req, i, "status", rec, "status");
	json_array_foreach(json_object_get(rec, "tags"), k, v) {
		size_t n = strlen(tags);

		snprintf(tags + n, sizeof tags - n, "%s%s", n ? ", " : "",
		    json_string_value(v) ?: "");
	}
	snprintf(name, sizeof name, "Page.candidates.%zu.tags", i);
	web_set(req, name, tags);
	if (json_is_true(json_object_get(rec, "stale"))) {
		snprintf(name, sizeof name, "Page.candidates.%zu.stale", i);
		web_set(req, name, "1");
	}
	snprintf(name, sizeof name, "Page.candidates.%zu.score", i);
	snprintf(tags, sizeof tags, "%.1f", engage_score(rec, clock_now()));
	web_set(req, name, tags);
	snprintf(name, sizeof name, "Page.candidates.%zu.engaged", i);
	set_minute(req, name, json_object_get(rec, "last_engaged"), 0);
	snprintf(name, sizeof name, "Page.candidates.%zu.joined", i);
	set_minute(req, name, json_object_get(rec, "joined"), 1);
}

static void
set_pools(struct web_req *req, uint64_t selected)
{
	struct office *o = req->ctx;
	json_t *pools, *p;
	size_t i;
	char name[64];

	if (pool_names(o->st, &pools) != HE_OK)
		return;
	json_array_foreach(pools, i, p) {
		uint64_t id = (uint64_t)json_integer_value(json_object_get(p, "id"));

		snprintf(name, sizeof name, "Page.pools.%zu.id", i);
		web_set_int(req, name, (long long)id);
		snprintf(name, sizeof name, "Page.pools.%zu.name", i);
		web_set(req, name, json_string_value(json_object_get(p, "name")));
		if (id == selected) {
			snprintf(name, sizeof name, "Page.pools.%zu.selected", i);
			web_set(req, name, "1");
		}
	}
	json_decref(pools);
}

/* The form's half of the page, filled before the fields are judged so that
 * a page with errors (400, no results) still shows every choice. */
void
page_candidates_form(struct web_req *req, const struct web_value *v)
{
	struct cand_query q;
	enum cand_sort sort;

	filter_read(req, v, &q, &sort);
	filter_choices(req, v);
	filter_echo(req, v, 1);
	set_pools(req, v[FILTER_POOL].present ? v[FILTER_POOL].num : 0);
	if (!cand_query_empty(&q))
		web_set(req, "Page.filtered", "1");
}

/* Whether the id of row i is among those ticked. */
static int
ticked_has(const struct web_value *ticked, uint64_t id)
{
	char s[24];

	snprintf(s, sizeof s, "%llu", (unsigned long long)id);
	for (size_t i = 0; ticked && i < ticked->count; i++)
		if (strcmp(ticked->list[i], s) == 0)
			return 1;
	return 0;
}

int
candidates_list(struct web_req *req, const struct web_value *v,
    const struct web_value *ticked)
{
	struct office *o = req->ctx;
	size_t page = v[FILTER_PAGE].present && v[FILTER_PAGE].num ?
	    v[FILTER_PAGE].num : 1;
	struct cand_query q;
	enum cand_sort sort;
	uint64_t ids[PER_PAGE], total;
	size_t n, pages, row = 0;
	char name[64];
	int rc;

	filter_read(req, v, &q, &sort);		/* judged already */
	if ((rc = cand_search(o->st, &q, sort, page, PER_PAGE, ids, &n,
	    &total)) != HE_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		json_t *rec;

		if (cand_get(o->st, ids[i], &rec) != HE_OK)
			continue;	/* deleted since the search */
		set_row(req, row, ids[i], rec);
		if (ticked_has(ticked, ids[i])) {
			snprintf(name, sizeof name, "Page.candidates.%zu.checked", row);
			web_set(req, name, "1");
		}
		row++;
		json_decref(rec);
	}
	pages = total ? (total + PER_PAGE - 1) / PER_PAGE : 1;
	web_set(req, "Page.sort", cand_sort_names[sort]);
	web_set_int(req, "Page.total", (long long)total);
	web_set_int(req, "Page.page", (long long)page);
	web_set_int(req, "Page.pages", (long long)pages);
	web_set_int(req, "Page.first", (long long)((page - 1) * PER_PAGE + 1));
	web_set_int(req, "Page.last", (long long)((page - 1) * PER_PAGE + n));
	if (page > 1)
		web_set_int(req, "Page.prev", (long long)(page - 1));
	if (page < pages)
		web_set_int(req, "Page.next", (long long)(page + 1));
	web_set(req, "Page.listed", "1");
	bulk_form_data(req);
	office_camp_enrol_form_data(req);
	return HE_OK;
}

void
page_candidates(struct web_req *req)
{
	int rc = candidates_list(req, req->v, NULL);

	if (rc != HE_OK) {
		web_fail(req, rc);
		return;
	}
	web_render(req, 200, "office/candidates.cs");
}
