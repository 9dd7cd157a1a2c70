/* ws_c_standins.c: minimal local stand-ins for what workstreams U, S and E own,
 * each compiled only while its real header is not in the tree. Delete with
 * ws_c_standins.h once all of them are merged. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm/ws_c_standins.h"
#include "store/entities.h"
#include "store/store.h"
#include "util/he.h"

#ifdef WS_C_STANDIN_MERGE
static const char *const standin_fields[] = { "first_name", "last_name", "name",
	"email", "city", "country", "seniority", "interests", "skills", "title",
	"owner_name", "owner_signature", "site_name", "prefs_url",
	"unsubscribe_url", NULL };

/* Only what validation needs: {{field}} / {{field|x}} of a known field,
 * {{#if f}} {{#unless f}} {{else}} {{/if}} {{/unless}} balanced. */
int
merge_parse(const char *src, size_t len, struct merge_tmpl **out, char *err,
    size_t errlen)
{
	const char *p = src, *end = src + len;
	int depth = 0, line = 1;

	*out = NULL;
	while (p < end) {
		const char *q, *name;
		size_t n;

		if (*p == '\n')
			line++;
		if (p + 1 >= end || p[0] != '{' || p[1] != '{') {
			p++;
			continue;
		}
		q = memmem(p + 2, (size_t)(end - p - 2), "}}", 2);
		if (q == NULL) {
			snprintf(err, errlen, "line %d: {{ is never closed", line);
			return HE_INVALID;
		}
		name = p + 2;
		if (*name == '#') {
			depth++;
			name += *name == '#' && strncmp(name, "#if ", 4) == 0 ? 4 :
			    strncmp(name, "#unless ", 8) == 0 ? 8 : 0;
			if (name == p + 2) {
				snprintf(err, errlen, "line %d: unknown block", line);
				return HE_INVALID;
			}
		} else if (*name == '/') {
			if (--depth < 0) {
				snprintf(err, errlen, "line %d: {{/...}} without a block", line);
				return HE_INVALID;
			}
			p = q + 2;
			continue;
		} else if ((size_t)(q - name) == 4 && memcmp(name, "else", 4) == 0) {
			p = q + 2;
			continue;
		}
		n = strcspn(name, "|}");
		{
			int known = 0;

			for (int i = 0; standin_fields[i]; i++)
				if (strlen(standin_fields[i]) == n &&
				    memcmp(standin_fields[i], name, n) == 0)
					known = 1;
			if (!known) {
				snprintf(err, errlen, "line %d: unknown field \"%.*s\"",
				    line, (int)n, name);
				return HE_INVALID;
			}
		}
		p = q + 2;
	}
	if (depth) {
		snprintf(err, errlen, "line %d: a block is never closed", line);
		return HE_INVALID;
	}
	*out = malloc(1);
	return *out ? HE_OK : HE_NOMEM;
}

void
merge_free(struct merge_tmpl *t)
{
	free(t);
}
#endif

#ifdef WS_C_STANDIN_TZ
/* Every zone is UTC, except "Etc/GMT-N": N hours east. */
struct tz { long off; };
static struct tz standin_zones[27];

int
tz_get(const char *name, const struct tz **out)
{
	int h = 0;

	if (strncmp(name, "Etc/GMT", 7) == 0 && name[7])
		h = -atoi(name + 7);
	if (h < -12 || h > 14)
		return HE_NOTFOUND;
	standin_zones[h + 12].off = h * 3600L;
	*out = &standin_zones[h + 12];
	return HE_OK;
}

long
tz_offset(const struct tz *z, int64_t t)
{
	(void)t;
	return z->off;
}

int
tz_table_load(const char *path)
{
	(void)path;
	return HE_OK;
}

const char *
tz_for_location(const char *city, const char *country)
{
	(void)city;
	(void)country;
	return NULL;
}

static int
standin_allowed(const struct tz *z, int64_t t, const struct send_window *w)
{
	int64_t local = t + z->off;
	int hour = (int)((local / 3600) % 24);
	int wday = (int)(((local / 86400) + 4) % 7);	/* 0: Sunday */
	int quiet;

	if (hour < w->from_hour || hour >= w->to_hour)
		return 0;
	if (w->weekdays_only && (wday == 0 || wday == 6))
		return 0;
	if (w->quiet_from == w->quiet_to)
		return 1;
	quiet = w->quiet_from < w->quiet_to ?
	    hour >= w->quiet_from && hour < w->quiet_to :
	    hour >= w->quiet_from || hour < w->quiet_to;
	return !quiet;
}

int64_t
tz_next_send(const struct tz *z, int64_t t, const struct send_window *w)
{
	int64_t c = t;

	for (int i = 0; i < 24 * 9; i++) {
		if (standin_allowed(z, c, w))
			return c;
		c = (c / 3600 + 1) * 3600;
	}
	return t;
}
#endif

#ifdef WS_C_STANDIN_AB
int
ab_winner(const uint64_t *x, const uint64_t *n, int k, double alpha,
    uint64_t min_n)
{
	(void)x;
	(void)n;
	(void)k;
	(void)alpha;
	(void)min_n;
	return -1;
}
#endif

#ifdef WS_C_STANDIN_CAP
struct standin_cap {
	int64_t since, oldest;
	int count;
};

static int
standin_cap_mail(uint64_t id, json_t *mail, void *ctx)
{
	struct standin_cap *c = ctx;
	int64_t at = json_integer_value(json_object_get(mail, "created")) / 1000000;

	(void)id;
	if (json_is_true(json_object_get(mail, "marketing")) && at >= c->since) {
		if (c->count++ == 0 || at < c->oldest)
			c->oldest = at;
	}
	return HE_OK;
}

/* The person's marketing mails queued in the last `days`. */
int
cap_check(struct store *st, DB_TXN *txn, uint64_t cand, int64_t now,
    int max_mails, int days, int64_t *free_at)
{
	struct standin_cap c = { now - (int64_t)days * 86400, 0, 0 };
	int rc;

	if (max_mails <= 0)
		return HE_OK;
	if ((rc = store_mail_each_of(st, txn, cand, standin_cap_mail, &c)) != HE_OK)
		return rc;
	if (c.count < max_mails)
		return HE_OK;
	*free_at = c.oldest + (int64_t)days * 86400;
	return HE_BUSY;
}

int
cap_note(struct store *st, DB_TXN *txn, uint64_t cand, int64_t now, int days)
{
	(void)st;
	(void)txn;
	(void)cand;
	(void)now;
	(void)days;
	return HE_OK;
}
#endif

#ifdef WS_C_STANDIN_ENGAGE
const char *
engage_level(const json_t *rec, int64_t now)
{
	const char *l = json_string_value(json_object_get(rec, "level"));

	(void)now;
	return l && (!strcmp(l, "hot") || !strcmp(l, "warm")) ? l : "cold";
}
#endif
