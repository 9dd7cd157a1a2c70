"""conftest.py: the crash tests' stack, started by the end-to-end suite's own helper.

tests/e2e/hearth_stack.py (bin/hearth-run in a throw-away var directory on a free port)
is imported, not copied. What this file adds is what killing processes needs:

- a fresh stack per test (the daemon test takes its whole stack down);
- the logs kept after the run (bin/hearth-run's output, nginx's error.log) in the test's
  tmp_path, since Stack.stop() removes the var directory;
- a last sweep that SIGKILLs any process still belonging to the test's stack, found by
  the HEARTH_CONF=<its var dir> that the launcher passes to everything it starts, so
  that nothing survives a failing test (the launcher itself may be gone by then).
"""

import re
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))

from crash_util import DAEMON_STUCK_SECONDS, sweep  # noqa: E402
from hearth_stack import Stack, StackError  # noqa: E402  (after the path insert)


def keep_logs(stack, dest):
    """Copies the launcher's output and the web server's logs into DEST (tmp_path)."""
    dest.mkdir(parents=True, exist_ok=True)
    try:
        shutil.copy(stack.log_path, dest / "hearth-run.log")
    except OSError:
        pass
    run = stack.var / "run"
    for rel in ("nginx/error.log", "nginx/access.log", "apache/error.log"):
        try:
            shutil.copy(run / rel, dest / rel.replace("/", "-"))
        except OSError:
            pass
    for log in run.glob("*.log") if run.is_dir() else []:
        try:
            shutil.copy(log, dest / log.name)
        except OSError:
            pass


@pytest.fixture
def crash_stack(tmp_path, capsys):
    """A running bin/hearth-run behind nginx (Web.Workers 4, the launcher's default).

    Teardown: SIGTERM through Stack.stop() (which insists that everything stops cleanly
    when the launcher is still up), then the sweep above whatever happened; the logs
    stay in tmp_path/logs."""
    # bin/hearth-run copies DIR/local.hdf into the configuration it writes.
    # Every signup's address is at one domain: Mail.DomainRatePerSecond (10 by default)
    # would let the confirmation mails out at 10 a second, slower than the clients sign
    # up, and the mails of a later moment miss the tests' wait. Throttling is not what
    # these tests are about (tests/unit/test_campaign_mail.c tests it).
    stack = Stack("nginx", local="# tests/crash: no SMTP here, a daemon pass takes "
                  "milliseconds\nWorker.StuckSeconds = %d\nMail.DomainRatePerSecond = 0\n"
                  % DAEMON_STUCK_SECONDS)
    started = False
    try:
        stack.start()
        started = True
        yield stack
    finally:
        keep_logs(stack, tmp_path / "logs")
        # Stack.stop() deletes the launcher's output when all went well: an open handle
        # still reads its last lines (what it said while stopping) afterwards.
        try:
            launcher_out = open(stack.log_path, "rb")
        except OSError:
            launcher_out = None
        leftovers = []
        stop_error = None
        try:
            if started and stack.proc is not None and stack.proc.poll() is None:
                stack.stop(check=True)
            else:
                stack.stop(check=False)
        except StackError as e:
            stop_error = e
        finally:
            leftovers = sweep(stack.var)
            shutil.rmtree(stack.var, ignore_errors=True)
        last_words = ""
        if launcher_out is not None:
            with launcher_out:
                data = launcher_out.read()
            (tmp_path / "logs" / "hearth-run.log").write_bytes(data)
            last_words = data.decode("utf-8", "replace")
        slow = sorted(set(re.findall(r"(\S+ \(pid \d+\)|\d+) did not stop within 15s",
                                     last_words)))
        with capsys.disabled():
            print("\n  logs: %s%s" % (tmp_path / "logs", "; on SIGTERM bin/hearth-run had to "
                                     "SIGKILL %s after 15 s" % slow if slow else ""))
        if stop_error is not None:
            raise stop_error
        if leftovers:
            raise AssertionError("processes of the stack were still running after it stopped "
                                 "and had to be killed: %s (logs in %s)"
                                 % (leftovers, tmp_path / "logs"))
