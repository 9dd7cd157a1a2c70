/* he.h: the one error enum of lib/ and its messages */
#ifndef HEARTH_HE_H
#define HEARTH_HE_H

/*
 * Every lib/ function that can fail returns one of these. Foreign codes
 * (Berkeley DB, ClearSilver NEOERR, errno, libcurl) are translated where
 * they enter lib/, never passed up raw.
 */
enum he {
	HE_OK = 0,
	HE_NOTFOUND,	/* no such record */
	HE_EXISTS,	/* a unique key is taken */
	HE_INVALID,	/* input rejected */
	HE_EXPIRED,	/* a token or session is past its lifetime */
	HE_DENIED,	/* wrong credentials or not allowed */
	HE_TEMPFAIL,	/* try again later: deadlock retries used up, peer down */
	HE_NOMEM,
	HE_IO,		/* storage or system call failed */
	HE_PANIC,	/* the database environment needs recovery: exit and restart */
	HE_CONFLICT,	/* the record changed since it was read (optimistic concurrency) */
	HE_BUSY,	/* not now: try again at the time the caller was given */
	HE__MAX
};

/* A short English description; never NULL, never to be freed. */
const char *he_strerror(int e);

#endif
