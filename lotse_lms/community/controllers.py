"""Views of the community: spaces, threads, posting, editing, "Frage gelöst", unread."""

from flask import abort, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..core.forms import save_form, show_refusal
from ..core.paging import Listing
from ..extensions import db
from . import attachments, kinds, mentions, notify, operations, policy, queries
from . import search as fulltext
from .forms import ActionForm, PostForm, ThreadForm
from .models import Attachment, Post, Space, Thread


def readable_space(space_id):
    """The space, or 404 for a space the person does not belong to (its existence stays hidden)."""
    space = db.session.get(Space, space_id)
    if space is None or not policy.may_read(current_user, space):
        abort(404)
    return space


def readable_thread(thread_id):
    """The thread, or 404 unless the person may read its space (a thread waiting for
    moderation: only its author and the space's moderators)."""
    thread = policy.thread_for(current_user, thread_id)
    if thread is None or not policy.may_see_thread(current_user, thread):
        abort(404)
    return thread


def readable_post(post_id):
    """The post, or 404 unless the person may see it (a post waiting for moderation or
    rejected: only its author and the space's moderators)."""
    post = db.session.get(Post, post_id)
    if post is None or not policy.may_see_post(current_user, post):
        abort(404)
    return post


@login_required
def members(space_id):
    """Autocomplete of @mentions: up to 8 members of the space whose name starts with ``q``
    (for those who may write there)."""
    space = readable_space(space_id)
    if not policy.may_post(current_user, space):
        abort(403)
    people = mentions.suggestions(space, current_user, request.args.get("q", "")[:100])
    return jsonify({"people": [{"name": person.name} for person in people]})


@login_required
def attachment(attachment_id):
    """Download a post's attachment: only for those who may see the post."""
    found = db.session.get(Attachment, attachment_id)
    if found is None:
        abort(404)
    post = readable_post(found.post_id)
    if post.hidden_reason and not (
        post.author_id == current_user.id or policy.may_moderate(current_user, post.thread.space)
    ):
        abort(404)
    response = send_file(
        attachments.file_of(found),
        mimetype=found.mime,
        as_attachment=True,
        download_name=found.filename,
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _saved(verb, *args, keep=None):
    """Run a posting verb and commit; files stored for a failed attempt are removed again.
    ``keep(result)`` is taken before the commit (nothing is loaded again after it)."""
    try:
        result = verb(*args)
        if keep is not None:
            result = keep(result)
        # The language of the message after the commit is chosen now: choosing reads the
        # signed-in person, whom the commit expires (after it: a transaction and query more).
        get_locale()
        db.session.commit()
    except Exception:
        db.session.rollback()
        attachments.discard(attachments.stored_in_request())
        raise
    return result


def _previewing():
    """True when the "Vorschau" button sent the form (nothing is saved then)."""
    return request.form.get("action") == "preview"


@login_required
def index():
    """The spaces the person sees, with threads and unread threads per space."""
    spaces = queries.visible_spaces(current_user)
    counts = queries.space_counts(current_user, spaces)
    extra = {kind: entry.label for kind, entry in kinds.registered().items()}
    page = render_template("community/index.html", spaces=spaces, counts=counts, extra=extra)
    db.session.commit()  # keeps a Klassenzimmer created just now (after rendering: no expiry)
    return page


@login_required
def space(space_id):
    """A space's threads, pinned first, then by latest post; unread ones marked."""
    space = readable_space(space_id)
    listing = Listing.from_request(
        "community.space",
        {"recent": Thread.last_post_at, "title": db.func.lower(Thread.title)},
        size=queries.THREADS_PER_PAGE,
        not_null=("recent",),  # sorted from ix_community_threads_space_pinned
        space_id=space.id,
    )
    if "dir" not in request.args and listing.sort == "recent":
        listing.desc = True
    rows = queries.page_of_threads(space, current_user, listing)
    return render_template(
        "community/space.html",
        space=space,
        rows=rows,
        listing=listing,
        may_post=policy.may_post(current_user, space),
        read_only=policy.read_only_reason(space),
    )


@login_required
def new_thread(space_id):
    """Open a thread: title and first post, with a preview before sending."""
    space = readable_space(space_id)
    if not policy.may_post(current_user, space):
        abort(403)
    form = ThreadForm()
    if form.validate_on_submit() and not _previewing():
        try:
            thread_id, pending = _saved(
                operations.create_thread,
                space,
                current_user,
                form.title.data,
                form.body.data,
                form.files(),
                keep=lambda thread: (thread.id, thread.pending),
            )
        except operations.CommunityError as exc:
            show_refusal(form, exc)
        else:
            if pending:
                flash(_("Ihr Thema wartet auf Freigabe durch die Moderation."), "success")
            else:
                flash(_("Ihr Thema ist veröffentlicht."), "success")
            return redirect(url_for("community.thread", thread_id=thread_id))
    return render_template(
        "community/new_thread.html", space=space, form=form, preview=_previewing()
    )


def _quote(post_id, thread):
    """The Markdown quote of a visible post of ``thread`` for the reply box, or ''."""
    post = db.session.get(Post, post_id) if post_id and post_id.isdigit() else None
    if (
        post is None
        or post.thread_id != thread.id
        or post.hidden_reason
        or post.review
        or not post.body
    ):
        return ""
    name = post.author.name if post.author else _("ehemaliges Mitglied")
    quoted = "\n".join("> " + line for line in post.body.splitlines())
    return _("%(name)s schrieb:", name=name) + "\n" + quoted + "\n\n"


@login_required
def thread(thread_id):
    """A thread's posts (paged), with the reply box; opening it marks the posts as read."""
    thread = readable_thread(thread_id)
    form = PostForm()
    if request.method == "POST" and form.validate_on_submit() and not _previewing():
        try:
            post_id, review, count = _saved(
                operations.reply,
                thread,
                current_user,
                form.body.data,
                form.files(),
                keep=lambda post: (post.id, post.review, thread.post_count),
            )
        except operations.CommunityError as exc:
            show_refusal(form, exc)
        else:
            if review:
                flash(_("Ihre Antwort wartet auf Freigabe durch die Moderation."), "success")
            else:
                flash(_("Ihre Antwort ist veröffentlicht."), "success")
            last_page = -(-count // queries.POSTS_PER_PAGE)
            return redirect(
                url_for("community.thread", thread_id=thread_id, page=last_page)
                + f"#post-{post_id}"
            )
    elif request.method == "GET":
        form.body.data = _quote(request.args.get("zitat"), thread)
    listing = Listing.from_request(
        "community.thread", {"id": Post.id}, size=queries.POSTS_PER_PAGE, thread_id=thread.id
    )
    space = thread.space
    moderator = policy.may_moderate(current_user, space)
    posts = queries.page_of_posts(thread, current_user, listing, moderator)
    seen = queries.last_read(current_user, thread)
    read_only = policy.read_only_reason(space)
    page = render_template(
        "community/thread.html",
        thread=thread,
        posts=posts,
        listing=listing,
        seen=seen,
        first_id=queries.first_post_id(thread),
        form=form,
        preview=request.method == "POST" and _previewing(),
        may_post=policy.may_post(current_user, space) and (not thread.locked or moderator),
        read_only=read_only,
        may_moderate=moderator,
        may_solve=operations.may_mark_solved(current_user, thread),
        # Per post without a query: the space's read-only state is read once above.
        may_edit=lambda user, post: not read_only and operations.editable_by(user, post),
        action_form=ActionForm(),
        watch=notify.watch_of(current_user, thread),
    )
    if posts and posts[-1].id > seen:  # after rendering: the commit would expire the posts
        operations.mark_read(current_user, thread, posts[-1].id)
        notify.mark_thread_read(current_user, thread, posts[-1].id)
        db.session.commit()
    return page


@login_required
def edit_post(post_id):
    """Change one's own post within the edit window (the earlier wording is kept)."""
    post = readable_post(post_id)
    if not operations.may_edit(current_user, post):
        abort(403)
    form = PostForm(obj=post)
    if save_form(
        form,
        lambda: operations.edit_post(post, current_user, form.body.data),
        _("Ihr Beitrag ist geändert."),
        preview=_previewing(),
    ):
        return redirect(url_for("community.thread", thread_id=post.thread_id))
    return render_template(
        "community/edit_post.html",
        post=post,
        form=form,
        preview=_previewing(),
        deadline=operations.edit_deadline(post),
        revisions=operations.revisions_of(post),
    )


@login_required
def solve(post_id):
    """Mark a post as the answer that solved the question, or take the mark back."""
    post = readable_post(post_id)
    thread = post.thread
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        operations.mark_solved(
            thread, None if thread.solved_post_id == post.id else post, current_user
        )
        db.session.commit()
    except operations.CommunityError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    return redirect(url_for("community.thread", thread_id=thread.id) + f"#post-{post.id}")


@login_required
def unread():
    """ "Neu seit Ihrem letzten Besuch": threads of the person's spaces with unseen posts."""
    listing = Listing.from_request(
        "community.unread", {"recent": Thread.last_post_at}, size=queries.THREADS_PER_PAGE
    )
    listing.desc = True
    threads = queries.page_of_unread(current_user, listing)
    page = render_template("community/unread.html", threads=threads, listing=listing)
    db.session.commit()  # keeps a Klassenzimmer created just now (after rendering: no expiry)
    return page


@login_required
def search():
    """Full-text search over the posts and thread titles of the person's spaces."""
    text = request.args.get("q", "")[: fulltext.MAX_QUERY].strip()
    listing = Listing.from_request(
        "community.search", {"score": None}, size=fulltext.RESULTS_PER_PAGE
    )
    listing.q = text
    hits = fulltext.search(current_user, text, listing) if text else None
    wanted = fulltext.wanted_terms(text)
    page = render_template(
        "community/search.html",
        text=text,
        hits=hits,
        listing=listing,
        wanted=wanted,
        snippet=fulltext.snippet,
        highlight=fulltext.highlight,
        posts_per_page=queries.POSTS_PER_PAGE,
        max_ranked=fulltext.MAX_RANKED,
    )
    db.session.commit()  # keeps a Klassenzimmer created just now (after rendering: no expiry)
    return page
