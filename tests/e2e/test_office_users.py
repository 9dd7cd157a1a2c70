"""test_office_users.py: back-office users, roles, sessions, lockouts and the audit log, behind nginx.

Every office route is walked for every role (admin, recruiter, hiring manager, signed
out), with the expectation derived from the route table that `office --routes` prints
(its role masks), so routes added later are covered without touching this file. Then,
as an admin and a user would see them: adding, changing, disabling and resetting users,
"My account", lockouts after wrong passwords (per email, alike for unknown emails, and
per address), session timeouts and rotation, the audit log page, and hearthctl.
"""

import datetime
import html
import re
import time
import urllib.parse

import pytest

from hearth_stack import Stack, field_error, parse_form, routes, unique

# Short locks so that waiting one out is part of a test: 2 s, doubling to 8 s. The
# address limit is out of the way here (every client is 127.0.0.1); its own test
# starts a stack with a low one.
LOCAL = ("Office.LockAfter = 5\nOffice.LockSeconds = 2\nOffice.LockMaxSeconds = 8\n"
         "Office.LockAddressAfter = 100000\n")
ROLES = ("admin", "recruiter", "hiring_manager")
PER_PAGE = 50
CSRF_MESSAGE = "did not come from this site"


@pytest.fixture(scope="module")
def stack():
    s = Stack("nginx", local=LOCAL).start()
    yield s
    s.stop()


def email_for(tag):
    return "%s@example.test" % unique(tag)


def password():
    return "correct horse " + unique()


def path_of(r):
    return urllib.parse.urlsplit(r.headers.get("Location", "")).path


def signed_in(stack, email, pw):
    c = stack.client()
    r = c.login(email, pw)
    assert r.status_code == 303, "login of %s answered %d: %s" % (email, r.status_code,
                                                                   r.text[:300])
    return c


@pytest.fixture(scope="module")
def accounts(stack):
    """One user of each role, made with hearthctl: {role: (email, password)}."""
    out = {}
    for role in ROLES:
        out[role] = (email_for(role.replace("_", "")), password())
        stack.add_user(out[role][0], out[role][1], role=role)
    return out


def user_id(stack, email):
    r = stack.hearthctl("user", "list")
    assert r.returncode == 0, r.stderr
    for line in r.stdout.splitlines():
        uid, mail, role, state = line.split("\t")
        if mail == email:
            return int(uid)
    raise AssertionError("%s is not in hearthctl user list:\n%s" % (email, r.stdout))


def user_row(stack, email):
    """(role, state) of a user, from hearthctl user list."""
    for line in stack.hearthctl("user", "list").stdout.splitlines():
        uid, mail, role, state = line.split("\t")
        if mail == email:
            return role, state
    return None


def text(page):
    """What a person reads: tags dropped, entities decoded, white space folded."""
    return " ".join(html.unescape(re.sub(r"<[^>]*>", " ", page)).split())


def nav_links(page):
    m = re.search(r'<nav class="office"[^>]*>(.*?)</nav>', page, re.S)
    assert m, "no office navigation bar on the page"
    return re.findall(r'href="([^"]+)"', m.group(1))


def audit_rows(page):
    """The audit table as [{when, who, from, action, cand, detail}], top to bottom."""
    m = re.search(r'<table class="audit">.*?<tbody>(.*?)</tbody>', page, re.S)
    if not m:
        return []
    rows = []
    for tr in re.findall(r"<tr>(.*?)</tr>", m.group(1), re.S):
        cells = [text(td) for td in re.findall(r"<td>(.*?)</td>", tr, re.S)]
        when = re.search(r'datetime="([^"]+)"', tr).group(1)
        rows.append(dict(zip(("when_text", "who", "from", "action", "cand", "detail"), cells),
                         when=when))
    return rows


def audit(client, **filters):
    r = client.get("/office/audit", params=filters)
    assert r.status_code == 200, r.text[:500]
    return audit_rows(r.text)


# -- the route table and every role --------------------------------------------------

OFFICE_ROUTES = routes("office")


def allowed_roles(flags):
    """The roles a route lets in (from roles=a+b), all of them when it names none."""
    for f in flags:
        if f.startswith("roles="):
            return set(f[len("roles="):].split("+"))
    return set(ROLES)


def test_route_table_prints_role_masks():
    table = {(m, p): flags for m, p, flags in OFFICE_ROUTES}
    for route in [("GET", "/office/users"), ("POST", "/office/users/add"),
                  ("GET", "/office/audit"), ("POST", "/office/user/state"),
                  ("POST", "/office/user/role"), ("POST", "/office/user/reset")]:
        assert allowed_roles(table[route]) == {"admin"}, route
    # Hiring managers open no candidate list; a candidate's page only for the people of
    # their roles' pipelines, which its handler checks (tests/e2e/test_roles.py).
    for route in [("GET", "/office/candidates"),
                  ("GET", "/office/mail"), ("GET", "/office/mail/show")]:
        assert "hiring_manager" not in allowed_roles(table[route]), route
    for route in [("GET", "/office/"), ("GET", "/office/account"),
                  ("POST", "/office/account/password"), ("POST", "/office/logout")]:
        assert allowed_roles(table[route]) == set(ROLES), route
    for m, p, flags in OFFICE_ROUTES:
        assert allowed_roles(flags) <= set(ROLES), "%s %s names an unknown role" % (m, p)


WALK = [(m, p, flags, role) for m, p, flags in OFFICE_ROUTES for role in (None,) + ROLES]


@pytest.mark.parametrize("method,path,flags,role", WALK,
                         ids=["%s %s as %s" % (m, p, role or "signed out")
                              for m, p, _, role in WALK])
def test_every_route_for_every_role(stack, accounts, method, path, flags, role):
    if role is None:
        c = stack.client()
        _, token = c.form("/office/login")
        if "auth" in flags:
            for data in ({"x": "1"}, {"csrf_token": token}):
                r = c.request(method, path, data=data if method == "POST" else None)
                assert r.status_code == 302 and path_of(r) == "/office/login", \
                    "%s %s signed out answered %d" % (method, path, r.status_code)
        elif method == "GET":
            assert c.get(path).status_code == 200
        else:
            r = c.post(path, data={"x": "1"})
            assert r.status_code == 403 and CSRF_MESSAGE in r.text  # no token
        return
    c = signed_in(stack, *accounts[role])
    _, token = c.form("/office/account")
    ok = "auth" not in flags or role in allowed_roles(flags)
    if method == "GET":
        r = c.get(path)
        if ok:
            assert r.status_code != 403 and r.status_code < 500, \
                "GET %s as %s answered %d" % (path, role, r.status_code)
        else:
            assert r.status_code == 403, "GET %s as %s answered %d" % (path, role, r.status_code)
        return
    # Without the token: refused, whoever asks.
    r = c.post(path, data={"x": "1"})
    assert r.status_code == 403, "POST %s without a token as %s: %d" % (path, role,
                                                                        r.status_code)
    if ok and "csrf" in flags:
        assert CSRF_MESSAGE in r.text
    # With it: let in (whatever the empty form then earns), or refused for the role.
    r = c.post(path, data={"csrf_token": token})
    if ok:
        assert r.status_code != 403 and r.status_code < 500, \
            "POST %s as %s answered %d: %s" % (path, role, r.status_code, r.text[:300])
    else:
        assert r.status_code == 403, "POST %s as %s answered %d" % (path, role, r.status_code)
        assert "does not have access" in r.text


@pytest.mark.parametrize("role", ROLES)
def test_navigation_shows_only_what_the_role_may_open(stack, accounts, role):
    c = signed_in(stack, *accounts[role])
    table = {(m, p): flags for m, p, flags in OFFICE_ROUTES}
    r = c.get("/office/account")
    links = nav_links(r.text)
    assert "/office/account" in links
    for link in links:
        assert ("GET", link) in table, "the bar links to %s, which is no route" % link
        assert role in allowed_roles(table[("GET", link)]), "%s sees a link to %s" % (role, link)
        assert c.get(link).status_code == 200, link
    # And the pages of the role are all there.
    staff = {"/office/candidates", "/office/pools", "/office/mail", "/office/jobs"}
    expected = {"admin": staff | {"/office/users", "/office/audit"},
                "recruiter": staff,
                "hiring_manager": {"/office/"}}[role]
    assert expected <= set(links), links
    assert 'aria-current="page"' in r.text
    # Signed out: no bar.
    assert '<nav class="office"' not in stack.client().get("/office/login").text


def test_hiring_manager_sees_no_candidates(stack, accounts):
    email = email_for("cand")
    assert stack.client().join("Hidden Person", email).status_code == 303
    cand = [cid for cid, e, _ in stack.candidates() if e == email][0]
    c = stack.client()
    r = c.login(*accounts["hiring_manager"])
    assert r.status_code == 303 and path_of(r) == "/office/"
    r = c.get("/office/")
    assert r.status_code == 200
    assert "not a hiring manager for any role yet" in text(r.text)
    assert email not in r.text
    for path in ("/office/candidates", "/office/candidate?id=%d" % cand, "/office/mail"):
        r = c.get(path)
        assert r.status_code == 403, path
        assert email not in r.text
    # A recruiter sees the same person.
    rec = signed_in(stack, *accounts["recruiter"])
    assert email in rec.get("/office/").text


# -- sign-in, lockout ------------------------------------------------------------------

def lock_message(page):
    m = re.search(r"There have been too many wrong passwords.*?\)\.", text(page))
    assert m, "no lock message on the page:\n" + text(page)[:600]
    # The minutes and the clock time vary with the moment; the words must not.
    return re.sub(r"\d+ minutes?|\d\d:\d\d UTC", "#", m.group(0))


def attempts(stack, email, passwords):
    """(status, Retry-After, page) of a login attempt with each password in turn."""
    out = []
    for pw in passwords:
        r = stack.client().login(email, pw)
        out.append((r.status_code, r.headers.get("Retry-After"), r.text))
    return out


def test_lockout_answers_alike_for_accounts_and_unknown_emails(stack, accounts):
    email, pw = email_for("lock"), password()
    stack.add_user(email, pw, role="recruiter")
    nobody = email_for("nobody")
    seen = {}
    for who in (email, nobody):
        got = attempts(stack, who, ["wrong %d" % i for i in range(5)] + [pw, "wrong 6"])
        statuses = [s for s, _, _ in got]
        assert statuses == [401, 401, 401, 401, 429, 429, 429], (who, statuses)
        for status, retry, page in got[4:]:
            assert retry is not None and 1 <= int(retry) <= 2, retry
            assert "try again in 1 minute" in text(page)
        assert "do not match an account" in text(got[0][2])
        seen[who] = [lock_message(p) for _, _, p in got[4:]]
    assert seen[email] == seen[nobody]
    # Once the lock has passed, the right password works, and clears the count.
    time.sleep(2.5)
    assert stack.client().login(email, pw).status_code == 303
    assert [s for s, _, _ in attempts(stack, email, ["bad"] * 4)] == [401] * 4
    # The admin sees the failures with the email tried, never a password.
    admin = signed_in(stack, *accounts["admin"])
    rows = audit(admin, action="login_failed")
    tried = [r["detail"] for r in rows]
    assert any("email: %s" % nobody in d for d in tried)
    assert any("email: %s" % email in d and "locked_for: 2" in d for d in tried)
    page = admin.get("/office/audit", params={"action": "login_failed"}).text
    assert pw not in page and "wrong 6" not in page and "wrong 1" not in page


def test_lockout_doubles(stack):
    email, pw = email_for("double"), password()
    stack.add_user(email, pw)
    got = attempts(stack, email, ["bad"] * 5)
    assert got[-1][0] == 429 and int(got[-1][1]) == 2
    time.sleep(2.5)
    # One more wrong one after the lock: twice as long.
    (status, retry, _), = attempts(stack, email, ["bad"])
    assert status == 429 and int(retry) == 4
    assert user_row(stack, email) == ("recruiter", "active")


def test_lockout_per_address():
    s = Stack("nginx", local="Office.LockAddressAfter = 3\n").start()
    try:
        email, pw = email_for("addr"), password()
        s.add_user(email, pw)
        for i in range(3):
            r = s.client().login(email_for("guess%d" % i), "bad")
            assert r.status_code == (429 if i == 2 else 401), i
        # The address is paused, for the right password of a real account too.
        r = s.client().login(email, pw)
        assert r.status_code == 429
        assert 1 <= int(r.headers["Retry-After"]) <= 60
        assert "from your connection is paused" in text(r.text)
    finally:
        s.stop()


def test_session_id_is_new_at_every_login(stack, accounts):
    c = stack.client()
    c.cookies.set("hearth_session", "planted" + "x" * 36, domain="127.0.0.1", path="/office/")
    assert c.login(*accounts["recruiter"]).status_code == 303
    first = c.cookies.get("hearth_session", path="/office/")
    assert first and not first.startswith("planted")
    # Signing in again in the same browser (the form is not shown to the signed-in:
    # post it as a second tab would) ends the old session.
    _, token = c.form("/office/account")
    r = c.post("/office/login", data={"email": accounts["recruiter"][0],
                                      "password": accounts["recruiter"][1],
                                      "csrf_token": token})
    assert r.status_code == 303
    second = c.cookies.get("hearth_session", path="/office/")
    assert second != first
    old = stack.client()
    old.cookies.set("hearth_session", first, path="/office/")
    r = old.get("/office/account")
    assert r.status_code == 302 and path_of(r) == "/office/login"
    assert c.get("/office/account").status_code == 200


@pytest.fixture(scope="module")
def short_sessions():
    """A stack whose sessions end after 4 s without a request, or 10 s in all."""
    s = Stack("nginx", local="Office.SessionIdle = 4\nOffice.SessionMax = 10\n").start()
    yield s
    s.stop()


def test_idle_session_ends(short_sessions):
    s = short_sessions
    email, pw = email_for("idle"), password()
    s.add_user(email, pw)
    c = signed_in(s, email, pw)
    assert c.get("/office/account").status_code == 200
    time.sleep(5.5)
    r = c.get("/office/account")
    assert r.status_code == 302 and path_of(r) == "/office/login"


def test_session_ends_at_its_absolute_limit_even_in_use(short_sessions):
    s = short_sessions
    email, pw = email_for("abs"), password()
    s.add_user(email, pw)
    c = signed_in(s, email, pw)
    t0 = time.monotonic()
    seen = []
    while time.monotonic() - t0 < 14:
        r = c.get("/office/account")
        seen.append((round(time.monotonic() - t0, 1), r.status_code))
        if r.status_code != 200:
            break
        time.sleep(1)
    # In use every second, so never idle: alive until the absolute limit, then gone.
    assert all(status == 200 for t, status in seen if t < 8.5), seen
    ended = [t for t, status in seen if status == 302]
    assert ended and 9 <= ended[0] <= 12.5, seen


# -- user management ---------------------------------------------------------------

def add_user_form(admin, **fields):
    _, token = admin.form("/office/users/add")
    return admin.post("/office/users/add", data=dict(fields, csrf_token=token))


def shown_password(page):
    m = re.search(r'<code class="secret" id="new-password">([^<]+)</code>', page)
    return html.unescape(m.group(1)) if m else None


def test_admin_adds_a_user_with_a_generated_password(stack, accounts):
    admin = signed_in(stack, *accounts["admin"])
    email = email_for("new")
    r = add_user_form(admin, email=email.upper(), name="Nia <b>New</b>", role="recruiter",
                      password="")
    assert r.status_code == 200, r.text[:500]
    pw = shown_password(r.text)
    assert pw and len(pw) >= 16
    assert "shown only this once" in text(r.text)
    assert user_row(stack, email) == ("recruiter", "active")
    # The list shows them, the name escaped.
    r = admin.get("/office/users")
    assert email in r.text and "Nia &lt;b&gt;New&lt;/b&gt;" in r.text
    assert "<b>New</b>" not in r.text
    # They sign in with it; it is not shown again anywhere.
    assert stack.client().login(email, pw).status_code == 303
    assert pw not in admin.get("/office/user", params={"id": user_id(stack, email)}).text
    rows = audit(admin, action="user_add")
    assert rows[0]["who"] == accounts["admin"][0]
    assert "email: %s" % email in rows[0]["detail"] and "role: recruiter" in rows[0]["detail"]
    assert pw not in admin.get("/office/audit").text


def test_admin_adds_a_user_with_a_typed_password(stack, accounts):
    admin = signed_in(stack, *accounts["admin"])
    email, pw = email_for("typed"), password()
    r = add_user_form(admin, email=email, name="", role="hiring_manager", password=pw)
    assert r.status_code == 200
    assert shown_password(r.text) is None and pw not in r.text
    r = stack.client().login(email, pw)
    assert r.status_code == 303 and path_of(r) == "/office/"


@pytest.mark.parametrize("fields,field,words", [
    ({"email": "", "role": "recruiter"}, "email", "email address"),
    ({"email": "not-an-address", "role": "recruiter"}, "email", "does not look like"),
    ({"email": "x@example.test", "role": ""}, "role", "choose a role"),
    ({"email": "x@example.test", "role": "owner"}, "role", "options shown"),
    ({"email": "x@example.test", "role": "recruiter", "password": "short"}, "password",
     "at least 8"),
])
def test_add_user_errors_are_next_to_their_fields(stack, accounts, fields, field, words):
    admin = signed_in(stack, *accounts["admin"])
    r = add_user_form(admin, **fields)
    assert r.status_code == 400
    message = field_error(r.text, field)
    assert message and words in message.lower(), message
    assert user_row(stack, "x@example.test") is None


def test_add_user_twice_is_refused_next_to_the_email(stack, accounts):
    admin = signed_in(stack, *accounts["admin"])
    r = add_user_form(admin, email=accounts["recruiter"][0], role="admin", password="")
    assert r.status_code == 400
    assert "already a user" in field_error(r.text, "email")
    assert user_row(stack, accounts["recruiter"][0]) == ("recruiter", "active")


def user_form(admin, uid, action, **fields):
    _, token = admin.form("/office/users")
    return admin.post(action, data=dict(fields, id=str(uid), csrf_token=token))


def test_role_change_applies_at_the_next_request(stack, accounts):
    admin = signed_in(stack, *accounts["admin"])
    email, pw = email_for("role"), password()
    stack.add_user(email, pw, role="recruiter")
    them = signed_in(stack, email, pw)
    assert them.get("/office/candidates").status_code == 200
    uid = user_id(stack, email)
    r = user_form(admin, uid, "/office/user/role", role="hiring_manager")
    assert r.status_code == 303 and r.headers["Location"].endswith("done=role")
    assert "role has been changed" in text(admin.get(r.headers["Location"]).text)
    assert them.get("/office/candidates").status_code == 403
    assert user_row(stack, email) == ("hiring_manager", "active")
    row = audit(admin, action="user_role")[0]
    assert "from: recruiter" in row["detail"] and "to: hiring_manager" in row["detail"]


def test_disable_signs_out_and_enable_lets_back_in(stack, accounts):
    admin = signed_in(stack, *accounts["admin"])
    email, pw = email_for("dis"), password()
    stack.add_user(email, pw)
    them = signed_in(stack, email, pw)
    uid = user_id(stack, email)
    r = user_form(admin, uid, "/office/user/state", state="disabled")
    assert r.status_code == 303
    assert "is disabled" in text(admin.get(r.headers["Location"]).text)
    r = them.get("/office/candidates")
    assert r.status_code == 302 and path_of(r) == "/office/login"
    r = stack.client().login(email, pw)
    assert r.status_code == 401 and "do not match an account" in text(r.text)
    assert user_row(stack, email) == ("recruiter", "disabled")
    r = user_form(admin, uid, "/office/user/state", state="active")
    assert r.status_code == 303
    assert stack.client().login(email, pw).status_code == 303
    actions = [row["action"] for row in audit(admin)[:6]]
    assert "user_disable" in actions and "user_enable" in actions


def test_admin_reset_shows_a_new_password_once_and_ends_sessions(stack, accounts):
    admin = signed_in(stack, *accounts["admin"])
    email, pw = email_for("reset"), password()
    stack.add_user(email, pw)
    them = signed_in(stack, email, pw)
    uid = user_id(stack, email)
    r = user_form(admin, uid, "/office/user/reset", password="")
    assert r.status_code == 200
    new = shown_password(r.text)
    assert new
    assert them.get("/office/account").status_code == 302
    assert stack.client().login(email, pw).status_code == 401
    assert stack.client().login(email, new).status_code == 303
    # A typed password, too short: the error is next to it and nothing changes.
    r = user_form(admin, uid, "/office/user/reset", password="short")
    assert r.status_code == 400
    assert "at least 8" in field_error(r.text, "password")
    assert email in r.text  # the page still says whose it is
    assert stack.client().login(email, new).status_code == 303
    row = audit(admin, action="user_reset")[0]
    assert "email: %s" % email in row["detail"] and new not in row["detail"]


def test_user_page_of_no_one_is_404(stack, accounts):
    admin = signed_in(stack, *accounts["admin"])
    assert admin.get("/office/user", params={"id": "999999"}).status_code == 404
    assert admin.get("/office/user", params={"id": "x"}).status_code == 400
    r = user_form(admin, 999999, "/office/user/state", state="disabled")
    assert r.status_code == 404


def test_last_active_admin_can_be_neither_disabled_nor_demoted():
    s = Stack("nginx").start()
    try:
        email, pw = email_for("only"), password()
        s.add_user(email, pw, role="admin")
        # The launcher made an admin at the first start; disable it with hearthctl.
        r = s.hearthctl("user", "disable", "admin@hearth.localhost")
        assert r.returncode == 0, r.stderr
        admin = signed_in(s, email, pw)
        uid = user_id(s, email)
        for action, fields, field in (("/office/user/state", {"state": "disabled"}, "state"),
                                      ("/office/user/role", {"role": "recruiter"}, "role")):
            r = user_form(admin, uid, action, **fields)
            assert r.status_code == 409, (action, r.status_code)
            assert "last active admin" in text(r.text)
            assert 'id="%s-error"' % field in r.text
        assert user_row(s, email) == ("admin", "active")
        r = s.hearthctl("user", "disable", email)
        assert r.returncode == 1 and "last active admin" in r.stderr
        # With a second admin, the first may step down.
        other = email_for("second")
        s.add_user(other, password(), role="admin")
        assert user_form(admin, uid, "/office/user/role", role="recruiter").status_code == 303
        assert user_row(s, email) == ("recruiter", "active")
        assert admin.get("/office/users").status_code == 403
    finally:
        s.stop()


# -- my account --------------------------------------------------------------------

def change_password(c, current, new, again=None):
    _, token = c.form("/office/account")
    return c.post("/office/account/password",
                  data={"current_password": current, "new_password": new,
                        "new_password2": new if again is None else again, "csrf_token": token})


@pytest.mark.parametrize("current,new,again,field,words", [
    ("not it", "a fine new password", None, "current_password", "not your current password"),
    (None, "short", None, "new_password", "at least 8"),
    (None, "a fine new password", "another one", "new_password2", "not the same"),
    ("", "a fine new password", None, "current_password", "current password"),
    (None, "", None, "new_password", "choose a new password"),
])
def test_password_change_errors_are_next_to_their_fields(stack, current, new, again, field,
                                                        words):
    email, pw = email_for("acct"), password()
    stack.add_user(email, pw)
    c = signed_in(stack, email, pw)
    r = change_password(c, pw if current is None else current, new, again)
    assert r.status_code == 400
    message = field_error(r.text, field)
    assert message and words in message.lower(), (field, message)
    for f in ("current_password", "new_password", "new_password2"):
        assert [a.get("value", "") for n, a in parse_form(r.text).inputs if n == f] == [""]
    assert pw not in r.text
    assert stack.client().login(email, pw).status_code == 303  # unchanged


def test_password_change_ends_other_sessions(stack, accounts):
    email, pw = email_for("chg"), password()
    stack.add_user(email, pw)
    c = signed_in(stack, email, pw)
    other = signed_in(stack, email, pw)
    before = c.cookies.get("hearth_session", path="/office/")
    new = password()
    r = change_password(c, pw, new)
    assert r.status_code == 303 and r.headers["Location"].endswith("/office/account?done=password")
    after = c.cookies.get("hearth_session", path="/office/")
    assert after and after != before
    r = c.get("/office/account?done=password")
    assert r.status_code == 200 and "password has been changed" in text(r.text)
    assert other.get("/office/account").status_code == 302
    assert stack.client().login(email, pw).status_code == 401
    assert stack.client().login(email, new).status_code == 303
    admin = signed_in(stack, *accounts["admin"])
    rows = [r for r in audit(admin, action="password_change") if r["who"] == email]
    assert rows


# -- the audit page ----------------------------------------------------------------

def test_audit_filters_by_user_action_and_dates(stack, accounts):
    admin = signed_in(stack, *accounts["admin"])
    email, pw = email_for("aud"), password()
    stack.add_user(email, pw)
    c = signed_in(stack, email, pw)
    _, token = c.form("/office/account")
    assert c.post("/office/logout", data={"csrf_token": token}).status_code == 303
    uid = user_id(stack, email)
    rows = audit(admin, user=uid)
    assert [r["action"] for r in rows] == ["logout", "login"]
    assert all(r["who"] == email and r["from"] == "127.0.0.1" for r in rows)
    assert [r["action"] for r in audit(admin, user=uid, action="logout")] == ["logout"]
    today = datetime.datetime.now(datetime.timezone.utc).date()
    day = datetime.timedelta(days=1)
    assert len(audit(admin, user=uid, **{"from": today.isoformat(),
                                        "to": today.isoformat()})) == 2
    assert audit(admin, user=uid, **{"from": (today + day).isoformat()}) == []
    assert audit(admin, user=uid, to=(today - day).isoformat()) == []
    assert audit(admin, cand="999999") == []
    # Newest first.
    whens = [r["when"] for r in audit(admin)]
    assert whens == sorted(whens, reverse=True)


def test_audit_filter_form_is_a_search_form_that_keeps_its_values(stack, accounts):
    admin = signed_in(stack, *accounts["admin"])
    uid = user_id(stack, accounts["admin"][0])
    page = admin.get("/office/audit").text
    form = re.search(r'<form method="get" action="/office/audit"[^>]*>(.*?)</form>', page, re.S)
    assert form, "no search form to /office/audit"
    names = {n for n, _ in parse_form(form.group(1)).inputs}
    assert names == {"user", "action", "cand", "from", "to"}, names
    # Sent as a browser sends it: every field, the empty ones too.
    r = admin.get("/office/audit", params={"user": str(uid), "action": "login", "cand": "",
                                          "from": "2026-01-01", "to": ""})
    assert r.status_code == 200
    assert re.search(r'<option value="%d" selected>' % uid, r.text)
    assert re.search(r'<option value="login" selected>', r.text)
    assert 'value="2026-01-01"' in r.text
    rows = audit_rows(r.text)
    assert rows and all(row["action"] == "login" and row["who"] == accounts["admin"][0]
                        for row in rows)


@pytest.mark.parametrize("fields,field,words", [
    ({"from": "2026-02-31"}, "from", "year-month-day"),
    ({"to": "yesterday"}, "to", "year-month-day"),
    ({"from": "2026-11-02", "to": "2026-11-01"}, "to", "before the start"),
    ({"action": "reboot"}, "action", "options shown"),
    ({"cand": "-4"}, "cand", "whole number"),
])
def test_audit_filter_errors_are_next_to_their_fields(stack, accounts, fields, field, words):
    admin = signed_in(stack, *accounts["admin"])
    r = admin.get("/office/audit", params=fields)
    assert r.status_code == 400
    message = field_error(r.text, field)
    assert message and words in message.lower(), message
    assert audit_rows(r.text) == []


def test_audit_pages_newest_first(stack, accounts):
    admin = signed_in(stack, *accounts["admin"])
    tag = unique("pg")
    tried = ["%s-%02d@example.test" % (tag, i) for i in range(PER_PAGE + 5)]
    for e in tried:
        assert stack.client().login(e, "wrong").status_code == 401
    tried.reverse()  # newest first

    def mine(rows):
        return [re.search(r"email: (\S+)", r["detail"]).group(1) for r in rows
                if tag in r["detail"]]

    r1 = admin.get("/office/audit", params={"action": "login_failed"})
    assert r1.status_code == 200
    page1 = audit_rows(r1.text)
    assert len(page1) == PER_PAGE
    assert mine(page1) == tried[:PER_PAGE]
    older = re.search(r'<a rel="next" href="([^"]+)"', r1.text)
    assert older, "page 1 has no link to older entries"
    r2 = admin.get(html.unescape(older.group(1)))
    assert r2.status_code == 200
    page2 = audit_rows(r2.text)
    assert mine(page2)[:5] == tried[PER_PAGE:]
    assert all(r["action"] == "login_failed" for r in page1 + page2)
    assert re.search(r'<a rel="prev" href="[^"]*page=1"', r2.text)


# -- hearthctl ---------------------------------------------------------------------

def test_hearthctl_user_list_disable_passwd(stack):
    email, pw = email_for("ctl"), password()
    stack.add_user(email, pw, role="hiring_manager")
    assert user_row(stack, email) == ("hiring_manager", "active")
    c = signed_in(stack, email, pw)
    r = stack.hearthctl("user", "passwd", email, input="a brand new password\n")
    assert r.returncode == 0, r.stderr
    assert c.get("/office/account").status_code == 302  # its sessions ended
    assert stack.client().login(email, pw).status_code == 401
    assert stack.client().login(email, "a brand new password").status_code == 303
    r = stack.hearthctl("user", "passwd", email, input="short\n")
    assert r.returncode == 1 and "8 to 1024" in r.stderr
    r = stack.hearthctl("user", "disable", email.upper())
    assert r.returncode == 0, r.stderr
    assert user_row(stack, email) == ("hiring_manager", "disabled")
    assert stack.client().login(email, "a brand new password").status_code == 401
    for args in (("user", "disable", "nobody@example.test"),
                 ("user", "passwd", "nobody@example.test")):
        r = stack.hearthctl(*args, input="whatever password\n")
        assert r.returncode == 1 and "no user" in r.stderr, args
    assert stack.hearthctl("user", "disable").returncode == 2
    assert stack.hearthctl("user", "count").stdout.strip().isdigit()
