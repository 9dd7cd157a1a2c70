/* filter.c: the candidate filter form, read into a query and written back */
#include <ClearSilver.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cgi-bin/office/office.h"
#include "crm/bulk.h"
#include "crm/community.h"
#include "crm/index.h"
#include "crm/pool.h"
#include "util/he.h"
#include "util/neo.h"

static const char *const consent_states[] = {
	"confirmed", "pending", "withdrawn", "expired", "none", NULL,
};
/* "me", "none", or a user's number. */
static const char *
owner_check(const char *v)
{
	if (strcmp(v, "me") == 0 || strcmp(v, "none") == 0 ||
	    (strspn(v, "0123456789") == strlen(v) && strlen(v) < 12 && v[0] != '0'))
		return NULL;
	return "Please choose an owner from the list.";
}

/* A date as <input type=date> sends it. */
static const char *
date_check(const char *v)
{
	struct tm tm = { 0 };
	const char *end = strlen(v) == 10 && v[4] == '-' && v[7] == '-' &&
	    strspn(v, "0123456789") == 4 && strspn(v + 5, "0123456789") == 2 &&
	    strspn(v + 8, "0123456789") == 2 ? strptime(v, "%Y-%m-%d", &tm) : NULL;

	return end && *end == 0 && tm.tm_year >= 70 && tm.tm_year < 200 ? NULL :
	    "Please give the date as year-month-day, for example 2026-01-31.";
}

#define FILTER_MULTI(n, label, ch, fl) { n, WEB_FT_MULTI, fl, QUERY_VALUE_MAX, \
	label, NULL, ch, NULL }

#define FILTER_FIELDS(fl) \
	[FILTER_PAGE] = { "page", WEB_FT_UINT, fl, 1000000, "Page", NULL, NULL, NULL }, \
	[FILTER_Q] = { "q", WEB_FT_TEXT, fl, QUERY_TEXT_MAX, "Search", NULL, NULL, NULL }, \
	[FILTER_TAGS_ALL] = { "tags_all", WEB_FT_TEXT, fl, 600, "Tags (all of)", \
	    NULL, NULL, NULL }, \
	[FILTER_TAGS_ANY] = { "tags_any", WEB_FT_TEXT, fl, 600, "Tags (any of)", \
	    NULL, NULL, NULL }, \
	[FILTER_TAGS_NONE] = { "tags_none", WEB_FT_TEXT, fl, 600, "Tags (none of)", \
	    NULL, NULL, NULL }, \
	[FILTER_STATUS] = FILTER_MULTI("status", "Status", cand_statuses, fl), \
	[FILTER_SOURCE] = FILTER_MULTI("source", "Source", NULL, fl), \
	[FILTER_SENIORITY] = FILTER_MULTI("seniority", "Seniority", comm_seniorities, fl), \
	[FILTER_INTEREST] = FILTER_MULTI("interest", "Role interest", office_families, fl), \
	[FILTER_CONSENT] = FILTER_MULTI("consent", "Consent", consent_states, fl), \
	[FILTER_LEVEL] = FILTER_MULTI("level", "Engagement", cand_levels, fl), \
	[FILTER_POOL] = { "pool", WEB_FT_UINT, fl, UINT32_MAX, "Pool", NULL, NULL, NULL }, \
	[FILTER_CITY] = { "city", WEB_FT_TEXT, fl, QUERY_VALUE_MAX, "City", NULL, \
	    NULL, NULL }, \
	[FILTER_COUNTRY] = { "country", WEB_FT_TEXT, fl, QUERY_VALUE_MAX, "Country", \
	    NULL, NULL, NULL }, \
	[FILTER_REMOTE] = { "remote", WEB_FT_CHECKBOX, fl, 0, "Open to remote work", \
	    NULL, NULL, NULL }, \
	[FILTER_OWNER] = { "owner", WEB_FT_TEXT, fl, 12, "Owner", NULL, NULL, \
	    owner_check }, \
	[FILTER_STALE] = { "stale", WEB_FT_CHECKBOX, fl, 0, "Stale records only", \
	    NULL, NULL, NULL }, \
	[FILTER_AFTER] = { "engaged_after", WEB_FT_TEXT, fl, 10, \
	    "Last engaged on or after", NULL, NULL, date_check }, \
	[FILTER_BEFORE] = { "engaged_before", WEB_FT_TEXT, fl, 10, \
	    "Last engaged on or before", NULL, NULL, date_check }, \
	[FILTER_SORT] = { "sort", WEB_FT_CHOICE, fl, 0, "Sort by", NULL, \
	    cand_sort_names, NULL },

const struct web_field filter_fields[] = {
	FILTER_FIELDS(0)
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

/* Saving a filter as a dynamic pool: the filter and the pool's name. */
const struct web_field pool_save_fields[] = {
	FILTER_FIELDS(WEB_FF_HIDDEN)
	[FILTER__MAX] = { "name", WEB_FT_TEXT, WEB_FF_REQUIRED, POOL_NAME_MAX,
	    "Pool name", "Please give the pool a name.", NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

/* Bulk actions (page_bulk.c): the filter, then what to do and to whom. */
const struct web_field bulk_fields[] = {
	FILTER_FIELDS(WEB_FF_HIDDEN)
	BULK_FIELDS(0)
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};
const struct web_field bulk_delete_fields[] = {
	FILTER_FIELDS(WEB_FF_HIDDEN)
	BULK_FIELDS(WEB_FF_HIDDEN)
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

/* Enrolling everyone the filter matches in a campaign (page_campaign_view.c). */
const struct web_field camp_enrol_filter_fields[] = {
	FILTER_FIELDS(WEB_FF_HIDDEN)
	[FILTER__MAX] = { "camp", WEB_FT_UINT, WEB_FF_REQUIRED, UINT32_MAX,
	    "Campaign", "Please choose a campaign.", NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

static int64_t
unix_day(const char *ymd)
{
	struct tm tm = { 0 };

	strptime(ymd, "%Y-%m-%d", &tm);
	return (int64_t)timegm(&tm) / 86400;
}

/* "a, b, c" into normalised tags; a field error for one that is not. */
static int
tags_of(struct web_req *req, const char *field, const char *text,
    struct query_list *l)
{
	char *copy = strdup(text), *save = NULL;

	if (copy == NULL)
		return HE_NOMEM;
	for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		char tag[CAND_TAG_SIZE], msg[200];

		if (strspn(t, " ") == strlen(t))
			continue;
		if (cand_tag_normalise(t, tag) != HE_OK || strlen(tag) > QUERY_VALUE_MAX) {
			snprintf(msg, sizeof msg, "\"%.40s\" is not a tag: tags are up to "
			    "40 characters, separated by commas.", t);
			web_form_error(req, field, msg);
			free(copy);
			return HE_INVALID;
		}
		if (l->n == QUERY_LIST_MAX) {
			web_form_error(req, field, "Please filter on at most 16 tags.");
			free(copy);
			return HE_INVALID;
		}
		memcpy(l->v[l->n++], tag, strlen(tag) + 1);	/* length checked */
	}
	free(copy);
	return HE_OK;
}

static void
list_of(const struct web_value *v, struct query_list *l)
{
	for (size_t i = 0; i < v->count && l->n < QUERY_LIST_MAX; i++)
		if (strlen(v->list[i]) <= QUERY_VALUE_MAX)
			snprintf(l->v[l->n++], sizeof l->v[0], "%s", v->list[i]);
}

int
filter_read(struct web_req *req, const struct web_value *v, struct cand_query *q,
    enum cand_sort *sort)
{
	struct office *o = req->ctx;
	char err[200];
	int rc = HE_OK;

	cand_query_init(q);
	snprintf(q->text, sizeof q->text, "%s", v[FILTER_Q].str);
	if (cand_query_parse(o->st, q, err, sizeof err) != HE_OK) {
		web_form_error(req, "q", err);
		rc = HE_INVALID;
	}
	if (tags_of(req, "tags_all", v[FILTER_TAGS_ALL].str, &q->tags_all) != HE_OK ||
	    tags_of(req, "tags_any", v[FILTER_TAGS_ANY].str, &q->tags_any) != HE_OK ||
	    tags_of(req, "tags_none", v[FILTER_TAGS_NONE].str, &q->tags_none) != HE_OK)
		rc = HE_INVALID;
	list_of(&v[FILTER_STATUS], &q->status);
	list_of(&v[FILTER_SOURCE], &q->source);
	list_of(&v[FILTER_SENIORITY], &q->seniority);
	list_of(&v[FILTER_INTEREST], &q->interest);
	list_of(&v[FILTER_CONSENT], &q->consent);
	list_of(&v[FILTER_LEVEL], &q->level);
	q->pool = v[FILTER_POOL].present ? v[FILTER_POOL].num : 0;
	snprintf(q->city, sizeof q->city, "%s", v[FILTER_CITY].str);
	snprintf(q->country, sizeof q->country, "%s", v[FILTER_COUNTRY].str);
	q->remote = v[FILTER_REMOTE].present;
	q->stale = v[FILTER_STALE].present;
	if (v[FILTER_OWNER].present)
		q->owner = strcmp(v[FILTER_OWNER].str, "none") == 0 ? 0 :
		    strcmp(v[FILTER_OWNER].str, "me") == 0 ? (int64_t)req->user->id :
		    strtoll(v[FILTER_OWNER].str, NULL, 10);
	if (v[FILTER_AFTER].present)
		q->engaged_after = unix_day(v[FILTER_AFTER].str);
	if (v[FILTER_BEFORE].present)
		q->engaged_before = unix_day(v[FILTER_BEFORE].str);
	if (q->engaged_after && q->engaged_before &&
	    q->engaged_after > q->engaged_before) {
		web_form_error(req, "engaged_before", "The end date is before the "
		    "start date: please swap them.");
		rc = HE_INVALID;
	}
	*sort = SORT_NEWEST;
	for (int s = 0; v[FILTER_SORT].present && s < SORT__MAX; s++)
		if (strcmp(v[FILTER_SORT].str, cand_sort_names[s]) == 0)
			*sort = (enum cand_sort)s;
	return rc;
}

/* Appends name=value, URL-escaped, to the query string being built. */
static void
qs_add(STRING *qs, const char *name, const char *value)
{
	char *esc = NULL;

	if (neo_consume(cgi_url_escape(value, &esc), "url escape") != HE_OK)
		return;
	neo_consume(string_appendf(qs, "%s%s=%s", qs->len ? "&" : "", name, esc),
	    "query string");
	free(esc);
}

/* Whether value is one of the values given for a multiple choice. */
static int
given(const struct web_value *v, const char *value)
{
	for (size_t i = 0; i < v->count; i++)
		if (strcmp(v->list[i], value) == 0)
			return 1;
	return 0;
}

static void
choice(struct web_req *req, const char *field, size_t i, const char *value,
    const char *label, int checked)
{
	char name[96];

	snprintf(name, sizeof name, "Page.choice.%s.%zu.value", field, i);
	web_set(req, name, value);
	snprintf(name, sizeof name, "Page.choice.%s.%zu.label", field, i);
	web_set(req, name, label);
	if (checked) {
		snprintf(name, sizeof name, "Page.choice.%s.%zu.checked", field, i);
		web_set(req, name, "1");
	}
}

static void
choices(struct web_req *req, const struct web_value *v, int f,
    const char *const *values)
{
	char label[QUERY_VALUE_MAX + 1];

	for (size_t i = 0; values[i]; i++) {
		snprintf(label, sizeof label, "%s", values[i]);
		label[0] = (char)(label[0] >= 'a' && label[0] <= 'z' ?
		    label[0] - 'a' + 'A' : label[0]);
		for (char *p = label; *p; p++)
			if (*p == '_')
				*p = ' ';
		choice(req, filter_fields[f].name, i, values[i], label,
		    given(&v[f], values[i]));
	}
}

struct sources {
	struct web_req *req;
	const struct web_value *v;
	size_t n;
};

static int
source_value(const char *value, uint64_t count, void *ctx)
{
	struct sources *s = ctx;
	char label[QUERY_VALUE_MAX + 32];

	(void)count;
	snprintf(label, sizeof label, "%s", value);
	choice(s->req, "source", s->n++, value, label, given(s->v, value));
	return HE_OK;
}

/* The owner select: me, nobody, then every active user by email. */
static void
owners(struct web_req *req, const char *given_owner)
{
	struct office *o = req->ctx;
	struct auth_user_info *users;
	size_t n, k = 0;
	char name[64], id[24];

	if (auth_user_list(o->st, &users, &n) != HE_OK)
		return;
	for (size_t i = 0; i < n; i++) {
		if (users[i].disabled || users[i].id == req->user->id)
			continue;
		snprintf(id, sizeof id, "%llu", (unsigned long long)users[i].id);
		snprintf(name, sizeof name, "Page.owners.%zu.id", k);
		web_set(req, name, id);
		snprintf(name, sizeof name, "Page.owners.%zu.email", k);
		web_set(req, name, users[i].email);
		if (strcmp(given_owner, id) == 0) {
			snprintf(name, sizeof name, "Page.owners.%zu.selected", k);
			web_set(req, name, "1");
		}
		k++;
	}
	free(users);
}

void
filter_choices(struct web_req *req, const struct web_value *v)
{
	struct office *o = req->ctx;
	struct sources s = { req, &v[FILTER_SOURCE], 0 };
	size_t i = 0;

	choices(req, v, FILTER_STATUS, cand_statuses);
	choices(req, v, FILTER_SENIORITY, comm_seniorities);
	choices(req, v, FILTER_CONSENT, consent_states);
	choices(req, v, FILTER_LEVEL, cand_levels);
	for (HDF *h = hdf_get_child(req->conf, "Site.JobFamilies"); h;
	    h = hdf_obj_next(h), i++)
		choice(req, "interest", i, hdf_obj_name(h), hdf_obj_value(h),
		    given(&v[FILTER_INTEREST], hdf_obj_name(h)));
	cand_facet_values(o->st, "src", 50, 0, source_value, &s);
	owners(req, v[FILTER_OWNER].present ? v[FILTER_OWNER].str : "");
}

void
filter_echo(struct web_req *req, const struct web_value *v, int with_sort)
{
	STRING qs;
	size_t hidden = 0;
	char name[96];

	string_init(&qs);
	for (int f = FILTER_Q; f < FILTER__MAX; f++) {
		const struct web_field *fd = &filter_fields[f];

		if (!v[f].present || (f == FILTER_SORT && !with_sort))
			continue;
		if (fd->type == WEB_FT_MULTI) {
			for (size_t i = 0; i < v[f].count; i++) {
				qs_add(&qs, fd->name, v[f].list[i]);
				snprintf(name, sizeof name, "Page.hidden.%zu.name", hidden);
				web_set(req, name, fd->name);
				snprintf(name, sizeof name, "Page.hidden.%zu.value", hidden++);
				web_set(req, name, v[f].list[i]);
			}
			continue;
		}
		const char *value = fd->type == WEB_FT_CHECKBOX ? "1" : v[f].str;
		char num[24];

		if (fd->type == WEB_FT_UINT) {
			snprintf(num, sizeof num, "%llu", (unsigned long long)v[f].num);
			value = num;
		}
		snprintf(name, sizeof name, "Form.%s.value", fd->name);
		web_set(req, name, value);
		qs_add(&qs, fd->name, value);
		if (f == FILTER_SORT)
			continue;
		snprintf(name, sizeof name, "Page.hidden.%zu.name", hidden);
		web_set(req, name, fd->name);
		snprintf(name, sizeof name, "Page.hidden.%zu.value", hidden++);
		web_set(req, name, value);
	}
	web_set(req, "Page.qs", qs.buf ? qs.buf : "");
	string_clear(&qs);
}
