/* imap.h: reading a mailbox over IMAP (bounces and replies) through libcurl */
#ifndef HEARTH_IMAP_H
#define HEARTH_IMAP_H

#include <stddef.h>
#include <stdint.h>

struct imap_cfg {
	/* imap://host[:port]/MAILBOX or imaps://...; no mailbox: INBOX.
	 * The mailbox name is letters, digits and "._-/" only. */
	const char *url;
	const char *username;
	const char *password;
	int starttls;		/* require STARTTLS on imap:// */
	const char *ca_file;	/* PEM CAs in place of the system's; NULL or
				 * "": the system's */
	long timeout_seconds;	/* one command, connecting included; 0: 30 */
	const char *move_to;	/* after reading, move the message to this
				 * mailbox (same characters); NULL or "":
				 * flag it \Seen and leave it */
};

struct imap;

/*
 * Makes a client for cfg (strings copied; cfg may go after this). Nothing
 * is connected yet: one connection is opened at the first command and
 * kept for the next ones. HE_INVALID for a URL that is not imap(s):// or
 * a mailbox (or move_to) with other characters; HE_NOMEM. Free with
 * imap_close().
 */
int imap_open(const struct imap_cfg *cfg, struct imap **out);

/* Logs out, closes the connection and frees im; NULL is fine. */
void imap_close(struct imap *im);

/* A message in the mailbox: its UID, and whether it was unread (not
 * flagged \Seen) when it was listed. */
struct imap_uid {
	uint64_t uid;
	int unseen;
};

/*
 * Selects the mailbox; *uidvalidity is its UIDVALIDITY (RFC 3501 2.3.1.1:
 * when it changes, UIDs seen before mean nothing), and *uids (malloc'd,
 * caller frees; NULL when *n is 0) the messages with UIDs above after,
 * ascending, at most max of them (the lowest); with unseen_only, only
 * those not flagged \Seen. HE_TEMPFAIL when the server cannot be reached
 * or answers otherwise (its TLS certificate not verifying included:
 * verification is never turned off), HE_DENIED when it refuses the login.
 */
int imap_new_uids(struct imap *im, uint64_t after, int unseen_only, size_t max,
    uint64_t *uidvalidity, struct imap_uid **uids, size_t *n);

/*
 * The whole message with UID uid, as stored (*msg malloc'd, *len bytes,
 * NUL-terminated past them). HE_INVALID when it is larger than max bytes
 * (the caller skips it), HE_NOTFOUND when there is no such message (gone
 * meanwhile), else as imap_new_uids.
 */
int imap_fetch(struct imap *im, uint64_t uid, size_t max, char **msg,
    size_t *len);

/* Marks message uid read (\Seen), or moves it to cfg->move_to. */
int imap_done(struct imap *im, uint64_t uid);

/* Flags message uid unread again: reading it (imap_fetch) flagged it
 * \Seen, and a message left for a person must look as it did. */
int imap_unseen(struct imap *im, uint64_t uid);

#endif
