"""test_harness.py: the browser suite's own tools: the browser is a 375 px phone, and
chromedriver and Chromium end with the test, even when the driver was lost.
"""

import os
import signal


from browser_util import PHONE_WIDTH, Browser


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
