"""browser_util.py: a phone-sized headless Chromium, and what a person sees and does with it.

Browser starts /usr/bin/chromedriver (which starts /usr/bin/chromium) in a session of its
own, so that close() can end every process of it by that one id even when the test failed
or chromedriver was lost. The rest are checks on the page a person has in front of them:
it fits the phone, every input has a label, errors are tied to their fields, axe-core
finds nothing serious; and the actions a person takes: type, tick, choose, press, TAB.
"""

import os
import signal
import shutil
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

from selenium import webdriver
from selenium.common.exceptions import (ElementClickInterceptedException,
                                        ElementNotInteractableException,
                                        TimeoutException)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
HERE = Path(__file__).resolve().parent
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"

# A phone: 375 CSS px wide (the narrowest common one), 812 tall.
PHONE_WIDTH, PHONE_HEIGHT = 375, 812
PAGE_TIMEOUT = 20
CLOSE_TIMEOUT = 5

# A page with the same viewport meta as templates/layout.cs, to check the window itself.
PROBE = ("data:text/html;charset=utf-8,<!DOCTYPE html><meta name=viewport "
         "content='width=device-width, initial-scale=1'><title>probe</title><p>probe")


class Browser:
    """One headless Chromium behind its own chromedriver, with a throw-away profile."""

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="hearth-browser-"))
        self.service = None
        self.driver = None
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for arg in (
                "--headless=new",
                "--no-sandbox",                 # we may run as root
                "--disable-dev-shm-usage",      # containers have a small /dev/shm
                "--user-data-dir=%s" % (self.dir / "profile"),
                "--window-size=%d,%d" % (PHONE_WIDTH, PHONE_HEIGHT),
                "--lang=en-US",
                "--no-first-run", "--no-default-browser-check",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-default-apps", "--disable-extensions"):
            options.add_argument(arg)
        # New headless Chromium keeps windows at least 500 px wide, whatever --window-size
        # says; the device emulation gives the page a real 375 px phone viewport (and
        # honours <meta name=viewport>, as a phone does).
        options.add_experimental_option("mobileEmulation", {"deviceMetrics": {
            "width": PHONE_WIDTH, "height": PHONE_HEIGHT, "pixelRatio": 2.0,
            "mobile": True, "touch": True}})
        self.service = Service(CHROMEDRIVER, log_path=str(self.dir / "chromedriver.log"),
                               popen_kw={"start_new_session": True})
        try:
            self.driver = webdriver.Chrome(service=self.service, options=options)
            self.driver.set_page_load_timeout(PAGE_TIMEOUT)
            self.driver.set_script_timeout(PAGE_TIMEOUT)
            self.driver.get(PROBE)
            width = self.driver.execute_script("return window.innerWidth")
            assert width == PHONE_WIDTH, \
                "the browser's viewport is %s px wide, not %d" % (width, PHONE_WIDTH)
        except BaseException:
            log = self.log()
            self.close()
            if log:
                print("chromedriver's log:\n" + log[-4000:])
            raise

    def log(self):
        try:
            return (self.dir / "chromedriver.log").read_text(errors="replace")
        except OSError:
            return ""

    @property
    def group(self):
        """The process group (and session) of chromedriver and every Chromium process."""
        proc = self.service.process if self.service else None
        return proc.pid if proc else None

    def processes(self):
        """Live processes of that group."""
        return _group_members(self.group) if self.group else []

    def close(self):
        """Quits politely, then SIGKILLs whatever of the group is still there, and waits
        until it is gone; removes the profile. Safe to call twice, and after any failure."""
        proc = self.service.process if self.service else None
        quit = False
        if self.driver is not None:
            # With chromedriver gone, quit() would only retry a dead socket.
            if proc is not None and proc.poll() is None:
                try:
                    self.driver.quit()      # also stops chromedriver
                    quit = True
                except Exception:
                    pass
            self.driver = None
        if proc is not None:
            # After a good quit Chromium's last processes are on their way out; without
            # one nothing will tell them to go.
            self._wait_gone(CLOSE_TIMEOUT if quit else 0)
            if self.processes():
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self._wait_gone(CLOSE_TIMEOUT)
            if proc.poll() is None:
                proc.kill()
            try:
                proc.wait(CLOSE_TIMEOUT)
            except Exception:
                pass
        shutil.rmtree(self.dir, ignore_errors=True)

    def _wait_gone(self, timeout):
        deadline = time.monotonic() + timeout
        while self.processes() and time.monotonic() < deadline:
            time.sleep(0.05)


def _group_members(pgid):
    """Pids of live (not zombie) processes in process group PGID."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[2]) == pgid:
            found.append(int(entry))
    return found


# -- where we are --------------------------------------------------------------------

def path(driver):
    return urlsplit(driver.current_url).path


def status(driver):
    """The HTTP status of the page now shown (Navigation Timing: what the browser got)."""
    return driver.execute_script(
        "const n = performance.getEntriesByType('navigation')[0];"
        "return n ? n.responseStatus : null;")


def h1(driver):
    found = driver.find_elements(By.TAG_NAME, "h1")
    assert found, "no h1 on %s (title %r)" % (driver.current_url, driver.title)
    return found[0].text.strip()


def describe(driver):
    """Where the browser is, for failure messages: URL, status, h1, any error summary."""
    heads = [e.text.strip() for e in driver.find_elements(By.TAG_NAME, "h1")]
    summary = [e.text.strip() for e in driver.find_elements(By.CSS_SELECTOR, "div.error-summary")]
    return "at %s (HTTP %s), h1 %r%s" % (driver.current_url, status(driver),
                                         heads[0] if heads else None,
                                         ", error summary %r" % summary[0] if summary else "")


def assert_at(driver, want_path, want_h1):
    """The browser shows WANT_PATH, answered 200, with WANT_H1 as its heading."""
    assert path(driver) == want_path and h1(driver) == want_h1 and status(driver) == 200, \
        "expected %s with h1 %r, but the browser is %s" % (want_path, want_h1, describe(driver))


# -- what a person does --------------------------------------------------------------

def press(driver, element):
    """Clicks ELEMENT (a submit button or a link) and waits for the next page to load."""
    blocked = driver.execute_script(
        "const b = arguments[0], f = b.form;"
        "if (!f || f.noValidate || b.formNoValidate || f.checkValidity()) return null;"
        "return [...f.elements].filter(e => e.willValidate && !e.checkValidity())"
        "  .map(e => (e.name || e.id) + ': ' + e.validationMessage);", element)
    assert not blocked, ("the browser's own form validation stops the submit (the form "
                         "needs novalidate to show the server's errors): %s" % blocked)
    # The page now shown is marked with a random token (a JS property of its document,
    # not an attribute: the markup stays as served); the next page is the first document
    # without it, once it has loaded. Not staleness_of(<html>): that asks chromedriver
    # about an element of the old document while the new one replaces it, and when the
    # two overlap chromedriver answers "unknown error: unhandled inspector error: Node
    # with given id does not belong to the document" instead of "stale element" (about
    # 1 press in 20 here). A script holds no node of the old document: it runs in
    # whichever document is there, and once the navigation has begun chromedriver waits
    # for it before running it (0 failures in 300 presses).
    mark = uuid.uuid4().hex
    driver.execute_script("document.hearthPressMark = arguments[0];", mark)
    element.click()
    try:
        WebDriverWait(driver, PAGE_TIMEOUT).until(lambda d: d.execute_script(
            "return document.hearthPressMark !== arguments[0] &&"
            " document.readyState === 'complete';", mark))
    except TimeoutException:
        raise AssertionError("no new page %ds after the click; %s"
                             % (PAGE_TIMEOUT, describe(driver))) from None


def field(driver, name, form="form#join"):
    """The input, select or textarea NAME of FORM (the first one, for checkbox groups)."""
    found = driver.find_elements(By.CSS_SELECTOR, "%s [name=%s]" % (form, _css_string(name)))
    assert found, "no field named %r in %s; %s" % (name, form, describe(driver))
    return found[0]


def type_into(element, text):
    element.clear()
    if text:
        element.send_keys(text)


def choose(element, *wanted):
    """Selects the option of a <select> whose value or text is one of WANTED (any case)."""
    sel = Select(element)
    want = [w.lower() for w in wanted]
    for i, opt in enumerate(sel.options):
        if (opt.get_attribute("value") or "").lower() in want or opt.text.strip().lower() in want:
            sel.select_by_index(i)
            return
    raise AssertionError("%s has no option %s (it has: %s)" % (
        element.get_attribute("name"), " or ".join(map(repr, wanted)),
        [(o.get_attribute("value"), o.text) for o in sel.options]))


def fill(driver, name, *values, form="form#join"):
    """Types VALUES[0] into text field NAME, or chooses one of VALUES when NAME is a select."""
    el = field(driver, name, form)
    if el.tag_name == "select":
        choose(el, *values)
    else:
        type_into(el, values[0])


def tick(driver, element, on=True):
    """Ticks (or unticks) a checkbox as a person does: on the box, or on its label when a
    styled box sits under it."""
    if element.is_selected() == on:
        return
    try:
        element.click()
    except (ElementClickInterceptedException, ElementNotInteractableException):
        driver.find_element(By.CSS_SELECTOR, "label[for=%s]" % _css_string(
            element.get_attribute("id"))).click()
    assert element.is_selected() == on, "could not %stick %s" % (
        "" if on else "un", element.get_attribute("id") or element.get_attribute("name"))


def _css_string(s):
    return '"%s"' % s.replace("\\", "\\\\").replace('"', '\\"')


# -- what a person sees --------------------------------------------------------------

_FITS = """
const de = document.documentElement;
const wide = [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > de.clientWidth + 0.5)
  .slice(0, 6).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
       (typeof e.className === 'string' && e.className.trim()
          ? '.' + e.className.trim().split(/\\s+/).join('.') : '') +
       ' (right edge ' + Math.round(e.getBoundingClientRect().right) + ')');
return {inner: window.innerWidth, client: de.clientWidth, scroll: de.scrollWidth, wide: wide};
"""


def assert_fits_phone(driver):
    """No sideways scrolling at 375 px. Under phone emulation an overflowing page is zoomed
    out (innerWidth grows to the page's width), so innerWidth must also still be 375."""
    m = driver.execute_script(_FITS)
    assert m["inner"] == PHONE_WIDTH and m["scroll"] <= m["inner"], (
        "%s scrolls sideways on a %d px phone: it is %d px wide (innerWidth %d); wider than "
        "the screen: %s" % (path(driver), PHONE_WIDTH, m["scroll"], m["inner"], m["wide"]))


# A control is "on the page" when it is rendered and lies inside the document; a honeypot
# moved far off-screen is not.
_ON_PAGE = """
function onPage(el) {
  if (!el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true,
                           opacityProperty: true, visibilityProperty: true})) return false;
  const r = el.getBoundingClientRect(), de = document.documentElement;
  const x = r.left + window.scrollX, y = r.top + window.scrollY;
  return x + r.width > 0 && y + r.height > 0 && x < de.scrollWidth && y < de.scrollHeight;
}
"""

_UNLABELLED = _ON_PAGE + """
function text(ids) {
  return ids.split(/\\s+/).map(i => document.getElementById(i))
            .filter(Boolean).map(e => e.textContent).join(' ').trim();
}
const out = [];
for (const el of document.querySelectorAll('input, select, textarea')) {
  if (el.type === 'hidden' || !onPage(el)) continue;
  const forLabels = el.id ? [...document.querySelectorAll('label[for]')]
      .filter(l => l.htmlFor === el.id && l.textContent.trim()) : [];
  if (forLabels.length || (el.getAttribute('aria-label') || '').trim() ||
      text(el.getAttribute('aria-labelledby') || '')) continue;
  out.push(el.tagName.toLowerCase() + '[name=' + el.name + ']' + (el.id ? '#' + el.id : ''));
}
return out;
"""


def assert_inputs_labelled(driver):
    """Every input, select and textarea a person can see has a label: a non-empty
    label[for=its id], aria-label or aria-labelledby."""
    missing = driver.execute_script(_UNLABELLED)
    assert not missing, "inputs without a label on %s: %s" % (path(driver), missing)


_AXE_RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ['violations']})
  .then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}))))
  .catch(e => done({error: String(e)}));
"""
_axe_source = None


def axe_violations(driver, impacts=("serious", "critical")):
    """axe-core's violations of IMPACTS on the page now shown."""
    global _axe_source
    if _axe_source is None:
        assert AXE.exists(), "%s is missing: run make deps (it runs npm ci in %s)" % (AXE, HERE)
        _axe_source = AXE.read_text()
    driver.execute_script(_axe_source)
    found = driver.execute_async_script(_AXE_RUN)
    assert not isinstance(found, dict), "axe-core failed: %s" % found
    return [v for v in found if v["impact"] in impacts]


def assert_axe_clean(driver):
    bad = axe_violations(driver)
    assert not bad, "axe-core finds serious or critical problems on %s:\n%s" % (
        path(driver), "\n".join("  %(impact)s %(id)s: %(help)s at %(nodes)s" % v for v in bad))


def assert_phone_ready(driver):
    """The checks every page gets: fits the phone, labels, axe-core."""
    assert_fits_phone(driver)
    assert_inputs_labelled(driver)
    assert_axe_clean(driver)


_FIELD_WIRING = """
const id = arguments[0], el = document.getElementById(id);
if (!el) return null;
const err = document.getElementById(id + '-error');
const controls = [...el.querySelectorAll('input, select, textarea')];
return {
  tag: el.tagName.toLowerCase(),
  invalid: el.getAttribute('aria-invalid'),
  describedby: (el.getAttribute('aria-describedby') || '').split(/\\s+/),
  controls_describedby: controls.map(c => (c.getAttribute('aria-describedby') || '').split(/\\s+/)),
  error: err && {tag: err.tagName.toLowerCase(), classes: [...err.classList],
                 text: err.textContent.trim(), shown: err.checkVisibility(),
                 inside: el.contains(err)},
};
"""

_ORDER_AND_FOCUS = """
const ids = arguments[0], els = ids.map(i => document.getElementById(i));
const inOrder = els.every((e, i) => i === 0 ||
    (els[i - 1].compareDocumentPosition(e) & Node.DOCUMENT_POSITION_FOLLOWING));
const a = document.activeElement;
return {inOrder: inOrder, focusOk: a === els[0] || els[0].contains(a),
        active: a ? a.tagName.toLowerCase() + (a.id ? '#' + a.id : '') : null};
"""


def error_fields(driver):
    """Checks the error state a person sees after a failed submit, and returns the ids of
    the fields the summary links to, in order:

    - one div.error-summary with role=alert, one link per error to #<field>;
    - the summary in the order of the form, and focus on its first field (autofocus);
    - each field: its message in a visible p.field-error#<field>-error; an input, select
      or textarea has aria-invalid="true" and aria-describedby naming <field>-error; a
      group (a fieldset of checkboxes) holds its message or names it in aria-describedby.
    """
    summaries = driver.find_elements(By.CSS_SELECTOR, "div.error-summary")
    assert len(summaries) == 1, "expected one div.error-summary, found %d; %s" % (
        len(summaries), describe(driver))
    assert summaries[0].get_attribute("role") == "alert", "the error summary has no role=alert"
    ids = []
    for a in summaries[0].find_elements(By.TAG_NAME, "a"):
        href = a.get_attribute("href") or ""
        assert a.text.strip(), "an empty link in the error summary (to %s)" % href
        assert href.startswith(driver.current_url.split("#")[0] + "#"), \
            "error summary link %r goes to %s, not to a field of this page" % (a.text, href)
        ids.append(urlsplit(href).fragment)
    assert ids, "the error summary has no links: %r" % summaries[0].text
    for fid in ids:
        w = driver.execute_script(_FIELD_WIRING, fid)
        assert w is not None, "the error summary links to #%s, which is not on the page" % fid
        err = w["error"]
        assert err, "#%s has no message #%s-error" % (fid, fid)
        assert err["tag"] == "p" and "field-error" in err["classes"] and err["text"] \
            and err["shown"], "#%s-error is not a visible p.field-error with text: %s" % (fid, err)
        if w["tag"] in ("input", "select", "textarea"):
            assert w["invalid"] == "true", "#%s has aria-invalid=%r" % (fid, w["invalid"])
            assert fid + "-error" in w["describedby"], \
                "#%s has aria-describedby=%r, not naming %s-error" % (fid, w["describedby"], fid)
        else:
            assert err["inside"] or fid + "-error" in w["describedby"] or (
                w["controls_describedby"] and
                all(fid + "-error" in d for d in w["controls_describedby"])), \
                "the message #%s-error is neither inside the %s #%s nor named by its " \
                "aria-describedby or its inputs'" % (fid, w["tag"], fid)
    o = driver.execute_script(_ORDER_AND_FOCUS, ids)
    assert o["inOrder"], "the error summary lists %s, not in the order of the form" % ids
    assert o["focusOk"], "focus is on %s, not on the first invalid field #%s" % (
        o["active"], ids[0])
    return ids


_HONEYPOT = _ON_PAGE + """
const el = document.querySelector('form#join [name="website"]');
if (!el) return null;
const labels = [...el.labels || []];
return {
  type: el.type,
  onPage: el.type !== 'hidden' && onPage(el),
  labelOnPage: labels.some(onPage),
  hiddenFromScreenReaders: el.type === 'hidden' || !el.checkVisibility({visibilityProperty: true,
      checkVisibilityCSS: true}) || !!el.closest('[aria-hidden="true"], [inert]'),
};
"""


def honeypot(driver):
    """How the honeypot field `website` of form#join shows, or None when there is none."""
    return driver.execute_script(_HONEYPOT)


_WALK_START = """
window.__hearthFocus = [];
const start = document.createElement('span');
start.tabIndex = -1;
document.body.prepend(start);
document.addEventListener('focusin', e => {
  const t = e.target;
  if (t === start) return;
  window.__hearthFocus.push({tag: t.tagName.toLowerCase(), name: t.getAttribute('name'),
      id: t.id || null, type: t.getAttribute('type'), inJoin: !!t.closest('form#join'),
      text: (t.textContent || '').trim().slice(0, 40)});
}, true);
start.focus();
"""


def tab_walk(driver, presses=80):
    """Presses TAB PRESSES times from the top of the page; returns every element that got
    focus, in order (tag, name, id, type, inJoin, text). Focus wraps round at the end."""
    driver.execute_script(_WALK_START)
    ActionChains(driver).send_keys(Keys.TAB * presses).perform()
    return driver.execute_script("return window.__hearthFocus")


def submit_button(driver, form="form#join"):
    """The (first) submit button of FORM."""
    found = driver.find_elements(By.CSS_SELECTOR, "%s button:not([type]), %s [type=submit]"
                                 % (form, form))
    assert found, "no submit button in %s; %s" % (form, describe(driver))
    return found[0]


def button_text(element):
    return (element.text or element.get_attribute("value") or "").strip()


# -- the signup form (form#join) as the new signup renders it ------------------------

def interests(driver):
    """The interest checkboxes of form#join."""
    found = driver.find_elements(By.CSS_SELECTOR, "form#join input[type=checkbox][name=interests]")
    assert found, "no interests checkboxes in form#join; %s" % describe(driver)
    return found


def fill_signup(driver, email, first_name="Zoë", last_name="山田", city="Porto",
                country=("Portugal", "PT"), seniority="mid", interests_ticked=1,
                consent=True, **optional):
    """Fills in form#join as a person would, with valid values; OPTIONAL: phone, skills,
    url, source (typed) and resume (a file path)."""
    fill(driver, "first_name", first_name)
    fill(driver, "last_name", last_name)
    fill(driver, "email", email)
    fill(driver, "city", city)
    fill(driver, "country", *((country,) if isinstance(country, str) else country))
    for box in interests(driver)[:interests_ticked]:
        tick(driver, box)
    fill(driver, "seniority", seniority)
    for name in ("phone", "skills", "url", "source"):
        if name in optional:
            fill(driver, name, optional[name])
    if "resume" in optional:
        field(driver, "resume").send_keys(str(optional["resume"]))
    tick(driver, field(driver, "consent"), consent)
