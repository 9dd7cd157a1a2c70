"""test_kill_workers.py: kill -9 Hearth's processes under concurrent signups.

The real stack (bin/hearth-run behind nginx, 4 workers per program) takes signups from
8 clients while a killer SIGKILLs a random community worker (and now and then an office
worker) every 0.3-1 s for 25 s. Then the kills stop and the load goes on. What must hold:

- every signup that was acknowledged (303 to /joined) is stored, once; `hearthctl
  verify` is clean; the worker daemon keeps writing the confirmation mails they queued;
- the supervisors replace every killed worker (4 each again within seconds);
- the site keeps serving: acknowledged signups in every 2-second window, no request
  left without an answer for REQUEST_TIMEOUT s (more than Web.StuckSeconds, after which
  a stuck worker is replaced), and within RECOVERY_SECONDS of the last kill no process
  of the stack is still blocked (in a futex or an fcntl lock, using no CPU for
  STUCK_SAMPLE s while the load runs: it waits for a process that is gone).

5xx answers and broken connections during the storm are counted and reported, not
failed on: a request in flight in a killed worker cannot be answered.

The second test kills the daemon: first its working process (`hearthctl worker`
supervises one, README: "safe to kill at any time"), which must be replaced while the
site runs on; then `hearthctl worker` itself, which bin/hearth-run documents as "so does
any of them dying on its own (it says which)": it stops everything it started.
"""

import collections
import os
import random
import re
import shutil
import signal
import subprocess
import threading
import time
from urllib.parse import urlsplit

import requests

import pytest

from crash_util import DAEMON_STUCK_SECONDS, stack_processes, sweep
from hearth_stack import HEARTHCTL, REPO, Client, _alive, csrf_token, signup_fields, unique

CLIENTS = 8
LOAD_SECONDS = 25           # of kills
KILL_INTERVAL = (0.3, 1.0)
OFFICE_KILL_SHARE = 0.2
MIN_COMMUNITY_KILLS = 20
WORKERS = 4
RESPAWN_TIMEOUT = 5
WINDOW = 2.0
WEB_STUCK_SECONDS = 10      # Web.StuckSeconds' default: not changed by the test
RECOVERY_SECONDS = DAEMON_STUCK_SECONDS + 10
TAIL_SECONDS = 3            # of load once nothing is blocked any more
REQUEST_TIMEOUT = WEB_STUCK_SECONDS + 10
SLOW = 2.0                  # seconds: requests this slow are counted in the summary
STUCK_SAMPLE = 3.0
HEARTHCTL_TIMEOUT = 30
MAIL_DEADLINE = 30          # seconds of waiting for the last confirmation mails
MAIL_STALL = 10             # seconds without a new confirmation mail while some are missing


# -- processes -----------------------------------------------------------------------

def workers_of(supervisor):
    """Live (non-zombie) children of a supervisor, through pgrep -P."""
    out = subprocess.run(["pgrep", "-P", str(supervisor)], capture_output=True,
                         text=True, timeout=10).stdout
    return sorted(pid for pid in map(int, out.split()) if _alive(pid))


def wait_for_workers(supervisor, n, timeout):
    """The supervisor's workers once there are n of them, or the last list seen."""
    deadline = time.monotonic() + timeout
    while True:
        kids = workers_of(supervisor)
        if len(kids) == n or time.monotonic() > deadline:
            return kids
        time.sleep(0.05)


def watched_processes(stack):
    """{pid: role} of every process that serves or works: the web workers, and the
    daemon (`hearthctl worker` and, when it supervises one, its working process)."""
    pids = stack.pids()
    out = {}
    for name in ("community", "office"):
        for pid in workers_of(pids[name]):
            out[pid] = "%s worker" % name
    out[pids["worker"]] = "hearthctl worker"
    for pid in workers_of(pids["worker"]):
        out[pid] = "hearthctl worker's working process"
    return out


def configured_workers(stack):
    text = (stack.var / "hearth-run.hdf").read_text()
    m = re.search(r"^Web\.Workers\s*=\s*(\d+)\s*$", text, re.M)
    return int(m.group(1)) if m else None


def _cpu_ticks(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except OSError:
        return None


def _wchan(pid):
    try:
        with open("/proc/%d/wchan" % pid) as f:
            return f.read()
    except OSError:
        return "?"


BLOCKED = ("futex_do_wait", "fcntl_setlk")


def find_stuck(pids, seconds):
    """Those of pids that stay blocked, without using any CPU, for the whole sample.

    Healthy workers wait in accept() or read() between requests. Blocked means a futex
    (Berkeley DB's mutexes and lock waits are process-shared pthread mutexes and
    condition variables on this platform) or an fcntl lock (DB_REGISTER's registry file,
    taken at every environment open): one that stays blocked while the others serve
    waits for a process that is gone, or for one that is itself blocked."""
    start = {pid: _cpu_ticks(pid) for pid in pids}
    still = set(pids)
    deadline = time.monotonic() + seconds
    while still and time.monotonic() < deadline:
        for pid in list(still):
            if _wchan(pid) not in BLOCKED or _cpu_ticks(pid) != start[pid]:
                still.discard(pid)
        time.sleep(0.1)
    return sorted(still)


def backtrace(pid, frames=14):
    """A short gdb backtrace of pid, for the failure message (empty without gdb)."""
    gdb = shutil.which("gdb")
    if gdb is None:
        return ""
    try:
        out = subprocess.run([gdb, "-p", str(pid), "-batch", "-nx", "-ex", "bt %d" % frames],
                             capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.TimeoutExpired):
        return ""
    lines = [line for line in out.splitlines() if line.startswith("#")]
    return "\n".join("      " + line[:160] for line in lines)


def _cmdline(pid):
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return "?"


def registry_report(stack):
    """Who holds and who waits for DB_REGISTER's exclusive lock (byte 1 of
    db/__db.register, taken while a process registers, and kept through the recovery it
    may run), from /proc/locks, with a backtrace of each holder; "" when nobody waits."""
    try:
        ino = os.stat(stack.var / "db" / "__db.register").st_ino
        with open("/proc/locks") as f:
            rows = f.read().splitlines()
    except OSError:
        return ""
    holders, waiters = [], []
    for row in rows:
        f = row.split()
        blocked = "->" in f
        if blocked:
            f.remove("->")
        # n: POSIX ADVISORY WRITE pid maj:min:inode start end
        if len(f) < 8 or f[1] != "POSIX" or int(f[5].rsplit(":", 1)[1]) != ino:
            continue
        if f[6] == "1":
            (waiters if blocked else holders).append(int(f[4]))
    if not waiters:
        return ""
    out = ["    DB_REGISTER's registry lock: %d processes wait for it: %s"
           % (len(waiters), ", ".join("%d (%s)" % (p, _cmdline(p)) for p in waiters))]
    for pid in holders:
        out.append("    held by %d (%s), wchan %s:\n%s"
                   % (pid, _cmdline(pid), _wchan(pid), backtrace(pid, 20)))
        # Spinning in Berkeley DB's failchk mutex wait shows as kill(OWNER, 0) calls: the
        # isalive check on the mutex's owner.
        strace = shutil.which("strace")
        if strace:
            try:
                calls = subprocess.run(["timeout", "1", strace, "-p", str(pid), "-e",
                                        "trace=kill"], capture_output=True, text=True,
                                       timeout=10).stderr.splitlines()
            except (OSError, subprocess.TimeoutExpired):
                calls = []
            calls = [c for c in calls if c.startswith("kill(")]
            if calls:
                out.append("      its system calls for 1 s: %d x %s"
                           % (len(calls), collections.Counter(calls).most_common(1)[0][0]))
    return "\n".join(out)


def hearthctl(stack, *args, timeout=HEARTHCTL_TIMEOUT):
    """Runs hearthctl like Stack.hearthctl(), but a hang is reported with a backtrace of
    where it hangs: (returncode or None, stdout, stderr, trace)."""
    p = subprocess.Popen([str(HEARTHCTL)] + [str(a) for a in args], stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         env=stack.env, cwd=REPO)
    try:
        out, err = p.communicate(timeout=timeout)
        return p.returncode, out, err, ""
    except subprocess.TimeoutExpired:
        trace = backtrace(p.pid, frames=25)
        p.kill()
        out, err = p.communicate()
        return None, out, err, trace


def log_tail(stack, lines=60):
    keep = [line for line in stack.log().splitlines()
            if not re.search(r"BDB(2053|1502|1582) ", line)]
    return "\n".join(keep[-lines:])


def mailed_addresses(outbox, seen):
    """Adds to seen {file name: To address} the confirmation mails written since last time."""
    try:
        names = os.listdir(outbox)
    except OSError:
        return seen
    for name in names:
        if not name.endswith(".eml") or name in seen:
            continue
        try:
            with open(os.path.join(outbox, name), "rb") as f:
                head = f.read(4096).decode("utf-8", "replace")
        except OSError:
            continue
        m = re.search(r"^To:[^\r\n]*<([^>\r\n]+)>", head, re.M)
        seen[name] = m.group(1) if m else None
    return seen


# -- load ------------------------------------------------------------------------------

class Recorder:
    """Every request's outcome, thread-safe: events are (time, kind, status, email).

    status is the HTTP status, or 'conn' / 'timeout' when no answer came."""

    def __init__(self):
        self.lock = threading.Lock()
        self.events = []
        self.acked = []         # emails whose POST /join got 303 /joined
        self.unknown = []       # emails whose POST got no answer or a 5xx: maybe stored
        self.other = collections.Counter()
        self.inflight = {}      # thread id -> (monotonic start, kind)
        self.slow = []          # (seconds, kind, status) of requests slower than SLOW

    def start(self, kind):
        with self.lock:
            self.inflight[threading.get_ident()] = (time.monotonic(), kind)

    def add(self, kind, status, email=None):
        now = time.monotonic()
        with self.lock:
            self.events.append((now, kind, status, email))
            started = self.inflight.pop(threading.get_ident(), None)
            if started and now - started[0] > SLOW:
                self.slow.append((now - started[0], kind, status))


def _send(rec, kind, fn, email=None):
    rec.start(kind)
    try:
        r = fn()
    except requests.Timeout:
        rec.add(kind, "timeout", email)
        return None
    except requests.RequestException:
        rec.add(kind, "conn", email)
        return None
    rec.add(kind, r.status_code, email)
    return r


def signup_client(base_url, tag, idx, stop, rec):
    """GET / for the cookie and token, then POST /join with a fresh email, until stop."""
    s = Client(base_url)
    n = 0
    while not stop.is_set():
        n += 1
        email = "%s-%d-%d@crash.example.org" % (tag, idx, n)
        r = _send(rec, "get", lambda: s.get("/", timeout=REQUEST_TIMEOUT))
        if r is None or r.status_code != 200:
            time.sleep(0.05)
            continue
        try:
            token = csrf_token(r.text)
        except AssertionError:
            rec.add("get", "no-token")
            continue
        data = {**signup_fields("Crash %d-%d" % (idx, n), email), "csrf_token": token}
        r = _send(rec, "post", lambda: s.post("/join", data=data, timeout=REQUEST_TIMEOUT),
                  email)
        with rec.lock:
            if r is not None and r.status_code == 303 and \
                    urlsplit(r.headers.get("Location", "")).path == "/joined":
                rec.acked.append(email)
            elif r is None or r.status_code >= 500:
                rec.unknown.append(email)
            else:
                rec.other[r.status_code] += 1
        if r is None or r.status_code >= 500:
            time.sleep(0.05)


def office_client(base_url, stop, rec):
    """The back office's login page, over and over: its workers get killed too."""
    s = Client(base_url)
    while not stop.is_set():
        r = _send(rec, "office", lambda: s.get("/office/login", timeout=REQUEST_TIMEOUT))
        time.sleep(0.05 if r is not None and r.status_code == 200 else 0.1)


class Killer:
    """SIGKILLs a random worker every 0.3-1 s; also watches which worker pids existed."""

    def __init__(self, supervisors, stop):
        self.supervisors = supervisors      # {"community": pid, "office": pid}
        self.stop = stop
        self.kills = []                     # (time, program, pid)
        self.seen = {name: set(workers_of(pid)) for name, pid in supervisors.items()}
        self.initial = {name: set(pids) for name, pids in self.seen.items()}
        self.empty_picks = 0
        self.errors = []

    def _look(self):
        for name, sup in self.supervisors.items():
            self.seen[name].update(workers_of(sup))

    def run(self):
        rng = random.Random()
        due = time.monotonic()
        try:
            while True:
                # On a schedule, so that the time the look-ups take does not thin it out.
                due += rng.uniform(*KILL_INTERVAL)
                if self.stop.wait(max(0.0, due - time.monotonic())):
                    return
                name = "office" if rng.random() < OFFICE_KILL_SHARE else "community"
                kids = workers_of(self.supervisors[name])
                self.seen[name].update(kids)
                if not kids:
                    self.empty_picks += 1
                    continue
                pid = rng.choice(kids)
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    continue
                self.kills.append((time.monotonic(), name, pid))
        except Exception as e:  # reported by the test, never lost in a thread
            self.errors.append(repr(e))

    def watch(self):
        """Polls the worker lists often, so short-lived respawns are counted too."""
        while not self.stop.wait(0.1):
            try:
                self._look()
            except Exception as e:
                self.errors.append(repr(e))
                return


def run_threads(targets):
    threads = [threading.Thread(target=t, args=a, daemon=True) for t, a in targets]
    for t in threads:
        t.start()
    return threads


def join_threads(threads, timeout):
    deadline = time.monotonic() + timeout
    for t in threads:
        t.join(max(0.1, deadline - time.monotonic()))
    return [t for t in threads if t.is_alive()]


# -- the tests ---------------------------------------------------------------------------

def test_kill_workers_under_signups(crash_stack, capsys):
    stack = crash_stack
    assert configured_workers(stack) == WORKERS, \
        "bin/hearth-run's default Web.Workers is no longer %d" % WORKERS
    pids = stack.pids()
    supervisors = {"community": pids["community"], "office": pids["office"]}
    for name, sup in supervisors.items():
        kids = wait_for_workers(sup, WORKERS, RESPAWN_TIMEOUT)
        assert len(kids) == WORKERS, "%s has workers %s before any kill" % (name, kids)

    rec = Recorder()
    stop_load = threading.Event()
    stop_kill = threading.Event()
    killer = Killer(supervisors, stop_kill)
    tag = unique("crash")
    load = run_threads([(signup_client, (stack.base_url, tag, i, stop_load, rec))
                        for i in range(CLIENTS)] +
                       [(office_client, (stack.base_url, stop_load, rec))])
    time.sleep(1.0)     # the clients get going before the first kill
    kill_threads = run_threads([(killer.run, ()), (killer.watch, ())])
    t_first = time.monotonic()
    time.sleep(LOAD_SECONDS)
    stop_kill.set()
    stuck_killer = join_threads(kill_threads, 10)
    t_last_kill = time.monotonic()

    # The load goes on: the site must come back, not only stay up. Nothing may stay
    # blocked for longer than the watchdogs allow.
    stuck, watched, t_healthy = [], {}, None
    while True:
        watched = watched_processes(stack)
        stuck = find_stuck(list(watched), STUCK_SAMPLE)
        if not stuck:
            t_healthy = time.monotonic()
            break
        if time.monotonic() > t_last_kill + RECOVERY_SECONDS:
            break
    t_sampled = time.monotonic()
    stuck_traces = {pid: backtrace(pid) for pid in stuck}
    registry = registry_report(stack) if stuck else ""
    time.sleep(TAIL_SECONDS)
    stop_load.set()
    t_stop = time.monotonic()
    stuck_load = join_threads(load, REQUEST_TIMEOUT + 5)

    problems = []
    if stuck_killer or stuck_load:
        problems.append("threads did not stop: killer %d, clients %d"
                        % (len(stuck_killer), len(stuck_load)))
    problems.extend("killer thread: %s" % e for e in killer.errors)

    # -- the launcher and both supervisors survived; every worker was replaced ------------
    if stack.proc.poll() is not None:
        problems.append("bin/hearth-run exited (%s) during the run" % stack.proc.returncode)
    for name, sup in supervisors.items():
        if not _alive(sup):
            problems.append("the %s supervisor (pid %d) died" % (name, sup))
    killed = {name: {pid for _, n, pid in killer.kills if n == name} for name in supervisors}
    for name, sup in supervisors.items():
        kids = wait_for_workers(sup, WORKERS, RESPAWN_TIMEOUT)
        killer.seen[name].update(kids)
        if len(kids) != WORKERS:
            problems.append("%s has %d workers %ss after the load, not %d: %s"
                            % (name, len(kids), RESPAWN_TIMEOUT, WORKERS, kids))
        if set(kids) & killed[name]:
            problems.append("%s: killed workers still listed: %s"
                            % (name, sorted(set(kids) & killed[name])))
    respawned = {name: len(killer.seen[name] - killer.initial[name]) for name in supervisors}
    if len(killed["community"]) < MIN_COMMUNITY_KILLS:
        problems.append("only %d community workers were killed (want %d)"
                        % (len(killed["community"]), MIN_COMMUNITY_KILLS))
    for name in supervisors:
        if respawned[name] < len(killed[name]):
            problems.append("%s: %d workers killed but only %d new ones seen"
                            % (name, len(killed[name]), respawned[name]))
    replaced_lines = len(re.findall(r"killed by signal 9; replacing it", stack.log()))

    # -- the site answered all along ----------------------------------------------------------
    def ok(e):
        return (e[1] == "get" and e[2] == 200) or (e[1] == "post" and e[2] == 303) or \
            (e[1] == "office" and e[2] == 200)

    with rec.lock:
        events = list(rec.events)
        slow = sorted(rec.slow, reverse=True)
    windows = []
    t = t_first
    while t + WINDOW <= t_stop:
        in_w = [e for e in events if t <= e[0] < t + WINDOW]
        windows.append((round(t - t_first, 1), sum(1 for e in in_w if ok(e)),
                        sum(1 for e in in_w if e[1] == "post" and e[2] == 303),
                        sum(1 for e in in_w if e[1] == "office" and e[2] == 200)))
        t += WINDOW
    # Signups, not only pages: the point is that the other workers keep taking them.
    dead_windows = [w[0] for w in windows if w[2] == 0]
    if dead_windows:
        problems.append("no signup was acknowledged in the 2-s windows starting %s s after "
                        "the first kill: the other workers did not keep serving (blocked "
                        "workers are only replaced after Web.StuckSeconds, %d s by default; "
                        "see the 'busy for' lines below)" % (dead_windows, WEB_STUCK_SECONDS))
    tail = [e for e in events if e[0] >= t_stop - WINDOW]
    if not any(e[1] == "post" and e[2] == 303 for e in tail):
        problems.append("no signup was acknowledged in the last %.0f s of load, %.0f s after "
                        "the last kill" % (WINDOW, t_stop - t_last_kill))
    if not any(e[1] == "office" and e[2] == 200 for e in tail):
        problems.append("the back office did not answer in the last %.0f s of load, %.0f s "
                        "after the last kill" % (WINDOW, t_stop - t_last_kill))
    timeouts = [e for e in events if e[2] == "timeout"]
    if timeouts:
        problems.append("%d requests got no answer within %d s (the first at %.1f s after the "
                        "first kill): hung workers were not replaced in time"
                        % (len(timeouts), REQUEST_TIMEOUT, timeouts[0][0] - t_first))
    if stuck:
        problems.append(
            "%.0f s after the last kill, under load, %d processes were still blocked (futex or "
            "fcntl lock, no CPU used for %.0f s), waiting for a process that is gone; their "
            "supervisors count them as live:\n%s"
            % (t_sampled - t_last_kill, len(stuck), STUCK_SAMPLE,
               "\n".join("    pid %d (%s)%s" % (pid, watched[pid],
                                                   ":\n" + stuck_traces[pid]
                                                   if stuck_traces[pid] else "")
                         for pid in stuck)) + ("\n" + registry if registry else ""))

    # -- acknowledged => stored, once; mailed; verify clean -----------------------------------
    c = Client(stack.base_url)
    probe = "%s-probe@crash.example.org" % tag
    try:
        r = c.join("Probe", probe)
        probe_status = r.status_code
    except (requests.RequestException, AssertionError) as e:
        probe_status = repr(e)[:200]
    if probe_status != 303:
        problems.append("a signup after the run got %s, not 303" % probe_status)
    else:
        rec.acked.append(probe)
    rc, out, err, trace = hearthctl(stack, "candidates")
    stored = [line.split("\t") for line in out.splitlines() if line] if rc == 0 else []
    if rc != 0:
        problems.append("hearthctl candidates %s%s%s; whether acknowledged signups were "
                        "stored could not be checked" % (
                            "exited %d" % rc if rc is not None else
                            "hung for %d s (killed); where it was:\n%s\n%s"
                            % (HEARTHCTL_TIMEOUT, trace, registry_report(stack)),
                            ":\n" if err else "", err[-2000:]))
    emails = collections.Counter(row[1] for row in stored if len(row) >= 2)
    lost = [e for e in rec.acked if e not in emails] if rc == 0 else []
    if lost:
        problems.append("%d acknowledged signups are not stored, e.g. %s"
                        % (len(lost), lost[:5]))
    dup = sorted(e for e, n in emails.items() if n > 1)
    if dup:
        problems.append("emails stored twice: %s" % dup[:5])
    mine = [e for e in emails if e.startswith(tag)]
    sent_set = set(rec.acked) | set(rec.unknown)
    stray = [e for e in mine if e not in sent_set]
    if stray:
        problems.append("stored but never sent, or refused: %s" % stray[:5])
    verify_rc, out, err, trace = hearthctl(stack, "verify") if rc is not None else \
        ("not run (hearthctl candidates hung)", "", "", "")
    if verify_rc != 0 and rc is not None:
        problems.append("hearthctl verify %s:\n%s%s%s" % (
            "exited %d" % verify_rc if verify_rc is not None else
            "hung for %d s (killed)" % HEARTHCTL_TIMEOUT, out, err[-2000:], trace))

    # Every acknowledged signup queued a confirmation mail in its transaction: the daemon must
    # keep delivering them (to var/outbox). It sends at most ~100 a second, slower than
    # this load signs people up, so what is checked is that it makes progress: a new mail
    # at least every MAIL_STALL s until all are out or MAIL_DEADLINE s have passed.
    outbox = stack.var / "outbox"
    mailed = {}
    want = set(rec.acked)
    t_mail = last_change = time.monotonic()
    last_count = -1
    mail_stalled = False
    while True:
        got = set(mailed_addresses(outbox, mailed).values())
        if want <= got or time.monotonic() - t_mail > MAIL_DEADLINE:
            break
        if len(mailed) != last_count:
            last_count, last_change = len(mailed), time.monotonic()
        elif time.monotonic() - last_change > MAIL_STALL:
            mail_stalled = True
            break
        time.sleep(0.5)
    unmailed = sorted(want - set(mailed.values()))
    if mail_stalled:
        problems.append("the daemon wrote no mail for %d s while %d acknowledged signups "
                        "still had no confirmation mail (e.g. %s)"
                        % (MAIL_STALL, len(unmailed), unmailed[:3]))

    # -- the summary, shown whatever happens --------------------------------------------------
    def n(kind, pred=lambda s: True):
        return sum(1 for e in events if e[1] == kind and pred(e[2]))

    fivexx = collections.Counter("%s %s" % (e[1].upper(), e[2]) for e in events
                                 if isinstance(e[2], int) and e[2] >= 500)
    noanswer = collections.Counter("%s %s" % (e[1].upper(), e[2]) for e in events
                                   if not isinstance(e[2], int))
    summary = [
        "crash test: %.0f s of kills every %.1f-%.1f s, then %.0f s of load without; %d signup "
        "clients + 1 office client" % (t_last_kill - t_first, *KILL_INTERVAL,
                                       t_stop - t_last_kill, CLIENTS),
        "  requests: GET / %d, POST /join %d (attempts), GET /office/login %d"
        % (n("get"), n("post"), n("office")),
        "  acknowledged signups: %d (+probe); unknown outcome (5xx or no answer): %d; "
        "other answers: %s" % (len(rec.acked) - (probe_status == 303), len(rec.unknown),
                               dict(rec.other) or "none"),
        "  stored: %d of this run's emails (%d candidates in all); lost acknowledged: %s; "
        "confirmation mails not yet written: %d; verify exit %s"
        % (len(mine), len(stored), len(lost) if rc == 0 else "unknown", len(unmailed),
           verify_rc),
        "  5xx: %s; no answer: %s" % (dict(fivexx) or "none", dict(noanswer) or "none"),
        "  slower than %.0f s: %d (slowest %s)"
        % (SLOW, len(slow), ", ".join("%.1f s %s %s" % s for s in slow[:3]) or "-"),
        "  kills: community %d, office %d (picks with no live worker: %d); respawns seen: "
        "community %d, office %d; supervisor 'killed by signal 9' lines: %d"
        % (len(killed["community"]), len(killed["office"]), killer.empty_picks,
           respawned["community"], respawned["office"], replaced_lines),
        "  in the log: 'Thread died in Berkeley DB library' %d, PANIC lines %d, "
        "workers exiting 3 (DB_RUNRECOVERY) %d, daemon reopenings %d, watchdog kills "
        "('busy for N s; killing it') %d"
        % tuple(len(re.findall(p, stack.log())) for p in (
            r"Thread died in Berkeley DB library", r"PANIC: fatal region error",
            r"exited with 3; replacing it", r"the database needs recovery; reopening",
            r"has been busy for \d+ s; killing it")),
        "  2-s windows from the first kill (successes/acked signups/office): min acked %s: %s"
        % (min((w[2] for w in windows), default=0),
           " ".join("%d/%d/%d" % w[1:] for w in windows)),
        "  after the last kill: %s" % (
            "nothing blocked %.1f s later" % (t_healthy - t_last_kill) if t_healthy else
            "still blocked after %d s: %s" % (RECOVERY_SECONDS,
                                             ["%d %s" % (p, watched[p]) for p in stuck])),
    ]
    if problems:
        summary.append("PROBLEMS:\n  - " + "\n  - ".join(problems))
    with capsys.disabled():
        print("\n" + "\n".join(summary))
    if problems:
        pytest.fail("\n".join(summary) + "\n--- bin/hearth-run output (tail, without "
                    "failchk's per-locker lines):\n" + log_tail(stack), pytrace=False)


def test_kill_the_worker_daemon(crash_stack, capsys):
    """kill -9 the daemon's working process (replaced, mail goes on), then `hearthctl
    worker` itself (bin/hearth-run says so and stops everything); no signup lost."""
    stack = crash_stack
    top = stack.pids()["worker"]
    rec = Recorder()
    stop = threading.Event()
    tag = unique("daemon")
    load = run_threads([(signup_client, (stack.base_url, tag, i, stop, rec)) for i in range(4)])
    time.sleep(2.0)
    problems, notes = [], []

    # 1. Its working process, when it has one: replaced, and the mail keeps coming.
    kids = workers_of(top)
    if not kids:
        notes.append("hearthctl worker (pid %d) has no working process: it does the work "
                     "itself, so only step 2 applies" % top)
    else:
        victim = kids[0]
        os.kill(victim, signal.SIGKILL)
        deadline = time.monotonic() + RESPAWN_TIMEOUT
        new = []
        while time.monotonic() < deadline and not new:
            new = [p for p in workers_of(top) if p != victim]
            time.sleep(0.05)
        if not new:
            problems.append("hearthctl worker (pid %d) did not replace its working process "
                            "%d within %d s" % (top, victim, RESPAWN_TIMEOUT))
        if stack.proc.poll() is not None:
            problems.append("bin/hearth-run exited (%s) when the daemon's working process "
                            "was killed" % stack.proc.returncode)
        # Mail queued from now on must be written by the new process.
        with rec.lock:
            since = len(rec.acked)
        time.sleep(1.0)
        with rec.lock:
            want = set(rec.acked[since:])
        mailed, deadline = {}, time.monotonic() + MAIL_STALL
        while time.monotonic() < deadline and \
                not want <= set(mailed_addresses(stack.var / "outbox", mailed).values()):
            time.sleep(0.3)
        missing = want - set(mailed.values())
        if not want:
            problems.append("no signup was acknowledged after the daemon's working process "
                            "was killed")
        elif missing:
            problems.append("%d of the %d signups acknowledged after the daemon's working "
                            "process was replaced got no confirmation mail within %d s"
                            % (len(missing), len(want), MAIL_STALL))
        notes.append("killed its working process %d: replaced by %s; %d confirmation mails "
                     "written since" % (victim, new or "nothing", len(want - missing)))

    # 2. `hearthctl worker` itself, which bin/hearth-run started: it says so, and stops
    # everything it started, the daemon's working process included.
    os.kill(top, signal.SIGKILL)
    t_kill = time.monotonic()
    try:
        rc = stack.proc.wait(timeout=40)
    except subprocess.TimeoutExpired:
        rc = None
    t_gone = time.monotonic()
    stop.set()
    join_threads(load, REQUEST_TIMEOUT + 5)
    left = {pid: _cmdline(pid) for pid in stack_processes(stack.var)}
    log = stack.log()
    if rc is None:
        problems.append("bin/hearth-run still runs 40 s after `hearthctl worker` was killed: "
                        "it neither stopped, as it documents, nor restarted it")
    else:
        if rc != 1:
            problems.append("bin/hearth-run exited %s, not 1" % rc)
        said = "worker (pid %d) exited unexpectedly" % top
        if said not in log:
            problems.append("bin/hearth-run did not say %r" % said)
        if "stopping everything" not in log:
            problems.append("bin/hearth-run did not say it was stopping everything")
        if left:
            problems.append("processes of the stack still running after bin/hearth-run "
                            "exited (killed now): %s"
                            % ", ".join("%d %s" % kv for kv in left.items()))
            sweep(stack.var)
    lost, verify_rc = [], "-"
    if rc is not None:
        # The data, with nothing running: everything acknowledged is there, and clean.
        crc, out, err, trace = hearthctl(stack, "candidates")
        if crc != 0:
            problems.append("hearthctl candidates %s: %s%s" % (
                "exited %d" % crc if crc is not None else "hung (killed)", err[-2000:], trace))
        else:
            stored = {line.split("\t")[1] for line in out.splitlines() if line.count("\t") >= 2}
            lost = [e for e in rec.acked if e not in stored]
            if lost:
                problems.append("%d acknowledged signups lost: %s" % (len(lost), lost[:5]))
        verify_rc, out, err, trace = hearthctl(stack, "verify")
        if verify_rc != 0:
            problems.append("hearthctl verify %s:\n%s%s%s" % (
                "exited %d" % verify_rc if verify_rc is not None else "hung (killed)",
                out, err[-2000:], trace))
    slow_stop = re.findall(r"\n[^\n]*did not stop within 15s", log)
    notes.append("killed hearthctl worker (pid %d): bin/hearth-run exit %s after %.1f s%s"
                 % (top, rc, t_gone - t_kill,
                    " (%s)" % "; ".join(s.strip() for s in slow_stop) if slow_stop else ""))
    notes.append("acknowledged: %d, lost: %d; verify exit %s" % (len(rec.acked), len(lost),
                                                                 verify_rc))
    with capsys.disabled():
        print("\ndaemon test:\n  " + "\n  ".join(notes) +
              ("\n  PROBLEMS:\n  - " + "\n  - ".join(problems) if problems else ""))
    if problems:
        pytest.fail("\n".join(problems) + "\n--- bin/hearth-run output (tail):\n" +
                    log_tail(stack), pytrace=False)
