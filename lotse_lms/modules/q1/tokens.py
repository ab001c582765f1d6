"""Signed tokens for the content origin, which never sees the LMS session cookie.

A *run-time token* authorises commits of one SCO attempt: it names the learner, the
package version, the item and the attempt row, and expires after SCORM_TOKEN_MAX_AGE.
A *content token* opens one package version's files to one learner; it changes once a
day (not per launch) so the browser can cache package files.
"""

import time
from functools import lru_cache

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer

RUNTIME_SALT = "lotse.q1.runtime"
CONTENT_SALT = "lotse.q1.content"
DAY = 24 * 3600


class TokenError(ValueError):
    """A token is forged, expired or does not fit the request."""

    def __init__(self, reason):
        """Remember why the token was refused ("invalid" or "expired")."""
        super().__init__(reason)
        self.reason = reason


def _runtime_serializer():
    """The app's signer of run-time tokens."""
    return _serializers(current_app.config["SECRET_KEY"])[0]


def _content_serializer():
    """The app's signer of content tokens."""
    return _serializers(current_app.config["SECRET_KEY"])[1]


@lru_cache(maxsize=4)
def _serializers(secret):
    """The (run-time, content) signers of a secret key, built once: every SCORM commit checks
    a token, and building the signers cost as much again as the check (timeit: 91-141 µs
    against 33-76 µs a token on a loaded machine)."""
    return (
        URLSafeTimedSerializer(secret, salt=RUNTIME_SALT),
        URLSafeSerializer(secret, salt=CONTENT_SALT),
    )


def runtime_token(attempt):
    """Return the run-time token of a ScoAttempt row."""
    return _runtime_serializer().dumps(
        [attempt.id, attempt.user_id, attempt.version_id, attempt.item_id, attempt.attempt]
    )


def read_runtime_token(token):
    """Return (attempt_id, user_id, version_id, item_id, attempt_number) or raise TokenError."""
    try:
        data = _runtime_serializer().loads(token, max_age=current_app.config["SCORM_TOKEN_MAX_AGE"])
    except SignatureExpired:
        raise TokenError("expired") from None
    except BadSignature:
        raise TokenError("invalid") from None
    if not (isinstance(data, list) and len(data) == 5):
        raise TokenError("invalid")
    return tuple(data)


def content_token(user_id, version_id, now=None):
    """Return today's content token of a learner for a package version."""
    day = int((time.time() if now is None else now) // DAY)
    return _content_serializer().dumps([version_id, user_id, day])


def read_content_token(token, now=None):
    """Return (version_id, user_id) of a content token from today or yesterday."""
    try:
        data = _content_serializer().loads(token)
    except BadSignature:
        raise TokenError("invalid") from None
    if not (isinstance(data, list) and len(data) == 3 and all(isinstance(x, int) for x in data)):
        raise TokenError("invalid")
    today = int((time.time() if now is None else now) // DAY)
    if data[2] not in (today, today - 1):
        raise TokenError("expired")
    return data[0], data[1]
