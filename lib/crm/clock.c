/* clock.c: wall-clock time in one place, so tests can reason about it */
#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "crm/clock.h"

static int64_t offset_s;
static int offset_read;	/* HEARTH_CLOCK_OFFSET looked at (or overridden) */

/* The tests' simulated clock: HEARTH_CLOCK_OFFSET seconds (may be
 * negative) from the environment, read at the first use. */
static void
offset_from_env(void)
{
	const char *s = getenv("HEARTH_CLOCK_OFFSET");
	char *end;
	long long v;

	offset_read = 1;
	if (s == NULL || *s == '\0')
		return;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno == 0 && *end == '\0')
		offset_s = v;
}

void
clock_set_offset(int64_t seconds)
{
	offset_read = 1;
	offset_s = seconds;
}

int64_t
clock_now_us(void)
{
	struct timespec ts;

	if (!offset_read)
		offset_from_env();
	clock_gettime(CLOCK_REALTIME, &ts);
	return ((int64_t)ts.tv_sec + offset_s) * 1000000 + ts.tv_nsec / 1000;
}

int64_t
clock_now(void)
{
	return clock_now_us() / 1000000;
}
