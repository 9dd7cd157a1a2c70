/* dispatch.c: one request through the route table's preconditions */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/he.h"
#include "util/log.h"
#include "util/neo.h"
#include "web/web_int.h"

const char *const web_method_names[WEB_METHOD__MAX] = {
	[WEB_GET] = "GET",
	[WEB_POST] = "POST",
};

/* The path of REQUEST_URI, without the query, into buf. */
static void
request_path(struct web_req *req, char *buf, size_t size)
{
	const char *uri = hdf_get_value(req->hdf, "CGI.RequestURI", "/");
	size_t n = strcspn(uri, "?#");

	if (n >= size)
		n = size - 1;
	memcpy(buf, uri, n);
	buf[n] = '\0';
}

/* 404 for an unknown path, 405 (with Allow) for a known path's other
 * methods; HEAD is served wherever GET is. */
static const struct web_route *
find_route(struct web_req *req, const char *path, const char *method)
{
	const struct web_app *app = req->conn->app;
	char allow[64] = "";
	int known = 0;

	if (strcmp(method, "HEAD") == 0) {
		req->conn->head = 1;
		method = "GET";
	}
	for (size_t i = 0; i < app->nroutes; i++) {
		const struct web_route *r = &app->routes[i];

		if (strcmp(r->path, path) != 0)
			continue;
		known = 1;
		if (strcmp(web_method_names[r->method], method) == 0)
			return r;
		snprintf(allow + strlen(allow), sizeof allow - strlen(allow), "%s%s",
		    allow[0] ? ", " : "", web_method_names[r->method]);
	}
	if (!known) {
		web_error(req, 404, "There is no page at this address. Please check "
		    "the link, or start again from the home page.");
	} else {
		char hdr[96];

		snprintf(hdr, sizeof hdr, "Allow: %s%s\r\n", allow,
		    strstr(allow, "GET") ? ", HEAD" : "");
		web_set_int(req, "Error.status", 405);
		web_set(req, "Error.message", "This page cannot be used that way.");
		web_respond(req->conn, 405, "text/plain; charset=utf-8", hdr,
		    "405 Method Not Allowed\n", 23);
	}
	return NULL;
}

/* Caps the body before ClearSilver reads it: cgi_parse allocates whatever
 * CONTENT_LENGTH claims. Returns 0 when the body may be parsed. */
static int
check_body(struct web_req *req)
{
	const char *len = hdf_get_value(req->hdf, "CGI.ContentLength", NULL);
	const char *type = hdf_get_value(req->hdf, "CGI.ContentType", "");
	char *end;
	unsigned long long n;

	if (len == NULL || *len == '\0') {
		web_error(req, 411, "This form was sent without its length. Please "
		    "try again from the page itself.");
		return -1;
	}
	n = strtoull(len, &end, 10);
	if (*end != '\0' || len[0] < '0' || len[0] > '9') {
		web_error(req, 400, "This request could not be read.");
		return -1;
	}
	if (n > req->conn->max_body) {
		web_error(req, 413, "What you sent is larger than we accept. Please "
		    "shorten it and try again.");
		return -1;
	}
	/* Only url-encoded forms: ClearSilver's multipart parser keeps state
	 * across requests (a NULL boundary crashes the next one) and leaks on
	 * repeated part headers, so it is never reached until uploads need a
	 * parser of their own. */
	if (strncasecmp(type, "application/x-www-form-urlencoded", 33) != 0 ||
	    (type[33] != '\0' && type[33] != ';' && type[33] != ' ')) {
		web_error(req, 415, "This form was sent in a format we do not "
		    "accept. Please use the form on the page.");
		return -1;
	}
	return 0;
}

/* Answers 429 when this address has sent too many of these requests. */
static int
over_limit(struct web_req *req, const char *path)
{
	struct web_conn *c = req->conn;
	unsigned retry;
	char hdr[48];

	if (c->limiter == NULL || !web_limit_hit(c->limiter, req->remote_addr, path, c->limit_max,
	    c->limit_window, (int64_t)time(NULL), &retry))
		return 0;
	snprintf(hdr, sizeof hdr, "Retry-After: %u\r\n", retry ? retry : 1);
	web_error_with(req, 429, hdr, "We have had a lot of requests from your "
	    "connection, so we paused this form for a little while. Nothing was "
	    "saved. Please try again in a few minutes.");
	return 1;
}

/* Fills req->user from the session cookie; 0 to go on, -1 answered. */
static int
resolve_session(struct web_req *req, struct web_user *user)
{
	const struct web_app *app = req->conn->app;
	const char *token;
	int rc;

	if (app->session == NULL)
		return 0;
	token = hdf_get_value(req->hdf, "Cookie." WEB_SESSION_COOKIE, NULL);
	if (token == NULL || *token == '\0')
		return 0;
	rc = app->session(req->ctx, token, user);
	if (rc == HE_OK) {
		req->user = user;
		req->session_token = token;
		return 0;
	}
	if (rc == HE_NOTFOUND || rc == HE_EXPIRED || rc == HE_INVALID) {
		web_set_cookie(req, WEB_SESSION_COOKIE, "", 0);
		return 0;
	}
	web_fail(req, rc);
	return -1;
}

void
web_dispatch(struct web_conn *c, struct web_req *req)
{
	const char *method = hdf_get_value(req->hdf, "CGI.RequestMethod", "GET");
	const struct web_route *r;
	struct web_user user;
	struct web_value *values = NULL;
	char path[1024];
	int rc;

	request_path(req, path, sizeof path);
	web_set(req, "Request.path", path);
	if ((r = find_route(req, path, method)) == NULL)
		return;
	req->route = r;
	if ((r->flags & WEB_R_LIMITED) && over_limit(req, path))
		return;
	if (resolve_session(req, &user) != 0)
		return;
	web_csrf_setup(req);
	if ((r->flags & WEB_R_AUTH) && req->user == NULL) {
		web_redirect(req, 302, c->app->login_path);
		return;
	}
	if (r->roles && req->user && !(r->roles & (1u << req->user->role))) {
		web_error(req, 403, "Your account does not have access to this "
		    "page. Ask an admin if you need it.");
		return;
	}
	if (r->method == WEB_POST) {
		if (check_body(req) != 0)
			return;
		if ((rc = neo_consume(cgi_parse(c->cgi), "cgi_parse")) != HE_OK) {
			web_error(req, rc == HE_NOMEM ? 503 : 400,
			    "This form could not be read. Please try again.");
			return;
		}
		if (!(r->flags & WEB_R_NOCSRF) && !web_csrf_ok(req)) {
			web_error(req, 403, "This form has expired or did not come "
			    "from this site, so nothing was saved. Please go back, "
			    "reload the page and try again.");
			return;
		}
	}
	web_form_validate(req, r->fields, &values);
	if (r->form_check && values)
		r->form_check(req, values);
	if (hdf_get_int_value(req->hdf, "Form.error_count", 0) > 0) {
		if (r->form_template)
			web_render(req, 400, r->form_template);
		else
			web_error(req, 400, hdf_get_value(req->hdf,
			    "Form.errors.0.message", "This request could not be read."));
		web_form_free(r->fields, values);
		return;
	}
	req->v = values;
	r->handler(req);
	web_form_free(r->fields, values);
	if (!c->answered) {
		log_error("%s %s: the handler gave no answer", method, path);
		web_error(req, 500, "Something went wrong on our side.");
	}
}
