"""Demo data: two closed sessions and an open one, so every role finds something to look at."""

from datetime import timedelta

from ..accounts import DEMO_PASSWORD
from ..accounts.operations import create_user, find_user
from ..accounts.roles import Role
from ..core.timeutil import BERLIN, utcnow
from ..extensions import db
from . import operations
from .held import held_session
from .models import RTSession

EXTRA_PARTICIPANTS = [
    ("paul.praxis@lotse.example", "Paul Praxis"),
    ("petra.pilot@lotse.example", "Petra Pilot"),
    ("jonas.wandel@lotse.example", "Jonas Wandel"),
]

SESSIONS = [
    {
        "title": "Digitale Auftragsmappe im Handwerkerverbund",
        "days": -21,
        "owner": "teilnehmerin@lotse.example",
        "method": "reflecting-team-andersen",
        "members": [
            "paul.praxis@lotse.example",
            "petra.pilot@lotse.example",
            "mentorin@lotse.example",
        ],
        "case": {
            "situation": "Drei Handwerksbetriebe (Elektro, Sanitär, Trockenbau) wollen Aufträge gemeinsam "
            "planen. Seit sechs Wochen testen sie eine **digitale Auftragsmappe**; genutzt wird "
            "sie vor allem im Büro, kaum auf der Baustelle.",
            "firms": "- Elektrobetrieb, 14 Beschäftigte\n- Sanitärbetrieb, 9 Beschäftigte\n"
            "- Trockenbaubetrieb, 22 Beschäftigte",
            "question": "Wie kann ich die Monteurinnen und Monteure ins Experiment holen, ohne dass es "
            "wie eine Vorgabe der Chefs wirkt?",
        },
        "reflections": [
            (
                "paul.praxis@lotse.example",
                "Die Chefs sprechen von *Effizienz*, die Baustelle von Zeitdruck.",
                "Vielleicht fehlt ein sichtbarer Nutzen für die, die die Mappe füllen sollen.",
                "Eine Baustelle als Pilot wählen und dort gemeinsam die drei lästigsten Zettel ersetzen.",
            ),
            (
                "petra.pilot@lotse.example",
                "Im Büro ist die Begeisterung groß.",
                "Könnte es sein, dass die Mappe eher das Büro entlastet als die Baustelle?",
                "Einen Monteur als Mitgestalter gewinnen, nicht als Tester.",
            ),
            (
                "mentorin@lotse.example",
                "Sie haben dreimal „eigentlich“ gesagt.",
                "Vielleicht ist das Experiment noch zu groß für den Anfang.",
                "Klein anfangen: eine Funktion, zwei Wochen, dann gemeinsam auswerten.",
            ),
        ],
        "self": (
            "Der Nutzen muss auf der Baustelle spürbar sein, nicht nur im Büro.",
            "Ich lade zwei Monteure zum nächsten Termin ein und wir wählen **eine** Funktion aus.",
        ),
        "closed": True,
    },
    {
        "title": "Gemeinsamer Einkauf mit KI-Assistent",
        "days": -10,
        "owner": "paul.praxis@lotse.example",
        "method": "kollegiale-fallberatung",
        "members": [
            "teilnehmerin@lotse.example",
            "petra.pilot@lotse.example",
            "reflecting@lotse.example",
        ],
        "case": {
            "situation": "Vier Betriebe aus der Metallverarbeitung bündeln ihren Einkauf. Ein KI-Assistent "
            "soll Angebote vergleichen; die Einkäuferinnen misstrauen den Vorschlägen.",
            "firms": "Vier Metallbetriebe mit 20 bis 60 Beschäftigten in einem Gewerbegebiet.",
            "question": "Wie gestalte ich einen Versuch, der Vertrauen aufbaut statt es vorauszusetzen?",
        },
        "reflections": [
            (
                "teilnehmerin@lotse.example",
                "Das Misstrauen wirkt begründet und fachlich.",
                "Vielleicht wird die Erfahrung der Einkäuferinnen zu wenig gefragt.",
                "Den Assistenten zuerst nur *zweite Meinung* sein lassen.",
            ),
            (
                "petra.pilot@lotse.example",
                "Die Geschäftsführer wollen schnell Ergebnisse.",
                "Zeitdruck und Vertrauen vertragen sich schlecht.",
                "Ein Vergleich über vier Wochen: Mensch und Assistent getrennt, dann gemeinsam auswerten.",
            ),
            (
                "reflecting@lotse.example",
                "Niemand hat bisher nach Fehlern des Assistenten gefragt.",
                "Sichtbare Fehler könnten Vertrauen eher stärken als schwächen.",
                "Eine Fehlerliste gemeinsam führen.",
            ),
        ],
        "self": (
            "Vertrauen entsteht durch gemeinsames Prüfen.",
            "Ich schlage den Vierwochenvergleich mit gemeinsamer Fehlerliste vor.",
        ),
        "closed": True,
    },
    {
        "title": "Schichtplanung digital im Pflegeverbund",
        "days": 5,
        "owner": "petra.pilot@lotse.example",
        "method": "was-so-what-now-what",
        "members": [
            "teilnehmerin@lotse.example",
            "jonas.wandel@lotse.example",
            "reflecting@lotse.example",
        ],
        "case": {
            "situation": "Zwei ambulante Pflegedienste probieren eine gemeinsame digitale Schichtplanung.",
            "firms": "Zwei Pflegedienste mit je etwa 30 Beschäftigten.",
            "question": "Woran erkenne ich früh, ob das Experiment trägt?",
        },
        "reflections": [],
        "self": None,
        "closed": False,
    },
]


def _person(email, name=None):
    """Find a demo account, creating an extra demo participant if needed."""
    user = find_user(email)
    if user is None and name:
        user = create_user(
            email,
            name,
            roles=[Role.PARTICIPANT],
            password=DEMO_PASSWORD,
            organisation="Demo-Beratung GmbH",
        )
    return user


def seed_reflecting_team(app, echo):
    """Create the demo sessions once (skipped if they exist or the accounts are missing)."""
    for email, name in EXTRA_PARTICIPANTS:
        _person(email, name)
    trainer = find_user("trainer@lotse.example")
    methods = operations.library()
    if trainer is None or not methods:
        echo("Reflecting Team: keine Demo-Sitzungen (Trainer-Konto oder Methodenbibliothek fehlt).")
        return
    today = utcnow().astimezone(BERLIN).date()
    created = 0
    for spec in SESSIONS:
        if db.session.scalar(db.select(RTSession.id).where(RTSession.title == spec["title"])):
            continue
        people = [_person(e) for e in [spec["owner"], *spec["members"]]]
        if any(p is None for p in people):
            continue
        owner, members = people[0], people[1:]
        slug = spec["method"] if operations.find_method(spec["method"]) else methods[0].slug
        held_session(
            trainer,
            held_on=today + timedelta(days=spec["days"]),
            case_owner=owner,
            members=members,
            method_slug=slug,
            title=spec["title"],
            case=spec["case"],
            reflections=[(find_user(email), *texts) for email, *texts in spec["reflections"]],
            self_reflection=spec["self"] or None,
            closed=spec["closed"],
        )
        created += 1
    db.session.flush()
    echo(f"Reflecting Team: {created} Demo-Sitzung(en) angelegt.")
