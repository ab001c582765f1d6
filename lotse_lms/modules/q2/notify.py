"""German mails of Q2: every change a participant should know about goes to the outbox."""

from functools import wraps

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from ...core import mail
from ...core.urls import external_url
from .common import berlin_text


def _dates(session):
    """The session's dates, one per line, in Berlin time."""
    return "\n".join(
        "  – "
        + _(
            "%(start)s – %(end)s Uhr",
            start=berlin_text(d.starts_at),
            end=berlin_text(d.ends_at, "HH:mm"),
        )
        for d in session.dates
    )


def _where(session, with_access):
    """Venue and link for enrolled people; a pointer to the page otherwise."""
    if not with_access:
        return ""
    lines = []
    if session.venue:
        lines.append(_("Ort: %(venue)s", venue=session.venue))
    if session.meeting_url:
        lines.append(_("Online-Zugang: %(url)s", url=session.meeting_url))
    return "\n".join(lines) + "\n\n" if lines else ""


def _send(user, subject, intro, session, with_access=False):
    """Queue one mail with the session's facts below ``intro``."""
    body = _(
        "Guten Tag %(name)s,\n\n%(intro)s\n\n„%(title)s“\n%(dates)s\n\n%(where)s"
        "Details und Kalendereintrag: %(link)s\n\nIhre OM-Lotsen-Qualifizierung",
        name=user.name,
        intro=intro,
        title=session.title,
        dates=_dates(session),
        where=_where(session, with_access),
        link=external_url("q2.detail", session_id=session.id),
    )
    return mail.queue(user.email, subject, body)


def in_recipients_language(notice):
    """Write the mail in the recipient's interface language, not the sender's."""

    @wraps(notice)
    def wrapped(user, *args, **kwargs):
        """Run ``notice`` with the recipient's locale."""
        with force_locale(user.locale or current_app.config["DEFAULT_LOCALE"]):
            return notice(user, *args, **kwargs)

    return wrapped


@in_recipients_language
def enrolled(user, session):
    """Enrolment confirmed."""
    _send(
        user,
        _("Anmeldung bestätigt: %(t)s", t=session.title),
        _("Ihre Anmeldung für den folgenden Q2-Termin ist bestätigt."),
        session,
        True,
    )


@in_recipients_language
def waiting(user, session, position):
    """Placed on the waiting list."""
    _send(
        user,
        _("Warteliste: %(t)s", t=session.title),
        _(
            "Der Termin ist ausgebucht. Sie stehen auf Platz %(n)s der Warteliste. Wird ein Platz "
            "frei, rücken Sie automatisch nach und erhalten eine Nachricht.",
            n=position,
        ),
        session,
    )


@in_recipients_language
def promoted(user, session):
    """Moved up from the waiting list."""
    _send(
        user,
        _("Platz frei geworden: %(t)s", t=session.title),
        _(
            "Ein Platz ist frei geworden: Sie sind von der Warteliste nachgerückt und jetzt "
            "verbindlich angemeldet."
        ),
        session,
        True,
    )


@in_recipients_language
def changed(user, session, enrolled_now):
    """The session was changed (dates, place, link or title)."""
    _send(
        user,
        _("Termin geändert: %(t)s", t=session.title),
        _(
            "Der folgende Q2-Termin wurde geändert. Bitte prüfen Sie die neuen Angaben; "
            "Ihr Kalender-Abonnement aktualisiert sich selbst."
        ),
        session,
        enrolled_now,
    )


@in_recipients_language
def cancelled(user, session, reason):
    """The session was cancelled."""
    intro = _("Der folgende Q2-Termin wurde leider abgesagt.")
    if reason:
        intro += "\n" + _("Grund: %(reason)s", reason=reason)
    _send(user, _("Termin abgesagt: %(t)s", t=session.title), intro, session)


@in_recipients_language
def reminder(user, session):
    """Reminder about 24 hours before a date."""
    _send(
        user,
        _("Erinnerung: %(t)s", t=session.title),
        _("Zur Erinnerung: Ihr Q2-Termin beginnt in Kürze."),
        session,
        True,
    )


@in_recipients_language
def removed_by_trainer(user, session, actor, reason):
    """A trainer took the person off the session, with a reason."""
    _send(
        user,
        _("Abmeldung durch die Trainerin / den Trainer: %(t)s", t=session.title),
        _(
            "%(actor)s hat Sie von folgendem Q2-Termin abgemeldet. Bei Fragen wenden Sie sich "
            "bitte direkt an sie oder ihn.",
            actor=actor.name,
        )
        + "\n"
        + _("Grund: %(reason)s", reason=reason),
        session,
    )


@in_recipients_language
def admitted_by_trainer(user, session, actor):
    """A trainer took the person from the waiting list onto the session."""
    _send(
        user,
        _("Anmeldung bestätigt: %(t)s", t=session.title),
        _(
            "%(actor)s hat Sie von der Warteliste aufgenommen: Sie sind jetzt verbindlich "
            "angemeldet.",
            actor=actor.name,
        ),
        session,
        True,
    )


@in_recipients_language
def added_by_trainer(user, session, actor):
    """A trainer enrolled the person directly."""
    _send(
        user,
        _("Anmeldung bestätigt: %(t)s", t=session.title),
        _("%(actor)s hat Sie für den folgenden Q2-Termin angemeldet.", actor=actor.name),
        session,
        True,
    )


@in_recipients_language
def clash_after_move(user, session, other, when):
    """The session moved onto the time of another session the person is registered for."""
    _send(
        user,
        _("Terminüberschneidung: %(t)s", t=session.title),
        _(
            "Der folgende Q2-Termin wurde verschoben und überschneidet sich jetzt mit "
            "„%(other)s“ (%(when)s), für den Sie ebenfalls angemeldet sind. Bitte melden Sie "
            "sich von einem der beiden Termine ab.",
            other=other.title,
            when=berlin_text(when),
        ),
        session,
        True,
    )
