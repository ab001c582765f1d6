"""Routes of the mentoring area (no delete routes: nothing in mentoring is deleted)."""

from flask import Blueprint

from . import controllers as c
from . import staff_controllers as staff

bp = Blueprint("mentoring", __name__, template_folder="templates", url_prefix="/mentoring")
GP = ["GET", "POST"]
bp.add_url_rule("/me", view_func=c.my_mentoring)
bp.add_url_rule("/mentees", view_func=c.my_mentees)
bp.add_url_rule("/mentees/<int:mentee_id>", view_func=c.mentee)
bp.add_url_rule("/mentees/<int:mentee_id>/entries/new", view_func=c.new_entry, methods=GP)
bp.add_url_rule("/mentees/<int:mentee_id>/recommendation", view_func=c.recommendation, methods=GP)
bp.add_url_rule("/entries/<int:entry_id>", view_func=c.entry, methods=GP)
bp.add_url_rule("/entries/<int:entry_id>/edit", view_func=c.edit_entry, methods=GP)
bp.add_url_rule("/replies/<int:reply_id>/correct", view_func=c.correct_reply, methods=GP)
bp.add_url_rule("/assignments", view_func=staff.assignments)
bp.add_url_rule("/assignments/<int:mentee_id>", view_func=staff.assign, methods=GP)
