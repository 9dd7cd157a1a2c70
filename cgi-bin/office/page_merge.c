/* page_merge.c: two records side by side, merged field by field, undone */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgi-bin/office/office.h"
#include "crm/candidates.h"
#include "crm/merge.h"
#include "crm/pool.h"
#include "util/conf.h"
#include "util/he.h"

static const char *const ab_choices[] = { "a", "b", NULL };

/* A pick is a radio whose values are fixed, or a hidden input where both
 * records agree: never typed, so a bad value is a broken or forged form
 * (the error page), as for hidden inputs. */
#define PICK(g, n, l) [MERGE_F_PICK + (g)] = { "pick_" n, WEB_FT_CHOICE, \
	WEB_FF_HIDDEN, 0, l, NULL, ab_choices, NULL }

/* One pick per merge group, in merge_groups order (test_dupes checks). */
const struct web_field merge_fields[] = {
	[MERGE_F_A] = { "a", WEB_FT_UINT, WEB_FF_REQUIRED | WEB_FF_HIDDEN,
	    UINT32_MAX, "Record to keep",
	    "Which records? The form is missing the one to keep.", NULL, NULL },
	[MERGE_F_B] = { "b", WEB_FT_UINT, WEB_FF_REQUIRED | WEB_FF_HIDDEN,
	    UINT32_MAX, "Record to merge",
	    "Which records? The form is missing the one to merge.", NULL, NULL },
	PICK(MERGE_NAME, "name", "Name"),
	PICK(MERGE_EMAIL, "email", "Email"),
	PICK(MERGE_PHONE, "phone", "Phone"),
	PICK(MERGE_LOCATION, "location", "Location"),
	PICK(MERGE_REMOTE, "remote", "Open to remote work"),
	PICK(MERGE_TITLE, "title", "Job title"),
	PICK(MERGE_SENIORITY, "seniority", "Seniority"),
	PICK(MERGE_URL, "url", "LinkedIn or portfolio"),
	PICK(MERGE_SOURCE, "source", "Source"),
	PICK(MERGE_STATUS, "status", "Status"),
	PICK(MERGE_OWNER, "owner", "Owner"),
	PICK(MERGE_BASIS, "basis", "Lawful basis"),
	PICK(MERGE_RESUME, "resume", "CV"),
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

const struct web_field merge_id_fields[] = {
	{ "id", WEB_FT_UINT, WEB_FF_REQUIRED | WEB_FF_HIDDEN, UINT64_MAX / 2, "Merge",
	    "Which merge? The address is missing its number.", NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

/* Office.MergeUndoDays, never below 0. */
static int
undo_days(struct web_req *req)
{
	long d = conf_int(req->conf, "Office.MergeUndoDays", 30);

	return d < 0 ? 0 : d > 3650 ? 3650 : (int)d;
}

static const char *
str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s && *s ? s : NULL;
}

/* A group's values in record r as people read them ("" when none). */
static void
shown(enum merge_pick g, json_t *r, char *out, size_t len)
{
	json_t *v;

	out[0] = '\0';
	switch (g) {
	case MERGE_NAME:
		snprintf(out, len, "%s", str(r, "name") ?: "");
		break;
	case MERGE_EMAIL:
		snprintf(out, len, "%s", str(r, "email") ?: "");
		break;
	case MERGE_LOCATION:
		snprintf(out, len, "%s%s%s", str(r, "city") ?: "",
		    str(r, "city") && str(r, "country") ? ", " : "",
		    str(r, "country") ?: "");
		break;
	case MERGE_REMOTE:
		snprintf(out, len, "%s", json_is_true(json_object_get(r, "remote")) ?
		    "yes" : "no");
		break;
	case MERGE_OWNER:
		v = json_object_get(r, "owner");
		if (json_is_integer(v))
			snprintf(out, len, "user #%lld", (long long)json_integer_value(v));
		break;
	case MERGE_BASIS:
		v = json_object_get(r, "basis");
		if (str(v, "kind"))
			snprintf(out, len, "%s%s%s", strcmp(str(v, "kind"),
			    "legitimate_interest") == 0 ? "legitimate interest" :
			    str(v, "kind"), str(v, "note") ? ": " : "",
			    str(v, "note") ?: "");
		break;
	case MERGE_RESUME:
		v = json_object_get(r, "resume");
		if (str(v, "name") || str(v, "kind"))
			snprintf(out, len, "%s (%s, %lld bytes)", str(v, "name") ?: "CV",
			    str(v, "kind") ?: "file",
			    (long long)json_integer_value(json_object_get(v, "size")));
		break;
	default:
		v = json_object_get(r, merge_groups[g].fields[0]);
		if (json_is_string(v))
			snprintf(out, len, "%s", json_string_value(v));
		else if (json_is_integer(v))
			snprintf(out, len, "%lld", (long long)json_integer_value(v));
		break;
	}
}

static void
set_list(struct web_req *req, const char *name, json_t *arr, json_t *pools)
{
	char key[192], buf[128];
	size_t i, j;
	json_t *v, *p;

	json_array_foreach(arr, i, v) {
		snprintf(key, sizeof key, "%s.%zu", name, i);
		if (json_is_string(v)) {
			web_set(req, key, json_string_value(v));
			continue;
		}
		/* Pool ids by their names. */
		snprintf(buf, sizeof buf, "pool #%lld", (long long)json_integer_value(v));
		json_array_foreach(pools, j, p)
			if (json_equal(json_object_get(p, "id"), v) && str(p, "name"))
				snprintf(buf, sizeof buf, "%s", str(p, "name"));
		web_set(req, key, buf);
	}
}

/* Fills the screen for keeping a and merging b into it. */
static int
set_screen(struct web_req *req, uint64_t a, uint64_t b)
{
	struct office *o = req->ctx;
	json_t *doc, *ra, *rb, *pools = NULL;
	struct auth_user_info *users;
	size_t nusers;
	char name[128], val[512];
	int rc;

	if ((rc = merge_preview(o->st, a, b, &doc)) != HE_OK)
		return rc;
	if (pool_names(o->st, &pools) != HE_OK)
		pools = NULL;
	ra = json_object_get(doc, "a");
	rb = json_object_get(doc, "b");
	web_set_int(req, "Page.a.id", (long long)a);
	web_set_int(req, "Page.b.id", (long long)b);
	web_set(req, "Page.a.name", str(ra, "name") ?: "(no name)");
	web_set(req, "Page.b.name", str(rb, "name") ?: "(no name)");
	if (auth_user_list(o->st, &users, &nusers) != HE_OK)
		users = NULL, nusers = 0;
	for (int g = 0; g < MERGE_PICK__MAX; g++) {
		const char *gn = merge_groups[g].name;

		for (int side = 0; side < 2; side++) {
			json_t *r = side ? rb : ra;
			json_t *owner = json_object_get(r, "owner");

			snprintf(name, sizeof name, "Page.groups.%s.%s", gn,
			    side ? "b" : "a");
			shown(g, r, val, sizeof val);
			/* An owner by their address. */
			for (size_t i = 0; g == MERGE_OWNER && i < nusers; i++)
				if (json_is_integer(owner) &&
				    users[i].id == (uint64_t)json_integer_value(owner))
					snprintf(val, sizeof val, "%s", users[i].email);
			web_set(req, name, val);
		}
		snprintf(name, sizeof name, "Page.groups.%s.pick", gn);
		web_set(req, name, merge_has(g, ra) || !merge_has(g, rb) ? "a" : "b");
		if (merge_differs(g, ra, rb)) {
			snprintf(name, sizeof name, "Page.groups.%s.differs", gn);
			web_set(req, name, "1");
		}
	}
	for (size_t i = 0; merge_lists[i]; i++) {
		snprintf(name, sizeof name, "Page.lists.%s", merge_lists[i]);
		set_list(req, name, json_object_get(json_object_get(doc, "lists"),
		    merge_lists[i]), pools);
	}
	web_set(req, "Page.consent_from", str(doc, "consent_from") ?: "a");
	web_set(req, "Page.consent", str(strcmp(str(doc, "consent_from") ?: "a",
	    "b") == 0 ? rb : ra, "consent") ?: "none recorded");
	web_set_int(req, "Page.b_events", json_integer_value(json_object_get(doc,
	    "b_events")));
	web_set_int(req, "Page.b_mails", json_integer_value(json_object_get(doc,
	    "b_mails")));
	web_set_int(req, "Page.undo_days", undo_days(req));
	free(users);
	json_decref(pools);
	json_decref(doc);
	return HE_OK;
}

static void
pair_failed(struct web_req *req, int rc)
{
	if (rc == HE_NOTFOUND)
		web_error(req, 404, "One of these candidates is no longer here: "
		    "they may have been merged or erased already. Go back to the "
		    "list of likely duplicates.");
	else if (rc == HE_INVALID)
		web_error(req, 400, "A record cannot be merged with itself. Choose "
		    "two different candidates.");
	else
		web_fail(req, rc);
}

void
page_merge_form(struct web_req *req)
{
	int rc = set_screen(req, req->v[PAIR_A].num, req->v[PAIR_B].num);

	if (rc != HE_OK) {
		pair_failed(req, rc);
		return;
	}
	web_render(req, 200, "office/merge.cs");
}

void
page_merge(struct web_req *req)
{
	struct office *o = req->ctx;
	struct audit_actor who = office_actor(req);
	char picks[MERGE_PICK__MAX] = { 0 }, path[64];
	uint64_t id;
	int rc;

	for (int g = 0; g < MERGE_PICK__MAX; g++)
		if (req->v[MERGE_F_PICK + g].present)
			picks[g] = req->v[MERGE_F_PICK + g].str[0];
	rc = merge_run(o->st, req->v[MERGE_F_A].num, req->v[MERGE_F_B].num, picks,
	    &who, &id);
	if (rc != HE_OK) {
		pair_failed(req, rc);
		return;
	}
	snprintf(path, sizeof path, "/office/merge/done?id=%llu",
	    (unsigned long long)id);
	web_redirect(req, 303, path);
}

static void
merge_gone(struct web_req *req, int days)
{
	char msg[320];

	snprintf(msg, sizeof msg, "This merge can no longer be undone: it was "
	    "undone already, its %d days have passed, or the person asked to be "
	    "erased.", days);
	web_error(req, 404, msg);
}

/* The summary of merge id; HE_OK when there is one to show. */
static int
set_summary(struct web_req *req, uint64_t id)
{
	struct office *o = req->ctx;
	json_t *doc;
	int rc = merge_summary(o->st, id, undo_days(req), &doc);

	if (rc != HE_OK)
		return rc;
	web_set_int(req, "Page.id", (long long)id);
	office_set_fields(req, "Page.merge", doc);
	office_set_time(req, "Page.merge.when", json_object_get(doc, "at"), 0);
	office_set_time(req, "Page.merge.until", json_object_get(doc, "expires"), 0);
	json_decref(doc);
	return HE_OK;
}

void
page_merged(struct web_req *req)
{
	int rc = set_summary(req, req->v[0].num);

	if (rc == HE_NOTFOUND) {
		merge_gone(req, undo_days(req));
		return;
	}
	if (rc != HE_OK) {
		web_fail(req, rc);
		return;
	}
	web_render(req, 200, "office/merged.cs");
}

void
page_unmerge(struct web_req *req)
{
	struct office *o = req->ctx;
	struct audit_actor who = office_actor(req);
	char why[512], path[96];
	json_t *doc;
	int rc;

	/* Who was merged, for the way back (gone once undone). */
	if ((rc = merge_summary(o->st, req->v[0].num, undo_days(req), &doc)) ==
	    HE_OK) {
		snprintf(path, sizeof path, "/office/merge/undone?a=%lld&b=%lld",
		    (long long)json_integer_value(json_object_get(doc, "a")),
		    (long long)json_integer_value(json_object_get(doc, "b")));
		json_decref(doc);
		rc = merge_undo(o->st, req->v[0].num, undo_days(req), &who, why,
		    sizeof why);
	}
	if (rc == HE_NOTFOUND || rc == HE_EXPIRED) {
		merge_gone(req, undo_days(req));
		return;
	}
	if (rc == HE_EXISTS) {
		if (set_summary(req, req->v[0].num) != HE_OK) {
			web_error(req, 409, why);
			return;
		}
		web_set(req, "Page.conflict", why);
		web_render(req, 409, "office/merged.cs");
		return;
	}
	if (rc != HE_OK) {
		web_fail(req, rc);
		return;
	}
	web_redirect(req, 303, path);
}

void
page_unmerged(struct web_req *req)
{
	struct office *o = req->ctx;
	const char *side[2] = { "Page.a", "Page.b" };
	char name[32];

	for (int i = 0; i < 2; i++) {
		json_t *c, *ledger, *mails;

		snprintf(name, sizeof name, "%s.id", side[i]);
		web_set_int(req, name, (long long)req->v[i ? PAIR_B : PAIR_A].num);
		if (cand_detail(o->st, req->v[i ? PAIR_B : PAIR_A].num, &c, &ledger,
		    &mails) != HE_OK)
			continue;
		snprintf(name, sizeof name, "%s.name", side[i]);
		web_set(req, name, str(c, "name") ?: "(no name)");
		snprintf(name, sizeof name, "%s.email", side[i]);
		web_set(req, name, str(c, "email") ?: "");
		json_decref(c);
		json_decref(ledger);
		json_decref(mails);
	}
	web_render(req, 200, "office/unmerged.cs");
}
