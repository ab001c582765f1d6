"""Form helpers shared by the areas."""

from wtforms import SelectChoice


def choices(pairs):
    """Turn (value, label) pairs into WTForms select choices."""
    return [SelectChoice(str(value), label) for value, label in pairs]


def show_refusal(form, exc):
    """Roll back and show an operation's refusal on its field, or as a message at the top.

    ``exc`` is any area's error with ``message`` (German, for people) and ``field`` (or None).
    """
    from flask import flash

    from ..extensions import db

    db.session.rollback()
    field = getattr(form, exc.field, None) if exc.field else None
    if field is not None:
        field.errors = [*field.errors, exc.message]
    else:
        flash(exc.message, "error")
