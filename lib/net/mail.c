/* mail.c: message formatting, the file outbox and SMTP through libcurl */
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net/mail.h"
#include "util/he.h"
#include "util/log.h"

static int
needs_encoding(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80 || *s == '=' || *s == '?' || *s == '"')
			return 1;
	return 0;
}

/* Appends s as header text: plain when safe, else RFC 2047 B words of at
 * most 45 input bytes each, never splitting a UTF-8 sequence. */
static void
put_header_text(FILE *f, const char *s)
{
	size_t n = strlen(s), i = 0;

	if (!needs_encoding(s)) {
		for (; *s; s++)
			if (*s != '\r' && *s != '\n')
				fputc(*s, f);
		return;
	}
	while (i < n) {
		char b64[80];
		char chunk[48];
		size_t take = n - i < 45 ? n - i : 45, c = 0;

		while (take < n - i && ((unsigned char)s[i + take] & 0xc0) == 0x80)
			take--;
		for (size_t j = 0; j < take; j++)
			if (s[i + j] != '\r' && s[i + j] != '\n')
				chunk[c++] = s[i + j];
		sodium_bin2base64(b64, sizeof b64, (const unsigned char *)chunk, c,
		    sodium_base64_VARIANT_ORIGINAL);
		fprintf(f, "%s=?UTF-8?B?%s?=", i ? "\r\n " : "", b64);
		i += take;
	}
}

static void
put_address(FILE *f, const char *header, const char *name, const char *addr)
{
	fprintf(f, "%s: ", header);
	if (name && *name) {
		if (needs_encoding(name)) {
			put_header_text(f, name);
		} else {
			fputc('"', f);
			for (const char *p = name; *p; p++)
				if (*p != '\r' && *p != '\n' && *p != '\\')
					fputc(*p, f);
			fputc('"', f);
		}
		fputc(' ', f);
	}
	fputc('<', f);
	put_header_text(f, addr);
	fputs(">\r\n", f);
}

/* Body lines end in CRLF; a lone "." line is dot-stuffed by curl itself. */
static void
put_body(FILE *f, const char *text)
{
	for (const char *p = text; *p; p++) {
		if (*p == '\r')
			continue;
		if (*p == '\n')
			fputs("\r\n", f);
		else
			fputc(*p, f);
	}
	if (*text && text[strlen(text) - 1] != '\n')
		fputs("\r\n", f);
}

int
mail_format(const struct mail_msg *m, time_t now, char **out, size_t *len)
{
	unsigned char rnd[16];
	char id[33], date[64];
	struct tm tm;
	FILE *f;

	*out = NULL;
	if ((f = open_memstream(out, len)) == NULL)
		return HE_NOMEM;
	randombytes_buf(rnd, sizeof rnd);
	sodium_bin2hex(id, sizeof id, rnd, sizeof rnd);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000",
	    gmtime_r(&now, &tm));
	fprintf(f, "Date: %s\r\n", date);
	fprintf(f, "Message-ID: <%s@%s>\r\n", id, m->msgid_domain);
	put_address(f, "From", m->from_name, m->from);
	put_address(f, "To", m->to_name, m->to);
	fputs("Subject: ", f);
	put_header_text(f, m->subject);
	fputs("\r\nMIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: 8bit\r\n\r\n", f);
	put_body(f, m->text);
	if (fclose(f) != 0) {
		free(*out);
		*out = NULL;
		return HE_NOMEM;
	}
	return HE_OK;
}

static int
outbox_write(const char *dir, const char *name, const char *msg, size_t len)
{
	char tmp[4096], final[4096];
	int fd;
	ssize_t w;

	snprintf(tmp, sizeof tmp, "%s/.%s.tmp", dir, name);
	snprintf(final, sizeof final, "%s/%s.eml", dir, name);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0640)) < 0) {
		log_error("outbox: cannot create %s: %s", tmp, strerror(errno));
		return HE_TEMPFAIL;
	}
	w = write(fd, msg, len);
	if (w < 0 || (size_t)w != len || fsync(fd) != 0 || close(fd) != 0 ||
	    rename(tmp, final) != 0) {
		log_error("outbox: cannot write %s: %s", final, strerror(errno));
		unlink(tmp);
		return HE_TEMPFAIL;
	}
	return HE_OK;
}

struct upload {
	const char *data;
	size_t left;
};

static size_t
read_message(char *buf, size_t size, size_t nitems, void *arg)
{
	struct upload *u = arg;
	size_t n = size * nitems < u->left ? size * nitems : u->left;

	memcpy(buf, u->data, n);
	u->data += n;
	u->left -= n;
	return n;
}

static int
smtp_send(const struct mail_transport *t, const char *from, const char *to,
    const char *msg, size_t len)
{
	CURL *c = curl_easy_init();
	struct curl_slist *rcpt = NULL;
	struct upload u = { msg, len };
	char addr[512];
	long code = 0;
	CURLcode res;

	if (c == NULL)
		return HE_NOMEM;
	snprintf(addr, sizeof addr, "<%s>", to);
	rcpt = curl_slist_append(rcpt, addr);
	snprintf(addr, sizeof addr, "<%s>", from);
	curl_easy_setopt(c, CURLOPT_URL, t->smtp_url);
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, addr);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_message);
	curl_easy_setopt(c, CURLOPT_READDATA, &u);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 45L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	if (t->starttls)
		curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	if (t->username && *t->username) {
		curl_easy_setopt(c, CURLOPT_USERNAME, t->username);
		curl_easy_setopt(c, CURLOPT_PASSWORD, t->password ? t->password : "");
	}
	res = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(c);
	if (res == CURLE_OK)
		return HE_OK;
	log_warn("smtp: %s to <%s>: %s (reply %ld)", t->smtp_url, to,
	    curl_easy_strerror(res), code);
	return code >= 500 && code < 600 ? HE_INVALID : HE_TEMPFAIL;
}

int
mail_send(const struct mail_transport *t, const char *name, const char *from,
    const char *to, const char *msg, size_t len)
{
	if (t->smtp_url == NULL || *t->smtp_url == '\0')
		return outbox_write(t->outbox_dir, name, msg, len);
	return smtp_send(t, from, to, msg, len);
}
