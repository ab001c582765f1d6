"""The roles people hold in the qualification."""

import enum

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user


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


#: Roles of the Lotsen network: everyone but the firm contacts of the Experimentierräume.
NETWORK_ROLES = tuple(role for role in Role if role != Role.FIRM_CONTACT)


def firm_contact_only(user):
    """True for a signed-in person whose only role is firm contact: they see their
    Experimentierräume (meetings, actions, the room's forum, calendar, profile, own data),
    not the qualification or the Lotsen-Community."""
    return (
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.has_role(Role.FIRM_CONTACT)
        and not user.has_role(*NETWORK_ROLES)
    )


def refuse_firm_contacts():
    """A ``before_request`` (or a call in a view) of qualification pages: 403 for those whose
    only role is firm contact."""
    if firm_contact_only(current_user):
        abort(403)
