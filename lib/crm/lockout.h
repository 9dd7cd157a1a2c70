/* lockout.h: failed sign-ins: the backoff rule, and a table of failures
 * shared by the workers of one program */
#ifndef HEARTH_LOCKOUT_H
#define HEARTH_LOCKOUT_H

#include <stdint.h>

/* When failures lock an account or a client address. */
struct lockout_policy {
	unsigned after;		/* failures in a row that start a lock */
	long base;		/* seconds of the first lock */
	long max;		/* the longest lock, in seconds */
};

/*
 * The seconds to lock for after the failures-th failure in a row: 0 below
 * p->after, then p->base, doubling with each further failure, at most
 * p->max (5 failures: 60 s, 6: 120 s, ... capped at an hour, as shipped).
 */
long lockout_seconds(const struct lockout_policy *p, unsigned failures);

/*
 * Failures of keys that have no record of their own to keep them in (a
 * client address, an email that is no account): a fixed table in memory
 * that every worker of a program shares. It is mapped before the workers
 * are forked (lockout_table_create); a restart forgets it. Keys are
 * hashed with a random key of the table, so no one can aim collisions;
 * when full, the entry failed longest ago gives way.
 */
struct lockout_table;
int lockout_table_create(struct lockout_table **out);

/* Seconds left of the lock on key at now (unix seconds), 0 when none. */
long lockout_check(struct lockout_table *t, const char *key, int64_t now);

/*
 * Counts one failure of key at now and returns the seconds of the lock
 * it starts (0: none). A key that failed nothing for twice p->max
 * seconds starts again from zero (at the longest lock, waiting it out
 * does not wipe the count).
 */
long lockout_fail(struct lockout_table *t, const char *key,
    const struct lockout_policy *p, int64_t now);

/* Forgets key's failures (a success). */
void lockout_clear(struct lockout_table *t, const char *key);

#endif
