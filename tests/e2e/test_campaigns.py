"""test_campaigns.py: a nurture campaign end to end, through everything that runs it.

Behind nginx and Apache (one stack per web server), with a real SMTP server (aiosmtpd into
a Maildir, read as a mail client reads it) and a real IMAP server (Debian's dovecot on
loopback, tests/e2e/imap_server.py) as the mailbox bounces and replies arrive in. People
sign up and confirm as they would from the confirmation mail; a recruiter builds the
campaign on the office pages, starts it and enrols a pool. Time moves by running
`hearthctl worker --once` with HEARTH_CLOCK_OFFSET (never by sleeping); the stack's own
worker daemon runs as well, on the real clock, so two workers are at work at once.

What it checks, as people and a recruiter would see it:
- a three-step sequence (email, wait 3 days, branch on a click to one of two emails),
  personalised, with a tracked link that redirects to the real page;
- a reply to the first mail, delivered to the IMAP mailbox, ends that person's sequence
  and shows on their timeline; a DSN (5.1.1) marks another address invalid; the
  one-click List-Unsubscribe POST from the mail stops a third: none of them gets more;
- the frequency cap (Campaign.CapMails = 1 per Campaign.CapDays = 2) defers a second
  campaign's mail until the window has passed, never drops it;
- a worker killed (SIGKILL) while it delivers a 200-person step, then started again:
  no person gets two different mails for one step, the scheduler queued each step once,
  and byte-identical re-deliveries (same Message-ID: a kill between the server's
  acceptance and the worker's record of it) are counted and printed, not hidden.

Mail.ClaimSeconds is the tests' 5 seconds (hearth_stack.TEST_DEFAULTS). A worker's
claim on a mail lasts that long, so with two workers at once (the daemon and a test's
pass) a mail still being sent when its claim runs out can be sent again, with the same
Message-ID: the tests print those copies for every scenario and assert on the mails a
person's client shows (one per Message-ID).
"""

import os
import re
import signal
import subprocess
import tempfile
import shutil
import socket
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from hearth_stack import (HEARTHCTL, REPO, Stack, csrf_token, free_port, input_value,
                          parse_form, parse_mail, unescape, unique)
from imap_server import ImapServer

HERE = Path(__file__).resolve().parent
PASSWORD = "correct horse battery staple"
DOMAIN = "hearth.test"                      # Mail.From's: the Message-IDs' domain
CAREERS = "https://careers.example.org/jobs"
ROLE_URL = CAREERS + "/engineering?src=nurture"
DAY = 86400
CAP_DAYS = 2
TIMEOUT = 30
KILL_PEOPLE = 200


# -- the SMTP server -------------------------------------------------------------------

class Sink:
    """aiosmtpd on loopback writing a Maildir (tests/e2e/smtp_sink.py); each message is
    parsed once and kept with its raw bytes."""

    def __init__(self):
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="t5-smtp-"))
        self.maildir = self.dir / "Maildir"
        self.seen = {}
        self.proc = subprocess.Popen(
            ["/usr/bin/python3", "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:%d" % self.port,
             "-c", "smtp_sink.Maildir", str(self.maildir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env=dict(os.environ, PYTHONPATH=str(HERE)))
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.2).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "aiosmtpd did not start"
                time.sleep(0.05)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)
        shutil.rmtree(self.dir, ignore_errors=True)

    def _scan(self):
        new = self.maildir / "new"
        if new.exists():
            for f in os.listdir(new):
                if f not in self.seen:
                    try:
                        msg = parse_mail((new / f).read_bytes())
                    except OSError:
                        continue
                    # Parsed once: header parsing is what costs with hundreds of mails.
                    self.seen[f] = (msg["To"].addresses[0].addr_spec.lower(),
                                    str(msg["Subject"]), msg)
        return self.seen.values()

    def messages(self):
        """Every message taken so far, as parsed messages (in no particular order)."""
        return [m for _, _, m in self._scan()]

    def headed(self):
        """(recipient in lower case, subject, message) of every message taken so far."""
        return list(self._scan())

    def raw_to(self, address, subject=None):
        """Every message to ADDRESS (whose Subject starts with SUBJECT, when given), each
        copy the server took."""
        address = address.lower()
        return [m for to, subj, m in self._scan()
                if to == address and (subject is None or subj.startswith(subject))]

    def to(self, address, subject=None):
        """As raw_to, one of each Message-ID: the mails the person has, as their mail
        client shows them (a copy sent again with the same Message-ID is the same mail;
        copies() counts them)."""
        out = {}
        for m in self.raw_to(address, subject):
            out.setdefault(m["Message-ID"], m)
        return list(out.values())

    def copies(self, addresses):
        """{Message-ID: copies} of the mails to ADDRESSES that the server took more than
        once: byte-identical re-deliveries."""
        addresses = {a.lower() for a in addresses}
        n = Counter(m["Message-ID"] for to, _, m in self._scan() if to in addresses)
        return {mid: k for mid, k in n.items() if k > 1}


def wait_for(what, probe, timeout=TIMEOUT, between=None):
    """PROBE() until it is true (calling BETWEEN() between tries); fails saying WHAT."""
    deadline = time.monotonic() + timeout
    while True:
        found = probe()
        if found:
            return found
        assert time.monotonic() < deadline, "still waiting for %s after %ds" % (
            what() if callable(what) else what, timeout)
        if between:
            between()
        else:
            time.sleep(0.1)


def text_of(msg):
    return msg.get_body(preferencelist=("plain",)).get_content()


def html_of(msg):
    return msg.get_body(preferencelist=("html",)).get_content()


def page_text(page):
    return " ".join(unescape(re.sub(r"<[^>]*>", " ", page)).split())


# -- the stack ---------------------------------------------------------------------------

class Env:
    """A stack (nginx or Apache) with its SMTP sink, its IMAP mailbox and a recruiter."""

    def __init__(self, server):
        self.sink = Sink()
        self.imap = None
        self.stack = None
        self.busy = 0
        try:
            self.imap = ImapServer().start()
            # Inbound.* as imap_server.ImapServer says (the daemon polls once, at its start;
            # the tests' worker passes poll each time), written out here so that this
            # works whether or not hearth_stack.Stack takes imap=.
            local = self.imap.hdf() + "\n".join([
                "Inbound.PollSeconds = 86400",
                "Inbound.TimeoutSeconds = 10",
                "Mail.SMTPUrl = smtp://127.0.0.1:%d" % self.sink.port,
                "Mail.From = talent@%s" % DOMAIN,
                "Mail.RatePerSecond = 0",
                "Mail.DomainRatePerSecond = 0",
                "Campaign.CapMails = 1",
                "Campaign.CapDays = %d" % CAP_DAYS,
                "Campaign.TimeZone = UTC",
                "Campaign.QuietFrom = 0",
                "Campaign.QuietTo = 0",
                "Site.CareersURL = %s" % CAREERS,
                ""])
            self.stack = Stack(server, local=local).start()
            self.recruiter = unique("rec") + "@example.com"
            self.stack.add_user(self.recruiter, PASSWORD, role="recruiter")
            self.office = self.login()
        except Exception:
            self.stop()
            raise

    def stop(self):
        try:
            if self.stack:
                self.stack.stop()
        finally:
            try:
                if self.imap:
                    self.imap.stop()
            finally:
                self.sink.stop()

    def login(self):
        c = self.stack.client()
        r = c.login(self.recruiter, PASSWORD)
        assert r.status_code == 303, r.text[:500]
        return c

    # -- the worker ---------------------------------------------------------------------

    def worker_env(self, offset, conf=None):
        env = dict(self.stack.env, HEARTH_CLOCK_OFFSET=str(int(offset)))
        if conf:
            env["HEARTH_CONF"] = str(conf)
        return env

    def worker_pass(self, offset=0):
        """One `hearthctl worker --once` OFFSET seconds from now: due campaign steps,
        mail, the IMAP mailbox."""
        r = subprocess.run([str(HEARTHCTL), "worker", "--once"], capture_output=True,
                           text=True, env=self.worker_env(offset), cwd=REPO, timeout=120)
        assert r.returncode == 0, "worker --once: %s%s" % (r.stdout, r.stderr)
        return r.stderr

    def passes_until(self, what, probe, offset=0, timeout=TIMEOUT):
        return wait_for(what, probe, timeout, between=lambda: self.worker_pass(offset))

    # -- people -------------------------------------------------------------------------

    def cand_ids(self):
        return {addr.lower(): cid for cid, addr, _ in self.stack.candidates()}

    def join_and_confirm(self, people, city):
        """Signs PEOPLE ([(first name, address)]) up from CITY and follows each one's
        confirmation link, as they would; returns {address: candidate id}."""
        def join(p):
            first, address = p
            r = self.stack.client().join(first + " Person", address, city=city,
                                         country="Portugal")
            assert r.status_code == 303, r.text[:400]

        def confirm(p):
            _, address = p
            (msg,) = self.sink.to(address, "Please confirm")
            link = re.search(r"https?://\S+?/confirm\?t=[A-Za-z0-9_.-]+", text_of(msg)).group(0)
            token = parse_qs(urlsplit(link).query)["t"][0]
            c = self.stack.client()
            r = c.get("/confirm", params={"t": token})
            assert r.status_code == 200, r.text[:400]
            r = c.post("/confirm", data={"t": token, "csrf_token": csrf_token(r.text)})
            assert r.status_code == 303, r.text[:400]

        with ThreadPoolExecutor(8) as ex:
            list(ex.map(join, people))
        # The daemon sends the confirmations; our passes help it along.
        self.passes_until(
            lambda: "confirmation mail for %d of %d people" % (
                sum(1 for _, a in people if self.sink.to(a, "Please confirm")), len(people)),
            lambda: all(self.sink.to(a, "Please confirm") for _, a in people))
        with ThreadPoolExecutor(8) as ex:
            list(ex.map(confirm, people))
        ids = self.cand_ids()
        return {a: ids[a.lower()] for _, a in people}

    def mail_log(self, address):
        """What the office's mail list (newest first, its first page) says of the mails
        to ADDRESS: ["kind state", ...]; for the messages of a failed wait."""
        r = self.office.get("/office/mail")
        rows = re.findall(r'<tr class="mail-[^"]*">(.*?)</tr>', r.text, re.S)
        out = []
        for row in rows:
            cells = [page_text(c) for c in re.findall(r"<td>(.*?)</td>", row, re.S)]
            if len(cells) >= 4 and cells[1].lower() == address.lower():
                out.append("%s %s" % (cells[2], cells[3]))
        return out

    def stored(self, addresses, offset=0):
        """What the store holds of ADDRESSES' people, as `hearthctl queue` prints it: each
        mail (state, due, attempts, claim) and enrolment (state, step, due), with the clock
        OFFSET seconds from now; for the message of a failed wait."""
        ids = self.cand_ids()
        known = sorted(str(ids[a.lower()]) for a in addresses if a.lower() in ids)
        if not known:
            return "none of them is a candidate"
        r = subprocess.run([str(HEARTHCTL), "queue"] + known, capture_output=True,
                           text=True, env=self.worker_env(offset), cwd=REPO, timeout=60)
        return "at %d (the clock %+ds), hearthctl queue %s says (exit %d):\n%s%s" % (
            time.time() + offset, offset, " ".join(known), r.returncode, r.stdout,
            r.stderr)

    def mail_to(self, address, subject, offset=0, timeout=TIMEOUT):
        """The one mail (per Message-ID) to ADDRESS whose subject starts SUBJECT, running
        worker passes OFFSET seconds from now until it is at the server."""
        (msg,) = self.passes_until(
            lambda: "mail to %s starting %r (the office's mail list says: %s)"
            % (address, subject, self.mail_log(address) or "nothing"),
            lambda: self.sink.to(address, subject), offset, timeout)
        return msg

    def profile(self, cand):
        r = self.office.get("/office/candidate", params={"id": cand})
        assert r.status_code == 200, r.text[:500]
        return r.text

    def campaign_section(self, cand, camp_name):
        """The words of the profile's entry for campaign CAMP_NAME (state, why, history)."""
        page = self.profile(cand)
        part = page.split('id="campaigns"', 1)[1]
        for li in re.findall(r'<li>\s*<h3>(.*?)</li>\s*(?=<li>\s*<h3>|</ul>)', part, re.S):
            if camp_name in unescape(li):
                return page_text(li)
        raise AssertionError("%s is not on the profile's campaigns: %s"
                             % (camp_name, page_text(part)[:2000]))

    # -- the office's campaign pages ----------------------------------------------------

    def static_pool(self, members):
        r = self.office.get("/office/pools")
        assert r.status_code == 200
        r = self.office.post("/office/pools/new", data={
            "name": unique("Pool "), "csrf_token": csrf_token(r.text)})
        assert r.status_code == 303, r.text[:500]
        pool = int(parse_qs(urlsplit(r.headers["Location"]).query)["id"][0])
        page = self.office.get("/office/pool", params={"id": pool}).text
        for cand in members:
            r = self.office.post("/office/pool/member", data={
                "pool": pool, "cand": cand, "add": "1", "csrf_token": csrf_token(page)})
            assert r.status_code == 303, r.text[:500]
        return pool

    def saved_filter_pool(self, **filter_fields):
        """A pool of everyone the candidate list's filter matches (a dynamic pool)."""
        r = self.office.get("/office/candidates", params=filter_fields)
        assert r.status_code == 200
        data = dict(filter_fields, name=unique("Saved "), csrf_token=csrf_token(r.text))
        r = self.office.post("/office/pools/save", data=data)
        assert r.status_code == 303, r.text[:500]
        return int(parse_qs(urlsplit(r.headers["Location"]).query)["id"][0])

    def editor(self, camp):
        r = self.office.get("/office/campaign", params={"id": camp})
        assert r.status_code == 200, r.text[:500]
        return r.text

    def new_campaign(self, name, pool, goal=""):
        r = self.office.get("/office/campaigns")
        assert r.status_code == 200, r.text[:500]
        r = self.office.post("/office/campaigns/new", data={
            "name": name, "csrf_token": csrf_token(r.text)})
        assert r.status_code == 303, r.text[:500]
        camp = int(parse_qs(urlsplit(r.headers["Location"]).query)["id"][0])
        page = self.editor(camp)
        # Any hour, any day: the clock of these tests runs at any time of the week.
        data = {"id": camp, "gen": input_value(page, "gen"), "name": name, "pools": str(pool),
                "goal": goal, "from": "0", "to": "24", "csrf_token": csrf_token(page)}
        r = self.office.post("/office/campaign/save", data=data)
        assert r.status_code == 303, page_text(r.text)[:1500]
        return camp

    def step_form(self, camp, **params):
        r = self.office.get("/office/campaign/step", params=dict(id=camp, **params))
        assert r.status_code == 200, r.text[:500]
        return {n: a.get("value", "") for n, a in parse_form(r.text).inputs
                if a.get("type") == "hidden"}

    def add_step(self, camp, kind, **fields):
        data = self.step_form(camp, add=kind)
        data.update(op="save", **fields)
        r = self.office.post("/office/campaign/step", data=data)
        assert r.status_code == 303, "%s step: %s" % (kind, page_text(r.text)[:1500])

    def edit_step(self, camp, step, **fields):
        data = self.step_form(camp, step=step)
        data.update(op="save", **fields)
        r = self.office.post("/office/campaign/step", data=data)
        assert r.status_code == 303, "step %d: %s" % (step, page_text(r.text)[:1500])

    def start(self, camp):
        page = self.editor(camp)
        r = self.office.post("/office/campaign/state", data={
            "id": camp, "state": "active", "csrf_token": csrf_token(page)})
        assert r.status_code == 303, page_text(r.text)[:1500]
        assert "State: Running" in page_text(self.editor(camp))

    def enrol_pool(self, camp, pool):
        """Enrols everyone in POOL from the candidate list filtered on it; returns the
        wave page's path."""
        r = self.office.get("/office/candidates", params={"pool": pool})
        assert r.status_code == 200
        r = self.office.post("/office/campaign/enrol-filter", data={
            "camp": camp, "pool": pool, "csrf_token": csrf_token(r.text)})
        assert r.status_code == 303, page_text(r.text)[:1500]
        return r.headers["Location"]

    def enrol(self, camp, cand):
        page = self.profile(cand)
        r = self.office.post("/office/campaign/enrol", data={
            "camp": camp, "cand": cand, "csrf_token": csrf_token(page)})
        assert r.status_code == 303, page_text(r.text)[:1500]

    def get(self, path, patient=False, **params):
        """An office page. PATIENT: after a process was killed, the store's next opener
        recovers it and the web programs then restart (lib/store/env.c), answering 503
        "try again in a few seconds" meanwhile: a person tries again, and so does this,
        for up to 15 seconds, counting the 503s in self.busy."""
        deadline = time.monotonic() + 15
        while True:
            r = self.office.get(path, params=params)
            if r.status_code != 503 or not patient or time.monotonic() > deadline:
                return r
            self.busy += 1
            time.sleep(0.2)

    def stats(self, camp, patient=False):
        """The results page: {step number as shown (1-based): [{"sent": n, "delivered": n,
        ...} of each variant]}."""
        r = self.get("/office/campaign/stats", patient, id=camp)
        assert r.status_code == 200, page_text(r.text)[:500]
        out = {}
        for num, table in re.findall(r'<h2 id="stats-step-\d+">Step (\d+).*?</h2>(.*?)</table>',
                                     r.text, re.S):
            out[int(num)] = [dict(zip(STAT_COLUMNS, map(int, re.findall(r"<td>(\d+)", row))))
                             for row in re.findall(r'<tr><th scope="row">(.*?)</tr>', table,
                                                   re.S)]
        return out


STAT_COLUMNS = ("sent", "delivered", "bounced", "opened", "clicked", "replied", "unsubscribed",
                "converted")


def sent(stats):
    """{step: [sent of each variant]} of stats()."""
    return {step: [v["sent"] for v in variants] for step, variants in stats.items()}


@pytest.fixture(scope="module", params=["nginx", "apache"])
def env(request):
    e = Env(request.param)
    yield e
    e.stop()


# -- mail from the mailbox's side ----------------------------------------------------------

def reply_to(msg, sender, text):
    """A person's answer to MSG as a mail client writes it (In-Reply-To and References)."""
    msgid = msg["Message-ID"]
    return ("From: %s <%s>\n"
            "To: Talent <talent@%s>\n"
            "Subject: Re: %s\n"
            "In-Reply-To: %s\n"
            "References: %s\n"
            "Message-ID: <%s@mail.example.net>\n"
            "Date: Sun, 22 Nov 2026 12:00:00 +0000\n"
            "MIME-Version: 1.0\n"
            "Content-Type: text/plain; charset=utf-8\n"
            "\n"
            "%s\n"
            "\n"
            "On Sunday, Talent wrote:\n"
            "> QUOTED-FROM-OUR-MAIL\n") % (
        msg["To"].addresses[0].display_name, sender, DOMAIN, msg["Subject"], msgid, msgid,
        unique("re"), text)


def hard_bounce(msg):
    """A delivery status notification (RFC 3464, as Postfix writes it) saying that MSG
    could not be delivered: 5.1.1, user unknown."""
    rcpt = msg["To"].addresses[0].addr_spec
    b = unique("b")
    return ("Return-Path: <>\n"
            "From: MAILER-DAEMON@mx.example.org (Mail Delivery System)\n"
            "Subject: Undelivered Mail Returned to Sender\n"
            "To: talent@%(d)s\n"
            "Auto-Submitted: auto-replied\n"
            "MIME-Version: 1.0\n"
            "Content-Type: multipart/report; report-type=delivery-status;\n"
            "\tboundary=\"%(b)s\"\n"
            "Message-Id: <%(u)s@mx.example.org>\n"
            "\n"
            "--%(b)s\n"
            "Content-Description: Notification\n"
            "Content-Type: text/plain; charset=us-ascii\n"
            "\n"
            "Your message could not be delivered to one or more recipients.\n"
            "\n"
            "--%(b)s\n"
            "Content-Description: Delivery report\n"
            "Content-Type: message/delivery-status\n"
            "\n"
            "Reporting-MTA: dns; mx.example.org\n"
            "\n"
            "Final-Recipient: rfc822; %(rcpt)s\n"
            "Action: failed\n"
            "Status: 5.1.1\n"
            "Diagnostic-Code: smtp; 550 5.1.1 <%(rcpt)s>: Recipient address rejected: "
            "User unknown\n"
            "\n"
            "--%(b)s\n"
            "Content-Description: Undelivered Message Headers\n"
            "Content-Type: text/rfc822-headers\n"
            "\n"
            "Message-ID: %(msgid)s\n"
            "To: <%(rcpt)s>\n"
            "Subject: %(subject)s\n"
            "\n"
            "--%(b)s--\n") % {"d": DOMAIN, "b": b, "u": unique("dsn"), "rcpt": rcpt,
                              "msgid": msg["Message-ID"], "subject": msg["Subject"]}


def tracked_link(msg, url):
    """The /r link that stands for URL in MSG's text part (the URL itself is not there)."""
    text = text_of(msg)
    links = [l for l in re.findall(r"https?://\S+/r\?m=\d+&u=[^&\s]+&s=[A-Za-z0-9_-]+", text)
             if parse_qs(urlsplit(l).query)["u"][0] == url]
    assert len(links) == 1, "a tracked link to %s in: %s" % (url, text)
    return links[0]


def local(link):
    u = urlsplit(link)
    return u.path + "?" + u.query


def one_click(env, msg):
    """RFC 8058: what a mail client does for "Unsubscribe": POST List-Unsubscribe=One-Click
    to the https (here http) URL of the List-Unsubscribe header."""
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    urls = re.findall(r"<(https?://[^>]+)>", str(msg["List-Unsubscribe"]))
    assert len(urls) == 1, msg["List-Unsubscribe"]
    r = env.stack.client().post(local(urls[0]), data="List-Unsubscribe=One-Click",
                                headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 200, r.text[:500]


# -- the three-step sequence ---------------------------------------------------------------

SUBJECT_1 = "Roles in {{city}} for {{first_name}}"
BODY_1 = ("Hello {{first_name}},\n\n"
          "{{#if interests}}You told us you like {{interests}}.{{else}}Tell us more.{{/if}}\n\n"
          "Our engineering roles: %s\n\n"
          "{{owner_name|The talent team}}" % ROLE_URL)
SUBJECT_CLICKED = "Glad you looked, {{first_name}}"
SUBJECT_OTHER = "Still thinking, {{first_name}}?"


def report(env, capsys, what, addresses):
    """Prints the byte-identical re-deliveries (same Message-ID) to ADDRESSES, if any: the
    outbox sends a mail again when a worker dies, or its claim runs out, between the
    server's acceptance and its record of it. Not what these tests assert; not hidden."""
    dupes = env.sink.copies(addresses)
    with capsys.disabled():
        print("\n[%s] %s: mails the server took more than once (same Message-ID): %s"
              % (env.stack.server, what, sorted(dupes.items()) or "none"))


def test_sequence_branches_stops_on_reply_bounce_and_unsubscribe(env, capsys):
    tag = unique("s")
    city = "Porto " + tag
    names = {"clicker": "Clara", "quiet": "Quentin", "replier": "Rui", "bouncer": "Bea",
             "leaver": "Lena"}
    addr = {k: "%s-%s@example.org" % (tag, k) for k in names}
    by_address = env.join_and_confirm([(names[k], addr[k]) for k in names], city)
    ids = {k: by_address[addr[k]] for k in names}
    pool = env.static_pool(ids.values())

    camp_name = "Nurture " + tag
    camp = env.new_campaign(camp_name, pool, goal="replied")
    env.add_step(camp, "email", subject_0=SUBJECT_1, body_0=BODY_1)            # 0
    env.add_step(camp, "wait", days="3", hours="0")                           # 1
    env.add_step(camp, "branch", on="clicked", goto="end")                    # 2
    env.add_step(camp, "email", subject_0=SUBJECT_OTHER,                       # 3
                 body_0="Hi {{first_name}}, the roles are still open.")
    env.add_step(camp, "exit")                                                # 4
    env.add_step(camp, "email", subject_0=SUBJECT_CLICKED,                     # 5
                 body_0="Hi {{first_name}}, shall we talk about the role?")
    env.edit_step(camp, 2, on="clicked", goto="5")      # now that step 5 exists
    steps = page_text(env.editor(camp))
    assert re.search(r"if they clicked a link since the last email, go to step 6", steps,
                     re.I), steps
    env.start(camp)
    env.enrol_pool(camp, pool)

    # Email 1 for each, personalised, its link tracked.
    first = {}
    for k, a in addr.items():
        msg = env.mail_to(a, "Roles in %s for " % city)
        first[k] = msg
        assert str(msg["Subject"]) == "Roles in %s for %s" % (city, names[k])
        assert text_of(msg).startswith("Hello %s,\n" % names[k])
        assert "You told us you like Engineering" in text_of(msg)
        assert "Hello %s," % names[k] in html_of(msg)
        assert ROLE_URL not in text_of(msg)                 # only through the redirect
        assert msg["Message-ID"].endswith("@%s>" % DOMAIN)
    # The clicker follows the link: a 302 to the real page.
    r = env.stack.client().get(local(tracked_link(first["clicker"], ROLE_URL)))
    assert r.status_code == 302 and r.headers["Location"] == ROLE_URL

    # The replier answers email 1; another's address bounces; a third unsubscribes from
    # their mail client.
    reply_uid = env.imap.append(reply_to(first["replier"], addr["replier"],
                                         "Yes please, tell me more about the team."))
    bounce_uid = env.imap.append(hard_bounce(first["bouncer"]))
    one_click(env, first["leaver"])
    env.worker_pass()
    flags = env.imap.flags()
    assert "\\Seen" in flags[reply_uid] and "\\Seen" in flags[bounce_uid], flags

    page = env.profile(ids["replier"])
    assert "Email: they replied" in page_text(page), page_text(page)[:3000]
    assert "Yes please, tell me more about the team." in page_text(page)
    assert "QUOTED-FROM-OUR-MAIL" not in page
    assert re.search(r"Finished: reached the goal: (they )?replied",
                     env.campaign_section(ids["replier"], camp_name), re.I)
    page = env.profile(ids["bouncer"])
    assert 'id="email-invalid"' in page, page_text(page)[:3000]
    assert re.search(r"Stopped: (their address bounced|Mail to their address bounced)",
                     env.campaign_section(ids["bouncer"], camp_name), re.I)
    assert re.search(r"Stopped: (they )?unsubscribed",
                     env.campaign_section(ids["leaver"], camp_name), re.I)
    for k in ("clicker", "quiet"):
        assert "In the sequence" in env.campaign_section(ids[k], camp_name)

    # A day before the wait is over: nothing. Three days on: the branch.
    env.worker_pass(offset=2 * DAY)
    assert all(len(env.sink.to(a)) == 2 for a in addr.values()), \
        {a: [str(m["Subject"]) for m in env.sink.to(a)] for a in addr.values()}
    later = 3 * DAY + 3600
    clicked = env.mail_to(addr["clicker"], "Glad you looked", later)
    assert str(clicked["Subject"]) == "Glad you looked, Clara"
    assert "Hi Clara, shall we talk about the role?" in text_of(clicked)
    other = env.mail_to(addr["quiet"], "Still thinking", later)
    assert str(other["Subject"]) == "Still thinking, Quentin?"
    for _ in range(2):
        env.worker_pass(offset=later + 60)
    env.worker_pass(offset=10 * DAY)

    # Each got what their path says, once: confirmation, email 1, one of the branch's.
    for k, want in (("clicker", "Glad you looked"), ("quiet", "Still thinking")):
        got = env.sink.to(addr[k])
        assert len(got) == 3, [str(m["Subject"]) for m in got]
        assert len(env.sink.to(addr[k], want)) == 1
    for k in ("replier", "bouncer", "leaver"):
        got = env.sink.to(addr[k])
        assert len(got) == 2, (k, [str(m["Subject"]) for m in got])
    report(env, capsys, "sequence", addr.values())
    assert re.search(r"Finished: (came to the end|went through every step)",
                     env.campaign_section(ids["clicker"], camp_name), re.I)
    assert re.search(r"Finished: an exit step",
                     env.campaign_section(ids["quiet"], camp_name), re.I)

    # The results page counts what happened.
    stats = env.stats(camp)
    assert sent(stats) == {1: [5], 4: [1], 6: [1]}, stats
    # Email 1: five sent and taken by the server; the bounce, the click, the reply (the
    # goal: converted too) and the unsubscribe counted against it.
    assert stats[1] == [{"sent": 5, "delivered": 5, "bounced": 1, "opened": 0, "clicked": 1,
                         "replied": 1, "unsubscribed": 1, "converted": 1}], stats
    assert stats[4][0]["delivered"] == 1 and stats[6][0]["delivered"] == 1, stats


# -- the frequency cap ---------------------------------------------------------------------

def test_frequency_cap_defers_the_second_campaigns_mail(env, capsys):
    tag = unique("c")
    address = "%s@example.org" % tag
    ids = env.join_and_confirm([("Carmen", address)], "Faro " + tag)
    cand = ids[address]
    pool = env.static_pool([cand])
    first_name, second_name = "First " + tag, "Second " + tag
    first = env.new_campaign(first_name, pool)
    env.add_step(first, "email", subject_0="One {{first_name}}", body_0="The first campaign.")
    env.start(first)
    second = env.new_campaign(second_name, pool)
    env.add_step(second, "email", subject_0="Two {{first_name}}", body_0="The second one.")
    env.start(second)

    env.enrol(first, cand)
    env.mail_to(address, "One Carmen")
    sent_at = time.time()
    env.enrol(second, cand)
    # Campaign.CapMails = 1 per CapDays = 2: the second waits, counted as deferred.
    env.worker_pass()
    env.worker_pass(offset=DAY)
    assert env.sink.to(address, "Two ") == []
    section = env.campaign_section(cand, second_name)
    assert "In the sequence" in section and "deferred: frequency cap" in section, section
    assert sent(env.stats(second)) == {1: [0]}
    # Past the window it goes, once.
    msg = env.mail_to(address, "Two Carmen", CAP_DAYS * DAY + 3600 + int(time.time() - sent_at))
    assert "The second one." in text_of(msg)
    env.worker_pass(offset=CAP_DAYS * DAY + 7200)
    assert len(env.sink.to(address, "Two ")) == 1 and len(env.sink.to(address, "One ")) == 1
    assert sent(env.stats(second)) == {1: [1]}
    report(env, capsys, "cap", [address])


# -- a worker killed mid-batch ---------------------------------------------------------------

def test_worker_killed_mid_batch_sends_no_step_twice(env, capsys):
    tag = unique("k")
    city = "Braga " + tag
    people = [("K%03d" % i, "%s-%03d@k%d.example" % (tag, i, i % 10)) for i in range(KILL_PEOPLE)]
    t0 = time.monotonic()
    phases = []
    env.join_and_confirm(people, city)
    phases.append(("signed up", time.monotonic() - t0))
    pool = env.saved_filter_pool(city=city)
    camp = env.new_campaign("Kill " + tag, pool)
    env.add_step(camp, "email", subject_0="Kill one {{first_name}}", body_0="Step one.")
    env.add_step(camp, "wait", days="3")
    env.add_step(camp, "email", subject_0="Kill three {{first_name}}", body_0="Step three.")
    env.start(camp)
    everyone = {a.lower() for _, a in people}

    def got(prefix):
        """(recipient, message) of every mail of the step whose subject starts PREFIX."""
        return [(to, m) for to, subject, m in env.sink.headed()
                if subject.startswith(prefix) and to in everyone]

    def who(prefix):
        return {to for to, _ in got(prefix)}

    # The saved filter fills (the worker builds it) before the enrolment reads it.
    def pool_full():
        page = env.office.get("/office/pool", params={"id": pool}).text
        return re.search(r'<p class="lead">%d members\.' % KILL_PEOPLE, page) and \
            "being filled" not in page
    env.passes_until("the saved filter's %d people" % KILL_PEOPLE, pool_full)
    phases.append(("pool", time.monotonic() - t0))
    env.enrol_pool(camp, pool)
    # Step one: the daemon and our passes, both at work, on the real clock.
    env.passes_until(lambda: "step one for everyone (%d)" % len(who("Kill one ")),
                     lambda: who("Kill one ") == everyone, timeout=60)
    # ... and recorded as sent, not only at the server: the daemon writes down the mail
    # the server has just taken a moment later. Three days on, a step-one mail still
    # "sending" counts against the frequency cap (1 per 2 days here) as going now, and
    # the worker three days ahead finds its claim long run out and sends it again: that
    # person's step three then waits two days, the cap's due.
    env.passes_until(lambda: "step one recorded as delivered for everyone (%s)"
                     % env.stats(camp, patient=True).get(1),
                     lambda: sum(v["delivered"] for v in env.stats(camp, patient=True)
                                 .get(1, [])) == KILL_PEOPLE, timeout=60)

    phases.append(("step one", time.monotonic() - t0))
    # Step three, three days on, by a worker throttled to 100 mails a second, killed
    # with SIGKILL while the server takes its mails.
    offset = 3 * DAY + 3600
    slow = env.stack.var / "t5-slow.hdf"
    slow.write_text((env.stack.var / "hearth-run.hdf").read_text() +
                    "\nMail.RatePerSecond = 100\n")
    killed_at = None
    for _ in range(10):
        before = len(got("Kill three "))
        proc = subprocess.Popen([str(HEARTHCTL), "worker", "--once"], cwd=REPO,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                env=env.worker_env(offset, slow))
        deadline = time.monotonic() + 60
        while proc.poll() is None and time.monotonic() < deadline:
            n = len(got("Kill three "))
            if n >= before + 30:
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                killed_at = n
                break
            time.sleep(0.02)
        else:
            proc.wait()
        if killed_at is not None:
            break
    assert killed_at is not None, \
        "no worker pass was caught delivering step three (%d of %d at the server; the " \
        "office's mail list for %s says: %s)" % (len(got("Kill three ")), KILL_PEOPLE,
                                                 people[-1][1], env.mail_log(people[-1][1]))
    assert killed_at < KILL_PEOPLE, "the kill came after the step was over"
    phases.append(("killed", time.monotonic() - t0))
    # Started again: it finishes the step.
    def step_three_missing():
        missing = sorted(everyone - who("Kill three "))
        return "step three for everyone (%d; not at the server: %s; %s)" % (
            KILL_PEOPLE - len(missing), ", ".join(missing[:5]),
            env.stored(missing[:5], offset))
    env.passes_until(step_three_missing, lambda: who("Kill three ") == everyone,
                     offset=offset, timeout=60)
    phases.append(("step three", time.monotonic() - t0))
    for extra in (60, 120, 7 * DAY):
        env.worker_pass(offset=offset + extra)

    raw_dupes = {}
    for prefix in ("Kill one ", "Kill three "):
        ids_of = defaultdict(set)
        copies = Counter()
        for to, m in got(prefix):
            ids_of[to].add(m["Message-ID"])
            copies[m["Message-ID"]] += 1
        # What the system guarantees: one mail per person per step, never two different.
        two = {a: sorted(s) for a, s in ids_of.items() if len(s) != 1}
        assert not two, "people with two different mails for %r: %s" % (prefix, two)
        assert set(ids_of) == everyone
        raw_dupes[prefix] = {mid: n for mid, n in copies.items() if n > 1}
    # The scheduler queued each step once per person.
    busy_before = env.busy
    assert sent(env.stats(camp, patient=True)) == {1: [KILL_PEOPLE], 3: [KILL_PEOPLE]}
    with capsys.disabled():
        print("\n[%s] kill test: killed with %d of %d step-three mails at the server; the "
              "web answered 503 %d time(s) while the store recovered"
              % (env.stack.server, killed_at, KILL_PEOPLE, env.busy - busy_before))
        # Step one: the daemon and the test's passes at once, nobody killed; step three:
        # one worker at a time, one of them killed.
        for prefix, what in (("Kill one ", "step one (two workers)"),
                             ("Kill three ", "step three (killed, restarted)")):
            print("[%s] %s: %d mail(s) the server took more than once (same Message-ID)%s"
                  % (env.stack.server, what, len(raw_dupes[prefix]),
                     ": %s" % sorted(raw_dupes[prefix].items()) if raw_dupes[prefix] else ""))
        print("[%s] kill test phases: %s" % (env.stack.server, ", ".join(
            "%s %.1fs" % p for p in phases)))
    report(env, capsys, "kill test, all mail to its 200 people (confirmations too)", everyone)
