"""Proof uploads: checked by content, stored below DATA_DIR under a random name."""

import io
import secrets
from contextlib import closing
from pathlib import Path

import pypdfium2 as pdfium
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


def check_proof(filename, data, *, error=AccountError, field="proof", wrong_type=None):
    """Return (extension, MIME type) of an acceptable proof, else raise ``error``.

    Other uploads checked the same way (community attachments) pass their own error class,
    form field and message for a wrong type."""
    ext = Path(filename or "").suffix.lower().lstrip(".")
    if ext not in PROOF_TYPES:
        raise error(
            wrong_type or _("Bitte laden Sie den Nachweis als PDF, PNG oder JPEG hoch."), field
        )
    if not data:
        raise error(_("Die hochgeladene Datei ist leer."), field)
    limit = current_app.config["PROOF_MAX_BYTES"]
    if len(data) > limit:
        raise error(_("Die Datei ist zu groß (höchstens %(size)s).", size=human_size(limit)), field)
    mime, magics = PROOF_TYPES[ext]
    if not any(data.startswith(magic) for magic in magics):
        raise error(
            _("Der Inhalt der Datei passt nicht zu ihrer Endung (.%(ext)s).", ext=ext), field
        )
    return ext, mime


def store_proof(data, ext, folder="proofs"):
    """Write the file under DATA_DIR/``folder``/ and return its relative path."""
    target = private_dir(Path(current_app.config["DATA_DIR"]) / folder)
    name = f"{secrets.token_hex(16)}.{ext}"
    write_private(target / name, data)
    return f"{folder}/{name}"


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


def pdf_page_count(relative):
    """How many pages a stored PDF proof has, or None when pdfium cannot read it."""
    try:
        with _opened(relative) as pdf:
            return len(pdf)
    except (pdfium.PdfiumError, OSError):
        return None


def pdf_preview(relative, width=900):
    """The first page of a stored PDF proof as PNG bytes (about ``width`` pixels wide), or None.

    Rendered on the server, so the reviewer's browser never runs the uploaded PDF itself."""
    try:
        with _opened(relative) as pdf:
            if not len(pdf):
                return None
            page = pdf[0]
            scale = width / max(page.get_width(), 1)
            image = page.render(scale=min(scale, 3)).to_pil()
    except (pdfium.PdfiumError, OSError):
        return None
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _opened(relative):
    """A stored PDF opened with pdfium, closed after the ``with`` block."""
    return closing(pdfium.PdfDocument(str(proof_file(relative))))
