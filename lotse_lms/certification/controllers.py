"""Handlers for foundation staff (checklists, issuing, bulk jobs, revocation) and the Lotse's own page."""

from flask import abort, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..accounts.models import User
from ..core.access import roles_required
from ..extensions import db
from . import bulk as bulk_ops
from . import credential, operations, rules
from .forms import ConfirmForm, RevokeForm
from .models import BulkJob

STAFF = ("foundation",)


@roles_required(*STAFF)
def overview():
    """Every participant with the state of the checklist, issued certificates and bulk issuing."""
    people = []
    certified = {}
    for user in bulk_ops.participants():
        results = rules.checklist(user)
        certified[user.id] = operations.current_certificate(user)
        people.append((user, results))
    from .models import Certificate

    recent = db.session.scalars(
        db.select(Certificate)
        .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
        .limit(50)
    ).all()
    eligible = [
        u for u, results in people if all(r.met for r in results) and certified[u.id] is None
    ]
    return render_template(
        "certification/overview.html",
        people=people,
        certified=certified,
        eligible=eligible,
        recent=recent,
        form=ConfirmForm(),
    )


def _user_or_404(user_id):
    """Load a person or answer 404."""
    user = db.get_or_404(User, user_id)
    return user


@roles_required(*STAFF)
def person(user_id):
    """One person's checklist: each prerequisite, since when, from which record, what is missing."""
    user = _user_or_404(user_id)
    return render_template(
        "certification/person.html",
        person=user,
        results=rules.checklist(user),
        plan=rules.budget(user),
        certificates=operations.certificates_of(user),
        form=ConfirmForm(),
    )


@roles_required(*STAFF)
def issue(user_id):
    """Issue one certificate; the rules are checked again here, whatever the page showed."""
    user = _user_or_404(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        cert = operations.issue(user, current_user)
        db.session.commit()
    except operations.CertificationError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("certification.person", user_id=user.id))
    flash(
        _(
            "Zertifikat Nr. %(number)s für %(name)s ausgestellt.",
            number=cert.number,
            name=user.name,
        ),
        "success",
    )
    return redirect(url_for("certification.detail", number=cert.number))


@roles_required(*STAFF)
def start_bulk():
    """Start issuing for every eligible Lotse; the progress page then processes it chunk by chunk."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        job = bulk_ops.start_bulk(current_user)
        db.session.commit()
    except operations.CertificationError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("certification.overview"))
    return redirect(url_for("certification.bulk", job_id=job.id))


def _job_or_404(job_id):
    """Load a bulk job or answer 404."""
    job = db.get_or_404(BulkJob, job_id)
    return job


def _progress(job):
    """The job's progress as JSON-ready dict."""
    return {
        "status": job.status,
        "processed": job.processed,
        "total": job.total,
        "percent": job.percent,
        "issued": job.issued,
        "refused": job.refused,
        "messages": job.messages[-50:],
    }


@roles_required(*STAFF)
def bulk(job_id):
    """The progress page of a bulk job (its script asks for the next chunk until done)."""
    return render_template("certification/bulk.html", job=_job_or_404(job_id), form=ConfirmForm())


@roles_required(*STAFF)
def bulk_step(job_id):
    """Process the next chunk; JSON for the page's script, a redirect without script."""
    job = _job_or_404(job_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    job = bulk_ops.run_bulk_step(job, current_user)
    db.session.commit()
    if request.accept_mimetypes.best == "application/json":
        return jsonify(_progress(job))
    return redirect(url_for("certification.bulk", job_id=job.id))


def _certificate_for_viewer(number):
    """The certificate if the viewer is foundation staff or its holder; 404 / 403 otherwise."""
    cert = operations.find(number)
    if cert is None:
        abort(404)
    if not (current_user.has_role(*STAFF) or cert.user_id == current_user.id):
        abort(403)
    return cert


@login_required
def detail(number):
    """A certificate with its evidence; staff also see revoke and renew."""
    cert = _certificate_for_viewer(number)
    return render_template(
        "certification/detail.html",
        cert=cert,
        status=cert.status(),
        staff=current_user.has_role(*STAFF),
        revoke_form=RevokeForm(),
        form=ConfirmForm(),
    )


@roles_required(*STAFF)
def revoke(number):
    """Revoke with a reason."""
    cert = _certificate_for_viewer(number)
    form = RevokeForm()
    try:
        if not form.validate_on_submit():
            raise operations.CertificationError(
                " ".join(str(e) for errs in form.errors.values() for e in errs)
            )
        operations.revoke(cert, current_user, form.reason.data)
        db.session.commit()
    except operations.CertificationError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        flash(_("Zertifikat Nr. %(number)s widerrufen.", number=cert.number), "success")
    return redirect(url_for("certification.detail", number=cert.number))


@roles_required(*STAFF)
def renew(number):
    """Issue a renewal that points to this certificate."""
    cert = _certificate_for_viewer(number)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        new = operations.renew(cert, current_user)
        db.session.commit()
    except operations.CertificationError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("certification.detail", number=cert.number))
    flash(_("Verlängert: neues Zertifikat Nr. %(number)s.", number=new.number), "success")
    return redirect(url_for("certification.detail", number=new.number))


@login_required
def download_pdf(number):
    """The certificate PDF, for its holder and foundation staff."""
    cert = _certificate_for_viewer(number)
    path = operations.pdf_file(cert)
    return send_file(
        path,
        mimetype="application/pdf",
        as_attachment=True,
        download_name=f"Zertifikat-{cert.number}.pdf",
    )


@login_required
def download_credential(number):
    """The signed Open Badges 3.0 credential (compact JWS), for its holder and foundation staff."""
    cert = _certificate_for_viewer(number)
    response = current_app_response(cert.credential_jwt)
    response.headers["Content-Disposition"] = f'attachment; filename="OpenBadge-{cert.number}.jwt"'
    return response


@login_required
def download_credential_ld(number):
    """The credential with an embedded Data Integrity proof (eddsa-rdfc-2022), as JSON-LD."""
    cert = _certificate_for_viewer(number)
    response = jsonify(credential.data_integrity(cert))
    response.mimetype = "application/vc+ld+json"
    response.headers["Content-Disposition"] = f'attachment; filename="OpenBadge-{cert.number}.json"'
    return response


def current_app_response(text):
    """A plain-text response (the JWS is ASCII)."""
    from flask import Response

    return Response(text, mimetype="application/jwt")


@login_required
def mine():
    """The Lotse's own checklist and certificates."""
    return render_template(
        "certification/mine.html",
        results=rules.checklist(current_user),
        plan=rules.budget(current_user),
        certificates=operations.certificates_of(current_user),
    )
