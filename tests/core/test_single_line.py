"""Single-line fields (names, titles, subjects) refuse control characters with a German message."""

import pytest
from werkzeug.datastructures import MultiDict

from lotse_lms.accounts import operations
from lotse_lms.accounts.errors import AccountError
from lotse_lms.accounts.models import User
from lotse_lms.core.forms import LotseForm, is_single_line
from lotse_lms.core.text import CONTROL_MESSAGE
from lotse_lms.extensions import db

BAD = ["Eve\r\nBcc: opfer@example.org", "Eve\tHaas", "Eve\x00", "Eve\u202eevE", "Eve\u2028Haas"]


def _all_forms():
    """Every form class of every area (they all derive from LotseForm)."""
    found, todo = [], list(LotseForm.__subclasses__())
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__name__}")


def test_every_area_form_derives_from_the_checking_base(app):
    names = {f"{c.__module__.split('.')[1]}.{c.__name__}" for c in _all_forms()}
    assert {"accounts.RegisterForm", "accounts.ProfileForm", "accounts.UserForm"} <= names
    assert any(n.startswith("modules.") for n in names)
    assert any(n.startswith("reflecting_team.") for n in names)
    assert any(n.startswith("mentoring.") for n in names)


def test_every_single_line_field_of_every_form_refuses_control_characters(app):
    checked = 0
    for cls in _all_forms():
        with app.test_request_context(method="POST"):
            probe = cls(meta={"csrf": False})
            fields = [f.name for f in probe if is_single_line(f)]
            if not fields:
                continue
            form = cls(
                formdata=MultiDict({n: "Eve\r\nBcc: x@evil.example" for n in fields}),
                meta={"csrf": False},
            )
            for field in form:
                if hasattr(field, "choices") and field.choices is None:
                    field.choices = []
            form.validate()
            for name in fields:
                assert str(CONTROL_MESSAGE) in [str(e) for e in form[name].errors], (cls, name)
                checked += 1
    assert checked >= 10


@pytest.mark.parametrize("name", BAD)
def test_registration_refuses_a_name_with_control_characters(client, post_form, name):
    response = post_form(
        "/register",
        {
            "name": name,
            "email": "eve@example.org",
            "region": "Saarland",
            "password": "sicheres-passwort",
            "confirm": "sicheres-passwort",
            "privacy": "y",
        },
    )
    assert response.status_code == 200
    assert "ohne Steuerzeichen" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(User).filter_by(email="eve@example.org")) is None


def test_operations_refuse_control_characters_too(app, make_user):
    with pytest.raises(AccountError, match="Steuerzeichen") as caught:
        operations.create_user("eve@example.org", "Eve\r\nBcc: x@evil.example")
    assert caught.value.field == "name"
    user = make_user()
    with pytest.raises(AccountError, match="Steuerzeichen"):
        operations.update_profile(user, organisation="Firma\nBcc: x")


def test_ordinary_names_are_accepted(app):
    user = operations.create_user("zoe@example.org", "Zoë Ørsted-Müller (Ş. Çelik)")
    assert user.name.startswith("Zoë")
