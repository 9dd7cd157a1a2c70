/* web_int.h: what the files of lib/web share and nothing else sees */
#ifndef HEARTH_WEB_INT_H
#define HEARTH_WEB_INT_H

#include <fcgiapp.h>

#include "util/token.h"
#include "web/web.h"

/* The request's environment by name: cgi_init asks for some fifty
 * variables, and libfcgi's own lookup is a linear scan of them all. */
#define WEB_ENV_SLOTS 256	/* a power of two, well above the variables sent */

/* multipart.c: limits of the multipart/form-data reader. */
#define WEB_MP_BOUNDARY_MAX 70		/* RFC 2046 */
#define WEB_MP_PARTS_MAX 64		/* parts per body, text and files */
#define WEB_MP_TEXT_MAX 65536		/* bytes in one text (non-file) part */
#define WEB_MP_LINE_MAX 4096		/* bytes in one part header line, CRLF included */
#define WEB_MP_LINES_MAX 8		/* header lines per part */
#define WEB_MP_FILENAME_MAX 255		/* bytes of a cleaned file name */

/* Why a multipart body was refused. */
enum web_mp_rc {
	WEB_MP_OK = 0,
	WEB_MP_ETYPE,	/* not multipart/form-data, or no usable boundary */
	WEB_MP_EFRAME,	/* does not open with the boundary, or never closes */
	WEB_MP_EHEADER,	/* part headers malformed, too long or too many */
	WEB_MP_ENAME,	/* a part without Content-Disposition: form-data; name */
	WEB_MP_EPARTS,	/* more than WEB_MP_PARTS_MAX parts */
	WEB_MP_ETEXT,	/* a text part over WEB_MP_TEXT_MAX, or with a NUL byte */
	WEB_MP_ENOMEM,
	WEB_MP__MAX
};

/* The files of one multipart body; their data points into the body. */
struct web_mp {
	struct web_upload *uploads;	/* field and filename malloc'd */
	size_t nuploads;
};

/* One per worker, reused by every request it serves. */
struct web_conn {
	FCGX_Request fcgi;
	const struct web_app *app;
	HDF *conf;
	HDF *site;			/* conf's Site subtree */
	unsigned char key[TOK_KEYBYTES];
	char *templates;
	size_t max_body;		/* Web.MaxBody */
	size_t max_upload;		/* Web.MaxUpload: multipart on WEB_R_UPLOAD routes */
	size_t max_import;		/* Web.MaxImport: on WEB_R_LARGE routes */
	int secure;			/* Site.Secure: cookies get Secure, HSTS */
	struct web_limiter *limiter;	/* for WEB_R_LIMITED routes */
	unsigned limit_max, limit_window;

	/* Per request. */
	const char *env_slot[WEB_ENV_SLOTS];	/* "NAME=value" entries of envp */
	CGI *cgi;
	STRING cookies;			/* Set-Cookie lines to send */
	char csrf[TOK_MACSTRLEN];
	size_t body_cap;		/* what is read of the body at most: the route's cap */
	unsigned char *body;		/* a multipart body, read by us (malloc'd,
					 * or mapped when body_mapped) */
	size_t body_mapped;		/* the length of a mapped body, or 0 */
	struct web_mp mp;		/* its files */
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

/* request.c: reads up to len bytes of the request body (FCGX_GetStr),
 * returning how many (0 at its end, -1 on error). While it waits for the
 * web server, the worker does not count as busy to the supervisor. */
int web_read(struct web_conn *c, void *buf, int len);

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

/* multipart.c: the boundary parameter of a Content-Type value, checked
 * (1..70 RFC 2046 bchars, quoted or not) and copied NUL-terminated into
 * out. WEB_MP_OK, or WEB_MP_ETYPE when ctype is not multipart/form-data
 * or has no usable boundary. */
int web_mp_boundary(const char *ctype, char out[WEB_MP_BOUNDARY_MAX + 1]);

/*
 * multipart.c: reads a multipart/form-data body (RFC 7578) of Content-Type
 * ctype. Text parts become Query.<name> in hdf exactly as ClearSilver's
 * cgi_parse sets url-encoded fields (the last value, and Query.<name>.0,
 * .1, ... when a name repeats); file parts (those with a filename or
 * filename* parameter) become mp->uploads, pointing into body, which must
 * outlive them. The body is checked whole before anything is set: on an
 * error mp is empty and hdf unchanged (but for WEB_MP_ENOMEM, which may
 * leave some fields set). Free mp with web_mp_free, even after an error.
 */
int web_mp_parse(const char *ctype, const unsigned char *body, size_t len,
    HDF *hdf, struct web_mp *mp);
void web_mp_free(struct web_mp *mp);

/* A short English reason for a web_mp_rc, for logs. */
const char *web_mp_strerror(int rc);

/* multipart.c: adds one form field to Query.* the way ClearSilver's
 * cgi_parse does. HE_OK (also when ClearSilver would skip the name, such as
 * "a..b"), or HE_NOMEM. */
int web_query_add(HDF *hdf, const char *name, const char *value);

/* render.c: writes status, headers and body; once per request. */
void web_respond(struct web_conn *c, int status, const char *ctype,
    const char *extra_headers, const char *body, size_t len);

#endif
