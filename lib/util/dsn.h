/* dsn.h: reading one inbound message: a bounce (DSN), a reply, or neither */
#ifndef HEARTH_DSN_H
#define HEARTH_DSN_H

#include <stddef.h>
#include <stdint.h>

/* What a message is to Hearth. */
enum dsn_kind {
	DSN_OTHER,	/* neither: left alone */
	DSN_BOUNCE,	/* a delivery status notification, or a plain-text bounce */
	DSN_REPLY,	/* answers a mail of ours (In-Reply-To / References) */
	DSN_KIND__MAX
};
extern const char *const dsn_kinds[DSN_KIND__MAX];

/* Bytes of a message read at most: past this it is read as if it ended
 * there (a bounce's report and a reply's first lines come first). */
#define DSN_PARSE_MAX (4u << 20)
/* MIME nesting and parts walked at most. */
#define DSN_DEPTH_MAX 8
#define DSN_PARTS_MAX 64

#define DSN_ADDR_MAX 254
#define DSN_STATUS_MAX 16
#define DSN_DIAG_MAX 256
#define DSN_SUBJECT_MAX 256
/* A reply's first lines, at most this many lines and bytes. */
#define DSN_EXCERPT_LINES 12
#define DSN_EXCERPT_MAX 1000

struct dsn_result {
	enum dsn_kind kind;
	/* A bounce: hard (the address does not work: 5.x.x failed) or soft
	 * (4.x.x, delayed, mailbox full). */
	int hard;
	char recipient[DSN_ADDR_MAX + 1];	/* Final-Recipient; "" unknown */
	char status[DSN_STATUS_MAX];		/* "5.1.1"; "" unknown */
	char diagnostic[DSN_DIAG_MAX];		/* Diagnostic-Code, cleaned */
	/* The mail of ours it is about: the hearth Message-ID
	 * "hearth.<mail id>.<created>@domain" found in the bounced message's
	 * headers (a bounce) or In-Reply-To / References (a reply); 0: none. */
	uint64_t mail_id;
	int64_t mail_created;
	int auto_reply;		/* Auto-Submitted and the like: an answering
				 * machine, never counted as a reply */
	/* The message's own: From's address, Subject, and for a reply its
	 * first lines without quoted text (">") or signature. Valid UTF-8
	 * without controls (newlines kept in excerpt). The subject's RFC 2047
	 * words are decoded when UTF-8 or Latin-1, else kept as written. */
	char from[DSN_ADDR_MAX + 1];
	char subject[DSN_SUBJECT_MAX];
	char excerpt[DSN_EXCERPT_MAX + 1];
};

/*
 * Reads the message msg[0..len) (RFC 5322, CRLF or LF line ends, need not
 * be NUL-terminated, any bytes): headers unfolded, the MIME tree walked
 * (multipart nested to DSN_DEPTH_MAX, boundaries, quoted-printable and
 * base64), and classifies it into *out:
 *  - multipart/report with a message/delivery-status part: a bounce, from
 *    the per-recipient fields (the first that failed, else delayed) and
 *    the Message-ID of the text/rfc822-headers or message/rfc822 part;
 *    "delivered", "relayed" or "expanded" reports are DSN_OTHER;
 *  - a plain-text bounce (Postfix's or Exim's without a report: from
 *    MAILER-DAEMON or with a bounce's subject, the original headers
 *    inline), its status from the text (an enhanced code, else an SMTP
 *    reply code, else hard unless the subject says delayed);
 *  - a reply: In-Reply-To or References naming a hearth Message-ID (the
 *    newest of References), unless it is an automatic answer;
 *  - else DSN_OTHER.
 * Never reads outside msg[0..len). HE_OK; HE_INVALID when msg does not
 * start with a header field (not a message; out says DSN_OTHER).
 */
int dsn_parse(const char *msg, size_t len, struct dsn_result *out);

/*
 * The hearth Message-ID in s[0..n): the last "hearth.<digits>.<digits>@x"
 * that starts s or follows "<", white space, "," or ":". 1 and *id,
 * *created when found, else 0.
 */
int dsn_find_hearth_id(const char *s, size_t n, uint64_t *id, int64_t *created);

#endif
