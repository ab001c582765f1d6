"""Routes of the core: start page, dashboard, language, audit log, outbox."""

from flask import Blueprint

from . import controllers

bp = Blueprint("core", __name__, template_folder="templates")
bp.add_url_rule("/", view_func=controllers.index)
bp.add_url_rule("/language/<code>", view_func=controllers.set_language, methods=["POST"])
bp.add_url_rule("/audit", view_func=controllers.audit_log)
bp.add_url_rule("/outbox", view_func=controllers.outbox)
bp.add_url_rule("/outbox/<int:mail_id>/retry", view_func=controllers.retry_mail, methods=["POST"])
bp.add_url_rule("/jobs/<job_id>", view_func=controllers.job_status)
bp.add_url_rule("/jobs/<job_id>/restart", view_func=controllers.restart_job, methods=["POST"])
bp.add_url_rule("/healthz", view_func=controllers.healthz)
