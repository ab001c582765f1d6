"""Proof uploads: checked by content, stored below DATA_DIR under a random name."""

import secrets
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from ..core.files import private_dir, write_private
from .operations import AccountError

#: Accepted proofs: extension -> (MIME type, leading bytes of such a file).
PROOF_TYPES = {
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


def check_proof(filename, data):
    """Return (extension, MIME type) of an acceptable proof, else raise AccountError."""
    ext = Path(filename or "").suffix.lower().lstrip(".")
    if ext not in PROOF_TYPES:
        raise AccountError(_("Bitte laden Sie den Nachweis als PDF, PNG oder JPEG hoch."), "proof")
    if not data:
        raise AccountError(_("Die hochgeladene Datei ist leer."), "proof")
    limit = current_app.config["PROOF_MAX_BYTES"]
    if len(data) > limit:
        raise AccountError(
            _("Die Datei ist zu groß (höchstens %(size)s).", size=human_size(limit)), "proof"
        )
    mime, magics = PROOF_TYPES[ext]
    if not any(data.startswith(magic) for magic in magics):
        raise AccountError(
            _("Der Inhalt der Datei passt nicht zu ihrer Endung (.%(ext)s).", ext=ext), "proof"
        )
    return ext, mime


def store_proof(data, ext):
    """Write the file under DATA_DIR/proofs/ and return its relative path."""
    folder = private_dir(Path(current_app.config["DATA_DIR"]) / "proofs")
    name = f"{secrets.token_hex(16)}.{ext}"
    write_private(folder / name, data)
    return f"proofs/{name}"


def proof_file(relative):
    """Return the absolute path of a stored proof."""
    base = Path(current_app.config["DATA_DIR"]).resolve()
    path = (base / relative).resolve()
    if base not in path.parents:
        raise AccountError("proof path outside the data directory")
    return path


def remove_proof(relative):
    """Delete a stored proof file (used when its transaction failed or it was replaced)."""
    try:
        proof_file(relative).unlink(missing_ok=True)
    except AccountError:
        pass
