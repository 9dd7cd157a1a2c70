/* test_form.c: typed field tables validated from Query.* into Form.* */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cgi-bin/community/community.h"
#include "cgi-bin/office/office.h"
#include "util/he.h"
#include "web/web_int.h"

#define N(a) (sizeof (a) / sizeof *(a))

/* A request as web_form_validate sees it: the HDF is all it touches. */
struct fx {
	HDF *hdf;
	struct web_conn conn;
	struct web_req req;
	const struct web_field *fields;
	struct web_value *v;
	size_t nerr;
};

static void
fx_init(struct fx *f)
{
	memset(f, 0, sizeof *f);
	if (hdf_init(&f->hdf) != STATUS_OK)
		fail_msg("hdf_init failed");
	f->req.hdf = f->hdf;
	f->req.conn = &f->conn;
}

static void
fx_query(struct fx *f, const char *name, const char *value)
{
	char key[160];
	NEOERR *err;

	snprintf(key, sizeof key, "Query.%s", name);
	if ((err = hdf_set_value(f->hdf, key, value)) != STATUS_OK) {
		nerr_ignore(&err);
		fail_msg("cannot set %s", key);
	}
}

static void
fx_run(struct fx *f, const struct web_field *fields)
{
	f->fields = fields;
	f->v = NULL;
	f->nerr = web_form_validate(&f->req, fields, &f->v);
	assert_non_null(f->v);
}

static void
fx_free(struct fx *f)
{
	web_form_free(f->fields, f->v);
	hdf_destroy(&f->hdf);
}

static const char *
form(struct fx *f, const char *fmt, ...)
{
	char key[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(key, sizeof key, fmt, ap);
	va_end(ap);
	return hdf_get_value(f->hdf, key, NULL);
}

/* Whether needle occurs in any value under node (node included). */
static int
hdf_mentions(HDF *node, const char *needle)
{
	for (; node; node = hdf_obj_next(node)) {
		const char *v = hdf_obj_value(node);

		if (v && strstr(v, needle))
			return 1;
		if (hdf_mentions(hdf_obj_child(node), needle))
			return 1;
	}
	return 0;
}

static int
form_mentions(struct fx *f, const char *needle)
{
	HDF *formobj = hdf_get_obj(f->hdf, "Form");

	return formobj && hdf_mentions(hdf_obj_child(formobj), needle);
}

/* ---- One field at a time ---- */

#define TEXT_REQ { "name", WEB_FT_TEXT, WEB_FF_REQUIRED, 10, "Your name", \
	"Please tell us your name.", NULL, NULL }
#define TEXT_OPT { "nick", WEB_FT_TEXT, 0, 0, "Nickname", NULL, NULL, NULL }
#define TEXT_REQ_NOMSG { "city", WEB_FT_TEXT, WEB_FF_REQUIRED, 0, "City", NULL, NULL, NULL }
#define EMAIL_REQ { "email", WEB_FT_EMAIL, WEB_FF_REQUIRED, 0, "Email", \
	"Please enter your email address.", NULL, NULL }
#define EMAIL_OPT { "email", WEB_FT_EMAIL, 0, 0, "Email", NULL, NULL, NULL }
#define PASS_REQ { "password", WEB_FT_PASSWORD, WEB_FF_REQUIRED, 16, \
	"Password", "Please enter your password.", NULL, NULL }
#define PASS_DEF { "password", WEB_FT_PASSWORD, 0, 0, "Password", NULL, NULL, NULL }
#define CHECK_REQ { "consent", WEB_FT_CHECKBOX, WEB_FF_REQUIRED, 0, "Consent", \
	"Please tick the box.", NULL, NULL }
#define CHECK_OPT { "news", WEB_FT_CHECKBOX, 0, 0, "News", NULL, NULL, NULL }
#define UINT_OPT { "page", WEB_FT_UINT, 0, 1000, "Page", NULL, NULL, NULL }
#define UINT_REQ { "page", WEB_FT_UINT, WEB_FF_REQUIRED, 1000, "Page", \
	"Which page?", NULL, NULL }
#define UINT_DEF { "n", WEB_FT_UINT, 0, 0, "Number", NULL, NULL, NULL }
#define UINT_MAX64 { "big", WEB_FT_UINT, 0, UINT64_MAX, "Big", NULL, NULL, NULL }
#define LONG_OPT { "body", WEB_FT_LONGTEXT, 0, 10, "Message", NULL, NULL, NULL }
#define LONG_REQ { "body", WEB_FT_LONGTEXT, WEB_FF_REQUIRED, 0, "Message", \
	"Please write the message.", NULL, NULL }

enum echo {
	ECHO_RAW,	/* Form.<name>.value is the raw input ("" when absent) */
	ECHO_NONE,	/* no Form.<name>.value, and the raw input nowhere in Form */
	ECHO_ANY,	/* not checked */
};

struct fcase {
	const char *name;
	struct web_field field;
	const char *raw;	/* NULL: not in the query at all */
	int ok;
	int present;		/* when ok */
	const char *str;	/* when ok: the value handed to handlers */
	uint64_t num;		/* when ok, UINT */
	enum echo echo;
	const char *msg;	/* when not ok: in the error message */
};

#define CJK10 "\xe7\x8e\x8b\xe7\x8e\x8b\xe7\x8e\x8b\xe7\x8e\x8b\xe7\x8e\x8b" \
	"\xe7\x8e\x8b\xe7\x8e\x8b\xe7\x8e\x8b\xe7\x8e\x8b\xe7\x8e\x8b"
#define EMOJI5 "\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80" \
	"\xf0\x9f\x98\x80\xf0\x9f\x98\x80"
#define X50 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
#define X200 X50 X50 X50 X50
#define X1024 X200 X200 X200 X200 X200 "xxxxxxxxxxxxxxxxxxxxxxxx"
#define E_ACUTE21 "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9" \
	"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9" \
	"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"

static const struct fcase cases[] = {
	/* TEXT */
	{ "text absent", TEXT_REQ, NULL, 0, 0, NULL, 0, ECHO_RAW,
	    "Please tell us your name." },
	{ "text empty", TEXT_REQ, "", 0, 0, NULL, 0, ECHO_RAW,
	    "Please tell us your name." },
	{ "text blank", TEXT_REQ, "  \t  ", 0, 0, NULL, 0, ECHO_RAW,
	    "Please tell us your name." },
	{ "text default missing message", TEXT_REQ_NOMSG, NULL, 0, 0, NULL, 0,
	    ECHO_RAW, "Please fill in this field." },
	{ "text folded", TEXT_REQ, "  Ada \t  Byron ", 1, 1, "Ada Byron", 0,
	    ECHO_RAW, NULL },
	{ "text exactly max", TEXT_REQ, "abcdefghij", 1, 1, "abcdefghij", 0,
	    ECHO_RAW, NULL },
	{ "text max+1", TEXT_REQ, "abcdefghijk", 0, 0, NULL, 0, ECHO_RAW,
	    "Your name is too long: please keep it under 10 characters." },
	{ "text 10 CJK (30 bytes)", TEXT_REQ, CJK10, 1, 1, CJK10, 0, ECHO_RAW,
	    NULL },
	{ "text 11 CJK (33 bytes)", TEXT_REQ, CJK10 "\xe7\x8e\x8b", 0, 0, NULL, 0,
	    ECHO_RAW, "under 10 characters" },
	{ "text 10 emoji (40 bytes)", TEXT_REQ, EMOJI5 EMOJI5, 1, 1, EMOJI5 EMOJI5,
	    0, ECHO_RAW, NULL },
	{ "text 21 two-byte (42 bytes)", TEXT_REQ, E_ACUTE21, 0, 0, NULL, 0,
	    ECHO_RAW, "under 10 characters" },
	{ "text folding counts after", TEXT_REQ, "Ada      Byron", 1, 1,
	    "Ada Byron", 0, ECHO_RAW, NULL },
	{ "text markup kept as typed", TEXT_OPT, "<script>alert(\"x\")</script>",
	    1, 1, "<script>alert(\"x\")</script>", 0, ECHO_RAW, NULL },
	{ "text truncated utf-8", TEXT_REQ, "Ada\xc3", 0, 0, NULL, 0, ECHO_NONE,
	    "Your name contains characters we cannot read." },
	{ "text ff fe", TEXT_REQ, "\xff\xfe", 0, 0, NULL, 0, ECHO_NONE,
	    "cannot read" },
	{ "text overlong <", TEXT_REQ, "\xc0\xbcscript", 0, 0, NULL, 0, ECHO_NONE,
	    "cannot read" },
	{ "text surrogate", TEXT_REQ, "a\xed\xa0\x80", 0, 0, NULL, 0, ECHO_NONE,
	    "cannot read" },
	{ "text control char", TEXT_REQ, "Ada\x01", 0, 0, NULL, 0, ECHO_ANY,
	    "cannot read" },
	{ "text C1 NEL", TEXT_REQ, "Ada\xc2\x85", 0, 0, NULL, 0, ECHO_ANY,
	    "cannot read" },
	{ "text optional absent", TEXT_OPT, NULL, 1, 0, "", 0, ECHO_RAW, NULL },
	{ "text optional blank", TEXT_OPT, "   ", 1, 0, "", 0, ECHO_RAW, NULL },
	{ "text default max 200", TEXT_OPT, X200, 1, 1, X200, 0, ECHO_RAW, NULL },
	{ "text default max 201", TEXT_OPT, X200 "x", 0, 0, NULL, 0, ECHO_RAW,
	    "Nickname is too long: please keep it under 200 characters." },

	/* LONGTEXT */
	{ "longtext lines kept", LONG_OPT, "a\r\n\r\n\tb  c", 1, 1, "a\n\n\tb  c",
	    0, ECHO_RAW, NULL },
	{ "longtext lone CR", LONG_OPT, "a\rb", 1, 1, "a\nb", 0, ECHO_RAW, NULL },
	{ "longtext trailing blank", LONG_OPT, "ab \n\n ", 1, 1, "ab", 0,
	    ECHO_RAW, NULL },
	{ "longtext blank", LONG_REQ, " \r\n ", 0, 0, NULL, 0, ECHO_RAW,
	    "Please write the message." },
	{ "longtext max", LONG_OPT, "abcde\nfghi", 1, 1, "abcde\nfghi", 0,
	    ECHO_RAW, NULL },
	{ "longtext max+1", LONG_OPT, "abcde\nfghij", 0, 0, NULL, 0, ECHO_RAW,
	    "under 10 characters" },
	{ "longtext control", LONG_OPT, "a\x01", 0, 0, NULL, 0, ECHO_ANY,
	    "cannot read" },
	{ "longtext C1", LONG_OPT, "a\xc2\x85", 0, 0, NULL, 0, ECHO_ANY,
	    "cannot read" },
	{ "longtext bad utf-8", LONG_OPT, "a\xff", 0, 0, NULL, 0, ECHO_NONE,
	    "cannot read" },
	{ "longtext default max 4000", LONG_REQ, X1024 X1024 X1024 X1024, 0, 0,
	    NULL, 0, ECHO_RAW, "under 4000 characters" },

	/* EMAIL */
	{ "email normalised", EMAIL_REQ, "  Ada@Example.COM ", 1, 1,
	    "ada@example.com", 0, ECHO_RAW, NULL },
	{ "email plus", EMAIL_REQ, "ada+jobs@example.com", 1, 1,
	    "ada+jobs@example.com", 0, ECHO_RAW, NULL },
	{ "email invalid", EMAIL_REQ, "not-an-email", 0, 0, NULL, 0, ECHO_RAW,
	    "This does not look like an email address." },
	{ "email no TLD", EMAIL_REQ, "ada@example", 0, 0, NULL, 0, ECHO_RAW,
	    "does not look like an email address" },
	{ "email two @", EMAIL_REQ, "a@b@example.com", 0, 0, NULL, 0, ECHO_RAW,
	    "does not look like an email address" },
	{ "email non-ASCII", EMAIL_REQ, "zo\xc3\xab@example.com", 0, 0, NULL, 0,
	    ECHO_RAW, "does not look like an email address" },
	{ "email invalid utf-8", EMAIL_REQ, "ada\xff@example.com", 0, 0, NULL, 0,
	    ECHO_NONE, "does not look like an email address" },
	{ "email absent", EMAIL_REQ, NULL, 0, 0, NULL, 0, ECHO_RAW,
	    "Please enter your email address." },
	{ "email blank", EMAIL_REQ, "   ", 0, 0, NULL, 0, ECHO_RAW,
	    "Please enter your email address." },
	{ "email optional absent", EMAIL_OPT, NULL, 1, 0, "", 0, ECHO_RAW, NULL },
	{ "email optional bad", EMAIL_OPT, "x@", 0, 0, NULL, 0, ECHO_RAW,
	    "does not look like an email address" },

	/* PASSWORD: taken as typed, never echoed */
	{ "password ok", PASS_REQ, "correct horse", 1, 1, "correct horse", 0,
	    ECHO_NONE, NULL },
	{ "password not trimmed", PASS_REQ, " padded ", 1, 1, " padded ", 0,
	    ECHO_NONE, NULL },
	{ "password unicode", PASS_REQ, "\xd0\xbf\xd0\xb0\xd1\x80\xd0\xbe\xd0\xbb\xd1\x8c",
	    1, 1, "\xd0\xbf\xd0\xb0\xd1\x80\xd0\xbe\xd0\xbb\xd1\x8c", 0, ECHO_NONE,
	    NULL },
	{ "password 16 bytes", PASS_REQ, "0123456789abcdef", 1, 1,
	    "0123456789abcdef", 0, ECHO_NONE, NULL },
	{ "password 17 bytes", PASS_REQ, "0123456789abcdefg", 0, 0, NULL, 0,
	    ECHO_NONE, "Password is not one we can accept." },
	{ "password invalid utf-8", PASS_REQ, "secret\xff", 0, 0, NULL, 0,
	    ECHO_NONE, "Password is not one we can accept." },
	{ "password absent", PASS_REQ, NULL, 0, 0, NULL, 0, ECHO_NONE,
	    "Please enter your password." },
	{ "password empty", PASS_REQ, "", 0, 0, NULL, 0, ECHO_NONE,
	    "Please enter your password." },
	{ "password default max 1024", PASS_DEF, X1024, 1, 1, X1024, 0, ECHO_NONE,
	    NULL },
	{ "password default max 1025", PASS_DEF, X1024 "x", 0, 0, NULL, 0, ECHO_NONE,
	    "not one we can accept" },

	/* CHECKBOX */
	{ "checkbox yes", CHECK_REQ, "yes", 1, 1, "1", 0, ECHO_RAW, NULL },
	{ "checkbox on", CHECK_REQ, "on", 1, 1, "1", 0, ECHO_RAW, NULL },
	{ "checkbox absent", CHECK_REQ, NULL, 0, 0, NULL, 0, ECHO_RAW,
	    "Please tick the box." },
	{ "checkbox empty", CHECK_REQ, "", 0, 0, NULL, 0, ECHO_RAW,
	    "Please tick the box." },
	{ "checkbox optional absent", CHECK_OPT, NULL, 1, 0, "", 0, ECHO_RAW, NULL },
	{ "checkbox optional ticked", CHECK_OPT, "1", 1, 1, "1", 0, ECHO_RAW, NULL },

	/* UINT */
	{ "uint 0", UINT_OPT, "0", 1, 1, "0", 0, ECHO_RAW, NULL },
	{ "uint 7", UINT_OPT, "7", 1, 1, "7", 7, ECHO_RAW, NULL },
	{ "uint leading zeros", UINT_OPT, "007", 1, 1, "007", 7, ECHO_RAW, NULL },
	{ "uint max", UINT_OPT, "1000", 1, 1, "1000", 1000, ECHO_RAW, NULL },
	{ "uint max+1", UINT_OPT, "1001", 0, 0, NULL, 0, ECHO_RAW,
	    "Page must be a whole number from 0 to 1000." },
	{ "uint plus sign", UINT_OPT, "+5", 0, 0, NULL, 0, ECHO_RAW,
	    "from 0 to 1000" },
	{ "uint minus", UINT_OPT, "-1", 0, 0, NULL, 0, ECHO_RAW, "from 0 to 1000" },
	{ "uint minus zero", UINT_OPT, "-0", 0, 0, NULL, 0, ECHO_RAW,
	    "from 0 to 1000" },
	{ "uint leading space", UINT_OPT, " 5", 0, 0, NULL, 0, ECHO_RAW,
	    "from 0 to 1000" },
	{ "uint trailing space", UINT_OPT, "5 ", 0, 0, NULL, 0, ECHO_RAW,
	    "from 0 to 1000" },
	{ "uint trailing junk", UINT_OPT, "5x", 0, 0, NULL, 0, ECHO_RAW,
	    "from 0 to 1000" },
	{ "uint hex", UINT_OPT, "0x10", 0, 0, NULL, 0, ECHO_RAW, "from 0 to 1000" },
	{ "uint exponent", UINT_OPT, "1e3", 0, 0, NULL, 0, ECHO_RAW,
	    "from 0 to 1000" },
	{ "uint decimal", UINT_OPT, "3.0", 0, 0, NULL, 0, ECHO_RAW,
	    "from 0 to 1000" },
	{ "uint arabic-indic digit", UINT_OPT, "\xd9\xa3", 0, 0, NULL, 0, ECHO_RAW,
	    "from 0 to 1000" },
	{ "uint UINT64_MAX over max", UINT_OPT, "18446744073709551615", 0, 0, NULL,
	    0, ECHO_RAW, "from 0 to 1000" },
	{ "uint overflow", UINT_OPT, "18446744073709551616", 0, 0, NULL, 0,
	    ECHO_RAW, "from 0 to 1000" },
	{ "uint huge", UINT_OPT, "99999999999999999999999999", 0, 0, NULL, 0,
	    ECHO_RAW, "from 0 to 1000" },
	{ "uint absent", UINT_OPT, NULL, 1, 0, "", 0, ECHO_RAW, NULL },
	{ "uint empty", UINT_OPT, "", 1, 0, "", 0, ECHO_RAW, NULL },
	{ "uint required absent", UINT_REQ, NULL, 0, 0, NULL, 0, ECHO_RAW,
	    "Which page?" },
	{ "uint required 0", UINT_REQ, "0", 1, 1, "0", 0, ECHO_RAW, NULL },
	{ "uint default max", UINT_DEF, "4294967295", 1, 1, "4294967295",
	    UINT32_MAX, ECHO_RAW, NULL },
	{ "uint default max+1", UINT_DEF, "4294967296", 0, 0, NULL, 0, ECHO_RAW,
	    "Number must be a whole number from 0 to 4294967295." },
	{ "uint 64-bit max", UINT_MAX64, "18446744073709551615", 1, 1,
	    "18446744073709551615", UINT64_MAX, ECHO_RAW, NULL },
	{ "uint 64-bit overflow", UINT_MAX64, "18446744073709551616", 0, 0, NULL,
	    0, ECHO_RAW, "whole number" },
};

static void
check_case(const struct fcase *t)
{
	const struct web_field fields[2] = { t->field, { NULL, 0, 0, 0, NULL, NULL, NULL, NULL } };
	const char *fname = t->field.name;
	const char *echo, *err;
	struct fx f;

	fx_init(&f);
	if (t->raw)
		fx_query(&f, fname, t->raw);
	fx_run(&f, fields);

	err = form(&f, "Form.%s.error", fname);
	if (f.nerr != (t->ok ? 0u : 1u))
		fail_msg("'%s': %zu errors, want %d (%s)", t->name, f.nerr, !t->ok,
		    err ? err : "no message");
	if (t->ok) {
		if (err != NULL)
			fail_msg("'%s': unexpected error '%s'", t->name, err);
		if (form(&f, "Form.error_count") || hdf_get_obj(f.hdf, "Form.errors"))
			fail_msg("'%s': error summary without errors", t->name);
		if (f.v[0].present != t->present)
			fail_msg("'%s': present %d, want %d", t->name, f.v[0].present,
			    t->present);
		if (f.v[0].str == NULL || strcmp(f.v[0].str, t->str) != 0)
			fail_msg("'%s': value '%s', want '%s'", t->name,
			    f.v[0].str ? f.v[0].str : "(null)", t->str);
		if (t->field.type == WEB_FT_UINT && f.v[0].num != t->num)
			fail_msg("'%s': number %llu, want %llu", t->name,
			    (unsigned long long)f.v[0].num,
			    (unsigned long long)t->num);
	} else {
		if (err == NULL || strstr(err, t->msg) == NULL)
			fail_msg("'%s': error '%s', want one with '%s'", t->name,
			    err ? err : "(none)", t->msg);
		/* The summary: one entry, the same message, pointing here. */
		if (strcmp(form(&f, "Form.error_count") ?: "", "1") != 0 ||
		    strcmp(form(&f, "Form.errors.0.field") ?: "", fname) != 0 ||
		    strcmp(form(&f, "Form.errors.0.message") ?: "", err) != 0 ||
		    form(&f, "Form.errors.1.field") != NULL)
			fail_msg("'%s': wrong error summary", t->name);
		/* A handler would never see a rejected value. */
		if (f.v[0].present || f.v[0].str == NULL || f.v[0].str[0] != '\0')
			fail_msg("'%s': rejected value handed on", t->name);
	}

	echo = form(&f, "Form.%s.value", fname);
	switch (t->echo) {
	case ECHO_RAW:
		if (echo == NULL || strcmp(echo, t->raw ? t->raw : "") != 0)
			fail_msg("'%s': Form.%s.value is '%s', want the input",
			    t->name, fname, echo ? echo : "(unset)");
		break;
	case ECHO_NONE:
		if (echo != NULL)
			fail_msg("'%s': Form.%s.value echoed '%s'", t->name, fname,
			    echo);
		if (t->raw && t->raw[0] && form_mentions(&f, t->raw))
			fail_msg("'%s': the input appears under Form.*", t->name);
		break;
	case ECHO_ANY:
		break;
	}
	fx_free(&f);
}

static void
test_fields(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(cases); i++)
		check_case(&cases[i]);
}

/* ---- Several fields: order, count and summary ---- */

static const struct web_field signup[] = {
	TEXT_REQ,
	EMAIL_REQ,
	PASS_REQ,
	CHECK_REQ,
	UINT_OPT,
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

static void
test_error_order(void **state)
{
	static const char *const want_fields[] = { "name", "email", "password",
	    "page" };
	struct fx f;

	(void)state;
	fx_init(&f);
	/* name absent, email bad, password too long, consent ok, page bad */
	fx_query(&f, "email", "ada@");
	fx_query(&f, "password", "a very long secret indeed");
	fx_query(&f, "consent", "yes");
	fx_query(&f, "page", "-3");
	fx_run(&f, signup);

	assert_int_equal(f.nerr, 4);
	assert_string_equal(form(&f, "Form.error_count"), "4");
	for (size_t i = 0; i < N(want_fields); i++) {
		const char *field = form(&f, "Form.errors.%zu.field", i);
		const char *msg = form(&f, "Form.errors.%zu.message", i);

		if (field == NULL || strcmp(field, want_fields[i]) != 0)
			fail_msg("error %zu is about '%s', want '%s'", i,
			    field ? field : "(none)", want_fields[i]);
		assert_non_null(msg);
		assert_string_equal(msg, form(&f, "Form.%s.error", want_fields[i]));
	}
	assert_null(form(&f, "Form.errors.4.field"));
	assert_null(form(&f, "Form.consent.error"));
	/* Values line up with the table; rejected ones are empty. */
	for (size_t i = 0; i < 5; i++) {
		int want_present = i == 3;

		assert_int_equal(f.v[i].present, want_present);
		assert_non_null(f.v[i].str);
	}
	assert_string_equal(f.v[3].str, "1");
	assert_string_equal(form(&f, "Form.email.value"), "ada@");
	assert_null(form(&f, "Form.password.value"));
	assert_false(form_mentions(&f, "a very long secret indeed"));
	fx_free(&f);

	/* The same form filled in properly. */
	fx_init(&f);
	fx_query(&f, "name", " Zo\xc3\xab  \xe7\x8e\x8b ");
	fx_query(&f, "email", "Zoe@Example.org");
	fx_query(&f, "password", "hunter2hunter2");
	fx_query(&f, "consent", "yes");
	fx_query(&f, "page", "12");
	fx_run(&f, signup);
	assert_int_equal(f.nerr, 0);
	assert_null(form(&f, "Form.error_count"));
	assert_null(hdf_get_obj(f.hdf, "Form.errors"));
	assert_string_equal(f.v[0].str, "Zo\xc3\xab \xe7\x8e\x8b");
	assert_string_equal(f.v[1].str, "zoe@example.org");
	assert_string_equal(f.v[2].str, "hunter2hunter2");
	assert_string_equal(f.v[3].str, "1");
	assert_true(f.v[4].num == 12);
	for (size_t i = 0; i < 5; i++)
		assert_true(f.v[i].present);
	assert_false(form_mentions(&f, "hunter2hunter2"));
	fx_free(&f);
}

/* Query values that do not belong to the table are ignored. */
static void
test_unknown_and_empty(void **state)
{
	static const struct web_field none[] = { { NULL, 0, 0, 0, NULL, NULL, NULL, NULL } };
	struct fx f;

	(void)state;
	fx_init(&f);
	fx_query(&f, "name", "\xff");
	fx_query(&f, "admin", "1");
	fx_run(&f, none);
	assert_int_equal(f.nerr, 0);
	assert_null(hdf_get_obj(f.hdf, "Form"));
	fx_free(&f);

	/* A route without fields. */
	fx_init(&f);
	fx_query(&f, "page", "-1");
	fx_run(&f, NULL);
	assert_int_equal(f.nerr, 0);
	assert_null(hdf_get_obj(f.hdf, "Form"));
	fx_free(&f);
}

/* A signup filled in as a person would. */
static void
fx_signup(struct fx *f)
{
	fx_query(f, "first_name", "Ada");
	fx_query(f, "last_name", "Lovelace");
	fx_query(f, "email", "ada@example.com");
	fx_query(f, "city", "London");
	fx_query(f, "country", "United Kingdom");
	fx_query(f, "interests", "engineering");
	fx_query(f, "seniority", "lead");
	fx_query(f, "consent", "1");
}

/* The programs' own tables, as the e2e tests drive them. */
static void
test_program_tables(void **state)
{
	char *big = malloc(10241);
	struct fx f;

	(void)state;
	assert_non_null(big);
	memset(big, 'A', 10240);
	big[10240] = '\0';

	/* The signup: a 10 kB name is a name error, nothing else. */
	family_ids[0] = "engineering";
	family_ids[1] = "data";
	family_ids[2] = NULL;
	fx_init(&f);
	fx_signup(&f);
	fx_query(&f, "first_name", big);
	fx_run(&f, join_fields);
	assert_int_equal(f.nerr, 1);
	assert_string_equal(form(&f, "Form.errors.0.field"), "first_name");
	assert_non_null(strstr(form(&f, "Form.first_name.error"), "name"));
	assert_null(form(&f, "Form.email.error"));
	assert_string_equal(f.v[JOIN_EMAIL].str, "ada@example.com");
	fx_free(&f);

	/* The signup without consent: the box is required. */
	fx_init(&f);
	fx_signup(&f);
	fx_query(&f, "consent", "");
	fx_query(&f, "email", " ADA@example.com ");
	fx_run(&f, join_fields);
	assert_int_equal(f.nerr, 1);
	assert_string_equal(form(&f, "Form.errors.0.field"), "consent");
	assert_false(f.v[JOIN_CONSENT].present);
	fx_free(&f);

	/* Several interests, as ClearSilver keeps a repeated name: children
	 * 0, 1, ... under the last value. Ticked ones are kept for the form. */
	fx_init(&f);
	fx_signup(&f);
	fx_query(&f, "interests", "data");
	fx_query(&f, "interests.0", "engineering");
	fx_query(&f, "interests.1", "data");
	fx_run(&f, join_fields);
	assert_int_equal(f.nerr, 0);
	assert_int_equal(f.v[JOIN_INTERESTS].count, 2);
	assert_string_equal(f.v[JOIN_INTERESTS].list[0], "engineering");
	assert_string_equal(f.v[JOIN_INTERESTS].list[1], "data");
	assert_string_equal(form(&f, "Form.interests.checked.data"), "1");
	fx_free(&f);

	/* A choice that is not offered, a seniority that does not exist, a
	 * phone and a URL of the wrong shape: each its own error, in order. */
	fx_init(&f);
	fx_signup(&f);
	fx_query(&f, "phone", "call me");
	fx_query(&f, "interests", "astrology");
	fx_query(&f, "seniority", "guru");
	fx_query(&f, "url", "javascript:alert(1)");
	fx_run(&f, join_fields);
	assert_int_equal(f.nerr, 4);
	assert_string_equal(form(&f, "Form.errors.0.field"), "phone");
	assert_string_equal(form(&f, "Form.errors.1.field"), "interests");
	assert_string_equal(form(&f, "Form.errors.2.field"), "seniority");
	assert_string_equal(form(&f, "Form.errors.3.field"), "url");
	assert_null(form(&f, "Form.interests.checked.astrology"));
	fx_free(&f);

	/* Login: the password is never echoed, even with the email wrong. */
	fx_init(&f);
	fx_query(&f, "email", "not an address");
	fx_query(&f, "password", "s3cret-Passw0rd");
	fx_run(&f, login_fields);
	assert_int_equal(f.nerr, 1);
	assert_string_equal(form(&f, "Form.errors.0.field"), "email");
	assert_null(form(&f, "Form.password.value"));
	assert_false(form_mentions(&f, "s3cret-Passw0rd"));
	fx_free(&f);

	/* The candidate list's page number. */
	fx_init(&f);
	fx_query(&f, "page", "1000000");
	fx_run(&f, list_fields);
	assert_int_equal(f.nerr, 0);
	assert_true(f.v[LIST_PAGE].num == 1000000);
	fx_free(&f);
	fx_init(&f);
	fx_query(&f, "page", "1000001");
	fx_run(&f, list_fields);
	assert_int_equal(f.nerr, 1);
	fx_free(&f);
	free(big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_error_order),
		cmocka_unit_test(test_unknown_and_empty),
		cmocka_unit_test(test_program_tables),
	};

	return cmocka_run_group_tests_name("form", tests, NULL, NULL);
}
