/* mail.c: message formatting, the file outbox and SMTP through libcurl */
#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "net/conn.h"
#include "net/dkim.h"
#include "net/mail.h"
#include "util/he.h"
#include "util/log.h"

/* RFC 5322 asks header lines to stay within 78 octets where they can. */
#define LINE_SOFT 78
/* RFC 2047: an encoded word is at most 75 octets; 45 input octets make 60
 * base64 characters, 72 with "=?UTF-8?B?" and "?=". */
#define WORD_BYTES 45
#define WORD_WRAP 12
/* RFC 5321's limit for a path is 256 with the brackets. */
#define ADDR_MAX 254
/* A List-Unsubscribe value goes on one header line: RFC 2369 gives no
 * folding inside a URL that every client understands. */
#define UNSUB_MAX 900
#define MSGID_MAX 250
/* RFC 2045: encoded lines at most 76 octets, the soft break's "=" included. */
#define QP_LINE 76
#define DEFAULT_TIMEOUT 45L

/* A header being written, and the column its current line has reached. */
struct hdr {
	FILE *f;
	size_t col;
};

static void
hput(struct hdr *h, const char *s, size_t n)
{
	fwrite(s, 1, n, h->f);
	h->col += n;
}

static void
hputs(struct hdr *h, const char *s)
{
	hput(h, s, strlen(s));
}

/* Ends the current line and starts a continuation line (RFC 5322 folding). */
static void
hfold(struct hdr *h)
{
	fputs("\r\n ", h->f);
	h->col = 1;
}

static void
hend(struct hdr *h)
{
	fputs("\r\n", h->f);
	h->col = 0;
}

/* s without CR and LF: header text with them could start a new header. */
static char *
without_crlf(const char *s)
{
	char *c = malloc(strlen(s) + 1), *d = c;

	if (c == NULL)
		return NULL;
	for (; *s; s++)
		if (*s != '\r' && *s != '\n')
			*d++ = *s;
	*d = '\0';
	return c;
}

static int
printable_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return 0;
	return 1;
}

/*
 * Writes s as RFC 2047 B encoded words, folding between words so lines stay
 * within 78 octets. A word never ends inside a UTF-8 sequence: a decoder
 * may decode each word on its own, and half a character is garbage.
 */
static void
put_words(struct hdr *h, const char *s)
{
	size_t n = strlen(s), i = 0;

	while (i < n) {
		char b64[sodium_base64_ENCODED_LEN(WORD_BYTES,
		    sodium_base64_VARIANT_ORIGINAL)];
		size_t room, take, back = 0;

		room = h->col + WORD_WRAP + 4 <= LINE_SOFT ?
		    (LINE_SOFT - h->col - WORD_WRAP) / 4 * 3 : 0;
		if (room > WORD_BYTES)
			room = WORD_BYTES;
		take = n - i < room ? n - i : room;
		/* Back up to the start of a sequence: at most three
		 * continuation bytes follow a lead byte in valid UTF-8. */
		while (take > 0 && take < n - i && back < 3 &&
		    ((unsigned char)s[i + take] & 0xc0) == 0x80) {
			take--;
			back++;
		}
		if (take == 0) {
			/* Not even one character fits here: next line. */
			hfold(h);
			continue;
		}
		sodium_bin2base64(b64, sizeof b64, (const unsigned char *)s + i,
		    take, sodium_base64_VARIANT_ORIGINAL);
		hputs(h, "=?UTF-8?B?");
		hputs(h, b64);
		hputs(h, "?=");
		i += take;
		if (i < n)
			hfold(h);
	}
}

/*
 * Plain unstructured text (a subject) when that is unambiguous and folds
 * cleanly: printable ASCII, no "=?" a reader could take for an encoded
 * word, single spaces between words (folding happens before a space, and
 * runs of spaces or long words would not fold into short lines).
 */
static int
plain_text_ok(const char *s)
{
	size_t word = 0;

	if (!printable_ascii(s) || strstr(s, "=?") != NULL)
		return 0;
	if (*s == ' ' || (*s && s[strlen(s) - 1] == ' ') || strstr(s, "  "))
		return 0;
	/* Each word must fit on the first line, after "Subject: ". */
	for (; *s; s++) {
		word = *s == ' ' ? 0 : word + 1;
		if (word > LINE_SOFT - 12)
			return 0;
	}
	return 1;
}

/* An unstructured header: plain text folded at spaces, or encoded words. */
static void
put_text(struct hdr *h, const char *s)
{
	if (!plain_text_ok(s)) {
		put_words(h, s);
		return;
	}
	while (*s) {
		size_t w = strcspn(s, " ");

		hput(h, s, w);
		s += w;
		if (*s == ' ') {
			s++;
			if (h->col + 1 + strcspn(s, " ") > LINE_SOFT)
				hfold(h);
			else
				hputs(h, " ");
		}
	}
}

/* Printable, no space and nothing that ends an angle address: the value
 * goes between "<" and ">" and into SMTP commands. */
static int
valid_addr(const char *a)
{
	size_t n;

	if (a == NULL || (n = strlen(a)) == 0 || n > ADDR_MAX)
		return 0;
	for (; *a; a++)
		if ((unsigned char)*a <= 0x20 || *a == 0x7f || *a == '<' ||
		    *a == '>')
			return 0;
	return 1;
}

/* "Header: name <addr>": the name quoted when it is plain ASCII and short,
 * else encoded words; the address on the next line if it would not fit. */
static void
put_address(struct hdr *h, const char *header, const char *name,
    const char *addr)
{
	hputs(h, header);
	hputs(h, ": ");
	if (name && *name) {
		if (printable_ascii(name) && strpbrk(name, "\"\\") == NULL &&
		    strstr(name, "=?") == NULL &&
		    h->col + strlen(name) + 2 <= LINE_SOFT) {
			hputs(h, "\"");
			hputs(h, name);
			hputs(h, "\"");
		} else {
			put_words(h, name);
		}
		if (h->col + strlen(addr) + 3 > LINE_SOFT)
			hfold(h);
		else
			hputs(h, " ");
	}
	hputs(h, "<");
	hputs(h, addr);
	hputs(h, ">");
	hend(h);
}

static int
atext(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL;
}

/* RFC 5322 dot-atom-text: atext runs joined by single dots. */
static int
dot_atom(const char *s, size_t n)
{
	if (n == 0 || s[0] == '.' || s[n - 1] == '.')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '.' ? s[i + 1] == '.' : !atext((unsigned char)s[i]))
			return 0;
	return 1;
}

static int
valid_msgid(const char *id)
{
	const char *at = strchr(id, '@');
	size_t n = strlen(id);

	return n <= MSGID_MAX && at != NULL && dot_atom(id, (size_t)(at - id)) &&
	    dot_atom(at + 1, n - (size_t)(at - id) - 1);
}

/*
 * The value of one List-Unsubscribe entry. CR, LF, "<" and ">" would let
 * it end the header or the bracket; controls and spaces are not URI
 * characters either, so all of them go; other bytes past ASCII are
 * percent-encoded as an IRI becomes a URI (RFC 3987), which keeps the
 * header ASCII. NULL with *rc set when it cannot be used.
 */
static char *
unsub_value(const char *v, const char *const *schemes, int *rc)
{
	static const char hex[] = "0123456789ABCDEF";
	char *c = malloc(strlen(v) * 3 + 1), *d = c;
	int ok = 0;

	if (c == NULL) {
		*rc = HE_NOMEM;
		return NULL;
	}
	for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
		if (*p <= 0x20 || *p == 0x7f || *p == '<' || *p == '>')
			continue;
		if (*p >= 0x80) {
			*d++ = '%';
			*d++ = hex[*p >> 4];
			*d++ = hex[*p & 15];
		} else {
			*d++ = (char)*p;
		}
	}
	*d = '\0';
	for (; *schemes; schemes++)
		if (strncasecmp(c, *schemes, strlen(*schemes)) == 0 &&
		    c[strlen(*schemes)] != '\0')
			ok = 1;
	if (!ok || d - c > UNSUB_MAX) {
		free(c);
		*rc = HE_INVALID;
		return NULL;
	}
	return c;
}

/* List-Unsubscribe with whichever of the two is set, one entry per line
 * when one line would be too long; the One-Click POST only with a URL. */
static void
put_unsubscribe(struct hdr *h, const char *url, const char *mailto)
{
	const char *v[2];
	size_t n = 0, total = strlen("List-Unsubscribe: ");

	if (url)
		v[n++] = url;
	if (mailto)
		v[n++] = mailto;
	if (n == 0)
		return;
	for (size_t i = 0; i < n; i++)
		total += strlen(v[i]) + 2 + (i ? 2 : 0);
	hputs(h, "List-Unsubscribe: ");
	for (size_t i = 0; i < n; i++) {
		if (i) {
			hputs(h, ",");
			if (total > LINE_SOFT)
				hfold(h);
			else
				hputs(h, " ");
		}
		hputs(h, "<");
		hputs(h, v[i]);
		hputs(h, ">");
	}
	hend(h);
	if (url)
		fputs("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n",
		    h->f);
}

/*
 * The body as quoted-printable (RFC 2045 6.7) with CRLF line ends. Any line
 * break (CRLF, LF or a lone CR) becomes CRLF. "=" and bytes outside
 * printable ASCII are escaped, and spaces or tabs before a line end, which
 * transports strip. A "." or "From " opening a line is escaped too: SMTP
 * dot-stuffing and mbox "From " quoting then never touch the text. A line
 * passing 76 octets gets a soft break, never inside an escape.
 *
 * Into a buffer of its own, and runs of plain characters without the
 * per-character rules: a byte at a time through stdio, this was the
 * worker's largest cost per mail after the database.
 */
static void
put_qp(FILE *f, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)s;
	char buf[1024];
	size_t col = 0, n = 0;

	while (*p) {
		int lit, eol;
		size_t tn;

		/* Room for what one pass can add: a soft break and an escape. */
		if (n > sizeof buf - 8) {
			fwrite_unlocked(buf, 1, n, f);
			n = 0;
		}
		if (*p == '\r' || *p == '\n') {
			buf[n++] = '\r';
			buf[n++] = '\n';
			col = 0;
			p += *p == '\r' && p[1] == '\n' ? 2 : 1;
			continue;
		}
		/* Most of a text: characters that go as they are, inside a
		 * line (not at its start, where "." and "From " are escaped,
		 * nor at its end), copied without the checks below. */
		while (col > 0 && col < QP_LINE - 2 && n < sizeof buf - 8 &&
		    ((*p >= 33 && *p <= 126 && *p != '=') ||
		    ((*p == ' ' || *p == '\t') && p[1] != '\0' && p[1] != '\r' &&
		    p[1] != '\n'))) {
			buf[n++] = (char)*p++;
			col++;
		}
		if (*p == '\0' || *p == '\r' || *p == '\n' || n > sizeof buf - 8)
			continue;
		eol = p[1] == '\0' || p[1] == '\r' || p[1] == '\n';
		for (;;) {
			lit = (*p >= 33 && *p <= 126 && *p != '=') ||
			    ((*p == ' ' || *p == '\t') && !eol);
			if (col == 0 && (*p == '.' ||
			    strncmp((const char *)p, "From ", 5) == 0))
				lit = 0;
			tn = lit ? 1 : 3;
			if (col + tn <= QP_LINE - 1)
				break;
			memcpy(buf + n, "=\r\n", 3);
			n += 3;
			col = 0;
		}
		if (lit) {
			buf[n++] = (char)*p;
		} else {
			buf[n++] = '=';
			buf[n++] = hex[*p >> 4];
			buf[n++] = hex[*p & 15];
		}
		col += tn;
		p++;
	}
	fwrite_unlocked(buf, 1, n, f);
}

/* A part's text ends in a line break; a soft break ends the encoding
 * without adding one. */
static int
ends_in_break(const char *s)
{
	size_t n = strlen(s);

	return n == 0 || s[n - 1] == '\n' || s[n - 1] == '\r';
}

static const char qp_part_headers[] =
    "; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n";

/* RFC 5322 dates are English whatever the locale says. */
static void
put_date(FILE *f, time_t now)
{
	static const char days[7][4] = { "Sun", "Mon", "Tue", "Wed", "Thu",
	    "Fri", "Sat" };
	static const char months[12][4] = { "Jan", "Feb", "Mar", "Apr", "May",
	    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm tm;

	gmtime_r(&now, &tm);
	fprintf(f, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n",
	    days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900,
	    tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* The right-hand side of a random Message-ID: msgid_domain or the sender's
 * domain, when it is a dot-atom; else "localhost", as the random left side
 * alone keeps the id unique and a bad setting must not stop the mail. */
static const char *
msgid_right(const struct mail_msg *m)
{
	const char *d = m->msgid_domain;

	if (d == NULL && (d = strrchr(m->from, '@')) != NULL)
		d++;
	return d && strlen(d) <= 200 && dot_atom(d, strlen(d)) ? d : "localhost";
}

/* Puts the DKIM-Signature header of *msg before it. */
static int
sign(struct hdkim_signer *d, char **msg, size_t *len)
{
	char *hdr, *both;
	size_t hlen;
	int rc;

	if ((rc = hdkim_header(d, *msg, *len, &hdr, &hlen)) != HE_OK)
		return rc;
	if ((both = malloc(hlen + *len + 1)) == NULL) {
		free(hdr);
		return HE_NOMEM;
	}
	memcpy(both, hdr, hlen);
	memcpy(both + hlen, *msg, *len + 1);
	free(hdr);
	free(*msg);
	*msg = both;
	*len += hlen;
	return HE_OK;
}

int
mail_format(const struct mail_msg *m, time_t now, char **out, size_t *len)
{
	static const char *const web[] = { "https://", "http://", NULL };
	static const char *const mailto[] = { "mailto:", NULL };
	const char *text = m->text ? m->text : "";
	char *subject = NULL, *from_name = NULL, *to_name = NULL;
	char *url = NULL, *mto = NULL;
	char boundary[2 + 32 + 1];
	unsigned char rnd[16];
	struct hdr h = { NULL, 0 };
	int rc = HE_OK;

	*out = NULL;
	*len = 0;
	if (!valid_addr(m->from) || !valid_addr(m->to) ||
	    (m->message_id && !valid_msgid(m->message_id)))
		return HE_INVALID;
	if (m->unsubscribe_url && *m->unsubscribe_url &&
	    (url = unsub_value(m->unsubscribe_url, web, &rc)) == NULL)
		return rc;
	if (m->unsubscribe_mailto && *m->unsubscribe_mailto &&
	    (mto = unsub_value(m->unsubscribe_mailto, mailto, &rc)) == NULL)
		goto done;
	if ((subject = without_crlf(m->subject ? m->subject : "")) == NULL ||
	    (from_name = without_crlf(m->from_name ? m->from_name : "")) == NULL ||
	    (to_name = without_crlf(m->to_name ? m->to_name : "")) == NULL ||
	    (h.f = open_memstream(out, len)) == NULL) {
		rc = HE_NOMEM;
		goto done;
	}

	put_date(h.f, now);
	if (m->message_id) {
		fprintf(h.f, "Message-ID: <%s>\r\n", m->message_id);
	} else {
		char id[33];

		randombytes_buf(rnd, sizeof rnd);
		sodium_bin2hex(id, sizeof id, rnd, sizeof rnd);
		fprintf(h.f, "Message-ID: <%s@%s>\r\n", id, msgid_right(m));
	}
	put_address(&h, "From", from_name, m->from);
	put_address(&h, "To", to_name, m->to);
	hputs(&h, "Subject: ");
	put_text(&h, subject);
	hend(&h);
	put_unsubscribe(&h, url, mto);
	fputs("MIME-Version: 1.0\r\n", h.f);

	if (m->html == NULL) {
		fprintf(h.f, "Content-Type: text/plain%s\r\n", qp_part_headers);
		put_qp(h.f, text);
		if (!ends_in_break(text))
			fputs("=\r\n", h.f);
	} else {
		/*
		 * "=_" opens the boundary because it can never occur in
		 * quoted-printable: there "=" is followed only by two
		 * upper-case hex digits or by the CRLF of a soft break. Every
		 * line of either part is such output, so no line can be
		 * mistaken for a delimiter, whatever the bodies hold; the
		 * random rest keeps it unique if this message is ever quoted
		 * inside another.
		 */
		randombytes_buf(rnd, sizeof rnd);
		memcpy(boundary, "=_", 2);
		sodium_bin2hex(boundary + 2, sizeof boundary - 2, rnd, sizeof rnd);
		fprintf(h.f, "Content-Type: multipart/alternative;\r\n"
		    " boundary=\"%s\"\r\n\r\n", boundary);
		fprintf(h.f, "--%s\r\nContent-Type: text/plain%s\r\n",
		    boundary, qp_part_headers);
		put_qp(h.f, text);
		fprintf(h.f, "\r\n--%s\r\nContent-Type: text/html%s\r\n",
		    boundary, qp_part_headers);
		put_qp(h.f, m->html);
		fprintf(h.f, "\r\n--%s--\r\n", boundary);
	}
	if (fclose(h.f) != 0)
		rc = HE_NOMEM;
	/* A message libopendkim cannot sign still goes (the log says why). */
	if (rc == HE_OK && m->dkim && (rc = sign(m->dkim, out, len)) == HE_INVALID)
		rc = HE_OK;
done:
	if (rc != HE_OK) {
		free(*out);
		*out = NULL;
		*len = 0;
	}
	free(subject);
	free(from_name);
	free(to_name);
	free(url);
	free(mto);
	return rc;
}

struct upload {
	const char *data;
	size_t left;
};

/*
 * Over SMTP a sender has a thread of its own that runs the dialogue with
 * the server, one message after the other, while the caller does its own
 * work (the worker: the database and the next mail's formatting) and
 * queues the next message, so that the thread goes on to it at once. On a
 * machine of two CPUs, a sender doing that work between its commands did
 * not run beside the server but in turn with it, on the same CPU, and left
 * its caches cold for it: the server then spent more per message. The
 * thread touches only its curl handle and the queue below.
 */
#define QUEUE_MAX 2

enum job_state { JOB_FREE, JOB_QUEUED, JOB_DONE };

struct job {
	enum job_state state;
	int result;
	int tried;		/* 0: not sent, as one before it failed */
	char name[64];		/* the outbox file */
	char from[ADDR_MAX + 3], to[ADDR_MAX + 3];	/* "<address>" */
	const char *msg;
	size_t len;
};

struct mail_sender {
	char *smtp_url;		/* NULL: the outbox */
	char *username;
	char *password;
	char *outbox_dir;
	char *ca_file;		/* NULL: the system's CAs */
	int starttls;
	long timeout;
	/*
	 * The messages queued, oldest (the next to finish) at head; under mu
	 * once the thread runs. halted: one failed for now (HE_TEMPFAIL), and
	 * those queued behind it until the caller has its result are not
	 * tried: the server is not taking mail, the rest waits.
	 */
	struct job q[QUEUE_MAX];
	unsigned head, count;
	int halted;
	int thread_on, quit;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	/* The thread's alone: made on first use, dropped after a failure. */
	CURL *curl;
	char err[CURL_ERROR_SIZE];
};

static void sender_stop(struct mail_sender *s);

static int
dup_opt(const char *s, char **out)
{
	*out = NULL;
	if (s == NULL || *s == '\0')
		return 1;
	return (*out = strdup(s)) != NULL;
}

int
mail_sender_new(const struct mail_transport *t, struct mail_sender **out)
{
	struct mail_sender *s;

	*out = NULL;
	if ((t->smtp_url == NULL || *t->smtp_url == '\0') &&
	    (t->outbox_dir == NULL || *t->outbox_dir == '\0'))
		return HE_INVALID;
	if ((s = calloc(1, sizeof *s)) == NULL)
		return HE_NOMEM;
	if (!dup_opt(t->smtp_url, &s->smtp_url) ||
	    !dup_opt(t->username, &s->username) ||
	    !dup_opt(t->password, &s->password) ||
	    !dup_opt(t->outbox_dir, &s->outbox_dir) ||
	    !dup_opt(t->ca_file, &s->ca_file)) {
		mail_sender_free(s);
		return HE_NOMEM;
	}
	s->starttls = t->starttls;
	s->timeout = t->timeout_seconds > 0 ? t->timeout_seconds : DEFAULT_TIMEOUT;
	*out = s;
	return HE_OK;
}

void
mail_sender_free(struct mail_sender *s)
{
	if (s == NULL)
		return;
	sender_stop(s);
	free(s->smtp_url);
	free(s->username);
	if (s->password) {
		sodium_memzero(s->password, strlen(s->password));
		free(s->password);
	}
	free(s->outbox_dir);
	free(s->ca_file);
	free(s);
}

/* A name for a file of its own in the outbox, nothing more. */
static int
valid_name(const char *name)
{
	return name && *name && *name != '.' && strchr(name, '/') == NULL;
}

static int
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The rename is only durable once the directory is synced: the caller
 * records the mail as sent as soon as this returns. */
static int
sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY), rc;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

static int
outbox_write(const char *dir, const char *name, const char *msg, size_t len)
{
	char tmp[4096], final[4096];
	int fd, n1, n2;

	if (!valid_name(name))
		return HE_INVALID;
	/* The pid keeps two processes writing the same mail off each other's
	 * temporary file; the rename decides which copy stays. */
	n1 = snprintf(tmp, sizeof tmp, "%s/.%s.%ld.tmp", dir, name, (long)getpid());
	n2 = snprintf(final, sizeof final, "%s/%s.eml", dir, name);
	if (n1 < 0 || (size_t)n1 >= sizeof tmp || n2 < 0 ||
	    (size_t)n2 >= sizeof final)
		return HE_INVALID;
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0640)) < 0) {
		log_error("outbox: cannot create %s: %s", tmp, strerror(errno));
		return HE_TEMPFAIL;
	}
	if (write_all(fd, msg, len) != 0 || fsync(fd) != 0) {
		log_error("outbox: cannot write %s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		return HE_TEMPFAIL;
	}
	if (close(fd) != 0 || rename(tmp, final) != 0 || sync_dir(dir) != 0) {
		log_error("outbox: cannot store %s: %s", final, strerror(errno));
		unlink(tmp);
		return HE_TEMPFAIL;
	}
	return HE_OK;
}

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

/* The handle and what stays the same from one message to the next; it
 * keeps the connection (and the SMTP session) between messages. */
static int
sender_curl(struct mail_sender *s)
{
	struct net_conn conn = { s->timeout, s->starttls, s->ca_file,
	    s->username, s->password, s->err };
	CURL *c;
	int ok;

	if (s->curl)
		return HE_OK;
	if ((c = curl_easy_init()) == NULL)
		return HE_NOMEM;
	ok = curl_easy_setopt(c, CURLOPT_URL, s->smtp_url) == CURLE_OK &&
	    curl_easy_setopt(c, CURLOPT_READFUNCTION, read_message) == CURLE_OK &&
	    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L) == CURLE_OK &&
	    net_conn_setopts(c, &conn) == 0;
	if (!ok) {
		curl_easy_cleanup(c);
		return HE_NOMEM;
	}
	s->curl = c;
	return HE_OK;
}

/* One message over the kept connection (in the SMTP thread). */
static int
smtp_send(struct mail_sender *s, const char *from, const char *to,
    const char *msg, size_t len)
{
	struct curl_slist *rcpt;
	struct upload u = { msg, len };
	long code = 0;
	CURLcode res;
	int rc;

	if ((rc = sender_curl(s)) != HE_OK)
		return rc;
	if ((rcpt = curl_slist_append(NULL, to)) == NULL)
		return HE_NOMEM;
	s->err[0] = '\0';
	curl_easy_setopt(s->curl, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(s->curl, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(s->curl, CURLOPT_READDATA, &u);
	curl_easy_setopt(s->curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	res = curl_easy_perform(s->curl);
	curl_easy_getinfo(s->curl, CURLINFO_RESPONSE_CODE, &code);
	/* The handle keeps the pointers; neither may dangle into the next
	 * message. */
	curl_easy_setopt(s->curl, CURLOPT_MAIL_RCPT, NULL);
	curl_easy_setopt(s->curl, CURLOPT_READDATA, NULL);
	curl_slist_free_all(rcpt);
	if (res == CURLE_OK)
		return HE_OK;
	log_warn("smtp: to %s: %s (reply %ld)", to,
	    s->err[0] ? s->err : curl_easy_strerror(res), code);
	/* Whatever state the session is in after a failure, the next message
	 * starts on a fresh connection: curl_easy_reset() would keep it. */
	curl_easy_cleanup(s->curl);
	s->curl = NULL;
	/* A refused login or STARTTLS, a server that wants either first
	 * (530 at MAIL: RFC 3207, RFC 4954) or a certificate that does not
	 * verify is the server's or our configuration's fault, not this
	 * message's: giving up on it would fail every mail queued until an
	 * admin fixes the password or the CA. */
	if (res == CURLE_LOGIN_DENIED || res == CURLE_USE_SSL_FAILED ||
	    res == CURLE_PEER_FAILED_VERIFICATION ||
	    res == CURLE_SSL_CONNECT_ERROR || res == CURLE_SSL_CACERT_BADFILE ||
	    code == 530)
		return HE_TEMPFAIL;
	return code >= 500 && code < 600 ? HE_INVALID : HE_TEMPFAIL;
}

/* Delivers one queued message (unlocked: a queued job stays as it is). */
static int
run_job(struct mail_sender *s, const struct job *j)
{
	if (s->smtp_url == NULL)
		return outbox_write(s->outbox_dir, j->name, j->msg, j->len);
	return smtp_send(s, j->from, j->to, j->msg, j->len);
}

/* Records a job's result, halting the queue behind a temporary failure. */
static void
job_done(struct mail_sender *s, struct job *j, int rc, int tried)
{
	j->result = rc;
	j->tried = tried;
	j->state = JOB_DONE;
	if (rc == HE_TEMPFAIL)
		s->halted = 1;
}

/* The oldest job still queued, or NULL. */
static struct job *
next_queued(struct mail_sender *s)
{
	for (unsigned i = 0; i < s->count; i++) {
		struct job *j = &s->q[(s->head + i) % QUEUE_MAX];

		if (j->state == JOB_QUEUED)
			return j;
	}
	return NULL;
}

/* The SMTP thread: the messages queued, in order, until told to quit. */
static void *
sender_main(void *arg)
{
	struct mail_sender *s = arg;
	struct job *j;

	pthread_mutex_lock(&s->mu);
	for (;;) {
		int rc;

		while ((j = next_queued(s)) == NULL && !s->quit)
			pthread_cond_wait(&s->cv, &s->mu);
		if (j == NULL)
			break;
		if (s->halted) {
			job_done(s, j, HE_TEMPFAIL, 0);
			pthread_cond_signal(&s->cv);
			continue;
		}
		pthread_mutex_unlock(&s->mu);
		rc = run_job(s, j);
		pthread_mutex_lock(&s->mu);
		job_done(s, j, rc, 1);
		pthread_cond_signal(&s->cv);
	}
	pthread_mutex_unlock(&s->mu);
	if (s->curl)
		curl_easy_cleanup(s->curl);	/* QUIT */
	s->curl = NULL;
	return NULL;
}

static int
sender_start_thread(struct mail_sender *s)
{
	sigset_t all, old;
	int err;

	if (s->thread_on)
		return HE_OK;
	/* curl's global state is set up here, not raced for in the thread. */
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return HE_NOMEM;
	if (pthread_mutex_init(&s->mu, NULL) != 0 ||
	    pthread_cond_init(&s->cv, NULL) != 0) {
		curl_global_cleanup();
		return HE_NOMEM;
	}
	/* Signals stay the caller's: the thread blocks them all. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&s->thread, NULL, sender_main, s);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err != 0) {
		pthread_cond_destroy(&s->cv);
		pthread_mutex_destroy(&s->mu);
		curl_global_cleanup();
		return HE_NOMEM;
	}
	s->thread_on = 1;
	return HE_OK;
}

/* Finishes what is queued, closes the connection, ends the thread. */
static void
sender_stop(struct mail_sender *s)
{
	if (!s->thread_on)
		return;
	pthread_mutex_lock(&s->mu);
	s->quit = 1;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
	pthread_join(s->thread, NULL);
	pthread_cond_destroy(&s->cv);
	pthread_mutex_destroy(&s->mu);
	curl_global_cleanup();
	s->thread_on = 0;
}

static void
lock(struct mail_sender *s)
{
	if (s->thread_on)
		pthread_mutex_lock(&s->mu);
}

static void
unlock(struct mail_sender *s)
{
	if (s->thread_on)
		pthread_mutex_unlock(&s->mu);
}

int
mail_sender_start(struct mail_sender *s, const char *name, const char *from,
    const char *to, const char *msg, size_t len)
{
	struct job *j;
	int rc = HE_OK;

	if (s->smtp_url == NULL ? !valid_name(name) :
	    !valid_addr(from) || !valid_addr(to))
		return HE_INVALID;
	if (s->smtp_url && (rc = sender_start_thread(s)) != HE_OK)
		return rc;
	lock(s);
	if (s->count == QUEUE_MAX) {
		unlock(s);
		return HE_INVALID;
	}
	j = &s->q[(s->head + s->count++) % QUEUE_MAX];
	*j = (struct job){ .state = JOB_QUEUED, .msg = msg, .len = len };
	snprintf(j->name, sizeof j->name, "%s", name ? name : "");
	snprintf(j->from, sizeof j->from, "<%s>", from ? from : "");
	snprintf(j->to, sizeof j->to, "<%s>", to ? to : "");
	if (s->thread_on) {
		pthread_cond_signal(&s->cv);
	} else if (s->halted) {
		job_done(s, j, HE_TEMPFAIL, 0);
	} else {
		/* The outbox: written here, the caller's thread waits for it. */
		job_done(s, j, outbox_write(s->outbox_dir, j->name, msg, len), 1);
	}
	unlock(s);
	return HE_OK;
}

int
mail_sender_finish(struct mail_sender *s, int *tried)
{
	struct job *j;
	int rc;

	lock(s);
	if (s->count == 0) {
		unlock(s);
		return HE_INVALID;	/* nothing queued */
	}
	j = &s->q[s->head];
	while (j->state != JOB_DONE)
		pthread_cond_wait(&s->cv, &s->mu);	/* only with the thread */
	rc = j->result;
	if (tried)
		*tried = j->tried;
	if (rc == HE_TEMPFAIL && j->tried)
		s->halted = 0;	/* the caller knows: what it queues now is tried */
	j->state = JOB_FREE;
	s->head = (s->head + 1) % QUEUE_MAX;
	s->count--;
	unlock(s);
	return rc;
}

int
mail_sender_send(struct mail_sender *s, const char *name, const char *from,
    const char *to, const char *msg, size_t len)
{
	int rc = mail_sender_start(s, name, from, to, msg, len);

	return rc == HE_OK ? mail_sender_finish(s, NULL) : rc;
}

int
mail_send(const struct mail_transport *t, const char *name, const char *from,
    const char *to, const char *msg, size_t len)
{
	struct mail_sender *s;
	int rc;

	if ((rc = mail_sender_new(t, &s)) != HE_OK)
		return rc;
	rc = mail_sender_send(s, name, from, to, msg, len);
	mail_sender_free(s);
	return rc;
}
