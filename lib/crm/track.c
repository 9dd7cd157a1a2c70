/* track.c: signed click and open links, and what following them records */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sodium.h>

#include "crm/campaign.h"
#include "crm/engage.h"
#include "crm/track.h"
#include "store/entities.h"
#include "store/store.h"
#include "store/touch.h"
#include "util/he.h"

int
track_url_ok(const char *url)
{
	size_t skip, n;

	if (url == NULL || (n = strlen(url)) > TRACK_URL_MAX)
		return 0;
	if (strncasecmp(url, "https://", 8) == 0)
		skip = 8;
	else if (strncasecmp(url, "http://", 7) == 0)
		skip = 7;
	else
		return 0;
	/* A host: something before the path, and not another "/". */
	if (url[skip] == '\0' || strchr("/?#@:\\", url[skip]))
		return 0;
	for (const unsigned char *p = (const unsigned char *)url; *p; p++)
		if (*p <= 0x20 || *p == 0x7f || *p == '\\')
			return 0;
	return 1;
}

/*
 * HMAC-SHA256(key, what NUL mail SP url), base64url: tok_mac's form. The
 * keyed state is made once per key and copied for each link: a campaign
 * mail signs several, and keying was half of what each cost.
 */
static void
sign(const unsigned char key[TOK_KEYBYTES], const char *what, uint64_t mail,
    const char *url, char out[TOK_MACSTRLEN])
{
	static unsigned char keyed_for[TOK_KEYBYTES];
	static crypto_auth_hmacsha256_state keyed;
	static int have;
	crypto_auth_hmacsha256_state st;
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	char num[24];
	int n;

	if (!have || sodium_memcmp(keyed_for, key, TOK_KEYBYTES) != 0) {
		crypto_auth_hmacsha256_init(&keyed, key, TOK_KEYBYTES);
		memcpy(keyed_for, key, TOK_KEYBYTES);
		have = 1;
	}
	st = keyed;
	n = snprintf(num, sizeof num, "%" PRIu64 " ", mail);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)what,
	    strlen(what) + 1);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)num, (size_t)n);
	if (url)
		crypto_auth_hmacsha256_update(&st, (const unsigned char *)url,
		    strlen(url));
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2base64(out, TOK_MACSTRLEN, mac, sizeof mac,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(&st, sizeof st);
}

void
track_sign_click(const unsigned char key[TOK_KEYBYTES], uint64_t mail,
    const char *url, char out[TOK_MACSTRLEN])
{
	sign(key, "r", mail, url, out);
}

void
track_sign_open(const unsigned char key[TOK_KEYBYTES], uint64_t mail,
    char out[TOK_MACSTRLEN])
{
	sign(key, "o", mail, NULL, out);
}

/* Percent-encodes all but RFC 3986's unreserved characters at d (room
 * for three bytes each); returns the end. */
static char *
put_encoded(char *d, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' ||
		    *p == '_' || *p == '~') {
			*d++ = (char)*p;
		} else {
			*d++ = '%';
			*d++ = hex[*p >> 4];
			*d++ = hex[*p & 15];
		}
	}
	return d;
}

int
track_click_url(const unsigned char key[TOK_KEYBYTES], const char *base,
    uint64_t mail, const char *url, char **out)
{
	char sig[TOK_MACSTRLEN], *d;
	size_t blen = strlen(base);
	int n;

	*out = NULL;
	if (!track_url_ok(url))
		return HE_INVALID;
	track_sign_click(key, mail, url, sig);
	if ((*out = malloc(blen + 40 + strlen(url) * 3 + sizeof sig)) == NULL)
		return HE_NOMEM;
	memcpy(*out, base, blen);
	n = sprintf(*out + blen, "/r?m=%" PRIu64 "&u=", mail);
	d = put_encoded(*out + blen + n, url);
	memcpy(d, "&s=", 3);
	memcpy(d + 3, sig, strlen(sig) + 1);
	return HE_OK;
}

int
track_open_url(const unsigned char key[TOK_KEYBYTES], const char *base,
    uint64_t mail, char **out)
{
	char sig[TOK_MACSTRLEN];

	track_sign_open(key, mail, sig);
	if (asprintf(out, "%s/o?m=%" PRIu64 "&s=%s", base, mail, sig) < 0) {
		*out = NULL;
		return HE_NOMEM;
	}
	return HE_OK;
}

/* A mail id as we write it: decimal digits, no sign, no leading zero. */
static int
parse_mail(const char *m, uint64_t *mail)
{
	char *end;
	unsigned long long v;

	if (m == NULL || *m < '1' || *m > '9' || strlen(m) > 20)
		return HE_INVALID;
	errno = 0;
	v = strtoull(m, &end, 10);
	if (errno || *end || v == 0)
		return HE_INVALID;
	*mail = v;
	return HE_OK;
}

int
track_check_click(const unsigned char key[TOK_KEYBYTES], const char *m,
    const char *u, const char *s, uint64_t *mail)
{
	char want[TOK_MACSTRLEN];
	uint64_t id;

	if (parse_mail(m, &id) != HE_OK || s == NULL || !track_url_ok(u))
		return HE_INVALID;
	track_sign_click(key, id, u, want);
	if (!tok_equal(want, s))
		return HE_INVALID;
	*mail = id;
	return HE_OK;
}

int
track_check_open(const unsigned char key[TOK_KEYBYTES], const char *m,
    const char *s, uint64_t *mail)
{
	char want[TOK_MACSTRLEN];
	uint64_t id;

	if (parse_mail(m, &id) != HE_OK || s == NULL)
		return HE_INVALID;
	track_sign_open(key, id, want);
	if (!tok_equal(want, s))
		return HE_INVALID;
	*mail = id;
	return HE_OK;
}

int
track_is_careers(const char *url, const char *careers)
{
	size_t n;

	if (url == NULL || careers == NULL || (n = strlen(careers)) == 0 ||
	    !track_url_ok(careers))
		return 0;
	while (n > 0 && careers[n - 1] == '/')
		n--;
	/* Scheme and host compare without case; the page must be the
	 * careers URL itself or below it, not a host that merely starts
	 * the same ("careers.example.org.evil"). */
	if (strncasecmp(url, careers, n) != 0)
		return 0;
	return url[n] == '\0' || url[n] == '/' || url[n] == '?' || url[n] == '#';
}

static int
touch(struct store *st, DB_TXN *txn, uint64_t cand, const char *kind,
    int64_t now, const char *url, json_t *camp)
{
	json_t *body = json_pack("{s:I, s:s, s:s, s:I, s:s, s:s, s:{s:s, s:O}}",
	    "at", (json_int_t)now, "kind", kind, "channel", "email", "by",
	    (json_int_t)0, "by_name", "", "text", "", "detail", "url", url,
	    "camp", camp ? camp : json_null());
	uint64_t id;
	int rc;

	if (body == NULL)
		return HE_NOMEM;
	rc = store_touch_insert(st, txn, cand, body, &id);
	json_decref(body);
	return rc;
}

struct click {
	uint64_t mail;
	const char *url, *careers;
	int64_t now;
};

static int
click_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct click *c = arg;
	json_t *mail, *camp;
	uint64_t cand;
	int rc, first, careers;

	/* Locked for the write that follows: two clicks at once take turns. */
	if ((rc = store_mail_exists(st, txn, c->mail, 1)) != HE_OK ||
	    (rc = store_mail_get(st, txn, c->mail, &mail)) != HE_OK)
		return rc;
	cand = (uint64_t)json_integer_value(json_object_get(mail, "cand"));
	camp = json_object_get(mail, "camp");
	first = !json_is_true(json_object_get(mail, "clicked"));
	careers = track_is_careers(c->url, c->careers);
	if (cand == 0) {
		json_decref(mail);
		return HE_NOTFOUND;
	}
	rc = touch(st, txn, cand, "click", c->now, c->url, camp);
	if (rc == HE_OK && careers)
		rc = touch(st, txn, cand, "visit", c->now, c->url, camp);
	if (rc == HE_OK && first)
		rc = engage_event(st, txn, cand, ENGAGE_CLICK, c->now);
	if (rc == HE_OK && careers && !json_is_true(json_object_get(mail,
	    "visited")))
		rc = engage_event(st, txn, cand, ENGAGE_VISIT, c->now);
	if (rc == HE_OK && json_is_integer(camp))
		rc = campaign_signal(st, txn, cand, c->mail, CAMP_SIG_CLICK, c->now);
	if (rc == HE_OK && (first || (careers && !json_is_true(
	    json_object_get(mail, "visited"))))) {
		json_object_set_new(mail, "clicked", json_true());
		if (careers)
			json_object_set_new(mail, "visited", json_true());
		rc = store_mail_put(st, txn, c->mail, mail);
	}
	json_decref(mail);
	return rc;
}

int
track_click(struct store *st, uint64_t mail, const char *url,
    const char *careers_url, int64_t now)
{
	struct click c = { mail, url, careers_url, now };

	return store_txn(st, click_txn, &c);
}

struct open {
	uint64_t mail;
	int64_t now;
};

static int
open_txn(struct store *st, DB_TXN *txn, void *arg)
{
	struct open *o = arg;
	json_t *mail, *cand = NULL;
	uint64_t id;
	int rc;

	if ((rc = store_mail_exists(st, txn, o->mail, 1)) != HE_OK ||
	    (rc = store_mail_get(st, txn, o->mail, &mail)) != HE_OK)
		return rc == HE_NOTFOUND ? HE_OK : rc;
	id = (uint64_t)json_integer_value(json_object_get(mail, "cand"));
	if (!json_is_true(json_object_get(mail, "pixel")) ||
	    json_is_true(json_object_get(mail, "opened")) || id == 0)
		goto out;
	/* Asked since not to be tracked: this open is not ours to keep. */
	if ((rc = store_cand_get(st, txn, id, 0, &cand)) != HE_OK) {
		rc = rc == HE_NOTFOUND ? HE_OK : rc;
		goto out;
	}
	if (!json_is_true(json_object_get(json_object_get(cand, "prefs"),
	    "tracking")))
		goto out;
	rc = campaign_signal(st, txn, id, o->mail, CAMP_SIG_OPEN, o->now);
	if (rc == HE_OK) {
		json_object_set_new(mail, "opened", json_true());
		rc = store_mail_put(st, txn, o->mail, mail);
	}
out:
	json_decref(cand);
	json_decref(mail);
	return rc;
}

int
track_open(struct store *st, uint64_t mail, int64_t now)
{
	struct open o = { mail, now };

	return store_txn(st, open_txn, &o);
}
