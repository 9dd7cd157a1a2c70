"""test_campaign_pages.py: the back office's campaign pages in a phone-sized headless Chromium.

A recruiter builds a campaign with the keyboard alone: names it, ticks its audience and
saves (Enter and Space, no mouse), adds an email step, adds a second variant, meets the
errors of an empty variant (summary first, focus on the first field, each message next
to its field), saves, then starts the campaign. Every page state on the way fits the
phone, labels its inputs and is clean for axe-core. Then every campaign page state a
person can reach (lists, editor, each kind of step, errors, a stale save, preview,
results, people, enrolment, notices, the signature) is fetched as served and checked
with html-validate, as tests/browser/test_html.py does for the rest of the site.
"""

import json
import re
import shutil
import subprocess
import uuid
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from browser_util import (PAGE_TIMEOUT, assert_phone_ready, describe, error_fields, h1, path,
                          status, tab_walk)
from hearth_stack import REPO, csrf_token, parse_form, unique, wait_for_mail
from test_html import NODE, VALIDATOR, CONFIG, VALIDATE_TIMEOUT, _describe

PASSWORD = "correct horse battery staple"
PAGES = REPO / "build" / "html-pages-campaigns"


def keys(driver, element, *sent):
    """Sends SENT to ELEMENT from the keyboard and waits for the page it leads to."""
    mark = uuid.uuid4().hex
    driver.execute_script("document.hearthPressMark = arguments[0];", mark)
    element.send_keys(*sent)
    try:
        WebDriverWait(driver, PAGE_TIMEOUT).until(lambda d: d.execute_script(
            "return document.hearthPressMark !== arguments[0] &&"
            " document.readyState === 'complete';", mark))
    except Exception:
        raise AssertionError("no new page after the keys; %s" % describe(driver)) from None


def focused(driver):
    return driver.switch_to.active_element


def tab_to(driver, css, limit=200):
    """Presses Tab until the element matching CSS has focus; returns it."""
    target = driver.find_element(By.CSS_SELECTOR, css)
    for _ in range(limit):
        if focused(driver) == target:
            return target
        focused(driver).send_keys(Keys.TAB)
    raise AssertionError("Tab never reached %s; %s" % (css, describe(driver)))


def sign_in(browser, stack, email):
    browser.get(stack.base_url + "/office/login")
    browser.find_element(By.ID, "email").send_keys(email)
    keys(browser, browser.find_element(By.ID, "password"), PASSWORD, Keys.ENTER)
    assert path(browser) == "/office/candidates", describe(browser)


@pytest.fixture(scope="module")
def recruiter(stack):
    email = "%s@example.org" % unique("rec")
    stack.add_user(email, PASSWORD, role="recruiter")
    c = stack.client()
    assert c.login(email, PASSWORD).status_code == 303
    return email, c


def new_pool(client, name):
    _, token = client.form("/office/pools")
    r = client.post("/office/pools/new", data={"name": name, "csrf_token": token})
    assert r.status_code == 303
    return int(parse_qs(urlsplit(r.headers["Location"]).query)["id"][0])


def test_the_editor_with_the_keyboard_alone(browser, stack, recruiter):
    email, client = recruiter
    pool = unique("Keys ")
    new_pool(client, pool)
    sign_in(browser, stack, email)

    # The bar leads to the campaigns; a name and Enter make one.
    link = browser.find_element(By.CSS_SELECTOR, 'nav.office a[href="/office/campaigns"]')
    keys(browser, link, Keys.ENTER)
    assert h1(browser) == "Campaigns" and status(browser) == 200
    assert_phone_ready(browser)
    name = unique("Keyboard ")
    keys(browser, browser.find_element(By.ID, "name"), name, Keys.ENTER)
    assert path(browser) == "/office/campaign" and h1(browser) == name, describe(browser)
    assert_phone_ready(browser)

    # The audience ticked with Space, saved with Enter on the button.
    box = tab_to(browser, 'input[name="pools"]')
    box.send_keys(Keys.SPACE)
    assert box.is_selected()
    keys(browser, tab_to(browser, "form#settings button[type=submit]"), Keys.ENTER)
    assert "The settings are saved." in browser.page_source, describe(browser)
    assert browser.find_element(By.CSS_SELECTOR, 'input[name="pools"]').is_selected()

    # Add an email step: choose the kind in the select with the keyboard, then Enter.
    kind = tab_to(browser, "select#add")
    kind.send_keys("S")           # "Send an email"
    keys(browser, tab_to(browser, "form.add-step button"), Keys.ENTER)
    assert path(browser) == "/office/campaign/step", describe(browser)
    assert_phone_ready(browser)
    subject = tab_to(browser, "#subject_0")
    subject.send_keys("Hello {{first_name}}")
    body = tab_to(browser, "#body_0")
    body.send_keys("Hi {{first_name}},", Keys.ENTER, Keys.ENTER, "A role for you.")
    # Enter in a one-line field saves the form (its first button): not "Add a variant".
    # Here: a second variant, asked for with its button.
    keys(browser, tab_to(browser, 'button[value="add_variant"]'), Keys.ENTER)
    assert browser.find_element(By.ID, "subject_0").get_attribute("value") == \
        "Hello {{first_name}}"
    assert browser.find_element(By.ID, "subject_1")
    assert_phone_ready(browser)
    # Saved with variant B empty: the errors, next to their fields, focus on the first.
    keys(browser, tab_to(browser, 'button[value="save"]'), Keys.ENTER)
    assert status(browser) == 400
    assert error_fields(browser) == ["subject_1", "body_1"]
    assert_phone_ready(browser)
    focused(browser).send_keys("Still looking?")
    tab_to(browser, "#body_1").send_keys("Hi again {{first_name}}.")
    keys(browser, tab_to(browser, "#subject_0"), Keys.ENTER)
    assert path(browser) == "/office/campaign" and "The step is saved." in browser.page_source, \
        describe(browser)
    steps = browser.find_elements(By.CSS_SELECTOR, "ol.steps > li")
    assert len(steps) == 1 and "A/B test" in steps[0].text
    assert_phone_ready(browser)

    # Every control of the editor is on the Tab path.
    reached = {(f["tag"], f["name"] or f["id"]) for f in tab_walk(browser, 120)}
    for want in [("input", "name"), ("input", "pools"), ("select", "goal"), ("select", "from"),
                 ("select", "to"), ("input", "weekdays"), ("select", "add"),
                 ("button", "state"), ("button", "op")]:
        assert want in reached, "Tab never reaches %s %s" % want

    # Start it with the keyboard.
    keys(browser, tab_to(browser, 'form.state-buttons button[value="active"]'), Keys.ENTER)
    assert "State: Running" in browser.find_element(By.ID, "state-title").text
    assert_phone_ready(browser)


def test_every_campaign_page_is_clean_for_axe(browser, stack, recruiter, states):
    """Each GET state of the walk, opened in the browser signed in, passes the phone checks."""
    email, _ = recruiter
    sign_in(browser, stack, email)
    for name, (what, code, _) in states.items():
        if what.startswith("POST"):
            continue
        browser.get(stack.base_url + what)
        assert status(browser) == code, "%s: %s" % (name, describe(browser))
        assert_phone_ready(browser)
        if name == "preview":
            # The HTML part shows in its sandboxed frame, the name as text, not markup.
            browser.switch_to.frame(browser.find_element(By.CSS_SELECTOR, "iframe.mail-preview"))
            shown = browser.find_element(By.TAG_NAME, "body").text
            assert not browser.find_elements(By.TAG_NAME, "i")
            browser.switch_to.default_content()
            assert "Dear <i>Eve</i>," in shown, shown


# -- html-validate over every page state ---------------------------------------------

EXPECTED = [
    ("campaigns-empty", 200), ("campaigns-new-errors", 400), ("campaign-new", 200),
    ("campaign-settings-errors", 400), ("campaign-conflict", 409),
    ("campaign-state-errors", 400), ("step-email", 200), ("step-wait", 200),
    ("step-branch", 200), ("step-pool", 200), ("step-notify", 200), ("step-exit", 200),
    ("step-email-errors", 400), ("step-two-variants", 200), ("campaign-steps", 200),
    ("campaigns", 200), ("preview-none", 200), ("preview-search", 200),
    ("preview", 200), ("preview-tested", 200), ("stats", 200), ("members-empty", 200),
    ("candidate-enrolled", 200), ("candidate-enrol-errors", 409), ("members", 200),
    ("candidates-enrol", 200), ("enrol-filter-errors", 400), ("wave", 200),
    ("notices", 200), ("account-signature", 200),
]
NAMES = [n for n, _ in EXPECTED]


@pytest.fixture(scope="module")
def states(stack, recruiter):
    """{name: (what, status, html)}: every campaign page state, as the server sent it."""
    email, c = recruiter
    out = {}

    def keep(name, what, r):
        assert name in NAMES, name
        assert r.headers.get("Content-Type", "").startswith("text/html"), (name, r.status_code)
        out[name] = (what, r.status_code, r.text)
        return r

    def get(name, url, **params):
        r = c.get(url, params=params)
        q = urlencode(params)
        return keep(name, url + ("?" + q if q else ""), r)

    def hidden(page, form):
        m = re.search(r'<form[^>]*action="%s"[^>]*>(.*?)</form>' % re.escape(form), page, re.S)
        return {n: a.get("value", "") for n, a in parse_form(m.group(1)).inputs
                if a.get("type") == "hidden"}

    pool = new_pool(c, unique("Audience "))
    r = get("campaigns-empty", "/office/campaigns")
    keep("campaigns-new-errors", "POST /office/campaigns/new", c.post(
        "/office/campaigns/new", data={"csrf_token": csrf_token(r.text)}))
    r = c.post("/office/campaigns/new", data={"name": "Welcome <b>aboard</b>",
                                              "csrf_token": csrf_token(r.text)})
    camp = int(parse_qs(urlsplit(r.headers["Location"]).query)["id"][0])
    r = get("campaign-new", "/office/campaign", id=camp)
    form = dict(hidden(r.text, "/office/campaign/save"), name="", csrf_token=csrf_token(r.text))
    keep("campaign-settings-errors", "POST /office/campaign/save",
         c.post("/office/campaign/save", data=form))
    keep("campaign-state-errors", "POST /office/campaign/state", c.post(
        "/office/campaign/state", data={"id": camp, "state": "active",
                                        "csrf_token": csrf_token(r.text)}))
    ok = dict(form, name="Welcome <b>aboard</b>", pools=str(pool), goal="replied", **{
        "from": "9", "to": "17"})
    assert c.post("/office/campaign/save", data=ok).status_code == 303
    keep("campaign-conflict", "POST /office/campaign/save (stale)",
         c.post("/office/campaign/save", data=dict(ok, name="Late")))

    def add(kind, name=None, **fields):
        r = get(name, "/office/campaign/step", id=camp, add=kind) if name else \
            c.get("/office/campaign/step", params={"id": camp, "add": kind})
        data = dict(hidden(r.text, "/office/campaign/step"), csrf_token=csrf_token(r.text),
                    op="save", **fields)
        return c.post("/office/campaign/step", data=data)

    r = add("email", "step-email", subject_0="")
    keep("step-email-errors", "POST /office/campaign/step (empty)", r)
    r = c.get("/office/campaign/step", params={"id": camp, "add": "email"})
    keep("step-two-variants", "POST /office/campaign/step (add a variant)", c.post(
        "/office/campaign/step", data=dict(hidden(r.text, "/office/campaign/step"),
                                           csrf_token=csrf_token(r.text), op="add_variant",
                                           subject_0="Hi")))
    assert add("email", subject_0="Hello {{first_name}}", body_0="Dear {{first_name}},\n\nHi.",
               ).status_code == 303
    assert add("wait", "step-wait", days="2").status_code == 303
    assert add("branch", "step-branch", on="nothing", goto="end").status_code == 303
    assert add("pool_add", "step-pool", pool=str(pool)).status_code == 303
    assert add("notify", "step-notify", text="Call <b>them</b>").status_code == 303
    assert add("exit", "step-exit").status_code == 303
    r = get("campaign-steps", "/office/campaign", id=camp)
    assert c.post("/office/campaign/state", data={
        "id": camp, "state": "active", "csrf_token": csrf_token(r.text)}).status_code == 303
    get("campaigns", "/office/campaigns")

    # A confirmed member of the talent community with markup in their first name.
    address = unique("prev") + "@example.org"
    j = stack.client()
    assert j.join("x", address, first_name="<i>Eve</i>", last_name="Preview").status_code == 303
    mail = wait_for_mail(stack.var / "outbox", address, subject="Please confirm")
    link = re.search(r"https?://\S+?/confirm\?t=[A-Za-z0-9_.-]+",
                     mail.get_body(("plain",)).get_content()).group(0)
    t = parse_qs(urlsplit(link).query)["t"][0]
    r = j.get("/confirm", params={"t": t})
    assert j.post("/confirm", data={"t": t, "csrf_token": csrf_token(r.text)}).status_code == 303
    cand = [i for i, e, _ in stack.candidates() if e == address][0]
    get("preview-none", "/office/campaign/preview", id=camp)
    get("preview-search", "/office/campaign/preview", id=camp, q=address)
    r = get("preview", "/office/campaign/preview", id=camp, step=0, cand=cand)
    get("preview-tested", "/office/campaign/preview", id=camp, step=0, cand=cand, done="test")
    get("stats", "/office/campaign/stats", id=camp)
    get("members-empty", "/office/campaign/members", id=camp)
    r = c.get("/office/candidate", params={"id": cand})
    r2 = c.post("/office/campaign/enrol", data={"camp": camp, "cand": cand,
                                                "csrf_token": csrf_token(r.text)})
    assert r2.status_code == 303, r2.text[:500]
    get("candidate-enrolled", "/office/candidate", id=cand)
    r2 = c.post("/office/campaign/enrol", data={"camp": camp, "cand": cand,
                                                "csrf_token": csrf_token(r.text)})
    keep("candidate-enrol-errors", "POST /office/campaign/enrol (again)", r2)
    get("members", "/office/campaign/members", id=camp)
    r = get("candidates-enrol", "/office/candidates", q="Preview")
    keep("enrol-filter-errors", "POST /office/campaign/enrol-filter (no campaign)", c.post(
        "/office/campaign/enrol-filter", data={"q": "Preview", "csrf_token": csrf_token(r.text)}))
    r = c.post("/office/campaign/enrol-filter", data={"q": "Preview", "camp": camp,
                                                      "csrf_token": csrf_token(r.text)})
    assert r.status_code == 303, r.text[:500]
    get("wave", r.headers["Location"].split("?")[0],
        **{k: v[0] for k, v in parse_qs(urlsplit(r.headers["Location"]).query).items()})
    get("notices", "/office/notices")
    r, token = c.form("/office/account")
    assert c.post("/office/account/signature", data={
        "signature": "Ada <Lovelace>\nRecruiter", "csrf_token": token}).status_code == 303
    get("account-signature", "/office/account", done="signature")
    return out


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
    assert "<b>aboard</b>" not in html and "<i>Eve</i>" not in html and "<b>them</b>" not in html
    if messages:
        pytest.fail("html-validate finds %d problem(s) in %s (%s):\n%s" % (
            len(messages), what, PAGES / (name + ".html"), _describe(html, messages)),
            pytrace=False)
