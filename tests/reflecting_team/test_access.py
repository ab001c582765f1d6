"""Every route against every role: who may read, write and amend (403 or sign-in otherwise)."""

import pytest

from lotse_lms.extensions import db
from lotse_lms.reflecting_team import policy

from ..conftest import csrf_token
from .conftest import sign_in

PEOPLE = ["owner", "member", "trainer", "other_trainer", "foundation", "admin", "outsider"]


def _person(cast, who):
    """The user behind a name of PEOPLE."""
    return cast.members[0] if who == "member" else getattr(cast, who)


def _check(client, cast, path, allowed, ok=200):
    """GET ``path`` as every person and anonymously; compare with the expected status."""
    with client.session_transaction() as session:
        session.clear()
    anonymous = client.get(path)
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"], path
    for who in PEOPLE:
        sign_in(client, _person(cast, who))
        expected = ok if who in allowed else 403
        assert client.get(path).status_code == expected, f"{who} on {path}"


def test_session_page_is_seen_only_by_those_involved(client, cast, new_session):
    session = new_session(reflections=2)
    _check(
        client,
        cast,
        f"/reflecting-team/sessions/{session.id}",
        {"owner", "member", "trainer", "foundation"},
    )


def test_every_signed_in_person_sees_the_overview_and_the_method_library(client, cast):
    for path in [
        "/reflecting-team/",
        "/reflecting-team/methods",
        "/reflecting-team/methods/fishbowl",
    ]:
        _check(client, cast, path, set(PEOPLE))


def test_only_trainers_set_up_sessions(client, cast):
    _check(client, cast, "/reflecting-team/sessions/new", {"trainer", "other_trainer"})


@pytest.mark.parametrize(
    "stage, suffix, allowed",
    [
        ({}, "edit", {"trainer"}),
        ({}, "case", {"owner"}),
        ({"case": True}, "reflection", {"member"}),
        ({"case": True}, "self-reflection", {"owner"}),
    ],
)
def test_write_pages_only_for_the_right_person(client, cast, new_session, stage, suffix, allowed):
    session = new_session(**stage)
    _check(client, cast, f"/reflecting-team/sessions/{session.id}/{suffix}", allowed)


def test_amend_pages_only_for_the_author(client, cast, new_session):
    session = new_session(reflections=1, closed=True, self_reflection=True)
    base = f"/reflecting-team/sessions/{session.id}/amend"
    _check(client, cast, f"{base}/case/{session.case.id}", {"owner"})
    _check(client, cast, f"{base}/self_reflection/{session.self_reflection.id}", {"owner"})
    _check(client, cast, f"{base}/reflection/{session.reflections[0].id}", {"member"})


def test_unknown_records_are_not_found(client, cast, new_session):
    session = new_session(reflections=1, closed=True)
    sign_in(client, cast.owner)
    assert client.get(f"/reflecting-team/sessions/{session.id}/amend/case/999").status_code == 404
    assert client.get(f"/reflecting-team/sessions/{session.id}/amend/nonsense/1").status_code == 404
    assert client.get("/reflecting-team/sessions/999").status_code == 404
    assert client.get("/reflecting-team/methods/gibt-es-nicht").status_code == 404


def test_only_the_sessions_trainer_closes_it(client, cast, new_session):
    session = new_session(reflections=1)
    path = f"/reflecting-team/sessions/{session.id}/close"
    for who in ["owner", "member", "other_trainer", "foundation", "admin", "outsider"]:
        sign_in(client, _person(cast, who))
        response = client.post(path, data={"csrf_token": csrf_token(client, "/reflecting-team/")})
        assert response.status_code == 403, who
    sign_in(client, cast.trainer)
    response = client.post(path, data={"csrf_token": csrf_token(client, "/reflecting-team/")})
    assert response.status_code == 302
    assert (
        client.get(f"/reflecting-team/sessions/{session.id}")
        .get_data(as_text=True)
        .count("abgeschlossen")
        >= 1
    )


def test_portfolio_download_rights(client, cast, new_session):
    new_session(reflections=1)
    _check(client, cast, "/reflecting-team/portfolio.pdf", {"owner", "member", "outsider"})
    _check(client, cast, f"/reflecting-team/portfolio/{cast.owner.id}.pdf", {"owner", "foundation"})


def test_policy_table_read_write_amend(cast, new_session):
    session = new_session(reflections=1, closed=True, self_reflection=True)
    reflection = session.reflections[0]
    table = {
        who: (
            policy.can_read(_person(cast, who), session),
            policy.may_amend(_person(cast, who), session.case),
            policy.may_amend(_person(cast, who), reflection),
            policy.may_amend(_person(cast, who), session.self_reflection),
        )
        for who in PEOPLE
    }
    assert table == {
        "owner": (True, True, False, True),
        "member": (True, False, True, False),
        "trainer": (True, False, False, False),
        "other_trainer": (False, False, False, False),
        "foundation": (True, False, False, False),
        "admin": (False, False, False, False),
        "outsider": (False, False, False, False),
    }
    assert not any(policy.may_reflect(_person(cast, who), session) for who in PEOPLE)
    assert not any(policy.may_write_case(_person(cast, who), session) for who in PEOPLE)


def test_participation_overview_for_foundation_and_trainers(client, cast, new_session):
    new_session(reflections=1, closed=True, self_reflection=True)
    _check(
        client, cast, "/reflecting-team/participation", {"trainer", "other_trainer", "foundation"}
    )
    sign_in(client, cast.foundation)
    page = client.get("/reflecting-team/participation").get_data(as_text=True)
    assert "Olga Fallgeberin" in page and "Mia Mentorin" not in page  # participants only
    assert f"/reflecting-team/portfolio/{cast.owner.id}.pdf" in page
    sign_in(client, cast.trainer)
    assert "/portfolio/" not in client.get("/reflecting-team/participation").get_data(as_text=True)


def test_nothing_can_be_deleted(app):
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("reflecting_team.")]
    assert len(rules) >= 14
    assert not [
        r for r in rules if "DELETE" in r.methods or "delete" in r.rule or "remove" in r.rule
    ]


def test_english_interface_renders_the_pages(client, cast, new_session):
    session = new_session(reflections=1, closed=True, self_reflection=True)
    cast.owner.locale = "en"
    db.session.commit()
    sign_in(client, cast.owner)
    for path in [
        "/",
        "/reflecting-team/",
        f"/reflecting-team/sessions/{session.id}",
        "/reflecting-team/methods",
    ]:
        response = client.get(path)
        assert response.status_code == 200 and '<html lang="en">' in response.get_data(
            as_text=True
        ), path
