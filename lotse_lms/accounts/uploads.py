"""Proof uploads: checked by content and stored below DATA_DIR (see core/uploads.py)."""

import io
from contextlib import closing

import pypdfium2 as pdfium
from flask import current_app
from flask_babel import gettext as _

from ..core.uploads import check_upload, remove_upload, store_upload, stored_path
from .errors import AccountError


def check_proof(filename, data):
    """Return (extension, MIME type) of an acceptable proof, else raise AccountError."""
    return check_upload(
        filename,
        data,
        limit=current_app.config["PROOF_MAX_BYTES"],
        refusal=AccountError,
        field="proof",
        wrong_type=_("Bitte laden Sie den Nachweis als PDF, PNG oder JPEG hoch."),
    )


def store_proof(data, ext):
    """Write the file under DATA_DIR/proofs/ and return its relative path."""
    return store_upload(data, ext, "proofs")


def proof_file(relative):
    """Return the absolute path of a stored proof."""
    try:
        return stored_path(relative)
    except ValueError as exc:
        raise AccountError("proof path outside the data directory") from exc


def remove_proof(relative):
    """Delete a stored proof file (used when its transaction failed or it was replaced)."""
    remove_upload(relative)


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
