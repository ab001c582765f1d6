"""``lotse-lms mentoring …``: assign mentors and list the state of every participant."""

import click
from flask.cli import AppGroup

from ..accounts.operations import find_user
from ..extensions import db
from .operations import assign_mentor, participant_overview
from .validation import MentoringError

mentoring_cli = AppGroup(
    "mentoring", help="Mentorinnen und Mentoren zuordnen und den Stand anzeigen."
)


def _person(email, what):
    """Find an account by e-mail address or stop with a message."""
    user = find_user(email)
    if user is None:
        raise click.ClickException(f"Kein Konto für {what} {email}.")
    return user


@mentoring_cli.command("assign")
@click.argument("mentee_email")
@click.argument("mentor_email")
@click.option("--reason", required=True, help="Warum diese Person als Mentorin / Mentor passt")
def assign_command(mentee_email, mentor_email, reason):
    """Assign a mentor to a participant (an earlier assignment ends and stays in the history)."""
    mentee = _person(mentee_email, "die/den Mentee")
    mentor = _person(mentor_email, "die Mentorin / den Mentor")
    try:
        assign_mentor(mentee, mentor, None, reason)
        db.session.commit()
    except MentoringError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from None
    click.echo(f"{mentor.name} begleitet jetzt {mentee.name}.")


@mentoring_cli.command("status")
def status_command():
    """List every participant with mentor and recommendation."""
    rows = participant_overview()
    if not rows:
        click.echo("Keine Teilnehmenden.")
    for person, assignment, rec in rows:
        mentor = assignment.mentor.name if assignment else "– ohne Mentorin / Mentor –"
        state = rec.status if rec else "–"
        click.echo(f"{person.email:<36} {mentor:<28} {state}")
