/* ws_c_standins.h: what campaign core uses from workstreams U, S and E, by the
 * issue 5 contract: their headers once merged, these declarations until then.
 * Delete this file (and ws_c_standins.c) once all of them are in main. */
#ifndef HEARTH_WS_C_STANDINS_H
#define HEARTH_WS_C_STANDINS_H

#include <stddef.h>
#include <stdint.h>
#include <db.h>
#include <jansson.h>

struct store;

#if __has_include("util/merge.h")
#include "util/merge.h"
#else
#define WS_C_STANDIN_MERGE 1
struct merge_tmpl;
int merge_parse(const char *src, size_t len, struct merge_tmpl **out, char *err,
    size_t errlen);
void merge_free(struct merge_tmpl *t);
#endif

#if __has_include("util/tz.h")
#include "util/tz.h"
#else
#define WS_C_STANDIN_TZ 1
struct tz;
int tz_get(const char *name, const struct tz **out);
long tz_offset(const struct tz *z, int64_t t);
int tz_table_load(const char *path);
const char *tz_for_location(const char *city, const char *country);
struct send_window { int from_hour, to_hour; int weekdays_only; int quiet_from, quiet_to; };
int64_t tz_next_send(const struct tz *z, int64_t t, const struct send_window *w);
#endif

#if __has_include("util/abtest.h")
#include "util/abtest.h"
#else
#define WS_C_STANDIN_AB 1
int ab_winner(const uint64_t *x, const uint64_t *n, int k, double alpha,
    uint64_t min_n);
#endif

#if __has_include("crm/cap.h")
#include "crm/cap.h"
#else
#define WS_C_STANDIN_CAP 1
int cap_check(struct store *st, DB_TXN *txn, uint64_t cand, int64_t now,
    int max_mails, int days, int64_t *free_at);
int cap_note(struct store *st, DB_TXN *txn, uint64_t cand, int64_t now, int days);
#endif

#if __has_include("crm/engage.h")
#include "crm/engage.h"
#else
#define WS_C_STANDIN_ENGAGE 1
const char *engage_level(const json_t *rec, int64_t now);
#endif

#endif
