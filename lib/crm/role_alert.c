/* role_alert.c: the open roles compiled for scoring, new-match alerts and their daily digest */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm/clock.h"
#include "crm/match.h"
#include "crm/notice.h"
#include "crm/role.h"
#include "crm/role_int.h"
#include "store/entities.h"
#include "store/role.h"
#include "store/store.h"
#include "util/he.h"

#define DAY_S 86400
#define DIGEST_OWNERS 256	/* owners looked up at once */
#define DIGEST_ITEMS 500	/* alerts in one owner's digest at most */
#define DIGEST_SETTING "role_digest_day"

/* ---- the open roles, compiled, cached per process ---- */

static struct {
	const struct store *st;
	int64_t gen;
	int valid;
	struct match_role *roles;
	uint64_t *owners;
	int *thresholds;
	char **titles;		/* for the notices */
	size_t n, cap;
} open_roles;

static void
open_forget(void)
{
	for (size_t i = 0; i < open_roles.n; i++)
		free(open_roles.titles[i]);
	open_roles.n = 0;
	open_roles.valid = 0;
}

static int
open_add(uint64_t id, json_t *rec, void *ctx)
{
	json_int_t t = json_integer_value(json_object_get(rec, "threshold"));

	(void)ctx;
	if (role_status_in(rec) != ROLE_OPEN)
		return HE_OK;
	if (open_roles.n == open_roles.cap) {
		size_t cap = open_roles.cap ? 2 * open_roles.cap : 32;
		struct match_role *r = realloc(open_roles.roles, cap * sizeof *r);
		uint64_t *o;
		int *th;
		char **ti;

		if (r == NULL)
			return HE_NOMEM;
		open_roles.roles = r;
		if ((o = realloc(open_roles.owners, cap * sizeof *o)) == NULL)
			return HE_NOMEM;
		open_roles.owners = o;
		if ((th = realloc(open_roles.thresholds, cap * sizeof *th)) == NULL)
			return HE_NOMEM;
		open_roles.thresholds = th;
		if ((ti = realloc(open_roles.titles, cap * sizeof *ti)) == NULL)
			return HE_NOMEM;
		open_roles.titles = ti;
		open_roles.cap = cap;
	}
	/* A record that does not compile is left out, not fatal. */
	if (match_role_compile(id, rec, &open_roles.roles[open_roles.n]) != HE_OK)
		return HE_OK;
	open_roles.owners[open_roles.n] = (uint64_t)json_integer_value(
	    json_object_get(rec, "owner"));
	open_roles.thresholds[open_roles.n] = t >= 1 && t <= 100 ? (int)t :
	    role_alert_threshold();
	if ((open_roles.titles[open_roles.n] = strdup(json_string_value(
	    json_object_get(rec, "title")) ?: "a role")) == NULL)
		return HE_NOMEM;
	open_roles.n++;
	return HE_OK;
}

int
role_open_compiled(struct store *st, DB_TXN *txn,
    const struct match_role **roles, size_t *n)
{
	int64_t gen;
	int rc;

	*roles = NULL;
	*n = 0;
	if ((rc = store_role_gen(st, txn, &gen)) != HE_OK)
		return rc;
	if (!open_roles.valid || open_roles.st != st || open_roles.gen != gen) {
		open_forget();
		if (gen != 0 && (rc = store_role_each(st, txn, 0, open_add, NULL)) !=
		    HE_OK) {
			open_forget();
			return rc;
		}
		open_roles.st = st;
		open_roles.gen = gen;
		open_roles.valid = 1;
	}
	*roles = open_roles.roles;
	*n = open_roles.n;
	return HE_OK;
}

/* ---- new-match alerts ---- */

/* Alerts role i of the cache (its owner, when there is one) that now
 * scores score; name is theirs, read once for every role they cross. */
static int
alert_one(struct store *st, DB_TXN *txn, size_t i, const struct match_cand *now,
    int score, const char *name)
{
	uint64_t role = open_roles.roles[i].id, owner = open_roles.owners[i];
	json_t *alert, *notice;
	char text[512];
	int rc;

	if ((rc = store_pipe_exists(st, txn, role, now->id)) != HE_NOTFOUND)
		return rc == HE_OK ? HE_OK : rc;	/* in its pipeline already */
	if ((rc = store_alert_exists(st, txn, role, now->id)) != HE_NOTFOUND)
		return rc == HE_OK ? HE_OK : rc;	/* alerted before */
	alert = json_pack("{s:I, s:i, s:I}", "at", (json_int_t)clock_now(),
	    "score", score, "owner", (json_int_t)owner);
	if (alert == NULL)
		return HE_NOMEM;
	if (owner)
		json_object_set_new(alert, "pending", json_integer((json_int_t)owner));
	rc = store_alert_put(st, txn, role, now->id, alert);
	json_decref(alert);
	if (rc != HE_OK || owner == 0)
		return rc;
	snprintf(text, sizeof text, "A new match for %s: %s scores %d.",
	    open_roles.titles[i], name[0] ? name : "someone", score);
	notice = json_pack("{s:s, s:I, s:I, s:s, s:i}", "text", text, "cand",
	    (json_int_t)now->id, "role", (json_int_t)role, "kind", "match",
	    "score", score);
	rc = notice ? notice_add(st, txn, owner, notice) : HE_NOMEM;
	json_decref(notice);
	return rc;
}

/* now's name, as the notices say it. */
static int
cand_name(struct store *st, DB_TXN *txn, uint64_t id, char *name, size_t size)
{
	json_t *rec;
	int rc;

	if ((rc = store_cand_get(st, txn, id, 0, &rec)) != HE_OK)
		return rc;
	role_cand_name(rec, name, size);
	json_decref(rec);
	return HE_OK;
}

int
role_alert_check(struct store *st, DB_TXN *txn, const struct match_cand *old,
    const struct match_cand *now)
{
	const struct match_role *roles;
	struct match_score s, was;
	char name[256] = "";
	int have_name = 0;
	int64_t today;
	size_t n;
	int rc;

	if (now == NULL || now->id == 0 ||
	    (now->flags & (MATCH_F_DNC | MATCH_F_HIRED)))
		return HE_OK;
	if ((rc = role_open_compiled(st, txn, &roles, &n)) != HE_OK || n == 0)
		return rc;
	today = match_today();
	for (size_t i = 0; i < n; i++) {
		int thr = open_roles.thresholds[i];

		match_score(&roles[i], now, today, &s);
		if (s.excluded || s.total < thr)
			continue;
		if (old) {
			match_score(&roles[i], old, today, &was);
			if (!was.excluded && was.total >= thr)
				continue;	/* above it already: not new */
		}
		if (!have_name && (rc = cand_name(st, txn, now->id, name,
		    sizeof name)) != HE_OK)
			return rc;
		have_name = 1;
		if ((rc = alert_one(st, txn, i, now, s.total, name)) != HE_OK)
			return rc;
	}
	return HE_OK;
}

/* ---- the daily digest ---- */

struct digest {
	uint64_t owner;
	int64_t now;
	size_t queued;
};

static int
digest_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct digest *d = arg;
	uint64_t (*pairs)[2] = malloc(DIGEST_ITEMS * sizeof *pairs);
	json_t *user = NULL, *items = NULL, *mail = NULL;
	size_t n = 0;
	uint64_t id;
	int rc, to_send;

	d->queued = 0;
	if (pairs == NULL)
		return HE_NOMEM;
	if ((rc = store_alert_due_of(st, txn, d->owner, pairs, DIGEST_ITEMS, &n)) !=
	    HE_OK || n == 0)
		goto out;
	rc = store_user_get(st, txn, d->owner, &user);
	if (rc != HE_OK && rc != HE_NOTFOUND)
		goto out;
	/* No one to tell (an account gone or disabled): marked all the same,
	 * or they would wait for ever. */
	to_send = rc == HE_OK && !json_is_true(json_object_get(user, "disabled")) &&
	    json_string_value(json_object_get(user, "email"));
	if ((items = json_array()) == NULL) {
		rc = HE_NOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		json_t *a, *item;

		if ((rc = store_alert_get(st, txn, pairs[i][0], pairs[i][1], 1, &a)) ==
		    HE_NOTFOUND)
			continue;
		if (rc != HE_OK)
			goto out;
		item = json_pack("{s:I, s:I, s:O?, s:O?}", "role",
		    (json_int_t)pairs[i][0], "cand", (json_int_t)pairs[i][1],
		    "score", json_object_get(a, "score"), "at", json_object_get(a, "at"));
		json_object_del(a, "pending");
		json_object_set_new(a, "digested", json_integer(d->now));
		rc = store_alert_put(st, txn, pairs[i][0], pairs[i][1], a);
		json_decref(a);
		if (item == NULL || json_array_append_new(items, item))
			rc = HE_NOMEM;
		if (rc != HE_OK)
			goto out;
	}
	if (!to_send || json_array_size(items) == 0)
		goto out;
	/* Ids only: the names are read when the mail goes, so an erasure
	 * meanwhile leaves nothing of the person in it. */
	mail = json_pack("{s:s, s:I, s:O, s:O?, s:O, s:s, s:I, s:I, s:i}",
	    "kind", "role_digest", "user", (json_int_t)d->owner,
	    "to", json_object_get(user, "email"),
	    "to_name", json_object_get(user, "name"), "items", items,
	    "state", "queued", "created", (json_int_t)clock_now_us(),
	    "due", (json_int_t)d->now, "attempts", 0);
	if (mail == NULL) {
		rc = HE_NOMEM;
		goto out;
	}
	if ((rc = store_mail_insert(st, txn, mail, &id)) == HE_OK)
		d->queued = 1;
out:
	json_decref(mail);
	json_decref(items);
	json_decref(user);
	free(pairs);
	return rc;
}

static int
day_txn(struct store *st, DB_TXN *txn, void *arg)
{
	return store_setting_set(st, txn, DIGEST_SETTING, *(int64_t *)arg);
}

int
role_digest_run(struct store *st, size_t *sent)
{
	int64_t now = clock_now(), today = now / DAY_S, last;
	uint64_t owners[DIGEST_OWNERS];
	size_t n;
	int rc, rounds = 0;

	*sent = 0;
	if ((now % DAY_S) / 3600 < role_digest_hour())
		return HE_OK;
	if ((rc = store_setting_get(st, NULL, DIGEST_SETTING, &last)) != HE_OK)
		return rc;
	if (last >= today)
		return HE_OK;
	/* Each owner's digest in a transaction of its own with the marks on
	 * its alerts: a kill between two leaves the rest for the next pass,
	 * and none is sent twice. */
	do {
		if ((rc = store_alert_due_owners(st, NULL, owners, DIGEST_OWNERS,
		    &n)) != HE_OK)
			return rc;
		for (size_t i = 0; i < n; i++) {
			struct digest d = { owners[i], now, 0 };

			if ((rc = store_txn(st, digest_txn, &d)) != HE_OK)
				return rc;
			*sent += d.queued;
		}
	} while (n == DIGEST_OWNERS && ++rounds < 1000);
	return store_txn(st, day_txn, &today);
}

/* ---- the digest as it is sent ---- */

/* Whether rec may no longer be suggested: do not contact, hired. */
static int
cand_excluded(const json_t *rec)
{
	const char *s = json_string_value(json_object_get(rec, "status"));

	return s && (strcmp(s, "do_not_contact") == 0 || strcmp(s, "hired") == 0);
}

int
role_digest_render(struct store *st, const json_t *mail, char **subject,
    char **text)
{
	const char *base = role_base_url(), *to_name;
	json_t *items = json_object_get(mail, "items"), *item;
	uint64_t last_role = 0;
	size_t i, shown = 0;
	int excluded;
	char *body = NULL;
	size_t len = 0;
	FILE *f;
	int rc = HE_OK;

	*subject = *text = NULL;
	if ((f = open_memstream(&body, &len)) == NULL)
		return HE_NOMEM;
	to_name = json_string_value(json_object_get(mail, "to_name"));
	fprintf(f, "Hello%s%s,\n\nThese people are new matches for your open "
	    "roles since the last digest.\n", to_name && *to_name ? " " : "",
	    to_name && *to_name ? to_name : "");
	json_array_foreach(items, i, item) {
		uint64_t role = (uint64_t)json_integer_value(json_object_get(item,
		    "role"));
		uint64_t cand = (uint64_t)json_integer_value(json_object_get(item,
		    "cand"));
		json_t *r = NULL, *c = NULL;
		char name[256];

		/* Erased or merged away since: left out. */
		if ((rc = store_cand_get(st, NULL, cand, 0, &c)) == HE_NOTFOUND) {
			rc = HE_OK;
			continue;
		}
		if (rc != HE_OK)
			break;
		role_cand_name(c, name, sizeof name);
		excluded = cand_excluded(c);
		json_decref(c);
		if (excluded)
			continue;	/* do not contact or hired since */
		if (role != last_role) {
			if ((rc = store_role_get(st, NULL, role, 0, &r)) == HE_NOTFOUND) {
				rc = HE_OK;
				continue;
			}
			if (rc != HE_OK)
				break;
			if (role_status_in(r) != ROLE_OPEN) {
				json_decref(r);
				continue;	/* filled, closed or on hold since */
			}
			fprintf(f, "\n%s\n  the ranking: %s/office/role/matches?id=%llu\n",
			    json_string_value(json_object_get(r, "title")) ?: "A role",
			    base, (unsigned long long)role);
			json_decref(r);
			last_role = role;
		}
		fprintf(f, "  - %s, score %lld: %s/office/candidate?id=%llu\n",
		    name[0] ? name : "(no name)",
		    (long long)json_integer_value(json_object_get(item, "score")),
		    base, (unsigned long long)cand);
		shown++;
	}
	if (rc == HE_OK && shown == 0)
		fprintf(f, "\nThe people of these matches are no longer in the "
		    "CRM, or no longer to be suggested for these roles.\n");
	fprintf(f, "\nShortlist them from each role's ranking, where the reasons "
	    "for each score are shown.\n");
	if (fclose(f) != 0) {
		free(body);
		return HE_NOMEM;
	}
	if (rc != HE_OK) {
		free(body);
		return rc;
	}
	if ((shown == 1 ? asprintf(subject, "1 new match for your roles") :
	    asprintf(subject, "%zu new matches for your roles", shown)) < 0) {
		*subject = NULL;
		free(body);
		return HE_NOMEM;
	}
	*text = body;
	return HE_OK;
}
