/* test_mail.c: message formatting, the outbox and SMTP delivery of lib/net/mail */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include <sodium.h>

#include "net/mail.h"
#include "util/he.h"
#include "mail_decode.h"

#define N(a) (sizeof (a) / sizeof *(a))

static const time_t T0 = 1700000000;	/* Tue, 14 Nov 2023 22:13:20 UTC */
#define DATE "Tue, 14 Nov 2023 22:13:20 +0000"

static int
setup(void **state)
{
	(void)state;
	return sodium_init() < 0 ? -1 : 0;
}

static char *
fmt_ok(const char *what, const struct mail_msg *m, size_t *len)
{
	char *out = (char *)0x1;
	int rc = mail_format(m, T0, &out, len);

	if (rc != HE_OK)
		fail_msg("%s: mail_format gave %d", what, rc);
	if (out == NULL || strlen(out) != *len)
		fail_msg("%s: output not a string of *len bytes", what);
	return out;
}

/* The shared reader's checks, and the Date every test formats with. */
static void
check_message(const char *what, const struct mail_msg *m,
    const struct md_want *w, const char *out, size_t len)
{
	struct md_msg msg;

	if (md_check_message(m, w, out, len) != 0)
		fail_msg("%s: %s\n%s", what, md_why, out);
	if (md_parse(out, len, &msg) != 0)
		fail_msg("%s: %s", what, md_why);
	assert_string_equal(md_get(&msg, "Date"), DATE);
	md_free(&msg);
}

static const struct mail_msg base = {
	.from = "talent@hearth.example", .from_name = "Hearth talent team",
	.to = "zoe@example.org", .to_name = "Zoe",
	.subject = "Welcome", .text = "Hello,\nwelcome.\n",
	.msgid_domain = "hearth.example",
};

/* Structure: the shapes of message there are, read back whole. */
static void
test_structure(void **state)
{
	static const struct {
		const char *name;
		const char *html;
		const char *text;
		const char *url, *mailto;
		struct md_want w;
		int folded;	/* List-Unsubscribe on two lines */
	} cases[] = {
		{ "text only", NULL, "Hello,\nwelcome.\n", NULL, NULL, { 0 }, 0 },
		{ "text and html", "<p>Hello,</p>\n<p>welcome.</p>\n",
		    "Hello,\nwelcome.\n", NULL, NULL, { 0 }, 0 },
		{ "no final line breaks", "<p>x</p>", "x", NULL, NULL, { 0 }, 0 },
		{ "empty bodies", "", "", NULL, NULL, { 0 }, 0 },
		{ "NULL text", NULL, NULL, NULL, NULL, { 0 }, 0 },
		{ "html of one long line", "<div>"
		    "0123456789012345678901234567890123456789012345678901234567890"
		    "0123456789012345678901234567890123456789012345678901234567890"
		    "0123456789012345678901234567890123456789012345678901234567890"
		    "</div>", "t\n", NULL, NULL, { 0 }, 0 },
		{ "a part that looks like a delimiter",
		    "--=_0123456789abcdef0123456789abcdef--\n",
		    "--=_\n--\n=_\n", NULL, NULL, { 0 }, 0 },
		{ "unsubscribe url", NULL, "t\n", "https://h.example/u/abc", NULL,
		    { "<https://h.example/u/abc>", 0 }, 0 },
		{ "unsubscribe mailto", NULL, "t\n", NULL,
		    "mailto:unsubscribe@h.example?subject=u", {
		    "<mailto:unsubscribe@h.example?subject=u>", 0 }, 0 },
		{ "both, one line", "<p>t</p>", "t\n", "https://h.example/u/1",
		    "mailto:u@h.example", {
		    "<https://h.example/u/1>, <mailto:u@h.example>", 0 }, 0 },
		{ "both, folded", NULL, "t\n",
		    "https://talent.hearth.example/unsubscribe?t=AAAAAGVTZ4B1bnN1YnNjcmliZQ",
		    "mailto:unsubscribe+AAAAAGVTZ4B1bnN1YnNjcmliZQ@hearth.example", {
		    "<https://talent.hearth.example/unsubscribe?t=AAAAAGVTZ4B1bnN1YnNjcmliZQ>, "
		    "<mailto:unsubscribe+AAAAAGVTZ4B1bnN1YnNjcmliZQ@hearth.example>",
		    1 }, 1 },
		{ "http is accepted for a laptop", NULL, "t\n",
		    "HTTP://127.0.0.1:8080/u", NULL,
		    { "<HTTP://127.0.0.1:8080/u>", 0 }, 0 },
		{ "empty unsubscribe values are none", NULL, "t\n", "", "", { 0 }, 0 },
		{ "an unsubscribe url past ASCII", NULL, "t\n",
		    "https://h.example/ü?n=Zoë", NULL,
		    { "<https://h.example/%C3%BC?n=Zo%C3%AB>", 0 }, 0 },
	};

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		struct mail_msg m = base;
		size_t len;
		char *out;

		m.html = cases[i].html;
		m.text = cases[i].text;
		m.unsubscribe_url = cases[i].url;
		m.unsubscribe_mailto = cases[i].mailto;
		out = fmt_ok(cases[i].name, &m, &len);
		check_message(cases[i].name, &m, &cases[i].w, out, len);
		if ((strstr(out, ">,\r\n <mailto:") != NULL) != cases[i].folded)
			fail_msg("%s: List-Unsubscribe folded wrongly:\n%s",
			    cases[i].name, out);
		free(out);
	}
}

/* The body of a one-part message, for exact comparisons. */
static char *
qp_body_of(const char *text)
{
	struct mail_msg m = base;
	struct md_msg msg;
	size_t len;
	char *out, *body;

	m.text = text;
	out = fmt_ok(text, &m, &len);
	if (md_parse(out, len, &msg) != 0)
		fail_msg("%s", md_why);
	body = strndup(msg.body, msg.body_len);
	md_free(&msg);
	free(out);
	return body;
}

#define X10 "xxxxxxxxxx"
#define X70 X10 X10 X10 X10 X10 X10 X10
#define X74 X70 "xxxx"
#define X75 X70 "xxxxx"

/* Quoted-printable, octet for octet. */
static void
test_quoted_printable(void **state)
{
	static const struct {
		const char *text, *qp;
	} cases[] = {
		{ "", "" },
		{ "plain\n", "plain\r\n" },
		{ "a=b\n", "a=3Db\r\n" },
		{ "==\n", "=3D=3D\r\n" },
		{ "trailing  \nand a tab\t\n", "trailing =20\r\nand a tab=09\r\n" },
		{ "space at the end ", "space at the end=20=\r\n" },
		{ " ", "=20=\r\n" },
		{ "inner  spaces\tstay\n", "inner  spaces\tstay\r\n" },
		{ ".\n", "=2E\r\n" },
		{ "a\n.\nb\n", "a\r\n=2E\r\nb\r\n" },
		{ "..x\n", "=2E.x\r\n" },
		{ "x.\n", "x.\r\n" },
		{ "From me\n", "=46rom me\r\n" },
		{ "From\n", "From\r\n" },
		{ "Zoë 王\n", "Zo=C3=AB =E7=8E=8B\r\n" },
		{ "emoji 🎉\n", "emoji =F0=9F=8E=89\r\n" },
		{ "crlf\r\nlf\ncr\rend", "crlf\r\nlf\r\ncr\r\nend=\r\n" },
		{ "\n\n", "\r\n\r\n" },
		{ "ctl\x01\x7f\n", "ctl=01=7F\r\n" },
		{ "no break", "no break=\r\n" },
		{ X75 "\n", X75 "\r\n" },
		{ X75 "y\n", X75 "=\r\ny\r\n" },
		{ X75 X75 "y\n", X75 "=\r\n" X75 "=\r\ny\r\n" },
		{ X74 "=\n", X74 "=\r\n=3D\r\n" },
		{ X74 "é", X74 "=\r\n=C3=A9=\r\n" },
		{ X75 ".x\n", X75 "=\r\n=2Ex\r\n" },
		{ X75 "From x\n", X75 "=\r\n=46rom x\r\n" },
		{ X74 " \n", X74 "=\r\n=20\r\n" },
		{ X74 " y\n", X74 " =\r\ny\r\n" },
	};

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		char *body = qp_body_of(cases[i].text);

		if (strcmp(body, cases[i].qp) != 0)
			fail_msg("case %zu: [%s] encodes to\n[%s]\nwant\n[%s]", i,
			    cases[i].text, body, cases[i].qp);
		free(body);
	}
}

/* A string of n copies of s; static storage, one at a time per slot. */
static const char *
rep(int slot, const char *s, size_t n)
{
	static char buf[4][2048];

	buf[slot][0] = '\0';
	for (size_t i = 0; i < n && strlen(buf[slot]) + strlen(s) <
	    sizeof buf[slot]; i++)
		strcat(buf[slot], s);
	return buf[slot];
}

/* The Subject line as written, folds included. */
static char *
subject_lines(const char *out)
{
	const char *s = strstr(out, "\r\nSubject: ") + 2, *e = s;

	while ((e = strstr(e, "\r\n")) != NULL && e[2] == ' ')
		e += 2;
	return strndup(s, (size_t)(e - s));
}

/* Subjects and display names: RFC 2047 where needed, folded, whole
 * characters in every word, decoded back to what was given. */
static void
test_header_text(void **state)
{
	static const struct {
		const char *subject;
		int plain;	/* 1: as it is, 0: encoded words */
	} subjects[] = {
		{ "Welcome to Hearth", 1 },
		{ "", 1 },
		{ "A = sign and a question? Fine", 1 },
		{ "Looks like =?UTF-8?B?Zm9v?= a word", 0 },
		{ "Zoë Ångström, bienvenue à Hearth", 0 },
		{ "two  spaces", 0 },
		{ " leading space", 0 },
		{ "tab\there", 0 },
	};
	const char *long_subjects[] = {
		rep(0, "王", 60),
		rep(1, "שלום עולם ", 12),
		rep(2, "مرحبا بالعالم ", 10),
		rep(3, "🎉", 40),
	};

	(void)state;
	for (size_t i = 0; i < N(subjects); i++) {
		struct mail_msg m = base;
		struct md_want w = { 0 };
		size_t len;
		char *out, *line, want[256];

		m.subject = subjects[i].subject;
		out = fmt_ok(m.subject, &m, &len);
		check_message(m.subject, &m, &w, out, len);
		line = subject_lines(out);
		snprintf(want, sizeof want, "Subject: %s", m.subject);
		if (subjects[i].plain ? strcmp(line, want) != 0 :
		    strncmp(line, "Subject: =?UTF-8?B?", 19) != 0)
			fail_msg("[%s] written as [%s]", m.subject, line);
		free(line);
		free(out);
	}
	for (size_t i = 0; i < N(long_subjects); i++) {
		struct mail_msg m = base;
		struct md_want w = { 0 };
		size_t len;
		char *out, *line;

		m.subject = long_subjects[i];
		out = fmt_ok(m.subject, &m, &len);
		check_message(m.subject, &m, &w, out, len);
		line = subject_lines(out);
		if (strstr(line, "\r\n ") == NULL)
			fail_msg("[%s] not folded: [%s]", m.subject, line);
		free(line);
		free(out);
	}
	/* Every offset of a multi-byte character against a word's end. */
	for (size_t lead = 0; lead < 50; lead++) {
		static const char *const chars[] = { "é", "王", "🎉", "ש" };

		for (size_t c = 0; c < N(chars); c++) {
			char subject[512];
			struct mail_msg m = base;
			struct md_want w = { 0 };
			size_t len;
			char *out;

			snprintf(subject, sizeof subject, "%s%s", rep(0, "a", lead),
			    rep(1, chars[c], 30));
			m.subject = subject;
			m.from_name = subject;
			m.to_name = subject + lead / 2;
			out = fmt_ok(subject, &m, &len);
			check_message(subject, &m, &w, out, len);
			free(out);
		}
	}
	/* Long plain ASCII folds at its spaces and stays plain. */
	{
		struct mail_msg m = base;
		struct md_want w = { 0 };
		size_t len;
		char *out, *line;

		m.subject = "Three roles that fit what you told us: senior backend "
		    "engineer in Lisbon, staff engineer in Berlin, and engineering "
		    "manager, remote";
		out = fmt_ok("long ascii", &m, &len);
		check_message("long ascii", &m, &w, out, len);
		line = subject_lines(out);
		if (strstr(line, "\r\n ") == NULL || strstr(line, "=?") != NULL)
			fail_msg("long ascii written as [%s]", line);
		free(line);
		free(out);
		/* One word too long to fold: encoded words instead. */
		m.subject = rep(0, "abcdefghij", 20);
		out = fmt_ok("long word", &m, &len);
		check_message("long word", &m, &w, out, len);
		free(out);
	}
	/* Display names: quoted when plain, else encoded. */
	{
		static const struct {
			const char *name, *from_line;
		} names[] = {
			{ "Hearth talent team", "From: \"Hearth talent team\" <talent@hearth.example>" },
			{ "", "From: <talent@hearth.example>" },
			{ NULL, "From: <talent@hearth.example>" },
			{ "Zoë", "From: =?UTF-8?B?Wm/Dqw==?= <talent@hearth.example>" },
			{ "Say \"hi\"", "From: =?UTF-8?B?U2F5ICJoaSI=?= <talent@hearth.example>" },
			{ "back\\slash", "From: =?UTF-8?B?YmFja1xzbGFzaA==?= <talent@hearth.example>" },
			{ "O'Brien, Ann (HR)", "From: \"O'Brien, Ann (HR)\" <talent@hearth.example>" },
		};

		for (size_t i = 0; i < N(names); i++) {
			struct mail_msg m = base;
			struct md_want w = { 0 };
			size_t len;
			char *out, *from;

			m.from_name = names[i].name;
			out = fmt_ok("name", &m, &len);
			check_message("name", &m, &w, out, len);
			from = strstr(out, "\r\nFrom: ") + 2;
			if (strncmp(from, names[i].from_line,
			    strlen(names[i].from_line)) != 0 ||
			    strncmp(from + strlen(names[i].from_line), "\r\n", 2) != 0)
				fail_msg("name [%s] written as [%.*s]", names[i].name,
				    (int)strcspn(from, "\r"), from);
			free(out);
		}
		/* A long name and a long address: folded before "<". */
		{
			struct mail_msg m = base;
			struct md_want w = { 0 };
			size_t len;
			char *out;

			m.to_name = rep(0, "Name ", 30);
			m.to = "a.very.long.local.part.for.a.person@subdomain.of.a.long.example.org";
			out = fmt_ok("long name", &m, &len);
			check_message("long name", &m, &w, out, len);
			free(out);
		}
	}
}

/* CR and LF in any field never start a header of their own. */
static void
test_injection(void **state)
{
	static const char *const evil[] = {
		"Hi\r\nBcc: evil@example.net",
		"Hi\nBcc: evil@example.net",
		"Hi\rBcc: evil@example.net",
		"Hi\r\n\r\nbody from the subject",
		"Zoë\r\nBcc: evil@example.net",
		"\r\n",
		"Hi\r\n Bcc: folded@example.net",
	};

	(void)state;
	for (size_t i = 0; i < N(evil); i++) {
		struct mail_msg m = base;
		struct md_want w = { 0 };
		size_t len;
		char *out;

		m.subject = m.from_name = m.to_name = evil[i];
		out = fmt_ok(evil[i], &m, &len);
		check_message(evil[i], &m, &w, out, len);
		free(out);
	}
	/* Unsubscribe values: CR, LF, "<", ">" (and spaces) dropped. */
	{
		static const struct {
			const char *url, *want;
		} urls[] = {
			{ "https://h.example/u?t=1\r\nBcc: evil@example.net",
			    "<https://h.example/u?t=1Bcc:evil@example.net>" },
			{ "https://h.example/u>, <https://evil.example/",
			    "<https://h.example/u,https://evil.example/>" },
			{ "https://h.example/u\n\nbody",
			    "<https://h.example/ubody>" },
		};

		for (size_t i = 0; i < N(urls); i++) {
			struct mail_msg m = base;
			struct md_want w = { urls[i].want, 0 };
			size_t len;
			char *out;

			m.unsubscribe_url = urls[i].url;
			out = fmt_ok(urls[i].url, &m, &len);
			check_message(urls[i].url, &m, &w, out, len);
			free(out);
		}
	}
}

/* What mail_format refuses, leaving *out NULL. */
static void
test_invalid(void **state)
{
	char long_addr[300], long_url[1000];
	struct {
		const char *name;
		struct mail_msg m;
	} cases[] = {
		{ "no from", base },
		{ "no to", base },
		{ "empty to", base },
		{ "CRLF in to", base },
		{ "space in to", base },
		{ "bracket in from", base },
		{ "to of 255", base },
		{ "message id without @", base },
		{ "message id with brackets", base },
		{ "message id with a space", base },
		{ "message id with CRLF", base },
		{ "message id with a leading dot", base },
		{ "message id with two dots", base },
		{ "message id empty left", base },
		{ "message id empty right", base },
		{ "url of another scheme", base },
		{ "javascript url", base },
		{ "scheme alone", base },
		{ "mailto without mailto:", base },
		{ "url past 900", base },
	};
	size_t k = 0;

	(void)state;
	memset(long_addr, 'a', sizeof long_addr);
	memcpy(long_addr + 255 - 12, "@example.org", 13);	/* 255 octets */
	memset(long_url, 'u', sizeof long_url);
	memcpy(long_url, "https://h.example/", 18);
	long_url[901] = '\0';
	cases[k++].m.from = NULL;
	cases[k++].m.to = NULL;
	cases[k++].m.to = "";
	cases[k++].m.to = "zoe@example.org\r\nBcc: evil@example.net";
	cases[k++].m.to = "zoe @example.org";
	cases[k++].m.from = "talent@hearth.example>";
	cases[k++].m.to = long_addr;
	cases[k++].m.message_id = "no-at";
	cases[k++].m.message_id = "<x@hearth.example>";
	cases[k++].m.message_id = "x y@hearth.example";
	cases[k++].m.message_id = "x@hearth.example\r\nBcc: evil@example.net";
	cases[k++].m.message_id = ".x@hearth.example";
	cases[k++].m.message_id = "x..y@hearth.example";
	cases[k++].m.message_id = "@hearth.example";
	cases[k++].m.message_id = "x@";
	cases[k++].m.unsubscribe_url = "ftp://h.example/u";
	cases[k++].m.unsubscribe_url = "javascript:alert(1)";
	cases[k++].m.unsubscribe_url = "https://";
	cases[k++].m.unsubscribe_mailto = "u@h.example";
	cases[k++].m.unsubscribe_url = long_url;
	assert_int_equal(k, N(cases));
	for (size_t i = 0; i < N(cases); i++) {
		char *out = (char *)0x1;
		size_t len = 7;
		int rc = mail_format(&cases[i].m, T0, &out, &len);

		if (rc != HE_INVALID || out != NULL || len != 0)
			fail_msg("%s: gave %d", cases[i].name, rc);
	}
	/* The limits themselves are fine. */
	{
		struct mail_msg m = base;
		struct md_want w = { "", 1 };
		char want[1024];
		size_t len;
		char *out;

		long_url[900] = '\0';
		long_addr[254 - 12] = '\0';
		strcat(long_addr, "@example.org");
		m.to = long_addr;
		m.unsubscribe_url = long_url;
		snprintf(want, sizeof want, "<%s>", long_url);
		w.unsub = want;
		out = fmt_ok("limits", &m, &len);
		check_message("limits", &m, &w, out, len);
		free(out);
	}
}

static void
test_message_id(void **state)
{
	struct mail_msg m = base;
	struct md_want w = { 0 };
	char *a, *b, *ida, *idb;
	size_t len;

	(void)state;
	/* The caller's id, as it is: a retry carries the same one. */
	m.message_id = "mail.42.1700000000@hearth.example";
	a = fmt_ok("given", &m, &len);
	check_message("given", &m, &w, a, len);
	b = fmt_ok("given again", &m, &len);
	assert_non_null(strstr(a, "\r\nMessage-ID: <mail.42.1700000000@hearth.example>\r\n"));
	assert_non_null(strstr(b, "\r\nMessage-ID: <mail.42.1700000000@hearth.example>\r\n"));
	free(a);
	free(b);

	/* Random ones differ every time. */
	m.message_id = NULL;
	a = fmt_ok("random", &m, &len);
	check_message("random", &m, &w, a, len);
	b = fmt_ok("random", &m, &len);
	ida = strstr(a, "Message-ID: ");
	idb = strstr(b, "Message-ID: ");
	assert_memory_not_equal(ida, idb, 12 + 34);
	assert_non_null(strstr(a, "@hearth.example>\r\n"));
	free(a);
	free(b);

	/* Without a domain, the sender's; with a bad one, localhost. */
	m.msgid_domain = NULL;
	m.from = "talent@jobs.example.com";
	a = fmt_ok("from domain", &m, &len);
	assert_non_null(strstr(a, "@jobs.example.com>\r\nFrom: "));
	free(a);
	m.msgid_domain = "bad domain\r\nBcc: x@y";
	a = fmt_ok("bad domain", &m, &len);
	assert_non_null(strstr(a, "@localhost>\r\nFrom: "));
	check_message("bad domain", &m, &w, a, len);
	free(a);
}

/* xorshift64*: the same "random" texts on every run, so a failure can be
 * replayed. */
static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint32_t
next(uint32_t n)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (uint32_t)((rng * 0x2545f4914f6cdd1dULL) >> 33) % n;
}

static char *
random_text(size_t max_pieces)
{
	static const char *const pieces[] = {
		"a", "Z", "word ", " ", "  ", "\t", ".", "..", "=", "=20", "?",
		"=?", "_", "-", "--", "=_", "From ", "\r", "\n", "\r\n", "\n.\n",
		"é", "ß", "王", "語", "ש", "ب", "🎉", "\xe2\x80\x8f", "<", ">",
		"\"", "\\", "https://h.example/x?y=z",
		"0123456789abcdefghijklmnopqrstuvwxyz0123456789",
	};
	size_t n = next((uint32_t)max_pieces + 1), cap = n * 48 + 1;
	char *s = malloc(cap);

	if (s == NULL)
		abort();
	s[0] = '\0';
	for (size_t i = 0; i < n; i++)
		strcat(s, pieces[next(N(pieces))]);
	return s;
}

/* Random UTF-8 in every field, decoded back whole. */
static void
test_round_trip(void **state)
{
	(void)state;
	for (int i = 0; i < 400; i++) {
		struct mail_msg m = base;
		struct md_want w = { 0 };
		char *subject = random_text(40), *fname = random_text(10);
		char *tname = random_text(10), *text = random_text(300);
		char *html = next(2) ? random_text(300) : NULL, *out, what[32];
		size_t len;

		m.subject = subject;
		m.from_name = fname;
		m.to_name = tname;
		m.text = text;
		m.html = html;
		snprintf(what, sizeof what, "round trip %d", i);
		out = fmt_ok(what, &m, &len);
		check_message(what, &m, &w, out, len);
		free(out);
		free(subject);
		free(fname);
		free(tname);
		free(text);
		free(html);
	}
}

/* ---- delivery ---- */

struct tmpdir {
	char path[64];
};

static void
tmpdir_make(struct tmpdir *d)
{
	snprintf(d->path, sizeof d->path, "/tmp/hearth-test-mail.XXXXXX");
	assert_non_null(mkdtemp(d->path));
}

static void
tmpdir_remove(struct tmpdir *d)
{
	DIR *dir = opendir(d->path);
	struct dirent *e;
	char p[512];

	if (dir == NULL)
		return;
	while ((e = readdir(dir)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof p, "%s/%s", d->path, e->d_name);
		unlink(p);
	}
	closedir(dir);
	rmdir(d->path);
}

static size_t
count_files(const char *path)
{
	DIR *dir = opendir(path);
	struct dirent *e;
	size_t n = 0;

	assert_non_null(dir);
	while ((e = readdir(dir)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(dir);
	return n;
}

static char *
read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n)
		abort();
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* The outbox: exactly the bytes, one file per name, nothing left over. */
static void
test_outbox(void **state)
{
	struct tmpdir d;
	struct mail_transport t = { 0 };
	struct mail_sender *s;
	struct mail_msg m = base;
	char path[128], *msg, *got;
	size_t len, glen;

	(void)state;
	tmpdir_make(&d);
	t.outbox_dir = d.path;
	t.smtp_url = "";	/* empty means the outbox, as NULL does */
	assert_int_equal(mail_sender_new(&t, &s), HE_OK);
	m.html = "<p>Hello</p>\n";
	msg = fmt_ok("outbox", &m, &len);
	assert_int_equal(mail_sender_send(s, "42", m.from, m.to, msg, len), HE_OK);
	snprintf(path, sizeof path, "%s/42.eml", d.path);
	got = read_file(path, &glen);
	assert_non_null(got);
	assert_int_equal(glen, len);
	assert_memory_equal(got, msg, len);
	free(got);
	/* The same name again replaces it. */
	assert_int_equal(mail_sender_send(s, "42", m.from, m.to, "x\r\n", 3), HE_OK);
	got = read_file(path, &glen);
	assert_int_equal(glen, 3);
	free(got);
	assert_int_equal(mail_sender_send(s, "43", m.from, m.to, msg, len), HE_OK);
	assert_int_equal(count_files(d.path), 2);
	/* Names that would leave the directory or hide a file. */
	{
		static const char *const bad[] = { "", ".hidden", "../x", "a/b",
		    ".." };

		for (size_t i = 0; i < N(bad); i++)
			assert_int_equal(mail_sender_send(s, bad[i], m.from, m.to,
			    msg, len), HE_INVALID);
		assert_int_equal(mail_sender_send(s, NULL, m.from, m.to, msg,
		    len), HE_INVALID);
	}
	assert_int_equal(count_files(d.path), 2);
	mail_sender_free(s);

	/* The one-shot form. */
	assert_int_equal(mail_send(&t, "44", m.from, m.to, msg, len), HE_OK);
	assert_int_equal(count_files(d.path), 3);

	/* A directory that is not there: try again later. */
	t.outbox_dir = "/nonexistent/hearth-outbox";
	assert_int_equal(mail_sender_new(&t, &s), HE_OK);
	assert_int_equal(mail_sender_send(s, "1", m.from, m.to, msg, len),
	    HE_TEMPFAIL);
	mail_sender_free(s);

	/* Neither SMTP nor a directory. */
	t.outbox_dir = NULL;
	s = (struct mail_sender *)0x1;
	assert_int_equal(mail_sender_new(&t, &s), HE_INVALID);
	assert_null(s);
	mail_sender_free(NULL);
	free(msg);
	tmpdir_remove(&d);
}

/* A listening socket on a free loopback port; the caller closes it. */
static int
listen_any(int *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
	    .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t al = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(listen(fd, 8), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &al), 0);
	*port = ntohs(a.sin_port);
	return fd;
}

/* Nobody listening: a refused connection is a temporary failure. */
static void
test_smtp_refused(void **state)
{
	struct mail_transport t = { .timeout_seconds = 5 };
	struct mail_sender *s;
	char url[64];
	int port, fd = listen_any(&port);

	(void)state;
	close(fd);	/* the port is now closed */
	snprintf(url, sizeof url, "smtp://127.0.0.1:%d", port);
	t.smtp_url = url;
	assert_int_equal(mail_sender_new(&t, &s), HE_OK);
	assert_int_equal(mail_sender_send(s, "1", "a@h.example", "b@h.example",
	    "Subject: x\r\n\r\nx\r\n", 17), HE_TEMPFAIL);
	/* And again: the sender recovers its handle. */
	assert_int_equal(mail_sender_send(s, "1", "a@h.example", "b@h.example",
	    "Subject: x\r\n\r\nx\r\n", 17), HE_TEMPFAIL);
	mail_sender_free(s);
	assert_int_equal(mail_send(&t, "1", "a@h.example", "b@h.example",
	    "Subject: x\r\n\r\nx\r\n", 17), HE_TEMPFAIL);
}

/*
 * A scripted SMTP server in a child process, serving one connection at a
 * time as a real one would. It writes the number of connections so far to
 * DIR/connections before greeting, and each message (dot-unstuffed) to
 * DIR/msg.N before accepting it, so when mail_sender_send returns both are
 * there. Recipients decide the answers: reject550@ -> 550, reject450@ ->
 * 450; any AUTH -> 535; the sender needauth@ -> 530 (authentication
 * required first).
 */
struct fake_smtp {
	pid_t pid;
	int port;
	struct tmpdir dir;
};

static void
put_reply(int fd, const char *s)
{
	if (write(fd, s, strlen(s)) < 0)
		_exit(3);
}

static void
fake_serve(int lfd, const char *dir)
{
	int conns = 0, msgs = 0;

	alarm(60);	/* never outlive a stuck test */
	for (;;) {
		int cfd = accept(lfd, NULL, NULL);
		char path[256], *line = NULL;
		size_t cap = 0;
		FILE *in, *f;

		if (cfd < 0)
			_exit(2);
		snprintf(path, sizeof path, "%s/connections", dir);
		if ((f = fopen(path, "w")) == NULL)
			_exit(2);
		fprintf(f, "%d\n", ++conns);
		fclose(f);
		if ((in = fdopen(dup(cfd), "r")) == NULL)
			_exit(2);
		put_reply(cfd, "220 fake ESMTP\r\n");
		while (getline(&line, &cap, in) > 0) {
			if (strncasecmp(line, "EHLO", 4) == 0) {
				put_reply(cfd, "250-fake\r\n250-AUTH PLAIN\r\n"
				    "250 SIZE 10000000\r\n");
			} else if (strncasecmp(line, "AUTH", 4) == 0) {
				put_reply(cfd, "535 5.7.8 bad credentials\r\n");
			} else if (strncasecmp(line, "MAIL", 4) == 0) {
				put_reply(cfd, strstr(line, "needauth@") ?
				    "530 5.7.0 Authentication required\r\n" :
				    "250 ok\r\n");
			} else if (strncasecmp(line, "RCPT", 4) == 0) {
				put_reply(cfd, strstr(line, "reject550@") ?
				    "550 5.1.1 no such user\r\n" :
				    strstr(line, "reject450@") ?
				    "450 4.2.1 try later\r\n" : "250 ok\r\n");
			} else if (strncasecmp(line, "DATA", 4) == 0) {
				put_reply(cfd, "354 go on\r\n");
				snprintf(path, sizeof path, "%s/msg.%d", dir, ++msgs);
				if ((f = fopen(path, "wb")) == NULL)
					_exit(2);
				while (getline(&line, &cap, in) > 0 &&
				    strcmp(line, ".\r\n") != 0)
					fputs(line[0] == '.' ? line + 1 : line, f);
				fclose(f);
				put_reply(cfd, "250 queued\r\n");
			} else if (strncasecmp(line, "QUIT", 4) == 0) {
				put_reply(cfd, "221 bye\r\n");
				break;
			} else if (strncasecmp(line, "RSET", 4) == 0 ||
			    strncasecmp(line, "NOOP", 4) == 0) {
				put_reply(cfd, "250 ok\r\n");
			} else {
				put_reply(cfd, "502 what\r\n");
			}
		}
		free(line);
		fclose(in);
		close(cfd);
	}
}

static int
fake_start(void **state)
{
	struct fake_smtp *fk = calloc(1, sizeof *fk);
	int lfd;

	if (fk == NULL)
		return -1;
	tmpdir_make(&fk->dir);
	lfd = listen_any(&fk->port);
	if ((fk->pid = fork()) < 0)
		return -1;
	if (fk->pid == 0)
		fake_serve(lfd, fk->dir.path);
	close(lfd);
	*state = fk;
	return 0;
}

static int
fake_stop(void **state)
{
	struct fake_smtp *fk = *state;

	kill(fk->pid, SIGTERM);
	waitpid(fk->pid, NULL, 0);
	tmpdir_remove(&fk->dir);
	free(fk);
	return 0;
}

static int
fake_connections(struct fake_smtp *fk)
{
	char path[256], *s;
	size_t len;
	int n;

	snprintf(path, sizeof path, "%s/connections", fk->dir.path);
	if ((s = read_file(path, &len)) == NULL)
		return 0;
	n = atoi(s);
	free(s);
	return n;
}

static void
fake_transport(struct fake_smtp *fk, struct mail_transport *t, char *url,
    size_t n)
{
	snprintf(url, n, "smtp://127.0.0.1:%d", fk->port);
	*t = (struct mail_transport){ .smtp_url = url, .timeout_seconds = 10 };
}

/* A batch shares one connection, and the server gets the exact bytes,
 * "." lines included. */
static void
test_smtp_batch(void **state)
{
	struct fake_smtp *fk = *state;
	struct mail_transport t;
	struct mail_sender *s;
	char url[64];

	fake_transport(fk, &t, url, sizeof url);
	assert_int_equal(mail_sender_new(&t, &s), HE_OK);
	assert_int_equal(fake_connections(fk), 0);	/* nothing before a send */
	for (int i = 1; i <= 5; i++) {
		struct mail_msg m = base;
		char text[64], name[16], path[256], *msg, *got;
		size_t len, glen;

		snprintf(text, sizeof text, "Message %d.\n.\n..\nend\n", i);
		m.text = text;
		m.html = i % 2 ? "<p>.</p>\n.\n" : NULL;
		msg = fmt_ok("batch", &m, &len);
		snprintf(name, sizeof name, "%d", i);
		assert_int_equal(mail_sender_send(s, name, m.from, m.to, msg, len),
		    HE_OK);
		snprintf(path, sizeof path, "%s/msg.%d", fk->dir.path, i);
		got = read_file(path, &glen);
		assert_non_null(got);
		assert_int_equal(glen, len);
		assert_memory_equal(got, msg, len);
		free(got);
		free(msg);
	}
	/* Raw "." lines (not from mail_format) survive dot-stuffing too. */
	{
		static const char raw[] = "Subject: dots\r\n\r\n.\r\n..\r\n.x\r\n";
		char path[256], *got;
		size_t glen;

		assert_int_equal(mail_sender_send(s, "6", "a@h.example",
		    "b@h.example", raw, sizeof raw - 1), HE_OK);
		snprintf(path, sizeof path, "%s/msg.6", fk->dir.path);
		got = read_file(path, &glen);
		assert_non_null(got);
		assert_int_equal(glen, sizeof raw - 1);
		assert_memory_equal(got, raw, sizeof raw - 1);
		free(got);
	}
	assert_int_equal(fake_connections(fk), 1);
	mail_sender_free(s);
}

/* 5xx gives up, 4xx and a refused or missing login retry; after each
 * failure the next message comes on a new connection. Bad envelopes never
 * reach the wire. */
static void
test_smtp_failures(void **state)
{
	struct fake_smtp *fk = *state;
	struct mail_transport t;
	struct mail_sender *s;
	static const char msg[] = "Subject: x\r\n\r\nx\r\n";
	const size_t len = sizeof msg - 1;
	char url[64];

	fake_transport(fk, &t, url, sizeof url);
	assert_int_equal(mail_sender_new(&t, &s), HE_OK);
	assert_int_equal(mail_sender_send(s, "1", "a@h.example", "b@h.example",
	    msg, len), HE_OK);
	assert_int_equal(fake_connections(fk), 1);
	assert_int_equal(mail_sender_send(s, "2", "a@h.example",
	    "reject550@h.example", msg, len), HE_INVALID);
	assert_int_equal(mail_sender_send(s, "3", "a@h.example", "b@h.example",
	    msg, len), HE_OK);
	assert_int_equal(fake_connections(fk), 2);
	assert_int_equal(mail_sender_send(s, "4", "a@h.example",
	    "reject450@h.example", msg, len), HE_TEMPFAIL);
	assert_int_equal(mail_sender_send(s, "5", "a@h.example", "b@h.example",
	    msg, len), HE_OK);
	assert_int_equal(mail_sender_send(s, "6", "a@h.example", "c@h.example",
	    msg, len), HE_OK);
	assert_int_equal(fake_connections(fk), 3);

	/* Addresses that would write SMTP commands of their own. */
	{
		static const char *const bad[] = {
			"b@h.example>\r\nRCPT TO:<evil@example.net",
			"b@h.example\r\nDATA", "b@h.example\n", "b @h.example",
			"", "<b@h.example>",
		};

		for (size_t i = 0; i < N(bad); i++) {
			assert_int_equal(mail_sender_send(s, "7", "a@h.example",
			    bad[i], msg, len), HE_INVALID);
			assert_int_equal(mail_sender_send(s, "7", bad[i],
			    "b@h.example", msg, len), HE_INVALID);
		}
		assert_int_equal(mail_sender_send(s, "7", NULL, "b@h.example",
		    msg, len), HE_INVALID);
	}
	assert_int_equal(fake_connections(fk), 3);
	mail_sender_free(s);

	/* Refused credentials: ours to fix, the message is not at fault. */
	t.username = "hearth";
	t.password = "wrong";
	assert_int_equal(mail_sender_new(&t, &s), HE_OK);
	assert_int_equal(mail_sender_send(s, "8", "a@h.example", "b@h.example",
	    msg, len), HE_TEMPFAIL);
	mail_sender_free(s);
	assert_int_equal(fake_connections(fk), 4);

	/* A server that wants a login (or STARTTLS) we did not give: the
	 * configuration is at fault, 5xx or not. */
	t.username = t.password = NULL;
	assert_int_equal(mail_sender_new(&t, &s), HE_OK);
	assert_int_equal(mail_sender_send(s, "9", "needauth@h.example",
	    "b@h.example", msg, len), HE_TEMPFAIL);
	mail_sender_free(s);
	assert_int_equal(fake_connections(fk), 5);
}

/* Two messages queued: both go, in order, on one connection. Behind a
 * temporary failure the one queued is not tried (the server is not taking
 * mail), and once the caller has that result the next one is. */
static void
test_smtp_queue(void **state)
{
	struct fake_smtp *fk = *state;
	struct mail_transport t;
	struct mail_sender *s;
	static const char m1[] = "Subject: one\r\n\r\n1\r\n";
	static const char m2[] = "Subject: two\r\n\r\n2\r\n";
	char url[64], path[256], *got;
	size_t glen;
	int tried;

	fake_transport(fk, &t, url, sizeof url);
	assert_int_equal(mail_sender_new(&t, &s), HE_OK);
	assert_int_equal(mail_sender_finish(s, &tried), HE_INVALID);
	assert_int_equal(mail_sender_start(s, "1", "a@h.example", "b@h.example",
	    m1, sizeof m1 - 1), HE_OK);
	assert_int_equal(mail_sender_start(s, "2", "a@h.example", "c@h.example",
	    m2, sizeof m2 - 1), HE_OK);
	assert_int_equal(mail_sender_start(s, "3", "a@h.example", "c@h.example",
	    m2, sizeof m2 - 1), HE_INVALID);	/* two queued already */
	assert_int_equal(mail_sender_finish(s, &tried), HE_OK);
	assert_int_equal(tried, 1);
	assert_int_equal(mail_sender_finish(s, &tried), HE_OK);
	assert_int_equal(tried, 1);
	for (int i = 1; i <= 2; i++) {
		snprintf(path, sizeof path, "%s/msg.%d", fk->dir.path, i);
		assert_non_null(got = read_file(path, &glen));
		assert_memory_equal(got, i == 1 ? m1 : m2, glen);
		free(got);
	}
	assert_int_equal(fake_connections(fk), 1);

	assert_int_equal(mail_sender_start(s, "4", "a@h.example",
	    "reject450@h.example", m1, sizeof m1 - 1), HE_OK);
	assert_int_equal(mail_sender_start(s, "5", "a@h.example", "b@h.example",
	    m2, sizeof m2 - 1), HE_OK);
	assert_int_equal(mail_sender_finish(s, &tried), HE_TEMPFAIL);
	assert_int_equal(tried, 1);
	assert_int_equal(mail_sender_finish(s, &tried), HE_TEMPFAIL);
	assert_int_equal(tried, 0);
	assert_int_equal(mail_sender_send(s, "6", "a@h.example", "b@h.example",
	    m2, sizeof m2 - 1), HE_OK);
	snprintf(path, sizeof path, "%s/msg.4", fk->dir.path);
	assert_null(read_file(path, &glen));	/* 4 refused, 5 never sent */
	snprintf(path, sizeof path, "%s/msg.3", fk->dir.path);
	assert_non_null(got = read_file(path, &glen));	/* 6, the third */
	assert_memory_equal(got, m2, glen);
	free(got);
	assert_int_equal(fake_connections(fk), 2);
	mail_sender_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_structure),
		cmocka_unit_test(test_quoted_printable),
		cmocka_unit_test(test_header_text),
		cmocka_unit_test(test_injection),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_message_id),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_outbox),
		cmocka_unit_test(test_smtp_refused),
		cmocka_unit_test_setup_teardown(test_smtp_batch, fake_start,
		    fake_stop),
		cmocka_unit_test_setup_teardown(test_smtp_failures, fake_start,
		    fake_stop),
		cmocka_unit_test_setup_teardown(test_smtp_queue, fake_start,
		    fake_stop),
	};

	return cmocka_run_group_tests_name("mail", tests, setup, NULL);
}
