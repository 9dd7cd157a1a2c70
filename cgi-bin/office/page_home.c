/* page_home.c: the back office's front page, by role */
#include "cgi-bin/office/office.h"

void
page_home_form(struct web_req *req, const struct web_value *v)
{
	/* The list's filter choices name pools: nothing of it for those who
	 * may not see candidates. */
	if (req->user->role != ROLE_HIRING_MANAGER)
		page_candidates_form(req, v);
}

void
page_home(struct web_req *req)
{
	/* Hiring managers see the roles they are attached to, and through
	 * them the people of their pipelines. */
	if (req->user->role == ROLE_HIRING_MANAGER) {
		office_role_home(req);
		return;
	}
	web_set(req, "Page.home", "1");
	notices_home(req);
	page_candidates(req);
}
