/* timeline.h: touchpoints logged by hand, and a candidate's timeline */
#ifndef HEARTH_TIMELINE_H
#define HEARTH_TIMELINE_H

#include <stddef.h>
#include <stdint.h>
#include <db.h>
#include <jansson.h>

struct store;

/* Who acts in the back office. */
struct tl_actor {
	uint64_t user;		/* 0: the system */
	const char *name;	/* shown in the timeline (the user's email) */
	const char *ip;		/* for the audit log; NULL off the web */
};

/*
 * What can be logged by hand: a channel and what came of it. Calls were
 * "answered", went to "voicemail" or had "no_answer"; an email, SMS or
 * LinkedIn message was "sent" by us or was their "reply"; a meeting was
 * "held" or a "no_show"; an event was "attended"; a note has no outcome.
 * Engagements (they answered, replied, met us, came to an event) set the
 * candidate's "last_engaged" and, logged by a user, add to their
 * engagement score (ENGAGE_TOUCH, engage.h).
 */
enum tl_channel {
	TL_CALL, TL_EMAIL, TL_SMS, TL_LINKEDIN, TL_MEETING, TL_EVENT, TL_NOTE,
	TL_CHANNEL__MAX
};
extern const char *const tl_channels[TL_CHANNEL__MAX + 1];
/* Whether outcome belongs to channel ("" only for a note), and whether it
 * is an engagement. */
int tl_outcome_fits(const char *channel, const char *outcome);
int tl_engaging(const char *channel, const char *outcome);

/* Characters of a touchpoint's text, at most. */
#define TL_TEXT_MAX 4000

struct tl_entry {
	const char *channel;	/* one of tl_channels */
	const char *outcome;	/* as tl_outcome_fits; "" for a note */
	const char *text;	/* what was said or noted: required for a
				 * note, "" allowed otherwise */
	int64_t at;		/* unix seconds, not in the future; 0: now */
};

/*
 * Logs a touchpoint by hand in txn, by who: HE_INVALID for a channel,
 * outcome, text or time that does not fit, HE_NOTFOUND for an unknown
 * candidate. An engagement sets the record's "last_engaged" (when later
 * than the one held); the words of its text become search terms of the
 * record (cand_terms_add); when either changed the record, it is saved
 * through cand_write in the same transaction and stops being stale (it
 * was just updated). *id (may be NULL) is the touchpoint's id.
 */
int tl_log(struct store *st, DB_TXN *txn, uint64_t cand,
    const struct tl_entry *e, const struct tl_actor *who, uint64_t *id);
/* tl_log in a transaction of its own. */
int tl_log_one(struct store *st, uint64_t cand, const struct tl_entry *e,
    const struct tl_actor *who, uint64_t *id);

/*
 * Appends a touchpoint that a change writes ("edit", "status", "owner",
 * "created", "verified"...) in txn: channel "office" when who is a user,
 * "system" otherwise; text may be NULL; detail is borrowed (NULL: {}).
 */
int tl_record(struct store *st, DB_TXN *txn, uint64_t cand, const char *kind,
    const struct tl_actor *who, const char *text, json_t *detail);

/*
 * The audit entry of an action on a candidate, in txn: the one place the
 * profile and timeline code reach the audit log (lib/crm/audit.h).
 */
int tl_audit(struct store *st, DB_TXN *txn, const struct tl_actor *who,
    const char *action, uint64_t cand, json_t *detail);

/* A day as people type it (YYYY-MM-DD) as the time of a touchpoint
 * logged by hand: today is now, an earlier day its noon UTC. HE_INVALID
 * for a day that is not one, in the future or before 1990. */
int tl_parse_day(const char *day, int64_t now, int64_t *at);

/* Touchpoints read for one timeline at most (the newest ones). */
#define TL_READ_MAX 5000

/*
 * A candidate's timeline, newest first: their touchpoints, consent events
 * and mails together. Skips offset entries, then *entries (a new JSON
 * array) holds up to limit of them, each
 *   {"at" (unix s), "at_us", "source" ("touch", "consent", "mail"),
 *    "kind", "channel", "by", "by_name", "text", "detail" {}}
 * (a consent event's kind is its type, its channel its method and its
 * by_name "the candidate", "a recruiter" or "" for the system; a mail's
 * kind is "mail", its text the mail's kind, its detail its "id" and
 * "state");
 * *total counts them all. HE_NOTFOUND for an unknown candidate.
 */
int tl_page(struct store *st, uint64_t cand, size_t offset, size_t limit,
    json_t **entries, size_t *total);

#endif
