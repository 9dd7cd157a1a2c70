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
import json
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

from hearth_stack import HEARTHCTL, REPO, Stack, csrf_token, free_port, unique

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
        got = env.sink.to(a)
        assert len(got) == 1, " ".join("%s@%s" % (m["Message-ID"], m["Date"]) for _, m in got)


# -- campaign mails ----------------------------------------------------------------------

HELPER_SRC = HERE / "s5_campaign.c"


@pytest.fixture(scope="session")
def helper():
    """tests/e2e/s5_campaign.c built against build/libhearth.a with the Makefile's LIBS."""
    libs = re.search(r"^LIBS := (.*)$", (REPO / "Makefile").read_text(), re.M).group(1)
    out = Path(tempfile.mkdtemp(prefix="s5-helper-")) / "s5_campaign"
    r = subprocess.run(["cc", "-std=gnu11", "-D_GNU_SOURCE", "-I", str(REPO), "-I",
                        str(REPO / "lib"), "-I/usr/include/ClearSilver", str(HELPER_SRC),
                        str(REPO / "build" / "libhearth.a"), "-o", str(out)] + libs.split(),
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    yield out
    shutil.rmtree(out.parent, ignore_errors=True)


class Campaigns:
    def __init__(self, env, helper):
        self.env = env
        self.helper = helper
        self.user = self._user()

    def run(self, *args):
        r = subprocess.run([str(self.helper)] + [str(a) for a in args], capture_output=True,
                           text=True, env=self.env.stack.env, cwd=REPO, timeout=60)
        assert r.returncode == 0, "s5_campaign %s: %s" % (args, r.stderr)
        return r.stdout.strip()

    def _user(self):
        email = unique("owner") + "@jobs.example"
        self.env.stack.add_user(email, "correct horse battery staple")
        r = self.env.ctl("user", "list")
        for line in r.stdout.splitlines():
            if email in line:
                return int(line.split()[0])
        raise AssertionError("no user %s in: %s" % (email, r.stdout))

    def cand(self, address):
        for cid, addr, _ in self.env.stack.candidates():
            if addr == address:
                return cid
        raise AssertionError("no candidate %s" % address)

    def make(self, subject, body, people, queue_now=False):
        """An active campaign (an email, then a 30-day wait) whose pool holds PEOPLE
        (addresses), each enrolled by hand: the worker's next pass runs the first step
        (the sequence engine queues the mail) and delivers it. With QUEUE_NOW the
        helper runs the first step itself at once (as an engine run earlier would have:
        the mail queued, the enrolment moved on to its wait). Returns its id."""
        pool = self.run("pool", "Pool " + unique())
        for a in people:
            self.run("member", pool, self.cand(a))
        spec = {"name": "Campaign " + unique(), "pools": [int(pool)], "auto": False,
                "goal": "", "window": {"from": 0, "to": 24, "weekdays": False},
                "owner": self.user,
                "steps": [{"type": "email", "variants": [{"subject": subject, "body": body}]},
                          {"type": "wait", "days": 30, "hours": 0}]}
        path = Path(tempfile.mkdtemp(prefix="s5-camp-")) / "c.json"
        path.write_text(json.dumps(spec))
        camp = int(self.run("campaign", path, self.user))
        shutil.rmtree(path.parent, ignore_errors=True)
        for a in people:
            self.run("enrol", camp, self.cand(a), self.user)
            if queue_now:
                self.run("send", camp, self.cand(a))
        return camp


@pytest.fixture
def campaigns(env, helper):
    return Campaigns(env, helper)


def passes_until(env, probe, n=6, offset=0):
    """Worker passes until PROBE() is true (at most N): campaigns queue, then mail goes."""
    for _ in range(n):
        env.worker_pass(offset=offset)
        found = probe()
        if found:
            return found
    raise AssertionError("nothing after %d worker passes" % n)


def campaign_mail(env, address, subject):
    return passes_until(env, lambda: [(raw, m) for raw, m in env.sink.to(address)
                                      if str(m["Subject"]).startswith(subject)])[0]


def tracked_links(msg):
    """Every /r link in the text part, as {original URL: link}."""
    out = {}
    for link in re.findall(r"https?://\S+/r\?m=\d+&u=[^&\s]+&s=[A-Za-z0-9_-]+", text_of(msg)):
        out[parse_qs(urlsplit(link).query)["u"][0]] = link
    return out


ROLE = "https://jobs.example.org/roles/42?from=mail"
CAREERS_PAGE = CAREERS + "/engineering"
BODY = ("Hello {{first_name}},\n\nA role for you: %s\n\nAll our roles: %s\n\n"
        "{{owner_name|The talent team}}" % (ROLE, CAREERS_PAGE))


def test_campaign_links_are_tracked_and_only_signed_ones_redirect(env, campaigns):
    tracked = unique("ta") + "@example.org"
    plain = unique("tb") + "@example.org"
    prefs = join_and_confirm(env, tracked, tracking=True)
    join_and_confirm(env, plain, tracking=False)
    subject = "Roles " + unique()
    campaigns.make(subject + " for {{first_name}}", BODY, [tracked, plain])
    raw_a, msg_a = campaign_mail(env, tracked, subject)
    raw_b, msg_b = campaign_mail(env, plain, subject)

    # Every header of the talent-community mail, signed.
    for raw, msg in ((raw_a, msg_a), (raw_b, msg_b)):
        assert verify_dkim(env, raw)
        assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert "/unsubscribe/one-click?t=" in msg["List-Unsubscribe"]
        assert "/preferences?t=" in text_of(msg) and "/unsubscribe?t=" in text_of(msg)
        assert "/preferences?t=" in html_of(msg)
        # No link to the outside world that is not tracked.
        assert ROLE not in text_of(msg).replace(quote(ROLE, safe=""), "")
    # The pixel only for the person who allowed it.
    assert re.search(r'<img src="[^"]+/o\?m=\d+&amp;s=', html_of(msg_a))
    assert "/o?m=" not in html_of(msg_b)

    links = tracked_links(msg_a)
    assert set(links) == {ROLE, CAREERS_PAGE}
    c = env.client()
    r = c.get(local(links[ROLE]))
    assert r.status_code == 302 and r.headers["Location"] == ROLE
    r = c.get(local(links[CAREERS_PAGE]))
    assert r.status_code == 302 and r.headers["Location"] == CAREERS_PAGE

    # Changed on the way: another URL, signature or mail is a 404, never a redirect.
    q = parse_qs(urlsplit(links[ROLE]).query)
    m, s = q["m"][0], q["s"][0]
    other_m = parse_qs(urlsplit(tracked_links(msg_b)[ROLE]).query)["m"][0]
    for path in ["/r?m=%s&u=%s&s=%s" % (m, quote("https://evil.example/", safe=""), s),
                 "/r?m=%s&u=%s&s=%s" % (m, quote(ROLE + "x", safe=""), s),
                 "/r?m=%s&u=%s&s=%s" % (m, quote(ROLE, safe=""), s[:-2] + "AA"),
                 "/r?m=%s&u=%s&s=%s" % (other_m, quote(ROLE, safe=""), s),
                 "/r?m=%s&u=%s" % (m, quote(ROLE, safe=""))]:
        r = c.get(path)
        assert r.status_code == 404 and "Location" not in r.headers, path

    # The pixel answers a GIF.
    pixel = re.search(r'<img src="([^"]+/o\?m=[^"]+)"', html_of(msg_a)).group(1)
    r = c.get(local(pixel.replace("&amp;", "&")))
    assert r.status_code == 200 and r.headers["Content-Type"] == "image/gif"
    assert r.content.startswith(b"GIF89a")

    # What was recorded: the clicks, the career-page visit, the open, once per mail.
    doc = export(env, prefs, tracked)
    kinds = [(t["kind"], t["channel"], t["detail"].get("url"))
             for t in doc["touchpoints"] if t["kind"] in ("click", "visit")]
    assert kinds == [("click", "email", ROLE), ("click", "email", CAREERS_PAGE),
                     ("visit", "email", CAREERS_PAGE)]
    mail = [m for m in doc["mails"] if m["kind"] == "campaign"][0]
    assert mail["state"] == "sent" and mail["clicked"] is True and mail["opened"] is True


def test_withdrawn_between_queueing_and_sending_is_cancelled(env, campaigns):
    address = unique("wd") + "@example.org"
    prefs = join_and_confirm(env, address, tracking=False)
    subject = "Withdrawn " + unique()
    campaigns.make(subject, BODY, [address])
    # A pass with mail held: the sequence engine queues the mail, nothing is sent.
    held = dict(env.stack.env, HEARTH_CLOCK_OFFSET="0")
    r = subprocess.run([str(HEARTHCTL), "worker", "--once"], capture_output=True, text=True,
                       env=held, cwd=REPO, timeout=60)
    assert r.returncode == 0, r.stderr
    # They leave before the worker sends it.
    c = env.client()
    form = re.search(r'<form method="post" action="/unsubscribe">(.*?)</form>',
                     c.get(prefs).text, re.S).group(1)
    t = re.search(r'name="t" value="([^"]+)"', form).group(1)
    page = c.get("/unsubscribe?t=" + t)
    assert page.status_code == 200
    r = c.post("/unsubscribe", data={"t": t, "csrf_token": csrf_token(page.text)})
    assert r.status_code in (200, 303), r.text[:300]
    for _ in range(3):
        env.worker_pass()
    assert not [m for _, m in env.sink.to(address) if str(m["Subject"]).startswith(subject)]
    doc = export(env, prefs, address)
    mails = [m for m in doc["mails"] if m["kind"] == "campaign"]
    assert len(mails) == 1 and mails[0]["state"] == "cancelled"
    assert mails[0]["why"] in ("withdrawn", "enrolment_ended")


def test_frequency_cap_holds_the_third_campaign_until_the_week_is_over(env, campaigns):
    """Through the sequence engine: at most Campaign.CapMails (2) per 7 days."""
    address = unique("cap") + "@example.org"
    join_and_confirm(env, address, tracking=False)
    subjects = ["Cap %d %s" % (i, unique()) for i in range(3)]
    for s in subjects:
        campaigns.make(s, BODY, [address])

    def got():
        return [s for s in subjects
                if any(str(m["Subject"]).startswith(s) for _, m in env.sink.to(address))]
    for _ in range(3):
        env.worker_pass()
    assert len(got()) == 2
    # Still held a day before the week is over; then it goes, once.
    env.worker_pass(offset=6 * 86400)
    assert len(got()) == 2
    passes_until(env, lambda: len(got()) == 3, n=3, offset=7 * 86400 + 3600)
    assert sorted(got()) == sorted(subjects)
    assert len(env.sink.to(address)) == len({m["Message-ID"] for _, m in env.sink.to(address)})


def test_frequency_cap_at_send_time_defers_and_never_drops(env, campaigns):
    """Mails queued before the cap filled (three at once): the worker sends two and
    defers the third to the time the cap frees, with deferred_until."""
    address = unique("cap") + "@example.org"
    prefs = join_and_confirm(env, address, tracking=False)
    subjects = ["Sendcap %d %s" % (i, unique()) for i in range(3)]
    for s in subjects:
        campaigns.make(s, BODY, [address], queue_now=True)

    def got():
        return [s for s in subjects
                if any(str(m["Subject"]).startswith(s) for _, m in env.sink.to(address))]
    env.worker_pass()
    assert len(got()) == 2
    doc = export(env, prefs, address)
    waiting = [m for m in doc["mails"] if m["kind"] == "campaign" and m["state"] == "queued"]
    assert len(waiting) == 1
    sent_at = min(m["sent"] for m in doc["mails"] if m["kind"] == "campaign" and
                  m["state"] == "sent")
    assert abs(waiting[0]["deferred_until"] - (sent_at + 7 * 86400)) <= 2
    env.worker_pass(offset=6 * 86400)
    assert len(got()) == 2
    passes_until(env, lambda: len(got()) == 3, n=3, offset=7 * 86400 + 60)
    assert sorted(got()) == sorted(subjects)
    assert len(env.sink.to(address)) == len({m["Message-ID"] for _, m in env.sink.to(address)})
