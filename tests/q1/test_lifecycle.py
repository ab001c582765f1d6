"""A package's lifecycle (draft, published, archived), who sees it, and the foundation's
setting which packages count for the certificate."""

import pytest

from lotse_lms.extensions import db
from lotse_lms.modules.q1 import lifecycle, packages, progress, reports
from lotse_lms.modules.q1.errors import Q1Error
from lotse_lms.modules.q1.models import ScoAttempt, ScormRegistration

LONG_TITLE = "Ein sehr langer Paketname " + "Ohne-Leerzeichen-und-ohne-Ende" * 5


@pytest.fixture
def draft(import_fixture):
    """A freshly uploaded package: a draft."""
    return import_fixture("RuntimeBasicCalls_SCORM12", status="draft", title=LONG_TITLE)


def plays(package):
    """Registrations and attempts of every version of a package."""
    db.session.expire_all()
    regs = db.session.scalars(
        db.select(ScormRegistration).where(
            ScormRegistration.version_id == package.current_version_id
        )
    ).all()
    attempts = db.session.scalars(
        db.select(ScoAttempt).where(ScoAttempt.version_id == package.current_version_id)
    ).all()
    return len(regs), len(attempts)


def test_draft_only_for_staff_then_published_without_preview_data(
    client, draft, make_user, launch, login_as
):
    package = draft.package
    learner, trainer = make_user("participant"), make_user("trainer")
    assert package not in lifecycle.catalogue_for(learner)
    assert package in lifecycle.catalogue_for(trainer)
    launch(trainer, draft)  # the trainer's preview records apart from learners
    assert plays(package) == (1, 1)
    login_as("participant")
    assert client.get(f"/q1/play/{package.id}").status_code == 404
    assert LONG_TITLE not in client.get("/q1/").get_data(as_text=True)
    lifecycle.publish(package, trainer, "participants")
    assert plays(package) == (0, 0)
    assert package.status == "published" and package in lifecycle.catalogue_for(learner)
    html = client.get("/q1/").get_data(as_text=True)
    assert LONG_TITLE in html and 'class="long-title"' in html
    assert client.get(f"/q1/play/{package.id}").status_code == 200


def test_staff_audience_archive_and_delete_rules(app, draft, make_user, launch):
    package = draft.package
    learner, trainer = make_user("participant"), make_user("trainer")
    lifecycle.publish(package, trainer, "staff")
    assert not lifecycle.can_open(package, learner) and lifecycle.can_open(package, trainer)
    lifecycle.publish(package, trainer, "participants")
    launch(learner, draft)
    assert not lifecycle.can_delete(package)
    with pytest.raises(Q1Error, match="Archivieren Sie es"):
        lifecycle.delete_package(package, trainer)
    lifecycle.archive(package, trainer)
    assert package not in lifecycle.catalogue_for(learner)
    assert package not in lifecycle.catalogue_for(trainer)
    assert package in lifecycle.archived_packages()
    assert plays(package) == (1, 1)  # attempts and reports stay
    with app.test_request_context(f"/q1/packages/{package.id}/report"):
        listing = reports.report_listing("q1.report", package)
    rows = reports.package_report(package, listing)
    assert [row["user_id"] for row in rows] == [learner.id] and rows[0]["registration_id"]
    with pytest.raises(Q1Error, match="Zielgruppe|für wen"):
        lifecycle.publish(package, trainer, "cohort-without-cohorts")


def test_a_draft_nobody_attempted_is_deleted_with_its_files(draft, make_user):
    package, folder = draft.package, packages.version_root(draft)
    assert folder.is_dir()
    lifecycle.delete_package(package, make_user("trainer"))
    assert packages.find_package(package.id) is None and not folder.exists()


def test_other_roles_take_no_part_in_q1(client, login_as, draft):
    lifecycle.publish(draft.package, None, "participants")
    login_as("reflecting_team")
    html = client.get("/q1/").get_data(as_text=True)
    assert "nehmen Sie daran nicht teil" in html and LONG_TITLE not in html
    assert client.get(f"/q1/play/{draft.package_id}").status_code == 404


def test_certificate_counts_what_the_foundation_set(app, import_fixture, make_user):
    staff = make_user("foundation")
    upload = import_fixture("RuntimeBasicCalls_SCORM12", status="draft")
    assert lifecycle.certificate_packages() == {k: None for k in app.config["Q1_MODULES"]}
    lifecycle.set_certificate_module(upload.package, "technik", staff)
    assert lifecycle.certificate_packages()["technik"] is None  # a draft does not count
    lifecycle.publish(upload.package, staff, "participants")
    assert lifecycle.certificate_packages()["technik"] == upload.package
    learner = make_user("participant")
    technik = {m["module_key"]: m for m in progress.q1_progress(learner)}["technik"]
    assert technik["package_id"] == upload.package_id
    other = import_fixture("RuntimeBasicCalls_SCORM12")
    lifecycle.set_certificate_module(other.package, "technik", staff)
    assert lifecycle.certificate_packages()["technik"] == other.package
    assert upload.package.module_key is None
    with pytest.raises(Q1Error):
        lifecycle.set_certificate_module(other.package, "erfunden", staff)


def test_upload_page_creates_a_draft_and_has_no_certificate_choice(client, login_as, post_form):
    from q1_helpers import FIXTURES

    login_as("trainer")
    assert "module_key" not in client.get("/q1/packages/new").get_data(as_text=True)
    with open(FIXTURES / "valid" / "RuntimeBasicCalls_SCORM12.zip", "rb") as fh:
        response = post_form(
            "/q1/packages/new", {"file": (fh, "p.zip"), "title": "Test"}, follow_redirects=True
        )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "als Entwurf importiert" in html
    package = db.session.scalar(db.select(packages.find_package.__globals__["ScormPackage"]))
    assert package.status == "draft" and package.module_key is None
