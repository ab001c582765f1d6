"""Mentoring on the dashboard, the progress registry, console commands and demo data."""

from lotse_lms.accounts.operations import find_user
from lotse_lms.extensions import db
from lotse_lms.mentoring import operations
from lotse_lms.mentoring.models import FeedbackEntry, MentorAssignment, Recommendation
from lotse_lms.qualification.state import path_of

from ..conftest import login


def _step(app, user):
    """The participant's mentoring step of the qualification path."""
    with app.test_request_context():
        (step,) = [s for s in path_of(user) if s.key == "mentor"]
    return step


def _section(html, heading_id):
    """The HTML of the section whose heading has ``heading_id``."""
    start = html.index(f'id="{heading_id}"')
    return html[start : html.index("</section>", start)]


def test_the_step_follows_the_mentoring(app, cast):
    assert _step(app, cast.other_participant).state == "open"
    assert "Noch keine Mentorin" in _step(app, cast.other_participant).missing
    step = _step(app, cast.mentee)
    assert (step.label, step.state) == ("Empfehlung der Mentorin / des Mentors", "started")
    assert "Miriam Mentorin" in step.progress and step.missing == "Noch keine Empfehlung abgegeben."
    operations.recommend(cast.mentee, cast.mentor, "not_yet", "Noch nicht.")
    step = _step(app, cast.mentee)
    assert step.state == "started" and step.missing == "Noch nicht empfohlen: Noch nicht."
    operations.recommend(cast.mentee, cast.mentor, "recommended", "Jetzt.")
    assert _step(app, cast.mentee).state == "done"


def test_dashboards_show_the_step_and_the_panels(app, cast, entries):
    pages = {}
    for who in ("mentee", "mentor", "foundation", "trainer"):
        client = app.test_client()
        login(client, getattr(cast, who).email)
        pages[who] = client.get("/").get_data(as_text=True)
    assert "Empfehlung der Mentorin / des Mentors" in pages["mentee"]
    panel = _section(pages["mentor"], "mentees-panel-title")
    assert "Lena Lotsin" in panel and "2 Einträge" in panel
    for who in ("foundation", "trainer"):
        panel = _section(pages[who], "unassigned-panel-title")
        assert "Teilnehmende ohne Mentorin / Mentor" in panel and "Paul Praxis" in panel
        assert "Lena Lotsin" not in panel


def test_the_mentor_sees_every_step_of_the_path(app, client, cast):
    login(client, cast.mentor.email)
    page = client.get(f"/mentoring/mentees/{cast.mentee.id}").get_data(as_text=True)
    for label in (
        "Autorisierung als OM-Beraterin / OM-Berater",
        "Q1-Selbstlernmodule",
        "Q2-Präsenzteilnahme",
    ):
        assert label in page
    assert "Noch nicht eingereicht." in page and "in Prüfung" not in page


def test_cli_assigns_and_lists(runner, cast):
    result = runner.invoke(
        args=[
            "mentoring",
            "assign",
            cast.other_participant.email,
            cast.other_mentor.email,
            "--reason",
            "Per Konsole",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "Martin Mentor begleitet jetzt Paul Praxis." in result.output
    assert operations.current_assignment(cast.other_participant).assigned_by_id is None
    result = runner.invoke(
        args=[
            "mentoring",
            "assign",
            cast.other_participant.email,
            cast.trainer.email,
            "--reason",
            "x",
        ]
    )
    assert result.exit_code != 0 and "aus der Liste" in result.output
    result = runner.invoke(
        args=["mentoring", "assign", "niemand@example.org", cast.mentor.email, "--reason", "x"]
    )
    assert result.exit_code != 0 and "Kein Konto" in result.output
    result = runner.invoke(args=["mentoring", "status"])
    assert cast.mentee.email in result.output and "Miriam Mentorin" in result.output


def _counts():
    """Rows in the mentoring tables (without those of the certification demo's Lotsen and of
    the rooms' demo Lotsen)."""
    from lotse_lms.accounts.models import User
    from lotse_lms.certification.seed import DEMO_EMAILS
    from lotse_lms.rooms.seed import DEMO_EMAILS as ROOM_LOTSEN

    others = db.select(User.id).where(User.email.in_([*DEMO_EMAILS, *ROOM_LOTSEN]))
    return [
        db.session.scalar(
            db.select(db.func.count()).select_from(m).where(m.mentee_id.not_in(others))
        )
        for m in (MentorAssignment, FeedbackEntry, Recommendation)
    ]


def test_demo_data_is_created_once(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    first = _counts()
    assert first == [3, 3, 1]
    lena = find_user("teilnehmerin@lotse.example")
    assert operations.current_mentor(lena).email == "mentorin@lotse.example"
    assert operations.is_recommended(find_user("paul.praxis@lotse.example"))
    assert operations.current_mentor(find_user("jana.neubeginn@lotse.example")) is None
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0 and "schon vorhanden" in again.output
    assert _counts() == first
