/* abtest.c: the pooled two-proportion z-test and the choice of a winner */
#include <math.h>

#include "util/abtest.h"
#include "util/he.h"

int
ab_two_proportion(uint64_t x1, uint64_t n1, uint64_t x2, uint64_t n2, double *z, double *p)
{
	double r1, r2, pool, se;

	if (n1 == 0 || n2 == 0 || x1 > n1 || x2 > n2)
		return HE_INVALID;
	r1 = (double)x1 / (double)n1;
	r2 = (double)x2 / (double)n2;
	pool = ((double)x1 + (double)x2) / ((double)n1 + (double)n2);
	se = sqrt(pool * (1 - pool) * (1 / (double)n1 + 1 / (double)n2));
	/* No variance (no successes or nothing else on either side): the
	 * samples cannot tell the variants apart. */
	if (se == 0 || r1 == r2) {
		*z = 0;
		*p = 1;
		return HE_OK;
	}
	*z = (r1 - r2) / se;
	*p = erfc(fabs(*z) / M_SQRT2);
	return HE_OK;
}

int
ab_winner(const uint64_t *x, const uint64_t *n, int k, double alpha, uint64_t min_n)
{
	int best = -1;

	if (k < 2)
		return -1;
	for (int i = 0; i < k; i++) {
		if (n[i] < min_n || n[i] == 0 || x[i] > n[i])
			return -1;
		/* Rates compared without division: x[i]/n[i] > x[b]/n[b]. */
		if (best < 0 || (unsigned __int128)x[i] * n[best] >
		    (unsigned __int128)x[best] * n[i])
			best = i;
	}
	for (int i = 0; i < k; i++) {
		double z, p;

		if (i == best)
			continue;
		if (ab_two_proportion(x[best], n[best], x[i], n[i], &z, &p) != HE_OK ||
		    z <= 0 || !(p < alpha))
			return -1;
	}
	return best;
}
