/* web.h: the FastCGI runtime: workers, requests, routes, forms and pages */
#ifndef HEARTH_WEB_H
#define HEARTH_WEB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <ClearSilver.h>

enum web_method { WEB_GET, WEB_POST, WEB_METHOD__MAX };

/* What a form field holds; each type has one validator in form.c. */
enum web_ftype {
	WEB_FT_TEXT,		/* one line of UTF-8, cleaned; max in characters */
	WEB_FT_EMAIL,		/* normalised address */
	WEB_FT_PASSWORD,	/* taken as typed, never echoed; max in bytes */
	WEB_FT_CHECKBOX,	/* present or not */
	WEB_FT_UINT,		/* decimal 0..max */
	WEB_FT_CHOICE,		/* one of the field's choices */
	WEB_FT_MULTI,		/* any number of the field's choices (or of
				 * single lines, when it has none) */
	WEB_FT_FILE,		/* an upload (WEB_R_UPLOAD): present or not;
				 * its content is the handler's to check */
	WEB_FT_LONGTEXT,	/* several lines of UTF-8 (a message, a mail
				 * template): CR LF as LF, tabs kept, other
				 * control characters refused, trailing white
				 * space trimmed; max in characters */
	WEB_FT__MAX
};

#define WEB_FF_REQUIRED 0x1
/* Carried in a hidden input by the page that leads to the form (an id, a
 * filter being saved), never typed: a bad value means a broken or forged
 * form, answered with the error page, and no error is shown next to it. */
#define WEB_FF_HIDDEN 0x2

struct web_field {
	const char *name;	/* the form or query parameter */
	enum web_ftype type;
	unsigned flags;
	uint64_t max;		/* length or value limit; 0: the type's default */
	const char *label;	/* for messages: "Your name" */
	const char *missing;	/* message when required and absent, or NULL */
	/* The values a choice may take (NULL-terminated); the array may be
	 * filled at start-up, from the configuration. */
	const char *const *choices;
	/* More checks of a present value: a message for the person, or NULL. */
	const char *(*check)(const char *value);
};

/* A validated value, one per field of the route, in table order. */
struct web_value {
	bool present;
	const char *str;	/* cleaned text (email normalised); "" when absent */
	uint64_t num;		/* WEB_FT_UINT */
	const char **list;	/* WEB_FT_MULTI: the values given, in order */
	size_t count;
};

/* Route flags. */
#define WEB_R_AUTH	0x1	/* needs a signed-in user, else 302 to login */
#define WEB_R_NOCSRF	0x2	/* a POST that carries its own proof instead */
/* A POST that also takes multipart/form-data (file uploads), with a body
 * of up to Web.MaxUpload bytes; other routes answer multipart with 415.
 * Text parts become Query.* as url-encoded fields do; files are read
 * with web_upload_get(). */
#define WEB_R_UPLOAD	0x4
#define WEB_R_LIMITED	0x8	/* counted per client address: 429 past
				 * Web.RateLimit.Max in Web.RateLimit.Window s */
/* With WEB_R_UPLOAD: a file of data to import, of up to Web.MaxImport
 * bytes. The body is spooled to an unlinked temporary file and mapped, never
 * held in the heap: web_upload_get() data then points into that mapping. */
#define WEB_R_LARGE	0x10

struct web_user {
	uint64_t id;
	unsigned role;		/* the app's role number; routes allow a mask */
	char email[256];
};

struct web_req;
typedef void (*web_handler)(struct web_req *req);

struct web_route {
	enum web_method method;
	const char *path;	/* exact match on the path of REQUEST_URI */
	web_handler handler;
	unsigned flags;
	unsigned roles;		/* bit (1 << role) per allowed role; 0: any user */
	const struct web_field *fields;	/* terminated by a NULL name */
	const char *form_template;	/* rendered with 400 when fields fail */
	/* Checks across fields, after each field's own (even when some
	 * failed, so every error shows at once); reports with web_form_error. */
	void (*form_check)(struct web_req *req, const struct web_value *v);
};

struct web_app {
	const char *name;		/* program name, in logs and the socket name */
	const struct web_route *routes;
	size_t nroutes;
	const char *cookie_path;	/* "/" or "/office/" */
	const char *login_path;		/* where WEB_R_AUTH sends the signed-out */
	/* Runs in each worker after fork(): opens what handlers need. */
	int (*worker_init)(HDF *conf, void **ctx);
	void (*worker_fini)(void *ctx);
	/* Resolves a session cookie (NULL: the app has no sessions):
	 * HE_OK fills user; HE_NOTFOUND/HE_EXPIRED mean signed out. */
	int (*session)(void *ctx, const char *token, struct web_user *user);
	/* The names of the roles, by number, NULL-terminated (or NULL):
	 * `--routes` prints each route's roles by them, and pages get the
	 * signed-in user's as User.role_name. */
	const char *const *role_names;
	/* Runs once in the supervisor, before the workers are forked (or
	 * NULL): makes what they share, such as memory mapped MAP_SHARED. */
	int (*prefork)(HDF *conf);
	/* Adds what every page of a signed-in user shows (or NULL), such as
	 * a count in the navigation bar: called just before a page is
	 * rendered (not for redirects, downloads or cached pages). */
	void (*page_data)(struct web_req *req);
};

/* What a handler sees. Everything is owned by the request. */
struct web_req {
	HDF *hdf;			/* page data: handlers fill Page.* */
	void *ctx;			/* from worker_init */
	HDF *conf;			/* the site configuration */
	const struct web_route *route;
	const struct web_value *v;	/* validated fields, route table order */
	const struct web_user *user;	/* NULL when signed out */
	const char *session_token;	/* the cookie value when signed in */
	const char *remote_addr;
	const char *user_agent;
	struct web_conn *conn;		/* private to lib/web */
};

/* A file sent with a multipart/form-data POST. */
struct web_upload {
	const char *field;		/* the form field's name */
	const char *filename;		/* cleaned basename, UTF-8, may be "" */
	const unsigned char *data;	/* the bytes as sent (any content) */
	size_t len;
};

/*
 * The file sent in field `name`, or NULL when none or empty (len 0 and no
 * filename: a file input left blank). When a field carries several files,
 * the first non-empty one. The filename is for showing to people only
 * (never a path to write to); judge the type by content (util/filetype.h),
 * never by the name. Owned by the request: valid until the handler returns.
 */
const struct web_upload *web_upload_get(struct web_req *req, const char *name);

/* The session cookie's name. */
#define WEB_SESSION_COOKIE "hearth_session"

/*
 * Runs the program: `prog [--socket PATH] [--workers N] [--routes]`.
 * Opens the socket, preforks the workers and supervises them until SIGTERM
 * or SIGINT. Returns the process exit status.
 */
int web_main(const struct web_app *app, int argc, char **argv);

/* Sets Page data; user text goes in as is (templates escape it). */
void web_set(struct web_req *req, const char *name, const char *value);
void web_set_int(struct web_req *req, const char *name, long long value);

/* Adds an error for a field that the handler found (checks across
 * fields, uploads), in the order of the route's field table so the
 * summary follows the form: the form's template is then rendered with 400. */
void web_form_error(struct web_req *req, const char *field,
    const char *message);

/*
 * A page that is the same for every visitor but for the CSRF token of its
 * forms: rendered once, then answered with each visitor's token spliced
 * in. Zero it before first use; a new generation renders it again (say,
 * when the data it shows changed).
 */
#define WEB_PAGE_MARKS 8
struct web_page_cache {
	char *body;
	size_t len;
	long generation;
	size_t marks[WEB_PAGE_MARKS];	/* where the token goes */
	size_t nmarks;
};

/* Answers 200 with pc's page, rendered from tmpl now if it is missing or
 * of another generation (Page.* as the handler set it). */
void web_render_cached(struct web_req *req, struct web_page_cache *pc,
    long generation, const char *tmpl);

/* Answers with the template rendered (HTML-escaped) under status. */
void web_render(struct web_req *req, int status, const char *tmpl);
/* The same with extra header lines ("Name: value\r\n"; the caller's,
 * never user text), such as Retry-After. */
void web_render_with(struct web_req *req, int status, const char *tmpl,
    const char *extra_headers);

/* Answers with a body as it is (downloads): ctype and extra header
 * lines ("Name: value\r\n") are the caller's, never user text. */
void web_send(struct web_req *req, int status, const char *ctype,
    const char *extra_headers, const char *body, size_t len);

/* web_send for a body of len bytes read from the open file fd, in
 * chunks, so a large download never sits in memory whole. The request
 * counts as stuck (Web.StuckSeconds) only while no chunk gets through. */
void web_send_fd(struct web_req *req, int status, const char *ctype,
    const char *extra_headers, int fd, uint64_t len);

/* Answers 303/302 to a local path (must start with one "/"). */
void web_redirect(struct web_req *req, int status, const char *path);

/* The one error page: status with a plain message for people. */
void web_error(struct web_req *req, int status, const char *message);

/* Answers for a failed lib/ call: 503 for HE_TEMPFAIL, 500 otherwise;
 * HE_PANIC also ends this worker after the answer (it is respawned). */
void web_fail(struct web_req *req, int he_code);

/* Cookies carry HttpOnly, SameSite=Lax and Secure when Site.Secure = 1.
 * max_age < 0: a session cookie; 0: delete it. */
void web_set_cookie(struct web_req *req, const char *name, const char *value,
    long max_age);

/* Switches CSRF protection to a new session token (after login/logout). */
void web_set_csrf_key(struct web_req *req, const char *key);

#endif
