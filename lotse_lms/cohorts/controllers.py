"""Views of the cohorts area (foundation staff and admins only)."""

import base64
import binascii
import json

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.models import User
from ..accounts.roles import Role
from ..core import jobs
from ..core.access import roles_required
from ..core.forms import show_refusal
from ..core.paging import Listing
from ..extensions import db
from . import MANAGERS, importer, operations
from .forms import ActionForm, AddMemberForm, CohortForm, ConfirmImportForm, ImportForm
from .models import MEMBER_ROLES, Cohort, CohortMember


def _cohort(cohort_id):
    """The cohort or 404."""
    return db.session.get(Cohort, cohort_id) or abort(404)


@roles_required(*MANAGERS)
def index():
    """Every cohort, paged and searchable, with its number of participants."""
    listing = Listing.from_request(
        "cohorts.index",
        {"start": Cohort.starts_on, "name": db.func.lower(Cohort.name), "end": Cohort.ends_on},
    )
    if "sort" not in request.args:
        listing.desc = True
    rows = operations.page_of_cohorts(listing)
    return render_template(
        "cohorts/index.html", rows=rows, listing=listing, today=operations.today()
    )


def _save(form, cohort=None):
    """Create or change the cohort from a submitted form; returns it, or None after showing
    every problem at once (a malformed date, and all the operation refuses)."""
    form.validate()
    form.process_date_errors()
    malformed = {f.name for f in (form.starts_on, form.ends_on) if f.errors}
    form.name.errors = []  # the operation names every problem of name and dates at once
    try:
        args = (form.name.data, form.starts_on.data, form.ends_on.data, current_user)
        if cohort is None:
            cohort = operations.create_cohort(*args)
        else:
            operations.update_cohort(cohort, *args)
        db.session.commit()
    except operations.CohortError as exc:
        # a malformed date reaches the operation as missing: keep only the form's message
        kept = [(field, text) for field, text in exc.errors if field not in malformed]
        db.session.rollback()
        if kept:
            show_refusal(form, operations.CohortError(errors=kept))
        return None
    return cohort


@roles_required(*MANAGERS)
def new():
    """Create a cohort."""
    form = CohortForm()
    if form.is_submitted():
        cohort = _save(form)
        if cohort is not None:
            flash(_("Der Durchgang „%(name)s“ ist angelegt.", name=cohort.name), "success")
            return redirect(url_for("cohorts.show", cohort_id=cohort.id))
    return render_template("cohorts/form.html", form=form, cohort=None)


@roles_required(*MANAGERS)
def edit(cohort_id):
    """Change a cohort's name and dates."""
    cohort = _cohort(cohort_id)
    form = CohortForm(obj=cohort)
    if form.is_submitted() and _save(form, cohort) is not None:
        flash(_("Der Durchgang ist gespeichert."), "success")
        return redirect(url_for("cohorts.show", cohort_id=cohort.id))
    return render_template("cohorts/form.html", form=form, cohort=cohort)


@roles_required(*MANAGERS)
def show(cohort_id):
    """A cohort with one page of its members of one role, and a person search to add more."""
    cohort = _cohort(cohort_id)
    role = request.args.get("role", Role.PARTICIPANT)
    role = role if role in MEMBER_ROLES else Role.PARTICIPANT
    shown = request.args.get("members", Role.PARTICIPANT)
    shown = shown if shown in MEMBER_ROLES else Role.PARTICIPANT
    query = request.args.get("q", "").strip()[:100]
    listing = Listing.from_request(
        "cohorts.show", {"name": db.func.lower(User.name)}, ("members",), cohort_id=cohort.id
    )
    listing.q = ""  # ``q`` is the person search; the member list has none
    return render_template(
        "cohorts/show.html",
        cohort=cohort,
        counts=operations.member_counts(cohort),
        members=operations.page_of_members(cohort, shown, listing),
        listing=listing,
        shown=shown,
        roles=MEMBER_ROLES,
        role=role,
        q=query,
        found=operations.search_people(query, role),
        add_form=AddMemberForm(role=role),
        action_form=ActionForm(),
    )


@roles_required(*MANAGERS)
def delete(cohort_id):
    """Ask before deleting a cohort without members, then delete it; otherwise say why not."""
    cohort = _cohort(cohort_id)
    form = ActionForm()
    problems = operations.deletion_problems(cohort)
    if not problems and form.validate_on_submit():
        name = cohort.name
        operations.delete_cohort(cohort, current_user)
        db.session.commit()
        flash(_("Der Durchgang „%(name)s“ ist gelöscht.", name=name), "success")
        return redirect(url_for("cohorts.index"))
    return render_template("cohorts/delete.html", cohort=cohort, problems=problems, form=form)


@roles_required(*MANAGERS)
def add_member(cohort_id):
    """Add the person chosen in the search."""
    cohort = _cohort(cohort_id)
    form = AddMemberForm()
    back = url_for("cohorts.show", cohort_id=cohort.id, role=form.role.data)
    if not form.validate_on_submit():
        flash(_("Bitte wählen Sie eine Person und eine Rolle."), "error")
        return redirect(back)
    user_id = form.user_id.data or ""
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    if user is None:
        abort(404)
    try:
        operations.add_member(cohort, user, form.role.data, current_user)
        db.session.commit()
    except operations.CohortError as exc:
        db.session.rollback()
        for _field, message in exc.errors:
            flash(message, "error")
    else:
        flash(
            _(
                "%(name)s ist im Durchgang als %(role)s eingetragen.",
                name=user.name,
                role=MEMBER_ROLES[form.role.data],
            ),
            "success",
        )
    return redirect(back)


@roles_required(*MANAGERS)
def remove_member(cohort_id, member_id):
    """Take a person out of the cohort."""
    member = db.session.get(CohortMember, member_id)
    if member is None or member.cohort_id != cohort_id or not ActionForm().validate_on_submit():
        abort(404)
    name, role = member.user.name, member.role
    operations.remove_member(member, current_user)
    db.session.commit()
    flash(_("%(name)s ist aus dem Durchgang entfernt.", name=name), "success")
    return redirect(url_for("cohorts.show", cohort_id=cohort_id, members=role))


@roles_required(*MANAGERS)
def import_upload(cohort_id):
    """Upload a CSV file of participants; shows the preview of what the import will do."""
    cohort = _cohort(cohort_id)
    form = ImportForm()
    if form.validate_on_submit():
        text = importer.decode(form.file.data.read())
        try:
            plan = importer.plan(cohort, text)
        except operations.CohortError as exc:
            show_refusal(form, exc)
        else:
            encoded = base64.b64encode(
                text.encode()
            ).decode()  # one line, as a hidden field keeps it
            confirm = ConfirmImportForm(text=encoded, signature=json.dumps(plan.signature))
            return render_template(
                "cohorts/import_preview.html",
                cohort=cohort,
                plan=plan,
                form=confirm,
                labels=importer.FIELD_LABELS,
                NEW=importer.NEW,
                EXISTING=importer.EXISTING,
                REFUSED=importer.REFUSED,
            )
    return render_template("cohorts/import.html", cohort=cohort, form=form)


@roles_required(*MANAGERS)
def import_confirm(cohort_id):
    """Start the import the preview showed, as a job; the job's page shows its progress."""
    cohort = _cohort(cohort_id)
    form = ConfirmImportForm()
    try:
        signature = json.loads(form.signature.data or "")
        text = base64.b64decode(form.text.data or "", validate=True).decode()
    except (ValueError, binascii.Error):
        signature = None
    if not form.validate_on_submit() or not isinstance(signature, list):
        flash(_("Die Vorschau ist abgelaufen; bitte laden Sie die Datei erneut hoch."), "error")
        return redirect(url_for("cohorts.import_upload", cohort_id=cohort.id))
    job = jobs.start(
        importer.JOB_NAME,
        cohort.id,
        text,
        signature,
        current_user.id,
        actor=current_user,
        message=_("Der Import in „%(name)s“ wartet auf die Verarbeitung.", name=cohort.name),
    )
    return redirect(url_for("core.job_status", job_id=job.id))
