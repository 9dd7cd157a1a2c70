/* dkim.h: DKIM signatures (RFC 6376) of outgoing mail, through libopendkim */
#ifndef HEARTH_DKIM_H
#define HEARTH_DKIM_H

#include <stddef.h>

struct hdkim_signer;

/*
 * A signer for domain with selector, with the RSA private key (PEM) in
 * key_file, read once here. rsa-sha256, relaxed/relaxed, over From, To,
 * Subject, Date, Message-ID, MIME-Version, Content-Type,
 * Content-Transfer-Encoding, List-Unsubscribe and List-Unsubscribe-Post
 * (those present). HE_INVALID (said in the log) when the key cannot be
 * read or a value is empty; HE_NOMEM. Free with hdkim_signer_free().
 */
int hdkim_signer_new(const char *key_file, const char *selector,
    const char *domain, struct hdkim_signer **out);
void hdkim_signer_free(struct hdkim_signer *s);

/*
 * The "DKIM-Signature: ..." header for msg (len bytes, CRLF line ends,
 * headers then a blank line then the body), folded, with its CRLF;
 * *out malloc'd. HE_INVALID when libopendkim cannot sign it; HE_NOMEM.
 */
int hdkim_header(struct hdkim_signer *s, const char *msg, size_t len,
    char **out, size_t *outlen);

#endif
