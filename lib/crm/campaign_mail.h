/* campaign_mail.h: a campaign's email step rendered for one person */
#ifndef HEARTH_CAMPAIGN_MAIL_H
#define HEARTH_CAMPAIGN_MAIL_H

#include <stddef.h>
#include <stdint.h>
#include <ClearSilver.h>
#include <jansson.h>

struct store;
struct comm;

/*
 * What campaign mails need of the site configuration: Site.Name,
 * Site.BaseURL, the labels of Site.JobFamilies, Site.CareersURL and
 * Web.Templates; copied (conf may go). comm_setup calls it, so every
 * program that has a struct comm is configured. HE_NOMEM.
 */
int campaign_mail_configure(HDF *conf);
/* Site.CareersURL as configured ("" when none). */
const char *campaign_mail_careers_url(void);

struct campaign_rendered {
	char *subject, *text, *html;
	char *one_click;	/* the RFC 8058 unsubscribe URL (NULL in a
				 * preview or a test send) */
};

/*
 * Renders step/variant of campaign camp (its body, as campaign_get gives
 * it) for candidate cand whose record is rec: the merge fields from rec
 * (interests as the labels of Site.JobFamilies), owner_name and
 * owner_signature from the user record ("name", "signature") of rec's
 * "owner", else of the campaign's; site_name; prefs_url and
 * unsubscribe_url signed for cand. With mail_id, every http(s) URL in the
 * template's own text becomes a /r link signed for that mail, and
 * track_opens adds the open pixel; mail_id 0 is a preview or a test send:
 * no tracking and links that do nothing. Both parts end in the footer of
 * every mail (preferences, unsubscribe).
 *
 * Parsed templates are cached in the process, by their text (an edit of
 * the campaign is a new text). HE_INVALID with a message in err (when
 * err is not NULL) for a step that is not an email or a variant that does
 * not exist or a template that does not parse; HE_NOMEM. On HE_OK free
 * *out with campaign_rendered_free().
 */
int campaign_mail_render(struct store *st, const struct comm *c,
    const json_t *camp, int step, int variant, uint64_t cand,
    const json_t *rec, uint64_t mail_id, int track_opens,
    struct campaign_rendered *out, char *err, size_t errlen);
void campaign_rendered_free(struct campaign_rendered *r);

/*
 * Queues a "campaign_test" mail of step/variant of camp filled with
 * cand's data, to user's own email, due now: no tracking, no send-time
 * checks, the subject prefixed "[Test] ". HE_NOTFOUND for an unknown
 * campaign, candidate or user; HE_INVALID when the step is not an email
 * or has no such variant.
 */
int campaign_test_send(struct store *st, uint64_t camp, int step, int variant,
    uint64_t cand, uint64_t user);

#endif
