"""test_candidates.py: the recruiter's candidate list through the real stack (nginx).

Candidates join through the public signup form; a recruiter then searches, filters,
sorts and pages the list, saves a filter as a dynamic pool that the worker daemon fills
and that follows later signups at once, and keeps a static pool by hand.
"""

import re
import time
from urllib.parse import urlencode

import pytest

from hearth_stack import Stack, csrf_token, field_error, unique

PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def stack():
    s = Stack("nginx").start()
    yield s
    s.stop()


@pytest.fixture(scope="module")
def people(stack):
    """Five signups with distinct skills, cities and seniority; returns name -> email."""
    tag = unique("p")
    made = {}
    spec = [
        ("Ada Lovelace " + tag, "London", "United Kingdom", "lead", "C++, Node.js", ""),
        ("Bob Ziegler " + tag, "Zürich", "Switzerland", "senior", "Python", "1"),
        ("Chen Álvarez " + tag, "london", "United Kingdom", "mid", "Python, SQL", ""),
        ("Dee OBrien " + tag, "Dublin", "Ireland", "junior", "R, Statistics", ""),
        ("Eve Adams " + tag, "Lisbon", "Portugal", "mid", "Kotlin", "1"),
    ]
    client = stack.client()
    for name, city, country, seniority, skills, remote in spec:
        addr = "%s@example.com" % unique(name.split()[0].lower())
        extra = {"city": city, "country": country, "seniority": seniority,
                 "skills": skills}
        if remote:
            extra["remote"] = "1"
        r = client.join(name, addr, **extra)
        assert r.status_code == 303, r.text[:300]
        made[name.split()[0]] = addr
    made["tag"] = tag
    return made


@pytest.fixture(scope="module")
def office(stack):
    admin = "%s@example.com" % unique("rec")
    stack.add_user(admin, PASSWORD, role="recruiter")
    c = stack.client()
    assert c.login(admin, PASSWORD).status_code == 303
    return c


def listing(office, **params):
    r = office.get("/office/candidates", params=params)
    assert r.status_code == 200, r.text[:500]
    return r.text


def total(page):
    m = re.search(r'<h2 id="results"[^>]*>(\d+) candidate', page)
    assert m, "no result count on the page"
    return int(m.group(1))


def names(page):
    return re.findall(r'href="/office/candidate\?id=\d+">([^<]+)</a>', page)


def test_free_text_finds_names_skills_and_email(office, people):
    tag = people["tag"]
    assert total(listing(office, q=tag)) == 5
    page = listing(office, q="python " + tag)
    assert sorted(n.split()[0] for n in names(page)) == ["Bob", "Chen"]
    assert [n.split()[0] for n in names(listing(office, q="python -sql " + tag))] == ["Bob"]
    assert [n.split()[0] for n in names(listing(office, q="c++ " + tag))] == ["Ada"]
    assert [n.split()[0] for n in names(listing(office, q="node.js " + tag))] == ["Ada"]
    # Accents folded both ways; the email address as typed.
    assert [n.split()[0] for n in names(listing(office, q="alvarez " + tag))] == ["Chen"]
    assert [n.split()[0] for n in names(listing(office, q=people["Dee"].upper()))] == ["Dee"]


def test_filters_combine(office, people):
    tag = people["tag"]
    q = {"q": tag}
    assert sorted(n.split()[0] for n in names(listing(office, city="LONDON", **q))) == \
        ["Ada", "Chen"]
    assert [n.split()[0] for n in names(listing(office, city="zurich", **q))] == ["Bob"]
    assert sorted(n.split()[0] for n in names(listing(office, remote="1", **q))) == \
        ["Bob", "Eve"]
    page = listing(office, seniority=["mid", "junior"], **q)
    assert sorted(n.split()[0] for n in names(page)) == ["Chen", "Dee", "Eve"]
    page = listing(office, seniority="mid", country="portugal", **q)
    assert [n.split()[0] for n in names(page)] == ["Eve"]
    # Community signups are engaged, pending until they confirm, engaged today.
    assert total(listing(office, status="engaged", consent="pending", level="hot", **q)) == 5
    assert total(listing(office, status="hired", **q)) == 0
    assert total(listing(office, owner="none", **q)) == 5
    assert total(listing(office, owner="me", **q)) == 0
    today = time.strftime("%Y-%m-%d", time.gmtime())
    assert total(listing(office, engaged_after=today, **q)) == 5
    assert total(listing(office, engaged_before="2001-01-01", **q)) == 0
    # The same conditions typed into the search box.
    page = listing(office, q="%s seniority:mid country:portugal" % tag)
    assert [n.split()[0] for n in names(page)] == ["Eve"]


def test_filters_are_kept_in_the_form_and_the_pager(office, people):
    page = listing(office, q=people["tag"], seniority="mid", sort="name")
    assert 'value="%s"' % people["tag"] in page
    assert re.search(r'value="mid"[^>]*checked', page)
    assert re.search(r'<option value="name" selected>', page)


def test_sort_by_surname_and_paging(stack, office, people):
    tag = people["tag"]
    page = listing(office, q=tag, sort="name")
    # Adams, Álvarez, Lovelace, OBrien, Ziegler: accents folded for the order.
    assert [n.split()[0] for n in names(page)] == ["Eve", "Chen", "Ada", "Dee", "Bob"]
    newest = [n.split()[0] for n in names(listing(office, q=tag))]
    assert newest == ["Eve", "Dee", "Chen", "Bob", "Ada"]
    assert [n.split()[0] for n in names(listing(office, q=tag, sort="oldest"))] == \
        list(reversed(newest))


def test_many_candidates_page_with_a_total(stack, office):
    tag = unique("many")
    client = stack.client()
    for i in range(55):
        r = client.join("Paged%d Person %s" % (i, tag), "%s@example.com" % unique("pg"))
        assert r.status_code == 303
    first = listing(office, q=tag)
    assert total(first) == 55
    assert len(names(first)) == 50
    assert "Page 1 of 2" in first
    m = re.search(r'<a rel="next" href="([^"]+)"', first)
    assert m, "no link to the next page"
    second = office.get(m.group(1).replace("&amp;", "&"))
    assert second.status_code == 200
    assert len(names(second.text)) == 5
    assert set(names(second.text)).isdisjoint(names(first))


@pytest.mark.parametrize("params,field,text", [
    ({"q": "colour:blue"}, "q", "not a filter"),
    ({"q": '"unclosed'}, "q", "quote is not closed"),
    ({"engaged_after": "31/01/2026"}, "engaged_after", "year-month-day"),
    ({"engaged_after": "2026-02-01", "engaged_before": "2026-01-01"}, "engaged_before",
     "before the start date"),
    ({"tags_all": "ok, " + "x" * 60}, "tags_all", "is not a tag"),
    ({"status": "astronaut"}, "status", "choose from the options"),
    ({"owner": "somebody"}, "owner", "choose an owner"),
])
def test_bad_filters_are_errors_next_to_their_field(office, params, field, text):
    r = office.get("/office/candidates", params=params)
    assert r.status_code == 400
    assert text in field_error(r.text, field)
    # The form is still whole: every choice shown, nothing listed.
    assert 'name="status" value="engaged"' in r.text
    assert 'id="results"' not in r.text


def test_a_saved_filter_is_a_pool_kept_on_write(stack, office, people):
    tag = people["tag"]
    page = listing(office, q=tag, city="london")
    token = csrf_token(page)
    r = office.post("/office/pools/save", data={
        "csrf_token": token, "q": tag, "city": "london", "name": "London " + tag})
    assert r.status_code == 303, r.text[:500]
    pool_url = r.headers["Location"]
    pool_id = re.search(r"id=(\d+)", pool_url).group(1)

    def members():
        p = office.get(pool_url)
        assert p.status_code == 200
        return int(re.search(r'<p class="lead">(\d+) member', p.text).group(1)), p.text

    deadline = time.time() + 20
    while members()[0] < 2 and time.time() < deadline:
        time.sleep(0.2)
    count, text = members()
    assert count == 2, "the worker did not fill the pool"
    assert "Ada Lovelace " + tag in text and "Chen Álvarez " + tag in text
    assert "london" in text  # the filter, in words
    # A new signup in London joins at once, in the transaction of the signup.
    r = stack.client().join("Fay Newcomer " + tag, "%s@example.com" % unique("fay"),
                            city="London")
    assert r.status_code == 303
    assert members()[0] == 3
    # The pool works as a filter of the list, and shows on the pools page.
    assert total(listing(office, pool=pool_id)) == 3
    pools = office.get("/office/pools").text
    assert "London " + tag in pools


def test_a_saved_filter_needs_a_condition_and_a_name(office, people):
    token = csrf_token(listing(office))
    r = office.post("/office/pools/save", data={"csrf_token": token, "name": "Everyone"})
    assert r.status_code == 400
    assert "matches everyone" in field_error(r.text, "q")
    r = office.post("/office/pools/save", data={"csrf_token": token, "q": people["tag"]})
    assert r.status_code == 400
    assert "name" in field_error(r.text, "name")


def test_a_static_pool_by_hand(office, people):
    tag = people["tag"]
    token = csrf_token(office.get("/office/pools").text)
    r = office.post("/office/pools/new", data={"csrf_token": token, "name": "Hand " + tag})
    assert r.status_code == 303
    pool_id = re.search(r"id=(\d+)", r.headers["Location"]).group(1)
    page = listing(office, q="kotlin " + tag)
    cand = re.search(r'href="/office/candidate\?id=(\d+)"', page).group(1)
    r = office.post("/office/pool/member", data={
        "csrf_token": token, "pool": pool_id, "cand": cand, "add": "1"})
    assert r.status_code == 303
    assert [n.split()[0] for n in names(listing(office, pool=pool_id))] == ["Eve"]
    r = office.post("/office/pool/member", data={
        "csrf_token": token, "pool": pool_id, "cand": cand})
    assert r.status_code == 303
    assert total(listing(office, pool=pool_id)) == 0
    r = office.post("/office/pool/member", data={
        "csrf_token": token, "pool": "999999", "cand": cand, "add": "1"})
    assert r.status_code == 404
    r = office.post("/office/pool/member", data={
        "csrf_token": token, "pool": pool_id, "cand": cand, "add": "1"})
    assert r.status_code == 303
    # Deleting the pool: gone from the list at once; the person stays.
    r = office.post("/office/pool/delete", data={"csrf_token": token, "id": pool_id})
    assert r.status_code == 303
    assert "Hand " + tag not in office.get("/office/pools").text
    assert office.get("/office/pool", params={"id": pool_id}).status_code == 404
    assert [n.split()[0] for n in names(listing(office, q="kotlin " + tag))] == ["Eve"]


def test_only_its_maker_or_an_admin_deletes_a_pool(stack, office, people):
    token = csrf_token(office.get("/office/pools").text)
    r = office.post("/office/pools/new", data={"csrf_token": token, "name": "Mine"})
    pool_id = re.search(r"id=(\d+)", r.headers["Location"]).group(1)
    other = "%s@example.com" % unique("rec2")
    stack.add_user(other, PASSWORD, role="recruiter")
    c = stack.client()
    assert c.login(other, PASSWORD).status_code == 303
    page = c.get("/office/pool", params={"id": pool_id}).text
    assert "Delete the pool" not in page
    r = c.post("/office/pool/delete", data={"csrf_token": csrf_token(page), "id": pool_id})
    assert r.status_code == 403
    assert c.get("/office/pool", params={"id": pool_id}).status_code == 200


def test_hiring_managers_see_no_candidates(stack, people):
    hm = "%s@example.com" % unique("hm")
    stack.add_user(hm, PASSWORD, role="hiring_manager")
    c = stack.client()
    assert c.login(hm, PASSWORD).status_code == 303
    for path in ("/office/candidates", "/office/pools", "/office/pool?id=1"):
        assert c.get(path).status_code == 403, path


def test_the_index_verifies(stack, people):
    r = stack.hearthctl("verify")
    assert r.returncode == 0, r.stdout + r.stderr


# -- the engagement score ---------------------------------------------------------------------

def scores(page):
    """The list's score cells, in order: [(score, level)]."""
    return re.findall(r'<td class="score">([\d.]+) <span class="aside">\((\w+)\)</span></td>',
                      page)


def test_sort_by_engagement_score_shows_and_orders_it(stack, office):
    """Signup 3, confirmation 3, a touchpoint logged by hand 5; none for a candidate
    added by hand. The list shows each score and sorts by it, best first; the profile
    shows it; as time passes the worker's pass lowers the levels (no write), and a pass
    at the real time puts them back."""
    from test_community import join_and_confirm
    from test_profile import new_candidate, post_on_profile, profile

    tag = unique("score")
    client = stack.client()
    assert client.join("Ana Signup " + tag, unique("ana") + "@example.org").status_code == 303
    join_and_confirm(stack, name="Cy Confirmed " + tag)
    assert client.join("Bo Called " + tag, unique("bo") + "@example.org").status_code == 303
    sam = new_candidate(office, first_name="Sam", last_name="Sourced " + tag)
    bo = re.search(r'href="/office/candidate\?id=(\d+)">Bo Called',
                   listing(office, q=tag)).group(1)
    r = post_on_profile(office, bo, "/office/candidate/touch",
                        {"id": bo, "touch_kind": "call_answered"})
    assert r.status_code == 303

    page = listing(office, q=tag, sort="score")
    assert re.search(r'<option value="score" selected>Engagement score</option>', page)
    assert [n.split()[0] for n in names(page)] == ["Bo", "Cy", "Ana", "Sam"]
    assert scores(page) == [("8.0", "hot"), ("6.0", "hot"), ("3.0", "hot"), ("0.0", "cold")]
    assert "<dt>Engagement</dt><dd>cold, score 0.0</dd>" in profile(office, sam)
    assert re.search(r"<dt>Engagement</dt><dd>hot, score 8\.0, last \d\d \w+ \d{4}",
                     profile(office, bo))
    # The other sorts still hold: newest first is the order they were added.
    assert [n.split()[0] for n in names(listing(office, q=tag))] == ["Sam", "Bo", "Cy", "Ana"]

    # 31 days on (the pass as then): 3 halves to 1.46, warm; 6 to 2.93 and 8 to 3.9 stay hot.
    later = int(time.time()) + 31 * 86400
    r = stack.hearthctl("fresh", "--at", str(later))
    assert r.returncode == 0, r.stderr
    assert [n.split()[0] for n in names(listing(office, q=tag, level="warm"))] == ["Ana"]
    assert sorted(n.split()[0] for n in names(listing(office, q=tag, level="hot"))) == \
        ["Bo", "Cy"]
    # 91 days on: 8 is 0.97 and 6 is 0.73, warm; 3 is 0.36, cold.
    r = stack.hearthctl("fresh", "--at", str(later + 60 * 86400))
    assert r.returncode == 0, r.stderr
    assert total(listing(office, q=tag, level="hot")) == 0
    assert sorted(n.split()[0] for n in names(listing(office, q=tag, level="cold"))) == \
        ["Ana", "Sam"]
    # Back to now: the levels are what the scores say today.
    r = stack.hearthctl("fresh")
    assert r.returncode == 0, r.stderr
    assert total(listing(office, q=tag, level="hot")) == 3
    assert stack.hearthctl("verify").returncode == 0
