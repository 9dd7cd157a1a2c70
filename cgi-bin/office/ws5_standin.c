/* ws5_standin.c: TEMPORARY stand-ins for ws S (see ws5_standin.h): a step's
 * mail made with the merge templates from the candidate's own fields; a test
 * send that sends nothing. Compiled only while crm/campaign_mail.h is absent. */
#include "cgi-bin/office/ws5_standin.h"

#ifdef WS5_STANDIN_MAIL
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/he.h"
#include "util/merge.h"

static const char *
value(const char *field, void *ctx)
{
	return json_string_value(json_object_get((const json_t *)ctx, field));
}

static int
one(const char *src, enum merge_mode mode, const json_t *rec, char **out,
    char *err, size_t errlen)
{
	struct merge_tmpl *t;
	int rc = merge_parse(src ? src : "", src ? strlen(src) : 0, &t, err, errlen);

	if (rc != HE_OK)
		return rc;
	rc = merge_render(t, mode, value, NULL, (void *)rec, out, NULL);
	merge_free(t);
	return rc;
}

int
campaign_mail_render(struct store *st, const struct comm *c, const json_t *camp,
    int step, int variant, uint64_t cand, const json_t *rec, uint64_t mail_id,
    int track_opens, struct campaign_rendered *out, char *err, size_t errlen)
{
	json_t *s = json_array_get(json_object_get(camp, "steps"), (size_t)step);
	json_t *v = json_array_get(json_object_get(s, "variants"), (size_t)variant);
	const char *sub = json_string_value(json_object_get(v, "subject"));
	const char *body = json_string_value(json_object_get(v, "body"));
	int rc;

	(void)st, (void)c, (void)cand, (void)mail_id, (void)track_opens;
	*out = (struct campaign_rendered){ NULL, NULL, NULL };
	if (v == NULL) {
		snprintf(err, errlen, "That step sends no mail.");
		return HE_INVALID;
	}
	if ((rc = one(sub, MERGE_SUBJECT, rec, &out->subject, err, errlen)) ||
	    (rc = one(body, MERGE_TEXT, rec, &out->text, err, errlen)) ||
	    (rc = one(body, MERGE_HTML, rec, &out->html, err, errlen)))
		campaign_rendered_free(out);
	return rc;
}

void
campaign_rendered_free(struct campaign_rendered *r)
{
	free(r->subject);
	free(r->text);
	free(r->html);
	*r = (struct campaign_rendered){ NULL, NULL, NULL };
}

int
campaign_test_send(struct store *st, uint64_t camp, int step, int variant,
    uint64_t cand, uint64_t user)
{
	(void)st, (void)camp, (void)step, (void)variant, (void)cand, (void)user;
	return HE_OK;
}
#endif
