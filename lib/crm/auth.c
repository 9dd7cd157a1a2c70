/* auth.c: argon2id passwords, sign-in with lockouts, server-side sessions */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "crm/audit.h"
#include "crm/auth.h"
#include "crm/auth_int.h"
#include "crm/clock.h"
#include "store/entities.h"
#include "store/store.h"
#include "util/he.h"

/* A touched session is written back at most this often (seconds), and
 * at least four times per idle limit, so a session in use never looks
 * idle for more than a quarter of it. */
#define SESSION_TOUCH_EVERY 60
/* Keys of the shared table: the kind, a newline, then the value. */
#define KEY_MAX 300

const char *const auth_role_names[ROLE__MAX + 1] = {
	[ROLE_ADMIN] = "admin",
	[ROLE_RECRUITER] = "recruiter",
	[ROLE_HIRING_MANAGER] = "hiring_manager",
	[ROLE__MAX] = NULL,
};

const char *
auth_role_name(enum auth_role role)
{
	return role < ROLE__MAX ? auth_role_names[role] : "unknown";
}

int
auth_role_parse(const char *name, enum auth_role *role)
{
	for (int i = 0; i < ROLE__MAX; i++)
		if (strcmp(name, auth_role_names[i]) == 0) {
			*role = i;
			return HE_OK;
		}
	return HE_INVALID;
}

void
auth_guard_defaults(struct auth_guard *g)
{
	g->account = (struct lockout_policy){ 5, 60, 3600 };
	g->address = (struct lockout_policy){ 30, 60, 3600 };
}

void
auth_password_generate(char out[AUTH_GENERATED_SIZE])
{
	unsigned char raw[12];

	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(out, AUTH_GENERATED_SIZE, raw, sizeof raw,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
}

int
auth_hash_password(const char *password, char out[crypto_pwhash_STRBYTES])
{
	size_t plen = strlen(password);

	if (plen < AUTH_PASSWORD_MIN || plen > AUTH_PASSWORD_MAX)
		return HE_INVALID;
	if (crypto_pwhash_str_alg(out, password, plen,
	    crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
	    crypto_pwhash_ALG_ARGON2ID13) != 0)
		return HE_NOMEM;
	return HE_OK;
}

int64_t
auth_rec_int(json_t *body, const char *field)
{
	return (int64_t)json_integer_value(json_object_get(body, field));
}

int
auth_fill_user(uint64_t id, json_t *body, struct auth_user *user)
{
	const char *email = json_string_value(json_object_get(body, "email"));
	const char *role = json_string_value(json_object_get(body, "role"));

	if (email == NULL || role == NULL ||
	    auth_role_parse(role, &user->role) != HE_OK)
		return HE_INVALID;
	user->id = id;
	snprintf(user->email, sizeof user->email, "%s", email);
	return HE_OK;
}

static void
session_key(const char *token, unsigned char key[STORE_SESSION_KEYBYTES])
{
	crypto_hash_sha256(key, (const unsigned char *)token, strlen(token));
}

static void
new_token(char token[AUTH_TOKEN_SIZE])
{
	unsigned char raw[32];

	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(token, AUTH_TOKEN_SIZE, raw, sizeof raw,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/* A session of user, opened now under the user's password generation. */
static int
session_open(struct store *st, DB_TXN *txn, const char *token, uint64_t user,
    int64_t gen, int64_t now)
{
	unsigned char key[STORE_SESSION_KEYBYTES];
	json_t *s = json_pack("{s:I, s:I, s:I, s:I}", "user", (json_int_t)user,
	    "created", (json_int_t)now, "seen", (json_int_t)now,
	    "gen", (json_int_t)gen);
	int rc;

	if (s == NULL)
		return HE_NOMEM;
	session_key(token, key);
	rc = store_session_put(st, txn, key, s);
	json_decref(s);
	return rc;
}

/* Hashing the password of nobody keeps unknown emails as slow as known ones. */
static const char *
dummy_hash(void)
{
	static char hash[crypto_pwhash_STRBYTES];

	if (hash[0] == '\0' && crypto_pwhash_str_alg(hash, "hearth", 6,
	    crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
	    crypto_pwhash_ALG_ARGON2ID13) != 0)
		hash[0] = '\0';
	return hash;
}

static void
table_key(char out[KEY_MAX], const char *kind, const char *value)
{
	snprintf(out, KEY_MAX, "%s\n%s", kind, value);
}

/* ---- failures ---- */

/*
 * One more failure of an account, in its record (read for update): the
 * count fades after twice the longest lock without a failure. Returns the
 * seconds of the lock it starts, 0 for none.
 */
static long
account_fail(const struct lockout_policy *p, json_t *body, int64_t now)
{
	int64_t failures = auth_rec_int(body, "failures");
	int64_t until = auth_rec_int(body, "locked_until");
	long lock;

	if (now - auth_rec_int(body, "last_failure") > 2 * p->max)
		failures = 0;
	failures++;
	lock = lockout_seconds(p, failures > UINT32_MAX ? UINT32_MAX :
	    (unsigned)failures);
	json_object_set_new(body, "failures", json_integer(failures));
	json_object_set_new(body, "last_failure", json_integer(now));
	if (lock > 0 && now + lock > until)
		json_object_set_new(body, "locked_until", json_integer(now + lock));
	return lock;
}

/* Back to no failures (a success, a reset). */
static void
account_clear(json_t *body)
{
	json_object_del(body, "failures");
	json_object_del(body, "last_failure");
	json_object_del(body, "locked_until");
}

struct fail_txn {
	const struct lockout_policy *policy;
	uint64_t id;		/* the account, or 0 for an unknown email */
	const char *email;
	const char *during;	/* NULL: a sign-in */
	const struct audit_actor *who;
	int64_t now;
	long lock;		/* out (accounts), in (unknown emails) */
};

static int
fail_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct fail_txn *f = arg;
	json_t *body = NULL, *detail;
	int rc;

	if (f->id) {
		if ((rc = store_user_get_rmw(st, txn, f->id, &body)) != HE_OK)
			return rc;
		f->lock = account_fail(f->policy, body, f->now);
		rc = store_user_put(st, txn, f->id, body);
		json_decref(body);
		if (rc != HE_OK)
			return rc;
	}
	detail = json_pack("{s:s}", "email", f->email);
	if (detail == NULL)
		return HE_NOMEM;
	if (f->id)
		json_object_set_new(detail, "account", json_integer((json_int_t)f->id));
	if (f->during)
		json_object_set_new(detail, "during", json_string(f->during));
	if (f->lock > 0)
		json_object_set_new(detail, "locked_for", json_integer(f->lock));
	rc = audit_log(st, txn, f->who, "login_failed", 0, detail);
	json_decref(detail);
	return rc;
}

/* ---- sign-in ---- */

struct lookup_txn {
	const char *email;
	uint64_t id;
	json_t *body;
};

static int
lookup_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct lookup_txn *l = arg;

	json_decref(l->body);
	l->body = NULL;
	return store_user_by_email(st, txn, l->email, &l->id, &l->body);
}

struct ok_txn {
	uint64_t id;
	const char *token;
	const struct audit_actor *who;
	int64_t now;
};

static int
login_ok_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct ok_txn *o = arg;
	json_t *body;
	int rc;

	if ((rc = store_user_get_rmw(st, txn, o->id, &body)) != HE_OK)
		return rc;
	if (json_is_true(json_object_get(body, "disabled"))) {
		json_decref(body);	/* disabled while the hash was checked */
		return HE_DENIED;
	}
	account_clear(body);
	json_object_set_new(body, "last_login", json_integer(o->now));
	if ((rc = store_user_put(st, txn, o->id, body)) == HE_OK)
		rc = session_open(st, txn, o->token, o->id,
		    auth_rec_int(body, "gen"), o->now);
	json_decref(body);
	if (rc == HE_OK)
		rc = audit_log(st, txn, o->who, "login", 0, NULL);
	return rc;
}

int
auth_login(struct store *st, const struct auth_guard *g, const char *email,
    const char *password, const char *ip, char token[AUTH_TOKEN_SIZE],
    struct auth_user *user, long *retry_after)
{
	struct lookup_txn l = { email, 0, NULL };
	struct audit_actor who = { 0, ip };
	char email_key[KEY_MAX], ip_key[KEY_MAX];
	const char *hash;
	int64_t now = clock_now();
	long left, ip_lock = 0;
	int rc, ok, known;

	*retry_after = 0;
	table_key(email_key, "email", email);
	table_key(ip_key, "ip", ip ? ip : "");
	if (ip && ip[0] && (left = lockout_check(g->table, ip_key, now)) > 0) {
		*retry_after = left;
		return HE_DENIED;
	}
	rc = store_txn(st, lookup_txn, &l);
	if (rc != HE_OK && rc != HE_NOTFOUND) {
		json_decref(l.body);
		return rc;
	}
	/* Locked: refused before the password is looked at. */
	left = l.body ? (long)(auth_rec_int(l.body, "locked_until") - now) :
	    lockout_check(g->table, email_key, now);
	if (left > 0) {
		json_decref(l.body);
		*retry_after = left;
		return HE_DENIED;
	}
	known = l.body != NULL;
	hash = l.body ? json_string_value(json_object_get(l.body, "pwhash")) : NULL;
	ok = crypto_pwhash_str_verify(hash ? hash : dummy_hash(), password,
	    strlen(password)) == 0;
	ok = ok && hash != NULL &&
	    !json_is_true(json_object_get(l.body, "disabled")) &&
	    auth_fill_user(l.id, l.body, user) == HE_OK;
	json_decref(l.body);

	if (ok) {
		/* A fresh token at every login: a planted cookie never becomes
		 * a session. */
		struct ok_txn o = { l.id, token, &who, now };

		new_token(token);
		who.user = l.id;
		rc = store_txn(st, login_ok_txn, &o);
		return rc;
	}

	struct fail_txn f = { &g->account, known ? l.id : 0, email, NULL, &who,
	    now, 0 };

	if (f.id == 0)
		f.lock = lockout_fail(g->table, email_key, &g->account, now);
	if (ip && ip[0])
		ip_lock = lockout_fail(g->table, ip_key, &g->address, now);
	if ((rc = store_txn(st, fail_txn, &f)) != HE_OK)
		return rc;
	*retry_after = f.lock > ip_lock ? f.lock : ip_lock;
	return HE_DENIED;
}

/* ---- sessions ---- */

struct check_txn {
	const struct auth_limits *lim;
	unsigned char key[STORE_SESSION_KEYBYTES];
	struct auth_user *user;
	int64_t now;
};

static int
check_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct check_txn *c = arg;
	json_t *sess, *ubody;
	json_int_t created, seen, uid;
	long touch = c->lim->idle / 4;
	int rc;

	if (touch > SESSION_TOUCH_EVERY)
		touch = SESSION_TOUCH_EVERY;
	if ((rc = store_session_get(st, txn, c->key, &sess)) != HE_OK)
		return rc;
	uid = json_integer_value(json_object_get(sess, "user"));
	created = json_integer_value(json_object_get(sess, "created"));
	seen = json_integer_value(json_object_get(sess, "seen"));
	if (c->now - created > c->lim->absolute || c->now - seen > c->lim->idle) {
		json_decref(sess);
		return HE_EXPIRED;
	}
	if ((rc = store_user_get(st, txn, (uint64_t)uid, &ubody)) == HE_OK) {
		if (json_is_true(json_object_get(ubody, "disabled")))
			rc = HE_NOTFOUND;
		else if (auth_rec_int(ubody, "gen") != auth_rec_int(sess, "gen"))
			rc = HE_EXPIRED;	/* the password changed since */
		else
			rc = auth_fill_user((uint64_t)uid, ubody, c->user);
		json_decref(ubody);
	}
	if (rc == HE_OK && c->now - seen >= touch) {
		json_object_set_new(sess, "seen", json_integer(c->now));
		rc = store_session_put(st, txn, c->key, sess);
	}
	json_decref(sess);
	return rc;
}

int
auth_session(struct store *st, const struct auth_limits *lim, const char *token,
    struct auth_user *user)
{
	struct check_txn c = { lim, {0}, user, clock_now() };
	int rc;

	if (strlen(token) != AUTH_TOKEN_SIZE - 1)
		return HE_NOTFOUND;
	session_key(token, c.key);
	rc = store_txn(st, check_txn, &c);
	/* A transaction that reports an error commits nothing, so the
	 * expired session is removed in a transaction of its own. */
	if (rc == HE_EXPIRED)
		auth_logout(st, NULL, token);
	return rc;
}

struct logout_txn {
	unsigned char key[STORE_SESSION_KEYBYTES];
	const struct audit_actor *who;
};

static int
logout_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct logout_txn *l = arg;
	int rc = store_session_del(st, txn, l->key);

	if (rc == HE_NOTFOUND)
		rc = HE_OK;
	if (rc == HE_OK && l->who)
		rc = audit_log(st, txn, l->who, "logout", 0, NULL);
	return rc;
}

int
auth_logout(struct store *st, const struct audit_actor *who, const char *token)
{
	struct logout_txn l = { .who = who };

	session_key(token, l.key);
	return store_txn(st, logout_txn, &l);
}

/* ---- password change ---- */

struct read_txn {
	uint64_t id;
	json_t *body;
};

static int
read_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct read_txn *r = arg;

	json_decref(r->body);
	r->body = NULL;
	return store_user_get(st, txn, r->id, &r->body);
}

struct change_txn {
	uint64_t id;
	const char *was;	/* the hash checked against */
	const char *hash;	/* the new one */
	const char *old_token, *token;
	const struct audit_actor *who;
	int64_t now;
};

static int
change_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct change_txn *c = arg;
	unsigned char key[STORE_SESSION_KEYBYTES];
	const char *now_hash;
	json_t *body;
	int64_t gen;
	int rc;

	if ((rc = store_user_get_rmw(st, txn, c->id, &body)) != HE_OK)
		return rc;
	now_hash = json_string_value(json_object_get(body, "pwhash"));
	if (now_hash == NULL || strcmp(now_hash, c->was) != 0) {
		json_decref(body);	/* changed by someone else meanwhile */
		return HE_DENIED;
	}
	gen = auth_rec_int(body, "gen") + 1;
	json_object_set_new(body, "pwhash", json_string(c->hash));
	json_object_set_new(body, "gen", json_integer(gen));
	account_clear(body);
	rc = store_user_put(st, txn, c->id, body);
	json_decref(body);
	if (rc != HE_OK)
		return rc;
	session_key(c->old_token, key);
	if ((rc = store_session_del(st, txn, key)) != HE_OK && rc != HE_NOTFOUND)
		return rc;
	if ((rc = session_open(st, txn, c->token, c->id, gen, c->now)) != HE_OK)
		return rc;
	return audit_log(st, txn, c->who, "password_change", 0, NULL);
}

int
auth_password_change(struct store *st, const struct auth_guard *g,
    const struct audit_actor *who, const char *current, const char *password,
    const char *old_token, char token[AUTH_TOKEN_SIZE], long *retry_after)
{
	struct read_txn r = { who->user, NULL };
	char hash[crypto_pwhash_STRBYTES], was[crypto_pwhash_STRBYTES];
	const char *h, *email;
	int64_t now = clock_now();
	long left;
	int rc;

	*retry_after = 0;
	if (strlen(password) < AUTH_PASSWORD_MIN ||
	    strlen(password) > AUTH_PASSWORD_MAX)
		return HE_INVALID;
	if ((rc = store_txn(st, read_txn, &r)) != HE_OK) {
		json_decref(r.body);
		return rc;
	}
	h = json_string_value(json_object_get(r.body, "pwhash"));
	email = json_string_value(json_object_get(r.body, "email"));
	if (h == NULL || email == NULL || strlen(h) >= sizeof was) {
		json_decref(r.body);
		return HE_INVALID;
	}
	if ((left = (long)(auth_rec_int(r.body, "locked_until") - now)) > 0) {
		json_decref(r.body);
		*retry_after = left;
		return HE_DENIED;
	}
	snprintf(was, sizeof was, "%s", h);
	if (crypto_pwhash_str_verify(was, current, strlen(current)) != 0) {
		struct fail_txn f = { &g->account, who->user, email,
		    "password_change", who, now, 0 };

		rc = store_txn(st, fail_txn, &f);
		json_decref(r.body);
		if (rc != HE_OK)
			return rc;
		*retry_after = f.lock;
		return HE_DENIED;
	}
	json_decref(r.body);
	if ((rc = auth_hash_password(password, hash)) != HE_OK)
		return rc;
	new_token(token);
	struct change_txn c = { who->user, was, hash, old_token, token, who, now };
	rc = store_txn(st, change_txn, &c);
	sodium_memzero(hash, sizeof hash);
	return rc;
}
