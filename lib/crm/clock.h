/* clock.h: the time source of the domain layer */
#ifndef HEARTH_CLOCK_H
#define HEARTH_CLOCK_H

#include <stdint.h>

/* Microseconds since the epoch. */
int64_t clock_now_us(void);

/* Seconds since the epoch. */
int64_t clock_now(void);

#endif
