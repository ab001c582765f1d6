"""Signed tokens for the content origin, which never sees the LMS session cookie.

A *run-time token* authorises commits of one SCO attempt: it names the learner, the
package version, the item and the attempt row, and expires after SCORM_TOKEN_MAX_AGE.
A *content token* opens one package version's files to one learner; it changes once a
day (not per launch) so the browser can cache package files.
"""

import time

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


def _app_tokens():
    """The app's serializers and checked run-time tokens (made on first use)."""
    app = current_app._get_current_object()
    cache = app.extensions.get("lotse_q1_tokens")
    if cache is None:
        secret = app.config["SECRET_KEY"]
        cache = app.extensions["lotse_q1_tokens"] = {
            "runtime": URLSafeTimedSerializer(secret, salt=RUNTIME_SALT),
            "content": URLSafeSerializer(secret, salt=CONTENT_SALT),
            "verified": {},
            "config": app.config,
        }
    return cache


def runtime_token(attempt):
    """Return the run-time token of a ScoAttempt row."""
    return _app_tokens()["runtime"].dumps(
        [attempt.id, attempt.user_id, attempt.version_id, attempt.item_id, attempt.attempt]
    )


#: Checked run-time tokens kept per process: a page commits with the same token many times.
VERIFIED_MAX = 4096


def read_runtime_token(token):
    """Return (attempt_id, user_id, version_id, item_id, attempt_number) or raise TokenError."""
    tokens = _app_tokens()
    max_age = tokens["config"]["SCORM_TOKEN_MAX_AGE"]
    verified = tokens["verified"]
    known = verified.get(token)
    if known is not None:  # signature checked before; only its age can have changed
        if time.time() - known[1] > max_age:
            raise TokenError("expired")
        return known[0]
    try:
        data, signed = tokens["runtime"].loads(token, max_age=max_age, return_timestamp=True)
    except SignatureExpired:
        raise TokenError("expired") from None
    except BadSignature:
        raise TokenError("invalid") from None
    if not (isinstance(data, list) and len(data) == 5):
        raise TokenError("invalid")
    if len(verified) >= VERIFIED_MAX:
        verified.clear()
    verified[token] = (tuple(data), signed.timestamp())
    return tuple(data)


def content_token(user_id, version_id, now=None):
    """Return today's content token of a learner for a package version."""
    day = int((time.time() if now is None else now) // DAY)
    return _app_tokens()["content"].dumps([version_id, user_id, day])


def read_content_token(token, now=None):
    """Return (version_id, user_id) of a content token from today or yesterday."""
    try:
        data = _app_tokens()["content"].loads(token)
    except BadSignature:
        raise TokenError("invalid") from None
    if not (isinstance(data, list) and len(data) == 3 and all(isinstance(x, int) for x in data)):
        raise TokenError("invalid")
    today = int((time.time() if now is None else now) // DAY)
    if data[2] not in (today, today - 1):
        raise TokenError("expired")
    return data[0], data[1]
