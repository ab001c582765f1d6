"""Firm contacts join a room the way the Lotse's invitation brings them in: the invitation
(organisation, account with the firm-contact role, mail with a set-password link) and its
acceptance (the contact chooses a password through that link)."""

import re

import sqlalchemy as sa

from lotse_lms.accounts import operations as accounts
from lotse_lms.core.models import OutboxMail
from lotse_lms.extensions import db
from lotse_lms.rooms import firms
from tests.conftest import PASSWORD


def _address(name):
    """A distinct test address for ``name``."""
    local = re.sub(r"[^a-z]+", ".", name.lower()).strip(".")
    return f"{local}.{db.session.scalar(sa.select(sa.func.count(OutboxMail.id)))}@firma.example"


def join_firm(room, name, firm, actor=None, sector="handwerk", staff_count=12, email=None):
    """Invite ``name`` of ``firm`` into ``room`` (by its lead unless ``actor``) and accept the
    invitation with the test password; returns (user, organisation), committed."""
    email = email or _address(name)
    org = {"name": firm, "sector": sector, "staff_count": staff_count}
    member = firms.invite_firm_contact(room, name, email, org, actor or room.lead)
    db.session.commit()
    if member.user.password_hash is None:  # a new account: accept through the mailed link
        body = db.session.scalars(
            sa.select(OutboxMail.body)
            .where(OutboxMail.recipient == member.user.email)
            .order_by(OutboxMail.id.desc())
        ).first()
        token = re.search(r"/invitation/([^\s/]+)", body).group(1)
        accounts.reset_password(token, PASSWORD, "invite")
        db.session.commit()
    return member.user, member.organisation
