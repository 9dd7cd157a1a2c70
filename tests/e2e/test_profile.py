"""test_profile.py: a candidate's profile in the back office, through the real stack.

Adding a sourced candidate by hand, editing every field with bad and good values (the
error next to its field, nothing changed), a form filled in before someone else saved,
touchpoints and notes on the timeline, stale records and "verify contact details", the
candidate's export and erasure, and hiring managers kept out of all of it.
"""

import html.parser
import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest

from hearth_stack import csrf_token, field_error, shows_escaped, unique
from test_community import Outbox, join_and_confirm, link_in, local, token_of, export, _grep

PASSWORD = "correct horse battery staple"
DELIVERY_TIMEOUT = 20


# -- helpers ---------------------------------------------------------------------------

class _FormData(html.parser.HTMLParser):
    """What a browser would send for the form whose action is ACTION: text inputs and
    hidden ones by value, ticked checkboxes, the selected option of each select (the
    first when none is), textareas by their text."""

    def __init__(self, action):
        super().__init__(convert_charrefs=True)
        self.action = action
        self.inside = False
        self.data = []
        self._select = None         # [name, first value, selected value]
        self._textarea = None       # [name, text]

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self.inside = a.get("action") == self.action
        if not self.inside:
            return
        if tag == "input" and "name" in a and a["name"] != "csrf_token":
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.data.append((a["name"], a.get("value", "on")))
            elif kind not in ("submit", "button", "file"):
                self.data.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self._select = [a["name"], None, None]
        elif tag == "option" and self._select is not None:
            if self._select[1] is None:
                self._select[1] = a.get("value", "")
            if "selected" in a:
                self._select[2] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = [a["name"], ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select is not None:
            name, first, chosen = self._select
            self.data.append((name, chosen if chosen is not None else first or ""))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.data.append(tuple(self._textarea))
            self._textarea = None


def form_data(page, action):
    """The fields of the form posting to ACTION on PAGE as {name: value or [values]}."""
    p = _FormData(action)
    p.feed(page)
    p.close()
    out = {}
    for name, value in p.data:
        if name in out:
            out[name] = out[name] if isinstance(out[name], list) else [out[name]]
            out[name].append(value)
        else:
            out[name] = value
    assert out, "no form posting to %s on the page" % action
    return out


def login(stack, role="recruiter"):
    email = "%s-%s@example.org" % (role, unique(""))
    stack.add_user(email, PASSWORD, role=role)
    c = stack.client()
    assert c.login(email, PASSWORD).status_code == 303
    c.email = email
    return c


@pytest.fixture(scope="module")
def office(stack):
    return login(stack)


def new_candidate(office, **fields):
    """Adds a candidate by hand, the form as it comes (its owner: who adds them) filled
    in with FIELDS over some defaults; returns their id."""
    r, token = office.form("/office/candidates/new")
    data = form_data(r.text, "/office/candidates/new")
    data.update({"first_name": "Sam", "last_name": "Sourced " + unique(""),
                 "email": unique("sourced") + "@example.org", "source": "LinkedIn",
                 "basis": "legitimate_interest",
                 "basis_note": "Public profile says open to work", "csrf_token": token})
    data.update(fields)
    r = office.post("/office/candidates/new", data=data)
    assert r.status_code == 303, r.text[:2000]
    m = re.fullmatch(r"/office/candidate\?id=(\d+)&done=new", r.headers["Location"])
    assert m, r.headers["Location"]
    return int(m.group(1))


def profile(office, cid, **params):
    r = office.get("/office/candidate", params={"id": cid, **params})
    assert r.status_code == 200, r.text[:500]
    return r.text


def edit_form(office, cid):
    r = office.get("/office/candidate/edit", params={"id": cid})
    assert r.status_code == 200, r.text[:500]
    return r.text, form_data(r.text, "/office/candidate/edit")


def timeline(page):
    """The timeline's entries as the text a person reads, newest first."""
    m = re.search(r'<ol class="timeline">(.*?)</ol>', page, re.S)
    if not m:
        return []
    items = re.findall(r"<li[^>]*>(.*?)</li>", m.group(1), re.S)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", i)).split()) for i in items]


def listed(office, **params):
    """The candidate ids the list shows (first page) for the filter PARAMS."""
    r = office.get("/office/candidates", params=params)
    assert r.status_code == 200, r.text[:500]
    return {int(i) for i in re.findall(r'href="/office/candidate\?id=(\d+)"', r.text)}


def post_on_profile(office, cid, action, fields):
    page = profile(office, cid)
    return office.post(action, data={**fields, "csrf_token": csrf_token(page)})


# -- adding a candidate by hand ------------------------------------------------------------

def test_adding_a_sourced_candidate_needs_source_and_basis(stack, office):
    r, token = office.form("/office/candidates/new")
    assert 'name="status"' not in r.text          # added by hand: always "sourced"
    email = unique("new") + "@example.org"
    before = stack.candidate_emails()
    r = office.post("/office/candidates/new", data={
        "first_name": "Nora", "last_name": "New", "email": email, "csrf_token": token})
    assert r.status_code == 400
    assert "where this candidate came from" in field_error(r.text, "source")
    assert "lawful basis" in field_error(r.text, "basis")
    # What was typed stays in the form.
    assert form_data(r.text, "/office/candidates/new")["email"] == email
    r = office.post("/office/candidates/new", data={
        "first_name": "Nora", "last_name": "New", "email": email, "source": "Referral",
        "basis": "consent", "csrf_token": token})
    assert r.status_code == 400
    assert "how consent was obtained" in field_error(r.text, "basis_note")
    assert stack.candidate_emails() == before

    cid = new_candidate(office, first_name="Nora", last_name="New", email=email,
                        source="Referral", basis="consent",
                        basis_note="Agreed by phone on Monday", title="Data Engineer",
                        tags="Python, ex-colleague", interests="data")
    page = profile(office, cid, done="new")
    assert "The candidate is added." in page
    for text in ("Nora New", email, "Sourced", "Referral", "Data Engineer",
                 "Agreed by phone on Monday", "ex-colleague", "Data and analytics"):
        assert shows_escaped(page, text), text
    # The recruiter who added them owns them unless they chose otherwise.
    assert re.search(r"<dt>Owner</dt><dd>%s</dd>" % re.escape(office.email), page)
    assert any("Added by hand (source: Referral) by %s" % office.email in e
               for e in timeline(page))
    assert email in stack.candidate_emails()


def test_a_known_email_is_refused_with_a_link_to_its_profile(stack, office):
    email = unique("dupe") + "@example.org"
    cid = new_candidate(office, email=email)
    r, token = office.form("/office/candidates/new")
    r = office.post("/office/candidates/new", data={
        "first_name": "Twin", "email": email.upper(), "source": "Event",
        "basis": "legitimate_interest", "basis_note": "Met at the event",
        "csrf_token": token})
    assert r.status_code == 400
    assert "already a candidate" in field_error(r.text, "email")
    assert 'href="/office/candidate?id=%d"' % cid in r.text
    # A member of the talent community is found the same way.
    address, _ = join_and_confirm(stack)
    r = office.post("/office/candidates/new", data={
        "first_name": "Again", "email": address, "source": "Event",
        "basis": "legitimate_interest", "basis_note": "Met at the event",
        "csrf_token": token})
    assert r.status_code == 400 and field_error(r.text, "email")
    assert stack.candidate_emails().count(address) == 1


# -- editing --------------------------------------------------------------------------------

LONG = "x" * 130


def test_every_field_refuses_a_bad_value_and_keeps_a_good_one(stack, office):
    cid = new_candidate(office, first_name="Edith", last_name="Editable " + unique(""))
    other = unique("other") + "@example.org"
    new_candidate(office, email=other)
    hm = login(stack, "hiring_manager")
    colleague = login(stack)
    page, original = edit_form(office, cid)
    assert original["owner"] == next(i for i, e in _owner_options(page) if e == office.email)
    colleague_id = next(i for i, e in _owner_options(page) if e == colleague.email)
    bad = [
        ({"first_name": "", "last_name": ""}, "first_name", "name"),
        ({"email": "not-an-address"}, "email", "email address"),
        ({"email": other}, "email", "already a candidate"),
        ({"phone": "call me maybe"}, "phone", "phone number"),
        ({"title": LONG}, "title", "too long"),
        ({"city": LONG}, "city", "too long"),
        ({"country": LONG}, "country", "too long"),
        ({"seniority": "wizard"}, "seniority", "options"),
        ({"interests": ["astrology"]}, "interests", "options"),
        ({"skills": "a skill with a name much longer than forty characters"}, "skills",
         "at most"),
        ({"url": "javascript:alert(1)"}, "url", "web address"),
        ({"source": ""}, "source", "came from"),
        ({"tags": "fine, %s" % ("t" * 41)}, "tags", "cannot be a tag"),
        ({"owner": "4000000"}, "owner", "no such user"),
        ({"status": "famous"}, "status", "options"),
        ({"basis": ""}, "basis", "lawful basis"),
        ({"basis": "legitimate_interest", "basis_note": ""}, "basis_note",
         "legitimate interest"),
    ]
    token = csrf_token(edit_form(office, cid)[0])
    for change, field, words in bad:
        r = office.post("/office/candidate/edit",
                        data={**original, **change, "csrf_token": token})
        assert r.status_code == 400, (field, r.status_code)
        msg = field_error(r.text, field)
        assert msg and words in msg, (field, msg)
        # What was typed is shown again, and nothing was saved.
        if isinstance(change.get(field), str) and field not in ("seniority", "status",
                                                                  "basis", "owner"):
            assert form_data(r.text, "/office/candidate/edit")[field] == change[field]
        assert edit_form(office, cid)[1] == original, field
    # A hiring manager cannot own candidates (they are not even offered).
    assert hm.email not in [e for _, e in _owner_options(edit_form(office, cid)[0])]

    good = {"first_name": "Edith", "last_name": "Changed", "email": unique("e") + "@example.org",
            "phone": "+44 20 7946 0958", "title": "Head of <Data>", "city": "Porto",
            "country": "Portugal", "remote": "1", "seniority": "lead",
            "interests": ["data", "engineering"], "skills": "SQL, dbt",
            "url": "https://www.linkedin.com/in/edith-changed", "source": "Meetup",
            "tags": "Python, Alumni", "owner": colleague_id, "status": "interviewing",
            "basis": "consent", "basis_note": "Said yes at the meetup"}
    r = office.post("/office/candidate/edit", data={**original, **good, "csrf_token": token})
    assert r.status_code == 303, r.text[:2000]
    assert r.headers["Location"] == "/office/candidate?id=%d&done=edit" % cid
    _, now = edit_form(office, cid)
    for k, v in good.items():
        want = {"tags": "python, alumni", "skills": "sql, dbt"}.get(k, v)
        if k == "interests":        # shown in the configured order
            assert sorted(now[k]) == sorted(v)
        else:
            assert now[k] == want, (k, now[k])
    page = profile(office, cid, done="edit")
    assert "Your changes are saved." in page
    assert shows_escaped(page, "Head of <Data>") and "Head of <Data>" not in page
    assert "Interviewing" in page and "Said yes at the meetup" in page
    entries = timeline(page)
    assert any("Status: Sourced → Interviewing" in e for e in entries)
    assert any("Owner: %s by %s" % (colleague.email, office.email) in e
               for e in entries)
    edited = [e for e in entries if "Details edited:" in e]
    assert len(edited) == 1 and office.email in edited[0]
    for name in ("last_name", "email", "phone", "title", "city", "skills", "tags", "basis"):
        assert name in edited[0], name
    # The old address is free again.
    new_candidate(office, email=original["email"])


def _owner_options(page):
    """(id, email) of each owner the edit form offers."""
    m = re.search(r'<select id="owner"[^>]*>(.*?)</select>', page, re.S)
    assert m, "no owner select"
    return [(v, html.unescape(t)) for v, t in
            re.findall(r'<option value="(\d+)"[^>]*>([^<]*)</option>', m.group(1))]


def test_a_form_filled_in_before_another_save_is_refused(stack, office):
    cid = new_candidate(office)
    page, a = edit_form(office, cid)
    _, b = edit_form(office, cid)
    token = csrf_token(page)
    r = office.post("/office/candidate/edit", data={**a, "city": "Lisbon", "csrf_token": token})
    assert r.status_code == 303
    r = office.post("/office/candidate/edit", data={**b, "city": "Madrid", "title": "CTO",
                                                    "csrf_token": token})
    assert r.status_code == 409
    assert "Someone else changed this profile" in r.text
    assert "Saved by someone else meanwhile: Lisbon" in r.text
    again = form_data(r.text, "/office/candidate/edit")
    assert again["city"] == "Madrid" and again["title"] == "CTO"     # nothing typed is lost
    assert edit_form(office, cid)[1]["city"] == "Lisbon"             # nothing saved
    # Saving the form as shown again keeps what was typed.
    r = office.post("/office/candidate/edit", data={**again, "csrf_token": token})
    assert r.status_code == 303
    assert edit_form(office, cid)[1]["city"] == "Madrid"


# -- touchpoints and notes ---------------------------------------------------------------

def test_touchpoints_and_notes_go_on_the_timeline(stack, office):
    cid = new_candidate(office)
    assert "<dt>Engagement</dt><dd>cold, score 0.0</dd>" in profile(office, cid)
    r = post_on_profile(office, cid, "/office/candidate/touch",
                        {"id": cid, "touch_kind": "call_no_answer"})
    assert r.status_code == 303
    assert "<dt>Engagement</dt><dd>cold, score 0.0</dd>" in profile(office, cid)
    r = post_on_profile(office, cid, "/office/candidate/touch",
                        {"id": cid, "touch_kind": "call_answered",
                         "touch_text": "Keen on the platform team"})
    assert r.status_code == 303
    assert r.headers["Location"] == "/office/candidate?id=%d&done=touch" % cid
    page = profile(office, cid)
    # An engaging touchpoint logged by hand scores 5: hot (issue 5's score).
    assert re.search(r"<dt>Engagement</dt><dd>hot, score 5\.0, last \d\d \w+ \d{4}", page)
    entries = timeline(page)
    assert entries[0] == "%s Call: they answered by %s Keen on the platform team" % (
        entries[0].split(" Call:")[0], office.email)
    # A day in the future, or not a day, is an error next to the field; nothing is logged.
    for day in ("2999-01-01", "yesterday"):
        r = post_on_profile(office, cid, "/office/candidate/touch",
                            {"id": cid, "touch_kind": "meeting_held",
                             "touch_day": day, "touch_text": "kept"})
        assert r.status_code == 400
        assert "YYYY-MM-DD" in field_error(r.text, "touch_day")
        assert form_data(r.text, "/office/candidate/touch")["touch_text"] == "kept"
    r = post_on_profile(office, cid, "/office/candidate/touch",
                        {"id": cid, "touch_kind": "fax_sent"})
    assert r.status_code == 400 and field_error(r.text, "touch_kind")
    # A day in the past is kept as that day.
    r = post_on_profile(office, cid, "/office/candidate/touch",
                        {"id": cid, "touch_kind": "event_attended",
                         "touch_day": "2024-03-05"})
    assert r.status_code == 303
    r = post_on_profile(office, cid, "/office/candidate/note", {"id": cid, "note": ""})
    assert r.status_code == 400 and "write the note" in field_error(r.text, "note")
    word = unique("zebra")
    r = post_on_profile(office, cid, "/office/candidate/note",
                        {"id": cid, "note": "Mentioned %s <b>twice</b>" % word})
    assert r.status_code == 303
    page = profile(office, cid, done="note")
    assert "The note is on the timeline." in page
    entries = timeline(page)
    assert "Note by %s Mentioned %s <b>twice</b>" % (office.email, word) in entries[0]
    assert shows_escaped(page, "Mentioned %s <b>twice</b>" % word)
    assert "<b>twice</b>" not in page
    # The list's free-text search finds the note's words, and only there.
    assert listed(office, q=word) == {cid}
    assert listed(office, q="%s -sam" % word) == set()
    assert listed(office, q="platform team %s" % word) == {cid}     # the call's summary
    # Newest first by when it happened: the event of 2024 is the oldest.
    assert [re.sub(r"^\d\d \w+ \d{4}, [\d:]+ UTC ", "", e).split(" by " + office.email)[0]
            for e in entries] == ["Note", "Call: they answered", "Call: no answer",
                                  "Added by hand (source: LinkedIn)", "Attended an event"]
    assert entries[-1].startswith("05 Mar 2024, 12:00:00 UTC Attended an event")


def test_the_timeline_comes_in_pages(stack, office):
    cid = new_candidate(office)
    for i in range(24):
        r = post_on_profile(office, cid, "/office/candidate/note",
                            {"id": cid, "note": "note number %d" % i})
        assert r.status_code == 303
    first = profile(office, cid)
    assert "25 entries, newest first." in first
    entries = timeline(first)
    assert len(entries) == 20 and "note number 23" in entries[0]
    m = re.search(r'<a rel="next" href="([^"]+)">Older</a>', first)
    assert m
    second = office.get(html.unescape(m.group(1)).split("#")[0]).text
    entries = timeline(second)
    assert len(entries) == 5
    assert "note number 3" in entries[0] and "Added by hand" in entries[-1]


# -- stale records ---------------------------------------------------------------------------

def test_stale_records_are_flagged_and_verified(stack, office):
    cid = new_candidate(office)
    assert 'id="stale"' not in profile(office, cid)
    # The worker's daily pass, as it will run thirteen months from now.
    later = int(time.time()) + 400 * 86400
    r = stack.hearthctl("fresh", "--at", later)
    assert r.returncode == 0, r.stderr
    assert re.search(r"now stale [1-9]", r.stdout), r.stdout
    page = profile(office, cid)
    assert 'id="stale"' in page and "may be out of date" in page
    assert cid in listed(office, stale="1", q="sourced")
    r = post_on_profile(office, cid, "/office/candidate/verify", {"id": cid})
    assert r.status_code == 303
    page = profile(office, cid, done="verify")
    assert 'id="stale"' not in page
    assert "Their contact details are marked as checked." in page
    assert re.fullmatch(r".* UTC Contact details verified by %s" % re.escape(office.email),
                        timeline(page)[0])
    assert cid not in listed(office, stale="1", q="sourced")
    # The same pass at today's date clears what it flagged for the other tests.
    assert stack.hearthctl("fresh").returncode == 0


# -- data rights ---------------------------------------------------------------------------

def test_export_has_the_touchpoints_and_erasure_removes_them(stack, office):
    name = "Tilda Timeline" + unique("")
    address, prefs = join_and_confirm(stack, name=name)
    cid = next(c for c, e, _ in stack.candidates() if e == address)
    secret = unique("whisper")
    r = post_on_profile(office, cid, "/office/candidate/note",
                        {"id": cid, "note": "Told us about %s" % secret})
    assert r.status_code == 303
    r = post_on_profile(office, cid, "/office/candidate/touch",
                        {"id": cid, "touch_kind": "email_reply"})
    assert r.status_code == 303
    doc = export(stack, prefs, address, 1)
    kinds = [(t["kind"], t.get("detail", {}).get("outcome")) for t in doc["touchpoints"]]
    assert kinds == [("note", None), ("email", "reply")]
    assert doc["touchpoints"][0]["text"] == "Told us about %s" % secret
    assert doc["touchpoints"][0]["by_name"] == office.email
    # Who looked at and changed their record is in it too.
    actions = [a["action"] for a in doc["audit"]]
    assert actions.count("touchpoint") == 2 and "view" in actions
    assert all(a["cand"] == cid for a in doc["audit"])
    # Erasure: the touchpoints go with the rest, down to the bytes in the files.
    c = stack.client()
    r = c.get(prefs)
    r = c.post("/preferences/request", data={"t": token_of(prefs), "kind": "erase",
                                             "csrf_token": csrf_token(r.text)})
    assert r.status_code == 200
    link = link_in(Outbox(stack).wait(address, 3), "/erase")
    db = stack.var / "db"
    assert stack.hearthctl("worker", "--once").returncode == 0      # a checkpoint
    assert _grep(db, [secret]) == {secret}, "the control grep found nothing"
    scrubs = stack.log().count("scrubbed")
    r = c.get(local(link))
    r = c.post("/erase", data={"t": token_of(link), "csrf_token": csrf_token(r.text)})
    assert r.status_code == 200 and "erased" in r.text
    assert office.get("/office/candidate", params={"id": cid}).status_code == 404
    deadline = time.monotonic() + DELIVERY_TIMEOUT
    while time.monotonic() < deadline and stack.log().count("scrubbed") == scrubs:
        time.sleep(0.2)
    assert stack.log().count("scrubbed") > scrubs
    assert _grep(db, [secret, address]) == set()
    assert stack.hearthctl("verify").returncode == 0


# -- audit ----------------------------------------------------------------------------------

def test_every_action_on_a_profile_is_in_the_audit_log(stack, office):
    cid = new_candidate(office)
    profile(office, cid)
    page, data = edit_form(office, cid)
    assert office.post("/office/candidate/edit", data={**data, "title": "Chef",
                       "csrf_token": csrf_token(page)}).status_code == 303
    for action, fields in (("/office/candidate/touch", {"touch_kind": "sms_sent"}),
                           ("/office/candidate/note", {"note": "audited"}),
                           ("/office/candidate/verify", {})):
        assert post_on_profile(office, cid, action, {"id": cid, **fields}).status_code == 303
    admin = login(stack, "admin")
    r = admin.get("/office/audit", params={"cand": cid})
    assert r.status_code == 200
    rows = re.findall(r"<tr><td><time[^>]*>[^<]*</time></td><td>([^<]*)</td><td>[^<]*</td>"
                      r"<td>([a-z_]+)</td>", r.text)
    assert rows, r.text[:3000]
    assert {who for who, _ in rows} == {office.email}
    actions = [a for _, a in rows]
    for want, n in (("create", 1), ("edit", 2), ("touchpoint", 2)):
        assert actions.count(want) == n, (want, actions)
    assert actions.count("view") == 4     # each GET of the profile page


def test_empty_or_forged_forms_get_400_and_change_nothing(stack, office):
    cid = new_candidate(office)
    page = profile(office, cid)
    token = csrf_token(page)
    before = timeline(page)
    for path in ("/office/candidate/edit", "/office/candidate/touch", "/office/candidate/note",
                 "/office/candidate/verify", "/office/candidates/new"):
        r = office.post(path, data={"csrf_token": token})
        assert r.status_code == 400, (path, r.status_code)
    # An id that is no candidate's.
    for path, fields in (("/office/candidate/note", {"note": "x"}),
                         ("/office/candidate/verify", {}),
                         ("/office/candidate/touch", {"touch_kind": "sms_sent"})):
        r = office.post(path, data={"id": "999999", "csrf_token": token, **fields})
        assert r.status_code == 404, (path, r.status_code)
    assert office.get("/office/candidate/edit").status_code == 400
    assert office.get("/office/candidate/edit", params={"id": 999999}).status_code == 404
    assert office.get("/office/candidate", params={"id": cid, "tl": "x"}).status_code == 400
    assert timeline(profile(office, cid)) == before


# -- who may --------------------------------------------------------------------------------

def test_hiring_managers_get_403_everywhere_here(stack, office):
    cid = new_candidate(office)
    hm = login(stack, "hiring_manager")
    # A page of theirs to take a CSRF token from: the 403 page has the sign-out form.
    r = hm.get("/office/candidate", params={"id": cid})
    assert r.status_code == 403
    token = csrf_token(r.text)
    for path in ("/office/candidate", "/office/candidate/edit", "/office/candidates/new"):
        assert hm.get(path, params={"id": cid}).status_code == 403, path
    before = timeline(profile(office, cid))
    _, data = edit_form(office, cid)
    posts = {
        "/office/candidate/edit": {**data, "city": "Nowhere"},
        "/office/candidate/touch": {"id": cid, "touch_kind": "call_answered"},
        "/office/candidate/note": {"id": cid, "note": "should not be here"},
        "/office/candidate/verify": {"id": cid},
        "/office/candidates/new": {"first_name": "No", "email": unique("no") + "@example.org",
                                   "source": "x", "basis": "legitimate_interest",
                                   "basis_note": "x"},
    }
    for path, fields in posts.items():
        r = hm.post(path, data={**fields, "csrf_token": token})
        assert r.status_code == 403, path
    assert timeline(profile(office, cid)) == before
    assert edit_form(office, cid)[1]["city"] == ""
