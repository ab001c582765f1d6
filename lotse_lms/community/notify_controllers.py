"""Views of the notifications: the list, opening one, "alle gelesen", mail setting, follow/mute."""

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..core.paging import Listing
from ..extensions import db
from . import notify, queries
from .controllers import readable_thread
from .forms import ActionForm, DeliveryForm
from .models import Post
from .notify_models import DELIVERIES, FOLLOW, MUTE, OFF, Notification

PER_PAGE = 30


@login_required
def notifications():
    """The person's notifications, newest first, paged."""
    listing = Listing.from_request(
        "community.notifications", {"recent": Notification.id}, size=PER_PAGE
    )
    listing.desc = True
    notes = notify.page_of_notifications(current_user, listing)
    return render_template(
        "community/notifications.html", notes=notes, listing=listing, action_form=ActionForm()
    )


@login_required
def open_notification(note_id):
    """Mark a notification read and go to its post."""
    note = notify.open_notification(current_user, note_id)
    if note is None:
        abort(404)
    db.session.commit()
    thread = readable_thread(note.thread_id)  # a person who left the space sees 404
    position = db.session.scalar(
        sa.select(sa.func.count(Post.id)).where(
            Post.thread_id == thread.id, Post.id <= note.post_id
        )
    )
    page = -(-position // queries.POSTS_PER_PAGE)
    return redirect(
        url_for("community.thread", thread_id=thread.id, page=page) + f"#post-{note.post_id}"
    )


@login_required
def mark_all_read():
    """ "Alle als gelesen markieren"."""
    if not ActionForm().validate_on_submit():
        abort(400)
    notify.mark_all_read(current_user)
    db.session.commit()
    flash(_("Alle Benachrichtigungen sind als gelesen markiert."), "success")
    return redirect(url_for("community.notifications"))


@login_required
def notify_settings():
    """How notifications reach the person by mail: sofort, täglich, wöchentlich, aus."""
    form = DeliveryForm()
    form.delivery.choices = [(key, label) for key, label in DELIVERIES.items()]
    if request.method == "GET":
        form.delivery.data = notify.delivery_of(current_user)
    elif form.validate_on_submit():
        notify.set_delivery(current_user, form.delivery.data)
        db.session.commit()
        flash(_("Ihre Einstellung ist gespeichert."), "success")
        return redirect(url_for("community.notify_settings"))
    return render_template("community/notify_settings.html", form=form)


@login_required
def watch(thread_id):
    """Follow a thread, mute it, or return to the default."""
    thread = readable_thread(thread_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    mode = request.form.get("mode") or None
    if mode not in (FOLLOW, MUTE, None):
        abort(400)
    notify.set_watch(current_user, thread, mode)
    db.session.commit()
    return redirect(url_for("community.thread", thread_id=thread.id))


def unsubscribe(token):
    """One-click unsubscribe of community mails (RFC 8058), without signing in.

    A POST (the mail program's one click, or the button here) turns the person's community
    mails off; a GET only shows the question with that button, so link checkers and
    previews that open the address change nothing."""
    user = notify.user_of_token(token)
    if user is None:
        abort(404)
    done = False
    if request.method == "POST":
        notify.set_delivery(user, OFF)
        db.session.commit()
        done = True
    return render_template("community/unsubscribe.html", token=token, done=done, user=user)
