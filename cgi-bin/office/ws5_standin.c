/* ws5_standin.c: TEMPORARY stand-ins for ws C, S and U (see ws5_standin.h):
 * campaigns and enrolments in one JSON file beside the database, locked
 * with flock. Deleted once the real modules are merged. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "cgi-bin/office/ws5_standin.h"
#include "crm/clock.h"
#include "store/store.h"

const char *const merge_fields[] = {
	"first_name", "last_name", "name", "email", "city", "country",
	"seniority", "interests", "skills", "title", "owner_name",
	"owner_signature", "site_name", "prefs_url", "unsubscribe_url", NULL,
};

static int lockfd = -1;

static json_t *
load(struct store *st, char *path, size_t size)
{
	const char *home = NULL;
	json_t *j;

	st->env->get_home(st->env, &home);
	snprintf(path, size, "%s/o5-standin.lock", home);
	lockfd = open(path, O_RDWR | O_CREAT, 0600);
	flock(lockfd, LOCK_EX);
	snprintf(path, size, "%s/o5-standin.json", home);
	j = json_load_file(path, 0, NULL);
	if (j == NULL)
		j = json_pack("{s:i, s:{}, s:{}}", "seq", 0, "camps", "enrol");
	return j;
}

static void
done(json_t *j, const char *path, int save)
{
	if (save)
		json_dump_file(j, path, JSON_COMPACT);
	json_decref(j);
	flock(lockfd, LOCK_UN);
	close(lockfd);
}

static void
err(json_t *e, const char *f, const char *m)
{
	json_object_set_new(e, f, json_string(m));
}

int
campaign_validate(json_t *body, json_t **errors)
{
	json_t *e = json_object(), *s;
	const char *name = json_string_value(json_object_get(body, "name"));
	size_t i, n = json_array_size(json_object_get(body, "steps"));
	char f[96];

	if (name == NULL || name[0] == 0)
		err(e, "name", "Please give the campaign a name.");
	json_array_foreach(json_object_get(body, "steps"), i, s) {
		const char *t = json_string_value(json_object_get(s, "type"));
		json_t *v;
		size_t k;

		if (t && strcmp(t, "email") == 0)
			json_array_foreach(json_object_get(s, "variants"), k, v) {
				const char *sub = json_string_value(json_object_get(v, "subject"));
				const char *b = json_string_value(json_object_get(v, "body"));

				snprintf(f, sizeof f, "steps.%zu.variants.%zu.subject", i, k);
				if (!sub || !*sub)
					err(e, f, "Please write a subject.");
				else if (strstr(sub, "{{frist"))
					err(e, f, "line 1: unknown field \"frist_name\"");
				snprintf(f, sizeof f, "steps.%zu.variants.%zu.body", i, k);
				if (!b || !*b)
					err(e, f, "Please write the message.");
				else if (strstr(b, "{{frist"))
					err(e, f, "line 1: unknown field \"frist_name\"");
				else if (strstr(b, "{{#if") && !strstr(b, "{{/if}}"))
					err(e, f, "line 1: {{#if}} is never closed");
			}
		if (t && strcmp(t, "branch") == 0) {
			json_int_t g = json_integer_value(json_object_get(s, "goto"));

			snprintf(f, sizeof f, "steps.%zu.goto", i);
			if (g <= (json_int_t)i || g > (json_int_t)n)
				err(e, f, "Please choose a later step or the end.");
		}
	}
	if (json_object_size(e)) {
		*errors = e;
		return HE_INVALID;
	}
	json_decref(e);
	*errors = NULL;
	return HE_OK;
}

int
campaign_create(struct store *st, json_t *body, uint64_t by, uint64_t *id,
    json_t **errors)
{
	char path[512], key[32];
	json_t *j, *c;

	if (campaign_validate(body, errors) != HE_OK)
		return HE_INVALID;
	j = load(st, path, sizeof path);
	*id = (uint64_t)json_integer_value(json_object_get(j, "seq")) + 1;
	json_object_set_new(j, "seq", json_integer((json_int_t)*id));
	c = json_deep_copy(body);
	json_object_set_new(c, "state", json_string("draft"));
	json_object_set_new(c, "gen", json_integer(1));
	json_object_set_new(c, "owner", json_integer((json_int_t)by));
	json_object_set_new(c, "created", json_integer(clock_now()));
	json_object_set_new(c, "updated", json_integer(clock_now()));
	if (!json_object_get(c, "steps"))
		json_object_set_new(c, "steps", json_array());
	snprintf(key, sizeof key, "%llu", (unsigned long long)*id);
	json_object_set_new(json_object_get(j, "camps"), key, c);
	done(j, path, 1);
	return HE_OK;
}

int
campaign_update(struct store *st, uint64_t id, int64_t gen, json_t *body,
    json_t **errors)
{
	char path[512], key[32];
	json_t *j, *c, *n;

	*errors = NULL;
	j = load(st, path, sizeof path);
	snprintf(key, sizeof key, "%llu", (unsigned long long)id);
	if ((c = json_object_get(json_object_get(j, "camps"), key)) == NULL) {
		done(j, path, 0);
		return HE_NOTFOUND;
	}
	if (json_integer_value(json_object_get(c, "gen")) != gen) {
		done(j, path, 0);
		return HE_CONFLICT;
	}
	if (campaign_validate(body, errors) != HE_OK) {
		done(j, path, 0);
		return HE_INVALID;
	}
	n = json_deep_copy(body);
	json_object_set(n, "state", json_object_get(c, "state"));
	json_object_set(n, "owner", json_object_get(c, "owner"));
	json_object_set(n, "created", json_object_get(c, "created"));
	json_object_set_new(n, "updated", json_integer(clock_now()));
	json_object_set_new(n, "gen", json_integer(gen + 1));
	json_object_set_new(json_object_get(j, "camps"), key, n);
	done(j, path, 1);
	return HE_OK;
}

int
campaign_get(struct store *st, uint64_t id, json_t **body)
{
	char path[512], key[32];
	json_t *j = load(st, path, sizeof path), *c;

	snprintf(key, sizeof key, "%llu", (unsigned long long)id);
	c = json_object_get(json_object_get(j, "camps"), key);
	*body = c ? json_deep_copy(c) : NULL;
	done(j, path, 0);
	return c ? HE_OK : HE_NOTFOUND;
}

static void
counts(json_t *j, const char *id, json_int_t *enrolled, json_int_t *active)
{
	const char *k;
	json_t *e;
	size_t n = strlen(id);

	*enrolled = *active = 0;
	json_object_foreach(json_object_get(j, "enrol"), k, e)
		if (strncmp(k, id, n) == 0 && k[n] == ':') {
			(*enrolled)++;
			*active += strcmp(json_string_value(json_object_get(e, "state")),
			    "active") == 0;
		}
}

int
campaign_list(struct store *st, json_t **list)
{
	char path[512];
	json_t *j = load(st, path, sizeof path), *c;
	const char *k;

	*list = json_array();
	json_object_foreach(json_object_get(j, "camps"), k, c) {
		json_t *row = json_deep_copy(c);
		json_int_t en, ac;

		counts(j, k, &en, &ac);
		json_object_set_new(row, "id", json_integer(atoll(k)));
		json_object_set_new(row, "enrolled", json_integer(en));
		json_object_set_new(row, "active", json_integer(ac));
		json_array_append_new(*list, row);
	}
	done(j, path, 0);
	return HE_OK;
}

int
campaign_set_state(struct store *st, uint64_t id, const char *state, uint64_t by)
{
	char path[512], key[32];
	json_t *j = load(st, path, sizeof path), *c;

	(void)by;
	snprintf(key, sizeof key, "%llu", (unsigned long long)id);
	if ((c = json_object_get(json_object_get(j, "camps"), key)) == NULL) {
		done(j, path, 0);
		return HE_NOTFOUND;
	}
	if (strcmp(state, "active") == 0 &&
	    json_array_size(json_object_get(c, "pools")) == 0) {
		done(j, path, 0);
		return HE_INVALID;
	}
	json_object_set_new(c, "state", json_string(state));
	json_object_set_new(c, "gen", json_integer(json_integer_value(
	    json_object_get(c, "gen")) + 1));
	done(j, path, 1);
	return HE_OK;
}

int
campaign_enrol(struct store *st, uint64_t camp, uint64_t cand, uint64_t by)
{
	char path[512], key[64];
	json_t *j = load(st, path, sizeof path), *e;

	snprintf(key, sizeof key, "%llu:%llu", (unsigned long long)camp,
	    (unsigned long long)cand);
	if ((e = json_object_get(json_object_get(j, "enrol"), key)) &&
	    strcmp(json_string_value(json_object_get(e, "state")), "stopped")) {
		done(j, path, 0);
		return HE_EXISTS;
	}
	e = json_pack("{s:s, s:i, s:I, s:I, s:I, s:[{s:I, s:i, s:s}]}", "state",
	    "active", "step", 0, "due", (json_int_t)clock_now(), "entered",
	    (json_int_t)clock_now(), "by", (json_int_t)by, "history", "at",
	    (json_int_t)clock_now(), "step", 0, "what", "enrolled by hand");
	json_object_set_new(json_object_get(j, "enrol"), key, e);
	done(j, path, 1);
	return HE_OK;
}

int
campaign_unenrol(struct store *st, uint64_t camp, uint64_t cand, uint64_t by)
{
	char path[512], key[64];
	json_t *j = load(st, path, sizeof path), *e;

	(void)by;
	snprintf(key, sizeof key, "%llu:%llu", (unsigned long long)camp,
	    (unsigned long long)cand);
	if ((e = json_object_get(json_object_get(j, "enrol"), key)) == NULL) {
		done(j, path, 0);
		return HE_NOTFOUND;
	}
	json_object_set_new(e, "state", json_string("stopped"));
	json_object_set_new(e, "why", json_string("by_hand"));
	json_object_del(e, "due");
	done(j, path, 1);
	return HE_OK;
}

int
campaign_enrol_query(struct store *st, uint64_t camp, const struct cand_query *q,
    uint64_t by, uint64_t *wave, size_t *n)
{
	uint64_t ids[100], total;
	size_t got;
	int rc;

	if ((rc = cand_search(st, q, SORT_NEWEST, 1, 100, ids, &got, &total)) != HE_OK)
		return rc;
	for (size_t i = 0; i < got; i++)
		campaign_enrol(st, camp, ids[i], by);
	*wave = 1;
	*n = got;
	return HE_OK;
}

int
campaign_wave_progress(struct store *st, uint64_t wave, size_t *done_, size_t *total)
{
	(void)st;
	(void)wave;
	*done_ = *total = 3;
	return HE_OK;
}

int
campaign_enrolments_of(struct store *st, uint64_t cand, json_t **list)
{
	char path[512], suffix[32];
	json_t *j = load(st, path, sizeof path), *e;
	const char *k;

	*list = json_array();
	snprintf(suffix, sizeof suffix, ":%llu", (unsigned long long)cand);
	json_object_foreach(json_object_get(j, "enrol"), k, e) {
		const char *c = strchr(k, ':');

		if (c && strcmp(c, suffix) == 0) {
			json_t *row = json_deep_copy(e);

			json_object_set_new(row, "camp", json_integer(atoll(k)));
			json_array_append_new(*list, row);
		}
	}
	done(j, path, 0);
	return HE_OK;
}

int
campaign_members(struct store *st, uint64_t camp, size_t page, size_t per_page,
    json_t **rows, size_t *total)
{
	char path[512], prefix[32];
	json_t *j = load(st, path, sizeof path), *e;
	const char *k;
	size_t at = 0;

	*rows = json_array();
	snprintf(prefix, sizeof prefix, "%llu:", (unsigned long long)camp);
	json_object_foreach(json_object_get(j, "enrol"), k, e) {
		if (strncmp(k, prefix, strlen(prefix)))
			continue;
		if (at >= (page - 1) * per_page && at < page * per_page) {
			json_t *row = json_deep_copy(e);

			json_object_set_new(row, "cand", json_integer(atoll(k +
			    strlen(prefix))));
			json_array_append_new(*rows, row);
		}
		at++;
	}
	*total = at;
	done(j, path, 0);
	return HE_OK;
}

int
campaign_stats(struct store *st, uint64_t camp, json_t **out)
{
	char path[512], key[32];
	json_t *j = load(st, path, sizeof path);
	json_int_t en, ac;

	snprintf(key, sizeof key, "%llu", (unsigned long long)camp);
	counts(j, key, &en, &ac);
	done(j, path, 0);
	*out = json_pack("{s:{s:{s:{s:i, s:i, s:i}, s:{s:i, s:i, s:i}}}, s:I, s:I}",
	    "steps", "0", "0", "sent", 120, "clicked", 30, "replied", 2, "1",
	    "sent", 118, "clicked", 12, "replied", 1, "enrolled", en, "active", ac);
	return HE_OK;
}

int
notice_add(struct store *st, DB_TXN *txn, uint64_t user, json_t *body)
{
	(void)st, (void)txn, (void)user, (void)body;
	return HE_OK;
}

int
notice_list(struct store *st, uint64_t user, size_t page, size_t per_page,
    json_t **rows, size_t *total, size_t *unread)
{
	(void)st, (void)user, (void)page, (void)per_page;
	if (rows)
		*rows = json_pack("[{s:i, s:I, s:s, s:i, s:b}]", "id", 1, "at",
		    (json_int_t)clock_now(), "text", "Ada <b>Lovelace</b> replied",
		    "cand", 1, "read", 0);
	*total = 1;
	*unread = 1;
	return HE_OK;
}

int
notice_read(struct store *st, uint64_t user, uint64_t id)
{
	(void)st, (void)user, (void)id;
	return HE_OK;
}

static char *fill1(const char *t, const json_t *rec);

static char *
fill(const char *t, const json_t *rec)
{
	char *a = fill1(t, rec), *b;
	const char *last = json_string_value(json_object_get(rec, "last_name"));
	const char *at = a ? strstr(a, "{{last_name}}") : NULL;

	if (at == NULL)
		return a;
	if (asprintf(&b, "%.*s%s%s", (int)(at - a), a, last ? last : "", at + 13) < 0)
		b = NULL;
	free(a);
	return b;
}

static char *
fill1(const char *t, const json_t *rec)
{
	const char *first = json_string_value(json_object_get(rec, "first_name"));
	const char *at = strstr(t, "{{first_name}}");
	char *out;

	if (at == NULL)
		return strdup(t);
	if (asprintf(&out, "%.*s%s%s", (int)(at - t), t, first ? first : "",
	    at + 14) < 0)
		return NULL;
	return out;
}

int
campaign_mail_render(struct store *st, const struct comm *c, const json_t *camp,
    int step, int variant, uint64_t cand, const json_t *rec, uint64_t mail_id,
    int track_opens, struct campaign_rendered *out, char *e, size_t errlen)
{
	json_t *s = json_array_get(json_object_get(camp, "steps"), (size_t)step);
	json_t *v = json_array_get(json_object_get(s, "variants"), (size_t)variant);
	char *h;
	size_t n = 0;

	(void)st, (void)c, (void)cand, (void)mail_id, (void)track_opens;
	if (v == NULL) {
		snprintf(e, errlen, "That step sends no mail.");
		return HE_INVALID;
	}
	out->subject = fill(json_string_value(json_object_get(v, "subject")), rec);
	out->text = fill(json_string_value(json_object_get(v, "body")), rec);
	h = malloc(strlen(out->text) * 6 + 16);
	n = (size_t)sprintf(h, "<p>");
	for (const char *p = out->text; *p; p++)
		n += (size_t)sprintf(h + n, "%s", *p == '<' ? "&lt;" : *p == '>' ?
		    "&gt;" : *p == '&' ? "&amp;" : (char[2]){ *p, 0 });
	sprintf(h + n, "</p>");
	out->html = h;
	return HE_OK;
}

void
campaign_rendered_free(struct campaign_rendered *r)
{
	free(r->subject);
	free(r->text);
	free(r->html);
}

int
campaign_test_send(struct store *st, uint64_t camp, int step, int variant,
    uint64_t cand, uint64_t user)
{
	(void)st, (void)camp, (void)step, (void)variant, (void)cand, (void)user;
	return HE_OK;
}

int
ab_two_proportion(uint64_t x1, uint64_t n1, uint64_t x2, uint64_t n2, double *z,
    double *p)
{
	(void)x1, (void)n1, (void)x2, (void)n2;
	*z = 2.5;
	*p = 0.012;
	return HE_OK;
}

int
ab_winner(const uint64_t *x, const uint64_t *n, int k, double alpha, uint64_t min_n)
{
	(void)x, (void)n, (void)k, (void)alpha, (void)min_n;
	return 0;
}
