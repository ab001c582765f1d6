"""CSV import of participants: every bad row named, a preview, then a job that invites."""

import base64
import io
import json

import pytest

from lotse_lms.accounts.models import User
from lotse_lms.cohorts import importer, operations
from lotse_lms.cohorts.models import CohortMember
from lotse_lms.cohorts.operations import CohortError
from lotse_lms.core import jobs
from lotse_lms.core.models import Job, OutboxMail
from lotse_lms.extensions import db

from .conftest import join

CSV = (
    "E-Mail;Name;Organisation\n"
    "neu@example.org;Nora Neu;Handwerk GmbH\n"
    "{known};\n"
    ";Ohne Adresse\n"
    "kaputt@;Kaputte Adresse\n"
    "NEU@example.org;Nora Doppelt\n"
    "{busy};Belegt\n"
    "ohne-name@example.org;\n"
)


@pytest.fixture(autouse=True)
def empty_queue(app):
    """Each test starts and ends with an empty queue."""
    jobs.queue(app).flush()
    yield
    jobs.queue(app).flush()


@pytest.fixture
def scene(make_cohort, make_user):
    """A cohort to import into, a known participant and one busy in another current cohort."""
    known = make_user(email="known@example.org", name="Karl Bekannt")
    busy = make_user(email="busy@example.org", name="Bea Belegt")
    make_cohort(name="Laufend", participants=[busy])
    cohort = make_cohort(name="Neu 2027")
    text = CSV.format(known=known.email, busy=busy.email)
    return cohort, known, busy, text


def test_every_bad_row_and_field_is_named_at_once(scene):
    cohort, known, _busy, text = scene
    plan = importer.plan(cohort, text)
    actions = [(row.line, row.action) for row in plan.rows]
    assert actions == [
        (2, "new"),
        (3, "existing"),
        (4, "refused"),
        (5, "refused"),
        (6, "refused"),
        (7, "refused"),
        (8, "refused"),
    ]
    problems = {row.line: row.problems for row in plan.of(importer.REFUSED)}
    assert problems[4] == [("email", "Die E-Mail-Adresse fehlt.")]
    assert problems[5] == [("email", "„kaputt@“ ist keine gültige E-Mail-Adresse.")]
    assert problems[6] == [("email", "Steht schon in Zeile 2 der Datei.")]
    assert problems[7] == [
        ("email", "Bea Belegt nimmt bereits am laufenden Durchgang „Laufend“ teil.")
    ]
    assert problems[8] == [("name", "Der Name fehlt (für ein neues Konto nötig).")]
    assert plan.of(importer.EXISTING)[0].user_id == known.id


def test_problems_of_the_whole_file_refuse_the_upload_with_every_reason(scene):
    cohort = scene[0]
    with pytest.raises(CohortError) as caught:
        importer.plan(cohort, "Mail;Name;Telefon\nx@example.org;X;1\n")
    assert [m for _f, m in caught.value.errors] == [
        "Unbekannte Spalte „Mail“.",
        "Unbekannte Spalte „Telefon“.",
        "Die Spalte „E-Mail“ fehlt.",
    ]
    with pytest.raises(CohortError, match="Die Datei ist leer."):
        importer.plan(cohort, "\n\n")


def test_the_job_creates_invites_and_adds_only_the_good_rows(app, scene):
    cohort, known, _busy, text = scene
    staff = db.session.scalar(db.select(User).where(User.email == "cohort-staff@example.org"))
    plan = importer.plan(cohort, text)
    job = jobs.start(importer.JOB_NAME, cohort.id, text, plan.signature, staff.id, actor=staff)
    jobs.run_pending(app)
    db.session.expire_all()
    job = db.session.get(Job, job.id)
    assert job.state == "done", job.message
    assert (job.done, job.total) == (2, 2)
    assert job.result_url == f"/cohorts/{cohort.id}"
    members = {m.user.email for m in operations.members_by_role(cohort)["participant"]}
    assert members == {"neu@example.org", known.email}
    nora = db.session.scalar(db.select(User).where(User.email == "neu@example.org"))
    assert (nora.name, nora.organisation, nora.password_hash) == ("Nora Neu", "Handwerk GmbH", None)
    assert nora.has_role("participant")
    mail = db.session.scalar(db.select(OutboxMail).where(OutboxMail.recipient == nora.email))
    assert mail.subject == "Einladung zur OM-Lotsen-Qualifizierung"
    assert f"{app.config['BASE_URL']}/invitation/" in mail.body
    notice = db.session.scalar(db.select(OutboxMail).where(OutboxMail.recipient == known.email))
    assert notice.subject == "Ihr Durchgang: Neu 2027"
    assert "Sie nehmen am Durchgang „Neu 2027“" in notice.body
    assert db.session.scalar(db.select(db.func.count(OutboxMail.id))) == 2


def test_a_change_since_the_preview_refuses_the_job_and_writes_nothing(app, scene, make_user):
    cohort, _known, _busy, text = scene
    staff = make_user("foundation")
    plan = importer.plan(cohort, text)
    make_user("trainer", email="neu@example.org", name="Nora schon da")
    job = jobs.start(importer.JOB_NAME, cohort.id, text, plan.signature, staff.id, actor=staff)
    jobs.run_pending(app)
    db.session.expire_all()
    job = db.session.get(Job, job.id)
    assert job.state == "failed"
    assert "Es wurde nichts importiert" in job.message
    assert (
        db.session.scalar(
            db.select(db.func.count(CohortMember.id)).where(CohortMember.cohort_id == cohort.id)
        )
        == 0
    )
    assert db.session.scalar(db.select(db.func.count(OutboxMail.id))) == 0


def test_upload_preview_and_confirm_through_the_pages(app, client, login_as, scene, post_form):
    cohort, _known, _busy, text = scene
    login_as("foundation")
    page = f"/cohorts/{cohort.id}/import"
    response = post_form(
        page,
        {"file": (io.BytesIO(text.encode("cp1252")), "liste.csv")},
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "1 neues Konto wird angelegt und eingeladen" in html
    assert "5 Zeilen werden nicht übernommen" in html
    assert "Die E-Mail-Adresse fehlt." in html
    signature = json.dumps(importer.plan(cohort, text).signature)
    response = post_form(
        f"/cohorts/{cohort.id}/import/confirm",
        {"text": base64.b64encode(text.encode()).decode(), "signature": signature},
        page=page,
    )
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/jobs/")
    jobs.run_pending(app)
    assert "Erledigt" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_an_unknown_column_is_shown_on_the_file_field(client, login_as, scene, post_form):
    cohort = scene[0]
    login_as("foundation")
    page = f"/cohorts/{cohort.id}/import"
    response = post_form(
        page,
        {"file": (io.BytesIO(b"email;Telefon\na@example.org;1\n"), "l.csv")},
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    assert "Unbekannte Spalte „Telefon“." in html
    assert 'class="field has-error' in html


def test_checking_a_file_costs_the_same_queries_for_3_and_30_known_people(
    make_cohort, make_user, count_queries
):
    cohort, busy = make_cohort(name="Ziel"), make_cohort(name="Belegt")

    def file_of(n, prefix):
        """A CSV of ``n`` existing participants, every third busy in another cohort."""
        persons = [
            make_user(email=f"{prefix}{i}@example.org", name=f"{prefix} {i}", password=None)
            for i in range(n)
        ]
        join(busy, persons[::3])
        return "email\n" + "\n".join(p.email for p in persons) + "\n"

    small, large = file_of(3, "klein"), file_of(30, "gross")
    assert cohort.ends_on  # loaded before counting (the commit expired it)
    few, plan_small = count_queries(importer.plan, cohort, small)
    many, plan_large = count_queries(importer.plan, cohort, large)
    assert few == many
    assert len(plan_small.of(importer.EXISTING)) == 2
    assert len(plan_large.of(importer.REFUSED)) == 10
