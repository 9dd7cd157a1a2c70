/* community.h: the talent community: signup, double opt-in, consent ledger,
 * preferences, unsubscribe and data rights */
#ifndef HEARTH_COMMUNITY_H
#define HEARTH_COMMUNITY_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <ClearSilver.h>
#include <db.h>
#include <jansson.h>

#include "util/token.h"

struct store;

/* What every call needs; filled once per process by comm_setup. */
struct comm {
	struct store *st;
	unsigned char key[TOK_KEYBYTES];	/* the site key */
	const char *policy_version;
	char policy_sha256[65];		/* of the policy text people are shown */
	const char *purpose;		/* what consent is given for */
	char *resume_dir;		/* uploaded résumés, outside the web root */
	char *outbox_dir;		/* the .eml outbox (erasure removes files) */
};

/*
 * Loads the site key (Site.SecretFile), hashes the policy text
 * (Site.PolicyFile) and resolves the directories, for a store already
 * open. HE_NOTFOUND when the key or the policy file is missing.
 * comm_cleanup frees what it allocated (not the store).
 */
int comm_setup(HDF *conf, struct store *st, struct comm *c);
void comm_cleanup(struct comm *c);

/* The seniority levels, in order, and whether s is one of them. */
extern const char *const comm_seniorities[];
int comm_seniority_known(const char *s);

/* The three mail frequencies a person can choose. */
extern const char *const comm_frequencies[];
int comm_frequency_known(const char *s);

/*
 * Splits free skill entries (commas, semicolons or new lines between them)
 * into normalised skills: cleaned, lower-cased, distinct, in the order
 * given. HE_INVALID when one is longer than COMM_SKILL_MAX characters or
 * there are more than COMM_SKILLS_MAX. On HE_OK *out is a new JSON array.
 */
#define COMM_SKILL_MAX 40
#define COMM_SKILLS_MAX 30
int comm_skills_parse(const char *text, json_t **out);

/* Shapes the profile fields accept (phone: 6 to 20 digits with + ( ) - .
 * and spaces; URL: http(s) with a host). */
int comm_phone_ok(const char *s);
int comm_url_ok(const char *s);

/* A résumé stored by comm_resume_store. */
struct comm_resume {
	char file[64];		/* name inside resume_dir */
	const char *kind;	/* "pdf", "docx", "odt", "txt" */
	const char *name;	/* the name it was sent with */
	size_t size;
};

/*
 * Writes an uploaded file under a random name in resume_dir (synced,
 * mode 0600) before the signup that names it is committed; comm_join
 * removes it again when that fails.
 */
int comm_resume_store(const struct comm *c, const unsigned char *data,
    size_t len, const char *kind, const char *name, struct comm_resume *out);
/* Removes a stored résumé that no record names. */
void comm_resume_remove(const struct comm *c, const char *file);

/* A validated signup: every string clean UTF-8, the email normalised,
 * "" for what was left out. interests and skills are JSON arrays of
 * strings (borrowed). */
struct comm_signup {
	const char *email;
	const char *first_name;
	const char *last_name;
	const char *phone;
	const char *city;
	const char *country;
	int remote;
	json_t *interests;
	const char *seniority;
	json_t *skills;
	const char *url;
	const char *source;
	const struct comm_resume *resume;	/* NULL: none sent */
	const char *ip;
	const char *user_agent;
	int tracking;		/* allowed open tracking (prefs.tracking) */
};

/*
 * A person asks to join. A new email becomes a candidate whose consent is
 * "pending", with a "granted" event in the ledger and a confirmation mail
 * queued, all in one transaction. A known email changes nothing yet: the
 * details wait in the record until the owner of the address follows the
 * confirmation mail sent to it. Both answer HE_OK, so callers answer alike.
 */
int comm_join(const struct comm *c, const struct comm_signup *in);

/* The links sent by mail: what each allows, each with its lifetime. */
enum comm_link {
	COMM_LINK_CONFIRM,	/* confirm a signup or a change: 7 days */
	COMM_LINK_PREFS,	/* the preference centre */
	COMM_LINK_UNSUBSCRIBE,	/* leave, from the footer or one click */
	COMM_LINK_EXPORT,	/* download my data: 1 day */
	COMM_LINK_ERASE,	/* erase me: 1 day */
	COMM_LINK__MAX
};

/* Signs a link for a candidate, valid from `from`; nonce (NULL for none)
 * ties a confirmation to one signup. *token is malloc'd. */
int comm_link_sign(const struct comm *c, enum comm_link link, uint64_t cand,
    const char *nonce, time_t from, char **token);

/* Checks a link: HE_OK fills *cand (and nonce, when one was signed);
 * HE_EXPIRED, or HE_INVALID for anything not signed by us. */
#define COMM_NONCE_LEN 24
int comm_link_check(const struct comm *c, enum comm_link link,
    const char *token, uint64_t *cand, char nonce[COMM_NONCE_LEN + 1]);

/* Who did something and from where, for the consent ledger. */
struct comm_actor {
	const char *method;	/* "web_form", "email_link", "recruiter" */
	const char *ip;
	const char *user_agent;
};

/*
 * The owner of the address followed a confirmation link. A pending signup
 * becomes "confirmed"; details sent again with a known email are applied;
 * a person who had left is back ("renewed"). Each appends its event.
 * HE_NOTFOUND when the link was replaced by a newer one or the person
 * was erased; following the same link twice is HE_OK.
 */
int comm_confirm(const struct comm *c, uint64_t cand, const char *nonce,
    const struct comm_actor *who);

/*
 * Signups never confirmed within COMM_CONFIRM_DAYS expire: consent becomes
 * "expired" with its event ("system"), up to max of them, oldest first;
 * *n counts them. The worker calls it on every pass.
 */
#define COMM_CONFIRM_DAYS 7
int comm_expire_pending(const struct comm *c, int64_t now_us, size_t max,
    size_t *n);

/* The candidate's record (a new reference) for the preference centre. */
int comm_get(const struct comm *c, uint64_t cand, json_t **body);

/* What the preference centre changes. */
struct comm_prefs {
	json_t *interests;	/* borrowed arrays of strings */
	json_t *skills;
	const char *city;
	const char *country;
	int remote;
	const char *seniority;
	const char *frequency;	/* one of comm_frequencies */
	int pause_months;	/* 0 (no pause, or end one), 1, 3 or 6 */
	int tracking;		/* allows open tracking (prefs.tracking) */
};

/* Saves preferences; a change of frequency, pause or open tracking is an
 * "updated" event in the ledger. */
int comm_prefs_update(const struct comm *c, uint64_t cand,
    const struct comm_prefs *p, const struct comm_actor *who);

/*
 * Withdraws consent: no more mail but what the person asks for (their
 * data, their erasure). Appends "withdrawn" once; doing it again is HE_OK.
 */
int comm_withdraw(const struct comm *c, uint64_t cand,
    const struct comm_actor *who);

/* Data requests by mail: "export" or "erase". comm_request_for_email
 * answers HE_OK whether or not the address is known. */
int comm_request(const struct comm *c, uint64_t cand, const char *kind);
int comm_request_for_email(const struct comm *c, const char *email,
    const char *kind);

/* Everything held about a person as a JSON document (profile, consent
 * ledger, touchpoints oldest first, mails, the audit entries about them);
 * *out is malloc'd, *len bytes. */
int comm_export(const struct comm *c, uint64_t cand, char **out, size_t *len);

/*
 * Erases a person: the record, the ledger, the touchpoints, every mail
 * (queued or sent, with its .eml file) and the résumé; keeps a keyed hash
 * of the email in the suppression list, counts the erasure and flags the store for the
 * worker's scrub of the logs.
 */
int comm_erase(const struct comm *c, uint64_t cand);

/*
 * What an erasure and a deletion from the back office both remove, in
 * txn: candidate p->cand's mails (queued or sent), consent ledger,
 * touchpoints, and the record with its index keys, each overwritten in
 * place; the store is flagged for the worker's scrub of the logs.
 * HE_NOTFOUND for an unknown candidate. It fills in p what is left to do
 * once txn has committed (files on disk cannot be rolled back): the ids of
 * the mails (their .eml files) and the résumé files, and the email's keyed
 * hash (an erasure suppresses it; a deletion does not, so the person may
 * join again). p starts zeroed but for cand; comm_purge_free() frees it.
 */
struct comm_purge {
	uint64_t cand;
	uint64_t *mails;
	size_t nmails, cap;
	char resume[64], pending_resume[64];
	char email_key[TOK_MACSTRLEN];
};
int comm_purge(struct store *st, DB_TXN *txn, struct comm_purge *p);
void comm_purge_free(struct comm_purge *p);
/* Adds p's files to files, a JSON object {"mails": [ids], "resumes":
 * [names]} (the arrays are made when missing), to be removed later. */
int comm_purge_note(const struct comm_purge *p, json_t *files);
/* Removes the files that comm_purge_note listed (missing ones are not an
 * error): call it only after the transaction of the purges committed. */
void comm_purge_unlink(const char *resume_dir, const char *outbox_dir,
    json_t *files);

/* The keyed hash by which an email is looked up and suppressed. */
void comm_email_key(const struct comm *c, const char *email,
    char out[TOK_MACSTRLEN]);

/* Setting names shared with the worker. */
#define COMM_SETTING_ERASED "erased"		/* count of erasures */
#define COMM_SETTING_SCRUB "scrub_due"	/* > 0: the logs hold erased data */

#endif
