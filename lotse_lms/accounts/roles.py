"""The roles people hold in the qualification."""

import enum

from flask_babel import lazy_gettext as _l


class Role(enum.StrEnum):
    """A role; a person may hold several."""

    PARTICIPANT = "participant"
    TRAINER = "trainer"
    MENTOR = "mentor"
    REFLECTING_TEAM = "reflecting_team"
    FOUNDATION = "foundation"
    ADMIN = "admin"
    FIRM_CONTACT = "firm_contact"


ROLE_LABELS = {
    Role.PARTICIPANT: _l("Teilnehmende (angehende Lotsin / angehender Lotse)"),
    Role.TRAINER: _l("Trainerin / Trainer"),
    Role.MENTOR: _l("Mentorin / Mentor"),
    Role.REFLECTING_TEAM: _l("Reflecting Team"),
    Role.FOUNDATION: _l("Stiftung (Mitarbeitende)"),
    Role.ADMIN: _l("Administration"),
    Role.FIRM_CONTACT: _l("Unternehmensvertreterin / Unternehmensvertreter (Experimentierraum)"),
}

#: Roles foundation staff may grant; only admins grant admin and foundation.
FOUNDATION_GRANTABLE = {
    Role.PARTICIPANT,
    Role.TRAINER,
    Role.MENTOR,
    Role.REFLECTING_TEAM,
    Role.FIRM_CONTACT,
}


def grantable_by(user):
    """Return the roles ``user`` may give to or take from others."""
    if user.has_role(Role.ADMIN):
        return set(Role)
    if user.has_role(Role.FOUNDATION):
        return set(FOUNDATION_GRANTABLE)
    return set()
