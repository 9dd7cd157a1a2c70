/* entities.h: the records kept in the store, one source file each */
#ifndef HEARTH_ENTITIES_H
#define HEARTH_ENTITIES_H

#include <stddef.h>
#include <stdint.h>
#include <db.h>
#include <jansson.h>

struct store;

/*
 * Bodies are JSON objects (see store_rec_encode). Functions taking a txn
 * run inside the caller's transaction; a body passed in is borrowed, one
 * handed out is a new reference the caller json_decref()s.
 */

/* candidate.c: {"email", "name", "joined" (unix µs), "source", "consent"} */
int store_cand_email_key(DB *sdb, const DBT *pkey, const DBT *pdata, DBT *skey);
int store_cand_joined_key(DB *sdb, const DBT *pkey, const DBT *pdata, DBT *skey);
/* Inserts under id (from store_next_id(SEQ_CANDIDATE)); HE_EXISTS when the
 * email is already known. */
int store_cand_insert(struct store *st, DB_TXN *txn, uint64_t id, json_t *body);
int store_cand_get(struct store *st, DB_TXN *txn, uint64_t id, json_t **body);
/* Replaces the record of an existing candidate. */
int store_cand_put(struct store *st, DB_TXN *txn, uint64_t id, json_t *body);
/* The id of the candidate with this normalised email, or HE_NOTFOUND. */
int store_cand_by_email(struct store *st, DB_TXN *txn, const char *email,
    uint64_t *id);
/* Newest first: skips offset, then calls fn for up to limit candidates;
 * fn returning non-HE_OK stops the walk with that code. */
typedef int (*store_cand_fn)(uint64_t id, json_t *body, void *ctx);
int store_cand_newest(struct store *st, DB_TXN *txn, size_t offset,
    size_t limit, store_cand_fn fn, void *ctx);
int store_cand_count(struct store *st, DB_TXN *txn, size_t *n);

/* consent.c: append-only events per candidate, each holding the SHA-256
 * of its predecessor ("prev") so an edited event breaks the chain. The hash
 * of the newest event (the head, 64 hex characters) is kept in the
 * candidate record as "consent_head", so editing the last one shows too. */
#define STORE_CONSENT_HEAD 65
/* Appends event; head receives the hash of the stored event. */
int store_consent_append(struct store *st, DB_TXN *txn, uint64_t cand_id,
    json_t *event, char head[STORE_CONSENT_HEAD]);
/* Walks the chain of one candidate in order; HE_INVALID at a broken link
 * or when the last event's hash is not head (NULL: not checked). */
int store_consent_check(struct store *st, DB_TXN *txn, uint64_t cand_id,
    const char *head, size_t *events);

/* user.c: {"email", "name", "role", "pwhash", "disabled", "created"} */
int store_user_email_key(DB *sdb, const DBT *pkey, const DBT *pdata, DBT *skey);
int store_user_insert(struct store *st, DB_TXN *txn, json_t *body, uint64_t *id);
int store_user_get(struct store *st, DB_TXN *txn, uint64_t id, json_t **body);
int store_user_by_email(struct store *st, DB_TXN *txn, const char *email,
    uint64_t *id, json_t **body);
int store_user_count(struct store *st, DB_TXN *txn, size_t *n);

/* session.c: keyed by the SHA-256 of the cookie value, never the value. */
#define STORE_SESSION_KEYBYTES 32
int store_session_put(struct store *st, DB_TXN *txn,
    const unsigned char key[STORE_SESSION_KEYBYTES], json_t *body);
int store_session_get(struct store *st, DB_TXN *txn,
    const unsigned char key[STORE_SESSION_KEYBYTES], json_t **body);
int store_session_del(struct store *st, DB_TXN *txn,
    const unsigned char key[STORE_SESSION_KEYBYTES]);

/* mailq.c: {"to", "to_name", "kind", "cand", "state", "due", "attempts"}.
 * "due" (unix seconds) is present only while the mail waits for delivery. */
int store_mail_due_key(DB *sdb, const DBT *pkey, const DBT *pdata, DBT *skey);
int store_mail_insert(struct store *st, DB_TXN *txn, json_t *body, uint64_t *id);
int store_mail_put(struct store *st, DB_TXN *txn, uint64_t id, json_t *body);
/* The mail due soonest if it is due at or before now, else HE_NOTFOUND.
 * Read with DB_RMW: the caller updates it in the same transaction. */
int store_mail_next_due(struct store *st, DB_TXN *txn, int64_t now,
    uint64_t *id, json_t **body);

#endif
