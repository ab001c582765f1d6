"""Rate limits on sign-in (per client and per account), server-side sign-out, no account enumeration."""

from concurrent.futures import ThreadPoolExecutor

import pytest
import redis

from lotse_lms.accounts import operations
from lotse_lms.accounts.errors import AccountError
from lotse_lms.accounts.models import User
from lotse_lms.core.models import OutboxMail
from lotse_lms.extensions import db

from ..conftest import PASSWORD, csrf_token, login

REDIS_URL = "redis://127.0.0.1:6379/3"


def _stranger(app):
    """A new browser that has never signed in here."""
    return app.test_client()


@pytest.mark.config(LOGIN_LIMIT_PER_ACCOUNT="3 per minute")
def test_guesses_for_one_account_stop_at_the_limit_with_a_german_page(app, make_user):
    user = make_user()
    for _ in range(3):
        assert login(_stranger(app), user.email, "falsch-falsch").status_code == 422
    response = login(_stranger(app), user.email)  # the right password, but the limit is used up
    assert response.status_code == 429
    assert "Zu viele Versuche" in response.get_data(as_text=True)
    assert response.headers.get("Retry-After")


@pytest.mark.config(LOGIN_LIMIT_PER_ACCOUNT="3 per minute")
def test_strangers_cannot_lock_the_owner_out_of_a_browser_they_used_before(app, make_user):
    user = make_user()
    owner = app.test_client()
    assert login(owner, user.email).status_code == 302  # this browser now counts as known
    owner.post("/logout", data={"csrf_token": csrf_token(owner, "/")})
    for _ in range(4):
        login(_stranger(app), user.email, "falsch-falsch")
    assert login(_stranger(app), user.email).status_code == 429
    assert login(owner, user.email).status_code == 302


@pytest.mark.config(LOGIN_LIMIT_PER_CLIENT="4 per minute")
def test_one_client_guessing_many_accounts_is_limited(client, make_user):
    users = [make_user() for _ in range(5)]
    statuses = [login(client, u.email, "falsch-falsch").status_code for u in users]
    assert statuses == [422, 422, 422, 422, 429]


@pytest.mark.config(LOGIN_LIMIT_PER_ACCOUNT="5 per minute", LOGIN_LIMIT_PER_CLIENT="100 per minute")
def test_parallel_guesses_check_at_most_the_limit_and_never_fail(app, make_user):
    email = make_user().email
    clients = [_stranger(app) for _ in range(24)]
    tokens = [csrf_token(c, "/login") for c in clients]

    def guess(pair):
        one, token = pair
        data = {"email": email, "password": "falsch-falsch", "csrf_token": token}
        return one.post("/login", data=data).status_code

    with ThreadPoolExecutor(max_workers=24) as pool:
        statuses = list(pool.map(guess, zip(clients, tokens, strict=True)))
    assert sorted(set(statuses)) == [422, 429], statuses
    assert statuses.count(422) == 5


@pytest.mark.config(RATELIMIT_STORAGE_URI=REDIS_URL, LOGIN_LIMIT_PER_ACCOUNT="2 per minute")
def test_limits_are_counted_in_redis_when_configured(app, make_user):
    store = redis.Redis.from_url(REDIS_URL)
    store.flushdb()
    try:
        user = make_user()
        assert login(_stranger(app), user.email, "x-falsch-x").status_code == 422
        assert login(_stranger(app), user.email, "x-falsch-x").status_code == 422
        assert login(_stranger(app), user.email).status_code == 429
        assert any(b"LIMITER" in key for key in store.keys())
    finally:
        store.flushdb()


def test_a_session_cookie_copied_before_sign_out_no_longer_works(app, client, make_user):
    user = make_user()
    token = csrf_token(client, "/login")
    response = client.post(
        "/login",
        data={"email": user.email, "password": PASSWORD, "remember": "y", "csrf_token": token},
    )
    assert response.status_code == 302
    copied = {c.key: c.value for c in client._cookies.values()}
    assert "session" in copied and "remember_token" in copied
    thief = app.test_client()
    for name, value in copied.items():
        thief.set_cookie(name, value)
    assert thief.get("/profile").status_code == 200
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    for only in ("session", "remember_token"):
        replay = app.test_client()
        replay.set_cookie(only, copied[only])
        assert replay.get("/profile").status_code == 302, only


def test_unknown_addresses_cost_a_password_check_too(app):
    operations._decoy_hash.cache_clear()
    with pytest.raises(AccountError, match="falsch"):
        operations.authenticate("niemand@example.org", "irgendwas")
    assert operations._decoy_hash.cache_info().currsize == 1


def _register(post_form, email):
    return post_form(
        "/register",
        {
            "name": "Lena Lotsin",
            "email": email,
            "region": "Saarland",
            "password": "sicheres-passwort",
            "confirm": "sicheres-passwort",
            "privacy": "y",
        },
    )


def test_registering_a_known_address_looks_the_same_and_mails_the_owner(post_form, make_user):
    make_user(email="lena@example.org")
    known = _register(post_form, "LENA@example.org")
    new = _register(post_form, "neu@example.org")
    assert known.status_code == new.status_code == 302
    assert known.headers["Location"] == new.headers["Location"]
    assert db.session.scalar(db.select(db.func.count(User.id))) == 2
    to_owner = db.session.scalars(
        db.select(OutboxMail).filter_by(recipient="lena@example.org")
    ).one()
    assert "bereits ein Konto" in to_owner.body and "/password/forgot" in to_owner.body
    assert db.session.scalars(db.select(OutboxMail).filter_by(recipient="neu@example.org")).one()
