"""Experimentierräume: organisations (firms), rooms, their members and join requests.

A room is led by a Lotse (``Room.lead_id``), optionally accompanied by a mentor
(``Room.mentor_id``); both are also rows of ``RoomMember`` (roles ``lead`` and ``mentor``),
kept in step by ``operations.py``, so "who belongs to this room" is one table. Firm
contacts are members with role ``firm_contact`` and the organisation they speak for.
"""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..core.timeutil import UTCDateTime, utcnow
from ..extensions import db

#: The phases of a room, in order; ``TRANSITIONS`` says which step follows which.
PLANNED, OPEN, RUNNING, CLOSED = "planned", "open", "running", "closed"
PHASES = {
    PLANNED: _l("geplant"),
    OPEN: _l("offen für Anmeldung"),
    RUNNING: _l("läuft"),
    CLOSED: _l("abgeschlossen"),
}
#: Allowed phase changes (forward, back from "offen" to "geplant", and a closed room may be
#: re-opened to "läuft" by those who manage it, e.g. for a follow-up meeting).
TRANSITIONS = {
    PLANNED: (OPEN,),
    OPEN: (PLANNED, RUNNING),
    RUNNING: (CLOSED,),
    CLOSED: (RUNNING,),
}
#: What the button that moves a room from one phase to the next says.
PHASE_ACTIONS = {
    OPEN: _l("Für Anmeldungen öffnen"),
    PLANNED: _l("Zurück in die Planung"),
    RUNNING: _l("Raum starten"),
    CLOSED: _l("Raum abschließen"),
}
#: Phases the public directory shows.
PUBLIC_PHASES = (OPEN, RUNNING)

FORMATS = {"praesenz": _l("Präsenz"), "virtuell": _l("virtuell"), "hybrid": _l("hybrid")}

#: Roles in a room.
LEAD, CO_LEAD, MENTOR, FIRM_CONTACT = "lead", "co_lead", "mentor", "firm_contact"
MEMBER_ROLES = {
    LEAD: _l("Leitung (Lotse/Lotsin)"),
    CO_LEAD: _l("Co-Moderation"),
    MENTOR: _l("Mentorin / Mentor"),
    FIRM_CONTACT: _l("Unternehmen"),
}

BUNDESLAENDER = {
    "BW": "Baden-Württemberg",
    "BY": "Bayern",
    "BE": "Berlin",
    "BB": "Brandenburg",
    "HB": "Bremen",
    "HH": "Hamburg",
    "HE": "Hessen",
    "MV": "Mecklenburg-Vorpommern",
    "NI": "Niedersachsen",
    "NW": "Nordrhein-Westfalen",
    "RP": "Rheinland-Pfalz",
    "SL": "Saarland",
    "SN": "Sachsen",
    "ST": "Sachsen-Anhalt",
    "SH": "Schleswig-Holstein",
    "TH": "Thüringen",
}

SECTORS = {
    "handwerk": _l("Handwerk"),
    "produktion": _l("Produzierendes Gewerbe"),
    "gesundheit": _l("Gesundheitswesen"),
    "handel": _l("Einzelhandel"),
    "startup": _l("Start-ups"),
    "energie": _l("Erneuerbare Energien"),
    "dienstleistung": _l("Dienstleistungen"),
    "wirtschaftsfoerderung": _l("Wirtschaftsförderung"),
    "gemischt": _l("mehrere Branchen"),
    "sonstige": _l("sonstige"),
}

TOPICS = {
    "medienkompetenz": _l("Medienkompetenz der Beschäftigten"),
    "reparaturauftraege": _l("Abläufe bei Reparaturaufträgen"),
    "datenschutz": _l("Datenschutz/Datensicherheit"),
    "homeoffice": _l("Homeoffice"),
    "plattform_pflege": _l("Neue Plattform in der Krankenpflege"),
    "virtuelle_vorstellung": _l("Virtuelle Vorstellung des eigenen Unternehmens"),
    "digitale_tools": _l("Digitale Tools beim Geschäftsaufbau"),
    "kollaboration": _l("Kollaborationstool für die gemeinsame Baustellenbetreuung"),
    "agiles_management": _l("Agiles Management"),
    "schnittstellen": _l("Schnittstellenmanagement"),
}


class Organisation(db.Model):
    """A firm (or agency) taking part in rooms, with its public-naming consent."""

    __tablename__ = "room_organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    #: A key of SECTORS.
    sector: Mapped[str] = mapped_column(sa.String(30), default="sonstige")
    #: Number of staff (None: not known).
    staff_count: Mapped[int | None] = mapped_column()
    #: A key of BUNDESLAENDER ("" unknown).
    bundesland: Mapped[str] = mapped_column(sa.String(2), default="", server_default="")
    postcode: Mapped[str] = mapped_column(sa.String(5), default="", server_default="")
    #: The firm agreed to be named publicly (off until it says so).
    public_consent: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    #: When the consent was last given or withdrawn (None: never asked).
    consent_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Who gave or withdrew it last.
    consent_changed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self):
        return f"<Organisation {self.id} {self.name}>"


class Room(db.Model):
    """An Experimentierraum: firms meeting on a topic of digital change, led by a Lotse."""

    __tablename__ = "rooms"
    __table_args__ = (sa.Index("ix_rooms_phase_bundesland", "phase", "bundesland"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    #: A key of BUNDESLAENDER.
    bundesland: Mapped[str] = mapped_column(sa.String(2))
    #: The postcode area: the first one to five digits (e.g. "44" or "235").
    postcode_area: Mapped[str] = mapped_column(sa.String(5), default="", server_default="")
    #: A key of SECTORS.
    sector: Mapped[str] = mapped_column(sa.String(30))
    size_min: Mapped[int | None] = mapped_column()
    size_max: Mapped[int | None] = mapped_column()
    #: A key of FORMATS.
    format: Mapped[str] = mapped_column(sa.String(10), default="praesenz")
    #: How many firms may take part.
    capacity: Mapped[int] = mapped_column(default=8, server_default="8")
    lead_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    mentor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    #: A key of PHASES.
    phase: Mapped[str] = mapped_column(sa.String(10), default=PLANNED, server_default=PLANNED)
    #: Shown in the public directory (plain text/Markdown, rendered safely).
    public_description: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    #: Only for the room's members.
    private_description: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    lead: Mapped[User] = relationship(foreign_keys=[lead_id], lazy="joined")
    mentor: Mapped[User | None] = relationship(foreign_keys=[mentor_id], lazy="joined")
    topic_rows: Mapped[list["RoomTopic"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="RoomTopic.topic"
    )

    @property
    def topics(self):
        """The keys of TOPICS this room works on."""
        return [row.topic for row in self.topic_rows]

    @property
    def is_closed(self):
        """True once the room is closed: its content is read-only (learning cards go on)."""
        return self.phase == CLOSED

    @property
    def is_public(self):
        """True while the directory shows the room."""
        return self.phase in PUBLIC_PHASES

    def __repr__(self):
        return f"<Room {self.id} {self.title}>"


class RoomTopic(db.Model):
    """That a room works on a topic (a key of TOPICS)."""

    __tablename__ = "room_topics"

    room_id: Mapped[int] = mapped_column(sa.ForeignKey("rooms.id"), primary_key=True)
    topic: Mapped[str] = mapped_column(sa.String(30), primary_key=True, index=True)


class RoomMember(db.Model):
    """That a person belongs to a room, in a role; firm contacts speak for an organisation."""

    __tablename__ = "room_members"
    __table_args__ = (sa.UniqueConstraint("room_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(sa.ForeignKey("rooms.id"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    #: A key of MEMBER_ROLES.
    role: Mapped[str] = mapped_column(sa.String(20))
    #: The firm of a firm contact; None for the other roles.
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("room_organisations.id"), index=True
    )
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    added_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    room: Mapped[Room] = relationship(lazy="joined")
    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")
    organisation: Mapped[Organisation | None] = relationship(lazy="joined")


#: States of an "Interesse melden" request.
UNCONFIRMED, CONFIRMED, ACCEPTED, DECLINED = "unconfirmed", "confirmed", "accepted", "declined"
REQUEST_STATES = {
    UNCONFIRMED: _l("nicht bestätigt"),
    CONFIRMED: _l("offen"),
    ACCEPTED: _l("angenommen"),
    DECLINED: _l("abgelehnt"),
}


class JoinRequest(db.Model):
    """A firm's "Interesse melden" from the public directory (double opt-in: only confirmed
    requests reach the room's Lotse)."""

    __tablename__ = "room_join_requests"
    __table_args__ = (sa.Index("ix_room_join_requests_room_state", "room_id", "state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(sa.ForeignKey("rooms.id"))
    name: Mapped[str] = mapped_column(sa.String(120))
    firm: Mapped[str] = mapped_column(sa.String(200))
    email: Mapped[str] = mapped_column(sa.String(254))
    message: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    #: A key of REQUEST_STATES.
    state: Mapped[str] = mapped_column(sa.String(12), default=UNCONFIRMED)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    #: The account the request became (accepted), if any.
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    #: The organisation the request became (accepted), if any.
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("room_organisations.id"))

    room: Mapped[Room] = relationship(lazy="joined")
