/* users.c: back-office accounts: adding, listing, roles, disabling, resets */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crm/audit.h"
#include "crm/auth.h"
#include "crm/auth_int.h"
#include "crm/clock.h"
#include "store/entities.h"
#include "store/store.h"
#include "util/he.h"
#include "util/text.h"

/* The audit detail of a change to user id: who it was done to. */
static json_t *
target(uint64_t id, json_t *body)
{
	return json_pack("{s:I, s:s}", "target", (json_int_t)id, "email",
	    json_string_value(json_object_get(body, "email")));
}

struct add_txn {
	json_t *body;
	const struct audit_actor *who;
	uint64_t id;
};

static int
add_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct add_txn *a = arg;
	json_t *detail;
	int rc;

	if ((rc = store_user_insert(st, txn, a->body, &a->id)) != HE_OK)
		return rc;
	if ((detail = target(a->id, a->body)) == NULL)
		return HE_NOMEM;
	json_object_set(detail, "role", json_object_get(a->body, "role"));
	rc = audit_log(st, txn, a->who, "user_add", 0, detail);
	json_decref(detail);
	return rc;
}

int
auth_user_add(struct store *st, const struct audit_actor *who,
    const char *email, const char *name, const char *password,
    enum auth_role role, uint64_t *id)
{
	char hash[crypto_pwhash_STRBYTES];
	struct add_txn a = { NULL, who, 0 };
	int rc;

	if (role >= ROLE__MAX || email == NULL || email[0] == '\0')
		return HE_INVALID;
	if ((rc = auth_hash_password(password, hash)) != HE_OK)
		return rc;
	a.body = json_pack("{s:s, s:s, s:s, s:s, s:b, s:I, s:I}", "email", email,
	    "name", name ? name : "", "role", auth_role_name(role),
	    "pwhash", hash, "disabled", 0, "created", (json_int_t)clock_now(),
	    "gen", (json_int_t)0);
	sodium_memzero(hash, sizeof hash);
	if (a.body == NULL)
		return HE_NOMEM;
	rc = store_txn(st, add_txn, &a);
	json_decref(a.body);
	if (rc == HE_OK)
		*id = a.id;
	return rc;
}

static int
count_txn(struct store *st, DB_TXN *txn, void *arg)
{
	return store_user_count(st, txn, arg);
}

int
auth_user_count(struct store *st, size_t *n)
{
	return store_txn(st, count_txn, n);
}

/* ---- reading ---- */

static int
fill_info(uint64_t id, json_t *body, struct auth_user_info *out)
{
	const char *email = json_string_value(json_object_get(body, "email"));
	const char *name = json_string_value(json_object_get(body, "name"));
	const char *role = json_string_value(json_object_get(body, "role"));
	int64_t failures = auth_rec_int(body, "failures");

	memset(out, 0, sizeof *out);
	if (email == NULL || role == NULL ||
	    auth_role_parse(role, &out->role) != HE_OK)
		return HE_INVALID;
	out->id = id;
	out->disabled = json_is_true(json_object_get(body, "disabled"));
	snprintf(out->email, sizeof out->email, "%s", email);
	snprintf(out->name, sizeof out->name, "%s", name ? name : "");
	out->created = auth_rec_int(body, "created");
	out->last_login = auth_rec_int(body, "last_login");
	out->locked_until = auth_rec_int(body, "locked_until");
	out->failures = failures < 0 ? 0 : failures > UINT32_MAX ? UINT32_MAX :
	    (unsigned)failures;
	return HE_OK;
}

struct list_txn {
	struct auth_user_info *rows;
	size_t n, cap;
};

static int
list_one(uint64_t id, json_t *body, void *ctx)
{
	struct list_txn *l = ctx;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct auth_user_info *r = realloc(l->rows, cap * sizeof *r);

		if (r == NULL)
			return HE_NOMEM;
		l->rows = r;
		l->cap = cap;
	}
	return fill_info(id, body, &l->rows[l->n++]);
}

static int
list_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct list_txn *l = arg;

	l->n = 0;
	return store_user_each(st, txn, list_one, l);
}

int
auth_user_list(struct store *st, struct auth_user_info **out, size_t *n)
{
	struct list_txn l = { NULL, 0, 0 };
	int rc = store_txn(st, list_txn, &l);

	if (rc != HE_OK) {
		free(l.rows);
		return rc;
	}
	*out = l.rows;
	*n = l.n;
	return HE_OK;
}

struct get_txn {
	uint64_t id;
	const char *email;	/* instead of id when set */
	struct auth_user_info *out;
};

static int
get_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct get_txn *g = arg;
	json_t *body;
	int rc;

	rc = g->email ? store_user_by_email(st, txn, g->email, &g->id, &body) :
	    store_user_get(st, txn, g->id, &body);
	if (rc != HE_OK)
		return rc;
	rc = fill_info(g->id, body, g->out);
	json_decref(body);
	return rc;
}

int
auth_user_get(struct store *st, uint64_t id, struct auth_user_info *out)
{
	struct get_txn g = { id, NULL, out };

	return store_txn(st, get_txn, &g);
}

int
auth_user_find(struct store *st, const char *email, struct auth_user_info *out)
{
	struct get_txn g = { 0, email, out };

	return store_txn(st, get_txn, &g);
}

/* ---- changes ---- */

static int
active_admin(json_t *body)
{
	const char *role = json_string_value(json_object_get(body, "role"));

	return role && strcmp(role, "admin") == 0 &&
	    !json_is_true(json_object_get(body, "disabled"));
}

static int
count_admin(uint64_t id, json_t *body, void *ctx)
{
	(void)id;
	*(size_t *)ctx += active_admin(body) ? 1 : 0;
	return HE_OK;
}

enum change { CHANGE_DISABLE, CHANGE_ENABLE, CHANGE_ROLE, CHANGE_RESET };

static const char *const change_action[] = {
	[CHANGE_DISABLE] = "user_disable",
	[CHANGE_ENABLE] = "user_enable",
	[CHANGE_ROLE] = "user_role",
	[CHANGE_RESET] = "user_reset",
};

struct change_txn {
	enum change what;
	uint64_t id;
	enum auth_role role;	/* CHANGE_ROLE */
	const char *hash;	/* CHANGE_RESET */
	const struct audit_actor *who;
};

/* Applies c to body; 0 when it changes nothing. detail gets what the
 * audit entry says beyond the target. */
static int
apply(const struct change_txn *c, json_t *body, json_t *detail)
{
	const char *was = json_string_value(json_object_get(body, "role"));
	int disabled = json_is_true(json_object_get(body, "disabled"));

	switch (c->what) {
	case CHANGE_DISABLE:
	case CHANGE_ENABLE:
		if (disabled == (c->what == CHANGE_DISABLE))
			return 0;
		json_object_set_new(body, "disabled",
		    json_boolean(c->what == CHANGE_DISABLE));
		/* Sessions opened before a disable stay dead after an enable. */
		json_object_set_new(body, "gen",
		    json_integer(auth_rec_int(body, "gen") + 1));
		return 1;
	case CHANGE_ROLE:
		if (was && strcmp(was, auth_role_name(c->role)) == 0)
			return 0;
		json_object_set_new(detail, "from", json_string(was ? was : ""));
		json_object_set_new(detail, "to", json_string(auth_role_name(c->role)));
		json_object_set_new(body, "role", json_string(auth_role_name(c->role)));
		return 1;
	case CHANGE_RESET:
		json_object_set_new(body, "pwhash", json_string(c->hash));
		json_object_set_new(body, "gen",
		    json_integer(auth_rec_int(body, "gen") + 1));
		json_object_del(body, "failures");
		json_object_del(body, "last_failure");
		json_object_del(body, "locked_until");
		return 1;
	}
	return 0;
}

static int
change_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct change_txn *c = arg;
	json_t *body, *detail = NULL;
	size_t admins = 0;
	int was_admin, rc;

	if ((rc = store_user_get_rmw(st, txn, c->id, &body)) != HE_OK)
		return rc;
	was_admin = active_admin(body);
	if ((detail = target(c->id, body)) == NULL) {
		rc = HE_NOMEM;
		goto out;
	}
	if (!apply(c, body, detail))
		goto out;	/* nothing to do, nothing to audit */
	if (was_admin && !active_admin(body)) {
		/* Read in this transaction: two admins demoting each other
		 * at once deadlock, and the retry sees the other's change. */
		if ((rc = store_user_each(st, txn, count_admin, &admins)) != HE_OK)
			goto out;
		if (admins <= 1) {
			rc = HE_DENIED;
			goto out;
		}
	}
	if ((rc = store_user_put(st, txn, c->id, body)) == HE_OK)
		rc = audit_log(st, txn, c->who, change_action[c->what], 0, detail);
out:
	json_decref(detail);
	json_decref(body);
	return rc;
}

int
auth_user_set_disabled(struct store *st, const struct audit_actor *who,
    uint64_t id, int disabled)
{
	struct change_txn c = { disabled ? CHANGE_DISABLE : CHANGE_ENABLE, id,
	    0, NULL, who };

	return store_txn(st, change_txn, &c);
}

int
auth_user_set_role(struct store *st, const struct audit_actor *who,
    uint64_t id, enum auth_role role)
{
	struct change_txn c = { CHANGE_ROLE, id, role, NULL, who };

	if (role >= ROLE__MAX)
		return HE_INVALID;
	return store_txn(st, change_txn, &c);
}

int
auth_user_reset(struct store *st, const struct audit_actor *who, uint64_t id,
    const char *password)
{
	char hash[crypto_pwhash_STRBYTES];
	struct change_txn c = { CHANGE_RESET, id, 0, hash, who };
	int rc;

	if ((rc = auth_hash_password(password, hash)) != HE_OK)
		return rc;
	rc = store_txn(st, change_txn, &c);
	sodium_memzero(hash, sizeof hash);
	return rc;
}

/* ---- the user's own signature ---- */

struct sig_txn {
	uint64_t id;
	const char *text;	/* to set; NULL to read into out */
	char *out;
};

static int
sig_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct sig_txn *g = arg;
	json_t *body;
	const char *s;
	int rc;

	rc = g->text ? store_user_get_rmw(st, txn, g->id, &body) :
	    store_user_get(st, txn, g->id, &body);
	if (rc != HE_OK)
		return rc;
	if (g->text) {
		if (g->text[0])
			rc = json_object_set_new(body, "signature",
			    json_string(g->text)) ? HE_NOMEM : HE_OK;
		else
			json_object_del(body, "signature");
		if (rc == HE_OK)
			rc = store_user_put(st, txn, g->id, body);
	} else {
		s = json_string_value(json_object_get(body, "signature"));
		free(g->out);
		rc = (g->out = strdup(s ? s : "")) ? HE_OK : HE_NOMEM;
	}
	json_decref(body);
	return rc;
}

int
auth_user_set_signature(struct store *st, uint64_t id, const char *signature)
{
	struct sig_txn g = { id, signature, NULL };

	if (signature == NULL || !text_utf8_valid(signature, strlen(signature)))
		return HE_INVALID;
	return store_txn(st, sig_txn, &g);
}

int
auth_user_signature(struct store *st, uint64_t id, char **out)
{
	struct sig_txn g = { id, NULL, NULL };
	int rc = store_txn(st, sig_txn, &g);

	if (rc != HE_OK) {
		free(g.out);
		return rc;
	}
	*out = g.out;
	return HE_OK;
}
