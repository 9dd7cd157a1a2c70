"""test_mail.py: mail delivery through a real SMTP server on loopback.

aiosmtpd writes a Maildir, read as a mail client reads it: the confirmation mail of a
signup, a server that stops and comes back in the middle of a queue (every message
delivered exactly once), and a permanent refusal shown as failed in the back office.
"""

import email
import email.policy
import mailbox
import os
import subprocess
import tempfile
import time
from collections import Counter
from pathlib import Path

import pytest

from hearth_stack import Stack, free_port, unique

DELIVERY_TIMEOUT = 30
NAME = "Zoë Ångström-王"
HERE = Path(__file__).resolve().parent


def parse(raw):
    return email.message_from_bytes(raw, policy=email.policy.default)


def wait_for(what, probe, timeout=DELIVERY_TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = probe()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError("no %s after %ds" % (what, timeout))


class SMTPServer:
    """aiosmtpd on a fixed port, delivering into one Maildir across restarts."""

    def __init__(self):
        self.port = free_port()
        self.maildir = Path(tempfile.mkdtemp(prefix="hearth-smtp-")) / "Maildir"
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(
            ["/usr/bin/python3", "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:%d" % self.port,
             "-c", "smtp_sink.Maildir", str(self.maildir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env=dict(os.environ, PYTHONPATH=str(HERE)))
        import socket
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.2).close()
                return self
            except OSError:
                time.sleep(0.1)
        raise AssertionError("aiosmtpd did not start")

    def stop(self):
        if self.proc:
            self.proc.terminate()
            self.proc.wait(timeout=10)
            self.proc = None

    def messages(self):
        if not self.maildir.exists():
            return []
        box = mailbox.Maildir(str(self.maildir), create=False)
        return [parse(box.get_bytes(k)) for k in box.keys()]


@pytest.fixture
def smtp():
    s = SMTPServer().start()
    yield s
    s.stop()


def stack_for(smtp):
    return Stack("nginx", local="Mail.SMTPUrl = smtp://127.0.0.1:%d\n" % smtp.port).start()


def test_confirmation_goes_through_smtp(smtp):
    stack = stack_for(smtp)
    try:
        address = unique("smtp") + "@example.org"
        assert stack.client().join(NAME, address).status_code == 303
        (msg,) = wait_for("message in the Maildir", smtp.messages)
        assert msg["To"].addresses[0].addr_spec == address
        assert msg["To"].addresses[0].display_name == NAME
        assert msg["Subject"].startswith("Please confirm")
        assert msg.get_content_type() == "multipart/alternative"
        assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert "Hello %s," % NAME in msg.get_body(("plain",)).get_content()
        # Nothing was written to the outbox: the server took it.
        assert not list((stack.var / "outbox").glob("*.eml"))
    finally:
        stack.stop()


def test_server_down_mid_queue_delivers_each_message_exactly_once(smtp):
    stack = stack_for(smtp)
    try:
        first = [unique("q") + "@example.org" for _ in range(5)]
        for a in first:
            assert stack.client().join("Queue Person", a).status_code == 303
        wait_for("the first mails", lambda: len(smtp.messages()) >= len(first))
        smtp.stop()                                  # the server goes away
        second = [unique("q") + "@example.org" for _ in range(8)]
        for a in second:
            assert stack.client().join("Queue Person", a).status_code == 303
        time.sleep(3)                                # the worker tries, fails, backs off
        assert len(smtp.messages()) == len(first)
        smtp.start()                                 # and comes back
        everyone = first + second
        wait_for("every mail", lambda: len(smtp.messages()) >= len(everyone), 60)
        time.sleep(2)                                # nothing more trickles in
        msgs = smtp.messages()
        per_rcpt = Counter(m["To"].addresses[0].addr_spec for m in msgs)
        assert per_rcpt == Counter(everyone)
        assert len({m["Message-ID"] for m in msgs}) == len(everyone)
    finally:
        stack.stop()


def test_permanent_refusal_is_marked_failed_in_the_back_office(smtp):
    stack = stack_for(smtp)
    try:
        stack.add_user("mail-admin@example.org", "correct horse battery staple")
        refused = unique("reject") + "@example.org"
        assert stack.client().join("Refused Person", refused).status_code == 303
        office = stack.client()
        assert office.login("mail-admin@example.org",
                            "correct horse battery staple").status_code == 303

        def failed_row():
            page = office.get("/office/mail").text
            return [l for l in page.splitlines() if refused in l and "failed" in l]
        wait_for("a failed mail in the back office", failed_row)
        assert smtp.messages() == []
    finally:
        stack.stop()
