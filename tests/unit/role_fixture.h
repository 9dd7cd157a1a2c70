/* role_fixture.h: users, roles, touchpoints and audit entries over the campaign
 * fixture's store: shared by test_role, test_pipeline and test_role_alert */
#ifndef HEARTH_ROLE_FIXTURE_H
#define HEARTH_ROLE_FIXTURE_H

#include "campaign_fixture.h"
#include "crm/audit.h"
#include "crm/pipeline.h"
#include "crm/role.h"
#include "store/role.h"
#include "store/touch.h"

/* A back-office user. */
FX uint64_t
fx_user(struct env *e, const char *email, const char *role, int disabled)
{
	json_t *u = json_pack("{s:s, s:s, s:s, s:b}", "email", email, "name",
	    email, "role", role, "disabled", disabled);
	uint64_t id = 0;

	assert_non_null(u);
	assert_int_equal(store_user_insert(e->st, NULL, u, &id), HE_OK);
	json_decref(u);
	return id;
}

/* A valid role's JSON text with these fields replaced (extra: more
 * members, "" or e.g. ",\"managers\":[3]"). */
FX json_t *
fx_role_json(const char *family, const char *extra)
{
	return fx_json("{\"title\":\"Backend engineer\",\"team\":\"Platform\","
	    "\"family\":\"%s\",\"locations\":[{\"city\":\"Berlin\",\"country\":"
	    "\"Germany\"}],\"remote\":\"hybrid\",\"seniority\":\"senior\","
	    "\"required\":[\"Go\",\"PostgreSQL\"],\"nice\":[{\"skill\":\"k8s\","
	    "\"weight\":3}],\"description\":\"Build the platform.\"%s}",
	    family, extra ? extra : "");
}

/* Creates a role (must be valid) by user `by`, in status (NULL: draft). */
FX uint64_t
fx_role(struct env *e, uint64_t by, const char *family, const char *extra,
    const char *status)
{
	struct audit_actor who = { by, NULL };
	json_t *body = fx_role_json(family, extra), *errors = NULL;
	uint64_t id = 0;
	int rc = role_create(e->st, &who, body, &id, &errors);

	if (rc != HE_OK) {
		char *s = errors ? json_dumps(errors, 0) : NULL;

		fail_msg("role_create: %s %s", he_strerror(rc), s ? s : "");
	}
	json_decref(body);
	if (status)
		assert_int_equal(role_set_status(e->st, &who, id,
		    (enum role_status)role_status_of(status)), HE_OK);
	return id;
}

/* Puts cand in role's pipeline as shortlisted, when absent and both
 * exist, without the shortlisting's checks and records, which the moves
 * these tests make do not care for. */
FX void
fx_join(struct env *e, uint64_t role, uint64_t cand)
{
	json_t *role_rec, *entry;

	if (store_pipe_exists(e->st, NULL, role, cand) != HE_NOTFOUND ||
	    store_cand_exists(e->st, NULL, cand) != HE_OK ||
	    store_role_get(e->st, NULL, role, 0, &role_rec) != HE_OK)
		return;
	json_decref(role_rec);
	entry = json_pack("{s:s, s:I, s:I, s:[]}", "stage", "shortlisted", "at",
	    (json_int_t)clock_now(), "added", (json_int_t)clock_now(), "history");
	assert_int_equal(store_pipe_put(e->st, NULL, role, cand, entry), HE_OK);
	json_decref(entry);
}

/* pipe_move, for someone put in the pipeline first when they are not. */
FX int
fx_move(struct env *e, const struct audit_actor *who, uint64_t role,
    uint64_t cand, enum pipe_stage stage)
{
	fx_join(e, role, cand);
	return pipe_move(e->st, who, role, cand, stage);
}

FX int
fx_touch_collect(uint64_t id, json_t *body, void *ctx)
{
	(void)id;
	json_array_insert(ctx, 0, body);	/* oldest first */
	return HE_OK;
}

/* The touchpoints of cand of this kind, oldest first. */
FX json_t *
fx_touches(struct env *e, uint64_t cand, const char *kind)
{
	json_t *all = json_array(), *out = json_array(), *t;
	size_t i;

	assert_int_equal(store_touch_newest(e->st, NULL, cand, 0, 1000,
	    fx_touch_collect, all), HE_OK);
	json_array_foreach(all, i, t)
		if (kind == NULL || strcmp(json_string_value(json_object_get(t,
		    "kind")) ?: "", kind) == 0)
			json_array_append(out, t);
	json_decref(all);
	return out;
}

struct fx_audit {
	const char *action;
	json_t *out;
};

FX int
fx_audit_collect(json_t *entry, void *ctx)
{
	struct fx_audit *a = ctx;

	if (strcmp(json_string_value(json_object_get(entry, "action")) ?: "",
	    a->action) == 0)
		json_array_append(a->out, entry);
	return HE_OK;
}

/* The audit entries about cand of this action, oldest first. */
FX json_t *
fx_audits(struct env *e, uint64_t cand, const char *action)
{
	struct fx_audit a = { action, json_array() };

	assert_int_equal(audit_each_of(e->st, NULL, cand, fx_audit_collect, &a),
	    HE_OK);
	return a.out;
}

FX const char *
fx_field(struct env *e, uint64_t cand, const char *field)
{
	static char buf[128];
	json_t *rec;

	assert_int_equal(store_cand_get(e->st, NULL, cand, 0, &rec), HE_OK);
	snprintf(buf, sizeof buf, "%s", json_string_value(json_object_get(rec,
	    field)) ?: "");
	json_decref(rec);
	return buf;
}

/* Whether cand's record lists family among its "silver_families". */
FX int
fx_silver_of(struct env *e, uint64_t cand, const char *family)
{
	json_t *rec, *v;
	size_t i;
	int found = 0;

	assert_int_equal(store_cand_get(e->st, NULL, cand, 0, &rec), HE_OK);
	json_array_foreach(json_object_get(rec, "silver_families"), i, v)
		found |= strcmp(json_string_value(v) ?: "", family) == 0;
	json_decref(rec);
	return found;
}

#endif
