"""Routes of Q1: the LMS pages (blueprint ``q1``) and the content origin (``q1_content``)."""

from flask import Blueprint

from . import controllers as c
from . import lifecycle_controllers as lc
from . import player_controllers as pc
from . import runtime_controllers as rc

bp = Blueprint(
    "q1", __name__, template_folder="templates", static_folder="static", url_prefix="/q1"
)
GP = ["GET", "POST"]
bp.add_url_rule("/", view_func=c.catalogue)
bp.add_url_rule("/packages/new", view_func=c.upload, methods=GP)
bp.add_url_rule("/packages/<int:package_id>", view_func=c.package_detail)
bp.add_url_rule("/packages/<int:package_id>/update", view_func=c.update, methods=["POST"])
bp.add_url_rule("/packages/<int:package_id>/publish", view_func=lc.publish, methods=["POST"])
bp.add_url_rule("/packages/<int:package_id>/archive", view_func=lc.archive, methods=["POST"])
bp.add_url_rule("/packages/<int:package_id>/delete", view_func=lc.delete, methods=["POST"])
bp.add_url_rule(
    "/packages/<int:package_id>/certificate", view_func=lc.set_certificate, methods=["POST"]
)
bp.add_url_rule("/packages/<int:package_id>/report", view_func=c.report)
bp.add_url_rule("/packages/<int:package_id>/report.csv", view_func=c.report_csv)
bp.add_url_rule("/packages/<int:package_id>/report/<int:user_id>", view_func=c.learner_report)
bp.add_url_rule("/play/<int:package_id>", view_func=pc.player)
bp.add_url_rule("/play/<int:package_id>/ende", view_func=pc.end_page)
bp.add_url_rule("/play/version/<int:version_id>/launch", view_func=pc.launch, methods=["POST"])
bp.add_url_rule("/play/version/<int:version_id>/status", view_func=pc.status)

content_bp = Blueprint(
    "q1_content", __name__, template_folder="templates", url_prefix="/scorm-content"
)
content_bp.add_url_rule("/launch/<token>", view_func=rc.launch_page)
content_bp.add_url_rule("/commit/<token>", view_func=rc.commit, methods=["POST"])
content_bp.add_url_rule("/runtime/<name>", view_func=rc.runtime_file)
content_bp.add_url_rule("/p/<ctoken>/<path:filename>", view_func=rc.package_file)
