"""test_bulk.py: bulk actions and CSV exports from the candidate list, through the real stack (nginx).

120 people join through the signup form; a recruiter ticks rows of the list (or "select
all on this page") or applies an action to the whole filter result, then follows the
job's page until it is done: tags added and removed, a static pool filled and emptied,
status and owner set, the result exported to a CSV file that is read back as a
spreadsheet would read it. Roles: hiring managers get no bulk action, only admins
delete (after a confirmation), an export is downloaded only by whoever made it or an
admin. Last, the worker daemon's working process is killed with SIGKILL in the middle
of a job: its supervisor starts another, which finishes the job with nothing done twice.

Office.BulkBatch = 1 makes every candidate a step of its own, so a job of 120 takes
long enough to be caught halfway.
"""

import csv
import io
import os
import re
import signal
import time

import pytest

from hearth_stack import Stack, csrf_token, parse_form, unique

PASSWORD = "correct horse battery staple"
CROWD = 120
JOB_TIMEOUT = 60


@pytest.fixture(scope="module")
def stack():
    s = Stack("nginx", local="Office.BulkBatch = 1\n").start()
    yield s
    s.stop()


def signed_in(stack, role):
    email = "%s@example.org" % unique(role.replace("_", ""))
    stack.add_user(email, PASSWORD, role=role)
    c = stack.client()
    assert c.login(email, PASSWORD).status_code == 303
    c.email = email
    return c


@pytest.fixture(scope="module")
def office(stack):
    return signed_in(stack, "recruiter")


@pytest.fixture(scope="module")
def admin(stack):
    return signed_in(stack, "admin")


@pytest.fixture(scope="module")
def crowd(stack):
    """CROWD signups whose surname holds one token (the filter), two of them with a name
    a spreadsheet would run as a formula and a name in two scripts. Returns the token
    and the set of their emails."""
    token = unique("crowd")
    c = stack.client()
    emails = set()
    names = ["=SUM(1+1)", "Zoë 山田"] + ["Crowd%03d" % i for i in range(CROWD - 2)]
    for first in names:
        email = "%s@example.com" % unique("cr")
        r = c.join("x", email, first_name=first, last_name="Person " + token)
        assert r.status_code == 303, r.text[:300]
        emails.add(email)
    return {"token": token, "emails": emails}


# -- the pages, as a person uses them ------------------------------------------------

def listing(client, **params):
    r = client.get("/office/candidates", params=params)
    assert r.status_code == 200, r.text[:500]
    return r.text


def total(page):
    m = re.search(r'<h2 id="results"[^>]*>(\d+) candidate', page)
    assert m, "no result count on the page"
    return int(m.group(1))


def row_ids(page):
    """The candidates of the page, top to bottom, by their row's checkbox."""
    return re.findall(r'<input type="checkbox" class="select-row" name="id" value="(\d+)"',
                      page)


def bulk_form(page):
    """The hidden inputs of the list's bulk form, as (name, value) pairs."""
    m = re.search(r'<form method="post" action="/office/bulk" id="bulk".*?</form>', page, re.S)
    assert m, "no bulk form on the page"
    return [(n, a.get("value", "")) for n, a in parse_form(m.group(0)).inputs
            if a.get("type") == "hidden"]


def act(client, page, scope, ticked=(), all_page=False, **fields):
    """Presses one of the bulk form's buttons on PAGE with the rows TICKED and FIELDS
    (action, tag, to_pool, new_status, new_owner) filled in; returns the answer."""
    data = bulk_form(page) + [("scope", scope)] + [("id", i) for i in ticked]
    if all_page:
        data.append(("all_page", "1"))
    data += list(fields.items())
    return client.post("/office/bulk", data=data)


def started(r):
    """The job page a bulk action sent us to."""
    assert r.status_code == 303, "the bulk action answered %d:\n%s" % (r.status_code,
                                                                       r.text[:800])
    loc = r.headers["Location"]
    assert re.fullmatch(r"/office/job\?id=\d+", loc), loc
    return loc


def progress(page):
    m = re.search(r'<p id="job-progress-text"[^>]*>([^<]*)</p>', page)
    assert m, "no progress on the job's page"
    return m.group(1)


def wait_job(client, loc, seen=None, recovering=False):
    """Follows the job's page (as its refresh does) until the job is over; returns the
    last page. SEEN, when given, collects the progress texts shown on the way. While
    RECOVERING (a process was killed), "busy, try again" answers are expected."""
    deadline = time.monotonic() + JOB_TIMEOUT
    while True:
        r = client.get(loc)
        if recovering and r.status_code == 503 and time.monotonic() < deadline:
            time.sleep(0.2)
            continue
        assert r.status_code == 200, r.text[:500]
        if seen is not None:
            seen.append(progress(r.text))
        if 'class="job-done"' in r.text or 'class="job-failed"' in r.text:
            return r.text
        assert time.monotonic() < deadline, "the job at %s is not done after %ds: %s" % (
            loc, JOB_TIMEOUT, progress(r.text))
        # While it runs, the page follows it (job.js), and asks no reload of its own.
        assert 'data-job-live="2"' in r.text and 'src="/static/job.js"' in r.text
        assert '<meta http-equiv="refresh"' not in r.text
        time.sleep(0.1)


def summary(page):
    m = re.search(r'<p class="lead">([^<]*)</p>', page)
    assert m, "no summary on the job's page"
    return m.group(1).replace("&#34;", '"')


def done(client, r):
    page = wait_job(client, started(r))
    assert 'class="job-done"' in page, summary(page)
    return page


# -- the tests -----------------------------------------------------------------------

def test_tick_rows_and_tag_them(office, crowd):
    page = listing(office, q=crowd["token"])
    assert total(page) == CROWD
    ids = row_ids(page)
    assert len(ids) == 50
    picked = [ids[1], ids[7], ids[30]]
    job = done(office, act(office, page, "selected", picked, action="tag_add",
                           tag="Picked By Hand"))
    assert summary(job) == "Added the tag \u201cpicked by hand\u201d to 3 candidates."
    tagged = listing(office, q=crowd["token"], tags_all="picked by hand")
    assert sorted(row_ids(tagged)) == sorted(picked)
    # The same again changes nothing, and says so.
    job = done(office, act(office, page, "selected", picked, action="tag_add",
                           tag="picked by hand"))
    assert "to 0 candidates. 3 already so." in summary(job)


def test_select_all_on_this_page(office, crowd):
    page = listing(office, q=crowd["token"], sort="name")
    shown = row_ids(page)
    job = done(office, act(office, page, "selected", all_page=True, action="tag_add",
                           tag="first page"))
    assert "to 50 candidates" in summary(job)
    assert sorted(row_ids(listing(office, q=crowd["token"], tags_all="first page"))) == \
        sorted(shown)


def test_tag_a_whole_filter_result(stack, office, crowd):
    page = listing(office, q=crowd["token"])
    assert "Apply to all 120 that match" in page
    # Someone who joins once the job has started (its total is known: the filter was
    # evaluated) is not part of it.
    seen = []
    loc = started(act(office, page, "all", action="tag_add", tag="everyone"))
    deadline = time.monotonic() + JOB_TIMEOUT
    while not re.fullmatch(r"\d+ of 120", progress(office.get(loc).text)):
        assert time.monotonic() < deadline, "the job did not start"
        time.sleep(0.02)
    late = "%s@example.com" % unique("late")
    assert stack.client().join("Late Person " + crowd["token"], late).status_code == 303
    last = wait_job(office, loc, seen)
    assert 'class="job-done"' in last
    assert summary(last) == "Added the tag \u201ceveryone\u201d to 120 candidates."
    assert seen[-1] == "120 of 120"
    assert any(re.fullmatch(r"\d+ of 120", s) and s != "120 of 120" for s in seen) or \
        len(seen) == 1, seen
    after = listing(office, q=crowd["token"], tags_all="everyone")
    assert total(after) == CROWD
    assert total(listing(office, q=crowd["token"])) == CROWD + 1
    # The list links to jobs while they run, and always to the list of jobs.
    assert 'href="/office/jobs"' in after


def test_a_static_pool_filled_then_emptied_in_part(office, crowd):
    token = csrf_token(office.get("/office/pools").text)
    r = office.post("/office/pools/new", data={"csrf_token": token,
                                               "name": "Bulk " + crowd["token"]})
    assert r.status_code == 303
    pool = re.search(r"id=(\d+)", r.headers["Location"]).group(1)
    page = listing(office, q=crowd["token"], tags_all="everyone")
    job = done(office, act(office, page, "all", action="pool_add", to_pool=pool))
    assert "Added 120 candidates to the pool \u201cBulk %s\u201d." % crowd["token"] in \
        summary(job)
    assert total(listing(office, pool=pool)) == CROWD
    members = listing(office, pool=pool)
    out = row_ids(members)[:5]
    job = done(office, act(office, members, "selected", out, action="pool_remove",
                           to_pool=pool))
    assert "Removed 5 candidates from the pool" in summary(job)
    left = listing(office, pool=pool)
    assert total(left) == CROWD - 5
    assert not set(out) & set(row_ids(left))
    r = office.get("/office/pool", params={"id": pool})
    assert re.search(r'<p class="lead">115 member', r.text)


def test_set_status_and_owner(office, crowd):
    page = listing(office, q=crowd["token"], sort="oldest")
    four = row_ids(page)[:4]
    job = done(office, act(office, page, "selected", four, action="status",
                           new_status="interviewing"))
    assert summary(job) == "Set the status of 4 candidates to interviewing."
    assert sorted(row_ids(listing(office, q=crowd["token"], status="interviewing"))) == \
        sorted(four)
    job = done(office, act(office, page, "selected", four[:2], action="owner",
                           new_owner="me"))
    assert summary(job) == "Gave 2 candidates to %s." % office.email
    assert sorted(row_ids(listing(office, q=crowd["token"], owner="me"))) == sorted(four[:2])
    # Both changes are on the candidate's timeline, with who made them.
    profile = office.get("/office/candidate", params={"id": four[0]}).text
    assert "Status: Engaged → Interviewing" in profile
    assert "Owner: %s" % office.email in profile
    # A field the action needs, left out: said next to it, the ticks kept.
    r = act(office, page, "selected", four, action="status")
    assert r.status_code == 400
    assert 'id="new_status-error"' in r.text
    assert len(re.findall(r'class="select-row" name="id" value="\d+" form="bulk" '
                          r'aria-label="[^"]*" checked', r.text)) == 4
    r = act(office, page, "selected", action="tag_add", tag="x")
    assert r.status_code == 400
    assert "tick at least one candidate" in r.text


def export(client, page, scope="all", ticked=()):
    """Runs an export from PAGE; returns (job page, its download path)."""
    job = done(client, act(client, page, scope, ticked, action="export"))
    m = re.search(r'<a href="(/office/export\?id=\d+)" download>', job)
    assert m, "no download link on the finished export's page"
    return job, m.group(1)


def test_export_is_every_row_spreadsheet_safe(office, crowd):
    page = listing(office, q=crowd["token"], tags_all="everyone")
    job, link = export(office, page)
    assert "Exported 120 candidates." in summary(job)
    r = office.get(link)
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert re.fullmatch(r'attachment; filename="hearth-candidates-\d+\.csv"',
                        r.headers["Content-Disposition"])
    assert r.content.startswith(b"\xef\xbb\xbf"), "no byte order mark for spreadsheets"
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["Name", "Email", "Phone", "City", "Country", "Title", "Status",
                       "Tags", "Pools", "Source", "Seniority", "Skills", "Consent",
                       "Owner", "Last engaged (UTC)", "Joined (UTC)"]
    body = rows[1:]
    assert len(body) == CROWD
    assert {row[1] for row in body} == crowd["emails"]
    by_name = {row[0]: row for row in body}
    # A cell that starts like a formula is made text; names in any script stay whole.
    assert "'=SUM(1+1) Person %s" % crowd["token"] in by_name
    assert not any(row[0].startswith("=") for row in body)
    assert "Zoë 山田 Person %s" % crowd["token"] in by_name
    for row in body:
        assert row[7].split(", ").count("everyone") == 1, row
        assert row[2] == "" and row[3] == "Lisbon" and row[12] == "pending"
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", row[15]), row[15]
    assert sum(1 for row in body if "Bulk " + crowd["token"] in row[8]) == CROWD - 5


def test_roles(stack, office, admin, crowd):
    page = listing(office, q=crowd["token"])
    ids = row_ids(page)[:2]
    _, link = export(office, page, "selected", ids)
    job_id = link.split("=")[1]
    # Another recruiter sees neither the job nor its file; an admin sees both.
    other = signed_in(stack, "recruiter")
    assert other.get(link).status_code == 403
    assert other.get("/office/job", params={"id": job_id}).status_code == 403
    r = admin.get(link)
    assert r.status_code == 200 and r.content.count(b"\r\n") == 3
    assert office.get("/office/export", params={"id": "999999"}).status_code == 404
    # Hiring managers: no list, no bulk action, no file.
    hm = signed_in(stack, "hiring_manager")
    token = csrf_token(hm.get("/office/account").text)
    assert hm.post("/office/bulk", data={"csrf_token": token, "action": "export",
                                         "scope": "all"}).status_code == 403
    assert hm.get(link).status_code == 403
    # Recruiters do not delete: not offered, refused when asked, and the confirmed
    # form is for admins only.
    assert 'value="delete"' not in page
    r = act(office, page, "selected", ids, action="delete")
    assert r.status_code == 403
    data = bulk_form(page) + [("scope", "selected"), ("action", "delete")] + \
        [("id", i) for i in ids]
    assert office.post("/office/bulk/delete", data=data).status_code == 403
    assert total(listing(office, q=crowd["token"])) == CROWD + 1


def audit(admin, **params):
    r = admin.get("/office/audit", params=params)
    assert r.status_code == 200
    m = re.search(r'<table class="audit">.*?<tbody>(.*?)</tbody>', r.text, re.S)
    return re.findall(r"<tr>(.*?)</tr>", m.group(1), re.S) if m else []


def test_admin_deletes_after_confirming(stack, admin):
    token = unique("doomed")
    emails = ["%s@example.com" % unique("dm") for _ in range(3)]
    c = stack.client()
    for e in emails:
        assert c.join("Doomed Person " + token, e).status_code == 303
    page = listing(admin, q=token)
    assert 'value="delete"' in page
    ids = row_ids(page)
    r = act(admin, page, "selected", ids, action="delete")
    assert r.status_code == 200
    assert "<h1>Delete 3 candidates?</h1>" in r.text
    assert total(listing(admin, q=token)) == 3        # asking deletes nothing
    form = re.search(r'<form method="post" action="/office/bulk/delete">.*?</form>', r.text,
                     re.S).group(0)
    data = [(n, a.get("value", "")) for n, a in parse_form(form).inputs]
    job = done(admin, admin.post("/office/bulk/delete", data=data))
    assert summary(job) == "Deleted 3 candidates."
    assert total(listing(admin, q=token)) == 0
    assert not set(emails) & set(stack.candidate_emails())
    for i in ids:
        assert admin.get("/office/candidate", params={"id": i}).status_code == 404
        assert len(audit(admin, action="delete", cand=i)) == 1
    assert any("delete" in row for row in audit(admin, action="bulk"))
    # No suppression: a deleted person may join again.
    assert c.join("Doomed Person " + token, emails[0]).status_code == 303
    assert emails[0] in stack.candidate_emails()
    assert stack.hearthctl("verify").returncode == 0


def daemon_child(stack):
    """The working process of `hearthctl worker` (its supervisor's one child)."""
    top = stack.pids()["worker"]
    with open("/proc/%d/task/%d/children" % (top, top)) as f:
        kids = [int(p) for p in f.read().split()]
    assert len(kids) == 1, "hearthctl worker (%d) has children %s" % (top, kids)
    return kids[0]


def test_worker_killed_mid_job_finishes_it_once(stack, office, admin, crowd):
    page = listing(office, q=crowd["token"], tags_all="everyone")
    victim = daemon_child(stack)
    loc = started(act(office, page, "all", action="tag_add", tag="survivor"))
    # As soon as some of it is done and committed, kill the daemon's working process.
    deadline = time.monotonic() + JOB_TIMEOUT
    while True:
        shown = progress(office.get(loc).text)
        m = re.fullmatch(r"(\d+) of 120", shown)
        if m and int(m.group(1)) > 0:
            os.kill(victim, signal.SIGKILL)
            break
        assert time.monotonic() < deadline, "the job never started: %s" % shown
    killed_at = int(m.group(1))
    assert killed_at < CROWD, "the job was over before the worker could be killed"
    # Its supervisor starts another, which recovers the database and goes on.
    deadline = time.monotonic() + 30
    while True:
        try:
            if daemon_child(stack) != victim:
                break
        except (AssertionError, OSError):
            pass
        assert time.monotonic() < deadline, "the daemon's working process was not replaced"
        time.sleep(0.1)
    last = wait_job(office, loc, recovering=True)
    assert 'class="job-done"' in last, summary(last)
    assert summary(last) == "Added the tag \u201csurvivor\u201d to 120 candidates.", \
        "killed at %d of 120: %s" % (killed_at, summary(last))
    # Each candidate has the tag once; the job has one audit entry.
    _, link = export(office, listing(office, q=crowd["token"], tags_all="survivor"))
    rows = list(csv.reader(io.StringIO(office.get(link).content.decode("utf-8-sig"),
                                       newline="")))[1:]
    assert len(rows) == CROWD
    for row in rows:
        assert row[7].split(", ").count("survivor") == 1, row
    job_id = loc.split("=")[1]
    entries = [row for row in audit(admin, action="bulk") if "job: %s;" % job_id in row]
    assert len(entries) == 1, entries
    assert stack.hearthctl("verify").returncode == 0
