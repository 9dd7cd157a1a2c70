"""conftest.py: the browser suite's stack (behind nginx) and a phone-sized headless Chromium.

The stack is tests/e2e/hearth_stack.py's, imported, not copied: bin/hearth-run in a
throw-away var directory, mail written to var/outbox (Mail.SMTPUrl is empty).
"""

import shutil
import signal
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))

from browser_util import Browser  # noqa: E402
from hearth_stack import REPO, Stack  # noqa: E402  (after the path insert)

# Screenshots and page sources of failed tests (build/ is git-ignored).
FAILURES = REPO / "build" / "browser-failures"


def _terminated(signum, frame):
    # A SIGTERM (a CI time-out, make interrupted) unwinds like Ctrl-C, so the fixtures'
    # teardown still stops the stack and the browsers instead of leaving them running.
    raise KeyboardInterrupt("SIGTERM")


signal.signal(signal.SIGTERM, _terminated)


def pytest_sessionstart(session):
    shutil.rmtree(FAILURES, ignore_errors=True)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, "report_" + report.when, report)


@pytest.fixture(scope="module")
def stack():
    """One bin/hearth-run behind nginx per test module; tests keep apart with unique
    emails. Teardown stops it and fails if anything it started is left running."""
    s = Stack("nginx").start()
    yield s
    s.stop()


@pytest.fixture
def browser(request):
    """A fresh headless Chromium per test, 375x812 (innerWidth checked to be 375), with a
    throw-away profile; chromedriver and every Chromium process are gone after the test,
    pass or fail. A failed test leaves a screenshot and the page in build/browser-failures/."""
    b = Browser()
    try:
        yield b.driver
    finally:
        report = getattr(request.node, "report_call", None)
        if report is not None and report.failed and b.driver is not None:
            _keep_page(b.driver, request.node.name)
        b.close()


def _keep_page(driver, name):
    try:
        FAILURES.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(FAILURES / (name + ".png")))
        (FAILURES / (name + ".html")).write_text(driver.page_source)
        print("the page at the failure (%s): %s.{png,html}" % (driver.current_url, FAILURES / name))
    except Exception as e:     # the browser may be what failed
        print("could not keep the page of the failure: %s" % e)
