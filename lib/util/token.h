/* token.h: HMAC-signed, expiring tokens for links sent by mail */
#ifndef HEARTH_TOKEN_H
#define HEARTH_TOKEN_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define TOK_KEYBYTES 32

/*
 * A token binds a purpose ("confirm", "unsubscribe", ...) and a subject
 * (for example a candidate id) to an expiry time under the site key:
 * base64url(version | expiry | purpose | subject) "." base64url(HMAC-SHA256).
 *
 * tok_sign: purpose is 1..64 bytes, subject 0..256 bytes. On HE_OK *out is
 * a malloc'd NUL-terminated token, caller frees.
 */
int tok_sign(const unsigned char key[TOK_KEYBYTES], const char *purpose,
    const void *subject, size_t subject_len, time_t expires, char **out);

/*
 * tok_verify: checks the MAC in constant time, then the version, the
 * purpose and expiry against now. HE_OK: *subject (malloc'd, NUL-terminated
 * for convenience, caller frees) and *subject_len are set. HE_INVALID for a
 * forged, truncated or foreign token; HE_EXPIRED for a genuine old one.
 */
int tok_verify(const unsigned char key[TOK_KEYBYTES], const char *purpose,
    const char *token, time_t now, char **subject, size_t *subject_len);

/*
 * A keyed digest for values that must not be guessable from the outside
 * (CSRF tokens, suppression hashes): base64url(HMAC-SHA256(key, domain NUL
 * msg)) written into out, which holds at least TOK_MACSTRLEN bytes.
 */
#define TOK_MACSTRLEN 44
void tok_mac(const unsigned char key[TOK_KEYBYTES], const char *domain,
    const char *msg, char out[TOK_MACSTRLEN]);

/* Constant-time comparison of two NUL-terminated strings. */
int tok_equal(const char *a, const char *b);

/*
 * The site key: 64 hex characters in the file at path.
 * tok_key_create writes a fresh random key (mode 0600) unless the file
 * exists, which is not an error. tok_key_load reads it: HE_NOTFOUND when
 * missing, HE_INVALID when malformed.
 */
int tok_key_create(const char *path);
int tok_key_load(const char *path, unsigned char key[TOK_KEYBYTES]);

#endif
