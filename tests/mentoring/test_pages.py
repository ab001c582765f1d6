"""The pages people use: assigning, writing entries, answering, recommending."""

from datetime import date

import pytest

from lotse_lms.extensions import db
from lotse_lms.mentoring import feedback, operations, validation
from lotse_lms.mentoring.models import FeedbackEntry, FeedbackReply, Recommendation

from ..conftest import login


def _count(model):
    """Number of rows of ``model``."""
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def _entry_form(**overrides):
    """Form data of a valid entry."""
    data = {
        "occurred_on": date.today().isoformat(),
        "occasion": "q2_session",
        "occasion_other": "",
        "observations": "Gute Moderation.",
        "next_steps": "",
        "visibility": "shared",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_foundation_assigns_a_mentor_with_a_reason(client, post_form, cast):
    login(client, cast.foundation.email)
    path = f"/mentoring/assignments/{cast.other_participant.id}"
    page = client.get(path).get_data(as_text=True)
    assert 'data-picker="/people/search?pool=mentor"' in page and "Martin Mentor" not in page
    response = post_form(
        path, {"action": "assign", "mentor": cast.other_mentor.email, "reason": ""}
    )
    assert response.status_code == 200
    assert "Bitte füllen Sie dieses Feld aus." in response.get_data(as_text=True)
    assert operations.current_mentor(cast.other_participant) is None
    response = post_form(
        path,
        {"action": "assign", "mentor": cast.other_mentor.email, "reason": "Gleiche Branche."},
        follow_redirects=True,
    )
    assert "Martin Mentor begleitet jetzt Paul Praxis." in response.get_data(as_text=True)
    assert operations.current_mentor(cast.other_participant).id == cast.other_mentor.id


def test_trainer_changes_and_ends_a_mentoring_and_sees_the_history(client, post_form, cast):
    login(client, cast.trainer.email)
    path = f"/mentoring/assignments/{cast.mentee.id}"
    post_form(
        path,
        {
            "action": "assign",
            "mentor": cast.other_mentor.email,
            "reason": "Wechsel **gewünscht**",
        },
    )
    response = post_form(path, {"action": "end", "end-reason": "Pause"}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Das Mentoring für Lena Lotsin ist beendet." in page
    assert (
        "<strong>gewünscht</strong>" in page
        and "Miriam Mentorin" in page
        and "Martin Mentor" in page
    )
    assert operations.current_mentor(cast.mentee) is None
    assert len(operations.assignment_history(cast.mentee)) == 2


def test_trainers_do_not_see_recommendations_foundation_does(client, cast):
    operations.recommend(cast.mentee, cast.mentor, "recommended", "Sehr gut.")
    db.session.commit()
    login(client, cast.trainer.email)
    assert "empfohlen" not in client.get("/mentoring/assignments").get_data(as_text=True)
    other = client.application.test_client()
    login(other, cast.foundation.email)
    assert "empfohlen" in other.get("/mentoring/assignments").get_data(as_text=True)
    assert "Paul Praxis" in other.get("/mentoring/assignments?ohne=1").get_data(as_text=True)


def test_entry_without_visibility_choice_is_refused_and_nothing_saved(client, post_form, cast):
    login(client, cast.mentor.email)
    path = f"/mentoring/mentees/{cast.mentee.id}/entries/new"
    form = client.get(path).get_data(as_text=True)
    assert 'type="radio"' in form and "checked" not in form  # no default choice
    response = post_form(path, _entry_form(visibility=None))
    assert response.status_code == 200
    assert "Bitte wählen Sie, ob der Eintrag geteilt wird" in response.get_data(as_text=True)
    assert _count(FeedbackEntry) == 0


def test_other_occasion_needs_its_text(client, post_form, cast):
    login(client, cast.mentor.email)
    path = f"/mentoring/mentees/{cast.mentee.id}/entries/new"
    response = post_form(path, _entry_form(occasion="other"))
    assert "Bitte beschreiben Sie den Anlass." in response.get_data(as_text=True)
    assert _count(FeedbackEntry) == 0
    assert (
        post_form(path, _entry_form(occasion="other", occasion_other="Telefonat")).status_code
        == 302
    )
    assert db.session.scalars(db.select(FeedbackEntry)).one().occasion_label == "Telefonat"


def test_entry_form_shows_every_error_after_one_submit(client, post_form, cast):
    login(client, cast.mentor.email)
    path = f"/mentoring/mentees/{cast.mentee.id}/entries/new"
    future = date.fromordinal(date.today().toordinal() + 3).isoformat()
    response = post_form(
        path,
        _entry_form(occurred_on=future, occasion="other", observations="", visibility=None),
    )
    page = response.get_data(as_text=True)
    for message in (
        "Das Datum darf nicht in der Zukunft liegen.",
        "Bitte beschreiben Sie den Anlass.",
        "Bitte wählen Sie, ob der Eintrag geteilt wird",
    ):
        assert message in page
    assert 'aria-invalid="true"' in page
    assert _count(FeedbackEntry) == 0


def test_feedback_operation_refuses_every_bad_field_at_once(cast):
    future = date.fromordinal(date.today().toordinal() + 3)
    with pytest.raises(validation.MentoringError) as refused:
        feedback.create_entry(
            cast.mentee,
            cast.mentor,
            occurred_on=future,
            occasion="other",
            observations=" ",
            visibility="everyone",
        )
    fields = [name for name, _message in refused.value.errors]
    assert fields == ["occurred_on", "occasion_other", "observations", "visibility"]


def test_mentee_sees_shared_entries_only_and_answers(client, post_form, cast):
    login(client, cast.mentor.email)
    path = f"/mentoring/mentees/{cast.mentee.id}/entries/new"
    post_form(path, _entry_form(observations="Geteilte Beobachtung", visibility="shared"))
    post_form(path, _entry_form(observations="Private Notiz", visibility="private"))
    mentor_page = client.get(f"/mentoring/mentees/{cast.mentee.id}").get_data(as_text=True)
    assert (
        "nur für Mentorin / Mentor und Stiftung" in mentor_page
        and "mit Lena Lotsin geteilt" in mentor_page
    )

    mentee = client.application.test_client()
    login(mentee, cast.mentee.email)
    page = mentee.get("/mentoring/me").get_data(as_text=True)
    assert (
        "Geteilte Beobachtung" in page and "mit Ihnen geteilt" in page and "Miriam Mentorin" in page
    )
    assert "Private Notiz" not in page and "nur für Mentorin / Mentor und Stiftung" not in page
    shared = db.session.scalars(db.select(FeedbackEntry).filter_by(visibility="shared")).one()
    entry_path = f"/mentoring/entries/{shared.id}"
    response = mentee.post(entry_path, data={"body": " ", "csrf_token": _token(mentee, entry_path)})
    assert "Bitte füllen Sie dieses Feld aus." in response.get_data(as_text=True)
    response = mentee.post(
        entry_path,
        data={"body": "Danke, ich übe das.", "csrf_token": _token(mentee, entry_path)},
        follow_redirects=True,
    )
    assert "Danke, ich übe das." in response.get_data(as_text=True)
    assert _count(FeedbackReply) == 1


def _token(client, path):
    """The CSRF token of the page at ``path`` for ``client``."""
    from ..conftest import csrf_token

    return csrf_token(client, path)


def test_mentor_revises_an_entry_and_the_old_version_stays_visible(
    client, post_form, cast, entries
):
    login(client, cast.mentor.email)
    edit = f"/mentoring/entries/{entries.shared.id}/edit"
    assert "Klare Moderation." in client.get(edit).get_data(as_text=True)
    response = post_form(
        edit, _entry_form(observations="Klare, ruhige Moderation."), follow_redirects=True
    )
    page = response.get_data(as_text=True)
    assert "die vorige Fassung bleibt im Verlauf" in page
    assert "Frühere Fassungen" in page and "Klare Moderation." in page and "Fassung 2" in page


def test_recommendation_requires_choice_and_reason(client, post_form, cast):
    login(client, cast.mentor.email)
    path = f"/mentoring/mentees/{cast.mentee.id}/recommendation"
    page = post_form(path, {"reason": "Gut"}).get_data(as_text=True)
    assert "Bitte wählen Sie „empfohlen“ oder „noch nicht“." in page
    page = post_form(path, {"status": "recommended", "reason": ""}).get_data(as_text=True)
    assert "Bitte füllen Sie dieses Feld aus." in page
    assert _count(Recommendation) == 0
    response = post_form(path, {"status": "not_yet", "reason": "Experimentierraum fehlt."})
    assert response.status_code == 302
    post_form(path, {"status": "recommended", "reason": "Jetzt **vollständig**."})
    page = client.get(path).get_data(as_text=True)
    assert "Experimentierraum fehlt." in page and "<strong>vollständig</strong>" in page
    assert operations.is_recommended(cast.mentee)
    mentee = client.application.test_client()
    login(mentee, cast.mentee.email)
    assert "<strong>vollständig</strong>" in mentee.get("/mentoring/me").get_data(as_text=True)


def test_mentor_list_shows_mentees_with_their_recommendation(client, cast):
    operations.recommend(cast.mentee, cast.mentor, "not_yet", "Noch nicht.")
    db.session.commit()
    login(client, cast.mentor.email)
    page = client.get("/mentoring/mentees").get_data(as_text=True)
    assert "Lena Lotsin" in page and "noch nicht empfohlen" in page


def test_a_malformed_date_gets_a_german_message(client, post_form, cast):
    login(client, cast.mentor.email)
    path = f"/mentoring/mentees/{cast.mentee.id}/entries/new"
    page = post_form(path, _entry_form(occurred_on="2026-13-45")).get_data(as_text=True)
    assert "Not a valid" not in page
    assert 'id="occurred_on-error"' in page
    assert _count(FeedbackEntry) == 0
