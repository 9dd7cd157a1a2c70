/* mail.h: composing RFC 5322 messages and handing them to SMTP or the outbox */
#ifndef HEARTH_MAIL_H
#define HEARTH_MAIL_H

#include <stddef.h>
#include <time.h>

struct mail_msg {
	const char *from;	/* address */
	const char *from_name;	/* display name, any UTF-8 */
	const char *to;
	const char *to_name;
	const char *subject;	/* any UTF-8 */
	const char *text;	/* the text/plain body, UTF-8 */
	const char *msgid_domain;	/* right-hand side of Message-ID */
};

/*
 * Formats the message with Date, Message-ID, MIME headers and RFC 2047
 * encoded words for non-ASCII header text; CR and LF in header values are
 * dropped so no value can add a header. On HE_OK *out is malloc'd (CRLF
 * line ends, *len bytes), caller frees.
 */
int mail_format(const struct mail_msg *m, time_t now, char **out, size_t *len);

/* Where mail goes: SMTP when smtp_url is set, else files in outbox_dir. */
struct mail_transport {
	const char *smtp_url;	/* smtp://host:port, smtps://... */
	const char *username;
	const char *password;
	int starttls;		/* require STARTTLS on smtp:// */
	const char *outbox_dir;
};

/*
 * Delivers one formatted message. In the outbox it becomes name.eml
 * (written to a temporary file, synced, then renamed: the same name twice
 * replaces, never duplicates). Over SMTP: HE_TEMPFAIL when the server is
 * unreachable or answers 4xx (retry later), HE_INVALID on 5xx (give up).
 */
int mail_send(const struct mail_transport *t, const char *name,
    const char *from, const char *to, const char *msg, size_t len);

#endif
