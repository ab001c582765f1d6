"""Views of moderation (report, queue, hide, pin, lock) and of the foundation's topic boards."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..core.access import roles_required
from ..core.forms import save_form
from ..core.paging import Listing
from ..extensions import db
from . import moderation, operations, policy
from .controllers import readable_post, readable_thread
from .forms import ActionForm, BoardForm, ReasonForm, RetentionForm
from .models import BOARD, PENDING, Post, Report, Space


def _act(space, fn, *args):
    """Run a moderation verb of ``space`` behind a checked CSRF token (403 for anyone who
    does not moderate it); a refusal is shown as a message."""
    if not policy.may_moderate(current_user, space):
        abort(403)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        fn(*args)
        db.session.commit()
    except operations.CommunityError as exc:
        db.session.rollback()
        flash(exc.message, "error")


@login_required
def pin(thread_id):
    """Pin a thread to the top of its space, or release it."""
    thread = readable_thread(thread_id)
    _act(thread.space, moderation.set_pinned, thread, current_user, not thread.pinned)
    return redirect(url_for("community.thread", thread_id=thread.id))


@login_required
def lock(thread_id):
    """Lock a thread against replies, or open it again."""
    thread = readable_thread(thread_id)
    _act(thread.space, moderation.set_locked, thread, current_user, not thread.locked)
    return redirect(url_for("community.thread", thread_id=thread.id))


def _reason_page(post, verb, title, done, back=None):
    """A page asking for a reason and running ``verb(post, user, reason)`` with it; then on
    to ``back`` (default: the post in its thread)."""
    form = ReasonForm()
    if save_form(form, lambda: verb(post, current_user, form.reason.data), done):
        return redirect(
            back or url_for("community.thread", thread_id=post.thread_id) + f"#post-{post.id}"
        )
    return render_template("community/reason.html", post=post, form=form, title=title)


@login_required
def report(post_id):
    """Report a post to the moderators with a reason."""
    post = readable_post(post_id)
    if post.hidden_reason is not None or not post.body:
        abort(404)  # nothing to report, and the page would show a hidden text
    return _reason_page(
        post, moderation.report_post, _("Beitrag melden"), _("Danke, die Meldung ist eingegangen.")
    )


@login_required
def hide(post_id):
    """Hide a post with a reason its author sees."""
    post = readable_post(post_id)
    if not policy.may_moderate(current_user, post.thread.space):
        abort(403)
    return _reason_page(
        post, moderation.hide_post, _("Beitrag ausblenden"), _("Der Beitrag ist ausgeblendet.")
    )


@login_required
def unhide(post_id):
    """Show a hidden post again."""
    post = readable_post(post_id)
    _act(post.thread.space, moderation.show_post, post, current_user)
    return redirect(url_for("community.thread", thread_id=post.thread_id) + f"#post-{post.id}")


@roles_required(*policy.MODERATORS)
def queue():
    """Open reports in the spaces the person moderates."""
    listing = Listing.from_request("community.queue", {"reported": Report.created_at})
    rows = moderation.page_of_reports(current_user, listing)
    return render_template(
        "community/queue.html", rows=rows, listing=listing, action_form=ActionForm()
    )


@roles_required(*policy.MODERATORS)
def pending():
    """Posts of new members waiting for moderation in the spaces the person moderates."""
    listing = Listing.from_request("community.pending", {"waiting": Post.created_at})
    rows = moderation.page_of_pending(current_user, listing)
    return render_template(
        "community/pending.html", rows=rows, listing=listing, action_form=ActionForm()
    )


@login_required
def approve(post_id):
    """Publish a post that waited for moderation."""
    post = readable_post(post_id)
    _act(post.thread.space, moderation.approve_post, post, current_user)
    if post.review is None:
        flash(_("Der Beitrag ist freigegeben."), "success")
    if request.form.get("zurueck") == "thema":  # approved on the thread page
        return redirect(url_for("community.thread", thread_id=post.thread_id) + f"#post-{post.id}")
    return redirect(url_for("community.pending"))


@login_required
def reject(post_id):
    """Refuse a post that waited for moderation, with a reason its author sees."""
    post = readable_post(post_id)
    if not policy.may_moderate(current_user, post.thread.space):
        abort(403)
    if post.review != PENDING:
        abort(404)
    return _reason_page(
        post,
        moderation.reject_post,
        _("Beitrag nicht freigeben"),
        _("Der Beitrag ist abgelehnt; die Person sieht den Grund."),
        back=url_for("community.pending"),
    )


@roles_required(*policy.MODERATORS)
def dismiss(report_id):
    """Close a report without hiding the post."""
    found = db.session.get(Report, report_id) or abort(404)
    _act(found.post.thread.space, moderation.dismiss_report, found, current_user)
    return redirect(url_for("community.queue"))


@roles_required(*policy.STAFF)
def boards():
    """The topic boards of the Lotsen-Community, and a form to add one."""
    form = BoardForm()
    if save_form(
        form,
        lambda: operations.save_board(None, form.name.data, form.description.data, current_user),
        _("Das Themenforum ist angelegt."),
    ):
        return redirect(url_for("community.boards"))
    operations.ensure_defaults()
    db.session.commit()
    found = db.session.scalars(
        db.select(Space).where(Space.kind == BOARD).order_by(Space.position, Space.id)
    ).all()
    return render_template(
        "community/boards.html", boards=found, form=form, action_form=ActionForm()
    )


def _board(space_id):
    """The topic board ``space_id`` or 404."""
    board = db.session.get(Space, space_id)
    if board is None or board.kind != BOARD:
        abort(404)
    return board


@roles_required(*policy.STAFF)
def delete_board(space_id):
    """Delete an empty topic board (one with threads is refused with a message)."""
    board = _board(space_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    name = board.name
    try:
        operations.delete_board(board, current_user)
        db.session.commit()
    except operations.CommunityError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        flash(_("Das Themenforum „%(name)s“ ist gelöscht.", name=name), "success")
    return redirect(url_for("community.boards"))


@roles_required(*policy.STAFF)
def move_board(space_id):
    """Move a topic board one place up ("hoch") or down ("runter")."""
    board = _board(space_id)
    if not ActionForm().validate_on_submit() or request.form.get("richtung") not in (
        "hoch",
        "runter",
    ):
        abort(400)
    operations.move_board(board, request.form["richtung"] == "hoch", current_user)
    db.session.commit()
    return redirect(url_for("community.boards") + f"#board-{board.id}")


@roles_required(*policy.STAFF)
def edit_board(space_id):
    """Rename a topic board or change its description."""
    board = db.session.get(Space, space_id)
    if board is None or board.kind != BOARD:
        abort(404)
    form = BoardForm(obj=board)
    if save_form(
        form,
        lambda: operations.save_board(board, form.name.data, form.description.data, current_user),
        _("Das Themenforum ist gespeichert."),
    ):
        return redirect(url_for("community.boards"))
    return render_template("community/board_form.html", board=board, form=form)


@roles_required(*policy.STAFF)
def retention(space_id):
    """How long a space keeps threads after their last post (the foundation decides)."""
    space = db.session.get(Space, space_id) or abort(404)
    form = RetentionForm()
    if request.method == "GET":
        form.days.data = space.retention_days
    elif save_form(
        form,
        lambda: operations.set_retention(space, form.days.data, current_user),
        _("Die Aufbewahrung ist gespeichert."),
    ):
        return redirect(url_for("community.space", space_id=space.id))
    return render_template("community/retention.html", space=space, form=form)
