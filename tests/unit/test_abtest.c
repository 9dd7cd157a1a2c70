/* test_abtest.c: the two-proportion z-test against known values, and the winner */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <cmocka.h>

#include "util/abtest.h"
#include "util/he.h"

#define N(a) (sizeof (a) / sizeof *(a))

/*
 * References from Python (math.erfc), the same pooled test:
 *   p1, p2 = x1/n1, x2/n2; p = (x1+x2)/(n1+n2)
 *   z = (p1-p2) / sqrt(p*(1-p)*(1/n1+1/n2)); p = erfc(|z|/sqrt(2))
 * 30/100 against 20/100 is the textbook case (z 1.633, p 0.102).
 */
static const struct {
	uint64_t x1, n1, x2, n2;
	double z, p;
} known[] = {
	{ 120, 1000, 90, 1000, 2.1882658846227234, 0.028650240398448486 },
	{ 30, 100, 20, 100, 1.6329931618554518, 0.10247043485974951 },
	{ 20, 100, 30, 100, -1.6329931618554518, 0.10247043485974951 },
	{ 0, 100, 5, 100, -2.2645540682891916, 0.02354005826117795 },
	{ 45, 500, 30, 480, 1.6188120601811211, 0.10548770645875272 },
	{ 1, 2, 0, 3, 1.3693063937629151, 0.17090352023079755 },
	{ 200, 10000, 150, 10000, 2.6963092563653506, 0.0070112539682134142 },
	{ 6, 10, 1, 10, 2.3440361546924771, 0.019076322101778419 },
	/* No difference, and no variance at all. */
	{ 50, 1000, 50, 1000, 0, 1 },
	{ 5, 100, 10, 200, 0, 1 },
	{ 0, 100, 0, 50, 0, 1 },
	{ 100, 100, 40, 40, 0, 1 },
};

static void
test_known(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(known); i++) {
		double z = NAN, p = NAN;

		assert_int_equal(ab_two_proportion(known[i].x1, known[i].n1, known[i].x2,
		    known[i].n2, &z, &p), HE_OK);
		if (fabs(z - known[i].z) > 1e-12 || fabs(p - known[i].p) > 1e-12)
			fail_msg("case %zu: z %.17g p %.17g, want z %.17g p %.17g", i, z, p,
			    known[i].z, known[i].p);
	}
}

static void
test_invalid(void **state)
{
	double z = 7, p = 7;

	(void)state;
	assert_int_equal(ab_two_proportion(0, 0, 1, 10, &z, &p), HE_INVALID);
	assert_int_equal(ab_two_proportion(1, 10, 0, 0, &z, &p), HE_INVALID);
	assert_int_equal(ab_two_proportion(11, 10, 1, 10, &z, &p), HE_INVALID);
	assert_int_equal(ab_two_proportion(1, 10, 11, 10, &z, &p), HE_INVALID);
	assert_true(z == 7 && p == 7);
	/* Counts past what a double holds exactly still give a sane answer. */
	assert_int_equal(ab_two_proportion(UINT64_MAX / 2, UINT64_MAX, UINT64_MAX / 4,
	    UINT64_MAX, &z, &p), HE_OK);
	assert_true(z > 0 && p >= 0 && p < 1e-300);
}

static void
test_winner(void **state)
{
	static const struct {
		const char *name;
		uint64_t x[4], n[4];
		int k;
		double alpha;
		uint64_t min_n;
		int want;
	} cases[] = {
		{ "clear winner", { 120, 90 }, { 1000, 1000 }, 2, 0.05, 100, 0 },
		{ "clear winner second", { 90, 120 }, { 1000, 1000 }, 2, 0.05, 100, 1 },
		{ "not significant", { 30, 20 }, { 100, 100 }, 2, 0.05, 100, -1 },
		{ "significant at 0.2", { 30, 20 }, { 100, 100 }, 2, 0.2, 100, 0 },
		{ "too few sends", { 120, 90 }, { 1000, 99 }, 2, 0.05, 100, -1 },
		{ "min_n exactly", { 60, 10 }, { 100, 100 }, 2, 0.05, 100, 0 },
		{ "equal rates", { 50, 50 }, { 1000, 1000 }, 2, 0.05, 100, -1 },
		{ "equal rates, other sizes", { 50, 100 }, { 1000, 2000 }, 2, 0.5, 100, -1 },
		{ "tie for the best", { 200, 200, 50 }, { 1000, 1000, 1000 }, 3, 0.05, 100, -1 },
		{ "beats one, not the other", { 200, 180, 100 }, { 1000, 1000, 1000 }, 3, 0.05,
		    100, -1 },
		{ "beats all three", { 300, 180, 100, 150 }, { 1000, 1000, 1000, 1000 }, 4, 0.05,
		    100, 0 },
		{ "best is the last", { 100, 150, 180, 300 }, { 1000, 1000, 1000, 1000 }, 4, 0.05,
		    100, 3 },
		{ "zero clicks everywhere", { 0, 0 }, { 500, 500 }, 2, 0.05, 100, -1 },
		{ "zero against some", { 0, 40 }, { 500, 500 }, 2, 0.05, 100, 1 },
		{ "x > n", { 120, 2000 }, { 1000, 1000 }, 2, 0.05, 100, -1 },
		{ "no sends, min_n 0", { 0, 0 }, { 0, 10 }, 2, 0.05, 0, -1 },
		{ "one variant", { 120 }, { 1000 }, 1, 0.05, 100, -1 },
		{ "no variants", { 0 }, { 0 }, 0, 0.05, 100, -1 },
	};

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		int got = ab_winner(cases[i].x, cases[i].n, cases[i].k, cases[i].alpha,
		    cases[i].min_n);

		if (got != cases[i].want)
			fail_msg("%s: got %d, want %d", cases[i].name, got, cases[i].want);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_winner),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
