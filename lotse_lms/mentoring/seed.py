"""Demo data for mentoring: a few mentees at different stages (safe to run again)."""

from datetime import timedelta

from ..accounts import DEMO_PASSWORD
from ..accounts.operations import create_user, find_user
from ..accounts.roles import Role
from ..core.timeutil import BERLIN, utcnow
from ..extensions import db
from . import feedback
from . import operations as ops

MORE_PEOPLE = [
    ("paul.praxis@lotse.example", "Paul Praxis", Role.PARTICIPANT),
    ("jana.neubeginn@lotse.example", "Jana Neubeginn", Role.PARTICIPANT),
    ("martin.mentor@lotse.example", "Martin Mentor", Role.MENTOR),
]


def _person(app, email, name=None, role=None):
    """Find a demo account, creating it when a name is given."""
    user = find_user(email)
    if user is None and name:
        user = create_user(
            email,
            name,
            roles=[role],
            password=DEMO_PASSWORD,
            organisation="Demo-Beratung GmbH",
            region=app.config["REGIONS"][0],
        )
    return user


def _days_ago(days):
    """A Berlin date ``days`` before today."""
    return utcnow().astimezone(BERLIN).date() - timedelta(days=days)


def seed_mentoring(app, echo):
    """Assign mentors, write shared and private feedback, a reply and a recommendation."""
    for email, name, role in MORE_PEOPLE:
        _person(app, email, name, role)
    lena = _person(app, "teilnehmerin@lotse.example")
    paul = _person(app, "paul.praxis@lotse.example")
    miriam = _person(app, "mentorin@lotse.example")
    martin = _person(app, "martin.mentor@lotse.example")
    sabine = _person(app, "stiftung@lotse.example")
    if None in (lena, paul, miriam, martin, sabine):
        echo("Mentoring: Demo-Konten fehlen, keine Mentoring-Daten angelegt.")
        return
    if ops.assignment_history(lena) or ops.assignment_history(paul):
        echo("Mentoring: Demo-Daten sind schon vorhanden.")
        return

    ops.assign_mentor(
        lena,
        miriam,
        sabine,
        "Gleiche Region; Miriam hat schon drei Experimentierräume im Handwerk moderiert.",
    )
    entry = feedback.create_entry(
        lena,
        miriam,
        occurred_on=_days_ago(12),
        occasion="q2_session",
        visibility="shared",
        observations="Du hast die Kleingruppe ruhig und klar durch die **Problemdefinition** "
        "geführt. Bei der Zeitplanung wurde es am Ende knapp.",
        next_steps="- Für den eigenen Experimentierraum einen Zeitplan mit Puffer entwerfen\n"
        "- Methode *Zukunftswerkstatt* im Methodenkoffer ansehen",
    )
    feedback.add_reply(
        entry, lena, "Danke! Den Zeitplan bringe ich zu unserem nächsten Gespräch mit."
    )
    feedback.create_entry(
        lena,
        miriam,
        occurred_on=_days_ago(3),
        occasion="mentoring_talk",
        visibility="private",
        observations="Lena wirkt unsicher, ob sie genug Betriebe für den Experimentierraum "
        "gewinnt. Mit der Stiftung klären, ob Kontakte aus dem Netzwerk helfen.",
    )

    ops.assign_mentor(paul, martin, sabine, "Martin kennt die Branche von Paul.")
    ops.assign_mentor(paul, miriam, sabine, "Martin hat im Moment keine Zeit; Miriam übernimmt.")
    feedback.create_entry(
        paul,
        miriam,
        occurred_on=_days_ago(5),
        occasion="own_experimentierraum",
        visibility="shared",
        observations="Der Experimentierraum mit vier Betrieben lief sehr gut: klare Rollen, "
        "gute Moderation, ein greifbares Ergebnis.",
        next_steps="Ergebnisse im Reflecting Team vorstellen.",
    )
    ops.recommend(
        paul,
        miriam,
        "recommended",
        "Paul hat seinen Experimentierraum selbstständig "
        "eröffnet und moderiert und reflektiert seine Rolle sehr bewusst.",
    )
    db.session.flush()
    echo(
        "Mentoring: Miriam Mentorin begleitet Lena Lotsin und Paul Praxis; "
        "Jana Neubeginn wartet auf eine Zuordnung."
    )
