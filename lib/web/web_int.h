/* web_int.h: what the files of lib/web share and nothing else sees */
#ifndef HEARTH_WEB_INT_H
#define HEARTH_WEB_INT_H

#include <fcgiapp.h>

#include "util/token.h"
#include "web/web.h"

/* The request's environment by name: cgi_init asks for some fifty
 * variables, and libfcgi's own lookup is a linear scan of them all. */
#define WEB_ENV_SLOTS 256	/* a power of two, well above the variables sent */

/* One per worker, reused by every request it serves. */
struct web_conn {
	FCGX_Request fcgi;
	const struct web_app *app;
	HDF *conf;
	HDF *site;			/* conf's Site subtree */
	unsigned char key[TOK_KEYBYTES];
	char *templates;
	size_t max_body;
	int secure;			/* Site.Secure: cookies get Secure, HSTS */
	struct web_limiter *limiter;	/* for WEB_R_LIMITED routes */
	unsigned limit_max, limit_window;

	/* Per request. */
	const char *env_slot[WEB_ENV_SLOTS];	/* "NAME=value" entries of envp */
	CGI *cgi;
	STRING cookies;			/* Set-Cookie lines to send */
	char csrf[TOK_MACSTRLEN];
	int head;			/* HEAD: headers only */
	int answered;
	int panic;			/* exit after this request */
};

/* ratelimit.c: counts requests per client address and purpose in fixed
 * windows, across the workers of one program. web_limiter_create maps it
 * (before the workers are forked). web_limit_hit counts one request and
 * returns 1 when it is over max in the current window of `window`
 * seconds, with the seconds until that window ends in *retry_after. */
struct web_limiter;
int web_limiter_create(struct web_limiter **out);
int web_limit_hit(struct web_limiter *l, const char *addr, const char *what,
    unsigned max, unsigned window, int64_t now, unsigned *retry_after);

/* Name of a method, "GET"/"POST". */
extern const char *const web_method_names[WEB_METHOD__MAX];

/* request.c: installs cgiwrap for this request (ClearSilver's CGI kit
 * reads the environment and the body through these callbacks). */
void web_cgiwrap_install(struct web_conn *c);

/* request.c: splits one "NAME=value" environment entry into malloc'd
 * copies for cgiwrap's iterenv (both NULL when there is no '='); 1 when
 * out of memory, else 0. */
int web_env_split(const char *entry, char **k, char **v);

/* dispatch.c: preconditions, validation and the handler for one request. */
void web_dispatch(struct web_conn *c, struct web_req *req);

/* form.c: validates the route's fields from Query.*; fills Form.* for the
 * template. Returns the number of errors; *values is calloc'd (free with
 * web_form_free). */
size_t web_form_validate(struct web_req *req, const struct web_field *fields,
    struct web_value **values);
void web_form_free(const struct web_field *fields, struct web_value *values);
/* The limit a field is checked against: its max, or its type's default. */
uint64_t web_field_max(const struct web_field *f);

/* csrf.c: derives the token of this request from a key (session token or
 * the anonymous cookie, created when missing) and checks a submitted one. */
void web_csrf_setup(struct web_req *req);
int web_csrf_ok(struct web_req *req);

/* render.c: the error page with extra header lines ("Name: value\r\n"). */
void web_error_with(struct web_req *req, int status, const char *extra_headers,
    const char *message);

/* render.c: writes status, headers and body; once per request. */
void web_respond(struct web_conn *c, int status, const char *ctype,
    const char *extra_headers, const char *body, size_t len);

#endif
