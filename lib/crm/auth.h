/* auth.h: back-office users, passwords and sessions */
#ifndef HEARTH_AUTH_H
#define HEARTH_AUTH_H

#include <stddef.h>
#include <stdint.h>

struct store;

enum auth_role { ROLE_ADMIN, ROLE_RECRUITER, ROLE_HIRING_MANAGER, ROLE__MAX };

/* "admin", "recruiter", "hiring_manager". */
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

/* Session lifetimes in seconds. */
struct auth_limits {
	long idle;
	long absolute;
};

/*
 * Adds a user with an argon2id hash of password (8..1024 bytes, else
 * HE_INVALID). email must be normalised. HE_EXISTS when taken.
 */
int auth_user_add(struct store *st, const char *email, const char *password,
    enum auth_role role, uint64_t *id);
int auth_user_count(struct store *st, size_t *n);

/*
 * Checks the credentials in about the same time whether or not the email is
 * known, then opens a session: *token is its cookie value. HE_DENIED for a
 * wrong email or password or a disabled account.
 */
int auth_login(struct store *st, const char *email, const char *password,
    char token[AUTH_TOKEN_SIZE], struct auth_user *user);

/* The user of a live session; HE_NOTFOUND, or HE_EXPIRED past a limit. */
int auth_session(struct store *st, const struct auth_limits *lim,
    const char *token, struct auth_user *user);

/* Ends a session; an unknown token is not an error. */
int auth_logout(struct store *st, const char *token);

#endif
