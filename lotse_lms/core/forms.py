"""Form helpers shared by the areas."""

from flask import flash
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectChoice, StringField, TextAreaField

from ..extensions import db
from .errors import Refusal
from .text import CONTROL_MESSAGE, has_control_characters


def is_single_line(field):
    """True for text inputs of one line (names, titles, subjects), not text areas or passwords."""
    return isinstance(field, StringField) and not isinstance(field, (TextAreaField, PasswordField))


class LotseForm(FlaskForm):
    """The base of every form: CSRF token, and no control characters in single-line fields."""

    def validate(self, extra_validators=None):
        """Validate as Flask-WTF does, then refuse line breaks, tabs … in single-line fields."""
        valid = super().validate(extra_validators)
        for field in self:
            if is_single_line(field) and has_control_characters(field.data):
                field.errors = [*field.errors, CONTROL_MESSAGE]
                valid = False
        return valid


def choices(pairs):
    """Turn (value, label) pairs into WTForms select choices."""
    return [SelectChoice(str(value), label) for value, label in pairs]


def show_refusal(form, exc):
    """Roll back and show every refusal of ``exc`` on its field, or as a message at the top.

    ``exc`` is a :class:`~lotse_lms.core.errors.Refusal` of any area; refusals whose field
    the form does not have are flashed, so none is lost.
    """
    db.session.rollback()
    for name, message in exc.errors:
        field = getattr(form, name, None) if name else None
        if field is not None:
            field.errors = [*field.errors, message]
        else:
            flash(message, "error")


def validate_all(form, check):
    """Validate ``form``; when it fails, run ``check()`` too, so one answer shows every error.

    ``check`` runs the operation's checks without writing (it raises a
    :class:`~lotse_lms.core.errors.Refusal`); its refusals land on the fields the form itself
    found fine, so a person sees "end before start" together with "title missing". True
    when the form is valid (the operation then checks again and writes).
    """
    if form.validate_on_submit():
        return True
    if not form.is_submitted() or form.errors.get("csrf_token"):
        return False
    flagged = {name for name, f in form._fields.items() if f.errors}
    try:
        check()
    except Refusal as exc:
        for name, message in exc.errors:
            field = getattr(form, name, None) if name else None
            if field is not None and name not in flagged:
                field.errors = [*field.errors, message]
    return False


class Saved:
    """What :func:`save_form` did: truthy once written and committed; ``value`` is what the
    write returned (the new room, meeting, thread …)."""

    __slots__ = ("ok", "value")

    def __init__(self, ok, value=None):
        """Keep whether the write went through and what it returned."""
        self.ok, self.value = ok, value

    def __bool__(self):
        """True when the form's change is committed."""
        return self.ok


def save_form(form, write, done=None, *, check=None, preview=False):
    """Validate ``form``, run ``write()`` and commit; a refusal rolls back and lands on the form.

    With ``check`` the form is validated through :func:`validate_all`, so one answer shows
    the form's errors and the operation's together; without it, as Flask-WTF does.
    ``preview`` validates but writes nothing (the page shows the preview). ``done`` (a
    message, or a function of what ``write`` returned giving one or None) is flashed as a
    success after the commit. A :class:`~lotse_lms.core.errors.Refusal` of any area from
    ``write`` rolls everything back, so nothing is half-written, and every refusal shows on
    its field (see :func:`show_refusal`).
    """
    valid = validate_all(form, check) if check is not None else form.validate_on_submit()
    if not valid or preview:
        return Saved(False)
    try:
        value = write()
        db.session.commit()
    except Refusal as exc:
        show_refusal(form, exc)
        return Saved(False)
    message = done(value) if callable(done) else done
    if message:
        flash(message, "success")
    return Saved(True, value)
