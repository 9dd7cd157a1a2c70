/* form.c: typed field tables; handlers only ever see validated values */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/he.h"
#include "util/text.h"
#include "web/web_int.h"

/* Defaults when a field leaves max at 0. */
static const uint64_t default_max[WEB_FT__MAX] = {
	[WEB_FT_TEXT] = 200,
	[WEB_FT_EMAIL] = 254,
	[WEB_FT_PASSWORD] = 1024,
	[WEB_FT_CHECKBOX] = 0,
	[WEB_FT_UINT] = UINT32_MAX,
	[WEB_FT_CHOICE] = 64,
	[WEB_FT_MULTI] = 200,
	[WEB_FT_FILE] = 0,
	[WEB_FT_LONGTEXT] = 4000,
};

/* Most values a WEB_FT_MULTI field takes. */
#define MULTI_MAX 64

struct field_check {
	char message[256];
	char *owned;		/* cleaned copy, freed with the request */
	const char **list;	/* WEB_FT_MULTI, freed with the request */
};

static int
is_choice(const struct web_field *f, const char *s)
{
	for (const char *const *c = f->choices; c && *c; c++)
		if (strcmp(*c, s) == 0)
			return 1;
	return 0;
}

static int
check_choice(const struct web_field *f, const char *raw, struct web_value *v,
    struct field_check *fc)
{
	if (*raw == '\0')
		return 0;
	if (!is_choice(f, raw)) {
		snprintf(fc->message, sizeof fc->message,
		    "%s: please choose one of the options shown.", f->label);
		return -1;
	}
	v->present = 1;
	v->str = raw;
	return 0;
}

static int
check_text(const struct web_field *f, const char *raw, uint64_t max,
    struct web_value *v, struct field_check *fc)
{
	int rc;

	/* Cheap bound first: no cleaning of megabytes of text (4 bytes per
	 * character at most, and room for white space that folding removes). */
	if (strlen(raw) > max * 4 + 256) {
		snprintf(fc->message, sizeof fc->message,
		    "%s is too long: please keep it under %llu characters.",
		    f->label, (unsigned long long)max);
		return -1;
	}
	rc = text_clean_line(raw, &fc->owned);
	if (rc == HE_INVALID) {
		snprintf(fc->message, sizeof fc->message,
		    "%s contains characters we cannot read. Please type it again "
		    "using letters, digits and punctuation.", f->label);
		return -1;
	}
	if (rc != HE_OK)
		return -2;
	if (fc->owned[0] == '\0') {
		free(fc->owned);
		fc->owned = NULL;
		return 0;
	}
	if (text_chars(fc->owned) > max) {
		snprintf(fc->message, sizeof fc->message,
		    "%s is too long: please keep it under %llu characters.",
		    f->label, (unsigned long long)max);
		return -1;
	}
	v->present = 1;
	v->str = fc->owned;
	return 0;
}

/* Several lines as typed: what a textarea sends, line ends made LF. */
static int
check_longtext(const struct web_field *f, const char *raw, uint64_t max,
    struct web_value *v, struct field_check *fc)
{
	size_t n = strlen(raw), o = 0;
	char *out;

	if (n > max * 4 + 256) {
		snprintf(fc->message, sizeof fc->message,
		    "%s is too long: please keep it under %llu characters.",
		    f->label, (unsigned long long)max);
		return -1;
	}
	if (!text_utf8_valid(raw, n)) {
		snprintf(fc->message, sizeof fc->message,
		    "%s contains characters we cannot read. Please type it again "
		    "using letters, digits and punctuation.", f->label);
		return -1;
	}
	if ((out = malloc(n + 1)) == NULL)
		return -2;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)raw[i];

		if (ch == '\r') {
			if (raw[i + 1] != '\n')
				out[o++] = '\n';
			continue;
		}
		/* C0 and C1 controls but new lines and tabs (as one line's). */
		if ((ch < 0x20 && ch != '\n' && ch != '\t') || ch == 0x7f ||
		    (ch == 0xc2 && (unsigned char)raw[i + 1] >= 0x80 &&
		    (unsigned char)raw[i + 1] <= 0x9f)) {
			free(out);
			snprintf(fc->message, sizeof fc->message,
			    "%s contains characters we cannot read. Please type it "
			    "again using letters, digits and punctuation.", f->label);
			return -1;
		}
		out[o++] = (char)ch;
	}
	while (o > 0 && (out[o - 1] == ' ' || out[o - 1] == '\n' ||
	    out[o - 1] == '\t'))
		o--;
	out[o] = '\0';
	if (o == 0) {
		free(out);
		return 0;
	}
	if (text_chars(out) > max) {
		free(out);
		snprintf(fc->message, sizeof fc->message,
		    "%s is too long: please keep it under %llu characters.",
		    f->label, (unsigned long long)max);
		return -1;
	}
	fc->owned = out;
	v->present = 1;
	v->str = out;
	return 0;
}

static int
check_email(const struct web_field *f, const char *raw, struct web_value *v,
    struct field_check *fc)
{
	const char *p = raw;
	int rc;

	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	if (*p == '\0') {
		v->str = "";
		return 0;
	}
	rc = text_email_normalise(raw, &fc->owned);
	if (rc == HE_INVALID) {
		(void)f;
		snprintf(fc->message, sizeof fc->message,
		    "This does not look like an email address. Please check it: "
		    "it should look like name@example.com.");
		return -1;
	}
	if (rc != HE_OK)
		return -2;
	v->present = 1;
	v->str = fc->owned;
	return 0;
}

static int
check_password(const struct web_field *f, const char *raw, uint64_t max,
    struct web_value *v, struct field_check *fc)
{
	size_t n = strlen(raw);

	if (n > max || !text_utf8_valid(raw, n)) {
		snprintf(fc->message, sizeof fc->message,
		    "%s is not one we can accept. Please type it again.", f->label);
		return -1;
	}
	v->present = n > 0;
	v->str = raw;
	return 0;
}

static int
check_uint(const struct web_field *f, const char *raw, uint64_t max,
    struct web_value *v, struct field_check *fc)
{
	char *end;
	unsigned long long n;

	if (*raw == '\0') {
		v->str = "";
		return 0;
	}
	errno = 0;
	n = strtoull(raw, &end, 10);
	if (raw[0] < '0' || raw[0] > '9' || *end != '\0' || errno || n > max) {
		snprintf(fc->message, sizeof fc->message,
		    "%s must be a whole number from 0 to %llu.", f->label,
		    (unsigned long long)max);
		return -1;
	}
	v->present = 1;
	v->num = n;
	v->str = raw;
	return 0;
}

/* The values sent for one name: ClearSilver keeps a repeated name's
 * values as children 0, 1, ... and a single one as the node's value. */
static int
check_multi(struct web_req *req, const struct web_field *f, uint64_t max,
    struct web_value *v, struct field_check *fc)
{
	char name[128];
	HDF *node, *child;
	size_t n = 0;

	snprintf(name, sizeof name, "Query.%s", f->name);
	node = hdf_get_obj(req->hdf, name);
	child = node ? hdf_obj_child(node) : NULL;
	if ((fc->list = calloc(MULTI_MAX + 1, sizeof *fc->list)) == NULL)
		return -2;
	for (HDF *h = child ? child : node; h; h = child ? hdf_obj_next(h) : NULL) {
		const char *raw = hdf_obj_value(h);
		char *clean;
		int rc;

		if (raw == NULL || *raw == '\0')
			continue;
		if (n == MULTI_MAX) {
			snprintf(fc->message, sizeof fc->message,
			    "%s: please choose at most %d.", f->label, MULTI_MAX);
			return -1;
		}
		if (f->choices ? !is_choice(f, raw) : strlen(raw) > max * 4) {
			snprintf(fc->message, sizeof fc->message,
			    "%s: please choose from the options shown.", f->label);
			return -1;
		}
		if ((rc = text_clean_line(raw, &clean)) != HE_OK) {
			snprintf(fc->message, sizeof fc->message,
			    "%s contains characters we cannot read.", f->label);
			return rc == HE_INVALID ? -1 : -2;
		}
		fc->list[n++] = clean;
	}
	v->list = fc->list;
	v->count = n;
	v->present = n > 0;
	return 0;
}

uint64_t
web_field_max(const struct web_field *f)
{
	return f->max ? f->max : default_max[f->type];
}

static int
check_field(struct web_req *req, const struct web_field *f, const char *raw,
    struct web_value *v, struct field_check *fc)
{
	uint64_t max = web_field_max(f);

	v->str = "";
	switch (f->type) {
	case WEB_FT_TEXT:
		return check_text(f, raw, max, v, fc);
	case WEB_FT_EMAIL:
		return check_email(f, raw, v, fc);
	case WEB_FT_PASSWORD:
		return check_password(f, raw, max, v, fc);
	case WEB_FT_CHECKBOX:
		v->present = raw[0] != '\0';
		v->str = v->present ? "1" : "";
		return 0;
	case WEB_FT_UINT:
		return check_uint(f, raw, max, v, fc);
	case WEB_FT_CHOICE:
		return check_choice(f, raw, v, fc);
	case WEB_FT_MULTI:
		return check_multi(req, f, max, v, fc);
	case WEB_FT_FILE:
		v->present = web_upload_get(req, f->name) != NULL;
		return 0;
	case WEB_FT_LONGTEXT:
		return check_longtext(f, raw, max, v, fc);
	default:
		return -2;
	}
}

static void
free_list(const char **list)
{
	for (size_t i = 0; list && list[i]; i++)
		free((char *)list[i]);
	free(list);
}

/* What the template shows again: the text as typed, when it is readable. */
static void
keep_value(struct web_req *req, const struct web_field *f, const char *raw)
{
	char name[128];

	if (f->type == WEB_FT_PASSWORD || f->type == WEB_FT_FILE ||
	    !text_utf8_valid(raw, strlen(raw)))
		return;
	snprintf(name, sizeof name, "Form.%s.value", f->name);
	web_set(req, name, raw);
}

/* The choices of a multiple field that were ticked, for the template:
 * Form.<name>.checked.<choice> (choices are the site's own names). */
static void
keep_checked(struct web_req *req, const struct web_field *f,
    const struct web_value *v)
{
	char name[192];

	for (size_t i = 0; f->choices && i < v->count; i++) {
		snprintf(name, sizeof name, "Form.%s.checked.%s", f->name, v->list[i]);
		web_set(req, name, "1");
	}
}

static void
report_error(struct web_req *req, const char *field, const char *msg,
    size_t nerr)
{
	char name[128];

	snprintf(name, sizeof name, "Form.%s.error", field);
	web_set(req, name, msg);
	/* The summary at the top of the form links to each field in order. */
	snprintf(name, sizeof name, "Form.errors.%zu.field", nerr);
	web_set(req, name, field);
	snprintf(name, sizeof name, "Form.errors.%zu.message", nerr);
	web_set(req, name, msg);
}

/* Where field sits in the route's table (past the end when it is not). */
static size_t
field_rank(struct web_req *req, const char *field)
{
	const struct web_field *f = req->route ? req->route->fields : NULL;
	size_t i = 0;

	for (; f && f[i].name; i++)
		if (strcmp(f[i].name, field) == 0)
			return i;
	return i;
}

void
web_form_error(struct web_req *req, const char *field, const char *message)
{
	size_t nerr = (size_t)hdf_get_int_value(req->hdf, "Form.error_count", 0);
	size_t at = nerr, rank = field_rank(req, field);
	char name[64];

	/* Moves the errors of later fields one place down, then writes this
	 * one in the gap. */
	while (at > 0) {
		const char *f, *m;

		snprintf(name, sizeof name, "Form.errors.%zu.field", at - 1);
		f = hdf_get_value(req->hdf, name, "");
		if (field_rank(req, f) <= rank)
			break;
		snprintf(name, sizeof name, "Form.errors.%zu.message", at - 1);
		m = hdf_get_value(req->hdf, name, "");
		report_error(req, f, m, at);
		at--;
	}
	report_error(req, field, message, at);
	web_set_int(req, "Form.error_count", (long long)nerr + 1);
}

size_t
web_form_validate(struct web_req *req, const struct web_field *fields,
    struct web_value **values)
{
	size_t n = 0, nerr = 0;

	while (fields && fields[n].name)
		n++;
	*values = calloc(n ? n : 1, sizeof **values);
	if (*values == NULL) {
		report_error(req, fields[0].name, "We could not read the form. Please "
		    "try again.", nerr);
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		const struct web_field *f = &fields[i];
		struct web_value *v = &(*values)[i];
		struct field_check fc = { "", NULL, NULL };
		char name[128];
		const char *raw;
		int r;

		snprintf(name, sizeof name, "Query.%s", f->name);
		raw = hdf_get_value(req->hdf, name, "");
		keep_value(req, f, raw);
		r = check_field(req, f, raw, v, &fc);
		if (r == 0 && v->present && f->check && v->str[0]) {
			const char *msg = f->check(v->str);

			if (msg) {
				snprintf(fc.message, sizeof fc.message, "%s", msg);
				r = -1;
			}
		}
		if (r == 0 && f->type == WEB_FT_MULTI)
			keep_checked(req, f, v);
		if (r == 0 && (f->flags & WEB_FF_REQUIRED) && !v->present) {
			snprintf(fc.message, sizeof fc.message, "%s",
			    f->missing ? f->missing : "Please fill in this field.");
			r = -1;
		}
		if (r == -2)
			snprintf(fc.message, sizeof fc.message,
			    "We could not read this field. Please try again.");
		if (r != 0) {
			report_error(req, f->name, fc.message, nerr++);
			free(fc.owned);
			free_list(fc.list);
			v->str = "";
			v->list = NULL;
			v->count = 0;
			v->present = 0;
			continue;
		}
		/* The value lives as long as the request: hand it to the array. */
		if (fc.owned)
			v->str = fc.owned;
	}
	if (nerr)
		web_set_int(req, "Form.error_count", (long long)nerr);
	return nerr;
}

void
web_form_free(const struct web_field *fields, struct web_value *values)
{
	for (size_t i = 0; values && fields && fields[i].name; i++) {
		if (fields[i].type == WEB_FT_TEXT || fields[i].type == WEB_FT_EMAIL ||
		    fields[i].type == WEB_FT_LONGTEXT)
			if (values[i].str && values[i].str[0])
				free((char *)values[i].str);
		free_list(values[i].list);
	}
	free(values);
}
