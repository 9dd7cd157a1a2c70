/* page_landing.c: the talent-community landing page and the thank-you page
 * (the consent wording comes from Site.* in the configuration) */
#include "cgi-bin/community/community.h"

void
page_landing(struct web_req *req)
{
	web_render(req, 200, "community/landing.cs");
}

void
page_joined(struct web_req *req)
{
	web_render(req, 200, "community/joined.cs");
}
