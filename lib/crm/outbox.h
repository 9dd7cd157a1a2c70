/* outbox.h: delivering the queued mail */
#ifndef HEARTH_OUTBOX_H
#define HEARTH_OUTBOX_H

#include <stddef.h>
#include <ClearSilver.h>

#include "net/dkim.h"
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
	/* Zero in each: none (no throttle, no cap, no signature). */
	double rate;		/* Mail.RatePerSecond: mails a second, all */
	double domain_rate;	/* Mail.DomainRatePerSecond: per recipient domain */
	int cap_mails, cap_days;	/* Campaign.CapMails per Campaign.CapDays */
	int hold;		/* Mail.Hold: deliver nothing (maintenance, tests) */
	struct hdkim_signer *dkim;	/* Mail.DKIM*: signs every mail */
	char *owned[3];		/* the paths outbox_cfg_load allocated */
};

/* Mails per pass of the worker daemon (and of the delivery benchmark). */
#define OUTBOX_BATCH 100

/*
 * Fills cfg from the site configuration (Mail.*, Site.*, Web.Templates,
 * Campaign.CapMails and CapDays), the way the worker daemon delivers;
 * comm signs the links and may be set up later. The HDF must outlive cfg.
 * HE_NOMEM. A DKIM key that is configured but cannot be read (or a
 * selector or domain missing) is said in the log and mail goes unsigned.
 * On HE_OK free with outbox_cfg_free().
 */
int outbox_cfg_load(HDF *conf, const struct comm *comm, struct outbox_cfg *cfg);
void outbox_cfg_free(struct outbox_cfg *cfg);

/*
 * Delivers up to max mails that are due now, each at most once per attempt:
 * the attempt is recorded (and the next try scheduled) before sending, the
 * acceptance after. A temporary failure is retried with backoff and ends
 * the batch (the server is not taking mail now); the mails claimed with it
 * and not yet tried are put back untouched. A permanent failure marks the
 * mail failed. Each mail's Message-ID is the same at every attempt, so a
 * mail sent again after a crash between the server's acceptance and ours
 * can be recognised. Mails claimed by a worker that died go out at their
 * next try. *sent counts deliveries. The outcomes are synced to disk
 * before this returns.
 *
 * Campaign mails ("campaign") are checked when claimed, in the claim's
 * transaction, against the person as they are now: consent confirmed, not
 * paused, not do_not_contact, no email_invalid, not suppressed, the
 * enrolment still active; else the mail is "cancelled" with its "why".
 * Over the frequency cap one waits ("queued", due and "deferred_until"
 * when the cap frees). A mail to a domain over cfg->domain_rate waits for
 * its turn (due later) while others go ahead; cfg->rate paces the whole
 * batch. "campaign_test" mails go as they are, untracked.
 */
int outbox_deliver_due(struct store *st, const struct outbox_cfg *cfg,
    size_t max, size_t *sent);

#endif
