"""The last step of the path, the certificate: issued, waiting for the foundation, or barred.

Its state follows from the required steps (CERT_RULES) and the person's certificates:
*erfüllt* with a valid certificate; *abgelehnt* after a revocation until foundation staff
reinstate the person; *wartet auf Prüfung* when every prerequisite is met (the foundation
issues); otherwise *begonnen* / *offen* with the prerequisites still missing.
"""

import sqlalchemy as sa
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..accounts.models import User
from ..core.timeutil import utcnow
from ..extensions import db
from ..qualification.state import (
    DONE,
    OPEN,
    PENDING,
    REJECTED,
    STARTED,
    Requirement,
    StepState,
    narrowing,
    required_keys,
)
from .models import Certificate

LABEL = _l("Zertifikat")


def valid_now(now):
    """The condition "valid at ``now``": not revoked and not expired."""
    return sa.and_(
        Certificate.revoked_at.is_(None),
        sa.or_(Certificate.valid_until.is_(None), Certificate.valid_until > now),
    )


def barred_condition():
    """The condition "revoked and the holder not reinstated"."""
    return sa.and_(Certificate.revoked_at.is_not(None), Certificate.reinstated_at.is_(None))


def load(scope):
    """The certificate step of everyone in ``scope``: two queries plus the required steps."""
    valid = {}
    for row in db.session.execute(
        sa.select(
            Certificate.user_id, Certificate.number, Certificate.issued_at, Certificate.valid_until
        )
        .where(scope.where(Certificate.user_id), valid_now(scope.now))
        .order_by(Certificate.issued_at, Certificate.id)
    ).all():
        valid[row.user_id] = row  # the newest wins
    barred = {}
    for row in db.session.execute(
        sa.select(
            Certificate.user_id,
            Certificate.number,
            Certificate.revoked_at,
            Certificate.revocation_reason,
        )
        .where(scope.where(Certificate.user_id), barred_condition())
        .order_by(Certificate.revoked_at)
    ).all():
        barred[row.user_id] = row
    required = required_keys()
    label = str(LABEL)
    return {
        uid: _state(
            label, valid.get(uid), barred.get(uid), [scope.states[key][uid] for key in required]
        )
        for uid in scope.ids
    }


def _state(label, cert, barred, prerequisites):
    """One person's certificate step."""
    if cert is not None:
        return StepState(
            "certificate", label, DONE, cert.issued_at, describe=lambda: _issued_texts(cert)
        )
    if barred is not None:
        return StepState("certificate", label, REJECTED, describe=lambda: _barred_texts(barred))
    describe = lambda: _open_texts(prerequisites)  # noqa: E731
    if all(s.met for s in prerequisites):
        return StepState("certificate", label, PENDING, describe=describe)
    state = STARTED if any(s.state != OPEN for s in prerequisites) else OPEN
    return StepState("certificate", label, state, describe=describe)


def _issued_texts(cert):
    """(source, progress, missing) of a valid certificate."""
    source = _(
        "Zertifikat Nr. %(number)s vom %(date)s",
        number=cert.number,
        date=format_date(cert.issued_at),
    )
    if cert.valid_until is not None:
        source += ", " + _("gültig bis %(date)s", date=format_date(cert.valid_until))
    return source, "", ""


def _barred_texts(barred):
    """(source, progress, missing) after a revocation without reinstatement."""
    return (
        _("Zertifikat Nr. %(number)s", number=barred.number),
        "",
        _(
            "Am %(date)s widerrufen: %(reason)s. Ein neues Zertifikat erst nach "
            "Wiederzulassung durch die Stiftung.",
            date=format_date(barred.revoked_at),
            reason=barred.revocation_reason,
        ),
    )


def _open_texts(prerequisites):
    """(source, progress, missing) while the certificate is not issued."""
    open_ = [s for s in prerequisites if not s.met]
    progress = ngettext(
        "%(met)s von %(num)s Voraussetzung erfüllt",
        "%(met)s von %(num)s Voraussetzungen erfüllt",
        len(prerequisites),
        met=len(prerequisites) - len(open_),
    )
    if not open_:
        return (
            "",
            progress,
            _("Alle Voraussetzungen sind erfüllt – die Stiftung stellt das Zertifikat aus."),
        )
    return "", progress, _("Es fehlen: %(steps)s", steps="; ".join(s.label for s in open_))


def _prefilter(state, user_id_column):
    """SQL for each state, as ``load`` decides it; exact where the required steps' own
    conditions are (see ``_exact``), else it narrows before the exact states."""
    has_valid = (
        sa.select(Certificate.id)
        .where(Certificate.user_id == user_id_column, valid_now(utcnow()))
        .exists()
    )
    if state == DONE:
        return has_valid
    barred = (
        sa.select(Certificate.id)
        .where(Certificate.user_id == user_id_column, barred_condition())
        .exists()
    )
    if state == REJECTED:
        return sa.and_(~has_valid, barred)
    conditions = [~has_valid, ~barred]
    keys = required_keys()
    done = [narrowing(key, DONE, user_id_column) for key in keys]
    if state == PENDING:
        return sa.and_(*conditions, *(c for c, _exact in done if c is not None))
    if state not in (OPEN, STARTED) or not keys:
        return sa.false()  # without prerequisites everyone without a certificate waits
    opened = [narrowing(key, OPEN, user_id_column) for key in keys]
    if state == OPEN:
        # Every prerequisite open (then none is done); supersets still narrow.
        return sa.and_(*conditions, *(c for c, _exact in opened if c is not None))
    # Begun: not all done and not all open. A condition may only be negated when exact.
    if all(c is not None and exact for c, exact in done):
        conditions.append(~sa.and_(*(c for c, _exact in done)))
    if all(c is not None and exact for c, exact in opened):
        conditions.append(sa.or_(*(~c for c, _exact in opened)))
    return sa.and_(*conditions)


def _exact():
    """The states whose condition is exact: always issued and barred; the others when every
    required step has an exact condition for "done" (waiting) and also for "open" (open, begun)."""
    found = {DONE, REJECTED}
    keys = required_keys()
    if not keys:
        return found | {PENDING, OPEN, STARTED}
    opened = all(narrowing(key, OPEN, User.id)[1] for key in keys)
    if all(narrowing(key, DONE, User.id)[1] for key in keys):
        found.add(PENDING)
        if opened:
            found.add(STARTED)
    if opened:
        found.add(OPEN)
    return found


REQUIREMENT = Requirement(
    "certificate",
    LABEL,
    load,
    90,
    "certification.mine",
    _l("Checkliste ansehen"),
    final=True,
    prefilter=_prefilter,
    exact=_exact,
)
