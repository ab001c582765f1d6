"""Routes of the reflecting team (no delete routes: corrections are amendments)."""

from flask import Blueprint

from . import controllers as c
from . import library_controllers as lib

bp = Blueprint(
    "reflecting_team", __name__, template_folder="templates", url_prefix="/reflecting-team"
)
GP = ["GET", "POST"]
bp.add_url_rule("/", view_func=c.index)
bp.add_url_rule("/sessions/new", view_func=c.new_session, methods=GP)
bp.add_url_rule("/sessions/<int:session_id>", view_func=c.show_session)
bp.add_url_rule("/sessions/<int:session_id>/edit", view_func=c.edit_session, methods=GP)
bp.add_url_rule("/sessions/<int:session_id>/case", view_func=c.edit_case, methods=GP)
bp.add_url_rule("/sessions/<int:session_id>/reflection", view_func=c.edit_reflection, methods=GP)
bp.add_url_rule(
    "/sessions/<int:session_id>/self-reflection", view_func=c.edit_self_reflection, methods=GP
)
bp.add_url_rule("/sessions/<int:session_id>/close", view_func=c.close_session, methods=["POST"])
bp.add_url_rule(
    "/sessions/<int:session_id>/amend/<kind>/<int:record_id>", view_func=c.amend, methods=GP
)
bp.add_url_rule("/participation", view_func=lib.participation_overview)
bp.add_url_rule("/methods", view_func=lib.methods_index)
bp.add_url_rule("/methods/<slug>", view_func=lib.method_detail)
bp.add_url_rule("/portfolio.pdf", view_func=lib.own_portfolio)
bp.add_url_rule("/portfolio/<int:user_id>.pdf", view_func=lib.portfolio_of)
