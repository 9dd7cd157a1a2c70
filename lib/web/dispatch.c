/* dispatch.c: one request through the route table's preconditions */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
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

/* A media type and what may follow it: end, parameters or white space. */
static int
type_is(const char *type, const char *want)
{
	size_t n = strlen(want);

	return strncasecmp(type, want, n) == 0 && (type[n] == '\0' ||
	    type[n] == ';' || type[n] == ' ' || type[n] == '\t');
}

/*
 * Caps the body before anyone reads it: cgi_parse allocates whatever
 * CONTENT_LENGTH claims, and so does read_body. Every route takes
 * url-encoded forms up to Web.MaxBody; WEB_R_UPLOAD routes also take
 * multipart/form-data up to Web.MaxUpload. Returns 0 when the body may be
 * parsed, with its length and whether it is multipart.
 */
static int
check_body(struct web_req *req, size_t *length, int *multipart)
{
	const char *len = hdf_get_value(req->hdf, "CGI.ContentLength", NULL);
	const char *type = hdf_get_value(req->hdf, "CGI.ContentType", "");
	struct web_conn *c = req->conn;
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
	*multipart = (req->route->flags & WEB_R_UPLOAD) &&
	    type_is(type, "multipart/form-data");
	if (n > (!*multipart ? c->max_body : req->route->flags & WEB_R_LARGE ?
	    c->max_import : c->max_upload)) {
		web_error(req, 413, "What you sent is larger than we accept. Please "
		    "shorten it and try again.");
		return -1;
	}
	/* ClearSilver's own multipart parser keeps state across requests (a
	 * NULL boundary crashes the next one) and leaks on repeated part
	 * headers: it is never reached. Multipart bodies go to multipart.c,
	 * and only on the routes that take files. */
	if (!*multipart && !type_is(type, "application/x-www-form-urlencoded")) {
		web_error(req, 415, "This form was sent in a format we do not "
		    "accept. Please use the form on the page.");
		return -1;
	}
	*length = (size_t)n;
	return 0;
}

/* Reads the whole (capped) body into c->body. */
static int
read_body(struct web_conn *c, size_t length)
{
	size_t got = 0;

	if ((c->body = malloc(length ? length : 1)) == NULL)
		return HE_NOMEM;
	while (got < length) {
		size_t want = length - got < 65536 ? length - got : 65536;
		int n = web_read(c, c->body + got, (int)want);

		if (n <= 0)
			return HE_IO;	/* the body ended short of its length */
		got += (size_t)n;
	}
	return HE_OK;
}

/*
 * Reads the body into an unlinked temporary file and maps it: an import of
 * hundreds of megabytes then costs page cache, which the kernel can take
 * back, instead of the worker's heap.
 */
static int
spool_body(struct web_conn *c, size_t length)
{
	unsigned char buf[65536];
	size_t got = 0;
	FILE *f = tmpfile();
	void *map;
	int rc = HE_OK;

	if (f == NULL)
		return HE_IO;
	while (got < length) {
		size_t want = length - got < sizeof buf ? length - got : sizeof buf;
		int n = web_read(c, (char *)buf, (int)want);

		if (n <= 0 || fwrite(buf, 1, (size_t)n, f) != (size_t)n) {
			rc = HE_IO;	/* the body ended short, or the disk is full */
			break;
		}
		got += (size_t)n;
	}
	if (rc == HE_OK && fflush(f) != 0)
		rc = HE_IO;
	if (rc == HE_OK && length > 0) {
		map = mmap(NULL, length, PROT_READ, MAP_PRIVATE, fileno(f), 0);
		if (map == MAP_FAILED) {
			rc = HE_NOMEM;
		} else {
			c->body = map;
			c->body_mapped = length;
		}
	} else if (rc == HE_OK && (c->body = malloc(1)) == NULL) {
		rc = HE_NOMEM;
	}
	fclose(f);	/* the mapping keeps the file until it is unmapped */
	return rc;
}

/* A multipart/form-data body: read by us, parsed by multipart.c. */
static int
parse_multipart(struct web_req *req, size_t length)
{
	struct web_conn *c = req->conn;
	const char *type = hdf_get_value(req->hdf, "CGI.ContentType", "");
	int rc;

	rc = req->route->flags & WEB_R_LARGE ? spool_body(c, length) :
	    read_body(c, length);
	if (rc != HE_OK) {
		if (rc == HE_NOMEM)
			log_error("no memory for a body of %zu bytes", length);
		web_error(req, rc == HE_NOMEM ? 503 : 400,
		    "This form could not be read. Please try again.");
		return -1;
	}
	rc = web_mp_parse(type, c->body, length, req->hdf, &c->mp);
	if (rc != WEB_MP_OK) {
		log_info("multipart body refused: %s", web_mp_strerror(rc));
		web_error(req, rc == WEB_MP_ENOMEM ? 503 : 400,
		    "This form could not be read. Please try again.");
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
	/* What server.c reads of a body left unread (to close the connection
	 * at once): up to the largest this route takes. */
	if (r->flags & WEB_R_UPLOAD)
		c->body_cap = c->max_upload > c->max_body ? c->max_upload : c->max_body;
	if ((r->flags & WEB_R_LARGE) && c->max_import > c->body_cap)
		c->body_cap = c->max_import;
	if (r->method == WEB_POST) {
		size_t length;
		int multipart;

		if (check_body(req, &length, &multipart) != 0)
			return;
		if (multipart) {
			if (parse_multipart(req, length) != 0)
				return;
		} else if ((rc = neo_consume(cgi_parse(c->cgi), "cgi_parse")) != HE_OK) {
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
