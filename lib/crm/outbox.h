/* outbox.h: delivering the queued mail */
#ifndef HEARTH_OUTBOX_H
#define HEARTH_OUTBOX_H

#include <stddef.h>
#include <ClearSilver.h>

#include "net/mail.h"

struct store;

struct outbox_cfg {
	struct mail_transport transport;
	const char *from;
	const char *from_name;
	const char *msgid_domain;
	HDF *site;		/* Site.* for the templates (name, base URL) */
	const char *templates;	/* directory holding mail/ */
};

/*
 * Delivers up to max mails that are due now, each at most once per attempt:
 * the attempt is recorded (and the next try scheduled) before sending, the
 * acceptance after. A temporary failure is retried with backoff; a
 * permanent one marks the mail failed. *sent counts deliveries.
 */
int outbox_deliver_due(struct store *st, const struct outbox_cfg *cfg,
    size_t max, size_t *sent);

#endif
