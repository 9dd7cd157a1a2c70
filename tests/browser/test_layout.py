"""test_layout.py: the signup page and its error state on a 375 px phone.

Each page: no sideways scrolling, a label for every input a person can see, nothing
serious or critical for axe-core. The error state of an empty signup: HTTP 400, a
summary (role=alert) linking to each field, each field marked and described by its
message, focus on the first one. These checks do not name the fields, so they hold for
the page of today and for the new signup. The honeypot `website` of the new signup: no
one sees it, and TAB never lands on it. (/joined is checked where a signup reaches it,
in test_signup.py and test_harness.py.)
"""

from browser_util import (assert_phone_ready, describe, error_fields, honeypot, path,
                          press, status, submit_button, tab_walk)

FORM = 'form[action="/join"]'


def test_the_signup_page_fits_a_phone(browser, stack):
    browser.get(stack.base_url + "/")
    assert status(browser) == 200
    submit_button(browser, FORM)
    assert_phone_ready(browser)


def test_an_empty_signup_shows_each_error_at_its_field(browser, stack):
    browser.get(stack.base_url + "/")
    press(browser, submit_button(browser, FORM))
    assert (path(browser), status(browser)) == ("/join", 400), describe(browser)
    assert len(error_fields(browser)) >= 2
    assert_phone_ready(browser)


def _assert_hidden_honeypot(driver):
    hp = honeypot(driver)
    assert hp is not None, "form#join has no honeypot field named website; %s" % describe(driver)
    assert not hp["onPage"], "a person can see the honeypot: %s" % hp
    assert not hp["labelOnPage"], "a person can see the honeypot's label: %s" % hp
    # Screen readers announce fields that are only moved off-screen; a person who hears
    # it and fills it in would be dropped without a word.
    assert hp["hiddenFromScreenReaders"], "screen readers announce the honeypot: %s" % hp
    walk = tab_walk(driver)
    assert any(f["inJoin"] and f["type"] in (None, "submit") and f["tag"] in ("button", "input")
               for f in walk), "TAB never reached the submit button of form#join: %s" % walk
    landed = [f for f in walk if f["name"] == "website"]
    assert not landed, "TAB lands on the honeypot: %s" % landed


def test_the_honeypot_is_invisible_and_never_focused(browser, stack):
    browser.get(stack.base_url + "/")
    _assert_hidden_honeypot(browser)
    press(browser, submit_button(browser))
    assert status(browser) == 400, describe(browser)
    _assert_hidden_honeypot(browser)
