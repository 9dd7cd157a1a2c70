/* s5_standin.h: TEMPORARY (ws S): the contract's declarations of what
 * ws U (util/merge.h), ws C (crm/campaign.h) and ws E (crm/engage.h)
 * write, until their work lands in main; s5_standin.c holds minimal
 * definitions. Both files go when the real ones are merged. */
#ifndef HEARTH_S5_STANDIN_H
#define HEARTH_S5_STANDIN_H

#include <stddef.h>
#include <stdint.h>
#include <db.h>
#include <jansson.h>

struct store;

/* --- util/merge.h (ws U) */
/* (merge_fields: clashes with cgi-bin/office/page_merge.c; ws U to rename) */
struct merge_tmpl;
#define MERGE_DEPTH_MAX 8
#define MERGE_SRC_MAX (64 * 1024)
int merge_parse(const char *src, size_t len, struct merge_tmpl **out, char *err,
    size_t errlen);
void merge_free(struct merge_tmpl *t);
typedef const char *(*merge_value_fn)(const char *field, void *ctx);
typedef char *(*merge_link_fn)(const char *url, void *ctx);
enum merge_mode { MERGE_SUBJECT, MERGE_TEXT, MERGE_HTML };
int merge_render(const struct merge_tmpl *t, enum merge_mode mode,
    merge_value_fn value, merge_link_fn link, void *ctx, char **out,
    size_t *len);

/* --- crm/campaign.h (ws C) */
int campaign_get(struct store *st, uint64_t id, json_t **body);
enum camp_signal { CAMP_SIG_CLICK, CAMP_SIG_OPEN, CAMP_SIG_REPLY, CAMP_SIG_BOUNCE };
int campaign_signal(struct store *st, DB_TXN *txn, uint64_t cand,
    uint64_t mail_id, enum camp_signal sig, int64_t at);
int campaign_stat_add(struct store *st, DB_TXN *txn, uint64_t camp, int step,
    int variant, const char *metric, int64_t delta);

/* --- crm/engage.h (ws E) */
enum engage_kind { ENGAGE_SIGNUP, ENGAGE_CONFIRM, ENGAGE_CLICK, ENGAGE_VISIT,
    ENGAGE_REPLY, ENGAGE_TOUCH };
int engage_event(struct store *st, DB_TXN *txn, uint64_t cand,
    enum engage_kind k, int64_t at);

/* --- stand-in only: campaigns for campaign_get, and what the stand-ins
 * were called with, for the unit tests. */
void s5_standin_campaign_put(uint64_t id, json_t *body);
extern json_t *s5_standin_calls;	/* [["signal"|"stat"|"engage", ...]] */
/* The enrolment of cand in camp: HE_OK when active (stand-in: always). */
int s5_enrol_active(struct store *st, DB_TXN *txn, uint64_t camp,
    uint64_t cand);

#endif
