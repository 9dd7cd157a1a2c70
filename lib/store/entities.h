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

/* candidate.c: {"email", "email_key" (keyed hash of the email: the unique
 * index never holds the address itself), "first_name", "last_name", "name",
 * "phone", "city", "country", "remote", "interests" [], "seniority",
 * "skills" [] (normalised, distinct), "url", "source", "resume" {},
 * "joined" (unix µs), "consent" ("pending", "confirmed", "withdrawn",
 * "expired"), "consent_head", "prefs" {}, "pending" {}} */
int store_cand_email_key(DB *sdb, const DBT *pkey, const DBT *pdata, DBT *skey);
int store_cand_joined_key(DB *sdb, const DBT *pkey, const DBT *pdata, DBT *skey);
int store_cand_skill_key(DB *sdb, const DBT *pkey, const DBT *pdata, DBT *skey);
/* The join time of candidates whose consent is "pending", else none. */
int store_cand_pending_key(DB *sdb, const DBT *pkey, const DBT *pdata,
    DBT *skey);
/* Inserts under id (from store_next_id(SEQ_CANDIDATE)); HE_EXISTS when the
 * email key is already known. */
int store_cand_insert(struct store *st, DB_TXN *txn, uint64_t id, json_t *body);
/* Reads a candidate; rmw locks it for the update that follows. */
int store_cand_get(struct store *st, DB_TXN *txn, uint64_t id, int rmw,
    json_t **body);
/* HE_OK when candidate id has a record, HE_NOTFOUND; nothing is decoded
 * (a wave of a million asks it for each). */
int store_cand_exists(struct store *st, DB_TXN *txn, uint64_t id);
/* Replaces the record of an existing candidate. */
int store_cand_put(struct store *st, DB_TXN *txn, uint64_t id, json_t *body);
/* Removes the record and its index entries, scrubbed (erasure). */
int store_cand_del(struct store *st, DB_TXN *txn, uint64_t id);
/* The id of the candidate with this email key, or HE_NOTFOUND. */
int store_cand_by_email(struct store *st, DB_TXN *txn, const char *email_key,
    uint64_t *id);
/* Newest first: skips offset, then calls fn for up to limit candidates;
 * fn returning non-HE_OK stops the walk with that code. */
typedef int (*store_cand_fn)(uint64_t id, json_t *body, void *ctx);
int store_cand_newest(struct store *st, DB_TXN *txn, size_t offset,
    size_t limit, store_cand_fn fn, void *ctx);
int store_cand_count(struct store *st, DB_TXN *txn, size_t *n);
/* The candidate who has waited longest to confirm, if they joined before
 * `before` (unix µs); else HE_NOTFOUND. */
int store_cand_oldest_pending(struct store *st, DB_TXN *txn, int64_t before,
    uint64_t *id);
/* The distinct skills held by candidates, in order, up to limit; fn gets
 * each (not NUL-terminated) and may stop the walk with non-HE_OK. */
int store_skill_vocabulary(struct store *st, DB_TXN *txn, size_t limit,
    int (*fn)(const char *skill, size_t len, void *ctx), void *ctx);

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
/* Calls fn for each event of one candidate, oldest first (fn's body is
 * borrowed); non-HE_OK from fn stops the walk with that code. */
int store_consent_each(struct store *st, DB_TXN *txn, uint64_t cand_id,
    int (*fn)(json_t *event, void *ctx), void *ctx);
/* Removes every event of one candidate, scrubbed (erasure only). */
int store_consent_del_all(struct store *st, DB_TXN *txn, uint64_t cand_id);
/* Removes the events numbered keep and after, scrubbed, so the chain is
 * its first keep events again (undoing a merge that appended to it). */
int store_consent_truncate(struct store *st, DB_TXN *txn, uint64_t cand_id,
    uint32_t keep);

/* user.c: {"email", "name", "role", "pwhash", "disabled", "created",
 * "gen" (sessions opened under another generation are void), "failures"
 * (wrong passwords in a row), "locked_until" (unix seconds), "last_login"
 * (unix seconds)} */
int store_user_email_key(DB *sdb, const DBT *pkey, const DBT *pdata, DBT *skey);
int store_user_insert(struct store *st, DB_TXN *txn, json_t *body, uint64_t *id);
int store_user_get(struct store *st, DB_TXN *txn, uint64_t id, json_t **body);
/* store_user_get with DB_RMW: the caller writes it back in txn. */
int store_user_get_rmw(struct store *st, DB_TXN *txn, uint64_t id,
    json_t **body);
/* Replaces the record of an existing user (the email stays as it was). */
int store_user_put(struct store *st, DB_TXN *txn, uint64_t id, json_t *body);
/* The email of user id into buf (size bytes), read with degree-2
 * isolation: a caller's long transaction keeps no lock on the users. */
int store_user_email(struct store *st, DB_TXN *txn, uint64_t id, char *buf,
    size_t size);
int store_user_by_email(struct store *st, DB_TXN *txn, const char *email,
    uint64_t *id, json_t **body);
int store_user_count(struct store *st, DB_TXN *txn, size_t *n);
/* Every user in id order (body borrowed); non-HE_OK from fn stops the
 * walk with that code. */
int store_user_each(struct store *st, DB_TXN *txn,
    int (*fn)(uint64_t id, json_t *body, void *ctx), void *ctx);

/* session.c: keyed by the SHA-256 of the cookie value, never the value. */
#define STORE_SESSION_KEYBYTES 32
int store_session_put(struct store *st, DB_TXN *txn,
    const unsigned char key[STORE_SESSION_KEYBYTES], json_t *body);
int store_session_get(struct store *st, DB_TXN *txn,
    const unsigned char key[STORE_SESSION_KEYBYTES], json_t **body);
int store_session_del(struct store *st, DB_TXN *txn,
    const unsigned char key[STORE_SESSION_KEYBYTES]);

/* mailq.c: {"to", "to_name", "kind", "cand", "state", "due", "attempts",
 * "created", "msgid"}. "due" (unix seconds) is present only while the mail
 * waits for delivery. */
int store_mail_due_key(DB *sdb, const DBT *pkey, const DBT *pdata, DBT *skey);
int store_mail_cand_key(DB *sdb, const DBT *pkey, const DBT *pdata, DBT *skey);
int store_mail_insert(struct store *st, DB_TXN *txn, json_t *body, uint64_t *id);
int store_mail_put(struct store *st, DB_TXN *txn, uint64_t id, json_t *body);
int store_mail_get(struct store *st, DB_TXN *txn, uint64_t id, json_t **body);
/* Whether mail id is still there: HE_OK or HE_NOTFOUND, without reading
 * it (DB_RMW when rmw: the caller is about to write it). */
int store_mail_exists(struct store *st, DB_TXN *txn, uint64_t id, int rmw);
/* Removes one mail, scrubbed (erasure). */
int store_mail_del(struct store *st, DB_TXN *txn, uint64_t id);
/* The mail due soonest if it is due at or before now, else HE_NOTFOUND.
 * Read with DB_RMW: the caller updates it in the same transaction. */
int store_mail_next_due(struct store *st, DB_TXN *txn, int64_t now,
    uint64_t *id, json_t **body);
/* Calls fn for each mail of one candidate, oldest first (body borrowed);
 * non-HE_OK from fn stops the walk with that code. */
int store_mail_each_of(struct store *st, DB_TXN *txn, uint64_t cand_id,
    int (*fn)(uint64_t id, json_t *mail, void *ctx), void *ctx);
/* Newest first: skips offset, then calls fn for up to limit mails. */
int store_mail_newest(struct store *st, DB_TXN *txn, size_t offset,
    size_t limit, int (*fn)(uint64_t id, json_t *mail, void *ctx), void *ctx);

/* suppress.c: erased addresses, as keyed hashes only, so that an import
 * cannot bring a person back. {"at" (unix seconds)} */
int store_suppress_put(struct store *st, DB_TXN *txn, const char *email_key,
    int64_t at);
/* HE_OK when the key is suppressed, else HE_NOTFOUND. */
int store_suppress_get(struct store *st, DB_TXN *txn, const char *email_key);
int store_suppress_del(struct store *st, DB_TXN *txn, const char *email_key);

/* setting.c: named integers: anonymous counters and housekeeping flags. */
int store_setting_get(struct store *st, DB_TXN *txn, const char *name,
    int64_t *value);
/* Adds delta (the setting starts at 0) inside the caller's transaction. */
int store_setting_add(struct store *st, DB_TXN *txn, const char *name,
    int64_t delta);
int store_setting_set(struct store *st, DB_TXN *txn, const char *name,
    int64_t value);

#endif
