/* role_mail.h: a personal mail about a role to one person, through the mail queue */
#ifndef HEARTH_ROLE_MAIL_H
#define HEARTH_ROLE_MAIL_H

#include <stddef.h>
#include <stdint.h>
#include <db.h>
#include <jansson.h>

struct store;
struct audit_actor;

/* A subject line of at most this many characters; the body is a merge
 * template of at most MERGE_SRC_MAX bytes. */
#define ROLE_MAIL_SUBJECT_MAX 300

/*
 * Checks a personal mail as the form sends it: HE_OK, or HE_INVALID with
 * *errors a new object {"subject" | "body": message for people} (an
 * empty part, too long, not one line, a template that does not parse:
 * "line 1: unknown field ..."). The merge fields are those of
 * util/merge.h, role_title among them (the role's title).
 */
int role_mail_check(const char *subject, const char *body, json_t **errors);

/*
 * Why the person whose record is rec may not get a personal mail now, as
 * a sentence for people ("They need a lawful basis before contact: ..."),
 * or NULL when they may. Reads the suppression list in txn (NULL: read
 * committed). The ranking shows it; role_mail_queue refuses with it.
 */
const char *role_mail_refusal(struct store *st, DB_TXN *txn, const json_t *rec);

/*
 * Queues a personal mail by who to candidate cand about role: subject
 * and body are merge templates (role_mail_check), rendered when the mail
 * goes (so the person's address, name and consent are as they are then;
 * the sender's name and signature are owner_name and owner_signature).
 * In one transaction it checks the person may be contacted (HE_DENIED,
 * the reason in why: role_mail_refusal; a person hired or the role
 * closed too), queues the mail (kind "role": the outbox checks consent
 * again and holds it back while the frequency cap is reached, as for a
 * campaign's, and counts it against the cap when sent), records a
 * touchpoint "role_mail" and moves them in the role's pipeline to
 * "contacted" when they were shortlisted (or adds them there when they
 * were not in it). On HE_OK why is "" or says when the mail will go when
 * the frequency cap holds it back. HE_INVALID for templates that do not
 * check (why says which part); HE_NOTFOUND for an unknown role or person.
 * *mail (may be NULL) is the queued mail's id.
 */
int role_mail_queue(struct store *st, const struct audit_actor *who,
    uint64_t role, uint64_t cand, const char *subject, const char *body,
    char *why, size_t whylen);

/* The same, giving the id of the queued mail. */
int role_mail_queue_id(struct store *st, const struct audit_actor *who,
    uint64_t role, uint64_t cand, const char *subject, const char *body,
    char *why, size_t whylen, uint64_t *mail);

/*
 * For the outbox: the campaign-shaped body (one email step, its one
 * variant the mail's subject and body, "owner" the sender) that
 * campaign_mail_render renders a "role" mail from, and the person's
 * record as the mail sees it (a copy of rec with "role_title" and the
 * sender as "owner"). New references in *camp and *seen; HE_NOMEM,
 * HE_INVALID for a mail that is not a role mail.
 */
int role_mail_shape(const json_t *mail, const json_t *rec, json_t **camp,
    json_t **seen);

#endif
