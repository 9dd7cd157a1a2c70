"""test_import.py: CSV import end to end, behind nginx and behind Apache.

A recruiter uploads a file, sees its first rows and which column goes where, starts the
import and follows its progress page to the end; the rows the file spoils (wrong
encoding, missing columns, stray quotes, a 1 MB cell, bad or missing emails, unknown
values) are rejected one by one, with the reason in the downloadable report, and nothing
of them is stored. Mappings are remembered per header; OpenCATS and LinkedIn exports are
recognised; the create-or-update policy holds; only the importer and admins see a job.
What was stored is read with `hearthctl candidates` and the candidate's page.
"""

import csv
import io
import os
import re
import signal
import time
import urllib.parse

import pytest

from hearth_stack import csrf_token, field_error, parse_form, shows_escaped, unique

JOB_TIMEOUT = 60


# -- helpers -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def accounts(stack):
    """Two recruiters, an admin and a hiring manager, made with hearthctl."""
    made = {}
    for role, key in (("recruiter", "rec"), ("recruiter", "rec2"), ("admin", "admin"),
                      ("hiring_manager", "hm")):
        email, password = "%s@example.test" % unique(key), "correct horse " + unique()
        stack.add_user(email, password, role=role)
        made[key] = (email, password)
    return made


def signed_in(stack, accounts, who="rec"):
    c = stack.client()
    r = c.login(*accounts[who])
    assert r.status_code == 303, r.text
    return c


@pytest.fixture
def office(stack, accounts):
    return signed_in(stack, accounts)


def upload(c, name, data, status=303):
    """Uploads DATA (bytes) as file NAME through the import form; returns the answer."""
    _, token = c.form("/office/import")
    r = c.post("/office/import", data={"csrf_token": token},
               files={"file": (name, data, "text/csv")})
    assert r.status_code == status, r.text[:3000]
    return r


def map_page(c, r):
    """Follows the upload's redirect to the page of the columns."""
    loc = r.headers["Location"]
    assert urllib.parse.urlsplit(loc).path == "/office/import/map", loc
    page = c.get(loc)
    assert page.status_code == 200, page.text[:2000]
    return loc, page.text


def selected(page, name):
    """The value of the selected option of select NAME (None when none is)."""
    m = re.search(r'<select[^>]* name="%s"[^>]*>(.*?)</select>' % re.escape(name), page, re.S)
    assert m, "no select %s on the page" % name
    opt = re.search(r'<option value="([^"]*)" selected', m.group(1))
    return opt.group(1) if opt else None


def form_values(page):
    """The map form as the page fills it in: hidden fields and selected columns."""
    data = {}
    for name, attrs in parse_form(page).inputs:
        if attrs.get("type") == "hidden":
            data[name] = attrs.get("value", "")
        elif name.startswith("map_"):
            data[name] = selected(page, name) or "0"
    return data


def start(c, page, policy="both", basis="legitimate_interest",
          note="they left their details at our stand", source="", **columns):
    """Submits the map form as shown, with COLUMNS (field=column number) changed."""
    data = form_values(page)
    data.update({"policy": policy, "basis": basis, "basis_note": note, "source": source})
    for k, v in columns.items():
        data["map_" + k] = str(v)
    return c.post("/office/import/map", data=data)


def job_id(r):
    assert r.status_code == 303, r.text[:3000]
    loc = urllib.parse.urlsplit(r.headers["Location"])
    assert loc.path == "/office/job", r.headers["Location"]
    return int(urllib.parse.parse_qs(loc.query)["id"][0])


def wait_done(c, job, seen=None, patient=False):
    """Polls the job's page until it is no longer open; SEEN collects each page. PATIENT:
    a 503 is waited out, as the programs answer while the store recovers after a process
    was killed (lib/store/env.c)."""
    deadline = time.monotonic() + JOB_TIMEOUT
    while True:
        r = c.get("/office/job?id=%d" % job)
        if patient and r.status_code == 503 and time.monotonic() < deadline:
            time.sleep(0.2)
            continue
        assert r.status_code == 200, r.text[:2000]
        if seen is not None:
            seen.append(r.text)
        if "job-done" in r.text or "job-failed" in r.text or "job-cancelled" in r.text:
            return r.text
        assert time.monotonic() < deadline, "job %d still open:\n%s" % (job, r.text[:3000])
        time.sleep(0.1)


def import_file(c, name, data, **kw):
    """Upload, accept the columns as shown (plus KW), start, wait: the final job page."""
    loc, page = map_page(c, upload(c, name, data))
    job = job_id(start(c, page, **kw))
    return job, wait_done(c, job)


def report(c, job):
    r = c.get("/office/import/report?id=%d" % job)
    assert r.status_code == 200, r.text[:2000]
    assert r.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in r.headers.get("Content-Disposition", "")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"), newline="")))
    return rows[0], {int(row[0]): row for row in rows[1:]}


def counts(page):
    m = re.search(r"([\d,]+) created, ([\d,]+) updated, ([\d,]+) unchanged, "
                  r"([\d,]+) skipped, ([\d,]+) rejected", page)
    assert m, page[:3000]
    return tuple(int(x.replace(",", "")) for x in m.groups())


def names(stack):
    return {email: name for _, email, name in stack.candidates()}


# -- the import itself --------------------------------------------------------------------

def test_malformed_rows_rejected_one_by_one(stack, office):
    tag = unique("m")
    good = ["%s-%d@example.test" % (tag, i) for i in range(4)]
    huge = "x" * (1024 * 1024)
    lines = [
        b"Email,First Name,Last Name,Phone,Notes",
        ("%s,Ada,Lovelace,+44 20 7946 0000,\"Met at \"\"PyCon\"\"\"" % good[0]).encode(),
        ("%s-latin1@example.test,Zo\xeb,Bad,," % tag).encode("latin-1"),       # encoding
        ("%s-short@example.test,Dee,Short" % tag).encode(),                    # columns
        ("%s-quote@example.test,Eve,Stray\"Quote,," % tag).encode(),           # stray quote
        ("%s-huge@example.test,Big,Cell,,\"%s\"" % (tag, huge)).encode(),      # 1 MB cell
        b"not-an-email,Bob,Nope,,",                                             # malformed
        b",Carl,Nobody,,",                                                      # no email
        ("%s-phone@example.test,Pat,Phone,call me maybe," % tag).encode(),     # bad value
        ("%s,Gus,Good,'+44 20 7946 0001,\"two\nlines\"" % good[1]).encode(),
        ("%s,=cmd|' /C calc'!A0,Formula,," % good[2]).encode(),
        ("%s,Ivy,Last,," % good[3]).encode(),
    ]
    data = b"\r\n".join(lines) + b"\r\n"
    before = names(stack)
    r = upload(office, "people.csv", data)
    loc, page = map_page(office, r)

    # The preview: the header, the first rows, the spoilt ones marked, the columns set.
    assert shows_escaped(page, "1. Email")
    assert shows_escaped(page, "Lovelace")
    assert "not UTF-8" in page
    assert "3 cells where the header has 5" in page
    assert selected(page, "map_email") == "1"
    assert selected(page, "map_last_name") == "3"
    assert selected(page, "map_notes") == "5"
    assert selected(page, "map_title") == "0"

    job = job_id(start(office, page, source="Spring fair"))
    final = wait_done(office, job)
    assert "job-done" in final
    assert counts(final) == (4, 0, 0, 0, 7)
    assert "11 of 11" in final
    assert 'http-equiv="refresh"' not in final

    after = names(stack)
    added = {e: n for e, n in after.items() if e not in before}
    assert added == {good[0]: "Ada Lovelace", good[1]: "Gus Good",
                     good[2]: "=cmd|' /C calc'!A0 Formula", good[3]: "Ivy Last"}

    header, rows = report(office, job)
    assert header == ["line", "reason", "Email", "First Name", "Last Name", "Phone", "Notes"]
    assert sorted(rows) == [3, 4, 5, 6, 7, 8, 9]
    assert rows[3][1] == "not UTF-8 (cell 2): save the file as UTF-8"
    assert rows[4][1].startswith("this row has 3 cells where the header has 5")
    assert rows[4][2:] == ["%s-short@example.test" % tag, "Dee", "Short"]
    assert rows[5][1].startswith("a stray quote in cell 3")
    assert rows[6][1] == "cell 5 is longer than 65536 bytes"
    assert rows[7][1] == 'not an email address: "not-an-email"'
    assert rows[7][2:] == ["not-an-email", "Bob", "Nope", "", ""]
    assert rows[8][1] == "no email address"
    assert rows[9][1].startswith('not a phone number: "call me maybe"')

    # Nothing of a rejected row was stored, not even in part.
    for bad in ("latin1", "short", "quote", "huge", "phone"):
        assert "%s-%s@example.test" % (tag, bad) not in after
    assert all(not n.startswith(("Bob", "Carl")) for n in added.values())

    # The stored ones are whole: the formula-safe phone back as it was, source kept.
    cid = [i for i, e, _ in stack.candidates() if e == good[1]][0]
    profile = office.get("/office/candidate?id=%d" % cid).text
    assert "+44 20 7946 0001" in profile
    assert "Spring fair" in profile


def test_progress_page(stack, office):
    tag = unique("p")
    n = 6000
    data = "email,name\n" + "".join("%s-%d@example.test,Person %d\n" % (tag, i, i)
                                    for i in range(n))
    loc, page = map_page(office, upload(office, "many.csv", data.encode()))
    job = job_id(start(office, page))
    seen = []
    final = wait_done(office, job, seen)
    open_pages = [p for p in seen if "job-running" in p or "job-queued" in p]
    assert open_pages, "the job finished before its page was first shown"
    for p in open_pages:
        # Follows the job in place (job.js; a reload every 2 s on request without
        # scripts), with a labelled progress bar and its text for everyone.
        assert 'data-job-live="2"' in p and 'src="/static/job.js"' in p
        assert '<meta http-equiv="refresh"' not in p
        assert "&amp;refresh=1" in p
        assert re.search(r'<label for="job-progress">Progress</label>', p)
        assert re.search(r'<progress id="job-progress"', p)
        assert 'role="status"' in p
        assert 'action="/office/job/cancel"' in p
    assert "6,000 of 6,000" in final
    assert 'max="6000" value="6000"' in final
    assert 'action="/office/job/cancel"' not in final
    assert counts(final) == (n, 0, 0, 0, 0)
    # It is in the list of jobs, and there is no report when nothing was left out.
    jobs = office.get("/office/jobs").text
    assert "/office/job?id=%d" % job in jobs
    assert office.get("/office/import/report?id=%d" % job).status_code == 404


def test_mapping_remembered_per_header(stack, office):
    tag = unique("r")
    first = ("Courriel;Prénom;Nom\n%s-1@example.test;Ada;Lovelace\n" % tag).encode()
    loc, page = map_page(office, upload(office, "fr.csv", first))
    assert selected(page, "map_email") == "0"       # nothing known by these names
    # Starting without the email column: told so next to it, the preview still there.
    r = start(office, page)
    assert r.status_code == 400
    assert "Choose the column that holds the email addresses" in field_error(r.text, "map_email")
    assert shows_escaped(r.text, "Lovelace")
    job = job_id(start(office, page, email=1, first_name=2, last_name=3))
    assert counts(wait_done(office, job)) == (1, 0, 0, 0, 0)

    # The same header (spelt with other capitals and spaces) comes back mapped.
    second = ("courriel ; PRÉNOM;Nom \n%s-2@example.test;Bob;Babbage\n" % tag).encode()
    loc, page = map_page(office, upload(office, "fr2.csv", second))
    assert "set as for the last import" in page
    assert (selected(page, "map_email"), selected(page, "map_first_name"),
            selected(page, "map_last_name")) == ("1", "2", "3")
    job = job_id(start(office, page))
    assert counts(wait_done(office, job)) == (1, 0, 0, 0, 0)
    assert names(stack)["%s-2@example.test" % tag] == "Bob Babbage"


def test_known_exports_recognised(stack, office):
    tag = unique("k")
    opencats = ("First Name,Last Name,E-Mail,2nd E-Mail,Home Phone,Cell Phone,Work Phone,"
                "Address,City,State,Zip,Misc Notes,Web Site,Key Skills,Source,"
                "Current Employer\r\n"
                "\"Ada\",\"Lovelace\",\"%s-oc@example.test\",\"\",\"\",\"+44 20 7946 0002\","
                "\"\",\"\",\"London\",\"\",\"\",\"Great at maths\",\"ada.example.org\","
                "\"C, Python\",\"Referral\",\"Engines Ltd\"\r\n" % tag).encode()
    loc, page = map_page(office, upload(office, "opencats.csv", opencats))
    assert "Recognised: OpenCATS candidate export" in page
    assert (selected(page, "map_email"), selected(page, "map_phone"),
            selected(page, "map_skills"), selected(page, "map_notes"),
            selected(page, "map_url")) == ("3", "6", "14", "12", "13")
    job = job_id(start(office, page))
    assert counts(wait_done(office, job)) == (1, 0, 0, 0, 0)
    assert names(stack)["%s-oc@example.test" % tag] == "Ada Lovelace"

    linkedin = ("Notes:\n\"When exporting your connection data, you may notice that some "
                "of the email addresses are missing.\"\n\n"
                "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
                "Bob,Babbage,https://www.linkedin.com/in/bob,%s-li@example.test,Engines,"
                "Designer,01 Jan 2024\n"
                "Cat,Noemail,https://www.linkedin.com/in/cat,,Engines,Analyst,02 Jan 2024\n"
                % tag).encode()
    loc, page = map_page(office, upload(office, "Connections.csv", linkedin))
    assert "Recognised: LinkedIn connections export" in page
    assert (selected(page, "map_email"), selected(page, "map_url"),
            selected(page, "map_title")) == ("4", "3", "6")
    job = job_id(start(office, page))
    final = wait_done(office, job)
    assert counts(final) == (1, 0, 0, 0, 1)
    header, rows = report(office, job)
    assert rows[6][1] == "no email address"     # the line in the file, notes counted


def test_create_or_update_policy(stack, office):
    tag = unique("u")
    a, b, c = ("%s-%s@example.test" % (tag, x) for x in "abc")
    import_file(office, "first.csv", ("email,first,last\n%s,Ann,One\n%s,Ben,One\n"
                                      % (a, b)).encode())
    second = ("email,first,last\n%s,Ann,One\n%s,Ben,Two\n%s,Cy,Two\n" % (a, b, c)).encode()

    job, final = import_file(office, "create.csv", second, policy="create")
    assert counts(final) == (1, 0, 0, 2, 0)
    assert names(stack)[b] == "Ben One"
    header, rows = report(office, job)
    assert rows[2][1].startswith("already in Hearth: not changed")

    d = "%s-d@example.test" % tag
    job, final = import_file(office, "update.csv",
                             second.replace(c.encode(), d.encode()), policy="update")
    assert counts(final) == (0, 1, 1, 1, 0)
    assert names(stack)[b] == "Ben Two"
    assert d not in names(stack)
    header, rows = report(office, job)
    assert rows[4][1].startswith("not in Hearth: not created")

    e = "%s-e@example.test" % tag
    job, final = import_file(office, "both.csv",
                             ("email,first,last\n%s,Ben,Three\n%s,Eve,Three\n"
                              % (b.upper(), e)).encode(), policy="both")
    assert counts(final) == (1, 1, 0, 0, 0)
    assert names(stack)[b] == "Ben Three" and names(stack)[e] == "Eve Three"


# -- what people may do ---------------------------------------------------------------------

def test_form_errors(stack, office):
    # No file, an empty one, one that is not UTF-8 text: told next to the field.
    _, token = office.form("/office/import")
    r = office.post("/office/import", data={"csrf_token": token},
                    files={"file": ("", b"", "application/octet-stream")})
    assert r.status_code == 400 and field_error(r.text, "file")
    r = upload(office, "utf16.csv", "email\nada@example.test\n".encode("utf-16"), status=400)
    assert "not UTF-8" in field_error(r.text, "file")
    r = upload(office, "empty.csv", b"\r\n\r\n", status=400)
    assert "empty" in field_error(r.text, "file")
    # Legitimate interest needs its reason.
    loc, page = map_page(office, upload(office, "ok.csv", b"email\nx@example.test\n"))
    r = start(office, page, note="")
    assert r.status_code == 400
    assert field_error(r.text, "basis_note")
    # An upload address that is not one.
    assert office.get("/office/import/map?f=nothex").status_code == 400
    assert office.get("/office/import/map?f=" + "0" * 32).status_code == 404


def test_who_sees_what(stack, accounts):
    rec = signed_in(stack, accounts, "rec")
    job, final = import_file(rec, "mine.csv", b"email\nbad-address\n")
    assert counts(final) == (0, 0, 0, 0, 1)

    other = signed_in(stack, accounts, "rec2")
    assert other.get("/office/job?id=%d" % job).status_code == 403
    assert other.get("/office/import/report?id=%d" % job).status_code == 403
    assert "/office/job?id=%d\"" % job not in other.get("/office/jobs").text
    # Another's upload is not reachable by its address either.
    r = upload(rec, "x.csv", b"email\nx@example.test\n")
    assert other.get(r.headers["Location"]).status_code == 404
    token = csrf_token(other.get("/office/import").text)
    r2 = other.post("/office/job/cancel", data={"id": str(job), "csrf_token": token})
    assert r2.status_code == 403

    admin = signed_in(stack, accounts, "admin")
    assert admin.get("/office/job?id=%d" % job).status_code == 200
    assert admin.get("/office/import/report?id=%d" % job).status_code == 200

    hm = signed_in(stack, accounts, "hm")
    for path in ("/office/import", "/office/jobs", "/office/job?id=%d" % job,
                 "/office/import/report?id=%d" % job):
        assert hm.get(path).status_code == 403, path


# -- large files --------------------------------------------------------------------------

def test_shipped_limits_let_imports_through():
    """Web.MaxImport must never be refused by nginx or Apache first on /office/import."""
    from hearth_stack import REPO
    hdf = (REPO / "conf" / "hearth.hdf").read_text()
    max_import = int(re.search(r"^\s*MaxImport\s*=\s*(\d+)\s*$", hdf, re.M).group(1))
    nginx = (REPO / "conf" / "nginx" / "hearth.conf").read_text()
    apache = (REPO / "conf" / "apache" / "hearth.conf").read_text()
    loc = re.search(r"location = /office/import \{(.*?)\}", nginx, re.S).group(1)
    size = re.search(r"client_max_body_size\s+(\d+)m;", loc).group(1)
    assert int(size) * 1024 * 1024 >= max_import
    loc = re.search(r'<Location "/office/import">(.*?)</Location>', apache, re.S).group(1)
    assert int(re.search(r"LimitRequestBody\s+(\d+)", loc).group(1)) >= max_import


def test_a_file_above_the_upload_cap_is_imported(stack, office):
    # 10 MB: over Web.MaxUpload and the web servers' 8 MB for other routes.
    tag = unique("big")
    pad = "y" * (10 * 1024 * 1024)
    data = ("email,name,notes\n%s-1@example.test,One,\n%s-2@example.test,Two,\"%s\"\n"
            "%s-3@example.test,Three,\n" % (tag, tag, pad, tag)).encode()
    job, final = import_file(office, "big.csv", data)
    assert counts(final) == (2, 0, 0, 0, 1)
    header, rows = report(office, job)
    assert rows[3][1] == "cell 3 is longer than 65536 bytes"
    added = names(stack)
    assert "%s-1@example.test" % tag in added and "%s-3@example.test" % tag in added
    assert "%s-2@example.test" % tag not in added


# -- a worker killed in the middle ----------------------------------------------------------

def test_worker_killed_mid_import_resumes(stack, office):
    """kill -9 the worker daemon's working process again and again while it imports: its
    supervisor starts a new one, which goes on from the last committed step. Every row
    is in once, none twice, and the report lists no row that was imported."""
    from hearth_stack import _children
    tag = unique("kill")
    n = 12000
    rows = "".join("%s-%d@example.test,Person %d\n" % (tag, i, i) for i in range(n))
    bad = "".join("bad-%d,Bad %d\n" % (i, i) for i in range(20))
    loc, page = map_page(office, upload(office, "kill.csv",
                                        ("email,name\n" + bad + rows).encode()))
    job = job_id(start(office, page))
    top = stack.pids()["worker"]
    kills, deadline = 0, time.monotonic() + JOB_TIMEOUT
    while time.monotonic() < deadline:
        r = office.get("/office/job?id=%d" % job)
        if r.status_code == 200 and "job-done" in r.text:
            break
        kids = _children(top)
        if kids and kills < 6 and r.status_code == 200 and "job-running" in r.text:
            os.kill(kids[0], signal.SIGKILL)
            kills += 1
            time.sleep(0.7)
        time.sleep(0.1)
    final = wait_done(office, job, patient=True)
    assert kills > 0, "the import ended before the worker could be killed"
    assert counts(final) == (n, 0, 0, 0, 20)
    stored = [e for _, e, _ in stack.candidates() if e.startswith(tag)]
    assert len(stored) == n and len(set(stored)) == n
    header, rep = report(office, job)
    assert sorted(rep) == list(range(2, 22))    # each bad row once, nothing else
