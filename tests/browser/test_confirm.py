"""test_confirm.py: from the confirmation mail to the preference centre, as a person goes.

The mail (subject "Please confirm ...") carries <base>/confirm?t=<token> in its text and
its HTML part. Opening it only asks ("Confirm your email", a "Yes, keep me informed" button
in a POST form), so a link scanner that fetches it confirms nothing; pressing the button
says "Welcome to the community" and links to /preferences?t=..., "Your preferences".
The mail is read from the stack's var/outbox with Python's email package, as a mail client
reads it; the worker writes it within a second or two.
"""

import html.parser
import re
from urllib.parse import parse_qs, urlsplit

from selenium.webdriver.common.by import By

from browser_util import (assert_at, assert_fits_phone, assert_phone_ready, describe,
                          fill_signup, h1, press, submit_button)
from hearth_stack import unique


class _Hrefs(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.extend(v for k, v in attrs if k == "href" and v)


def hrefs(page):
    p = _Hrefs()
    p.feed(page)
    p.close()
    return p.hrefs


def test_the_mail_link_confirms_and_leads_to_the_preferences(browser, stack):
    address = unique("confirm") + "@example.org"
    browser.get(stack.base_url + "/")
    fill_signup(browser, address, first_name="Amaru", last_name="Quispe Mamani")
    press(browser, submit_button(browser))
    assert_at(browser, "/joined", "Check your email")

    mail = stack.wait_for_mail(address, subject="Please confirm")
    text = mail.get_body(("plain",))
    assert text is not None, "the mail has no text part"
    links = set(re.findall(re.escape(stack.base_url) + r"/confirm\?t=[^\s<>\"')\]]+",
                           text.get_content()))
    assert len(links) == 1, "expected one confirmation link in the text part: %s" % links
    link = links.pop()
    part = mail.get_body(("html",))
    assert part is not None, "the mail has no HTML part"
    assert link in hrefs(part.get_content()), "the HTML part does not link to %s" % link

    browser.get(link)
    assert_at(browser, "/confirm", "Confirm your email")
    buttons = [b for b in browser.find_elements(By.CSS_SELECTOR, "form button, form [type=submit]")
               if (b.text or b.get_attribute("value") or "").strip() == "Yes, keep me informed"]
    assert buttons, "no button 'Yes, keep me informed'; %s" % describe(browser)
    method = browser.execute_script("return arguments[0].form.method", buttons[0])
    assert method == "post", "the confirmation is a %s form: a link scanner could confirm" % method
    assert_fits_phone(browser)

    press(browser, buttons[0])
    assert h1(browser) == "Welcome to the community", describe(browser)
    manage = browser.find_elements(By.LINK_TEXT, "Manage your preferences")
    assert manage, "no link 'Manage your preferences'; %s" % describe(browser)
    href = urlsplit(manage[0].get_attribute("href"))
    assert href.path == "/preferences" and parse_qs(href.query).get("t", [""])[0], href.geturl()
    assert_phone_ready(browser)

    press(browser, manage[0])
    assert_at(browser, "/preferences", "Your preferences")
    assert_phone_ready(browser)
