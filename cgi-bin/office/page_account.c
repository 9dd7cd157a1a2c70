/* page_account.c: "My account": a signed-in user changes their password */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgi-bin/office/office.h"
#include "util/he.h"

static const char *const done_choices[] = { "password", "signature", NULL };

const struct web_field account_fields[] = {
	[ACCOUNT_DONE] = { "done", WEB_FT_CHOICE, 0, 0, "Done", NULL,
	    done_choices, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

static const char *
check_new(const char *value)
{
	return strlen(value) < AUTH_PASSWORD_MIN ? "Your new password is too "
	    "short: please use at least 8 characters." : NULL;
}

const struct web_field password_fields[] = {
	[PW_CURRENT] = { "current_password", WEB_FT_PASSWORD, WEB_FF_REQUIRED,
	    AUTH_PASSWORD_MAX, "Current password",
	    "Please enter your current password.", NULL, NULL },
	[PW_NEW] = { "new_password", WEB_FT_PASSWORD, WEB_FF_REQUIRED,
	    AUTH_PASSWORD_MAX, "New password", "Please choose a new password.",
	    NULL, check_new },
	[PW_AGAIN] = { "new_password2", WEB_FT_PASSWORD, WEB_FF_REQUIRED,
	    AUTH_PASSWORD_MAX, "New password again",
	    "Please type the new password a second time.", NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

const struct web_field signature_fields[] = {
	{ "signature", WEB_FT_LONGTEXT, 0, AUTH_SIGNATURE_MAX, "Signature", NULL,
	    NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

/* The signature as stored, into the form (unless one was typed). */
static void
set_signature(struct web_req *req)
{
	struct office *o = req->ctx;
	char *sig = NULL;

	if (hdf_get_value(req->hdf, "Form.signature.value", NULL) == NULL &&
	    auth_user_signature(o->st, req->user->id, &sig) == HE_OK)
		web_set(req, "Form.signature.value", sig);
	free(sig);
}

void
page_account(struct web_req *req)
{
	if (req->v[ACCOUNT_DONE].present)
		web_set(req, "Page.done", req->v[ACCOUNT_DONE].str);
	set_signature(req);
	web_render(req, 200, "office/account.cs");
}

void
page_signature(struct web_req *req)
{
	struct office *o = req->ctx;
	int rc = auth_user_set_signature(o->st, req->user->id, req->v[0].str);

	if (rc != HE_OK) {
		web_fail(req, rc);
		return;
	}
	web_redirect(req, 303, "/office/account?done=signature#signature-form");
}

void
password_check(struct web_req *req, const struct web_value *v)
{
	set_signature(req);
	if (v[PW_NEW].present && v[PW_AGAIN].present &&
	    strcmp(v[PW_NEW].str, v[PW_AGAIN].str) != 0)
		web_form_error(req, "new_password2", "The two new passwords are "
		    "not the same. Please type the new one twice again.");
}

void
page_password(struct web_req *req)
{
	struct office *o = req->ctx;
	struct audit_actor who = office_actor(req);
	char token[AUTH_TOKEN_SIZE], msg[200];
	long retry;
	int rc;

	rc = auth_password_change(o->st, &o->guard, &who, req->v[PW_CURRENT].str,
	    req->v[PW_NEW].str, req->session_token, token, &retry);
	if (rc == HE_DENIED) {
		if (retry > 0)
			snprintf(msg, sizeof msg, "There have been too many wrong "
			    "passwords. Please try again in %ld minute%s.",
			    (retry + 59) / 60, (retry + 59) / 60 == 1 ? "" : "s");
		web_form_error(req, "current_password", retry > 0 ? msg :
		    "This is not your current password. Please type it again.");
		set_signature(req);
		web_render(req, retry > 0 ? 429 : 400, "office/account.cs");
		return;
	}
	if (rc == HE_INVALID) {
		web_form_error(req, "new_password", "Your new password must be 8 to "
		    "1024 characters long.");
		set_signature(req);
		web_render(req, 400, "office/account.cs");
		return;
	}
	if (rc != HE_OK) {
		web_fail(req, rc);
		return;
	}
	/* The old session ended with the change: this browser gets a new one. */
	web_set_cookie(req, WEB_SESSION_COOKIE, token, -1);
	web_redirect(req, 303, "/office/account?done=password");
}
