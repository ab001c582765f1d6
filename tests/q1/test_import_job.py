"""Big uploads are imported by the worker: the uploader follows the job, nothing stays behind."""

import io

import pytest
from q1_helpers import INVALID, VALID, data_files

from lotse_lms.core import jobs
from lotse_lms.core.models import Job
from lotse_lms.extensions import db
from lotse_lms.modules.q1.models import PackageVersion, ScormPackage

#: Every upload counts as big here.
BACKGROUND = pytest.mark.config(IMPORT_IN_BACKGROUND_BYTES=0)


def _upload(post_form, zip_path):
    """Upload ``zip_path`` through the form; returns the response."""
    return post_form(
        "/q1/packages/new",
        {"file": (io.BytesIO(zip_path.read_bytes()), zip_path.name), "title": "Groß"},
        content_type="multipart/form-data",
    )


@BACKGROUND
def test_a_big_upload_is_imported_by_the_worker_with_its_progress_on_a_page(
    app, client, login_as, post_form
):
    login_as("trainer")
    response = _upload(post_form, VALID[0])
    assert response.status_code == 302 and "/jobs/" in response.headers["Location"]
    job_page = response.headers["Location"]
    assert 'data-state="queued"' in client.get(job_page).get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(PackageVersion.id))) == 0

    jobs.run_pending(app)
    page = client.get(job_page).get_data(as_text=True)
    assert 'data-state="done"' in page
    package = db.session.scalars(db.select(ScormPackage)).one()
    assert package.title == "Groß" and f'href="/q1/packages/{package.id}"' in page
    assert not any(f.startswith(".incoming") for f in data_files(app))


@BACKGROUND
def test_a_refused_big_upload_fails_its_job_and_leaves_nothing_behind(
    app, client, login_as, post_form
):
    login_as("trainer")
    response = _upload(post_form, INVALID[0])
    jobs.run_pending(app)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'data-state="failed"' in page
    job = db.session.scalars(db.select(Job)).one()
    assert job.state == "failed" and job.message in page.replace("&raquo;", "»").replace(
        "&laquo;", "«"
    )
    assert db.session.scalar(db.select(db.func.count(ScormPackage.id))) == 0
    assert data_files(app) == []


def test_a_small_upload_is_still_imported_at_once(app, login_as, post_form):
    login_as("trainer")
    response = _upload(post_form, VALID[0])
    assert "/q1/packages/" in response.headers["Location"]
    assert jobs.queue(app).pending_count() == 0
