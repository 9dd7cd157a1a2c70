/* page_audit.c: the audit log for admins: filters, newest first, in pages */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cgi-bin/office/office.h"
#include "util/he.h"

#define PER_PAGE 50
#define DAY_US (86400LL * 1000000)

/* A day as YYYY-MM-DD: its first microsecond (UTC) in *us; -1 if not one. */
static int
parse_day(const char *s, int64_t *us)
{
	struct tm tm = { 0 };
	const char *end;
	time_t t;
	char back[16];

	if (strlen(s) != 10 || (end = strptime(s, "%Y-%m-%d", &tm)) == NULL ||
	    *end != '\0')
		return -1;
	t = timegm(&tm);
	/* 2026-02-31 parses; it is not a day. */
	strftime(back, sizeof back, "%Y-%m-%d", gmtime_r(&t, &tm));
	if (strcmp(back, s) != 0)
		return -1;
	*us = (int64_t)t * 1000000;
	return 0;
}

static const char *
check_day(const char *value)
{
	int64_t us;

	return parse_day(value, &us) == 0 ? NULL : "Please write the date as "
	    "year-month-day, like 2026-11-22.";
}

const struct web_field audit_fields[] = {
	[AUD_USER] = { "user", WEB_FT_UINT, 0, 0, "User", NULL, NULL, NULL },
	[AUD_ACTION] = { "action", WEB_FT_CHOICE, 0, 0, "Action", NULL,
	    audit_actions, NULL },
	[AUD_CAND] = { "cand", WEB_FT_UINT, 0, 0, "Candidate number", NULL, NULL,
	    NULL },
	[AUD_FROM] = { "from", WEB_FT_TEXT, 0, 10, "From", NULL, NULL, check_day },
	[AUD_TO] = { "to", WEB_FT_TEXT, 0, 10, "To", NULL, NULL, check_day },
	[AUD_PAGE] = { "page", WEB_FT_UINT, 0, 1000000, "Page", NULL, NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

/* The choices of the filter form: every user, every action. */
static void
set_choices(struct web_req *req)
{
	struct office *o = req->ctx;
	struct auth_user_info *users;
	char name[64];
	size_t n;

	if (auth_user_list(o->st, &users, &n) == HE_OK) {
		for (size_t i = 0; i < n; i++) {
			snprintf(name, sizeof name, "Page.users.%zu.id", i);
			web_set_int(req, name, (long long)users[i].id);
			snprintf(name, sizeof name, "Page.users.%zu.email", i);
			web_set(req, name, users[i].email);
		}
		free(users);
	}
	for (size_t i = 0; audit_actions[i]; i++) {
		snprintf(name, sizeof name, "Page.actions.%zu", i);
		web_set(req, name, audit_actions[i]);
	}
}

void
audit_check(struct web_req *req, const struct web_value *v)
{
	int64_t from, to;

	set_choices(req);
	if (v[AUD_FROM].present && v[AUD_TO].present &&
	    parse_day(v[AUD_FROM].str, &from) == 0 &&
	    parse_day(v[AUD_TO].str, &to) == 0 && to < from)
		web_form_error(req, "to", "The end date is before the start date.");
}

/* The filter in force as a query string, for the pages' links (values
 * are digits, action names and dates, checked by the field table:
 * nothing to escape). */
static void
filter_query(const struct web_value *v, char *buf, size_t size)
{
	static const char *const names[] = {
		[AUD_USER] = "user", [AUD_ACTION] = "action", [AUD_CAND] = "cand",
		[AUD_FROM] = "from", [AUD_TO] = "to",
	};
	size_t len = 0;

	buf[0] = '\0';
	for (int i = AUD_USER; i <= AUD_TO; i++) {
		if (!v[i].present)
			continue;
		snprintf(buf + len, size - len, "%s%s=%s", len ? "&" : "", names[i],
		    v[i].str);
		len = strlen(buf);
	}
}

/* An entry's detail as one line of text: "key: value; key: a, b". */
static void
detail_text(json_t *detail, char *buf, size_t size)
{
	const char *k;
	json_t *v;
	size_t len = 0;

	buf[0] = '\0';
	json_object_foreach(detail, k, v) {
		char val[256] = "";

		/* A shortlisting's reasons are shown whole (set_explain). */
		if (strcmp(k, "explain") == 0 && json_is_object(v))
			continue;
		if (json_is_string(v)) {
			snprintf(val, sizeof val, "%s", json_string_value(v));
		} else if (json_is_integer(v)) {
			snprintf(val, sizeof val, "%lld", (long long)json_integer_value(v));
		} else if (json_is_boolean(v)) {
			snprintf(val, sizeof val, "%s", json_is_true(v) ? "yes" : "no");
		} else if (json_is_array(v)) {
			size_t i;
			json_t *x;

			json_array_foreach(v, i, x) {
				size_t l = strlen(val);

				if (json_is_string(x))
					snprintf(val + l, sizeof val - l, "%s%s", i ? ", " : "",
					    json_string_value(x));
				else if (json_is_integer(x))
					snprintf(val + l, sizeof val - l, "%s%lld", i ? ", " : "",
					    (long long)json_integer_value(x));
			}
		} else {
			char *dump = json_dumps(v, JSON_COMPACT);

			snprintf(val, sizeof val, "%s", dump ? dump : "");
			free(dump);
		}
		snprintf(buf + len, size - len, "%s%s: %s", len ? "; " : "", k, val);
		len = strlen(buf);
	}
}

/* The reasons kept with a shortlisting (match_explain's), as they were
 * shown: Page.entries.N.explain.{score,parts.M.*}. */
static void
set_explain(struct web_req *req, size_t i, json_t *ex)
{
	char name[96];
	size_t j;
	json_t *p;

	if (!json_is_object(ex))
		return;
	snprintf(name, sizeof name, "Page.entries.%zu.explain.score", i);
	web_set_int(req, name, json_integer_value(json_object_get(ex, "score")));
	json_array_foreach(json_object_get(ex, "parts"), j, p) {
		snprintf(name, sizeof name, "Page.entries.%zu.explain.parts.%zu", i, j);
		office_set_fields(req, name, p);
	}
}

static void
set_entry(struct web_req *req, size_t i, json_t *e)
{
	char name[64], buf[1024];
	int64_t at = (int64_t)json_integer_value(json_object_get(e, "at"));
	time_t t = (time_t)(at / 1000000);
	const char *email = json_string_value(json_object_get(e, "user_email"));
	json_int_t cand = json_integer_value(json_object_get(e, "cand"));
	struct tm tm;

	gmtime_r(&t, &tm);
	snprintf(name, sizeof name, "Page.entries.%zu.when", i);
	strftime(buf, sizeof buf, "%d %b %Y, %H:%M:%S UTC", &tm);
	web_set(req, name, buf);
	snprintf(name, sizeof name, "Page.entries.%zu.when_iso", i);
	strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
	web_set(req, name, buf);
	snprintf(name, sizeof name, "Page.entries.%zu.user", i);
	web_set(req, name, email ? email : "");
	snprintf(name, sizeof name, "Page.entries.%zu.ip", i);
	web_set(req, name, json_string_value(json_object_get(e, "ip")));
	snprintf(name, sizeof name, "Page.entries.%zu.action", i);
	web_set(req, name, json_string_value(json_object_get(e, "action")));
	if (cand > 0) {
		snprintf(name, sizeof name, "Page.entries.%zu.cand", i);
		web_set_int(req, name, (long long)cand);
	}
	detail_text(json_object_get(e, "detail"), buf, sizeof buf);
	snprintf(name, sizeof name, "Page.entries.%zu.detail", i);
	web_set(req, name, buf);
	set_explain(req, i, json_object_get(json_object_get(e, "detail"),
	    "explain"));
}

void
page_audit(struct web_req *req)
{
	struct office *o = req->ctx;
	const struct web_value *v = req->v;
	struct audit_filter f = { 0 };
	size_t page = v[AUD_PAGE].present && v[AUD_PAGE].num ? v[AUD_PAGE].num : 1;
	char query[256], when[64];
	int64_t day, stopped;
	json_t *rows, *row;
	size_t i;
	int more, rc;

	f.user = v[AUD_USER].present ? v[AUD_USER].num : 0;
	f.action = v[AUD_ACTION].present ? v[AUD_ACTION].str : NULL;
	f.cand = v[AUD_CAND].present ? v[AUD_CAND].num : 0;
	if (v[AUD_FROM].present && parse_day(v[AUD_FROM].str, &day) == 0)
		f.from_us = day;
	if (v[AUD_TO].present && parse_day(v[AUD_TO].str, &day) == 0)
		f.to_us = day + DAY_US;	/* the whole of the last day */
	rc = audit_list(o->st, &f, (page - 1) * PER_PAGE, PER_PAGE, &rows, &more,
	    &stopped);
	if (rc != HE_OK) {
		web_fail(req, rc);
		return;
	}
	json_array_foreach(rows, i, row)
		set_entry(req, i, row);
	web_set_int(req, "Page.count", (long long)json_array_size(rows));
	json_decref(rows);
	filter_query(v, query, sizeof query);
	web_set(req, "Page.query", query);
	web_set_int(req, "Page.page", (long long)page);
	if (page > 1)
		web_set_int(req, "Page.prev", (long long)(page - 1));
	if (more)
		web_set_int(req, "Page.next", (long long)(page + 1));
	if (stopped > 0) {
		time_t t = (time_t)(stopped / 1000000);
		struct tm tm;

		strftime(when, sizeof when, "%d %b %Y, %H:%M UTC", gmtime_r(&t, &tm));
		web_set(req, "Page.stopped", when);
	}
	web_render(req, 200, "office/audit.cs");
}
