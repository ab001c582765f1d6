"""Verbs on accounts: create, register, sign in, reset passwords, change roles and profiles."""

import secrets
from datetime import timedelta
from functools import lru_cache

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.orm import selectinload
from werkzeug.security import check_password_hash, generate_password_hash

from ..core import audit, mail
from ..core.errors import collect
from ..core.text import check_single_line
from ..core.timeutil import utcnow
from ..core.urls import external_url
from ..extensions import db
from . import devices
from .errors import AccountError
from .models import SALUTATIONS, User, UserRole
from .passwords import check_password_strength
from .roles import Role, grantable_by


def normalise_email(email):
    """E-mail addresses are compared in lower case without surrounding spaces."""
    return (email or "").strip().lower()


def find_user(email):
    """Return the user with this e-mail address, or None."""
    return db.session.scalar(db.select(User).where(User.email == normalise_email(email)))


def check_password_rules(password, user_inputs=()):
    """Refuse passwords that are too short or easy to guess, with every reason at once."""
    with collect(AccountError) as refuse:
        refuse.check(check_password_strength, password or "", user_inputs)


def set_password(user, password):
    """Hash and store a new password (scrypt)."""
    check_password_rules(password, [user.email or "", user.name or ""])
    method = current_app.config["PASSWORD_HASH_METHOD"]
    if not method.startswith("scrypt"):
        raise ValueError("only scrypt password hashes are allowed")
    user.password_hash = generate_password_hash(password, method=method)
    if user.id is not None:
        # The other browsers' cookies carry the old hash fragment: they are signed out.
        devices.end_others(user)


def create_user(email, name, roles=(), password=None, actor=None, confirmed=True, **profile):
    """Create an account; refuses a second account for the same address.

    Accounts staff create (or invite) count as confirmed; a self-registered one is not
    until its owner follows the mailed link (``confirmed=False``).
    """
    email = normalise_email(email)
    check_single_line(name, "name", AccountError)
    if find_user(email) is not None:
        raise AccountError(_("Für diese E-Mail-Adresse gibt es bereits ein Konto."), "email")
    user = User(email=email, name=name.strip(), **profile)
    user.email_confirmed_at = utcnow() if confirmed else None
    if password is not None:
        set_password(user, password)
    user.role_rows = [UserRole(role=str(Role(role))) for role in sorted(set(roles))]
    db.session.add(user)
    db.session.flush()
    audit.record(
        "accounts.created", user, actor=actor, subject=user, roles=sorted(str(r) for r in roles)
    )
    return user


#: Roles whose holders only admins may change (roles, activation, profile).
PROTECTED_ROLES = {Role.ADMIN, Role.FOUNDATION}


def check_may_manage(user, actor):
    """Refuse when ``actor`` is not an admin and ``user`` is an admin or foundation staff."""
    if actor.has_role(Role.ADMIN) or user.id == actor.id:
        return
    if user.roles & PROTECTED_ROLES:
        raise AccountError(
            _("Konten der Administration und der Stiftung ändert nur die Administration.")
        )


def set_roles(user, roles, actor):
    """Replace the user's roles with ``roles``, within what ``actor`` may grant."""
    wanted = {Role(r) for r in roles}
    current = user.roles
    allowed = grantable_by(actor)
    changed = wanted ^ current
    if changed:
        check_may_manage(user, actor)
    if not changed <= allowed:
        raise AccountError(_("Sie dürfen diese Rolle nicht vergeben oder entziehen."), "roles")
    if user.id == actor.id and Role.ADMIN in current and Role.ADMIN not in wanted:
        raise AccountError(
            _("Sie können sich die Administrationsrolle nicht selbst entziehen."), "roles"
        )
    if not changed:
        return False
    user.role_rows = [row for row in user.role_rows if Role(row.role) in wanted] + [
        UserRole(role=str(role)) for role in sorted(wanted - current)
    ]
    audit.record(
        "accounts.roles_changed",
        user,
        actor=actor,
        subject=user,
        added=sorted(wanted - current),
        removed=sorted(current - wanted),
    )
    return True


def set_active(user, active, actor):
    """Deactivate or reactivate an account (nothing is deleted)."""
    if user.id == actor.id and not active:
        raise AccountError(_("Sie können Ihr eigenes Konto nicht deaktivieren."))
    if user.active != active:
        check_may_manage(user, actor)
        user.active = active
        audit.record(
            "accounts.activated" if active else "accounts.deactivated",
            user,
            actor=actor,
            subject=user,
        )


def update_profile(user, **fields):
    """Change the person's own profile fields."""
    allowed = {"name", "salutation", "organisation", "region", "phone", "locale"}
    unknown = set(fields) - allowed
    if unknown:
        raise AccountError(f"unknown profile fields: {sorted(unknown)}")
    if fields.get("salutation") and fields["salutation"] not in SALUTATIONS:
        raise AccountError(_("Bitte wählen Sie eine Anrede aus der Liste."), "salutation")
    for key in ("name", "organisation", "phone"):
        check_single_line(fields.get(key), key, AccountError)
    regions = current_app.config["REGIONS"]
    if fields.get("region") and fields["region"] not in regions:
        raise AccountError(_("Bitte wählen Sie eine Region aus der Liste."), "region")
    old = {key: getattr(user, key) for key in fields}
    for key, value in fields.items():
        setattr(user, key, value.strip() if isinstance(value, str) else value)
    changed = {k: [old[k], getattr(user, k)] for k in fields if old[k] != getattr(user, k)}
    if changed:
        audit.record("accounts.profile_changed", user, actor=user, subject=user, changed=changed)
    return changed


@lru_cache(maxsize=4)
def _decoy_hash(method):
    """A hash of a random password, checked for unknown addresses so they cost the same time."""
    return generate_password_hash(secrets.token_urlsafe(16), method=method)


def authenticate(email, password):
    """Check e-mail and password; unknown addresses take as long as known ones.

    Guessing is slowed down by the rate limits on the sign-in form (``limits.py``), not
    here: a counter in the database let parallel guesses slip through and failed them with
    500, and let anyone lock any account.
    """
    user = find_user(email)
    stored = user.password_hash if user is not None else None
    checked = check_password_hash(
        stored or _decoy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password or ""
    )
    if not (checked and stored):
        raise AccountError(_("E-Mail-Adresse oder Passwort ist falsch."))
    if user.email_confirmed_at is None:
        raise AccountError(
            _(
                "Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse über den Link, den wir Ihnen "
                "geschickt haben."
            )
        )
    if not user.active:
        raise AccountError(
            _("Dieses Konto ist deaktiviert. Bitte wenden Sie sich an die Stiftung.")
        )
    user.last_login_at = utcnow()
    return user


def _serializer(salt):
    """Signed, time-limited tokens for password links."""
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def make_password_token(user, purpose="reset"):
    """A token that sets a password once: it stops working when the password changes."""
    return _serializer(f"password-{purpose}").dumps([user.id, (user.password_hash or "")[-12:]])


def user_from_password_token(token, purpose="reset"):
    """Return the user a valid token belongs to, or raise AccountError."""
    max_age = current_app.config[
        "PASSWORD_RESET_MAX_AGE" if purpose == "reset" else "INVITATION_MAX_AGE"
    ]
    try:
        user_id, fragment = _serializer(f"password-{purpose}").loads(token, max_age=max_age)
    except SignatureExpired:
        raise AccountError(
            _("Dieser Link ist abgelaufen. Bitte fordern Sie einen neuen an.")
        ) from None
    except (BadSignature, ValueError, TypeError):
        raise AccountError(_("Dieser Link ist ungültig.")) from None
    user = db.session.get(User, user_id)
    if user is None or (user.password_hash or "")[-12:] != fragment or not user.active:
        raise AccountError(_("Dieser Link wurde bereits verwendet oder ist ungültig."))
    return user


def request_password_reset(email):
    """Send a reset link if the address has an account; say nothing either way."""
    user = find_user(email)
    if user is None or not user.active:
        return None
    link = external_url("accounts.reset_password", token=make_password_token(user))
    minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
    mail.queue(
        user.email,
        _("Passwort zurücksetzen"),
        _(
            "Guten Tag %(name)s,\n\nüber diesen Link können Sie ein neues Passwort festlegen "
            "(gültig für %(minutes)s Minuten):\n\n%(link)s\n\nWenn Sie das nicht angefordert "
            "haben, ignorieren Sie diese Nachricht einfach.",
            name=user.name,
            minutes=minutes,
            link=link,
        ),
    )
    return user


def reset_password(token, password, purpose="reset"):
    """Set a new password from a mailed link."""
    user = user_from_password_token(token, purpose)
    set_password(user, password)
    audit.record("accounts.password_set", user, actor=user, subject=user, via=purpose)
    return user


def invite_user(email, name, roles, actor):
    """Create an account without password and mail a link to choose one."""
    user = create_user(email, name, roles=roles, actor=actor)
    link = external_url("accounts.accept_invitation", token=make_password_token(user, "invite"))
    mail.queue(
        user.email,
        _("Einladung zur OM-Lotsen-Qualifizierung"),
        _(
            "Guten Tag %(name)s,\n\n%(actor)s hat für Sie ein Konto auf der Lernplattform der "
            "OM-Lotsen-Qualifizierung angelegt. Bitte legen Sie über diesen Link Ihr Passwort "
            "fest:\n\n%(link)s",
            name=user.name,
            actor=actor.name,
            link=link,
        ),
    )
    return user


def list_users(search=None, role=None):
    """All accounts (with their roles), optionally filtered by a search term or a role."""
    query = db.select(User).order_by(User.name).options(selectinload(User.role_rows))
    if search:
        like = f"%{search.strip().lower()}%"
        query = query.where(db.or_(db.func.lower(User.name).like(like), User.email.like(like)))
    if role:
        query = query.join(UserRole).where(UserRole.role == str(role))
    return db.session.scalars(query).all()


def inactive_before(now=None):
    """The moment before which an account's last sign-in makes it inactive, or None (never)."""
    days = current_app.config["INACTIVE_ACCOUNT_DAYS"]
    return (now or utcnow()) - timedelta(days=days) if days else None


def user_listing_select(listing, role=None, inactive=False):
    """The accounts ``listing`` searches (name, e-mail), optionally of one role, optionally
    only active accounts not signed in since :func:`inactive_before` (never: since created)."""
    query = db.select(User).where(listing.matches(User.name, User.email))
    if role:
        has_role = db.select(UserRole.user_id).where(
            UserRole.user_id == User.id, UserRole.role == str(role)
        )
        query = query.where(has_role.exists())
    cutoff = inactive_before()
    if inactive and cutoff is not None:
        last_seen = db.func.coalesce(User.last_login_at, User.created_at)
        query = query.where(User.active, User.erased_at.is_(None), last_seen < cutoff)
    return query


def page_of_users(listing, role=None, inactive=False):
    """One page of accounts with their roles (the page, its roles and the count)."""
    select = user_listing_select(listing, role, inactive).options(selectinload(User.role_rows))
    return listing.fetch(select, User.id, scalars=True)
