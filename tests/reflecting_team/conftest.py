"""Fixtures of the reflecting-team tests: a cast of people and a session factory."""

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest

from lotse_lms.extensions import db
from lotse_lms.reflecting_team import operations
from tests.conftest import sign_in_client

METHOD = "reflecting-team-andersen"


@pytest.fixture
def cast(make_user):
    """Everyone a session concerns, and people it does not concern (no passwords: hashing is slow)."""

    def person(role, name):
        """A user without password; tests sign them in with ``sign_in``."""
        return make_user(role, name=name, password=None)

    return SimpleNamespace(
        trainer=person("trainer", "Tina Trainerin"),
        owner=person("participant", "Olga Fallgeberin"),
        members=[
            person("participant", "Max Mitglied"),
            person("mentor", "Mia Mentorin"),
            person("reflecting_team", "Rolf Reflektor"),
        ],
        outsider=person("participant", "Otto Außenstehend"),
        other_trainer=person("trainer", "Theo Anderer"),
        foundation=person("foundation", "Frida Stiftung"),
        admin=person("admin", "Adam Admin"),
    )


@pytest.fixture
def q2_live_session(app):
    """A Q2 live session to tie reflecting-team sessions to (the link is loose: just its id)."""
    from lotse_lms.modules.q2.models import LiveSession, SessionDate

    starts = datetime(2026, 12, 3, 9, tzinfo=UTC)
    live = LiveSession(
        title="Q2: Moderation im Experimentierraum",
        topic="moderation",
        enrol_deadline=starts,
        cancel_deadline=starts,
        dates=[SessionDate(starts_at=starts, ends_at=starts + timedelta(hours=4))],
    )
    db.session.add(live)
    db.session.commit()
    return live


def sign_in(client, user):
    """Put ``user`` into the client's Flask-Login session (the login form is tested elsewhere)."""
    return sign_in_client(client, user)


@pytest.fixture
def new_session(cast):
    """Factory: a committed session of ``cast`` (optionally with case, reflections, closed)."""

    def factory(case=False, reflections=0, closed=False, self_reflection=False, held_on=None, **kw):
        """Create a session and bring it to the requested stage."""
        session = operations.create_session(
            cast.trainer,
            held_on=held_on or date.today() - timedelta(days=1),
            case_owner=cast.owner,
            members=kw.pop("members", cast.members),
            method_slug=kw.pop("method_slug", METHOD),
            **kw,
        )
        if case or reflections or self_reflection:
            operations.submit_case(
                session,
                cast.owner,
                situation="Drei Betriebe testen eine App.",
                firms="Bäckerei, Metallbau",
                question="Wie weiter?",
            )
        for member in session.member_users[:reflections]:
            operations.record_reflection(
                session,
                member,
                observations=f"Beobachtung von {member.name}",
                hypotheses="",
                ideas="Klein anfangen.",
            )
        if closed:
            operations.close_session(session, cast.trainer)
        if self_reflection:
            operations.record_self_reflection(
                session,
                cast.owner,
                takeaways="Nutzen zeigen.",
                next_steps="Pilot mit einem Betrieb.",
            )
        db.session.commit()
        return session

    return factory
