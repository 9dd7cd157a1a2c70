/* outbox.h: delivering the queued mail */
#ifndef HEARTH_OUTBOX_H
#define HEARTH_OUTBOX_H

#include <stddef.h>
#include <ClearSilver.h>

#include "net/mail.h"

struct store;
struct comm;

struct outbox_cfg {
	struct mail_transport transport;
	const char *from;
	const char *from_name;
	const char *msgid_domain;
	const char *unsubscribe_address;	/* List-Unsubscribe's mailto: */
	long retry_seconds;		/* the first retry's wait */
	HDF *site;		/* Site.* for the templates (name, base URL) */
	const char *templates;	/* directory holding mail/ */
	const struct comm *comm;	/* signs the links in each mail */
};

/*
 * Delivers up to max mails that are due now, each at most once per attempt:
 * the attempt is recorded (and the next try scheduled) before sending, the
 * acceptance after. A temporary failure is retried with backoff and ends
 * the batch (the server is not taking mail now); a permanent one marks the
 * mail failed. Each mail's Message-ID is the same at every attempt, so a
 * mail sent again after a crash between the server's acceptance and ours
 * can be recognised. *sent counts deliveries.
 */
int outbox_deliver_due(struct store *st, const struct outbox_cfg *cfg,
    size_t max, size_t *sent);

#endif
