/* page_join.c: POST /join, the signup */
#include "cgi-bin/community/community.h"
#include "crm/community.h"
#include "util/he.h"

const struct web_field join_fields[] = {
	[JOIN_NAME] = { "name", WEB_FT_TEXT, WEB_FF_REQUIRED, 200, "Your name",
	    "Please tell us your name." },
	[JOIN_EMAIL] = { "email", WEB_FT_EMAIL, WEB_FF_REQUIRED, 0,
	    "Your email address", "Please enter your email address." },
	[JOIN_CONSENT] = { "consent", WEB_FT_CHECKBOX, WEB_FF_REQUIRED, 0,
	    "Consent", "Please tick the box so we may keep you informed; "
	    "without it we cannot add you." },
	{ NULL, 0, 0, 0, NULL, NULL },
};

void
page_join(struct web_req *req)
{
	struct community *c = req->ctx;
	struct comm_signup in = {
		.name = req->v[JOIN_NAME].str,
		.email = req->v[JOIN_EMAIL].str,
		.ip = req->remote_addr,
		.user_agent = req->user_agent,
		.policy_version = c->policy_version,
		.consent_purpose = c->consent_purpose,
	};
	int created, rc;

	/* A known email gets the very same answer: no one learns who is here. */
	if ((rc = comm_join(c->st, &in, &created)) != HE_OK) {
		web_fail(req, rc);
		return;
	}
	web_redirect(req, 303, "/joined");
}
