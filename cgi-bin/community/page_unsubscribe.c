/* page_unsubscribe.c: leaving, from the footer link or in one click */
#include "cgi-bin/community/community.h"
#include "util/he.h"

/* A GET never unsubscribes (mail scanners prefetch links): it shows the
 * button, for the footer link and the one-click address alike. */
void
page_unsubscribe_form(struct web_req *req)
{
	uint64_t cand;

	if (link_candidate(req, COMM_LINK_UNSUBSCRIBE, &cand, NULL) != 0)
		return;
	web_set(req, "Page.t", req->v[0].str);
	web_render(req, 200, "community/unsubscribe.cs");
}

static int
withdraw(struct web_req *req, uint64_t cand)
{
	struct community *c = req->ctx;
	struct comm_actor who = { "email_link", req->remote_addr, req->user_agent };
	int rc = comm_withdraw(&c->comm, cand, &who);

	/* Someone erased has nothing left to withdraw: that is the wish met. */
	if (rc != HE_OK && rc != HE_NOTFOUND) {
		web_fail(req, rc);
		return -1;
	}
	return 0;
}

void
page_unsubscribe(struct web_req *req)
{
	uint64_t cand;

	if (link_candidate(req, COMM_LINK_UNSUBSCRIBE, &cand, NULL) != 0 ||
	    withdraw(req, cand) != 0)
		return;
	set_link(req, "Page.prefs_t", COMM_LINK_PREFS, cand);
	web_render(req, 200, "community/unsubscribed.cs");
}

/* RFC 8058: the mail client posts "List-Unsubscribe=One-Click" to the
 * address in List-Unsubscribe, with no cookies; the signed link in the
 * query is the proof. */
void
page_one_click(struct web_req *req)
{
	uint64_t cand;

	if (link_candidate(req, COMM_LINK_UNSUBSCRIBE, &cand, NULL) != 0 ||
	    withdraw(req, cand) != 0)
		return;
	web_render(req, 200, "community/unsubscribed.cs");
}
