/* test_tz.c: TZif zones, footer rules, the location table and send windows */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "util/he.h"
#include "util/tz.h"

#define N(a) (sizeof (a) / sizeof *(a))

static const struct tz *
zone(const char *name)
{
	const struct tz *z;

	if (tz_get(name, &z) != HE_OK)
		fail_msg("zone %s does not load", name);
	return z;
}

/* Offsets from Python's zoneinfo over the same tzdata (2026 files: "fat", so
 * times after 2037 come from the footer rule). */
static const struct { const char *zone; int64_t t; long off; } offsets[] = {
	{ "Europe/London", 1774745999, 0 },		/* 2026-03-29T00:59:59Z */
	{ "Europe/London", 1774746000, 3600 },		/* 2026-03-29T01:00:00Z */
	{ "Europe/London", 1792889999, 3600 },		/* 2026-10-25T00:59:59Z */
	{ "Europe/London", 1792890000, 0 },		/* 2026-10-25T01:00:00Z */
	{ "Europe/London", 0, 3600 },			/* 1970: British Standard Time */
	{ "America/New_York", 1772953199, -18000 },	/* 2026-03-08T06:59:59Z */
	{ "America/New_York", 1772953200, -14400 },	/* 2026-03-08T07:00:00Z */
	{ "America/New_York", 1793512799, -14400 },	/* 2026-11-01T05:59:59Z */
	{ "America/New_York", 1793512800, -18000 },	/* 2026-11-01T06:00:00Z */
	{ "America/New_York", -2208988800, -18000 },	/* 1900-01-01 */
	{ "Asia/Kolkata", 1780272000, 19800 },		/* 2026-06-01 */
	{ "Asia/Kolkata", -883612800, 23400 },		/* 1942-01-01: war time */
	{ "Asia/Kathmandu", 1767225600, 20700 },
	{ "Australia/Lord_Howe", 1775314799, 39600 },	/* 2026-04-04T14:59:59Z */
	{ "Australia/Lord_Howe", 1775314800, 37800 },	/* half an hour back */
	{ "Australia/Lord_Howe", 1791041399, 37800 },	/* 2026-10-03T15:29:59Z */
	{ "Australia/Lord_Howe", 1791041400, 39600 },	/* half an hour on */
	/* Past 2038: the footer. */
	{ "America/New_York", 2215061999, -18000 },	/* 2040-03-11T06:59:59Z */
	{ "America/New_York", 2215062000, -14400 },	/* 2040-03-11T07:00:00Z */
	{ "America/New_York", 2235621599, -14400 },	/* 2040-11-04T05:59:59Z */
	{ "America/New_York", 2235621600, -18000 },	/* 2040-11-04T06:00:00Z */
	{ "America/New_York", 4118083200, -14400 },	/* 2100-07-01 */
	{ "Australia/Lord_Howe", 2548250999, 37800 },	/* 2050-10-01T15:29:59Z */
	{ "Australia/Lord_Howe", 2548251000, 39600 },
	{ "Australia/Sydney", 2366841600, 39600 },	/* 2045-01-01: southern summer */
	{ "Europe/Dublin", 2210198400, 0 },		/* 2040-01-15: negative DST */
	{ "Europe/Dublin", 2224713600, 3600 },		/* 2040-07-01 */
	{ "America/Santiago", 2382480000, -14400 },	/* 2045-07-01 */
	{ "America/Santiago", 2366841600, -10800 },	/* 2045-01-01 */
	{ "Pacific/Chatham", 1893456000, 49500 },	/* 2030-01-01: +13:45 */
	{ "America/Sao_Paulo", 1767225600, -10800 },
	{ "Europe/Moscow", 1893456000, 10800 },
	{ "UTC", 1767225600, 0 },
	{ "Etc/GMT+5", 1767225600, -18000 },
};

static void
test_offsets(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(offsets); i++) {
		long got = tz_offset(zone(offsets[i].zone), offsets[i].t);

		if (got != offsets[i].off)
			fail_msg("%s at %lld: got %ld, want %ld", offsets[i].zone,
			    (long long)offsets[i].t, got, offsets[i].off);
	}
	/* Far times are clamped, not overflowed. */
	assert_int_equal(tz_offset(zone("America/New_York"), INT64_MAX) % 3600, 0);
	assert_int_equal(tz_offset(zone("America/New_York"), INT64_MIN), -17762);
}

static void
test_get(void **state)
{
	const struct tz *a, *b;

	(void)state;
	assert_int_equal(tz_get("Europe/Paris", &a), HE_OK);
	assert_int_equal(tz_get("Europe/Paris", &b), HE_OK);
	assert_ptr_equal(a, b);			/* cached */
	assert_string_equal(tz_name(a), "Europe/Paris");
	assert_int_equal(tz_get("Europe/Nowhere", &a), HE_NOTFOUND);
	assert_null(a);
	assert_int_equal(tz_get("", &a), HE_NOTFOUND);
	assert_int_equal(tz_get("America", &a), HE_NOTFOUND);	/* a directory */
	assert_int_equal(tz_get("Europe/Paris/x", &a), HE_NOTFOUND);
	assert_int_equal(tz_get("../../etc/passwd", &a), HE_INVALID);
	assert_int_equal(tz_get("Europe/../../etc/passwd", &a), HE_INVALID);
	assert_int_equal(tz_get("/etc/localtime", &a), HE_INVALID);
	assert_int_equal(tz_get("zone.tab", &a), HE_INVALID);	/* not TZif */
}

/* TZif files made here, read through TZDIR. */

struct zfile {
	int version;		/* 1, 2 or 3 */
	size_t n;
	int64_t at[4];
	unsigned char idx[4];
	size_t ntypes;
	int32_t off[3];
	const char *footer;	/* versions 2 and 3 */
};

static void
put32(FILE *f, uint32_t v)
{
	unsigned char b[4] = { v >> 24, v >> 16, v >> 8, v };

	fwrite(b, 1, 4, f);
}

static void
write_block(FILE *f, const struct zfile *z, int version, int tsize)
{
	fwrite("TZif", 1, 4, f);
	fputc(version == 1 ? 0 : '0' + version, f);
	for (int i = 0; i < 15; i++)
		fputc(0, f);
	put32(f, 0);			/* isut */
	put32(f, 0);			/* isstd */
	put32(f, 0);			/* leap */
	put32(f, (uint32_t)z->n);
	put32(f, (uint32_t)z->ntypes);
	put32(f, 4);			/* chars */
	for (size_t i = 0; i < z->n; i++) {
		if (tsize == 8)
			put32(f, (uint32_t)((uint64_t)z->at[i] >> 32));
		put32(f, (uint32_t)z->at[i]);
	}
	fwrite(z->idx, 1, z->n, f);
	for (size_t i = 0; i < z->ntypes; i++) {
		put32(f, (uint32_t)z->off[i]);
		fputc(0, f);
		fputc(0, f);
	}
	fwrite("ABC", 1, 4, f);
}

static char tzdir[64];

static void
make_zone(const char *name, const struct zfile *z)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", tzdir, name);
	assert_non_null(f = fopen(path, "w"));
	write_block(f, z, z->version, 4);
	if (z->version > 1) {
		write_block(f, z, z->version, 8);
		fprintf(f, "\n%s\n", z->footer);
	}
	assert_int_equal(fclose(f), 0);
}

static void
make_raw(const char *name, const char *bytes, size_t len)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", tzdir, name);
	assert_non_null(f = fopen(path, "w"));
	fwrite(bytes, 1, len, f);
	assert_int_equal(fclose(f), 0);
}

static int
zones_setup(void **state)
{
	(void)state;
	snprintf(tzdir, sizeof tzdir, "/tmp/u5-tz-%d", (int)getpid());
	if (mkdir(tzdir, 0700) != 0)
		return -1;
	return setenv("TZDIR", tzdir, 1);
}

static int
zones_teardown(void **state)
{
	char cmd[128];

	(void)state;
	unsetenv("TZDIR");
	snprintf(cmd, sizeof cmd, "rm -rf %s", tzdir);
	return system(cmd);
}

/* 2000-01-01, 2010-07-01, 2010-01-15, 2030-01-01 00:30, 2030-12-31 23:30. */
#define Y2000	INT64_C(946684800)
#define JUL2010	INT64_C(1277942400)
#define JAN2010	INT64_C(1263513600)
#define JAN2030	INT64_C(1893457800)
#define DEC2030	INT64_C(1924990200)

static void
test_files(void **state)
{
	/* "Slim": one transition, the footer from then on. */
	const struct zfile slim = { 2, 1, { Y2000 }, { 1 }, 2, { -17762, -18000 },
	    "EST5EDT,M3.2.0,M11.1.0" };
	/* Version 1: 32-bit times, no footer: the last type for ever. */
	const struct zfile v1 = { 1, 2, { 0, Y2000 }, { 1, 2 }, 3, { 100, 3600, 7200 }, NULL };
	/* Version 3: DST all year ("J365/25"), and hours past 24 in the rule. */
	const struct zfile allyear = { 3, 0, { 0 }, { 0 }, 1, { -18000 }, "EST5EDT,0/0,J365/25" };
	/* Without dates, the US rules; an empty footer keeps the last type. */
	const struct zfile nodates = { 2, 0, { 0 }, { 0 }, 1, { -18000 }, "EST5EDT" };
	const struct zfile empty = { 2, 1, { Y2000 }, { 1 }, 2, { 0, 1800 }, "" };
	/* The changes before the dates of their rules: "M3.5.0/-1" (Greenland). */
	const struct zfile neg = { 3, 0, { 0 }, { 0 }, 1, { -7200 }, "<-02>2<-01>,M3.5.0/-1,M10.5.0/0" };
	const struct zfile badidx = { 2, 1, { Y2000 }, { 5 }, 2, { 0, 3600 }, "UTC0" };
	const struct zfile badrule = { 2, 0, { 0 }, { 0 }, 1, { 0 }, "UTC0,M13.1.0,M1.1.0" };
	const struct zfile badoff = { 2, 0, { 0 }, { 0 }, 1, { 100000 }, "UTC0" };
	const struct zfile unsorted = { 2, 2, { Y2000, 0 }, { 0, 1 }, 2, { 0, 3600 }, "UTC0" };
	const struct tz *z;

	(void)state;
	make_zone("Slim", &slim);
	make_zone("V1", &v1);
	make_zone("AllYear", &allyear);
	make_zone("NoDates", &nodates);
	make_zone("Empty", &empty);
	make_zone("Neg", &neg);
	make_zone("BadIdx", &badidx);
	make_zone("BadRule", &badrule);
	make_zone("BadOff", &badoff);
	make_zone("Unsorted", &unsorted);
	make_raw("Magic", "TZxf2", 5);
	make_raw("Short", "TZif2\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\1", 28);

	z = zone("Slim");
	assert_int_equal(tz_offset(z, Y2000 - 1), -17762);	/* before: type 0 */
	assert_int_equal(tz_offset(z, Y2000), -18000);
	assert_int_equal(tz_offset(z, JUL2010), -14400);
	assert_int_equal(tz_offset(z, JAN2010), -18000);
	assert_int_equal(tz_offset(z, 1772953199), -18000);	/* 2026-03-08 as NY */
	assert_int_equal(tz_offset(z, 1772953200), -14400);

	z = zone("V1");
	assert_int_equal(tz_offset(z, -1), 100);
	assert_int_equal(tz_offset(z, 0), 3600);
	assert_int_equal(tz_offset(z, Y2000), 7200);
	assert_int_equal(tz_offset(z, INT64_C(4000000000)), 7200);

	z = zone("AllYear");
	assert_int_equal(tz_offset(z, JAN2030), -14400);
	assert_int_equal(tz_offset(z, DEC2030), -14400);
	assert_int_equal(tz_offset(z, JUL2010), -14400);

	z = zone("NoDates");
	assert_int_equal(tz_offset(z, JUL2010), -14400);
	assert_int_equal(tz_offset(z, JAN2010), -18000);

	z = zone("Empty");
	assert_int_equal(tz_offset(z, Y2000 - 1), 0);
	assert_int_equal(tz_offset(z, INT64_C(4000000000)), 1800);

	/* 2026-03-29T00:59:59Z is 22:59:59 of Saturday at -02: DST starts at
	 * 23:00 local, an hour before Sunday. */
	z = zone("Neg");
	assert_int_equal(tz_offset(z, 1774745999), -7200);
	assert_int_equal(tz_offset(z, 1774746000), -3600);

	assert_int_equal(tz_get("BadIdx", &z), HE_INVALID);
	assert_int_equal(tz_get("BadRule", &z), HE_INVALID);
	assert_int_equal(tz_get("BadOff", &z), HE_INVALID);
	assert_int_equal(tz_get("Unsorted", &z), HE_INVALID);
	assert_int_equal(tz_get("Magic", &z), HE_INVALID);
	assert_int_equal(tz_get("Short", &z), HE_INVALID);
	assert_int_equal(tz_get("Missing", &z), HE_NOTFOUND);
}

/* Send windows: the times as local time, and the UTC seconds they are. */
struct window_case {
	const char *name;
	const char *zone;
	int64_t t;
	struct send_window w;
	int64_t want;
};

static const struct window_case window_cases[] = {
	{ "inside: now", "America/New_York", 1795194000,	/* Fri 2026-11-20 12:00 */
	    { 9, 17, 1, 21, 8 }, 1795194000 },
	{ "Friday evening to Monday morning", "America/New_York",
	    1795215600,						/* Fri 18:00 */
	    { 9, 17, 1, 21, 8 }, 1795442400 },			/* Mon 2026-11-23 09:00 */
	{ "Saturday to Monday", "America/New_York", 1795273200,	/* Sat 10:00 */
	    { 9, 17, 1, 0, 0 }, 1795442400 },
	{ "weekends allowed", "America/New_York", 1795273200,
	    { 9, 17, 0, 0, 0 }, 1795273200 },
	{ "after the window: next morning", "America/New_York",
	    1795042800,						/* Wed 2026-11-18 18:00 */
	    { 9, 17, 1, 21, 8 }, 1795096800 },			/* Thu 09:00 */
	{ "quiet hours 21-8: at 22:00", "America/New_York", 1795057200,	/* Wed 22:00 */
	    { 0, 24, 0, 21, 8 }, 1795093200 },			/* Thu 08:00 */
	{ "quiet hours: a second before the end", "America/New_York", 1795006799,
	    { 0, 24, 0, 21, 8 }, 1795006800 },			/* Wed 08:00 */
	{ "quiet hours: a second before the start", "America/New_York", 1795053599,
	    { 0, 24, 0, 21, 8 }, 1795053599 },
	{ "quiet hours: at the start", "America/New_York", 1795053600,	/* Wed 21:00 */
	    { 0, 24, 0, 21, 8 }, 1795093200 },
	{ "quiet hours equal: none", "America/New_York", 1795057200,
	    { 0, 24, 0, 8, 8 }, 1795057200 },
	{ "window over midnight", "America/New_York", 1795194000,	/* Fri 12:00 */
	    { 22, 6, 0, 0, 0 }, 1795194000 + 10 * 3600 },
	{ "window over midnight, inside", "America/New_York", 1795057200,	/* 22:00 */
	    { 22, 6, 0, 0, 0 }, 1795057200 },
	{ "window and quiet hours leave nothing: the window", "America/New_York",
	    1795003200,						/* Wed 07:00 */
	    { 9, 17, 0, 8, 18 }, 1795010400 },			/* Wed 09:00 */
	{ "half-hour zone", "Asia/Kolkata", 1795402800,		/* Mon 08:30 IST */
	    { 9, 17, 1, 21, 8 }, 1795404600 },			/* 09:00 IST */
	/* Europe/London, 2026-03-29: 01:00 GMT becomes 02:00 BST. */
	{ "an hour that does not exist", "Europe/London", 1774744200,	/* 00:30 GMT */
	    { 1, 2, 0, 0, 0 }, 1774828800 },			/* Mon 01:00 BST */
	{ "a window over the gap", "Europe/London", 1774744200,
	    { 1, 3, 0, 0, 0 }, 1774746000 },			/* 02:00 BST */
	/* 2026-10-25: 02:00 BST becomes 01:00 GMT: 01:xx comes twice. */
	{ "an hour twice: the first time", "Europe/London", 1792884600,	/* 00:30 BST */
	    { 1, 2, 0, 0, 0 }, 1792886400 },			/* 01:00 BST */
	{ "an hour twice: the second time", "Europe/London", 1792891800,	/* 01:30 GMT */
	    { 1, 2, 0, 0, 0 }, 1792891800 },
	{ "after the repeated hour", "Europe/London", 1792884600,
	    { 2, 3, 0, 0, 0 }, 1792893600 },			/* 02:00 GMT */
	/* America/New_York, 2026-03-08: 02:00 EST becomes 03:00 EDT. */
	{ "New York's missing hour", "America/New_York", 1772946000,	/* 00:00 EST */
	    { 2, 3, 0, 0, 0 }, 1773036000 },			/* Mon 02:00 EDT */
	{ "quiet hours over the change", "America/New_York", 1772938800,	/* Sat 22:00 */
	    { 0, 24, 0, 21, 8 }, 1772971200 },			/* Sun 08:00 EDT */
	/* Lord Howe, 2026-10-04: 02:00 becomes 02:30. */
	{ "half-hour DST", "Australia/Lord_Howe", 1791039600,	/* 01:30 +1030 */
	    { 2, 3, 0, 0, 0 }, 1791041400 },			/* 02:30 +11 */
	{ "past 2038", "America/New_York", 2215061999 - 7 * 3600,	/* Sat 2040-03-10 18:59:59 */
	    { 9, 17, 1, 0, 0 }, 2215062000 + 30 * 3600 },	/* Mon 2040-03-12 09:00 EDT */
};

static void
test_windows(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(window_cases); i++) {
		const struct window_case *c = &window_cases[i];
		int64_t got = tz_next_send(zone(c->zone), c->t, &c->w);

		if (got != c->want)
			fail_msg("%s: got %lld, want %lld", c->name, (long long)got,
			    (long long)c->want);
	}
	/* Times no calendar reaches are given back as they are. */
	assert_true(tz_next_send(zone("UTC"), INT64_MAX, &window_cases[0].w) == INT64_MAX);
	assert_true(tz_next_send(zone("UTC"), INT64_MIN, &window_cases[0].w) == INT64_MIN);
}

/* Every hour of a year in a few zones: the answer is never before t, is in
 * the window, and nothing in the window comes between. */
static void
test_windows_sweep(void **state)
{
	static const char *const names[] = { "Europe/London", "America/New_York",
	    "Australia/Lord_Howe", "Asia/Kathmandu", "America/Santiago" };
	const struct send_window w = { 8, 18, 1, 21, 9 };

	(void)state;
	for (size_t k = 0; k < N(names); k++) {
		const struct tz *z = zone(names[k]);

		for (int64_t t = 1767225600; t < 1767225600 + 366 * 86400; t += 3600 + 17) {
			int64_t got = tz_next_send(z, t, &w), local = got + tz_offset(z, got);
			int64_t day = local >= 0 ? local / 86400 : -1;
			int h = (int)(local % 86400 / 3600), wd = (int)((day + 4) % 7);

			assert_true(got >= t);
			assert_true(got - t < 4 * 86400);
			assert_true(h >= 9 && h < 18 && wd != 0 && wd != 6);
			if (got > t) {
				int64_t before = got - 1, lb = before + tz_offset(z, before);
				int hb = (int)(lb % 86400 / 3600), wdb = (int)((lb / 86400 + 4) % 7);

				assert_false(hb >= 9 && hb < 18 && wdb != 0 && wdb != 6);
			}
		}
	}
}

/* The table shipped in conf/: every line, read back through the API. */
static void
test_table_file(void **state)
{
	char line[1024], prev_code[3] = "", bad[64];
	const char *prev_zone = NULL;
	FILE *f, *b;
	size_t countries = 0, cities = 0;

	(void)state;
	/* Failures load nothing. */
	assert_int_equal(tz_table_load("/tmp/u5-no-such-table.tsv"), HE_IO);
	assert_null(tz_for_location(NULL, "United Kingdom"));
	snprintf(bad, sizeof bad, "/tmp/u5-bad-%d.tsv", (int)getpid());
	assert_non_null(b = fopen(bad, "w"));
	fputs("GB\tUnited Kingdom\t\tEurope/London\nXX\t\tCity\tEurope/Paris\n", b);
	fclose(b);
	assert_int_equal(tz_table_load(bad), HE_INVALID);	/* a city before its country */
	assert_non_null(b = fopen(bad, "w"));
	fputs("GB\tUnited Kingdom\tLondon\tEurope/London\n", b);	/* names and a city */
	fclose(b);
	assert_int_equal(tz_table_load(bad), HE_INVALID);
	assert_non_null(b = fopen(bad, "w"));
	fputs("GB\tUnited Kingdom\t\n", b);
	fclose(b);
	assert_int_equal(tz_table_load(bad), HE_INVALID);
	assert_non_null(b = fopen(bad, "w"));
	fputs("GB\tUnited Kingdom\t\tEurope/London\nGB\tBritain\t\tEurope/London\n", b);
	fclose(b);
	assert_int_equal(tz_table_load(bad), HE_INVALID);	/* a country twice */
	assert_null(tz_for_location(NULL, "United Kingdom"));

	assert_int_equal(tz_table_load("conf/timezones.tsv"), HE_OK);
	/* Loaded once: a second table changes nothing. */
	assert_non_null(b = fopen(bad, "w"));
	fputs("GB\tUnited Kingdom\t\tEurope/Paris\n", b);
	fclose(b);
	assert_int_equal(tz_table_load(bad), HE_OK);
	unlink(bad);

	assert_non_null(f = fopen("conf/timezones.tsv", "r"));
	while (fgets(line, sizeof line, f)) {
		char *code, *names, *city, *zn, *save = NULL, *name;
		const struct tz *z;

		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		code = line;
		names = strchr(line, '\t');
		*names++ = '\0';
		city = strchr(names, '\t');
		*city++ = '\0';
		zn = strchr(city, '\t');
		*zn++ = '\0';
		if (tz_get(zn, &z) != HE_OK)
			fail_msg("%s: zone %s does not load", code, zn);
		if (names[0]) {
			countries++;
			assert_true(strcmp(code, prev_code) > 0);	/* sorted, once each */
			memcpy(prev_code, code, 3);
			prev_zone = zn;
			if (strcmp(tz_for_location(NULL, code), zn) != 0)
				fail_msg("%s: not %s", code, zn);
			for (name = strtok_r(names, "|", &save); name;
			    name = strtok_r(NULL, "|", &save))
				if (strcmp(tz_for_location("", name), zn) != 0)
					fail_msg("%s (%s): not %s", name, code, zn);
		} else {
			cities++;
			assert_string_equal(code, prev_code);
			for (name = strtok_r(city, "|", &save); name;
			    name = strtok_r(NULL, "|", &save))
				if (strcmp(tz_for_location(name, code), zn) != 0)
					fail_msg("%s, %s: not %s", name, code, zn);
		}
	}
	fclose(f);
	assert_non_null(prev_zone);
	assert_int_equal(countries, 249);	/* every code of ISO 3166 */
	assert_true(cities >= 300);
}

static void
test_locations(void **state)
{
	static const struct { const char *city, *country, *want; } cases[] = {
		{ NULL, "United Kingdom", "Europe/London" },
		{ "", "gb", "Europe/London" },
		{ "London", "UK", "Europe/London" },
		{ "London", "Canada", "America/Toronto" },
		{ "Los Angeles", "USA", "America/Los_Angeles" },
		{ "  los   ANGELES ", "us", "America/Los_Angeles" },
		{ "San Francisco", "United States of America", "America/Los_Angeles" },
		{ "Unknownville", "United States", "America/New_York" },
		{ "Denver", "U.S.", "America/Denver" },
		{ "Honolulu", "US", "Pacific/Honolulu" },
		{ "Perth", "Australia", "Australia/Perth" },
		{ "Lord Howe Island", "AU", "Australia/Lord_Howe" },
		{ "São Paulo", "Brasil", "America/Sao_Paulo" },
		{ "sao paulo", "BR", "America/Sao_Paulo" },
		{ "Manaus", "Brazil", "America/Manaus" },
		{ "Montréal", "Canada", "America/Toronto" },
		{ "Vancouver", "canada", "America/Vancouver" },
		{ "St. John's", "Canada", "America/St_Johns" },
		{ "Yekaterinburg", "Russia", "Asia/Yekaterinburg" },
		{ "St Petersburg", "Russian Federation", "Europe/Moscow" },
		{ "Vladivostok", "RU", "Asia/Vladivostok" },
		{ "Tijuana", "México", "America/Tijuana" },
		{ "Cancun", "Mexico", "America/Cancun" },
		{ "Makassar", "Indonesia", "Asia/Makassar" },
		{ "Jayapura", "ID", "Asia/Jayapura" },
		{ "Paris", "France", "Europe/Paris" },
		{ "Kolkata", "India", "Asia/Kolkata" },
		{ NULL, "Côte d'Ivoire", "Africa/Abidjan" },
		{ NULL, "cote d ivoire", "Africa/Abidjan" },
		{ NULL, "Ivory Coast", "Africa/Abidjan" },
		{ NULL, "South Korea", "Asia/Seoul" },
		{ NULL, "Czech Republic", "Europe/Prague" },
		{ NULL, "Türkiye", "Europe/Istanbul" },
		{ "London", NULL, NULL },		/* a city alone is not enough */
		{ "London", "", NULL },
		{ "Paris", "Atlantis", NULL },
		{ NULL, NULL, NULL },
	};

	(void)state;
	assert_int_equal(tz_table_load("conf/timezones.tsv"), HE_OK);
	for (size_t i = 0; i < N(cases); i++) {
		const char *got = tz_for_location(cases[i].city, cases[i].country);

		if (cases[i].want == NULL ? got != NULL :
		    got == NULL || strcmp(got, cases[i].want) != 0)
			fail_msg("%s, %s: got %s, want %s", cases[i].city ? cases[i].city : "-",
			    cases[i].country ? cases[i].country : "-", got ? got : "NULL",
			    cases[i].want ? cases[i].want : "NULL");
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_offsets),
		cmocka_unit_test(test_get),
		cmocka_unit_test_setup_teardown(test_files, zones_setup, zones_teardown),
		cmocka_unit_test(test_windows),
		cmocka_unit_test(test_windows_sweep),
		cmocka_unit_test(test_table_file),
		cmocka_unit_test(test_locations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
