"""Firms in rooms: inviting a firm contact, the organisation they speak for, its consent to
be named publicly.

A firm contact without an account gets one with the firm-contact role and the invitation
link of the accounts area (``accounts.accept_invitation``: they choose their password); one
with an account gets the role if they lack it and a mail that they now belong to the room.
"""

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _

from ..accounts.models import UserRole
from ..accounts.operations import create_user, find_user, make_password_token, normalise_email
from ..accounts.roles import Role
from ..core import audit, mail
from ..core.errors import collect
from ..core.text import check_single_line
from ..core.timeutil import utcnow
from ..core.urls import external_url
from ..extensions import db
from . import operations, policy
from .models import CLOSED, FIRM_CONTACT, Organisation, RoomMember
from .operations import RoomError


def firm_count(room):
    """How many organisations take part in ``room`` (one query)."""
    return db.session.scalar(
        sa.select(sa.func.count(sa.distinct(RoomMember.organisation_id))).where(
            RoomMember.room_id == room.id, RoomMember.role == FIRM_CONTACT
        )
    )


def room_organisations(room):
    """The organisations of ``room``'s firm contacts, by name (one query)."""
    return db.session.scalars(
        sa.select(Organisation)
        .where(
            Organisation.id.in_(
                sa.select(RoomMember.organisation_id).where(
                    RoomMember.room_id == room.id, RoomMember.role == FIRM_CONTACT
                )
            )
        )
        .order_by(Organisation.name, Organisation.id)
    ).all()


def named_publicly(room):
    """The organisations of ``room`` that agreed to be named publicly."""
    return [org for org in room_organisations(room) if org.public_consent]


def _organisation_in_room(room, name):
    """The organisation of that name (case-insensitive) already in ``room``, or None."""
    wanted = name.strip().lower()
    return next((o for o in room_organisations(room) if o.name.lower() == wanted), None)


def check_invitation(room, contact_name, email, org_data, actor):
    """Raise RoomError with every problem of an invitation (nothing is written)."""
    with collect(RoomError) as refuse:
        if not policy.can_manage(actor, room):
            refuse(_("Sie können diesen Raum nicht bearbeiten."))
        if room.phase == CLOSED:
            refuse(_("Der Raum ist abgeschlossen; es kommen keine Unternehmen mehr hinzu."))
        contact_name = (contact_name or "").strip()
        refuse.check(check_single_line, contact_name, "contact_name", RoomError)
        if not contact_name:
            refuse(_("Bitte geben Sie den Namen der Ansprechperson an."), "contact_name")
        elif len(contact_name) > 120:
            refuse(_("Der Name ist zu lang (höchstens 120 Zeichen)."), "contact_name")
        email = normalise_email(email)
        try:
            validate_email(email or "", check_deliverability=False)
        except EmailNotValidError:
            refuse(_("Bitte geben Sie eine gültige E-Mail-Adresse an."), "email")
        else:
            user = find_user(email)
            if user is not None and (not user.active or user.erased_at is not None):
                refuse(_("Dieses Konto ist deaktiviert."), "email")
            elif user is not None and policy.is_member(user, room):
                refuse(_("%(name)s gehört dem Raum schon an.", name=user.name), "email")
            elif user is not None and user.has_role(Role.FOUNDATION, Role.ADMIN):
                refuse(
                    _("Konten der Stiftung können nicht als Unternehmen eingeladen werden."),
                    "email",
                )
        refuse.check(operations.check_organisation, org_data)
        name = (org_data.get("name") or "").strip()
        if name and _organisation_in_room(room, name) is None and firm_count(room) >= room.capacity:
            refuse(_("Alle %(num)s Plätze des Raums sind vergeben.", num=room.capacity), "name")


def invite_firm_contact(room, contact_name, email, org_data, actor):
    """Add a firm contact (and their organisation) to ``room`` and mail them (flushed).

    Returns the RoomMember. The organisation is the one of that name already in the room,
    or a new one.
    """
    check_invitation(room, contact_name, email, org_data, actor)
    organisation = _organisation_in_room(room, org_data["name"])
    if organisation is None:
        organisation = operations.save_organisation(None, org_data, actor)
    email = normalise_email(email)
    user = find_user(email)
    if user is None:
        user = create_user(email, contact_name.strip(), roles=[Role.FIRM_CONTACT], actor=actor)
        user.organisation = organisation.name
        link = external_url("accounts.accept_invitation", token=make_password_token(user, "invite"))
        _mail_invitation(user, room, actor, link)
    else:
        if not user.has_role(Role.FIRM_CONTACT):
            user.role_rows.append(UserRole(role=str(Role.FIRM_CONTACT)))
            audit.record(
                "accounts.roles_changed", user, actor=actor, subject=user, added=[Role.FIRM_CONTACT]
            )
        _mail_invitation(user, room, actor, external_url("rooms.show", room_id=room.id))
    return operations.set_member(room, user, FIRM_CONTACT, actor, organisation=organisation)


def _mail_invitation(user, room, actor, link):
    """The invitation mail: a set-password link for new accounts, the room's page otherwise."""
    mail.queue(
        user.email,
        _("Einladung in den Experimentierraum „%(room)s“", room=room.title),
        _(
            "Guten Tag %(name)s,\n\n%(actor)s lädt Sie in den Experimentierraum „%(room)s“ ein. "
            "Dort treffen sich Unternehmen, begleitet von einer OM-Lotsin oder einem OM-Lotsen, "
            "und erproben gemeinsam digitale Lösungen.\n\nÜber diesen Link gelangen Sie auf "
            "die Plattform:\n\n%(link)s",
            name=user.name,
            actor=actor.name,
            room=room.title,
            link=link,
        ),
    )


def may_set_consent(user, organisation):
    """True for the firm's own contacts (in any room) and the foundation."""
    if policy.is_staff(user):
        return True
    return (
        db.session.scalar(
            sa.select(RoomMember.id)
            .where(
                RoomMember.user_id == user.id,
                RoomMember.organisation_id == organisation.id,
                RoomMember.role == FIRM_CONTACT,
            )
            .limit(1)
        )
        is not None
    )


def set_consent(organisation, consent, actor):
    """Record whether the firm may be named publicly (only its contacts decide; audited)."""
    if not may_set_consent(actor, organisation):
        raise RoomError(_("Nur die Ansprechpersonen des Unternehmens entscheiden darüber."))
    consent = bool(consent)
    if organisation.public_consent == consent and organisation.consent_changed_at is not None:
        return False
    organisation.public_consent = consent
    organisation.consent_changed_at = utcnow()
    organisation.consent_changed_by_id = actor.id
    db.session.flush()
    audit.record("rooms.consent_changed", organisation, actor=actor, public_consent=consent)
    return True


def organisations_of(user, room):
    """The organisations ``user`` speaks for in ``room``."""
    return db.session.scalars(
        sa.select(Organisation)
        .join(RoomMember, RoomMember.organisation_id == Organisation.id)
        .where(RoomMember.room_id == room.id, RoomMember.user_id == user.id)
    ).all()


def resend_invitation(room, member, actor):
    """Mail a firm contact who has not chosen a password yet a fresh invitation link."""
    if not policy.can_manage(actor, room) or member.room_id != room.id:
        raise RoomError(_("Sie können diesen Raum nicht bearbeiten."))
    user = member.user
    if user.password_hash is not None:
        raise RoomError(_("%(name)s hat das Konto schon eingerichtet.", name=user.name))
    link = external_url("accounts.accept_invitation", token=make_password_token(user, "invite"))
    _mail_invitation(user, room, actor, link)
    audit.record("rooms.invitation_resent", room, actor=actor, subject=user)
