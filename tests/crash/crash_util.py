"""crash_util.py: finding every process of one test stack (used by conftest.py and the tests)."""

import os
import signal
import time

# Worker.StuckSeconds for the crash tests' stacks (written to DIR/local.hdf by conftest.py).
# The tests have no SMTP server (mail goes to var/outbox), so a pass of the daemon takes
# milliseconds; the default (90 s, sized for SMTP time-outs) would make a test wait
# minutes for a stuck daemon to be replaced.
DAEMON_STUCK_SECONDS = 20


def _proc_table():
    """{pid: (ppid, state)} of every process."""
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        table[int(entry)] = (int(fields[1]), fields[0])
    return table


def stack_processes(var):
    """Pids of every live process of VAR's stack: those whose environment or command line
    names VAR, and all their descendants (nginx rewrites its workers' command lines and
    environment, so they are found through their master)."""
    marker = ("HEARTH_CONF=%s/hearth-run.hdf" % var).encode()
    var_b = str(var).encode()
    me = os.getpid()
    table = _proc_table()
    found = set()
    for pid in table:
        if pid == me:
            continue
        try:
            with open("/proc/%d/environ" % pid, "rb") as f:
                env = f.read().split(b"\0")
            with open("/proc/%d/cmdline" % pid, "rb") as f:
                cmd = f.read()
        except OSError:
            continue
        if marker in env or var_b in cmd:
            found.add(pid)
    grew = True
    while grew:
        grew = False
        for pid, (ppid, _) in table.items():
            if ppid in found and pid not in found and pid != me:
                found.add(pid)
                grew = True
    return sorted(pid for pid in found if table[pid][1] != "Z")


def sweep(var):
    """SIGKILLs whatever is left of the stack in VAR; returns the pids it had to kill."""
    left = stack_processes(var)
    for pid in left:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    deadline = time.monotonic() + 5
    while stack_processes(var) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left
