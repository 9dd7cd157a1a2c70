/* page_users.c: user management: the list, adding, roles, access, resets */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cgi-bin/office/office.h"
#include "util/he.h"

static const char *
check_password(const char *value)
{
	return strlen(value) < AUTH_PASSWORD_MIN ? "This password is too short: "
	    "please use at least 8 characters, or leave it empty to have one "
	    "made." : NULL;
}

const struct web_field user_add_fields[] = {
	[UADD_EMAIL] = { "email", WEB_FT_EMAIL, WEB_FF_REQUIRED, 0,
	    "Email address", "Please enter the person's email address.", NULL,
	    NULL },
	[UADD_NAME] = { "name", WEB_FT_TEXT, 0, 100, "Name", NULL, NULL, NULL },
	[UADD_ROLE] = { "role", WEB_FT_CHOICE, WEB_FF_REQUIRED, 0, "Role",
	    "Please choose a role.", auth_role_names, NULL },
	[UADD_PASSWORD] = { "password", WEB_FT_PASSWORD, 0, AUTH_PASSWORD_MAX,
	    "Password", NULL, NULL, check_password },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

static const char *const done_choices[] = { "role", "disabled", "active", NULL };

const struct web_field user_fields[] = {
	[USER_ID] = { "id", WEB_FT_UINT, WEB_FF_REQUIRED, 0, "User",
	    "Which user? Please start again from the list of users.", NULL, NULL },
	[USER_DONE] = { "done", WEB_FT_CHOICE, 0, 0, "Done", NULL, done_choices,
	    NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

/* The user a form of the user page is about: in a hidden input. */
#define ID_FIELD { "id", WEB_FT_UINT, WEB_FF_REQUIRED | WEB_FF_HIDDEN, 0, \
	"User", "Which user? Please start again from the list of users.", NULL, \
	NULL }

const struct web_field user_role_fields[] = {
	[UROLE_ID] = ID_FIELD,
	[UROLE_ROLE] = { "role", WEB_FT_CHOICE, WEB_FF_REQUIRED, 0, "Role",
	    "Please choose a role.", auth_role_names, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

const struct web_field user_reset_fields[] = {
	[URESET_ID] = ID_FIELD,
	[URESET_PASSWORD] = { "password", WEB_FT_PASSWORD, 0, AUTH_PASSWORD_MAX,
	    "New password", NULL, NULL, check_password },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

static const char *const state_choices[] = { "active", "disabled", NULL };

const struct web_field user_state_fields[] = {
	[USTATE_ID] = ID_FIELD,
	/* The value of the button pressed. */
	[USTATE_STATE] = { "state", WEB_FT_CHOICE, WEB_FF_REQUIRED | WEB_FF_HIDDEN,
	    0, "Access", "Please use one of the buttons.", state_choices, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

static void
set_when(struct web_req *req, const char *name, int64_t t)
{
	char buf[64], key[160];
	time_t tt = (time_t)t;
	struct tm tm;

	if (t <= 0)
		return;
	strftime(buf, sizeof buf, "%d %b %Y, %H:%M UTC", gmtime_r(&tt, &tm));
	web_set(req, name, buf);
	strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(key, sizeof key, "%s_iso", name);
	web_set(req, key, buf);
}

/* A user's facts under prefix (Page.users.3, Page.user). */
static void
set_user(struct web_req *req, const char *prefix, const struct auth_user_info *u)
{
	char name[160];

	snprintf(name, sizeof name, "%s.id", prefix);
	web_set_int(req, name, (long long)u->id);
	snprintf(name, sizeof name, "%s.email", prefix);
	web_set(req, name, u->email);
	snprintf(name, sizeof name, "%s.name", prefix);
	web_set(req, name, u->name);
	snprintf(name, sizeof name, "%s.role", prefix);
	web_set(req, name, auth_role_name(u->role));
	snprintf(name, sizeof name, "%s.state", prefix);
	web_set(req, name, u->disabled ? "disabled" : "active");
	snprintf(name, sizeof name, "%s.created", prefix);
	set_when(req, name, u->created);
	snprintf(name, sizeof name, "%s.last_login", prefix);
	set_when(req, name, u->last_login);
	if (u->locked_until > time(NULL)) {
		snprintf(name, sizeof name, "%s.locked_until", prefix);
		set_when(req, name, u->locked_until);
	}
	if (req->user && u->id == req->user->id) {
		snprintf(name, sizeof name, "%s.self", prefix);
		web_set(req, name, "1");
	}
}

void
page_users(struct web_req *req)
{
	struct office *o = req->ctx;
	struct auth_user_info *users;
	char name[64];
	size_t n;
	int rc;

	if ((rc = auth_user_list(o->st, &users, &n)) != HE_OK) {
		web_fail(req, rc);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		snprintf(name, sizeof name, "Page.users.%zu", i);
		set_user(req, name, &users[i]);
	}
	free(users);
	web_render(req, 200, "office/users.cs");
}

void
page_user_add_form(struct web_req *req)
{
	web_render(req, 200, "office/user_add.cs");
}

/* The page that shows a new password, once: it is stored only hashed. */
static void
show_password(struct web_req *req, const char *what,
    const struct auth_user_info *u, const char *password)
{
	web_set(req, "Page.what", what);
	set_user(req, "Page.user", u);
	web_set(req, "Page.password", password);
	web_render(req, 200, "office/user_password.cs");
}

void
page_user_add(struct web_req *req)
{
	struct office *o = req->ctx;
	struct audit_actor who = office_actor(req);
	struct auth_user_info u;
	enum auth_role role;
	char generated[AUTH_GENERATED_SIZE];
	const char *password = req->v[UADD_PASSWORD].str;
	uint64_t id;
	int rc;

	if (auth_role_parse(req->v[UADD_ROLE].str, &role) != HE_OK) {
		web_fail(req, HE_INVALID);	/* the field table allows only roles */
		return;
	}
	if (!req->v[UADD_PASSWORD].present) {
		auth_password_generate(generated);
		password = generated;
	}
	rc = auth_user_add(o->st, &who, req->v[UADD_EMAIL].str,
	    req->v[UADD_NAME].str, password, role, &id);
	if (rc == HE_EXISTS) {
		web_form_error(req, "email", "There is already a user with this email "
		    "address. Find them in the list of users to change them.");
		web_render(req, 400, "office/user_add.cs");
		return;
	}
	if (rc == HE_OK)
		rc = auth_user_get(o->st, id, &u);
	if (rc != HE_OK) {
		web_fail(req, rc);
		return;
	}
	/* A password the admin typed is theirs already: it is not shown. */
	show_password(req, "added", &u, req->v[UADD_PASSWORD].present ? "" :
	    generated);
}

/* Loads user id into Page.user; answers 404 itself when there is none. */
static int
load_user(struct web_req *req, uint64_t id, struct auth_user_info *u)
{
	struct office *o = req->ctx;
	int rc = auth_user_get(o->st, id, u);

	if (rc == HE_NOTFOUND) {
		web_error(req, 404, "There is no such user. Please start again from "
		    "the list of users.");
		return rc;
	}
	if (rc != HE_OK) {
		web_fail(req, rc);
		return rc;
	}
	set_user(req, "Page.user", u);
	return HE_OK;
}

void
page_user(struct web_req *req)
{
	struct auth_user_info u;

	if (req->v[USER_DONE].present)
		web_set(req, "Page.done", req->v[USER_DONE].str);
	if (load_user(req, req->v[USER_ID].num, &u) == HE_OK)
		web_render(req, 200, "office/user.cs");
}

void
user_form_context(struct web_req *req, const struct web_value *v)
{
	struct office *o = req->ctx;
	struct auth_user_info u;

	/* Every form of the page has the id first. */
	if (v[0].present && auth_user_get(o->st, v[0].num, &u) == HE_OK)
		set_user(req, "Page.user", &u);
}

/* After a change: back to the user's page, which says what was done. */
static void
done(struct web_req *req, uint64_t id, const char *what)
{
	char path[96];

	snprintf(path, sizeof path, "/office/user?id=%llu&done=%s",
	    (unsigned long long)id, what);
	web_redirect(req, 303, path);
}

/* A refused change: the user's page again, the reason next to field. */
static void
refused(struct web_req *req, const char *field, const char *message)
{
	web_form_error(req, field, message);
	web_render(req, 409, "office/user.cs");
}

void
page_user_role(struct web_req *req)
{
	struct office *o = req->ctx;
	struct audit_actor who = office_actor(req);
	struct auth_user_info u;
	uint64_t id = req->v[UROLE_ID].num;
	enum auth_role role;
	int rc;

	if (load_user(req, id, &u) != HE_OK)
		return;
	if (auth_role_parse(req->v[UROLE_ROLE].str, &role) != HE_OK) {
		web_fail(req, HE_INVALID);
		return;
	}
	rc = auth_user_set_role(o->st, &who, id, role);
	if (rc == HE_DENIED) {
		refused(req, "role", "This is the last active admin, so they stay an "
		    "admin: make someone else an admin first.");
		return;
	}
	if (rc != HE_OK) {
		web_fail(req, rc);
		return;
	}
	done(req, id, "role");
}

void
page_user_state(struct web_req *req)
{
	struct office *o = req->ctx;
	struct audit_actor who = office_actor(req);
	struct auth_user_info u;
	uint64_t id = req->v[USTATE_ID].num;
	int disable = strcmp(req->v[USTATE_STATE].str, "disabled") == 0, rc;

	if (load_user(req, id, &u) != HE_OK)
		return;
	rc = auth_user_set_disabled(o->st, &who, id, disable);
	if (rc == HE_DENIED) {
		refused(req, "state", "This is the last active admin, so the account "
		    "stays open: make someone else an admin first.");
		return;
	}
	if (rc != HE_OK) {
		web_fail(req, rc);
		return;
	}
	/* Disabling oneself ends one's own session: the next page is the login. */
	done(req, id, disable ? "disabled" : "active");
}

void
page_user_reset(struct web_req *req)
{
	struct office *o = req->ctx;
	struct audit_actor who = office_actor(req);
	struct auth_user_info u;
	char generated[AUTH_GENERATED_SIZE];
	const char *password = req->v[URESET_PASSWORD].str;
	uint64_t id = req->v[URESET_ID].num;
	int rc;

	if (load_user(req, id, &u) != HE_OK)
		return;
	if (!req->v[URESET_PASSWORD].present) {
		auth_password_generate(generated);
		password = generated;
	}
	if ((rc = auth_user_reset(o->st, &who, id, password)) != HE_OK) {
		web_fail(req, rc);
		return;
	}
	show_password(req, "reset", &u, req->v[URESET_PASSWORD].present ? "" :
	    generated);
}
