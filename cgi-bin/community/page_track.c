/* page_track.c: GET /r (a tracked link from a campaign mail) and GET /o (its
 * open pixel): only what we signed for that mail resolves */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgi-bin/community/community.h"
#include "crm/campaign_mail.h"
#include "crm/clock.h"
#include "crm/track.h"
#include "util/he.h"
#include "util/log.h"

/* Every value is checked by its signature in the handler: a field that
 * does not fit is a link that is not ours, answered alike (404). */
const struct web_field track_click_fields[] = {
	{ "m", WEB_FT_TEXT, 0, 24, "Mail", NULL, NULL, NULL },
	{ "u", WEB_FT_TEXT, 0, TRACK_URL_MAX, "Address", NULL, NULL, NULL },
	{ "s", WEB_FT_TEXT, 0, 64, "Signature", NULL, NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

const struct web_field track_open_fields[] = {
	{ "m", WEB_FT_TEXT, 0, 24, "Mail", NULL, NULL, NULL },
	{ "s", WEB_FT_TEXT, 0, 64, "Signature", NULL, NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

/* The smallest transparent GIF. */
static const unsigned char pixel[] = {
	0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00,
	0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0x21, 0xf9, 0x04, 0x01, 0x00,
	0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00,
	0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b,
};

static void
not_ours(struct web_req *req)
{
	web_error(req, 404, "This link is not one of ours, or it was changed on "
	    "the way. Please open it again from the email we sent you.");
}

void
page_track_click(struct web_req *req)
{
	struct community *c = req->ctx;
	const struct web_value *v = req->v;
	char *hdr = NULL;
	uint64_t mail;
	size_t len;
	FILE *f;
	int rc;

	if (track_check_click(c->comm.key, v[0].str, v[1].str, v[2].str,
	    &mail) != HE_OK) {
		not_ours(req);
		return;
	}
	/* The person goes where the link said even when the click cannot
	 * be recorded now: it was ours. */
	rc = track_click(c->st, mail, v[1].str, campaign_mail_careers_url(),
	    clock_now());
	if (rc == HE_PANIC) {
		web_fail(req, rc);
		return;
	}
	if (rc != HE_OK && rc != HE_NOTFOUND)
		log_warn("click on mail %llu not recorded: %s",
		    (unsigned long long)mail, he_strerror(rc));
	/* track_url_ok let through no space, control or backslash: the
	 * header cannot be split; bytes past ASCII are percent-encoded. */
	if ((f = open_memstream(&hdr, &len)) == NULL) {
		web_fail(req, HE_NOMEM);
		return;
	}
	fputs("Location: ", f);
	for (const unsigned char *p = (const unsigned char *)v[1].str; *p; p++)
		if (*p >= 0x80)
			fprintf(f, "%%%02X", *p);
		else
			fputc(*p, f);
	fputs("\r\nCache-Control: no-store\r\nReferrer-Policy: no-referrer\r\n", f);
	if (fclose(f) != 0) {
		free(hdr);
		web_fail(req, HE_NOMEM);
		return;
	}
	web_send(req, 302, "text/plain; charset=utf-8", hdr, "", 0);
	free(hdr);
}

void
page_track_open(struct web_req *req)
{
	struct community *c = req->ctx;
	uint64_t mail;
	int rc;

	if (track_check_open(c->comm.key, req->v[0].str, req->v[1].str,
	    &mail) != HE_OK) {
		not_ours(req);
		return;
	}
	/* Recorded only for a mail that carried the pixel, to a person who
	 * still allows it (track_open decides). */
	if ((rc = track_open(c->st, mail, clock_now())) != HE_OK) {
		if (rc == HE_PANIC) {
			web_fail(req, rc);
			return;
		}
		log_warn("open of mail %llu not recorded: %s",
		    (unsigned long long)mail, he_strerror(rc));
	}
	web_send(req, 200, "image/gif", "Cache-Control: no-store\r\n",
	    (const char *)pixel, sizeof pixel);
}
