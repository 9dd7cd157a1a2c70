/* audit.h: who did what, when and from where: the append-only audit log */
#ifndef HEARTH_AUDIT_H
#define HEARTH_AUDIT_H

#include <stddef.h>
#include <stdint.h>
#include <db.h>
#include <jansson.h>

struct store;

/* Who acts: a back-office user (0: nobody signed in, such as a failed
 * login, or hearthctl and the worker) and the client address (NULL or ""
 * when not over the web). */
struct audit_actor {
	uint64_t user;
	const char *ip;
};

/* Every action an entry may name, NULL-terminated: "login",
 * "login_failed", "logout", "view", "edit", "create", "export", "import",
 * "merge", "unmerge", "delete", "bulk", "user_add", "user_disable",
 * "user_enable", "user_reset", "user_role", "password_change",
 * "pool_save", "touchpoint", "shortlist" (the role and the explanation
 * shown), "role" (a role created, edited, moved, commented), "pipeline"
 * (a move in a role's pipeline), "silver" (marked a silver medallist, or
 * the mark undone). */
extern const char *const audit_actions[];

/*
 * Appends one entry in txn (NULL: its own transaction):
 * {"at" (unix µs, now), "user", "user_email" (read from the user record,
 * when user is not 0), "ip", "action", "cand" (only when non-zero),
 * "detail"}. action must be one of audit_actions (HE_INVALID otherwise).
 * cand: the candidate concerned or 0. detail: a borrowed JSON object or
 * NULL (never a password; for edits the names of the fields changed).
 * There is no way to change or remove an entry.
 */
int audit_log(struct store *st, DB_TXN *txn, const struct audit_actor *who,
    const char *action, uint64_t cand, json_t *detail);

/*
 * Entries about one candidate, oldest first (for the candidate's data
 * export); entry is borrowed. fn returning non-HE_OK stops the walk with
 * that code. With txn NULL the entries are read in a transaction of
 * their own and handed to fn after it ends (fn may then write).
 */
int audit_each_of(struct store *st, DB_TXN *txn, uint64_t cand,
    int (*fn)(json_t *entry, void *ctx), void *ctx);

/* What the admin's listing keeps; zero for "any". */
struct audit_filter {
	uint64_t user;		/* entries by this user */
	const char *action;	/* of this action (NULL or "": any) */
	uint64_t cand;		/* about this candidate */
	int64_t from_us;	/* at or after (unix µs) */
	int64_t to_us;		/* before (unix µs) */
};

/* The most entries one listing looks at (filters that match rarely
 * would otherwise read the whole log for one page). */
#define AUDIT_SCAN_MAX 50000

/*
 * The entries that pass f, newest first: skips offset of them, then
 * *entries (a new JSON array the caller json_decref()s) holds up to
 * limit, each with its "id" added. *more: whether another one passes
 * after them. *stopped_at: 0 when the whole range was looked at, else
 * the time (unix µs) the listing stopped at after AUDIT_SCAN_MAX entries
 * (narrow the range to look further back).
 */
int audit_list(struct store *st, const struct audit_filter *f, size_t offset,
    size_t limit, json_t **entries, int *more, int64_t *stopped_at);

#endif
