/* links.c: the signed links people follow from their mail */
#include <stdlib.h>

#include "cgi-bin/community/community.h"
#include "util/he.h"

const struct web_field link_fields[] = {
	FIELD_LINK,
	{ NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};

int
link_candidate(struct web_req *req, enum comm_link link, uint64_t *cand,
    char nonce[COMM_NONCE_LEN + 1])
{
	struct community *c = req->ctx;
	int rc = comm_link_check(&c->comm, link, req->v[0].str, cand, nonce);

	if (rc == HE_OK)
		return 0;
	if (rc == HE_EXPIRED) {
		web_render(req, 410, "community/expired.cs");
		return -1;
	}
	web_error(req, 400, "This link is not one of ours, or it was changed on "
	    "the way. Please open it again from the email we sent you.");
	return -1;
}

void
set_link(struct web_req *req, const char *name, enum comm_link link,
    uint64_t cand)
{
	struct community *c = req->ctx;
	char *token;

	if (comm_link_sign(&c->comm, link, cand, NULL, time(NULL), &token) != HE_OK)
		return;
	web_set(req, name, token);
	free(token);
}
