"""The Reflecting Team's personal data: memberships and the texts a person wrote."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..accounts.privacy import ERASED_NAME
from ..core.privacy import Part, register_privacy, rows
from ..extensions import db
from .models import RTAmendment, RTCase, RTMember, RTReflection, RTSelfReflection, RTSession

#: The text columns of each kind a person writes.
TEXTS = {
    RTCase: ("situation", "firms", "question"),
    RTReflection: ("observations", "hypotheses", "ideas"),
    RTSelfReflection: ("takeaways", "next_steps"),
    RTAmendment: ("body",),
}


def export_reflecting_team(user):
    """The sessions the person took part in and every text they wrote."""
    member_of = db.select(RTMember.session_id).where(RTMember.user_id == user.id)
    sessions = db.session.scalars(
        db.select(RTSession)
        .where(sa.or_(RTSession.case_owner_id == user.id, RTSession.id.in_(member_of)))
        .order_by(RTSession.held_on)
    )
    data = {
        "sessions": [
            {
                "session": s.title,
                "held_on": s.held_on.isoformat(),
                "role": "case_owner" if s.case_owner_id == user.id else "member",
            }
            for s in sessions
        ]
    }
    for model in TEXTS:
        mine = db.select(model).where(model.author_id == user.id).order_by(model.id)
        data[model.__tablename__] = rows(db.session.scalars(mine))
    return Part(data)


def erase_reflecting_team(user):
    """Empty every text the person wrote and remove their memberships."""
    for model, columns in TEXTS.items():
        db.session.execute(
            sa.update(model).where(model.author_id == user.id).values(dict.fromkeys(columns, ""))
        )
    db.session.execute(sa.delete(RTMember).where(RTMember.user_id == user.id))
    # A session's default title names its case owner ("Reflecting Team mit …").
    db.session.execute(
        sa.update(RTSession)
        .where(RTSession.case_owner_id == user.id, RTSession.title.contains(user.name))
        .values(title=sa.func.replace(RTSession.title, user.name, ERASED_NAME))
    )
    return []


def register(app):
    """Declare the Reflecting Team's personal data in the privacy registry."""
    register_privacy(
        app,
        "reflecting_team",
        _l("Reflecting Team"),
        export=export_reflecting_team,
        erase=erase_reflecting_team,
        kept=_l(
            "Sitzungen bleiben für die anderen Teilnehmenden bestehen; die Texte der Person "
            "werden geleert."
        ),
        order=50,
    )
