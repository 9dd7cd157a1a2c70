/* clock.h: the time source of the domain layer */
#ifndef HEARTH_CLOCK_H
#define HEARTH_CLOCK_H

#include <stdint.h>

/* Microseconds since the epoch. */
int64_t clock_now_us(void);

/* Seconds since the epoch. */
int64_t clock_now(void);

/* Tests only: moves this process's clock by seconds from the real one
 * (0: back to it), to see what time does to records. */
void clock_set_offset(int64_t seconds);

#endif
