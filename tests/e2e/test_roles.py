"""test_roles.py: roles and rediscovery through the real stack, behind nginx and Apache.

A recruiter opens a role (errors next to the fields first, nothing saved; a stale edit is
refused with what was typed kept), and its ranking shows the people of the CRM best first
with the reasons of each score: skills typed with other names (golang, postgres, k8s) count,
do-not-contact people are left out, people without confirmed consent are shown marked as
needing a lawful basis. Filters narrow it, paging walks the whole of it. Shortlisting keeps
the reasons shown in the audit log; a personal mail reaches the SMTP server (and is refused
for someone without consent); pipeline moves land on the person's timeline; a hiring
manager sees their own role and its people and nothing else; filling the role makes silver
medallists, listed for review and undoable; a new signup who fits an open role becomes a
notice for its owner, and the worker's daily digest mails it.
"""

import re
import subprocess

import pytest

from hearth_stack import (HEARTHCTL, REPO, Stack, csrf_token, field_error, input_value,
                          routes, shows_escaped, unescape, unique, wait_for)
from test_campaigns import Sink, text_of
from test_campaigns_office import new_pool, running_campaign
from test_profile import form_data

PASSWORD = "correct horse battery staple"
PER_PAGE = 50
TIMEOUT = 30


class Env:
    """A stack with its SMTP sink, an admin, a recruiter, two hiring managers, and a town
    of its own where this module's people live."""

    def __init__(self, server):
        self.sink = Sink()
        self.stack = None
        try:
            local = "\n".join([
                "Mail.SMTPUrl = smtp://127.0.0.1:%d" % self.sink.port,
                "Mail.RatePerSecond = 0",
                "Mail.DomainRatePerSecond = 0",
                "Campaign.QuietFrom = 0",
                "Campaign.QuietTo = 0",
                # The digest may go at any hour of the test; alerts from 60 up.
                "Match.DigestHour = 0",
                "Match.AlertThreshold = 60",
                ""])
            self.stack = Stack(server, local=local).start()
            self.email = {}
            for who, role in (("admin", "admin"), ("recruiter", "recruiter"),
                              ("hm1", "hiring_manager"), ("hm2", "hiring_manager")):
                self.email[who] = "%s-%s@example.com" % (who, unique(""))
                self.stack.add_user(self.email[who], PASSWORD, role=role)
            self.uid = self.user_ids()
            self.office = self.client("recruiter")
            self.admin = self.client("admin")
            self.town = unique("Rolesburg")
        except Exception:
            self.stop()
            raise

    def stop(self):
        try:
            if self.stack:
                self.stack.stop()
        finally:
            self.sink.stop()

    def user_ids(self):
        r = self.stack.hearthctl("user", "list")
        assert r.returncode == 0, r.stderr
        ids = {}
        for line in r.stdout.splitlines():
            uid, email = line.split("\t")[:2]
            ids[email] = int(uid)
        return {who: ids[e] for who, e in self.email.items()}

    def client(self, who):
        c = self.stack.client()
        r = c.login(self.email[who], PASSWORD)
        assert r.status_code == 303, r.text[:500]
        return c

    def worker_pass(self, offset=0):
        env = dict(self.stack.env, HEARTH_CLOCK_OFFSET=str(int(offset)))
        r = subprocess.run([str(HEARTHCTL), "worker", "--once"], capture_output=True,
                           text=True, env=env, cwd=REPO, timeout=120)
        assert r.returncode == 0, "worker --once: %s%s" % (r.stdout, r.stderr)

    def mail_to(self, address, subject=None):
        """The mails at the SMTP server to ADDRESS (subject starting SUBJECT), after
        worker passes until there is one."""
        def probe():
            found = self.sink.to(address, subject)
            if not found:
                self.worker_pass()
            return found
        return wait_for("mail to %s starting %r" % (address, subject), probe, TIMEOUT)

    # -- people ---------------------------------------------------------------------

    def join(self, first, skills, confirm=True, city=None, seniority="senior",
             interests=("engineering",)):
        """A person who signs up (and follows the confirmation link when CONFIRM):
        (id, address)."""
        address = "%s@example.org" % unique(first.lower())
        r = self.stack.client().join(first + " " + unique("Tester"), address,
                                     city=city or self.town, country="Germany",
                                     skills=skills, seniority=seniority,
                                     interests=list(interests))
        assert r.status_code == 303, r.text[:400]
        if confirm:
            (msg,) = self.mail_to(address, "Please confirm")
            link = re.search(r"https?://\S+?/confirm\?t=[A-Za-z0-9_.-]+", text_of(msg)).group(0)
            token = link.split("t=", 1)[1]
            c = self.stack.client()
            r = c.get("/confirm", params={"t": token})
            assert r.status_code == 200, r.text[:400]
            r = c.post("/confirm", data={"t": token, "csrf_token": csrf_token(r.text)})
            assert r.status_code == 303, r.text[:400]
        ids = [i for i, e, _ in self.stack.candidates() if e == address]
        assert ids, address
        return ids[0], address

    def by_hand(self, first, skills, city=None, status=None, seniority="senior"):
        """A person a recruiter adds (no consent through the community): their id."""
        r, token = self.office.form("/office/candidates/new")
        data = form_data(r.text, "/office/candidates/new")
        data.update({"first_name": first, "last_name": unique("Sourced"),
                     "email": unique("src") + "@example.org", "source": "LinkedIn",
                     "basis": "legitimate_interest", "basis_note": "Open to work",
                     "skills": skills, "city": city or self.town, "country": "Germany",
                     "seniority": seniority, "interests": "engineering",
                     "csrf_token": token})
        r = self.office.post("/office/candidates/new", data=data)
        assert r.status_code == 303, r.text[:1000]
        cid = int(re.search(r"id=(\d+)", r.headers["Location"]).group(1))
        if status:
            r = self.office.get("/office/candidate/edit", params={"id": cid})
            data = form_data(r.text, "/office/candidate/edit")
            data.update(status=status, csrf_token=csrf_token(r.text))
            r = self.office.post("/office/candidate/edit", data=data)
            assert r.status_code == 303, r.text[:1000]
        return cid

    # -- roles ----------------------------------------------------------------------

    def role_form(self, c=None, **fields):
        c = c or self.office
        r = c.get("/office/roles/new")
        assert r.status_code == 200, r.text[:500]
        data = {"title": "Senior Go engineer " + unique(""), "team": "Platform",
                "family": "engineering", "remote": "hybrid", "seniority": "senior",
                "locations": "%s, Germany" % self.town,
                "required": "golang, Postgres, k8s", "nice": "Docker: 3\nTerraform: 2",
                "description": "Build the platform.\nWith us.",
                "managers": [str(self.uid["hm1"])], "owner": str(self.uid["recruiter"]),
                "open": "1", "csrf_token": csrf_token(r.text)}
        data.update(fields)
        return c.post("/office/roles/new", data=data)

    def new_role(self, **fields):
        r = self.role_form(**fields)
        assert r.status_code == 303, r.text[:2000]
        m = re.fullmatch(r"/office/role\?id=(\d+)&done=created", r.headers["Location"])
        assert m, r.headers["Location"]
        return int(m.group(1))


@pytest.fixture(scope="module", params=["nginx", "apache"])
def env(request):
    e = Env(request.param)
    yield e
    e.stop()


def text(page):
    return " ".join(unescape(re.sub(r"<[^>]*>", " ", page)).split())


def ranking(c, role, **params):
    """The ranking page's rows: [{"id", "score", "text", "html"}], best first, and the
    page."""
    r = c.get("/office/role/matches", params={"id": role, **params})
    assert r.status_code == 200, r.text[:1000]
    rows = []
    for cid, body in re.findall(r'<li id="cand-(\d+)" class="hit">(.*?)</li>\s*(?=<li id="cand-|</ol>)',
                                r.text, re.S):
        score = int(re.search(r"score <strong>(\d+)</strong>", body).group(1))
        rows.append({"id": int(cid), "score": score, "text": text(body), "html": body})
    return rows, r.text


def shown_of(page, cid):
    """The digest of the reasons the ranking PAGE showed for CID, as its Shortlist form
    posts it."""
    m = re.search(r'<input type="hidden" name="cand" value="%d">\s*'
                  r'<input type="hidden" name="shown" value="(\w+)">' % cid, page)
    assert m, "no Shortlist form for %d on the page" % cid
    return m.group(1)


def shortlist(c, role, cid, **data):
    """Presses Shortlist for CID on the page of the role's ranking where they are, as a
    browser posts the form."""
    for n in range(1, 100):
        rows, page = ranking(c, role, page=n)
        if any(r["id"] == cid for r in rows) or 'rel="next"' not in page:
            break
    return c.post("/office/role/shortlist", data=dict({
        "role": role, "cand": cid, "shown": shown_of(page, cid),
        "csrf_token": csrf_token(page)}, **data))


def row_of(rows, cid):
    found = [r for r in rows if r["id"] == cid]
    assert found, "candidate %d is not on the page" % cid
    return found[0]


@pytest.fixture(scope="module")
def people(env):
    """The module's people, in the town of the role: who fits best to who does not."""
    p = {}
    p["ideal"] = env.join("Ideal", "golang, postgres, kubernetes, Docker, Terraform")
    p["good"] = env.join("Good", "Go, PostgreSQL", seniority="mid")
    p["weak"] = env.join("Weak", "Excel, Sales", seniority="junior",
                         interests=("sales",))
    # Signed up without confirming: shown, marked as needing a lawful basis.
    p["pending"] = env.join("Pending", "Go, PostgreSQL, k8s", confirm=False)
    p["dnc"] = (env.by_hand("Donot", "Go, PostgreSQL, Kubernetes", status="do_not_contact"),
                None)
    p["elsewhere"] = env.join("Far", "Go, PostgreSQL, Kubernetes", city="Elsewhere" + unique(""))
    return p


@pytest.fixture(scope="module")
def role(env, people):
    return env.new_role()


# -- the role -------------------------------------------------------------------------

def test_new_role_errors_next_to_fields_and_nothing_saved(env):
    before = text(env.office.get("/office/roles").text)
    r = env.role_form(title="", nice="Docker: 9\nTerraform", required="Go")
    assert r.status_code == 400, r.text[:1000]
    assert field_error(r.text, "title")
    assert "Line 1" in field_error(r.text, "nice")
    # What was typed is kept.
    assert "Docker: 9" in unescape(re.search(r'<textarea[^>]*id="nice"[^>]*>(.*?)</textarea>',
                                             r.text, re.S).group(1))
    assert input_value(r.text, "required") == "Go"
    # The hiring manager ticked stays ticked, the other not.
    ticked = re.findall(r'<input type="checkbox" name="managers" value="(\d+)"[^>]*\bchecked\b',
                        r.text)
    assert ticked == [str(env.uid["hm1"])], ticked
    assert text(env.office.get("/office/roles").text) == before


def test_role_page_shows_what_was_typed_escaped(env):
    title = "Go <b>lead</b> " + unique("")
    rid = env.new_role(title=title)
    page = env.office.get("/office/role", params={"id": rid, "done": "created"}).text
    assert shows_escaped(page, title) and "<b>lead</b>" not in page
    t = text(page)
    assert "Status Open" in t
    assert "golang, Postgres, k8s" in t
    assert "Docker (weight 3), Terraform (weight 2)" in t
    assert env.email["hm1"] in t
    # Listed, with a status filter.
    assert title in text(env.office.get("/office/roles", params={"status": "open"}).text)
    assert title not in text(env.office.get("/office/roles", params={"status": "closed"}).text)


def test_stale_edit_is_refused_and_keeps_what_was_typed(env):
    rid = env.new_role()
    page = env.office.get("/office/role/edit", params={"id": rid}).text
    data = form_data(page, "/office/role/edit")
    data["csrf_token"] = csrf_token(page)
    r = env.office.post("/office/role/edit", data=dict(data, title="First save"))
    assert r.status_code == 303, r.text[:1000]
    r = env.office.post("/office/role/edit", data=dict(data, title="Typed late"))
    assert r.status_code == 409
    assert "Someone else changed this role" in text(r.text)
    assert input_value(r.text, "title") == "Typed late"
    page = env.office.get("/office/role/edit", params={"id": rid}).text
    assert input_value(page, "title") == "First save"


def test_comments_are_listed_escaped(env):
    rid = env.new_role()
    page = env.office.get("/office/role", params={"id": rid}).text
    r = env.office.post("/office/role/comment", data={"id": rid, "text": "",
                                                       "csrf_token": csrf_token(page)})
    assert r.status_code == 400 and field_error(r.text, "text")
    r = env.office.post("/office/role/comment", data={"id": rid, "text": "Ask <i>Ann</i>",
                                                       "csrf_token": csrf_token(page)})
    assert r.status_code == 303
    page = env.office.get(r.headers["Location"].split("#")[0]).text
    assert shows_escaped(page, "Ask <i>Ann</i>") and "<i>Ann</i>" not in page
    # Paged, newest first: 20 a page.
    for i in range(20):
        assert env.office.post("/office/role/comment", data={
            "id": rid, "text": "Note %d" % i, "csrf_token": csrf_token(page)}).status_code == 303
    first = text(env.office.get("/office/role", params={"id": rid}).text)
    assert "21 comments" in first and "Note 19" in first and "Ask <i>Ann</i>" not in first
    assert "Page 1 of 2" in first
    second = text(env.office.get("/office/role", params={"id": rid, "cpage": 2}).text)
    assert "Ask <i>Ann</i>" in second and "Note 0" not in second


# -- the ranking ----------------------------------------------------------------------

def test_ranking_best_first_with_reasons(env, people, role):
    rows, page = ranking(env.office, role, city=env.town)
    ids = [r["id"] for r in rows]
    scores = [r["score"] for r in rows]
    assert scores == sorted(scores, reverse=True), scores
    ideal, good, weak = people["ideal"][0], people["good"][0], people["weak"][0]
    assert ids[0] == ideal, rows[:3]
    assert ids.index(ideal) < ids.index(good) < ids.index(weak)
    # Skills typed with other names count, shown by their canonical names.
    first = row_of(rows, ideal)["text"]
    for skill in ("Go", "PostgreSQL", "Kubernetes"):
        assert skill in first, first
    assert "missing" not in first.split("Nice to have")[0], first
    assert "missing" in row_of(rows, good)["text"]
    assert "Kubernetes" in row_of(rows, good)["text"].split("missing", 1)[1]
    # Each part of the score with its points and its reason.
    for part in ("Required skills", "Nice-to-have skills", "Seniority", "Location",
                 "Role interest", "Engagement", "History", "Freshness"):
        assert part in first, part
    assert re.search(r"\d+ of 35", first)
    # Do-not-contact people are left out; no consent: shown, marked.
    assert people["dnc"][0] not in ids
    assert "needs a lawful basis before contact" in row_of(rows, people["pending"][0])["text"]
    assert "needs a lawful basis" not in first
    # Names go through the templates' escaping: the page has no raw markup from data.
    assert "<script" not in page


def test_ranking_filters(env, people, role):
    everyone = {r["id"] for r in ranking(env.office, role)[0]}
    far = people["elsewhere"][0]
    assert far in everyone or len(everyone) == PER_PAGE
    in_town = {r["id"] for r in ranking(env.office, role, city=env.town)[0]}
    assert far not in in_town and people["ideal"][0] in in_town
    juniors = {r["id"] for r in ranking(env.office, role, city=env.town,
                                         seniority="junior")[0]}
    assert juniors == {people["weak"][0]}
    rows, page = ranking(env.office, role, city=env.town, seniority="lead")
    assert rows == [] and "No one who matches these filters" in text(page)
    # A pool of one.
    r, token = env.office.form("/office/pools")
    r = env.office.post("/office/pools/new", data={"name": unique("Pool "), "csrf_token": token})
    assert r.status_code == 303
    pool = int(re.search(r"id=(\d+)", r.headers["Location"]).group(1))
    r = env.office.post("/office/pool/member", data={"pool": pool, "cand": people["good"][0],
                                                     "add": "1", "csrf_token": token})
    assert r.status_code == 303, r.text[:500]
    assert {r["id"] for r in ranking(env.office, role, pool=pool)[0]} == {people["good"][0]}


def test_paging_through_the_whole_ranking(env, people, role):
    tag = unique("Crowd")
    for i in range(PER_PAGE + 5 - len(people)):
        env.by_hand("Crowd%d" % i, "Go, Rust", city=tag)
    first, page = ranking(env.office, role)
    m = re.search(r"(\d+) people ranked, best first; page 1 of (\d+)", text(page))
    assert m, text(page)[:600]
    total, pages = int(m.group(1)), int(m.group(2))
    assert total > PER_PAGE and pages == (total + PER_PAGE - 1) // PER_PAGE
    seen, last = [], 101
    for n in range(1, pages + 1):
        rows, page = ranking(env.office, role, page=n)
        assert len(rows) == (PER_PAGE if n < pages else total - PER_PAGE * (pages - 1))
        assert rows[0]["score"] <= last
        last = rows[-1]["score"]
        seen += [r["id"] for r in rows]
        assert ('start="%d"' % ((n - 1) * PER_PAGE + 1)) in page
    assert len(seen) == len(set(seen)) == total
    assert people["dnc"][0] not in seen
    # The pager keeps the filters.
    rows, page = ranking(env.office, role, city=tag)
    assert len(rows) == PER_PAGE + 5 - len(people)


# -- acting on it ---------------------------------------------------------------------

def test_shortlist_keeps_the_reasons_shown_in_the_audit_log(env, people, role):
    cid = people["good"][0]
    rows, page = ranking(env.office, role, city=env.town)
    shown = row_of(rows, cid)
    form = {"role": role, "cand": cid, "back": "id=%d&city=%s" % (role, env.town),
            "csrf_token": csrf_token(page)}
    # Reasons other than those the page showed are not kept: the ranking is shown again.
    r = env.office.post("/office/role/shortlist", data=dict(form, shown="0" * 16))
    assert r.status_code == 303 and "done=changed" in r.headers["Location"], r.headers
    again = env.office.get(r.headers["Location"].split("#")[0]).text
    assert "their score or its reasons changed" in text(again)
    assert "in pipeline" not in row_of(ranking(env.office, role, city=env.town)[0], cid)["text"]
    r = env.office.post("/office/role/shortlist", data=dict(form, shown=shown_of(page, cid)))
    assert r.status_code == 303, r.text[:500]
    assert "done=shortlisted" in r.headers["Location"]
    rows, _ = ranking(env.office, role, city=env.town)
    assert "in pipeline: Shortlisted" in row_of(rows, cid)["text"]
    # Twice: said, nothing doubled.
    r = env.office.post("/office/role/shortlist", data=dict(form, shown=shown_of(page, cid)))
    assert r.status_code == 303 and "done=already" in r.headers["Location"]
    # The audit entry holds the same reasons, part by part.
    a = env.admin.get("/office/audit", params={"action": "shortlist", "cand": cid})
    assert a.status_code == 200
    entry = text(a.text)
    assert "score %d" % shown["score"] in entry, entry[-1500:]
    reasons = re.findall(r"<tr><th scope=\"row\">(.*?)</th><td>(-?\d+) of (\d+)</td><td>(.*?)</td>",
                         shown["html"], re.S)
    assert len(reasons) == 8
    for part, points, top, why in reasons:
        assert "%s of %s. %s" % (points, top, text(why)) in entry, (part, entry[-1500:])
    # A do-not-contact person cannot be shortlisted.
    r = env.office.post("/office/role/shortlist", data={"role": role, "cand": people["dnc"][0],
                                                         "shown": "0" * 16,
                                                         "csrf_token": csrf_token(page)})
    assert r.status_code in (404, 409)


def test_personal_mail_reaches_the_server_and_needs_consent(env, people, role):
    cid, address = people["ideal"]
    r = env.office.get("/office/role/mail", params={"role": role, "cand": cid})
    assert r.status_code == 200, r.text[:500]
    assert input_value(r.text, "subject")
    assert "{{first_name}}" in r.text
    data = {"role": role, "cand": cid, "subject": "About {{role_title}}",
            "body": "Hello {{first_name}},\n\nWould you like to talk about {{role_title}}?",
            "csrf_token": csrf_token(r.text)}
    r = env.office.post("/office/role/mail", data=data)
    assert r.status_code == 303, r.text[:1000]
    (msg,) = env.mail_to(address, "About Senior Go engineer")
    assert text_of(msg).startswith("Hello Ideal,")
    # Written to: in the role's pipeline as contacted, and on their timeline.
    rows, _ = ranking(env.office, role, city=env.town)
    assert "in pipeline: Contacted" in row_of(rows, cid)["text"]
    prof = text(env.office.get("/office/candidate", params={"id": cid}).text)
    assert "Personal mail queued about Senior Go engineer" in prof
    # Someone who never confirmed: refused, said next to the recipient; nothing sent.
    pcid, paddress = people["pending"]
    r = env.office.post("/office/role/mail", data=dict(data, cand=pcid))
    assert r.status_code == 409, r.text[:1000]
    assert "lawful basis" in field_error(r.text, "to")
    assert input_value(r.text, "subject") == "About {{role_title}}"
    env.worker_pass()
    assert env.sink.to(paddress, "About") == []
    # An empty subject: next to it.
    r = env.office.post("/office/role/mail", data=dict(data, subject=""))
    assert r.status_code == 400 and field_error(r.text, "subject")


def test_pipeline_moves_board_list_and_timeline(env, people):
    rid = env.new_role()
    cid = people["ideal"][0]
    assert shortlist(env.office, rid, cid).status_code == 303
    board = env.office.get("/office/role/pipeline", params={"id": rid}).text
    col = re.search(r'<section class="column" aria-labelledby="col-shortlisted">(.*?)</section>',
                    board, re.S).group(1)
    assert 'id="cand-%d"' % cid in col
    r = env.office.post("/office/role/move", data={"role": rid, "cand": cid,
                                                   "stage": "interviewing", "view": "board",
                                                   "csrf_token": csrf_token(board)})
    assert r.status_code == 303, r.text[:500]
    board = env.office.get(r.headers["Location"].split("#")[0]).text
    assert "They are moved" in text(board)
    col = re.search(r'<section class="column" aria-labelledby="col-interviewing">(.*?)</section>',
                    board, re.S).group(1)
    assert 'id="cand-%d"' % cid in col
    listing = env.office.get("/office/role/pipeline", params={"id": rid, "view": "list"}).text
    row = re.search(r'<tr id="cand-%d">(.*?)</tr>' % cid, listing, re.S).group(1)
    assert "Interviewing" in text(row)
    # People join by being shortlisted: a move of someone not in it is refused, unsaved.
    outsider = people["weak"][0]
    r = env.office.post("/office/role/move", data={"role": rid, "cand": outsider,
                                                   "stage": "applied", "view": "list",
                                                   "csrf_token": csrf_token(listing)})
    assert r.status_code == 404 and "not in this role's pipeline" in text(r.text)
    listing = env.office.get("/office/role/pipeline", params={"id": rid, "view": "list"}).text
    assert 'id="cand-%d"' % outsider not in listing
    # Their page: the pipelines they are in, and the move on the timeline with who.
    prof = env.office.get("/office/candidate", params={"id": cid}).text
    pipes = text(prof.split('id="pipelines"')[1].split("</section>")[0])
    assert "Interviewing" in pipes
    tl = text(prof.split('id="timeline"')[1])
    move = re.search(r"Moved from shortlisted to interviewing for Senior Go engineer \S+ by (\S+)",
                     tl)
    assert move and move.group(1) == env.email["recruiter"], tl[:600]
    # An unknown stage is refused.
    r = env.office.post("/office/role/move", data={"role": rid, "cand": cid, "stage": "nowhere",
                                                   "csrf_token": csrf_token(board)})
    assert r.status_code == 400


def test_enrol_from_the_ranking(env, people, role):
    camp = running_campaign(env.office, new_pool(env.office),
                            ("email", {"subject_0": "Hi", "body_0": "Hello"}))
    rows, page = ranking(env.office, role, city=env.town)
    token = csrf_token(page)
    assert 'name="camp"' in row_of(rows, people["good"][0])["html"]
    r = env.office.post("/office/role/enrol", data={"role": role, "cand": people["good"][0],
                                                    "camp": camp, "csrf_token": token})
    assert r.status_code == 303, r.text[:1000]
    assert "done=enrolled" in r.headers["Location"]
    members = env.office.get("/office/campaign/members", params={"id": camp}).text
    assert "Good" in members
    # Without consent: refused, said next to their campaign choice.
    back = "id=%d&city=%s&page=1" % (role, env.town)
    r = env.office.post("/office/role/enrol", data={"role": role, "cand": people["pending"][0],
                                                    "camp": camp, "back": back,
                                                    "csrf_token": token})
    assert r.status_code == 409
    assert "not confirmed" in field_error(r.text, "camp")
    # The ranking around it is the one the form was on: its filter kept.
    assert input_value(r.text, "city") == env.town
    assert 'id="cand-%d"' % people["elsewhere"][0] not in r.text


# -- hiring managers ------------------------------------------------------------------

def test_hiring_manager_sees_own_role_and_its_people_only(env, people):
    mine = env.new_role(title="HM role " + unique(""))
    theirs = env.new_role(title="Other role " + unique(""), managers=[str(env.uid["hm2"])])
    cid, other = people["ideal"][0], people["weak"][0]
    for rid in (mine, theirs):
        assert shortlist(env.office, rid, cid).status_code == 303
    # A personal mail about the other role: its subject names it.
    r = env.office.get("/office/role/mail", params={"role": theirs, "cand": cid})
    r = env.office.post("/office/role/mail", data={
        "role": theirs, "cand": cid, "subject": "About the Other role", "body": "Hello",
        "csrf_token": csrf_token(r.text)})
    assert r.status_code == 303, r.text[:1000]
    hm = env.client("hm1")
    home = hm.get("/office/")
    assert home.status_code == 200
    assert "HM role" in text(home.text) and "Other role" not in text(home.text)
    assert "Other role" not in text(hm.get("/office/roles").text)
    for path, params in (("/office/role", {"id": mine}),
                         ("/office/role/pipeline", {"id": mine}),
                         ("/office/role/pipeline", {"id": mine, "view": "list"}),
                         ("/office/candidate", {"id": cid})):
        r = hm.get(path, params=params)
        assert r.status_code == 200, (path, r.status_code)
    assert "Move" not in text(hm.get("/office/role/pipeline", params={"id": mine}).text)
    prof = hm.get("/office/candidate", params={"id": cid}).text
    assert "Log a touchpoint" not in prof and "Consent ledger" not in prof
    # Their page names this manager's role, never the other one they are in.
    assert "HM role" in text(prof) and "Other role" not in prof
    assert "a role you are not a hiring manager for" in text(prof)
    assert "Other role" in env.office.get("/office/candidate", params={"id": cid}).text
    token = csrf_token(prof)
    # Not theirs: 403, the same for a role or person that does not exist.
    for path, params in (("/office/role", {"id": theirs}),
                         ("/office/role/pipeline", {"id": theirs}),
                         ("/office/role", {"id": 99999999}),
                         ("/office/role/matches", {"id": mine}),
                         ("/office/role/edit", {"id": mine}),
                         ("/office/role/mail", {"role": mine, "cand": cid}),
                         ("/office/roles/new", {}),
                         ("/office/candidate", {"id": other}),
                         ("/office/candidate", {"id": 99999999}),
                         ("/office/candidates", {})):
        r = hm.get(path, params=params)
        assert r.status_code == 403, (path, params, r.status_code)
        assert "Other role" not in r.text
    for path, data in (("/office/role/move", {"role": mine, "cand": cid, "stage": "offer"}),
                       ("/office/role/shortlist", {"role": mine, "cand": other}),
                       ("/office/role/state", {"id": mine, "status": "closed"}),
                       ("/office/role/comment", {"id": theirs, "text": "sneaky"}),
                       ("/office/role/mail", {"role": mine, "cand": cid, "subject": "x",
                                              "body": "y"})):
        r = hm.post(path, data=dict(data, csrf_token=token))
        assert r.status_code == 403, (path, r.status_code)
    # They may comment on their own role.
    r = hm.post("/office/role/comment", data={"id": mine, "text": "Strong profile",
                                              "csrf_token": token})
    assert r.status_code == 303
    assert "Strong profile" in text(env.office.get("/office/role", params={"id": mine}).text)


def test_role_routes_allow_hiring_managers_only_where_handlers_check():
    table = {(m, p): flags for m, p, flags in routes("office")}
    staff = {"admin", "recruiter"}
    for route in [("GET", "/office/roles/new"), ("POST", "/office/roles/new"),
                  ("GET", "/office/role/edit"), ("POST", "/office/role/edit"),
                  ("POST", "/office/role/state"), ("POST", "/office/role/silver/undo"),
                  ("GET", "/office/role/matches"), ("POST", "/office/role/shortlist"),
                  ("GET", "/office/role/mail"), ("POST", "/office/role/mail"),
                  ("POST", "/office/role/enrol"), ("POST", "/office/role/move")]:
        roles = [f for f in table[route] if f.startswith("roles=")]
        assert roles and set(roles[0][6:].split("+")) == staff, route


# -- filling a role, and what comes after ---------------------------------------------

def test_filling_a_role_marks_silver_medallists_for_review(env, people):
    rid = env.new_role()
    ideal, good, weak = people["ideal"][0], people["good"][0], people["weak"][0]
    page = env.office.get("/office/role/matches", params={"id": rid}).text
    token = csrf_token(page)
    for cid, stage in ((good, "offer"), (weak, "interviewing"), (people["pending"][0],
                                                                    "contacted")):
        assert shortlist(env.office, rid, cid).status_code == 303
        r = env.office.post("/office/role/move", data={"role": rid, "cand": cid, "stage": stage,
                                                       "csrf_token": token})
        assert r.status_code == 303, r.text[:500]
    r = env.office.post("/office/role/state", data={"id": rid, "status": "filled",
                                                    "csrf_token": token})
    assert r.status_code == 303, r.text[:500]
    page = env.office.get(r.headers["Location"]).text
    assert "Status Filled" in text(page)
    silver = re.search(r'<ul class="silver">(.*?)</ul>', page, re.S).group(1)
    marked = {int(i) for i in re.findall(r'/office/candidate\?id=(\d+)', silver)}
    assert marked == {good, weak}
    assert ideal not in marked
    # A reviewed mark undone: off the list.
    r = env.office.post("/office/role/silver/undo", data={"id": rid, "cand": weak,
                                                          "csrf_token": token})
    assert r.status_code == 303
    page = env.office.get(r.headers["Location"].split("#")[0]).text
    silver = re.search(r'<ul class="silver">(.*?)</ul>', page, re.S).group(1)
    assert {int(i) for i in re.findall(r'/office/candidate\?id=(\d+)', silver)} == {good}
    # A filled role may only be reopened.
    buttons = re.findall(r'<button type="submit" name="status" value="(\w+)"', page)
    assert buttons == ["open"], buttons


def test_new_signup_who_fits_an_open_role_is_a_notice_and_in_the_digest(env):
    title = "Alert role " + unique("")
    rid = env.new_role(title=title, threshold="50")
    cid, _ = env.join("Newcomer", "golang, Postgres, Kubernetes, Docker", confirm=False)
    notices = wait_for("the new-match notice", lambda: (
        lambda p: p if "/office/role/matches?id=%d" % rid in p else None)(
        env.office.get("/office/notices").text), TIMEOUT)
    item = re.search(r'<li[^>]*>((?:(?!</li>).)*?/office/role/matches\?id=%d(?:(?!</li>).)*)</li>'
                     % rid, notices, re.S).group(1)
    assert "/office/candidate?id=%d" % cid in item
    # The worker's daily digest mails the owner their alerts, once a day: a pass
    # tomorrow (the stack's own worker may have sent today's before this alert).
    def digests():
        return [m for m in env.sink.to(env.email["recruiter"]) if title in text_of(m)]

    def probe():
        env.worker_pass(86400)
        return digests()
    (msg,) = wait_for("the digest mail naming %s" % title, probe, TIMEOUT)
    assert "/office/role/matches?id=%d" % rid in text_of(msg) or title in text_of(msg)
    env.worker_pass(86400)
    assert len(digests()) == 1
