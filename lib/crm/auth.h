/* auth.h: back-office users, roles, passwords, sessions and lockouts */
#ifndef HEARTH_AUTH_H
#define HEARTH_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "crm/lockout.h"

struct store;
struct audit_actor;

enum auth_role { ROLE_ADMIN, ROLE_RECRUITER, ROLE_HIRING_MANAGER, ROLE__MAX };

/* "admin", "recruiter", "hiring_manager" (NULL-terminated, by role). */
extern const char *const auth_role_names[ROLE__MAX + 1];
const char *auth_role_name(enum auth_role role);
/* HE_INVALID for an unknown name. */
int auth_role_parse(const char *name, enum auth_role *role);

struct auth_user {
	uint64_t id;
	enum auth_role role;
	char email[256];
};

/* A session cookie value: 43 base64url characters and a NUL. */
#define AUTH_TOKEN_SIZE 44

/* Passwords are 8 to 1024 bytes. */
#define AUTH_PASSWORD_MIN 8
#define AUTH_PASSWORD_MAX 1024

/* A generated password: 16 base64url characters (96 random bits). */
#define AUTH_GENERATED_SIZE 17
void auth_password_generate(char out[AUTH_GENERATED_SIZE]);

/* Session lifetimes in seconds. */
struct auth_limits {
	long idle;
	long absolute;
};

/*
 * What failed sign-ins lock. Accounts keep their count in their record
 * ("failures", "locked_until"), so a restart does not unlock them;
 * emails that are no account, and client addresses, are counted in the
 * shared table (required), so an unknown email locks exactly as an
 * account does and the answer never tells which it was.
 */
struct auth_guard {
	struct lockout_policy account;	/* per email */
	struct lockout_policy address;	/* per client address */
	struct lockout_table *table;
};

/* 5 failures lock an email for 1 min, doubling to at most 1 h; 30 from
 * one address lock it the same way. table is left as it is. */
void auth_guard_defaults(struct auth_guard *g);

/*
 * Adds a user with an argon2id hash of password (AUTH_PASSWORD_MIN..MAX
 * bytes, else HE_INVALID). email must be normalised; name may be "" or
 * NULL. HE_EXISTS when the email is taken. Audited as "user_add" (who
 * NULL: by hearthctl, with no user and no address).
 */
int auth_user_add(struct store *st, const struct audit_actor *who,
    const char *email, const char *name, const char *password,
    enum auth_role role, uint64_t *id);
int auth_user_count(struct store *st, size_t *n);

/*
 * Checks the credentials and opens a session: *token is its cookie value.
 * ip is the client's address. HE_DENIED when refused: with *retry_after
 * 0 for a wrong email or password (or a disabled account), or the seconds
 * until the email or the address may try again when either is locked;
 * a locked email is refused even with the right password, and its
 * password is not checked. Every check costs about the same whether or
 * not the email is an account: one argon2id hash, and one durable commit
 * for a failure (the audit entry "login_failed" with the email tried, and
 * the account's count when it is one). A success clears the account's
 * count and is audited as "login"; the address's count only fades (after
 * twice the longest lock without a failure), so a person with an account
 * cannot clear it for guesses at others.
 */
int auth_login(struct store *st, const struct auth_guard *g, const char *email,
    const char *password, const char *ip, char token[AUTH_TOKEN_SIZE],
    struct auth_user *user, long *retry_after);

/*
 * The user of a live session; HE_NOTFOUND, or HE_EXPIRED past a limit or
 * after the user's password changed or was reset (the session is then
 * removed). A disabled account's sessions are HE_NOTFOUND.
 */
int auth_session(struct store *st, const struct auth_limits *lim,
    const char *token, struct auth_user *user);

/* Ends a session; an unknown token is not an error. With who, audited
 * as "logout" in the same transaction. */
int auth_logout(struct store *st, const struct audit_actor *who,
    const char *token);

/*
 * A signed-in user changes their own password (who->user): current must
 * be theirs (HE_DENIED otherwise, counted as a failed sign-in, with
 * *retry_after as for auth_login), password the new one (HE_INVALID when
 * not 8..1024 bytes). Every session of the user ends, old_token's too;
 * *token is a new session for this browser. Audited as "password_change".
 */
int auth_password_change(struct store *st, const struct auth_guard *g,
    const struct audit_actor *who, const char *current, const char *password,
    const char *old_token, char token[AUTH_TOKEN_SIZE], long *retry_after);

/* What the admin pages show of a user. */
struct auth_user_info {
	uint64_t id;
	enum auth_role role;
	int disabled;
	char email[256];
	char name[256];
	int64_t created;	/* unix seconds */
	int64_t last_login;	/* 0: never */
	int64_t locked_until;	/* 0: not locked (may be in the past) */
	unsigned failures;
};

/* Every user in the order they were added: *out is malloc'd (free()). */
int auth_user_list(struct store *st, struct auth_user_info **out, size_t *n);
/* One user by id (HE_NOTFOUND) or by normalised email. */
int auth_user_get(struct store *st, uint64_t id, struct auth_user_info *out);
int auth_user_find(struct store *st, const char *email,
    struct auth_user_info *out);

/*
 * Admin changes, each audited (who NULL: hearthctl). HE_NOTFOUND for no
 * such user. Disabling or demoting the last active admin is HE_DENIED:
 * someone must always be able to manage users. A change to what already
 * is (disabling the disabled) is HE_OK and writes nothing.
 *
 * auth_user_set_disabled: "user_disable"/"user_enable"; a disabled user's
 * sessions end at once and stay ended when enabled again.
 * auth_user_set_role: "user_role"; takes effect at the user's next request.
 * auth_user_reset: "user_reset"; sets password (8..1024 bytes, else
 * HE_INVALID), ends every session of the user and lifts a lock.
 */
int auth_user_set_disabled(struct store *st, const struct audit_actor *who,
    uint64_t id, int disabled);
int auth_user_set_role(struct store *st, const struct audit_actor *who,
    uint64_t id, enum auth_role role);
int auth_user_reset(struct store *st, const struct audit_actor *who,
    uint64_t id, const char *password);

/*
 * A user's own mail signature (the "signature" field of the user record,
 * the owner_signature merge field of campaign mail): valid UTF-8 of at
 * most AUTH_SIGNATURE_MAX characters (the form checks), "" removes it.
 * auth_user_signature gives a malloc'd copy, "" when there is none
 * (caller frees). HE_NOTFOUND for no such user.
 */
#define AUTH_SIGNATURE_MAX 1000
int auth_user_set_signature(struct store *st, uint64_t id,
    const char *signature);
int auth_user_signature(struct store *st, uint64_t id, char **out);

#endif
