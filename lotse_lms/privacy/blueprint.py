"""Routes of the privacy area."""

from flask import Blueprint

from . import controllers as c

bp = Blueprint("privacy", __name__, template_folder="templates")
bp.add_url_rule("/meine-daten", view_func=c.mine)
bp.add_url_rule("/meine-daten/export", view_func=c.export_mine, methods=["POST"])
bp.add_url_rule("/meine-daten/export/<export_id>", view_func=c.download)
bp.add_url_rule("/meine-daten/loeschen", view_func=c.request_erasure, methods=["POST"])
bp.add_url_rule("/datenschutz/antraege", view_func=c.requests)
bp.add_url_rule(
    "/datenschutz/personen/<int:user_id>/export", view_func=c.export_person, methods=["POST"]
)
bp.add_url_rule(
    "/datenschutz/personen/<int:user_id>/loeschen",
    view_func=c.erase_person,
    methods=["GET", "POST"],
)
bp.add_url_rule("/impressum", view_func=c.imprint)
bp.add_url_rule("/datenschutz", view_func=c.notice)
bp.add_url_rule("/barrierefreiheit", view_func=c.accessibility)
