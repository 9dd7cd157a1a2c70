/* csrf.c: tokens that tie every form post to its reader */
#include <sodium.h>
#include <string.h>

#include "web/web_int.h"

#define ANON_COOKIE "hearth_anon"
#define ANON_BYTES 32
#define ANON_LEN 43		/* base64url of ANON_BYTES, unpadded */

static int
well_formed(const char *v)
{
	if (v == NULL || strlen(v) != ANON_LEN)
		return 0;
	for (; *v; v++)
		if (!((*v >= 'a' && *v <= 'z') || (*v >= 'A' && *v <= 'Z') ||
		    (*v >= '0' && *v <= '9') || *v == '-' || *v == '_'))
			return 0;
	return 1;
}

void
web_set_csrf_key(struct web_req *req, const char *key)
{
	tok_mac(req->conn->key, "csrf", key, req->conn->csrf);
}

/*
 * Signed-in requests derive the token from the session; everyone else from
 * a random cookie of their own (a double-submit token that an attacker's
 * page can neither read nor compute without the site key).
 */
void
web_csrf_setup(struct web_req *req)
{
	const char *anon = hdf_get_value(req->hdf, "Cookie." ANON_COOKIE, NULL);
	unsigned char raw[ANON_BYTES];
	char fresh[ANON_LEN + 1];

	if (req->user && req->session_token) {
		web_set_csrf_key(req, req->session_token);
		return;
	}
	if (!well_formed(anon)) {
		randombytes_buf(raw, sizeof raw);
		sodium_bin2base64(fresh, sizeof fresh, raw, sizeof raw,
		    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
		web_set_cookie(req, ANON_COOKIE, fresh, -1);
		anon = fresh;
	}
	web_set_csrf_key(req, anon);
}

int
web_csrf_ok(struct web_req *req)
{
	const char *sent = hdf_get_value(req->hdf, "Query.csrf_token", NULL);

	return sent != NULL && tok_equal(sent, req->conn->csrf);
}
