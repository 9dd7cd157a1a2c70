/* auth_int.h: what auth.c and users.c share and nothing else sees */
#ifndef HEARTH_AUTH_INT_H
#define HEARTH_AUTH_INT_H

#include <sodium.h>
#include <jansson.h>

#include "crm/auth.h"

/* An argon2id hash of password into out; HE_INVALID when its length is
 * not AUTH_PASSWORD_MIN..MAX, HE_NOMEM when hashing failed. */
int auth_hash_password(const char *password, char out[crypto_pwhash_STRBYTES]);

/* An integer field of a user record, 0 when absent. */
int64_t auth_rec_int(json_t *body, const char *field);

/* Fills user from a user record; HE_INVALID when it lacks email or role. */
int auth_fill_user(uint64_t id, json_t *body, struct auth_user *user);

#endif
