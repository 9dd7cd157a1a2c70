/* page_data.c: "send me my data" and "erase me", each confirmed by mail */
#include <stdio.h>
#include <stdlib.h>

#include "cgi-bin/community/community.h"
#include "util/he.h"

static const char *const kinds[] = { "export", "erase", NULL };

const struct web_field data_fields[] = {
	{ "email", WEB_FT_EMAIL, WEB_FF_REQUIRED, 0, "Email address",
	    "Please enter the email address you joined with.", NULL, NULL },
	{ "kind", WEB_FT_CHOICE, WEB_FF_REQUIRED, 0, "Request",
	    "Please choose what you would like us to do.", kinds, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

void
page_data_form(struct web_req *req)
{
	web_render(req, 200, "community/data.cs");
}

/* The same answer whether or not the address is known. */
void
page_data_request(struct web_req *req)
{
	struct community *c = req->ctx;
	int rc = comm_request_for_email(&c->comm, req->v[0].str, req->v[1].str);

	if (rc != HE_OK) {
		web_fail(req, rc);
		return;
	}
	web_set(req, "Page.kind", req->v[1].str);
	web_render(req, 200, "community/requested.cs");
}

void
page_export_form(struct web_req *req)
{
	uint64_t cand;

	if (link_candidate(req, COMM_LINK_EXPORT, &cand, NULL) != 0)
		return;
	web_set(req, "Page.t", req->v[0].str);
	web_render(req, 200, "community/export.cs");
}

void
page_export(struct web_req *req)
{
	struct community *c = req->ctx;
	char *json, hdr[160];
	size_t len;
	uint64_t cand;
	int rc;

	if (link_candidate(req, COMM_LINK_EXPORT, &cand, NULL) != 0)
		return;
	if ((rc = comm_export(&c->comm, cand, &json, &len)) == HE_NOTFOUND) {
		web_error(req, 404, "We no longer hold any details for you.");
		return;
	}
	if (rc != HE_OK) {
		web_fail(req, rc);
		return;
	}
	snprintf(hdr, sizeof hdr, "Content-Disposition: attachment; "
	    "filename=\"my-data-%llu.json\"\r\n", (unsigned long long)cand);
	web_send(req, 200, "application/json; charset=utf-8", hdr, json, len);
	free(json);
}

void
page_erase_form(struct web_req *req)
{
	uint64_t cand;

	if (link_candidate(req, COMM_LINK_ERASE, &cand, NULL) != 0)
		return;
	web_set(req, "Page.t", req->v[0].str);
	web_render(req, 200, "community/erase.cs");
}

void
page_erase(struct web_req *req)
{
	struct community *c = req->ctx;
	uint64_t cand;
	int rc;

	if (link_candidate(req, COMM_LINK_ERASE, &cand, NULL) != 0)
		return;
	rc = comm_erase(&c->comm, cand);
	if (rc != HE_OK && rc != HE_NOTFOUND) {
		web_fail(req, rc);
		return;
	}
	web_render(req, 200, "community/erased.cs");
}
