"""Demo data: the seven Experimentierräume of the programme (EXP I–VII), safe to run again.

Each room gets a leading Lotse in training (with a mentor), two or three firms with a
firm-contact account (password ``demo-passwort``), a held meeting with its protocol, two
actions and one experiment. A room whose title exists already is left as it is.
"""

from datetime import timedelta

import sqlalchemy as sa

from ..accounts import DEMO_PASSWORD
from ..accounts.operations import create_user, find_user
from ..accounts.roles import Role
from ..core.timeutil import BERLIN, utcnow
from ..extensions import db
from ..mentoring.operations import assign_mentor, current_mentor
from . import operations
from .meeting_models import AgendaItem, Meeting
from .models import FIRM_CONTACT, Organisation, Room
from .work_models import RoomAction, RoomExperiment

#: The firm contact the README names.
DEMO_FIRM_CONTACT = "unternehmen@lotse.example"

#: The leading Lotsen (participants in training); Lena is the demo participant.
LOTSEN = {
    "lena": ("teilnehmerin@lotse.example", None),
    "bw": ("katrin.albrecht@lotse.example", "Katrin Albrecht"),
    "sh": ("henrik.jansen@lotse.example", "Henrik Jansen"),
    "sl": ("nadine.becker@lotse.example", "Nadine Becker"),
    "be": ("ole.brandt@lotse.example", "Ole Brandt"),
    "mv": ("frauke.petersen@lotse.example", "Frauke Petersen"),
    "ni": ("murat.yilmaz@lotse.example", "Murat Yilmaz"),
}

#: The Lotsen the rooms' demo adds (and gives a mentor if they have none).
DEMO_EMAILS = [email for email, name in LOTSEN.values() if name]

#: (lotse, room fields, firms [(name, sector, staff, contact e-mail, contact name)], phase,
#:  experiment (question, tried, result, decision))
ROOMS = [
    (
        "lena",
        {
            "title": "EXP I: Digitale Werkstatt Rhein-Ruhr",
            "topics": ["medienkompetenz", "reparaturauftraege"],
            "bundesland": "NW",
            "postcode_area": "44",
            "sector": "handwerk",
            "size_min": 5,
            "size_max": 25,
            "format": "hybrid",
            "capacity": 8,
            "public_description": "Handwerksbetriebe verschiedener Gewerke aus der Testregion "
            "Rhein-Ruhr bringen ihre Beschäftigten digital weiter und ordnen die Abläufe bei "
            "Reparaturaufträgen neu.",
            "private_description": "Treffpunkt: Werkstatt der Tischlerei Brandhoff, Dortmund. "
            "Die Betriebe wollen Reparaturaufträge ohne Zettelwirtschaft annehmen; die "
            "Beschäftigten sind unterschiedlich sicher im Umgang mit Tablets.",
        },
        [
            ("Tischlerei Brandhoff", "handwerk", 12, DEMO_FIRM_CONTACT, "Uwe Brandhoff"),
            ("Elektro Kaminski", "handwerk", 22, "kaminski@betrieb.example", "Jana Kaminski"),
            ("Sanitär Özdemir", "handwerk", 7, "oezdemir@betrieb.example", "Cem Özdemir"),
        ],
        "running",
        (
            "Nehmen die Monteure Reparaturaufträge per Tablet-Formular schneller auf?",
            "Ein Tablet-Formular für Reparaturaufträge, vier Wochen lang.",
            "Die Aufnahme dauert im Schnitt 6 statt 15 Minuten; Rückfragen im Büro gingen zurück.",
            "continue",
        ),
    ),
    (
        "bw",
        {
            "title": "EXP II: Produktion vernetzt Baden-Württemberg",
            "topics": ["datenschutz", "schnittstellen"],
            "bundesland": "BW",
            "postcode_area": "70",
            "sector": "produktion",
            "size_min": 5,
            "size_max": 149,
            "format": "praesenz",
            "capacity": 8,
            "public_description": "Produzierende KMU und eine Wirtschaftsförderung klären "
            "Datenschutz und Schnittstellen zwischen ihren Systemen.",
            "private_description": "Zwei Betriebe tauschen Auftragsdaten noch per Excel-Liste "
            "aus; die Wirtschaftsförderung lädt zu den Treffen ein.",
        },
        [
            ("Feinmechanik Schuler", "produktion", 85, "schuler@betrieb.example", "Eva Schuler"),
            ("Kunststofftechnik Rau", "produktion", 140, "rau@betrieb.example", "Tim Rau"),
            (
                "Wirtschaftsförderung Region Stuttgart (Demo)",
                "wirtschaftsfoerderung",
                35,
                "wf-stuttgart@betrieb.example",
                "Ines Vogt",
            ),
        ],
        "running",
        (
            "Lässt sich der Auftragsaustausch ohne Excel-Listen sicher regeln?",
            "Eine gemeinsame Schnittstelle (CSV über SFTP) zwischen zwei Betrieben.",
            "Funktioniert, aber die Pflege der Stammdaten kostet mehr Zeit als gedacht.",
            "change",
        ),
    ),
    (
        "sh",
        {
            "title": "EXP III: Gesundheit digital Lübeck/Westmecklenburg",
            "topics": ["plattform_pflege", "homeoffice"],
            "bundesland": "SH",
            "postcode_area": "23",
            "sector": "gesundheit",
            "size_min": 2,
            "size_max": 350,
            "format": "virtuell",
            "capacity": 6,
            "public_description": "Betriebe des Gesundheitswesens führen eine neue Plattform in "
            "der Krankenpflege ein und ordnen die Arbeit im Homeoffice.",
            "private_description": "Der Pflegedienst testet die Plattform zuerst in einem Team; "
            "die Praxis fragt, welche Verwaltungsarbeit ins Homeoffice darf.",
        },
        [
            (
                "Ambulanter Pflegedienst Hansa",
                "gesundheit",
                60,
                "hansa@betrieb.example",
                "Birte Lund",
            ),
            ("Physiotherapie am Wall", "gesundheit", 4, "wall@betrieb.example", "Jonas Wall"),
        ],
        "open",
        (
            "Spart die Plattform Zeit bei der Dokumentation?",
            "Ein Pflegeteam dokumentiert zwei Wochen lang nur in der Plattform.",
            "",
            None,
        ),
    ),
    (
        "sl",
        {
            "title": "EXP IV: Handwerk Saar – gemeinsam auf der Baustelle",
            "topics": ["kollaboration", "reparaturauftraege"],
            "bundesland": "SL",
            "postcode_area": "66",
            "sector": "handwerk",
            "size_min": 5,
            "size_max": 21,
            "format": "praesenz",
            "capacity": 6,
            "public_description": "Handwerksbetriebe aus dem Saarland betreuen gemeinsame "
            "Baustellen mit einem Kollaborationstool.",
            "private_description": "Drei Gewerke arbeiten am selben Neubau; Absprachen laufen "
            "bisher über Telefon und Zettel am Bauwagen.",
        },
        [
            ("Dachdeckerei Klein", "handwerk", 9, "klein@betrieb.example", "Rolf Klein"),
            ("Malerbetrieb Schmitt", "handwerk", 21, "schmitt@betrieb.example", "Anke Schmitt"),
        ],
        "closed",
        (
            "Verringert ein gemeinsames Kollaborationstool Leerlauf auf der Baustelle?",
            "Ein gemeinsamer Baustellen-Kanal mit Fotos und Terminen für drei Gewerke.",
            "Weniger Wartezeiten; die Fotodokumentation hilft auch bei der Abnahme.",
            "continue",
        ),
    ),
    (
        "be",
        {
            "title": "EXP V: Start-ups – digitale Tools beim Aufbau",
            "topics": ["digitale_tools", "agiles_management"],
            "bundesland": "BE",
            "postcode_area": "10",
            "sector": "startup",
            "size_min": 0,
            "size_max": 15,
            "format": "hybrid",
            "capacity": 8,
            "public_description": "Gründerinnen und Gründer mehrerer Branchen wählen digitale "
            "Tools für den Geschäftsaufbau und probieren agiles Management aus.",
            "private_description": "Die Teams wollen weniger Tools, die besser zusammenpassen.",
        },
        [
            ("Kiezkiste UG", "handel", 3, "kiezkiste@betrieb.example", "Lea Sommer"),
            ("Solarsprung GmbH", "energie", 11, "solarsprung@betrieb.example", "Max Engel"),
        ],
        "running",
        (
            "Reicht ein wöchentliches 15-Minuten-Planungstreffen statt langer Runden?",
            "Zwei Wochen-Sprints mit kurzem Planungstreffen und Board.",
            "Das kurze Treffen reicht nicht: Entscheidungen blieben liegen.",
            "drop",
        ),
    ),
    (
        "mv",
        {
            "title": "EXP VI: Erneuerbare Energien Mecklenburg-Vorpommern",
            "topics": ["virtuelle_vorstellung", "datenschutz"],
            "bundesland": "MV",
            "postcode_area": "18",
            "sector": "energie",
            "size_min": 3,
            "size_max": 60,
            "format": "virtuell",
            "capacity": 8,
            "public_description": "KMU der erneuerbaren Energien stellen sich virtuell vor und "
            "klären den Datenschutz bei Kundendaten.",
            "private_description": "Die Betriebe suchen Fachkräfte und Kunden über virtuelle "
            "Betriebsbesichtigungen.",
        },
        [
            ("Windservice Rügen", "energie", 45, "ruegen@betrieb.example", "Kai Möller"),
            ("Sonnendach Rostock", "energie", 8, "sonnendach@betrieb.example", "Pia Haase"),
        ],
        "planned",
        (
            "Gewinnt eine virtuelle Betriebsbesichtigung Bewerbungen?",
            "Ein 360-Grad-Rundgang auf der Karriereseite.",
            "",
            None,
        ),
    ),
    (
        "ni",
        {
            "title": "EXP VII: Stationärer Einzelhandel online sichtbar",
            "topics": ["virtuelle_vorstellung", "medienkompetenz"],
            "bundesland": "NI",
            "postcode_area": "30",
            "sector": "handel",
            "size_min": 2,
            "size_max": 20,
            "format": "praesenz",
            "capacity": 8,
            "public_description": "Geschäfte des stationären Einzelhandels werden mit einer "
            "Wirtschaftsförderung online sichtbar.",
            "private_description": "Die Wirtschaftsförderung stellt den Raum im Rathaus; die "
            "Läden wollen Öffnungszeiten und Angebote verlässlich online zeigen.",
        },
        [
            ("Buchhandlung Seitenweise", "handel", 6, "seitenweise@betrieb.example", "Ruth Seiler"),
            ("Modehaus Lindner", "handel", 18, "lindner@betrieb.example", "Jan Lindner"),
            (
                "Wirtschaftsförderung Hannover (Demo)",
                "wirtschaftsfoerderung",
                40,
                "wf-hannover@betrieb.example",
                "Doris Kern",
            ),
        ],
        "open",
        (
            "Bringt ein gepflegtes Unternehmensprofil in Kartendiensten mehr Laufkundschaft?",
            "Profil mit Öffnungszeiten, Fotos und Wochenangebot für einen Laden.",
            "Mehr Anrufe und Wegbeschreibungen; Umsatz noch nicht messbar.",
            None,
        ),
    ),
]

AGENDA = ["Ankommen und Stand der Betriebe", "Erfahrungen mit dem Experiment", "Nächste Schritte"]


def _user(email, name, role, app, **profile):
    """The demo account ``email`` (created with ``role`` if missing)."""
    user = find_user(email)
    if user is None and name:
        user = create_user(
            email,
            name,
            roles=[role],
            password=DEMO_PASSWORD,
            region=profile.pop("region", app.config["REGIONS"][0]),
            **profile,
        )
    return user


def _lotse(key, app, staff, mentor):
    """The leading Lotse of a room: a participant whose mentor is set (assigned if missing)."""
    email, name = LOTSEN[key]
    user = _user(email, name, Role.PARTICIPANT, app, organisation="Demo-Beratung GmbH")
    if user is not None and current_mentor(user) is None and mentor is not None:
        assign_mentor(user, mentor, staff, "Begleitung im eigenen Experimentierraum.")
    return user


def _organisation(name, sector, staff_count, bundesland, actor):
    """The demo organisation ``name`` (created if missing)."""
    found = db.session.scalar(sa.select(Organisation).where(Organisation.name == name))
    if found is not None:
        return found
    return operations.save_organisation(
        None,
        {"name": name, "sector": sector, "staff_count": staff_count, "bundesland": bundesland},
        actor,
    )


def _seed_room(app, lotse, fields, firms, phase, experiment, staff):
    """One room with its firms, a held meeting with protocol, actions and an experiment."""
    now = utcnow()
    room = operations.create_room(fields, lotse, lotse)
    contacts = []
    for name, sector, staff_count, email, contact_name in firms:
        org = _organisation(name, sector, staff_count, fields["bundesland"], lotse)
        user = _user(email, contact_name, Role.FIRM_CONTACT, app, organisation=name)
        operations.set_member(room, user, FIRM_CONTACT, lotse, organisation=org)
        contacts.append((user, org))
    held = (
        (now - timedelta(days=21))
        .astimezone(BERLIN)
        .replace(hour=16, minute=0, second=0, microsecond=0)
    )
    meeting = Meeting(
        room_id=room.id,
        title="Auftakt",
        starts_at=held,
        ends_at=held + timedelta(hours=2),
        place="" if fields["format"] == "virtuell" else "Räume eines teilnehmenden Betriebs",
        video_url="https://video.example.org/raum" if fields["format"] != "praesenz" else "",
        uid=f"room-meeting-demo-{room.id}@lotse-lms",
        protocol="## Ergebnisse\n\n- Jeder Betrieb hat sein Ziel für die nächsten Wochen benannt.\n"
        f"- Erstes Experiment: {experiment[1]}\n\n## Verabredungen\n\n"
        "- Nächstes Treffen in vier Wochen.",
        protocol_version=1,
        protocol_at=held + timedelta(days=1),
        agenda=[AgendaItem(position=n, title=t) for n, t in enumerate(AGENDA, 1)],
    )
    db.session.add(meeting)
    if phase in ("open", "running"):
        upcoming = (
            (now + timedelta(days=14))
            .astimezone(BERLIN)
            .replace(hour=16, minute=0, second=0, microsecond=0)
        )
        db.session.add(
            Meeting(
                room_id=room.id,
                title="Zweites Treffen",
                starts_at=upcoming,
                ends_at=upcoming + timedelta(hours=2),
                place=meeting.place,
                video_url=meeting.video_url,
                uid=f"room-meeting-demo-next-{room.id}@lotse-lms",
                agenda=[AgendaItem(position=n, title=t) for n, t in enumerate(AGENDA, 1)],
            )
        )
    today = now.astimezone(BERLIN).date()
    first_contact, first_org = contacts[0]
    db.session.add_all(
        [
            RoomAction(
                room_id=room.id,
                title="Ziele der Betriebe aufschreiben",
                owner_id=lotse.id,
                due_on=today - timedelta(days=14),
                status="done",
                created_by_id=lotse.id,
            ),
            RoomAction(
                room_id=room.id,
                title="Erfahrungen aus dem Experiment für das nächste Treffen sammeln",
                owner_id=first_contact.id,
                due_on=today + timedelta(days=10),
                status="open",
                created_by_id=lotse.id,
            ),
        ]
    )
    question, tried, result, decision = experiment
    db.session.add(
        RoomExperiment(
            room_id=room.id,
            question=question,
            tried=tried,
            organisation_id=first_org.id,
            result=result,
            decision=decision,
            decided_on=today - timedelta(days=7) if decision else None,
            created_by_id=lotse.id,
        )
    )
    if phase != "planned":
        for step in ("open", "running", "closed"):
            operations.change_phase(room, step, staff)
            if step == phase:
                break
    db.session.flush()
    return room


def seed_rooms(app, echo):
    """The seven rooms EXP I–VII (a room whose title exists is skipped)."""
    staff = find_user("stiftung@lotse.example")
    mentor = find_user("martin.mentor@lotse.example") or find_user("mentorin@lotse.example")
    if staff is None:
        echo("Experimentierräume: Demo-Konten fehlen, keine Räume angelegt.")
        return
    made = 0
    for key, fields, firms, phase, experiment in ROOMS:
        if db.session.scalar(sa.select(Room.id).where(Room.title == fields["title"])):
            continue
        lotse = _lotse(key, app, staff, mentor)
        if lotse is None:
            continue
        _seed_room(app, lotse, fields, firms, phase, experiment, staff)
        made += 1
    db.session.flush()
    echo(
        f"Experimentierräume: {made} Demo-Räume angelegt"
        f" (Unternehmensvertreter: {DEMO_FIRM_CONTACT})."
    )
