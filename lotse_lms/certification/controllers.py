"""Handlers for foundation staff (overview, checklists, issue, renew, revoke, reinstate) and the Lotse's own page."""

from flask import (
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from ..accounts.models import User
from ..accounts.roles import Role, refuse_firm_contacts
from ..cohorts.filters import member_ids, selected_cohort_id
from ..core.access import roles_required
from ..core.forms import show_refusal
from ..core.timeutil import utcnow
from ..extensions import db
from ..qualification import overview as overview_ops
from ..qualification.state import STATE_LABELS, path_of, requirements
from . import bulk, credential, numbers, operations, rules
from .errors import CertificationError
from .forms import ConfirmForm, ReinstateForm, RevokeForm
from .models import Certificate

STAFF = (Role.FOUNDATION,)


@roles_required(*STAFF)
def overview():
    """Participants with the state of each step: paged, sortable, filterable by a step's state."""
    args = request.args
    step, _sep, state = (args.get("filter") or "").partition(":")
    if step not in {r.key for r in requirements()}:
        step, state = "", ""
    page = overview_ops.overview(
        step=step,
        state=state,
        search=args.get("q", "")[:100],
        sort=args.get("sort", "name"),
        page=args.get("page", 1, type=int),
        cohort_id=selected_cohort_id(),
    )
    # the table marks renewed certificates: their renewals in one query, not one per row
    recent_query = db.select(Certificate)
    if selected_cohort_id():
        recent_query = recent_query.where(Certificate.user_id.in_(member_ids(selected_cohort_id())))
    recent = db.session.scalars(
        recent_query.options(selectinload(Certificate.renewed_by))
        .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
        .limit(10)
    ).all()
    return render_template(
        "certification/overview.html",
        page=page,
        requirements=requirements(),
        state_labels=STATE_LABELS,
        selected=f"{step}:{state}" if step else "",
        recent=recent,
        bulk_jobs=bulk.recent_jobs(),
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
        path=path_of(user),
        plan=rules.budget(user),
        certificates=operations.certificates_of(user),
        barred=operations.barring_certificate(user),
        reinstate_form=ReinstateForm(),
    )


@roles_required(*STAFF)
def issue(user_id):
    """Issue one certificate after the confirmation page; the rules are checked again here."""
    user = _user_or_404(user_id)
    form = ConfirmForm()
    if request.method == "GET" or not form.is_confirmed:
        return render_template(
            "certification/confirm_issue.html",
            person=user,
            results=rules.checklist(user),
            valid_until=operations.valid_until_of(utcnow()),
            form=form,
        )
    if not form.validate_on_submit():
        abort(400)
    try:
        cert = operations.issue(user, current_user)
        db.session.commit()
    except CertificationError as exc:
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
def reinstate(user_id):
    """Allow a new certificate after a revocation (reason required, audited)."""
    user = _user_or_404(user_id)
    form = ReinstateForm()
    try:
        if not form.validate_on_submit():
            raise CertificationError(
                " ".join(str(e) for errs in form.errors.values() for e in errs), field="reason"
            )
        operations.reinstate(user, current_user, form.reason.data)
        db.session.commit()
    except CertificationError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        flash(
            _("%(name)s ist wieder zugelassen; ein neues Zertifikat ist möglich.", name=user.name),
            "success",
        )
    return redirect(url_for("certification.person", user_id=user.id))


def _certificate_for_viewer(number):
    """The certificate if the viewer is foundation staff or its holder; 404 / 403 otherwise."""
    cert = numbers.find(number)
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
    """Revoke with a reason, after the page that states the consequence."""
    cert = _certificate_for_viewer(number)
    form = RevokeForm()
    if request.method == "GET" or not form.is_confirmed:
        return render_template("certification/confirm_revoke.html", cert=cert, form=form)
    try:
        if not form.validate_on_submit():
            raise CertificationError(
                " ".join(str(e) for errs in form.errors.values() for e in errs), field="reason"
            )
        operations.revoke(cert, current_user, form.reason.data)
        db.session.commit()
    except CertificationError as exc:
        db.session.rollback()
        show_refusal(form, exc)
        return render_template("certification/confirm_revoke.html", cert=cert, form=form), 422
    flash(_("Zertifikat Nr. %(number)s widerrufen.", number=cert.number), "success")
    return redirect(url_for("certification.detail", number=cert.number))


@roles_required(*STAFF)
def renew(number):
    """Issue a renewal that points to this certificate, after the confirmation page."""
    cert = _certificate_for_viewer(number)
    form = ConfirmForm()
    if request.method == "GET" or not form.is_confirmed:
        return render_template(
            "certification/confirm_renew.html",
            cert=cert,
            valid_until=operations.valid_until_of(utcnow()),
            form=form,
        )
    if not form.validate_on_submit():
        abort(400)
    try:
        new = operations.renew(cert, current_user)
        db.session.commit()
    except CertificationError as exc:
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
    return Response(text, mimetype="application/jwt")


@login_required
def mine():
    """The Lotse's own checklist and certificates."""
    refuse_firm_contacts()
    return render_template(
        "certification/mine.html",
        results=rules.checklist(current_user),
        path=path_of(current_user),
        plan=rules.budget(current_user),
        certificates=operations.certificates_of(current_user),
    )
