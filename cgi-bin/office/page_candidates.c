/* page_candidates.c: the candidate list, newest first */
#include <stdio.h>
#include <time.h>

#include "cgi-bin/office/office.h"
#include "crm/candidates.h"
#include "util/he.h"

#define PER_PAGE 50

const struct web_field list_fields[] = {
	[LIST_PAGE] = { "page", WEB_FT_UINT, 0, 1000000, "Page", NULL, NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

static void
set_row(struct web_req *req, size_t i, const struct cand_row *r)
{
	char name[64], when[64], iso[64];
	time_t t = (time_t)(r->joined_us / 1000000);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(when, sizeof when, "%d %b %Y, %H:%M UTC", &tm);
	strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(name, sizeof name, "Page.candidates.%zu.id", i);
	web_set_int(req, name, (long long)r->id);
	snprintf(name, sizeof name, "Page.candidates.%zu.name", i);
	web_set(req, name, r->name);
	snprintf(name, sizeof name, "Page.candidates.%zu.email", i);
	web_set(req, name, r->email);
	snprintf(name, sizeof name, "Page.candidates.%zu.joined", i);
	web_set(req, name, when);
	snprintf(name, sizeof name, "Page.candidates.%zu.joined_iso", i);
	web_set(req, name, iso);
}

void
page_candidates(struct web_req *req)
{
	struct office *o = req->ctx;
	size_t page = req->v[LIST_PAGE].present ? req->v[LIST_PAGE].num : 1;
	size_t nrows, total, pages;
	struct cand_row *rows;
	int rc;

	if (page == 0)
		page = 1;
	if ((rc = cand_page(o->st, page, PER_PAGE, &rows, &nrows, &total)) != HE_OK) {
		web_fail(req, rc);
		return;
	}
	for (size_t i = 0; i < nrows; i++)
		set_row(req, i, &rows[i]);
	cand_rows_free(rows, nrows);
	pages = total ? (total + PER_PAGE - 1) / PER_PAGE : 1;
	web_set_int(req, "Page.total", (long long)total);
	web_set_int(req, "Page.page", (long long)page);
	web_set_int(req, "Page.pages", (long long)pages);
	web_set_int(req, "Page.first", (long long)((page - 1) * PER_PAGE + 1));
	web_set_int(req, "Page.last", (long long)((page - 1) * PER_PAGE + nrows));
	if (page > 1)
		web_set_int(req, "Page.prev", (long long)(page - 1));
	if (page < pages)
		web_set_int(req, "Page.next", (long long)(page + 1));
	web_render(req, 200, "office/candidates.cs");
}
