"""The Reflecting Team's personal data: memberships and the texts a person wrote."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..core.privacy import Part, register_privacy, rows
from ..extensions import db
from .models import RTAmendment, RTCase, RTMember, RTReflection, RTSelfReflection

#: The text columns of each kind a person writes.
TEXTS = {
    RTCase: ("situation", "firms", "question"),
    RTReflection: ("observations", "hypotheses", "ideas"),
    RTSelfReflection: ("takeaways", "next_steps"),
    RTAmendment: ("body",),
}


def export_reflecting_team(user):
    """The sessions the person took part in and every text they wrote."""
    memberships = db.session.scalars(db.select(RTMember).where(RTMember.user_id == user.id))
    data = {
        "sessions": [
            {"session": m.session.title, "held_on": m.session.held_on.isoformat()}
            for m in memberships
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
