"""German mails of Q2: every change a participant should know about goes to the outbox.

A notice can carry calendar messages (``calendar="REQUEST"`` or ``"CANCEL"``): one mail per
date of the session, each with the iTIP message of that date (see ical.py), so Outlook,
Thunderbird and Google Calendar add, move or remove exactly that entry.
"""

from functools import wraps

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from ...core import mail
from ...core.timeutil import berlin_text, utcnow
from ...core.urls import external_url
from . import ical


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


def _when(date):
    """One date as text: ``Mo., 01.03.2099, 10:00 – 12:00 Uhr``."""
    return _(
        "%(start)s – %(end)s Uhr",
        start=berlin_text(date.starts_at),
        end=berlin_text(date.ends_at, "HH:mm"),
    )


def _calendar_parts(session, method, removed):
    """(method, date) of every calendar message: each date of the session, then removed ones."""
    if method is None:
        return []
    return [(method, d) for d in session.dates] + [("CANCEL", d) for d in removed]


def _send(user, subject, intro, session, with_access=False, calendar=None, removed=()):
    """Queue the mail(s) of a notice with the session's facts below ``intro``.

    ``calendar``: None, "REQUEST" (invite to or update every date) or "CANCEL" (take every
    date out); ``removed``: dates (ical.DateStub) dropped in an edit, cancelled in any case
    when ``calendar`` is given. Without calendar messages one mail goes out, else one per date.
    """
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
    parts = _calendar_parts(session, calendar, removed)
    if not parts:
        return [mail.queue(user.email, subject, body)]
    now, total, mails = utcnow(), len(parts), []
    for number, (method, date) in enumerate(parts, 1):
        text, title = body, subject
        if total > 1:
            title = f"{subject} ({number}/{total})"
            note = (
                _(
                    "Kalendereintrag %(n)s von %(total)s: %(when)s",
                    n=number,
                    total=total,
                    when=_when(date),
                )
                if method == "REQUEST"
                else _(
                    "Kalender-Absage %(n)s von %(total)s: %(when)s",
                    n=number,
                    total=total,
                    when=_when(date),
                )
            )
            text = f"{note}\n\n{body}"
        itip = ical.message(session, date, method, user, now, with_access)
        mails.append(mail.queue(user.email, title, text, calendar=itip))
    return mails


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
        calendar="REQUEST",
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
        calendar="REQUEST",
    )


@in_recipients_language
def changed(user, session, enrolled_now, removed=()):
    """The session was changed (dates, place, link or title); ``removed``: dates taken out.

    Those holding a place get the updated dates (REQUEST) and cancellations of the removed
    ones; people on the waiting list were never invited, so they get the text only.
    """
    _send(
        user,
        _("Termin geändert: %(t)s", t=session.title),
        _(
            "Der folgende Q2-Termin wurde geändert. Bitte prüfen Sie die neuen Angaben; "
            "Ihr Kalender-Abonnement aktualisiert sich selbst."
        ),
        session,
        enrolled_now,
        calendar="REQUEST" if enrolled_now else None,
        removed=removed,
    )


@in_recipients_language
def cancelled(user, session, reason, had_place=True):
    """The session was cancelled; those who held a place get a CANCEL for each date."""
    intro = _("Der folgende Q2-Termin wurde leider abgesagt.")
    if reason:
        intro += "\n" + _("Grund: %(reason)s", reason=reason)
    _send(
        user,
        _("Termin abgesagt: %(t)s", t=session.title),
        intro,
        session,
        calendar="CANCEL" if had_place else None,
    )


@in_recipients_language
@in_recipients_language
def left(user, session):
    """The person gave up their place: the dates leave their calendar."""
    _send(
        user,
        _("Abmeldung bestätigt: %(t)s", t=session.title),
        _("Sie haben sich von folgendem Q2-Termin abgemeldet; Ihr Platz ist freigegeben."),
        session,
        calendar="CANCEL",
    )


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
def removed_by_trainer(user, session, actor, reason, had_place=True):
    """A trainer took the person off the session, with a reason (a CANCEL per date if they
    held a place)."""
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
        calendar="CANCEL" if had_place else None,
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
        calendar="REQUEST",
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
        calendar="REQUEST",
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
