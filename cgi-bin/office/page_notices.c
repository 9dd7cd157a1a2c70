/* page_notices.c: notices for a user (a reply came, a campaign step asked
 * to tell the owner): the list, marking them read, the count in the nav */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cgi-bin/office/office.h"
#include "crm/notice.h"
#include "util/he.h"

#define PER_PAGE 30
#define HOME_NOTICES 5

const struct web_field notice_read_fields[] = {
	[NREAD_ID] = { "id", WEB_FT_UINT, WEB_FF_HIDDEN, UINT64_MAX / 2,
	    "Notice", NULL, NULL, NULL },
	[NREAD_ALL] = { "all", WEB_FT_CHECKBOX, WEB_FF_HIDDEN, 0, "All", NULL,
	    NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

/* Notices as Page.<prefix>.N; unread ones only when unread_only. */
static size_t
set_notices(struct web_req *req, const char *prefix, json_t *rows,
    int unread_only, size_t max)
{
	size_t i, n = 0;
	json_t *r;
	char name[96];

	json_array_foreach(rows, i, r) {
		if (n == max)
			break;
		if (unread_only && json_is_true(json_object_get(r, "read")))
			continue;
		snprintf(name, sizeof name, "%s.%zu", prefix, n);
		office_set_fields(req, name, r);
		snprintf(name, sizeof name, "%s.%zu.when", prefix, n);
		office_set_time(req, name, json_object_get(r, "at"), 0);
		if (!json_is_true(json_object_get(r, "read"))) {
			snprintf(name, sizeof name, "%s.%zu.unread", prefix, n);
			web_set(req, name, "1");
		}
		n++;
	}
	return n;
}

void
office_page_data(struct web_req *req)
{
	struct office *o = req->ctx;
	json_t *rows = NULL;
	size_t total = 0, unread = 0;

	if (req->user == NULL || req->user->role == ROLE_HIRING_MANAGER)
		return;
	if (notice_list(o->st, req->user->id, 1, 1, &rows, &total, &unread) != HE_OK)
		return;
	json_decref(rows);
	web_set_int(req, "User.notices", (long long)unread);
}

void
notices_home(struct web_req *req)
{
	struct office *o = req->ctx;
	json_t *rows = NULL;
	size_t total = 0, unread = 0;

	if (notice_list(o->st, req->user->id, 1, PER_PAGE, &rows, &total,
	    &unread) != HE_OK)
		return;
	set_notices(req, "Page.notices", rows, 1, HOME_NOTICES);
	web_set_int(req, "Page.notices_unread", (long long)unread);
	json_decref(rows);
}

void
page_notices(struct web_req *req)
{
	struct office *o = req->ctx;
	size_t page = req->v[LIST_PAGE].present && req->v[LIST_PAGE].num ?
	    req->v[LIST_PAGE].num : 1;
	json_t *rows = NULL;
	size_t total = 0, unread = 0, pages;
	int rc;

	if ((rc = notice_list(o->st, req->user->id, page, PER_PAGE, &rows, &total,
	    &unread)) != HE_OK) {
		web_fail(req, rc);
		return;
	}
	set_notices(req, "Page.notices", rows, 0, PER_PAGE);
	json_decref(rows);
	pages = total ? (total + PER_PAGE - 1) / PER_PAGE : 1;
	web_set_int(req, "Page.total", (long long)total);
	web_set_int(req, "Page.unread", (long long)unread);
	web_set_int(req, "Page.page", (long long)page);
	web_set_int(req, "Page.pages", (long long)pages);
	if (page > 1)
		web_set_int(req, "Page.prev", (long long)page - 1);
	if (page < pages)
		web_set_int(req, "Page.next", (long long)page + 1);
	web_render(req, 200, "office/notices.cs");
}

void
page_notice_read(struct web_req *req)
{
	struct office *o = req->ctx;
	int rc = HE_OK;

	if (req->v[NREAD_ALL].present) {
		/* Every unread one, a page at a time. */
		for (int round = 0; round < 100 && rc == HE_OK; round++) {
			json_t *rows = NULL, *r;
			size_t total, unread, i, marked = 0;

			if ((rc = notice_list(o->st, req->user->id, 1, PER_PAGE, &rows,
			    &total, &unread)) != HE_OK || unread == 0) {
				json_decref(rows);
				break;
			}
			json_array_foreach(rows, i, r)
				if (!json_is_true(json_object_get(r, "read")) && rc == HE_OK) {
					rc = notice_read(o->st, req->user->id, (uint64_t)
					    json_integer_value(json_object_get(r, "id")));
					marked++;
				}
			json_decref(rows);
			if (marked == 0)
				break;
		}
	} else if (req->v[NREAD_ID].present) {
		rc = notice_read(o->st, req->user->id, req->v[NREAD_ID].num);
	} else {
		web_error(req, 400, "Which notice? Use the buttons of the list.");
		return;
	}
	if (rc == HE_NOTFOUND) {
		web_error(req, 404, "There is no such notice.");
		return;
	}
	if (rc != HE_OK) {
		web_fail(req, rc);
		return;
	}
	web_redirect(req, 303, "/office/notices");
}
