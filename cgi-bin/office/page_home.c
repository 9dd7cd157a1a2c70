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
	/* Hiring managers will see the candidates of the roles they own;
	 * until roles exist there are none they may see. */
	if (req->user->role == ROLE_HIRING_MANAGER) {
		web_render(req, 200, "office/home.cs");
		return;
	}
	web_set(req, "Page.home", "1");
	notices_home(req);
	page_candidates(req);
}
