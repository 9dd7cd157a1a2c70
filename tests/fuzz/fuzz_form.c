/* fuzz_form.c: a request's query, cookies and body through ClearSilver's CGI kit and the field table */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "util/he.h"
#include "util/text.h"
#include "web/web_int.h"

/*
 * Input: one mode byte, then the query string up to the first '\n', the
 * Cookie header up to the second '\n', and the body (any bytes) after it.
 * Missing separators leave the later parts empty.
 *
 * mode % 8:
 *   0  POST application/x-www-form-urlencoded
 *   1  POST application/x-www-form-urlencoded; charset=UTF-8
 *   2  POST multipart/form-data; boundary=hearthfuzz
 *   3  POST multipart/form-data; boundary="hearthfuzz"
 *   4  GET (the body is not parsed, as for a GET route)
 *   5  POST urlencoded, CONTENT_LENGTH one more than the body (short read)
 *   6  POST urlencoded, CONTENT_LENGTH half the body
 *   7  POST multipart/form-data without a boundary
 * dispatch.c never lets ClearSilver parse a multipart body (its parser
 * crashed on a boundary-less request after a multipart one, and leaked on
 * repeated part headers): routes that take files read it with multipart.c
 * (fuzz_multipart), the others answer 415. FUZZ_MULTIPART mirrors that
 * rule: at 0, modes 2, 3 and 7 end where the server stops; set it to 1 to
 * fuzz ClearSilver's multipart parser itself.
 */
#ifndef FUZZ_MULTIPART
#define FUZZ_MULTIPART 0
#endif

#define NENV 16

/* What the cgiwrap callbacks serve: the current input only. */
static struct {
	const unsigned char *body;
	size_t len, off;
	char *env[NENV + 1];	/* "NAME=value", NULL-terminated */
	size_t namelen[NENV];
	size_t nenv;
} rq;

static int
cb_read(void *data, char *buf, int len)
{
	size_t n = rq.len - rq.off;

	(void)data;
	if (len <= 0)
		return 0;
	if (n > (size_t)len)
		n = (size_t)len;
	memcpy(buf, rq.body + rq.off, n);
	rq.off += n;
	return (int)n;
}

static int
cb_writef(void *data, const char *fmt, va_list ap)
{
	(void)data;
	(void)fmt;
	(void)ap;
	return 0;
}

static int
cb_write(void *data, const char *buf, int len)
{
	(void)data;
	(void)buf;
	return len;
}

/* cgiwrap frees what getenv and iterenv return: malloc'd copies. */
static char *
cb_getenv(void *data, const char *name)
{
	size_t n = strlen(name);

	(void)data;
	/* Lengths first: ClearSilver asks for dozens of names per request. */
	for (size_t i = 0; i < rq.nenv; i++)
		if (rq.namelen[i] == n && memcmp(rq.env[i], name, n) == 0)
			return strdup(rq.env[i] + n + 1);
	return NULL;
}

static int
cb_putenv(void *data, const char *name, const char *value)
{
	(void)data;
	(void)name;
	(void)value;
	return 0;
}

static int
cb_iterenv(void *data, int num, char **k, char **v)
{
	(void)data;
	*k = *v = NULL;
	if (num < 0 || (size_t)num >= rq.nenv)
		return 0;
	return web_env_split(rq.env[num], k, v);
}

static void
env_add(const char *name, const char *value, size_t vlen)
{
	size_t n = strlen(name);
	char *s;

	if (rq.nenv >= NENV || (s = malloc(n + 1 + vlen + 1)) == NULL)
		abort();
	memcpy(s, name, n);
	s[n] = '=';
	memcpy(s + n + 1, value, vlen);
	s[n + 1 + vlen] = '\0';
	rq.namelen[rq.nenv] = n;
	rq.env[rq.nenv++] = s;
	rq.env[rq.nenv] = NULL;
}

static void
env_free(void)
{
	for (size_t i = 0; i < rq.nenv; i++)
		free(rq.env[i]);
	rq.nenv = 0;
	rq.env[0] = NULL;
}

/* Every web_ftype, required and not, with default and explicit limits:
 * the shapes of the real routes (join, login, candidate list) and more. */
static const struct web_field fields[] = {
	{ "name", WEB_FT_TEXT, WEB_FF_REQUIRED, 200, "Your name",
	    "Please tell us your name.", NULL, NULL },
	{ "email", WEB_FT_EMAIL, WEB_FF_REQUIRED, 0, "Your email",
	    "Please give us your email address.", NULL, NULL },
	{ "consent", WEB_FT_CHECKBOX, WEB_FF_REQUIRED, 0, "Consent",
	    "Please tick the box so we may keep your details.", NULL, NULL },
	{ "password", WEB_FT_PASSWORD, WEB_FF_REQUIRED, 0, "Password", NULL, NULL, NULL },
	{ "page", WEB_FT_UINT, 0, 1000000, "Page", NULL, NULL, NULL },
	{ "note", WEB_FT_TEXT, 0, 0, "Note", NULL, NULL, NULL },
	{ "initials", WEB_FT_TEXT, 0, 3, "Initials", NULL, NULL, NULL },
	{ "alt_email", WEB_FT_EMAIL, 0, 0, "Other email", NULL, NULL, NULL },
	{ "pin", WEB_FT_PASSWORD, 0, 8, "PIN", NULL, NULL, NULL },
	{ "newsletter", WEB_FT_CHECKBOX, 0, 0, "Newsletter", NULL, NULL, NULL },
	{ "count", WEB_FT_UINT, WEB_FF_REQUIRED, 0, "Count", NULL, NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL }
};
#define NFIELDS (sizeof fields / sizeof fields[0] - 1)

static const struct web_app app = { .name = "fuzz", .cookie_path = "/" };
static struct web_conn conn;

#define CHECK(cond) do { if (!(cond)) { \
	fprintf(stderr, "fuzz_form: %s:%d: check failed: %s\n", __FILE__, \
	    __LINE__, #cond); abort(); } } while (0)

/* What every handler relies on after a successful or failed validation. */
static void
check_values(HDF *hdf, const struct web_value *values, size_t nerr)
{
	size_t seen = 0;
	char name[128];

	for (size_t i = 0; i < NFIELDS; i++) {
		const struct web_field *f = &fields[i];
		const struct web_value *v = &values[i];
		uint64_t max = web_field_max(f);
		int failed;

		snprintf(name, sizeof name, "Form.%s.error", f->name);
		failed = hdf_get_value(hdf, name, NULL) != NULL;
		seen += failed;
		CHECK(v->str != NULL);
		if (!v->present) {
			CHECK(v->str[0] == '\0');
			CHECK(failed || !(f->flags & WEB_FF_REQUIRED));
			continue;
		}
		CHECK(!failed);
		CHECK(v->str[0] != '\0');
		switch (f->type) {
		case WEB_FT_TEXT: {
			size_t n = strlen(v->str);

			CHECK(text_utf8_valid(v->str, n));
			CHECK(text_chars(v->str) <= max);
			CHECK(v->str[0] != ' ' && v->str[n - 1] != ' ');
			CHECK(strstr(v->str, "  ") == NULL);
			for (size_t j = 0; j < n; j++)
				CHECK((unsigned char)v->str[j] >= 0x20 &&
				    v->str[j] != 0x7f);
			break;
		}
		case WEB_FT_EMAIL:
			CHECK(strlen(v->str) <= 254);
			CHECK(strchr(v->str, '@') != NULL);
			for (const char *p = v->str; *p; p++)
				CHECK(*p > ' ' && (unsigned char)*p < 0x7f &&
				    !(*p >= 'A' && *p <= 'Z'));
			break;
		case WEB_FT_PASSWORD:
			CHECK(strlen(v->str) <= max);
			CHECK(text_utf8_valid(v->str, strlen(v->str)));
			break;
		case WEB_FT_CHECKBOX:
			CHECK(strcmp(v->str, "1") == 0);
			break;
		case WEB_FT_UINT:
			CHECK(v->num <= max);
			CHECK(v->str[0] >= '0' && v->str[0] <= '9');
			break;
		default:
			CHECK(0);
		}
	}
	CHECK(seen == nerr);
	if (nerr) {
		snprintf(name, sizeof name, "Form.errors.%zu.field", nerr - 1);
		CHECK(hdf_get_value(hdf, name, NULL) != NULL);
		snprintf(name, sizeof name, "Form.errors.%zu.field", nerr);
		CHECK(hdf_get_value(hdf, name, NULL) == NULL);
		CHECK((size_t)hdf_get_int_value(hdf, "Form.error_count", -1) == nerr);
	} else {
		CHECK(hdf_get_value(hdf, "Form.error_count", NULL) == NULL);
	}
}

static void serve(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (sodium_init() < 0)
		abort();
	conn.app = &app;
	conn.max_body = 65536;
	memset(conn.key, 0x5a, sizeof conn.key);
	/* A worker lives for many requests, and ClearSilver keeps state
	 * between them (rfc2388.c caches the last boundary): start like a
	 * worker that has served one multipart form already, so whatever
	 * depends on that reproduces from a single input. */
	if (FUZZ_MULTIPART) {
		static const char warm[] = "2\n\n--hearthfuzz\r\n"
		    "Content-Disposition: form-data; name=\"name\"\r\n\r\n"
		    "Ada\r\n--hearthfuzz--\r\n";

		serve((const uint8_t *)warm, sizeof warm - 1);
	}
	return 0;
}

/* One request, as serve_one() and web_dispatch() handle a POST route. */
static void
serve(const uint8_t *data, size_t size)
{
	static const char *const ctypes[8] = {
		"application/x-www-form-urlencoded",
		"application/x-www-form-urlencoded; charset=UTF-8",
		"multipart/form-data; boundary=hearthfuzz",
		"multipart/form-data; boundary=\"hearthfuzz\"",
		"application/x-www-form-urlencoded",
		"application/x-www-form-urlencoded",
		"application/x-www-form-urlencoded",
		"multipart/form-data",
	};
	const unsigned char *p, *nl1, *nl2, *end;
	const char *query, *cookie;
	size_t qlen, clen, clength;
	struct web_req req = { .conn = &conn };
	struct web_value *values = NULL;
	char num[32], *uri;
	HDF *hdf = NULL;
	NEOERR *err;
	unsigned mode;
	size_t nerr;

	if (size < 1)
		return;
	mode = data[0] % 8;
	p = data + 1;
	end = data + size;
	nl1 = memchr(p, '\n', (size_t)(end - p));
	nl2 = nl1 ? memchr(nl1 + 1, '\n', (size_t)(end - nl1 - 1)) : NULL;
	query = (const char *)p;
	qlen = (size_t)((nl1 ? nl1 : end) - p);
	cookie = nl1 ? (const char *)nl1 + 1 : "";
	clen = nl1 ? (size_t)((nl2 ? nl2 : end) - (nl1 + 1)) : 0;
	rq.body = nl2 ? nl2 + 1 : end;
	rq.len = (size_t)(end - rq.body);
	rq.off = 0;
	/* A query or header is a C string by the time it reaches a worker. */
	qlen = strnlen(query, qlen);
	clen = strnlen(cookie, clen);

	clength = rq.len;
	if (mode == 5)
		clength = rq.len + 1;
	else if (mode == 6)
		clength = rq.len / 2;
	snprintf(num, sizeof num, "%zu", clength);
	if ((uri = malloc(qlen + 7)) == NULL)
		abort();
	memcpy(uri, "/join?", 6);
	memcpy(uri + 6, query, qlen);
	uri[6 + qlen] = '\0';

	env_add("REQUEST_METHOD", mode == 4 ? "GET" : "POST", mode == 4 ? 3 : 4);
	env_add("REQUEST_URI", uri, qlen + 6);
	env_add("SCRIPT_NAME", "", 0);
	env_add("QUERY_STRING", query, qlen);
	env_add("HTTP_COOKIE", cookie, clen);
	env_add("HTTP_USER_AGENT", "fuzz/1.0", 8);
	env_add("HTTP_HOST", "127.0.0.1:8080", 14);
	env_add("REMOTE_ADDR", "127.0.0.1", 9);
	env_add("SERVER_NAME", "localhost", 9);
	if (mode != 4) {
		env_add("CONTENT_TYPE", ctypes[mode], strlen(ctypes[mode]));
		env_add("CONTENT_LENGTH", num, strlen(num));
	}
	free(uri);

	/* As serve_one() and web_dispatch() do for a POST route. */
	cgiwrap_init_emu(&conn, cb_read, cb_writef, cb_write, cb_getenv,
	    cb_putenv, cb_iterenv);
	conn.cgi = NULL;
	conn.answered = conn.head = 0;
	string_init(&conn.cookies);
	if ((err = hdf_init(&hdf)) != STATUS_OK) {
		nerr_ignore(&err);
		goto out;
	}
	if ((err = cgi_init(&conn.cgi, hdf)) != STATUS_OK) {
		nerr_ignore(&err);	/* a failed cgi_init has freed hdf */
		conn.cgi = NULL;
		goto out;
	}
	req.hdf = hdf;
	web_csrf_setup(&req);
	if (!FUZZ_MULTIPART && strncmp(ctypes[mode], "multipart/", 10) == 0 &&
	    mode != 4)
		goto out;	/* 415 */
	if (mode != 4) {
		if ((err = cgi_parse(conn.cgi)) != STATUS_OK) {
			nerr_ignore(&err);
			goto out;	/* the server answers 400 here */
		}
		(void)web_csrf_ok(&req);
	}
	nerr = web_form_validate(&req, fields, &values);
	CHECK(values != NULL);
	check_values(hdf, values, nerr);
	web_form_free(fields, values);
out:
	if (conn.cgi)
		cgi_destroy(&conn.cgi);	/* frees hdf too */
	string_clear(&conn.cookies);
	env_free();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	serve(data, size);
	return 0;
}
