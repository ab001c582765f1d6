"""Signing in and out, throttling of guessed passwords, password reset by mail."""

import re

import pytest

from lotse_lms.accounts import operations
from lotse_lms.accounts.errors import AccountError
from lotse_lms.accounts.models import User
from lotse_lms.core import jobs
from lotse_lms.core.models import OutboxMail
from lotse_lms.extensions import db

from ..conftest import PASSWORD, csrf_token, login


def test_sign_in_reaches_dashboard_and_sign_out_ends_session(client, make_user):
    user = make_user("participant", name="Lena Lotsin")
    response = login(client, user.email)
    assert response.status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert "Guten Tag, Lena Lotsin" in page
    assert "Autorisierung als OM-Beraterin / OM-Berater" in page
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert "Anmelden" in client.get("/").get_data(as_text=True)
    assert client.get("/profile").status_code == 302


def test_password_is_stored_as_scrypt_hash(make_user):
    user = make_user()
    assert user.password_hash.startswith("scrypt:")
    assert PASSWORD not in user.password_hash


def test_wrong_password_gives_german_message_and_no_session(client, make_user):
    user = make_user()
    response = login(client, user.email, "falsch-falsch")
    assert response.status_code == 422
    assert "E-Mail-Adresse oder Passwort ist falsch." in response.get_data(as_text=True)
    assert client.get("/profile").status_code == 302


def test_deactivated_account_cannot_sign_in(client, make_user):
    user = make_user()
    user.active = False
    db.session.commit()
    response = login(client, user.email)
    assert "deaktiviert" in response.get_data(as_text=True)


def _reset_link(recipient):
    """Return the reset link from the newest mail to ``recipient``."""
    mail = db.session.scalars(
        db.select(OutboxMail).filter_by(recipient=recipient).order_by(OutboxMail.id.desc())
    ).first()
    assert mail is not None, "no mail queued"
    return re.search(r"http://localhost(/password/reset/\S+)", mail.body).group(1)


def test_password_reset_by_mailed_link_works_once(client, post_form, make_user):
    user = make_user(email="vergesslich@example.org")
    response = post_form("/password/forgot", {"email": "Vergesslich@Example.org "})
    assert response.status_code == 302
    link = _reset_link(user.email)
    jobs.run_pending()  # the worker's part: without SMTP the mail is logged and marked sent
    db.session.expire_all()
    mail = db.session.scalars(db.select(OutboxMail)).one()
    assert mail.sent_at is not None
    response = post_form(link, {"password": "ein-neues-passwort", "confirm": "ein-neues-passwort"})
    assert response.status_code == 302
    assert login(client, user.email, "ein-neues-passwort").status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    again = client.get(link, follow_redirects=True).get_data(as_text=True)
    assert "bereits verwendet" in again


def test_reset_for_unknown_address_reveals_nothing(client, post_form):
    response = post_form(
        "/password/forgot", {"email": "unbekannt@example.org"}, follow_redirects=True
    )
    assert "Wenn es zu dieser Adresse ein Konto gibt" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(OutboxMail.id))) == 0


def test_expired_reset_link_is_refused(app, make_user):
    user = make_user()
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    token = operations.make_password_token(user)
    with pytest.raises(AccountError, match="abgelaufen"):
        operations.user_from_password_token(token)


def test_changing_the_password_signs_out_other_sessions(app, make_user):
    user = make_user()
    first, second = app.test_client(), app.test_client()
    login(first, user.email)
    login(second, user.email)
    response = first.post(
        "/profile/password",
        data={
            "current": PASSWORD,
            "password": "ganz-neues-passwort",
            "confirm": "ganz-neues-passwort",
            "csrf_token": csrf_token(first, "/profile/password"),
        },
    )
    assert response.status_code == 302
    assert first.get("/profile").status_code == 200
    assert second.get("/profile").status_code == 302
    assert db.session.get(User, user.id).password_hash.startswith("scrypt:")
