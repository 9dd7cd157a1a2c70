/* track.h: click and open tracking: signed redirect links and the open pixel */
#ifndef HEARTH_TRACK_H
#define HEARTH_TRACK_H

#include <stddef.h>
#include <stdint.h>

#include "util/token.h"

struct store;

/* Longest URL a tracked link may carry (longer ones are left as they are). */
#define TRACK_URL_MAX 2000

/* Whether url may be tracked and redirected to: http:// or https://, a
 * host, at most TRACK_URL_MAX bytes, no control characters or spaces. */
int track_url_ok(const char *url);

/*
 * The signature of a click on url in mail (s of /r): base64url HMAC-SHA256
 * under the site key of "r", the mail id and the URL; of the open pixel of
 * mail (s of /o): the same over "o" and the mail id. out holds
 * TOK_MACSTRLEN bytes.
 */
void track_sign_click(const unsigned char key[TOK_KEYBYTES], uint64_t mail,
    const char *url, char out[TOK_MACSTRLEN]);
void track_sign_open(const unsigned char key[TOK_KEYBYTES], uint64_t mail,
    char out[TOK_MACSTRLEN]);

/* "<base>/r?m=<mail>&u=<url percent-encoded>&s=<sig>" and
 * "<base>/o?m=<mail>&s=<sig>"; *out malloc'd. HE_INVALID when url may not
 * be tracked (track_url_ok), HE_NOMEM. */
int track_click_url(const unsigned char key[TOK_KEYBYTES], const char *base,
    uint64_t mail, const char *url, char **out);
int track_open_url(const unsigned char key[TOK_KEYBYTES], const char *base,
    uint64_t mail, char **out);

/*
 * The checks of /r and /o: m (the mail id as sent, decimal), u and s as
 * they came in the query. HE_OK with *mail set only when s is our
 * signature of exactly these and, for a click, u may be redirected to
 * (track_url_ok); HE_INVALID otherwise. Constant-time comparison.
 */
int track_check_click(const unsigned char key[TOK_KEYBYTES], const char *m,
    const char *u, const char *s, uint64_t *mail);
int track_check_open(const unsigned char key[TOK_KEYBYTES], const char *m,
    const char *s, uint64_t *mail);

/*
 * Records a click on url in mail at now, in one transaction: a touchpoint
 * (kind "click", channel "email", detail {url, camp}); the mail's
 * "clicked" (set once) with engage_event(CLICK) the first time; a URL
 * under careers_url (Site.CareersURL; NULL or "": none) is also a "visit"
 * touchpoint with engage_event(VISIT); campaign_signal(CLICK).
 * HE_NOTFOUND when the mail is gone (erased): nothing is recorded, and
 * the redirect still happens (the link was ours).
 */
int track_click(struct store *st, uint64_t mail, const char *url,
    const char *careers_url, int64_t now);

/*
 * Records an open of mail at now: only a campaign mail rendered with the
 * pixel ("pixel" true), whose person still allows tracking
 * (prefs.tracking); the mail's "opened" once, campaign_signal(OPEN).
 * HE_OK also when nothing was recorded.
 */
int track_open(struct store *st, uint64_t mail, int64_t now);

/* Whether url is careers (a page of it): the same scheme and host and a
 * path under careers' path. */
int track_is_careers(const char *url, const char *careers);

#endif
