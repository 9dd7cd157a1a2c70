/* render.c: status, security headers, cookies, pages, redirects, errors */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/he.h"
#include "util/log.h"
#include "util/neo.h"
#include "util/supervise.h"
#include "util/tmpl.h"
#include "web/web_int.h"

static const char *
reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 302: return "Found";
	case 303: return "See Other";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 410: return "Gone";
	case 405: return "Method Not Allowed";
	case 411: return "Length Required";
	case 413: return "Content Too Large";
	case 415: return "Unsupported Media Type";
	case 429: return "Too Many Requests";
	case 503: return "Service Unavailable";
	default: return "Internal Server Error";
	}
}

/* Every answer carries these; scripts and styles come only from our files. */
static void
security_headers(struct web_conn *c)
{
	FCGX_PutS("Content-Security-Policy: default-src 'self'; script-src 'self'; "
	    "style-src 'self'; img-src 'self' data:; object-src 'none'; "
	    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'\r\n"
	    "X-Content-Type-Options: nosniff\r\n"
	    "X-Frame-Options: DENY\r\n"
	    "Referrer-Policy: same-origin\r\n"
	    "Cross-Origin-Opener-Policy: same-origin\r\n"
	    "Permissions-Policy: camera=(), microphone=(), geolocation=()\r\n"
	    "Cache-Control: no-store\r\n", c->fcgi.out);
	if (c->secure)
		FCGX_PutS("Strict-Transport-Security: max-age=31536000\r\n",
		    c->fcgi.out);
}

void
web_respond(struct web_conn *c, int status, const char *ctype,
    const char *extra_headers, const char *body, size_t len)
{
	if (c->answered)
		return;
	c->answered = 1;
	FCGX_FPrintF(c->fcgi.out, "Status: %d %s\r\n", status, reason(status));
	security_headers(c);
	if (c->cookies.buf)
		FCGX_PutStr(c->cookies.buf, c->cookies.len, c->fcgi.out);
	if (extra_headers)
		FCGX_PutS(extra_headers, c->fcgi.out);
	if (ctype) {
		/* libfcgi's printf knows no %zu. */
		FCGX_FPrintF(c->fcgi.out, "Content-Type: %s\r\nContent-Length: %lu\r\n",
		    ctype, (unsigned long)len);
	}
	FCGX_PutS("\r\n", c->fcgi.out);
	if (body && len && !c->head)
		FCGX_PutStr(body, (int)len, c->fcgi.out);
}

void
web_set(struct web_req *req, const char *name, const char *value)
{
	neo_consume(hdf_set_value(req->hdf, name, value ? value : ""), name);
}

void
web_set_int(struct web_req *req, const char *name, long long value)
{
	char buf[32];

	snprintf(buf, sizeof buf, "%lld", value);
	web_set(req, name, buf);
}

static int
render_page(struct web_req *req, int status, const char *tmpl,
    const char *extra_headers)
{
	struct web_conn *c = req->conn;
	char *body;
	size_t len, start;
	int rc;

	web_set(req, "CSRF.token", c->csrf);
	if (req->user) {
		const char *const *names = c->app->role_names;

		web_set(req, "User.email", req->user->email);
		web_set_int(req, "User.role", req->user->role);
		for (unsigned i = 0; names && names[i]; i++)
			if (i == req->user->role)
				web_set(req, "User.role_name", names[i]);
		if (c->app->page_data)
			c->app->page_data(req);
	}
	rc = tmpl_render(req->hdf, tmpl, TMPL_ESC_HTML, &body, &len);
	if (rc != HE_OK)
		return rc;
	/* The macro definitions leave blank lines before the doctype. */
	for (start = 0; start < len && (body[start] == '\n' || body[start] == ' ');)
		start++;
	web_respond(c, status, "text/html; charset=utf-8", extra_headers,
	    body + start, len - start);
	free(body);
	return HE_OK;
}

/* The stand-in for the token while the page is rendered: as long as a
 * token, and nothing the escaping changes. */
static const char token_mark[] = "HEARTHCSRFTOKENSTANDINxxxxxxxxxxxxxxxxxxxxx";
_Static_assert(sizeof token_mark == TOK_MACSTRLEN, "a token's length");

static int
render_for_cache(struct web_req *req, struct web_page_cache *pc,
    long generation, const char *tmpl)
{
	char *body, *at;
	size_t len, start;
	int rc;

	web_set(req, "CSRF.token", token_mark);
	if ((rc = tmpl_render(req->hdf, tmpl, TMPL_ESC_HTML, &body, &len)) != HE_OK)
		return rc;
	for (start = 0; start < len && (body[start] == '\n' || body[start] == ' ');)
		start++;
	memmove(body, body + start, len - start + 1);
	len -= start;
	free(pc->body);
	*pc = (struct web_page_cache){ body, len, generation, { 0 }, 0 };
	for (at = body; (at = memmem(at, len - (size_t)(at - body), token_mark,
	    TOK_MACSTRLEN - 1)) != NULL; at += TOK_MACSTRLEN - 1) {
		if (pc->nmarks == WEB_PAGE_MARKS) {
			log_error("%s: more CSRF tokens than a cached page holds", tmpl);
			free(pc->body);
			pc->body = NULL;
			return HE_INVALID;
		}
		pc->marks[pc->nmarks++] = (size_t)(at - body);
	}
	return HE_OK;
}

void
web_render_cached(struct web_req *req, struct web_page_cache *pc,
    long generation, const char *tmpl)
{
	struct web_conn *c = req->conn;
	char *page;

	if ((pc->body == NULL || pc->generation != generation) &&
	    render_for_cache(req, pc, generation, tmpl) != HE_OK) {
		web_render(req, 200, tmpl);
		return;
	}
	if ((page = malloc(pc->len)) == NULL) {
		web_fail(req, HE_NOMEM);
		return;
	}
	memcpy(page, pc->body, pc->len);
	for (size_t i = 0; i < pc->nmarks; i++)
		memcpy(page + pc->marks[i], c->csrf, TOK_MACSTRLEN - 1);
	web_respond(c, 200, "text/html; charset=utf-8", NULL, page, pc->len);
	free(page);
}

void
web_render(struct web_req *req, int status, const char *tmpl)
{
	web_render_with(req, status, tmpl, NULL);
}

void
web_render_with(struct web_req *req, int status, const char *tmpl,
    const char *extra_headers)
{
	if (render_page(req, status, tmpl, extra_headers) != HE_OK)
		web_error(req, 500, "This page could not be shown. Please try again "
		    "in a moment.");
}

void
web_error(struct web_req *req, int status, const char *message)
{
	/* A 503 says when to come back: clients and proxies may retry. */
	web_error_with(req, status, status == 503 ? "Retry-After: 5\r\n" : NULL,
	    message);
}

void
web_error_with(struct web_req *req, int status, const char *extra_headers,
    const char *message)
{
	struct web_conn *c = req->conn;
	char hdr[64];

	if (c->answered)
		return;
	web_set_int(req, "Error.status", status);
	web_set(req, "Error.reason", reason(status));
	web_set(req, "Error.message", message);
	if (render_page(req, status, "error.cs", extra_headers) == HE_OK)
		return;
	/* Even the error template failed: a fixed text, nothing from the request. */
	snprintf(hdr, sizeof hdr, "%d %s\n", status, reason(status));
	web_respond(c, status, "text/plain; charset=utf-8", NULL, hdr, strlen(hdr));
}

void
web_fail(struct web_req *req, int he_code)
{
	if (he_code == HE_PANIC)
		req->conn->panic = 1;
	if (he_code == HE_TEMPFAIL || he_code == HE_PANIC) {
		web_error(req, 503, "We are busy right now and nothing was saved. "
		    "Please try again in a few seconds.");
		return;
	}
	log_error("%s: request failed: %s", req->route ? req->route->path : "-",
	    he_strerror(he_code));
	web_error(req, 500, "Something went wrong on our side and nothing was "
	    "saved. Please try again; if it keeps happening, tell the site admin.");
}

void
web_send(struct web_req *req, int status, const char *ctype,
    const char *extra_headers, const char *body, size_t len)
{
	web_respond(req->conn, status, ctype, extra_headers, body, len);
}

void
web_send_fd(struct web_req *req, int status, const char *ctype,
    const char *extra_headers, int fd, uint64_t len)
{
	struct web_conn *c = req->conn;
	char buf[65536];

	if (c->answered)
		return;
	web_respond(c, status, ctype, extra_headers, NULL, (size_t)len);
	while (!c->head && len > 0) {
		ssize_t n = read(fd, buf, len < sizeof buf ? (size_t)len : sizeof buf);

		if (n < 0 && errno == EINTR)
			continue;
		/* The length is sent already: a short body is all that is left. */
		if (n <= 0) {
			log_error("a download ended %llu bytes short: %s",
			    (unsigned long long)len, n < 0 ? strerror(errno) : "end of file");
			break;
		}
		if (FCGX_PutStr(buf, (int)n, c->fcgi.out) < 0)
			break;
		len -= (uint64_t)n;
		sv_busy();	/* it moves: not stuck */
	}
}

void
web_redirect(struct web_req *req, int status, const char *path)
{
	char hdr[1024];

	/* Local paths only: "//host" or a scheme would be an open redirect. */
	if (path[0] != '/' || path[1] == '/' || path[1] == '\\' ||
	    strpbrk(path, "\r\n") != NULL) {
		web_error(req, 500, "Something went wrong on our side.");
		return;
	}
	snprintf(hdr, sizeof hdr, "Location: %s\r\n", path);
	web_respond(req->conn, status, "text/plain; charset=utf-8", hdr, "", 0);
}

void
web_set_cookie(struct web_req *req, const char *name, const char *value,
    long max_age)
{
	struct web_conn *c = req->conn;
	char line[512], age[40] = "";

	if (max_age >= 0)
		snprintf(age, sizeof age, "; Max-Age=%ld", max_age);
	/* Cookie values are ours (base64url tokens), never user text. */
	snprintf(line, sizeof line,
	    "Set-Cookie: %s=%s; Path=%s; HttpOnly; SameSite=Lax%s%s\r\n",
	    name, value, c->app->cookie_path, c->secure ? "; Secure" : "", age);
	neo_consume(string_append(&c->cookies, line), "set-cookie");
}
