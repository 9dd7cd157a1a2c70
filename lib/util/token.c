/* token.c: signed tokens, keyed digests and the site key */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/he.h"
#include "util/token.h"

#define TOK_VERSION 1
#define TOK_PURPOSE_MAX 64
#define TOK_SUBJECT_MAX 256
#define TOK_HEADER 10		/* version, 8-byte expiry, purpose length */
#define TOK_PAYLOAD_MAX (TOK_HEADER + TOK_PURPOSE_MAX + TOK_SUBJECT_MAX)
#define B64 sodium_base64_VARIANT_URLSAFE_NO_PADDING

static void
mac_payload(const unsigned char key[TOK_KEYBYTES], const unsigned char *p,
    size_t n, unsigned char mac[crypto_auth_hmacsha256_BYTES])
{
	crypto_auth_hmacsha256_state st;

	crypto_auth_hmacsha256_init(&st, key, TOK_KEYBYTES);
	crypto_auth_hmacsha256_update(&st, p, n);
	crypto_auth_hmacsha256_final(&st, mac);
}

int
tok_sign(const unsigned char key[TOK_KEYBYTES], const char *purpose,
    const void *subject, size_t subject_len, time_t expires, char **out)
{
	unsigned char p[TOK_PAYLOAD_MAX], mac[crypto_auth_hmacsha256_BYTES];
	size_t plen = strlen(purpose), n = 0, b1, b2;
	uint64_t exp = (uint64_t)expires;
	char *s;

	*out = NULL;
	if (plen == 0 || plen > TOK_PURPOSE_MAX || subject_len > TOK_SUBJECT_MAX)
		return HE_INVALID;
	p[n++] = TOK_VERSION;
	for (int i = 7; i >= 0; i--)
		p[n++] = (unsigned char)(exp >> (i * 8));
	p[n++] = (unsigned char)plen;
	memcpy(p + n, purpose, plen);
	n += plen;
	memcpy(p + n, subject, subject_len);
	n += subject_len;
	mac_payload(key, p, n, mac);

	b1 = sodium_base64_encoded_len(n, B64);
	b2 = sodium_base64_encoded_len(sizeof mac, B64);
	if ((s = malloc(b1 + b2)) == NULL)
		return HE_NOMEM;
	sodium_bin2base64(s, b1, p, n, B64);
	s[b1 - 1] = '.';
	sodium_bin2base64(s + b1, b2, mac, sizeof mac, B64);
	*out = s;
	return HE_OK;
}

int
tok_verify(const unsigned char key[TOK_KEYBYTES], const char *purpose,
    const char *token, time_t now, char **subject, size_t *subject_len)
{
	unsigned char p[TOK_PAYLOAD_MAX], mac[crypto_auth_hmacsha256_BYTES];
	unsigned char want[crypto_auth_hmacsha256_BYTES];
	const char *dot = strchr(token, '.'), *end;
	size_t n, mlen, plen = strlen(purpose), slen;
	uint64_t exp = 0;

	*subject = NULL;
	*subject_len = 0;
	/* libsodium decodes bytes >= 0x80 as '_': one token, one spelling. */
	if (token[strspn(token, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789-_.")] != '\0')
		return HE_INVALID;
	if (dot == NULL ||
	    sodium_base642bin(p, sizeof p, token, (size_t)(dot - token), NULL,
	    &n, &end, B64) != 0 || end != dot ||
	    sodium_base642bin(mac, sizeof mac, dot + 1, strlen(dot + 1), NULL,
	    &mlen, &end, B64) != 0 || *end != '\0' || mlen != sizeof mac)
		return HE_INVALID;
	mac_payload(key, p, n, want);
	if (crypto_verify_32(mac, want) != 0)
		return HE_INVALID;
	/* Genuine from here on: the fields are ours, but check them anyway. */
	if (n < TOK_HEADER || p[0] != TOK_VERSION || p[9] != plen ||
	    n < TOK_HEADER + plen || memcmp(p + TOK_HEADER, purpose, plen) != 0)
		return HE_INVALID;
	for (int i = 1; i <= 8; i++)
		exp = exp << 8 | p[i];
	if (exp <= (uint64_t)now)
		return HE_EXPIRED;
	slen = n - TOK_HEADER - plen;
	if ((*subject = malloc(slen + 1)) == NULL)
		return HE_NOMEM;
	memcpy(*subject, p + TOK_HEADER + plen, slen);
	(*subject)[slen] = '\0';
	*subject_len = slen;
	return HE_OK;
}

void
tok_mac(const unsigned char key[TOK_KEYBYTES], const char *domain,
    const char *msg, char out[TOK_MACSTRLEN])
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;

	crypto_auth_hmacsha256_init(&st, key, TOK_KEYBYTES);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)domain,
	    strlen(domain) + 1);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)msg, strlen(msg));
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2base64(out, TOK_MACSTRLEN, mac, sizeof mac, B64);
}

int
tok_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la != lb)
		return 0;
	return sodium_memcmp(a, b, la) == 0;
}

int
tok_key_create(const char *path)
{
	unsigned char key[TOK_KEYBYTES];
	char hex[TOK_KEYBYTES * 2 + 2];
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	ssize_t want, w;

	if (fd < 0)
		return errno == EEXIST ? HE_OK : HE_IO;
	randombytes_buf(key, sizeof key);
	sodium_bin2hex(hex, sizeof hex, key, sizeof key);
	sodium_memzero(key, sizeof key);
	want = (ssize_t)strlen(hex);
	hex[want++] = '\n';
	w = write(fd, hex, (size_t)want);
	sodium_memzero(hex, sizeof hex);
	if (w != want || fsync(fd) != 0) {
		close(fd);
		unlink(path);
		return HE_IO;
	}
	return close(fd) == 0 ? HE_OK : HE_IO;
}

int
tok_key_load(const char *path, unsigned char key[TOK_KEYBYTES])
{
	char hex[TOK_KEYBYTES * 2 + 8];
	int fd = open(path, O_RDONLY);
	ssize_t n;
	size_t bin;

	if (fd < 0)
		return errno == ENOENT ? HE_NOTFOUND : HE_IO;
	n = read(fd, hex, sizeof hex - 1);
	close(fd);
	if (n < TOK_KEYBYTES * 2)
		return HE_INVALID;
	hex[n] = '\0';
	if (sodium_hex2bin(key, TOK_KEYBYTES, hex, (size_t)n, "\n", &bin, NULL) != 0 ||
	    bin != TOK_KEYBYTES)
		return HE_INVALID;
	sodium_memzero(hex, sizeof hex);
	return HE_OK;
}
