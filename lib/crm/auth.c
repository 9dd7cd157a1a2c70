/* auth.c: argon2id passwords and server-side sessions */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "crm/auth.h"
#include "crm/clock.h"
#include "store/entities.h"
#include "store/store.h"
#include "util/he.h"

#define PASSWORD_MIN 8
#define PASSWORD_MAX 1024
/* A touched session is written back at most this often (seconds). */
#define SESSION_TOUCH_EVERY 60

static const char *const role_names[ROLE__MAX] = {
	[ROLE_ADMIN] = "admin",
	[ROLE_RECRUITER] = "recruiter",
	[ROLE_HIRING_MANAGER] = "hiring_manager",
};

const char *
auth_role_name(enum auth_role role)
{
	return role < ROLE__MAX ? role_names[role] : "unknown";
}

int
auth_role_parse(const char *name, enum auth_role *role)
{
	for (int i = 0; i < ROLE__MAX; i++)
		if (strcmp(name, role_names[i]) == 0) {
			*role = i;
			return HE_OK;
		}
	return HE_INVALID;
}

struct add_txn {
	json_t *body;
	uint64_t id;
};

static int
add_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct add_txn *a = arg;

	return store_user_insert(st, txn, a->body, &a->id);
}

int
auth_user_add(struct store *st, const char *email, const char *password,
    enum auth_role role, uint64_t *id)
{
	char hash[crypto_pwhash_STRBYTES];
	struct add_txn a;
	size_t plen = strlen(password);
	int rc;

	if (plen < PASSWORD_MIN || plen > PASSWORD_MAX || role >= ROLE__MAX)
		return HE_INVALID;
	if (crypto_pwhash_str_alg(hash, password, plen,
	    crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
	    crypto_pwhash_ALG_ARGON2ID13) != 0)
		return HE_NOMEM;
	a.body = json_pack("{s:s, s:s, s:s, s:b, s:I}", "email", email,
	    "role", role_names[role], "pwhash", hash, "disabled", 0,
	    "created", (json_int_t)clock_now());
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

static void
session_key(const char *token, unsigned char key[STORE_SESSION_KEYBYTES])
{
	crypto_hash_sha256(key, (const unsigned char *)token, strlen(token));
}

static int
fill_user(uint64_t id, json_t *body, struct auth_user *user)
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

struct login_txn {
	const char *email;
	uint64_t id;
	json_t *body;
};

static int
lookup_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct login_txn *l = arg;

	json_decref(l->body);
	l->body = NULL;
	return store_user_by_email(st, txn, l->email, &l->id, &l->body);
}

struct session_txn {
	unsigned char key[STORE_SESSION_KEYBYTES];
	json_t *body;
};

static int
session_put_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct session_txn *s = arg;

	return store_session_put(st, txn, s->key, s->body);
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

int
auth_login(struct store *st, const char *email, const char *password,
    char token[AUTH_TOKEN_SIZE], struct auth_user *user)
{
	struct login_txn l = { email, 0, NULL };
	struct session_txn s;
	unsigned char raw[32];
	const char *hash;
	int rc, ok;
	int64_t now = clock_now();

	rc = store_txn(st, lookup_txn, &l);
	if (rc != HE_OK && rc != HE_NOTFOUND) {
		json_decref(l.body);
		return rc;
	}
	hash = l.body ? json_string_value(json_object_get(l.body, "pwhash")) : NULL;
	ok = crypto_pwhash_str_verify(hash ? hash : dummy_hash(), password,
	    strlen(password)) == 0;
	if (!ok || hash == NULL ||
	    json_is_true(json_object_get(l.body, "disabled")) ||
	    fill_user(l.id, l.body, user) != HE_OK) {
		json_decref(l.body);
		return HE_DENIED;
	}
	json_decref(l.body);

	/* A fresh token at every login: a planted cookie never becomes a session. */
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(token, AUTH_TOKEN_SIZE, raw, sizeof raw,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	session_key(token, s.key);
	s.body = json_pack("{s:I, s:I, s:I}", "user", (json_int_t)user->id,
	    "created", (json_int_t)now, "seen", (json_int_t)now);
	if (s.body == NULL)
		return HE_NOMEM;
	rc = store_txn(st, session_put_txn, &s);
	json_decref(s.body);
	return rc;
}

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
	int rc;

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
		else
			rc = fill_user((uint64_t)uid, ubody, c->user);
		json_decref(ubody);
	}
	if (rc == HE_OK && c->now - seen >= SESSION_TOUCH_EVERY) {
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
		auth_logout(st, token);
	return rc;
}

static int
logout_txn(struct store *st, DB_TXN *txn, void *arg)
{
	int rc = store_session_del(st, txn, ((struct session_txn *)arg)->key);

	return rc == HE_NOTFOUND ? HE_OK : rc;
}

int
auth_logout(struct store *st, const char *token)
{
	struct session_txn s = { .body = NULL };

	session_key(token, s.key);
	return store_txn(st, logout_txn, &s);
}
