"""Routes of the community area."""

from flask import Blueprint

from ..extensions import csrf
from . import controllers as c
from . import moderation_controllers as m
from . import notify_controllers as n

bp = Blueprint("community", __name__, template_folder="templates", url_prefix="/community")
GP = ["GET", "POST"]
POST = ["POST"]
bp.add_url_rule("/", view_func=c.index)
bp.add_url_rule("/neu", view_func=c.unread)
bp.add_url_rule("/suche", view_func=c.search)
bp.add_url_rule("/bereich/<int:space_id>", view_func=c.space)
bp.add_url_rule("/bereich/<int:space_id>/thema", view_func=c.new_thread, methods=GP)
bp.add_url_rule("/bereich/<int:space_id>/mitglieder", view_func=c.members)
bp.add_url_rule("/bereich/<int:space_id>/aufbewahrung", view_func=m.retention, methods=GP)
bp.add_url_rule("/thema/<int:thread_id>", view_func=c.thread, methods=GP)
bp.add_url_rule("/thema/<int:thread_id>/anheften", view_func=m.pin, methods=POST)
bp.add_url_rule("/thema/<int:thread_id>/sperren", view_func=m.lock, methods=POST)
bp.add_url_rule("/beitrag/<int:post_id>/bearbeiten", view_func=c.edit_post, methods=GP)
bp.add_url_rule("/beitrag/<int:post_id>/geloest", view_func=c.solve, methods=POST)
bp.add_url_rule("/beitrag/<int:post_id>/melden", view_func=m.report, methods=GP)
bp.add_url_rule("/beitrag/<int:post_id>/ausblenden", view_func=m.hide, methods=GP)
bp.add_url_rule("/beitrag/<int:post_id>/einblenden", view_func=m.unhide, methods=POST)
bp.add_url_rule("/anhang/<int:attachment_id>", view_func=c.attachment)
bp.add_url_rule("/moderation", view_func=m.queue)
bp.add_url_rule("/moderation/freigabe", view_func=m.pending)
bp.add_url_rule("/beitrag/<int:post_id>/freigeben", view_func=m.approve, methods=POST)
bp.add_url_rule("/beitrag/<int:post_id>/ablehnen", view_func=m.reject, methods=GP)
bp.add_url_rule("/moderation/<int:report_id>/erledigt", view_func=m.dismiss, methods=POST)
bp.add_url_rule("/themenforen", view_func=m.boards, methods=GP)
bp.add_url_rule("/themenforen/<int:space_id>", view_func=m.edit_board, methods=GP)
bp.add_url_rule("/themenforen/<int:space_id>/loeschen", view_func=m.delete_board, methods=POST)
bp.add_url_rule("/themenforen/<int:space_id>/verschieben", view_func=m.move_board, methods=POST)
bp.add_url_rule("/thema/<int:thread_id>/folgen", view_func=n.watch, methods=POST)
bp.add_url_rule("/benachrichtigungen", view_func=n.notifications)
bp.add_url_rule("/benachrichtigungen/<int:note_id>", view_func=n.open_notification)
bp.add_url_rule("/benachrichtigungen/gelesen", view_func=n.mark_all_read, methods=POST)
bp.add_url_rule("/abmelden/<token>", view_func=csrf.exempt(n.unsubscribe), methods=GP)
bp.add_url_rule("/benachrichtigungen/einstellungen", view_func=n.notify_settings, methods=GP)
