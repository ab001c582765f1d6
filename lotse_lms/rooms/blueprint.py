"""Routes of the Experimentierräume (``/raeume``).

The other parts of the area add their routes in their own ``*_controllers.py`` (importing
``bp`` from here); they are imported at the end of this module.
"""

from flask import Blueprint, current_app

from ..extensions import limiter

bp = Blueprint("rooms", __name__, template_folder="templates", url_prefix="/raeume")
GP = ["GET", "POST"]
POST = ["POST"]

from . import controllers as c  # noqa: E402  (the controllers need bp defined first)
from . import directory_controllers as d  # noqa: E402
from . import member_controllers as m  # noqa: E402


def _interest_limit():
    return current_app.config["ROOMS_INTEREST_LIMIT"]


bp.add_url_rule("/", view_func=c.index)
bp.add_url_rule("/<int:room_id>", view_func=c.show)
bp.add_url_rule("/neu", view_func=c.create, methods=GP)
bp.add_url_rule("/<int:room_id>/bearbeiten", view_func=c.edit, methods=GP)
bp.add_url_rule("/<int:room_id>/phase", view_func=c.change_phase, methods=POST)

bp.add_url_rule("/<int:room_id>/mitglieder", view_func=m.manage_members, methods=GP)
bp.add_url_rule(
    "/<int:room_id>/mitglieder/<int:member_id>/entfernen", view_func=m.remove_member, methods=POST
)
bp.add_url_rule(
    "/<int:room_id>/mitglieder/<int:member_id>/einladung",
    view_func=m.resend_invitation,
    methods=POST,
)
bp.add_url_rule(
    "/<int:room_id>/unternehmen/<int:organisation_id>",
    view_func=m.edit_organisation,
    methods=GP,
)
bp.add_url_rule(
    "/<int:room_id>/unternehmen/<int:organisation_id>/nennung",
    view_func=m.set_consent,
    methods=POST,
)
bp.add_url_rule("/<int:room_id>/anfragen", view_func=m.requests)
bp.add_url_rule(
    "/<int:room_id>/anfragen/<int:request_id>/annehmen", view_func=m.accept_request, methods=GP
)
bp.add_url_rule(
    "/<int:room_id>/anfragen/<int:request_id>/ablehnen", view_func=m.decline_request, methods=POST
)

# Public: no account needed.
bp.add_url_rule("/verzeichnis", view_func=d.directory_page, endpoint="directory")
bp.add_url_rule(
    "/verzeichnis/<int:room_id>",
    view_func=limiter.limit(_interest_limit, methods=["POST"])(d.public_room),
    methods=GP,
)
bp.add_url_rule("/verzeichnis/<int:room_id>/danke", view_func=d.interest_sent)
bp.add_url_rule("/interesse/<token>", view_func=d.confirm_interest, methods=GP)

# The other parts' routes (meetings, work, reports) register on import:
# from . import meeting_controllers, work_controllers, report_controllers  # noqa: E402,F401
from . import (  # noqa: E402,F401
    meeting_controllers,
    report_controllers,
    work_card_controllers,
    work_controllers,
)
