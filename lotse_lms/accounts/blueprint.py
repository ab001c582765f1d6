"""Routes of the accounts area."""

from flask import Blueprint

from . import admin_controllers as admin
from . import controllers as c
from . import picker_controllers as people

bp = Blueprint("accounts", __name__, template_folder="templates")
GP = ["GET", "POST"]
bp.add_url_rule("/login", view_func=c.login, methods=GP)
bp.add_url_rule("/logout", view_func=c.logout, methods=["POST"])
bp.add_url_rule("/register", view_func=c.register, methods=GP)
bp.add_url_rule("/register/confirm/<token>", view_func=c.confirm_email)
bp.add_url_rule("/password/forgot", view_func=c.forgot_password, methods=GP)
bp.add_url_rule("/password/reset/<token>", view_func=c.reset_password, methods=GP)
bp.add_url_rule("/invitation/<token>", view_func=c.accept_invitation, methods=GP)
bp.add_url_rule("/profile", view_func=c.profile, methods=GP)
bp.add_url_rule("/profile/password", view_func=c.change_password, methods=GP)
bp.add_url_rule("/profile/devices", view_func=c.device_sessions)
bp.add_url_rule(
    "/profile/devices/<device_id>/end", view_func=c.end_device_session, methods=["POST"]
)
bp.add_url_rule("/profile/devices/end-all", view_func=c.sign_out_everywhere, methods=["POST"])
bp.add_url_rule("/profile/authorisation", view_func=c.edit_authorisation, methods=GP)
bp.add_url_rule("/profile/authorisation/proof", view_func=c.own_proof)
bp.add_url_rule("/profile/workshop", view_func=c.edit_workshop, methods=GP)
bp.add_url_rule("/foundation/verification", view_func=admin.verification_queue)
bp.add_url_rule(
    "/foundation/verification/<kind>/<int:record_id>", view_func=admin.review_record, methods=GP
)
bp.add_url_rule(
    "/foundation/verification/<kind>/<int:record_id>/proof", view_func=admin.record_proof
)
bp.add_url_rule(
    "/foundation/verification/<kind>/<int:record_id>/preview",
    "record_proof_preview",
    admin.proof_preview,
)
bp.add_url_rule("/users", view_func=admin.users)
bp.add_url_rule("/users/new", view_func=admin.new_user, methods=GP)
bp.add_url_rule("/users/<int:user_id>", view_func=admin.edit_user, methods=GP)
bp.add_url_rule("/people/search", view_func=people.search_people)
