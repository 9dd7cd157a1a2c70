"""test_community.py: the public side as a candidate lives it, through the real stack.

Signup, the confirmation mail read as a mail client reads it, the button behind the link,
the preference centre, one-click unsubscribe (RFC 8058), the data export and erasure, all
against nginx with the shipped config and the worker daemon writing var/outbox/*.eml.
"""

import base64
import email
import email.policy
import hashlib
import hmac
import re
import shutil
import struct
import subprocess
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from hearth_stack import (REPO, Stack, csrf_token, field_error, input_value, signup_fields,
                          unique)

DELIVERY_TIMEOUT = 20
POLICY_SHA256 = hashlib.sha256((REPO / "htdocs/static/privacy.html").read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def stack():
    s = Stack("nginx").start()
    yield s
    s.stop()


def parse(raw):
    return email.message_from_bytes(raw, policy=email.policy.default)


class Outbox:
    """The mails the worker wrote to var/outbox, as a mail client parses them."""

    def __init__(self, stack):
        self.dir = stack.var / "outbox"

    def to(self, address):
        """Their mails in the order they were delivered (ids from several processes
        do not grow together)."""
        out = []
        for f in sorted(self.dir.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns):
            msg = parse(f.read_bytes())
            if msg["To"].addresses[0].addr_spec == address:
                out.append(msg)
        return out

    def wait(self, address, count=1):
        deadline = time.monotonic() + DELIVERY_TIMEOUT
        while time.monotonic() < deadline:
            got = self.to(address)
            if len(got) >= count:
                assert len(got) == count, "expected %d mails to %s, got %d" % (
                    count, address, len(got))
                return got[-1]
            time.sleep(0.2)
        raise AssertionError("no mail number %d to %s after %ds" % (count, address,
                                                                    DELIVERY_TIMEOUT))


def text_of(msg):
    return msg.get_body(preferencelist=("plain",)).get_content()


def html_of(msg):
    return msg.get_body(preferencelist=("html",)).get_content()


def link_in(msg, path):
    """The one link to PATH in the text part; the HTML part must carry the same one."""
    links = set(re.findall(r"https?://\S+%s\?t=[A-Za-z0-9_.-]+" % re.escape(path),
                           text_of(msg)))
    assert len(links) == 1, "links to %s in the mail: %s" % (path, links)
    link = links.pop()
    assert link.replace("&", "&amp;") in html_of(msg) or link in html_of(msg)
    return link


def local(link):
    """A link from a mail as a path on the stack under test."""
    u = urlsplit(link)
    return u.path + ("?" + u.query if u.query else "")


def token_of(link):
    return parse_qs(urlsplit(link).query)["t"][0]


def join_and_confirm(stack, name=None, address=None, joined=False):
    """Signs up (unless JOINED already), follows the confirmation mail; returns (address,
    the preference link)."""
    address = address or unique("c") + "@example.org"
    name = name or "Ada " + unique()
    c = stack.client()
    if not joined:
        assert c.join(name, address).status_code == 303
    link = link_in(Outbox(stack).wait(address), "/confirm")
    r = c.get(local(link))
    assert r.status_code == 200
    r = c.post("/confirm", data={"t": token_of(link), "csrf_token": csrf_token(r.text)})
    assert r.status_code == 303, r.text[:400]
    welcome = r.headers["Location"]
    assert welcome.startswith("/welcome?t=")
    return address, "/preferences?t=" + token_of(welcome)


def export(stack, prefs_link, address, mails_before):
    """Asks for the data through the preference centre, follows the mail; the JSON."""
    c = stack.client()
    r = c.get(prefs_link)
    assert r.status_code == 200
    r = c.post("/preferences/request", data={"t": token_of(prefs_link), "kind": "export",
                                             "csrf_token": csrf_token(r.text)})
    assert r.status_code == 200 and "Check your email" in r.text
    link = link_in(Outbox(stack).wait(address, mails_before + 1), "/export")
    r = c.get(local(link))
    assert r.status_code == 200
    r = c.post("/export", data={"t": token_of(link), "csrf_token": csrf_token(r.text)})
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/json")
    assert "attachment" in r.headers["Content-Disposition"]
    return r.json()


# -- signup and double opt-in -------------------------------------------------------------

def test_confirmation_mail_as_a_mail_client_reads_it(stack):
    address = unique("mime") + "@example.org"
    name = "Zoë Ångström-王"
    assert stack.client().join(name, address).status_code == 303
    msg = Outbox(stack).wait(address)
    assert msg.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in msg.iter_parts()] == ["text/plain", "text/html"]
    assert msg["To"].addresses[0].display_name == "Zoë Ångström-王"     # RFC 2047 round trip
    assert msg["Subject"].startswith("Please confirm")
    assert msg["From"].addresses[0].display_name == "Hearth talent team"
    assert msg["Date"].datetime is not None
    assert re.fullmatch(r"<hearth\.\d+\.\d+@[^>]+>", msg["Message-ID"])
    # Every mail: a signed preference link, a footer unsubscribe link, RFC 8058 headers.
    link_in(msg, "/preferences")
    link_in(msg, "/unsubscribe")
    lu = msg["List-Unsubscribe"]
    assert re.search(r"<https?://[^>]+/unsubscribe/one-click\?t=[^>]+>", lu), lu
    assert "<mailto:" in lu
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Hello Zoë Ångström-王," in text_of(msg)
    assert "Zoë Ångström-王" in html_of(msg)


def test_nothing_but_the_confirmation_until_confirmed(stack):
    address = unique("pending") + "@example.org"
    c = stack.client()
    assert c.join("Pending Person", address).status_code == 303
    link = link_in(Outbox(stack).wait(address), "/confirm")
    # A GET (a mail scanner prefetching) shows a button and confirms nothing.
    r = c.get(local(link))
    assert r.status_code == 200 and "Yes, keep me informed" in r.text
    assert r.text.count('name="t"') == 1
    r = c.get(local(link))
    assert r.status_code == 200
    time.sleep(2)
    assert len(Outbox(stack).to(address)) == 1
    r = c.post("/confirm", data={"t": token_of(link), "csrf_token": csrf_token(r.text)})
    assert r.status_code == 303
    r = c.get(r.headers["Location"])
    assert r.status_code == 200 and "Welcome to the community" in r.text
    assert re.search(r'href="/preferences\?t=[^"]+"', r.text)
    # Following the same link again is not an error.
    r = c.get(local(link))
    r = c.post("/confirm", data={"t": token_of(link), "csrf_token": csrf_token(r.text)})
    assert r.status_code == 303


def test_ledger_records_grant_and_confirmation_with_policy_hash(stack):
    address, prefs = join_and_confirm(stack)
    doc = export(stack, prefs, address, 1)
    events = doc["consent_ledger"]
    assert [e["type"] for e in events] == ["granted", "confirmed"]
    assert [e["method"] for e in events] == ["web_form", "email_link"]
    for e in events:
        assert e["policy_sha256"] == POLICY_SHA256
        assert e["policy_version"] == "1"
        assert e["ip"] == "127.0.0.1"
        assert e["user_agent"].startswith("python-requests")
        assert e["purpose"] == "Keep me informed about roles and news"
    assert doc["profile"]["consent"] == "confirmed"


def test_known_email_is_changed_only_after_its_owner_confirms(stack):
    address, prefs = join_and_confirm(stack, name="Grace Hopper")
    before = [row for row in stack.candidates() if row[1] == address]
    # Someone signs up again with the same address: same answer, no second record.
    c = stack.client()
    r = c.join("Mallory Other", address.upper(), city="Elsewhere")
    assert (r.status_code, r.headers["Location"]) == (303, "/joined")
    assert [row for row in stack.candidates() if row[1] == address] == before
    # The owner gets a mail; until they follow it, the record keeps its details.
    link = link_in(Outbox(stack).wait(address, 2), "/confirm")
    assert [row for row in stack.candidates() if row[1] == address] == before
    r = c.get(local(link))
    r = c.post("/confirm", data={"t": token_of(link), "csrf_token": csrf_token(r.text)})
    assert r.status_code == 303
    (row,) = [row for row in stack.candidates() if row[1] == address]
    assert row[2] == "Mallory Other"
    doc = export(stack, prefs, address, 2)
    assert doc["profile"]["city"] == "Elsewhere"
    assert [e["type"] for e in doc["consent_ledger"]] == ["granted", "confirmed", "updated"]


def _expire(token, key):
    """The same token with its expiry in the past, signed again with the site key."""
    payload_b64, _ = token.split(".")
    payload = base64.urlsafe_b64decode(payload_b64 + "=" * (-len(payload_b64) % 4))
    payload = payload[:1] + struct.pack(">Q", int(time.time()) - 60) + payload[9:]
    mac = hmac.new(key, payload, hashlib.sha256).digest()
    enc = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
    return enc(payload) + "." + enc(mac)


def test_expired_and_forged_confirmation_links(stack):
    address = unique("old") + "@example.org"
    c = stack.client()
    assert c.join("Old Link", address).status_code == 303
    token = token_of(link_in(Outbox(stack).wait(address), "/confirm"))
    key = bytes.fromhex((stack.var / "secret").read_text().strip())
    r = c.get("/confirm", params={"t": _expire(token, key)})
    assert r.status_code == 410
    assert "fill in the form again" in r.text
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    r = c.get("/confirm", params={"t": forged})
    assert r.status_code == 400
    r = c.post("/confirm", data={"t": forged, "csrf_token": csrf_token(c.get("/").text)})
    assert r.status_code == 400


# -- the form --------------------------------------------------------------------------------

def test_every_field_is_checked_with_a_message_next_to_it(stack):
    c = stack.client()
    _, token = c.form("/")
    before = stack.candidate_emails()
    bad = {**signup_fields("Ada Lovelace", "ada@example"), "phone": "call me",
           "url": "linkedin.com/in/ada", "city": "", "country": "", "seniority": "guru",
           "interests": ["engineering", "astrology"], "skills": ",".join(["s%d" % i for i in range(31)]),
           "csrf_token": token}
    r = c.post("/join", data=bad)
    assert r.status_code == 400
    for field in ("email", "phone", "url", "seniority", "interests", "skills", "city"):
        assert field_error(r.text, field), "no error next to %s" % field
    assert input_value(r.text, "phone") == "call me"
    assert 'aria-describedby="phone-error"' in r.text
    assert stack.candidate_emails() == before


@pytest.mark.parametrize("first,last", [("Zoë", "山田"), ("محمد", "الأحمد"), ("Ngọc", "Nguyễn")])
def test_names_in_any_script(stack, first, last):
    address = unique("intl") + "@example.org"
    assert stack.client().join("%s %s" % (first, last), address).status_code == 303
    assert ("%s %s" % (first, last)) in [n for _, e, n in stack.candidates() if e == address]


def test_source_comes_from_the_landing_address(stack):
    c = stack.client()
    r = c.get("/", params={"utm_source": "meetup-lisbon"})
    assert input_value(r.text, "source") == "meetup-lisbon"
    r = c.get("/", params={"source": "careers-fair"})
    assert input_value(r.text, "source") == "careers-fair"


PDF = (b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n"
       b"%%EOF\n")
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def test_resume_is_kept_by_its_content_outside_the_web_root(stack):
    address = unique("cv") + "@example.org"
    r = stack.client().join("Cv Person", address, files={"resume": ("My CV.pdf", PDF)})
    assert r.status_code == 303, r.text[:500]
    (stored,) = [f for f in (stack.var / "resumes").iterdir() if f.read_bytes() == PDF]
    assert stored.suffix == ".pdf" and "CV" not in stored.name
    assert not str(stored).startswith(str(REPO / "htdocs"))
    link = link_in(Outbox(stack).wait(address), "/confirm")
    c = stack.client()
    r = c.get(local(link))
    r = c.post("/confirm", data={"t": token_of(link), "csrf_token": csrf_token(r.text)})
    prefs = "/preferences?t=" + token_of(r.headers["Location"])
    doc = export(stack, prefs, address, 1)
    resume = doc["profile"]["resume"]
    assert (resume["kind"], resume["name"], resume["size"]) == ("pdf", "My CV.pdf", len(PDF))


def test_a_file_that_is_not_a_cv_is_refused_next_to_its_field(stack):
    address = unique("png") + "@example.org"
    before = set((stack.var / "resumes").glob("*")) if (stack.var / "resumes").exists() else set()
    r = stack.client().join("Png Person", address, files={"resume": ("cv.pdf", PNG)})
    assert r.status_code == 400
    assert "PDF, Word (.docx), OpenDocument (.odt) or plain-text" in field_error(r.text, "resume")
    assert input_value(r.text, "email") == address       # what was typed is kept
    assert address not in stack.candidate_emails()
    after = set((stack.var / "resumes").glob("*")) if (stack.var / "resumes").exists() else set()
    assert after == before


def test_honeypot_stores_nothing_and_answers_alike(stack):
    address = unique("bot") + "@example.org"
    r = stack.client().join("Bot Person", address, website="http://spam.example")
    assert (r.status_code, r.headers["Location"]) == (303, "/joined")
    time.sleep(2)
    assert address not in stack.candidate_emails()
    assert Outbox(stack).to(address) == []


def test_rate_limit_answers_429_and_stores_nothing():
    s = Stack("nginx", local="Web.RateLimit.Max = 3\nWeb.RateLimit.Window = 600\n").start()
    try:
        c = s.client()
        for i in range(3):
            assert c.join("Rate %d" % i, unique("rl") + "@example.org").status_code == 303
        address = unique("rl") + "@example.org"
        r = c.join("Rate Four", address)
        assert r.status_code == 429
        assert 0 < int(r.headers["Retry-After"]) <= 600
        assert "try again" in r.text
        assert address not in s.candidate_emails()
    finally:
        s.stop()


# -- preferences, unsubscribe ----------------------------------------------------------------

def test_preference_centre_changes_and_pause(stack):
    address, prefs = join_and_confirm(stack)
    c = stack.client()
    r = c.get(prefs)
    assert r.status_code == 200 and "Your preferences" in r.text
    assert input_value(r.text, "city") == "Lisbon"
    r = c.post("/preferences", data={
        "t": token_of(prefs), "csrf_token": csrf_token(r.text), "interests": ["data", "design"],
        "city": "", "country": "", "remote": "1", "seniority": "senior",
        "skills": "Rust, SQL", "frequency": "digest", "pause": "3"})
    assert r.status_code == 303, r.text[:500]
    r = c.get(r.headers["Location"])
    assert "Saved" in r.text and "paused until" in r.text
    doc = export(stack, prefs, address, 1)
    p = doc["profile"]
    assert (p["interests"], p["remote"], p["seniority"], p["skills"]) == (
        ["data", "design"], True, "senior", ["rust", "sql"])
    assert p["prefs"]["frequency"] == "digest" and p["prefs"]["pause_months"] == 3
    assert [e["type"] for e in doc["consent_ledger"]][-1] == "updated"


def test_one_click_unsubscribe_by_post_only(stack):
    address, prefs = join_and_confirm(stack)
    msg = Outbox(stack).to(address)[0]
    one_click = re.search(r"<(https?://[^>]+/unsubscribe/one-click\?t=[^>]+)>",
                          msg["List-Unsubscribe"]).group(1)
    # A scanner's GET shows the page and changes nothing.
    r = stack.client().get(local(one_click))
    assert r.status_code == 200 and "Unsubscribe" in r.text
    # The mail client's POST: no cookies, no CSRF token, just the RFC 8058 body.
    r = requests.post(stack.base_url + local(one_click), data="List-Unsubscribe=One-Click",
                      headers={"Content-Type": "application/x-www-form-urlencoded"},
                      allow_redirects=False, timeout=15)
    assert r.status_code == 200
    assert "Set-Cookie" not in r.headers or "hearth_session" not in r.headers["Set-Cookie"]
    doc = export(stack, prefs, address, 1)
    assert doc["profile"]["consent"] == "withdrawn"
    types = [e["type"] for e in doc["consent_ledger"]]
    assert types == ["granted", "confirmed", "withdrawn"]
    # No more mail for them but what they ask for themselves (the export above).
    n = len(Outbox(stack).to(address))
    time.sleep(2)
    assert len(Outbox(stack).to(address)) == n


def test_footer_unsubscribe_page_then_button(stack):
    address, prefs = join_and_confirm(stack)
    link = link_in(Outbox(stack).to(address)[0], "/unsubscribe")
    c = stack.client()
    r = c.get(local(link))
    assert r.status_code == 200
    r = c.post("/unsubscribe", data={"t": token_of(link), "csrf_token": csrf_token(r.text)})
    assert r.status_code == 200 and "You have unsubscribed" in r.text
    doc = export(stack, prefs, address, 1)
    assert [e["type"] for e in doc["consent_ledger"]][-1] == "withdrawn"


# -- data rights ------------------------------------------------------------------------------

def test_export_holds_profile_ledger_and_mails(stack):
    address, prefs = join_and_confirm(stack, name="Export Person")
    doc = export(stack, prefs, address, 1)
    assert doc["profile"]["email"] == address
    assert doc["profile"]["name"] == "Export Person"
    assert "email_key" not in doc["profile"] and "nonce" not in doc["profile"]
    assert doc["touchpoints"] == []
    kinds = [(m["kind"], m["state"]) for m in doc["mails"]]
    assert kinds[0] == ("confirm", "sent") and kinds[-1][0] == "export"


def test_data_request_by_email_never_reveals_membership(stack):
    c = stack.client()
    answers = []
    for address in (join_and_confirm(stack)[0], unique("nobody") + "@example.org"):
        r = c.get("/data")
        r = c.post("/data", data={"email": address, "kind": "export",
                                  "csrf_token": csrf_token(r.text)})
        answers.append((r.status_code, re.sub(r'value="[^"]*"', "", r.text)))
    assert answers[0] == answers[1]


def _grep(directory, needles):
    """Which of NEEDLES occur in any file under DIRECTORY (bytes, as grep -a would)."""
    found = set()
    for f in Path(directory).rglob("*"):
        if f.is_file():
            data = f.read_bytes()
            found |= {n for n in needles if n.encode() in data}
    return found


def test_erasure_leaves_no_byte_of_email_or_name(stack):
    name = "Erasmus Tobeforgotten" + unique("")
    address = unique("erase") + "@example.org"
    cv = PDF.replace(b"Catalog", b"Catalog /Author (%s)" % name.encode())
    assert stack.client().join(name, address, files={"resume": ("cv.pdf", cv)}).status_code == 303
    address, prefs = join_and_confirm(stack, name=name, address=address, joined=True)
    assert [f for f in (stack.var / "resumes").iterdir() if f.read_bytes() == cv]
    c = stack.client()
    r = c.get(prefs)
    r = c.post("/preferences/request", data={"t": token_of(prefs), "kind": "erase",
                                             "csrf_token": csrf_token(r.text)})
    assert r.status_code == 200
    link = link_in(Outbox(stack).wait(address, 2), "/erase")
    assert _grep(stack.var / "resumes", [name]) == {name}
    db = stack.var / "db"
    assert stack.hearthctl("worker", "--once").returncode == 0      # a checkpoint
    assert _grep(db, [address, name]) == {address, name}, "the control grep found nothing"
    r = c.get(local(link))
    assert r.status_code == 200 and "cannot be undone" in r.text
    r = c.post("/erase", data={"t": token_of(link), "csrf_token": csrf_token(r.text)})
    assert r.status_code == 200 and "erased" in r.text
    assert address not in stack.candidate_emails()
    assert Outbox(stack).to(address) == []       # the mails sent are gone too
    assert not [f for f in (stack.var / "resumes").iterdir() if f.read_bytes() == cv]
    # The worker scrubs the logs after an erasure; wait for its pass, then grep.
    deadline = time.monotonic() + DELIVERY_TIMEOUT
    while time.monotonic() < deadline and "scrubbed" not in stack.log():
        time.sleep(0.2)
    assert "scrubbed" in stack.log()
    assert _grep(db, [address, name]) == set()
    assert stack.hearthctl("verify").returncode == 0
    # The preference link now says there is nothing left.
    assert c.get(prefs).status_code == 404


def test_tampered_consent_event_is_reported_by_verify():
    s = Stack("nginx").start()
    join_and_confirm(s)
    s.stop(keep=True)
    db = s.var / "db"
    assert s.hearthctl("verify").returncode == 0
    dump = subprocess.run(["db5.3_dump", "-h", str(db), "-p", "consent.db"],
                          capture_output=True, text=True, check=True).stdout
    assert '\\"type\\":\\"confirmed\\"' in dump or '"type":"confirmed"' in dump, dump[:500]
    edited = dump.replace("confirmed", "withdrawn", 1)
    assert edited != dump
    subprocess.run(["db5.3_load", "-h", str(db), "consent.db"], input=edited, text=True,
                   check=True)
    r = s.hearthctl("verify")
    assert r.returncode == 1
    assert "chain" in r.stdout and "broken" in r.stdout
    shutil.rmtree(s.var, ignore_errors=True)


def test_back_office_shows_the_ledger_on_the_candidate_page(stack):
    address, _ = join_and_confirm(stack, name="Ledger Person")
    admin = "ledger-admin-%s@example.org" % unique("")
    stack.add_user(admin, "correct horse battery staple")
    office = stack.client()
    assert office.login(admin, "correct horse battery staple").status_code == 303
    listing = office.get("/office/candidates").text
    m = re.search(r'href="/office/candidate\?id=(\d+)">Ledger Person</a>', listing)
    assert m, "no link to the candidate in the list"
    page = office.get("/office/candidate", params={"id": m.group(1)}).text
    assert address in page
    rows = re.findall(r"<tr><td>[^<]+</td><td>(granted|confirmed)</td><td>(web_form|email_link)"
                      r"</td><td>version 1, SHA-256 <code>([0-9a-f]{64})</code>", page)
    assert [(t, how) for t, how, _ in rows] == [("granted", "web_form"),
                                                ("confirmed", "email_link")]
    assert {h for _, _, h in rows} == {POLICY_SHA256}
    assert office.get("/office/candidate", params={"id": "999999999"}).status_code == 404
