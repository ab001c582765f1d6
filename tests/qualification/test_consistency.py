"""One truth: for 30 learners whose records put every step in every state, the participant's
dashboard, the mentor's view, the certificate checklist and the foundation's overview show
the same state and the same "what is missing" for each step."""

from datetime import date

import lxml.html
import pytest

from lotse_lms.accounts import verification
from lotse_lms.accounts.models import User
from lotse_lms.certification import operations
from lotse_lms.extensions import db
from lotse_lms.mentoring import operations as mentoring
from lotse_lms.qualification import overview
from lotse_lms.qualification.state import (
    STATE_LABELS,
    exact_prefilter,
    path_of,
    requirements,
    states,
)
from tests.conftest import login, sign_in_client

pytestmark = pytest.mark.config(
    Q1_MODULES=["tools-methoden"], CERT_Q2_MIN_HOURS=3.0, RT_MIN_AS_MEMBER=1
)
PDF = b"%PDF-1.4\n%%EOF\n"
#: The states each step can be brought into by records, in the order learners cycle through them.
CYCLES = {
    "authorisation": ["done", "pending", "rejected", "open"],
    "workshop": ["done", "rejected", "open", "pending"],
    "q1": ["done", "started", "open"],
    "q2": ["done", "open", "started"],
    "reflecting_team": ["done", "started", "open"],
    "mentor": ["done", "open", "started"],
}
LEARNERS = 30


def _profile(i):
    """The wanted state of each step for learner ``i``: the first four are special cases."""
    if i < 3:
        return dict.fromkeys(CYCLES, "done")
    if i == 3:
        return dict.fromkeys(CYCLES, "open")
    return {key: states[(i + n) % len(states)] for n, (key, states) in enumerate(CYCLES.items())}


def _build(q, user, profile, i):
    """Create the records that put each step of ``user`` in the profile's state."""
    staff = q.staff
    state = profile["authorisation"]
    if state != "open":
        record, _stale = verification.submit_authorisation(
            user, f"OM-{4700 + i}", date(2025, 3, 1), "n.pdf", PDF
        )
        if state == "done":
            verification.verify(record, staff)
        elif state == "rejected":
            verification.reject(record, staff, "Nummer unleserlich")
    state = profile["workshop"]
    if state != "open":
        record = verification.submit_workshop(user, date(2025, 4, 2), "Köln")
        if state == "done":
            verification.verify(record, staff)
        elif state == "rejected":
            verification.reject(record, staff, "Falsches Datum")
    db.session.commit()
    if profile["q1"] != "open":
        q.q1(user, status="passed" if profile["q1"] == "done" else "failed")
    if profile["q2"] != "open":
        q.q2(user, hours=3 if profile["q2"] == "done" else 2)
    if profile["reflecting_team"] == "done":
        q.reflecting_team(user, as_owner=1, as_member=1)
    elif profile["reflecting_team"] == "started":
        q.reflecting_team(user, as_owner=1, as_member=0, self_reflection=False)
    if profile["mentor"] == "done":
        q.mentor_recommendation(user)
    elif profile["mentor"] == "started":
        mentoring.assign_mentor(user, q.mentor, staff, "Gleiche Region.")
        if i % 2:
            mentoring.recommend(user, q.mentor, "not_yet", "Erst noch Q2 abschließen.")
    db.session.commit()


def _dashboard(app, user):
    """{step: (state, text)} from the participant's dashboard."""
    client = app.test_client()
    sign_in_client(client, user)
    page = lxml.html.fromstring(client.get("/").get_data(as_text=True))
    return {
        li.get("data-step"): (
            li.find_class("badge")[0].get("data-state"),
            " ".join(p.text_content() for p in li.find_class("detail")),
        )
        for li in page.xpath("//ol[@class='steps']/li[@data-step]")
    }


def _mentor_view(staff_client, user):
    """{step: (state, text)} from the mentee page mentors and staff see."""
    html = staff_client.get(f"/mentoring/mentees/{user.id}").get_data(as_text=True)
    page = lxml.html.fromstring(html)
    return {
        li.get("data-step"): (
            li.find_class("badge")[0].get("data-state"),
            " ".join(s.text_content() for s in li.find_class("muted")),
        )
        for li in page.xpath("//ul[contains(@class, 'progress-list')]/li[@data-step]")
    }


def _checklist(staff_client, user):
    """{step: (state, text)} from the foundation's checklist of the person."""
    page = lxml.html.fromstring(
        staff_client.get(f"/certificates/people/{user.id}").get_data(as_text=True)
    )
    return {
        li.get("data-rule"): (
            li.get("data-state"),
            " ".join(p.text_content() for p in li.find_class("detail")),
        )
        for li in page.xpath("//ol[@class='checklist']/li[@data-rule]")
    }


def _overview(staff_client, user):
    """{step: (state, text)} from the person's row of the foundation's overview."""
    page = lxml.html.fromstring(
        staff_client.get("/certificates/", query_string={"q": user.email}).get_data(as_text=True)
    )
    (row,) = page.xpath(f"//tr[@data-user='{user.id}']")
    return {
        td.get("data-step"): (td.get("data-state"), td.find_class("badge")[0].get("title"))
        for td in row.xpath("td[@data-step]")
    }


def test_every_page_shows_the_same_state_and_what_is_missing(app, qualification, staff):
    people = []
    for i in range(LEARNERS):
        user = qualification.make_user("participant", name=f"Lotse {i:02d}", password=None)
        profile = _profile(i)
        _build(qualification, user, profile, i)
        people.append((user, profile))
    # Certificate: learner 0 waits, learner 1 holds one, learner 2's was revoked.
    operations.issue(people[1][0], staff)
    revoked = operations.issue(people[2][0], staff)
    db.session.commit()
    operations.revoke(revoked, staff, "Irrtümlich ausgestellt")
    db.session.commit()

    staff_client = app.test_client()
    login(staff_client, staff.email)
    seen = set()
    for user, profile in people:
        with app.test_request_context():
            truth = {s.key: s for s in path_of(user)}
        for key, wanted in profile.items():
            assert truth[key].state == wanted, (user.name, key, truth[key])
        pages = {
            "dashboard": _dashboard(app, user),
            "mentor": _mentor_view(staff_client, user),
            "checklist": _checklist(staff_client, user),
            "overview": _overview(staff_client, user),
        }
        for key, step in truth.items():
            seen.add((key, step.state))
            for name, shown in pages.items():
                if name == "checklist" and key not in app.config["CERT_RULES"]:
                    continue  # the checklist lists the prerequisites only (not the certificate,
                    # not evidence such as leading an Experimentierraum)
                state, text = shown[key]
                assert state == step.state, (user.name, name, key, state, step.state)
                if step.missing:
                    assert step.missing in text, (user.name, name, key, text, step.missing)
                if step.progress and name != "overview":
                    assert step.progress in text, (user.name, name, key, text, step.progress)
    every = {(key, state) for key, states in CYCLES.items() for state in states}
    every |= {("certificate", s) for s in ("open", "started", "pending", "done", "rejected")}
    assert every <= seen, sorted(every - seen)
    assert set(STATE_LABELS) == {s for _k, s in seen}
    _offered_states_are_those_seen(app, staff_client, seen)
    _filters_agree(app, staff_client)


def _offered_states_are_those_seen(app, staff_client, seen):
    """Each step declares the states it can have (no filter for one it never has), and the
    overview's filter offers exactly those: every state seen is among them."""
    with app.test_request_context():
        declared = {(req.key, state) for req in requirements() for state in req.states}
    assert seen <= declared, sorted(seen - declared)
    assert ("q1", "pending") not in declared and ("authorisation", "started") not in declared
    page = lxml.html.fromstring(staff_client.get("/certificates/").get_data(as_text=True))
    offered = {
        tuple(value.split(":")) for value in page.xpath("//select[@id='filter']//option/@value")
    }
    assert offered - {("",)} == declared


def _filters_agree(app, staff_client):
    """Every filter of the overview (step × state) lists exactly the people whose computed
    state it names, with the right total, over pages of 7; by SQL where the filter is exact."""
    exact_seen = set()
    with app.test_request_context():
        truth = states(overview.participants())
        for req in requirements():
            for state in STATE_LABELS:
                wanted = {uid for uid, steps in truth.items() if _step(steps, req.key) == state}
                assert set(overview.matching(req.key, state)) == wanted, (req.key, state)
                listed, page, total = [], 1, None
                while True:
                    found = overview.overview(step=req.key, state=state, page=page, per_page=7)
                    listed += [row.user.id for row in found.rows]
                    total = found.total
                    for row in found.rows:
                        assert row.by_key[req.key].state == state, (req.key, state, row.user)
                    if page >= found.pages:
                        break
                    page += 1
                assert total == len(wanted) and sorted(listed) == sorted(wanted), (req.key, state)
                condition = exact_prefilter(req.key, state, User.id)
                if condition is not None:
                    exact_seen.add((req.key, state))
                    by_sql = set(db.session.scalars(overview.participants().where(condition)).all())
                    assert by_sql == wanted, (req.key, state, by_sql ^ wanted)
    # Every step of the path is exact in SQL for every state; the certificate for issued,
    # barred and open (waiting and begun combine Q1's cheaper narrowing, then exact states).
    wanted = {(k, s) for k in CYCLES for s in STATE_LABELS}
    wanted |= {("certificate", s) for s in ("done", "rejected", "open")}
    assert wanted <= exact_seen, sorted(wanted - exact_seen)
    # The page shows the same list and count.
    html = staff_client.get("/certificates/", query_string={"filter": "q2:started"})
    page = lxml.html.fromstring(html.get_data(as_text=True))
    shown = {int(tr.get("data-user")) for tr in page.xpath("//tr[@data-user]")}
    wanted = {uid for uid, steps in truth.items() if _step(steps, "q2") == "started"}
    assert shown == wanted and wanted
    assert page.get_element_by_id("overview-count").text_content().startswith(f"{len(wanted)} ")


def _step(steps, key):
    """The state of step ``key`` among ``steps``."""
    return next(s.state for s in steps if s.key == key)
