"""test_office.py: the recruiter's back office on a 375 px phone, as a person clicks through it.

Sign in; filter the candidate list with the search box; save the filter as a pool and see
the worker fill it; tick two candidates (and try "select all on this page") and tag them
with the bulk form; the job's page then follows the job until it says Done. Then import a
CSV file: upload it, check its columns, start, and watch the import's progress page reach
Done. Every page on the way fits the phone, labels every input and is clean for axe-core.
"""

import re
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from browser_util import (assert_at, assert_phone_ready, describe, field, fill, h1, path,
                          press, status, submit_button, tick)
from hearth_stack import unique

PASSWORD = "correct horse battery staple"
LIST = 'form[action="/office/candidates"]'
SAVE = 'form[action="/office/pools/save"]'
BULK = "form#bulk"
JOB_TIMEOUT = 60


def _text(driver, css):
    found = driver.find_elements(By.CSS_SELECTOR, css)
    return found[0].text.strip() if found else None


def wait_done(browser):
    """The job's page follows the job (job.js) and loads itself whole when it is over."""
    WebDriverWait(browser, JOB_TIMEOUT, poll_frequency=0.25).until(
        lambda d: d.execute_script(
            "const s = document.querySelector('dd.job-done');"
            "return document.readyState === 'complete' && s !== null;"),
        "the job's page never said Done")


def test_filter_save_a_pool_tag_in_bulk_and_import(browser, stack, tmp_path):
    token = unique("brw")
    c = stack.client()
    for first in ("Ana", "Bea", "Cai", "Dov"):
        r = c.join("x", "%s@example.org" % unique(first.lower()), first_name=first,
                   last_name="Phone " + token)
        assert r.status_code == 303
    email = "%s@example.org" % unique("rec")
    stack.add_user(email, PASSWORD, role="recruiter")

    # Sign in.
    browser.get(stack.base_url + "/office/login")
    fill(browser, "email", email, form='form[action="/office/login"]')
    fill(browser, "password", PASSWORD, form='form[action="/office/login"]')
    press(browser, submit_button(browser, 'form[action="/office/login"]'))
    assert_at(browser, "/office/candidates", "Candidates")
    assert_phone_ready(browser)

    # Filter with the search box.
    fill(browser, "q", token, form=LIST)
    press(browser, submit_button(browser, LIST))
    assert_at(browser, "/office/candidates", "Candidates")
    assert _text(browser, "#results") == "4 candidates match", describe(browser)
    assert_phone_ready(browser)
    listed = browser.current_url

    # Save the filter as a pool; the worker fills it.
    fill(browser, "name", "Phones " + token, form=SAVE)
    press(browser, submit_button(browser, SAVE))
    assert path(browser) == "/office/pool" and h1(browser) == "Phones " + token, \
        describe(browser)
    deadline = time.monotonic() + JOB_TIMEOUT
    while not (_text(browser, "p.lead") or "").startswith("4 members"):
        assert time.monotonic() < deadline, "the pool was not filled: %s" % describe(browser)
        time.sleep(0.5)
        browser.refresh()
    assert_phone_ready(browser)

    # "Select all on this page" ticks every row (and untick one: it is no longer all).
    browser.get(listed)
    rows = browser.find_elements(By.CSS_SELECTOR, "input.select-row")
    assert len(rows) == 4
    every = browser.find_element(By.ID, "select-all")
    tick(browser, every)
    assert all(r.is_selected() for r in rows)
    tick(browser, rows[0], False)
    assert not every.is_selected()
    assert all(r.is_selected() for r in rows[1:])
    tick(browser, every)
    tick(browser, every, False)
    assert not any(r.is_selected() for r in rows)

    # Tick two, tag them.
    tick(browser, rows[1])
    tick(browser, rows[3])
    fill(browser, "action", "Add a tag", form=BULK)
    fill(browser, "tag", "Phone screen", form=BULK)
    buttons = [b for b in browser.find_elements(By.CSS_SELECTOR, BULK + " button")
               if b.text.strip() == "Apply to the ticked candidates"]
    assert buttons, describe(browser)
    press(browser, buttons[0])
    assert path(browser) == "/office/job" and status(browser) == 200, describe(browser)
    assert h1(browser) == "Bulk action"
    assert_phone_ready(browser)

    # The page follows the job until it is done.
    wait_done(browser)
    assert _text(browser, "#job-progress-text") == "2 of 2"
    assert _text(browser, "p.lead") == "Added the tag \u201cphone screen\u201d to 2 candidates."
    assert not browser.find_elements(By.CSS_SELECTOR, 'meta[http-equiv="refresh"]')
    assert_phone_ready(browser)

    # The list shows the tag on those two.
    browser.get(listed)
    tagged = [r.text for r in browser.find_elements(By.CSS_SELECTOR, "table.candidates tbody tr")
              if "phone screen" in r.text]
    assert len(tagged) == 2, describe(browser)

    # Import a CSV file from the bar's link, and watch it run to the end.
    people = tmp_path / "people.csv"
    people.write_text("email,first_name,last_name\n" + "".join(
        "%s@example.org,Imp%d,Import %s\n" % (unique("imp"), i, token) for i in range(3)),
        encoding="utf-8")
    press(browser, browser.find_element(By.CSS_SELECTOR, 'nav.office a[href="/office/import"]'))
    assert_at(browser, "/office/import", "Import candidates from a CSV file")
    assert_phone_ready(browser)
    upload = 'form[action="/office/import"]'
    field(browser, "file", form=upload).send_keys(str(people))
    press(browser, submit_button(browser, upload))
    assert_at(browser, "/office/import/map", "Check the columns")
    assert_phone_ready(browser)
    start = 'form[action="/office/import/map"]'
    tick(browser, browser.find_element(By.ID, "basis-legitimate_interest"))
    fill(browser, "basis_note", "They left their details at our stand", form=start)
    press(browser, submit_button(browser, start))
    assert path(browser) == "/office/job" and status(browser) == 200, describe(browser)
    assert h1(browser).startswith("CSV import"), describe(browser)
    assert_phone_ready(browser)
    wait_done(browser)
    assert _text(browser, "#job-progress-text") == "3 of 3"
    assert "3 created" in (_text(browser, "p.lead") or ""), describe(browser)
    assert_phone_ready(browser)
    browser.get(listed.replace("q=" + token, "q=import+" + token))
    assert _text(browser, "#results") == "3 candidates match", describe(browser)


def test_a_bulk_form_error_is_shown_at_its_field(browser, stack):
    token = unique("brx")
    r = stack.client().join("x", "%s@example.org" % unique("eve"), first_name="Eve",
                            last_name="Error " + token)
    assert r.status_code == 303
    email = "%s@example.org" % unique("rec")
    stack.add_user(email, PASSWORD, role="recruiter")
    browser.get(stack.base_url + "/office/login")
    fill(browser, "email", email, form='form[action="/office/login"]')
    fill(browser, "password", PASSWORD, form='form[action="/office/login"]')
    press(browser, submit_button(browser, 'form[action="/office/login"]'))
    browser.get(stack.base_url + "/office/candidates?q=" + token)
    tick(browser, browser.find_elements(By.CSS_SELECTOR, "input.select-row")[0])
    fill(browser, "action", "Set the status", form=BULK)
    press(browser, submit_button(browser, BULK))
    assert (path(browser), status(browser)) == ("/office/bulk", 400), describe(browser)
    message = field(browser, "new_status", form=BULK)
    assert message.get_attribute("aria-invalid") == "true"
    assert re.search("choose the status", _text(browser, "#new_status-error") or "")
    # The tick is kept.
    assert browser.find_elements(By.CSS_SELECTOR, "input.select-row")[0].is_selected()
    assert_phone_ready(browser)
