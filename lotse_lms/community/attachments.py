"""Files attached to posts: checked exactly like proofs (type by content, size limit), stored
below DATA_DIR/community/ under a random name, served only to those who may see the post."""

from pathlib import PurePath

import sqlalchemy as sa
from flask import current_app, g, has_app_context
from flask_babel import gettext as _

from ..core.errors import collect
from ..core.uploads import check_upload, remove_upload, store_upload, stored_path
from ..extensions import db
from .models import Attachment, Post

#: Files per post.
MAX_FILES = 3
FOLDER = "community"


def _clean_name(filename):
    """The file's own name without folders or control characters, at most 200 characters."""
    name = PurePath((filename or "").replace("\\", "/")).name
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return (name or "datei")[-200:]


def check_files(files, error):
    """Refuse, all at once, too many files or any the proof check refuses; returns the
    accepted files as (name, data, extension, MIME type)."""
    files = [(name, data) for name, data in files if name or data]
    checked = []
    with collect(error) as refuse:
        if len(files) > MAX_FILES:
            refuse(
                _("Bitte hängen Sie höchstens %(num)d Dateien an.", num=MAX_FILES), "attachments"
            )
        for name, data in files:
            found = refuse.check(
                check_upload,
                name,
                data,
                limit=current_app.config["PROOF_MAX_BYTES"],
                refusal=error,
                field="attachments",
                wrong_type=_(
                    "„%(name)s“: Anhänge sind als PDF, PNG oder JPEG möglich.",
                    name=_clean_name(name),
                ),
            )
            if found:
                checked.append((_clean_name(name), data, *found))
    return checked


def attach(post, checked):
    """Store the checked files and link them to ``post`` (flushed); returns the stored paths
    (remove them with :func:`discard` if the transaction fails)."""
    paths = []
    for name, data, ext, mime in checked:
        path = store_upload(data, ext, FOLDER)
        paths.append(path)
        if has_app_context():
            g.setdefault("community_stored", []).append(path)
        db.session.add(
            Attachment(post_id=post.id, filename=name, mime=mime, size=len(data), path=path)
        )
    db.session.flush()
    return paths


def stored_in_request():
    """The files stored so far in this request (to remove when its transaction fails)."""
    return g.get("community_stored", []) if has_app_context() else []


def discard(paths):
    """Delete stored files (of a failed transaction, an erasure or the retention)."""
    for path in paths:
        remove_upload(path)


def file_of(attachment):
    """The absolute path of a stored attachment."""
    return stored_path(attachment.path)


def delete_of_posts(post_ids):
    """Delete the attachment rows of the posts selected by ``post_ids`` (a select or a list);
    returns their stored paths for :func:`discard` once the transaction is committed."""
    paths = db.session.scalars(
        sa.select(Attachment.path).where(Attachment.post_id.in_(post_ids))
    ).all()
    db.session.execute(sa.delete(Attachment).where(Attachment.post_id.in_(post_ids)))
    return list(paths)


def of_author(user):
    """The attachments of the person's posts, oldest first (for the data export)."""
    return db.session.scalars(
        sa.select(Attachment)
        .join(Post, Post.id == Attachment.post_id)
        .where(Post.author_id == user.id)
        .order_by(Attachment.id)
    ).all()
