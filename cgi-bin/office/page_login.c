/* page_login.c: signing in and out of the back office */
#include <stdio.h>
#include <time.h>

#include "cgi-bin/office/office.h"
#include "util/he.h"

const struct web_field login_fields[] = {
	[LOGIN_EMAIL] = { "email", WEB_FT_EMAIL, WEB_FF_REQUIRED, 0,
	    "Email address", "Please enter your email address.", NULL, NULL },
	[LOGIN_PASSWORD] = { "password", WEB_FT_PASSWORD, WEB_FF_REQUIRED, 0,
	    "Password", "Please enter your password.", NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

struct audit_actor
office_actor(struct web_req *req)
{
	return (struct audit_actor){ req->user ? req->user->id : 0,
	    req->remote_addr };
}

void
page_login_form(struct web_req *req)
{
	if (req->user) {
		web_redirect(req, 303, req->user->role == ROLE_HIRING_MANAGER ?
		    OFFICE_HM_HOME : OFFICE_HOME);
		return;
	}
	web_render(req, 200, "office/login.cs");
}

/* "in 3 minutes (at 14:05 UTC)": when a locked sign-in may be tried again. */
static void
locked(struct web_req *req, long retry)
{
	char msg[300], hdr[48], at[32];
	time_t when = time(NULL) + retry;
	long minutes = (retry + 59) / 60;
	struct tm tm;

	strftime(at, sizeof at, "%H:%M UTC", gmtime_r(&when, &tm));
	/* The same words for an account, an unknown email and an address:
	 * they never tell whether the email has an account. */
	snprintf(msg, sizeof msg, "There have been too many wrong passwords, so "
	    "signing in with this email or from your connection is paused. "
	    "Please try again in %ld minute%s (at %s).", minutes,
	    minutes == 1 ? "" : "s", at);
	web_set(req, "Form.login_error", msg);
	snprintf(hdr, sizeof hdr, "Retry-After: %ld\r\n", retry);
	web_render_with(req, 429, "office/login.cs", hdr);
}

void
page_login(struct web_req *req)
{
	struct office *o = req->ctx;
	struct auth_user user;
	char token[AUTH_TOKEN_SIZE];
	long retry;
	int rc;

	rc = auth_login(o->st, &o->guard, req->v[LOGIN_EMAIL].str,
	    req->v[LOGIN_PASSWORD].str, req->remote_addr, token, &user, &retry);
	if (rc == HE_DENIED && retry > 0) {
		locked(req, retry);
		return;
	}
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
		auth_logout(o->st, NULL, req->session_token);
	web_set_cookie(req, WEB_SESSION_COOKIE, token, -1);
	web_redirect(req, 303, user.role == ROLE_HIRING_MANAGER ? OFFICE_HM_HOME :
	    OFFICE_HOME);
}

void
page_logout(struct web_req *req)
{
	struct office *o = req->ctx;
	struct audit_actor who = office_actor(req);
	int rc = auth_logout(o->st, &who, req->session_token);

	if (rc != HE_OK) {
		web_fail(req, rc);
		return;
	}
	web_set_cookie(req, WEB_SESSION_COOKIE, "", 0);
	web_redirect(req, 303, OFFICE_LOGIN);
}
