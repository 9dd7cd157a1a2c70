"""hearth_stack.py: the real Hearth stack for end-to-end tests, and helpers to talk to it.

A Stack is bin/hearth-run (the same launcher as `make run`) behind nginx or Apache with
the shipped configs, in a throw-away var directory on a free port. Tests drive it with
`requests` (or, in tests/browser, a real browser), look at what was stored through
`hearthctl`, as an admin would, and read the mail it sent as a mail client would.
"""

import email
import email.policy
import html
import html.parser
import mailbox
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[2]
HEARTH_RUN = REPO / "bin" / "hearth-run"
HEARTHCTL = REPO / "build" / "bin" / "hearthctl"
PROGRAMS = {
    "community": REPO / "build" / "cgi-bin" / "community",
    "office": REPO / "build" / "cgi-bin" / "office",
}

TEST_DEFAULTS = "Web.RateLimit.Max = 100000\nMail.RetrySeconds = 1\n"

INBOUND_TEST_DEFAULTS = "Inbound.PollSeconds = 86400\nInbound.TimeoutSeconds = 10\n"

READY_TIMEOUT = 30
STOP_TIMEOUT = 30
HTTP_TIMEOUT = 15


def free_port():
    """A port nothing listens on right now (the kernel picks; parallel runs do not collide)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def unique(prefix="t"):
    """A short token that makes emails and names unique within and across runs."""
    return "%s%s" % (prefix, uuid.uuid4().hex[:10])


class StackError(Exception):
    pass


class Stack:
    """One running bin/hearth-run; start() returns when it said it is ready."""

    def __init__(self, server, local=None, var=None, imap=None):
        """local: extra configuration lines (HDF) for var/local.hdf, read before the
        launcher's own settings; var: the data directory of an earlier, stopped stack;
        imap: an imap_server.ImapServer whose mailbox the worker reads bounces and
        replies from (Inbound.*; none by default). Its daemon then polls only when it
        starts: tests run `hearthctl worker --once` to poll when they mean to."""
        if imap is not None:
            local = imap.hdf() + INBOUND_TEST_DEFAULTS + (local or "")
        self.server = server
        self.port = free_port()
        self.base_url = "http://127.0.0.1:%d" % self.port
        # Not pytest's tmp_path: that lives under a 0700 directory, and nginx's or
        # Apache's unprivileged workers must reach the sockets inside var/run.
        self.var = Path(var) if var else Path(tempfile.mkdtemp(prefix="hearth-e2e-%s-" % server))
        os.chmod(self.var, 0o711)
        # Tests sign up many people from 127.0.0.1 and wait on retries: a test of the
        # rate limit or of the retry delay sets its own values after these.
        (self.var / "local.hdf").write_text(TEST_DEFAULTS + (local or ""))
        self.log_path = self.var.parent / (self.var.name + ".log")
        self.proc = None
        self.env = dict(os.environ,
                        HEARTH_HOME=str(REPO),
                        HEARTH_CONF=str(self.var / "hearth-run.hdf"))

    # -- life cycle ----------------------------------------------------------------

    def log(self):
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def start(self):
        argv = [str(HEARTH_RUN), "--server", self.server, "--port", str(self.port),
                "--var", str(self.var)]
        # Output to a file, not a pipe: nobody has to keep draining it while tests run.
        with open(self.log_path, "wb") as out:
            self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out,
                                         stderr=subprocess.STDOUT, cwd=REPO,
                                         env=dict(self.env, PORT=str(self.port)))
        ready = "Hearth is running on %s" % self.base_url
        deadline = time.monotonic() + READY_TIMEOUT
        while ready not in self.log():
            if self.proc.poll() is not None:
                raise StackError("bin/hearth-run --server %s exited with %d before it was ready:\n%s"
                                 % (self.server, self.proc.returncode, self.log()))
            if time.monotonic() > deadline:
                self.stop(check=False)
                raise StackError("bin/hearth-run --server %s was not ready after %ds:\n%s"
                                 % (self.server, READY_TIMEOUT, self.log()))
            time.sleep(0.1)
        return self

    def pids(self):
        """{name: pid} from var/run/pids, as the launcher wrote it."""
        out = {}
        for line in (self.var / "run" / "pids").read_text().splitlines():
            name, pid = line.split()
            out[name] = int(pid)
        return out

    def stop(self, check=True, keep=False):
        """SIGTERM the launcher; with check, insist that it and everything it started are
        gone; with keep, leave the data directory for another Stack to start on."""
        if self.proc is None:
            return
        started = []
        try:
            for pid in self.pids().values():
                started.append(pid)
                started.extend(_children(pid))
        except OSError:
            pass
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            rc = None
        left = [pid for pid in started if _alive(pid)]
        for pid in left:
            os.kill(pid, signal.SIGKILL)
        problems = []
        if rc != 0:
            problems.append("bin/hearth-run exited with %s after SIGTERM" % rc)
        if left:
            problems.append("processes still running after it stopped: %s" % left)
        if check and problems:
            raise StackError("; ".join(problems) + ":\n" + self.log())
        if not keep:
            shutil.rmtree(self.var, ignore_errors=True)
        if not problems:
            self.log_path.unlink(missing_ok=True)

    # -- what an admin sees --------------------------------------------------------

    def hearthctl(self, *args, input=None):
        """Runs build/bin/hearthctl against this stack's data; returns the CompletedProcess."""
        return subprocess.run([str(HEARTHCTL)] + [str(a) for a in args], input=input,
                              capture_output=True, text=True, env=self.env, cwd=REPO,
                              timeout=60)

    def candidates(self):
        """Every stored candidate as (id, email, name), from `hearthctl candidates`."""
        r = self.hearthctl("candidates")
        assert r.returncode == 0, "hearthctl candidates failed: %s" % r.stderr
        rows = []
        for line in r.stdout.splitlines():
            if line:
                cid, email, name = line.split("\t", 2)
                rows.append((int(cid), email, name))
        return rows

    def candidate_emails(self):
        return [email for _, email, _ in self.candidates()]

    def add_user(self, email, password, role="recruiter"):
        r = self.hearthctl("user", "add", email, "--role", role, input=password + "\n")
        assert r.returncode == 0, "hearthctl user add failed: %s%s" % (r.stdout, r.stderr)

    def client(self):
        return Client(self.base_url)

    # -- what a mail client sees ---------------------------------------------------

    def mails(self):
        """Every mail the worker has written to var/outbox (the default with Mail.SMTPUrl
        empty), parsed, oldest first."""
        return mails(self.var / "outbox")

    def wait_for_mail(self, to, subject=None, timeout=None):
        """The first outbox mail to address TO (whose Subject starts with SUBJECT, if
        given), waiting for the worker to deliver it."""
        return wait_for_mail(self.var / "outbox", to, subject, timeout)


def _children(pid):
    try:
        with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
            return [int(p) for p in f.read().split()]
    except OSError:
        return []


def _alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def routes(program):
    """The route table of build/cgi-bin/PROGRAM: [(method, path, {flags})]."""
    if not os.access(PROGRAMS[program], os.X_OK):
        raise StackError("%s is missing: run make first" % PROGRAMS[program])
    out = subprocess.run([str(PROGRAMS[program]), "--routes"], capture_output=True,
                         text=True, check=True, timeout=30,
                         env=dict(os.environ, HEARTH_HOME=str(REPO))).stdout
    table = []
    for line in out.splitlines():
        method, path, flags = line.split()
        table.append((method, path, set(flags.split(","))))
    assert table, "%s --routes printed no routes" % program
    return table


# -- HTTP ----------------------------------------------------------------------------

class Client(requests.Session):
    """A browser-like session that never follows redirects, so tests see each answer."""

    def __init__(self, base_url):
        super().__init__()
        self.base_url = base_url

    def request(self, method, url, *args, **kwargs):
        # Session.get() passes allow_redirects=True itself: override, tests follow by hand.
        kwargs["allow_redirects"] = False
        kwargs.setdefault("timeout", HTTP_TIMEOUT)
        if url.startswith("/"):
            url = self.base_url + url
        return super().request(method, url, *args, **kwargs)

    def form(self, path):
        """GETs a page with a form; returns (response, its csrf_token)."""
        r = self.get(path)
        assert r.status_code == 200, "GET %s answered %d" % (path, r.status_code)
        return r, csrf_token(r.text)

    def join(self, name, email, consent=True, files=None, **extra):
        """Signs up through the landing page's form, as a person would: NAME is split
        into first and last name at its first space; EXTRA replaces or adds fields."""
        _, token = self.form("/")
        data = signup_fields(name, email, consent)
        data["csrf_token"] = token
        data.update(extra)
        return self.post("/join", data=data, files=files)

    def login(self, email, password):
        _, token = self.form("/office/login")
        return self.post("/office/login",
                         data={"email": email, "password": password, "csrf_token": token})


def signup_fields(name, email, consent=True):
    """The signup form filled in as a person would, for NAME and EMAIL."""
    first, _, last = name.partition(" ")
    data = {"first_name": first, "last_name": last or "Person", "email": email,
            "city": "Lisbon", "country": "Portugal", "interests": ["engineering"],
            "seniority": "mid", "skills": "Python, SQL"}
    if consent:
        data["consent"] = "1"
    return data


def set_cookies(response):
    """Every Set-Cookie header of a response, unparsed (requests folds them otherwise)."""
    return response.raw.headers.getlist("Set-Cookie")


def cookie_attrs(header):
    """'a=b; HttpOnly; Path=/x' -> ('a', 'b', {'httponly': '', 'path': '/x'})."""
    first, *rest = [p.strip() for p in header.split(";")]
    name, _, value = first.partition("=")
    attrs = {}
    for p in rest:
        k, _, v = p.partition("=")
        attrs[k.strip().lower()] = v.strip()
    return name, value, attrs


# -- HTML ----------------------------------------------------------------------------

class _Inputs(html.parser.HTMLParser):
    """Collects <input>/<textarea> fields and elements with an id, in document order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.inputs = []        # (name, attrs) of every input, textarea, select
        self.order = []         # ("input", name) and ("id", id) as they appear
        self.texts = {}         # id -> text inside that element
        self.classes = {}       # id -> its class attribute, split
        self._open = []         # [id, tag, depth] of elements whose text we collect

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag in ("input", "textarea", "select") and "name" in a:
            self.inputs.append((a["name"], a))
            self.order.append(("input", a["name"]))
        if "id" in a:
            self.order.append(("id", a["id"]))
            self.texts.setdefault(a["id"], "")
            self.classes.setdefault(a["id"], a.get("class", "").split())
            if tag not in ("input", "img", "br", "hr", "meta", "link"):
                self._open.append([a["id"], tag, 0])
        for o in self._open:
            if o[1] == tag:
                o[2] += 1

    def handle_endtag(self, tag):
        for o in list(self._open):
            if o[1] == tag:
                o[2] -= 1
                if o[2] == 0:
                    self._open.remove(o)

    def handle_data(self, data):
        for o in self._open:
            self.texts[o[0]] += data


def parse_form(page):
    p = _Inputs()
    p.feed(page)
    p.close()
    return p


def csrf_token(page):
    """The value of the hidden csrf_token input of the (first) form on page."""
    for name, attrs in parse_form(page).inputs:
        if name == "csrf_token":
            assert attrs.get("value"), "the csrf_token input has no value"
            return attrs["value"]
    raise AssertionError("no csrf_token input on the page:\n" + page[:2000])


def input_value(page, name):
    """The value attribute of input NAME as a browser would read it (entities decoded)."""
    for n, attrs in parse_form(page).inputs:
        if n == name:
            return attrs.get("value")
    raise AssertionError("no input named %r on the page" % name)


def field_error(page, field):
    """The text of the error shown for FIELD (element id FIELD-error), or None.

    Also checks that it is marked as one (class field-error) and sits right after the
    field's input, before any other input: where a person reading the form looks for it.
    """
    p = parse_form(page)
    eid = field + "-error"
    if eid not in p.texts:
        return None
    assert "field-error" in p.classes[eid], "#%s has no class field-error" % eid
    order = p.order
    at = order.index(("id", eid))
    before = [x for x in order[:at] if x[0] == "input"]
    assert before and before[-1] == ("input", field), \
        "#%s is not right after the %s input (inputs before it: %s)" % (eid, field, before)
    return " ".join(p.texts[eid].split())


# ClearSilver's html escaping and the usual alternatives, per character.
_ESCAPES = {
    "<": ("&lt;", "&#60;", "&#x3c;", "&#x3C;"),
    ">": ("&gt;", "&#62;", "&#x3e;", "&#x3E;"),
    '"': ("&quot;", "&#34;", "&#x22;"),
    "'": ("&#39;", "&#039;", "&#x27;", "&apos;"),
    "&": ("&amp;", "&#38;", "&#x26;"),
}


def escaped_pattern(text):
    """A regex matching TEXT written with its HTML-special characters escaped in any usual way."""
    parts = []
    for ch in text:
        if ch in _ESCAPES:
            parts.append("(?:%s)" % "|".join(re.escape(e) for e in _ESCAPES[ch]))
        else:
            parts.append(re.escape(ch))
    return "".join(parts)


def shows_escaped(page, text):
    return re.search(escaped_pattern(text), page) is not None


def unescape(s):
    return html.unescape(s)


# -- mail ----------------------------------------------------------------------------

# The worker delivers on its next pass, about once a second.
DELIVERY_TIMEOUT = 20


def parse_mail(raw):
    """bytes -> email.message.EmailMessage, decoded as a mail client decodes it."""
    return email.message_from_bytes(raw, policy=email.policy.default)


def mails(box):
    """Every message in BOX, parsed: BOX is an outbox directory of *.eml files (oldest
    first) or a mailbox.Maildir (such as aiosmtpd's)."""
    if isinstance(box, mailbox.Maildir):
        return [parse_mail(box.get_bytes(key)) for key in box.keys()]
    files = []
    for f in Path(box).glob("*.eml"):
        try:
            files.append((f.stat().st_mtime, f.name, f.read_bytes()))
        except OSError:         # removed or renamed while we looked
            pass
    return [parse_mail(raw) for _, _, raw in sorted(files)]


def wait_for(what, probe, timeout=None):
    """Calls PROBE until it returns something true, and returns that; fails after TIMEOUT
    (DELIVERY_TIMEOUT) seconds saying WHAT did not happen (WHAT may be a function)."""
    timeout = DELIVERY_TIMEOUT if timeout is None else timeout
    deadline = time.monotonic() + timeout
    while True:
        found = probe()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError("no %s after %gs" % (what() if callable(what) else what, timeout))
        time.sleep(0.2)


def wait_for_mail(box, to, subject=None, timeout=None):
    """The first message in BOX (see mails()) addressed to TO whose Subject starts with
    SUBJECT (when given); on a time-out, the failure lists what BOX did hold."""
    def match():
        for m in mails(box):
            if to.lower() in [a.addr_spec.lower() for a in m["To"].addresses] and \
                    (subject is None or str(m["Subject"]).startswith(subject)):
                return m
        return None

    def what():
        held = ["to %s: %r" % (m["To"], str(m["Subject"])) for m in mails(box)]
        where = "the Maildir" if isinstance(box, mailbox.Maildir) else box
        return "mail to %s%s in %s (it holds: %s)" % (
            to, " with a subject starting %r" % subject if subject else "", where,
            "; ".join(held) or "nothing")
    return wait_for(what, match, timeout)
