"""Signing out on this device only, on another device, or everywhere (two browsers each)."""

from datetime import timedelta

import lxml.html

from lotse_lms.accounts import devices
from lotse_lms.accounts.models import DeviceSession
from lotse_lms.core.timeutil import utcnow
from lotse_lms.extensions import db

from ..conftest import PASSWORD, csrf_token

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1"
)


def _browser(app, user, agent, remember=False):
    """A browser (test client) with its own user agent, signed in through the login form."""
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = agent
    data = {"email": user.email, "password": PASSWORD, "csrf_token": csrf_token(client, "/login")}
    if remember:
        data["remember"] = "y"
    assert client.post("/login", data=data).status_code == 302
    return client


def _signed_in(client):
    """True if the client's cookies still open the profile."""
    return client.get("/profile").status_code == 200


def _copy(app, client):
    """Another browser holding copies of ``client``'s cookies (a stolen cookie)."""
    thief = app.test_client()
    for cookie in client._cookies.values():
        thief.set_cookie(cookie.key, cookie.value)
    return thief


def _rows(client):
    """(device, marked as this device, has a sign-out button) per row of the device list."""
    page = lxml.html.fromstring(client.get("/profile/devices").get_data(as_text=True))
    return [
        (
            row.xpath("td[1]/text()")[0].strip(),
            bool(row.find_class("badge")),
            bool(row.xpath(".//button")),
        )
        for row in page.xpath('//table[@id="devices"]/tbody/tr')
    ]


def test_signing_out_ends_this_device_only(app, make_user):
    user = make_user()
    laptop = _browser(app, user, FIREFOX, remember=True)
    phone = _browser(app, user, IPHONE)
    stolen = _copy(app, laptop)
    laptop.post("/logout", data={"csrf_token": csrf_token(laptop, "/")})
    assert not _signed_in(laptop)
    assert not _signed_in(stolen)  # the copy of the laptop's cookies died with it
    assert _signed_in(phone)
    assert _rows(phone) == [("Mobile Safari 17 · iOS · iPhone", True, False)]


def test_the_device_list_names_each_browser_and_ends_another(app, make_user):
    user = make_user()
    laptop = _browser(app, user, FIREFOX)
    phone = _browser(app, user, IPHONE, remember=True)
    stolen = _copy(app, phone)
    assert sorted(_rows(laptop)) == [
        ("Firefox 128 · Windows", True, False),
        ("Mobile Safari 17 · iOS · iPhone", False, True),
    ]
    page = lxml.html.fromstring(laptop.get("/profile/devices").get_data(as_text=True))
    action = page.xpath("//table//form/@action")[0]
    response = laptop.post(action, data={"csrf_token": csrf_token(laptop, "/profile/devices")})
    assert response.status_code == 302
    assert "Das Gerät ist abgemeldet." in laptop.get("/profile/devices").get_data(as_text=True)
    assert not _signed_in(phone) and not _signed_in(stolen)
    assert _rows(laptop) == [("Firefox 128 · Windows", True, False)]


def test_sign_out_everywhere_ends_every_device_and_remembered_cookie(app, make_user):
    user = make_user()
    other = make_user()
    laptop = _browser(app, user, FIREFOX)
    phone = _browser(app, user, IPHONE, remember=True)
    bystander = _browser(app, other, FIREFOX)
    remembered = app.test_client()
    remembered.set_cookie("remember_token", phone.get_cookie("remember_token").value)
    assert _signed_in(remembered)
    token = csrf_token(laptop, "/profile/devices")
    response = laptop.post("/profile/devices/end-all", data={"csrf_token": token})
    assert response.status_code == 302
    assert "auf allen Geräten abgemeldet" in laptop.get("/").get_data(as_text=True)
    for client in (laptop, phone, remembered):
        assert not _signed_in(client)
    assert _signed_in(bystander)
    assert db.session.scalar(db.select(db.func.count()).select_from(DeviceSession)) == 1


def test_nobody_ends_another_persons_device(app, make_user):
    victim, intruder = make_user(), make_user()
    phone = _browser(app, victim, IPHONE)
    laptop = _browser(app, intruder, FIREFOX)
    victim_device = db.session.scalars(
        db.select(DeviceSession.id).where(DeviceSession.user_id == victim.id)
    ).one()
    token = csrf_token(laptop, "/profile/devices")
    laptop.post(f"/profile/devices/{victim_device}/end", data={"csrf_token": token})
    laptop.post("/profile/devices/end-all", data={})  # no CSRF token: refused
    assert _signed_in(phone) and _signed_in(laptop)


def test_a_new_password_keeps_this_device_and_ends_the_others(app, make_user):
    user = make_user()
    laptop = _browser(app, user, FIREFOX)
    phone = _browser(app, user, IPHONE)
    token = csrf_token(laptop, "/profile/password")
    new = "ein-neues-passwort-42"
    response = laptop.post(
        "/profile/password",
        data={"current": PASSWORD, "password": new, "confirm": new, "csrf_token": token},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _signed_in(laptop) and not _signed_in(phone)
    assert _rows(laptop) == [("Firefox 128 · Windows", True, False)]


def test_last_seen_is_written_now_and_then_not_on_every_request(app, make_user):
    user = make_user()
    laptop = _browser(app, user, FIREFOX)
    row = db.session.scalars(db.select(DeviceSession)).one()
    long_ago = utcnow() - devices.SEEN_EVERY - timedelta(minutes=1)
    row.last_seen_at = long_ago
    db.session.commit()
    assert _signed_in(laptop)
    db.session.refresh(row)
    seen = row.last_seen_at
    assert seen > long_ago + timedelta(minutes=1)
    assert _signed_in(laptop)
    db.session.refresh(row)
    assert row.last_seen_at == seen


def test_signing_in_again_and_again_keeps_the_list_short(app, make_user):
    user = make_user()
    for _n in range(devices.MAX_DEVICES + 3):
        devices.start(user, FIREFOX)
        db.session.commit()
    count = db.select(db.func.count()).select_from(DeviceSession)
    assert db.session.scalar(count) == devices.MAX_DEVICES
