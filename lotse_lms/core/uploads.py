"""Uploaded files: checked by content, stored below DATA_DIR under a random name.

Proofs (accounts) and room files (rooms) take the same check and the same storage; each area
passes its own refusal type, field and wording.
"""

import secrets
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from .files import private_dir, write_private

#: Accepted files: extension -> (MIME type, leading bytes of such a file).
FILE_TYPES = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
}


def human_size(size):
    """A byte count as people read it: 5 MB, 200 KB."""
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.3g} MB"
    return f"{max(1, round(size / 1024))} KB"


def check_upload(filename, data, *, limit, refusal, field, wrong_type):
    """Return (extension, MIME type) of an acceptable file, else raise ``refusal``.

    The extension must be one of FILE_TYPES (else ``wrong_type`` is the message), the file not
    empty nor over ``limit`` bytes, and its first bytes those of its type.
    """
    ext = Path(filename or "").suffix.lower().lstrip(".")
    if ext not in FILE_TYPES:
        raise refusal(wrong_type, field)
    if not data:
        raise refusal(_("Die hochgeladene Datei ist leer."), field)
    if len(data) > limit:
        raise refusal(
            _("Die Datei ist zu groß (höchstens %(size)s).", size=human_size(limit)), field
        )
    mime, magics = FILE_TYPES[ext]
    if not any(data.startswith(magic) for magic in magics):
        raise refusal(
            _("Der Inhalt der Datei passt nicht zu ihrer Endung (.%(ext)s).", ext=ext), field
        )
    return ext, mime


def store_upload(data, ext, folder):
    """Write the file under DATA_DIR/<folder>/ (0600) and return its relative path."""
    target = private_dir(Path(current_app.config["DATA_DIR"]) / folder)
    name = f"{secrets.token_hex(16)}.{ext}"
    write_private(target / name, data)
    return f"{folder}/{name}"


def stored_path(relative):
    """The absolute path of a stored file; ValueError for a path outside DATA_DIR."""
    base = Path(current_app.config["DATA_DIR"]).resolve()
    path = (base / relative).resolve()
    if base not in path.parents:
        raise ValueError("stored path outside the data directory")
    return path


def remove_upload(relative):
    """Delete a stored file (its transaction failed, it was replaced or erased)."""
    try:
        stored_path(relative).unlink(missing_ok=True)
    except ValueError:
        pass
