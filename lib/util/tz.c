/* tz.c: the TZif reader, POSIX TZ rules, the location table and send windows */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/he.h"
#include "util/tz.h"
#include "util/words.h"

/* A zone file is a few KiB; anything much larger is not one. */
#define TZ_FILE_MAX (256 * 1024)
/* Times are taken within ±2^56 s (two billion years), so that no date
 * arithmetic overflows whatever a caller passes. */
#define TZ_T_LIMIT (INT64_C(1) << 56)

/* A day of the year in a POSIX TZ rule, and the local time of day of the change. */
struct rdate {
	char kind;		/* 'J': Jn (1..365, no Feb 29); 'D': n (0..365); 'M': Mm.w.d */
	int n, m, w, d;
	long secs;		/* -167..167 hours (TZif version 3) */
};

/* The rule a TZif file ends with, for the times after its last transition. */
struct rule {
	int has;
	int has_dst;
	long std_east, dst_east;
	struct rdate start, end;	/* into DST (in standard time), out (in DST) */
};

struct tz {
	char *name;
	size_t n;		/* transitions */
	int64_t *at;		/* their times, ascending */
	unsigned char *idx;	/* the type each starts */
	long *off;		/* the types' offsets east of UTC */
	size_t ntypes;
	struct rule rule;
	struct tz *next;
};

static pthread_mutex_t tz_mu = PTHREAD_MUTEX_INITIALIZER;
static struct tz *zones;

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The year of a day since 1970-01-01. */
static int64_t
year_of_day(int64_t z)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	return yoe + era * 400 + (mp >= 10);
}

static int64_t
floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static int
is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
month_days(int64_t y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return days[m - 1] + (m == 2 && is_leap(y));
}

/* The day (since the epoch) a rule date falls on in year y. */
static int64_t
rule_day(const struct rdate *r, int64_t y)
{
	int64_t jan1 = days_from_civil(y, 1, 1), first;
	int day, wd1;

	switch (r->kind) {
	case 'J':
		return jan1 + r->n - 1 + (is_leap(y) && r->n >= 60);
	case 'D':
		return jan1 + r->n;
	default:
		first = days_from_civil(y, r->m, 1);
		wd1 = (int)((first % 7 + 11) % 7);	/* 1970-01-01 was a Thursday */
		day = 1 + (r->d - wd1 + 7) % 7 + (r->w - 1) * 7;
		while (day > month_days(y, r->m))
			day -= 7;
		return first + day - 1;
	}
}

/* The offset the footer rule gives at t. */
static long
rule_offset(const struct rule *r, int64_t t)
{
	int64_t y = year_of_day(floor_div(t, 86400)), best = INT64_MIN;
	long off = r->std_east;

	if (!r->has_dst)
		return r->std_east;
	/* The changes of the years around t, whichever comes last before it:
	 * rules whose changes cross the new year (southern DST, "J365/25")
	 * need no special case. Of two at the same moment the later year's
	 * wins: DST all year ends one year as it starts the next. */
	for (int64_t yy = y - 1; yy <= y + 1; yy++) {
		int64_t on = rule_day(&r->start, yy) * 86400 + r->start.secs - r->std_east;
		int64_t offt = rule_day(&r->end, yy) * 86400 + r->end.secs - r->dst_east;

		if (on <= t && on >= best) {
			best = on;
			off = r->dst_east;
		}
		if (offt <= t && offt >= best) {
			best = offt;
			off = r->std_east;
		}
	}
	return off;
}

long
tz_offset(const struct tz *z, int64_t t)
{
	size_t lo = 0, hi = z->n;

	if (t > TZ_T_LIMIT)
		t = TZ_T_LIMIT;
	if (t < -TZ_T_LIMIT)
		t = -TZ_T_LIMIT;
	if (z->n == 0)
		return z->rule.has ? rule_offset(&z->rule, t) : z->off[0];
	if (t < z->at[0])
		return z->off[0];
	if (t >= z->at[z->n - 1] && z->rule.has)
		return rule_offset(&z->rule, t);
	/* The last transition at or before t. */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (z->at[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	return z->off[z->idx[lo]];
}

const char *
tz_name(const struct tz *z)
{
	return z->name;
}

/* POSIX TZ strings ("EST5EDT,M3.2.0,M11.1.0", "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0"). */

static const char *
p_name(const char *s)
{
	const char *b;

	if (*s == '<') {
		for (b = ++s; (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		    (*s >= '0' && *s <= '9') || *s == '+' || *s == '-'; s++)
			;
		return *s == '>' && s - b >= 3 ? s + 1 : NULL;
	}
	for (b = s; (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'); s++)
		;
	return s - b >= 3 ? s : NULL;
}

static const char *
p_num(const char *s, int digits, long max, long *out)
{
	long v = 0;
	int n = 0;

	while (*s >= '0' && *s <= '9' && n < digits) {
		v = v * 10 + (*s++ - '0');
		n++;
	}
	if (n == 0 || v > max)
		return NULL;
	*out = v;
	return s;
}

/* [+-]hh[:mm[:ss]] in seconds, hours at most maxh. */
static const char *
p_hms(const char *s, long maxh, long *out)
{
	long sign = 1, h, m = 0, sec = 0;

	if (*s == '+' || *s == '-')
		sign = *s++ == '-' ? -1 : 1;
	if ((s = p_num(s, 3, maxh, &h)) == NULL)
		return NULL;
	if (*s == ':' && (s = p_num(s + 1, 2, 59, &m)) != NULL && *s == ':')
		s = p_num(s + 1, 2, 59, &sec);
	if (s == NULL)
		return NULL;
	*out = sign * (h * 3600 + m * 60 + sec);
	return s;
}

static const char *
p_date(const char *s, struct rdate *r)
{
	long a, b, c;

	if (*s == 'J') {
		if ((s = p_num(s + 1, 3, 365, &a)) == NULL || a < 1)
			return NULL;
		r->kind = 'J';
		r->n = (int)a;
	} else if (*s == 'M') {
		if ((s = p_num(s + 1, 2, 12, &a)) == NULL || a < 1 || *s != '.' ||
		    (s = p_num(s + 1, 1, 5, &b)) == NULL || b < 1 || *s != '.' ||
		    (s = p_num(s + 1, 1, 6, &c)) == NULL)
			return NULL;
		r->kind = 'M';
		r->m = (int)a;
		r->w = (int)b;
		r->d = (int)c;
	} else {
		if ((s = p_num(s, 3, 365, &a)) == NULL)
			return NULL;
		r->kind = 'D';
		r->n = (int)a;
	}
	r->secs = 2 * 3600;
	if (*s == '/')
		s = p_hms(s + 1, 167, &r->secs);
	return s;
}

/* HE_OK with r set (r->has 0 for an empty string), HE_INVALID. */
static int
parse_rule(const char *s, struct rule *r)
{
	long off;

	memset(r, 0, sizeof *r);
	if (*s == '\0')
		return HE_OK;
	if ((s = p_name(s)) == NULL || (s = p_hms(s, 24, &off)) == NULL)
		return HE_INVALID;
	r->has = 1;
	r->std_east = -off;
	if (*s == '\0')
		return HE_OK;
	if ((s = p_name(s)) == NULL)
		return HE_INVALID;
	r->has_dst = 1;
	r->dst_east = r->std_east + 3600;
	if (*s != '\0' && *s != ',') {
		if ((s = p_hms(s, 24, &off)) == NULL)
			return HE_INVALID;
		r->dst_east = -off;
	}
	/* Without dates, the US rules, as glibc does. */
	if (*s == '\0')
		s = ",M3.2.0,M11.1.0";
	if (*s != ',' || (s = p_date(s + 1, &r->start)) == NULL || *s != ',' ||
	    (s = p_date(s + 1, &r->end)) == NULL || *s != '\0')
		return HE_INVALID;
	return HE_OK;
}

/* TZif (RFC 8536). */

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t
be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

struct tzif_hdr {
	int version;
	uint64_t isut, isstd, leap, timecnt, typecnt, charcnt;
};

static int
read_hdr(const unsigned char *p, size_t len, struct tzif_hdr *h)
{
	if (len < 44 || memcmp(p, "TZif", 4) != 0)
		return HE_INVALID;
	h->version = p[4] ? p[4] - '0' : 1;
	h->isut = be32(p + 20);
	h->isstd = be32(p + 24);
	h->leap = be32(p + 28);
	h->timecnt = be32(p + 32);
	h->typecnt = be32(p + 36);
	h->charcnt = be32(p + 40);
	if (h->version < 1 || h->typecnt == 0 || h->typecnt > 256 ||
	    (h->isut != 0 && h->isut != h->typecnt) ||
	    (h->isstd != 0 && h->isstd != h->typecnt))
		return HE_INVALID;
	return HE_OK;
}

/* The size of a data block after its header with times of tsize bytes. */
static uint64_t
block_size(const struct tzif_hdr *h, int tsize)
{
	return h->timecnt * (uint64_t)(tsize + 1) + h->typecnt * 6 + h->charcnt +
	    h->leap * (uint64_t)(tsize + 4) + h->isstd + h->isut;
}

/* Reads the block at p (its header already read into h) into z. */
static int
read_block(const unsigned char *p, const struct tzif_hdr *h, int tsize, struct tz *z)
{
	const unsigned char *types = p + h->timecnt * (uint64_t)(tsize + 1);

	z->n = h->timecnt;
	z->ntypes = h->typecnt;
	z->at = malloc((z->n ? z->n : 1) * sizeof *z->at);
	z->idx = malloc(z->n ? z->n : 1);
	z->off = malloc(z->ntypes * sizeof *z->off);
	if (z->at == NULL || z->idx == NULL || z->off == NULL)
		return HE_NOMEM;
	for (size_t i = 0; i < z->n; i++) {
		z->at[i] = tsize == 8 ? be64(p + i * 8) : (int32_t)be32(p + i * 4);
		z->idx[i] = p[z->n * (size_t)tsize + i];
		if (z->idx[i] >= z->ntypes || (i > 0 && z->at[i] <= z->at[i - 1]))
			return HE_INVALID;
	}
	for (size_t i = 0; i < z->ntypes; i++) {
		int32_t off = (int32_t)be32(types + i * 6);

		/* RFC 8536: more than a day either way is not a UT offset. */
		if (off < -89999 || off > 93599)
			return HE_INVALID;
		z->off[i] = off;
	}
	return HE_OK;
}

/* Parses a whole TZif file into z (its name set by the caller). */
static int
parse_tzif(const unsigned char *p, size_t len, struct tz *z)
{
	struct tzif_hdr h;
	uint64_t size;
	const unsigned char *foot, *nl;
	char footer[128];
	int rc;

	if ((rc = read_hdr(p, len, &h)) != HE_OK)
		return rc;
	size = block_size(&h, 4);
	if (size > len - 44)
		return HE_INVALID;
	if (h.version == 1)
		return read_block(p + 44, &h, 4, z);
	/* Version 2 and later: the 64-bit block, then the footer "\n<rule>\n". */
	p += 44 + size;
	len -= 44 + size;
	if ((rc = read_hdr(p, len, &h)) != HE_OK)
		return rc;
	size = block_size(&h, 8);
	if (size > len - 44 || (rc = read_block(p + 44, &h, 8, z)) != HE_OK)
		return rc;
	foot = p + 44 + size;
	len -= 44 + size;
	if (len < 2 || foot[0] != '\n' || (nl = memchr(foot + 1, '\n', len - 1)) == NULL ||
	    (size_t)(nl - foot - 1) >= sizeof footer)
		return HE_INVALID;
	memcpy(footer, foot + 1, (size_t)(nl - foot - 1));
	footer[nl - foot - 1] = '\0';
	return parse_rule(footer, &z->rule);
}

static void
tz_free(struct tz *z)
{
	free(z->name);
	free(z->at);
	free(z->idx);
	free(z->off);
	free(z);
}

/* Reads the zone called name from disk. */
static int
load(const char *name, struct tz **out)
{
	const char *dir = getenv("TZDIR");
	char path[4096];
	unsigned char *buf = NULL;
	struct stat sb;
	struct tz *z;
	ssize_t got;
	int fd, rc;

	if (dir == NULL || dir[0] == '\0')
		dir = "/usr/share/zoneinfo";
	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path)
		return HE_INVALID;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return errno == ENOENT || errno == ENOTDIR ? HE_NOTFOUND : HE_IO;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return HE_NOTFOUND;
	}
	if (sb.st_size > TZ_FILE_MAX || (buf = malloc((size_t)sb.st_size + 1)) == NULL) {
		close(fd);
		return sb.st_size > TZ_FILE_MAX ? HE_INVALID : HE_NOMEM;
	}
	got = read(fd, buf, (size_t)sb.st_size);
	close(fd);
	if (got != sb.st_size) {
		free(buf);
		return HE_IO;
	}
	if ((z = calloc(1, sizeof *z)) == NULL || (z->name = strdup(name)) == NULL) {
		free(z);
		free(buf);
		return HE_NOMEM;
	}
	rc = parse_tzif(buf, (size_t)got, z);
	free(buf);
	if (rc != HE_OK) {
		tz_free(z);
		return rc;
	}
	*out = z;
	return HE_OK;
}

int
tz_get(const char *name, const struct tz **out)
{
	struct tz *z;
	int rc = HE_OK;

	*out = NULL;
	if (name[0] == '\0')
		return HE_NOTFOUND;
	if (name[0] == '/' || strstr(name, "..") != NULL)
		return HE_INVALID;
	pthread_mutex_lock(&tz_mu);
	for (z = zones; z != NULL; z = z->next)
		if (strcmp(z->name, name) == 0)
			break;
	if (z == NULL && (rc = load(name, &z)) == HE_OK) {
		z->next = zones;
		zones = z;
	}
	pthread_mutex_unlock(&tz_mu);
	if (rc == HE_OK)
		*out = z;
	return rc;
}

/* The location table: names folded, sorted, found by binary search (a worker
 * looks up every person of a million-member pool). */

struct place {
	const char *key;	/* folded country name or code, or city */
	const char *zone;
	int country;		/* the country's number (its row in the file) */
	int city;
};

static struct {
	struct place *p;
	size_t n;
	char *arena;
} table;

static int
place_cmp(const void *a, const void *b)
{
	const struct place *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	if (c != 0)
		return c;
	if (x->city != y->city)
		return x->city - y->city;
	return x->country - y->country;
}

/* Splits a line at tabs into at most n fields; the count. */
static int
split_tabs(char *line, char **f, int n)
{
	int k = 0;

	f[k++] = line;
	for (char *s = line; *s; s++) {
		if (*s != '\t')
			continue;
		if (k == n)
			return n + 1;
		*s = '\0';
		f[k++] = s + 1;
	}
	return k;
}

/* Adds the "|"-separated names of s as keys; their folded text goes to *arena. */
static int
add_names(char *s, const char *zone, int country, int city, struct place **pl, size_t *n,
    size_t *cap, char **arena)
{
	char *save = NULL;

	for (char *name = strtok_r(s, "|", &save); name; name = strtok_r(NULL, "|", &save)) {
		size_t len = words_fold(name, *arena, 128);

		if (len == 0)
			return HE_INVALID;
		if (*n == *cap) {
			size_t nc = *cap ? *cap * 2 : 512;
			struct place *np = realloc(*pl, nc * sizeof *np);

			if (np == NULL)
				return HE_NOMEM;
			*pl = np;
			*cap = nc;
		}
		(*pl)[*n].key = *arena;
		(*pl)[*n].zone = zone;
		(*pl)[*n].country = country;
		(*pl)[*n].city = city;
		(*n)++;
		*arena += len + 1;
	}
	return HE_OK;
}

/* Reads the table of file f (size bytes) into table; HE_INVALID at a bad line. */
static int
read_table(FILE *f, long size)
{
	char line[1024], *arena, *a, codes[1024][3];
	struct place *pl = NULL;
	size_t n = 0, cap = 0;
	int ncountries = 0, rc = HE_OK;

	/* Every name folds to at most 128 bytes with its NUL, and a line of
	 * the file holds at least one byte per name: the arena never grows. */
	if ((arena = a = malloc((size_t)size * 129 + 1)) == NULL)
		return HE_NOMEM;
	while (rc == HE_OK && fgets(line, sizeof line, f) != NULL) {
		char *fld[4], *zone;
		size_t len = strcspn(line, "\r\n");
		int k, c;

		if (line[len] == '\0' && !feof(f)) {
			rc = HE_INVALID;	/* a line too long to be one of ours */
			break;
		}
		line[len] = '\0';
		if (line[0] == '\0' || line[0] == '#')
			continue;
		if ((k = split_tabs(line, fld, 4)) != 4 || strlen(fld[0]) != 2 ||
		    fld[3][0] == '\0' || (fld[1][0] == '\0') == (fld[2][0] == '\0')) {
			rc = HE_INVALID;
			break;
		}
		/* The zone's name is kept in the arena too. */
		zone = a;
		a = stpcpy(a, fld[3]) + 1;
		for (c = 0; c < ncountries; c++)
			if (strcasecmp(codes[c], fld[0]) == 0)
				break;
		if (fld[1][0] != '\0') {
			/* A country: its code and names, once, before its cities. */
			if (c < ncountries || ncountries == 1024) {
				rc = HE_INVALID;
				break;
			}
			memcpy(codes[c], fld[0], 3);
			ncountries++;
			if ((rc = add_names(fld[0], zone, c, 0, &pl, &n, &cap, &a)) == HE_OK)
				rc = add_names(fld[1], zone, c, 0, &pl, &n, &cap, &a);
		} else if (c == ncountries) {
			rc = HE_INVALID;
		} else {
			rc = add_names(fld[2], zone, c, 1, &pl, &n, &cap, &a);
		}
	}
	if (rc == HE_OK && ferror(f))
		rc = HE_IO;
	if (rc != HE_OK) {
		free(pl);
		free(arena);
		return rc;
	}
	qsort(pl, n, sizeof *pl, place_cmp);
	table.p = pl;
	table.n = n;
	table.arena = arena;
	return HE_OK;
}

int
tz_table_load(const char *path)
{
	FILE *f;
	long size;
	int rc;

	pthread_mutex_lock(&tz_mu);
	if (table.p != NULL) {
		pthread_mutex_unlock(&tz_mu);
		return HE_OK;
	}
	if ((f = fopen(path, "r")) == NULL) {
		pthread_mutex_unlock(&tz_mu);
		return HE_IO;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0)
		rc = HE_IO;
	else
		rc = read_table(f, size);
	fclose(f);
	pthread_mutex_unlock(&tz_mu);
	return rc;
}

/* The first place with key k and the given kind, NULL when none. */
static const struct place *
find(const char *k, int city)
{
	size_t lo = 0, hi = table.n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(table.p[mid].key, k);

		if (c < 0 || (c == 0 && table.p[mid].city < city))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < table.n && strcmp(table.p[lo].key, k) == 0 && table.p[lo].city == city)
		return &table.p[lo];
	return NULL;
}

const char *
tz_for_location(const char *city, const char *country)
{
	char ck[128], kk[128];
	const struct place *c, *p;

	if (table.p == NULL || country == NULL || words_fold(country, kk, sizeof kk) == 0 ||
	    (c = find(kk, 0)) == NULL)
		return NULL;
	if (city == NULL || words_fold(city, ck, sizeof ck) == 0)
		return c->zone;
	/* The places of one key are sorted by country. */
	for (p = find(ck, 1); p && p < table.p + table.n && p->city &&
	    strcmp(p->key, ck) == 0; p++)
		if (p->country == c->country)
			return p->zone;
	return c->zone;
}

/* Send windows. */

static int
in_hours(int h, int from, int to, int equal_is_all)
{
	if (from == to)
		return equal_is_all;
	if (from < to)
		return h >= from && h < to;
	return h >= from || h < to;
}

int64_t
tz_next_send(const struct tz *z, int64_t t, const struct send_window *w)
{
	int ok[24], any = 0;

	if (t > TZ_T_LIMIT || t < -TZ_T_LIMIT)
		return t;
	for (int h = 0; h < 24; h++) {
		ok[h] = in_hours(h, w->from_hour, w->to_hour, 1) &&
		    !in_hours(h, w->quiet_from, w->quiet_to, 0);
		any |= ok[h];
	}
	if (!any)
		for (int h = 0; h < 24; h++)
			ok[h] = in_hours(h, w->from_hour, w->to_hour, 1);
	/* Local time is steady between the local hours and the changes of
	 * offset: each turn either finds t good or moves it to the next local
	 * hour that could be, or to the change of offset before it. A week
	 * of days and the changes in it take a few dozen turns. */
	for (int turn = 0; turn < 64; turn++) {
		long off = tz_offset(z, t);
		int64_t local = t + off, day = floor_div(local, 86400);
		int64_t secs = local - day * 86400, next;
		int h = (int)(secs / 3600), wd = (int)((day % 7 + 11) % 7), nh;

		if (!w->weekdays_only || (wd != 0 && wd != 6)) {
			if (ok[h])
				return t;
			for (nh = h + 1; nh < 24 && !ok[nh]; nh++)
				;
		} else {
			nh = 24;
		}
		next = t + nh * 3600 - secs;
		if (tz_offset(z, next - 1) != off) {
			int64_t lo = t, hi = next - 1;

			/* The first second of the new offset. */
			while (hi - lo > 1) {
				int64_t mid = lo + (hi - lo) / 2;

				if (tz_offset(z, mid) == off)
					lo = mid;
				else
					hi = mid;
			}
			next = hi;
		}
		t = next;
	}
	return t;
}
