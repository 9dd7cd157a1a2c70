"""test_signup.py: the new signup (form#join), filled in by a person on a 375 px phone.

The contract of the page: form#join, multipart, POST /join; first_name, last_name,
email, phone (tel, optional), city + country or remote, interests (checkboxes in a
fieldset, at least one), seniority (student .. executive), skills, url, resume (file),
source (pre-filled from ?source= or ?utm_source=), consent (unticked), a honeypot
`website`, and a "Join the community" button. Errors: HTTP 400, the same form with what
was entered (not the file), a summary and a message at each field, focus on the first.
Success: 303 to /joined, "Check your email".
"""

from browser_util import (assert_at, assert_phone_ready, button_text, describe, error_fields,
                          field, fill, fill_signup, interests, path, press, status,
                          submit_button, tick)
from hearth_stack import unique

SENIORITY = ["student", "junior", "mid", "senior", "lead", "executive"]
# Fields a nearly empty form (only a first name) must be asked for again. Where the
# location error points (city, country, remote, or a fieldset) is the page's choice.
REQUIRED = {"last_name", "email", "interests", "seniority", "consent"}
LOCATION = {"city", "country", "remote", "location"}
OPTIONAL = {"phone", "skills", "url", "resume", "source"}

_FORM = """
const f = document.querySelector('form#join');
if (!f) return null;
const byName = n => [...f.querySelectorAll('[name="' + n + '"]')];
const one = n => { const e = byName(n)[0]; return e ? {tag: e.tagName.toLowerCase(),
    type: e.type, id: e.id, checked: !!e.checked, value: e.value} : null; };
const names = ['first_name', 'last_name', 'email', 'phone', 'city', 'country', 'remote',
               'interests', 'seniority', 'skills', 'url', 'resume', 'source', 'consent',
               'website'];
const fields = {};
for (const n of names) fields[n] = one(n);
const boxes = byName('interests');
const fieldset = boxes.length ? boxes[0].closest('fieldset') : null;
const legend = fieldset && fieldset.querySelector('legend');
const sen = byName('seniority')[0];
return {
  method: f.method, action: new URL(f.action).pathname, enctype: f.enctype, fields: fields,
  interests: boxes.map(b => ({type: b.type, id: b.id,
                              inFieldset: b.closest('fieldset') === fieldset})),
  legend: legend ? legend.textContent.trim() : null,
  seniority: sen && sen.options ? [...sen.options].map(o => o.value).filter(v => v) : null,
};
"""


def test_the_form_is_the_one_of_the_contract(browser, stack):
    browser.get(stack.base_url + "/?source=careers-fair")
    f = browser.execute_script(_FORM)
    assert f is not None, "no form#join; %s" % describe(browser)
    wrong = []

    def want(what, got, expected):
        if got != expected:
            wrong.append("%s is %r, not %r" % (what, got, expected))
    want("method", f["method"], "post")
    want("action", f["action"], "/join")
    want("enctype", f["enctype"], "multipart/form-data")
    fields = f["fields"]
    for name, value in fields.items():
        if value is None:
            wrong.append("no field %s" % name)
        elif name not in ("interests", "website") and value["id"] != name:
            wrong.append("field %s has id %r" % (name, value["id"]))
    kinds = {"phone": ("input", "tel"), "remote": ("input", "checkbox"),
             "consent": ("input", "checkbox"), "resume": ("input", "file"),
             "seniority": ("select", "select-one")}
    for name, kind in kinds.items():
        if fields[name]:
            want("%s's kind" % name, (fields[name]["tag"], fields[name]["type"]), kind)
    if fields["consent"]:
        want("consent ticked at first", fields["consent"]["checked"], False)
    if fields["source"]:
        want("source from ?source=", fields["source"]["value"], "careers-fair")
    want("seniority's options", f["seniority"], SENIORITY)
    for box in f["interests"]:
        if box["type"] != "checkbox" or not box["id"].startswith("interests-") \
                or not box["inFieldset"]:
            wrong.append("interest %s is not a checkbox interests-<id> in the group's "
                         "fieldset" % box)
    if not f["interests"]:
        wrong.append("no interests checkboxes")
    elif not f["legend"]:
        wrong.append("the interests are not in a fieldset with a legend")
    want("button", button_text(submit_button(browser)), "Join the community")
    assert not wrong, "form#join differs from the contract:\n  " + "\n  ".join(wrong)


def test_a_person_fixes_the_errors_and_joins(browser, stack):
    address = unique("zoe") + "@example.org"
    browser.get(stack.base_url + "/")
    fill(browser, "first_name", "Zoë")
    press(browser, submit_button(browser))

    assert (path(browser), status(browser)) == ("/join", 400), describe(browser)
    asked = set(error_fields(browser))   # also: wiring, order, focus on the first one
    assert REQUIRED <= asked, "not asked for %s (asked: %s)" % (REQUIRED - asked, asked)
    assert asked & LOCATION, "no error for the location (asked: %s)" % asked
    extra = asked & (OPTIONAL | {"first_name"})
    assert not extra, "asked for %s, which were given or are optional" % extra
    assert field(browser, "first_name").get_attribute("value") == "Zoë"
    assert_phone_ready(browser)

    fill_signup(browser, address, first_name="Zoë", last_name="山田", city="Kyoto",
                country=("Japan", "JP"))
    press(browser, submit_button(browser))
    assert_at(browser, "/joined", "Check your email")
    assert_phone_ready(browser)
    stored = [n for _, e, n in stack.candidates() if e == address]
    assert stored and "Zoë" in stored[0] and "山田" in stored[0], stored


def test_what_was_entered_survives_an_error(browser, stack, tmp_path):
    """A person with a name in Arabic script, who came from a meetup link, fills in
    everything but consent: only consent is asked for, and the rest is still there."""
    address = unique("layla") + "@example.org"
    resume = tmp_path / "cv.pdf"
    resume.write_bytes(b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
    typed = {"first_name": "ليلى", "last_name": "حداد", "email": address,
             "phone": "+961 1 234 567", "city": "Beirut", "skills": "Python, C, SQL",
             "url": "https://example.org/~layla"}
    browser.get(stack.base_url + "/?utm_source=meetup")
    assert field(browser, "source").get_attribute("value") == "meetup"
    fill_signup(browser, address, first_name=typed["first_name"],
                last_name=typed["last_name"], city=typed["city"],
                country=("Lebanon", "LB"), seniority="senior", interests_ticked=2,
                consent=False, phone=typed["phone"], skills=typed["skills"],
                url=typed["url"], resume=resume)
    country = field(browser, "country").get_attribute("value")
    press(browser, submit_button(browser))

    assert (path(browser), status(browser)) == ("/join", 400), describe(browser)
    assert error_fields(browser) == ["consent"]
    kept = {n: field(browser, n).get_attribute("value") for n in typed}
    assert kept == typed
    assert field(browser, "country").get_attribute("value") == country
    assert field(browser, "seniority").get_attribute("value") == "senior"
    assert field(browser, "source").get_attribute("value") == "meetup"
    ticked = [b.is_selected() for b in interests(browser)]
    assert ticked == [i < 2 for i in range(len(ticked))], ticked
    assert field(browser, "resume").get_attribute("value") == ""
    assert not field(browser, "consent").is_selected()

    tick(browser, field(browser, "consent"))
    field(browser, "resume").send_keys(str(resume))
    press(browser, submit_button(browser))
    assert_at(browser, "/joined", "Check your email")
    stored = [n for _, e, n in stack.candidates() if e == address]
    assert stored and "ليلى" in stored[0] and "حداد" in stored[0], stored


def test_a_bot_that_fills_the_honeypot_is_dropped_quietly(browser, stack):
    address = unique("bot") + "@example.org"
    browser.get(stack.base_url + "/")
    fill_signup(browser, address, first_name="Robo", last_name="Filler")
    # A bot fills every field it finds in the markup, the invisible one too.
    browser.execute_script("arguments[0].value = 'https://spam.example/'",
                           field(browser, "website"))
    press(browser, submit_button(browser))
    assert_at(browser, "/joined", "Check your email")
    assert address not in stack.candidate_emails()
