/* tz.h: time zones from the system's TZif files, and send windows in local time */
#ifndef HEARTH_TZ_H
#define HEARTH_TZ_H

#include <stdint.h>

/*
 * Zones are read here rather than through setenv("TZ") and localtime_r: a
 * worker renders mail for people of many zones in one pass, and TZ is one
 * setting of the whole process.
 */

struct tz;	/* a zone read from TZif files under $TZDIR or /usr/share/zoneinfo */

/*
 * Loaded once per process and cached (never freed); HE_NOTFOUND for an unknown name,
 * HE_INVALID for a name with "..", a leading "/" or a bad file. Files of version 1, 2
 * and 3 (the 64-bit part when there is one); past the last transition the POSIX TZ
 * rule at the end of the file gives the offsets (files written "slim" stop their
 * transitions at the last change of rules, "fat" ones in 2037). Leap seconds are
 * ignored (the "right/" zones are not meant for this). HE_NOMEM.
 */
int tz_get(const char *name, const struct tz **out);

/* The name z was loaded by. */
const char *tz_name(const struct tz *z);

/* Seconds east of UTC at unix time t. */
long tz_offset(const struct tz *z, int64_t t);

/*
 * The zone for a candidate's location from conf/timezones.tsv (loaded by tz_table_load
 * once; country names and ISO 3166 codes, with cities for countries of several zones),
 * case-insensitive; NULL when unknown (the caller uses Campaign.TimeZone).
 *
 * The table's lines are "code<TAB>names<TAB>city<TAB>zone": a country's line has its
 * ISO 3166 alpha-2 code, its names separated by "|", an empty city and its zone
 * (where most of its people live); the lines of its cities follow it, with the code,
 * empty names, the city's names ("|" between them) and its zone. Blank lines and
 * lines starting with "#" are skipped. Names are compared as words_fold makes them (case,
 * accents and punctuation do not count: "cote d'ivoire" finds "Côte d'Ivoire").
 *
 * tz_table_load: HE_OK (also when a table is loaded already: the first one stays, as
 * the zone names given out point into it), HE_IO when the file cannot be read,
 * HE_INVALID for a line that is not as above (then no table is loaded), HE_NOMEM.
 * tz_for_location: the country's zone, or its city's when the table lists the city for
 * that country; NULL without a known country (a city alone is not enough: London is
 * in Canada too).
 */
int tz_table_load(const char *path);
const char *tz_for_location(const char *city, const char *country);

/*
 * The earliest unix time >= t at which local time in z is inside [from_hour, to_hour),
 * on a weekday when weekdays_only, and outside the quiet hours [quiet_from, quiet_to)
 * (which may wrap midnight; equal: none). Local days and DST transitions handled.
 *
 * Hours are of local wall-clock time: on a day when clocks go forward an hour that
 * does not exist is skipped (a window of only that hour opens the next day); on a day
 * when they go back an hour that comes twice is inside the window both times. A
 * window with from_hour >= to_hour wraps midnight (equal: the whole day). When the
 * window and the quiet hours leave no hour at all, the window alone counts: the
 * campaign's own setting wins over the site-wide default, and mail is never held
 * for ever.
 */
struct send_window { int from_hour, to_hour; int weekdays_only; int quiet_from, quiet_to; };
int64_t tz_next_send(const struct tz *z, int64_t t, const struct send_window *w);

#endif
