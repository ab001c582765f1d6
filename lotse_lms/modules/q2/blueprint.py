"""Routes of Q2 live sessions."""

from flask import Blueprint

from . import controllers as c
from . import manage_controllers as m
from . import people_controllers as p

bp = Blueprint("q2", __name__, template_folder="templates", url_prefix="/q2")
GP = ["GET", "POST"]
bp.add_url_rule("/", view_func=c.catalogue)
bp.add_url_rule("/sessions/<int:session_id>", view_func=c.detail)
bp.add_url_rule("/sessions/<int:session_id>/enrol", view_func=c.enrol, methods=["POST"])
bp.add_url_rule("/sessions/<int:session_id>/cancel", view_func=c.cancel, methods=["POST"])
bp.add_url_rule("/sessions/<int:session_id>.ics", view_func=c.session_ics)
bp.add_url_rule("/mine", view_func=c.mine)
bp.add_url_rule("/calendar", view_func=c.calendar, methods=GP)
bp.add_url_rule("/feed/<token>.ics", view_func=c.feed)
bp.add_url_rule("/manage", view_func=m.manage)
bp.add_url_rule("/manage/export.csv", view_func=m.export_all)
bp.add_url_rule("/manage/new", view_func=m.new_session, methods=GP)
bp.add_url_rule("/manage/<int:session_id>", view_func=p.manage_session)
bp.add_url_rule("/manage/<int:session_id>/edit", view_func=m.edit_session, methods=GP)
bp.add_url_rule("/manage/<int:session_id>/duplicate", view_func=m.duplicate_session, methods=GP)
bp.add_url_rule("/manage/<int:session_id>/cancel", view_func=m.cancel_session, methods=GP)
bp.add_url_rule("/manage/<int:session_id>/attendance", view_func=p.attendance, methods=["POST"])
bp.add_url_rule(
    "/manage/<int:session_id>/remove/<int:registration_id>",
    view_func=p.remove_participant,
    methods=GP,
)
bp.add_url_rule(
    "/manage/<int:session_id>/admit/<int:registration_id>", view_func=p.admit, methods=["POST"]
)
bp.add_url_rule("/manage/<int:session_id>/add", view_func=p.add_person, methods=["POST"])
bp.add_url_rule("/manage/<int:session_id>/clashes", view_func=p.clashes, methods=GP)
bp.add_url_rule("/manage/<int:session_id>/participants.csv", view_func=m.export_session)
