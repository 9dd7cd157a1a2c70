"""test_tracking.py: sending and tracking, through the real stack and a real SMTP server.

Behind nginx and Apache (the stack fixture's two web servers), with aiosmtpd taking the
mail into a Maildir read as a mail client reads it. The stack's worker daemon is held
(Mail.Hold = 1): each test runs `hearthctl worker --once` itself, as many passes as it
means, so what one pass sends can be counted (the throttle) and time can be moved on
(HEARTH_CLOCK_OFFSET) without sleeping. DKIM signatures are checked with python3-dkim
against a key made for the run; the open pixel, the signed redirect links, the send-time
checks and the frequency cap are checked on campaign mails.
"""

import base64
import email
import email.policy
import mailbox
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import dkim
import pytest

from hearth_stack import (HEARTHCTL, REPO, Stack, csrf_token, free_port, input_value,
                          signup_fields, unique)

HERE = Path(__file__).resolve().parent
SELECTOR = "hearth"
DOMAIN = "jobs.example"
CAREERS = "https://careers.example.org/jobs"
DOMAIN_RATE = 2


def parse(raw):
    return email.message_from_bytes(raw, policy=email.policy.default)


class SMTPSink:
    """aiosmtpd on loopback delivering into a Maildir (tests/e2e/smtp_sink.py)."""

    def __init__(self):
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="s5-smtp-"))
        self.maildir = self.dir / "Maildir"
        self.proc = subprocess.Popen(
            ["/usr/bin/python3", "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:%d" % self.port,
             "-c", "smtp_sink.Maildir", str(self.maildir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env=dict(os.environ, PYTHONPATH=str(HERE)))
        import socket
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise AssertionError("aiosmtpd did not start")
                time.sleep(0.1)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)
        shutil.rmtree(self.dir, ignore_errors=True)

    def raw(self):
        """Every message taken so far, as bytes."""
        if not self.maildir.exists():
            return []
        box = mailbox.Maildir(str(self.maildir), create=False)
        return [box.get_bytes(k) for k in box.keys()]

    def to(self, address):
        """(raw, parsed) of each message to ADDRESS."""
        out = []
        for raw in self.raw():
            msg = parse(raw)
            if msg["To"].addresses[0].addr_spec.lower() == address.lower():
                out.append((raw, msg))
        return out


class DKIMKey:
    """An RSA key for the run, and its DNS TXT record."""

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="s5-dkim-"))
        os.chmod(self.dir, 0o755)
        self.path = self.dir / "dkim.pem"
        subprocess.run(["openssl", "genrsa", "-out", str(self.path), "2048"], check=True,
                       capture_output=True)
        os.chmod(self.path, 0o644)
        der = subprocess.run(["openssl", "rsa", "-in", str(self.path), "-pubout", "-outform",
                              "DER"], check=True, capture_output=True).stdout
        self.txt = b"v=DKIM1; k=rsa; p=" + base64.b64encode(der)

    def dns(self, name, timeout=5):
        """python3-dkim's dnsfunc: our record for our selector, nothing else."""
        if name.rstrip(b".") == ("%s._domainkey.%s" % (SELECTOR, DOMAIN)).encode():
            return self.txt
        return None


@pytest.fixture(scope="module")
def env(request):
    """The stack (nginx, then Apache), its SMTP sink and DKIM key."""
    yield from _env(request.param)


def _env(server):
    sink = SMTPSink()
    key = DKIMKey()
    local = "\n".join([
        "Mail.SMTPUrl = smtp://127.0.0.1:%d" % sink.port,
        "Mail.From = talent@%s" % DOMAIN,
        "Mail.Hold = 1",
        "Mail.RatePerSecond = 0",
        "Mail.DomainRatePerSecond = %d" % DOMAIN_RATE,
        "Mail.DKIMKeyFile = %s" % key.path,
        "Mail.DKIMSelector = %s" % SELECTOR,
        "Mail.DKIMDomain = %s" % DOMAIN,
        "Site.CareersURL = %s" % CAREERS,
        "Campaign.CapMails = 2",
        "Campaign.CapDays = 7",
        "Campaign.QuietFrom = 0",
        "Campaign.QuietTo = 0",
        "",
    ])
    stack = Stack(server, local=local).start()
    e = Env(stack, sink, key)
    try:
        yield e
    finally:
        stack.stop()
        sink.stop()
        shutil.rmtree(key.dir, ignore_errors=True)


def pytest_generate_tests(metafunc):
    if "env" in metafunc.fixturenames:
        metafunc.parametrize("env", ["nginx", "apache"], indirect=True, scope="module")


class Env:
    def __init__(self, stack, sink, key):
        self.stack = stack
        self.sink = sink
        self.key = key
        # The worker passes the tests run: the stack's settings, mail not held.
        self.once_conf = stack.var / "s5-once.hdf"
        self.once_conf.write_text((stack.var / "hearth-run.hdf").read_text() +
                                  "\nMail.Hold = 0\n")

    def worker_pass(self, offset=0):
        """One pass of the worker (mail, campaigns), OFFSET seconds from now."""
        e = dict(self.stack.env, HEARTH_CONF=str(self.once_conf),
                 HEARTH_CLOCK_OFFSET=str(int(offset)))
        r = subprocess.run([str(HEARTHCTL), "worker", "--once"], capture_output=True,
                           text=True, env=e, cwd=REPO, timeout=60)
        assert r.returncode == 0, "worker --once: %s%s" % (r.stdout, r.stderr)
        return r

    def ctl(self, *args, offset=0):
        e = dict(self.stack.env, HEARTH_CLOCK_OFFSET=str(int(offset)))
        return subprocess.run([str(HEARTHCTL)] + [str(a) for a in args], capture_output=True,
                              text=True, env=e, cwd=REPO, timeout=60)

    def client(self):
        return self.stack.client()

    def one_mail(self, address, subject=None):
        got = [(raw, m) for raw, m in self.sink.to(address)
               if subject is None or str(m["Subject"]).startswith(subject)]
        assert len(got) == 1, "mails to %s%s: %s" % (
            address, " (%s)" % subject if subject else "", [str(m["Subject"]) for _, m in got])
        return got[0]


def text_of(msg):
    return msg.get_body(preferencelist=("plain",)).get_content()


def html_of(msg):
    return msg.get_body(preferencelist=("html",)).get_content()


def token_of(link):
    return parse_qs(urlsplit(link).query)["t"][0]


def local(link):
    u = urlsplit(link)
    return u.path + ("?" + u.query if u.query else "")


def link_to(msg, path):
    links = set(re.findall(r"https?://\S+%s\?t=[A-Za-z0-9_.-]+" % re.escape(path),
                           text_of(msg)))
    assert len(links) == 1, "links to %s: %s" % (path, links)
    return links.pop()


def join_and_confirm(env, address, tracking):
    """Signs up (open tracking ticked or not), runs a pass for the confirmation mail and
    follows it; returns the preference centre's link."""
    c = env.client()
    extra = {"tracking": "1"} if tracking else {}
    assert c.join("Ada " + unique(), address, **extra).status_code == 303
    env.worker_pass()
    _, msg = env.one_mail(address, "Please confirm")
    link = link_to(msg, "/confirm")
    r = c.get(local(link))
    assert r.status_code == 200
    r = c.post("/confirm", data={"t": token_of(link), "csrf_token": csrf_token(r.text)})
    assert r.status_code == 303, r.text[:400]
    return "/preferences?t=" + token_of(r.headers["Location"])


def tracking_box(page):
    """Whether the tracking checkbox on PAGE is ticked (it must be there)."""
    m = re.search(r'<input type="checkbox"[^>]*name="tracking"[^>]*>', page)
    assert m, "no tracking checkbox on the page"
    return " checked" in m.group(0)


# -- open tracking is a choice ---------------------------------------------------------

def test_signup_form_asks_for_open_tracking_unticked(env):
    r = env.client().get("/")
    assert r.status_code == 200
    assert tracking_box(r.text) is False
    assert "when you open our emails" in r.text


def test_tracking_choice_in_the_preference_centre_with_its_ledger_event(env):
    address = unique("pc") + "@example.org"
    prefs = join_and_confirm(env, address, tracking=False)
    c = env.client()
    r = c.get(prefs)
    assert r.status_code == 200 and tracking_box(r.text) is False
    data = {"t": token_of(prefs), "csrf_token": csrf_token(r.text),
            "interests": ["engineering"], "city": "Lisbon", "country": "Portugal",
            "seniority": "mid", "skills": "Python", "frequency": "roles", "pause": "0",
            "tracking": "1"}
    r = c.post("/preferences", data=data)
    assert r.status_code == 303, r.text[:400]
    r = c.get(r.headers["Location"])
    assert tracking_box(r.text) is True
    # Unticked again: saved as no.
    del data["tracking"]
    data["csrf_token"] = csrf_token(r.text)
    assert c.post("/preferences", data=data).status_code == 303
    assert tracking_box(c.get(prefs).text) is False
    doc = export(env, prefs, address)
    events = doc["consent_ledger"]
    assert [e["type"] for e in events] == ["granted", "confirmed", "updated", "updated"]
    assert [e.get("tracking") for e in events] == [False, False, True, False]
    assert doc["profile"]["prefs"]["tracking"] is False


def test_signup_with_tracking_ticked_is_stored(env):
    address = unique("tk") + "@example.org"
    prefs = join_and_confirm(env, address, tracking=True)
    assert tracking_box(env.client().get(prefs).text) is True


def export(env, prefs_link, address):
    c = env.client()
    r = c.get(prefs_link)
    before = len(env.sink.to(address))
    r = c.post("/preferences/request", data={"t": token_of(prefs_link), "kind": "export",
                                             "csrf_token": csrf_token(r.text)})
    assert r.status_code == 200
    env.worker_pass()
    msgs = [m for _, m in env.sink.to(address)]
    assert len(msgs) == before + 1
    link = link_to([m for m in msgs if "/export?t=" in text_of(m)][0], "/export")
    r = c.get(local(link))
    r = c.post("/export", data={"t": token_of(link), "csrf_token": csrf_token(r.text)})
    assert r.status_code == 200
    return r.json()


# -- links that are not ours -------------------------------------------------------------

FORGED = [
    "/r",
    "/r?m=1",
    "/r?m=1&u=https%3A%2F%2Fevil.example%2F&s=" + "A" * 43,
    "/r?m=1&u=https%3A%2F%2Fevil.example%2F",
    "/r?u=https%3A%2F%2Fevil.example%2F&s=x",
    "/r?m=abc&u=https%3A%2F%2Fevil.example%2F&s=x",
    "/r?m=1&u=javascript%3Aalert(1)&s=x",
    "/o",
    "/o?m=1&s=" + "A" * 43,
]


@pytest.mark.parametrize("path", FORGED)
def test_forged_tracking_links_are_404_and_never_redirect(env, path):
    r = env.client().get(path)
    assert r.status_code == 404, (path, r.status_code)
    assert "Location" not in r.headers
    assert "not one of ours" in r.text


# -- headers, DKIM, throttle (any mail) -----------------------------------------------------

def verify_dkim(env, raw):
    return dkim.verify(raw, dnsfunc=env.key.dns)


def test_mail_is_dkim_signed_with_unsubscribe_headers(env):
    address = unique("dk") + "@example.org"
    assert env.client().join("Dee Kim", address).status_code == 303
    env.worker_pass()
    raw, msg = env.one_mail(address, "Please confirm")
    assert raw.startswith(b"DKIM-Signature: ")
    sig = msg["DKIM-Signature"]
    tags = dict(t.strip().split("=", 1) for t in re.sub(r"\s+", "", str(sig)).split(";") if t)
    assert tags["a"] == "rsa-sha256" and tags["c"] == "relaxed/relaxed"
    assert tags["d"] == DOMAIN and tags["s"] == SELECTOR
    signed = {h.lower() for h in tags["h"].split(":")}
    assert {"from", "to", "subject", "date", "message-id", "mime-version", "content-type",
            "list-unsubscribe", "list-unsubscribe-post"} <= signed
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/unsubscribe/one-click?t=" in msg["List-Unsubscribe"]
    assert verify_dkim(env, raw)
    # A changed subject or body no longer verifies: the signature covers them.
    assert not verify_dkim(env, raw.replace(b"Subject: Please", b"Subject: Pleased", 1))
    body_at = re.search(rb"\r?\n\r?\n", raw).end()
    assert not verify_dkim(env, raw[:body_at] + raw[body_at:].replace(b"confirm", b"c0nfirm", 1))


def test_throttle_spaces_mails_per_domain_in_each_pass(env):
    tag = unique("th")
    alpha = ["%s-a%d@alpha-%s.example" % (tag, i, tag) for i in range(5)]
    beta = ["%s-b%d@beta-%s.example" % (tag, i, tag) for i in range(3)]
    c = env.client()
    for a in alpha + beta:
        assert c.join("Throttle Person", a).status_code == 303

    def delivered():
        return {a for a in alpha + beta if env.sink.to(a)}

    env.worker_pass()
    first = delivered()
    # One pass: DOMAIN_RATE of each domain, the others' turn later; alpha's wait does
    # not hold beta's back.
    assert len(first & set(alpha)) == DOMAIN_RATE
    assert len(first & set(beta)) == DOMAIN_RATE
    # The rest come in later passes, as their turns come, each mail once.
    for n in range(1, 6):
        env.worker_pass(offset=2 * n)
        if delivered() == set(alpha + beta):
            break
    assert delivered() == set(alpha + beta)
    for a in alpha + beta:
        assert len(env.sink.to(a)) == 1
