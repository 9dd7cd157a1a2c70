"""test_inbound.py: bounces and replies read from a real IMAP mailbox (dovecot on loopback).

The stack sends its mail to the outbox as usual; the tests answer those mails as a mail
server (a DSN) or a person (a reply) would, deliver the answer to the mailbox with IMAP
APPEND, run `hearthctl worker --once` and look at the candidate in the back office, as a
recruiter would, and at the mailbox, as its owner would.
"""

import re
import time

import pytest

from hearth_stack import Stack, csrf_token, unique
from imap_server import ImapServer
from test_profile import form_data

PASSWORD = "correct horse battery staple"


class Env:
    def __init__(self, server):
        self.server = server
        self.imap = ImapServer().start()
        try:
            self.stack = Stack(server, imap=self.imap).start()
        except Exception:
            self.imap.stop()
            raise
        self.stack.add_user("inbound-office@example.org", PASSWORD)
        self.office = self.login()

    def login(self):
        c = self.stack.client()
        assert c.login("inbound-office@example.org", PASSWORD).status_code == 303
        return c

    def poll(self):
        r = self.stack.hearthctl("worker", "--once")
        assert r.returncode == 0, "hearthctl worker --once: %s%s" % (r.stdout, r.stderr)
        return r.stderr

    def join(self, name, address):
        assert self.stack.client().join(name, address).status_code == 303

    def sent(self, address, n=1):
        """The Message-IDs of the first n mails sent to address, oldest first."""
        def probe():
            ids = [m["Message-ID"] for m in self.stack.mails()
                   if address in [a.addr_spec for a in m["To"].addresses]]
            return ids if len(ids) >= n else None
        deadline = time.monotonic() + 30
        while True:
            ids = probe()
            if ids:
                return ids
            assert time.monotonic() < deadline, "no %d mail(s) to %s" % (n, address)
            time.sleep(0.2)

    def cand_id(self, address):
        for cid, email, _ in self.stack.candidates():
            if email == address:
                return cid
        raise AssertionError("no candidate %s" % address)

    def profile(self, address):
        r = self.office.get("/office/candidate?id=%d" % self.cand_id(address))
        assert r.status_code == 200
        return r.text

    def stop(self):
        try:
            self.stack.stop()
        finally:
            self.imap.stop()


@pytest.fixture(scope="module", params=["nginx", "apache"])
def env(request):
    e = Env(request.param)
    yield e
    e.stop()


def dsn(msgid, rcpt, status="5.1.1", action="failed",
        diagnostic="550 5.1.1 <%(rcpt)s>: Recipient address rejected: User unknown"):
    """A delivery status notification as Postfix writes it, about the mail msgid."""
    b = "8F2A31C0B7.%d/mx.hearth.test" % int(time.time() * 1000)
    return ("Return-Path: <>\n"
            "From: MAILER-DAEMON@mx.hearth.test (Mail Delivery System)\n"
            "Subject: Undelivered Mail Returned to Sender\n"
            "To: talent@localhost\n"
            "Auto-Submitted: auto-replied\n"
            "MIME-Version: 1.0\n"
            "Content-Type: multipart/report; report-type=delivery-status;\n"
            "\tboundary=\"%(b)s\"\n"
            "Message-Id: <%(u)s@mx.hearth.test>\n"
            "\n"
            "--%(b)s\n"
            "Content-Description: Notification\n"
            "Content-Type: text/plain; charset=us-ascii\n"
            "\n"
            "I'm sorry to have to inform you that your message could not\n"
            "be delivered to one or more recipients.\n"
            "\n"
            "--%(b)s\n"
            "Content-Description: Delivery report\n"
            "Content-Type: message/delivery-status\n"
            "\n"
            "Reporting-MTA: dns; mx.hearth.test\n"
            "\n"
            "Final-Recipient: rfc822; %(rcpt)s\n"
            "Action: %(action)s\n"
            "Status: %(status)s\n"
            "Diagnostic-Code: smtp; %(diag)s\n"
            "\n"
            "--%(b)s\n"
            "Content-Description: Undelivered Message Headers\n"
            "Content-Type: text/rfc822-headers\n"
            "\n"
            "Message-ID: %(msgid)s\n"
            "To: <%(rcpt)s>\n"
            "Subject: Please confirm\n"
            "\n"
            "--%(b)s--\n") % {"b": b, "u": unique("dsn"), "rcpt": rcpt, "status": status,
                              "action": action, "msgid": msgid,
                              "diag": diagnostic % {"rcpt": rcpt}}


def gmail_reply(msgid, sender, subject, text):
    return ("From: Someone <%s>\n"
            "To: Hearth <talent@localhost>\n"
            "Subject: %s\n"
            "In-Reply-To: %s\n"
            "References: %s\n"
            "Message-ID: <%s@mail.gmail.com>\n"
            "MIME-Version: 1.0\n"
            "Content-Type: multipart/alternative; boundary=\"000000000000b5e1\"\n"
            "\n"
            "--000000000000b5e1\n"
            "Content-Type: text/plain; charset=\"UTF-8\"\n"
            "Content-Transfer-Encoding: quoted-printable\n"
            "\n"
            "%s\n"
            "\n"
            "On Mon, 3 Nov 2025 at 10:00, Hearth <talent@localhost> wrote:\n"
            "\n"
            "> QUOTED-TEXT-OF-OUR-MAIL\n"
            "\n"
            "--000000000000b5e1\n"
            "Content-Type: text/html; charset=\"UTF-8\"\n"
            "\n"
            "<div>reply</div>\n"
            "--000000000000b5e1--\n") % (sender, subject, msgid, msgid, unique("g"), text)


def outlook_reply(msgid, sender, subject, text):
    """References only, no In-Reply-To, the quote under Outlook's rule."""
    return ("From: \"Person, A\" <%s>\n"
            "To: Hearth <talent@localhost>\n"
            "Subject: %s\n"
            "Thread-Topic: Please confirm\n"
            "References: <older.thread@elsewhere.example>\n %s\n"
            "Message-ID: <%s@eurprd01.prod.outlook.com>\n"
            "Content-Type: text/plain; charset=\"iso-8859-1\"\n"
            "Content-Transfer-Encoding: quoted-printable\n"
            "MIME-Version: 1.0\n"
            "\n"
            "%s\n"
            "\n"
            "________________________________\n"
            "From: Hearth <talent@localhost>\n"
            "QUOTED-TEXT-OF-OUR-MAIL\n") % (sender, subject, msgid, unique("o"), text)


def test_hard_bounce_marks_the_address_invalid(env):
    address = unique("bounce") + "@example.org"
    env.join("Bea Bounce", address)
    (msgid,) = env.sent(address)
    page = env.profile(address)
    assert 'id="email-invalid"' not in page

    uid = env.imap.append(dsn(msgid, address))
    env.poll()

    page = env.profile(address)
    assert 'id="email-invalid"' in page, page
    assert "Mail to this address cannot be delivered" in page
    assert "Mail bounced: the address does not work" in page
    assert "5.1.1" in page
    # The mail itself shows as bounced on the timeline.
    assert re.search(r">confirm</a>: bounced", page), page
    # Dealt with: flagged read in the mailbox.
    assert "\\Seen" in env.imap.flags()[uid]

    # A recruiter puts in a working address: the flag goes.
    cid = env.cand_id(address)
    r = env.office.get("/office/candidate/edit", params={"id": cid})
    data = form_data(r.text, "/office/candidate/edit")
    data["email"] = unique("fixed") + "@example.org"
    data["csrf_token"] = csrf_token(r.text)
    assert env.office.post("/office/candidate/edit", data=data).status_code == 303
    page = env.office.get("/office/candidate", params={"id": cid}).text
    assert 'id="email-invalid"' not in page
    assert "Mail bounced: the address does not work" in page     # the history stays


def test_soft_bounces_count_and_make_a_hard_one_at_the_limit(env):
    address = unique("soft") + "@example.org"
    for n in range(3):                       # three confirmations: three mails
        env.join("Sol Soft", address)
    ids = env.sent(address, 3)[:3]

    env.imap.append(dsn(ids[0], address, "4.2.2", "failed", "452 4.2.2 Mailbox full"))
    env.poll()
    page = env.profile(address)
    assert 'id="email-invalid"' not in page
    assert re.search(r'id="soft-bounces">\s*1 soft bounce', page), page
    assert "Mail bounced for now (soft) (4.2.2)" in page

    # The same mail delayed again counts once; the next mail counts.
    env.imap.append(dsn(ids[0], address, "4.4.1", "delayed", "connect timed out"))
    env.imap.append(dsn(ids[1], address, "4.2.2", "failed", "452 4.2.2 Mailbox full"))
    env.poll()
    page = env.profile(address)
    assert re.search(r'id="soft-bounces">\s*2 soft bounce', page), page
    assert 'id="email-invalid"' not in page

    # The third (Inbound.SoftBounceLimit = 3) makes it hard.
    env.imap.append(dsn(ids[2], address, "4.2.2", "failed", "452 4.2.2 Mailbox full"))
    env.poll()
    page = env.profile(address)
    assert 'id="email-invalid"' in page, page


def test_replies_go_on_the_timeline(env):
    a1 = unique("reply") + "@example.org"
    a2 = unique("reply") + "@example.org"
    env.join("Rita Reply", a1)
    env.join("Otto Outlook", a2)
    (m1,) = env.sent(a1)
    (m2,) = env.sent(a2)
    u1 = env.imap.append(gmail_reply(m1, a1, "Re: Please confirm",
                                     "Yes please, I would love to hear more =E2=80=94 Rita"))
    u2 = env.imap.append(outlook_reply(m2, a2, "=?utf-8?Q?RE:_Please_confirm_=E2=9C=93?=",
                                       "Thanks, send me the details. Jos=E9"))
    env.poll()

    p1 = env.profile(a1)
    assert re.search(r'<p class="what">Email: they replied <span class="by">by %s'
                     % re.escape(a1), p1), p1
    assert "Yes please, I would love to hear more \u2014 Rita" in p1
    assert "Re: Please confirm" in p1
    assert "QUOTED-TEXT-OF-OUR-MAIL" not in p1
    p2 = env.profile(a2)
    assert "Email: they replied" in p2
    assert "Thanks, send me the details. Jos\u00e9" in p2
    assert "RE: Please confirm \u2713" in p2               # RFC 2047, decoded
    assert "QUOTED-TEXT-OF-OUR-MAIL" not in p2
    flags = env.imap.flags()
    assert "\\Seen" in flags[u1] and "\\Seen" in flags[u2]

    # Polling again records nothing twice.
    env.poll()
    assert env.profile(a1).count("Yes please, I would love to hear more") == 1


def test_other_mail_is_left_alone_and_polling_goes_on_past_it(env):
    address = unique("after") + "@example.org"
    env.join("Ada After", address)
    (msgid,) = env.sent(address)
    other = env.imap.append("From: News <news@example.com>\nSubject: This week\n\nHello.\n")
    broken = env.imap.append("this is not a message at all\n")
    stranger = env.imap.append(gmail_reply("<CA123@mail.gmail.com>", "x@example.net",
                                           "Re: lunch", "Sure."))
    replied = env.imap.append(gmail_reply(msgid, address, "Re: Please confirm", "Count me in."))
    env.poll()

    assert "Count me in." in env.profile(address)
    flags = env.imap.flags()
    # Not ours: still unread for a person to see.
    for uid in (other, broken, stranger):
        assert "\\Seen" not in flags[uid], (uid, flags[uid])
    assert "\\Seen" in flags[replied]


def test_what_was_read_survives_a_restart(env):
    address = unique("restart") + "@example.org"
    env.join("Rex Restart", address)
    (msgid,) = env.sent(address)
    env.imap.append(gmail_reply(msgid, address, "Re: Please confirm", "First answer."))
    env.poll()
    assert env.profile(address).count("First answer.") == 1

    var = env.stack.var
    env.stack.stop(keep=True)
    env.stack = Stack(env.server, var=var, imap=env.imap).start()
    env.office = env.login()
    env.poll()                       # the daemon polled at its start too
    env.imap.append(gmail_reply(msgid, address, "Re: Please confirm", "Second answer."))
    env.poll()
    page = env.profile(address)
    assert page.count("First answer.") == 1
    assert page.count("Second answer.") == 1


def test_imaps_with_the_configured_ca_and_never_without_it():
    """TLS to the mailbox: verified against Inbound.CAFile; a certificate that does not
    verify is refused, and nothing is read until it does."""
    imap = ImapServer(tls=True).start()
    stack = None
    try:
        # The system's CAs do not know the test server's certificate: refused.
        wrong = imap.hdf().replace("Inbound.CAFile = %s\n" % imap.ca_file, "")
        stack = Stack("nginx", local=wrong + "Inbound.PollSeconds = 86400\n").start()
        address = unique("tls") + "@example.org"
        assert stack.client().join("Tia Tls", address).status_code == 303
        msgid = stack.wait_for_mail(address)["Message-ID"]
        uid = imap.append(gmail_reply(msgid, address, "Re: Please confirm", "Over TLS."))
        r = stack.hearthctl("worker", "--once")
        assert "inbound mail" in r.stderr and "1 read" not in r.stderr, r.stderr
        assert "\\Seen" not in imap.flags()[uid]
        var = stack.var
        stack.stop(keep=True)
        # With the CA: read and recorded.
        stack = Stack("nginx", var=var, imap=imap).start()
        r = stack.hearthctl("worker", "--once")
        assert r.returncode == 0, r.stderr
        assert "\\Seen" in imap.flags()[uid], stack.log() + r.stderr
    finally:
        if stack:
            stack.stop()
        imap.stop()
