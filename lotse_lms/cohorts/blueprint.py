"""Routes of the cohorts area."""

from flask import Blueprint

from . import controllers as c

bp = Blueprint("cohorts", __name__, template_folder="templates", url_prefix="/cohorts")
GP = ["GET", "POST"]
bp.add_url_rule("/", view_func=c.index)
bp.add_url_rule("/new", view_func=c.new, methods=GP)
bp.add_url_rule("/<int:cohort_id>", view_func=c.show)
bp.add_url_rule("/<int:cohort_id>/edit", view_func=c.edit, methods=GP)
bp.add_url_rule("/<int:cohort_id>/delete", view_func=c.delete, methods=GP)
bp.add_url_rule("/<int:cohort_id>/members", view_func=c.add_member, methods=["POST"])
bp.add_url_rule(
    "/<int:cohort_id>/members/<int:member_id>/remove", view_func=c.remove_member, methods=["POST"]
)
bp.add_url_rule("/<int:cohort_id>/import", view_func=c.import_upload, methods=GP)
bp.add_url_rule("/<int:cohort_id>/import/confirm", view_func=c.import_confirm, methods=["POST"])
