/* test_dsn.c: bounces and replies as mail systems and mail clients write them */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util/dsn.h"
#include "util/he.h"
#include "util/text.h"

#define N(a) (sizeof (a) / sizeof *(a))

/* Postfix's DSN for an unknown user (RFC 3464, as Postfix 3.7 writes it). */
static const char postfix_dsn[] =
"Return-Path: <>\n"
"Received: by mx.hearth.example (Postfix)\n"
"\tid 8F2A31C0B7; Mon,  3 Nov 2025 10:00:01 +0000 (UTC)\n"
"Date: Mon,  3 Nov 2025 10:00:01 +0000 (UTC)\n"
"From: MAILER-DAEMON@mx.hearth.example (Mail Delivery System)\n"
"Subject: Undelivered Mail Returned to Sender\n"
"To: talent@hearth.example\n"
"Auto-Submitted: auto-replied\n"
"MIME-Version: 1.0\n"
"Content-Type: multipart/report; report-type=delivery-status;\n"
"\tboundary=\"8F2A31C0B7.1762164001/mx.hearth.example\"\n"
"Content-Transfer-Encoding: 8bit\n"
"Message-Id: <20251103100001.A1B2C3@mx.hearth.example>\n"
"\n"
"This is a MIME-encapsulated message.\n"
"\n"
"--8F2A31C0B7.1762164001/mx.hearth.example\n"
"Content-Description: Notification\n"
"Content-Type: text/plain; charset=us-ascii\n"
"\n"
"This is the mail system at host mx.hearth.example.\n"
"\n"
"I'm sorry to have to inform you that your message could not\n"
"be delivered to one or more recipients. It's attached below.\n"
"\n"
"                   The mail system\n"
"\n"
"<Nobody@Example.org>: host mx.example.org[192.0.2.1] said: 550 5.1.1\n"
"    <nobody@example.org>: Recipient address rejected: User unknown (in reply to\n"
"    RCPT TO command)\n"
"\n"
"--8F2A31C0B7.1762164001/mx.hearth.example\n"
"Content-Description: Delivery report\n"
"Content-Type: message/delivery-status\n"
"\n"
"Reporting-MTA: dns; mx.hearth.example\n"
"X-Postfix-Queue-ID: 8F2A31C0B7\n"
"X-Postfix-Sender: rfc822; talent@hearth.example\n"
"Arrival-Date: Mon,  3 Nov 2025 10:00:00 +0000 (UTC)\n"
"\n"
"Final-Recipient: rfc822; Nobody@Example.org\n"
"Original-Recipient: rfc822;nobody@example.org\n"
"Action: failed\n"
"Status: 5.1.1\n"
"Remote-MTA: dns; mx.example.org\n"
"Diagnostic-Code: smtp; 550 5.1.1 <nobody@example.org>: Recipient address\n"
"    rejected: User unknown\n"
"\n"
"--8F2A31C0B7.1762164001/mx.hearth.example\n"
"Content-Description: Undelivered Message Headers\n"
"Content-Type: text/rfc822-headers\n"
"\n"
"Return-Path: <talent@hearth.example>\n"
"Date: Mon, 03 Nov 2025 09:59:59 +0000\n"
"Message-ID: <hearth.42.1762163999000000@hearth.example>\n"
"From: \"Hearth\" <talent@hearth.example>\n"
"To: <nobody@example.org>\n"
"Subject: Please confirm\n"
"\n"
"--8F2A31C0B7.1762164001/mx.hearth.example--\n";

/* Exim's plain-text bounce with the whole message copied below. */
static const char exim_bounce[] =
"Return-path: <>\n"
"Envelope-to: talent@hearth.example\n"
"From: Mail Delivery System <Mailer-Daemon@mail.example.net>\n"
"To: talent@hearth.example\n"
"References: <hearth.77.1762163999123456@hearth.example>\n"
"Content-Type: text/plain; charset=us-ascii\n"
"Subject: Mail delivery failed: returning message to sender\n"
"Message-Id: <E1vFzQ3-0001Ab-2c@mail.example.net>\n"
"Date: Mon, 03 Nov 2025 10:00:04 +0000\n"
"\n"
"This message was created automatically by mail delivery software.\n"
"\n"
"A message that you sent could not be delivered to one or more of its\n"
"recipients. This is a permanent error. The following address(es) failed:\n"
"\n"
"  gone@example.net\n"
"    host mx.example.net [198.51.100.7]\n"
"    SMTP error from remote mail server after RCPT TO:<gone@example.net>:\n"
"    550 5.1.1 User unknown\n"
"\n"
"------ This is a copy of the message, including all the headers. ------\n"
"\n"
"Return-path: <talent@hearth.example>\n"
"Message-ID: <hearth.77.1762163999123456@hearth.example>\n"
"Subject: Please confirm\n"
"From: Hearth <talent@hearth.example>\n"
"To: gone@example.net\n"
"\n"
"Hello, this is 4.4.4 not a status of the bounce.\n";

/* Gmail: multipart/alternative, quoted-printable, the quote after "wrote:". */
static const char gmail_reply[] =
"MIME-Version: 1.0\n"
"Date: Tue, 4 Nov 2025 08:12:33 +0100\n"
"References: <hearth.51.1762163999000001@hearth.example>\n"
"In-Reply-To: <hearth.51.1762163999000001@hearth.example>\n"
"Message-ID: <CAF=abc123XYZ@mail.gmail.com>\n"
"Subject: Re: A role you may like\n"
"From: =?UTF-8?Q?Zo=C3=AB_Example?= <zoe@example.org>\n"
"To: Hearth <talent@hearth.example>\n"
"Content-Type: multipart/alternative; boundary=\"000000000000a1b2c3\"\n"
"\n"
"--000000000000a1b2c3\n"
"Content-Type: text/plain; charset=\"UTF-8\"\n"
"Content-Transfer-Encoding: quoted-printable\n"
"\n"
"Hi,\n"
"\n"
"Yes, I'd be interested =E2=80=94 can we talk on Thursday? I am free all after=\n"
"noon.\n"
"\n"
"Zo=C3=AB\n"
"\n"
"On Mon, 3 Nov 2025 at 10:00, Hearth <talent@hearth.example> wrote:\n"
"\n"
"> Hello Zo=C3=AB,\n"
"> We have a role you may like.\n"
"\n"
"--000000000000a1b2c3\n"
"Content-Type: text/html; charset=\"UTF-8\"\n"
"Content-Transfer-Encoding: quoted-printable\n"
"\n"
"<div dir=3D\"ltr\">Hi,<br><br>Yes, I&#39;d be interested</div>\n"
"\n"
"--000000000000a1b2c3--\n";

/* Outlook: References only (folded, ours last), base64 Latin-1 text, the
 * quote under a rule of underscores. CRLF line ends (see crlf()). */
static const char outlook_reply[] =
"From: \"Smith, Ana\" <Ana.Smith@contoso.example>\n"
"To: Hearth <talent@hearth.example>\n"
"Subject: RE: Your application\n"
"Thread-Topic: Your application\n"
"Thread-Index: AQHZ0c1Jq2m3kP8bQ0aQk9v2vV3tJw==\n"
"Date: Tue, 4 Nov 2025 09:00:00 +0000\n"
"Message-ID: <DB9PR01MB1234ABCD@DB9PR01MB1234.eurprd01.prod.outlook.com>\n"
"References: <unrelated.1@elsewhere.example>\n"
" <hearth.63.1762163999000002@hearth.example>\n"
"Content-Language: en-GB\n"
"Content-Type: multipart/alternative;\n"
"\tboundary=\"_000_DB9PR01MB1234ABCD_\"\n"
"MIME-Version: 1.0\n"
"\n"
"--_000_DB9PR01MB1234ABCD_\n"
"Content-Type: text/plain; charset=\"iso-8859-1\"\n"
"Content-Transfer-Encoding: base64\n"
"\n"
/* "Thanks, I will send my CV tomorrow.\r\n\r\nBest regards,\r\nAna Jos\xe9\r\n
 * \r\n________________________________\r\nFrom: Hearth <talent@hearth.example>\r\n
 * Sent: 03 November 2025 10:00\r\n" */
"VGhhbmtzLCBJIHdpbGwgc2VuZCBteSBDViB0b21vcnJvdy4NCg0KQmVzdCByZWdhcmRzLA0KQW5h\n"
"IEpvc+kNCg0KX19fX19fX19fX19fX19fX19fX19fX19fX19fX19fX18NCkZyb206IEhlYXJ0aCA8\n"
"dGFsZW50QGhlYXJ0aC5leGFtcGxlPg0KU2VudDogMDMgTm92ZW1iZXIgMjAyNSAxMDowMA0K\n"
"\n"
"--_000_DB9PR01MB1234ABCD_\n"
"Content-Type: text/html; charset=\"iso-8859-1\"\n"
"Content-Transfer-Encoding: quoted-printable\n"
"\n"
"<html><body><p>Thanks</p></body></html>\n"
"\n"
"--_000_DB9PR01MB1234ABCD_--\n";

/* A full mailbox, given up on after the queue's lifetime: failed, 4.2.2. */
static const char mailbox_full[] =
"From: Mail Delivery Subsystem <MAILER-DAEMON@relay.example.com>\n"
"To: <talent@hearth.example>\n"
"Subject: Returned mail: see transcript for details\n"
"Content-Type: multipart/report; report-type=\"delivery-status\";\n"
"  boundary=\"=_report_boundary\"\n"
"\n"
"--=_report_boundary\n"
"Content-Type: text/plain\n"
"\n"
"The original message was received at Mon, 3 Nov 2025 10:00:00 GMT\n"
"   ----- The following addresses had permanent fatal errors -----\n"
"<full@example.com>\n"
"\n"
"--=_report_boundary\n"
"Content-Type: message/delivery-status\n"
"\n"
"Reporting-MTA: dns; relay.example.com\n"
"\n"
"Final-Recipient: RFC822; <full@example.com>\n"
"Action: failed\n"
"Status: 4.2.2\n"
"Diagnostic-Code: SMTP; 452 4.2.2 Mailbox full\n"
"\n"
"--=_report_boundary\n"
"Content-Type: message/rfc822\n"
"\n"
"Message-ID: <hearth.90.1762163999000003@hearth.example>\n"
"Subject: A role you may like\n"
"\n"
"Hello, a body that mentions 5.1.1 for no reason.\n"
"\n"
"--=_report_boundary--\n";

/* Postfix's warning that a mail is delayed (still being retried). */
static const char delayed[] =
"From: MAILER-DAEMON@mx.hearth.example (Mail Delivery System)\n"
"Subject: Delayed Mail (still being retried)\n"
"To: talent@hearth.example\n"
"MIME-Version: 1.0\n"
"Content-Type: multipart/report; report-type=delivery-status;\n"
"\tboundary=\"B1.1762164001/mx.hearth.example\"\n"
"\n"
"--B1.1762164001/mx.hearth.example\n"
"Content-Type: text/plain; charset=us-ascii\n"
"\n"
"This is a warning only; you do not need to resend your message.\n"
"\n"
"--B1.1762164001/mx.hearth.example\n"
"Content-Type: message/delivery-status\n"
"\n"
"Reporting-MTA: dns; mx.hearth.example\n"
"\n"
"Final-Recipient: rfc822; slow@example.org\n"
"Action: delayed\n"
"Status: 4.4.1\n"
"Diagnostic-Code: X-Postfix; connect to mx.example.org[192.0.2.9]:25: Connection\n"
"    timed out\n"
"Will-Retry-Until: Mon, 10 Nov 2025 10:00:00 +0000 (UTC)\n"
"\n"
"--B1.1762164001/mx.hearth.example\n"
"Content-Type: text/rfc822-headers\n"
"\n"
"Message-ID: <hearth.91.1762163999000004@hearth.example>\n"
"\n"
"--B1.1762164001/mx.hearth.example--\n";

/* Two recipients: the delivered one first, the failed one chosen. */
static const char two_recipients[] =
"From: postmaster@mx.example\n"
"Subject: Delivery Status Notification (Failure)\n"
"Content-Type: multipart/report; boundary=b; report-type=delivery-status\n"
"\n"
"--b\n"
"Content-Type: message/delivery-status\n"
"Content-Transfer-Encoding: base64\n"
"\n"
/* "Reporting-MTA: dns; mx.example\n\nFinal-Recipient: rfc822; ok@example.org\n
 * Action: delivered\nStatus: 2.0.0\n\nFinal-Recipient: rfc822; bad@example.org\n
 * Action: failed\nStatus: 5.7.1 (delivery not authorized)\n" */
"UmVwb3J0aW5nLU1UQTogZG5zOyBteC5leGFtcGxlCgpGaW5hbC1SZWNpcGllbnQ6IHJmYzgyMjsg\n"
"b2tAZXhhbXBsZS5vcmcKQWN0aW9uOiBkZWxpdmVyZWQKU3RhdHVzOiAyLjAuMAoKRmluYWwtUmVj\n"
"aXBpZW50OiByZmM4MjI7IGJhZEBleGFtcGxlLm9yZwpBY3Rpb246IGZhaWxlZApTdGF0dXM6IDUu\n"
"Ny4xIChkZWxpdmVyeSBub3QgYXV0aG9yaXplZCkK\n"
"--b\n"
"Content-Type: message/rfc822\n"
"\n"
"Message-ID: <hearth.5.6@hearth.example>\n"
"\n"
"body\n"
"--b--\n";

/* A report that the mail arrived: not a bounce. */
static const char delivered[] =
"From: postmaster@mx.example\n"
"Subject: Delivery Status Notification (Success)\n"
"Content-Type: multipart/report; boundary=\"b\"; report-type=delivery-status\n"
"\n"
"--b\n"
"Content-Type: message/delivery-status\n"
"\n"
"Final-Recipient: rfc822; ok@example.org\n"
"Action: delivered\n"
"Status: 2.0.0\n"
"\n"
"--b\n"
"Content-Type: text/rfc822-headers\n"
"\n"
"Message-ID: <hearth.5.6@hearth.example>\n"
"--b--\n";

/* An answering machine: it names our mail but is no reply. */
static const char out_of_office[] =
"From: Bob <bob@example.org>\n"
"Subject: Out of office: A role you may like\n"
"In-Reply-To: <hearth.51.1762163999000001@hearth.example>\n"
"Auto-Submitted: auto-replied\n"
"\n"
"I am away until Monday.\n";

/* Mail of no concern: a newsletter, a reply in a thread not ours. */
static const char newsletter[] =
"From: News <news@example.com>\n"
"Subject: This week\n"
"Content-Type: text/plain\n"
"\n"
"Hello.\n";

static const char other_thread[] =
"From: Bob <bob@example.org>\n"
"Subject: Re: lunch\n"
"In-Reply-To: <CA123@mail.gmail.com>\n"
"References: <CA122@mail.gmail.com> <CA123@mail.gmail.com>\n"
"\n"
"Sure.\n";

/* A reply nested in multipart/mixed (an attachment), with a signature,
 * more lines than the excerpt keeps, and a control character. */
static const char nested_reply[] =
"From: Chen Wei <chen@example.cn>\n"
"Subject: Re: Hello\n"
"In-Reply-To: <hearth.1001.1762163999000005@hearth.example>\n"
"Content-Type: multipart/mixed; boundary=\"outer\"\n"
"\n"
"--outer\n"
"Content-Type: multipart/alternative; boundary=\"inner\"\n"
"\n"
"--inner\n"
"Content-Type: text/plain; charset=utf-8\n"
"\n"
"line 1\x07\n"
"line 2\n"
"line 3\n"
"line 4\n"
"line 5\n"
"line 6\n"
"line 7\n"
"line 8\n"
"line 9\n"
"line 10\n"
"line 11\n"
"line 12\n"
"line 13\n"
"-- \n"
"Chen Wei, engineer\n"
"--inner--\n"
"--outer\n"
"Content-Type: application/pdf; name=cv.pdf\n"
"Content-Transfer-Encoding: base64\n"
"\n"
"JVBERi0xLjQK\n"
"--outer--\n";

static const char signature_reply[] =
"From: a@example.org\n"
"Subject: Re: x\n"
"In-Reply-To: <hearth.7.8@hearth.example>\n"
"\n"
"Count me in.\n"
"> quoted line\n"
"Really.\n"
"-- \n"
"Signature\n";

/* s with each "\n" made "\r\n" (malloc'd; *len bytes). */
static char *
crlf(const char *s, size_t *len)
{
	char *o = malloc(strlen(s) * 2 + 1), *d = o;

	assert_non_null(o);
	for (; *s; s++) {
		if (*s == '\n')
			*d++ = '\r';
		*d++ = *s;
	}
	*d = '\0';
	*len = (size_t)(d - o);
	return o;
}

/* Parses s exactly as long as it is (a buffer of its own, so ASan sees
 * any read past it), with LF and with CRLF line ends: both the same. */
static void
parse_both(const char *s, struct dsn_result *r)
{
	size_t n = strlen(s), cn;
	char *b = malloc(n ? n : 1), *c = crlf(s, &cn), *cb = malloc(cn);
	struct dsn_result r2;

	assert_non_null(b);
	assert_non_null(cb);
	memcpy(b, s, n);
	memcpy(cb, c, cn);
	assert_int_equal(dsn_parse(b, n, r), HE_OK);
	assert_int_equal(dsn_parse(cb, cn, &r2), HE_OK);
	assert_int_equal(r->kind, r2.kind);
	assert_int_equal(r->hard, r2.hard);
	assert_string_equal(r->recipient, r2.recipient);
	assert_string_equal(r->status, r2.status);
	assert_true(r->mail_id == r2.mail_id);
	assert_string_equal(r->subject, r2.subject);
	assert_string_equal(r->excerpt, r2.excerpt);
	assert_true(text_utf8_valid(r->excerpt, strlen(r->excerpt)));
	assert_true(text_utf8_valid(r->subject, strlen(r->subject)));
	assert_true(text_utf8_valid(r->diagnostic, strlen(r->diagnostic)));
	free(b);
	free(c);
	free(cb);
}

struct bounce_case {
	const char *name;
	const char *msg;
	int hard;
	const char *recipient;
	const char *status;
	uint64_t mail_id;
	int64_t created;
	const char *diagnostic;	/* a part of it; NULL: not checked */
};

static const struct bounce_case bounces[] = {
	{ "postfix DSN, unknown user", postfix_dsn, 1, "nobody@example.org",
	  "5.1.1", 42, 1762163999000000LL, "Recipient address rejected: User unknown" },
	{ "exim plain text", exim_bounce, 1, "gone@example.net", "5.1.1", 77,
	  1762163999123456LL, NULL },
	{ "mailbox full 4.2.2 (failed)", mailbox_full, 0, "full@example.com",
	  "4.2.2", 90, 1762163999000003LL, "452 4.2.2 Mailbox full" },
	{ "delayed", delayed, 0, "slow@example.org", "4.4.1", 91,
	  1762163999000004LL, "Connection timed out" },
	{ "two recipients, base64 report", two_recipients, 1, "bad@example.org",
	  "5.7.1", 5, 6, NULL },
};

static void
test_bounces(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(bounces); i++) {
		const struct bounce_case *c = &bounces[i];
		struct dsn_result r;

		print_message("%s\n", c->name);
		parse_both(c->msg, &r);
		assert_int_equal(r.kind, DSN_BOUNCE);
		assert_int_equal(r.hard, c->hard);
		assert_string_equal(r.recipient, c->recipient);
		assert_string_equal(r.status, c->status);
		assert_true(r.mail_id == c->mail_id);
		assert_true(r.mail_created == c->created);
		if (c->diagnostic)
			assert_non_null(strstr(r.diagnostic, c->diagnostic));
	}
}

static void
test_gmail_reply(void **state)
{
	struct dsn_result r;

	(void)state;
	parse_both(gmail_reply, &r);
	assert_int_equal(r.kind, DSN_REPLY);
	assert_true(r.mail_id == 51);
	assert_true(r.mail_created == 1762163999000001LL);
	assert_string_equal(r.from, "zoe@example.org");
	assert_string_equal(r.subject, "Re: A role you may like");
	/* Quoted-printable decoded, the soft break joined, the quote cut. */
	assert_string_equal(r.excerpt, "Hi,\n\nYes, I'd be interested \xe2\x80\x94 "
	    "can we talk on Thursday? I am free all afternoon.\n\nZo\xc3\xab");
}

static void
test_outlook_reply(void **state)
{
	struct dsn_result r;
	size_t n;
	char *c = crlf(outlook_reply, &n);

	(void)state;
	assert_int_equal(dsn_parse(c, n, &r), HE_OK);
	free(c);
	assert_int_equal(r.kind, DSN_REPLY);
	assert_true(r.mail_id == 63);
	assert_string_equal(r.from, "ana.smith@contoso.example");
	/* Latin-1 made UTF-8; nothing from under the rule. */
	assert_string_equal(r.excerpt, "Thanks, I will send my CV tomorrow.\n\n"
	    "Best regards,\nAna Jos\xc3\xa9");
}

static void
test_excerpts(void **state)
{
	struct dsn_result r;

	(void)state;
	parse_both(nested_reply, &r);
	assert_int_equal(r.kind, DSN_REPLY);
	assert_true(r.mail_id == 1001);
	assert_string_equal(r.excerpt, "line 1 \nline 2\nline 3\nline 4\nline 5\n"
	    "line 6\nline 7\nline 8\nline 9\nline 10\nline 11\nline 12");
	parse_both(signature_reply, &r);
	assert_int_equal(r.kind, DSN_REPLY);
	assert_string_equal(r.excerpt, "Count me in.\nReally.");
}

struct other_case {
	const char *name;
	const char *msg;
	int auto_reply;
};

static const struct other_case others[] = {
	{ "delivered report", delivered, 0 },
	{ "out of office", out_of_office, 1 },
	{ "newsletter", newsletter, 0 },
	{ "a thread not ours", other_thread, 0 },
};

static void
test_others(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(others); i++) {
		struct dsn_result r;

		print_message("%s\n", others[i].name);
		parse_both(others[i].msg, &r);
		assert_int_equal(r.kind, DSN_OTHER);
		assert_int_equal(r.auto_reply, others[i].auto_reply);
		assert_string_equal(r.status, "");
	}
}

static void
test_not_a_message(void **state)
{
	static const char *const bad[] = { "", "hello world\n", ": no name\n",
	    "\nFrom: a@b\n", "From a@b Mon Nov  3\n" };
	struct dsn_result r;

	(void)state;
	for (size_t i = 0; i < N(bad); i++) {
		assert_int_equal(dsn_parse(bad[i], strlen(bad[i]), &r), HE_INVALID);
		assert_int_equal(r.kind, DSN_OTHER);
	}
	assert_int_equal(dsn_parse(NULL, 0, &r), HE_INVALID);
}

struct id_case {
	const char *s;
	int found;
	uint64_t id;
	int64_t created;
};

static const struct id_case ids[] = {
	{ "<hearth.1.2@a.example>", 1, 1, 2 },
	{ "hearth.10.20@x", 1, 10, 20 },
	{ "<a@b> <hearth.3.4@x> <hearth.5.6@y>", 1, 5, 6 },
	{ "<hearth.3.4@x>, <other@y>", 1, 3, 4 },
	{ "HEARTH.7.8@X", 1, 7, 8 },
	{ "xhearth.1.2@a", 0, 0, 0 },
	{ "<hearth.1.2@>", 0, 0, 0 },
	{ "<hearth.1.2>", 0, 0, 0 },
	{ "<hearth..2@a>", 0, 0, 0 },
	{ "<hearth.0.2@a>", 0, 0, 0 },
	{ "<hearth.1x.2@a>", 0, 0, 0 },
	{ "<hearth.99999999999999999999.2@a>", 0, 0, 0 },
	{ "<hearth.18446744073709551615.2@a>", 0, 0, 0 },
	{ "<hearth.9223372036854775807.1@a>", 1, 9223372036854775807ULL, 1 },
	{ "<hearth.1.9999999999999999999@a>", 0, 0, 0 },
	{ "hearth.", 0, 0, 0 },
	{ "hearth.1.2@", 0, 0, 0 },
	{ "", 0, 0, 0 },
};

static void
test_hearth_ids(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(ids); i++) {
		uint64_t id = 0;
		int64_t created = 0;
		size_t n = strlen(ids[i].s);
		char *b = malloc(n ? n : 1);

		memcpy(b, ids[i].s, n);
		print_message("%s\n", ids[i].s);
		assert_int_equal(dsn_find_hearth_id(b, n, &id, &created), ids[i].found);
		if (ids[i].found) {
			assert_true(id == ids[i].id);
			assert_true(created == ids[i].created);
		}
		free(b);
	}
}

/* Every prefix of every sample, each in a buffer of exactly its length:
 * no read past the end (ASan), and nothing but HE_OK or HE_INVALID. */
static void
test_prefixes(void **state)
{
	static const char *const all[] = { postfix_dsn, exim_bounce, gmail_reply,
	    outlook_reply, mailbox_full, delayed, two_recipients, delivered,
	    out_of_office, nested_reply, signature_reply };

	(void)state;
	for (size_t i = 0; i < N(all); i++) {
		size_t n = strlen(all[i]);

		for (size_t k = 0; k <= n; k++) {
			char *b = malloc(k ? k : 1);
			struct dsn_result r;
			int rc;

			memcpy(b, all[i], k);
			rc = dsn_parse(b, k, &r);
			assert_true(rc == HE_OK || rc == HE_INVALID);
			assert_true(r.kind < DSN_KIND__MAX);
			assert_true(text_utf8_valid(r.excerpt, strlen(r.excerpt)));
			free(b);
		}
	}
}

/* Deep nesting and many parts stop at the limits, not the stack. */
static void
test_limits(void **state)
{
	size_t cap = 1 << 20, k = 0;
	char *m = malloc(cap);
	struct dsn_result r;

	(void)state;
	k += (size_t)snprintf(m + k, cap - k, "From: a@b\nIn-Reply-To: "
	    "<hearth.9.9@h>\n");
	for (int d = 0; d < 200; d++)
		k += (size_t)snprintf(m + k, cap - k, "Content-Type: multipart/mixed;"
		    " boundary=\"b%d\"\n\n--b%d\n", d, d);
	k += (size_t)snprintf(m + k, cap - k, "Content-Type: text/plain\n\ndeep\n");
	assert_int_equal(dsn_parse(m, k, &r), HE_OK);
	assert_int_equal(r.kind, DSN_REPLY);
	assert_string_equal(r.excerpt, "");	/* below the depth walked */

	k = (size_t)snprintf(m, cap, "From: a@b\nIn-Reply-To: <hearth.9.9@h>\n"
	    "Content-Type: multipart/mixed; boundary=x\n\n");
	for (int p = 0; p < 5000; p++)
		k += (size_t)snprintf(m + k, cap - k, "--x\n\npart %d\n", p);
	assert_int_equal(dsn_parse(m, k, &r), HE_OK);
	assert_int_equal(r.kind, DSN_REPLY);
	assert_string_equal(r.excerpt, "part 0");
	free(m);
}

struct subject_case {
	const char *raw;
	const char *want;
};

/* RFC 2047 words in the subject a timeline shows. */
static const struct subject_case subjects[] = {
	{ "Re: plain", "Re: plain" },
	{ "=?UTF-8?Q?Re:_Zo=C3=AB?=", "Re: Zo\xc3\xab" },
	{ "Re: =?utf-8?B?WmHDqw==?= =?utf-8?B?IGV4YW1wbGU=?= !",
	  "Re: Za\xc3\xab example !" },
	{ "=?iso-8859-1?Q?Jos=E9?= here", "Jos\xc3\xa9 here" },
	{ "=?UTF-8*en?Q?hi?=", "hi" },
	{ "=?koi8-r?B?8NLJ18XU?=", "=?koi8-r?B?8NLJ18XU?=" },
	{ "=?UTF-8?Q?broken", "=?UTF-8?Q?broken" },
	{ "=?UTF-8?X?abc?=", "=?UTF-8?X?abc?=" },
	{ "=??Q?x?=", "=??Q?x?=" },
	{ "a =?utf-8?q?b?= c", "a b c" },
	{ "=?utf-8?b?/w==?=", "?" },		/* not UTF-8: cleaned */
	{ "=?", "=?" },
	{ "=?utf-8?", "=?utf-8?" },
	{ "=?utf-8?q", "=?utf-8?q" },
};

static void
test_subjects(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(subjects); i++) {
		char *m;
		struct dsn_result r;

		assert_true(asprintf(&m, "Subject: %s\n\nbody\n", subjects[i].raw) > 0);
		print_message("%s\n", subjects[i].raw);
		parse_both(m, &r);
		assert_string_equal(r.subject, subjects[i].want);
		free(m);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bounces),
		cmocka_unit_test(test_gmail_reply),
		cmocka_unit_test(test_outlook_reply),
		cmocka_unit_test(test_excerpts),
		cmocka_unit_test(test_others),
		cmocka_unit_test(test_not_a_message),
		cmocka_unit_test(test_hearth_ids),
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_subjects),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
