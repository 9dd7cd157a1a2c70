/* role.h: roles (requisitions): their records, states, silver medallists and new-match alerts */
#ifndef HEARTH_ROLE_H
#define HEARTH_ROLE_H

#include <stddef.h>
#include <stdint.h>
#include <db.h>
#include <jansson.h>
#include <ClearSilver.h>

struct store;
struct audit_actor;
struct match_cand;
struct match_role;

/*
 * A role is {"title", "team", "family" (a Site.JobFamilies id),
 * "locations" [{"city", "country"}], "remote" (match_remote_names),
 * "seniority" (comm_seniorities, "" any), "required" [skill names as
 * typed], "nice" [{"skill", "weight" 1..5}], "description", "managers"
 * [user ids: hiring managers], "owner" (user id), "status", "opened",
 * "closed" (unix s, set by the state changes), "threshold" (alert score,
 * 0: Match.AlertThreshold), "silver" [candidate ids marked at closing:
 * the reviewable list], "created", "updated", "gen"}.
 */
enum role_status {
	ROLE_DRAFT, ROLE_OPEN, ROLE_ON_HOLD, ROLE_FILLED, ROLE_CLOSED,
	ROLE_STATUS__MAX
};
extern const char *const role_status_names[ROLE_STATUS__MAX + 1];
/* "Draft", "Open", "On hold", "Filled", "Closed": for people. */
extern const char *const role_status_labels[ROLE_STATUS__MAX];
/* The status of a name, -1 when it is none. */
int role_status_of(const char *name);

/* Limits of what a role holds (characters unless said). */
#define ROLE_TITLE_MAX 120
#define ROLE_TEXT_MAX 20000		/* the description */
#define ROLE_PLACE_MAX 80		/* a city or a country */
#define ROLE_MANAGERS_MAX 20
#define ROLE_COMMENT_MAX 4000
#define ROLE_COMMENTS_KEPT 500

/*
 * What the roles read of the site configuration, copied (conf may go):
 * the ids of Site.JobFamilies (a role's family is one of them; with none
 * configured any short id is taken), Match.AlertThreshold (default 70),
 * Match.DigestHour (0..23 UTC, default 7), Role.MailSubject and
 * Role.MailBody (the personal mail's template), Site.BaseURL (links in
 * the digest), Campaign.CapMails and CapDays (the frequency cap). NULL: the defaults. crm_open calls it. HE_NOMEM.
 */
int role_configure(HDF *conf);
int role_alert_threshold(void);
/* Campaign.CapMails per Campaign.CapDays (defaults 3 and 7; <= 0: none):
 * the frequency cap personal mails share with campaigns. */
void role_cap(int *mails, int *days);
int role_digest_hour(void);
/* The default personal mail (merge templates, util/merge.h). */
const char *role_mail_subject(void);
const char *role_mail_body(void);
/* The label of a job family id (the id itself when unknown), and whether
 * it is one of Site.JobFamilies (with none configured: any id of 1 to 40
 * letters, digits, '_' or '-'). */
const char *role_family_label(const char *id);
int role_family_known(const char *id);
/* Site.BaseURL as configured ("" when none). */
const char *role_base_url(void);

/*
 * Checks a role as edited: *errors (new object) maps the field name
 * ("title", "required", "nice.2.weight", "managers", ...) to a message
 * for people; HE_INVALID when there is one, HE_OK otherwise (errors
 * empty). Managers must be users with the hiring_manager role, the owner
 * an admin or recruiter (read in txn).
 */
int role_validate(struct store *st, DB_TXN *txn, json_t *role, json_t **errors);

/* Creates a role in draft (or "open" when role says so: "opened" set) by
 * who; *id on HE_OK; HE_INVALID with *errors. */
int role_create(struct store *st, const struct audit_actor *who, json_t *role,
    uint64_t *id, json_t **errors);

/* Replaces the editable fields of role id when its "gen" is still gen
 * (HE_CONFLICT otherwise); HE_INVALID with *errors; HE_NOTFOUND. */
int role_update(struct store *st, const struct audit_actor *who, uint64_t id,
    int64_t gen, json_t *role, json_t **errors);

/*
 * Moves role id to status (open, on hold, filled, closed; draft only
 * from nothing). Opening sets "opened" the first time; filled and closed
 * set "closed" and mark as silver medallists, in the same transaction,
 * the people of its pipeline who reached interviewing or offer and were
 * not hired (pipeline.h): their record's "silver_families" gains the
 * role's family, their status becomes silver_medallist unless it is hired
 * or do_not_contact, a touchpoint says so, and the role's "silver" lists
 * them. HE_INVALID for a move that is not allowed (a closed role reopens
 * to open only).
 */
int role_set_status(struct store *st, const struct audit_actor *who,
    uint64_t id, enum role_status status);

/* Takes candidate cand off role id's silver list and undoes the mark
 * (their family stays when another role of it marked them). */
int role_silver_undo(struct store *st, const struct audit_actor *who,
    uint64_t id, uint64_t cand);

/* The role (new reference, with "id"); HE_NOTFOUND. */
int role_get(struct store *st, DB_TXN *txn, uint64_t id, json_t **role);

/* Roles, newest first, one page (1-based): those in status (-1: any)
 * and, when manager is not 0, only those that list them as a hiring
 * manager. *rows a new array of roles with "id" and "pipeline" (how many
 * people are in it); *total counts them. */
int role_list(struct store *st, int status, uint64_t manager, size_t page,
    size_t per_page, json_t **rows, size_t *total);

/* Whether user is a hiring manager of role id (HE_OK) or not
 * (HE_NOTFOUND). */
int role_is_manager(struct store *st, DB_TXN *txn, uint64_t id, uint64_t user);

/* Adds a comment by who to role id: {"at", "by", "by_name", "text"} in
 * the role's "comments" (newest last, the oldest dropped past 500). */
int role_comment(struct store *st, const struct audit_actor *who, uint64_t id,
    const char *text);

/*
 * The open roles compiled for scoring, cached per process and read again
 * when a role changed (a generation in the settings, read in txn). *roles
 * stays valid until the next call. For the new-match check.
 */
int role_open_compiled(struct store *st, DB_TXN *txn,
    const struct match_role **roles, size_t *n);

/*
 * New-match alerts, for cand_write in its transaction: for each open
 * role, when the candidate's new record (now) scores at or above the
 * role's threshold and their old one (old NULL: a new candidate) did not,
 * and they are not excluded nor already in its pipeline nor alerted for
 * it before, stores an alert (STORE_ROLE_ALERT) and a notice for the
 * role's owner (kind "match").
 */
int role_alert_check(struct store *st, DB_TXN *txn,
    const struct match_cand *old, const struct match_cand *now);

/* The worker's daily digest: once a day (at or after Match.DigestHour,
 * UTC), one mail per role owner listing their alerts not yet sent in a
 * digest, through the mail queue. *sent counts the mails queued. */
int role_digest_run(struct store *st, size_t *sent);

/* For the outbox: the subject and text (malloc'd, the caller frees) of a
 * digest mail (kind "role_digest": {"user", "to", "to_name", "items"
 * [{"role", "cand", "score", "at"}]}), the names and titles read now (the
 * people erased since are left out), with links to each role's ranking
 * and each person's page under Site.BaseURL. */
int role_digest_render(struct store *st, const json_t *mail, char **subject,
    char **text);

#endif
