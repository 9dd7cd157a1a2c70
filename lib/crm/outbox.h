/* outbox.h: delivering the queued mail */
#ifndef HEARTH_OUTBOX_H
#define HEARTH_OUTBOX_H

#include <stddef.h>
#include <ClearSilver.h>

#include "crm/campaign.h"
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
	long claim_seconds;	/* Mail.ClaimSeconds: a claim's lease (<= 0: 300) */
	HDF *site;		/* Site.* for the templates (name, base URL) */
	const char *templates;	/* directory holding mail/ */
	const struct comm *comm;	/* signs the links in each mail */
	/* Zero in each: none (no throttle, no cap, no signature). */
	double rate;		/* Mail.RatePerSecond: mails a second, all */
	double domain_rate;	/* Mail.DomainRatePerSecond: per recipient domain */
	int cap_mails, cap_days;	/* Campaign.CapMails per Campaign.CapDays */
	int hold;		/* Mail.Hold: deliver nothing (maintenance, tests) */
	/* Campaign.TimeZone, QuietFrom, QuietTo: a campaign mail held back
	 * (the cap, a paused campaign) waits for the person's next hour in
	 * its campaign's window (zeroed: UTC, no quiet hours). */
	struct campaign_cfg campaign;
	struct hdkim_signer *dkim;	/* Mail.DKIM*: signs every mail */
	char *owned[3];		/* the paths outbox_cfg_load allocated */
};

/* Mails per pass of the worker daemon (and of the delivery benchmark). */
#define OUTBOX_BATCH 100

/*
 * Fills cfg from the site configuration (Mail.*, Site.*, Web.Templates,
 * Campaign.*), the way the worker daemon delivers;
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
 * mail failed. A claim is a lease of cfg->claim_seconds on its mails,
 * with a random token: another worker claims them only once it has run
 * out (the first worker was killed, or is far slower than the lease), and
 * a worker records an outcome only for the mails that still hold its
 * token. Each mail's Message-ID is the same at every attempt, so a
 * mail sent again after a crash between the server's acceptance and ours
 * can be recognised. Mails claimed by a worker that died go out once its
 * lease has run out. *sent counts deliveries. The outcomes are synced to disk
 * before this returns.
 *
 * Campaign mails ("campaign") are checked when claimed, in the claim's
 * transaction, against the person as they are now: consent confirmed, not
 * paused, not do_not_contact, no email_invalid, not suppressed, the
 * enrolment still letting it go (campaign_mail_allowed: active, or run to
 * its end by the step that queued it); else the mail is "cancelled" with
 * its "why". The person (consent, pause, do_not_contact, email_invalid,
 * suppression) and the enrolment are looked at again, reading only, just
 * before each campaign mail is handed to the sender, as its group's claim
 * may be a while ago. Only an "active" campaign's mail goes: a "paused" or
 * "draft" one's waits, an "archived" (or deleted) one's is cancelled.
 * Over the frequency cap one waits ("queued", due and "deferred_until"
 * when the cap frees, moved on to the person's next sending hour: the
 * campaign's window and the quiet hours in their zone). A mail to a domain over cfg->domain_rate waits for
 * its turn (due later) while others go ahead; cfg->rate paces the whole
 * batch. "campaign_test" mails go as they are, untracked. Personal mails
 * about a role ("role", role_mail.h) are checked and held back like a
 * campaign's, without an enrolment or a campaign's state and window, and
 * count against the cap when sent. A role owner's digest of new matches
 * ("role_digest") goes to them as role_digest_render makes it.
 */
int outbox_deliver_due(struct store *st, const struct outbox_cfg *cfg,
    size_t max, size_t *sent);

/* For the unit tests only: called with outbox_claimed_arg after each claim
 * of outbox_deliver_due commits, before its mails are sent (what another
 * worker, or a person, does meanwhile). NULL: nothing. */
extern void (*outbox_claimed_hook)(void *arg);
extern void *outbox_claimed_arg;

#endif
