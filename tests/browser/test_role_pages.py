"""test_role_pages.py: the back office's role pages in a phone-sized headless Chromium.

A recruiter opens a role with the keyboard alone: the Roles link of the bar, the new
role's form (an empty title and a bad weight first: the summary, focus on the first field,
each message next to its field), saved with Enter; then the ranking, where a Shortlist
button is reached with Tab and pressed with Enter, and the pipeline board, where the
person is moved with the stage select and its button. Every page state on the way fits the
phone, labels its inputs and is clean for axe-core; every role page state a person can
reach (list, form and its errors, a stale save, the role, its ranking with and without
filters, the mail form and its refusal, the board and the list, the candidate page with
its pipelines, a hiring manager's home) is checked with html-validate as served.
"""

import json
import re
import shutil
import subprocess
from urllib.parse import urlencode

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from browser_util import (assert_phone_ready, describe, error_fields, h1, path, status,
                          tab_walk)
from hearth_stack import REPO, csrf_token, unique, wait_for_mail
from test_campaign_pages import focused, keys, sign_in, tab_to
from test_html import NODE, VALIDATOR, CONFIG, VALIDATE_TIMEOUT, _describe

PASSWORD = "correct horse battery staple"
PAGES = REPO / "build" / "html-pages-roles"


def user_id(stack, email):
    r = stack.hearthctl("user", "list")
    for line in r.stdout.splitlines():
        uid, e = line.split("\t")[:2]
        if e == email:
            return int(uid)
    raise AssertionError("no user %s" % email)


@pytest.fixture(scope="module")
def accounts(stack):
    out = {}
    for who, role in (("rec", "recruiter"), ("hm", "hiring_manager")):
        email = "%s@example.org" % unique(who)
        stack.add_user(email, PASSWORD, role=role)
        c = stack.client()
        assert c.login(email, PASSWORD).status_code == 303
        out[who] = (email, c, user_id(stack, email))
    return out


def join(stack, first, skills, confirm=True):
    """A person in the talent community (confirmed when CONFIRM): their id."""
    address = unique("role") + "@example.org"
    j = stack.client()
    assert j.join(first + " Person", address, skills=skills, city="Porto",
                  country="Portugal", seniority="senior").status_code == 303
    if confirm:
        mail = wait_for_mail(stack.var / "outbox", address, subject="Please confirm")
        link = re.search(r"https?://\S+?/confirm\?t=[A-Za-z0-9_.-]+",
                         mail.get_body(("plain",)).get_content()).group(0)
        t = link.split("t=", 1)[1]
        r = j.get("/confirm", params={"t": t})
        assert j.post("/confirm", data={"t": t, "csrf_token": csrf_token(r.text)}
                      ).status_code == 303
    return [i for i, e, _ in stack.candidates() if e == address][0]


@pytest.fixture(scope="module")
def people(stack):
    return {"fit": join(stack, "<i>Fit</i>", "golang, postgres, k8s"),
            "pending": join(stack, "Pending", "Go, PostgreSQL", confirm=False)}


def test_a_role_with_the_keyboard_alone(browser, stack, accounts, people):
    email, _, _ = accounts["rec"]
    sign_in(browser, stack, email)
    keys(browser, browser.find_element(By.CSS_SELECTOR, 'nav.office a[href="/office/roles"]'),
         Keys.ENTER)
    assert h1(browser) == "Roles" and status(browser) == 200, describe(browser)
    assert_phone_ready(browser)
    keys(browser, tab_to(browser, 'a[href="/office/roles/new"]'), Keys.ENTER)
    assert h1(browser) == "A new role", describe(browser)
    assert_phone_ready(browser)
    # A bad weight and no title: the errors, in the form's order, focus on the first.
    tab_to(browser, "#family").send_keys("E")
    tab_to(browser, "#locations").send_keys("Porto, Portugal")
    tab_to(browser, "#required").send_keys("golang, Postgres")
    tab_to(browser, "#nice").send_keys("Docker: 9")
    keys(browser, tab_to(browser, 'form[action="/office/roles/new"] button'), Keys.ENTER)
    assert status(browser) == 400, describe(browser)
    assert error_fields(browser) == ["title", "nice"]
    assert_phone_ready(browser)
    focused(browser).send_keys("Go engineer " + unique(""))
    nice = tab_to(browser, "#nice")
    nice.send_keys(Keys.END, Keys.BACKSPACE, "2")
    box = tab_to(browser, "#open")
    box.send_keys(Keys.SPACE)
    assert box.is_selected()
    keys(browser, tab_to(browser, "#title"), Keys.ENTER)
    assert path(browser) == "/office/role" and "The role is saved" in browser.page_source, \
        describe(browser)
    assert_phone_ready(browser)
    # The ranking: the best fit first; shortlisted with Tab and Enter.
    keys(browser, tab_to(browser, 'nav.tabs a[href^="/office/role/matches"]'), Keys.ENTER)
    assert path(browser) == "/office/role/matches", describe(browser)
    assert_phone_ready(browser)
    first = browser.find_element(By.CSS_SELECTOR, "ol.ranking li.hit")
    assert first.get_attribute("id") == "cand-%d" % people["fit"], describe(browser)
    assert "<i>Fit</i>" in first.text
    keys(browser, tab_to(browser, "#cand-%d form button[type=submit]" % people["fit"]),
         Keys.ENTER)
    assert "They are shortlisted" in browser.page_source, describe(browser)
    assert "in pipeline: Shortlisted" in browser.find_element(
        By.ID, "cand-%d" % people["fit"]).text
    # The board: moved with the stage select and its button.
    keys(browser, tab_to(browser, 'nav.tabs a[href^="/office/role/pipeline"]'), Keys.ENTER)
    assert path(browser) == "/office/role/pipeline", describe(browser)
    assert_phone_ready(browser)
    stage = tab_to(browser, "#stage-%d" % people["fit"])
    stage.send_keys("I")          # "Interested", then "Interviewing"
    stage.send_keys("I")
    keys(browser, tab_to(browser, "#cand-%d form.move button" % people["fit"]), Keys.ENTER)
    assert "They are moved" in browser.page_source, describe(browser)
    col = browser.find_element(By.CSS_SELECTOR, 'section[aria-labelledby="col-interviewing"]')
    assert "<i>Fit</i>" in col.text, describe(browser)
    assert_phone_ready(browser)
    reached = {(f["tag"], f["name"] or f["id"]) for f in tab_walk(browser, 80)}
    assert ("select", "stage") in reached, reached


# -- every page state ---------------------------------------------------------------

EXPECTED = [
    ("roles-empty", 200), ("role-new", 200), ("role-new-errors", 400), ("role", 200),
    ("role-edit", 200), ("role-conflict", 409), ("roles", 200), ("matches", 200),
    ("matches-filtered", 200), ("mail", 200), ("mail-refused", 409),
    ("pipeline-board", 200), ("pipeline-list", 200), ("role-comment-errors", 400),
    ("role-commented", 200), ("candidate-pipelines", 200), ("hm-home", 200),
    ("hm-role", 200), ("hm-pipeline", 200), ("hm-candidate", 200),
]
NAMES = [n for n, _ in EXPECTED]


@pytest.fixture(scope="module")
def states(stack, accounts, people):
    email, c, _ = accounts["rec"]
    hm_email, hm, hm_id = accounts["hm"]
    out = {}

    def keep(name, what, r):
        assert name in NAMES, name
        assert r.headers.get("Content-Type", "").startswith("text/html"), (name, r.status_code)
        out[name] = (what, r.status_code, r.text)
        return r

    def get(name, url, client=c, **params):
        r = client.get(url, params=params)
        q = urlencode(params)
        return keep(name, url + ("?" + q if q else ""), r)

    get("roles-empty", "/office/roles", status="filled")
    r = get("role-new", "/office/roles/new")
    keep("role-new-errors", "POST /office/roles/new (empty)", c.post(
        "/office/roles/new", data={"csrf_token": csrf_token(r.text), "remote": "hybrid",
                                   "nice": "x: 0", "owner": "1"}))
    form = {"title": "Data <b>lead</b>", "team": "Data", "family": "engineering",
            "remote": "remote", "seniority": "senior", "locations": "Porto, Portugal",
            "required": "golang, postgres", "nice": "k8s: 4", "description": "Hello.",
            "managers": str(hm_id), "owner": str(accounts["rec"][2]), "open": "1",
            "csrf_token": csrf_token(r.text)}
    r = c.post("/office/roles/new", data=form)
    assert r.status_code == 303, r.text[:800]
    rid = int(re.search(r"id=(\d+)", r.headers["Location"]).group(1))
    get("role", "/office/role", id=rid, done="created")
    r = get("role-edit", "/office/role/edit", id=rid)
    gen = re.search(r'name="gen" value="(\d+)"', r.text).group(1)
    edit = dict(form, id=rid, gen=gen)
    del edit["open"]
    assert c.post("/office/role/edit", data=edit).status_code == 303
    keep("role-conflict", "POST /office/role/edit (stale)", c.post("/office/role/edit",
                                                                    data=edit))
    get("roles", "/office/roles")
    r = get("matches", "/office/role/matches", id=rid)
    get("matches-filtered", "/office/role/matches", id=rid, city="Porto", level="hot")
    shown = re.search(r'<input type="hidden" name="cand" value="%d">\s*'
                      r'<input type="hidden" name="shown" value="(\w+)">' % people["fit"],
                      r.text).group(1)
    assert c.post("/office/role/shortlist", data={
        "role": rid, "cand": people["fit"], "shown": shown,
        "csrf_token": csrf_token(r.text)}).status_code == 303
    r = get("mail", "/office/role/mail", role=rid, cand=people["pending"])
    keep("mail-refused", "POST /office/role/mail (no consent)", c.post(
        "/office/role/mail", data={"role": rid, "cand": people["pending"], "subject": "Hi",
                                   "body": "Hello", "csrf_token": csrf_token(r.text)}))
    get("pipeline-board", "/office/role/pipeline", id=rid)
    get("pipeline-list", "/office/role/pipeline", id=rid, view="list")
    r = c.get("/office/role", params={"id": rid})
    keep("role-comment-errors", "POST /office/role/comment (empty)", c.post(
        "/office/role/comment", data={"id": rid, "text": "", "csrf_token": csrf_token(r.text)}))
    assert c.post("/office/role/comment", data={
        "id": rid, "text": "Call <b>them</b>", "csrf_token": csrf_token(r.text)}
    ).status_code == 303
    get("role-commented", "/office/role", id=rid, done="comment")
    get("candidate-pipelines", "/office/candidate", id=people["fit"])
    get("hm-home", "/office/", client=hm)
    get("hm-role", "/office/role", client=hm, id=rid)
    get("hm-pipeline", "/office/role/pipeline", client=hm, id=rid)
    get("hm-candidate", "/office/candidate", client=hm, id=people["fit"])
    return out


def test_every_role_page_is_clean_for_axe(browser, stack, accounts, states):
    email, _, _ = accounts["rec"]
    sign_in(browser, stack, email)
    for name, (what, code, _) in states.items():
        if what.startswith("POST") or name.startswith("hm-"):
            continue
        browser.get(stack.base_url + what)
        assert status(browser) == code, "%s: %s" % (name, describe(browser))
        assert_phone_ready(browser)


def test_a_hiring_managers_pages_are_clean_for_axe(browser, stack, accounts, states):
    email, _, _ = accounts["hm"]
    browser.get(stack.base_url + "/office/login")
    browser.find_element(By.ID, "email").send_keys(email)
    keys(browser, browser.find_element(By.ID, "password"), PASSWORD, Keys.ENTER)
    assert path(browser) == "/office/", describe(browser)
    for name, (what, code, _) in states.items():
        if not name.startswith("hm-"):
            continue
        browser.get(stack.base_url + what)
        assert status(browser) == code, "%s: %s" % (name, describe(browser))
        assert_phone_ready(browser)


@pytest.fixture(scope="module")
def validated(states):
    assert sorted(states) == sorted(NAMES), "not fetched: %s" % (set(NAMES) - set(states))
    shutil.rmtree(PAGES, ignore_errors=True)
    PAGES.mkdir(parents=True)
    files = {}
    for name, (_, _, html) in states.items():
        files[name] = (PAGES / (name + ".html")).resolve()
        files[name].write_text(html, encoding="utf-8")
    report = PAGES / "html-validate.json"
    r = subprocess.run([NODE, str(VALIDATOR), "--config", str(CONFIG),
                        "--formatter", "json=%s" % report, *map(str, files.values())],
                       capture_output=True, text=True, cwd=str(CONFIG.parent),
                       timeout=VALIDATE_TIMEOUT)
    assert r.returncode in (0, 1) and report.exists(), r.stderr[-2000:]
    found = {str(f): [] for f in files.values()}
    for res in json.loads(report.read_text()):
        found[str(PAGES.joinpath(res["filePath"]).resolve())].extend(res["messages"])
    return {name: states[name] + (found[str(files[name])],) for name in states}


@pytest.mark.parametrize("name,code", EXPECTED, ids=NAMES)
def test_the_page_is_valid_html5(validated, name, code):
    what, got, html, messages = validated[name]
    assert got == code, "%s answered %d, not %d:\n%s" % (what, got, code, html[:800])
    assert html.lstrip().lower().startswith("<!doctype html>")
    # Markup typed by people shows as text, never as markup.
    assert "<b>lead</b>" not in html and "<i>Fit</i>" not in html and "<b>them</b>" not in html
    if messages:
        pytest.fail("html-validate finds %d problem(s) in %s (%s):\n%s" % (
            len(messages), what, PAGES / (name + ".html"), _describe(html, messages)),
            pytrace=False)
