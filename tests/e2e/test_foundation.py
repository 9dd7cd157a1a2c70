"""test_foundation.py: issue 2 end to end, behind nginx and behind Apache with the shipped configs.

A person joins on the public page, a recruiter logs in and sees them; and around that
slice everything a browser, an attacker or a clumsy client can send: missing or forged
CSRF tokens, oversized bodies, markup in every field, duplicate emails, bad bytes.
What was stored is checked with `hearthctl candidates`, as an admin would.
"""

import calendar
import html
import http.client
import re
import time
import urllib.parse

import pytest

from hearth_stack import (REPO, cookie_attrs, csrf_token, field_error, input_value, parse_form, routes,
                          signup_fields,
                          set_cookies, shows_escaped, unique)

XSS_PAYLOADS = ["<script>alert(1)</script>", "\"'><"]
MAX_BODY = 65536  # Web.MaxBody in conf/hearth.hdf
MAX_UPLOAD = 6 * 1024 * 1024  # Web.MaxUpload in conf/hearth.hdf
PER_PAGE = 50


# -- helpers -----------------------------------------------------------------------------

def email_for(tag):
    return "%s@example.test" % unique(tag)


@pytest.fixture(scope="module")
def recruiter(stack):
    """A recruiter account made the way an admin makes one: hearthctl, password on stdin."""
    email, password = email_for("recruiter"), "correct horse " + unique()
    stack.add_user(email, password, role="recruiter")
    return email, password


@pytest.fixture(scope="module")
def admin(stack):
    email, password = email_for("admin"), "correct horse " + unique()
    stack.add_user(email, password, role="admin")
    return email, password


@pytest.fixture
def admin_office(stack, admin):
    """A client signed in as an admin, for the routes only admins may use."""
    c = stack.client()
    r = c.login(*admin)
    assert r.status_code == 303, r.text
    return c


@pytest.fixture
def office(stack, recruiter):
    """A client signed in to the back office."""
    c = stack.client()
    r = c.login(*recruiter)
    assert r.status_code == 303, r.text
    return c


def assert_stored_nothing(stack, before, *emails):
    after = stack.candidate_emails()
    assert after == before, "the database changed: %s" % sorted(set(after) ^ set(before))
    for e in emails:
        assert e.strip().lower() not in after


def redirect_path(r):
    """Location as a path, whether the server sent it relative or absolute."""
    return urllib.parse.urlsplit(r.headers.get("Location", "")).path


def rows_of(page):
    """The table rows (or list items) of a page, as HTML fragments."""
    return re.findall(r"<tr\b.*?</tr>|<li\b.*?</li>", page, re.S | re.I)


def row_with(page, text):
    for row in rows_of(page):
        if text in row:
            return row
    raise AssertionError("no row shows %r" % text)


_SHOWN_TIMES = [
    (re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d)?Z"), ("%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%MZ")),
    (re.compile(r"\d{1,2} [A-Z][a-z]{2} \d{4},? \d\d:\d\d UTC"), ("%d %b %Y, %H:%M UTC", "%d %b %Y %H:%M UTC")),
]


def shown_times(fragment):
    """Every UTC time written in fragment (ISO 8601 or '22 Nov 2026, 14:05 UTC'), as epoch seconds."""
    found = []
    for rx, formats in _SHOWN_TIMES:
        for text in rx.findall(fragment):
            for fmt in formats:
                try:
                    found.append(calendar.timegm(time.strptime(text, fmt)))
                    break
                except ValueError:
                    pass
    return found


def positions(page, emails):
    """The emails that appear on page, in the order they appear."""
    at = []
    for e in emails:
        i = page.find(e)
        if i >= 0:
            at.append((i, e))
    return [e for _, e in sorted(at)]


def csp_directives(header):
    out = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            out[words[0].lower()] = words[1:]
    return out


# -- the slice: join, log in, see them ---------------------------------------------------

def test_landing_page_has_the_signup_form(stack):
    c = stack.client()
    r, token = c.form("/")
    assert "text/html" in r.headers["Content-Type"]
    assert token
    for field in ("first_name", "last_name", "email"):
        assert input_value(r.text, field) in (None, "")
    consent = [a for n, a in parse_form(r.text).inputs if n == "consent"]
    assert consent, "no consent checkbox"
    assert consent[0].get("type") == "checkbox" and consent[0].get("value") == "1"
    assert "checked" not in consent[0], "consent must be unchecked by default"
    assert any(cookie_attrs(h)[0] == "hearth_anon" for h in set_cookies(r))


def test_join_then_recruiter_sees_candidate_with_join_time(stack, recruiter):
    person = stack.client()
    email, name = email_for("join"), "Ada " + unique()
    t0 = time.time()
    r = person.join(name, email)
    assert r.status_code == 303, r.text
    assert redirect_path(r) == "/joined"
    r = person.get("/joined")
    assert r.status_code == 200
    assert email in stack.candidate_emails()

    rec = stack.client()
    r = rec.get("/office/login")
    assert r.status_code == 200
    r = rec.login(*recruiter)
    assert r.status_code == 303, r.text
    assert redirect_path(r) == "/office/candidates"
    r = rec.get("/office/candidates")
    assert r.status_code == 200, r.text
    row = row_with(r.text, email)
    assert name in row
    # what a person reads, not an attribute
    times = shown_times(html.unescape(re.sub(r"<[^>]*>", " ", row)))
    assert times, "no join time shown in the row: %s" % row
    # shown to the minute: allow for that truncation and a little clock skew
    assert any(t0 - 120 <= t <= time.time() + 60 for t in times), (times, t0, row)
    # /office/ is the same list
    r = rec.get("/office/")
    assert r.status_code == 200 and email in r.text


def test_office_without_trailing_slash_redirects(stack):
    r = stack.client().get("/office")
    assert r.status_code in (301, 302, 308)
    assert redirect_path(r) == "/office/"


def test_wrong_password_gets_401_and_no_session(stack, recruiter):
    c = stack.client()
    r = c.login(recruiter[0], "not the password")
    assert r.status_code == 401
    assert not [h for h in set_cookies(r) if cookie_attrs(h)[0] == "hearth_session"]
    assert csrf_token(r.text)  # the form again
    assert c.get("/office/candidates").status_code == 302


def test_login_works_after_visiting_office_before_public_page(stack, recruiter):
    """One browser, two anonymous cookies (Path=/office/ and Path=/): both are sent to /office/."""
    c = stack.client()
    assert c.get("/office/login").status_code == 200
    assert c.get("/").status_code == 200
    r = c.login(*recruiter)
    assert r.status_code == 303, "login answered %d: %s" % (r.status_code, r.text[:500])


# -- access control --------------------------------------------------------------------

OFFICE_ROUTES = routes("office")
AUTH_ROUTES = [(m, p) for m, p, flags in OFFICE_ROUTES if "auth" in flags]


def test_route_table_has_protected_routes():
    # The redirect tests below are derived from it: make sure there is something to derive.
    assert ("GET", "/office/candidates") in AUTH_ROUTES
    assert ("POST", "/office/logout") in AUTH_ROUTES
    assert all(path.startswith("/office/") for _, path, _ in OFFICE_ROUTES)
    assert [p for m, p, f in OFFICE_ROUTES if "auth" not in f] == ["/office/login", "/office/login"]


@pytest.mark.parametrize("method,path", AUTH_ROUTES, ids=["%s %s" % r for r in AUTH_ROUTES])
def test_protected_route_redirects_to_login_without_session(stack, method, path):
    for cookies in ({}, {"hearth_session": "forged" + unique()}):
        c = stack.client()
        c.cookies.update(cookies)
        r = c.request(method, path, data={} if method == "POST" else None)
        assert r.status_code == 302, "%s %s with %s answered %d" % (method, path, cookies, r.status_code)
        assert redirect_path(r) == "/office/login"


def test_logout_ends_the_session(stack, office):
    token = office.cookies.get("hearth_session", path="/office/")
    assert token
    r, csrf = office.form("/office/candidates")
    r = office.post("/office/logout", data={"csrf_token": csrf})
    assert r.status_code == 303
    assert redirect_path(r) == "/office/login"
    assert office.get("/office/candidates").status_code == 302
    # The old token is dead on the server too, not just dropped by the browser.
    replay = stack.client()
    replay.cookies.set("hearth_session", token, path="/office/")
    r = replay.get("/office/candidates")
    assert r.status_code == 302 and redirect_path(r) == "/office/login"


def test_logout_needs_csrf_token(stack, office):
    r = office.post("/office/logout", data={"confirm": "1"})
    assert r.status_code == 403
    assert office.get("/office/candidates").status_code == 200


def test_session_cookie_flags(stack, recruiter):
    r = stack.client().login(*recruiter)
    assert r.status_code == 303
    cookies = [cookie_attrs(h) for h in set_cookies(r)]
    session = [c for c in cookies if c[0] == "hearth_session"]
    assert len(session) == 1, set_cookies(r)
    _, value, attrs = session[0]
    assert len(value) >= 20
    assert "httponly" in attrs
    assert attrs.get("samesite", "").lower() == "lax"
    assert attrs.get("path") == "/office/"
    assert "secure" not in attrs  # Site.Secure is off on plain http


def test_anonymous_cookie_flags(stack):
    r = stack.client().get("/")
    anon = [cookie_attrs(h) for h in set_cookies(r) if cookie_attrs(h)[0] == "hearth_anon"]
    assert anon
    assert "httponly" in anon[0][2]
    assert anon[0][2].get("samesite", "").lower() == "lax"


# -- CSRF ------------------------------------------------------------------------------

def test_join_without_csrf_token_is_refused(stack):
    c = stack.client()
    c.get("/")
    before = stack.candidate_emails()
    email = email_for("nocsrf")
    r = c.post("/join", data=signup_fields("No Token", email))
    assert r.status_code == 403
    assert_stored_nothing(stack, before, email)


@pytest.mark.parametrize("token", ["", "x", "A" * 43, "not-a-token-" + "0" * 40])
def test_join_with_wrong_csrf_token_is_refused(stack, token):
    c = stack.client()
    c.get("/")
    before = stack.candidate_emails()
    email = email_for("badcsrf")
    r = c.post("/join", data={**signup_fields("Bad Token", email),
                              "csrf_token": token})
    assert r.status_code == 403
    assert_stored_nothing(stack, before, email)


def test_csrf_token_of_another_visitor_is_refused(stack):
    _, their_token = stack.client().form("/")
    me = stack.client()
    me.get("/")
    before = stack.candidate_emails()
    email = email_for("othercsrf")
    r = me.post("/join", data={**signup_fields("Other", email),
                               "csrf_token": their_token})
    assert r.status_code == 403
    assert_stored_nothing(stack, before, email)


def test_login_without_csrf_token_is_refused(stack, recruiter):
    c = stack.client()
    c.get("/office/login")
    r = c.post("/office/login", data={"email": recruiter[0], "password": recruiter[1]})
    assert r.status_code == 403
    assert not [h for h in set_cookies(r) if cookie_attrs(h)[0] == "hearth_session"]


# -- body cap --------------------------------------------------------------------------

@pytest.mark.parametrize("size", [MAX_BODY + 1, 1024 * 1024])
def test_body_over_the_cap_gets_413(stack, size):
    c = stack.client()
    _, token = c.form("/")
    before = stack.candidate_emails()
    email = email_for("big")
    body = urllib.parse.urlencode({**signup_fields("Big", email), "csrf_token": token,
                                   "pad": ""}, doseq=True)
    body += "x" * (size - len(body))
    assert len(body) == size
    r = c.post("/join", data=body,
               headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 413
    assert_stored_nothing(stack, before, email)
    # and the stack still serves the next request
    assert stack.client().get("/").status_code == 200


@pytest.mark.parametrize("ctype", ["text/plain", "application/x-www-form-urlencodedX"])
def test_other_body_types_get_415_and_store_nothing(stack, ctype):
    c = stack.client()
    _, token = c.form("/")
    before = stack.candidate_emails()
    email = email_for("othertype")
    body = urllib.parse.urlencode({**signup_fields("Multi", email), "csrf_token": token},
                                  doseq=True)
    r = c.post("/join", data=body, headers={"Content-Type": ctype})
    assert r.status_code == 415
    assert_stored_nothing(stack, before, email)
    assert stack.client().get("/").status_code == 200


@pytest.mark.parametrize("ctype", ["multipart/form-data; boundary=x", "multipart/form-data"])
def test_malformed_multipart_signup_gets_400_and_stores_nothing(stack, ctype):
    c = stack.client()
    _, token = c.form("/")
    before = stack.candidate_emails()
    email = email_for("multipart")
    body = urllib.parse.urlencode({**signup_fields("Multi", email), "csrf_token": token},
                                  doseq=True)
    # Twice: ClearSilver's own multipart parser kept a boundary from one request and
    # crashed on the next; Hearth's never lets it near a body.
    for _ in range(2):
        r = c.post("/join", data=body, headers={"Content-Type": ctype})
        assert r.status_code == 400
    assert_stored_nothing(stack, before, email)
    assert stack.client().get("/").status_code == 200


def test_body_just_under_the_cap_is_accepted(stack):
    c = stack.client()
    _, token = c.form("/")
    email = email_for("fits")
    body = urllib.parse.urlencode({**signup_fields("Fits", email), "csrf_token": token,
                                   "pad": ""}, doseq=True)
    body += "x" * (MAX_BODY - len(body))
    r = c.post("/join", data=body,
               headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 303, r.text[:500]
    assert email in stack.candidate_emails()


# -- uploads ---------------------------------------------------------------------------
# Multipart bodies are read only on routes flagged WEB_R_UPLOAD (up to Web.MaxUpload);
# every other POST answers 415 as before. Upload routes themselves are tested where
# one exists; here: the web servers' own limits, and the routes that take no files.

COMMUNITY_ROUTES = routes("community")
NON_UPLOAD_POSTS = [(prog, p, f) for prog, table in (("community", COMMUNITY_ROUTES),
                                                   ("office", OFFICE_ROUTES))
                    for m, p, f in table if m == "POST" and "upload" not in f]


def from_hearth(r):
    """Whether an answer came from a Hearth program rather than from the web server:
    only Hearth sends its Content-Security-Policy on error pages."""
    return "default-src 'self'" in r.headers.get("Content-Security-Policy", "")


def multipart(fields, files, size=None):
    """(body, content type) of a multipart/form-data form; with size, the last file is
    padded so that the whole body is exactly size bytes."""
    boundary = "hearth-e2e-" + unique()
    parts = []
    for name, value in fields.items():
        parts.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n"
                      % (boundary, name)).encode() + value.encode() + b"\r\n")
    for name, (filename, data) in files.items():
        parts.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                      "Content-Type: application/octet-stream\r\n\r\n"
                      % (boundary, name, filename)).encode() + data + b"\r\n")
    tail = ("--%s--\r\n" % boundary).encode()
    body = b"".join(parts) + tail
    if size is not None:
        assert files and len(body) <= size
        body = b"".join(parts)[:-2] + b"x" * (size - len(body)) + b"\r\n" + tail
        assert len(body) == size
    return body, "multipart/form-data; boundary=" + boundary


def _bytes(text):
    n, unit = re.fullmatch(r"(\d+)([kKmMgG]?)", text).groups()
    return int(n) * 1024 ** " kmg".index(unit.lower() or " ")


def test_shipped_web_server_limits_are_above_the_upload_cap():
    """A body Hearth accepts must never be refused by nginx or Apache first."""
    hdf = (REPO / "conf" / "hearth.hdf").read_text()
    max_upload = int(re.search(r"^\s*MaxUpload\s*=\s*(\d+)\s*$", hdf, re.M).group(1))
    max_body = int(re.search(r"^\s*MaxBody\s*=\s*(\d+)\s*$", hdf, re.M).group(1))
    assert (max_upload, max_body) == (MAX_UPLOAD, MAX_BODY)
    nginx = (REPO / "conf" / "nginx" / "hearth.conf").read_text()
    apache = (REPO / "conf" / "apache" / "hearth.conf").read_text()
    nginx_max = _bytes(re.search(r"^\s*client_max_body_size\s+(\S+);", nginx, re.M).group(1))
    apache_max = int(re.search(r"^\s*LimitRequestBody\s+(\d+)\s*$", apache, re.M).group(1))
    assert nginx_max >= max_upload
    assert apache_max >= max_upload


def test_a_body_of_the_upload_cap_reaches_the_community_program(stack):
    # To a path no program serves: Hearth's own 404 shows the web server passed all
    # 6 MiB on (nginx and Apache check the length before proxying and answer 413).
    c = stack.client()
    path = "/no-such-page-" + unique()
    body, ctype = multipart({"name": "Big"}, {"cv": ("cv.pdf", b"")}, size=MAX_UPLOAD)
    r = c.post(path, data=body, headers={"Content-Type": ctype})
    assert r.status_code == 404, r.text[:300]
    assert from_hearth(r)
    # Over the web server's limit (8 MiB as shipped) nginx answers itself; Apache's
    # mod_proxy_fcgi passes the body on regardless of LimitRequestBody, and Hearth
    # refuses it from its length. A 413 either way, and the workers go on serving.
    _, token = c.form("/")
    body, ctype = multipart({"csrf_token": token, "name": "Huge"}, {"cv": ("cv.pdf", b"")},
                            size=8 * 1024 * 1024 + 1)
    r = c.post("/join", data=body, headers={"Content-Type": ctype})
    assert r.status_code == 413
    assert from_hearth(r) == (stack.server == "apache")
    for _ in range(3):
        assert stack.client().get("/").status_code == 200


def test_a_slow_form_is_not_cut_off(stack):
    # Apache streams a body to the worker as the client sends it; a pause longer than
    # Web.StuckSeconds (5 s) used to get the worker killed as stuck (503).
    c = stack.client()
    _, token = c.form("/")
    email = email_for("slow")
    body = urllib.parse.urlencode({**signup_fields("Slow Connection", email),
                                   "csrf_token": token}, doseq=True).encode()
    conn = http.client.HTTPConnection("127.0.0.1", stack.port, timeout=30)
    try:
        conn.putrequest("POST", "/join")
        conn.putheader("Content-Type", "application/x-www-form-urlencoded")
        conn.putheader("Content-Length", str(len(body)))
        conn.putheader("Cookie", "; ".join("%s=%s" % kv for kv in c.cookies.items()))
        conn.endheaders()
        conn.send(body[:len(body) // 2])
        time.sleep(7)
        conn.send(body[len(body) // 2:])
        r = conn.getresponse()
        assert r.status == 303, r.read()[:300]
    finally:
        conn.close()
    assert email in stack.candidate_emails()


@pytest.mark.parametrize("program,path,flags", NON_UPLOAD_POSTS,
                         ids=["%s %s" % (prog, p) for prog, p, _ in NON_UPLOAD_POSTS])
def test_multipart_where_no_files_are_taken_gets_415(stack, office, request, program, path,
                                                     flags):
    # A well-formed multipart form with a valid token and a file, sent twice (ClearSilver's
    # own multipart parser, which must never run, kept state between requests).
    # A route for some roles only (roles=a+b) is sent by a user who may use it.
    roles = [f.split("=", 1)[1].split("+") for f in flags if f.startswith("roles=")]
    if roles and "recruiter" not in roles[0]:
        office = request.getfixturevalue("admin_office")
    c = office if "auth" in flags else stack.client()
    page = "/office/candidates" if "auth" in flags else (
        "/office/login" if program == "office" else "/")
    _, token = c.form(page)
    before = stack.candidate_emails()
    email = email_for("multipart")
    body, ctype = multipart({"csrf_token": token, "name": "Multi", "email": email,
                             "consent": "yes", "password": "x"},
                            {"cv": ("cv.txt", b"Ada Lovelace\n")})
    for _ in range(2):
        r = c.post(path, data=body, headers={"Content-Type": ctype})
        assert r.status_code == 415, r.text[:300]
        assert from_hearth(r) and "format we do not accept" in r.text
    assert_stored_nothing(stack, before, email)
    if "auth" in flags:
        assert office.get("/office/candidates").status_code == 200  # still signed in
    assert stack.client().get("/").status_code == 200


# -- escaping --------------------------------------------------------------------------

@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_markup_in_every_signup_field_comes_back_escaped(stack, payload):
    c = stack.client()
    _, token = c.form("/")
    before = stack.candidate_emails()
    fields = ("first_name", "last_name", "email", "phone", "city", "country", "skills",
              "url", "source")
    r = c.post("/join", data={**{f: payload for f in fields}, "consent": payload,
                              "interests": payload, "seniority": payload,
                              "csrf_token": token})
    assert r.status_code == 400
    assert payload not in r.text
    assert shows_escaped(r.text, payload)
    # kept in the form exactly as typed, once a browser decodes the attribute
    for f in fields:
        assert input_value(r.text, f) == payload, f
    assert field_error(r.text, "email")
    assert_stored_nothing(stack, before)


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_markup_in_login_fields_comes_back_escaped(stack, payload):
    c = stack.client()
    _, token = c.form("/office/login")
    r = c.post("/office/login", data={"email": payload, "password": payload,
                                      "csrf_token": token})
    assert r.status_code in (400, 401)
    assert payload not in r.text
    assert shows_escaped(r.text, payload)


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_markup_in_a_stored_name_is_escaped_in_the_office_list(stack, office, payload):
    email = email_for("xss")
    name = "Eve %s %s" % (payload, unique())
    r = stack.client().join(name, email)
    assert r.status_code == 303, r.text[:500]
    stored = [n for _, e, n in stack.candidates() if e == email]
    assert stored == [name]
    r = office.get("/office/candidates")
    assert r.status_code == 200
    row = row_with(r.text, email)
    assert payload not in r.text
    assert shows_escaped(row, name)


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_markup_in_the_query_string_is_not_reflected(stack, office, payload):
    for c, path in ((stack.client(), "/"), (office, "/office/candidates")):
        r = c.get(path, params={"page": payload, "name": payload, "debug": "1"})
        assert payload not in r.text, path
        assert r.status_code in (200, 400), path


# -- duplicates and bad input ----------------------------------------------------------

def test_same_email_twice_gives_one_record(stack):
    email = email_for("twice")
    variants = [email, email.upper(), "  %s  " % email, " " + email.title()]
    answers = []
    for i, e in enumerate(variants):
        r = stack.client().join("Twice %d" % i, e)
        answers.append((r.status_code, redirect_path(r)))
    stored = stack.candidate_emails().count(email.lower())
    # the same answer every time: a signup never reveals who is already in the community
    assert (stored, answers) == (1, [(303, "/joined")] * len(variants))


@pytest.mark.parametrize("bad_name,what", [
    (b"\xff\xfe", "not UTF-8"),
    (b"Ada \xc3\x28 Lovelace", "a broken UTF-8 sequence"),
    ("A" * 10240, "10 kB long"),
    ("\u00e9" * 5120, "10 kB of two-byte characters"),
], ids=["ff-fe", "broken-sequence", "10kB-ascii", "10kB-utf8"])
def test_bad_name_gets_a_field_error_and_stores_nothing(stack, bad_name, what):
    c = stack.client()
    _, token = c.form("/")
    before = stack.candidate_emails()
    email = email_for("badname")
    r = c.post("/join", data={**signup_fields("x", email), "first_name": bad_name,
                              "csrf_token": token})
    assert r.status_code == 400, "a name that is %s answered %d" % (what, r.status_code)
    message = field_error(r.text, "first_name")
    assert message, "no error next to the name field for a name that is %s" % what
    assert "name" in message.lower(), "the error does not say it is about the name: %r" % message
    assert field_error(r.text, "email") is None
    # the person's valid email is kept for them
    assert input_value(r.text, "email") == email
    assert_stored_nothing(stack, before, email)


def test_missing_fields_get_field_errors_and_keep_values(stack):
    c = stack.client()
    _, token = c.form("/")
    before = stack.candidate_emails()
    r = c.post("/join", data={"first_name": "Grace", "last_name": "Hopper", "email": "",
                              "csrf_token": token})
    assert r.status_code == 400
    for field in ("email", "consent", "interests", "seniority"):
        assert field_error(r.text, field), field
    assert field_error(r.text, "first_name") is None
    assert input_value(r.text, "first_name") == "Grace"
    assert_stored_nothing(stack, before)


# -- headers, 404, 405 -----------------------------------------------------------------

def _pages(stack, office):
    c = stack.client()
    _, token = c.form("/")
    yield "GET /", c.get("/")
    yield "GET /joined", c.get("/joined")
    yield "GET /office/login", c.get("/office/login")
    yield "404", c.get("/no/such/page")
    yield "400 /join", c.post("/join", data={"first_name": "", "email": "x",
                                             "csrf_token": token})
    yield "403 /join", c.post("/join", data={"first_name": "x"})
    yield "GET /office/candidates", office.get("/office/candidates")


def test_security_headers_on_every_page(stack, office):
    for what, r in _pages(stack, office):
        h = r.headers
        assert "Content-Security-Policy" in h, what
        csp = csp_directives(h["Content-Security-Policy"])
        scripts = csp.get("script-src", csp.get("default-src"))
        assert scripts is not None, "%s: CSP does not restrict scripts" % what
        assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, what
        assert h.get("X-Content-Type-Options", "").lower() == "nosniff", what
        assert h.get("Referrer-Policy"), what
        assert (h.get("X-Frame-Options", "").upper() == "DENY"
                or csp.get("frame-ancestors") == ["'none'"]), what
        assert "X-Powered-By" not in h, what
        assert not re.search(r"\d", h.get("Server", "")), "%s: Server reveals a version" % what


def test_unknown_paths_get_404(stack, office):
    for c, path in ((stack.client(), "/no/such/page"), (stack.client(), "/join/"),
                    (office, "/office/no-such-page"), (stack.client(), "/static/no-such.css")):
        r = c.get(path)
        assert r.status_code == 404, path


def _wrong_methods():
    """For each path of both route tables, a method it does not take (from the tables)."""
    out = []
    for program in ("community", "office"):
        table = routes(program)
        for path in sorted({p for _, p, _ in table}):
            taken = {m for m, p, _ in table if p == path}
            for m in ("GET", "POST", "PUT", "DELETE"):
                if m not in taken:
                    out.append((m, path))
    return out


@pytest.mark.parametrize("method,path", _wrong_methods(), ids=["%s %s" % x for x in _wrong_methods()])
def test_wrong_method_gets_405(stack, method, path):
    r = stack.client().request(method, path, data={"x": "1"} if method != "GET" else None)
    assert r.status_code == 405, "%s %s answered %d" % (method, path, r.status_code)


def test_static_files_are_served_with_caching(stack):
    r = stack.client().get("/static/hearth.css")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/css")
    assert "max-age" in r.headers.get("Cache-Control", "")
    assert r.headers.get("ETag") or r.headers.get("Last-Modified")
    assert r.headers.get("X-Content-Type-Options", "").lower() == "nosniff"


# -- the list --------------------------------------------------------------------------

def test_office_list_pages_newest_first(stack, office):
    tag = unique("page")
    mine = ["%s-%03d@example.test" % (tag, i) for i in range(PER_PAGE + 5)]
    # joined one after the other, so this is their order by join time; more than a page,
    # so page 2 exists and starts with the oldest of them whatever other tests stored
    for i, email in enumerate(mine):
        r = stack.client().join("Page %s %03d" % (tag, i), email)
        assert r.status_code == 303, r.text[:300]
    mine.reverse()
    everyone = stack.candidate_emails()

    r1 = office.get("/office/candidates")
    r1b = office.get("/office/candidates", params={"page": "1"})
    r2 = office.get("/office/candidates", params={"page": "2"})
    assert r1.status_code == r1b.status_code == r2.status_code == 200
    page1, page2 = positions(r1.text, everyone), positions(r2.text, everyone)
    assert page1 == mine[:PER_PAGE]
    assert positions(r1b.text, everyone) == page1
    assert page2[:5] == mine[PER_PAGE:]
    assert len(page2) == min(PER_PAGE, len(everyone) - PER_PAGE)
    assert not set(page1) & set(page2)
    # the pages link to each other
    assert re.search(r"href=\"[^\"]*page=2", r1.text), "page 1 has no link to page 2"
    assert re.search(r"href=\"[^\"]*page=1|href=\"/office/candidates\"", r2.text), \
        "page 2 has no link back"


def test_office_list_page_beyond_the_end_is_empty_not_an_error(stack, office):
    r = office.get("/office/candidates", params={"page": "100000"})
    assert r.status_code in (200, 404)
    assert not positions(r.text, stack.candidate_emails())


@pytest.mark.parametrize("page", ["-1", "abc", "1e3", "99999999999999999999"])
def test_office_list_bad_page_number_is_a_400(stack, office, page):
    r = office.get("/office/candidates", params={"page": page})
    assert r.status_code == 400
