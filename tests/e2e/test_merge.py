"""test_merge.py: likely duplicates, the merge screen and undo, through the real stack.

Two people sign up on the public page the way a person does twice (another address, the
same phone, name and city); a recruiter finds them among the likely duplicates, merges
them choosing values, reads the merged profile, and undoes it. `hearthctl verify` must be
clean after every step: indexes and consent chains hold. Behind nginx with the shipped
config, the worker delivering to var/outbox.
"""

import html
import re
import urllib.parse

import pytest

from hearth_stack import Stack, csrf_token, parse_form, unique


@pytest.fixture(scope="module")
def stack():
    s = Stack("nginx").start()
    yield s
    s.stop()


def account(stack, role):
    email, password = "%s@example.test" % unique(role[:4]), "correct horse " + unique()
    stack.add_user(email, password, role=role)
    return email, password


@pytest.fixture(scope="module")
def users(stack):
    return {role: account(stack, role) for role in ("admin", "recruiter", "hiring_manager")}


def signed_in(stack, users, role):
    c = stack.client()
    r = c.login(*users[role])
    assert r.status_code == 303, r.text[:400]
    return c


def verify_clean(stack):
    r = stack.hearthctl("verify")
    assert r.returncode == 0, "hearthctl verify: %s%s" % (r.stdout, r.stderr)


def path_of(r):
    return urllib.parse.urlsplit(r.headers.get("Location", "")).path


def location(r):
    u = urllib.parse.urlsplit(r.headers["Location"])
    return u.path + ("?" + u.query if u.query else "")


def text(page):
    """A page's visible text, entities decoded and white space folded."""
    t = re.sub(r"<[^>]+>", " ", page)
    return " ".join(html.unescape(t).split())


def join(stack, first, last, address, **extra):
    c = stack.client()
    r = c.join("%s %s" % (first, last), address, **extra)
    assert r.status_code == 303, r.text[:400]


def confirm(stack, address):
    """Follows the confirmation mail's link and presses its button, as the person would."""
    msg = stack.wait_for_mail(address, "Please confirm")
    body = msg.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"https?://\S+/confirm\?t=[A-Za-z0-9_.-]+", body).group(0)
    t = urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)["t"][0]
    c = stack.client()
    r = c.get("/confirm", params={"t": t})
    assert r.status_code == 200
    r = c.post("/confirm", data={"t": t, "csrf_token": csrf_token(r.text)})
    assert r.status_code == 303, r.text[:400]


def id_of(stack, address):
    for cid, email, _ in stack.candidates():
        if email == address:
            return cid
    return None


def twins(stack, tag):
    """Two records of one person: another address, the same phone, name and city.
    Returns (first id, its address, second id, its address); the first confirmed."""
    last = "Sousa" + unique("")
    first_addr = "%s@old.example" % unique(tag)
    second_addr = "%s@new.example" % unique(tag)
    join(stack, "Marta", last, first_addr, phone="+351 912 345 678", city="Porto",
         skills="Python, SQL", seniority="mid")
    join(stack, "Marta", last, second_addr, phone="912 345 678", city="porto",
         skills="Go, Kubernetes", seniority="senior",
         url="https://www.linkedin.com/in/marta-%s/" % unique(""))
    confirm(stack, first_addr)
    stack.wait_for_mail(second_addr, "Please confirm")
    a, b = id_of(stack, first_addr), id_of(stack, second_addr)
    assert a and b and a != b
    return a, first_addr, b, second_addr


def pair_row(page, a, b):
    """The text of the row of pair (a, b) on the duplicates page, or None."""
    lo, hi = min(a, b), max(a, b)
    m = re.search(r'<tr id="pair-%d-%d">(.*?)</tr>' % (lo, hi), page, re.S)
    return text(m.group(1)) if m else None


def all_duplicates(client):
    """Every page of the duplicates list, concatenated."""
    page, path = "", "/office/duplicates"
    while path:
        r = client.get(path)
        assert r.status_code == 200
        page += r.text
        m = re.search(r'<a rel="next" href="([^"]+)"', r.text)
        path = html.unescape(m.group(1)) if m else None
    return page


def merge_form(client, a, b):
    r = client.get("/office/merge", params={"a": a, "b": b})
    assert r.status_code == 200, r.text[:400]
    return r


def radio_values(page, name):
    return sorted(attrs.get("value") for n, attrs in parse_form(page).inputs
                  if n == name and attrs.get("type") == "radio")


def form_data(page, **picks):
    """The merge form as a browser sends it: hidden fields, the radios as checked, then
    PICKS (group name -> "a" or "b") clicked."""
    data = {}
    for name, attrs in parse_form(page).inputs:
        if attrs.get("type") == "radio":
            if "checked" in attrs:
                data[name] = attrs.get("value")
        elif attrs.get("type") == "hidden":
            data[name] = attrs.get("value")
    for group, side in picks.items():
        data["pick_" + group] = side
    return data


def without_token(page):
    return re.sub(r'name="csrf_token" value="[^"]*"', "", page)


def profile(client, cid):
    return client.get("/office/candidate", params={"id": cid})


def test_merge_and_undo_through_the_office(stack, users):
    a, a_addr, b, b_addr = twins(stack, "m")
    verify_clean(stack)
    rec = signed_in(stack, users, "recruiter")

    # Listed for review, with the reasons in words.
    row = pair_row(all_duplicates(rec), a, b)
    assert row is not None, "the pair is not listed"
    assert "Same phone number" in row and "Same name and city" in row
    assert a_addr in row and b_addr in row

    # Side by side: a choice for what differs, one value for what is the same.
    r = merge_form(rec, a, b)
    assert radio_values(r.text, "pick_email") == ["a", "b"]
    assert radio_values(r.text, "pick_seniority") == ["a", "b"]
    assert radio_values(r.text, "pick_name") == []       # the same in both
    page = text(r.text)
    for skill in ("python", "sql", "go", "kubernetes"):
        assert skill in page.lower()
    before_b = profile(rec, b).text

    # Keep a, take b's email, seniority and profile link.
    r = rec.post("/office/merge", data=dict(form_data(r.text, email="b", seniority="b"),
                                            csrf_token=csrf_token(r.text)))
    assert r.status_code == 303, r.text[:400]
    assert path_of(r) == "/office/merge/done"
    done = location(r)
    verify_clean(stack)

    # The merged profile shows the chosen values and what both had.
    r = profile(rec, a)
    assert r.status_code == 200
    page = text(r.text)
    assert b_addr in page and a_addr not in page
    assert "Seniority senior" in page
    assert "linkedin.com/in/marta-" in page
    for skill in ("python", "sql", "go", "kubernetes"):
        assert skill in page
    # The ledger holds a's events and b's, the latter as merged entries.
    assert page.count("merged") >= 1
    assert "granted" in page and "confirmed" in page
    # b is gone, everywhere.
    assert profile(rec, b).status_code == 404
    emails = stack.candidate_emails()
    assert b_addr in emails and a_addr not in emails
    assert id_of(stack, b_addr) == a
    assert pair_row(all_duplicates(rec), a, b) is None

    # The merge's page offers the undo.
    r = rec.get(done)
    assert r.status_code == 200
    assert "Undo this merge" in r.text
    r = rec.post("/office/merge/undo", data={"id": parse_qs_id(done),
                                             "csrf_token": csrf_token(r.text)})
    assert r.status_code == 303, r.text[:400]
    assert path_of(r) == "/office/merge/undone"
    r = rec.get(location(r))
    assert r.status_code == 200
    assert a_addr in r.text and b_addr in r.text
    verify_clean(stack)

    # Both back as they were.
    assert id_of(stack, a_addr) == a and id_of(stack, b_addr) == b
    page_a = text(profile(rec, a).text)
    assert a_addr in page_a and b_addr not in page_a
    assert "kubernetes" not in page_a and "merged" not in page_a
    assert without_token(profile(rec, b).text) == without_token(before_b)
    assert pair_row(all_duplicates(rec), a, b) is not None

    # The audit log says who merged and who undid it, about the kept record.
    admin = signed_in(stack, users, "admin")
    r = admin.get("/office/audit", params={"cand": a})
    assert r.status_code == 200
    rows = [text(row) for row in re.findall(r"<tr>(.*?)</tr>", r.text, re.S)]
    actions = [row for row in rows if " merge " in " %s " % row or "unmerge" in row]
    assert any("unmerge" in row for row in actions), rows
    assert any(" merge " in " %s " % row for row in actions), rows
    assert all(users["recruiter"][0] in row for row in actions)

    # Undone once: nothing left to undo.
    r = rec.get("/office/candidates")
    r = rec.post("/office/merge/undo", data={"id": parse_qs_id(done),
                                             "csrf_token": csrf_token(r.text)})
    assert r.status_code == 404
    assert "can no longer be undone" in text(r.text)


def parse_qs_id(path):
    return urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)["id"][0]


def test_undo_is_refused_after_a_later_change(stack, users):
    a, a_addr, b, b_addr = twins(stack, "c")
    admin = signed_in(stack, users, "admin")
    r = merge_form(admin, a, b)
    r = admin.post("/office/merge", data=dict(form_data(r.text),
                                              csrf_token=csrf_token(r.text)))
    assert r.status_code == 303
    done = location(r)
    verify_clean(stack)
    # The person signs up again with the kept address: new details wait for them.
    join(stack, "Marta", "Nova", a_addr, city="Braga")
    r = admin.get(done)
    r = admin.post("/office/merge/undo", data={"id": parse_qs_id(done),
                                               "csrf_token": csrf_token(r.text)})
    assert r.status_code == 409
    why = text(re.search(r'<p id="conflict">(.*?)</p>', r.text, re.S).group(1))
    assert "changed after the merge" in why
    assert "waiting for the person's confirmation" in why
    # Nothing was undone.
    assert id_of(stack, b_addr) is None
    assert profile(admin, b).status_code == 404
    verify_clean(stack)


def test_not_a_duplicate_is_remembered(stack, users):
    a, _, b, _ = twins(stack, "d")
    rec = signed_in(stack, users, "recruiter")
    page = all_duplicates(rec)
    assert pair_row(page, a, b) is not None
    r = rec.post("/office/duplicates/dismiss",
                 data={"a": a, "b": b, "csrf_token": csrf_token(page)})
    assert r.status_code == 303 and path_of(r) == "/office/duplicates"
    assert pair_row(all_duplicates(rec), a, b) is None
    # A pair that was never listed cannot be dismissed.
    r = rec.post("/office/duplicates/dismiss",
                 data={"a": a, "b": a + 100000, "csrf_token": csrf_token(page)})
    assert r.status_code == 404
    verify_clean(stack)


@pytest.mark.parametrize("method,path", [
    ("GET", "/office/duplicates"),
    ("POST", "/office/duplicates/dismiss"),
    ("GET", "/office/merge"),
    ("POST", "/office/merge"),
    ("GET", "/office/merge/done"),
    ("POST", "/office/merge/undo"),
    ("GET", "/office/merge/undone"),
])
def test_who_may_merge(stack, users, method, path):
    a, _, b, _ = twins(stack, "p") if path == "/office/merge" else (1, "", 2, "")
    params = {"a": a, "b": b, "id": 1}
    # Signed out: to the login page.
    c = stack.client()
    r = c.request(method, path, params=params if method == "GET" else None,
                  data=None if method == "GET" else params)
    assert r.status_code == 302
    assert path_of(r) == "/office/login"
    # A hiring manager: refused, with a valid form and token as much as without.
    hm = signed_in(stack, users, "hiring_manager")
    # (The sign-out form on the refusal page carries this session's token.)
    token = csrf_token(hm.get("/office/duplicates").text)
    r = hm.request(method, path, params=params if method == "GET" else None,
                   data=None if method == "GET" else dict(params, csrf_token=token))
    assert r.status_code == 403
    assert "does not have access" in text(r.text)
    # A recruiter and an admin get in (the merge screen itself for that route).
    for role in ("recruiter", "admin"):
        if method != "GET":
            continue
        c = signed_in(stack, users, role)
        r = c.get(path, params=params)
        assert r.status_code in (200, 404), (role, path, r.status_code)
        if path == "/office/merge":
            assert r.status_code == 200
