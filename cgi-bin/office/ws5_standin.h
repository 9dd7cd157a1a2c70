/* ws5_standin.h: TEMPORARY: what the office pages use from ws S (campaign mail
 * rendering and test sends), by the issue 5 contract: its header once merged,
 * these declarations (and ws5_standin.c) until then. Delete both then. */
#ifndef HEARTH_WS5_STANDIN_H
#define HEARTH_WS5_STANDIN_H

#if __has_include("crm/campaign_mail.h")
#include "crm/campaign_mail.h"
#else
#define WS5_STANDIN_MAIL 1
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

struct store;
struct comm;
struct campaign_rendered { char *subject, *text, *html; };
int campaign_mail_render(struct store *st, const struct comm *c,
    const json_t *camp, int step, int variant, uint64_t cand,
    const json_t *rec, uint64_t mail_id, int track_opens,
    struct campaign_rendered *out, char *err, size_t errlen);
void campaign_rendered_free(struct campaign_rendered *r);
int campaign_test_send(struct store *st, uint64_t camp, int step, int variant,
    uint64_t cand, uint64_t user);
#endif

#endif
