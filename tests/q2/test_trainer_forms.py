"""The trainer's session form: every error at once, nothing typed lost, any number of dates."""

import pytest
import sqlalchemy as sa

from lotse_lms.extensions import db
from lotse_lms.modules.q2 import operations
from lotse_lms.modules.q2.common import Q2Error
from lotse_lms.modules.q2.models import LiveSession

from ..conftest import login
from .conftest import berlin, session_data
from .test_pages import _form

FOUR_ERRORS = (
    "Bitte geben Sie einen gültigen Link beginnend mit https:// an.",
    "muss nach dem Beginn",
    "liegt in der Vergangenheit",
    "Die Anmeldefrist muss vor dem ersten Termin enden.",
)


def _four_bad(day, trainer):
    """A javascript: link, a date ending before it starts, one in the past, a late deadline."""
    return dict(
        _form(
            day,
            meeting_url="javascript:alert(1)",
            **{
                "dates-0-end": "08:00",
                "dates-1-day": berlin(-30).date().isoformat(),
                "dates-1-start": "09:00",
                "dates-1-end": "10:00",
                "dates-2-day": day.isoformat(),
                "dates-2-start": "14:00",
                "dates-2-end": "15:00",
                "enrol_deadline": f"{berlin(40).date().isoformat()}T10:00",
            },
        ),
        trainer_ids=trainer.email,
    )


def test_operation_refuses_every_bad_field_at_once(trainer):
    data = session_data(
        trainer,
        title=" ",
        meeting_url="javascript:alert(1)",
        dates=[(berlin(10, 12), berlin(10, 9)), (berlin(-30, 9), berlin(-30, 10))],
        enrol_deadline=berlin(40),
        trainer_ids=[],
    )
    with pytest.raises(Q2Error) as refused:
        operations.create_session(trainer, data)
    fields = [name for name, _text in refused.value.errors]
    assert fields == ["title", "meeting_url", "dates", "dates", "enrol_deadline", "trainer_ids"]
    assert db.session.scalar(sa.select(sa.func.count(LiveSession.id))) == 0


def test_operation_refuses_a_deadline_after_the_first_date_with_the_other_errors(trainer):
    data = session_data(trainer, capacity=0, enrol_deadline=berlin(40), cancel_deadline=berlin(41))
    with pytest.raises(Q2Error) as refused:
        operations.create_session(trainer, data)
    assert [n for n, _t in refused.value.errors] == [
        "capacity",
        "enrol_deadline",
        "cancel_deadline",
    ]


def test_session_form_shows_four_errors_after_one_submit_and_keeps_the_input(
    client, post_form, trainer
):
    login(client, trainer.email)
    day = berlin(30).date()
    response = post_form("/q2/manage/new", _four_bad(day, trainer))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    for message in FOUR_ERRORS:
        assert message in page, message
    assert 'value="javascript:alert(1)"' in page and 'value="08:00"' in page
    assert 'id="meeting_url" aria-describedby' in page or 'aria-invalid="true"' in page
    assert db.session.scalar(sa.select(sa.func.count(LiveSession.id))) == 0


def test_form_and_operation_errors_show_together(client, post_form, trainer):
    login(client, trainer.email)
    day = berlin(30).date()
    response = post_form(
        "/q2/manage/new",
        dict(_form(day, title="", meeting_url="ftp://x", **{"dates-0-end": "08:00"})),
    )
    page = response.get_data(as_text=True)
    assert "Bitte füllen Sie dieses Feld aus." in page  # the form's own check (title)
    assert "gültigen Link" in page and "muss nach dem Beginn" in page
    assert "mindestens eine Trainerin oder einen Trainer" in page


def test_add_a_date_without_script_keeps_everything_typed(client, post_form, trainer):
    login(client, trainer.email)
    day = berlin(30).date()
    data = dict(_form(day, title="Sechs Termine"), trainer_ids=trainer.email)
    for row in range(1, 5):
        other = berlin(30 + row).date().isoformat()
        data.update({f"dates-{row}-day": other, f"dates-{row}-start": "09:00"})
        data[f"dates-{row}-end"] = "12:00"
    page = post_form("/q2/manage/new", dict(data, add_date="1")).get_data(as_text=True)
    assert 'name="dates-5-day"' in page and 'value="Sechs Termine"' in page
    assert f'value="{berlin(34).date().isoformat()}"' in page
    assert db.session.scalar(sa.select(sa.func.count(LiveSession.id))) == 0
    data.update({"dates-5-day": berlin(35).date().isoformat(), "dates-5-start": "09:00"})
    data["dates-5-end"] = "11:00"
    assert post_form("/q2/manage/new", data).status_code == 302
    session = db.session.scalars(sa.select(LiveSession)).one()
    assert len(session.dates) == 6 and session.minutes == 5 * 180 + 120
    edit = client.get(f"/q2/manage/{session.id}/edit").get_data(as_text=True)
    assert 'name="dates-6-day"' in edit  # the six dates and one empty row


def test_a_moved_session_with_another_error_names_only_that_error(
    client, post_form, trainer, new_session
):
    session = new_session()
    login(client, trainer.email)
    path = f"/q2/manage/{session.id}/edit"
    page = client.get(path).get_data(as_text=True)
    assert 'name="enrol_deadline"' in page
    deadline = berlin(14, 9).strftime("%Y-%m-%dT%H:%M")  # left as shown: the first start
    data = dict(
        _form(berlin(10).date(), title="", enrol_deadline=deadline, cancel_deadline=deadline),
        trainer_ids=trainer.email,
    )
    response = post_form(path, data)
    text = response.get_data(as_text=True)
    assert response.status_code == 422 and "Bitte füllen Sie dieses Feld aus." in text
    assert "Anmeldefrist muss vor dem ersten Termin" not in text  # it follows the moved date
    assert post_form(path, dict(data, title="Verschoben")).status_code == 302


def test_trainers_are_picked_by_name_or_e_mail_not_from_a_box_per_trainer(
    client, post_form, trainer, make_user
):
    others = [make_user("trainer", name=f"Trainer Nummer {i}") for i in range(30)]
    login(client, trainer.email)
    page = client.get("/q2/manage/new").get_data(as_text=True)
    assert 'type="checkbox" name="trainer_ids"' not in page
    assert "Trainer Nummer 7" not in page  # no option per trainer in the page
    assert f'value="{trainer.email}"' in page and "data-picker=" in page
    found = client.get("/people/search?pool=q2_trainer&q=nummer 7").get_json()
    assert [p["email"] for p in found["results"]] == [others[7].email]
    day = berlin(30).date()
    response = post_form(
        "/q2/manage/new", dict(_form(day), trainer_ids=f"{trainer.email}, {others[7].email}")
    )
    assert response.status_code == 302
    session = db.session.scalars(sa.select(LiveSession)).one()
    assert {u.id for u in session.trainers} == {trainer.id, others[7].id}
    edit = client.get(f"/q2/manage/{session.id}/edit").get_data(as_text=True)
    assert f"{trainer.email}, {others[7].email}" in edit or (
        f"{others[7].email}, {trainer.email}" in edit
    )


def test_an_unknown_address_or_a_non_trainer_is_refused_with_the_other_errors(
    client, post_form, trainer, make_user
):
    lotse = make_user("participant", name="Lena Lotsin")
    login(client, trainer.email)
    day = berlin(30).date()
    response = post_form(
        "/q2/manage/new", dict(_form(day, title=" "), trainer_ids="niemand@example.org")
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Niemand mit dieser E-Mail-Adresse gefunden: niemand@example.org" in page
    assert "Bitte füllen Sie dieses Feld aus." in page
    response = post_form("/q2/manage/new", dict(_form(day), trainer_ids=lotse.email))
    assert response.status_code == 422
    assert "Nur Personen mit der Rolle Trainerin / Trainer" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(LiveSession.id))) == 0
    assert client.get("/people/search?pool=q2_trainer&q=lena").get_json()["results"] == []
