"""test_html.py: every page a person can reach is valid HTML5, as html-validate sees it.

One walk through the real stack (nginx, the shipped config) with requests, as a person and
a recruiter go: the signup and its errors, the mails' links (confirm, welcome, preferences,
unsubscribe, export, erase), an expired link, a missing page, the privacy policy, and the
back office signed in. Each page is saved as the server sent it (build/html-pages/), then
html-validate (npm, pinned by package-lock.json, installed by make deps) checks them all
in one run of node with tests/browser/.htmlvalidate.json: its recommended rules, less the
ones that file changes and says why. A test per page fails with each finding, its line
and the markup there. html-validate is pinned at 9.7.1, the last line that runs on
Debian 12's node (18.20); 10 wants node 20.19, 11 node 22.
"""

import base64
import hashlib
import hmac
import json
import re
import shutil
import struct
import subprocess
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from hearth_stack import REPO, csrf_token, signup_fields, unique, wait_for_mail

HERE = Path(__file__).resolve().parent
VALIDATOR = HERE / "node_modules" / "html-validate" / "bin" / "html-validate.mjs"
CONFIG = HERE / ".htmlvalidate.json"
PAGES = REPO / "build" / "html-pages"
NODE = shutil.which("node") or "/usr/bin/node"
VALIDATE_TIMEOUT = 120

# Every page of the walk: (name, path as requested, the status it must answer). The names
# are the test ids; _walk() fetches them in this order of the story, not of this list.
EXPECTED = [
    ("landing", "/", 200),
    ("join-errors", "POST /join (empty)", 400),
    ("joined", "/joined", 200),
    ("confirm", "/confirm?t=...", 200),
    ("welcome", "/welcome?t=...", 200),
    ("preferences", "/preferences?t=...", 200),
    ("preferences-saved", "/preferences?t=...&saved", 200),
    ("preferences-errors", "POST /preferences (bad seniority)", 400),
    ("requested", "POST /preferences/request", 200),
    ("unsubscribe", "/unsubscribe?t=...", 200),
    ("unsubscribe-one-click", "/unsubscribe/one-click?t=...", 200),
    ("unsubscribed", "POST /unsubscribe", 200),
    ("preferences-left", "/preferences?t=... (unsubscribed)", 200),
    ("export", "/export?t=...", 200),
    ("erase", "/erase?t=...", 200),
    ("erased", "POST /erase", 200),
    ("expired", "/confirm?t=(expired)", 410),
    ("data", "/data", 200),
    ("data-errors", "POST /data (empty)", 400),
    ("not-found", "/no-such-page", 404),
    ("privacy", "/static/privacy.html", 200),
    ("office-login", "/office/login", 200),
    ("office-login-errors", "POST /office/login (empty)", 400),
    ("office-login-refused", "POST /office/login (wrong password)", 401),
    ("office-candidates", "/office/candidates", 200),
    ("office-candidate", "/office/candidate?id=N", 200),
    ("office-mail", "/office/mail", 200),
    ("office-mail-show", "/office/mail/show?id=N", 200),
    ("office-bulk-errors", "POST /office/bulk (no action, no one ticked)", 400),
    ("office-job", "/office/job?id=N (an export)", 200),
    ("office-job-reloading", "/office/job?id=N&refresh=1", 200),
    ("office-jobs", "/office/jobs", 200),
    ("office-bulk-delete", "POST /office/bulk (delete, as an admin)", 200),
]
NAMES = [name for name, _, _ in EXPECTED]


def _link(mail, path):
    """The one link to PATH in the text part of MAIL, as a path on the stack."""
    text = mail.get_body(("plain",)).get_content()
    links = set(re.findall(r"https?://\S+?%s\?t=[A-Za-z0-9_.-]+" % re.escape(path), text))
    assert len(links) == 1, "links to %s in the mail: %s" % (path, links)
    u = urlsplit(links.pop())
    return u.path + "?" + u.query


def _token(link):
    return parse_qs(urlsplit(link).query)["t"][0]


def _expired(token, key):
    """TOKEN with its expiry in the past, signed again with the site key (as in
    tests/e2e/test_community.py)."""
    payload_b64, _ = token.split(".")
    payload = base64.urlsafe_b64decode(payload_b64 + "=" * (-len(payload_b64) % 4))
    payload = payload[:1] + struct.pack(">Q", int(time.time()) - 60) + payload[9:]
    mac = hmac.new(key, payload, hashlib.sha256).digest()
    enc = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()   # noqa: E731
    return enc(payload) + "." + enc(mac)


def _walk(stack):
    """Fetches every page of EXPECTED; returns {name: (what, status, html)}."""
    pages = {}

    def keep(name, what, r):
        assert name in NAMES, name
        assert r.headers.get("Content-Type", "").startswith("text/html"), \
            "%s (%s) is %s, not HTML" % (name, what, r.headers.get("Content-Type"))
        pages[name] = (what, r.status_code, r.text)
        return r

    def sees(r, status, what):
        assert r.status_code == status, "%s answered %d, not %d:\n%s" % (
            what, r.status_code, status, r.text[:600])
        return r

    outbox = stack.var / "outbox"
    address = unique("html") + "@example.org"
    c = stack.client()

    # The signup: the page, its errors, and the page after it.
    r = keep("landing", "/", c.get("/"))
    keep("join-errors", "POST /join", c.post("/join", data={"csrf_token": csrf_token(r.text)}))
    data = dict(signup_fields("Ada Lovelace", address), csrf_token=csrf_token(r.text))
    r = sees(c.post("/join", data=data), 303, "a good signup")
    keep("joined", r.headers["Location"], c.get(r.headers["Location"]))

    # The confirmation mail's link, the button behind it, and the welcome page.
    mail = wait_for_mail(outbox, address, subject="Please confirm")
    confirm = _link(mail, "/confirm")
    unsubscribe = _link(mail, "/unsubscribe")
    r = keep("confirm", confirm, c.get(confirm))
    r = sees(c.post("/confirm", data={"t": _token(confirm), "csrf_token": csrf_token(r.text)}),
             303, "pressing 'Yes, keep me informed'")
    welcome = r.headers["Location"]
    keep("welcome", welcome, c.get(welcome))
    prefs = "/preferences?t=" + _token(welcome)

    # The preference centre: as it opens, after a save, and with an error.
    r = keep("preferences", prefs, c.get(prefs))
    form = {"t": _token(prefs), "csrf_token": csrf_token(r.text), "interests": ["data"],
            "city": "Lisbon", "country": "Portugal", "seniority": "senior",
            "skills": "Rust, SQL", "frequency": "digest", "pause": "1"}
    r = sees(c.post("/preferences", data=form), 303, "saving the preferences")
    keep("preferences-saved", r.headers["Location"], c.get(r.headers["Location"]))
    keep("preferences-errors", "POST /preferences",
         c.post("/preferences", data=dict(form, seniority="guru")))

    # The data links, asked for from the preference centre; each asks before it acts.
    r = c.get(prefs)
    keep("requested", "POST /preferences/request", c.post("/preferences/request", data={
        "t": _token(prefs), "kind": "export", "csrf_token": csrf_token(r.text)}))
    export = _link(wait_for_mail(outbox, address, subject="Your data from"), "/export")
    keep("export", export, c.get(export))
    r = c.get(prefs)
    sees(c.post("/preferences/request", data={
        "t": _token(prefs), "kind": "erase", "csrf_token": csrf_token(r.text)}), 200,
        "asking for erasure")
    erase = _link(wait_for_mail(outbox, address, subject="Confirm the erasure"), "/erase")
    keep("erase", erase, c.get(erase))

    # An expired link, the public pages without a link, a page that is not there.
    key = bytes.fromhex((stack.var / "secret").read_text().strip())
    keep("expired", "/confirm?t=(expired)", c.get("/confirm", params={
        "t": _expired(_token(confirm), key)}))
    r = keep("data", "/data", c.get("/data"))
    keep("data-errors", "POST /data", c.post("/data", data={"csrf_token": csrf_token(r.text)}))
    keep("not-found", "/no-such-page", c.get("/no-such-page"))
    keep("privacy", "/static/privacy.html", c.get("/static/privacy.html"))

    # The back office, signed in as a recruiter.
    office = stack.client()
    user, password = unique("rec") + "@example.org", "correct horse battery staple"
    stack.add_user(user, password)
    r = keep("office-login", "/office/login", office.get("/office/login"))
    keep("office-login-errors", "POST /office/login (empty)", office.post(
        "/office/login", data={"csrf_token": csrf_token(r.text)}))
    keep("office-login-refused", "POST /office/login (wrong password)", office.post(
        "/office/login", data={"email": user, "password": "wrong " + password,
                               "csrf_token": csrf_token(r.text)}))
    sees(office.login(user, password), 303, "signing in")
    keep("office-candidates", "/office/candidates", office.get("/office/candidates"))
    (cid,) = [i for i, e, _ in stack.candidates() if e == address]
    keep("office-candidate", "/office/candidate?id=%d" % cid,
         office.get("/office/candidate", params={"id": cid}))
    r = keep("office-mail", "/office/mail", office.get("/office/mail"))
    ids = re.findall(r'href="/office/mail/show\?id=(\d+)"', r.text)
    assert ids, "no mail listed on /office/mail:\n" + r.text[:2000]
    keep("office-mail-show", "/office/mail/show?id=" + ids[0],
         office.get("/office/mail/show", params={"id": ids[0]}))

    # Bulk actions from the list: the form with its errors, a job's page (the job may
    # be running or done by then: both are the one template), as it reloads itself on
    # request, the list of jobs, and an admin's confirmation before a deletion.
    r = office.get("/office/candidates")
    keep("office-bulk-errors", "POST /office/bulk", office.post("/office/bulk", data={
        "csrf_token": csrf_token(r.text), "scope": "selected"}))
    r = sees(office.post("/office/bulk", data={"csrf_token": csrf_token(r.text),
                                               "scope": "all", "action": "export"}),
             303, "an export of everyone")
    job = r.headers["Location"]
    keep("office-job", job, office.get(job))
    keep("office-job-reloading", job + "&refresh=1", office.get(job + "&refresh=1"))
    keep("office-jobs", "/office/jobs", office.get("/office/jobs"))
    admin = stack.client()
    admin_user = unique("adm") + "@example.org"
    stack.add_user(admin_user, password, role="admin")
    sees(admin.login(admin_user, password), 303, "signing in as an admin")
    r = admin.get("/office/candidates")
    keep("office-bulk-delete", "POST /office/bulk (delete)", admin.post("/office/bulk", data={
        "csrf_token": csrf_token(r.text), "scope": "selected", "action": "delete",
        "id": str(cid)}))

    # Last, what ends the person's membership: unsubscribing, then erasure.
    r = keep("unsubscribe", unsubscribe, c.get(unsubscribe))
    one_click = unsubscribe.replace("/unsubscribe?", "/unsubscribe/one-click?", 1)
    keep("unsubscribe-one-click", one_click, c.get(one_click))
    keep("unsubscribed", "POST /unsubscribe", c.post("/unsubscribe", data={
        "t": _token(unsubscribe), "csrf_token": csrf_token(r.text)}))
    keep("preferences-left", prefs, c.get(prefs))
    r = c.get(erase)
    keep("erased", "POST /erase", c.post("/erase", data={
        "t": _token(erase), "csrf_token": csrf_token(r.text)}))
    return pages


def _validate(files):
    """html-validate's findings for FILES: {path: [message, ...]} (every file is a key)."""
    assert VALIDATOR.exists(), "%s is missing: run make deps (npm ci in %s)" % (VALIDATOR, HERE)
    # The report goes to a file: node exits before a pipe takes more than 64 KiB of it.
    report = PAGES / "html-validate.json"
    report.unlink(missing_ok=True)
    r = subprocess.run([NODE, str(VALIDATOR), "--config", str(CONFIG),
                        "--formatter", "json=%s" % report, *map(str, files)],
                       capture_output=True, text=True, cwd=HERE, timeout=VALIDATE_TIMEOUT)
    # 0: no errors, 1: errors found; anything else is html-validate itself failing.
    assert r.returncode in (0, 1) and report.exists(), "html-validate failed (%d):\n%s%s" % (
        r.returncode, r.stdout[-2000:], r.stderr[-2000:])
    results = json.loads(report.read_text())
    found = {str(f): [] for f in files}
    for res in results:
        found[str(Path(res["filePath"]).resolve())].extend(res["messages"])
    if r.returncode == 1:
        assert any(found.values()), "html-validate exited 1 and reported nothing:\n" + r.stderr
    return found


@pytest.fixture(scope="module")
def checked(stack):
    """{name: (what, status, html, findings)} for every page of the walk."""
    pages = _walk(stack)
    assert sorted(pages) == sorted(NAMES), "pages not fetched: %s" % (set(NAMES) - set(pages))
    shutil.rmtree(PAGES, ignore_errors=True)
    PAGES.mkdir(parents=True)
    files = {}
    for name, (_, _, text) in pages.items():
        files[name] = (PAGES / (name + ".html")).resolve()
        files[name].write_text(text, encoding="utf-8")
    found = _validate(list(files.values()))
    return {name: pages[name] + (found[str(files[name])],) for name in pages}


def _describe(html, messages):
    lines = html.splitlines()
    out = []
    for m in messages:
        at = lines[m["line"] - 1].strip() if 0 < m.get("line", 0) <= len(lines) else ""
        out.append("  line %s:%s %s (%s)\n      %s" % (
            m.get("line"), m.get("column"), m["message"], m.get("ruleId"),
            at[:200] + ("..." if len(at) > 200 else "")))
    return "\n".join(out)


@pytest.mark.parametrize("name,what,status", EXPECTED, ids=NAMES)
def test_the_page_is_valid_html5(checked, name, what, status):
    got_what, got_status, html, messages = checked[name]
    assert got_status == status, "%s answered %d, not %d:\n%s" % (
        got_what, got_status, status, html[:600])
    assert html.lstrip().lower().startswith("<!doctype html>"), \
        "%s does not start with <!DOCTYPE html>" % got_what
    if messages:
        pytest.fail("html-validate finds %d problem%s in %s (saved as %s):\n%s" % (
            len(messages), "" if len(messages) == 1 else "s", got_what,
            PAGES / (name + ".html"), _describe(html, messages)), pytrace=False)


def test_every_rule_changed_in_the_config_says_why():
    """.htmlvalidate.json changes html-validate's recommended rules only with a reason: JSON
    has no comments, so each rule set there has a note "<rule>: why" (off, with its text)."""
    rules = json.loads(CONFIG.read_text())["rules"]
    notes = {k[:-len(": why")]: v for k, v in rules.items() if k.endswith(": why")}
    for note, value in notes.items():
        assert isinstance(value, list) and value[0] == "off" and len(value) == 2 \
            and isinstance(value[1], str) and len(value[1].split()) >= 10, \
            "the note %r is not [\"off\", \"<the reason>\"]: %r" % (note + ": why", value)
    unexplained = [k for k in rules if not k.endswith(": why") and k not in notes]
    assert not unexplained, "rules set in %s without a note saying why: %s" % (CONFIG, unexplained)
