/* mail.h: composing RFC 5322 messages and handing them to SMTP or the outbox */
#ifndef HEARTH_MAIL_H
#define HEARTH_MAIL_H

#include <stddef.h>
#include <time.h>

struct mail_msg {
	const char *from;	/* address, required */
	const char *from_name;	/* display name, any UTF-8; NULL or "": none */
	const char *to;		/* address, required */
	const char *to_name;
	const char *subject;	/* any UTF-8; NULL: empty */
	const char *text;	/* the text/plain body, UTF-8; NULL: empty */
	const char *html;	/* optional text/html alternative, UTF-8 */
	const char *message_id;	/* left@right without <>; NULL: a random one */
	const char *msgid_domain;	/* right-hand side of a random Message-ID;
					 * NULL: the domain of from */
	const char *unsubscribe_url;	/* https:// (or http://) URL; NULL or "": none */
	const char *unsubscribe_mailto;	/* mailto: URI; NULL or "": none */
	struct hdkim_signer *dkim;	/* signs the message (net/dkim.h); NULL: none */
};

struct hdkim_signer;

/*
 * Formats the message: Date, Message-ID, From, To, Subject, then
 * List-Unsubscribe (the URL and/or mailto that are set) and, with a URL,
 * List-Unsubscribe-Post: List-Unsubscribe=One-Click (RFC 8058), then MIME.
 * Without html the body is one text/plain part; with it, multipart/alternative
 * with the text first. Each part is quoted-printable UTF-8, so no line passes
 * 76 octets and any bytes survive any transport; line ends in the bodies
 * become CRLF. Display names and the subject go out as RFC 2047 encoded
 * words when they are not plain ASCII (folded, never splitting a UTF-8
 * sequence); CR and LF in them are dropped. From the unsubscribe values
 * CR, LF, "<", ">", spaces and controls are dropped and bytes past ASCII
 * percent-encoded. So no value can add a header or a part.
 *
 * HE_INVALID when an address is empty, longer than 254 octets or holds a
 * control, space, "<" or ">"; when message_id is not dot-atom "@" dot-atom
 * (RFC 5322 3.6.4, at most 250 octets);
 * when unsubscribe_url is not http(s):// or unsubscribe_mailto not mailto:,
 * or either is longer than 900 octets (each must fit on one header line).
 * With dkim the message starts with its DKIM-Signature header (one that
 * libopendkim cannot sign goes unsigned; the log says why).
 * On HE_OK *out is malloc'd (CRLF line ends, *len bytes, NUL-terminated),
 * caller frees; on failure (also HE_NOMEM) *out is NULL.
 */
int mail_format(const struct mail_msg *m, time_t now, char **out, size_t *len);

/* Where mail goes: SMTP when smtp_url is set, else files in outbox_dir. */
struct mail_transport {
	const char *smtp_url;	/* smtp://host:port, smtps://...; NULL or "": outbox */
	const char *username;	/* SMTP AUTH when set */
	const char *password;
	int starttls;		/* require STARTTLS on smtp:// */
	const char *ca_file;	/* PEM file of the CAs that may sign the
				 * server's certificate, in place of the
				 * system's; NULL or "": the system's */
	const char *outbox_dir;
	long timeout_seconds;	/* one message, connecting included; 0: 45 */
};

/* A delivery channel for a batch: over SMTP one libcurl handle, so the
 * batch shares one connection and one SMTP session. */
struct mail_sender;

/*
 * Makes a sender for t. The strings of t are copied: t may go after this.
 * Nothing is connected yet. HE_NOMEM; HE_INVALID when neither smtp_url nor
 * outbox_dir is set. On HE_OK *out is freed with mail_sender_free().
 */
int mail_sender_new(const struct mail_transport *t, struct mail_sender **out);

/*
 * Delivers one formatted message (msg, len bytes, CRLF line ends) from the
 * envelope sender from to the recipient to.
 *
 * Outbox: the message becomes outbox_dir/name.eml, written to a temporary
 * file, synced, renamed and the directory synced, so the same name twice
 * replaces and never duplicates; name must be non-empty, without "/" and
 * not start with "."; HE_TEMPFAIL when the file cannot be written.
 *
 * SMTP: the connection of the previous message is reused when the server
 * kept it. Over TLS (smtps://, STARTTLS) the server's certificate must chain
 * to a trusted CA (ca_file or the system's) and name the URL's host; that is
 * never relaxed. HE_OK when the server accepted the message; HE_TEMPFAIL
 * when it is unreachable, times out, answers 4xx, refuses our credentials
 * (535) or STARTTLS, asks for either first (530), or its certificate does
 * not verify (nor ca_file load): try again later,
 * the fault is not this message's; HE_INVALID
 * on any other 5xx (give up). After any failure the connection is dropped
 * and the next message opens a new one. HE_INVALID also when from or to
 * is empty or holds a control, space, "<" or ">" (they go into SMTP
 * commands).
 */
int mail_sender_send(struct mail_sender *s, const char *name, const char *from,
    const char *to, const char *msg, size_t len);

/*
 * mail_sender_send() in two halves, so that the caller can work while the
 * server reads a message, and queue the next one meanwhile.
 *
 * mail_sender_start() queues msg, which must stay as it is until its
 * mail_sender_finish() returns, behind at most one other message. HE_OK:
 * queued; anything else: nothing was queued and that is the result (bad
 * envelope or name; no memory; HE_INVALID with two queued already).
 * mail_sender_finish() waits for the oldest message queued and returns
 * what mail_sender_send() would have for it; *tried (when tried is not
 * NULL) says whether it was sent at all: after a message fails with
 * HE_TEMPFAIL, those queued behind it until the caller has that result are
 * not tried (HE_TEMPFAIL, *tried 0), as the server is not taking mail.
 * HE_INVALID when nothing is queued.
 *
 * Over SMTP the dialogue runs in a thread of the sender's own (started at
 * the first message, ended by mail_sender_free), which blocks every signal
 * and touches nothing but its curl handle and the queue; one thread of the
 * caller's may use s. Over the outbox the file is written in
 * mail_sender_start().
 */
int mail_sender_start(struct mail_sender *s, const char *name,
    const char *from, const char *to, const char *msg, size_t len);
int mail_sender_finish(struct mail_sender *s, int *tried);

/* Closes the connection (QUIT) and frees s; NULL is fine. Messages
 * queued are delivered first. */
void mail_sender_free(struct mail_sender *s);

/* mail_sender_send() with a sender of its own: one message, one
 * connection. Same results, plus HE_NOMEM. */
int mail_send(const struct mail_transport *t, const char *name,
    const char *from, const char *to, const char *msg, size_t len);

#endif
