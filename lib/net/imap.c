/* imap.c: mailbox polling over IMAP through libcurl: new UIDs, fetch, flag or move */
#include <curl/curl.h>
#include <errno.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "net/conn.h"
#include "net/imap.h"
#include "util/he.h"
#include "util/log.h"

#define DEFAULT_TIMEOUT 30L
#define MAILBOX_MAX 100
/* An untagged answer to a command of ours (STATUS, SEARCH) kept at most:
 * a SEARCH of many thousand UIDs is cut, and the next pass goes on. */
#define RESPONSE_MAX (1u << 20)

struct imap {
	char *base;		/* scheme://host[:port]/MAILBOX */
	char *mailbox;
	char *move_to;		/* NULL: flag \Seen */
	char *username, *password, *ca_file;
	int starttls;
	long timeout;
	int global;		/* curl_global_init done */
	CURL *curl;		/* kept between commands: one connection */
	char err[CURL_ERROR_SIZE];
};

/* What a command wrote: the untagged answers, or the message fetched. */
struct sink {
	char *buf;
	size_t len, cap, max;
	int over;		/* more than max */
};

static size_t
sink_write(char *data, size_t size, size_t nmemb, void *arg)
{
	struct sink *s = arg;
	size_t n = size * nmemb;

	if (n > s->max - s->len) {
		s->over = 1;
		return 0;	/* ends the transfer: CURLE_WRITE_ERROR */
	}
	if (s->len + n + 1 > s->cap) {
		size_t cap = s->cap ? s->cap : 4096;
		char *b;

		while (cap < s->len + n + 1)
			cap *= 2;
		if ((b = realloc(s->buf, cap)) == NULL)
			return 0;
		s->buf = b;
		s->cap = cap;
	}
	memcpy(s->buf + s->len, data, n);
	s->len += n;
	s->buf[s->len] = '\0';
	return n;
}

/* Mailbox names go into commands: plain ones only, nothing to quote. */
static int
mailbox_ok(const char *m)
{
	size_t n = strlen(m);

	if (n == 0 || n > MAILBOX_MAX || m[0] == '/' || m[n - 1] == '/')
		return 0;
	for (; *m; m++)
		if (!((*m >= 'a' && *m <= 'z') || (*m >= 'A' && *m <= 'Z') ||
		    (*m >= '0' && *m <= '9') || strchr("._-/", *m)))
			return 0;
	return 1;
}

static int
dup_opt(const char *s, char **out)
{
	*out = NULL;
	if (s == NULL || *s == '\0')
		return 1;
	return (*out = strdup(s)) != NULL;
}

int
imap_open(const struct imap_cfg *cfg, struct imap **out)
{
	struct imap *im;
	const char *url = cfg->url, *host, *path;
	int tls;

	*out = NULL;
	if (url == NULL)
		return HE_INVALID;
	tls = strncasecmp(url, "imaps://", 8) == 0;
	if (!tls && strncasecmp(url, "imap://", 7) != 0)
		return HE_INVALID;
	host = url + (tls ? 8 : 7);
	/* No user or query in the URL: credentials have their own keys. */
	if (strpbrk(host, "@?#;") || host[0] == '\0' || host[0] == '/')
		return HE_INVALID;
	path = strchr(host, '/');
	if ((im = calloc(1, sizeof *im)) == NULL)
		return HE_NOMEM;
	if (path == NULL || path[1] == '\0') {
		size_t hl = path ? (size_t)(path - url) : strlen(url);

		im->mailbox = strdup("INBOX");
		if (im->mailbox && asprintf(&im->base, "%.*s/INBOX", (int)hl, url) < 0)
			im->base = NULL;
	} else {
		im->mailbox = strdup(path + 1);
		im->base = strdup(url);
	}
	if (im->mailbox == NULL || im->base == NULL ||
	    !dup_opt(cfg->move_to, &im->move_to) ||
	    !dup_opt(cfg->username, &im->username) ||
	    !dup_opt(cfg->password, &im->password) ||
	    !dup_opt(cfg->ca_file, &im->ca_file)) {
		imap_close(im);
		return HE_NOMEM;
	}
	if (!mailbox_ok(im->mailbox) || (im->move_to && !mailbox_ok(im->move_to))) {
		imap_close(im);
		return HE_INVALID;
	}
	im->starttls = cfg->starttls;
	im->timeout = cfg->timeout_seconds > 0 ? cfg->timeout_seconds :
	    DEFAULT_TIMEOUT;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		imap_close(im);
		return HE_NOMEM;
	}
	im->global = 1;
	*out = im;
	return HE_OK;
}

void
imap_close(struct imap *im)
{
	if (im == NULL)
		return;
	if (im->curl)
		curl_easy_cleanup(im->curl);	/* LOGOUT */
	if (im->global)
		curl_global_cleanup();
	free(im->base);
	free(im->mailbox);
	free(im->move_to);
	free(im->username);
	if (im->password) {
		sodium_memzero(im->password, strlen(im->password));
		free(im->password);
	}
	free(im->ca_file);
	free(im);
}

/* The handle, made once with what stays the same between commands. */
static int
handle(struct imap *im)
{
	struct net_conn conn = { im->timeout, im->starttls, im->ca_file,
	    im->username, im->password, im->err };
	CURL *c;
	int ok;

	if (im->curl)
		return HE_OK;
	if ((c = curl_easy_init()) == NULL)
		return HE_NOMEM;
	/* Verification as for SMTP (net_conn_setopts). */
	ok = curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "imap,imaps") == CURLE_OK &&
	    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink_write) == CURLE_OK &&
	    net_conn_setopts(c, &conn) == 0;
	if (!ok) {
		curl_easy_cleanup(c);
		return HE_NOMEM;
	}
	im->curl = c;
	return HE_OK;
}

/*
 * One command: a custom one (cmd; the untagged answers into s) or, with
 * cmd NULL, the transfer url names (a FETCH). After a failure the
 * connection is dropped: the next command opens a new one.
 */
static int
run(struct imap *im, const char *url, const char *cmd, struct sink *s)
{
	CURLcode res;
	int rc;

	if ((rc = handle(im)) != HE_OK)
		return rc;
	im->err[0] = '\0';
	curl_easy_setopt(im->curl, CURLOPT_URL, url);
	curl_easy_setopt(im->curl, CURLOPT_CUSTOMREQUEST, cmd);
	curl_easy_setopt(im->curl, CURLOPT_WRITEDATA, s);
	res = curl_easy_perform(im->curl);
	curl_easy_setopt(im->curl, CURLOPT_WRITEDATA, NULL);
	if (res == CURLE_OK)
		return HE_OK;
	if (!s->over)
		log_warn("imap: %s: %s", cmd ? cmd : "fetch",
		    im->err[0] ? im->err : curl_easy_strerror(res));
	curl_easy_cleanup(im->curl);
	im->curl = NULL;
	if (s->over)
		return HE_INVALID;
	if (res == CURLE_LOGIN_DENIED)
		return HE_DENIED;
	if (res == CURLE_REMOTE_FILE_NOT_FOUND && cmd == NULL)
		return HE_NOTFOUND;
	return HE_TEMPFAIL;
}

/* The number after key (a word) in s, e.g. "UIDVALIDITY 1234"; 1 when found. */
static int
number_after(const char *s, const char *key, uint64_t *v)
{
	const char *p = strcasestr(s, key);
	char *end;

	if (p == NULL)
		return 0;
	p += strlen(key);
	while (*p == ' ')
		p++;
	if (*p < '0' || *p > '9')
		return 0;
	errno = 0;
	*v = strtoull(p, &end, 10);
	return errno == 0 && end > p;
}

static int
cmp_uid(const void *a, const void *b)
{
	uint64_t x = ((const struct imap_uid *)a)->uid;
	uint64_t y = ((const struct imap_uid *)b)->uid;

	return x < y ? -1 : x > y;
}

/* The UIDs above after in a SEARCH answer, appended to *out (*k of *cap). */
static int
search_uids(const char *buf, uint64_t after, struct imap_uid **out, size_t *k,
    size_t *cap)
{
	const char *p;

	for (p = buf ? buf : ""; (p = strcasestr(p, "* SEARCH")) != NULL;) {
		p += 8;
		while (*p == ' ' || (*p >= '0' && *p <= '9')) {
			char *end;
			uint64_t u;

			if (*p == ' ') {
				p++;
				continue;
			}
			errno = 0;
			u = strtoull(p, &end, 10);
			p = end;
			if (errno || u <= after)
				continue;
			if (*k == *cap) {
				struct imap_uid *b;
				size_t c = *cap ? *cap * 2 : 64;

				if ((b = realloc(*out, c * sizeof **out)) == NULL)
					return HE_NOMEM;
				*out = b;
				*cap = c;
			}
			(*out)[*k].uid = u;
			(*out)[(*k)++].unseen = 0;
		}
	}
	return HE_OK;
}

/* One SEARCH; its answer into *out. */
static int
search(struct imap *im, uint64_t after, int unseen, struct sink *s,
    struct imap_uid **out, size_t *k, size_t *cap)
{
	char cmd[200];
	int rc;

	s->len = 0;
	if (s->buf)
		s->buf[0] = '\0';
	/* "n:*" always names the highest UID, even below n: filtered. */
	snprintf(cmd, sizeof cmd, "UID SEARCH UID %" PRIu64 ":*%s", after + 1,
	    unseen ? " UNSEEN" : "");
	if ((rc = run(im, im->base, cmd, s)) != HE_OK)
		return rc == HE_INVALID ? HE_TEMPFAIL : rc;
	return search_uids(s->buf, after, out, k, cap);
}

int
imap_new_uids(struct imap *im, uint64_t after, int unseen_only, size_t max,
    uint64_t *uidvalidity, struct imap_uid **uids, size_t *n)
{
	struct sink s = { .max = RESPONSE_MAX };
	char cmd[200];
	struct imap_uid *all = NULL, *unseen = NULL;
	size_t k = 0, cap = 0, ku = 0, capu = 0;
	int rc;

	*uids = NULL;
	*n = 0;
	snprintf(cmd, sizeof cmd, "STATUS \"%s\" (UIDVALIDITY)", im->mailbox);
	if ((rc = run(im, im->base, cmd, &s)) != HE_OK)
		goto out;
	if (s.buf == NULL || !number_after(s.buf, "UIDVALIDITY", uidvalidity)) {
		log_warn("imap: no UIDVALIDITY in the server's answer");
		rc = HE_TEMPFAIL;
		goto out;
	}
	if ((!unseen_only && (rc = search(im, after, 0, &s, &all, &k, &cap)) != HE_OK) ||
	    (rc = search(im, after, 1, &s, &unseen, &ku, &capu)) != HE_OK)
		goto out;
	if (unseen_only) {
		all = unseen;
		k = ku;
		unseen = NULL;
		ku = 0;
		for (size_t i = 0; i < k; i++)
			all[i].unseen = 1;
	}
	qsort(all, k, sizeof *all, cmp_uid);
	qsort(unseen, ku, sizeof *unseen, cmp_uid);
	for (size_t i = 0, j = 0; i < k && j < ku;) {
		if (all[i].uid == unseen[j].uid)
			all[i++].unseen = 1;
		else if (all[i].uid < unseen[j].uid)
			i++;
		else
			j++;
	}
	if (k > max)
		k = max;
	if (k > 0) {
		*uids = all;
		all = NULL;
	}
	*n = k;
out:
	free(all);
	free(unseen);
	free(s.buf);
	return rc;
}

int
imap_fetch(struct imap *im, uint64_t uid, size_t max, char **msg, size_t *len)
{
	struct sink s = { .max = max };
	char *url;
	int rc;

	*msg = NULL;
	*len = 0;
	if (asprintf(&url, "%s/;UID=%" PRIu64, im->base, uid) < 0)
		return HE_NOMEM;
	rc = run(im, url, NULL, &s);
	free(url);
	if (rc == HE_OK && s.buf == NULL)
		rc = HE_NOTFOUND;	/* nothing came: no such message */
	if (rc != HE_OK) {
		free(s.buf);
		return rc;
	}
	*msg = s.buf;
	*len = s.len;
	return HE_OK;
}

int
imap_done(struct imap *im, uint64_t uid)
{
	struct sink s = { .max = RESPONSE_MAX };
	char cmd[200];
	int rc;

	if (im->move_to)
		snprintf(cmd, sizeof cmd, "UID MOVE %" PRIu64 " \"%s\"", uid,
		    im->move_to);
	else
		snprintf(cmd, sizeof cmd, "UID STORE %" PRIu64 " +FLAGS.SILENT (\\Seen)",
		    uid);
	rc = run(im, im->base, cmd, &s);
	free(s.buf);
	return rc == HE_INVALID ? HE_TEMPFAIL : rc;
}

int
imap_unseen(struct imap *im, uint64_t uid)
{
	struct sink s = { .max = RESPONSE_MAX };
	char cmd[200];
	int rc;

	snprintf(cmd, sizeof cmd, "UID STORE %" PRIu64 " -FLAGS.SILENT (\\Seen)", uid);
	rc = run(im, im->base, cmd, &s);
	free(s.buf);
	return rc == HE_INVALID ? HE_TEMPFAIL : rc;
}
