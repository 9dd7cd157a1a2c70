"""test_mail_tls.py: mail over TLS with SMTP AUTH, to a server whose certificate comes
from a private CA (Mail.CAFile).

A throw-away CA and certificates are made with openssl for this run; the server is
aiosmtpd (tests/e2e/smtp_tls_server.py), which takes mail only over TLS and after AUTH
and stamps each message with how the session went. The mails are read from its Maildir
as a mail client reads them, their state from the back office as an admin sees it.
"""

import html
import mailbox
import re
import selectors
import shutil
import subprocess
import tempfile
import time
from collections import Counter
from pathlib import Path

import pytest

from hearth_stack import Stack, free_port, mails, unique, wait_for, wait_for_mail

HERE = Path(__file__).resolve().parent
USER = "hearth-mailer"
PASSWORD = "s3cret pass=word"       # a space and an "=": read as one HDF value
ADMIN = ("tls-admin@example.org", "correct horse battery staple")


# -- a private CA ---------------------------------------------------------------------

CA_CNF = """[req]
distinguished_name = dn
prompt = no
[dn]
CN = %s
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
"""

LEAF_EXT = """basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = %s
"""


def openssl(*args):
    r = subprocess.run(["openssl"] + list(args), capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, "openssl %s failed: %s" % (args[0], r.stderr)


class PKI:
    """CAs and server certificates (P-256 keys, valid for two days) in one directory."""

    def __init__(self, path):
        self.path = path

    def ca(self, name):
        (self.path / (name + ".cnf")).write_text(CA_CNF % ("Hearth test CA " + name))
        openssl("req", "-x509", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-nodes", "-keyout", str(self.path / (name + ".key")),
                "-out", str(self.path / (name + ".pem")), "-days", "2",
                "-config", str(self.path / (name + ".cnf")), "-extensions", "ca")
        return self.path / (name + ".pem")

    def leaf(self, name, ca, san):
        """(cert, key) for a server, signed by CA (a name given to ca()), naming SAN."""
        key, csr = self.path / (name + ".key"), self.path / (name + ".csr")
        cert, ext = self.path / (name + ".pem"), self.path / (name + ".ext")
        ext.write_text(LEAF_EXT % san)
        openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-nodes", "-keyout", str(key), "-out", str(csr), "-subj", "/CN=" + name)
        openssl("x509", "-req", "-in", str(csr), "-CA", str(self.path / (ca + ".pem")),
                "-CAkey", str(self.path / (ca + ".key")), "-set_serial",
                str(int(time.time() * 1000)), "-days", "2", "-extfile", str(ext),
                "-out", str(cert))
        return cert, key


@pytest.fixture(scope="module")
def pki():
    """ca: the CA Hearth is told to trust; good: its certificate for 127.0.0.1 and
    localhost; rogue: the same names from a CA nobody trusts; wrong_name: from the
    trusted CA, for another host."""
    d = Path(tempfile.mkdtemp(prefix="hearth-pki-"))
    p = PKI(d)
    p.ca_file = p.ca("trusted")
    p.ca("rogue")
    p.good = p.leaf("good", "trusted", "IP:127.0.0.1, DNS:localhost")
    p.rogue = p.leaf("rogue-server", "rogue", "IP:127.0.0.1, DNS:localhost")
    p.wrong_name = p.leaf("wrong-name", "trusted", "DNS:mail.example.net")
    yield p
    shutil.rmtree(d, ignore_errors=True)


# -- the SMTP server ------------------------------------------------------------------

class TLSServer:
    """tests/e2e/smtp_tls_server.py on PORT (a free one unless given), with its own
    Maildir and event log."""

    def __init__(self, mode, cert_key, port=None):
        self.mode = mode
        self.cert, self.key = cert_key
        self.port = port or free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="hearth-smtp-tls-"))
        self.maildir = self.dir / "Maildir"
        self.events_path = self.dir / "events.log"
        self.proc = None

    def start(self):
        with open(self.dir / "server.log", "wb") as err:
            self.proc = subprocess.Popen(
                ["/usr/bin/python3", str(HERE / "smtp_tls_server.py"), "--mode", self.mode,
                 "--port", str(self.port), "--cert", str(self.cert), "--key", str(self.key),
                 "--user", USER, "--password", PASSWORD, "--events", str(self.events_path),
                 str(self.maildir)],
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=err)
        sel = selectors.DefaultSelector()
        sel.register(self.proc.stdout, selectors.EVENT_READ)
        ready = sel.select(15) and self.proc.stdout.readline() == b"ready\n"
        sel.close()
        if not ready:
            self.stop()
            raise AssertionError("smtp_tls_server.py did not start:\n" +
                                 (self.dir / "server.log").read_text(errors="replace"))
        return self

    def stop(self):
        if self.proc:
            self.proc.terminate()
            self.proc.wait(timeout=10)
            self.proc.stdout.close()
            self.proc = None

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def box(self):
        return mailbox.Maildir(str(self.maildir), create=True)

    def messages(self):
        return mails(self.box())

    def events(self, kind=None):
        """The event lines ("auth-ok USER", "tls-fail REASON"...), of KIND if given."""
        try:
            lines = self.events_path.read_text().splitlines()
        except FileNotFoundError:
            return []
        return [l for l in lines if kind is None or l.split(" ", 1)[0] == kind]


@pytest.fixture
def servers():
    """Starts TLSServers for a test and removes them, their Maildirs included, after it."""
    started = []

    def start(*args, **kwargs):
        s = TLSServer(*args, **kwargs).start()
        started.append(s)
        return s
    yield start
    for s in started:
        s.cleanup()


# -- Hearth ---------------------------------------------------------------------------

def mail_conf(url, ca_file, password=PASSWORD, starttls=True):
    return ("Mail.SMTPUrl = %s\nMail.SMTPUser = %s\nMail.SMTPPassword = %s\n"
            "Mail.StartTLS = %d\nMail.CAFile = %s\n"
            % (url, USER, password, 1 if starttls else 0, ca_file))


@pytest.fixture
def stacks():
    """Starts Stacks for a test; stops whichever still run after it, even on failure."""
    started = []

    def start(*args, **kwargs):
        s = Stack(*args, **kwargs)
        started.append(s)
        return s.start()
    yield start
    # Newest first, and only those still running: a stack stopped with keep=True has
    # handed its var directory (and var/run/pids) to the next one.
    for s in reversed(started):
        if s.proc is not None and s.proc.poll() is None:
            s.stop(check=False)


class Office:
    """The back office's mail list, as an admin reads it."""

    def __init__(self, stack):
        self.client = stack.client()
        r = self.client.login(*ADMIN)
        assert r.status_code == 303, "login to the back office answered %d" % r.status_code

    def mail(self, to):
        """(state, attempts) of the newest mail to TO on /office/mail, or None."""
        r = self.client.get("/office/mail")
        assert r.status_code == 200
        for row in re.findall(r"<tr class=\"mail-[^\"]*\">(.*?)</tr>", r.text, re.S):
            cells = [html.unescape(re.sub(r"<[^>]*>", "", c)).strip()
                     for c in re.findall(r"<td>(.*?)</td>", row, re.S)]
            if cells[1] == to:
                return cells[3], int(cells[4])
        return None

    def wait_for(self, to, state, attempts=1):
        """Waits until the mail to TO is in STATE after at least ATTEMPTS attempts;
        returns its attempts."""
        def probe():
            m = self.mail(to)
            return m and m[0] == state and m[1] >= attempts and m
        return wait_for(lambda: "mail to %s %s after %d attempt(s) (it is %s)"
                        % (to, state, attempts, self.mail(to)), probe)[1]


def received(msg):
    """The server's Received: header: how it says the message came in."""
    return str(msg["Received"])


def signup(stack, prefix):
    address = unique(prefix) + "@example.org"
    assert stack.client().join("Tess Tls", address).status_code == 303
    return address


def delivered_over_tls_with_auth(msg, address):
    assert msg["To"].addresses[0].addr_spec == address
    assert str(msg["Subject"]).startswith("Please confirm")
    got = received(msg)
    assert " with ESMTPSA " in got, got
    assert re.search(r"\(TLSv1\.[23] ", got), got
    assert "(authenticated as %s)" % USER in got, got


# -- the tests ------------------------------------------------------------------------

def test_starttls_with_auth_delivers_to_a_server_of_a_private_ca(pki, servers, stacks):
    server = servers("starttls", pki.good)
    stack = stacks("nginx", local=mail_conf("smtp://127.0.0.1:%d" % server.port,
                                            pki.ca_file))
    address = signup(stack, "starttls")
    msg = wait_for_mail(server.box(), address)
    delivered_over_tls_with_auth(msg, address)
    # One TLS session, one login, nothing refused; the outbox stayed empty.
    assert server.events("auth-ok") == ["auth-ok " + USER]
    assert server.events("auth-fail") == [] and server.events("tls-fail") == []
    assert not list((stack.var / "outbox").glob("*.eml"))
    assert "without TLS" not in stack.log()


def test_smtps_with_auth_delivers(pki, servers, stacks):
    server = servers("smtps", pki.good)
    # By name this time: the certificate's DNS name, not its IP address, is checked.
    stack = stacks("nginx", local=mail_conf("smtps://localhost:%d" % server.port,
                                            pki.ca_file, starttls=False))
    address = signup(stack, "smtps")
    msg = wait_for_mail(server.box(), address)
    delivered_over_tls_with_auth(msg, address)
    assert server.events("auth-ok") == ["auth-ok " + USER]
    assert "without TLS" not in stack.log()


def test_wrong_password_keeps_mail_queued_until_fixed_then_delivers_once(
        pki, servers, stacks):
    server = servers("starttls", pki.good)
    url = "smtp://127.0.0.1:%d" % server.port
    first = stacks("nginx", local=mail_conf(url, pki.ca_file, password="not the password"))
    first.add_user(*ADMIN)
    address = signup(first, "wrongpw")

    # The worker logs in, is refused, and tries again later: nothing is delivered and
    # the mail is queued, not failed.
    wait_for("two refused logins", lambda: len(server.events("auth-fail")) >= 2)
    tried = Office(first).wait_for(address, "queued", 2)
    assert server.messages() == []
    assert server.events("auth-ok") == []
    assert re.search(r"smtp: to <%s>: .*\(reply 535\)" % re.escape(address), first.log())
    first.stop(keep=True)

    # The admin puts the right password in and restarts: the mail goes, once.
    fixed = stacks("nginx", var=first.var, local=mail_conf(url, pki.ca_file))
    msg = wait_for_mail(server.box(), address)
    delivered_over_tls_with_auth(msg, address)
    assert Office(fixed).wait_for(address, "sent", tried + 1)
    time.sleep(2)                                # nothing more trickles in
    assert Counter(m["To"].addresses[0].addr_spec for m in server.messages()) == \
        Counter([address])
    assert server.events("auth-ok") == ["auth-ok " + USER]


def test_certificate_not_from_the_configured_ca_or_for_another_host_keeps_mail_queued(
        pki, servers, stacks):
    rogue = servers("starttls", pki.rogue)
    stack = stacks("nginx", local=mail_conf("smtp://127.0.0.1:%d" % rogue.port,
                                            pki.ca_file))
    stack.add_user(*ADMIN)
    office = Office(stack)

    # A certificate from a CA Hearth was not told to trust: the worker breaks off the
    # handshake, twice (so it retries), and never sends the password.
    address = signup(stack, "rogueca")
    wait_for("two refused handshakes", lambda: len(rogue.events("tls-fail")) >= 2)
    office.wait_for(address, "queued", 2)
    assert rogue.messages() == [] and rogue.events("auth-ok") == [] \
        and rogue.events("auth-fail") == []
    assert re.search(r"smtp: to <%s>: SSL certificate problem" % re.escape(address),
                     stack.log())
    rogue.stop()

    # From the right CA but for another host: refused after the handshake, before AUTH.
    other = servers("starttls", pki.wrong_name, port=rogue.port)
    second = signup(stack, "wrongname")
    wait_for("a check of the host name", lambda: re.search(
        r"smtp: to <[^>]+>: .*(subject name|host name)", stack.log()))
    office.wait_for(second, "queued", 1)
    office.wait_for(address, "queued", 2)     # (not "sending": between two attempts)
    # The server saw the handshake through (the name is checked after it), then no AUTH.
    wait_for("a completed handshake", lambda: other.events("tls-ok"))
    assert other.events("auth-ok") == [] and other.events("auth-fail") == []
    assert other.messages() == []
