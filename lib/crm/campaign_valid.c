/* campaign_valid.c: what a campaign definition must be, with errors per field */
#include <stdio.h>
#include <string.h>

#include "crm/campaign.h"
#include "crm/campaign_int.h"
#include "util/he.h"
#include "util/merge.h"
#include "util/text.h"

#define SUBJECT_MAX 300		/* characters */
#define BODY_MAX 65536		/* bytes (MERGE_SRC_MAX) */

static const char *const goals[] = { "", "replied", "applied", "status_changed",
	NULL };
static const char *const branch_on[] = { "clicked", "replied", "nothing", "hot",
	"warm", "cold", NULL };

static int
one_of(const char *s, const char *const *set)
{
	for (; s && *set; set++)
		if (strcmp(s, *set) == 0)
			return 1;
	return 0;
}

static void
err_set(json_t *errors, const char *field, const char *msg)
{
	if (json_object_get(errors, field) == NULL)
		json_object_set_new(errors, field, json_string(msg));
}

static void
err_step(json_t *errors, size_t i, const char *part, const char *msg)
{
	char field[64];

	if (part)
		snprintf(field, sizeof field, "steps.%zu.%s", i, part);
	else
		snprintf(field, sizeof field, "steps.%zu", i);
	err_set(errors, field, msg);
}

/* An integer in [lo, hi], or absent (then *v = dflt). 0 when malformed. */
static int
int_in(json_t *obj, const char *key, json_int_t lo, json_int_t hi,
    json_int_t dflt, json_int_t *v)
{
	json_t *j = json_object_get(obj, key);

	if (j == NULL) {
		*v = dflt;
		return 1;
	}
	if (!json_is_integer(j))
		return 0;
	*v = json_integer_value(j);
	return *v >= lo && *v <= hi;
}

/* A merge template: parsed (the real parser says what is wrong and where). */
static void
check_template(json_t *errors, size_t i, size_t v, const char *what,
    json_t *j, size_t maxchars)
{
	char part[48], err[200] = "";
	const char *s = json_string_value(j);
	struct merge_tmpl *t = NULL;
	size_t len;

	snprintf(part, sizeof part, "variants.%zu.%s", v, what);
	if (s == NULL || s[strspn(s, " \t\r\n")] == '\0') {
		err_step(errors, i, part, strcmp(what, "subject") == 0 ?
		    "Write a subject." : "Write the message.");
		return;
	}
	len = strlen(s);
	if (!text_utf8_valid(s, len)) {
		err_step(errors, i, part, "This text is not valid UTF-8.");
		return;
	}
	if (len > BODY_MAX || (maxchars && text_chars(s) > maxchars)) {
		snprintf(err, sizeof err, "This is too long: at most %zu characters.",
		    maxchars ? maxchars : (size_t)BODY_MAX);
		err_step(errors, i, part, err);
		return;
	}
	if (strcmp(what, "subject") == 0 && strpbrk(s, "\r\n")) {
		err_step(errors, i, part, "A subject is one line.");
		return;
	}
	if (merge_parse(s, len, &t, err, sizeof err) != HE_OK) {
		char msg[260];

		snprintf(msg, sizeof msg, "%s", err[0] ? err :
		    "This template cannot be read.");
		err_step(errors, i, part, msg);
		return;
	}
	merge_free(t);
}

static void
check_email(json_t *errors, size_t i, json_t *step)
{
	json_t *vars = json_object_get(step, "variants"), *ab, *v;
	json_int_t w;
	size_t k, n = json_array_size(vars);

	if (!json_is_array(vars) || n < 1 || n > CAMP_VARIANTS_MAX) {
		err_step(errors, i, "variants",
		    "An email needs one to four versions (subject and message).");
		return;
	}
	json_array_foreach(vars, k, v) {
		if (!json_is_object(v)) {
			err_step(errors, i, "variants", "Each version needs a subject and a message.");
			continue;
		}
		check_template(errors, i, k, "subject", json_object_get(v, "subject"),
		    SUBJECT_MAX);
		check_template(errors, i, k, "body", json_object_get(v, "body"), 0);
	}
	if ((ab = json_object_get(step, "ab")) != NULL && !json_is_null(ab)) {
		const char *m = json_string_value(json_object_get(ab, "metric"));
		json_t *a = json_object_get(ab, "auto");

		if (!json_is_object(ab))
			err_step(errors, i, "ab", "The A/B test settings are not readable.");
		else if (n < 2)
			err_step(errors, i, "ab", "An A/B test needs at least two versions.");
		else if (m == NULL || (strcmp(m, "click") != 0 && strcmp(m, "reply") != 0))
			err_step(errors, i, "ab.metric", "Compare versions by clicks or by replies.");
		else if (a && !json_is_boolean(a))
			err_step(errors, i, "ab.auto", "Choose whether to switch to the winner.");
	}
	if (!int_in(step, "winner", 0, (json_int_t)n - 1, 0, &w) &&
	    !json_is_null(json_object_get(step, "winner")))
		err_step(errors, i, "winner", "The winner must be one of the versions.");
}

static void
check_step(json_t *errors, size_t i, size_t nsteps, json_t *step)
{
	const char *type = json_string_value(json_object_get(step, "type"));
	json_int_t d, h, g, p;

	if (!json_is_object(step) || type == NULL) {
		err_step(errors, i, NULL, "Choose what this step does.");
		return;
	}
	if (strcmp(type, "email") == 0) {
		check_email(errors, i, step);
	} else if (strcmp(type, "wait") == 0) {
		if (!int_in(step, "days", 0, 365, 0, &d))
			err_step(errors, i, "days", "Wait 0 to 365 days.");
		else if (!int_in(step, "hours", 0, 23, 0, &h))
			err_step(errors, i, "hours", "Wait 0 to 23 hours besides the days.");
		else if (d == 0 && h == 0)
			err_step(errors, i, "days", "Wait at least an hour.");
	} else if (strcmp(type, "branch") == 0) {
		if (!one_of(json_string_value(json_object_get(step, "on")), branch_on))
			err_step(errors, i, "on", "Choose what to branch on: clicked, "
			    "replied, did nothing, or hot, warm or cold.");
		if (!json_is_integer(json_object_get(step, "goto")) ||
		    !int_in(step, "goto", (json_int_t)i + 1, (json_int_t)nsteps, 0, &g))
			err_step(errors, i, "goto", "A branch jumps forward: to a later "
			    "step or to the end.");
	} else if (strcmp(type, "pool_add") == 0 || strcmp(type, "pool_remove") == 0) {
		if (!json_is_integer(json_object_get(step, "pool")) ||
		    !int_in(step, "pool", 1, INT64_MAX, 0, &p))
			err_step(errors, i, "pool", "Choose a static pool.");
	} else if (strcmp(type, "notify") == 0) {
		const char *t = json_string_value(json_object_get(step, "text"));

		if (t == NULL || t[strspn(t, " \t\r\n")] == '\0')
			err_step(errors, i, "text", "Write what the owner should be told.");
		else if (!text_utf8_valid(t, strlen(t)) || text_chars(t) > CAMP_TEXT_MAX)
			err_step(errors, i, "text", "At most 2000 characters.");
	} else if (strcmp(type, "exit") != 0) {
		err_step(errors, i, "type", "This kind of step does not exist.");
	}
}

int
campaign_validate(json_t *body, json_t **errors)
{
	json_t *e = json_object(), *pools, *steps, *win, *v;
	const char *name;
	json_int_t from, to;
	size_t i;

	*errors = NULL;
	if (e == NULL)
		return HE_NOMEM;
	if (!json_is_object(body)) {
		err_set(e, "name", "The campaign could not be read.");
		*errors = e;
		return HE_INVALID;
	}
	name = json_string_value(json_object_get(body, "name"));
	if (name == NULL || name[strspn(name, " \t\r\n")] == '\0')
		err_set(e, "name", "Give the campaign a name.");
	else if (!text_utf8_valid(name, strlen(name)) ||
	    text_chars(name) > CAMP_NAME_MAX || strpbrk(name, "\r\n"))
		err_set(e, "name", "A name is one line of at most 120 characters.");

	pools = json_object_get(body, "pools");
	if (pools && !json_is_array(pools))
		err_set(e, "pools", "Choose the pools this campaign is for.");
	json_array_foreach(pools, i, v)
		if (!json_is_integer(v) || json_integer_value(v) <= 0) {
			err_set(e, "pools", "Choose the pools this campaign is for.");
			break;
		}
	if ((v = json_object_get(body, "auto")) && !json_is_boolean(v))
		err_set(e, "auto", "Choose whether people entering a pool join.");
	if ((v = json_object_get(body, "goal")) &&
	    !one_of(json_string_value(v), goals))
		err_set(e, "goal", "Choose a goal: a reply, an application, a "
		    "change of status, or none.");

	if ((win = json_object_get(body, "window")) != NULL) {
		if (!json_is_object(win) || !int_in(win, "from", 0, 23, 0, &from) ||
		    !int_in(win, "to", 1, 24, 24, &to))
			err_set(e, "window", "Sending hours go from 0 to 24.");
		else if (from >= to)
			err_set(e, "window", "The first sending hour must come before the last.");
		else if ((v = json_object_get(win, "weekdays")) && !json_is_boolean(v))
			err_set(e, "window", "Choose whether to send on weekdays only.");
	}

	steps = json_object_get(body, "steps");
	if (steps && !json_is_array(steps))
		err_set(e, "steps", "The steps could not be read.");
	else if (json_array_size(steps) > CAMP_STEPS_MAX)
		err_set(e, "steps", "A campaign has at most 30 steps.");
	else
		json_array_foreach(steps, i, v)
			check_step(e, i, json_array_size(steps), v);

	if (json_object_size(e) == 0) {
		json_decref(e);
		return HE_OK;
	}
	*errors = e;
	return HE_INVALID;
}

int
camp_has_email(json_t *camp)
{
	size_t i;
	json_t *s;

	json_array_foreach(json_object_get(camp, "steps"), i, s)
		if (camp_step_is(s, "email"))
			return 1;
	return 0;
}

int
camp_step_is(json_t *step, const char *type)
{
	const char *t = json_string_value(json_object_get(step, "type"));

	return t && strcmp(t, type) == 0;
}
