"""The loose link to Q2 live sessions: used only while an area registers them (Q2 does).

Sessions keep a plain ``q2_session_id`` (no foreign key), so the reflecting team works
without the Q2 area and a Q2 session can never block anything here.
"""

from flask import current_app

from ..core.timeutil import BERLIN
from ..extensions import db


def register_live_sessions(app, model, recent):
    """Let reflecting-team sessions name a live session of ``model`` (the Q2 area's
    ``LiveSession``, registered in its ``init_app``). ``recent(limit)`` returns the newest
    sessions that are not cancelled as rows with ``id``, ``title`` and ``starts_at`` (the
    session form's choices, read without loading the sessions)."""
    app.extensions["lotse_live_sessions"] = model
    app.extensions["lotse_live_session_choices"] = recent


def _model():
    """The registered live-session model, or None."""
    return current_app.extensions.get("lotse_live_sessions")


def installed():
    """True if an area provides live sessions."""
    return _model() is not None


def find(q2_session_id):
    """Return the Q2 live session with this id, or None (also when Q2 is not installed)."""
    model = _model()
    if not q2_session_id or model is None:
        return None
    return db.session.get(model, q2_session_id)


def label(live_session):
    """Title and first day of a Q2 session, for choice lists."""
    starts = live_session.starts_at
    day = starts.astimezone(BERLIN).strftime("%d.%m.%Y") if starts else "–"
    return f"{live_session.title} ({day})"


def choices(limit=200):
    """(id, label) pairs of the newest Q2 sessions that are not cancelled; [] without Q2."""
    recent = current_app.extensions.get("lotse_live_session_choices")
    if recent is None:
        return []
    return [(row.id, label(row)) for row in recent(limit)]
