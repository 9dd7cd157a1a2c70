/* dkim.c: signing outgoing mail with libopendkim */
#include <opendkim/dkim.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/dkim.h"
#include "util/he.h"
#include "util/log.h"

#define KEY_MAX (64 * 1024)

struct hdkim_signer {
	DKIM_LIB *lib;
	unsigned char *key;
	char *selector, *domain;
	unsigned long serial;	/* a job id for libopendkim's logs */
};

/* Signed when present: what a reader sees and what RFC 8058 asks. */
static const char *signed_headers[] = {
	"From", "To", "Subject", "Date", "Message-ID", "MIME-Version",
	"Content-Type", "Content-Transfer-Encoding", "List-Unsubscribe",
	"List-Unsubscribe-Post", NULL,
};

static unsigned char *
read_key(const char *path)
{
	FILE *f = fopen(path, "r");
	unsigned char *buf;
	size_t n;

	if (f == NULL)
		return NULL;
	if ((buf = malloc(KEY_MAX + 1)) != NULL) {
		n = fread(buf, 1, KEY_MAX, f);
		if (ferror(f) || n == 0 || n == KEY_MAX) {
			free(buf);
			buf = NULL;
		} else {
			buf[n] = '\0';
		}
	}
	fclose(f);
	return buf;
}

void
hdkim_signer_free(struct hdkim_signer *s)
{
	if (s == NULL)
		return;
	if (s->lib)
		dkim_close(s->lib);
	if (s->key) {
		memset(s->key, 0, strlen((char *)s->key));
		free(s->key);
	}
	free(s->selector);
	free(s->domain);
	free(s);
}

int
hdkim_signer_new(const char *key_file, const char *selector, const char *domain,
    struct hdkim_signer **out)
{
	struct hdkim_signer *s;

	*out = NULL;
	if (!key_file || !*key_file || !selector || !*selector || !domain ||
	    !*domain)
		return HE_INVALID;
	if ((s = calloc(1, sizeof *s)) == NULL)
		return HE_NOMEM;
	if ((s->key = read_key(key_file)) == NULL) {
		log_error("Mail.DKIMKeyFile %s cannot be read", key_file);
		hdkim_signer_free(s);
		return HE_INVALID;
	}
	s->selector = strdup(selector);
	s->domain = strdup(domain);
	s->lib = dkim_init(NULL, NULL);
	if (!s->selector || !s->domain || !s->lib ||
	    dkim_options(s->lib, DKIM_OP_SETOPT, DKIM_OPTS_SIGNHDRS,
	    signed_headers, sizeof(char **)) != DKIM_STAT_OK) {
		hdkim_signer_free(s);
		return HE_NOMEM;
	}
	/* A key libopendkim cannot use is found now, not at every mail. */
	{
		static const char probe[] = "From: <a@example.org>\r\n"
		    "Subject: probe\r\n\r\nprobe\r\n";
		char *hdr;
		size_t len;
		int rc = hdkim_header(s, probe, sizeof probe - 1, &hdr, &len);

		if (rc != HE_OK) {
			log_error("Mail.DKIMKeyFile %s: not a key that can sign "
			    "(an RSA private key in PEM)", key_file);
			hdkim_signer_free(s);
			return HE_INVALID;
		}
		free(hdr);
	}
	*out = s;
	return HE_OK;
}

int
hdkim_header(struct hdkim_signer *s, const char *msg, size_t len, char **out,
    size_t *outlen)
{
	static const char name[] = "DKIM-Signature: ";
	DKIM_STAT st = DKIM_STAT_OK;
	char id[32];
	u_char *sig = NULL;
	size_t siglen = 0, n = 0;
	DKIM *d;
	char *o;

	*out = NULL;
	*outlen = 0;
	snprintf(id, sizeof id, "hearth-%lu", ++s->serial);
	d = dkim_sign(s->lib, (const unsigned char *)id, NULL, s->key,
	    (const unsigned char *)s->selector, (const unsigned char *)s->domain,
	    DKIM_CANON_RELAXED, DKIM_CANON_RELAXED, DKIM_SIGN_RSASHA256, -1, &st);
	if (d == NULL) {
		log_error("dkim: cannot sign: %s", dkim_getresultstr(st));
		return st == DKIM_STAT_NORESOURCE ? HE_NOMEM : HE_INVALID;
	}
	if ((st = dkim_chunk(d, (u_char *)msg, len)) == DKIM_STAT_OK &&
	    (st = dkim_chunk(d, NULL, 0)) == DKIM_STAT_OK &&
	    (st = dkim_eom(d, NULL)) == DKIM_STAT_OK)
		st = dkim_getsighdr_d(d, sizeof name - 1, &sig, &siglen);
	if (st != DKIM_STAT_OK) {
		log_error("dkim: cannot sign: %s", dkim_geterror(d) ?
		    dkim_geterror(d) : dkim_getresultstr(st));
		dkim_free(d);
		return st == DKIM_STAT_NORESOURCE ? HE_NOMEM : HE_INVALID;
	}
	/* Its folds are bare LF: a mail's lines end in CRLF. */
	if ((o = malloc(sizeof name + siglen * 2 + 3)) == NULL) {
		dkim_free(d);
		return HE_NOMEM;
	}
	memcpy(o, name, sizeof name - 1);
	n = sizeof name - 1;
	for (size_t i = 0; i < siglen; i++) {
		if (sig[i] == '\r')
			continue;
		if (sig[i] == '\n')
			o[n++] = '\r';
		o[n++] = (char)sig[i];
	}
	o[n++] = '\r';
	o[n++] = '\n';
	o[n] = '\0';
	dkim_free(d);
	*out = o;
	*outlen = n;
	return HE_OK;
}
