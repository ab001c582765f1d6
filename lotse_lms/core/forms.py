"""Form helpers shared by the areas."""

from flask import flash
from wtforms import SelectChoice

from ..extensions import db


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
