/* community.h: joining the talent community */
#ifndef HEARTH_COMMUNITY_H
#define HEARTH_COMMUNITY_H

struct store;

/* A validated signup: every string clean UTF-8, email normalised. */
struct comm_signup {
	const char *name;
	const char *email;
	const char *ip;
	const char *user_agent;
	const char *policy_version;
	const char *consent_purpose;
};

/*
 * Stores the candidate, the consent they gave and a welcome mail in one
 * transaction. A known email changes nothing and is not an error: HE_OK
 * either way, *created says which (so callers answer both alike).
 */
int comm_join(struct store *st, const struct comm_signup *in, int *created);

#endif
