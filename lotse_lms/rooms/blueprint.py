"""Routes of the Experimentierräume (``/raeume``).

The other parts of the area add their routes in their own ``*_controllers.py`` (importing
``bp`` from here); they are imported at the end of this module.
"""

from flask import Blueprint

bp = Blueprint("rooms", __name__, template_folder="templates", url_prefix="/raeume")
GP = ["GET", "POST"]
POST = ["POST"]

from . import controllers as c  # noqa: E402  (the controllers need bp defined first)

bp.add_url_rule("/", view_func=c.index)
bp.add_url_rule("/<int:room_id>", view_func=c.show)
bp.add_url_rule("/neu", view_func=c.create, methods=GP)
bp.add_url_rule("/<int:room_id>/bearbeiten", view_func=c.edit, methods=GP)
bp.add_url_rule("/<int:room_id>/phase", view_func=c.change_phase, methods=POST)

# The other parts' routes (meetings, work, reports) register on import:
# from . import meeting_controllers, work_controllers, report_controllers  # noqa: E402,F401
from . import (  # noqa: E402,F401
    meeting_controllers,  # noqa: E402,F401
    work_card_controllers,
    work_controllers,
)
