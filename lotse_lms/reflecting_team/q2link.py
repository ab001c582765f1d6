"""The loose link to Q2 live sessions: used only while the Q2 area is installed.

Sessions keep a plain ``q2_session_id`` (no foreign key), so the reflecting team works
without the Q2 area and a Q2 session can never block anything here.
"""

from importlib import import_module

from ..areas import AREAS
from ..core.timeutil import BERLIN
from ..extensions import db

Q2_AREA = "lotse_lms.modules.q2"


def installed():
    """True if the Q2 area is part of this app."""
    return Q2_AREA in AREAS


def find(q2_session_id):
    """Return the Q2 live session with this id, or None (also when Q2 is not installed)."""
    if not q2_session_id or not installed():
        return None
    model = import_module(f"{Q2_AREA}.models").LiveSession
    return db.session.get(model, q2_session_id)


def label(live_session):
    """Title and first day of a Q2 session, for choice lists."""
    starts = live_session.starts_at
    day = starts.astimezone(BERLIN).strftime("%d.%m.%Y") if starts else "–"
    return f"{live_session.title} ({day})"


def choices(limit=200):
    """(id, label) pairs of the newest Q2 sessions that are not cancelled; [] without Q2."""
    if not installed():
        return []
    model = import_module(f"{Q2_AREA}.models").LiveSession
    rows = db.session.scalars(db.select(model).order_by(model.id.desc()).limit(limit)).all()
    return [(row.id, label(row)) for row in rows if not row.is_cancelled]
