/* smtp_send.c: the SMTP baseline for `make bench`: the least work libcurl can do per message */

/*
 * Usage: smtp_send URL COUNT BYTES
 *
 * Sends COUNT copies of one plain RFC 5322 message of BYTES octets to
 * the SMTP server at URL (smtp://host:port), all through one libcurl easy
 * handle, so they share one connection as the worker's batches do. Prints
 * "sent N in S seconds: R msg/s", then "message B bytes, L lines" (what
 * was sent). Exits 1 on the first message the
 * server does not accept.
 *
 * No templates, no database, no MIME: the gap between this rate and the
 * worker's is the cost of Hearth's own work per mail, not of SMTP itself.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#define FROM "<bench@localhost>"
#define TO "<bench@localhost>"

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

/* Headers, then 72-character lines, the last one shorter, so that the
 * message has exactly bytes octets (at least the headers and one line). */
static char *
make_message(size_t bytes, size_t *len)
{
	static const char head[] = "From: Bench <bench@localhost>\r\n"
	    "To: Bench <bench@localhost>\r\n"
	    "Subject: smtp_send baseline\r\n"
	    "Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n"
	    "Message-ID: <smtp-send-baseline@localhost>\r\n"
	    "MIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=US-ASCII\r\n\r\n";
	size_t body = bytes > sizeof head + 1 ? bytes - (sizeof head - 1) : 3;
	char *m = malloc(sizeof head + body), *p;

	if (m == NULL)
		return NULL;
	memcpy(m, head, sizeof head - 1);
	p = m + sizeof head - 1;
	for (size_t i = 0; body > 0; i++) {
		/* never a line of CRLF alone: keep 1 character for the last */
		size_t n = body >= 74 + 3 || body == 74 ? 72 : body - 2;

		for (size_t k = 0; k < n; k++)
			*p++ = (char)('a' + (i + k) % 26);
		*p++ = '\r';
		*p++ = '\n';
		body -= n + 2;
	}
	*len = (size_t)(p - m);
	return m;
}

static size_t
count_lines(const char *m, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		n += m[i] == '\n';
	return n;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	struct curl_slist *rcpt = NULL;
	char *msg, *end;
	size_t len;
	long count, bytes;
	double t0, secs;
	CURL *c;

	if (argc != 4) {
		fprintf(stderr, "usage: smtp_send URL COUNT BYTES\n");
		return 2;
	}
	count = strtol(argv[2], &end, 10);
	if (*end != '\0' || count < 1) {
		fprintf(stderr, "smtp_send: COUNT must be a positive number\n");
		return 2;
	}
	bytes = strtol(argv[3], &end, 10);
	if (*end != '\0' || bytes < 1 || bytes > 64L * 1024 * 1024) {
		fprintf(stderr, "smtp_send: BYTES must be 1..67108864\n");
		return 2;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK ||
	    (c = curl_easy_init()) == NULL ||
	    (msg = make_message((size_t)bytes, &len)) == NULL ||
	    (rcpt = curl_slist_append(NULL, TO)) == NULL) {
		fprintf(stderr, "smtp_send: out of memory\n");
		return 1;
	}
	curl_easy_setopt(c, CURLOPT_URL, argv[1]);
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, FROM);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_message);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);

	t0 = now();
	for (long i = 0; i < count; i++) {
		struct upload u = { msg, len };
		CURLcode res;

		curl_easy_setopt(c, CURLOPT_READDATA, &u);
		if ((res = curl_easy_perform(c)) != CURLE_OK) {
			fprintf(stderr, "smtp_send: message %ld: %s\n", i + 1,
			    curl_easy_strerror(res));
			return 1;
		}
	}
	secs = now() - t0;
	printf("sent %ld in %.3f seconds: %.1f msg/s\n", count, secs,
	    secs > 0 ? count / secs : 0.0);
	printf("message %zu bytes, %zu lines\n", len, count_lines(msg, len));

	curl_easy_cleanup(c);
	curl_slist_free_all(rcpt);
	free(msg);
	curl_global_cleanup();
	return 0;
}
