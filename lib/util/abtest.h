/* abtest.h: the significance test behind a campaign's A/B winner */
#ifndef HEARTH_ABTEST_H
#define HEARTH_ABTEST_H

#include <stdint.h>

/*
 * Two-proportion z-test (pooled) of x1/n1 against x2/n2: z and the two-sided p-value.
 * z is positive when x1/n1 is the higher rate; p = erfc(|z| / sqrt 2). Equal rates,
 * or none or all successes on both sides (no variance), give z 0 and p 1.
 * HE_INVALID when a count of sends (n1, n2) is 0 or x > n: then z and p are left as
 * they were. Zero successes are a count like any other.
 */
int ab_two_proportion(uint64_t x1, uint64_t n1, uint64_t x2, uint64_t n2, double *z, double *p);

/*
 * Among k variants (successes x[i] of n[i]), the best one if it beats every other at
 * two-sided p < alpha with at least min_n sends each, else -1. "Best" is the highest
 * rate; a tie for it is no winner. Any variant with x > n, or k < 2, gives -1.
 */
int ab_winner(const uint64_t *x, const uint64_t *n, int k, double alpha, uint64_t min_n);

#endif
