"""Form helpers shared by the areas."""

from flask import flash
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectChoice, StringField, TextAreaField

from ..extensions import db
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
