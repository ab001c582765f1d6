"""Rate limits on the forms that check a password or send mail (Flask-Limiter).

Two limits apply to each: one per client address, one per account. Counting happens in the
limiter's storage before the view runs (one atomic increment), so parallel guesses cannot
slip past it. A browser that has signed in to an account before carries a signed device
cookie and counts in a bucket of its own: someone who knows an address can use up the
account's limit for strangers, never the owner's (OWASP "device cookies").
"""

import hashlib

from flask import current_app, request
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeSerializer

from ..extensions import limiter
from .operations import normalise_email

DEVICE_COOKIE = "lotse_device"
DEVICE_MAX_AGE = 365 * 24 * 3600


def _serializer():
    """Signs device cookies with the app's secret key."""
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="trusted-device")


def _account_tag(email):
    """A short digest of the address (the cookie does not show it)."""
    return hashlib.sha256(normalise_email(email).encode()).hexdigest()[:20]


def remember_device(response, user):
    """Mark this browser as one that signed in to ``user``'s account."""
    response.set_cookie(
        DEVICE_COOKIE,
        _serializer().dumps(_account_tag(user.email)),
        max_age=DEVICE_MAX_AGE,
        httponly=True,
        secure=current_app.config["SECURE_COOKIES"],
        samesite="Lax",
    )
    return response


def _known_device(email):
    """True if this browser has signed in to the account of ``email`` before."""
    raw = request.cookies.get(DEVICE_COOKIE)
    if not raw:
        return False
    try:
        return _serializer().loads(raw) == _account_tag(email)
    except BadSignature:
        return False


def account_key():
    """The account a form names, split into known devices and everyone else."""
    if current_user.is_authenticated and "email" not in request.form:
        return f"user:{current_user.id}"
    email = normalise_email(request.form.get("email"))
    return f"{'device' if _known_device(email) else 'any'}:{_account_tag(email)}"


def _per_client():
    return current_app.config["LOGIN_LIMIT_PER_CLIENT"]


def _per_account():
    return current_app.config["LOGIN_LIMIT_PER_ACCOUNT"]


def guarded(view):
    """Apply the per-client and per-account limits to the POSTs of ``view``."""
    view = limiter.limit(_per_account, key_func=account_key, methods=["POST"])(view)
    return limiter.limit(_per_client, methods=["POST"])(view)
