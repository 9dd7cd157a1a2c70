/* ws5_standin.h: TEMPORARY stand-ins for the issue 5 APIs of ws C (campaign.h,
 * notice.h), ws S (campaign_mail.h) and ws U (abtest.h), declared as the
 * contract (/work/notes/issue5-contracts.md) has them, so the office pages
 * build and run before those land. Deleted, with ws5_standin.c, once they are
 * merged: the pages then include the real headers. */
#ifndef HEARTH_WS5_STANDIN_H
#define HEARTH_WS5_STANDIN_H

#include <stddef.h>
#include <stdint.h>
#include <db.h>
#include <jansson.h>

#include "crm/community.h"
#include "crm/query.h"
#include "util/he.h"

#define HE_CONFLICT (HE__MAX + 1)

struct store;

/* crm/campaign.h */
int campaign_validate(json_t *body, json_t **errors);
int campaign_create(struct store *st, json_t *body, uint64_t by, uint64_t *id,
    json_t **errors);
int campaign_update(struct store *st, uint64_t id, int64_t gen, json_t *body,
    json_t **errors);
int campaign_get(struct store *st, uint64_t id, json_t **body);
int campaign_list(struct store *st, json_t **list);
int campaign_set_state(struct store *st, uint64_t id, const char *state,
    uint64_t by);
int campaign_enrol(struct store *st, uint64_t camp, uint64_t cand, uint64_t by);
int campaign_unenrol(struct store *st, uint64_t camp, uint64_t cand, uint64_t by);
int campaign_enrol_query(struct store *st, uint64_t camp,
    const struct cand_query *q, uint64_t by, uint64_t *wave, size_t *n);
int campaign_wave_progress(struct store *st, uint64_t wave, size_t *done,
    size_t *total);
int campaign_enrolments_of(struct store *st, uint64_t cand, json_t **list);
int campaign_members(struct store *st, uint64_t camp, size_t page,
    size_t per_page, json_t **rows, size_t *total);
int campaign_stats(struct store *st, uint64_t camp, json_t **out);

/* crm/notice.h */
int notice_add(struct store *st, DB_TXN *txn, uint64_t user, json_t *body);
int notice_list(struct store *st, uint64_t user, size_t page, size_t per_page,
    json_t **rows, size_t *total, size_t *unread);
int notice_read(struct store *st, uint64_t user, uint64_t id);

/* crm/campaign_mail.h */
struct campaign_rendered { char *subject, *text, *html; };
int campaign_mail_render(struct store *st, const struct comm *c,
    const json_t *camp, int step, int variant, uint64_t cand,
    const json_t *rec, uint64_t mail_id, int track_opens,
    struct campaign_rendered *out, char *err, size_t errlen);
void campaign_rendered_free(struct campaign_rendered *r);
int campaign_test_send(struct store *st, uint64_t camp, int step, int variant,
    uint64_t cand, uint64_t user);

/* util/abtest.h */
int ab_two_proportion(uint64_t x1, uint64_t n1, uint64_t x2, uint64_t n2,
    double *z, double *p);
int ab_winner(const uint64_t *x, const uint64_t *n, int k, double alpha,
    uint64_t min_n);

/* util/merge.h */
extern const char *const merge_fields[];

#endif
