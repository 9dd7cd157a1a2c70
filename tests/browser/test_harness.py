"""test_harness.py: the browser suite's own tools, proven on the pages as they are.

- the browser is a 375 px phone, and chromedriver and Chromium end with the test, even
  when the driver was lost;
- today's signup page (name, email, consent), gone through as a person, and its mail read
  from the outbox with Python's email package, as a mail client reads it.

test_today_signup_as_a_person is about the page before the new signup (first_name,
last_name, interests, ...): when that lands, test_signup.py covers the same ground for
its form and this test goes.
"""

import os
import signal

from selenium.webdriver.common.by import By

from browser_util import (PHONE_WIDTH, Browser, assert_phone_ready, error_fields,
                          field, h1, path, press, status, submit_button, tick, type_into)
from hearth_stack import unique

TODAY_FORM = 'form[action="/join"]'


def test_the_browser_is_a_phone(browser, stack):
    browser.get(stack.base_url + "/")
    m = browser.execute_script(
        "return {inner: innerWidth, client: document.documentElement.clientWidth,"
        " touch: navigator.maxTouchPoints, coarse: matchMedia('(pointer: coarse)').matches}")
    assert m["inner"] == PHONE_WIDTH and m["client"] == PHONE_WIDTH, m
    assert m["touch"] > 0 and m["coarse"], "not a touch screen: %s" % m


def _comms(pids):
    names = []
    for pid in pids:
        try:
            with open("/proc/%d/comm" % pid) as f:
                names.append(f.read().strip())
        except OSError:
            pass
    return names


def test_browser_processes_end_with_the_test():
    # A normal end: quit, then nothing of the process group is left, nor the profile.
    b = Browser()
    try:
        names = _comms(b.processes())
        assert "chromedriver" in names and "chromium" in names, names
        profile = b.dir
    finally:
        b.close()
    assert not b.processes(), "left running: %s" % _comms(b.processes())
    assert not profile.exists()

    # The driver lost (killed): Chromium is orphaned, and close() still ends all of it.
    b = Browser()
    try:
        os.kill(b.service.process.pid, signal.SIGKILL)
        b.service.process.wait(5)
        assert "chromium" in _comms(b.processes())
    finally:
        b.close()
    assert not b.processes(), "left running: %s" % _comms(b.processes())


def test_today_signup_as_a_person(browser, stack):
    name = "Zoë 山田"
    address = unique("today") + "@example.org"
    browser.get(stack.base_url + "/")
    type_into(field(browser, "name", TODAY_FORM), name)
    press(browser, submit_button(browser, TODAY_FORM))

    assert (path(browser), status(browser)) == ("/join", 400)
    assert error_fields(browser) == ["email", "consent"]
    assert field(browser, "name", TODAY_FORM).get_attribute("value") == name
    assert_phone_ready(browser)

    type_into(field(browser, "email", TODAY_FORM), address)
    tick(browser, field(browser, "consent", TODAY_FORM))
    press(browser, submit_button(browser, TODAY_FORM))
    assert (path(browser), status(browser)) == ("/joined", 200), h1(browser)
    assert not browser.find_elements(By.CSS_SELECTOR, "div.error-summary")
    assert_phone_ready(browser)

    mail = stack.wait_for_mail(address)
    assert mail["To"].addresses[0].display_name == name
    assert name in mail.get_body(("plain",)).get_content()
