"""Certificate PDFs are readable by the LMS alone: 0600 files in a 0700 folder."""

import os
import stat
from pathlib import Path

import pytest

from lotse_lms.certification import operations
from lotse_lms.core import jobs
from lotse_lms.extensions import db

from .conftest import BASIC_RULES

pytestmark = pytest.mark.config(CERT_RULES=BASIC_RULES)


def test_certificate_pdf_is_private(app, lotse, staff):
    old = os.umask(0o022)
    try:
        cert = operations.issue(lotse(), staff)
        db.session.commit()
        jobs.run_pending(app)  # the worker renders the PDF
    finally:
        os.umask(old)
    path = Path(app.config["DATA_DIR"]) / "certificates" / f"{cert.number}.pdf"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
