"""Routes of the calendar."""

from flask import Blueprint

from . import controllers as c

bp = Blueprint("agenda", __name__, template_folder="templates")
bp.add_url_rule("/calendar", view_func=c.calendar)
