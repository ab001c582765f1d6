"""Records certification needs, submitted by participants and verified by the foundation."""

from datetime import date

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from ..core import audit, mail
from ..core.errors import collect
from ..core.timeutil import utcnow
from ..extensions import db
from .errors import AccountError
from .models import RECORD_KINDS, ConsultantAuthorisation, VerificationStatus, WorkshopAttendance
from .uploads import check_proof, remove_proof, store_proof

MAX_NUMBER = 64
MAX_PLACE = 200


def _check_date(value, field):
    """A record's date must be a real date, not in the future."""
    if not isinstance(value, date):
        raise AccountError(_("Bitte geben Sie ein gültiges Datum an."), field)
    if value > utcnow().date():
        raise AccountError(_("Das Datum darf nicht in der Zukunft liegen."), field)


def authorisation_of(user):
    """The participant's authorisation record, or None."""
    return db.session.scalar(db.select(ConsultantAuthorisation).filter_by(user_id=user.id))


def workshop_of(user):
    """The participant's workshop record, or None."""
    return db.session.scalar(db.select(WorkshopAttendance).filter_by(user_id=user.id))


def submit_authorisation(user, number, issued_on, proof_name=None, proof_data=None):
    """Submit (or resubmit) the OM-consultant authorisation; returns (record, files to delete)."""
    number = (number or "").strip()
    if not number:
        raise AccountError(_("Bitte geben Sie die Nummer der Autorisierung an."), "number")
    if len(number) > MAX_NUMBER:
        raise AccountError(
            _("Die Nummer darf höchstens %(n)s Zeichen haben.", n=MAX_NUMBER), "number"
        )
    _check_date(issued_on, "issued_on")
    record = authorisation_of(user)
    # A proof deleted after an earlier verification (PROOF_KEEP_DAYS) must be uploaded again.
    if (record is None or not record.proof_path) and not proof_data:
        raise AccountError(_("Bitte laden Sie einen Nachweis der Autorisierung hoch."), "proof")
    checked = check_proof(proof_name, proof_data) if proof_data else None
    stale = []
    if record is None:
        record = ConsultantAuthorisation(user_id=user.id)
        db.session.add(record)
    elif checked and record.proof_path:
        stale.append(record.proof_path)
    if checked:
        ext, mime = checked
        record.proof_path = store_proof(proof_data, ext)
        record.proof_name = proof_name[-255:]
        record.proof_mime = mime
        record.proof_size = len(proof_data)
    record.number = number
    record.issued_on = issued_on
    _resubmit(record, user)
    return record, stale


def check_workshop(attended_on, place):
    """Check a workshop record's fields, every error at once; returns the cleaned place."""
    place = (place or "").strip()
    with collect(AccountError) as refuse:
        if not place:
            refuse(_("Bitte geben Sie den Ort des Workshops an."), "place")
        if len(place) > MAX_PLACE:
            refuse(_("Der Ort darf höchstens %(n)s Zeichen haben.", n=MAX_PLACE), "place")
        refuse.check(_check_date, attended_on, "attended_on")
    return place


def submit_workshop(user, attended_on, place):
    """Submit (or resubmit) attendance of the workshop "Gemeinsames Beratungsverständnis"."""
    place = check_workshop(attended_on, place)
    record = workshop_of(user)
    if record is None:
        record = WorkshopAttendance(user_id=user.id)
        db.session.add(record)
    record.attended_on = attended_on
    record.place = place
    _resubmit(record, user)
    return record


def _resubmit(record, user):
    """A changed record goes back into the foundation's queue."""
    previous = record.status
    if previous == VerificationStatus.REJECTED:  # the next reviewer sees what was wrong before
        record.rejected_at = record.reviewed_at
        record.rejected_reason = record.reason
    record.status = VerificationStatus.SUBMITTED
    record.reason = ""
    record.submitted_at = utcnow()
    record.reviewed_at = None
    record.reviewed_by_id = None
    db.session.flush()
    audit.record(
        f"accounts.{record.kind}_submitted",
        record,
        actor=user,
        subject=user,
        previous_status=previous,
    )


def commit_with_files(new_path, stale_paths):
    """Commit; on failure remove the new file, on success the replaced ones."""
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        if new_path:
            remove_proof(new_path)
        raise
    for path in stale_paths:
        remove_proof(path)


def queue(kind=None):
    """Records waiting for verification, oldest first."""
    records = []
    for name, model in RECORD_KINDS.items():
        if kind in (None, name):
            query = db.select(model).where(model.status == VerificationStatus.SUBMITTED)
            records.extend(db.session.scalars(query).all())
    return sorted(records, key=lambda r: r.submitted_at)


def queue_page(page=1, size=50):
    """(how many records wait, the records of ``page``), oldest first, in three queries and
    one per kind of record on the page."""
    parts = [
        sa.select(sa.literal(name).label("kind"), model.id, model.submitted_at).where(
            model.status == VerificationStatus.SUBMITTED
        )
        for name, model in RECORD_KINDS.items()
    ]
    waiting = sa.union_all(*parts).subquery()
    total = db.session.scalar(sa.select(sa.func.count()).select_from(waiting))
    rows = db.session.execute(
        sa.select(waiting.c.kind, waiting.c.id)
        .order_by(waiting.c.submitted_at, waiting.c.kind, waiting.c.id)
        .limit(size)
        .offset((max(page, 1) - 1) * size)
    ).all()
    loaded = {}
    for name, model in RECORD_KINDS.items():
        ids = [record_id for kind, record_id in rows if kind == name]
        if ids:
            for record in db.session.scalars(sa.select(model).where(model.id.in_(ids))):
                loaded[name, record.id] = record
    return total, [loaded[kind, record_id] for kind, record_id in rows]


def _normalised(column):
    """An authorisation number without spaces and dashes, in lower case (SQL)."""
    return sa.func.lower(sa.func.replace(sa.func.replace(column, " ", ""), "-", ""))


def same_number_elsewhere(record):
    """Other people's authorisation records with the same number (case, spaces, dashes aside)."""
    if record.kind != "authorisation" or not record.number:
        return []
    return db.session.scalars(
        sa.select(ConsultantAuthorisation)
        .where(
            ConsultantAuthorisation.user_id != record.user_id,
            _normalised(ConsultantAuthorisation.number)
            == _normalised(sa.literal(record.number, sa.String)),
        )
        .order_by(ConsultantAuthorisation.submitted_at)
        .limit(20)
    ).all()


def get_record(kind, record_id):
    """Return the record of ``kind`` with this id, or None."""
    model = RECORD_KINDS.get(kind)
    return db.session.get(model, record_id) if model else None


def verify(record, actor):
    """The foundation confirms a submitted record."""
    _review(record, actor, VerificationStatus.VERIFIED, "")


def reject(record, actor, reason):
    """The foundation rejects a record; the reason is required and shown to the participant."""
    reason = (reason or "").strip()
    if not reason:
        raise AccountError(_("Bitte geben Sie einen Grund für die Ablehnung an."), "reason")
    if len(reason) > 2000:
        raise AccountError(_("Der Grund darf höchstens 2000 Zeichen haben."), "reason")
    _review(record, actor, VerificationStatus.REJECTED, reason)


def _review(record, actor, status, reason):
    """Set the outcome of a review, log it and tell the participant."""
    if record.status != VerificationStatus.SUBMITTED:
        raise AccountError(_("Dieser Nachweis wurde bereits geprüft."))
    if record.user_id == actor.id:
        raise AccountError(_("Eigene Nachweise können Sie nicht selbst prüfen."))
    record.status = status
    record.reason = reason
    record.reviewed_at = utcnow()
    record.reviewed_by_id = actor.id
    audit.record(
        f"accounts.{record.kind}_{status}", record, actor=actor, subject=record.user, reason=reason
    )
    what = (
        _("Autorisierung als OM-Beraterin / OM-Berater")
        if record.kind == "authorisation"
        else _("Workshop „Gemeinsames Beratungsverständnis“")
    )
    if status == VerificationStatus.VERIFIED:
        body = _(
            "Guten Tag %(name)s,\n\nIhr Nachweis „%(what)s“ wurde von der Stiftung bestätigt.",
            name=record.user.name,
            what=what,
        )
    else:
        body = _(
            "Guten Tag %(name)s,\n\nIhr Nachweis „%(what)s“ wurde leider abgelehnt.\n"
            "Grund: %(reason)s\n\nSie können ihn in Ihrem Profil korrigieren und erneut einreichen.",
            name=record.user.name,
            what=what,
            reason=reason,
        )
    mail.queue(record.user.email, _("Ihr Nachweis wurde geprüft"), body)
    current_app.logger.info("%s %s by %s", record.kind, status, actor.email)
