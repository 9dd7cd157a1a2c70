"""test_mail.py: the welcome mail of a signup, read as a mail client reads it.

Once with no mail server (the worker writes var/outbox/*.eml) and once through a real
SMTP server on loopback (aiosmtpd writing a Maildir).
"""

import email
import email.policy
import mailbox
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from hearth_stack import Stack, free_port, unique

# Deliveries happen on the worker's next pass (about once a second).
DELIVERY_TIMEOUT = 20
NAME = "Zoë Ångström-王"


def parse(raw):
    return email.message_from_bytes(raw, policy=email.policy.default)


def wait_for(what, probe):
    deadline = time.monotonic() + DELIVERY_TIMEOUT
    while time.monotonic() < deadline:
        found = probe()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError("no %s after %ds" % (what, DELIVERY_TIMEOUT))


def assert_welcome(msg, address):
    assert msg["To"].addresses[0].addr_spec == address
    # The display name went out RFC 2047-encoded and comes back intact.
    assert msg["To"].addresses[0].display_name == NAME
    assert "Welcome to the Hearth talent community" in msg["Subject"]
    assert msg["From"].addresses[0].display_name == "Hearth talent team"
    assert msg["Message-ID"].startswith("<") and "@" in msg["Message-ID"]
    assert msg["Date"].datetime is not None
    assert msg.get_content_type() == "text/plain"
    body = msg.get_content()
    assert "Hello %s," % NAME in body
    assert address in body


def test_welcome_mail_lands_in_the_outbox(tmp_path):
    stack = Stack("nginx").start()
    try:
        address = unique("outbox") + "@example.org"
        r = stack.client().join(NAME, address)
        assert r.status_code == 303
        outbox = stack.var / "outbox"
        files = wait_for("mail in %s" % outbox, lambda: sorted(outbox.glob("*.eml")))
        assert len(files) == 1
        assert_welcome(parse(files[0].read_bytes()), address)
        # Signing up again sends nothing more.
        assert stack.client().join(NAME, address.upper()).status_code == 303
        time.sleep(3)
        assert len(list(outbox.glob("*.eml"))) == 1
    finally:
        stack.stop()


@pytest.fixture
def smtp_server():
    """A real SMTP server on loopback: aiosmtpd, delivering into a Maildir."""
    port = free_port()
    maildir = Path(tempfile.mkdtemp(prefix="hearth-smtp-")) / "Maildir"
    proc = subprocess.Popen(
        ["/usr/bin/python3", "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:%d" % port,
         "-c", "aiosmtpd.handlers.Mailbox", str(maildir)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while not maildir.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    try:
        yield port, mailbox.Maildir(str(maildir), create=False)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_welcome_mail_goes_through_smtp(smtp_server):
    port, box = smtp_server
    stack = Stack("nginx", local="Mail.SMTPUrl = smtp://127.0.0.1:%d\n" % port).start()
    try:
        address = unique("smtp") + "@example.org"
        assert stack.client().join(NAME, address).status_code == 303
        keys = wait_for("message in the Maildir", lambda: box.keys())
        assert len(keys) == 1
        msg = parse(box.get_bytes(keys[0]))
        assert_welcome(msg, address)
        # Nothing was written to the outbox: the server took it.
        assert not list((stack.var / "outbox").glob("*.eml"))
    finally:
        stack.stop()
