/* clock.c: wall-clock time in one place, so tests can reason about it */
#include <time.h>

#include "crm/clock.h"

static int64_t offset_s;

void
clock_set_offset(int64_t seconds)
{
	offset_s = seconds;
}

int64_t
clock_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((int64_t)ts.tv_sec + offset_s) * 1000000 + ts.tv_nsec / 1000;
}

int64_t
clock_now(void)
{
	return clock_now_us() / 1000000;
}
