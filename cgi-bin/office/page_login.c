/* page_login.c: signing in and out of the back office */
#include "cgi-bin/office/office.h"
#include "util/he.h"

const struct web_field login_fields[] = {
	[LOGIN_EMAIL] = { "email", WEB_FT_EMAIL, WEB_FF_REQUIRED, 0,
	    "Email address", "Please enter your email address.", NULL, NULL },
	[LOGIN_PASSWORD] = { "password", WEB_FT_PASSWORD, WEB_FF_REQUIRED, 0,
	    "Password", "Please enter your password.", NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

void
page_login_form(struct web_req *req)
{
	if (req->user) {
		web_redirect(req, 303, OFFICE_HOME);
		return;
	}
	web_render(req, 200, "office/login.cs");
}

void
page_login(struct web_req *req)
{
	struct office *o = req->ctx;
	struct auth_user user;
	char token[AUTH_TOKEN_SIZE];
	int rc;

	rc = auth_login(o->st, req->v[LOGIN_EMAIL].str, req->v[LOGIN_PASSWORD].str,
	    token, &user);
	if (rc == HE_DENIED) {
		/* One message for both cases: it never says which part was wrong. */
		web_set(req, "Form.login_error", "That email and password do not "
		    "match an account. Check both and try again.");
		web_render(req, 401, "office/login.cs");
		return;
	}
	if (rc != HE_OK) {
		web_fail(req, rc);
		return;
	}
	/* Any previous session of this browser ends here (rotation). */
	if (req->session_token)
		auth_logout(o->st, req->session_token);
	web_set_cookie(req, WEB_SESSION_COOKIE, token, -1);
	web_redirect(req, 303, OFFICE_HOME);
}

void
page_logout(struct web_req *req)
{
	struct office *o = req->ctx;
	int rc = auth_logout(o->st, req->session_token);

	if (rc != HE_OK) {
		web_fail(req, rc);
		return;
	}
	web_set_cookie(req, WEB_SESSION_COOKIE, "", 0);
	web_redirect(req, 303, OFFICE_LOGIN);
}
