/* inbound.h: bounces and replies from the mailbox the worker polls */
#ifndef HEARTH_INBOUND_H
#define HEARTH_INBOUND_H

#include <stddef.h>
#include <stdint.h>
#include <db.h>
#include <ClearSilver.h>

#include "net/imap.h"

struct store;

/* The settings that say how far the mailbox has been read. */
#define INBOUND_SETTING_VALIDITY "imap_uidvalidity"
#define INBOUND_SETTING_UID "imap_uid"

struct inbound_cfg {
	struct imap_cfg imap;	/* imap.url NULL: polling is off */
	int soft_limit;		/* Inbound.SoftBounceLimit: soft bounces that
				 * make a hard one (3) */
	size_t batch;		/* messages read per poll at most */
	size_t max_bytes;	/* larger messages are skipped */
	long poll_seconds;	/* the worker polls this often */
	long budget_seconds;	/* one poll stops taking messages after this */
	char *owned[1];		/* what inbound_cfg_load allocated */
};

/*
 * Fills cfg from Inbound.* (IMAPUrl, User, Password, StartTLS, CAFile,
 * MoveTo, SoftBounceLimit, Batch, MaxBytes, PollSeconds, TimeoutSeconds).
 * The HDF must outlive cfg. HE_NOTFOUND when Inbound.IMAPUrl is empty
 * (polling off; cfg still usable for inbound_apply), HE_NOMEM; free with
 * inbound_cfg_free().
 */
int inbound_cfg_load(HDF *conf, struct inbound_cfg *cfg);
void inbound_cfg_free(struct inbound_cfg *cfg);

/* What a poll did, added to by each call. */
struct inbound_stats {
	size_t read;		/* messages taken from the mailbox */
	size_t hard, soft;	/* bounces recorded */
	size_t replies;		/* replies recorded */
	size_t other;		/* neither: left alone */
	size_t unmatched;	/* a bounce or reply naming no mail of ours */
	size_t unreadable;	/* not a message, or larger than max_bytes */
};

/*
 * One message, msg[0..len), in the caller's transaction (the poll's, and
 * tests'): read with dsn_parse and applied to the mail of ours it names
 * (its Message-ID's mail id and creation time must both match a mail
 * queued for a candidate; a test mail to a user is not one):
 *  - a hard bounce: the mail's "state" becomes "bounced", the candidate
 *    "email_invalid" (unless their email changed since the mail went to
 *    them), their mails still queued "cancelled" (why "bounced"), a
 *    "bounce" touchpoint, campaign_signal(BOUNCE);
 *  - a soft bounce: the mail's "soft_bounce" is set and the candidate's
 *    "soft_bounces" counts it (once per mail); at cfg->soft_limit it is a
 *    hard bounce;
 *  - a reply: an "email" touchpoint with outcome "reply" (its text the
 *    subject and first lines, by the sender's address), "soft_bounces"
 *    cleared, engage_event(REPLY), campaign_signal(REPLY), the mail's
 *    "replied" set.
 * *recorded (may be NULL) says whether anything was. HE_OK for anything
 * read, recorded or not (counted in s); store errors as they come.
 */
int inbound_apply(struct store *st, DB_TXN *txn, const struct inbound_cfg *cfg,
    const char *msg, size_t len, struct inbound_stats *s, int *recorded);

/*
 * Reads the mailbox's messages past the last one read (settings
 * INBOUND_SETTING_UID under INBOUND_SETTING_VALIDITY), up to cfg->batch,
 * each applied in a transaction of its own that also moves the UID on, so
 * that a kill at any moment neither loses nor repeats one, and two
 * workers never both apply one. Messages recorded are flagged \Seen (or
 * moved to Inbound.MoveTo); the others are left as they are. A message
 * that cannot be read or is too large is counted and passed over, never
 * tried again. When the mailbox's UIDVALIDITY changes, reading starts
 * over from its first message, taking only those not flagged \Seen.
 * HE_TEMPFAIL / HE_DENIED when the server cannot be used now (nothing
 * lost: the next poll goes on), HE_PANIC from the store.
 */
int inbound_poll(struct store *st, const struct inbound_cfg *cfg,
    struct inbound_stats *s);

#endif
