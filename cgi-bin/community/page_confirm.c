/* page_confirm.c: the double opt-in: the link in the mail, its button, and
 * the welcome page */
#include <stdio.h>
#include <stdlib.h>

#include "cgi-bin/community/community.h"
#include "util/he.h"

/* A button, not an action: mail scanners open links, and must not confirm. */
void
page_confirm_form(struct web_req *req)
{
	char nonce[COMM_NONCE_LEN + 1];
	uint64_t cand;

	if (link_candidate(req, COMM_LINK_CONFIRM, &cand, nonce) != 0)
		return;
	web_set(req, "Page.t", req->v[0].str);
	web_render(req, 200, "community/confirm.cs");
}

void
page_confirm(struct web_req *req)
{
	struct community *c = req->ctx;
	struct comm_actor who = { "email_link", req->remote_addr, req->user_agent };
	char nonce[COMM_NONCE_LEN + 1], *prefs, path[1200];
	uint64_t cand;
	int rc;

	if (link_candidate(req, COMM_LINK_CONFIRM, &cand, nonce) != 0)
		return;
	rc = comm_confirm(&c->comm, cand, nonce, &who);
	if (rc == HE_NOTFOUND) {
		web_set(req, "Page.replaced", "1");
		web_render(req, 410, "community/expired.cs");
		return;
	}
	if (rc != HE_OK ||
	    (rc = comm_link_sign(&c->comm, COMM_LINK_PREFS, cand, NULL,
	    time(NULL), &prefs)) != HE_OK) {
		web_fail(req, rc);
		return;
	}
	snprintf(path, sizeof path, "/welcome?t=%s", prefs);
	free(prefs);
	web_redirect(req, 303, path);
}

void
page_welcome(struct web_req *req)
{
	uint64_t cand;

	if (link_candidate(req, COMM_LINK_PREFS, &cand, NULL) != 0)
		return;
	web_set(req, "Page.t", req->v[0].str);
	web_render(req, 200, "community/welcome.cs");
}
