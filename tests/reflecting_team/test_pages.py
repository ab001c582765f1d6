"""The pages people use: forms show German messages on the field and change nothing on bad input."""

from datetime import date, timedelta

from lotse_lms.extensions import db
from lotse_lms.reflecting_team.models import RTAmendment, RTCase, RTReflection, RTSession

from .conftest import METHOD, sign_in


def _form(cast, **change):
    """A valid session form, with changes."""
    data = {
        "held_on": "2026-12-03",
        "title": "",
        "case_owner": cast.owner.email,
        "members": ", ".join(m.email for m in cast.members),
        "method_slug": METHOD,
        "q2_session_id": "",
    }
    data.update(change)
    return data


def test_trainer_sets_up_session_through_the_form(client, cast, post_form, q2_live_session):
    sign_in(client, cast.trainer)
    page = client.get("/reflecting-team/sessions/new").get_data(as_text=True)
    assert "Reflecting Team nach Tom Andersen" in page and 'data-picker="' in page
    assert "Olga Fallgeberin" not in page  # people are searched, not listed
    assert "Q2: Moderation im Experimentierraum (03.12.2026)" in page
    response = post_form(
        "/reflecting-team/sessions/new", _form(cast, q2_session_id=str(q2_live_session.id))
    )
    assert response.status_code == 302
    session = db.session.scalar(db.select(RTSession))
    assert session.q2_session_id == q2_live_session.id and session.held_on == date(2026, 12, 3)
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert (
        "Die Sitzung ist angelegt" in shown
        and "Max Mitglied, Mia Mentorin, Rolf Reflektor" in shown
    )
    assert f'href="/q2/sessions/{q2_live_session.id}"' in shown


def test_bad_session_form_shows_messages_and_saves_nothing(client, cast, post_form):
    sign_in(client, cast.trainer)
    response = post_form(
        "/reflecting-team/sessions/new", _form(cast, members=cast.members[0].email)
    )
    assert response.status_code == 422
    assert "Das Reflecting Team braucht 3 bis 5 Personen." in response.get_data(as_text=True)
    response = post_form(
        "/reflecting-team/sessions/new", _form(cast, held_on="gestern", q2_session_id="abc")
    )
    page = response.get_data(as_text=True)
    assert "Bitte geben Sie ein gültiges Datum an." in page
    assert "Bitte wählen Sie eine Q2-Sitzung aus der Liste." in page
    response = post_form(
        "/reflecting-team/sessions/new", _form(cast, case_owner=cast.members[1].email)
    )
    assert "Fallgebend kann nur eine angehende Lotsin" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(RTSession.id))) == 0


def test_trainer_edits_frame_through_the_form(client, cast, new_session, post_form):
    session = new_session()
    sign_in(client, cast.trainer)
    page = client.get(f"/reflecting-team/sessions/{session.id}/edit").get_data(as_text=True)
    assert 'value="2026' in page or 'value="20' in page
    response = post_form(
        f"/reflecting-team/sessions/{session.id}/edit",
        _form(cast, title="Neuer Titel", method_slug="fishbowl"),
    )
    assert response.status_code == 302
    db.session.refresh(session)
    assert session.title == "Neuer Titel" and session.method_slug == "fishbowl"


def test_case_owner_writes_case_with_the_privacy_notice(client, cast, new_session, post_form):
    session = new_session()
    sign_in(client, cast.owner)
    path = f"/reflecting-team/sessions/{session.id}/case"
    page = client.get(path).get_data(as_text=True)
    assert "Keine personenbezogenen Daten Dritter." in page
    response = post_form(path, {"situation": "Lage", "firms": "", "question": "Frage?"})
    assert response.status_code == 422 and "Bitte füllen Sie dieses Feld aus." in response.get_data(
        as_text=True
    )
    assert db.session.scalar(db.select(db.func.count(RTCase.id))) == 0
    response = post_form(
        path, {"situation": "Lage", "firms": "Zwei Bäckereien", "question": "Frage?"}
    )
    assert response.status_code == 302
    assert "Zwei Bäckereien" in client.get(f"/reflecting-team/sessions/{session.id}").get_data(
        as_text=True
    )


def test_member_reflects_then_trainer_closes_then_amendment(client, cast, new_session, post_form):
    session = new_session(case=True)
    member = cast.members[1]
    sign_in(client, member)
    path = f"/reflecting-team/sessions/{session.id}/reflection"
    response = post_form(path, {"observations": "", "hypotheses": "", "ideas": ""})
    assert "mindestens eines" in response.get_data(as_text=True)
    assert (
        post_form(
            path, {"observations": "Viel Energie.", "hypotheses": "", "ideas": ""}
        ).status_code
        == 302
    )
    sign_in(client, cast.trainer)
    post_form(
        f"/reflecting-team/sessions/{session.id}/close",
        {},
        page=f"/reflecting-team/sessions/{session.id}",
    )
    sign_in(client, member)
    locked = client.get(path)
    assert locked.status_code == 302  # back to the session with a message, no form any more
    reflection = db.session.scalar(db.select(RTReflection))
    amend = f"/reflecting-team/sessions/{session.id}/amend/reflection/{reflection.id}"
    assert "Nachtrag hinzufügen" in client.get(f"/reflecting-team/sessions/{session.id}").get_data(
        as_text=True
    )
    assert post_form(amend, {"body": ""}).status_code == 422
    assert post_form(amend, {"body": "Und Zuversicht."}).status_code == 302
    page = client.get(f"/reflecting-team/sessions/{session.id}").get_data(as_text=True)
    assert "Viel Energie." in page and "Und Zuversicht." in page
    assert db.session.scalar(db.select(db.func.count(RTAmendment.id))) == 1


def test_self_reflection_page_refuses_before_the_session(client, cast, new_session, post_form):
    session = new_session(case=True, held_on=date.today() + timedelta(days=2))
    sign_in(client, cast.owner)
    response = client.get(f"/reflecting-team/sessions/{session.id}/self-reflection")
    assert response.status_code == 302
    assert "Selbstreflexion ist jetzt nicht möglich" in client.get(
        response.headers["Location"]
    ).get_data(as_text=True)


def test_method_library_lists_and_shows_methods(client, cast):
    sign_in(client, cast.outsider)
    page = client.get("/reflecting-team/methods").get_data(as_text=True)
    assert page.count('class="card"') >= 5 and "Kollegiale Fallberatung" in page
    detail = client.get("/reflecting-team/methods/reflecting-team-andersen").get_data(as_text=True)
    for heading in ["Zweck", "Ablauf", "Zeitbedarf", "Rollen", "Stolpersteine"]:
        assert f">{heading}</h2>" in detail
    assert "60 Minuten" in detail


def test_dashboard_shows_todo_panels_and_the_step(client, cast, new_session):
    session = new_session(case=True)
    sign_in(client, cast.members[0])
    page = client.get("/").get_data(as_text=True)
    assert "Reflexion schreiben" in page and session.title in page
    assert "als Fallgeberin / Fallgeber 0 von 1, als Teammitglied 0 von 2" in page
    sign_in(client, cast.trainer)
    page = client.get("/").get_data(as_text=True)
    assert "Ihre Reflecting-Team-Sitzungen" in page and "0 von 3 Reflexionen" in page
    fresh = new_session()
    sign_in(client, cast.owner)
    page = client.get("/").get_data(as_text=True)
    assert f"/reflecting-team/sessions/{fresh.id}/case" in page and "Fall beschreiben" in page
