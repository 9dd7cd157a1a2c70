"""test_campaigns_office.py: the back office's campaign pages through the real stack (nginx).

A recruiter makes a campaign and its steps, meets errors next to the fields (nothing
saved), a stale save (409, what was typed kept), starts, pauses, resumes and archives
it, enrols a confirmed candidate by hand and sees where they are on their profile,
previews a step with that candidate's real data (a name with markup in it, escaped),
sends a test to themselves and reads it in the outbox. Hiring managers open none of
these pages. The signature of "My account" is kept.
"""

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from hearth_stack import (Stack, csrf_token, field_error, input_value, parse_form, routes,
                          shows_escaped, unique, unescape, wait_for, wait_for_mail)

PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def stack():
    s = Stack("nginx").start()
    yield s
    s.stop()


@pytest.fixture(scope="module")
def accounts(stack):
    out = {}
    for role in ("recruiter", "hiring_manager"):
        out[role] = "%s@example.com" % unique(role.replace("_", ""))
        stack.add_user(out[role], PASSWORD, role=role)
    return out


@pytest.fixture(scope="module")
def office(stack, accounts):
    c = stack.client()
    assert c.login(accounts["recruiter"], PASSWORD).status_code == 303
    return c


def text(page):
    return " ".join(unescape(re.sub(r"<[^>]*>", " ", page)).split())


def confirmed(stack, first, last):
    """A candidate who joined and confirmed through the mail's link: (id, email)."""
    address = unique("cand") + "@example.org"
    c = stack.client()
    r = c.join("x", address, first_name=first, last_name=last)
    assert r.status_code == 303, r.text[:400]
    mail = wait_for_mail(stack.var / "outbox", address, subject="Please confirm")
    body = mail.get_body(("plain",)).get_content()
    link = re.search(r"https?://\S+?/confirm\?t=[A-Za-z0-9_.-]+", body).group(0)
    token = parse_qs(urlsplit(link).query)["t"][0]
    r = c.get("/confirm", params={"t": token})
    assert r.status_code == 200
    r = c.post("/confirm", data={"t": token, "csrf_token": csrf_token(r.text)})
    assert r.status_code == 303, r.text[:400]
    cid = [i for i, e, _ in stack.candidates() if e == address][0]
    return cid, address


def new_pool(office):
    r, token = office.form("/office/pools")
    r = office.post("/office/pools/new", data={"name": unique("Pool "), "csrf_token": token})
    assert r.status_code == 303
    return int(parse_qs(urlsplit(r.headers["Location"]).query)["id"][0])


def new_campaign(office, name=None):
    _, token = office.form("/office/campaigns")
    r = office.post("/office/campaigns/new", data={"name": name or unique("Camp "),
                                                   "csrf_token": token})
    assert r.status_code == 303, r.text[:500]
    loc = r.headers["Location"]
    assert loc.startswith("/office/campaign?id=")
    return int(parse_qs(urlsplit(loc).query)["id"][0])


def editor(office, camp):
    r = office.get("/office/campaign", params={"id": camp})
    assert r.status_code == 200, r.text[:500]
    return r.text


def gen_of(page):
    return input_value(page, "gen")


def save_settings(office, camp, **changes):
    page = editor(office, camp)
    data = {"id": camp, "gen": gen_of(page), "name": input_value(page, "name"),
            "from": "9", "to": "17", "weekdays": "1", "csrf_token": csrf_token(page)}
    data.update(changes)
    return office.post("/office/campaign/save", data=data)


def add_step(office, camp, kind, **fields):
    r = office.get("/office/campaign/step", params={"id": camp, "add": kind})
    assert r.status_code == 200, r.text[:500]
    data = {n: a.get("value", "") for n, a in parse_form(r.text).inputs
            if a.get("type") == "hidden"}
    data.update(op="save", **fields)
    return office.post("/office/campaign/step", data=data)


def steps_of(page):
    """The editor's steps as their words, in order."""
    m = re.search(r'<ol class="steps">(.*?)</ol>', page, re.S)
    if not m:
        return []
    return [text(li).split(" Edit")[0] for li in re.findall(r"<li[^>]*>(.*?)</li>", m.group(1),
                                                            re.S)]


def kinds(page):
    return [s.split(":")[0].strip() for s in steps_of(page)]


def test_campaign_with_steps_in_order(office):
    pool = new_pool(office)
    camp = new_campaign(office, "Welcome " + unique())
    assert "made, as a draft" in text(office.get("/office/campaign?id=%d&done=created"
                                                 % camp).text)
    r = save_settings(office, camp, pools=str(pool), goal="replied")
    assert r.status_code == 303, r.text[:800]
    assert add_step(office, camp, "email", subject_0="Hello {{first_name}}",
                    body_0="Hi {{first_name}},\n\nWe have roles for you.").status_code == 303
    assert add_step(office, camp, "wait", days="3", hours="2").status_code == 303
    assert add_step(office, camp, "exit").status_code == 303
    page = editor(office, camp)
    steps = steps_of(page)
    assert kinds(page) == ["Send an email", "Wait", "Exit"], steps
    assert "3 days and 2 hours" in steps[1]
    # The audience is ticked, the goal chosen.
    assert re.search(r'name="pools" value="%d"[^>]*checked' % pool, page)
    assert re.search(r'<option value="replied" selected>', page)
    # Move the wait up, then delete the exit.
    data = {"id": camp, "gen": gen_of(page), "step": "1", "op": "up",
            "csrf_token": csrf_token(page)}
    assert office.post("/office/campaign/step/move", data=data).status_code == 303
    page = editor(office, camp)
    assert kinds(page) == ["Wait", "Send an email", "Exit"]
    data.update(gen=gen_of(page), step="2", op="delete")
    assert office.post("/office/campaign/step/move", data=data).status_code == 303
    assert kinds(editor(office, camp)) == ["Wait", "Send an email"]
    # A branch goes to a later step or the end, and says so.
    page = editor(office, camp)
    r = office.get("/office/campaign/step", params={"id": camp, "step": 0})
    assert r.status_code == 200 and "How long to wait" in r.text
    assert add_step(office, camp, "branch", on="clicked", goto="end").status_code == 303
    assert "if they clicked a link since the last email, go to the end" in \
        steps_of(editor(office, camp))[2]


def test_errors_next_to_fields_and_nothing_saved(office):
    camp = new_campaign(office)
    before = editor(office, camp)
    # An email step without a subject, and a template that names an unknown field.
    r = add_step(office, camp, "email", subject_0="", body_0="Hello {{frist_name}}")
    assert r.status_code == 400
    assert "subject" in field_error(r.text, "subject_0").lower()
    assert input_value(r.text, "subject_0") == ""
    assert "Hello {{frist_name}}" in unescape(r.text)
    r = add_step(office, camp, "email", subject_0="Hi", body_0="Hello {{frist_name}}")
    assert r.status_code == 400, r.text[:500]
    assert "frist_name" in field_error(r.text, "body_0")
    # A branch without a target, a pool step without a pool.
    r = add_step(office, camp, "pool_add", pool="")
    assert r.status_code == 400 and field_error(r.text, "pool")
    # Settings without a name.
    r = save_settings(office, camp, name="")
    assert r.status_code == 400
    assert field_error(r.text, "name")
    after = editor(office, camp)
    assert steps_of(after) == [] and gen_of(after) == gen_of(before)
    assert input_value(after, "name") == input_value(before, "name")


def test_stale_save_is_refused_and_keeps_what_was_typed(office):
    camp = new_campaign(office)
    page = editor(office, camp)
    stale = gen_of(page)
    r = save_settings(office, camp, name="First save")
    assert r.status_code == 303
    data = {"id": camp, "gen": stale, "name": "Typed late", "from": "8", "to": "18",
            "csrf_token": csrf_token(page)}
    r = office.post("/office/campaign/save", data=data)
    assert r.status_code == 409
    assert "Someone else changed this campaign" in text(r.text)
    assert input_value(r.text, "name") == "Typed late"
    assert input_value(editor(office, camp), "name") == "First save"
    # The step form likewise.
    r = office.get("/office/campaign/step", params={"id": camp, "add": "wait"})
    fields = {n: a.get("value", "") for n, a in parse_form(r.text).inputs
              if a.get("type") == "hidden"}
    assert save_settings(office, camp, name="Second save").status_code == 303
    r = office.post("/office/campaign/step", data=dict(fields, days="4", op="save"))
    assert r.status_code == 409
    assert input_value(r.text, "days") == "4"
    assert steps_of(editor(office, camp)) == []


def test_start_pause_resume_archive(office):
    camp = new_campaign(office)
    page = editor(office, camp)
    r = office.post("/office/campaign/state", data={"id": camp, "state": "active",
                                                    "csrf_token": csrf_token(page)})
    assert r.status_code == 400
    assert "at least one audience pool" in text(r.text)
    assert "State: Draft" in text(editor(office, camp))
    assert save_settings(office, camp, pools=str(new_pool(office))).status_code == 303
    assert add_step(office, camp, "email", subject_0="Hi", body_0="Hello").status_code == 303
    for state, shown in (("active", "State: Running"), ("paused", "State: Paused"),
                         ("active", "State: Running"), ("archived", "State: Archived")):
        r = office.post("/office/campaign/state", data={"id": camp, "state": state,
                                                        "csrf_token": csrf_token(page)})
        assert r.status_code == 303, (state, r.text[:500])
        assert shown in text(office.get(r.headers["Location"]).text)
    listing = text(office.get("/office/campaigns").text)
    assert "Archived" in listing


@pytest.fixture(scope="module")
def ready(stack, office):
    """A running campaign of two email steps, and a confirmed candidate whose first name
    has markup in it."""
    pool = new_pool(office)
    camp = new_campaign(office, "Nurture " + unique())
    assert save_settings(office, camp, pools=str(pool)).status_code == 303
    assert add_step(office, camp, "email", subject_0="Hello {{first_name}}",
                    body_0="Dear {{first_name}} {{last_name}},\n\nHow are you?"
                    ).status_code == 303
    assert add_step(office, camp, "wait", days="2").status_code == 303
    assert add_step(office, camp, "email", subject_0="Still there?", body_0="Hi again"
                    ).status_code == 303
    page = editor(office, camp)
    assert office.post("/office/campaign/state", data={
        "id": camp, "state": "active", "csrf_token": csrf_token(page)}).status_code == 303
    cand, address = confirmed(stack, "<b>Ada</b>", "Lovelace" + unique())
    return camp, cand, address


def test_enrol_by_hand_and_the_person_view(office, ready):
    camp, cand, _ = ready
    r = office.get("/office/candidate", params={"id": cand})
    assert r.status_code == 200
    assert "Not in any campaign" in text(r.text)
    assert re.search(r'<select[^>]*id="camp"', r.text)
    token = csrf_token(r.text)
    r = office.post("/office/campaign/enrol", data={"camp": camp, "cand": cand,
                                                    "csrf_token": token})
    assert r.status_code == 303, r.text[:500]
    page = office.get(r.headers["Location"]).text
    section = text(page.split('id="campaigns"')[1].split('id="log-touchpoint"')[0])
    assert "In the sequence" in section
    assert re.search(r"Step \d of 3 next", section), section
    # Twice: refused, said next to the choice.
    r = office.post("/office/campaign/enrol", data={"camp": camp, "cand": cand,
                                                    "csrf_token": token})
    assert r.status_code == 409
    assert "already in this campaign" in field_error(r.text, "camp")
    # The campaign's people list them; taken out by hand, they show as stopped.
    r = office.get("/office/campaign/members", params={"id": camp})
    assert r.status_code == 200 and "Lovelace" in r.text
    r = office.post("/office/campaign/unenrol", data={"camp": camp, "cand": cand,
                                                      "csrf_token": token})
    assert r.status_code == 303
    section = text(office.get(r.headers["Location"]).text.split('id="campaigns"')[1])
    assert "Stopped: Taken out of the campaign by hand." in section


def test_preview_with_real_data_escaped(office, ready):
    camp, cand, address = ready
    r = office.get("/office/campaign/preview", params={"id": camp, "q": address})
    assert r.status_code == 200
    assert "/office/campaign/preview?id=%d&amp;step=0&amp;variant=0&amp;cand=%d" % (camp, cand) \
        in r.text
    r = office.get("/office/campaign/preview", params={"id": camp, "step": 0, "cand": cand})
    assert r.status_code == 200
    page = r.text
    assert "<b>Ada</b>" not in page
    subject = re.search(r'<dd id="preview-subject">(.*?)</dd>', page, re.S).group(1)
    assert unescape(subject).strip() == "Hello <b>Ada</b>"
    text_part = unescape(re.search(r'<pre class="eml" id="preview-text">(.*?)</pre>', page,
                                   re.S).group(1))
    assert text_part.startswith("Dear <b>Ada</b> Lovelace")
    # The HTML part escapes the name itself; the frame's srcdoc escapes that again.
    srcdoc = re.search(r'srcdoc="([^"]*)"', page).group(1)
    assert 'sandbox=""' in page
    assert "&lt;b&gt;Ada&lt;/b&gt;" in unescape(srcdoc)
    assert "<b>Ada</b>" not in unescape(srcdoc)
    # An unknown candidate number: said next to the field.
    r = office.get("/office/campaign/preview", params={"id": camp, "cand": 99999999})
    assert r.status_code == 404 and field_error(r.text, "cand")


def test_test_send_reaches_the_outbox(stack, office, accounts, ready):
    camp, cand, _ = ready
    page = office.get("/office/campaign/preview", params={"id": camp, "step": 0,
                                                          "cand": cand}).text
    r = office.post("/office/campaign/test", data={"id": camp, "step": 0, "variant": 0,
                                                   "cand": cand,
                                                   "csrf_token": csrf_token(page)})
    assert r.status_code == 303
    assert "A test of this mail is on its way to you" in text(office.get(
        r.headers["Location"]).text)
    mail = wait_for_mail(stack.var / "outbox", accounts["recruiter"], subject="[Test] ")
    assert str(mail["Subject"]) == "[Test] Hello <b>Ada</b>"
    assert "Dear <b>Ada</b> Lovelace" in mail.get_body(("plain",)).get_content()


def test_stats_page(office, ready):
    camp, _, _ = ready
    r = office.get("/office/campaign/stats", params={"id": camp})
    assert r.status_code == 200
    page = text(r.text)
    assert "Step 1" in page and "Step 3" in page
    for column in ("Sent", "Delivered", "Bounced", "Opened", "Clicked", "Replied",
                   "Unsubscribed", "Converted"):
        assert column in page


def test_ab_step_results_and_a_winner_declared_by_hand(office):
    camp = new_campaign(office)
    r = office.get("/office/campaign/step", params={"id": camp, "add": "email"})
    fields = {n: a.get("value", "") for n, a in parse_form(r.text).inputs
              if a.get("type") == "hidden"}
    r = office.post("/office/campaign/step", data=dict(fields, op="add_variant",
                                                       subject_0="A subject", body_0="A body"))
    assert r.status_code == 200
    assert input_value(r.text, "subject_0") == "A subject" and input_value(r.text, "nvariants") == "2"
    fields = {n: a.get("value", "") for n, a in parse_form(r.text).inputs
              if a.get("type") == "hidden"}
    r = office.post("/office/campaign/step", data=dict(
        fields, op="save", subject_0="A subject", body_0="A body", subject_1="B subject",
        body_1="B body", ab_metric="reply", ab_auto="1"))
    assert r.status_code == 303, r.text[:500]
    assert "A/B test on replies" in steps_of(editor(office, camp))[0]
    page = office.get("/office/campaign/stats", params={"id": camp}).text
    assert "A/B test on replies" in text(page) and "No variant has won yet" in text(page)
    r = office.post("/office/campaign/winner", data={
        "id": camp, "gen": input_value(page, "gen"), "step": 0, "variant": 1,
        "csrf_token": csrf_token(page)})
    assert r.status_code == 303
    assert "winner: B" in text(office.get(r.headers["Location"]).text)
    assert "winner: variant B" in steps_of(editor(office, camp))[0]
    # A stale decision changes nothing.
    r = office.post("/office/campaign/winner", data={
        "id": camp, "gen": input_value(page, "gen"), "step": 0, "variant": 0,
        "csrf_token": csrf_token(page)})
    assert r.status_code == 409
    assert "winner: variant B" in steps_of(editor(office, camp))[0]


def test_signature_on_my_account(office):
    r, token = office.form("/office/account")
    sig = "Grace <Hopper>\nRecruiting, Hearth"
    r = office.post("/office/account/signature", data={"signature": sig, "csrf_token": token})
    assert r.status_code == 303
    page = office.get("/office/account").text
    assert shows_escaped(page, "Grace <Hopper>")
    m = re.search(r'<textarea[^>]*id="signature"[^>]*>(.*?)</textarea>', page, re.S)
    assert unescape(m.group(1)) == sig


def test_notices_page_and_nav(office):
    r = office.get("/office/notices")
    assert r.status_code == 200
    assert re.search(r'<nav class="office".*?href="/office/notices"', r.text, re.S)
    assert re.search(r'<nav class="office".*?href="/office/campaigns"', r.text, re.S)


CAMPAIGN_ROUTES = [(m, p) for m, p, _ in routes("office")
                   if p.startswith("/office/campaign") or p.startswith("/office/notices")]


def test_every_campaign_route_is_for_staff_only():
    table = {(m, p): flags for m, p, flags in routes("office")}
    assert len(CAMPAIGN_ROUTES) >= 15
    for route in CAMPAIGN_ROUTES:
        roles = [f for f in table[route] if f.startswith("roles=")]
        assert roles and set(roles[0][6:].split("+")) == {"admin", "recruiter"}, route


def test_hiring_manager_gets_403_on_every_campaign_route(stack, accounts, ready):
    camp, cand, _ = ready
    c = stack.client()
    assert c.login(accounts["hiring_manager"], PASSWORD).status_code == 303
    _, token = c.form("/office/account")
    assert "/office/campaigns" not in c.get("/office/account").text
    for method, path in CAMPAIGN_ROUTES:
        params = {"id": camp, "camp": camp, "cand": cand, "step": 0, "state": "paused",
                  "csrf_token": token}
        if method == "GET":
            r = c.get(path, params=params)
        else:
            r = c.post(path, data=params)
        assert r.status_code == 403, "%s %s as a hiring manager: %d" % (method, path,
                                                                        r.status_code)
        assert "Nurture" not in r.text


# -- what the worker daemon does with them ---------------------------------------------

def running_campaign(office, pool, *steps):
    """A started campaign on POOL, sending at any hour, with STEPS [(kind, fields)]."""
    camp = new_campaign(office)
    assert save_settings(office, camp, pools=str(pool), **{"from": "0", "to": "24",
                                                           "weekdays": ""}).status_code == 303
    for kind, fields in steps:
        assert add_step(office, camp, kind, **fields).status_code == 303
    page = editor(office, camp)
    r = office.post("/office/campaign/state", data={"id": camp, "state": "active",
                                                    "csrf_token": csrf_token(page)})
    assert r.status_code == 303, r.text[:500]
    return camp


def test_a_notify_step_becomes_a_notice_in_the_bar_and_on_the_home_page(stack, office):
    cand, _ = confirmed(stack, "Nia", "Notice" + unique())
    camp = running_campaign(office, new_pool(office),
                            ("email", {"subject_0": "Hi", "body_0": "Hello"}),
                            ("notify", {"text": "Call <b>them</b> about the role"}))
    page = office.get("/office/candidate", params={"id": cand}).text
    assert office.post("/office/campaign/enrol", data={
        "camp": camp, "cand": cand, "csrf_token": csrf_token(page)}).status_code == 303
    # The worker runs the steps: the notice goes to the campaign's owner.
    found = wait_for("the notice on /office/notices", lambda: (
        lambda p: p if shows_escaped(p, "Call <b>them</b> about the role") else None)(
        office.get("/office/notices").text))
    assert "<b>them</b>" not in found
    assert re.search(r'href="/office/notices"[^>]*>Notices <span class="count">\(1', found)
    home = office.get("/office/").text
    assert "Unread notices (1)" in text(home)
    nid = re.search(r'name="id" value="(\d+)"', found.split('<ol class="notices">')[1]).group(1)
    r = office.post("/office/notices/read", data={"id": nid, "csrf_token": csrf_token(found)})
    assert r.status_code == 303
    after = office.get("/office/notices").text
    assert 'class="count"' not in after and "Nothing unread" in text(after)


def test_enrolling_a_filter_shows_its_progress_to_the_end(stack, office):
    tag = unique("wave")
    for first in ("Wim", "Wes"):
        confirmed(stack, first, tag)
    camp = running_campaign(office, new_pool(office),
                            ("email", {"subject_0": "Hi", "body_0": "Hello"}))
    r = office.get("/office/candidates", params={"q": tag})
    assert "Enrol everyone who matches" in r.text
    r = office.post("/office/campaign/enrol-filter", data={"q": tag, "camp": camp,
                                                           "csrf_token": csrf_token(r.text)})
    assert r.status_code == 303 and r.headers["Location"].startswith("/office/campaign/wave?")
    wave = r.headers["Location"]
    wait_for("the wave's page saying Done", lambda: "Done" in text(office.get(wave).text))
    assert "2 of 2" in text(office.get(wave).text)
    members = text(office.get("/office/campaign/members", params={"id": camp}).text)
    assert "Wim" in members and "Wes" in members
