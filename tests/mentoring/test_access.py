"""Every mentoring page against every role: 200 for the right people, 403 for others,
the sign-in page for anonymous visitors; posts by the wrong people change nothing."""

import pytest

from lotse_lms.extensions import db
from lotse_lms.mentoring import operations
from lotse_lms.mentoring.models import (
    FeedbackEntry,
    FeedbackReply,
    MentorAssignment,
    Recommendation,
)

from ..conftest import csrf_token, login

ROLES = [
    "mentee",
    "mentor",
    "other_mentor",
    "foundation",
    "trainer",
    "other_participant",
    "reflecting",
    "admin",
]

#: (path template, roles that get 200, roles that are redirected elsewhere)
ROUTES = [
    ("/mentoring/me", {"mentee", "other_participant"}, set()),
    ("/mentoring/mentees", {"mentor", "other_mentor"}, set()),
    ("/mentoring/mentees/{mentee}", {"mentor", "foundation"}, {"mentee"}),
    ("/mentoring/mentees/{mentee}/entries/new", {"mentor"}, set()),
    ("/mentoring/mentees/{mentee}/recommendation", {"mentor"}, set()),
    ("/mentoring/entries/{shared}", {"mentee", "mentor", "foundation"}, set()),
    ("/mentoring/entries/{private}", {"mentor", "foundation"}, set()),
    ("/mentoring/entries/{shared}/edit", {"mentor"}, set()),
    ("/mentoring/entries/{private}/edit", {"mentor"}, set()),
    ("/mentoring/assignments", {"foundation", "trainer"}, set()),
    ("/mentoring/assignments/{mentee}", {"foundation", "trainer"}, set()),
]


def _paths(cast, entries):
    """The routes with the ids of this test's records filled in."""
    ids = {"mentee": cast.mentee.id, "shared": entries.shared.id, "private": entries.private.id}
    return [(template.format(**ids), ok, moved) for template, ok, moved in ROUTES]


@pytest.mark.parametrize("who", ROLES)
def test_each_route_answers_each_role(client, cast, entries, who):
    user = getattr(cast, who)
    assert login(client, user.email).status_code == 302
    for path, ok, moved in _paths(cast, entries):
        expected = 200 if who in ok else 302 if who in moved else 403
        assert client.get(path).status_code == expected, f"{who} on {path}"


def test_anonymous_visitors_are_sent_to_sign_in(client, cast, entries):
    for path, _ok, _moved in _paths(cast, entries):
        response = client.get(path)
        assert response.status_code == 302, path
        assert "/login" in response.headers["Location"], path


def test_unknown_records_are_404(client, cast):
    login(client, cast.foundation.email)
    for path in (
        "/mentoring/mentees/9999",
        "/mentoring/entries/9999",
        "/mentoring/assignments/9999",
        f"/mentoring/assignments/{cast.trainer.id}",
    ):
        assert client.get(path).status_code == 404, path


def _counts():
    """Rows in each mentoring table."""
    return [
        db.session.scalar(db.select(db.func.count()).select_from(m))
        for m in (MentorAssignment, FeedbackEntry, FeedbackReply, Recommendation)
    ]


def test_posts_by_the_wrong_people_are_refused_and_change_nothing(client, post_form, cast, entries):
    before = _counts()
    login(client, cast.other_mentor.email)
    for path in (
        f"/mentoring/mentees/{cast.mentee.id}/entries/new",
        f"/mentoring/mentees/{cast.mentee.id}/recommendation",
        f"/mentoring/entries/{entries.shared.id}/edit",
    ):
        assert (
            post_form(
                path,
                {
                    "observations": "x",
                    "visibility": "shared",
                    "status": "recommended",
                    "reason": "x",
                },
                page="/mentoring/mentees",
            ).status_code
            == 403
        ), path
    assert (
        post_form(
            f"/mentoring/assignments/{cast.other_participant.id}",
            {"action": "assign", "mentor": cast.other_mentor.email, "reason": "ich"},
            page="/mentoring/mentees",
        ).status_code
        == 403
    )
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, cast.foundation.email)
    assert (
        post_form(
            f"/mentoring/entries/{entries.shared.id}", {"body": "Stiftung antwortet"}
        ).status_code
        == 403
    )
    assert _counts() == before
    assert operations.current_mentor(cast.other_participant) is None


def test_former_mentor_reads_but_cannot_write(client, post_form, cast, entries):
    operations.assign_mentor(cast.mentee, cast.other_mentor, cast.foundation, "Wechsel")
    db.session.commit()
    login(client, cast.mentor.email)
    page = client.get(f"/mentoring/mentees/{cast.mentee.id}").get_data(as_text=True)
    assert "Nur lesen" in page and "Nur intern." in page and "Neuer Eintrag" not in page
    assert client.get(f"/mentoring/mentees/{cast.mentee.id}/entries/new").status_code == 403
    assert client.get(f"/mentoring/entries/{entries.private.id}/edit").status_code == 403
    assert "Früher begleitet" in client.get("/mentoring/mentees").get_data(as_text=True)


def test_forms_without_csrf_token_are_refused(client, cast):
    login(client, cast.mentor.email)
    response = client.post(
        f"/mentoring/mentees/{cast.mentee.id}/entries/new",
        data={"observations": "x", "visibility": "shared", "occasion": "q2_session"},
    )
    assert response.status_code == 400
    assert "Formular abgelaufen" in response.get_data(as_text=True)
    assert _counts() == [1, 0, 0, 0]
