/* role_valid.c: what a role must be, with errors per field */
#include <stdio.h>
#include <string.h>

#include "crm/community.h"
#include "crm/match.h"
#include "crm/role.h"
#include "crm/skills.h"
#include "store/entities.h"
#include "store/store.h"
#include "util/he.h"
#include "util/text.h"

static void
err_set(json_t *errors, const char *field, const char *msg)
{
	if (json_object_get(errors, field) == NULL)
		json_object_set_new(errors, field, json_string(msg));
}

static void
err_at(json_t *errors, const char *list, size_t i, const char *part,
    const char *msg)
{
	char field[64];

	if (part)
		snprintf(field, sizeof field, "%s.%zu.%s", list, i, part);
	else
		snprintf(field, sizeof field, "%s.%zu", list, i);
	err_set(errors, field, msg);
}

static int
blank(const char *s)
{
	return s == NULL || s[strspn(s, " \t\r\n")] == '\0';
}

/* A line of text of at most max characters: 0 when it is not one. */
static int
line_ok(const char *s, size_t max)
{
	return text_utf8_valid(s, strlen(s)) && text_chars(s) <= max &&
	    strpbrk(s, "\r\n") == NULL;
}

/* An optional string field: NULL when absent or null, "" marks a value
 * that is not a string. */
static const char *
opt_str(json_t *role, const char *key, int *bad)
{
	json_t *v = json_object_get(role, key);

	*bad = 0;
	if (v == NULL || json_is_null(v))
		return NULL;
	if (!json_is_string(v)) {
		*bad = 1;
		return NULL;
	}
	return json_string_value(v);
}

static int
one_of(const char *s, const char *const *set)
{
	for (; s && *set; set++)
		if (strcmp(s, *set) == 0)
			return 1;
	return 0;
}

static void
check_locations(json_t *role, json_t *e, int remote)
{
	json_t *locs = json_object_get(role, "locations"), *l;
	size_t i, some = 0;

	if (locs && !json_is_array(locs) && !json_is_null(locs)) {
		err_set(e, "locations", "The locations could not be read.");
		return;
	}
	if (json_array_size(locs) > MATCH_ROLE_LOCATIONS_MAX) {
		err_set(e, "locations", "A role has at most 8 locations.");
		return;
	}
	json_array_foreach(locs, i, l) {
		const char *city = json_string_value(json_object_get(l, "city"));
		const char *country = json_string_value(json_object_get(l, "country"));

		if (!json_is_object(l) ||
		    (json_object_get(l, "city") && !json_is_string(json_object_get(l,
		    "city"))) || (json_object_get(l, "country") &&
		    !json_is_string(json_object_get(l, "country")))) {
			err_at(e, "locations", i, NULL, "This location could not be read.");
			continue;
		}
		if (blank(city) && blank(country)) {
			err_at(e, "locations", i, "city", "Give a city, a country or both.");
			continue;
		}
		if ((city && !line_ok(city, ROLE_PLACE_MAX)) ||
		    (country && !line_ok(country, ROLE_PLACE_MAX))) {
			err_at(e, "locations", i, city && !line_ok(city, ROLE_PLACE_MAX) ?
			    "city" : "country", "A place is one line of at most 80 "
			    "characters.");
			continue;
		}
		some++;
	}
	if (!remote && some == 0 && json_object_get(e, "locations") == NULL &&
	    json_object_get(e, "remote") == NULL)
		err_set(e, "locations", "Say where the role is based, or make it "
		    "remote.");
}

/* Skills: the canonical keys met so far, to find one given twice (under
 * another name too: "js" and "JavaScript"). */
struct seen {
	char keys[2 * MATCH_ROLE_SKILLS_MAX][SKILL_KEY_SIZE];
	size_t n;
};

/* Checks one skill name: NULL when fine, else the message. */
static const char *
skill_check(json_t *v, struct seen *s, char *msg, size_t msglen)
{
	const char *name = json_string_value(v);
	char key[SKILL_KEY_SIZE], shown[SKILL_KEY_SIZE];

	if (name == NULL || blank(name))
		return "Give the skill's name.";
	if (!text_utf8_valid(name, strlen(name)) || strpbrk(name, "\r\n") ||
	    skill_key(name, key) != HE_OK)
		return "A skill is one line of at most 40 characters.";
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->keys[i], key) == 0) {
			if (skill_display(name, shown) != HE_OK)
				snprintf(shown, sizeof shown, "%s", name);
			snprintf(msg, msglen, "%s is listed already.", shown);
			return msg;
		}
	if (s->n < sizeof s->keys / sizeof *s->keys)
		snprintf(s->keys[s->n++], SKILL_KEY_SIZE, "%s", key);
	return NULL;
}

static void
check_skills(json_t *role, json_t *e)
{
	json_t *req = json_object_get(role, "required");
	json_t *nice = json_object_get(role, "nice"), *v;
	struct seen s = { .n = 0 };
	char msg[200];
	const char *why;
	size_t i;

	if (req && !json_is_array(req) && !json_is_null(req))
		err_set(e, "required", "The required skills could not be read.");
	else if (json_array_size(req) > MATCH_ROLE_SKILLS_MAX)
		err_set(e, "required", "List at most 20 required skills.");
	else
		json_array_foreach(req, i, v)
			if ((why = skill_check(v, &s, msg, sizeof msg)) != NULL)
				err_at(e, "required", i, NULL, why);
	if (nice && !json_is_array(nice) && !json_is_null(nice)) {
		err_set(e, "nice", "The nice-to-have skills could not be read.");
		return;
	}
	if (json_array_size(nice) > MATCH_ROLE_SKILLS_MAX) {
		err_set(e, "nice", "List at most 20 nice-to-have skills.");
		return;
	}
	json_array_foreach(nice, i, v) {
		json_t *w = json_object_get(v, "weight");

		if (!json_is_object(v)) {
			err_at(e, "nice", i, NULL, "This skill could not be read.");
			continue;
		}
		if ((why = skill_check(json_object_get(v, "skill"), &s, msg,
		    sizeof msg)) != NULL)
			err_at(e, "nice", i, "skill", why);
		if (w != NULL && (!json_is_integer(w) || json_integer_value(w) < 1 ||
		    json_integer_value(w) > 5))
			err_at(e, "nice", i, "weight", "A weight goes from 1 (a little) "
			    "to 5 (very much).");
	}
}

/* What only the store can tell: the managers are hiring managers, the
 * owner an admin or a recruiter, all of them able to sign in. */
static int
check_users(struct store *st, DB_TXN *txn, json_t *role, json_t *e)
{
	json_t *mgrs = json_object_get(role, "managers"), *v, *u;
	json_t *owner = json_object_get(role, "owner");
	size_t i;
	int rc;

	if (mgrs && !json_is_array(mgrs) && !json_is_null(mgrs))
		err_set(e, "managers", "The hiring managers could not be read.");
	else if (json_array_size(mgrs) > ROLE_MANAGERS_MAX)
		err_set(e, "managers", "A role has at most 20 hiring managers.");
	else
		json_array_foreach(mgrs, i, v) {
			const char *r;

			if (!json_is_integer(v) || json_integer_value(v) <= 0) {
				err_set(e, "managers", "Choose the hiring managers from the list.");
				break;
			}
			for (size_t k = 0; k < i; k++)
				if (json_integer_value(json_array_get(mgrs, k)) ==
				    json_integer_value(v)) {
					err_set(e, "managers", "A hiring manager is listed twice.");
					break;
				}
			rc = store_user_get(st, txn, (uint64_t)json_integer_value(v), &u);
			if (rc == HE_NOTFOUND) {
				err_set(e, "managers", "One of these hiring managers has no "
				    "account any more.");
				continue;
			}
			if (rc != HE_OK)
				return rc;
			r = json_string_value(json_object_get(u, "role"));
			if (r == NULL || strcmp(r, "hiring_manager") != 0)
				err_set(e, "managers", "Only users with the hiring manager "
				    "role can be a role's hiring managers.");
			else if (json_is_true(json_object_get(u, "disabled")))
				err_set(e, "managers", "One of these hiring managers' "
				    "accounts is disabled.");
			json_decref(u);
		}
	if (owner != NULL && !json_is_null(owner)) {
		const char *r;

		if (!json_is_integer(owner) || json_integer_value(owner) <= 0) {
			err_set(e, "owner", "Choose who owns the role.");
			return HE_OK;
		}
		rc = store_user_get(st, txn, (uint64_t)json_integer_value(owner), &u);
		if (rc == HE_NOTFOUND) {
			err_set(e, "owner", "This user has no account any more.");
			return HE_OK;
		}
		if (rc != HE_OK)
			return rc;
		r = json_string_value(json_object_get(u, "role"));
		if (r == NULL || (strcmp(r, "admin") != 0 && strcmp(r, "recruiter") != 0))
			err_set(e, "owner", "A role is owned by a recruiter or an admin.");
		else if (json_is_true(json_object_get(u, "disabled")))
			err_set(e, "owner", "This user's account is disabled.");
		json_decref(u);
	}
	return HE_OK;
}

int
role_validate(struct store *st, DB_TXN *txn, json_t *role, json_t **errors)
{
	json_t *e = json_object(), *v;
	const char *s;
	int bad, remote = 0, rc;

	*errors = NULL;
	if (e == NULL)
		return HE_NOMEM;
	if (!json_is_object(role)) {
		err_set(e, "title", "The role could not be read.");
		*errors = e;
		return HE_INVALID;
	}
	s = opt_str(role, "title", &bad);
	if (blank(s))
		err_set(e, "title", "Give the role a title.");
	else if (!line_ok(s, ROLE_TITLE_MAX))
		err_set(e, "title", "A title is one line of at most 120 characters.");
	s = opt_str(role, "team", &bad);
	if (bad || (s && !line_ok(s, ROLE_TITLE_MAX)))
		err_set(e, "team", "A team is one line of at most 120 characters.");
	s = opt_str(role, "family", &bad);
	if (blank(s))
		err_set(e, "family", "Choose the job family.");
	else if (!role_family_known(s))
		err_set(e, "family", "Choose one of the job families.");
	s = opt_str(role, "remote", &bad);
	if (!one_of(s, match_remote_names))
		err_set(e, "remote", "Choose on site, hybrid or remote.");
	else
		remote = strcmp(s, match_remote_names[MATCH_REMOTE]) == 0;
	check_locations(role, e, remote);
	s = opt_str(role, "seniority", &bad);
	if (bad || (s && *s && !comm_seniority_known(s)))
		err_set(e, "seniority", "Choose a seniority, or any.");
	check_skills(role, e);
	s = opt_str(role, "description", &bad);
	if (bad || (s && (!text_utf8_valid(s, strlen(s)) ||
	    text_chars(s) > ROLE_TEXT_MAX)))
		err_set(e, "description", "A description has at most 20,000 characters.");
	v = json_object_get(role, "threshold");
	if (v && !json_is_null(v) && (!json_is_integer(v) ||
	    json_integer_value(v) < 0 || json_integer_value(v) > 100))
		err_set(e, "threshold", "An alert score goes from 1 to 100 (0: the "
		    "site's default).");
	if ((rc = check_users(st, txn, role, e)) != HE_OK) {
		json_decref(e);
		return rc;
	}
	if (json_object_size(e) == 0) {
		json_decref(e);
		return HE_OK;
	}
	*errors = e;
	return HE_INVALID;
}
