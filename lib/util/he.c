/* he.c: error descriptions */
#include "util/he.h"

static const char *const he_messages[HE__MAX] = {
	[HE_OK] = "success",
	[HE_NOTFOUND] = "not found",
	[HE_EXISTS] = "already exists",
	[HE_INVALID] = "invalid input",
	[HE_EXPIRED] = "expired",
	[HE_DENIED] = "denied",
	[HE_TEMPFAIL] = "temporary failure, try again",
	[HE_NOMEM] = "out of memory",
	[HE_IO] = "input/output error",
	[HE_PANIC] = "database environment needs recovery",
	[HE_CONFLICT] = "changed by someone else meanwhile",
	[HE_BUSY] = "busy, try again later",
};

const char *
he_strerror(int e)
{
	if (e < 0 || e >= HE__MAX)
		return "unknown error";
	return he_messages[e];
}
